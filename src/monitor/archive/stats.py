"""Figures for ``monitor stats``: articles per period, section and rule; crawl runs per period.

Periods are calendar months (``2025-06``) or ISO weeks named by their Monday (``2025-06-16``),
in Vietnam time: ``published_at`` and ``started_at`` are stored at +07:00, so their first ten
characters are the local day. Only periods that have rows are returned; ``monitor.stats``
fills the gaps. Reparse runs are not crawls and are left out of the run figures.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlite_utils import Database

from monitor.archive.filters import ArticleFilter, where
from monitor.archive.rows import StatsFigures

Period = Literal["week", "month"]


def period_of(column: str, by: Period) -> str:
    """SQL naming the period of an archive timestamp column (its month, or its week's Monday)."""
    if by == "month":
        return f"substr({column}, 1, 7)"
    return f"date(substr({column}, 1, 10), 'weekday 0', '-6 days')"


def stats_figures(db: Database, by: Period, filters: ArticleFilter, top: int) -> StatsFigures:
    """Every figure at once: periods, sections (the ``top`` largest), sections (how many),
    rules and runs; the articles are those ``filters`` select, the runs those started in its
    date range (section, rule and on-topic flag do not apply to runs)."""
    clause, args = where(filters)
    return StatsFigures(
        periods=_rows(
            db,
            f"SELECT {period_of('a.published_at', by)} AS period, COUNT(*) AS articles,"
            f" SUM(a.on_topic) AS on_topic FROM articles a {clause}"
            " GROUP BY period ORDER BY period",
            args,
        ),
        sections=_rows(
            db,
            f"SELECT a.section, COUNT(*) AS articles FROM articles a {clause}"
            " GROUP BY a.section ORDER BY articles DESC, a.section LIMIT ?",
            [*args, top],
        ),
        section_count=db.execute(
            f"SELECT COUNT(DISTINCT a.section) FROM articles a {clause}", args
        ).fetchone()[0],
        rules=_rows(
            db,
            "SELECT m.rule, COUNT(DISTINCT m.article_id) AS articles FROM matches m"
            f" JOIN articles a USING (article_id) {clause}"
            " GROUP BY m.rule ORDER BY articles DESC, m.rule",
            args,
        ),
        runs=_rows(db, _RUNS.format(period=period_of("started_at", by)), _run_window(filters)),
    )


def _run_window(filters: ArticleFilter) -> list[str]:
    """The filter's date range as the bounds of ``started_at`` (open ends: "" and "~")."""
    start, before = filters.window()
    return [start or "", before or "~"]


_RUNS = """
SELECT {period} AS period, COUNT(*) AS runs,
    SUM(outcome = 'ok') AS ok, SUM(outcome = 'failed') AS failed,
    SUM(outcome = 'timeout') AS timeout, SUM(outcome = 'interrupted') AS interrupted,
    SUM(new) AS new, SUM(http_errors) AS http_errors, SUM(fetch_errors) AS fetch_errors,
    SUM(quarantined) AS quarantined
FROM crawl_runs WHERE mode != 'reparse' AND started_at >= ? AND started_at < ?
GROUP BY period ORDER BY period
"""


def _rows(db: Database, sql: str, parameters: list[Any]) -> tuple[dict[str, Any], ...]:
    cursor = db.execute(sql, parameters)
    names = [column[0] for column in cursor.description]
    return tuple(dict(zip(names, row, strict=True)) for row in cursor)
