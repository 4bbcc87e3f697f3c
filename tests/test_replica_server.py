"""replica.server: the replica site over HTTP — pages, feeds, validators, publication,
failure injection, control and the request log — fetched with urllib against a real server."""

from __future__ import annotations

import contextlib
import http.client
import json
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html
import pytest

from monitor.config import SiteProfile
from monitor.discover import parse_feed, parse_listing
from monitor.parse import parse_article
from monitor.parse.select import select_all, select_first
from monitor.text import normalize_inline
from monitor.urls import parse_article_url, tag_path
from replica.server import ReplicaServer
from replica.site import ReplicaSite, load_articles, load_extras, mentions_danvan

DANVAN_TAG_PATH = tag_path("Dân vận")


@dataclass(frozen=True)
class Response:
    status: int
    headers: Message
    body: bytes


def fetch(
    url: str,
    headers: dict[str, str] | None = None,
    *,
    data: object = None,
    timeout: float = 10.0,
) -> Response:
    """GET (or POST ``data`` as JSON) with urllib; error statuses are returned, not raised."""
    body = None if data is None else json.dumps(data).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers, error.read())


@pytest.fixture
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer() as running:
        yield running


def hosts(server: ReplicaServer, profile: SiteProfile) -> tuple[str, ...]:
    return (*profile.hosts, urlsplit(server.base_url).netloc)


def main_list_links(body: bytes, profile: SiteProfile) -> list[str]:
    root = lxml.html.document_fromstring(body)
    container = select_first(root, profile.listing.container)
    assert container is not None
    return [a.get("href") or "" for a in select_all(container, "li h3 > a")]


def feed_links(body: bytes) -> list[str]:
    return [item.findtext("link") or "" for item in ET.fromstring(body).iter("item")]


def test_robots_txt_allows_everything_by_default(server: ReplicaServer) -> None:
    response = fetch(server.base_url + "/robots.txt")
    assert response.body.decode() == "User-agent: *\nDisallow:\n"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_robots_txt_lists_configured_disallow_paths() -> None:
    with ReplicaServer(ReplicaSite(disallow=["/tag/"])) as server:
        robots = RobotFileParser()
        robots.parse(fetch(server.base_url + "/robots.txt").body.decode().splitlines())
    assert not robots.can_fetch("congan-monitor", server.base_url + DANVAN_TAG_PATH)
    assert robots.can_fetch("congan-monitor", server.base_url + "/tin-chinh")


def test_home_feed_is_rss_whose_links_are_article_urls(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    response = fetch(server.base_url + "/rss/home.rss")
    root = ET.fromstring(response.body)
    links = feed_links(response.body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert len(links) == 20
    assert all(link.startswith(server.base_url + "/") for link in links)
    assert all(parse_article_url(link, profile) for link in links)
    assert len(parse_feed(response.body, links[0], profile, hosts(server, profile))) == 20


def test_feed_items_carry_rfc822_vietnam_dates_and_guids(server: ReplicaServer) -> None:
    root = ET.fromstring(fetch(server.base_url + "/rss/tin-chinh.rss").body)
    for item in root.iter("item"):
        published = item.findtext("pubDate") or ""
        assert published.endswith(" +0700")
        assert parsedate_to_datetime(published).utcoffset() is not None
        assert item.findtext("guid") == item.findtext("link")
        assert item.findtext("title") and item.findtext("description")


def test_section_listing_first_page_has_ten_items_and_a_next_link(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    url = server.base_url + "/tin-chinh"
    body = fetch(url).body
    listing = parse_listing(body, url, profile, hosts(server, profile))
    root = lxml.html.document_fromstring(body)
    assert len(main_list_links(body, profile)) == 10
    assert listing.scoped and len(listing.articles) == 10
    assert [a.get("href") for a in select_all(root, 'a[rel="next"]')] == ["/tin-chinh/trang-2.html"]
    assert listing.next_page == server.base_url + "/tin-chinh/trang-2.html"


def test_following_next_links_reaches_a_last_page_without_one(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    url: str | None = server.base_url + "/tin-chinh"
    seen: list[int] = []
    pages = 0
    while url is not None:
        listing = parse_listing(fetch(url).body, url, profile, hosts(server, profile), "/tin-chinh")
        seen += [article.article_id for article in listing.articles]
        url, pages = listing.next_page, pages + 1
    expected = [entry.id for entry in server.site.in_section("tin-chinh")]
    assert pages == 6 and seen == expected
    last = fetch(server.base_url + "/tin-chinh/trang-6.html").body.decode()
    assert 'rel="next"' not in last and "›</a>" not in last
    assert fetch(server.base_url + "/tin-chinh/trang-7.html").status == 404


def test_most_read_sidebar_is_outside_the_main_list(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    body = fetch(server.base_url + "/tin-chinh").body
    root = lxml.html.document_fromstring(body)
    main = select_first(root, profile.listing.container)
    sidebar = select_all(root, ".box-most-viewed li h3 > a")
    assert main is not None and sidebar
    assert all(main not in link.iterancestors() for link in sidebar)
    assert {a.get("href") for a in sidebar}.isdisjoint(main_list_links(body, profile))


def test_danvan_tag_page_lists_the_danvan_articles(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    assert DANVAN_TAG_PATH == "/tag/D%C3%A2n+v%E1%BA%ADn.html"
    links = main_list_links(fetch(server.base_url + DANVAN_TAG_PATH).body, profile)
    danvan = [entry for entry in server.site.entries if entry.kind == "danvan"]
    assert [link.rsplit("_", 1)[-1] for link in links] == [f"{e.id}.html" for e in danvan]
    assert 141005 in {entry.id for entry in danvan} and len(danvan) >= 5


@pytest.mark.parametrize("tag", ["Dân vận khéo", "Công an TPHCM"])
def test_tag_page_lists_the_articles_whose_pages_show_the_tag(
    server: ReplicaServer, profile: SiteProfile, tag: str
) -> None:
    links = main_list_links(fetch(server.base_url + tag_path(tag)).body, profile)
    assert links and links == [entry.path for entry in server.site.tagged(tag)]
    for link in links:
        record = parse_article(fetch(server.base_url + link).body, server.base_url + link, profile)
        assert tag in record.tags


def test_tag_pages_paginate_under_the_tag_path(server: ReplicaServer, profile: SiteProfile) -> None:
    for _ in range(4):
        server.publish("danvan")
    url = server.base_url + DANVAN_TAG_PATH
    first = parse_listing(fetch(url).body, url, profile, hosts(server, profile))
    assert first.next_page == server.base_url + "/tag/D%C3%A2n+v%E1%BA%ADn/trang-2.html"
    body = fetch(first.next_page).body
    second = parse_listing(body, first.next_page, profile, hosts(server, profile), DANVAN_TAG_PATH)
    assert second.next_page is None
    assert len(first.articles) + len(second.articles) == len(server.site.tagged("Dân vận")) == 11


def test_every_article_page_round_trips_through_the_parser(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    for entry in server.site.entries:
        url = server.base_url + entry.path
        response = fetch(url)
        record = parse_article(
            response.body, url, profile, content_type=response.headers["Content-Type"]
        )
        assert record.complete, entry.id
        assert record.article_id == entry.id
        assert record.title == normalize_inline(str(entry.article["title"])), entry.id
        assert set(record.tags) == {unicodedata.normalize("NFC", tag) for tag in entry.tags}


def test_repeated_conditional_request_is_answered_304(server: ReplicaServer) -> None:
    for path in ("/tin-chinh", "/rss/home.rss", DANVAN_TAG_PATH, server.site.entries[0].path):
        first = fetch(server.base_url + path)
        again = fetch(server.base_url + path, {"If-None-Match": first.headers["ETag"]})
        assert (again.status, again.body) == (304, b""), path
        assert again.headers["ETag"] == first.headers["ETag"]


def test_if_modified_since_last_modified_is_answered_304(server: ReplicaServer) -> None:
    first = fetch(server.base_url + "/rss/home.rss")
    since = first.headers["Last-Modified"]
    assert since.endswith(" GMT")
    assert fetch(server.base_url + "/rss/home.rss", {"If-Modified-Since": since}).status == 304
    older = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert fetch(server.base_url + "/rss/home.rss", {"If-Modified-Since": older}).status == 200


def test_publication_makes_conditional_requests_200_again(server: ReplicaServer) -> None:
    before = {path: fetch(server.base_url + path) for path in ("/tin-chinh", "/rss/home.rss")}
    server.publish("danvan")
    for path, first in before.items():
        etag, since = first.headers["ETag"], first.headers["Last-Modified"]
        assert fetch(server.base_url + path, {"If-None-Match": etag}).status == 200
        assert fetch(server.base_url + path, {"If-Modified-Since": since}).status == 200


def test_published_article_is_first_on_its_listing_feeds_and_tag_page(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    published = server.publish("danvan")
    path = published["path"]
    assert main_list_links(fetch(server.base_url + "/tin-chinh").body, profile)[0] == path
    assert main_list_links(fetch(server.base_url + DANVAN_TAG_PATH).body, profile)[0] == path
    for feed in ("/rss/home.rss", "/rss/tin-chinh.rss"):
        assert feed_links(fetch(server.base_url + feed).body)[0] == published["url"]
    assert fetch(published["url"]).status == 200
    assert published["id"] > max(int(a["article_id"]) for a in load_articles())


def test_publishing_runs_out_with_a_conflict(server: ReplicaServer) -> None:
    lookalikes = [a for a in load_extras() if a["kind"] == "lookalike"]
    for _ in lookalikes:
        assert server.publish("lookalike")["kind"] == "lookalike"
    response = fetch(server.base_url + "/__replica/publish", data={"kind": "lookalike"})
    assert response.status == 409


def test_500_failures_stop_after_count(server: ReplicaServer) -> None:
    server.fail("/tin-chinh", "500", count=2)
    statuses = [fetch(server.base_url + "/tin-chinh").status for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert fetch(server.base_url + "/rss/home.rss").status == 200


def test_failures_last_until_healed(server: ReplicaServer) -> None:
    server.fail("/rss/", "503-retry-after")
    first = fetch(server.base_url + "/rss/home.rss")
    assert (first.status, first.headers["Retry-After"]) == (503, "1")
    assert fetch(server.base_url + "/rss/home.rss").status == 503
    server.heal()
    assert fetch(server.base_url + "/rss/home.rss").status == 200


def test_429_carries_retry_after(server: ReplicaServer) -> None:
    server.fail("/", "429", count=1)
    response = fetch(server.base_url + "/tin-chinh")
    assert (response.status, response.headers["Retry-After"]) == (429, "1")


def test_slow_answers_after_the_delay(server: ReplicaServer) -> None:
    server.fail("/robots.txt", "slow", count=1, delay=0.4)
    started = time.monotonic()
    assert fetch(server.base_url + "/robots.txt").status == 200
    assert time.monotonic() - started >= 0.4


def test_truncate_yields_an_incomplete_read(server: ReplicaServer) -> None:
    server.fail("/rss/", "truncate", count=1)
    with pytest.raises(http.client.IncompleteRead):
        fetch(server.base_url + "/rss/home.rss")
    assert fetch(server.base_url + "/rss/home.rss").status == 200


def test_reset_yields_a_connection_error(server: ReplicaServer) -> None:
    server.fail("/tin-chinh", "reset", count=1)
    with pytest.raises(ConnectionError):
        fetch(server.base_url + "/tin-chinh")
    assert fetch(server.base_url + "/tin-chinh").status == 200


def test_hang_is_abandoned_by_a_client_timeout_and_the_server_still_stops(
    server: ReplicaServer,
) -> None:
    base = server.base_url
    server.fail("/tin-chinh", "hang")
    with pytest.raises(TimeoutError):
        fetch(base + "/tin-chinh", timeout=0.5)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    with pytest.raises(urllib.error.URLError):
        fetch(base + "/robots.txt", timeout=0.5)


def test_control_over_http_works_and_is_not_logged(server: ReplicaServer) -> None:
    control = server.base_url + "/__replica/"
    published = json.loads(fetch(control + "publish", data={"kind": "ordinary"}).body)
    assert fetch(published["url"]).status == 200
    fetch(control + "fail", data={"path_prefix": "/tin-chinh", "mode": "500", "count": 1})
    assert fetch(server.base_url + "/tin-chinh").status == 500
    assert fetch(control + "layout", data={"layout": "changed"}).status == 200
    assert fetch(control + "clock", data={"now": "2025-07-01T08:00:00+07:00"}).status == 200
    assert "Ngày 1 Tháng 7, 2025" in fetch(server.base_url + "/").body.decode()
    logged = json.loads(fetch(control + "requests").body)
    assert [entry["path"] for entry in logged] == [published["path"], "/tin-chinh", "/"]
    assert fetch(control + "clear-requests", data={}).status == 200
    assert server.requests == []
    assert fetch(control + "fail", data={"path_prefix": "/", "mode": "nope"}).status == 400


def test_request_log_records_each_request_with_its_headers(server: ReplicaServer) -> None:
    first = fetch(server.base_url + "/rss/home.rss", {"User-Agent": "probe/1"})
    etag = first.headers["ETag"]
    fetch(server.base_url + "/rss/home.rss?x=1", {"User-Agent": "probe/1", "If-None-Match": etag})
    fetch(server.base_url + "/nowhere")
    logged = server.requests
    assert [(e.method, e.path, e.status) for e in logged] == [
        ("GET", "/rss/home.rss", 200),
        ("GET", "/rss/home.rss?x=1", 304),
        ("GET", "/nowhere", 404),
    ]
    assert (logged[1].user_agent, logged[1].if_none_match) == ("probe/1", etag)
    server.clear_requests()
    assert server.requests == []


def test_every_response_has_a_utf8_content_type_and_its_length(server: ReplicaServer) -> None:
    paths = ("/", "/tin-chinh", "/rss/home.rss", "/robots.txt", "/nowhere", "/__replica/requests")
    for path in paths:
        response = fetch(server.base_url + path)
        assert response.headers["Content-Type"].endswith("; charset=utf-8"), path
        assert int(response.headers["Content-Length"]) == len(response.body), path


def test_changed_layout_makes_the_parser_fall_back_to_generic(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    entry = server.site.entries[0]
    server.set_layout("changed")
    url = server.base_url + entry.path
    record = parse_article(fetch(url).body, url, profile)
    assert record.extraction["body"] == "generic"
    assert record.title == normalize_inline(str(entry.article["title"]))


def test_clock_dates_the_header_and_new_publications(server: ReplicaServer) -> None:
    server.set_clock("2025-07-01T01:00:00Z")
    published = server.publish("danvan")
    assert published["published_at"] == "2025-07-01T08:00:00+07:00"
    page = unicodedata.normalize("NFC", fetch(published["url"]).body.decode())
    assert "Thứ Ba, Ngày 1 Tháng 7, 2025" in page and "01/07/2025 08:00" in page


def test_extra_articles_are_new_and_of_their_declared_kind() -> None:
    extras = load_extras()
    newest_real = max(int(article["article_id"]) for article in load_articles())
    kinds = [article["kind"] for article in extras]
    assert kinds.count("danvan") >= 3 and kinds.count("lookalike") >= 2 and "ordinary" in kinds
    for article in extras:
        text = " ".join([article["title"], article["lead_raw"], *article["paragraphs_raw"]])
        assert int(article["article_id"]) > newest_real
        assert article["lead_raw"].startswith("(CAO) ")
        assert 5 <= len(article["paragraphs_raw"]) <= 10
        assert mentions_danvan(text) == (article["kind"] == "danvan"), article["article_id"]
        if article["kind"] == "lookalike":  # only cross-word look-alikes
            assert "dân vận" in text.casefold()


@contextlib.contextmanager
def command_line_server(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``python -m replica.server --quiet *options``: the process and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "replica.server", "--quiet", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_command_line_prints_the_url_and_exits_cleanly_on_sigterm() -> None:
    with command_line_server() as (process, base):
        assert base.startswith("http://127.0.0.1:")
        assert fetch(base + "/robots.txt").status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_command_line_clock_now_publishes_articles_dated_today() -> None:
    """``--clock now``: what the README's first-hour walkthrough publishes is new, so it alerts."""
    with command_line_server("--clock", "now") as (_, base):
        before = datetime.now(UTC)
        published = json.loads(fetch(base + "/__replica/publish", data={"kind": "danvan"}).body)
    when = datetime.fromisoformat(published["published_at"])
    assert abs(when - before) < timedelta(minutes=2)
