"""CSS selectors from the site profile, compiled once to XPath and applied to lxml trees."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import lxml.html
from cssselect import GenericTranslator
from lxml import etree

_TRANSLATOR = GenericTranslator()


@lru_cache(maxsize=1024)
def compiled(selector: str) -> etree.XPath:
    return etree.XPath(_TRANSLATOR.css_to_xpath(selector))


def select_all(root: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    found = compiled(selector)(root)
    if not isinstance(found, list):
        return []
    return [element for element in found if isinstance(element, lxml.html.HtmlElement)]


def select_first(
    root: lxml.html.HtmlElement, selectors: Iterable[str]
) -> lxml.html.HtmlElement | None:
    """The first element of the first selector that matches anything."""
    found = first_match(root, selectors)
    return found[0] if found else None


def first_match(
    root: lxml.html.HtmlElement, selectors: Iterable[str]
) -> tuple[lxml.html.HtmlElement, str] | None:
    """The first element of the first selector that matches anything, and that selector."""
    for selector in selectors:
        found = select_all(root, selector)
        if found:
            return found[0], selector
    return None


def select_any(
    root: lxml.html.HtmlElement, selectors: Iterable[str]
) -> list[lxml.html.HtmlElement]:
    """Every element any selector matches, once each, in document order."""
    seen: dict[lxml.html.HtmlElement, None] = {}
    for selector in selectors:
        for element in select_all(root, selector):
            seen.setdefault(element, None)
    order = {element: index for index, element in enumerate(root.iter())}
    return sorted(seen, key=lambda element: order.get(element, 0))
