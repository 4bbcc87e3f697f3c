"""monitor.ingest: a fetched page is parsed and archived in one step; broken pages are
quarantined with the reason, never dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.archive import Archive
from monitor.config import SiteProfile
from monitor.ingest import FetchedPage, ingest_page

from golden_pages import golden_pages

PAGE = golden_pages()[0]
WHEN = "2025-06-23T12:00:00+07:00"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        yield opened


def fetched(body: bytes, url: str = PAGE.expected["url"]) -> FetchedPage:
    return FetchedPage(url, body, "text/html; charset=utf-8", 200, WHEN)


def test_complete_page_is_archived_as_new(archive: Archive, profile: SiteProfile) -> None:
    assert ingest_page(archive, profile, fetched(PAGE.html)) == "new"
    stored = archive.articles.get_article(PAGE.expected["article_id"])
    assert stored is not None and stored.title == PAGE.expected["title"]


def test_same_page_again_is_unchanged(archive: Archive, profile: SiteProfile) -> None:
    ingest_page(archive, profile, fetched(PAGE.html))
    assert ingest_page(archive, profile, fetched(PAGE.html)) == "unchanged"


def test_page_without_body_is_quarantined(archive: Archive, profile: SiteProfile) -> None:
    page = b"<html><body><h1>Only a title</h1></body></html>"
    assert ingest_page(archive, profile, fetched(page)) == "quarantined"
    assert archive.articles.get_article(PAGE.expected["article_id"]) is None


def test_non_html_article_page_is_quarantined(archive: Archive, profile: SiteProfile) -> None:
    assert ingest_page(archive, profile, fetched(b"")) == "quarantined"
    assert archive.articles.known_ids([PAGE.expected["article_id"]]) == {
        PAGE.expected["article_id"]
    }


def test_non_article_url_is_skipped(archive: Archive, profile: SiteProfile) -> None:
    page = fetched(b"", url="https://congan.com.vn/tin-chinh")
    assert ingest_page(archive, profile, page) is None
    assert archive.counts()["raw_pages"] == 0
