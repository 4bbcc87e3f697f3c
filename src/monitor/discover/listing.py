"""Listing pages (sections, tags): their article items, in page order, and the next page.

Each item carries what the listing says of its article, read generically: the link text as
title, the item's other text as summary, and a date-shaped piece of that text as its date.
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
# a visible date: 08/04/2025 (and a time), 2025-04-08, "3 giờ trước", "hôm qua"
_DATE_TEXT = re.compile(
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d+\s+(?:phút|giờ|tiếng|ngày)\s+trước\b|\bhôm (?:qua|nay|kia)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ListingItem:
    """What a listing says of one article, as written (normalised), or None."""

    article: ArticleUrl
    title: str | None = None
    summary: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Listing:
    items: tuple[ListingItem, ...]  # in page order, each id once
    next_page: str | None
    scoped: bool  # True when the main-list container was found; False = whole-page fallback

    @property
    def articles(self) -> tuple[ArticleUrl, ...]:
        return tuple(item.article for item in self.items)


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
        links = list(root.iterfind(".//a"))
    items = _items(links, page_url, profile, hosts, container)
    root_path = listing_path or urlsplit(page_url).path
    next_page = _next_page(root, page_url, profile, _ListingScope(hosts, root_path))
    return Listing(items, next_page, scoped=container is not None)


def _item_links(
    container: lxml.html.HtmlElement, profile: SiteProfile
) -> list[lxml.html.HtmlElement]:
    for selector in profile.listing.item_link:
        found = select_all(container, selector)
        if found:
            return found
    return []


def _items(
    links: list[lxml.html.HtmlElement],
    base: str,
    profile: SiteProfile,
    hosts: tuple[str, ...],
    container: lxml.html.HtmlElement | None,
) -> tuple[ListingItem, ...]:
    seen: dict[int, ListingItem] = {}
    for link in links:
        absolute = absolute_url(link.get("href") or "", base)
        if absolute is None or urlsplit(absolute).netloc not in hosts:
            continue
        article = parse_article_url(absolute, profile)
        if article is not None and article.article_id not in seen:
            seen[article.article_id] = _read_item(article, link, container)
    return tuple(seen.values())


def _read_item(
    article: ArticleUrl, link: lxml.html.HtmlElement, container: lxml.html.HtmlElement | None
) -> ListingItem:
    """The item's title (the link text, else its title attribute), its date-shaped text and
    the rest of its text as summary."""
    title = normalize_inline(link.text_content()) or normalize_inline(link.get("title") or "")
    pieces = [normalize_inline(text) for text in _item_element(link, container).itertext()]
    rest = [piece for piece in pieces if piece and piece != title]
    date = next((piece for piece in rest if _DATE_TEXT.search(piece)), None)
    summary = " ".join(piece for piece in rest if piece != date)
    return ListingItem(article, title or None, summary or None, date)


def _item_element(
    link: lxml.html.HtmlElement, container: lxml.html.HtmlElement | None
) -> lxml.html.HtmlElement:
    """The list item holding ``link``: its nearest ``li``/``article``, else the ancestor just
    under the main list; the link itself when neither exists."""
    element = link
    while element.tag not in ("li", "article"):
        parent = element.getparent()
        if parent is None:
            return link
        if parent is container:
            return element
        element = parent
    return element


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
