"""monitor.match.segment: the segmenter seam and the lexicon of the words a segmenter knows,
one behaviour per test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from underthesea import word_tokenize
from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

from bench.bench_matcher import load_articles
from monitor.match.segment import Lexicon, UndertheseaSegmenter, _plain_tokens, align
from monitor.text import matching_form


def test_lexicon_finds_each_known_word_across_a_boundary() -> None:
    lexicon = Lexicon(["nhân dân", "dân vận", "vận động", "nhân dân vận động"])
    syllables = ["nhân", "dân", "vận", "động"]
    assert sorted(lexicon.across(syllables, 2)) == [(0, 4), (1, 3)]


def test_lexicon_finds_nothing_where_no_known_word_joins_the_two_syllables() -> None:
    lexicon = Lexicon(["nhân dân", "vận động"])
    assert lexicon.across(["nhân", "dân", "vận", "động"], 2) == []


def test_lexicon_finds_nothing_at_either_end() -> None:
    lexicon = Lexicon(["dân vận"])
    assert lexicon.across(["dân", "vận"], 0) == lexicon.across(["dân", "vận"], 2) == []


def test_lexicon_reads_punctuation_inside_an_entry_as_a_space() -> None:
    assert Lexicon(["a-ba-giua"]).across(["a", "ba", "giua"], 1) == [(0, 3)]


def test_lexicon_knows_a_word_in_either_tone_style_and_any_case() -> None:
    lexicon = Lexicon(["Hoà bình"])
    assert lexicon.across(["hòa", "bình"], 1) == lexicon.across(["hoà", "bình"], 1) == [(0, 2)]


def test_underthesea_lexicon_is_its_models_dictionary() -> None:
    lexicon = UndertheseaSegmenter().lexicon()
    assert lexicon is not None
    assert lexicon.across(["nhân", "dân", "vận", "dụng"], 1) == [(0, 2)]
    assert lexicon.across(["họ", "dân", "vận"], 1) == []  # "họ dân" is no word


def test_align_maps_tokens_back_to_character_spans() -> None:
    assert align("nhân dân  vận", ["nhân dân", "vận"]) == [(0, 8), (10, 13)]


def _windows(size: int = 9) -> list[str]:
    """Every run of ``size`` syllables of the bench articles (every third one), in matching
    form: the kind of text ``words`` is given around a hit."""
    windows = set()
    for article in load_articles():
        for text in article.values():
            syllables = matching_form(text or "").replace("\n", " ").split(" ")
            for first in range(0, len(syllables), 3):
                windows.add(" ".join(syllables[first : first + size]))
    return sorted(window for window in windows if window)


def test_windows_given_to_the_model_directly_segment_as_word_tokenize_does() -> None:
    segmenter = UndertheseaSegmenter()
    windows = _windows()
    direct = [window for window in windows if _plain_tokens(window) is not None]
    assert len(direct) > 3000
    assert sum(not window.replace(" ", "").isalpha() for window in direct) > 1000  # marks
    for window in direct:  # the others go through word_tokenize itself
        expected = align(window, word_tokenize(window, use_token_normalize=False))
        assert segmenter.words(window) == expected, window


# mostly what the direct path takes, sometimes what it must leave to the tokenizer
_WORDS = st.sampled_from(["dân", "vận", "nam", "v", "tp", "đ", ""]) | st.sampled_from(
    ["Dân", "TP", "Mr", "ð", "a1", "42", "covid-19"]
)
_ODD = st.sampled_from([*",.:-/&", "...", ":)", "--"])
_BEFORE = st.just("") | st.lists(st.sampled_from([*"(\"“‘'"]) | _ODD, max_size=2).map("".join)
_AFTER = st.just("") | st.lists(st.sampled_from([*",;:.)\"”’'!?"]) | _ODD, max_size=3).map("".join)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.tuples(
            _BEFORE,
            _WORDS,
            _AFTER,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_direct_path_takes_only_what_it_tokenizes_as_underthesea_does(
    pieces: list[tuple[str, str, str]],
) -> None:
    sentence = " ".join(before + word + after for before, word, after in pieces)
    tokens = _plain_tokens(sentence)
    if tokens is not None:
        assert tokens == tokenize(sentence, use_token_normalize=False)


def test_anything_but_letters_goes_through_underthesea_s_tokenizer() -> None:
    segmenter = UndertheseaSegmenter()
    sentences = ("tp.hcm có 22 phường", "ông nguyễn văn a, 45 tuổi", "covid-19 và  dân vận", ",a")
    for sentence in sentences:
        expected = align(sentence, word_tokenize(sentence, use_token_normalize=False))
        assert segmenter.words(sentence) == expected
