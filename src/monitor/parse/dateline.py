"""The generic dateline finder: the publish date as the page shows it, read without the profile.

Candidates are the short texts of elements inside the article's region (``region``) that read
whole as a date (``monitor.dates``), and ``<time datetime>`` values there. The one nearest after
the title wins (else the nearest before it). The site-wide header date (today's, the profile's
``header_date`` pattern) is never a candidate, and neither is anything in the site's header,
menus, sidebars or footer, nor the body's own paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import lxml.html

from monitor.dates import ParsedDate, parse_date_detail
from monitor.parse.blocks import visible_text
from monitor.parse.region import Region

MAX_DATELINE = 120  # characters: a dateline is a short line, with a byline at most
_DIGIT = re.compile(r"\d")
# where a date or a time starts, after a byline or a label the date parser does not know
_DATE_START = re.compile(r"(?<![\d/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[:h]\d{2})")
MAX_PREFIX = 40  # characters before it


@dataclass(frozen=True)
class Dateline:
    text: str
    parsed: ParsedDate
    where: str  # the element, as tag.class


def find_dateline(
    region: Region, header_date: str, *, now: datetime | None = None, exclude: frozenset[str]
) -> Dateline | None:
    """The page's visible publish date (see the module doc); ``exclude`` are body paragraphs."""
    header = re.compile(header_date)
    before: Dateline | None = None
    after_title = region.title is None
    for element in region.elements():
        if element is region.title:
            after_title = True
            continue
        found = _candidate(element, header, exclude, now)
        if found is None:
            continue
        if after_title:
            return found
        before = before or found
    return before


def _candidate(
    element: lxml.html.HtmlElement,
    header: re.Pattern[str],
    exclude: frozenset[str],
    now: datetime | None,
) -> Dateline | None:
    if element.tag == "time" and element.get("datetime"):
        parsed = parse_date_detail(str(element.get("datetime")), now=now)
        if parsed is not None:
            return Dateline(str(element.get("datetime")), parsed, describe(element))
    if element.tag in ("a", "script", "style", "html", "body"):
        return None
    text = visible_text(element)
    if not text or len(text) > MAX_DATELINE or text in exclude or not _DIGIT.search(text):
        return None
    if header.search(text) or _inside_link(element):
        return None
    parsed = parse_date_detail(text, now=now)
    if parsed is None and (start := _DATE_START.search(text)) and start.start() <= MAX_PREFIX:
        text = text[start.start() :]  # "Nguyên Minh - 07/03/2026 08:47": a byline first
        parsed = parse_date_detail(text, now=now)
    return Dateline(text, parsed, describe(element)) if parsed is not None else None


def _inside_link(element: lxml.html.HtmlElement) -> bool:
    return any(ancestor.tag == "a" for ancestor in element.iterancestors())


def describe(element: lxml.html.HtmlElement) -> str:
    """``tag.class1.class2#id``: how an element is named in messages and diagnoses."""
    classes = "".join(f".{name}" for name in (element.get("class") or "").split())
    ident = f"#{element.get('id')}" if element.get("id") else ""
    return f"{element.tag}{classes}{ident}"
