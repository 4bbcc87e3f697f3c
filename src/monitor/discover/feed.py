"""RSS 2.0 and Atom feeds: their article items with what each says of its article."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from monitor.config.schema import SiteProfile
from monitor.text import normalize_inline
from monitor.urls import ArticleUrl, absolute_url, parse_article_url

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FeedItem:
    article: ArticleUrl
    published: str | None  # the item's pubDate (Atom: published/updated) as written
    title: str | None = None
    summary: str | None = None  # the description as text (markup removed)


def xml_parser() -> etree.XMLParser:
    """Forgiving and safe: recovers what it can, never expands entities or reads the network."""
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


def parse_feed(
    page: bytes, feed_url: str, profile: SiteProfile, hosts: tuple[str, ...]
) -> tuple[FeedItem, ...]:
    """Article items of an RSS 2.0 (or Atom) feed; a malformed feed yields what can be recovered."""
    try:
        root = etree.fromstring(page, xml_parser())
    except etree.XMLSyntaxError:
        return ()
    if root is None:
        return ()
    items: dict[int, FeedItem] = {}
    for item in root.iter("item", f"{_ATOM}entry"):
        link = _feed_link(item)
        absolute = absolute_url(link, feed_url) if link else None
        if absolute is None or urlsplit(absolute).netloc not in hosts:
            continue
        article = parse_article_url(absolute, profile)
        if article is not None and article.article_id not in items:
            items[article.article_id] = _feed_item(article, item)
    return tuple(items.values())


def _feed_item(article: ArticleUrl, item: etree._Element) -> FeedItem:
    published = _first_text(item, "pubDate", f"{_ATOM}published", f"{_ATOM}updated")
    title = _first_text(item, "title", f"{_ATOM}title")
    summary = _first_text(item, "description", f"{_ATOM}summary", f"{_ATOM}content")
    return FeedItem(
        article,
        published,
        normalize_inline(title) if title else None,
        _plain(summary) if summary else None,
    )


def _plain(text: str) -> str | None:
    """A description's text: an HTML fragment's text content, normalised to one line."""
    if "<" in text:
        with contextlib.suppress(etree.ParserError, ValueError):
            text = lxml.html.fragment_fromstring(text, create_parent="div").text_content()
    return normalize_inline(text) or None


def _feed_link(item: etree._Element) -> str | None:
    text = _child_text(item, "link")
    if text:
        return text
    for link in item.iter(f"{_ATOM}link"):
        if link.get("href"):
            return link.get("href")
    return _child_text(item, "guid")


def _first_text(item: etree._Element, *names: str) -> str | None:
    return next((text for name in names if (text := _child_text(item, name))), None)


def _child_text(item: etree._Element, name: str) -> str | None:
    child = item.find(name)
    text = child.text if child is not None else None
    return text.strip() if text and text.strip() else None
