"""The discover stage: which article URLs an entry point (listing page or RSS feed) names.

Pure functions over fetched bytes; the spider decides what to fetch with their answers.
Only article URLs of the site's id pattern on first-party hosts are ever returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from monitor.config.schema import SiteProfile
from monitor.parse.document import decode_html
from monitor.parse.select import select_all, select_first
from monitor.text import normalize_inline
from monitor.urls import ArticleUrl, absolute_url, parse_article_url

_PAGE_NUMBER = re.compile(r"^\d{1,4}$")


@dataclass(frozen=True)
class Listing:
    articles: tuple[ArticleUrl, ...]  # in page order, each id once
    next_page: str | None
    scoped: bool  # True when the main-list container was found; False = whole-page fallback


def parse_listing(
    page: bytes,
    page_url: str,
    profile: SiteProfile,
    hosts: tuple[str, ...],
    listing_path: str | None = None,
) -> Listing:
    """Article links of a listing page's main list, and its next page under ``listing_path``
    (the entry point's path; default: this page's path)."""
    html, _ = decode_html(page)
    try:
        root = lxml.html.document_fromstring(html) if html.strip() else None
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return Listing((), None, scoped=False)
    container = select_first(root, profile.listing.container)
    if container is not None:
        links = _item_links(container, profile)  # an empty main list is an empty listing
    else:  # fallback: every article-shaped link on the page
        links = [link.get("href") or "" for link in root.iterfind(".//a")]
    articles = _articles(links, page_url, profile, hosts)
    root_path = listing_path or urlsplit(page_url).path
    next_page = _next_page(root, page_url, profile, _ListingScope(hosts, root_path))
    return Listing(articles, next_page, scoped=container is not None)


def _item_links(container: lxml.html.HtmlElement, profile: SiteProfile) -> list[str]:
    for selector in profile.listing.item_link:
        found = [link.get("href") or "" for link in select_all(container, selector)]
        if found:
            return found
    return []


def _articles(
    hrefs: list[str], base: str, profile: SiteProfile, hosts: tuple[str, ...]
) -> tuple[ArticleUrl, ...]:
    seen: dict[int, ArticleUrl] = {}
    for href in hrefs:
        absolute = absolute_url(href, base)
        if absolute is None or urlsplit(absolute).netloc not in hosts:
            continue
        article = parse_article_url(absolute, profile)
        if article is not None:
            seen.setdefault(article.article_id, article)
    return tuple(seen.values())


@dataclass(frozen=True)
class _ListingScope:
    hosts: tuple[str, ...]
    path: str

    def contains(self, url: str, profile: SiteProfile) -> bool:
        parts = urlsplit(url)
        base = self.path.removesuffix(".html").rstrip("/") or "/"
        return (
            parts.netloc in self.hosts
            and parts.path.startswith(base)
            and parse_article_url(url, profile) is None
        )


def _next_page(
    root: lxml.html.HtmlElement, page_url: str, profile: SiteProfile, scope: _ListingScope
) -> str | None:
    """The next page: an explicit next link, a 'next' text, or the following page number,
    accepted only on the same host and under the same listing path."""
    candidates: list[str] = []
    for selector in profile.listing.next_page:
        candidates += [el.get("href") or "" for el in select_all(root, selector)]
    links = list(root.iterfind(".//a"))
    texts = set(profile.listing.next_page_texts)
    candidates += [
        a.get("href") or "" for a in links if normalize_inline(a.text_content()) in texts
    ]
    candidates += _following_number(links, page_url)
    for href in candidates:
        absolute = absolute_url(href, page_url)
        if absolute and absolute != page_url and scope.contains(absolute, profile):
            return absolute
    return None


def _following_number(links: list[lxml.html.HtmlElement], page_url: str) -> list[str]:
    current = _page_number(page_url)
    return [
        a.get("href") or ""
        for a in links
        if _PAGE_NUMBER.match(normalize_inline(a.text_content()))
        and int(normalize_inline(a.text_content())) == current + 1
    ]


def _page_number(url: str) -> int:
    numbers = re.findall(r"(\d+)", urlsplit(url).path.rsplit("/", 1)[-1] + urlsplit(url).query)
    return int(numbers[-1]) if numbers else 1


@dataclass(frozen=True)
class FeedItem:
    article: ArticleUrl
    published: str | None  # the item's pubDate as written


def parse_feed(
    page: bytes, feed_url: str, profile: SiteProfile, hosts: tuple[str, ...]
) -> tuple[FeedItem, ...]:
    """Article items of an RSS 2.0 (or Atom) feed; a malformed feed yields what can be recovered."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(page, parser)
    except etree.XMLSyntaxError:
        return ()
    if root is None:
        return ()
    items: dict[int, FeedItem] = {}
    for item in root.iter("item", "{http://www.w3.org/2005/Atom}entry"):
        link = _feed_link(item)
        absolute = absolute_url(link, feed_url) if link else None
        if absolute is None or urlsplit(absolute).netloc not in hosts:
            continue
        article = parse_article_url(absolute, profile)
        if article is not None:
            items.setdefault(article.article_id, FeedItem(article, _child_text(item, "pubDate")))
    return tuple(items.values())


def _feed_link(item: etree._Element) -> str | None:
    text = _child_text(item, "link")
    if text:
        return text
    for link in item.iter("{http://www.w3.org/2005/Atom}link"):
        if link.get("href"):
            return link.get("href")
    return _child_text(item, "guid")


def _child_text(item: etree._Element, name: str) -> str | None:
    child = item.find(name)
    text = child.text if child is not None else None
    return text.strip() if text and text.strip() else None
