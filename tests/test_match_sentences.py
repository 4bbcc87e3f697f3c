"""monitor.match.sentences: sentence spans, read from a short window around each full stop;
one behaviour per test."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from monitor.match.sentences import around, sentence_spans

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*( +)(?=[\"'“‘«(\[]*[^\W_])")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.$")
_ABBREVIATIONS = {"tp", "tx", "tt", "q", "p", "h", "x", "ts", "ths", "pgs", "gs", "bs", "ks"}
_ABBREVIATIONS |= {"ls", "st", "mr"}


def whole_text_spans(text: str) -> list[tuple[int, int]]:
    """The rule read over the whole text before and after each stop (as before issue 15)."""
    spans, start = [], 0
    for match in _END.finditer(text):
        following = text[match.end() :].lstrip("\"'“‘«([")
        if not (following[:1].isupper() or following[:1].isdigit()):
            continue
        before = _WORD_BEFORE.search(text, 0, match.start() + 1)
        if before and before[1].lower() in _ABBREVIATIONS:
            continue
        spans.append((start, match.start(1)))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


_PIECES = ["TP", "Ths", "Hoàng", "Nguyễnvănthànhphố", "x", "2", ".", "!", "…", " ", '"', "“", "("]


@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_sentences_are_cut_as_reading_the_whole_text_does(text: str) -> None:
    assert sentence_spans(text) == whole_text_spans(text)


def test_a_long_word_ending_in_an_abbreviation_ends_a_sentence() -> None:
    text = "Đến ngoại thành HCMTP. Sau đó về."
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Đến ngoại thành HCMTP.", "Sau đó về."]


@given(st.text(alphabet="Ab. ?!\n“", max_size=60), st.data())
def test_around_is_the_sentences_from_the_last_start_to_the_first_end(
    text: str, data: st.DataObject
) -> None:
    spans = sentence_spans(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    first = max((s for s, _ in spans if s <= start), default=0)
    last = min((e for _, e in spans if e >= end), default=len(text))
    assert around(spans, start, end, len(text)) == (first, last)
