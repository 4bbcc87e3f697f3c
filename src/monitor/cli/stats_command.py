"""``monitor stats``: the archive in figures — per period, section and rule; crawl health."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from monitor import growth, stats
from monitor.archive import Archive, ArticleFilter, Period
from monitor.cli.context import AppContext
from monitor.cli.options import filter_options

_HEALTH_COLUMNS = (  # (heading, key)
    ("runs", "runs"),
    ("ok", "ok"),
    ("failed", "failed"),
    ("timeout", "timeout"),
    ("interrupted", "interrupted"),
    ("new", "new"),
    ("HTTP errors", "http_errors"),
    ("fetch errors", "fetch_errors"),
    ("quarantined", "quarantined"),
)


@click.command("stats")
@click.option(
    "--by",
    type=click.Choice(["week", "month"]),
    default="month",
    show_default=True,
    help="Count per calendar month, or per ISO week (named by its Monday).",
)
@filter_options
@click.option(
    "--plot",
    "plot_path",
    metavar="FILE.png",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also draw articles and on-topic articles per period (needs the 'plot' extra).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_obj
def stats_command(
    app: AppContext, by: Period, plot_path: Path | None, as_json: bool, filters: ArticleFilter
) -> None:
    """Articles per week or month (with a sparkline), per section (top 10) and per rule; the
    on-topic share; crawl health per period (runs ok / failed / timeout, HTTP errors,
    quarantined pages); the archive's size, its growth a month and the free space left. The
    filters select the articles counted; the runs counted are those
    started in the --since/--until range.

    \b
    Examples:
      monitor stats
      monitor stats --by week --since 2025-01-01 --plot weekly.png
      monitor stats --json | jq .on_topic
    """
    with Archive.open(app.archive_path(), readonly=True) as archive:
        figures = stats.report(archive, by, filters)
    if plot_path is not None:
        stats.plot(figures, plot_path)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(render(figures)))
    if plot_path is not None:
        click.echo(f"chart written to {plot_path}", err=True)


def render(figures: Mapping[str, Any]) -> list[str]:
    """The report as terminal tables."""
    by, periods = figures["by"], figures["periods"]
    if not periods:
        return ["no articles archived" + (f" since {figures['since']}" if figures["since"] else "")]
    on_topic = figures["on_topic"]
    lines = [
        f"Articles per {by}, {periods[0]['period']} to {periods[-1]['period']}: "
        f"{figures['articles']:,} articles",
        f"  all       {figures['sparkline']}",
        f"  on-topic  {on_topic['sparkline']}",
        "",
        *table((by, "articles", "on-topic"), [_period_row(p) for p in periods]),
        "",
        f"On topic: {on_topic['articles']:,} of {figures['articles']:,} articles "
        f"({on_topic['share']:.1%})",
    ]
    top = f"top {len(figures['sections'])} of {figures['section_count']}"
    sections = [(s["section"], s["articles"]) for s in figures["sections"]]
    lines += ["", f"Sections ({top})", *table(("section", "articles"), sections)]
    rules = [(r["rule"], r["articles"]) for r in figures["rules"]]
    lines += ["", "Rules (articles matched)", *(table(("rule", "articles"), rules) or ["none"])]
    archive = growth.describe(growth.Growth.from_dict(figures["growth"]))
    health = _health(figures["crawl_health"], by)
    return [*lines, "", f"Crawl health per {by}", *health, "", f"Archive: {archive}"]


def _period_row(period: Mapping[str, Any]) -> tuple[object, ...]:
    return period["period"], period["articles"], period["on_topic"]


def _health(runs: Sequence[Mapping[str, Any]], by: str) -> list[str]:
    if not runs:
        return ["no crawl runs"]
    headings = (by, *(heading for heading, _ in _HEALTH_COLUMNS))
    rows = [(run["period"], *(run[key] for _, key in _HEALTH_COLUMNS)) for run in runs]
    return table(headings, rows)


def table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """An aligned plain-text table: text left-aligned, numbers right-aligned; [] for no rows."""
    if not rows:
        return []
    cells = [[str(value) for value in row] for row in rows]
    widths = [
        max(len(heading), *(len(row[n]) for row in cells)) for n, heading in enumerate(headings)
    ]
    numeric = [all(isinstance(row[n], int) for row in rows) for n in range(len(headings))]

    def line(values: Sequence[str]) -> str:
        padded = (
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        )
        return "  ".join(padded).rstrip()

    return [line(headings), line(["-" * width for width in widths]), *map(line, cells)]
