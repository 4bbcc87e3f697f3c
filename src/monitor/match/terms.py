"""Keywords compiled for matching: ``Term``s, and the ``Scanner`` that finds them all at once.

A term is a keyword in one accent mode: its matching form (``exact``) or folded form (``fold``)
cut into syllables. A candidate is a run of whole syllables of a paragraph equal to the term,
joined exactly as in the keyword (after normalisation: one space).

A ``Scanner`` holds every term of one mode in one Aho-Corasick automaton (pyahocorasick), run
once over each paragraph whatever the number of rules. For "exact" terms it scans the paragraph
merely lower-cased (``Paragraph.lowered``), so each term is entered in every tone-mark style
that canonicalises to it ("hòa" and "hoà"); a paragraph's matching form is computed only when
the automaton finds something there. Each find is then checked against the paragraph's own
matching (or folded) form and syllables, so the candidates are exactly the runs of syllables
equal to a term.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import product

import ahocorasick

from monitor.match.contexts import Placement, PlacementIndex, placements
from monitor.match.fieldtext import Field, Paragraph
from monitor.text import matching_form, normalize_inline

__all__ = ["KINDS", "Scanner", "Term", "make_term"]

KINDS = ("exact", "fold")


@dataclass(frozen=True)
class Term:
    """One keyword, in one accent mode, ready for the trie and the boundary judge."""

    text: str  # its form, from the first syllable to the last
    kind: str  # "exact" or "fold"
    length: int  # syllables
    pieces: tuple[str, ...]  # the first syllable, then separator + syllable
    allow: tuple[Placement, ...]
    deny: tuple[Placement, ...]
    spans: tuple[tuple[int, int], ...]  # each syllable's span in ``text``

    @cached_property
    def allowed(self) -> PlacementIndex:
        """``allow``, indexed for the boundary judge."""
        return PlacementIndex(self.allow)

    @cached_property
    def denied(self) -> PlacementIndex:
        """``deny``, indexed for the boundary judge."""
        return PlacementIndex(self.deny)

    @property
    def syllables(self) -> list[str]:
        return [self.text[start:end] for start, end in self.spans]


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
    spans = tuple(
        (start - starts[0], end - starts[0]) for start, end in zip(starts, ends, strict=True)
    )
    return Term(text, kind, len(starts), tuple(pieces), tuple(allow), tuple(deny), spans)


_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng


class Scanner:
    """Every term of one accent mode, found together by one automaton over a paragraph."""

    def __init__(self, kind: str, terms: Iterable[tuple[int, Term]]) -> None:
        self.kind = kind
        self.size = 0
        self._automaton = ahocorasick.Automaton()
        for term_id, term in terms:
            for spelling in _spellings(term):  # each spelling the scanned text may give it
                self._automaton.add_word(spelling, (term_id, term))
            self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def find(self, paragraph: Paragraph) -> Iterator[tuple[int, int]]:
        """``(term_id, first syllable)`` of every candidate in ``paragraph``."""
        if not self.size:
            return
        text = paragraph.text
        for last, (term_id, term) in self._automaton.iter(paragraph.scan_form(self.kind)):
            end = last + 1
            start = end - len(term.text)
            if text[start - 1 : start].isalnum() or text[end : end + 1].isalnum():
                continue  # a letter or digit beside it: the find begins or ends in a syllable
            first = _lined_up(paragraph, term, start)
            if first is not None:
                yield term_id, first

    def find_in(self, field: Field) -> Iterator[tuple[int, Paragraph, int, int]]:
        """``(paragraph number, paragraph, term_id, first syllable)`` of every candidate in
        ``field``: the whole text scanned at once where it is in stored form, the same
        candidates as ``find`` over each paragraph of ``split_field``."""
        text = field.scan_form(self.kind)
        if text is None:
            for number, paragraph in enumerate(field.paragraphs):
                for term_id, first in self.find(paragraph):
                    yield number, paragraph, term_id, first
            return
        if not self.size:
            return
        given = field.text
        for last, (term_id, term) in self._automaton.iter(text):
            end = last + 1
            start = end - len(term.text)
            if given[start - 1 : start].isalnum() or given[end : end + 1].isalnum():
                continue  # a letter or digit beside it: the find begins or ends in a syllable
            number = field.number_at(start)
            paragraph = field.paragraph(number)
            lined_up = _lined_up(paragraph, term, start - paragraph.origin)
            if lined_up is not None:
                yield number, paragraph, term_id, lined_up


def _lined_up(paragraph: Paragraph, term: Term, start: int) -> int | None:
    """The first syllable of ``term`` found at ``start``, if whole syllables there equal it.

    The caller has checked that no letter or digit touches either end of the find, and the
    text there equals the term's (which begins and ends with a syllable): so its syllables are
    the term's, from the paragraph's syllable starting at ``start`` (a syllable being a run of
    letters and digits, which every form keeps where the display form has them).
    """
    if paragraph.form_of(term.kind)[start : start + len(term.text)] != term.text:
        return None  # another tone-mark spelling, not canonicalised in the paragraph
    return paragraph.number(start)


def _spellings(term: Term) -> set[str]:
    """``term.text`` in every spelling whose matching form it is (only "exact" terms vary).

    Paragraphs are scanned lower-cased but not tone-canonicalised, so a syllable written in
    the new style ("hoà") must be looked for as such; ``monitor.text.canonical_tones`` only
    moves a tone mark between vowels, so moving it back every way finds every such spelling.
    """
    if term.kind != "exact":
        return {term.text}
    syllables = [{text, *_tone_moved(text)} for text in term.syllables]
    cuts = [0, *(bound for span in term.spans for bound in span), len(term.text)]
    gaps = [term.text[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts) - 1, 2)]
    return {_join(gaps, choice) for choice in product(*syllables)}


def _tone_moved(syllable: str) -> set[str]:
    """The spellings of ``syllable`` with its tone mark elsewhere that canonicalise to it."""
    decomposed = unicodedata.normalize("NFD", syllable)
    places = [i for i, char in enumerate(decomposed) if char in _TONE_MARKS]
    if len(places) != 1:
        return set()
    mark, bare = decomposed[places[0]], decomposed[: places[0]] + decomposed[places[0] + 1 :]
    moved = {
        unicodedata.normalize("NFC", bare[:i] + mark + bare[i:]) for i in range(1, len(bare) + 1)
    }
    return {
        spelling
        for spelling in moved
        if spelling != syllable
        and len(spelling) == len(syllable)
        and matching_form(spelling) == syllable
    }


def _join(gaps: list[str], syllables: tuple[str, ...]) -> str:
    """Separators and syllables interleaved: gap, syllable, gap, …, syllable, gap."""
    return (
        "".join(gap + syllable for gap, syllable in zip(gaps[:-1], syllables, strict=True))
        + gaps[-1]
    )
