"""Crawl runs: one row per crawl (``normal``, ``backfill`` or ``reparse``) with its figures.

Life of a run::

    start_run(mode) ──► outcome 'running' ──► finish_run(outcome ∈ ok|failed|timeout)
                            │   add_figures(…) any number of times; store_article bumps
                            │   new / updated / unchanged / quarantined itself
                            └── process dies ──► mark_interrupted() ──► 'interrupted'

The figures (``rows.RunFigures``, names in ``RUN_FIGURES``) are integer columns that start
at 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

from sqlite_utils import Database

from monitor.archive.rows import RUN_FIGURES, Run
from monitor.errors import StorageError

RunMode = Literal["normal", "backfill", "reparse"]
RunOutcome = Literal["running", "ok", "failed", "interrupted", "timeout"]

FINAL_OUTCOMES = tuple(outcome for outcome in get_args(RunOutcome) if outcome != "running")
INTERRUPTED_REASON = "the process ended before finishing the run"


def add_entry_figures(db: Database) -> None:
    """Migration 4: the entry-page figures, so health checks can tell "nothing listed" from
    "nothing changed" (a 304 lists nothing and is fine)."""
    for name in ("entry_pages", "not_modified"):
        db.execute(f"ALTER TABLE crawl_runs ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0")


def add_fallbacks_figure(db: Database) -> None:
    """Migration 9: the records that needed a fallback, for the crawl summary and health."""
    db.execute("ALTER TABLE crawl_runs ADD COLUMN fallbacks INTEGER NOT NULL DEFAULT 0")


def start_run(db: Database, mode: RunMode, now: str) -> int:
    """Record a new run as 'running' (started ``now``) and return its id."""
    if mode not in get_args(RunMode):
        raise StorageError(f"unknown crawl run mode {mode!r}", mode=mode)
    cursor = db.execute("INSERT INTO crawl_runs (mode, started_at) VALUES (?, ?)", (mode, now))
    run_id = cursor.lastrowid
    assert run_id is not None  # an INSERT into a rowid table always sets it
    return run_id


def finish_run(
    db: Database,
    run_id: int,
    outcome: RunOutcome,
    reason: str | None,
    figures: Mapping[str, int],
    now: str,
) -> None:
    """Close the run ``now`` with a final outcome; ``figures`` set (not add to) those columns."""
    if outcome not in FINAL_OUTCOMES:
        raise StorageError(f"not a final run outcome: {outcome!r}", run_id=run_id)
    names = _checked(figures)
    assignments = "".join(f", {name} = ?" for name in names)
    _update_run(
        db,
        run_id,
        f"UPDATE crawl_runs SET finished_at = ?, outcome = ?, reason = ?{assignments}"
        " WHERE run_id = ?",
        (now, outcome, reason, *(figures[name] for name in names), run_id),
    )


def add_figures(db: Database, run_id: int, increments: Mapping[str, int]) -> None:
    """Add ``increments`` to the run's figures."""
    names = _checked(increments)
    if not names:
        return
    assignments = ", ".join(f"{name} = {name} + ?" for name in names)
    _update_run(
        db,
        run_id,
        f"UPDATE crawl_runs SET {assignments} WHERE run_id = ?",
        (*(increments[name] for name in names), run_id),
    )


def last_runs(db: Database, n: int) -> list[Run]:
    """The ``n`` most recent runs, newest first."""
    rows = db.query("SELECT * FROM crawl_runs ORDER BY run_id DESC LIMIT ?", (n,))
    return [Run.from_row(row) for row in rows]


def get_run(db: Database, run_id: int) -> Run | None:
    rows = list(db.query("SELECT * FROM crawl_runs WHERE run_id = ?", (run_id,)))
    return Run.from_row(rows[0]) if rows else None


def mark_interrupted(db: Database, now: str) -> int:
    """Turn every 'running' run into 'interrupted' (finished ``now``); returns how many."""
    cursor = db.execute(
        "UPDATE crawl_runs SET outcome = 'interrupted', finished_at = ?,"
        " reason = COALESCE(reason, ?) WHERE outcome = 'running'",
        (now, INTERRUPTED_REASON),
    )
    return cursor.rowcount


def _checked(figures: Mapping[str, int]) -> list[str]:
    """The figure names, in ``RUN_FIGURES`` order, after checking each is one (and an int)."""
    for name, value in figures.items():
        if name not in RUN_FIGURES:
            raise StorageError(f"unknown crawl run figure {name!r}", figure=name)
        if not isinstance(value, int):
            raise StorageError(f"crawl run figure {name} is not an integer: {value!r}")
    return [name for name in RUN_FIGURES if name in figures]


def _update_run(db: Database, run_id: int, sql: str, parameters: tuple[Any, ...]) -> None:
    if db.execute(sql, parameters).rowcount != 1:
        raise StorageError(f"no crawl run {run_id}", run_id=run_id)
