"""monitor.web.feeds: each rule's Atom feed, served by the real Datasette of ``monitor serve``
(in-process, through its own HTTP client) over an archive of the golden pages matched with the
shipped rules, and read by feedparser and lxml as feed readers and RFC 4287 require."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import pytest
from lxml import etree
from test_archive_support import record, store

from monitor.archive import Archive
from monitor.config import Config
from monitor.config.schema import Rule
from monitor.ingest import FetchedPage, ingest_page
from monitor.match import Matcher
from monitor.match.apply import match_new_articles
from monitor.web.serve import build_datasette

from golden_pages import golden_pages

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://congan.com.vn"
WHEN = "2025-06-23T12:00:00+07:00"
UNMATCHED = "chua-khop"  # configured, never matched
# bylined nowhere, no lead, control characters in its text: the feed must still be valid
BARE = record(7, title="Phong trào\x0b dân vận khéo", lead=None, author=None, body="Dân vận\x01.")


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    path = tmp_path_factory.mktemp("feeds") / "archive.db"
    with Archive.open(path) as archive:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, WHEN)
            ingest_page(archive, config.profile, fetched)
        store(archive, BARE)
        match_new_articles(archive, config.rules, Matcher(config.rules))
    return path


@pytest.fixture(scope="module")
def rules(config: Config) -> tuple[Rule, ...]:
    unmatched = Rule(name=UNMATCHED, keywords=("xyzzy",), channels=config.rules[0].channels)
    return (*config.rules, unmatched)


@pytest.fixture(scope="module")
def datasette(archive_path: Path, rules: tuple[Rule, ...]) -> Iterator[Any]:
    served = build_datasette(archive_path, allow_sql=False, rules=rules, site_url=SITE)
    yield served
    served.get_database("archive").close()


def get(datasette: Any, path: str) -> Any:
    """The response of the real Datasette app to ``GET path``."""

    async def fetch() -> Any:
        await datasette.invoke_startup()
        return await datasette.client.get(path)

    return asyncio.run(fetch())


def feed_of(datasette: Any, rule: str) -> Any:
    return get(datasette, f"/archive/rule_feed.atom?rule={quote(rule)}")


def matched_urls(path: Path, rule: str) -> list[str]:
    """The rule's articles, newest match first, as the feed must list them."""
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "SELECT a.canonical_url FROM matches AS m JOIN articles AS a USING (article_id)"
            " WHERE m.rule = ? GROUP BY a.article_id"
            " ORDER BY MAX(m.matched_at) DESC, a.published_at DESC, a.article_id DESC",
            (rule,),
        )
        return [url for (url,) in rows]


def test_the_feed_is_served_as_atom(datasette: Any) -> None:
    response = feed_of(datasette, "dan-van")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"


def test_every_rule_feed_reads_cleanly_in_feedparser(
    datasette: Any, rules: tuple[Rule, ...]
) -> None:
    for rule in (rule.name for rule in rules):
        parsed = feedparser.parse(feed_of(datasette, rule).content)
        assert parsed.bozo == 0, (rule, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert rule in parsed.feed.title


def _required(element: Any, *names: str) -> None:
    for name in names:
        assert (element.findtext(f"{ATOM}{name}") or "").strip(), (element.tag, name)


def test_every_rule_feed_has_what_rfc_4287_requires(
    datasette: Any, rules: tuple[Rule, ...]
) -> None:
    for rule in (rule.name for rule in rules):
        feed = etree.fromstring(feed_of(datasette, rule).content)
        assert feed.tag == f"{ATOM}feed"
        _required(feed, "id", "title", "updated")
        assert (feed.findtext(f"{ATOM}author/{ATOM}name") or "").strip()  # covers every entry
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert (links["self"] or "").endswith(f"/archive/rule_feed.atom?rule={rule}")
        assert "/archive/articles_view?" in (links["alternate"] or "")
        for entry in feed.findall(f"{ATOM}entry"):
            _required(entry, "id", "title", "updated", "published", "summary")
            link = entry.find(f"{ATOM}link")
            assert link is not None
            assert (link.get("href") or "").startswith(SITE)


def test_the_feed_lists_the_rule_matches_newest_first(datasette: Any, archive_path: Path) -> None:
    parsed = feedparser.parse(feed_of(datasette, "dan-van").content)
    expected = matched_urls(archive_path, "dan-van")
    assert expected and [entry.link for entry in parsed.entries] == expected
    assert [entry.id for entry in parsed.entries] == expected  # ids: the articles' URLs


def test_an_entry_without_byline_or_lead_gets_the_feed_author_and_body(datasette: Any) -> None:
    parsed = feedparser.parse(feed_of(datasette, "dan-van").content)
    [bare] = [entry for entry in parsed.entries if entry.link == BARE.canonical_url]
    assert bare.title == "Phong trào dân vận khéo"  # the control character dropped
    assert bare.summary == "Dân vận."
    assert "author" not in bare and parsed.feed.author == "congan.com.vn"  # the feed's covers it


def test_a_configured_rule_without_matches_has_an_empty_feed(datasette: Any) -> None:
    response = feed_of(datasette, UNMATCHED)
    assert response.status_code == 200
    assert feedparser.parse(response.content).entries == []


def test_a_matched_rule_no_longer_configured_keeps_its_feed(archive_path: Path) -> None:
    served = build_datasette(archive_path, allow_sql=False)
    try:
        assert feed_of(served, "dan-van").status_code == 200
    finally:
        served.get_database("archive").close()


def test_an_unknown_rule_is_not_found(datasette: Any) -> None:
    response = feed_of(datasette, "no-such-rule")
    assert response.status_code == 404
    assert "no-such-rule" in response.text


@pytest.mark.parametrize("query", ["", "?rule=", "?rule=%20%20", "?other=dan-van"])
def test_a_missing_or_empty_rule_is_a_bad_request(datasette: Any, query: str) -> None:
    response = get(datasette, f"/archive/rule_feed.atom{query}")
    assert response.status_code == 400
    assert "rule=NAME" in response.text


@pytest.mark.parametrize("rule", ["dan-van%00", "%0A", "a%1Fb", "dan%7Fvan", "%C2%85"])
def test_a_rule_with_a_control_character_is_a_bad_request(datasette: Any, rule: str) -> None:
    response = get(datasette, f"/archive/rule_feed.atom?rule={rule}")
    assert response.status_code == 400


@pytest.mark.parametrize("rule", ["%FF%FE", "%EF%BF%BE", "<x>&amp;", "'; DROP TABLE matches"])
def test_odd_rule_names_are_not_found_never_an_error(datasette: Any, rule: str) -> None:
    assert (
        get(datasette, f"/archive/rule_feed.atom?rule={quote(rule, safe='%')}").status_code == 404
    )
