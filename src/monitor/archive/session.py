"""The archive's one connection and its transaction helpers, shared by every repository.

A write runs in ``BEGIN IMMEDIATE`` and commits only when all of it is written; a write inside
another (``Archive.batch``) joins the outer one, which alone commits — and never does once a
write inside it failed, even if its caller went on. Any SQLite failure becomes a
``StorageError`` naming the archive's path and the operation — an ``ArchiveFullError`` when the
disk is full, whose message says that nothing stored before is lost (the failed write was
rolled back) and what to do.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlite_utils import Database

from monitor.archive.diskfull import full_error, is_disk_full
from monitor.archive.transaction import write_transaction
from monitor.clock import Clock, now_iso
from monitor.errors import StorageError


class Session:
    """An open connection, whether it may write, and the clock for the times it writes."""

    def __init__(self, db: Database, path: Path, *, readonly: bool, clock: Clock) -> None:
        self.db = db
        self.path = path
        self.readonly = readonly
        self.clock = clock
        self.depth = 0  # writes open: 0 outside any, 1 in a transaction, more inside a batch
        self.failed: str | None = None  # a write inside the open transaction that failed

    def now(self) -> str:
        return now_iso(self.clock)

    @contextmanager
    def writing(self, what: str) -> Iterator[None]:
        if self.readonly:
            raise StorageError(
                f"cannot {what}: archive {self.path} is open read-only", path=str(self.path)
            )
        if self.depth:
            with self._joined(what):
                yield
            return
        self.depth, self.failed = 1, None
        try:
            with write_transaction(self.db):
                yield
                self._refuse_failed(what)
        except (sqlite3.Error, json.JSONDecodeError) as error:
            raise self.error(what, error) from error
        finally:
            self.depth = 0

    @contextmanager
    def _joined(self, what: str) -> Iterator[None]:
        """A write inside the open transaction: a failure marks the whole transaction."""
        self.depth += 1
        try:
            yield
        except (sqlite3.Error, json.JSONDecodeError) as error:
            self.failed = what
            raise self.error(what, error) from error
        except BaseException:
            self.failed = what
            raise
        finally:
            self.depth -= 1

    def _refuse_failed(self, what: str) -> None:
        """A write inside the transaction failed and its caller went on: commit nothing."""
        if self.failed is not None:
            raise StorageError(
                f"cannot {what} in archive {self.path}: {self.failed} failed inside it",
                path=str(self.path),
            )

    @contextmanager
    def reading(self, what: str) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, json.JSONDecodeError) as error:
            raise self.error(what, error) from error

    def error(self, what: str, error: Exception) -> StorageError:
        if is_disk_full(error, self.path):
            return full_error(what, self.path)
        return StorageError(f"cannot {what} in archive {self.path}: {error}", path=str(self.path))


class Repository:
    """A family of the archive's tables, read and written through the shared session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._db = session.db
        self.path = session.path

    @property
    def clock(self) -> Clock:
        return self._session.clock

    def _now(self) -> str:
        return self._session.now()

    def _writing(self, what: str) -> AbstractContextManager[None]:
        return self._session.writing(what)

    def _reading(self, what: str) -> AbstractContextManager[None]:
        return self._session.reading(what)
