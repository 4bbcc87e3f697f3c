"""Selectors an element proposes for itself, and their scores over sample pages.

An element proposes ``tag.class`` for each of its classes (and all of them together), ``#id``,
and the same qualified by its nearest ancestor with a class (``.parent > tag``, ``.parent tag``).
A selector's score over the samples counts the pages where it found the evidence's value
(confirmed), found something else (contradicted) or found nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import lxml.html

from monitor.parse.select import compiled, select_all

_GENERATED = re.compile(r"\d{3,}|^[a-f0-9]{8,}$")  # ids and classes that differ page by page
_ANCESTORS = 4  # how far up a qualifying ancestor is looked for
T = TypeVar("T")


def proposals(element: lxml.html.HtmlElement) -> list[str]:
    """Selectors naming ``element`` by its own classes and id, then by an ancestor's class."""
    tag = str(element.tag)
    own = _own(element)
    found = [f"{tag}{name}" for name in own]
    parent = _classed_ancestor(element)
    if parent is not None:
        for name in _own(parent)[:2]:
            qualifier = f"{parent.tag}{name}"
            found.append(
                f"{qualifier} > {tag}" if element.getparent() is parent else f"{qualifier} {tag}"
            )
            found += [f"{qualifier} {tag}{mine}" for mine in own[:1]]
    return [selector for selector in dict.fromkeys(found) if _valid(selector)]


def _own(element: lxml.html.HtmlElement) -> list[str]:
    classes = [c for c in (element.get("class") or "").split() if not _GENERATED.search(c)]
    names = [f".{name}" for name in classes]
    if len(classes) > 1:
        names.append("".join(names))
    ident = element.get("id")
    if ident and not _GENERATED.search(ident) and re.fullmatch(r"[A-Za-z][\w-]*", ident):
        names.insert(0, f"#{ident}")
    return names


def _classed_ancestor(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for count, ancestor in enumerate(element.iterancestors()):
        if count >= _ANCESTORS or ancestor.tag in ("body", "html"):
            return None
        if _own(ancestor):
            return ancestor
    return None


def _valid(selector: str) -> bool:
    try:
        compiled(selector)
    except Exception:  # cssselect's errors for names it cannot express
        return False
    return True


@dataclass(frozen=True)
class Score:
    selector: str
    confirmed: int
    contradicted: int
    evidence_pages: int  # pages with evidence for this key

    @property
    def holds(self) -> bool:
        """Never wrong, and right on at least half of the pages with evidence."""
        return (
            self.contradicted == 0
            and self.confirmed > 0
            and 2 * self.confirmed >= self.evidence_pages
        )


def score(
    selector: str,
    roots: Sequence[lxml.html.HtmlElement],
    expected: Sequence[T | None],
    matches: Callable[[lxml.html.HtmlElement, T], bool],
) -> Score:
    """How ``selector`` fares on pages whose evidence is ``expected`` (None: no evidence):
    ``matches(element, value)`` judges the first element it finds on a page."""
    confirmed = contradicted = with_evidence = 0
    for root, value in zip(roots, expected, strict=True):
        if value is None:
            continue
        with_evidence += 1
        found = select_all(root, selector)
        if not found:
            continue
        if matches(found[0], value):
            confirmed += 1
        else:
            contradicted += 1
    return Score(selector, confirmed, contradicted, with_evidence)


def best(scores: Iterable[Score]) -> list[Score]:
    """The selectors that hold, most confirmed first, then the simplest."""
    holding = [s for s in scores if s.holds]
    return sorted(holding, key=lambda s: (-s.confirmed, s.selector.count(" "), len(s.selector)))
