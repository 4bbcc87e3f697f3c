"""A replica of the site that also has sitemaps: robots.txt names ``/sitemap.xml``, an index of
a news sitemap (the newest articles, no ``<lastmod>``) and one gzip sitemap per month.

(A test helper beside ``crawl_support``: the replica's own pages are served unchanged.)
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from monitor.clock import VN_TZ
from replica.content import Entry, Page
from replica.site import ReplicaSite

XML = "application/xml; charset=utf-8"
GZIP = "application/x-gzip"
NEWS_SIZE = 5
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


class SitemapSite(ReplicaSite):
    """``ReplicaSite`` plus robots.txt's ``Sitemap:`` line and the sitemaps it leads to."""

    robots_sitemap = True

    def page(self, path: str, base: str) -> Page:
        base = base.rstrip("/")
        if path == "/robots.txt" and self.robots_sitemap:
            return Page(f"User-agent: *\nDisallow:\nSitemap: {base}/sitemap.xml\n".encode(), XML)
        if path == "/sitemap.xml":
            return self._index(base)
        if path == "/sitemaps/news.xml":
            return _xml(_urlset(self.entries[:NEWS_SIZE], base, news=True))
        if path.startswith("/sitemaps/") and path.endswith(".xml.gz"):
            month = path.removeprefix("/sitemaps/").removesuffix(".xml.gz")
            entries = self._months().get(month)
            if entries:
                return Page(gzip.compress(_urlset(entries, base).encode(), mtime=0), GZIP)
        return super().page(path, base)

    def _months(self) -> dict[str, list[Entry]]:
        months: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            months[entry.when.strftime("%Y-%m")].append(entry)
        return months

    def _index(self, base: str) -> Page:
        children = [f"<sitemap><loc>{base}/sitemaps/news.xml</loc></sitemap>"]
        for month, entries in sorted(self._months().items(), reverse=True):
            lastmod = _w3c(max(entry.when for entry in entries))
            children.append(
                f"<sitemap><loc>{base}/sitemaps/{month}.xml.gz</loc>"
                f"<lastmod>{lastmod}</lastmod></sitemap>"
            )
        body = f'<sitemapindex xmlns="{SITEMAPS}">{"".join(children)}</sitemapindex>'
        return _xml(body)


def _xml(body: str) -> Page:
    return Page(('<?xml version="1.0" encoding="UTF-8"?>' + body).encode(), XML)


def _urlset(entries: Iterable[Entry], base: str, *, news: bool = False) -> str:
    urls = []
    for entry in entries:
        extra = (
            f"<news:news><news:publication_date>{_w3c(entry.when)}</news:publication_date>"
            f"<news:title>{_escape(str(entry.article['title']))}</news:title></news:news>"
            if news
            else f"<lastmod>{_w3c(entry.when)}</lastmod>"
        )
        urls.append(f"<url><loc>{base}{entry.path}</loc>{extra}</url>")
    return f'<urlset xmlns="{SITEMAPS}" xmlns:news="{NEWS}">{"".join(urls)}</urlset>'


def _w3c(when: datetime) -> str:
    return when.replace(tzinfo=VN_TZ).isoformat(timespec="seconds")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sitemap_only(config: Path, *lines: str) -> Path:
    """The config with neither listings nor tags and a feed the site no longer serves (404),
    as after a redesign: sitemaps alone find the articles. ``lines`` go in its [site] table."""
    kept = [line for line in config.read_text(encoding="utf-8").splitlines()]
    kept = [line for line in kept if not line.startswith("listings =")]
    site = ["[site]", 'feeds = ["/rss/gone.rss"]', "listings = []", "tags = []", *lines]
    text = "\n".join(kept).replace("[site]", "\n".join(site), 1)
    config.write_text(text + "\n", encoding="utf-8")
    return config
