"""An element's text as paragraphs: block elements and double line breaks separate them."""

from __future__ import annotations

import re

import lxml.html

from monitor.text import normalize_inline

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "main",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "center",
        "address",
        "hr",
    ]
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs_of(element: lxml.html.HtmlElement) -> list[str]:
    """Normalised, non-empty paragraphs of ``element`` in document order."""
    raw: list[str] = []
    _walk(element, raw, [])
    return [
        text
        for chunk in raw
        for piece in _PARAGRAPH_BREAK.split(chunk)
        if (text := normalize_inline(piece))
    ]


def _walk(element: lxml.html.HtmlElement, out: list[str], buffer: list[str]) -> None:
    if element.text:
        buffer.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            buffer.append("\n")
        elif tag in BLOCK_TAGS:
            _flush(buffer, out)
            _walk(child, out, [])
        elif tag:  # inline element: its text continues the current paragraph
            _walk_inline(child, buffer)
        if child.tail:
            buffer.append(child.tail)
    _flush(buffer, out)


def _walk_inline(element: lxml.html.HtmlElement, buffer: list[str]) -> None:
    if element.text:
        buffer.append(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            buffer.append("\n")
        elif tag:
            _walk_inline(child, buffer)
        if child.tail:
            buffer.append(child.tail)


def _flush(buffer: list[str], out: list[str]) -> None:
    if buffer:
        out.append("".join(buffer))
        buffer.clear()
