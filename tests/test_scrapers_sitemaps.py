"""scrapers.sitemaps, end to end: the real spider finds articles through robots.txt's
``Sitemap:`` line and ``site.sitemaps`` alone, asks only what changed, never loses what a cap
left for later, and keeps what each entry point said of its articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sitemap_support import NEWS_SIZE, SitemapSite, sitemap_only

from monitor.archive import Archive
from replica.server import ReplicaServer

from crawl_support import archived_ids, article_requests, database_of, monitor, write_config

pytestmark = pytest.mark.e2e


@pytest.fixture
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer(SitemapSite()) as running:
        yield running


def config_for(tmp_path: Path, server: ReplicaServer, *lines: str) -> Path:
    return sitemap_only(write_config(tmp_path, server.base_url), *lines)


def published(server: ReplicaServer) -> set[int]:
    return {entry.id for entry in server.site.entries}


def crawl(config: Path) -> None:
    result = monitor(config, "crawl", "--create")
    assert result.returncode == 0, result.stderr


def test_robots_sitemap_line_alone_finds_every_article(
    tmp_path: Path, server: ReplicaServer
) -> None:
    config = config_for(tmp_path, server)
    crawl(config)
    assert archived_ids(config) == published(server)


def test_idle_run_costs_the_entry_points_as_304s(tmp_path: Path, server: ReplicaServer) -> None:
    config = config_for(tmp_path, server)
    crawl(config)
    server.clear_requests()
    crawl(config)
    asked = {r.path: r.status for r in server.requests if r.path != "/robots.txt"}
    # the index, and the news sitemap: it gives no <lastmod>, so it is asked conditionally
    assert asked == {"/rss/gone.rss": 404, "/sitemap.xml": 304, "/sitemaps/news.xml": 304}


def test_a_publication_reads_only_the_changed_sitemaps(
    tmp_path: Path, server: ReplicaServer
) -> None:
    config = config_for(tmp_path, server)
    crawl(config)
    new = server.publish("danvan")
    server.clear_requests()
    crawl(config)
    month = new["published_at"][:7]
    fetched = sorted(r.path for r in server.requests if r.status == 200 and r.path != "/robots.txt")
    assert fetched == sorted(
        ["/sitemap.xml", "/sitemaps/news.xml", f"/sitemaps/{month}.xml.gz", new["path"]]
    )
    assert [r.path for r in article_requests(server)] == [new["path"]]


def test_configured_sitemap_works_without_robots_line(
    tmp_path: Path, server: ReplicaServer
) -> None:
    SitemapSite.robots_sitemap = False
    try:
        config = config_for(tmp_path, server, 'sitemaps = ["/sitemap.xml"]')
        crawl(config)
    finally:
        SitemapSite.robots_sitemap = True
    assert archived_ids(config) == published(server)


def test_a_capped_sitemap_gives_the_rest_in_later_runs(
    tmp_path: Path, server: ReplicaServer
) -> None:
    config = config_for(tmp_path, server, "sitemap_max_articles = 10")  # months hold 14-17
    crawl(config)
    first = archived_ids(config)
    assert NEWS_SIZE < len(first) < len(published(server))
    crawl(config)
    assert archived_ids(config) == published(server)


def test_articles_keep_the_hint_of_the_entry_point_that_named_them(
    tmp_path: Path, server: ReplicaServer
) -> None:
    config = config_for(tmp_path, server)
    crawl(config)
    newest = server.site.entries[0]
    with Archive.open(database_of(config), readonly=True) as archive:
        hint = archive.articles.discovery_hint(newest.id)
    assert hint is not None and hint.source == "sitemap"
    assert hint.entry == "/sitemap.xml"
    assert hint.title == str(newest.article["title"]).strip()
    assert (hint.published or "").startswith(newest.when.strftime("%Y-%m-%dT%H:%M"))
