"""An element's text as a reader sees it (no script or style contents), and as paragraphs:
block elements and double line breaks separate them."""

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
# elements whose contents a browser never shows as text
INVISIBLE_TAGS = frozenset(["script", "style", "noscript", "template"])
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def visible_text(element: lxml.html.HtmlElement) -> str:
    """``text_content()`` without script, style, noscript and template contents, normalised."""
    return normalize_inline("".join(_visible_parts(element)))


def _visible_parts(element: lxml.html.HtmlElement) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in INVISIBLE_TAGS:
            parts += _visible_parts(child)
        parts.append(child.tail or "")
    return parts


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
        elif tag in INVISIBLE_TAGS:
            pass  # its contents are not text; its tail (below) is
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
        elif tag and tag not in INVISIBLE_TAGS:
            _walk_inline(child, buffer)
        if child.tail:
            buffer.append(child.tail)


def _flush(buffer: list[str], out: list[str]) -> None:
    if buffer:
        out.append("".join(buffer))
        buffer.clear()


LINK_HEAVY = 0.5  # share of a block's text inside links above which it is a list of links


def link_share(element: lxml.html.HtmlElement) -> float:
    """The share of the element's visible text that lies inside links."""
    text = visible_text(element)
    if not text:
        return 0.0
    linked = sum(len(visible_text(link)) for link in element.iter("a"))
    return linked / len(text)


def link_heavy_texts(container: lxml.html.HtmlElement) -> set[str]:
    """Texts of the blocks in ``container`` that are mostly links ("Đọc thêm: …", related
    lists): never body paragraphs."""
    return {
        visible_text(block)
        for block in container.iter("p", "div", "li", "ul")
        if next(block.iter("a"), None) is not None and link_share(block) >= LINK_HEAVY
    }
