"""What other evidence says a sample article page's fields are, without the profile.

Structured metadata first, then what the feed, sitemap or listing said of the article
(``DiscoveryHint``), then the generic layer (trafilatura's body, the region's byline, photos and
tag links). The body's evidence leaves out what the other fields took (lead, captions, byline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import lxml.html

from monitor.config.schema import SiteProfile
from monitor.dates import ParsedDate, parse_date_detail
from monitor.parse.article import without_suffix
from monitor.parse.blocks import link_heavy_texts, visible_text
from monitor.parse.byline import find_byline, person
from monitor.parse.document import decode_html, load_document
from monitor.parse.fallbacks import region_images, region_tags, without_dateline
from monitor.parse.generic import read_generic_fields
from monitor.parse.metadata import read_metadata
from monitor.parse.profile import body_paragraphs
from monitor.parse.region import Region, find_region
from monitor.record import DiscoveryHint, Image


@dataclass(frozen=True)
class SamplePage:
    """A page to learn from: its address, its bytes, and what discovery said of it."""

    url: str
    html: bytes
    hint: DiscoveryHint | None = None


@dataclass(frozen=True)
class DateEvidence:
    value: ParsedDate
    exact: bool  # from the page's metadata (to the minute); else a discovery date (±1 day)


@dataclass(frozen=True)
class Evidence:
    """One article page and what its fields are known to be (None: not known)."""

    url: str
    root: lxml.html.HtmlElement
    region: Region
    title: str | None
    published: DateEvidence | None
    lead: str | None
    author: str | None
    body: tuple[str, ...]
    tags: tuple[str, ...]
    images: tuple[Image, ...]


def gather(sample: SamplePage, profile: SiteProfile, now: datetime | None = None) -> Evidence:
    """The evidence for one article page (ExtractionError when it is no HTML page)."""
    html, _ = decode_html(sample.html)
    root = load_document(html, sample.url)
    metadata = read_metadata(root)
    generic = read_generic_fields(html, sample.url)
    hint = sample.hint
    title = _title(metadata.title, hint, generic.title, profile)
    paragraphs = body_paragraphs(list(generic.paragraphs), profile)
    region = find_region(root, title, None, paragraphs)
    page_text = visible_text(region.root)
    lead = _shown(metadata.description, page_text, profile) or _shown(
        hint.summary if hint else None, page_text, profile
    )
    names = (profile.name, *profile.hosts, *metadata.site_names)
    byline = find_byline(region, names)
    author = person(metadata.author, names) or (byline[0] if byline else None)
    images = tuple(region_images(region, sample.url, profile))
    tags = metadata.tags or region_tags(region, sample.url, profile)[0]
    taken = {lead, author, title, *(image.caption for image in images)}
    taken |= link_heavy_texts(region.body if region.body is not None else region.root)
    body = tuple(p for p in paragraphs if p not in taken and not _is_labelled(p, author))
    published = _published(metadata.published, hint, now)
    return Evidence(sample.url, root, region, title, published, lead, author, body, tags, images)


def _title(
    meta: str | None, hint: DiscoveryHint | None, generic: str | None, profile: SiteProfile
) -> str | None:
    titles = (meta, hint.title if hint else None, generic)
    return next((without_suffix(title, profile) for title in titles if title), None)


def _shown(text: str | None, page_text: str, profile: SiteProfile) -> str | None:
    if not text:
        return None
    lead = without_dateline(text, profile)
    return lead if lead and lead in page_text else None


def _is_labelled(paragraph: str, author: str | None) -> bool:
    """A byline line such as "Tác giả: T.Nam" (the author's name with a label)."""
    return (
        bool(author)
        and paragraph.endswith(str(author))
        and len(paragraph) < 2 * len(str(author)) + 20
    )


def _published(
    meta: str | None, hint: DiscoveryHint | None, now: datetime | None
) -> DateEvidence | None:
    if meta and (parsed := parse_date_detail(meta, now=now)):
        return DateEvidence(parsed, exact=True)
    if hint and hint.published and (parsed := parse_date_detail(hint.published, now=now)):
        return DateEvidence(parsed, exact=False)
    return None
