"""Sitemaps (sitemaps.org): a ``urlset`` names pages, a ``sitemapindex`` names more sitemaps.

Bodies may be gzip-compressed (``.xml.gz``, recognised by their magic bytes, not their name);
they are decompressed at most to ``max_bytes`` (``crawl.max_response_bytes``), so a gzip bomb
costs that much memory and no more. Google news sitemaps add ``news:publication_date`` and
``news:title`` to an entry. Only first-party article URLs of the profile's id pattern are kept;
a child sitemap is followed only on a first-party host.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from monitor.config.schema import SiteProfile
from monitor.discover.feed import xml_parser
from monitor.text import normalize_inline
from monitor.urls import ArticleUrl, absolute_url, parse_article_url

GZIP_MAGIC = b"\x1f\x8b"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True)
class SitemapUrl:
    """An article a urlset names, with what the entry says of it (as written)."""

    article: ArticleUrl
    lastmod: str | None = None
    published: str | None = None  # news:publication_date
    title: str | None = None  # news:title


@dataclass(frozen=True)
class ChildSitemap:
    url: str
    lastmod: str | None = None


@dataclass(frozen=True)
class Sitemap:
    articles: tuple[SitemapUrl, ...] = ()  # a urlset's articles, each id once, in file order
    children: tuple[ChildSitemap, ...] = ()  # an index's sitemaps, each once
    problem: str | None = None  # why nothing could be read: too large, not gzip, not a sitemap


def parse_sitemap(
    body: bytes, sitemap_url: str, profile: SiteProfile, hosts: tuple[str, ...], max_bytes: int
) -> Sitemap:
    """The articles of a urlset, or the child sitemaps of an index, in ``body``."""
    data, problem = _decompressed(body, max_bytes)
    if problem:
        return Sitemap(problem=problem)
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError:
        root = None
    kind = etree.QName(root).localname if root is not None else None
    if root is None or kind not in ("urlset", "sitemapindex"):
        return Sitemap(problem="not a sitemap (no urlset or sitemapindex)")
    if kind == "sitemapindex":
        return Sitemap(children=_children(root, sitemap_url, hosts))
    return Sitemap(articles=_articles(root, sitemap_url, profile, hosts))


def _decompressed(body: bytes, max_bytes: int) -> tuple[bytes, str | None]:
    """``body`` itself, or gunzipped when it starts with gzip's magic bytes — never more than
    ``max_bytes`` of output (the rest is not even decompressed)."""
    if not body.startswith(GZIP_MAGIC):
        return body, None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as error:
        return b"", f"not valid gzip: {error}"
    if len(data) > max_bytes:
        return b"", f"over {max_bytes} bytes once decompressed"
    return data, None


def _articles(
    root: etree._Element, base: str, profile: SiteProfile, hosts: tuple[str, ...]
) -> tuple[SitemapUrl, ...]:
    found: dict[int, SitemapUrl] = {}
    for entry in _entries(root, "url"):
        url = _first_party(_text(entry, "loc"), base, hosts)
        article = parse_article_url(url, profile) if url else None
        if article is None or article.article_id in found:
            continue
        title = _news_text(entry, "title")
        found[article.article_id] = SitemapUrl(
            article,
            lastmod=_text(entry, "lastmod"),
            published=_news_text(entry, "publication_date"),
            title=normalize_inline(title) if title else None,
        )
    return tuple(found.values())


def _children(root: etree._Element, base: str, hosts: tuple[str, ...]) -> tuple[ChildSitemap, ...]:
    found: dict[str, ChildSitemap] = {}
    for entry in _entries(root, "sitemap"):
        url = _first_party(_text(entry, "loc"), base, hosts)
        if url and url not in found:
            found[url] = ChildSitemap(url, _text(entry, "lastmod"))
    return tuple(found.values())


def _entries(root: etree._Element, name: str) -> list[etree._Element]:
    """The root's ``name`` children, whatever namespace (or none) the file uses."""
    return [child for child in root if _local(child) == name]


def _local(element: etree._Element) -> str | None:
    return etree.QName(element).localname if isinstance(element.tag, str) else None


def _first_party(loc: str | None, base: str, hosts: tuple[str, ...]) -> str | None:
    url = absolute_url(loc, base) if loc else None
    return url if url and urlsplit(url).netloc in hosts else None


def _text(entry: etree._Element, name: str) -> str | None:
    child = next((c for c in entry if _local(c) == name), None)
    text = child.text if child is not None else None
    return text.strip() if text and text.strip() else None


def _news_text(entry: etree._Element, name: str) -> str | None:
    """``news:name`` inside the entry's ``news:news`` element."""
    for news in entry.iter(f"{_NEWS}news"):
        child = news.find(f"{_NEWS}{name}")
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
    return None
