"""Tests for monitor.text: the display, matching and folded forms of Vietnamese text."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.text import (
    _COMMON,
    SYLLABLE,
    canonical_tones,
    fold,
    matching_form,
    normalize_inline,
    normalize_paragraphs,
    pairs_text,
    strip_common_marks,
    strip_marks,
    syllable_pairs,
)


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def _vietnamese_letters() -> str:
    """Every precomposed Vietnamese letter, both cases, plus the consonants."""
    vowels = "aăâeêioôơuưy"
    toned = (
        unicodedata.normalize("NFC", vowel + mark)
        for vowel in vowels
        for mark in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    )
    lower = "".join(toned) + "bcdđghklmnpqrstvx"
    return lower + lower.upper()


VIETNAMESE_LETTERS = _vietnamese_letters()
vietnamese_text = st.text(alphabet=VIETNAMESE_LETTERS + " .,;:!?-–\"'()0123456789")


# --- normalize_inline -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["bình", "công an", "Thủ Đức", "Đảng ủy", "khỏe", "ưởng"])
def test_normalize_inline_composes_nfd_to_nfc(text: str) -> None:
    decomposed = _nfd(text)
    assert decomposed != text
    assert normalize_inline(decomposed) == text


@pytest.mark.parametrize(
    "char",
    ["\u200b", "\u00ad", "\ufeff", "\u2060", "\u200c", "\u200d", "\u200e", "\u202a"],
    ids=["zwsp", "soft-hyphen", "bom", "word-joiner", "zwnj", "zwj", "lrm", "lre"],
)
def test_normalize_inline_removes_format_character(char: str) -> None:
    assert normalize_inline(f"{char}cô{char}ng an{char}") == "công an"


def test_normalize_inline_removes_format_character_before_composing() -> None:
    assert normalize_inline("bi\u200b\u0300nh") == "bình"


def test_normalize_inline_rejoins_syllables_split_by_zero_width_space() -> None:
    # Documented decision: a zero-width character between two letters is removed, not spaced.
    assert normalize_inline("dân\u200bvận") == "dânvận"


@pytest.mark.parametrize(
    "separator",
    ["\u00a0", "\u2009", "\u202f", "\u2007", "\u3000", "\t", "\r\n", "\n", "\u2028", "\x0b"],
    ids=["nbsp", "thin", "narrow-nbsp", "figure", "ideographic", "tab", "crlf", "lf", "ls", "vt"],
)
def test_normalize_inline_maps_separator_to_space(separator: str) -> None:
    assert normalize_inline(f"công{separator}an") == "công an"


def test_normalize_inline_maps_eth_lookalike_to_d_stroke() -> None:
    assert normalize_inline("\u00d0ẢNG \u00f0oàn") == "\u0110ẢNG \u0111oàn"


def test_normalize_inline_collapses_whitespace_and_strips() -> None:
    assert normalize_inline("  Công \u00a0 an\n\n nhân \t dân  ") == "Công an nhân dân"


def test_normalize_inline_keeps_tone_style_as_written() -> None:
    assert normalize_inline("Hoà Bình") == "Hoà Bình"


@given(st.text())
def test_normalize_inline_output_is_clean_and_idempotent(text: str) -> None:
    result = normalize_inline(text)
    assert unicodedata.is_normalized("NFC", result)
    assert not any(unicodedata.category(char) == "Cf" for char in result)
    assert result == " ".join(result.split())
    assert normalize_inline(result) == result


# --- normalize_paragraphs -------------------------------------------------------------------


def test_normalize_paragraphs_joins_non_empty_with_blank_line() -> None:
    paragraphs = ["  Đoạn một ", "\u200b", "", " \u00a0 ", "Đoạn\nhai"]
    assert normalize_paragraphs(paragraphs) == "Đoạn một\n\nĐoạn hai"


def test_normalize_paragraphs_of_nothing_is_empty() -> None:
    assert normalize_paragraphs([]) == ""


def test_normalize_paragraphs_accepts_any_iterable() -> None:
    def generate() -> Iterator[str]:
        yield "một"
        yield "hai"

    assert normalize_paragraphs(generate()) == "một\n\nhai"


# --- canonical_tones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_style", "old_style"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("uý", "úy"),
        ("Hoà", "Hòa"),
        ("HOÀ", "HÒA"),
        ("toà", "tòa"),
        ("xoè", "xòe"),
        ("luỹ", "lũy"),
        ("tuỳ", "tùy"),
        ("oà", "òa"),
        ("hoạ", "họa"),
        ("nguỵ", "ngụy"),
        ("Đoá", "Đóa"),
        ("nhoè", "nhòe"),
        ("THUỶ", "THỦY"),
    ],
)
def test_canonical_tones_moves_mark_to_first_vowel(new_style: str, old_style: str) -> None:
    assert canonical_tones(new_style) == old_style


def test_canonical_tones_changes_every_syllable_in_running_text() -> None:
    text = "Uỷ ban Hoà Bình: thuỷ lợi, khoẻ mạnh (Đảng uỷ)."
    assert canonical_tones(text) == "Ủy ban Hòa Bình: thủy lợi, khỏe mạnh (Đảng ủy)."


@pytest.mark.parametrize(
    "word",
    [
        "hoàng",  # closed syllable
        "toán",
        "khuyến",
        "thuyền",
        "khuỷu",  # nucleus uyu keeps its mark on y
        "ngoẻo",
        "quý",  # qu + vowel
        "quỳ",
        "quả",
        "Chloé",  # foreign: initial "chl" is not Vietnamese
        "Noé",  # foreign: "noe" is not a Vietnamese syllable
        "café",
        "Zoé",
        "hòa",  # already old style
        "thủy",
        "khỏe",
        "úy",
        "hoà2",  # not a whole-letter token
        "x_hoà",
    ],
)
def test_canonical_tones_leaves_word_unchanged(word: str) -> None:
    assert canonical_tones(word) == word


@given(vietnamese_text)
def test_canonical_tones_preserves_length(text: str) -> None:
    assert len(canonical_tones(text)) == len(text)


@given(vietnamese_text)
def test_canonical_tones_is_idempotent(text: str) -> None:
    once = canonical_tones(text)
    assert canonical_tones(once) == once


# --- matching_form --------------------------------------------------------------------------


def test_matching_form_unifies_case_and_tone_style() -> None:
    assert matching_form("Hoà Bình") == matching_form("hòa bình") == "hòa bình"


def test_matching_form_keeps_character_whose_lower_case_is_longer() -> None:
    assert matching_form("İSTANBUL") == "İstanbul"


def test_matching_form_offsets_are_offsets_in_original() -> None:
    original = "Công an tỉnh HOÀ BÌNH tổ chức"
    start = matching_form(original).index("hòa bình")
    assert original[start : start + len("hòa bình")] == "HOÀ BÌNH"


@given(vietnamese_text)
def test_matching_form_preserves_length(text: str) -> None:
    assert len(matching_form(text)) == len(text)


@given(st.text())
def test_matching_form_preserves_length_of_any_normalized_text(text: str) -> None:
    normalized = normalize_inline(text)
    assert len(matching_form(normalized)) == len(normalized)


# --- fold -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thủ Đức", "thu duc"),
        ("Đảng ủy", "dang uy"),
        ("Đảng uỷ", "dang uy"),
        ("dân vận khéo", "dan van kheo"),
        ("Người Việt ƯỚC MƠ", "nguoi viet uoc mo"),
    ],
)
def test_fold_strips_marks_and_d_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_turns_every_vietnamese_letter_into_ascii() -> None:
    assert fold(VIETNAMESE_LETTERS).isascii()


def test_fold_keeps_length_of_character_whose_lower_case_is_longer() -> None:
    assert fold("İstanbul") == "Istanbul"


@given(vietnamese_text)
def test_fold_preserves_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text())
def test_fold_preserves_length_of_any_normalized_text(text: str) -> None:
    normalized = normalize_inline(text)
    assert len(fold(normalized)) == len(normalized)


@given(vietnamese_text)
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


# --- syllable pairs ---------------------------------------------------------------------------


def test_syllable_pairs_join_each_two_neighbours() -> None:
    assert syllable_pairs("công an, thủ đức") == ["công\ue000an", "an\ue000thủ", "thủ\ue000đức"]


def test_syllable_pairs_count_numbers_as_syllables_and_skip_punctuation() -> None:
    assert syllable_pairs("covid-19 (năm 2024)") == [
        "covid\ue00019",
        "19\ue000năm",
        "năm\ue0002024",
    ]


def test_one_syllable_has_no_pair() -> None:
    assert syllable_pairs("  an!  ") == []


@given(st.text(alphabet=_vietnamese_letters() + " ,.-“”1İ\u0301") | st.text())
def test_pairs_text_is_the_pairs_joined_by_spaces(text: str) -> None:
    assert pairs_text(text) == " ".join(syllable_pairs(text))


def test_common_characters_stay_letters_or_digits_or_not_when_stripped() -> None:
    # what lets the index strip a field's syllable pairs instead of pairing its stripped form
    common = _COMMON
    stripped = strip_common_marks(common)
    assert stripped is not None and len(stripped) == len(common)
    for char, plain in zip(common, stripped, strict=True):
        assert (SYLLABLE.fullmatch(char) is None) == (SYLLABLE.fullmatch(plain) is None), char
        assert plain == strip_marks(char)


@given(st.text(alphabet=st.sampled_from(_COMMON)) | st.text(alphabet=_COMMON + "İΣ\u0301"))
def test_stripped_pairs_are_the_pairs_of_the_stripped_text(text: str) -> None:
    form = matching_form(text)
    stripped = strip_common_marks(pairs_text(form))
    if stripped is not None:
        assert stripped == pairs_text(strip_marks(form))


def _stripped_one_by_one(text: str) -> str:
    """Each character with its marks stripped (NFD, marks dropped), ``đ``/``ð`` → ``d``."""
    special = {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"}
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        marks = decomposed[1:]
        stripped = bool(marks) and all(unicodedata.category(m).startswith("M") for m in marks)
        out.append(special.get(char, decomposed[0] if stripped else char))
    return "".join(out)


@given(st.text(alphabet=_vietnamese_letters() + " ,.“”–Ðð\u0300İΣ") | st.text())
def test_strip_marks_strips_each_character_on_either_path(text: str) -> None:
    # Vietnamese text takes the codec path, anything else str.translate: the same result
    assert strip_marks(text) == _stripped_one_by_one(text)


@given(st.text(alphabet=_vietnamese_letters() + " ,.İΣ") | st.text())
def test_fold_is_the_matching_form_stripped(text: str) -> None:
    assert fold(text) == strip_marks(matching_form(text))
    assert len(fold(text)) == len(matching_form(text))
