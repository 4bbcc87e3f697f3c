"""The site-profile layer: the profile's selectors and markers applied to an article page."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from monitor.config.schema import SiteProfile
from monitor.parse.blocks import paragraphs_of, visible_text
from monitor.parse.select import select_all, select_any, select_first
from monitor.record import Image
from monitor.urls import absolute_url

_TIME_PART = re.compile(r"^\d{1,2}\s*[:hg]\s*\d{2}")
IMAGE_SOURCE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "src")


@dataclass(frozen=True)
class ProfileFields:
    title: str | None
    date_text: str | None
    author: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    images: tuple[Image, ...]
    tags: tuple[str, ...]


def read_profile_fields(
    root: lxml.html.HtmlElement, url: str, profile: SiteProfile
) -> ProfileFields:
    """Everything the profile's selectors find. Mutates ``root`` (strips boxes from the body)."""
    selectors = profile.article
    date_text, line_author = _date_line(root, profile)
    body = select_first(root, selectors.body)
    images: tuple[Image, ...] = ()
    paragraphs: tuple[str, ...] = ()
    if body is not None:
        images = _images(body, url, profile)
        _strip(body, selectors.strip)
        paragraphs = body_paragraphs(paragraphs_of(body), profile)
    return ProfileFields(
        title=_first_text(root, selectors.title),
        date_text=date_text,
        author=line_author or _first_text(root, selectors.author),
        lead=_lead(root, profile),
        paragraphs=paragraphs,
        images=images,
        tags=_tags(root, profile),
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


def _first_text(root: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    element = select_first(root, selectors)
    return (visible_text(element) or None) if element is not None else None


def _lead(root: lxml.html.HtmlElement, profile: SiteProfile) -> str | None:
    text = _first_text(root, profile.article.lead)
    return (strip_dateline(text, profile) or None) if text else None


def _date_line(root: lxml.html.HtmlElement, profile: SiteProfile) -> tuple[str | None, str | None]:
    """The publish-date node split into its date part and the author after the separator."""
    text = _first_text(root, profile.article.date)
    if not text:
        return None, None
    date_parts: list[str] = []
    author: str | None = None
    for index, part in enumerate(piece.strip() for piece in text.split(profile.author_separator)):
        if index == 0 or _TIME_PART.match(part):
            date_parts.append(part)
        elif part:
            author = part
    return " | ".join(date_parts), author


def _images(body: lxml.html.HtmlElement, url: str, profile: SiteProfile) -> tuple[Image, ...]:
    boxes = select_any(body, profile.article.images)
    images: list[Image] = []
    for box in boxes:  # a box nested in another box yields the same images: deduplicated
        for img in box.iter("img"):
            image = _image(img, box, url, profile)
            if image is not None and image not in images:
                images.append(image)
    return tuple(images)


def _image(
    img: lxml.html.HtmlElement, box: lxml.html.HtmlElement, url: str, profile: SiteProfile
) -> Image | None:
    source = next((img.get(name) for name in IMAGE_SOURCE_ATTRIBUTES if img.get(name)), None)
    absolute = absolute_url(source, url) if source else None
    if absolute is None:
        return None
    return Image(absolute, _caption(img, box, profile))


def _caption(
    img: lxml.html.HtmlElement, box: lxml.html.HtmlElement, profile: SiteProfile
) -> str | None:
    """The caption in the smallest ancestor of ``img`` (up to its box) holding only this image."""
    for ancestor in [img, *img.iterancestors()]:
        if sum(1 for _ in ancestor.iter("img")) > 1:
            return None
        caption = select_first(ancestor, profile.article.image_caption)
        if caption is not None:
            return visible_text(caption) or None
        if ancestor is box:
            break
    return None


def _strip(body: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for element in select_all(body, selector):
            if element is not body and element.getparent() is not None:
                element.drop_tree()


def _tags(root: lxml.html.HtmlElement, profile: SiteProfile) -> tuple[str, ...]:
    for selector in profile.article.tags:
        names = [visible_text(link) for link in select_all(root, selector)]
        names = [name for name in names if name]
        if names:
            return tuple(dict.fromkeys(names))
    return ()
