"""The fallback path on real article pages of other Vietnamese news sites (tests/golden/foreign,
read by hand): with a profile that knows nothing of their markup, each field is the one the
page shows, or absent — never a plausible wrong value (a publisher as byline, a day without
its time, the header's date, a footer line as body)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from monitor.config import SiteProfile
from monitor.parse import parse_article
from monitor.record import ArticleRecord

from golden_pages import GoldenPage, foreign_pages, foreign_profile

PAGES = foreign_pages()
SCALARS = ("title", "published_at", "published_precision", "author", "lead")


def parsed(page: GoldenPage, profile: SiteProfile) -> ArticleRecord:
    url = page.expected["url"]
    return parse_article(page.html, url, foreign_profile(profile, url))


def test_there_are_pages_of_at_least_five_sites() -> None:
    sites = {urlsplit(page.expected["url"]).netloc for page in PAGES}
    assert len(PAGES) >= 10 and len(sites) >= 5


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
@pytest.mark.parametrize("name", SCALARS)
def test_field_is_right_or_absent(page: GoldenPage, profile: SiteProfile, name: str) -> None:
    value = getattr(parsed(page, profile), name)
    assert value in (page.expected[name], None), value


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_fallback_path_finds_title_date_and_lead(
    page: GoldenPage, profile: SiteProfile
) -> None:
    record = parsed(page, profile)
    assert (record.title, record.published_at, record.lead) == (
        page.expected["title"], page.expected["published_at"], page.expected["lead"],
    )  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_body_runs_from_its_first_to_its_last_paragraph(
    page: GoldenPage, profile: SiteProfile
) -> None:
    paragraphs = (parsed(page, profile).body or "").split("\n\n")
    assert paragraphs[0] == page.expected["body_first"]
    assert paragraphs[-1] == page.expected["body_last"]


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_a_publisher_is_never_the_author(page: GoldenPage, profile: SiteProfile) -> None:
    record = parsed(page, profile)
    publisher = page.expected["meta"]["meta_author"]
    assert record.author == page.expected["author"] or record.author is None
    if publisher and record.author is None:
        assert any("names an organisation" in problem for problem in record.problems)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_tags_read_from_tag_links_are_the_ones_shown(
    page: GoldenPage, profile: SiteProfile
) -> None:
    """Tags from the page's own tag links are the tag box's; keywords from metadata are the
    site's own (often lower-cased, or with sections added) and are not judged here."""
    record = parsed(page, profile)
    if record.extraction.get("tags") == "generic":
        assert list(record.tags) == page.expected["tags"]


def test_a_site_with_tag_pages_has_its_tags_read(profile: SiteProfile) -> None:
    page = next(page for page in PAGES if page.name == "baodautu-1")
    record = parsed(page, profile)
    assert (list(record.tags), record.extraction["tags"]) == (page.expected["tags"], "generic")


_DATE_METADATA = (
    re.compile(rb"<script[^>]*application/ld\+json[^>]*>.*?</script>", re.S | re.I),
    re.compile(rb"<meta[^>]*(?:published|pubdate|datepublished|modified)[^>]*>", re.I),
)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_visible_dateline_alone_gives_the_minute(
    page: GoldenPage, profile: SiteProfile
) -> None:
    """Without JSON-LD or date meta tags, the dateline the page shows is read to the minute
    (the header's "today" date never)."""
    html = page.html
    for pattern in _DATE_METADATA:
        html = pattern.sub(b"", html)
    record = parse_article(
        html, page.expected["url"], foreign_profile(profile, page.expected["url"])
    )
    assert (record.published_at, record.published_precision) == (
        page.expected["published_at"], page.expected["published_precision"],
    )  # fmt: skip
    assert record.extraction["published_at"] == "generic"
