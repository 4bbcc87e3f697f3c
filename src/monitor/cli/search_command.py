"""``monitor search``: ranked, Vietnamese-aware search of the archive."""

from __future__ import annotations

import csv
import io
import json
import shlex
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


class QueryCommand(click.Command):
    """A command whose QUERY may start with '-' (an exclusion: ``-chuyen``, ``-"công an"``).

    Click reads such a word as an option it does not know. Here a word with one leading dash
    that names none of the command's options is the query: it is moved after a ``--``, where
    click takes it as the argument, wherever it stood among the options. A word with two
    dashes is still an option: a mistyped one (``--limt``) is an error naming the right one,
    an unknown one (``--chuyen``) an error saying how to search for it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, dashed_query_last(args, self.option_arity(ctx)))
        except click.NoSuchOption as error:
            if error.possibilities:  # a mistyped option: click names the right one
                raise
            message = " ".join(error.format_message().split()).rstrip(".")
            example = f"monitor search -- {shlex.quote(error.option_name)}"
            hint = f"put -- before a query that starts with '-' ({example})"
            raise click.UsageError(f"{message}: {hint}", ctx) from None

    def option_arity(self, ctx: click.Context) -> dict[str, bool]:
        """Each option name of the command (``--help`` too): whether it takes a value."""
        return {
            name: not (param.is_flag or param.count)
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }


def dashed_query_last(args: list[str], options: dict[str, bool]) -> list[str]:
    """``args`` with every word that starts with one '-' and is neither an option in
    ``options`` (name → takes a value) nor an option's value moved after a ``--`` (the one in
    ``args``, before the words after it, or one added at the end)."""
    kept: list[str] = []
    queries: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            return [*kept, "--", *queries, *args[index + 1 :]]
        name, has_value = arg.split("=", 1)[0], "=" in arg
        if name in options:
            takes_value = options[name] and not has_value and index + 1 < len(args)
            kept += args[index : index + 2] if takes_value else [arg]
            index += 1 if takes_value else 0
        elif arg.startswith("-") and not arg.startswith("--") and arg != "-":
            queries.append(arg)
        else:
            kept.append(arg)
        index += 1
    return [*kept, "--", *queries] if queries else kept


@click.command("search", cls=QueryCommand)
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
    exact (đang does not find Đảng). Matches are shown «like this». A query may start with
    -term; one starting with -- goes after a -- of its own.

    \b
    Examples:
      monitor search "dan van kheo" --since 2025-03-01
      monitor search '"Thủ Đức" OR "thu duc" -"giao thông"'
      monitor search '-"giao thông", Thủ Đức' --limit 5
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
        when = hit.published_at[: 10 if hit.published_precision == "day" else 16]
        when = when.replace("T", " ")
        title = textwrap.fill(f"{number:>2}. {hit.title}", WIDTH, subsequent_indent=INDENT)
        snippet = textwrap.fill(
            hit.snippet, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT
        )  # fmt: skip
        blocks.append(f"{title}\n{INDENT}{when}  {hit.section}\n{INDENT}{hit.url}\n{snippet}")
    return "\n\n".join(blocks)
