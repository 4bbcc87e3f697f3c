"""Figures for ``monitor stats``: articles per period, section and rule; crawl runs per period.

Periods are calendar months (``2025-06``) or ISO weeks named by their Monday (``2025-06-16``),
in Vietnam time: ``published_at`` and ``started_at`` are stored at +07:00, so their first ten
characters are the local day. Only periods that have rows are returned; ``monitor.stats``
fills the gaps. Reparse runs are not crawls and are left out of the run figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from sqlite_utils import Database

from monitor.archive.selection import day_start

Period = Literal["week", "month"]


def period_of(column: str, by: Period) -> str:
    """SQL naming the period of an archive timestamp column (its month, or its week's Monday)."""
    if by == "month":
        return f"substr({column}, 1, 7)"
    return f"date(substr({column}, 1, 10), 'weekday 0', '-6 days')"


def stats_figures(db: Database, by: Period, since: date | None, top: int) -> dict[str, Any]:
    """Every figure at once: periods, sections (the ``top`` largest), sections (how many),
    rules and runs; ``since`` keeps articles published, and runs started, on or after it."""
    start = day_start(since) if since else ""
    return {
        "periods": _rows(
            db,
            f"SELECT {period_of('published_at', by)} AS period, COUNT(*) AS articles,"
            " SUM(on_topic) AS on_topic FROM articles WHERE published_at >= ?"
            " GROUP BY period ORDER BY period",
            (start,),
        ),
        "sections": _rows(
            db,
            "SELECT section, COUNT(*) AS articles FROM articles WHERE published_at >= ?"
            " GROUP BY section ORDER BY articles DESC, section LIMIT ?",
            (start, top),
        ),
        "section_count": db.execute(
            "SELECT COUNT(DISTINCT section) FROM articles WHERE published_at >= ?", (start,)
        ).fetchone()[0],
        "rules": _rows(
            db,
            "SELECT m.rule, COUNT(DISTINCT m.article_id) AS articles FROM matches m"
            " JOIN articles a USING (article_id) WHERE a.published_at >= ?"
            " GROUP BY m.rule ORDER BY articles DESC, m.rule",
            (start,),
        ),
        "runs": _rows(db, _RUNS.format(period=period_of("started_at", by)), (start,)),
    }


_RUNS = """
SELECT {period} AS period, COUNT(*) AS runs,
    SUM(outcome = 'ok') AS ok, SUM(outcome = 'failed') AS failed,
    SUM(outcome = 'timeout') AS timeout, SUM(outcome = 'interrupted') AS interrupted,
    SUM(new) AS new, SUM(http_errors) AS http_errors, SUM(fetch_errors) AS fetch_errors,
    SUM(quarantined) AS quarantined
FROM crawl_runs WHERE mode != 'reparse' AND started_at >= ?
GROUP BY period ORDER BY period
"""


def _rows(db: Database, sql: str, parameters: tuple[Any, ...]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, parameters)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
