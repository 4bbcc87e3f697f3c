"""Which page the replica serves at a path in the "redesign" layout.

- ``/``, ``/{section}``, ``/tag/{words+joined}.html``: listings of 10 cards, newest first,
  paginated by path: ``/page/{n}/``, ``/{section}/page/{n}/``, ``/tag/{words+joined}/page/{n}/``
  (the old ``trang-{n}.html`` paths are gone);
- article pages at the same URLs as ever, in the redesign template (``redesign``);
- ``/sitemap.xml``, ``/sitemap-news.xml``, ``/sitemaps/{yyyy}-{mm}.xml.gz`` (``sitemaps``);
- everything else, the ``/rss/`` feeds included, is a 404 page.

``robots.txt`` stays with the site (it names ``/sitemap.xml`` in this layout).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import unquote_plus

from replica.content import HTML, Entry, Page, newest
from replica.redesign import Chrome, render_article_page, render_page, render_stream
from replica.redesign_plan import plan_redesign
from replica.shell import tag_href
from replica.sitemaps import sitemap_page

PAGE_SIZE = 10
TOPICS = 6
_ARTICLE = re.compile(r"^/[a-z0-9/-]+_(?P<id>\d+)\.html$")
_HOME = re.compile(r"^/(?:page/(?P<page>\d+)/)?$")
_TAG = re.compile(r"^/tag/(?P<tag>[^/]+?)(?:\.html|/page/(?P<page>\d+)/)$")
_SECTION = re.compile(r"^/(?P<section>[a-z0-9-]+(?:/[a-z0-9-]+)*?)(?:/page/(?P<page>\d+)/)?$")


class SiteView(Protocol):
    """What the redesign reads of the site (``ReplicaSite`` has it all)."""

    @property
    def now(self) -> datetime: ...
    @property
    def entries(self) -> tuple[Entry, ...]: ...
    @property
    def header_date(self) -> str: ...
    @property
    def most_read(self) -> tuple[Entry, ...]: ...
    def in_section(self, section: str) -> list[Entry]: ...
    def tagged(self, tag: str) -> list[Entry]: ...
    def section_title(self, section: str) -> str | None: ...
    def related_to(self, entry: Entry) -> list[Entry]: ...


@dataclass(frozen=True)
class _Stream:
    """A listing: its heading, its page-1 path, its articles (newest first)."""

    title: str
    first: str
    items: Sequence[Entry]

    def href(self, number: int) -> str:
        stem = self.first.removesuffix(".html").rstrip("/")
        return self.first if number == 1 else f"{stem}/page/{number}/"


def route_redesign(site: SiteView, path: str, base: str) -> Page:
    """The page at ``path`` in the redesign layout (a 404 page when there is none)."""
    page = sitemap_page(site.entries, path, base, site.now) or _page(site, path)
    return page or _not_found(site)


def _page(site: SiteView, path: str) -> Page | None:
    if match := _ARTICLE.match(path):
        return _article(site, int(match["id"]), path)
    if match := _HOME.match(path):
        return _listing(site, _Stream("Tin mới nhất", "/", site.entries), match["page"])
    if match := _TAG.match(path):
        tag = unquote_plus(match["tag"])
        return _listing(
            site, _Stream(f"Chủ đề: {tag}", tag_href(tag), site.tagged(tag)), match["page"]
        )
    if (match := _SECTION.match(path)) and (title := site.section_title(match["section"])):
        stream = _Stream(title, f"/{match['section']}", site.in_section(match["section"]))
        return _listing(site, stream, match["page"])
    return None


def _chrome(site: SiteView, around: Sequence[Entry], own_tags: Sequence[str] = ()) -> Chrome:
    """Today's date, "Đọc nhiều" cards of ``around``, and topics: their tags but ``own_tags``."""
    topics = [tag for entry in around for tag in entry.tags if tag not in own_tags]
    return Chrome(
        header_date=site.header_date,
        most_read=[entry.article for entry in around[:6]],
        topics=list(dict.fromkeys(topics))[:TOPICS],
    )


def _article(site: SiteView, article_id: int, path: str) -> Page | None:
    entry = next((e for e in site.entries if e.id == article_id), None)
    if entry is None or entry.path != path:
        return None
    related = site.related_to(entry)
    chrome = _chrome(site, related[4:], entry.tags)
    plan = plan_redesign(entry.article, entry.tags)
    html = render_article_page(entry.article, plan, chrome, [e.article for e in related[:4]])
    return Page(html.encode("utf-8"), HTML, newest([entry]))


def _listing(site: SiteView, stream: _Stream, page: str | None) -> Page | None:
    number = int(page or 1)
    pages = max(1, -(-len(stream.items) // PAGE_SIZE))
    if not 1 <= number <= pages:
        return None
    shown = stream.items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    main = render_stream(stream.title, [e.article for e in shown], _pager(stream, number, pages))
    html = render_page(
        title=stream.title if number == 1 else f"{stream.title} - Trang {number}",
        chrome=_chrome(site, site.most_read),
        main_html=main,
        seed=number,
    )
    return Page(html.encode("utf-8"), HTML, newest(shown))


def _pager(stream: _Stream, number: int, pages: int) -> list[tuple[str, str | None]]:
    """``(label, href)`` pairs: "Trang trước", page numbers (None: the current), "Trang sau"."""
    links: list[tuple[str, str | None]] = []
    if number > 1:
        links.append(("Trang trước", stream.href(number - 1)))
    for n in range(max(1, number - 3), min(pages, number + 3) + 1):
        links.append((str(n), None if n == number else stream.href(n)))
    if number < pages:
        links.append(("Trang sau", stream.href(number + 1)))
    return links


def _not_found(site: SiteView) -> Page:
    main = '<div class="cms-empty">Không tìm thấy trang. <a href="/">Về trang chủ</a></div>'
    html = render_page(
        title="Không tìm thấy", chrome=_chrome(site, site.most_read), main_html=main, seed=404
    )
    return Page(html.encode("utf-8"), HTML, None, 404)
