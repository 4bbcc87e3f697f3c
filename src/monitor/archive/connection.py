"""Opening the archive file: create it private, check it, configure the connection, migrate.

Read-write (the default)::

    a directory, or a non-empty file of less than a page? refuse
    ─► parent directories created ─► file created with mode 0600 (if missing)
    ─► connect ─► busy_timeout 10 s, foreign_keys ON ─► readable as SQLite? ─► journal_mode WAL
    (SQLite itself refuses a non-empty file without its header, before anything is written)
    ─► schema newer than this code? refuse
    ─► older? a verified copy kept beside it (``premigration``) ─► pending migrations applied

Read-only (``mode=ro``, plus ``query_only``): the file must exist and already be at the
current schema version (else: run ``monitor migrate``); nothing is created, migrated or written.
Every way of migrating an archive goes through here, so none skips the copy.

Every failure is a ``StorageError`` whose one-line message names the path.

The file is never opened here except through SQLite: closing any other descriptor of it would
drop every POSIX lock this process holds on it — those of an archive already open in the same
process included — and another process closing its connection would then take itself for the
last one and delete the write-ahead log under the open archive (which corrupted the daemon's
archive: ``tests/test_archive.py::test_opening_an_open_archive_again_keeps_its_locks``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from monitor.archive.diskfull import full_error, is_disk_full
from monitor.archive.migrations import (
    SCHEMA_VERSION,
    SEARCH_INDEX_REBUILT,
    migrate,
    schema_version,
)
from monitor.archive.premigration import PremigrationCopy, keep_premigration_copy
from monitor.errors import StorageError

BUSY_TIMEOUT_MS = 10_000
SMALLEST_DATABASE = 512  # bytes: one page of the smallest page size (an empty file is fine)
FILE_MODE = 0o600
log = logging.getLogger("monitor.archive")
MIGRATE_HINT = "run 'monitor migrate' to upgrade it"


@dataclass(frozen=True)
class Upgrade:
    """What opening an archive migrated: from and to which schema version, the migrations this
    process applied, the copy kept first (``None`` for a new archive) and how long it took."""

    before: int
    after: int
    applied: tuple[int, ...]
    copy: PremigrationCopy | None
    seconds: float


def open_database(path: Path, *, readonly: bool) -> Database:
    """Return a configured, migrated connection to the archive at ``path``."""
    return connect_archive(path, readonly=readonly)[0]


def connect_archive(path: Path, *, readonly: bool) -> tuple[Database, Upgrade | None]:
    """A configured, migrated connection to the archive at ``path``, and what was migrated
    (``None``: it was at the current schema version already)."""
    _check_path(path, readonly=readonly)
    if not readonly:
        _create_file(path)
    try:
        connection = _connect(path, readonly=readonly)
    except sqlite3.Error as error:
        raise _open_error(path, str(error)) from None
    db = Database(connection, execute_plugins=False)
    try:
        _configure(db, readonly=readonly)
        upgrade = _bring_up_to_date(db, path, readonly=readonly)
    except sqlite3.DatabaseError as error:
        db.close()
        if is_disk_full(error, path):
            raise full_error("open the archive", path) from None
        raise _open_error(path, _describe(error)) from None
    except BaseException:
        db.close()
        raise
    return db, upgrade


def _open_error(path: Path, reason: str) -> StorageError:
    return StorageError(f"cannot open archive {path}: {reason}", path=str(path))


def _describe(error: sqlite3.DatabaseError) -> str:
    if "not a database" in str(error):
        return "not an SQLite database"
    return str(error)


def _check_path(path: Path, *, readonly: bool) -> None:
    if path.is_dir():
        raise _open_error(path, "it is a directory")
    if readonly and not path.exists():
        raise _open_error(path, "no such file (a read-only archive is never created)")
    if path.is_file() and 0 < path.stat().st_size < SMALLEST_DATABASE:
        # SQLite takes a one-byte file for an empty database, and would overwrite it
        raise _open_error(path, "not an SQLite database")


def _create_file(path: Path) -> None:
    """Create the parent directories and an empty file readable by its owner only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _open_error(path, f"cannot create its directory: {error.strerror}") from None
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return  # an existing archive keeps its mode
    except OSError as error:
        raise _open_error(path, error.strerror or str(error)) from None
    try:
        os.fchmod(descriptor, FILE_MODE)  # exactly 0600, whatever the umask
    finally:
        os.close(descriptor)


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; the archive opens its own (transaction.py).
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None)
    return sqlite3.connect(path, isolation_level=None)


def _configure(db: Database, *, readonly: bool) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # fails unless SQLite
    if readonly:
        db.execute("PRAGMA query_only = ON")
    else:
        db.enable_wal()


def schema_version_of(path: Path) -> int:
    """The schema version of the archive at ``path``, read without migrating or writing; an
    archive newer than this code is a ``StorageError``, as when opening it."""
    _check_path(path, readonly=True)
    try:
        with closing(_connect(path, readonly=True)) as connection:
            version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise _open_error(path, _describe(error)) from None
    _refuse_newer(path, version)
    return version


def _refuse_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise _open_error(
            path, f"schema version {version} is newer than this program's ({SCHEMA_VERSION})"
        )


def _bring_up_to_date(db: Database, path: Path, *, readonly: bool) -> Upgrade | None:
    version = schema_version(db)
    _refuse_newer(path, version)
    if version == SCHEMA_VERSION:
        return None
    if readonly:
        raise _open_error(
            path, f"schema version {version}, {SCHEMA_VERSION} needed: {MIGRATE_HINT}"
        )
    started = time.monotonic()
    copy = None
    if version:  # an existing archive: keep it as it is, and say why this may take a while
        copy = keep_premigration_copy(path, target=SCHEMA_VERSION)
        _announce(path, version, copy)
    applied = tuple(migrate(db))
    after = schema_version(db)
    return Upgrade(version, after, applied, copy, time.monotonic() - started)


def _announce(path: Path, version: int, copy: PremigrationCopy) -> None:
    slow = (
        " (rebuilding the search index: a minute or more per 20,000 articles, progress logged)"
        if version < SEARCH_INDEX_REBUILT
        else ""
    )
    log.warning(
        "archive %s: schema version %d, migrating to %d%s; a verified copy of it as it was"
        " is kept at %s",
        path,
        version,
        SCHEMA_VERSION,
        slow,
        copy.path,
    )
