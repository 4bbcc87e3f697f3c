"""Where the article is on a page: its title element, its body container, and the region
holding both, found without the site profile. The generic layer reads datelines, leads,
bylines, photos and tags only inside that region, never in the site's header, menus, sidebars
or footer (where the site-wide "today" date and other articles' links live)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import lxml.html

from monitor.parse.blocks import LINK_HEAVY, link_share, visible_text

# page furniture: never part of an article's region unless it holds the title
FURNITURE_TAGS = frozenset(["nav", "footer", "aside", "header", "form"])
_PARAGRAPHS_PROBED = 30  # body paragraphs looked up to place the body container
MAJORITY = 0.8  # share of the body's blocks its container holds


@dataclass(frozen=True)
class Region:
    root: lxml.html.HtmlElement  # the smallest element holding the title and the body
    title: lxml.html.HtmlElement | None
    body: lxml.html.HtmlElement | None

    def elements(self) -> Iterator[lxml.html.HtmlElement]:
        """The region's elements in document order, without page furniture that does not
        hold the title."""
        skipped: set[lxml.html.HtmlElement] = set()
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            parent = element.getparent()
            if parent in skipped or self._is_foreign_furniture(element):
                skipped.add(element)
                continue
            yield element

    def _is_foreign_furniture(self, element: lxml.html.HtmlElement) -> bool:
        if element.tag not in FURNITURE_TAGS or element is self.root:
            return False
        holds_title = self.title is not None and (
            element is self.title or element in self.title.iterancestors()
        )
        holds_body = self.body is not None and (
            element is self.body or element in self.body.iterancestors()
        )
        return not (holds_title or holds_body)


def find_region(
    root: lxml.html.HtmlElement,
    title: str | None,
    body: lxml.html.HtmlElement | None,
    paragraphs: Sequence[str],
    title_element: lxml.html.HtmlElement | None = None,
) -> Region:
    """The region of the article whose title and body paragraphs are given; ``body`` and
    ``title_element`` when a layer already found them."""
    heading = title_element if title_element is not None else _title_element(root, title)
    container = body if body is not None else body_container(root, paragraphs)
    anchors = [element for element in (heading, container) if element is not None]
    top = common_ancestor(anchors) if anchors else None
    if top is None or top.tag in ("html", "body"):
        top = _article_ancestor(anchors) or top
    return Region(top if top is not None else root, heading, container)


def _title_element(root: lxml.html.HtmlElement, title: str | None) -> lxml.html.HtmlElement | None:
    headings = [h for h in root.iter("h1", "h2") if visible_text(h)]
    if title:
        for heading in headings:
            if visible_text(heading) == title:
                return heading
    h1s = [heading for heading in headings if heading.tag == "h1"]
    if len(h1s) == 1:
        return h1s[0]
    return _element_reading(root, title) if title else None


def _element_reading(root: lxml.html.HtmlElement, text: str) -> lxml.html.HtmlElement | None:
    """The innermost element of the page's body whose text is ``text`` (a headline in a div)."""
    body = root.find("body")
    tags = ("div", "p", "span", "strong", "h3")
    found = next(
        (e for e in (body if body is not None else root).iter(*tags) if visible_text(e) == text),
        None,
    )
    while found is not None:  # the innermost: a div around the span that holds the text
        inner = next((e for e in found.iterdescendants(*tags) if visible_text(e) == text), None)
        if inner is None:
            return found
        found = inner
    return None


def body_container(
    root: lxml.html.HtmlElement, paragraphs: Sequence[str]
) -> lxml.html.HtmlElement | None:
    """The deepest element holding the blocks whose text is the body's first paragraphs."""
    wanted = set(paragraphs[:_PARAGRAPHS_PROBED])
    if not wanted:
        return None
    blocks = [
        element
        for element in root.iter("p", "div", "h2", "h3", "h4", "li", "blockquote", "td")
        if visible_text(element) in wanted
    ]
    if not blocks:
        return None
    container = _holding_most(_innermost(blocks))
    return container if container is not None and container.tag != "html" else None


def _holding_most(blocks: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The deepest element holding at least ``MAJORITY`` of the blocks: a stray match (a footer
    line the extractor took) does not pull the container up to the whole page."""
    counts: dict[lxml.html.HtmlElement, int] = {}
    depth: dict[lxml.html.HtmlElement, int] = {}
    for block in blocks:
        chain = [block, *block.iterancestors()]
        for level, element in enumerate(reversed(chain)):
            counts[element] = counts.get(element, 0) + 1
            depth[element] = level
    held = [e for e, count in counts.items() if count >= MAJORITY * len(blocks)]
    return max(held, key=lambda element: depth[element], default=None)


def _innermost(blocks: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """Of nested matches (a div around its one p), the innermost only."""
    chosen = set(blocks)
    return [block for block in blocks if not any(d in chosen for d in block.iterdescendants())]


def common_ancestor(elements: Iterable[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    common: list[lxml.html.HtmlElement] | None = None
    for element in elements:
        chain = [element, *element.iterancestors()][::-1]
        if common is None:
            common = chain
            continue
        shared = 0
        while shared < min(len(common), len(chain)) and common[shared] is chain[shared]:
            shared += 1
        common = common[:shared]
    return common[-1] if common else None


def _article_ancestor(anchors: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    for anchor in anchors:
        for element in [anchor, *anchor.iterancestors()]:
            if element.tag == "article":
                return element
    return None


MIN_TRAILING = 40  # characters: a shorter block after the body's end is a label or a credit


def following_paragraphs(container: lxml.html.HtmlElement, paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs after the last of ``paragraphs`` that read as body too: ``p`` of prose, not
    mostly links, beside it or in an unnamed wrapper (not in a box with a class of its own,
    such as a related-articles box), up to the first that is not. The generic extractor,
    tuned for precision, drops an article's last paragraphs at times."""
    if not paragraphs:
        return []
    blocks = [e for e in container.iter("p") if visible_text(e)]
    last = next((e for e in reversed(blocks) if visible_text(e) == paragraphs[-1]), None)
    if last is None:
        return []
    found: list[str] = []
    for block in blocks[blocks.index(last) + 1 :]:
        if any(ancestor.tag in ("figure", "figcaption") for ancestor in block.iterancestors()):
            continue  # a photo's caption between two paragraphs
        text = visible_text(block)
        parent = block.getparent()
        boxed = parent is not last.getparent() and bool(_own_names(parent))
        if boxed or len(text) < MIN_TRAILING or link_share(block) >= LINK_HEAVY:
            break
        found.append(text)
    return found


def _own_names(element: lxml.html.HtmlElement | None) -> str:
    if element is None:
        return ""
    return f"{element.get('class') or ''}{element.get('id') or ''}".strip()
