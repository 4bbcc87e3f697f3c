"""The query language (monitor.search.query): what a query compiles to, and what is refused."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import InputError
from monitor.search.query import (
    MAX_QUERY_CHARS,
    CompiledQuery,
    compile_query,
    is_folded,
    occurrences,
)

_PHRASE = re.compile(r'"([^"]*)"')


def fts(readable: str) -> str:
    """An expected expression written readably, each phrase of several syllables turned into
    the syllable pairs the tables index: ``"dân vận"`` → ``"dân<U+E000>vận"``."""

    def pairs(phrase: re.Match[str]) -> str:
        words = phrase[1].split(" ")
        return (
            '"' + " ".join(f"{a}\ue000{b}" for a, b in pairwise(words)) + '"'
            if len(words) > 1
            else phrase[0]
        )

    return _PHRASE.sub(pairs, readable)


def test_a_phrase_is_searched_as_its_syllable_pairs() -> None:
    assert compile_query("dân vận khéo").exact == '"dân\ue000vận vận\ue000khéo"'
    assert compile_query("dan van").folded == '"dan\ue000van"'
    assert compile_query("dân").exact == '"dân"'


def test_words_typed_together_are_one_phrase() -> None:
    assert compile_query("dân vận khéo") == CompiledQuery(
        fts('"dân vận khéo"'), None, ("dân vận khéo",)
    )


def test_commas_separate_required_terms() -> None:
    compiled = compile_query("dân vận, Thủ Đức")
    assert compiled.exact == fts('"dân vận" AND "thủ đức"')
    assert compiled.terms == ("dân vận", "Thủ Đức")


def test_quotes_separate_phrases() -> None:
    assert compile_query('"dân vận" "Thủ Đức"').exact == fts('"dân vận" AND "thủ đức"')


def test_term_without_marks_goes_to_the_folded_table() -> None:
    assert compile_query("Thu Duc") == CompiledQuery(
        None, fts('"thu duc"'), ("Thu Duc",), ("Thu Duc",)
    )


def test_d_with_stroke_makes_a_term_exact() -> None:
    assert compile_query("đang").exact == '"đang"'
    assert not is_folded("đang")


def test_exact_terms_take_the_canonical_tone_placement() -> None:
    assert compile_query("Hoà Bình").exact == fts('"hòa bình"')


def test_mixed_query_gives_both_expressions() -> None:
    compiled = compile_query("dân vận, thu duc")
    assert (compiled.exact, compiled.folded) == (fts('"dân vận"'), fts('"thu duc"'))


def test_or_between_phrases() -> None:
    assert compile_query("dân vận OR dân quân").exact == fts('("dân vận" OR "dân quân")')


def test_or_binds_tighter_than_the_comma() -> None:
    assert compile_query("a OR b, c").folded == '("a" OR "b") AND "c"'


def test_lower_case_or_is_a_word() -> None:
    assert compile_query("cafe or tea").folded == fts('"cafe or tea"')


def test_or_group_mixing_marks_is_searched_folded() -> None:
    compiled = compile_query('"Thủ Đức" OR "thu duc" -"giao thông"')
    assert compiled == CompiledQuery(
        None, fts('"thu duc" NOT "giao thong"'), ("Thủ Đức", "thu duc"), ("Thủ Đức", "thu duc")
    )


def test_minus_excludes_a_phrase() -> None:
    assert compile_query('"dân vận" -"giao thông"').exact == fts('"dân vận" NOT "giao thông"')


def test_minus_covers_the_run_that_follows() -> None:
    assert compile_query("công an, -giao thông").exact == fts('"công an" NOT "giao thông"')


def test_folded_exclusion_of_an_exact_query_is_anchored_on_the_folded_table() -> None:
    compiled = compile_query('"dân vận" -giao thong')
    assert (compiled.exact, compiled.folded) == (
        fts('"dân vận"'),
        fts('"dan van" NOT "giao thong"'),
    )


def test_hyphen_inside_a_term_is_a_separator() -> None:
    compiled = compile_query("covid-19, Bà Rịa - Vũng Tàu")
    assert (compiled.exact, compiled.folded) == (fts('"bà rịa vũng tàu"'), fts('"covid 19"'))


def test_typographic_quotes_work_as_quotes() -> None:
    assert compile_query("“dân vận” “Thủ Đức”").exact == fts('"dân vận" AND "thủ đức"')


def test_unclosed_quote_runs_to_the_end() -> None:
    assert compile_query('"dân vận khéo').exact == fts('"dân vận khéo"')


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("NEAR(dân vận) AND", fts('"near dân vận and"')),
        ("title:dân*", fts('"title dân"')),
        ("^dân + vận", fts('"dân vận"')),
        ("'; DROP TABLE articles; --", fts('"drop table articles"')),
        ("dân\x00vận\x1b[31m", fts('"dân vận 31m"')),
    ],
)
def test_fts_and_sql_syntax_is_searched_as_words(typed: str, expected: str) -> None:
    compiled = compile_query(typed)
    assert expected in (compiled.exact, compiled.folded)


def test_quotes_never_reach_a_phrase_unescaped() -> None:
    compiled = compile_query('a""b "c""d"')
    assert compiled.folded == '"a" AND "b" AND "c" AND "d"'


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "empty query"),
        ("  !!! * ", "empty query"),
        ("-dân vận", "every term is excluded"),
        ("dân vận OR", "OR needs a term on each side"),
        ("OR OR", "OR needs a term on each side"),
        ("dân vận OR -giao thông", "cannot be a side of OR"),
        ("x" * (MAX_QUERY_CHARS + 1), "query too long"),
        (", ".join(f"t{i}" for i in range(40)), "too many terms"),
    ],
)
def test_unusable_query_is_an_input_error(typed: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        compile_query(typed)


@given(st.text(max_size=300))
def test_arbitrary_text_compiles_or_is_an_input_error(typed: str) -> None:
    try:
        compiled = compile_query(typed)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assert compiled.exact or compiled.folded
    assert compiled.terms


# --- where the terms occur (what the web view highlights) -----------------------------------


def marked(text: str, query: str) -> list[str]:
    """The pieces of ``text`` that ``occurrences`` gives for ``query``."""
    return [text[start:end] for start, end in occurrences(text, compile_query(query))]


def test_a_term_without_marks_occurs_in_any_marks() -> None:
    text = "Ban Dân vận tỉnh; dân vẫn tin; DAN VAN"
    assert marked(text, "dan van") == ["Dân vận", "dân vẫn", "DAN VAN"]


def test_a_term_with_marks_occurs_exactly() -> None:
    assert marked("Đảng ủy đang họp, ĐANG", "đang") == ["đang", "ĐANG"]


def test_a_term_occurs_as_whole_syllables_across_punctuation() -> None:
    assert marked("dân-vận; dânvận; dân vậnx; Dân\n\nvận", "dân vận") == ["dân-vận", "Dân\n\nvận"]


def test_excluded_terms_never_occur() -> None:
    assert marked("Công an và giao thông", "công an -giao thông") == ["Công an"]


def test_a_marked_term_in_a_folded_or_group_occurs_folded() -> None:
    assert marked("Thu Duc, Thủ Đức", '"Thủ Đức" OR "thu duc"') == ["Thu Duc", "Thủ Đức"]
    assert marked("Thu Duc, Thủ Đức", '"Thủ Đức", x') == ["Thủ Đức"]


def test_overlapping_occurrences_are_merged() -> None:
    assert marked("công tác dân vận khéo", "dân vận, vận khéo") == ["dân vận khéo"]
