"""monitor.urls: article ids, sections and canonical forms from the site profile."""

from __future__ import annotations

import pytest

from monitor.config import SiteProfile
from monitor.urls import absolute_url, is_first_party, parse_article_url, tag_path


@pytest.mark.parametrize(
    ("url", "article_id", "section"),
    [
        (
            "https://congan.com.vn/tin-chinh/cong-an-tphcm-tang-cuong_179591.html",
            179591,
            "tin-chinh",
        ),
        (
            "http://congan.com.vn/vu-an/canh-giac/canh-bao--lua-dao_180096.html",
            180096,
            "vu-an/canh-giac",
        ),
        ("https://congan.com.vn/doi-song/suc-khoe/a-b_1.html?utm=x#top", 1, "doi-song/suc-khoe"),
    ],
)
def test_article_url_gives_id_and_section(
    profile: SiteProfile, url: str, article_id: int, section: str
) -> None:
    parsed = parse_article_url(url, profile)
    assert parsed is not None
    assert (parsed.article_id, parsed.section) == (article_id, section)


def test_site_urls_are_canonicalised_to_https_without_query(profile: SiteProfile) -> None:
    parsed = parse_article_url("http://congan.com.vn/tin-chinh/a_5.html?x=1#y", profile)
    assert parsed is not None
    assert parsed.url == "https://congan.com.vn/tin-chinh/a_5.html"


def test_other_hosts_keep_their_scheme(profile: SiteProfile) -> None:
    parsed = parse_article_url("http://127.0.0.1:8123/tin-chinh/a_5.html", profile)
    assert parsed is not None
    assert parsed.url == "http://127.0.0.1:8123/tin-chinh/a_5.html"


@pytest.mark.parametrize(
    "url",
    [
        "https://congan.com.vn/tin-chinh",
        "https://congan.com.vn/tag/D%C3%A2n+v%E1%BA%ADn.html",
        "https://congan.com.vn/tin-chinh/no-id.html",
        "mailto:toasoan@congan.com.vn",
        "/tin-chinh/a_5.html",
        "http://[::1",  # unreadable as a URL: a page's broken canonical link
        "https://congan.com.vn\uff0fx/a_5.html",  # a host that NFKC turns into a path
    ],
)
def test_non_article_urls_are_rejected(profile: SiteProfile, url: str) -> None:
    assert parse_article_url(url, profile) is None


def test_tag_path_is_plus_joined_and_percent_encoded() -> None:
    assert tag_path("Dân vận") == "/tag/D%C3%A2n+v%E1%BA%ADn.html"
    assert tag_path("Đà Lạt") == "/tag/%C4%90%C3%A0+L%E1%BA%A1t.html"


def test_absolute_url_resolves_relative_links() -> None:
    assert (
        absolute_url("/a/b.jpg", "https://congan.com.vn/x/y.html")
        == "https://congan.com.vn/a/b.jpg"
    )


@pytest.mark.parametrize(
    "href", ["javascript:void(0)", "mailto:a@b.c", "data:image/png;base64,AA", "http://[::1/a"]
)
def test_absolute_url_refuses_non_web_links(href: str) -> None:
    assert absolute_url(href, "https://congan.com.vn/") is None


def test_unreadable_url_is_not_first_party() -> None:
    assert not is_first_party("http://[::1", ("congan.com.vn",))
