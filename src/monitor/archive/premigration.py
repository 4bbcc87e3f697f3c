"""The copy of an archive taken before its schema is migrated, kept beside it.

    <archive>.pre-v{N}-{UTC time}.db      N: the version the migration brings it to

It is taken with SQLite's online backup API from the archive's own connection, inside one read
transaction, so that it is one consistent state even while another process writes; then it is
checked — ``PRAGMA integrity_check`` is ``ok``, and it has the archive's ``user_version`` and
the same number of rows in every table — before any migration runs. A copy that cannot be
made or does not check out is a ``StorageError``, and the archive is left unmigrated.

The copy is made readable by its owner only (as the archive) and in rollback-journal mode, so
that it is a single file: to go back, stop the monitor and put it in the archive's place.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from monitor.errors import StorageError

FILE_MODE = 0o600
_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table'"
    " AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
)


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


def keep_premigration_copy(db: Database, archive: Path, *, target: int) -> PremigrationCopy:
    """Copy the archive open as ``db`` beside it, before migrating it to ``target``, and verify
    the copy."""
    destination = None
    try:
        destination = _new_file(copy_path(archive, target, datetime.now(UTC)))
        return _copy_and_verify(db.conn, destination)
    except (sqlite3.Error, OSError, StorageError) as error:
        if destination is not None:
            destination.unlink(missing_ok=True)
        reason = error.args[0] if isinstance(error, StorageError) else str(error)
        raise StorageError(
            f"cannot migrate archive {archive}: its copy before migrating failed ({reason});"
            " nothing was changed",
            path=str(archive),
        ) from None


def _new_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600; a name taken (two copies within a second) gets a
    numbered suffix."""
    for attempt in range(100):
        candidate = path if not attempt else path.with_name(f"{path.stem}-{attempt}.db")
        try:
            descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        os.fchmod(descriptor, FILE_MODE)
        os.close(descriptor)
        return candidate
    raise StorageError(f"cannot name a copy of the archive near {path}", path=str(path))


def _copy_and_verify(source: sqlite3.Connection, destination: Path) -> PremigrationCopy:
    source.execute("BEGIN")  # one snapshot for the version, the counts and the copy
    try:
        version: int = source.execute("PRAGMA user_version").fetchone()[0]
        counts = _row_counts(source)
        with closing(sqlite3.connect(destination, isolation_level=None)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            _verify(copy, version, counts)
    finally:
        source.execute("COMMIT")
    return PremigrationCopy(destination, version, sum(counts.values()), len(counts))


def _row_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in db.execute(_TABLES)]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _verify(copy: sqlite3.Connection, version: int, counts: dict[str, int]) -> None:
    problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise StorageError(f"the copy fails its integrity check: {problems[0]}")
    copied = copy.execute("PRAGMA user_version").fetchone()[0]
    if copied != version:
        raise StorageError(f"the copy has schema version {copied}, not {version}")
    copied_counts = _row_counts(copy)
    differ = sorted(n for n, c in copied_counts.items() if counts.get(n) != c)
    if differ or len(copied_counts) != len(counts):
        raise StorageError(f"the copy's row counts differ: {', '.join(differ) or 'tables'}")
