"""Archive statistics: articles per week or month, per section and per rule, the on-topic
share, crawl health over time, and the archive's size and growth (``monitor.growth``); a
sparkline, and a chart for those who install matplotlib.

The archive counts (``Archive.stats_figures``, SQL in ``monitor.archive.stats``); this module
turns the counts into a report: every period between the first and the last is listed, the
empty ones as zeros (a gap is news: the crawler stopped, or the site did), with totals and
shares. The report is plain JSON-ready data; ``monitor stats`` prints it as tables or JSON.

matplotlib is an optional extra (``pip install '.[plot]'``), imported only by ``plot``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from monitor import growth
from monitor.archive import Archive, ArticleFilter, Period
from monitor.errors import InputError

SPARK_LEVELS = "▁▂▃▄▅▆▇█"
TOP_SECTIONS = 10
CRAWL_HEALTH_COLUMNS = (  # per period: runs by outcome, articles, errors
    "runs", "ok", "failed", "timeout", "interrupted", "new", "http_errors", "fetch_errors",
    "quarantined",
)  # fmt: skip


def sparkline(values: Sequence[float]) -> str:
    """One character per value: a space for zero (a gap shows), else one of eight bars,
    ``▁`` for the smallest values up to ``█`` for the largest; "" for no values."""
    peak = max(values, default=0)
    levels = len(SPARK_LEVELS)
    return "".join(
        SPARK_LEVELS[max(math.ceil(value / peak * levels) - 1, 0)] if value > 0 else " "
        for value in values
    )


def period_keys(first: str, last: str, by: Period) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive: months ``2025-06``, or weeks named
    by their Monday ``2025-06-16``."""
    if by == "month":
        year, month = map(int, first.split("-"))
        keys = []
        while (key := f"{year:04d}-{month:02d}") <= last:
            keys.append(key)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys
    monday, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(monday + timedelta(weeks=n)).isoformat() for n in range((end - monday).days // 7 + 1)]


def fill_periods(
    rows: Sequence[Mapping[str, Any]], by: Period, figures: Sequence[str]
) -> list[dict[str, Any]]:
    """``rows`` (each with a ``period``) with the missing periods between added as zeros."""
    if not rows:
        return []
    known = {row["period"]: row for row in rows}
    keys = period_keys(rows[0]["period"], rows[-1]["period"], by)
    return [
        {"period": key, **{name: int(known.get(key, {}).get(name) or 0) for name in figures}}
        for key in keys
    ]


def report(archive: Archive, by: Period, filters: ArticleFilter | None = None) -> dict[str, Any]:
    """Every figure ``monitor stats`` shows, as JSON-ready data, for the articles ``filters``
    select (all by default)."""
    filters = filters or ArticleFilter()
    figures = archive.runs.stats_figures(by, filters, top=TOP_SECTIONS)
    periods = fill_periods(figures.periods, by, ("articles", "on_topic"))
    articles = sum(period["articles"] for period in periods)
    on_topic = sum(period["on_topic"] for period in periods)
    return {
        "by": by,
        "since": filters.since.isoformat() if filters.since else None,
        "articles": articles,
        "periods": periods,
        "sparkline": sparkline([period["articles"] for period in periods]),
        "on_topic": {
            "articles": on_topic,
            "share": round(on_topic / articles, 4) if articles else 0.0,
            "sparkline": sparkline([period["on_topic"] for period in periods]),
        },
        "sections": list(figures.sections),
        "section_count": figures.section_count,
        "rules": list(figures.rules),
        "crawl_health": fill_periods(figures.runs, by, CRAWL_HEALTH_COLUMNS),
        "growth": growth.measure(archive, archive.clock.now()).to_dict(),
    }


def plot(stats: Mapping[str, Any], path: Path) -> None:
    """Draw articles and on-topic articles per period as bars into a PNG at ``path``."""
    try:
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        raise InputError(
            "--plot needs matplotlib, an optional extra: pip install '.[plot]'"
        ) from None
    periods = stats["periods"]
    labels = [period["period"] for period in periods]
    positions = range(len(periods))
    figure = Figure(figsize=(11, 5), layout="constrained")
    axes = figure.add_subplot()
    axes.bar(positions, [p["articles"] for p in periods], color="#9ecae1", label="articles")
    axes.bar(positions, [p["on_topic"] for p in periods], color="#08519c", label="on-topic")
    step = max(1, len(labels) // 24)  # at most about 24 labels under the axis
    axes.set_xticks(list(positions)[::step], labels[::step], rotation=45, ha="right")
    share = stats["on_topic"]["share"]
    axes.set_title(
        f"Articles per {stats['by']}: {stats['articles']:,} archived, "
        f"{stats['on_topic']['articles']:,} on-topic ({share:.1%})"
    )
    axes.set_ylabel("articles")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.4)
    axes.legend()
    try:
        figure.savefig(path, format="png", dpi=110)
    except OSError as error:
        raise InputError(f"--plot: cannot write {path}: {error.strerror or error}") from None
