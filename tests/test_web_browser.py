"""The web view in a real browser: headless Chromium, driven over the Chrome DevTools Protocol
(``browser_support``), against ``monitor serve`` on an archive filled by the real crawl of the
replica."""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from test_web import DAN_VAN_IDS, parse_atom

from monitor.text import fold

from browser_support import CHROMIUM, Page, browser_page
from crawl_support import database_of
from web_support import WebServer, filled_archive

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run"
        " the browser tests",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_archive(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def web(config: Path) -> Iterator[WebServer]:
    server = WebServer(config)
    yield server
    assert server.stop() == 0


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    with browser_page(tmp_path / "profile") as tab:
        yield tab


def article_row(config: Path, article_id: int) -> tuple[str, str]:
    with closing(sqlite3.connect(database_of(config))) as db:
        row: tuple[str, str] = db.execute(
            "SELECT title, body FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row


def section_ids(config: Path, section: str) -> set[int]:
    with closing(sqlite3.connect(database_of(config))) as db:
        rows = db.execute("SELECT article_id FROM articles WHERE section = ?", (section,))
        return {article_id for (article_id,) in rows}


def search_dan_van(page: Page, web: WebServer) -> None:
    """Type ``dan van`` in the search box and press Enter, as an analyst does."""
    page.goto(f"{web.url}/archive/search")
    assert page.texts("li.result") == []  # nothing typed yet, nothing found
    page.evaluate("document.querySelector('input[name=q]').focus()")
    page.send("Input.insertText", text="dan van")
    page.expect()
    page.press_enter()
    page.wait_for("Page.loadEventFired")


def test_search_form_finds_and_marks_dan_van(page: Page, web: WebServer, tmp_path: Path) -> None:
    search_dan_van(page, web)
    query = urllib.parse.urlsplit(page.evaluate("location.href")).query
    assert urllib.parse.parse_qs(query)["q"] == ["dan van"]
    ids = page.evaluate(
        "[...document.querySelectorAll('li.result')].map(li => li.dataset.articleId)"
    )
    assert {int(i) for i in ids} >= DAN_VAN_IDS
    marks = page.texts("li.result mark")
    assert "dân vận" in {mark.casefold() for mark in marks}
    assert {fold(mark) for mark in marks} == {"dan van"}  # nothing the search did not match
    assert page.screenshot(tmp_path / "search.png").startswith(b"\x89PNG")


def test_a_result_opens_the_article_page(page: Page, web: WebServer, config: Path) -> None:
    search_dan_van(page, web)
    first = int(page.evaluate("document.querySelector('li.result').dataset.articleId"))
    page.expect()
    page.click("li.result a.result-title")
    page.wait_for("Page.loadEventFired")
    assert urllib.parse.urlsplit(page.evaluate("location.href")).path == (
        f"/archive/article/{first}"
    )
    title, body = article_row(config, first)
    assert page.texts("h1.title") == [title]
    paragraphs = page.texts(".body p")
    assert paragraphs and " ".join(paragraphs[0].split()) == " ".join(body.split("\n\n")[0].split())
    assert page.texts("mark.query")


def test_a_post_from_the_browser_is_refused(page: Page, web: WebServer) -> None:
    page.goto(f"{web.url}/archive/search")
    for path in ("/archive/search", "/archive/articles_view", "/archive"):
        status = page.evaluate(
            f"fetch({path!r}, {{method: 'POST', body: 'q=x'}}).then(r => r.status)"
        )
        assert status in {403, 405}, path


def test_clicking_a_section_facet_filters_the_rows(
    page: Page, web: WebServer, config: Path
) -> None:
    page.goto(f"{web.url}/archive/articles_view")
    assert len(set(page.column("section"))) > 1
    page.expect()
    page.click("#facet-section a[href$='section=quoc-te']")
    page.wait_for("Page.loadEventFired")
    assert "section=quoc-te" in page.evaluate("location.href")
    assert set(page.column("section")) == {"quoc-te"}
    shown = {int(text) for text in page.column("article_id")}
    assert shown == section_ids(config, "quoc-te")


def test_atom_feed_fetched_by_the_browser_is_valid(page: Page, web: WebServer) -> None:
    page.goto(f"{web.url}/archive/matches_per_rule")
    assert "dan-van" in page.column("rule")
    feed = page.evaluate("fetch('/archive/rule_feed.atom?rule=dan-van').then(r => r.text())")
    entries = parse_atom(feed.encode()).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) >= len(DAN_VAN_IDS)
