"""monitor.discover.sitemap: urlsets, indexes, gzip (bounded), Google news sitemaps."""

from __future__ import annotations

import gzip

from monitor.config import SiteProfile
from monitor.discover import Sitemap, parse_sitemap

BASE = "https://congan.com.vn"
HOSTS = ("congan.com.vn",)
MAX = 1 << 20
URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{}</urlset>'
)
INDEX = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</sitemapindex>'
)


def url(loc: str, extra: str = "") -> str:
    return f"<url><loc>{loc}</loc>{extra}</url>"


def read(body: bytes, profile: SiteProfile, max_bytes: int = MAX) -> Sitemap:
    return parse_sitemap(body, f"{BASE}/sitemap.xml", profile, HOSTS, max_bytes)


def test_urlset_yields_first_party_article_urls_only(profile: SiteProfile) -> None:
    body = URLSET.format(
        url(f"{BASE}/tin-chinh/a_101.html", "<lastmod>2025-06-23</lastmod>")
        + url("https://evil.example/tin-chinh/b_102.html")
        + url(f"{BASE}/tin-chinh")
        + url(f"{BASE}/vu-an/canh-giac/c_103.html")
        + url(f"{BASE}/tin-chinh/a_101.html")
    ).encode()
    found = read(body, profile)
    assert [(u.article.article_id, u.lastmod) for u in found.articles] == [
        (101, "2025-06-23"),
        (103, None),
    ]
    assert found.children == () and found.problem is None


def test_news_sitemap_gives_publication_date_and_title(profile: SiteProfile) -> None:
    news = (
        "<news:news><news:publication><news:name>CATP</news:name></news:publication>"
        "<news:publication_date>2025-06-23T11:45:00+07:00</news:publication_date>"
        "<news:title> Dân vận  khéo </news:title></news:news>"
    )
    body = URLSET.format(url(f"{BASE}/tin-chinh/a_101.html", news)).encode()
    (entry,) = read(body, profile).articles
    assert (entry.published, entry.title) == ("2025-06-23T11:45:00+07:00", "Dân vận khéo")


def test_index_names_its_first_party_child_sitemaps(profile: SiteProfile) -> None:
    body = INDEX.format(
        "<sitemap><loc>/sitemaps/2025-06.xml.gz</loc><lastmod>2025-06-30</lastmod></sitemap>"
        "<sitemap><loc>https://evil.example/s.xml</loc></sitemap>"
        f"<sitemap><loc>{BASE}/news.xml</loc></sitemap>"
    ).encode()
    found = read(body, profile)
    assert [(c.url, c.lastmod) for c in found.children] == [
        (f"{BASE}/sitemaps/2025-06.xml.gz", "2025-06-30"),
        (f"{BASE}/news.xml", None),
    ]
    assert found.articles == ()


def test_gzip_body_is_read_by_its_magic_bytes(profile: SiteProfile) -> None:
    body = gzip.compress(URLSET.format(url(f"{BASE}/tin-chinh/a_101.html")).encode())
    assert [u.article.article_id for u in read(body, profile).articles] == [101]


def test_gzip_bomb_stops_at_the_size_cap(profile: SiteProfile) -> None:
    bomb = gzip.compress(URLSET.format(" " * (50 << 20)).encode())  # 50 MiB of spaces, ~50 KiB
    found = read(bomb, profile, max_bytes=1 << 20)
    assert found.problem == f"over {1 << 20} bytes once decompressed"
    assert found.articles == ()


def test_broken_gzip_is_a_problem_not_an_error(profile: SiteProfile) -> None:
    assert (read(b"\x1f\x8bnot gzip at all", profile).problem or "").startswith("not valid gzip")


def test_html_or_garbage_is_not_a_sitemap(profile: SiteProfile) -> None:
    for body in (b"<html><body>404</body></html>", b"", b"\x00\x01"):
        assert read(body, profile).problem == "not a sitemap (no urlset or sitemapindex)"


def test_sitemap_without_namespace_is_read(profile: SiteProfile) -> None:
    body = f"<urlset><url><loc>{BASE}/tin-chinh/a_5.html</loc></url></urlset>".encode()
    assert [u.article.article_id for u in read(body, profile).articles] == [5]


def test_sitemap_entities_are_not_expanded(profile: SiteProfile) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<urlset><url><loc>https://congan.com.vn/tin-chinh/x_7.html</loc>"
        b"<lastmod>&b;</lastmod></url></urlset>"
    )
    (entry,) = read(bomb, profile).articles
    assert entry.article.article_id == 7 and "aaaa" not in (entry.lastmod or "")
