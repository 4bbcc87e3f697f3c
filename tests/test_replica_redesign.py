"""The replica in the "redesign" layout: robots.txt names a sitemap index, the sitemaps list
every article (news, gzip monthly, conditional requests), feeds are gone, listings paginate by
path, the markup escapes the site profile, and the golden pages are what the replica serves."""

from __future__ import annotations

import gzip
import re
import signal
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest
from test_replica_server import command_line_server, fetch

from monitor.config import SiteProfile
from monitor.parse.select import select_all
from monitor.urls import tag_path
from replica.redesign_plan import plan_redesign
from replica.server import ReplicaServer
from replica.site import ReplicaSite

from golden_pages import redesign_pages

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import make_redesign

import make_golden

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# Profile selectors the redesign may still match: the title's bare h1, figure photos.
ALLOWED = ("h1", "figure", "figcaption")
BODY = "div.cms-prose > p:not([class]), div.cms-prose > h2.cms-subhead"


@pytest.fixture
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer() as running:
        running.set_layout("redesign")
        yield running


def xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)


def index_rows(server: ReplicaServer) -> dict[str, str]:
    """The sitemap index: loc -> lastmod."""
    root = xml(fetch(server.base_url + "/sitemap.xml").body)
    return {s.findtext(f"{SM}loc") or "": s.findtext(f"{SM}lastmod") or "" for s in root}


def monthly_locs(server: ReplicaServer) -> list[str]:
    locs = []
    for loc in index_rows(server):
        if loc.endswith(".xml.gz"):
            urlset = xml(gzip.decompress(fetch(loc).body))
            locs += [u.findtext(f"{SM}loc") or "" for u in urlset]
    return locs


def news_items(server: ReplicaServer) -> dict[str, str]:
    """The news sitemap: loc -> news:publication_date."""
    root = xml(fetch(server.base_url + "/sitemap-news.xml").body)
    return {
        u.findtext(f"{SM}loc") or "": u.findtext(f"{NEWS}news/{NEWS}publication_date") or ""
        for u in root
    }


def main_list(body: bytes) -> list[str]:
    root = lxml.html.document_fromstring(body)
    return [
        a.get("href") or "" for a in root.cssselect("section.cms-stream h2.cms-card__title > a")
    ]


def css(root: lxml.etree._Element, selector: str) -> list[lxml.html.HtmlElement]:
    """``root.cssselect(selector)``, typed as what it finds in a page lxml.html parsed."""
    # cast: lxml-stubs types cssselect as giving _Element, but under lxml.html's parser every
    # element found is an HtmlElement (with text_content); there is no narrower stub to use
    return cast(list[lxml.html.HtmlElement], root.cssselect(selector))


def next_page(body: bytes) -> str | None:
    root = lxml.html.document_fromstring(body)
    links = [a for a in css(root, "nav.cms-pager a") if a.text_content() == "Trang sau"]
    return links[0].get("href") if links else None


def test_robots_txt_names_the_sitemap_index(server: ReplicaServer) -> None:
    body = fetch(server.base_url + "/robots.txt").body.decode()
    assert f"Sitemap: {server.base_url}/sitemap.xml" in body.splitlines()


def test_sitemap_index_names_the_news_sitemap_and_gzip_monthly_sitemaps(
    server: ReplicaServer,
) -> None:
    rows = index_rows(server)
    assert f"{server.base_url}/sitemap-news.xml" in rows
    months = {f"{e.when:%Y-%m}" for e in server.site.entries}
    assert {f"{server.base_url}/sitemaps/{m}.xml.gz" for m in months} <= set(rows)
    assert all(lastmod.endswith("+07:00") for lastmod in rows.values())


def test_monthly_sitemaps_are_gzip_and_list_every_article_of_every_section(
    server: ReplicaServer,
) -> None:
    response = fetch(server.base_url + "/sitemaps/2025-06.xml.gz")
    assert response.headers["Content-Type"] == "application/x-gzip"
    assert gzip.decompress(response.body).startswith(b"<?xml")
    paths = sorted(urlsplit(loc).path for loc in monthly_locs(server))
    assert paths == sorted(e.path for e in server.site.entries)
    assert len({e.section for e in server.site.entries}) >= 3


def test_news_sitemap_lists_the_last_two_days_with_w3c_dates(server: ReplicaServer) -> None:
    now = server.site.now
    expected = {
        server.base_url + e.path
        for e in server.site.entries
        if 0 <= (now - e.when).total_seconds() <= 2 * 86400
    }
    items = news_items(server)
    assert set(items) == expected
    assert expected
    assert all(len(date) == 25 and date.endswith("+07:00") for date in items.values())


def test_publishing_updates_the_news_and_month_sitemaps_and_the_index(
    server: ReplicaServer,
) -> None:
    before = index_rows(server)
    published = server.publish("ordinary")
    month = f"{server.base_url}/sitemaps/{published['published_at'][:7]}.xml.gz"
    assert published["url"] in news_items(server)
    assert published["url"] in monthly_locs(server)
    after = index_rows(server)
    assert after[month] == after[f"{server.base_url}/sitemap-news.xml"]
    assert after[month] == published["published_at"]
    assert after[month] != before.get(month)


def test_sitemap_conditional_requests_are_answered_304(server: ReplicaServer) -> None:
    url = server.base_url + "/sitemaps/2025-06.xml.gz"
    first = fetch(url)
    assert fetch(url, {"If-None-Match": first.headers["ETag"]}).status == 304
    assert fetch(url, {"If-Modified-Since": first.headers["Last-Modified"]}).status == 304


def test_feeds_answer_404(server: ReplicaServer) -> None:
    for path in ("/rss/home.rss", "/rss/tin-chinh.rss", "/rss/tin-chinh"):
        assert fetch(server.base_url + path).status == 404, path


def walk(server: ReplicaServer, first: str) -> list[str]:
    """Article paths of a listing's main list, page after page by the "Trang sau" links."""
    seen: list[str] = []
    url: str | None = server.base_url + first
    while url is not None:
        body = fetch(url).body
        seen += main_list(body)
        following = next_page(body)
        assert following is None or following.endswith(f"/page/{len(seen) // 10 + 1}/")
        url = urljoin(url, following) if following else None
    return seen


def test_section_pagination_by_path_reaches_every_article(server: ReplicaServer) -> None:
    expected = [e.path for e in server.site.in_section("tin-chinh")]
    assert len(expected) > 20
    assert walk(server, "/tin-chinh") == expected


def test_tag_pagination_by_path_reaches_every_article(server: ReplicaServer) -> None:
    for _ in range(4):
        server.publish("danvan")
    expected = [e.path for e in server.site.tagged("Dân vận")]
    assert len(expected) > 10
    assert walk(server, tag_path("Dân vận")) == expected


def test_sidebar_cards_are_outside_the_main_list(server: ReplicaServer) -> None:
    root = lxml.html.document_fromstring(fetch(server.base_url + "/tin-chinh").body)
    sidebar = root.cssselect("aside.cms-side h2.cms-card__title > a")
    assert sidebar
    assert not {a.get("href") for a in sidebar} & set(main_list(lxml.html.tostring(root)))


def test_every_page_shows_todays_header_date(server: ReplicaServer) -> None:
    today = unicodedata.normalize("NFC", server.site.header_date)
    for path in ("/", "/tin-chinh/page/2/", server.site.entries[5].path, "/rss/home.rss"):
        root = lxml.html.document_fromstring(fetch(server.base_url + path).body)
        shown = css(root, "div.cms-topbar > span.cms-today")[0].text_content()
        assert unicodedata.normalize("NFC", shown) == today, path


def test_json_ld_is_on_even_ids_and_nothing_structured_on_the_others(
    server: ReplicaServer,
) -> None:
    for entry in server.site.entries[:12]:
        html = fetch(server.base_url + entry.path).body.decode()
        has_time = ":" in plan_redesign(entry.article, entry.tags).date_text
        assert ("application/ld+json" in html) == (entry.id % 2 == 0 and has_time), entry.id
        if entry.id % 2:
            assert "og:description" not in html and "article:published_time" not in html
        assert '<meta name="author" content="Báo Công an TP.HCM">' in html


def test_profile_selectors_match_nothing_on_the_golden_pages(profile: SiteProfile) -> None:
    article = profile.article
    lists = (article.title, article.date, article.lead, article.body, article.author, article.tags)
    selectors = [s for group in (*lists, article.images, article.image_caption) for s in group]
    selectors += [s for s in article.strip if "." in s or "[" in s or "#" in s]
    for page in redesign_pages():
        root = lxml.html.document_fromstring(page.html)
        for selector in selectors:
            if selector not in ALLOWED:
                assert not select_all(root, selector), (page.name, selector)


def test_listing_selectors_of_the_profile_match_nothing(
    server: ReplicaServer, profile: SiteProfile
) -> None:
    root = lxml.html.document_fromstring(fetch(server.base_url + "/tin-chinh").body)
    listing = profile.listing
    for selector in (*listing.container, *listing.item_link, *listing.next_page):
        assert not select_all(root, selector), selector


def test_golden_pages_are_what_the_replica_serves_now() -> None:
    committed = {page.name: page for page in redesign_pages()}
    pages = make_redesign.render_pages()
    assert set(committed) == {str(page.article_id) for page in pages}
    with ReplicaServer(make_redesign.golden_site()) as server:
        for page in pages:
            server.set_clock(page.clock.isoformat())
            served = fetch(server.base_url + page.path).body
            assert served == committed[str(page.article_id)].html, page.article_id


def test_golden_expected_fields_are_what_the_generator_computes() -> None:
    committed = {page.name: page.expected for page in redesign_pages()}
    for page in make_redesign.render_pages():
        assert committed[str(page.article_id)] == page.expected, page.article_id


def test_control_over_http_switches_to_the_redesign() -> None:
    with ReplicaServer() as server:
        assert fetch(server.base_url + "/sitemap.xml").status == 404
        control = server.base_url + "/__replica/layout"
        assert fetch(control, data={"layout": "redesign"}).status == 200
        assert fetch(server.base_url + "/sitemap.xml").status == 200
        assert fetch(server.base_url + "/rss/home.rss").status == 404


def test_command_line_serves_the_redesign() -> None:
    with command_line_server("--layout", "redesign") as (process, base):
        assert "Sitemap:" in fetch(base + "/robots.txt").body.decode()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_layouts_other_than_the_known_ones_are_refused() -> None:
    with pytest.raises(ValueError, match="redesign"):
        ReplicaSite().set_layout("brand-new")


def documented_fields(html: bytes) -> dict[str, object]:
    """What the README's selectors read from a golden page (a check of the README, not a parser)."""
    root = lxml.html.document_fromstring(html)
    norm = make_golden.normalise

    def texts(selector: str) -> list[str]:
        return [norm(node.text_content()) for node in css(root, selector)]

    images = []
    for img in root.cssselect("figure.cms-photo > img, div.cms-album > img"):
        after = img.getnext()
        caption = (
            after
            if isinstance(after, lxml.html.HtmlElement) and after.tag in ("figcaption", "p")
            else None
        )
        url = urljoin(make_redesign.SITE, img.get("data-src") or img.get("src") or "")
        text = norm(caption.text_content()) if caption is not None else None
        images.append({"url": url, "caption": text})
    lead = texts("div.cms-standfirst")
    authors = texts("div.cms-byline > span.cms-byline__name")
    dateline = texts("span.cms-pubtime")[0]
    day, clock = re.search(r"(\d+)/(\d+)/(\d{4})", dateline), re.search(r"\d\d:\d\d", dateline)
    assert day is not None
    time = clock[0] if clock else "00:00"
    return {
        "published_at": f"{day[3]}-{int(day[2]):02d}-{int(day[1]):02d}T{time}:00+07:00",
        "published_precision": "minute" if clock else "day",
        "title": texts("h1.cms-headline")[0],
        "lead": re.sub(r"^\((CAO|CATP)\) ?", "", lead[0]) if lead else None,
        "body": "\n\n".join(
            t for t in texts("div.cms-prose > p:not([class]), h2.cms-subhead") if t
        ),
        "author": authors[0] if authors else None,
        "tags": texts('div.cms-keywords a[href*="/tag/"]'),
        "images": images,
        "json_ld": bool(root.cssselect('script[type="application/ld+json"]')),
        "header_date": texts("div.cms-topbar > span.cms-today")[0],
    }


def test_readme_selectors_find_the_expected_fields_on_every_golden_page() -> None:
    for page in redesign_pages():
        expected = {name: page.expected[name] for name in documented_fields(page.html)}
        assert documented_fields(page.html) == expected, page.name
