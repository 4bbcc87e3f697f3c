"""The replica's content model: which articles are published, and every page the site serves.

``ReplicaSite`` holds the real articles of ``data/articles.jsonl`` and the 2022 seed article,
each with a deterministic ``Variant`` (see ``choose_variant``) and the tags its page shows, plus the
unpublished articles of ``data/extra-articles.json`` that ``publish`` releases on demand. From
them it renders, as bytes with a content type and a last-modified time (``Page``):

- ``/`` and section listings ``/{section}``, ``/{section}/trang-{n}.html`` (10 items a page,
  newest first, ``ul.list-news > li > h3 > a``, ``a[rel=next]`` "›" and page numbers);
- tag pages ``/tag/{words+joined, percent-encoded}.html``, ``/tag/{…}/trang-{n}.html``;
- RSS 2.0 feeds ``/rss/home.rss`` (latest 20) and ``/rss/{section}.rss``;
- article pages in the site's template, or in another one after ``set_layout("changed")``;
- ``robots.txt`` (allow all, or the configured Disallow paths).

After ``set_layout("redesign")`` every page but robots.txt comes from ``redesign_site``: a new
template, path-style pagination, sitemaps instead of feeds (and a ``Sitemap:`` line in robots.txt).

Pure: no sockets, no threads. Not thread-safe: the server serialises access.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote_plus
from xml.sax.saxutils import escape as xml_escape

from monitor.dates import VN_TZ
from replica.content import HTML, TEXT, Entry, Page, newest, related
from replica.other_template import render_other_template
from replica.pages import Variant, plan_article, render_article, render_page_shell
from replica.plan import TAG_VOCABULARY
from replica.redesign_site import route_redesign
from replica.shell import (
    SECTIONS,
    SITE_NAME,
    Article,
    article_path,
    render_news_items,
    summary,
    tag_href,
    text,
)
from replica.sitemaps import INDEX_PATH
from replica.textforms import WEEKDAYS, format_date, parse_date_line, tone_decompose

DATA = Path(__file__).resolve().parent / "data"
PAGE_SIZE = 10
FEED_SIZE = 20
DANVAN_TAG = "Dân vận"
KINDS = ("danvan", "lookalike", "ordinary", "hostile")
RSS = "application/rss+xml; charset=utf-8"
Layout = Literal["normal", "changed", "redesign"]
LAYOUTS: tuple[Layout, ...] = ("normal", "changed", "redesign")

# Switches drawn for each article, with the chance of each being on. weekday_mismatch, no_lead
# and unpadded_date stay off: the site's normal pages carry a correct, padded date and a lead.
_DRAWN = (
    ("metadata", 0.5), ("tags", 0.5), ("gallery", 0.4), ("related_boxes", 0.3),
    ("nested", 0.25), ("widgets_inside", 0.3), ("decomposed", 0.15), ("zero_width", 0.1),
)  # fmt: skip
# "dân vận" straddling a word boundary: "nhân dân | vận dụng", "người dân | vận chuyển"…
_LEFT_TAILS = frozenset({"nhân", "người", "cư", "nông", "ngư", "hộ"})
_RIGHT_HEADS = frozenset({"dụng", "chuyển", "hành", "tải"})
_DANVAN = re.compile(r"(?:(\w+)\s+)?(?<!\w)dân\s+vận(?!\w)(?:\s+(\w+))?")
_DANVAN_TAGS = tuple(tag for tag in TAG_VOCABULARY if tag.casefold().startswith("dân vận"))
_SECTION_TITLES = {slug: label for slug, label, _ in SECTIONS} | {
    f"{slug}/{sub}": label for slug, _, subs in SECTIONS for sub, label in subs
}
_TAG = re.compile(r"^/tag/(?P<tag>[^/]+?)(?:/trang-(?P<page>\d+))?\.html$")
_FEED = re.compile(r"^/rss/(?P<name>[a-z0-9-]+(?:/[a-z0-9-]+)*?)(?:\.rss)?$")
_ARTICLE = re.compile(r"^/[a-z0-9/-]+_(?P<id>\d+)\.html$")
_LISTING = re.compile(r"^/(?P<section>[a-z0-9-]+(?:/[a-z0-9-]+)*?)(?:/trang-(?P<page>\d+)\.html)?$")


class NothingToPublish(LookupError):
    """No unpublished extra article of the requested kind (or id) is left."""


@dataclass(frozen=True)
class _Listing:
    """What a listing page is: its heading, its menu section, where its pages live."""

    title: str
    section: str | None
    first: str  # page 1's path; page n's is "{first without .html}/trang-{n}.html"

    def href(self, number: int) -> str:
        stem = self.first.removesuffix(".html")
        return self.first if number == 1 else f"{stem}/trang-{number}.html"


def load_articles() -> list[dict[str, Any]]:
    """The real articles: data/articles.jsonl and the 2022 seed article."""
    with (DATA / "articles.jsonl").open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    articles.append(json.loads((DATA / "seed-article.json").read_text(encoding="utf-8")))
    return articles


def load_extras() -> list[dict[str, Any]]:
    """The articles published on demand; their dates are set at publication."""
    return list(json.loads((DATA / "extra-articles.json").read_text(encoding="utf-8")))


def mentions_danvan(value: str) -> bool:
    """Whether "dân vận" occurs as a word, not straddling two ("người dân vận chuyển")."""
    for match in _DANVAN.finditer(unicodedata.normalize("NFC", value).casefold()):
        if match[1] not in _LEFT_TAILS and match[2] not in _RIGHT_HEADS:
            return True
    return False


def kind_of(article: Article) -> str:
    """The extra article's declared kind, else "danvan" or "ordinary" by the word rule."""
    if article.get("kind"):
        return str(article["kind"])
    return "danvan" if mentions_danvan(_text(article)) else "ordinary"


def _text(article: Article) -> str:
    parts = [str(article["title"]), str(article.get("lead_raw") or ""), *article["paragraphs_raw"]]
    return unicodedata.normalize("NFC", "\n".join(parts)).casefold()


def choose_variant(article: Article, *, danvan: bool) -> Variant:
    """A variant drawn from the article id. Dân vận articles show the "Dân vận" tag (and
    "Dân vận khéo" when they name it); other articles never show either. A draw that
    contradicts this is redrawn."""
    text = _text(article)
    wanted = {DANVAN_TAG} | {t for t in _DANVAN_TAGS if _tag_key(t) in text} if danvan else set()
    for attempt in range(200):
        rng = random.Random(int(article["article_id"]) * 1009 + attempt)
        on = [name for name, chance in _DRAWN if rng.random() < chance]
        if article.get("author") and rng.random() < 0.5:
            on.append("author_in_box")
        variant = Variant.of([*on, "tags"] if danvan else on)
        tags = plan_article(article, variant).tags if variant.tags else ()
        if wanted <= set(tags) if danvan else not _has_danvan_tag(tags):
            return variant
    raise ValueError(f"no variant gives article {article['article_id']} its tags")


def _has_danvan_tag(tags: Iterable[str]) -> bool:
    return any(_tag_key(tag).startswith(_tag_key(DANVAN_TAG)) for tag in tags)


def _tag_key(tag: str) -> str:
    return " ".join(unicodedata.normalize("NFC", tag).casefold().split())


def make_entry(article: Article) -> Entry:
    """A published article with its variant and tags."""
    kind = kind_of(article)
    variant = choose_variant(article, danvan=kind == "danvan")
    tags = plan_article(article, variant).tags if variant.tags else ()
    when = parse_date_line(str(article["date_line_raw"])).when
    article_id, path = int(article["article_id"]), article_path(article)
    return Entry(article, variant, tags, when, kind, article_id, path, str(article["section"]))


def header_date(when: datetime) -> str:
    """The site-wide header date: "Thứ Năm, Ngày 20 Tháng 3, 2025" (weekday tone-decomposed)."""
    weekday = tone_decompose(WEEKDAYS[when.weekday()])
    return f"{weekday}, Ngày {when.day} Tháng {when.month}, {when.year}"


def rfc822(when: datetime) -> str:
    """An RSS pubDate in Vietnam time: "Wed, 19 Mar 2025 21:02:00 +0700"."""
    return format_datetime(when.replace(tzinfo=VN_TZ))


class ReplicaSite:
    """The site's state (published articles, clock, layout, robots rules) and its pages."""

    def __init__(
        self,
        articles: Sequence[Article] | None = None,
        extras: Sequence[Article] | None = None,
        *,
        now: datetime | str | None = None,
        disallow: Sequence[str] = (),
    ) -> None:
        self._base = sorted(
            (make_entry(a) for a in (articles if articles is not None else load_articles())),
            key=lambda entry: entry.id,
        )
        self._entries = sorted(self._base, key=_newest_first)
        self._unpublished = list(extras if extras is not None else load_extras())
        self._older = sorted(self._base, key=lambda entry: (entry.when, entry.id))[:10]
        self._now = max(entry.when for entry in self._base) + timedelta(days=1)
        self._layout: Layout = "normal"
        self._disallow = tuple(disallow)
        self._cache: dict[tuple[str, str], Page] = {}
        if now is not None:
            self.set_clock(now)

    # --- state -----------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The replica's "now", naive Vietnam time."""
        return self._now

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Published articles, newest first."""
        return tuple(self._entries)

    @property
    def unpublished(self) -> tuple[Mapping[str, Any], ...]:
        """Extra articles not yet published, in file order."""
        return tuple(self._unpublished)

    def set_clock(self, now: datetime | str) -> None:
        """Set "now" (ISO 8601; an offset is converted to Vietnam time, none means Vietnam)."""
        when = datetime.fromisoformat(now) if isinstance(now, str) else now
        if when.tzinfo is not None:
            when = when.astimezone(VN_TZ).replace(tzinfo=None)
        self._now = when.replace(microsecond=0)
        self._cache.clear()

    @property
    def layout(self) -> Layout:
        return self._layout

    def set_layout(self, layout: str) -> None:
        """ "normal": the site's template; "changed": articles in a template the profile misses;
        "redesign": every page in a new template, sitemaps instead of feeds (``redesign_site``)."""
        chosen = next((name for name in LAYOUTS if name == layout), None)
        if chosen is None:
            raise ValueError(f"unknown layout {layout!r} ({', '.join(LAYOUTS)})")
        self._layout = chosen
        self._cache.clear()

    def publish(self, kind: str | int = "danvan") -> Entry:
        """Publish the next unpublished extra article of ``kind`` (or the one with that id),
        dated now; the clock then moves one minute on, so publications are strictly ordered."""
        article = self._take_extra(kind)
        author = article.get("author")
        dated = dict(article)
        dated["date_line_raw"] = format_date(self._now, padded=True, with_time=True) + (
            f"\r\n        \u00a0|\u00a0{author}" if author else ""
        )
        dated["header_date_raw"] = header_date(self._now)
        entry = make_entry(dated)
        self._entries = sorted([*self._entries, entry], key=_newest_first)
        self._now += timedelta(minutes=1)
        self._cache.clear()
        return entry

    def edit(self, article_id: int, paragraph: str) -> Entry:
        """Edit a published article in place: ``paragraph`` is appended to its body (its page,
        ETag and Last-Modified change; its publish date does not)."""
        index = next((i for i, e in enumerate(self._entries) if e.id == article_id), None)
        if index is None:
            raise KeyError(f"no published article {article_id}")
        entry = self._entries[index]
        article = dict(entry.article)
        article["paragraphs_raw"] = [*article["paragraphs_raw"], paragraph]
        self._entries[index] = replace(entry, article=article)
        self._cache.clear()
        return self._entries[index]

    def _take_extra(self, kind: str | int) -> Mapping[str, Any]:
        wanted = str(kind)
        if wanted not in KINDS and not wanted.isdigit():
            raise ValueError(f"unknown kind {wanted!r} ({', '.join(KINDS)} or an article id)")
        for index, article in enumerate(self._unpublished):
            if wanted in (str(article.get("kind")), str(article["article_id"])):
                return self._unpublished.pop(index)
        raise NothingToPublish(f"no unpublished extra article of kind or id {wanted!r}")

    # --- pages -----------------------------------------------------------------------------

    def page(self, path: str, base: str) -> Page:
        """The page at ``path`` (no query), absolute links on ``base``; a 404 page if none."""
        key = (path, base.rstrip("/"))
        cached = self._cache.get(key)
        if cached is None:
            cached = self._route(path, key[1]) or _not_found(self.header_date)
            if cached.status == 200:
                if len(self._cache) > 4096:
                    self._cache.clear()
                self._cache[key] = cached
        return cached

    @property
    def header_date(self) -> str:
        return header_date(self._now)

    def _route(self, path: str, base: str) -> Page | None:
        if path == "/robots.txt":
            return self._robots(base)
        if self._layout == "redesign":
            return route_redesign(self, path, base)
        return self._route_normal(path, base)

    def _route_normal(self, path: str, base: str) -> Page | None:
        if path == "/":
            return self._home()
        if match := _FEED.match(path):
            return self._feed(match["name"], base)
        if match := _TAG.match(path):
            return self._tag_page(unquote_plus(match["tag"]), int(match["page"] or 1))
        if match := _ARTICLE.match(path):
            return self._article(int(match["id"]), path)
        if match := _LISTING.match(path):
            return self._section_page(match["section"], int(match["page"] or 1))
        return None

    def _home(self) -> Page:
        home = _Listing("Trang chủ", None, "/")
        return self._listing(home, self._entries[:PAGE_SIZE], 1)

    def in_section(self, section: str) -> list[Entry]:
        """Published articles of a section and its subsections, newest first."""
        return [e for e in self._entries if f"{e.section}/".startswith(f"{section}/")]

    def tagged(self, tag: str) -> list[Entry]:
        """Published articles whose page shows ``tag``, newest first."""
        key = _tag_key(tag)
        return [e for e in self._entries if key in {_tag_key(t) for t in e.tags}]

    def _known_sections(self) -> set[str]:
        return set(_SECTION_TITLES) | {entry.section for entry in self._entries}

    def section_title(self, section: str) -> str | None:
        """The heading of a section's listing, or None when the site has no such section."""
        return _section_title(section) if section in self._known_sections() else None

    def related_to(self, entry: Entry) -> list[Entry]:
        """The real articles an article page shows around it (sidebars, related boxes)."""
        return related(entry, self._base)

    @property
    def most_read(self) -> tuple[Entry, ...]:
        """The "most read" articles listing pages show beside the list: the ten oldest."""
        return tuple(self._older)

    def _section_page(self, section: str, number: int) -> Page | None:
        if section not in self._known_sections():
            return None
        listing = _Listing(_section_title(section), section, f"/{section}")
        return self._paged(listing, self.in_section(section), number)

    def _tag_page(self, tag: str, number: int) -> Page | None:
        listing = _Listing(f"Tag: {tag}", None, tag_href(tag))
        return self._paged(listing, self.tagged(tag), number)

    def _paged(self, listing: _Listing, items: Sequence[Entry], number: int) -> Page | None:
        pages = max(1, -(-len(items) // PAGE_SIZE))
        if not 1 <= number <= pages:
            return None
        shown = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        return self._listing(listing, shown, number, pages)

    def _listing(
        self, listing: _Listing, items: Sequence[Entry], number: int, pages: int = 1
    ) -> Page:
        title, href = listing.title, listing.href
        main = "\n".join(
            [
                f'<h1 class="cate-title">{text(title)}</h1>',
                f'<ul class="list-news">\n{render_news_items([e.article for e in items])}\n</ul>',
                _paging(number, pages, href),
            ]
        )
        head = f'<link rel="next" href="{href(number + 1)}">' if number < pages else ""
        html = render_page_shell(
            title=title if number == 1 else f"{title} - Trang {number}",
            header_date=self.header_date,
            main_html=main,
            related=[entry.article for entry in self.most_read],
            seed=zlib.crc32(f"{title}/{number}".encode()),
            head_extra=head,
            section=listing.section,
        )
        return Page(html.encode("utf-8"), HTML, newest(items))

    def _article(self, article_id: int, path: str) -> Page | None:
        entry = next((e for e in self._entries if e.id == article_id), None)
        if entry is None or entry.path != path:
            return None
        related = [e.article for e in self.related_to(entry)]
        if self._layout == "changed":
            html = render_other_template(
                entry.article, header_date=self.header_date, related=related
            )
        else:
            html = render_article(
                entry.article, entry.variant, header_date=self.header_date, related=related
            )
        return Page(html.encode("utf-8"), HTML, newest([entry]))

    def _feed(self, name: str, base: str) -> Page | None:
        if name == "home":
            items, title = self._entries[:FEED_SIZE], SITE_NAME
        elif name in self._known_sections():
            items = self.in_section(name)[:FEED_SIZE]
            title = f"{_section_title(name)} - {SITE_NAME}"
        else:
            return None
        latest = items[0].when if items else self._now
        channel = [
            f"<title>{xml_escape(title)}</title>",
            f"<link>{xml_escape(base)}/</link>",
            f"<description>{xml_escape(title)}</description>",
            "<language>vi</language>",
            f"<lastBuildDate>{rfc822(latest)}</lastBuildDate>",
            *(_feed_item(entry, base) for entry in items),
        ]
        body = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
        body += "\n".join(channel) + "\n</channel></rss>\n"
        return Page(body.encode("utf-8"), RSS, newest(items))

    def _robots(self, base: str) -> Page:
        rules = [f"Disallow: {path}" for path in self._disallow] or ["Disallow:"]
        if self._layout == "redesign":
            rules += ["", f"Sitemap: {base}{INDEX_PATH}"]
        return Page("\n".join(["User-agent: *", *rules, ""]).encode("utf-8"), TEXT)


def _newest_first(entry: Entry) -> tuple[float, int]:
    return (-entry.when.timestamp(), -entry.id)


def _section_title(section: str) -> str:
    return _SECTION_TITLES.get(section, section)


def _paging(number: int, pages: int, href: Callable[[int], str]) -> str:
    links = []
    if number > 1:
        links.append(f'<a class="prev" rel="prev" href="{href(number - 1)}">‹</a>')
    for n in range(max(1, number - 3), min(pages, number + 3) + 1):
        links.append(
            f'<span class="current">{n}</span>' if n == number else f'<a href="{href(n)}">{n}</a>'
        )
    if number < pages:
        links.append(f'<a class="next" rel="next" href="{href(number + 1)}">›</a>')
    return f'<div class="paging">{" ".join(links)}</div>'


def _feed_item(entry: Entry, base: str) -> str:
    link = xml_escape(base + entry.path)
    return (
        f"<item><title>{xml_escape(str(entry.article['title']))}</title>"
        f"<link>{link}</link>"
        f"<description>{xml_escape(summary(entry.article))}</description>"
        f"<pubDate>{rfc822(entry.when)}</pubDate>"
        f'<guid isPermaLink="true">{link}</guid></item>'
    )


def _not_found(today: str) -> Page:
    main = '<div class="not-found"><h1>Không tìm thấy trang</h1><a href="/">Trang chủ</a></div>'
    html = render_page_shell(
        title="Không tìm thấy", header_date=today, main_html=main, related=[], seed=404
    )
    return Page(html.encode("utf-8"), HTML, None, 404)
