"""``monitor search``: ranked, Vietnamese-aware search of the archive."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from dataclasses import asdict

import click

from monitor.archive import Archive, ArticleFilter
from monitor.cli.context import AppContext
from monitor.cli.options import filter_options
from monitor.search.engine import SearchHit, search_archive

WIDTH = 100
INDENT = "    "
CSV_COLUMNS = ("article_id", "published_at", "section", "title", "url", "score", "snippet")


@click.command("search")
@click.argument("query")
@filter_options
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="At most N."
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for reading; json (a list); csv (header row, UTF-8 without BOM).",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.pass_obj
def search_command(
    app: AppContext, /, query: str, limit: int, output: str, as_json: bool, filters: ArticleFilter
) -> None:
    """Search the archive, best matches first (title counts most, then lead, then body).

    Words typed together are one phrase ("dân vận" never means "dân" here and "vận" there);
    separate terms with commas or quotes; OR between terms; -term or -"phrase" excludes. A term
    typed without diacritics ignores them (thu duc finds Thủ Đức); a term with diacritics is
    exact (đang does not find Đảng). Matches are shown «like this».

    \b
    Examples:
      monitor search "dan van kheo" --since 2025-03-01
      monitor search '"Thủ Đức" OR "thu duc" -"giao thông"'
      monitor search "công an, ma túy" --section vu-an --limit 50 --format csv > ket-qua.csv
    """
    with Archive.open(app.archive_path(), readonly=True) as archive:
        hits = search_archive(archive, query, filters, limit=limit + 1)
    cut = len(hits) > limit
    hits = hits[:limit]
    output = "json" if as_json else output
    if output == "json":
        click.echo(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2))
    elif output == "csv":
        click.echo(csv_text(hits), nl=False)
    else:
        click.echo(table(hits) if hits else f"no article matches {query!r}")
    if cut:
        click.echo(f"showing the best {limit}; more articles match (use --limit)", err=True)


def csv_text(hits: list[SearchHit]) -> str:
    """A header row, then one row per hit (the snippet with its «match»)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        writer.writerow([getattr(hit, column) for column in CSV_COLUMNS])
    return buffer.getvalue()


def table(hits: list[SearchHit]) -> str:
    """One block per hit, at most ``WIDTH`` columns wide (but for long URLs): number and
    title; published time and section; URL; the snippet."""
    blocks = []
    for number, hit in enumerate(hits, 1):
        when = hit.published_at[:16].replace("T", " ")
        title = textwrap.fill(f"{number:>2}. {hit.title}", WIDTH, subsequent_indent=INDENT)
        snippet = textwrap.fill(
            hit.snippet, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT
        )  # fmt: skip
        blocks.append(f"{title}\n{INDENT}{when}  {hit.section}\n{INDENT}{hit.url}\n{snippet}")
    return "\n\n".join(blocks)
