"""``monitor profile learn``: the site profile re-learned from pages, as an overlay file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import click

from monitor.archive import Archive
from monitor.cli.context import AppContext
from monitor.cli.parse_command import read_page_file
from monitor.errors import ExtractionError, FetchError, InputError
from monitor.fetch_one import fetch_one
from monitor.learn.evidence import SamplePage
from monitor.learn.listing import ListingSample
from monitor.learn.overlay import report_line
from monitor.learn.profile import LearnResult, learn_profile
from monitor.parse.document import decode_html, load_document
from monitor.parse.metadata import read_metadata
from monitor.urls import parse_article_url

EXIT_NOT_LEARNED = 1


@click.group("profile")
def profile_group() -> None:
    """The site profile: re-learn its selectors from pages whose values are known.

    \b
    Example:
      monitor profile learn --from-archive --output config/learned-profile.toml
    """


@profile_group.command("learn")
@click.argument("sources", nargs=-1)
@click.option("--from-archive", is_flag=True, help="Learn from the newest archived pages.")
@click.option(
    "--max-pages",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Archived article pages to learn from.",
)
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The TOML overlay to write.",
)
@click.pass_obj
def learn_command(
    app: AppContext, sources: tuple[str, ...], from_archive: bool, max_pages: int, output: Path
) -> None:
    """Induce the profile's selectors (title, date, lead, body, author, photos and captions,
    tags, boxes to strip; a listing's container, item links and next page) from sample pages
    where other evidence says what the values are: structured metadata, what the feed, sitemap
    or listing said of the article, the generic extractor's body. Only selectors that hold on
    the samples are kept; the report says on how many pages each was confirmed. SOURCES are
    article or listing pages, by URL (fetched once, politely) or saved file (its address is
    read from its rel=canonical or og:url).

    Include the overlay from your config (include = ["FILE"]) and run `monitor reparse` to
    rebuild the archive's records with it. Exit 1 when no title, body or date selector held.

    \b
    Examples:
      monitor profile learn --from-archive --output config/learned-profile.toml
      monitor profile learn --from-archive https://congan.com.vn/tin-chinh \\
        https://congan.com.vn/tin-chinh/trang-2.html --output learned.toml
    """
    if not sources and not from_archive:
        raise InputError("nothing to learn from: give pages (URL or FILE) or --from-archive")
    config = app.config
    articles: list[SamplePage] = []
    if from_archive:
        articles += _archived(app, max_pages)
    listings: list[ListingSample] = []
    for source in sources:
        sample = _sample(source, app)
        if isinstance(sample, SamplePage):
            articles.append(sample)
        else:
            listings.append(sample)
    hosts = (*config.profile.hosts, urlsplit(config.site.base_url).netloc.lower())
    described = _described(articles, listings)
    result = learn_profile(articles, listings, config.profile, hosts, sources=described)
    _write(output, result.overlay)
    _report(result, described, output)
    if not result.reads_articles:
        raise SystemExit(EXIT_NOT_LEARNED)


def _archived(app: AppContext, limit: int) -> list[SamplePage]:
    with Archive.open(app.archive_path(), readonly=True) as archive:
        pages = archive.articles.latest_raw_pages(limit)
        if not pages:
            raise InputError(f"the archive {app.config.database.path} holds no page to learn from")
        return [
            SamplePage(page.url, page.html, archive.articles.discovery_hint(page.article_id))
            for page in pages
        ]


def _sample(source: str, app: AppContext) -> SamplePage | ListingSample:
    if urlsplit(source).scheme in ("http", "https"):
        try:
            fetched = fetch_one(source, app.config.crawl)
        except FetchError as error:
            raise InputError(error.message) from None
        url, html = fetched.url, fetched.body
    else:
        html = read_page_file(Path(source))
        url = _declared_url(html, source)
    if parse_article_url(url, app.config.profile) is not None:
        return SamplePage(url, html)
    return ListingSample(url, html)


def _declared_url(html: bytes, source: str) -> str:
    try:
        metadata = read_metadata(load_document(decode_html(html)[0], source))
    except ExtractionError as error:
        raise InputError(f"{source}: {error.message}") from None
    if not metadata.canonical:
        raise InputError(f"{source}: no rel=canonical or og:url says the page's address")
    return metadata.canonical


def _described(articles: list[SamplePage], listings: list[ListingSample]) -> str:
    return f"{len(articles)} article pages and {len(listings)} listing pages"


def _write(output: Path, text: str) -> None:
    """Written whole or not at all."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, output)


def _report(result: LearnResult, described: str, output: Path) -> None:
    click.echo(f"learned from {described}:")
    for item in result.verified:
        click.echo(f"  {report_line(item)}")
    for line in result.skipped:
        click.echo(f"  skipped {line}")
    click.echo(
        f'wrote {output}: add include = ["{output.name}"] to your config (beside it), '
        "then run `monitor reparse`"
    )
