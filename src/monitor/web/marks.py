"""Text as HTML with some of it marked: search terms and rule keywords in ``<mark>``.

A ``Mark`` is a span of a text (character offsets) and its kind: ``query`` (a search term, from
``monitor.search.query.occurrences``) or ``rule`` (a keyword a rule matched, from the archive's
matches), with a tooltip. Spans may overlap; where they do the text gets one ``<mark>`` with
both kinds' classes. Everything else is escaped: the result is safe to put in a page as is.

Paragraphs: the archive separates an article's paragraphs with a blank line; ``paragraphs``
splits a text keeping each paragraph's offset, and ``clipped`` moves marks into one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from monitor.search.query import CompiledQuery, occurrences


@dataclass(frozen=True)
class Mark:
    """``text[start:end]`` is marked as ``kind`` (a CSS class), with an optional tooltip."""

    start: int
    end: int
    kind: str
    title: str | None = None


def marked(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` escaped, each marked stretch in a ``<mark class="KIND…">``."""
    usable = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in usable), *(m.end for m in usable)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = [m for m in usable if m.start <= start and end <= m.end]
        pieces.append(_piece(text[start:end], covering))
    return Markup("").join(pieces)


def _piece(text: str, covering: Sequence[Mark]) -> Markup:
    if not covering:
        return escape(text)
    kinds = " ".join(sorted({m.kind for m in covering}))
    titles = "; ".join(dict.fromkeys(m.title for m in covering if m.title))
    title = Markup(' title="{}"').format(titles) if titles else Markup("")
    return Markup('<mark class="{}"{}>{}</mark>').format(kinds, title, text)


def query_marks(text: str, query: CompiledQuery | None) -> list[Mark]:
    """Where the search terms of ``query`` occur in ``text``, as marks of kind ``query``."""
    if query is None:
        return []
    return [Mark(start, end, "query") for start, end in occurrences(text, query)]


def paragraphs(text: str) -> list[tuple[int, str]]:
    """``(offset, paragraph)`` for each non-empty paragraph of ``text`` (blank-line separated)."""
    found, origin = [], 0
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            found.append((origin, paragraph))
        origin += len(paragraph) + 2
    return found


def clipped(marks: Iterable[Mark], offset: int, length: int) -> list[Mark]:
    """The parts of ``marks`` inside ``[offset, offset + length)``, relative to ``offset``."""
    inside = []
    for m in marks:
        start, end = max(m.start, offset), min(m.end, offset + length)
        if start < end:
            inside.append(Mark(start - offset, end - offset, m.kind, m.title))
    return inside
