"""The parse stage's orchestrator: one article page in, one ``ArticleRecord`` out.

The layers, in order of trust: structured metadata, then the site profile, then the generic
extractor (only when the profile finds no body). ``record.extraction`` says which layer
produced each field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.config.schema import SiteProfile
from monitor.dates import ParsedDate, parse_date_detail
from monitor.errors import ExtractionError
from monitor.parse.document import decode_html, load_document
from monitor.parse.generic import GenericFields, read_generic_fields
from monitor.parse.metadata import Metadata, read_metadata
from monitor.parse.profile import ProfileFields, body_paragraphs, read_profile_fields
from monitor.record import REQUIRED_FIELDS, ArticleRecord, DiscoveryHint, Layer
from monitor.text import normalize_inline
from monitor.urls import ArticleUrl, is_first_party, parse_article_url


@dataclass
class _Fields:
    """Values chosen so far, and the layer each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def choose(self, name: str, *candidates: tuple[Any, Layer]) -> None:
        for value, layer in candidates:
            if value:
                self.values[name] = value
                self.layers[name] = layer
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
    # 1. decode and parse the HTML
    problems: list[str] = []
    html = page if isinstance(page, str) else _decoded(page, content_type, problems)
    root = load_document(html, url)
    # 2. the URL says which article this is
    address = _article_address(url, profile)
    # 3. the layers, most trusted first
    metadata = read_metadata(root)
    fields = read_profile_fields(root, url, profile)
    generic = read_generic_fields(html, url) if not fields.paragraphs else None
    # 4. choose each field, noting its layer
    chosen = _Fields(problems=problems)
    _choose_text_fields(chosen, metadata, fields, generic, profile)
    _choose_dates(chosen, metadata, fields, generic, html, profile, now)
    _choose_canonical(chosen, metadata, address, profile)
    return _record(url, address, chosen)


def _decoded(data: bytes, content_type: str | None, problems: list[str]) -> str:
    html, decode_problems = decode_html(data, content_type)
    problems.extend(decode_problems)
    return html


def _article_address(url: str, profile: SiteProfile) -> ArticleUrl:
    address = parse_article_url(url, profile)
    if address is None:
        raise ExtractionError(f"not an article URL of {profile.name}", url=url)
    return address


def _choose_text_fields(
    chosen: _Fields,
    metadata: Metadata,
    fields: ProfileFields,
    generic: GenericFields | None,
    profile: SiteProfile,
) -> None:
    generic_body = body_paragraphs(list(generic.paragraphs), profile) if generic else ()
    profile_title: tuple[object, Layer] = (fields.title, "profile")
    generic_title: tuple[object, Layer] = (generic.title if generic else None, "generic")
    # A page whose body the profile cannot find is not in the profile's shape: its broad
    # title selectors are then less trustworthy than the generic extractor.
    ranked = (profile_title, generic_title) if generic is None else (generic_title, profile_title)
    chosen.choose("title", (_without_suffix(metadata.title, profile), "metadata"), *ranked)
    chosen.choose("lead", (fields.lead, "profile"))
    body = [p for p in fields.paragraphs if p != fields.lead] if fields.lead else fields.paragraphs
    chosen.choose("body", ("\n\n".join(body), "profile"), ("\n\n".join(generic_body), "generic"))
    chosen.choose("author", (metadata.author, "metadata"), (fields.author, "profile"))
    chosen.choose("tags", (metadata.tags, "metadata"), (fields.tags, "profile"))
    chosen.choose("images", (fields.images, "profile"))


def _choose_dates(
    chosen: _Fields,
    metadata: Metadata,
    fields: ProfileFields,
    generic: GenericFields | None,
    html: str,
    profile: SiteProfile,
    now: datetime | None,
) -> None:
    published = _first_date(
        chosen,
        now,
        (metadata.published, "metadata"),
        (fields.date_text, "profile"),
        (_generic_date(generic, html, profile, now), "generic"),
    )
    if published is not None and published.weekday_problem:
        chosen.problems.append(published.weekday_problem)
    modified = parse_date_detail(metadata.modified, now=now) if metadata.modified else None
    chosen.choose("updated_at", (modified.value.isoformat() if modified else None, "metadata"))


def _first_date(
    chosen: _Fields, now: datetime | None, *candidates: tuple[str | None, Layer]
) -> ParsedDate | None:
    for text, layer in candidates:
        if not text:
            continue
        parsed = parse_date_detail(text, now=now)
        if parsed is None:
            chosen.problems.append(f"{layer} date {text!r} is not a valid publish date")
            continue
        chosen.choose("published_at", (parsed.value.isoformat(), layer))
        chosen.values["published_precision"] = parsed.precision
        return parsed
    chosen.values["published_at"] = chosen.values["published_precision"] = None
    return None


def _generic_date(
    generic: GenericFields | None, html: str, profile: SiteProfile, now: datetime | None
) -> str | None:
    """trafilatura's date, unless it is only the site-wide header date (today's)."""
    if generic is None or not generic.date_text:
        return None
    header = re.search(profile.header_date, normalize_inline(html[:200_000]))
    header_date = parse_date_detail(header.group(0), now=now) if header else None
    candidate = parse_date_detail(generic.date_text, now=now)
    if candidate and header_date and candidate.value.date() == header_date.value.date():
        return None
    return generic.date_text


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
        "canonical_url", (declared.url if declared else None, "metadata"), (address.url, "url")
    )


def _host(url: str) -> str:
    return url.split("/")[2].lower()


def _without_suffix(title: str | None, profile: SiteProfile) -> str | None:
    if not title:
        return None
    for suffix in profile.title_suffixes:
        title = title.removesuffix(suffix)
    return title.strip() or None


def _record(url: str, address: ArticleUrl, chosen: _Fields) -> ArticleRecord:
    values = chosen.values
    missing = [name for name in REQUIRED_FIELDS if not values.get(name)]
    problems = chosen.problems + [f"no {name.replace('_at', ' date')} found" for name in missing]
    layers: dict[str, Layer] = {"article_id": "url", "section": "url", **chosen.layers}
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
