"""Copies of the archive taken while it is in use, and setting it aside before a restore.

A copy goes through SQLite's online backup API — never a file copy, which could catch a page
half-written or miss what is still in the write-ahead log::

    source: BEGIN; read the schema version and every table's row count  (the snapshot)
    ─► backup API, ``STEP_PAGES`` pages a step, inside that same read transaction: the copy is
       the snapshot, whatever the daemon commits meanwhile (WAL readers never block writers,
       and a read transaction held across the steps keeps SQLite from restarting the copy)
    ─► COMMIT ─► the copy: rollback journal (one self-contained file), fsync
    ─► verified: ``PRAGMA integrity_check``, the schema version and every row count equal
       to the snapshot's — else the copy is deleted and a ``DamagedError`` says what differed

``copy_verified(source, dest)`` is the whole of it, for any caller that needs a safe copy
before touching an archive (``monitor backup``, a pre-migration copy).

``set_aside(path, aside)``: before a restore, the current archive is checkpointed into its
main file, switched to a rollback journal (so that no ``-wal``/``-shm`` is left beside it), and
renamed — kept, never deleted. An archive too damaged to checkpoint is moved with its
``-wal``/``-shm`` as a set, under the same new name, so SQLite still reads them together.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from monitor.clock import SYSTEM_CLOCK, Clock, now_iso
from monitor.errors import BackupError, DamagedError

STEP_PAGES = 4096  # pages copied per backup step (16 MiB at 4 KiB pages): progress between
BUSY_TIMEOUT_S = 10.0
FILE_MODE = 0o600
COMPANIONS = ("-wal", "-shm", "-journal")  # the files SQLite may keep beside a database
Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class BackupInfo:
    """A verified copy: where, of what, when (the snapshot's time, the archive's form), its
    schema version, the row count of every table, and its size in bytes."""

    path: str
    source: str
    created_at: str
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    size: int = 0


def copy_verified(
    source: str | Path,
    dest: str | Path,
    *,
    clock: Clock = SYSTEM_CLOCK,
    progress: Progress | None = None,
) -> BackupInfo:
    """Copy the database at ``source`` (in use or not) to the new file ``dest`` (mode 0600)
    and verify the copy against the moment it was taken; a ``BackupError`` (``DamagedError``
    when the copy differs) otherwise, and ``dest`` is removed."""
    source, dest = Path(source), Path(dest)
    _create_private(dest)
    try:
        version, counts, created = _copy(source, dest, clock, progress)
        _check_copy(dest, version, counts)
        fsync_path(dest)
    except BaseException:
        for leftover in (dest, *(dest.with_name(dest.name + end) for end in COMPANIONS)):
            leftover.unlink(missing_ok=True)  # a failed copy leaves its journal too
        raise
    return BackupInfo(str(dest), str(source), created, version, counts, size=dest.stat().st_size)


def _copy(
    source: Path, dest: Path, clock: Clock, progress: Progress | None
) -> tuple[int, dict[str, int], str]:
    """The snapshot's schema version, row counts and time; ``dest`` holds its pages."""
    with closing(connect(source, must_exist=True)) as src:
        try:
            src.execute("BEGIN")
            version, counts = snapshot(src)  # the first read fixes the snapshot
            created = now_iso(clock)
            with closing(sqlite3.connect(dest, isolation_level=None)) as dst:

                def step(status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress(total - remaining, total)

                src.backup(dst, pages=STEP_PAGES, progress=step)
            src.execute("COMMIT")
        except sqlite3.OperationalError as error:  # locked, I/O, disk full
            raise BackupError(f"cannot copy archive {source}: {error}", path=str(source)) from None
        except sqlite3.DatabaseError as error:  # corrupt
            message = f"cannot copy archive {source}: {error}"
            raise DamagedError(message, path=str(source), problems=[str(error)]) from None
    return version, counts, created


def connect(path: Path, *, must_exist: bool = False) -> sqlite3.Connection:
    """A plain connection to ``path`` (no migration, nothing written by opening it); a
    ``BackupError`` when there is no such file or it is not SQLite."""
    if must_exist and not path.is_file():
        raise BackupError(f"no archive at {path}", path=str(path))
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as error:
        raise BackupError(f"cannot read {path}: {error}", path=str(path)) from None
    except sqlite3.DatabaseError as error:  # not SQLite, or corrupt
        message = f"cannot read {path}: {error}"
        raise DamagedError(message, path=str(path), problems=[message]) from None
    return connection


def snapshot(connection: sqlite3.Connection) -> tuple[int, dict[str, int]]:
    """The schema version and the row count of every ordinary table (FTS5's shadow tables
    included, SQLite's own excepted), in the connection's current transaction."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    counts = {
        name: int(connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
        for name in tables
    }
    return version, counts


def integrity_lines(connection: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong, one line each (empty: nothing). SQLite may
    give many lines in one row, under a ``*** in database main ***`` heading."""
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return []
    return [line for row in rows for line in row.splitlines() if not line.startswith("***")]


def _check_copy(dest: Path, version: int, counts: dict[str, int]) -> None:
    """The copy as one file (rollback journal), sound, and equal to the snapshot."""
    try:
        with closing(connect(dest)) as copy:
            copy.execute("PRAGMA journal_mode = DELETE")
            found = integrity_lines(copy)
            copied_version, copied_counts = snapshot(copy)
    except sqlite3.DatabaseError as error:
        message = f"the copy {dest} is damaged: {error}"
        raise DamagedError(message, path=str(dest), problems=[str(error)]) from None
    problems = found[:3]
    if copied_version != version:
        problems.append(f"schema version {copied_version}, the archive's is {version}")
    problems += [
        f"{table}: {copied_counts.get(table)} rows, the archive had {rows}"
        for table, rows in counts.items()
        if copied_counts.get(table) != rows
    ]
    if problems:
        raise DamagedError(
            f"the copy {dest} is not the archive's: {problems[0]}",
            path=str(dest),
            problems=problems,
        )


def set_aside(path: Path, aside: Path) -> None:
    """Move the archive at ``path`` to ``aside`` with what its write-ahead log holds; a
    ``BackupError`` when another process has it open (nothing is moved then)."""
    try:
        with closing(sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)) as db:
            busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if busy or str(mode).lower() != "delete":
            raise _in_use(path)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise _in_use(path) from None
        # too damaged to checkpoint: its files move together below, still a readable set
    except sqlite3.DatabaseError:
        pass  # as above
    os.rename(path, aside)
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.rename(companion, aside.with_name(aside.name + suffix))
    fsync_path(path.parent)


def _in_use(path: Path) -> BackupError:
    return BackupError(
        f"archive {path} is in use by another process (a crawl, `monitor serve`?): stop it first",
        path=str(path),
    )


def _create_private(path: Path) -> None:
    """A new empty file readable by its owner only; a ``BackupError`` if it exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise BackupError(f"{path} exists already: not overwritten", path=str(path)) from None
    except OSError as error:
        raise BackupError(f"cannot create {path}: {error.strerror}", path=str(path)) from None
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)


def fsync_path(path: Path) -> None:
    """Make a file's bytes, or a directory's renames, durable."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
