"""The copy of an archive taken before its schema is migrated, kept beside it.

    <archive>.pre-v{N}-{UTC time}.db      N: the version the migration brings it to

It is a verified copy (``backup.copy_verified``, as ``monitor backup`` takes, not compressed):
SQLite's online backup API inside one read transaction, so that it is one consistent state even
while another process writes; then checked — ``PRAGMA integrity_check`` is ``ok``, and it has
the archive's ``user_version`` and the same number of rows in every table — before any
migration runs. A copy that cannot be made or does not check out is a ``StorageError``, and the
archive is left unmigrated.

The copy is readable by its owner only (as the archive) and in rollback-journal mode, so that it
is a single file: to go back, stop the monitor and put it in the archive's place.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from monitor.archive.backup import copy_verified
from monitor.errors import BackupError, StorageError


@dataclass(frozen=True)
class PremigrationCopy:
    """A verified copy: where it is, the schema version it holds, its rows in all tables."""

    path: Path
    version: int
    rows: int
    tables: int


def copy_path(archive: Path, target: int, when: datetime) -> Path:
    """``<archive>.pre-v{target}-{YYYYmmddTHHMMSSZ}.db`` beside the archive."""
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return archive.with_name(f"{archive.name}.pre-v{target}-{stamp}.db")


def keep_premigration_copy(archive: Path, *, target: int) -> PremigrationCopy:
    """Copy the archive at ``archive`` beside it, before migrating it to ``target``, and verify
    the copy."""
    try:
        copy = copy_verified(archive, _free_name(copy_path(archive, target, datetime.now(UTC))))
    except (sqlite3.Error, OSError, StorageError, BackupError) as error:
        raise StorageError(
            f"cannot migrate archive {archive}: its copy before migrating failed ({error});"
            " nothing was changed",
            path=str(archive),
        ) from None
    counts = copy.counts
    return PremigrationCopy(Path(copy.path), copy.schema_version, sum(counts.values()), len(counts))


def _free_name(path: Path) -> Path:
    """``path``, or with a numbered suffix when taken (two copies within a second)."""
    for attempt in range(100):
        candidate = path if not attempt else path.with_name(f"{path.stem}-{attempt}.db")
        if not candidate.exists():
            return candidate
    raise StorageError(f"cannot name a copy of the archive near {path}", path=str(path))
