"""The parse stage's orchestrator: one article page in, one ``ArticleRecord`` out.

Every field has layers, in order of trust: structured metadata, the site profile, then the
generic layer (trafilatura for the title and body; readers of the article's own region for the
dateline, lead, byline, photos and tag links), and for the publish date at last what the feed,
sitemap or listing that named the article said (``DiscoveryHint``). ``record.extraction`` says
which layer produced each field; ``diagnose_article`` also says which selector or source, and
what the profile missed. A field is right or absent with a reason: a candidate that is known
to be wrong (the site header's date, a publisher as byline) is refused and said in ``problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.config.schema import SiteProfile
from monitor.dates import ParsedDate, parse_date_detail
from monitor.errors import ExtractionError
from monitor.parse.blocks import link_heavy_texts, visible_text
from monitor.parse.byline import byline_elements, find_byline, person, trailing_byline
from monitor.parse.dateline import find_dateline
from monitor.parse.document import decode_html, load_document
from monitor.parse.fallbacks import description_lead, region_images, region_lead, region_tags
from monitor.parse.generic import GenericFields, read_generic_fields
from monitor.parse.metadata import Metadata, read_metadata
from monitor.parse.profile import ProfileFields, body_paragraphs, read_profile_fields
from monitor.parse.region import Region, find_region, following_paragraphs
from monitor.record import REQUIRED_FIELDS, ArticleRecord, DiscoveryHint, Layer
from monitor.text import normalize_inline
from monitor.urls import ArticleUrl, is_first_party, parse_article_url

MAX_HINT_DISAGREEMENT = 86_400  # seconds: a page date this far from the discovery date is a problem
PROFILE_FIELDS = ("title", "published_at", "lead", "body", "author", "images", "tags")
_PROFILE_KEYS = {"published_at": "date"}


@dataclass(frozen=True)
class Source:
    """Where a chosen field came from: its layer, and the selector or source within it."""

    layer: Layer
    how: str


@dataclass(frozen=True)
class Diagnosis:
    """A parsed page, with where each field came from and what the profile did."""

    record: ArticleRecord
    sources: dict[str, Source]
    profile_selectors: dict[str, str]  # field → the profile selector that found it

    @property
    def profile_missed(self) -> dict[str, str]:
        """Field → why the profile gave nothing for it."""
        return {
            name: f"no selector of article.{_PROFILE_KEYS.get(name, name)} matched"
            for name in PROFILE_FIELDS
            if name not in self.profile_selectors
        }

    @property
    def profile_sufficient(self) -> bool:
        """Whether the profile alone found the title, body and publish date."""
        return all(name in self.profile_selectors for name in REQUIRED_FIELDS)


@dataclass(frozen=True)
class _Page:
    """One page as every layer read it, and what the caller knows of it."""

    url: str
    html: str
    profile: SiteProfile
    metadata: Metadata
    fields: ProfileFields
    generic: GenericFields | None
    paragraphs: tuple[str, ...]  # the body's paragraphs as the profile or trafilatura read them
    region: Region
    now: datetime | None
    hint: DiscoveryHint | None


@dataclass
class _Fields:
    """Values chosen so far, and where each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def choose(self, name: str, *candidates: tuple[Any, Layer, str]) -> None:
        for value, layer, how in candidates:
            if value:
                self.values[name] = value
                self.sources[name] = Source(layer, how)
                return
        self.values[name] = None


def parse_article(
    page: str | bytes,
    url: str,
    profile: SiteProfile,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
    hint: DiscoveryHint | None = None,
) -> ArticleRecord:
    """Parse one article page. Raises ExtractionError only for input that is not a page at all.

    ``hint`` is what the entry point that named the article said of it (see DiscoveryHint)."""
    return diagnose_article(
        page, url, profile, content_type=content_type, now=now, hint=hint
    ).record


def diagnose_article(
    page: str | bytes,
    url: str,
    profile: SiteProfile,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
    hint: DiscoveryHint | None = None,
) -> Diagnosis:
    """``parse_article``, with where each field came from (see Diagnosis)."""
    # 1. decode and parse the HTML; the URL says which article this is
    chosen = _Fields()
    html = page if isinstance(page, str) else _decoded(page, content_type, chosen.problems)
    root = load_document(html, url)
    address = _article_address(url, profile)
    # 2. the layers that read the whole page
    metadata = read_metadata(root)
    fields = read_profile_fields(root, url, profile)
    generic = read_generic_fields(html, url) if not fields.paragraphs else None
    # 3. the title and body, then the article's region, then every other field
    _choose_title(chosen, metadata, fields, generic, profile)
    paragraphs = _body_candidates(fields, generic, profile)
    region = find_region(
        root, chosen.values["title"], fields.body_element, paragraphs, fields.title_element
    )
    if generic is not None:
        paragraphs = _completed(paragraphs, region, profile)
    read = _Page(url, html, profile, metadata, fields, generic, paragraphs, region, now, hint)
    _choose_lead(chosen, read)
    _choose_author(chosen, read)
    _choose_dates(chosen, read)
    _choose_lists(chosen, read)
    _choose_body(chosen, read)
    _choose_canonical(chosen, metadata, address, profile)
    return Diagnosis(_record(url, address, chosen), chosen.sources, fields.selectors)


def _decoded(data: bytes, content_type: str | None, problems: list[str]) -> str:
    html, decode_problems = decode_html(data, content_type)
    problems.extend(decode_problems)
    return html


def _article_address(url: str, profile: SiteProfile) -> ArticleUrl:
    address = parse_article_url(url, profile)
    if address is None:
        raise ExtractionError(f"not an article URL of {profile.name}", url=url)
    return address


def _site_names(metadata: Metadata, profile: SiteProfile) -> tuple[str, ...]:
    return (profile.name, *profile.hosts, *metadata.site_names)


def _choose_title(
    chosen: _Fields,
    metadata: Metadata,
    fields: ProfileFields,
    generic: GenericFields | None,
    profile: SiteProfile,
) -> None:
    profile_title = (fields.title, "profile", fields.selectors.get("title", ""))
    generic_title = (generic.title if generic else None, "generic", "trafilatura")
    # A page whose body the profile cannot find is not in the profile's shape: its broad
    # title selectors are then less trustworthy than the generic extractor.
    ranked = (profile_title, generic_title) if generic is None else (generic_title, profile_title)
    declared = without_suffix(metadata.title, profile)
    meta_title = (declared, "metadata", "headline or og:title")
    shown = fields.title if fields.title and fields.title_element is not None else None
    if declared and shown and declared != shown and _variant_of(declared, shown):
        chosen.problems.append(
            "the metadata title differs from the headline shown: took the headline"
        )
        meta_title = (None, "metadata", "")
        ranked = (profile_title, generic_title)
    chosen.choose("title", meta_title, *ranked)  # type: ignore[arg-type]


def _variant_of(declared: str, shown: str) -> bool:
    """An edited headline (an SEO title for the same story), not another text (a logo)."""
    words, other = set(declared.casefold().split()), set(shown.casefold().split())
    return len(words & other) >= 0.6 * min(len(words), len(other))


def _body_candidates(
    fields: ProfileFields, generic: GenericFields | None, profile: SiteProfile
) -> tuple[str, ...]:
    if fields.paragraphs:
        return fields.paragraphs
    return body_paragraphs(list(generic.paragraphs), profile) if generic else ()


def _completed(
    paragraphs: tuple[str, ...], region: Region, profile: SiteProfile
) -> tuple[str, ...]:
    """The generic body with the prose paragraphs of its container that trafilatura dropped
    after its last one (up to a footer or widget marker)."""
    if region.body is None:
        return paragraphs
    more = following_paragraphs(region.body, paragraphs)
    return body_paragraphs([*paragraphs, *more], profile) if more else paragraphs


def _choose_lead(chosen: _Fields, read: _Page) -> None:
    metadata, fields, region, profile = read.metadata, read.fields, read.region, read.profile
    page_text = visible_text(region.root) if not fields.lead else ""
    described = description_lead(metadata.description, page_text, profile)
    if metadata.description and not fields.lead and described is None:
        chosen.problems.append(
            f"{metadata.description_source} is not shown whole on the page: not taken as the lead"
        )
    found = None
    if not fields.lead and not described:
        skip = frozenset(p for p in (chosen.values.get("title"),) if p)
        found = region_lead(region, profile, read.paragraphs, skip)
    chosen.choose(
        "lead",
        (fields.lead, "profile", fields.selectors.get("lead", "")),
        (described, "metadata", metadata.description_source or ""),
        (found[0] if found else None, "generic", found[1] if found else ""),
    )


def _choose_author(chosen: _Fields, read: _Page) -> None:
    metadata, fields = read.metadata, read.fields
    names = _site_names(metadata, read.profile)
    meta_author = person(metadata.author, names)
    if metadata.author and meta_author is None:
        chosen.problems.append(
            f"metadata author {metadata.author!r} names an organisation, not a person: ignored"
        )
    profile_author = person(fields.author, names)
    byline = find_byline(read.region, names) if not (meta_author or profile_author) else None
    closing = trailing_byline(read.paragraphs, names) if not fields.paragraphs else None
    chosen.choose(
        "author",
        (meta_author, "metadata", "JSON-LD author or meta author"),
        (profile_author, "profile", fields.selectors.get("author", "")),
        (byline[0] if byline else None, "generic", byline[1] if byline else ""),
        (closing, "generic", "the body's last line"),
    )


def _choose_dates(chosen: _Fields, read: _Page) -> None:
    metadata, fields, now = read.metadata, read.fields, read.now
    page_candidates: list[tuple[str | None, Layer, str]] = [
        (metadata.published, "metadata", "datePublished or article:published_time"),
        (fields.date_text, "profile", fields.selectors.get("published_at", "")),
    ]
    if not metadata.published and not fields.date_text:
        paragraphs = frozenset(read.paragraphs)
        line = find_dateline(read.region, read.profile.header_date, now=now, exclude=paragraphs)
        page_candidates.append((line.text if line else None, "generic", line.where if line else ""))
        if line is None:
            page_candidates.append(_trafilatura_date(chosen, read))
    published = _first_date(chosen, now, page_candidates)
    if read.hint is not None:
        published = _cross_check(chosen, published, read.hint, now)
    if published is not None and published.weekday_problem:
        chosen.problems.append(published.weekday_problem)
    modified = parse_date_detail(metadata.modified, now=now) if metadata.modified else None
    modified_at = modified.value.isoformat() if modified else None
    chosen.choose("updated_at", (modified_at, "metadata", "dateModified or modified_time"))


def _first_date(
    chosen: _Fields, now: datetime | None, candidates: list[tuple[str | None, Layer, str]]
) -> ParsedDate | None:
    for text, layer, how in candidates:
        if not text:
            continue
        parsed = parse_date_detail(text, now=now)
        if parsed is None:
            chosen.problems.append(f"{layer} date {text!r} is not a valid publish date")
            continue
        chosen.choose("published_at", (parsed.value.isoformat(), layer, how))
        chosen.values["published_precision"] = parsed.precision
        return parsed
    chosen.values["published_at"] = chosen.values["published_precision"] = None
    return None


def _trafilatura_date(chosen: _Fields, read: _Page) -> tuple[str | None, Layer, str]:
    """trafilatura's date, unless it is only the site-wide header date (today's)."""
    generic, html, profile, now = read.generic, read.html, read.profile, read.now
    if generic is None or not generic.date_text:
        return None, "generic", ""
    header = re.search(profile.header_date, normalize_inline(html[:200_000]))
    header_date = parse_date_detail(header.group(0), now=now) if header else None
    candidate = parse_date_detail(generic.date_text, now=now)
    if candidate and header_date and candidate.value.date() == header_date.value.date():
        chosen.problems.append(
            "the only date found is the site header's (today's date): not the publish date"
        )
        return None, "generic", ""
    return generic.date_text, "generic", "trafilatura"


def _cross_check(
    chosen: _Fields, published: ParsedDate | None, hint: DiscoveryHint, now: datetime | None
) -> ParsedDate | None:
    """The page's date against the discovery source's; the latter when the page has none."""
    known = parse_date_detail(hint.published, now=now) if hint.published else None
    if known is None:
        return published
    if published is None:
        chosen.choose("published_at", (known.value.isoformat(), "discovery", hint.source))
        chosen.values["published_precision"] = known.precision
        chosen.problems.append(f"publish date taken from the {hint.source} ({hint.entry})")
        return known
    apart = abs((published.value - known.value).total_seconds())
    if apart > MAX_HINT_DISAGREEMENT and not _same_day_only(published, known):
        chosen.problems.append(
            f"publish date {published.value.isoformat()} disagrees with the {hint.source}'s "
            f"{known.value.isoformat()} ({hint.entry})"
        )
    return published


def _same_day_only(a: ParsedDate, b: ParsedDate) -> bool:
    """A day-precision date and a timed one on the same calendar day agree."""
    return "day" in (a.precision, b.precision) and a.value.date() == b.value.date()


def _choose_lists(chosen: _Fields, read: _Page) -> None:
    metadata, fields, region, url, profile = (
        read.metadata, read.fields, read.region, read.url, read.profile
    )  # fmt: skip
    tags: tuple[str, ...] = ()
    tags_where = ""
    if not fields.tags:
        tags, tags_where = region_tags(region, url, profile)
    # the tag links the article shows come first: keywords in metadata often add sections
    # and search terms ("Kinh doanh", "Tin nóng"), or lower-case the tags
    chosen.choose(
        "tags",
        (fields.tags, "profile", fields.selectors.get("tags", "")),
        (tags, "generic", f"tag-page links in {tags_where}"),
        (metadata.tags, "metadata", "JSON-LD keywords or article:tag"),
    )
    images = region_images(region, url, profile) if not fields.images else []
    chosen.choose(
        "images",
        (fields.images, "profile", fields.selectors.get("images", "")),
        (tuple(images), "generic", "photos in the body container"),
    )


def _choose_body(chosen: _Fields, read: _Page) -> None:
    """The body without what other fields took: the lead, captions, the byline."""
    fields, paragraphs, region = read.fields, read.paragraphs, read.region
    values = chosen.values
    lead = values.get("lead")
    if fields.paragraphs:
        body = [p for p in paragraphs if p != lead] if lead else list(paragraphs)
        chosen.choose("body", ("\n\n".join(body), "profile", fields.selectors["body"]))
        return
    taken = {lead, values.get("author")}
    taken |= {image.caption for image in values.get("images") or ()}
    taken |= {visible_text(element) for element in byline_elements(region)}
    taken |= link_heavy_texts(region.root)
    if values.get("author") and trailing_byline(paragraphs, ()) == values["author"]:
        paragraphs = paragraphs[:-1]  # "Hà Thu (tổng hợp)": the byline, not body
    shown = visible_text(region.root) if region.root.tag not in ("html", "body") else None
    body = [
        p
        for p in paragraphs
        if not _taken(p, taken, lead) and (shown is None or p.removeprefix("- ") in shown)
    ]  # what trafilatura took from outside the article's region (a footer) is not body
    chosen.choose("body", ("\n\n".join(body), "generic", "trafilatura"))


def _taken(paragraph: str, taken: set[str | None], lead: str | None) -> bool:
    """Whether another field holds the paragraph (trafilatura writes a list item "- item")."""
    return (
        paragraph in taken
        or paragraph.removeprefix("- ") in taken
        or bool(lead and paragraph.endswith(lead))
    )


def _choose_canonical(
    chosen: _Fields, metadata: Metadata, address: ArticleUrl, profile: SiteProfile
) -> None:
    declared = parse_article_url(metadata.canonical, profile) if metadata.canonical else None
    if declared is not None and declared.article_id != address.article_id:
        chosen.problems.append(f"canonical URL {metadata.canonical} names another article")
        declared = None
    hosts = (*profile.hosts, _host(address.url))
    if declared is not None and not is_first_party(declared.url, hosts):
        chosen.problems.append(f"canonical URL {metadata.canonical} is off-site; ignored")
        declared = None
    chosen.choose(
        "canonical_url",
        (declared.url if declared else None, "metadata", "rel=canonical or og:url"),
        (address.url, "url", "the fetched URL"),
    )


def _host(url: str) -> str:
    return url.split("/")[2].lower()


def without_suffix(title: str | None, profile: SiteProfile) -> str | None:
    if not title:
        return None
    for suffix in profile.title_suffixes:
        title = title.removesuffix(suffix)
    return title.strip() or None


def _record(url: str, address: ArticleUrl, chosen: _Fields) -> ArticleRecord:
    values = chosen.values
    missing = [name for name in REQUIRED_FIELDS if not values.get(name)]
    problems = chosen.problems + [f"no {name.replace('_at', ' date')} found" for name in missing]
    layers: dict[str, Layer] = {"article_id": "url", "section": "url"}
    layers |= {name: source.layer for name, source in chosen.sources.items()}
    return ArticleRecord(
        url=url,
        canonical_url=str(values["canonical_url"]),
        article_id=address.article_id,
        section=address.section,
        title=_str(values["title"]),
        lead=_str(values["lead"]),
        body=_str(values["body"]),
        published_at=_str(values["published_at"]),
        published_precision=values["published_precision"],
        updated_at=_str(values["updated_at"]),
        author=_str(values["author"]),
        tags=tuple(values["tags"] or ()),
        images=tuple(values["images"] or ()),
        extraction=layers,
        problems=tuple(problems),
    )


def _str(value: object) -> str | None:
    return str(value) if value else None
