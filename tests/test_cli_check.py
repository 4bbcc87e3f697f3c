"""``monitor check``, run in-process: a page diagnosed against the profile, with exit 0 when the
profile alone reads it, 1 when fallbacks were needed and 2 for unusable input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.cli import run
from replica.server import ReplicaServer
from replica.site import ReplicaSite

from crawl_support import write_config
from golden_pages import PAGES_DIR

PLAIN = PAGES_DIR / "175396-plain.html"
OTHER = PAGES_DIR / "175351-generic.html"
ARTICLE_URL = "https://congan.com.vn/tin-chinh/tphcm-sap-xep_175396.html"


@pytest.fixture(scope="module")
def server() -> Iterator[ReplicaServer]:
    site = ReplicaSite(disallow=["/tin-chinh/tphcm-sap-xep"])
    with ReplicaServer(site) as running:
        yield running


@pytest.fixture
def config(tmp_path: Path, server: ReplicaServer) -> Path:
    return write_config(tmp_path, server.base_url)


def check(
    capsys: pytest.CaptureFixture[str], *args: str, config: Path | None = None
) -> tuple[int, str, str]:
    code = run([*(["--config", str(config)] if config else []), "check", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_page_the_profile_reads_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = check(capsys, str(PLAIN), "--url", ARTICLE_URL)
    assert code == 0
    assert "ok: the site profile alone reads this page" in out
    assert "from profile: #article_content" in out


def test_a_page_needing_fallbacks_exits_1_and_says_what_missed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "https://congan.com.vn/tin-chinh/day-nhanh_175351.html"
    code, out, _ = check(capsys, str(OTHER), "--url", url, "--json")
    assert code == 1
    report = json.loads(out)
    fields = {field["name"]: field for field in report["fields"]}
    assert fields["body"]["layer"] == "generic"
    assert fields["body"]["profile_missed"] == "no selector of article.body matched"
    assert fields["published_at"]["how"] == "datePublished or article:published_time"


def test_a_live_article_is_fetched_politely(
    capsys: pytest.CaptureFixture[str], config: Path, server: ReplicaServer
) -> None:
    entry = server.site.entries[0]
    url = f"{server.base_url}{entry.path}"
    server.clear_requests()
    code, out, _ = check(capsys, url, config=config)
    assert code == 0, out
    paths = [request.path for request in server.requests]
    assert paths == ["/robots.txt", entry.path]
    assert all("congan-monitor" in (r.user_agent or "") for r in server.requests)


def test_robots_txt_refusing_the_page_is_unusable_input(
    capsys: pytest.CaptureFixture[str], config: Path, server: ReplicaServer
) -> None:
    url = f"{server.base_url}/tin-chinh/tphcm-sap-xep-to-chuc_175396.html"
    code, _, err = check(capsys, url, config=config)
    assert code == 2
    assert err.strip().endswith(f"robots.txt of {url.split('/')[2]} forbids {url}")


def test_a_listing_shows_its_links_and_next_page(
    capsys: pytest.CaptureFixture[str], config: Path, server: ReplicaServer
) -> None:
    code, out, _ = check(capsys, f"{server.base_url}/tin-chinh", config=config)
    assert code == 0, out
    assert out.startswith(f"listing: {server.base_url}/tin-chinh")
    assert "from the main list" in out
    assert f"next page: {server.base_url}/tin-chinh/trang-2.html" in out


def test_a_feed_shows_its_items(
    capsys: pytest.CaptureFixture[str], config: Path, server: ReplicaServer
) -> None:
    code, out, _ = check(capsys, f"{server.base_url}/rss/home.rss", "--json", config=config)
    assert code == 0
    report = json.loads(out)
    assert report["kind"] == "feed"
    assert report["link_count"] == 20


@pytest.mark.parametrize(
    ("content", "says"), [(None, "no such file"), (b"", "empty page"), (b"\x89PNG\r\n", "not")]
)
def test_unusable_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None, says: str
) -> None:
    page = tmp_path / "page.html"
    if content is not None:
        page.write_bytes(content)
    code, out, err = check(capsys, str(page), "--url", ARTICLE_URL)
    assert code == 2
    assert out == ""
    assert says in err
    assert err.count("\n") == 1


@pytest.fixture(scope="module")
def redesign() -> Iterator[ReplicaServer]:
    site = ReplicaSite()
    site.set_layout("redesign")
    with ReplicaServer(site) as running:
        yield running


def test_a_sitemap_index_names_its_sitemaps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, redesign: ReplicaServer
) -> None:
    config = write_config(tmp_path, redesign.base_url)
    code, out, _ = check(capsys, f"{redesign.base_url}/sitemap.xml", "--json", config=config)
    report = json.loads(out)
    assert (code, report["kind"]) == (0, "sitemap")
    assert f"{redesign.base_url}/sitemap-news.xml" in report["children"]


def test_a_gzip_monthly_sitemap_lists_every_section(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, redesign: ReplicaServer
) -> None:
    config = write_config(tmp_path, redesign.base_url)
    code, out, _ = check(capsys, f"{redesign.base_url}/sitemaps/2025-06.xml.gz", config=config)
    assert code == 0, out
    assert out.startswith("sitemap: ")
    assert "/quoc-te/" in out or "/doi-song/" in out


def test_a_redesigned_listing_is_the_whole_page_fallback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, redesign: ReplicaServer
) -> None:
    config = write_config(tmp_path, redesign.base_url)
    code, out, _ = check(capsys, f"{redesign.base_url}/tin-chinh", config=config)
    assert code == 1
    assert "the whole page (fallback)" in out
    assert "no selector of listing.container matched" in out
