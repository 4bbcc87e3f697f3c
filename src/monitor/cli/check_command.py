"""``monitor check URL|FILE``: one page diagnosed against the site profile."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from monitor.check import CheckReport, check_page
from monitor.cli.context import AppContext
from monitor.cli.parse_command import read_page_file
from monitor.errors import ExtractionError, FetchError, InputError
from monitor.fetch_one import fetch_one

EXIT_FALLBACKS = 1


@click.command("check")
@click.argument("source")
@click.option("--url", help="The page's URL, when SOURCE is a saved file.")
@click.option("--json", "as_json", is_flag=True, help="Print the diagnosis as JSON.")
@click.pass_obj
def check_command(app: AppContext, source: str, url: str | None, as_json: bool) -> None:
    """Diagnose a page against the site profile: what kind of page it is, each field's value,
    the layer and selector that produced it, and what the profile missed and why.

    SOURCE is a URL (fetched once, politely: robots.txt, the configured User-Agent) or a saved
    file (give its address with --url). Exit 0 when the profile alone found an article's title,
    body and date (a listing's main list, a feed's items); 1 when fallbacks were needed; 2 for
    unusable input.

    \b
    Examples:
      monitor check https://congan.com.vn/tin-chinh/cong-an-tphcm-tang-cuong_179591.html
      monitor check saved.html --url https://congan.com.vn/tin-chinh/x_179591.html --json
      monitor check https://congan.com.vn/tin-chinh
    """
    config = app.config
    page, address, content_type = _load(source, url, app)
    hosts = (*config.profile.hosts, urlsplit(address).netloc.lower())
    try:
        report = check_page(
            page,
            address,
            config.profile,
            hosts,
            content_type=content_type,
            max_bytes=config.crawl.max_response_bytes,
        )
    except ExtractionError as error:
        raise InputError(f"{source}: {error.message}") from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(report)
    if not report.profile_ok:
        sys.exit(EXIT_FALLBACKS)


def _load(source: str, url: str | None, app: AppContext) -> tuple[bytes, str, str | None]:
    if urlsplit(source).scheme in ("http", "https"):
        try:
            fetched = fetch_one(source, app.config.crawl)
        except FetchError as error:
            raise InputError(error.message) from None
        return fetched.body, fetched.url, fetched.content_type
    address = url or app.config.site.base_url + "/"
    return read_page_file(Path(source)), address, None


def _print(report: CheckReport) -> None:
    click.echo(f"{report.kind}: {report.url}")
    if report.kind == "article":
        _print_fields(report)
    else:
        _print_links(report)
    for problem in report.problems:
        click.echo(f"  problem: {problem}")
    click.echo(_verdict(report))


def _print_fields(report: CheckReport) -> None:
    width = max(len(field.name) for field in report.fields)
    for field in report.fields:
        where = f"from {field.layer}: {field.how}" if field.layer else "not found"
        click.echo(f"  {field.name:<{width}}  {field.value or '—'}")
        click.echo(f"  {'':<{width}}    {where}")
        if field.profile_missed:
            click.echo(f"  {'':<{width}}    profile: {field.profile_missed}")


def _print_links(report: CheckReport) -> None:
    if report.scoped is not None:
        scope = "the main list" if report.scoped else "the whole page (fallback)"
        click.echo(f"  article links: {report.link_count}, from {scope}")
    else:
        click.echo(f"  article links: {report.link_count}")
    for link in report.links:
        click.echo(f"    {link}")
    if report.link_count > len(report.links):
        click.echo(f"    … and {report.link_count - len(report.links)} more")
    if report.kind == "listing":
        click.echo(f"  next page: {report.next_page or '—'}")
    for child in report.children:
        click.echo(f"  sitemap: {child}")


def _verdict(report: CheckReport) -> str:
    if report.profile_ok:
        return "ok: the site profile alone reads this page"
    if report.kind == "article":
        missing = [f.name for f in report.fields if f.profile_missed and f.name in _REQUIRED]
        return (
            f"fallbacks needed: the profile missed {', '.join(missing)}; "
            "`monitor profile learn` can re-learn it from archived pages"
        )
    return "fallbacks needed: see the problems above"


_REQUIRED = ("title", "body", "published_at")
