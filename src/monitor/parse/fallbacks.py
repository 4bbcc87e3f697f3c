"""The generic layer's readers for the fields trafilatura does not give: the lead, photos and
tags, read inside the article's region (``region``) without the site profile."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

import lxml.html

from monitor.config.schema import SiteProfile
from monitor.parse.blocks import BLOCK_TAGS, visible_text
from monitor.parse.dateline import describe
from monitor.parse.images import images_in
from monitor.parse.region import Region
from monitor.record import Image
from monitor.urls import absolute_url, parse_article_url

MIN_LEAD = 40  # characters: shorter texts between the title and the body are labels
# a house dateline at the start of a lead: "(CAO)", "(Dân trí) -", "TTO -", "VOV.VN -"
_HOUSE_DATELINE = re.compile(r"^(?:\([^()]{1,30}\)\s*[-–—:]?|[A-ZĐ][A-ZĐ.]{1,11}\s*[-–—])\s+(?=\S)")


def without_dateline(text: str, profile: SiteProfile) -> str:
    """A lead without the house dateline the profile names, or one of the usual shape."""
    for prefix in profile.dateline_prefixes:
        if text.startswith(prefix):
            return text[len(prefix) :].lstrip(" -–—:")
    return _HOUSE_DATELINE.sub("", text, count=1)


def description_lead(description: str | None, page_text: str, profile: SiteProfile) -> str | None:
    """The page's description as its lead: only when it is shown on the page, whole (a
    description cut short with "…" is not, and neither is a summary written for search)."""
    if not description:
        return None
    lead = without_dateline(description, profile)
    return lead if lead and lead in page_text else None


def region_lead(
    region: Region, profile: SiteProfile, body: Sequence[str], skip: frozenset[str]
) -> tuple[str, str] | None:
    """The first block of text after the title and before the body (or the body's first
    paragraph when it starts with a house dateline), and where it was."""
    if body and any(body[0].startswith(p) for p in profile.dateline_prefixes):
        return without_dateline(body[0], profile), "the body's first paragraph"
    after_title = region.title is None
    for element in region.elements():
        if element is region.title:
            after_title = True
        elif element is region.body:
            return None
        elif after_title and _is_text_block(element):
            text = visible_text(element)
            if len(text) >= MIN_LEAD and text not in skip:
                return without_dateline(text, profile), describe(element)
    return None


def _is_text_block(element: lxml.html.HtmlElement) -> bool:
    if element.tag not in BLOCK_TAGS or element.tag in ("ul", "ol", "li", "nav", "table"):
        return False
    if any(child.tag in BLOCK_TAGS for child in element if isinstance(child.tag, str)):
        return False
    return next(element.iter("a", "img"), None) is None


def region_images(region: Region, url: str, profile: SiteProfile) -> list[Image]:
    """Photos in the body container (else the region), not those of boxes linking to other
    articles (related articles, menus)."""
    container = region.body if region.body is not None else region.root

    def in_related_box(img: lxml.html.HtmlElement) -> bool:
        for ancestor in img.iterancestors():
            if ancestor is container:
                return False
            if any(_is_article_link(a, url, profile) for a in ancestor.iter("a")):
                return True
        return False

    return images_in(container, url, (), keep=lambda img: not in_related_box(img))


def _is_article_link(link: lxml.html.HtmlElement, url: str, profile: SiteProfile) -> bool:
    target = absolute_url(link.get("href") or "", url)
    return target is not None and target != url and parse_article_url(target, profile) is not None


def region_tags(region: Region, url: str, profile: SiteProfile) -> tuple[tuple[str, ...], str]:
    """Texts of links to the site's tag pages inside the region, and where they were."""
    pattern = re.compile(profile.tag_path)
    names: list[str] = []
    where = ""
    for element in region.elements():
        if element.tag != "a" or not element.get("href"):
            continue
        target = absolute_url(str(element.get("href")), url)
        if target is None or not pattern.search(unquote(urlsplit(target).path)):
            continue
        name = visible_text(element).lstrip("#").strip()
        if name and name not in names:
            names.append(name)
            parent = element.getparent()
            where = where or (describe(parent) if parent is not None else "a")
    return tuple(names), where
