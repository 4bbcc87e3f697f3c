"""Crawl runs, their figures and entry-point yields; per-period stats.

One of the archive's repositories (see ``monitor.archive.archive``): its methods share the
archive's connection and transaction helpers (``session``); each is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from monitor.archive import (
    discovery,
    runs,
)
from monitor.archive.discovery import EntryYield
from monitor.archive.filters import ArticleFilter
from monitor.archive.rows import (
    CoverageDay,
    EntryYieldSummary,
    Run,
    StatsFigures,
)
from monitor.archive.runs import RunMode, RunOutcome
from monitor.archive.session import Repository
from monitor.archive.stats import Period, stats_figures
from monitor.archive.timestamps import to_archive_time


class RunRepository(Repository):
    """Crawl runs, their figures and entry-point yields; per-period stats."""

    def start_run(self, mode: RunMode) -> int:
        """Record a run as 'running'; returns its id."""
        with self._writing(f"start a {mode} run"):
            return runs.start_run(self._db, mode, self._now())

    def finish_run(
        self, run_id: int, outcome: RunOutcome, reason: str | None = None, **figures: int
    ) -> None:
        """Close the run: final ``outcome``, optional ``reason``; ``figures`` are set."""
        with self._writing(f"finish run {run_id}"):
            runs.finish_run(self._db, run_id, outcome, reason, figures, self._now())

    def add_run_figures(self, run_id: int, **increments: int) -> None:
        """Add to the run's figures (``requests=1, bytes=5120``…)."""
        with self._writing(f"update run {run_id}"):
            runs.add_figures(self._db, run_id, increments)

    def last_runs(self, n: int) -> list[Run]:
        """The ``n`` most recent runs, newest first."""
        with self._reading("read runs"):
            return runs.last_runs(self._db, n)

    def get_run(self, run_id: int) -> Run | None:
        """The run of that id, with its figures."""
        with self._reading(f"read run {run_id}"):
            return runs.get_run(self._db, run_id)

    def mark_interrupted_runs(self) -> int:
        """Mark runs left 'running' as 'interrupted'; returns how many.

        Call it only when no other process can be crawling into this archive.
        """
        with self._writing("mark interrupted runs"):
            return runs.mark_interrupted(self._db, self._now())

    def record_entry_yields(self, run_id: int, yields: Iterable[EntryYield]) -> None:
        """What each entry point gave in run ``run_id`` (see ``discovery``)."""
        with self._writing(f"record the entry points of run {run_id}"):
            discovery.record_yields(self._db, run_id, list(yields))

    def entry_yields_since(self, since_iso: str) -> list[EntryYieldSummary]:
        """Per entry point over the normal runs since ``since_iso``: entry, kind, runs, links,
        new, last_status; most new articles first."""
        since = to_archive_time(since_iso, name="since_iso")
        with self._reading("read the entry points' yields"):
            return discovery.yields_since(self._db, since)

    def entry_statuses(self, runs: int) -> dict[str, list[int | None]]:
        """Each entry point's first-page status in its last ``runs`` runs, newest first."""
        with self._reading("read the entry points' statuses"):
            return discovery.recent_statuses(self._db, runs)

    def id_coverage(self, since: date) -> list[CoverageDay]:
        """Per publication day since ``since``, newest first: day, ids, first_id, last_id,
        span — ids archived against the span of the site's id sequence they cover."""
        with self._reading("read the id coverage"):
            return discovery.id_coverage(self._db, since.isoformat())

    def stats_figures(
        self, by: Period, filters: ArticleFilter | None = None, top: int = 10
    ) -> StatsFigures:
        """Articles ``filters`` select per period, section (``top``) and rule; crawl runs per
        period in its date range (``stats``)."""
        with self._reading("read statistics"):
            return stats_figures(self._db, by, filters or ArticleFilter(), top)
