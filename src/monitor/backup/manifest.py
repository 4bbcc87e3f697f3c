"""The manifest beside the backups (``manifest.json``): what each backup file holds.

    {"format": 1, "backups": [{"file": "monitor-20261203T114500Z.db.zst",
      "created_at": "2026-12-03T18:45:00+07:00", "sha256": "…", "size": 123,
      "database_sha256": "…", "database_size": 456, "schema_version": 12,
      "counts": {"articles": 1234, …}, "source": "db/monitor.db"}, …]}

``sha256``/``size`` are the compressed file's (what restore checks first); ``database_*`` the
copy's inside it; ``counts`` every table's rows at the backup's moment. The file is rewritten
whole (a temporary file renamed over it), so a crash leaves the old manifest or the new one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from monitor.errors import BackupError

NAME = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    file: str
    created_at: str
    sha256: str
    size: int
    database_sha256: str
    database_size: int
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    source: str = ""

    @property
    def time(self) -> datetime:
        return datetime.fromisoformat(self.created_at)


def path_in(directory: Path) -> Path:
    return directory / NAME


def read(directory: Path) -> list[Entry]:
    """The entries of the manifest in ``directory``, oldest first; none when there is none."""
    path = path_in(directory)
    if not path.exists():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = [Entry(**item) for item in document["backups"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            f"cannot read the backup manifest {path}: {error}", path=str(path)
        ) from None
    return sorted(entries, key=lambda entry: entry.time)


def write(directory: Path, entries: list[Entry]) -> None:
    """Replace the manifest in ``directory`` with ``entries``, atomically."""
    path = path_in(directory)
    document: dict[str, Any] = {
        "format": FORMAT,
        "backups": [asdict(entry) for entry in sorted(entries, key=lambda entry: entry.time)],
    }
    temporary = path.with_name(f".{NAME}.tmp")
    temporary.write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def entry_for(backup: Path) -> Entry | None:
    """The manifest entry of the backup file ``backup``, from the manifest beside it."""
    return next((entry for entry in read(backup.parent) if entry.file == backup.name), None)
