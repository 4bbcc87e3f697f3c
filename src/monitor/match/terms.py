"""Keywords compiled for matching: ``Term``s, and the syllable trie that finds them all at once.

A term is a keyword in one accent mode: its matching form (``exact``) or folded form (``fold``)
cut into syllables. The trie's first level is keyed by a syllable and each further level by the
separator and the next syllable (``" vận"``), so a keyword matches only whole syllables joined
exactly as in the keyword (after normalisation: one space). One walk over a paragraph's
syllables finds every candidate of every term, whatever the number of rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from monitor.match.contexts import Placement, placements
from monitor.match.fieldtext import Paragraph
from monitor.text import normalize_inline

__all__ = ["KINDS", "SyllableTrie", "Term", "make_term"]

KINDS = ("exact", "fold")


@dataclass(frozen=True)
class Term:
    """One keyword, in one accent mode, ready for the trie and the boundary judge."""

    text: str  # its form, from the first syllable to the last
    kind: str  # "exact" or "fold"
    length: int  # syllables
    pieces: tuple[str, ...]  # trie keys: the first syllable, then separator + syllable
    allow: tuple[Placement, ...]
    deny: tuple[Placement, ...]


def make_term(keyword: str, kind: str) -> Term:
    """Compile ``keyword`` (as written in the configuration) for ``kind`` matching."""
    paragraph = Paragraph(normalize_inline(keyword), 0, None)
    form = paragraph.form_of(kind)
    starts, ends = paragraph.starts, paragraph.ends
    if not starts:
        raise ValueError(f"keyword {keyword!r} has no letter or digit")
    pieces = [form[starts[0] : ends[0]]]
    pieces += [form[ends[k - 1] : ends[k]] for k in range(1, len(starts))]
    allow, deny = placements(paragraph, kind)
    text = form[starts[0] : ends[-1]]
    return Term(text, kind, len(starts), tuple(pieces), tuple(allow), tuple(deny))


class _Node:
    __slots__ = ("children", "terms")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.terms: list[int] = []


class SyllableTrie:
    """Every term of one accent mode, keyed syllable by syllable."""

    def __init__(self) -> None:
        self._root = _Node()
        self.size = 0

    def add(self, term_id: int, pieces: tuple[str, ...]) -> None:
        node = self._root
        for piece in pieces:
            node = node.children.setdefault(piece, _Node())
        node.terms.append(term_id)
        self.size += 1

    def find(self, paragraph: Paragraph, kind: str) -> Iterator[tuple[int, int]]:
        """``(term_id, first syllable)`` of every candidate in ``paragraph``, in order."""
        form = paragraph.form_of(kind)
        starts, ends = paragraph.starts, paragraph.ends
        root = self._root.children
        count = len(starts)
        for first in range(count):
            node = root.get(form[starts[first] : ends[first]])
            last = first
            while node is not None:
                for term_id in node.terms:
                    yield term_id, first
                last += 1
                if last == count or not node.children:
                    break
                node = node.children.get(form[ends[last - 1] : ends[last]])
