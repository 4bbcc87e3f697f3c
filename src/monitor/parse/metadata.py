"""The metadata layer: JSON-LD, Open Graph and ``article:*`` meta tags, ``<link rel=canonical>``.

Structured metadata is optional on the watched site; every field here may be None.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

import lxml.html

from monitor.text import normalize_inline

ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "BlogPosting",
    "AnalysisNewsArticle",
}
MAX_LD_DEPTH = 8  # the article is at the top, in a list or in "@graph": never this deep


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    canonical: str | None = None
    description: str | None = None  # JSON-LD description, og:description or meta description
    description_source: str | None = None
    site_names: tuple[str, ...] = ()  # og:site_name, JSON-LD publisher: never a byline


def read_metadata(root: lxml.html.HtmlElement) -> Metadata:
    """What the page's structured metadata says; JSON-LD wins over meta tags."""
    meta = _meta_tags(root)
    ld = _json_ld_article(root)
    title = _text(ld.get("headline")) or meta.get("og:title")
    description, description_source = _description(ld, meta)
    return Metadata(
        title=title,
        published=_text(ld.get("datePublished")) or meta.get("article:published_time"),
        modified=_text(ld.get("dateModified")) or meta.get("article:modified_time"),
        author=_author(ld.get("author")) or meta.get("author") or meta.get("article:author"),
        tags=_keywords(ld.get("keywords")) or _meta_all(root, "article:tag"),
        canonical=_canonical(root) or meta.get("og:url"),
        description=description,
        description_source=description_source,
        site_names=_site_names(ld, meta),
    )


def _description(ld: dict[str, Any], meta: dict[str, str]) -> tuple[str | None, str | None]:
    for source, value in (
        ("JSON-LD description", _text(ld.get("description"))),
        ("og:description", meta.get("og:description")),
        ("meta description", meta.get("description")),
    ):
        if value:
            return value, source
    return None, None


def _site_names(ld: dict[str, Any], meta: dict[str, str]) -> tuple[str, ...]:
    publisher = ld.get("publisher")
    names = [meta.get("og:site_name"), _author(publisher) if publisher else None]
    return tuple(name for name in names if name)


def _meta_tags(root: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in root.iterfind(".//meta"):
        name = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if name and content and name.lower() not in found:
            found[name.lower()] = clean_text(content)
    return found


def _meta_all(root: lxml.html.HtmlElement, name: str) -> tuple[str, ...]:
    values = (
        clean_text(word)
        for element in root.iterfind(".//meta")
        if (element.get("property") or element.get("name") or "").lower() == name
        for word in (element.get("content") or "").split(",")
    )
    return tuple(dict.fromkeys(value for value in values if value))


def _canonical(root: lxml.html.HtmlElement) -> str | None:
    for element in root.iterfind(".//link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            return str(element.get("href")).strip()
    return None


def _json_ld_article(root: lxml.html.HtmlElement) -> dict[str, Any]:
    for script in root.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):  # not JSON, or arrays nested a thousand deep
            continue
        article = _find_article(data)
        if article is not None:
            return article
    return {}


def _find_article(data: Any, depth: int = 0) -> dict[str, Any] | None:
    if depth > MAX_LD_DEPTH or not isinstance(data, list | dict):
        return None
    if isinstance(data, list):
        return next((found for item in data if (found := _find_article(item, depth + 1))), None)
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(kind, str) and kind in ARTICLE_TYPES for kind in kinds):
        return data
    return _find_article(data.get("@graph"), depth + 1)


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return clean_text(value) or None
    return None


def clean_text(value: str) -> str:
    """A metadata value as text: character references some sites write into JSON-LD and
    attributes (once or twice escaped: ``&#237;``, ``&amp;#7871;``) decoded, then normalised."""
    for _ in range(2):
        if "&" not in value:
            break
        value = html.unescape(value)
    return normalize_inline(value)


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [name for item in value if (name := _author(item))]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return ()
    words = (
        clean_text(word) for item in value if isinstance(item, str) for word in item.split(",")
    )
    return tuple(dict.fromkeys(word for word in words if word))
