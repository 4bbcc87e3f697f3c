"""monitor.match.terms and fieldtext: the scanner finds exactly the runs of whole syllables equal
to a term, whatever the tone-mark style, case or accent mode; one behaviour per test."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from monitor.match.fieldtext import Field, Paragraph, split_field
from monitor.match.terms import Scanner, Term, make_term
from monitor.text import fold, matching_form, normalize_inline, strip_marks

KEYWORDS = {
    "exact": ["hòa giải", "hoà", "thủy", "dân vận", "an", "Đảng", "Covid-19", "i̇"],
    "fold": ["dan van", "hoa", "dang", "thuy loi"],
}
_WORDS = (
    "hòa hoà HOÀ Hòa giải hoà giải thủy thuỷ THUỶ Thuỷ lợi thủy lợi dân vận DÂN VẬN Dân vận"
    " dânvận an anh An Đảng đảng Ðảng dang đang Covid-19 covid 19 İ i̇ Σ ΟΔΟΣ hoà_giải giải,"
    " - . \u00a0 \u200b xoà khoẻ uỷ"
)
WORDS = _WORDS.split(" ")  # one space between words, so nbsp stays a word of its own


def reference(paragraph: Paragraph, term: Term) -> list[int]:
    """The first syllable of every run of syllables equal to ``term``, piece by piece, as the
    syllable trie this scanner replaced walked them."""
    form, starts, ends = paragraph.form_of(term.kind), paragraph.starts, paragraph.ends
    found = []
    for first in range(len(starts) - term.length + 1):
        pieces = [form[starts[first] : ends[first]]]
        pieces += [form[ends[k - 1] : ends[k]] for k in range(first + 1, first + term.length)]
        if tuple(pieces) == term.pieces:
            found.append(first)
    return found


def scanned(text: str, kind: str) -> set[tuple[str, int]]:
    terms = [make_term(keyword, kind) for keyword in KEYWORDS[kind]]
    scanner = Scanner(kind, enumerate(terms))
    return {
        (terms[term_id].text, first)
        for paragraph in split_field(text)
        for term_id, first in scanner.find(paragraph)
    }


def expected(text: str, kind: str) -> set[tuple[str, int]]:
    terms = [make_term(keyword, kind) for keyword in KEYWORDS[kind]]
    return {
        (term.text, first)
        for paragraph in split_field(text)
        for term in terms
        for first in reference(paragraph, term)
    }


@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_scanner_finds_exactly_the_syllable_runs_equal_to_an_exact_term(text: str) -> None:
    assert scanned(text, "exact") == expected(text, "exact")


@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_scanner_finds_exactly_the_syllable_runs_equal_to_a_folded_term(text: str) -> None:
    assert scanned(text, "fold") == expected(text, "fold")


def scanned_whole(text: str, kind: str) -> set[tuple[int, int, str, int]]:
    terms = [make_term(keyword, kind) for keyword in KEYWORDS[kind]]
    scanner = Scanner(kind, enumerate(terms))
    return {
        (number, paragraph.origin, terms[term_id].text, first)
        for number, paragraph, term_id, first in scanner.find_in(Field(text))
    }


def scanned_by_paragraph(text: str, kind: str) -> set[tuple[int, int, str, int]]:
    terms = [make_term(keyword, kind) for keyword in KEYWORDS[kind]]
    scanner = Scanner(kind, enumerate(terms))
    return {
        (number, paragraph.origin, terms[term_id].text, first)
        for number, paragraph in enumerate(split_field(text))
        for term_id, first in scanner.find(paragraph)
    }


_PARAGRAPHS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)


@given(st.lists(_PARAGRAPHS, max_size=4), st.sampled_from(["\n\n", "\n \n", "\n\n\n"]))
def test_field_scanned_whole_gives_the_candidates_of_each_paragraph(
    paragraphs: list[str], joint: str
) -> None:
    text = joint.join(paragraphs)  # stored form (one blank line) or not: the same candidates
    for kind in KEYWORDS:
        assert scanned_whole(text, kind) == scanned_by_paragraph(text, kind)


@given(st.text(alphabet="aà \n\u00a0\u200b\u0300\u00d0.", max_size=16))
def test_field_paragraphs_are_those_of_split_field(text: str) -> None:
    made = [(p.text, p.origin) for p in Field(text).paragraphs]
    assert made == [(p.text, p.origin) for p in split_field(text)]


def test_scanner_finds_a_keyword_written_in_the_other_tone_style() -> None:
    assert scanned("Công tác hoà giải", "exact") == {("hòa giải", 2), ("hòa", 2)}


def test_scanner_ignores_a_term_inside_a_longer_syllable() -> None:
    assert scanned("Anh em, hoàng hôn", "exact") == set()


def test_every_lower_case_character_is_its_own_lower_case() -> None:
    # Paragraph.folded folds the lower-cased text one character at a time with fold() itself,
    # which lower-cases again: equal to fold() of the text only if lower() is idempotent
    for code in range(sys.maxunicode + 1):
        lowered = chr(code).lower()
        assert all(char.lower() == char for char in lowered), hex(code)


@given(st.text(alphabet="aAàÀoòÒeéuyýỶđĐdDâẬİΣσς \u0300\u0323", max_size=30))
def test_folded_form_is_fold(text: str) -> None:
    display = normalize_inline(text)
    assert Paragraph(display, 0, None).folded == fold(display)


@given(st.text(alphabet="aăâđêôơưyỷáàảãạ“”…–ÀĐ Z1.\n") | st.text())
def test_stripping_the_marks_of_lowered_text_folds_each_character(text: str) -> None:
    lowered = text.lower()
    assert strip_marks(lowered) == "".join(fold(char) for char in lowered)


@given(st.text(alphabet="aà đ\u00a0\u200b\u0300\u00d0\u00f0\n\t\u2028 .", max_size=12))
def test_text_taken_as_display_form_is_display_form(raw: str) -> None:
    for paragraph in split_field(raw):
        assert paragraph.text == normalize_inline(paragraph.text)


@given(st.lists(st.text(alphabet="HoàgiảİΣΟΔ uÝ,", min_size=1, max_size=8), max_size=4))
def test_paragraphs_of_a_stored_field_have_the_forms_of_their_own_text(pieces: list[str]) -> None:
    text = "\n\n".join(normalize_inline(piece) for piece in pieces)
    for paragraph in Field(text).paragraphs:  # cut from the field's lower-cased text, if stored
        assert paragraph.form == matching_form(paragraph.text)
        assert paragraph.folded == fold(paragraph.text)


@given(st.text(alphabet="HoàgiảİΣstnbulΟΔ, _-\u0300\u0323Ⓐ", max_size=20))
def test_syllables_of_the_display_form_are_those_of_the_matching_form(text: str) -> None:
    paragraph = Paragraph(normalize_inline(text), 0, None)
    display = [match.span() for match in re.finditer(r"[^\W_]+", paragraph.text)]
    spans = [match.span() for match in re.finditer(r"[^\W_]+", paragraph.form)]
    assert list(zip(paragraph.starts, paragraph.ends, strict=True)) == spans == display
