"""monitor.discover: article links and next pages from listing pages, items from feeds."""

from __future__ import annotations

import pytest

from monitor.config import SiteProfile
from monitor.discover import parse_feed, parse_listing

BASE = "https://congan.com.vn"
HOSTS = ("congan.com.vn",)


def item(article_id: int, section: str = "tin-chinh") -> str:
    return (
        f'<li><h3><a href="/{section}/bai-{article_id}_{article_id}.html">Bài {article_id}</a>'
        f'</h3><div class="hidden-xs news_lead">Tóm tắt</div></li>'
    )


def listing(main: str, sidebar: str = "", pager: str = "") -> bytes:
    return (
        "<html><body><div class='main-content'>"
        f"<ul class='list-news'>{main}</ul>{pager}</div>"
        f"<div class='sidebar'><h3>Xem nhiều nhất</h3><ul>{sidebar}</ul></div></body></html>"
    ).encode()


def ids(page: bytes, profile: SiteProfile, url: str = f"{BASE}/tin-chinh") -> list[int]:
    return [a.article_id for a in parse_listing(page, url, profile, HOSTS).articles]


def test_items_come_from_the_main_list_only(profile: SiteProfile) -> None:
    page = listing(item(3) + item(2), sidebar=item(1))
    assert ids(page, profile) == [3, 2]


def test_without_a_known_container_every_article_link_counts(profile: SiteProfile) -> None:
    page = f"<html><body><div>{item(5)}<p>{item(4)}</p></div></body></html>".encode()
    result = parse_listing(page, f"{BASE}/tin-chinh", profile, HOSTS)
    assert [a.article_id for a in result.articles] == [5, 4]
    assert result.scoped is False


def test_an_empty_main_list_is_an_empty_listing(profile: SiteProfile) -> None:
    page = listing("", sidebar=item(1) + item(2))
    assert ids(page, profile) == []


def test_off_site_and_non_article_links_are_ignored(profile: SiteProfile) -> None:
    main = (
        item(9)
        + '<li><h3><a href="https://evil.example/tin-chinh/x_8.html">x</a></h3></li>'
        + '<li><h3><a href="/tin-chinh">section</a></h3></li>'
        + '<li><h3><a href="javascript:void(0)">js</a></h3></li>'
        + item(9)
    )
    assert ids(listing(main), profile) == [9]


def test_next_page_from_rel_next(profile: SiteProfile) -> None:
    pager = '<div class="paging"><a rel="next" href="/tin-chinh/trang-2.html">›</a></div>'
    result = parse_listing(listing(item(1), pager=pager), f"{BASE}/tin-chinh", profile, HOSTS)
    assert result.next_page == f"{BASE}/tin-chinh/trang-2.html"


@pytest.mark.parametrize("text", ["›", "Trang sau", "Xem thêm", "2"])
def test_next_page_from_link_text(profile: SiteProfile, text: str) -> None:
    pager = f'<div><a href="/tin-chinh?page=2">{text}</a></div>'
    result = parse_listing(listing(item(1), pager=pager), f"{BASE}/tin-chinh", profile, HOSTS)
    assert result.next_page == f"{BASE}/tin-chinh?page=2"


def test_next_page_must_stay_under_the_listing_path(profile: SiteProfile) -> None:
    pager = '<a rel="next" href="/vu-an/trang-2.html">›</a>'
    result = parse_listing(listing(item(1), pager=pager), f"{BASE}/tin-chinh", profile, HOSTS)
    assert result.next_page is None


def test_next_page_must_stay_on_the_host(profile: SiteProfile) -> None:
    pager = '<a rel="next" href="https://mirror.example/tin-chinh/trang-2.html">›</a>'
    result = parse_listing(listing(item(1), pager=pager), f"{BASE}/tin-chinh", profile, HOSTS)
    assert result.next_page is None


def test_later_pages_stay_under_the_entry_listing(profile: SiteProfile) -> None:
    pager = '<a rel="next" href="/tin-chinh/trang-3.html">›</a>'
    page_url = f"{BASE}/tin-chinh/trang-2.html"
    result = parse_listing(listing(item(1), pager=pager), page_url, profile, HOSTS, "/tin-chinh")
    assert result.next_page == f"{BASE}/tin-chinh/trang-3.html"


def test_empty_or_garbage_listing_yields_nothing(profile: SiteProfile) -> None:
    for page in (b"", b"\x00\x01\x02", b"not html"):
        result = parse_listing(page, f"{BASE}/tin-chinh", profile, HOSTS)
        assert result.articles == () and result.next_page is None


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>CATP</title>
<item><title>Một</title><link>{BASE}/tin-chinh/mot_101.html</link>
<pubDate>Mon, 23 Jun 2025 11:45:00 +0700</pubDate></item>
<item><title>Hai</title><link>https://evil.example/tin-chinh/hai_102.html</link></item>
<item><title>Ba</title><link>{BASE}/tin-chinh</link></item>
<item><title>Bốn</title><guid>{BASE}/vu-an/canh-giac/bon_104.html</guid></item>
</channel></rss>""".encode()


def test_feed_items_are_article_urls_on_site(profile: SiteProfile) -> None:
    items = parse_feed(RSS, f"{BASE}/rss/home.rss", profile, HOSTS)
    assert [(i.article.article_id, i.article.section) for i in items] == [
        (101, "tin-chinh"),
        (104, "vu-an/canh-giac"),
    ]
    assert items[0].published == "Mon, 23 Jun 2025 11:45:00 +0700"


def test_malformed_feed_yields_what_can_be_recovered(profile: SiteProfile) -> None:
    broken = RSS.replace(b"</channel></rss>", b"<item><title>unclosed")
    items = parse_feed(broken, f"{BASE}/rss/home.rss", profile, HOSTS)
    assert [i.article.article_id for i in items] == [101, 104]


def test_garbage_feed_yields_nothing(profile: SiteProfile) -> None:
    assert parse_feed(b"<html>not a feed", f"{BASE}/rss/home.rss", profile, HOSTS) == ()
    assert parse_feed(b"", f"{BASE}/rss/home.rss", profile, HOSTS) == ()


def test_atom_entries_are_read(profile: SiteProfile) -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title>'
        b'<link href="https://congan.com.vn/tin-chinh/x_7.html"/></entry></feed>'
    )
    assert [i.article.article_id for i in parse_feed(atom, BASE, profile, HOSTS)] == [7]


def test_feed_entities_are_not_expanded(profile: SiteProfile) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<rss><channel><item><title>&b;</title>"
        b"<link>https://congan.com.vn/tin-chinh/x_7.html</link></item></channel></rss>"
    )
    assert [i.article.article_id for i in parse_feed(bomb, BASE, profile, HOSTS)] == [7]


def test_listing_items_carry_title_and_summary(profile: SiteProfile) -> None:
    (first,) = parse_listing(listing(item(3)), f"{BASE}/tin-chinh", profile, HOSTS).items
    assert (first.title, first.summary, first.date) == ("Bài 3", "Tóm tắt", None)


def test_listing_item_date_is_its_date_shaped_text(profile: SiteProfile) -> None:
    dated = (
        '<li><a href="/tin-chinh/x_5.html"><img src="/a.jpg"></a>'
        '<h3><a href="/tin-chinh/x_5.html">Tiêu đề</a></h3>'
        "<span class='time'>08/04/2025 19:58</span><p>Nội dung tóm tắt</p></li>"
    )
    (first,) = parse_listing(listing(dated), f"{BASE}/tin-chinh", profile, HOSTS).items
    assert (first.title, first.date, first.summary) == (
        "Tiêu đề",
        "08/04/2025 19:58",
        "Nội dung tóm tắt",
    )


def test_a_link_outside_any_item_has_no_summary(profile: SiteProfile) -> None:
    page = b'<html><body><p>Intro <a href="/tin-chinh/x_5.html">Tin</a> more</p></body></html>'
    (first,) = parse_listing(page, f"{BASE}/tin-chinh", profile, HOSTS).items
    assert (first.title, first.summary) == ("Tin", None)


def test_feed_items_carry_title_and_description_as_text(profile: SiteProfile) -> None:
    rss = (
        b"<rss><channel><item><title> M\xe1\xbb\x99t  b\xc3\xa0i </title>"
        b"<link>https://congan.com.vn/tin-chinh/x_7.html</link>"
        b"<description>&lt;p&gt;T\xc3\xb3m &lt;b&gt;t\xe1\xba\xaft&lt;/b&gt;&lt;/p&gt;"
        b"</description>"
        b"</item></channel></rss>"
    )
    (first,) = parse_feed(rss, BASE, profile, HOSTS)
    assert (first.title, first.summary) == ("Một bài", "Tóm tắt")
