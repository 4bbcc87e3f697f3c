"""``monitor export``: stream archived articles as CSV or JSON Lines to a file or stdout."""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from monitor.archive import Archive, ArticleFilter
from monitor.archive.rows import SelectedArticle
from monitor.cli.context import AppContext
from monitor.cli.options import filter_options
from monitor.errors import InputError
from monitor.export import WRITERS, ExportFormat


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl"]), required=True, help="Output format."
)
@filter_options
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE (CSV with a UTF-8 BOM, for Excel) instead of stdout.",
)
@click.pass_obj
def export_command(
    app: AppContext, /, fmt: ExportFormat, output: Path | None, filters: ArticleFilter
) -> None:
    """Export archived articles, oldest first, in constant memory.

    Columns: article_id, url, section, title, lead, body, published_at, author, tags,
    on_topic, rules (those that matched), first_seen_at. CSV joins tags and rules with "; ";
    JSONL gives them as lists. Dates are YYYY-MM-DD, Vietnam time, both ends included.

    \b
    Examples:
      monitor export --format csv --since 2025-01-01 --output articles.csv
      monitor export --format jsonl --rule dan-van --on-topic | jq -r .title
    """
    with Archive.open(app.archive_path(), readonly=True) as archive:
        articles: Iterable[SelectedArticle] = archive.articles.iter_articles(filters)
        if sys.stderr.isatty():
            articles = Progress(archive.articles.count_articles(filters)).wrap(articles)
        with _destination(output, bom=fmt == "csv") as out:
            count = WRITERS[fmt](articles, out)
    where = f" to {output}" if output else ""
    click.echo(f"exported {count} articles ({fmt}){where}", err=True)


@contextmanager
def _destination(output: Path | None, *, bom: bool) -> Iterator[TextIO]:
    """A UTF-8 text stream (``newline=""``): stdout, or FILE written whole or not at all
    (into FILE.part, renamed when done); CSV files start with a BOM."""
    if output is None:
        with _stdout() as out:
            yield out
        return
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            yield out
        partial.replace(output)
    except OSError as error:
        raise InputError(f"cannot write {output}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _stdout() -> Iterator[TextIO]:
    """stdout as UTF-8 whatever the locale, no BOM; a reader that stops early (``| head``)
    ends the export quietly."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
        out.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing more reaches the closed pipe
        sys.exit(0)
    finally:
        out.detach()


class Progress:
    """ "exported N of TOTAL" on stderr, rewritten in place at most five times a second."""

    INTERVAL = 0.2

    def __init__(self, total: int) -> None:
        self.total = total
        self.shown_at = 0.0

    def wrap(self, articles: Iterable[SelectedArticle]) -> Iterator[SelectedArticle]:
        done = 0
        for done, article in enumerate(articles, start=1):
            yield article
            if time.monotonic() - self.shown_at >= self.INTERVAL:
                self._show(done)
        self._show(done)
        click.echo(err=True)

    def _show(self, done: int) -> None:
        self.shown_at = time.monotonic()
        share = done / self.total if self.total else 1.0
        click.echo(
            f"\rexported {done:,} of {self.total:,} articles ({share:.0%})", nl=False, err=True
        )
