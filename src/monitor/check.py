"""``monitor check``: one page diagnosed against the site profile.

What kind of page it is (an article, a listing, a feed, a sitemap), what each layer read from it,
and what the profile missed. An article page passes when the profile alone found its title,
body and publish date; a listing when the profile's main-list container was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from lxml import etree

from monitor.config.schema import SiteProfile
from monitor.discover import parse_feed, parse_listing, parse_sitemap
from monitor.errors import ExtractionError
from monitor.parse.article import PROFILE_FIELDS, diagnose_article
from monitor.parse.document import decode_html
from monitor.urls import parse_article_url

Kind = Literal["article", "listing", "feed", "sitemap"]
SHOWN = 80  # characters of a value shown
LINKS_SHOWN = 10
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class FieldReport:
    name: str
    value: str | None  # shortened
    layer: str | None
    how: str | None
    profile_missed: str | None  # why the profile gave nothing, when it did not


@dataclass(frozen=True)
class CheckReport:
    url: str
    kind: Kind
    profile_ok: bool  # the profile alone was enough (exit 0); else fallbacks were needed
    fields: tuple[FieldReport, ...] = ()
    problems: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # article links found (listing, feed, sitemap)
    link_count: int = 0
    scoped: bool | None = None  # listing: the main list was found
    next_page: str | None = None
    children: tuple[str, ...] = ()  # sitemap index: the sitemaps it names

    def to_dict(self) -> dict[str, Any]:
        data = {
            "url": self.url,
            "kind": self.kind,
            "profile_ok": self.profile_ok,
            "problems": list(self.problems),
        }
        if self.kind == "article":
            data["fields"] = [vars(report) for report in self.fields]
        else:
            data |= {"links": list(self.links), "link_count": self.link_count}
            data |= {"scoped": self.scoped, "next_page": self.next_page}
            data |= {"children": list(self.children)}
        return data


def check_page(
    page: bytes,
    url: str,
    profile: SiteProfile,
    hosts: tuple[str, ...],
    *,
    content_type: str | None = None,
    now: datetime | None = None,
    max_bytes: int = 10 * 1024 * 1024,
) -> CheckReport:
    """Diagnose one page; ExtractionError when it is no page of any kind at all.
    ``max_bytes`` bounds a gzip sitemap's decompressed size."""
    if parse_article_url(url, profile) is not None:
        return _check_article(page, url, profile, content_type, now)
    xml_kind = _xml_kind(page)
    if xml_kind == "feed":
        return _check_feed(page, url, profile, hosts)
    if xml_kind == "sitemap":
        return _check_sitemap(page, url, profile, hosts, max_bytes)
    return _check_listing(page, url, profile, hosts)


def _check_article(
    page: bytes, url: str, profile: SiteProfile, content_type: str | None, now: datetime | None
) -> CheckReport:
    diagnosis = diagnose_article(page, url, profile, content_type=content_type, now=now)
    record = diagnosis.record.to_dict()
    missed = diagnosis.profile_missed
    reports = []
    for name in PROFILE_FIELDS:
        source = diagnosis.sources.get(name)
        reports.append(
            FieldReport(
                name,
                _short(record[name]),
                source.layer if source else None,
                source.how if source else None,
                missed.get(name),
            )
        )
    return CheckReport(
        url, "article", diagnosis.profile_sufficient, tuple(reports), diagnosis.record.problems
    )


def _short(value: object) -> str | None:
    if value in (None, "", [], ()):
        return None
    if isinstance(value, list):
        value = "; ".join(str(v.get("url", v)) if isinstance(v, dict) else str(v) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _xml_kind(page: bytes) -> Literal["feed", "sitemap"] | None:
    if page.startswith(GZIP_MAGIC):
        return "sitemap"  # sitemaps are the only gzip files a site serves its crawlers
    head = page[:4096].lstrip()
    if not head.startswith(b"<?xml") and not head.startswith((b"<rss", b"<feed", b"<urlset")):
        return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(page, parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    name = etree.QName(root).localname
    if name in ("rss", "feed", "RDF"):
        return "feed"
    return "sitemap" if name in ("urlset", "sitemapindex") else None


def _check_feed(page: bytes, url: str, profile: SiteProfile, hosts: tuple[str, ...]) -> CheckReport:
    items = parse_feed(page, url, profile, hosts)
    links = tuple(item.article.url for item in items)
    problems = () if items else ("the feed names no article of the site",)
    return CheckReport(url, "feed", bool(items), (), problems, links[:LINKS_SHOWN], len(links))


def _check_sitemap(
    page: bytes, url: str, profile: SiteProfile, hosts: tuple[str, ...], max_bytes: int
) -> CheckReport:
    sitemap = parse_sitemap(page, url, profile, hosts, max_bytes)
    links = tuple(entry.article.url for entry in sitemap.articles)
    children = tuple(child.url for child in sitemap.children)
    problems = [sitemap.problem] if sitemap.problem else []
    if not (links or children or problems):
        problems.append("the sitemap names no article of the site and no other sitemap")
    return CheckReport(
        url,
        "sitemap",
        not problems,
        (),
        tuple(problems),
        links[:LINKS_SHOWN],
        len(links),
        children=children[:LINKS_SHOWN],
    )


def _check_listing(
    page: bytes, url: str, profile: SiteProfile, hosts: tuple[str, ...]
) -> CheckReport:
    html, _ = decode_html(page)
    if "<" not in html[:65536]:
        raise ExtractionError("not an HTML page, a feed or a sitemap", url=url)
    listing = parse_listing(page, url, profile, hosts)
    links = tuple(article.url for article in listing.articles)
    problems: list[str] = []
    if not listing.scoped:
        problems.append(
            "no selector of listing.container matched: every article link on the page was taken"
            " (sidebars included)"
        )
    if not links:
        problems.append("no article link found")
    return CheckReport(
        url,
        "listing",
        listing.scoped and bool(links),
        (),
        tuple(problems),
        links[:LINKS_SHOWN],
        len(links),
        listing.scoped,
        listing.next_page,
    )
