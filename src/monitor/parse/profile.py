"""The site-profile layer: the profile's selectors and markers applied to an article page.

The page's tree is left as it was: boxes are stripped from a copy of the body container, so the
generic layer can still read everything the profile missed.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import lxml.html

from monitor.config.schema import SiteProfile
from monitor.parse.blocks import paragraphs_of, visible_text
from monitor.parse.images import images_in
from monitor.parse.select import first_match, select_all, select_any
from monitor.record import Image

_TIME_PART = re.compile(r"^\d{1,2}\s*[:hg]\s*\d{2}")


@dataclass(frozen=True)
class ProfileFields:
    title: str | None
    date_text: str | None
    author: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    images: tuple[Image, ...]
    tags: tuple[str, ...]
    # the selector that produced each field found; the body container and title elements
    selectors: dict[str, str] = field(default_factory=dict)
    body_element: lxml.html.HtmlElement | None = None
    title_element: lxml.html.HtmlElement | None = None


def read_profile_fields(
    root: lxml.html.HtmlElement, url: str, profile: SiteProfile
) -> ProfileFields:
    """Everything the profile's selectors find, and which selector found it."""
    selectors = profile.article
    used: dict[str, str] = {}
    title_found = first_match(root, selectors.title)
    date_text, line_author = _date_line(root, profile, used)
    body_found = first_match(root, selectors.body)
    images: tuple[Image, ...] = ()
    paragraphs: tuple[str, ...] = ()
    if body_found is not None:
        body, used["body"] = copy.deepcopy(body_found[0]), body_found[1]
        images = _images(body, url, profile, used)
        _strip(body, (*selectors.strip, *selectors.author))
        paragraphs = body_paragraphs(paragraphs_of(body), profile)
    return ProfileFields(
        title=_found_text(title_found, "title", used),
        date_text=date_text,
        author=line_author or _found_text(first_match(root, selectors.author), "author", used),
        lead=_lead(root, profile, used),
        paragraphs=paragraphs,
        images=images,
        tags=_tags(root, profile, used),
        selectors=used,
        body_element=body_found[0] if body_found else None,
        title_element=title_found[0] if title_found else None,
    )


def body_paragraphs(paragraphs: list[str], profile: SiteProfile) -> tuple[str, ...]:
    """Body paragraphs up to the first footer or widget marker, without source credits."""
    markers = profile.footer_markers + profile.widget_markers
    drops = [re.compile(pattern) for pattern in profile.drop_paragraphs]
    kept: list[str] = []
    for paragraph in paragraphs:
        if paragraph.startswith(markers):
            break
        if not any(drop.search(paragraph) for drop in drops):
            kept.append(paragraph)
    return tuple(kept)


def strip_dateline(lead: str, profile: SiteProfile) -> str:
    for prefix in profile.dateline_prefixes:
        if lead.startswith(prefix):
            return lead[len(prefix) :].lstrip(" -–:")
    return lead


def _found_text(
    found: tuple[lxml.html.HtmlElement, str] | None, name: str, used: dict[str, str]
) -> str | None:
    if found is None:
        return None
    text = visible_text(found[0]) or None
    if text:
        used[name] = found[1]
    return text


def _lead(root: lxml.html.HtmlElement, profile: SiteProfile, used: dict[str, str]) -> str | None:
    text = _found_text(first_match(root, profile.article.lead), "lead", used)
    return (strip_dateline(text, profile) or None) if text else None


def _date_line(
    root: lxml.html.HtmlElement, profile: SiteProfile, used: dict[str, str]
) -> tuple[str | None, str | None]:
    """The publish-date node split into its date part and the author after the separator."""
    text = _found_text(first_match(root, profile.article.date), "published_at", used)
    if not text:
        return None, None
    date_parts: list[str] = []
    author: str | None = None
    for index, part in enumerate(piece.strip() for piece in text.split(profile.author_separator)):
        if index == 0 or _TIME_PART.match(part):
            date_parts.append(part)
        elif part:
            author = part
    if author:
        used["author"] = used["published_at"]
    return " | ".join(date_parts), author


def _images(
    body: lxml.html.HtmlElement, url: str, profile: SiteProfile, used: dict[str, str]
) -> tuple[Image, ...]:
    selectors = profile.article.images
    images: list[Image] = []
    for box in select_any(body, selectors):  # a box nested in another yields the same images
        images += [i for i in images_in(box, url, profile.article.image_caption) if i not in images]
    if images:
        used["images"] = next(s for s in selectors if select_all(body, s))
    return tuple(images)


def _strip(body: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for element in select_all(body, selector):
            if element is not body and element.getparent() is not None:
                element.drop_tree()


def _tags(
    root: lxml.html.HtmlElement, profile: SiteProfile, used: dict[str, str]
) -> tuple[str, ...]:
    for selector in profile.article.tags:
        names = [visible_text(link) for link in select_all(root, selector)]
        names = [name for name in names if name]
        if names:
            used["tags"] = selector
            return tuple(dict.fromkeys(names))
    return ()
