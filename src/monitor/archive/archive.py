"""``Archive``: the one object through which the monitor reads and writes its database, and
its repositories (``repo_*.py``: articles, alerts, runs, state, index), which share its one
connection and transaction helpers (``session``).

Each method is one transaction: a write method opens ``BEGIN IMMEDIATE`` and commits only when
everything it had to write is written (``store_article``: raw page, article or quarantine row,
tags, images, history, the FTS rows and the run's figure), so a crash or an error leaves the
database as it was before the call. ``batch`` makes several calls one transaction (a bulk
job's batch with its checkpoint): the calls inside it join it, and it commits once — or not at
all, when any of them failed. Any SQLite failure becomes a ``StorageError`` naming the path
and the operation. The SQL itself lives in the sibling modules, one per table family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlite_utils import Database

from monitor.archive import (
    articles,
    fts,
    verify,
)
from monitor.archive.connection import Upgrade, connect_archive
from monitor.archive.migrations import schema_version
from monitor.archive.raw_store import Recompressed, Training
from monitor.archive.repo_alerts import AlertRepository
from monitor.archive.repo_articles import ArticleRepository
from monitor.archive.repo_index import SearchRepository
from monitor.archive.repo_raw import RawStoreRepository
from monitor.archive.repo_runs import RunRepository
from monitor.archive.repo_state import StateRepository
from monitor.archive.rows import (
    ArchiveSettings,
)
from monitor.archive.session import Session
from monitor.clock import SYSTEM_CLOCK, Clock


@dataclass(frozen=True)
class MaintenanceReport:
    """What ``Archive.maintain`` did: the raw pages' dictionary training and recompression,
    the dictionaries dropped, whether it went to the end (FTS optimize and VACUUM), and the
    database's size in bytes before and after (``after`` is 0 when it stopped early)."""

    training: Training
    recompressed: Recompressed
    dropped: tuple[int, ...] = ()
    finished: bool = True
    before: int = 0
    after: int = 0


class Archive:
    """An open archive file. Create it with ``Archive.open``; use it as a context manager.

    Its repositories share its one connection and transaction helpers: ``articles``,
    ``alerts``, ``runs``, ``state`` (HTTP cache and crawl state), ``index`` (search) and
    ``raw`` (the raw pages' dictionaries and recompression)."""

    def __init__(
        self,
        db: Database,
        path: Path,
        *,
        readonly: bool,
        clock: Clock = SYSTEM_CLOCK,
        upgrade: Upgrade | None = None,
    ) -> None:
        self._session = Session(db, path, readonly=readonly, clock=clock)
        self._db = db
        self.path = path
        self.readonly = readonly
        self.clock = clock
        self.upgrade = upgrade  # what opening it migrated (None: nothing)
        self.articles = ArticleRepository(self._session)
        self.alerts = AlertRepository(self._session)
        self.runs = RunRepository(self._session)
        self.state = StateRepository(self._session)
        self.index = SearchRepository(self._session)
        self.raw = RawStoreRepository(self._session)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, clock: Clock = SYSTEM_CLOCK) -> Self:
        """Open (creating and migrating unless ``readonly``) the archive at ``path``; the
        times it writes itself (run starts, retries due, state updates) are ``clock``'s. An
        archive at an older schema version is first copied beside itself (``premigration``);
        ``upgrade`` then says what was migrated."""
        path = Path(path)
        db, upgrade = connect_archive(path, readonly=readonly)
        return cls(db, path, readonly=readonly, clock=clock, upgrade=upgrade)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def batch(self, what: str) -> Iterator[None]:
        """Make every write inside the block one transaction, committed at its end — or none
        of them, when the block raises or a write inside it failed: a bulk job stores a batch
        of results and its checkpoint together, and pays for one commit instead of one per
        result."""
        with self._session.writing(what):
            yield

    def settings(self) -> ArchiveSettings:
        """The connection's settings: journal_mode, foreign_keys, busy_timeout, schema_version."""
        with self._session.reading("read settings"):
            pragma = {
                name: self._db.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
            return ArchiveSettings(**pragma, schema_version=schema_version(self._db))

    def counts(self) -> dict[str, int]:
        """Row counts: articles, quarantined, versions, runs, raw_pages."""
        with self._session.reading("count rows"):
            return articles.counts(self._db)

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` and each FTS index's ``integrity-check`` find wrong,
        one line each; empty when the archive is sound. FTS5 runs its check as an INSERT that
        writes nothing, so this needs an archive open read-write."""
        with self._session.writing("check the archive's integrity"):
            return verify.integrity_check(self._db) + fts.integrity_problems(self._db)

    def maintain(self, *, stop: Callable[[], bool] = lambda: False) -> MaintenanceReport:
        """The weekly upkeep, in order: train a dictionary for raw pages when due, pack the
        pages not yet packed, drop unused dictionaries (see ``raw_store``); then optimize the
        FTS indexes, let SQLite refresh its statistics, and VACUUM (which gives the space the
        recompression freed back to the file system). ``stop()`` is asked between steps and
        recompression batches: when it says so, the rest is left for the next run."""
        before = self.size()
        training = Training("stopped") if stop() else self.raw.train_dictionary()
        recompressed = self.raw.recompress(stop=stop)
        dropped = tuple(self.raw.drop_unused_dictionaries())
        if stop():
            return MaintenanceReport(training, recompressed, dropped, False, before)
        with self._session.writing("optimize the search indexes"):
            fts.optimize(self._db)
        with self._session.reading("vacuum the archive"):
            self._db.execute("PRAGMA optimize")
            self._db.execute("VACUUM")
        return MaintenanceReport(training, recompressed, dropped, True, before, self.size())

    def size(self) -> int:
        """The database's size in bytes (its pages, not counting the WAL)."""
        with self._session.reading("read the archive's size"):
            pages: int = self._db.execute("PRAGMA page_count").fetchone()[0]
            size: int = self._db.execute("PRAGMA page_size").fetchone()[0]
            return pages * size
