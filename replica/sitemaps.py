"""The redesign layout's sitemaps (sitemaps.org protocol), built from the published articles.

- ``/sitemap.xml``: a sitemap index naming ``/sitemap-news.xml`` and one sitemap a month with
  articles, newest month first, each ``<sitemap>`` with its ``<lastmod>``;
- ``/sitemap-news.xml``: a Google News sitemap (``xmlns:news``) of the articles published in the
  last ``NEWS_DAYS`` days by the replica clock, with ``news:publication_date`` (W3C datetime,
  +07:00) and ``news:title``;
- ``/sitemaps/{yyyy}-{mm}.xml.gz``: the month's articles, gzip-compressed
  (``application/x-gzip``), each ``<url>`` with ``<loc>`` and ``<lastmod>`` (its publish time).

Articles of every section are listed. The bodies are deterministic (gzip without a timestamp),
so the server's ETag and Last-Modified validators work on them as on any page.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from xml.sax.saxutils import escape as xml_escape

from replica.content import Entry, Page, newest
from replica.shell import SITE_NAME
from replica.textforms import iso

NEWS_DAYS = 2
XML = "application/xml; charset=utf-8"
GZIP = "application/x-gzip"
INDEX_PATH = "/sitemap.xml"
NEWS_PATH = "/sitemap-news.xml"
_MONTH = re.compile(r"^/sitemaps/(?P<month>\d{4}-\d{2})\.xml\.gz$")
_SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
_PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n'


def sitemap_page(entries: Sequence[Entry], path: str, base: str, now: datetime) -> Page | None:
    """The sitemap at ``path`` (links absolute on ``base``), or None when there is none."""
    if path == INDEX_PATH:
        return _index(entries, base, now)
    if path == NEWS_PATH:
        return _news(news_entries(entries, now), base)
    match = _MONTH.match(path)
    if match is None:
        return None
    month = [entry for entry in entries if month_of(entry) == match["month"]]
    return _month(month, base) if month else None


def news_entries(entries: Sequence[Entry], now: datetime) -> list[Entry]:
    """The articles published in the last ``NEWS_DAYS`` days up to ``now``, newest first."""
    since = now - timedelta(days=NEWS_DAYS)
    return sorted((e for e in entries if since <= e.when <= now), key=_by_time, reverse=True)


def month_of(entry: Entry) -> str:
    """The month whose sitemap lists ``entry``: "2025-06"."""
    return f"{entry.when:%Y-%m}"


def month_path(month: str) -> str:
    return f"/sitemaps/{month}.xml.gz"


def _index(entries: Sequence[Entry], base: str, now: datetime) -> Page:
    news = news_entries(entries, now)
    months = sorted({month_of(entry) for entry in entries}, reverse=True)
    rows = [(NEWS_PATH, newest(news) or newest(entries))]
    rows += [(month_path(m), newest(e for e in entries if month_of(e) == m)) for m in months]
    items = "".join(
        f"<sitemap><loc>{xml_escape(base + path)}</loc>"
        + (f"<lastmod>{iso(when.replace(tzinfo=None))}</lastmod>" if when else "")
        + "</sitemap>\n"
        for path, when in rows
    )
    body = f'{_PROLOGUE}<sitemapindex xmlns="{_SITEMAPS}">\n{items}</sitemapindex>\n'
    return Page(body.encode("utf-8"), XML, newest(entries))


def _news(entries: Sequence[Entry], base: str) -> Page:
    items = "".join(
        f"<url><loc>{xml_escape(base + entry.path)}</loc><news:news><news:publication>"
        f"<news:name>{SITE_NAME}</news:name><news:language>vi</news:language>"
        f"</news:publication><news:publication_date>{iso(entry.when)}</news:publication_date>"
        f"<news:title>{xml_escape(str(entry.article['title']))}</news:title></news:news></url>\n"
        for entry in entries
    )
    return Page(_urlset(items, f' xmlns:news="{_NEWS}"'), XML, newest(entries))


def _month(entries: Sequence[Entry], base: str) -> Page:
    items = "".join(
        f"<url><loc>{xml_escape(base + entry.path)}</loc>"
        f"<lastmod>{iso(entry.when)}</lastmod></url>\n"
        for entry in sorted(entries, key=_by_time, reverse=True)
    )
    return Page(gzip.compress(_urlset(items), mtime=0), GZIP, newest(entries))


def _urlset(items: str, namespaces: str = "") -> bytes:
    """A ``<urlset>`` document of ``items``, with more ``namespaces`` declared if given."""
    return f'{_PROLOGUE}<urlset xmlns="{_SITEMAPS}"{namespaces}>\n{items}</urlset>\n'.encode()


def _by_time(entry: Entry) -> tuple[datetime, int]:
    return (entry.when, entry.id)
