"""Selectors for the listing keys of the profile, induced from listing pages.

The evidence for a listing's main list: article links whose items share one shape (the chain
of tags and classes above the link) form lists; a sidebar ("most read") repeats the same
articles on every page of a listing, while the main list moves on page by page. So the main
list is the shape whose articles change between the sample pages (or, with one page, the shape
with the most articles). The next page is the link the generic pagination reader follows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html

from monitor.config.schema import SiteProfile
from monitor.discover import parse_listing
from monitor.learn.candidates import proposals
from monitor.learn.induce import Learned
from monitor.parse.region import common_ancestor
from monitor.parse.select import select_all
from monitor.urls import absolute_url, parse_article_url

_SHAPE_DEPTH = 3  # ancestors of a link that make its item's shape


@dataclass(frozen=True)
class ListingSample:
    url: str
    html: bytes


@dataclass(frozen=True)
class _Page:
    sample: ListingSample
    root: lxml.html.HtmlElement
    shapes: dict[str, list[lxml.html.HtmlElement]]  # shape → its article links
    next_page: str | None


def learn_listing_keys(
    samples: Sequence[ListingSample], profile: SiteProfile, hosts: tuple[str, ...]
) -> list[Learned]:
    """The container, item link and next-page selectors that hold on the samples."""
    listing_path = urlsplit(samples[0].url).path if samples else "/"
    pages = [_read(sample, profile, hosts, listing_path) for sample in samples]
    main = _main_shape(pages, profile)
    container, item = _container_and_item(pages, main, profile) if main else ((), ())
    return [
        Learned("listing.container", container, len(pages) if container else 0, len(pages)),
        Learned("listing.item_link", item, len(pages) if item else 0, len(pages)),
        _next_page_key(pages),
    ]


def _read(
    sample: ListingSample, profile: SiteProfile, hosts: tuple[str, ...], listing_path: str
) -> _Page:
    root = lxml.html.document_fromstring(sample.html)
    shapes: dict[str, list[lxml.html.HtmlElement]] = defaultdict(list)
    for link in root.iter("a"):
        target = absolute_url(link.get("href") or "", sample.url)
        if target and target.split("/")[2] in hosts and parse_article_url(target, profile):
            shapes[_shape(link)].append(link)
    blank = profile.model_copy(
        update={"listing": profile.listing.model_copy(update={"next_page": ()})}
    )
    next_page = parse_listing(sample.html, sample.url, blank, hosts, listing_path).next_page
    return _Page(sample, root, dict(shapes), next_page)


def _shape(link: lxml.html.HtmlElement) -> str:
    chain = [link, *list(link.iterancestors())[:_SHAPE_DEPTH]]
    return " < ".join(f"{e.tag}.{'.'.join(sorted((e.get('class') or '').split()))}" for e in chain)


def _ids(links: Sequence[lxml.html.HtmlElement], page: _Page, profile: SiteProfile) -> set[int]:
    found = set()
    for link in links:
        target = absolute_url(link.get("href") or "", page.sample.url)
        article = parse_article_url(target, profile) if target else None
        if article is not None:
            found.add(article.article_id)
    return found


def _main_shape(pages: Sequence[_Page], profile: SiteProfile) -> str | None:
    """The shape whose articles change most between pages; on one page, the largest."""
    shapes = set().union(*(page.shapes for page in pages))

    def rank(shape: str) -> tuple[int, int]:
        per_page = [_ids(page.shapes.get(shape, []), page, profile) for page in pages]
        moving = len(set().union(*per_page)) - min(len(ids) for ids in per_page)
        return (moving if len(pages) > 1 else 0, sum(len(ids) for ids in per_page))

    return max(sorted(shapes), key=rank, default=None)


def _container_and_item(
    pages: Sequence[_Page], shape: str, profile: SiteProfile
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    first = next(page for page in pages if page.shapes.get(shape))
    links = first.shapes[shape]
    container = common_ancestor(links)
    if container is None:
        return (), ()
    for selector in proposals(container):
        items = [s for s in proposals(links[0]) if _items_hold(selector, s, pages, shape, profile)]
        if items:
            return (selector,), (items[0],)
    return (), ()


def _items_hold(
    container: str, item: str, pages: Sequence[_Page], shape: str, profile: SiteProfile
) -> bool:
    """On every page, the item links in the container are the main list's articles."""
    for page in pages:
        found = select_all(page.root, container)
        if not found:
            return False
        links = select_all(found[0], item)
        if _ids(links, page, profile) != _ids(page.shapes.get(shape, []), page, profile):
            return False
    return True


def _next_page_key(pages: Sequence[_Page]) -> Learned:
    """The link to the page the generic pagination reader follows, named by its class."""
    with_next = [page for page in pages if page.next_page]
    candidates: dict[str, None] = {}
    for page in with_next:
        for link in page.root.iter("a"):
            if absolute_url(link.get("href") or "", page.sample.url) == page.next_page:
                candidates.update(dict.fromkeys(proposals(link)))
    for selector in candidates:
        if all(_next_link(page, selector) == page.next_page for page in pages):
            return Learned("listing.next_page", (selector,), len(with_next), len(with_next))
    return Learned("listing.next_page", (), 0, len(with_next))


def _next_link(page: _Page, selector: str) -> str | None:
    """Where the selector leads: one link, or None (no link, or several: not a next link)."""
    found = select_all(page.root, selector)
    return absolute_url(found[0].get("href") or "", page.sample.url) if len(found) == 1 else None
