"""Sentences of a display-form paragraph, and the snippet shown for a hit.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets after it)
followed by a space and a capital letter, a digit or an opening quote — unless the word before
the full stop is a common abbreviation (``TP. Hồ Chí Minh``, ``Q. 1``, ``TS. …``). Splitting
too little only makes the segmented context and the snippet longer; it never loses a hit.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right

__all__ = ["SNIPPET_CHARS", "around", "sentence_spans", "snippet"]

SNIPPET_CHARS = 300
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*( +)(?=[\"'“‘«(\[]*[^\W_])")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.$")
_OPENERS = re.compile(r"[\"'“‘«(\[]*")
_ABBREVIATIONS = frozenset(
    ["tp", "tx", "tt", "q", "p", "h", "x", "ts", "ths", "pgs", "gs", "bs", "ks", "ls", "st", "mr"]
)
# how far back to look for the word before a full stop: past any abbreviation, so a word cut
# by the window is longer than all of them and, like the whole word, none of them
_LOOK_BACK = max(map(len, _ABBREVIATIONS)) + 2


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, in order; only spaces lie between them."""
    spans = []
    start = 0
    for match in _END.finditer(text):
        following = _first_after_openers(text, match.end())
        if not (following.isupper() or following.isdigit()):
            continue
        before = _WORD_BEFORE.search(text, max(0, match.start() - _LOOK_BACK), match.start() + 1)
        if before and before[1].lower() in _ABBREVIATIONS:
            continue
        spans.append((start, match.start(1)))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _first_after_openers(text: str, position: int) -> str:
    """The character after any opening quotes or brackets at ``position`` ("" at the end)."""
    opened = _OPENERS.match(text, position)
    end = opened.end() if opened else position  # the pattern matches the empty string too
    return text[end : end + 1]


def around(spans: list[tuple[int, int]], start: int, end: int, length: int) -> tuple[int, int]:
    """The span of the sentence, or run of sentences, holding ``[start, end)``.

    ``spans`` are in order and do not overlap, so their starts and their ends are both sorted:
    the last start at or before ``start``, the first end at or after ``end``."""
    before = bisect_right(spans, (start, _AFTER_ANY)) - 1  # the last span starting <= start
    first = spans[before][0] if before >= 0 else 0
    after = bisect_left(spans, end, key=_end)  # the first span ending >= end
    last = spans[after][1] if after < len(spans) else length
    return first, last


_AFTER_ANY = sys.maxsize  # sorts after every end: (start, _AFTER_ANY) after each (start, end)


def _end(span: tuple[int, int]) -> int:
    return span[1]


def snippet(text: str, start: int, end: int, spans: list[tuple[int, int]] | None = None) -> str:
    """The sentence(s) around ``text[start:end]``, cut to about 300 characters around it.

    ``spans`` are ``text``'s sentence spans, when already known.
    """
    limit = SNIPPET_CHARS
    first, last = around(sentence_spans(text) if spans is None else spans, start, end, len(text))
    sentence = text[first:last].strip()
    if len(sentence) <= limit:
        return sentence
    return _window(text, max(start, first), min(end, last), first, last, limit)


def _window(text: str, start: int, end: int, first: int, last: int, limit: int) -> str:
    """About ``limit`` characters of ``text[first:last]`` centred on the hit, cut at spaces."""
    left, right = window_bounds(text, start, end, first, last, limit)
    prefix = "… " if left > first else ""
    suffix = " …" if right < last else ""
    return f"{prefix}{text[left:right].strip()}{suffix}"


def window_bounds(
    text: str, start: int, end: int, first: int, last: int, limit: int
) -> tuple[int, int]:
    """Bounds of about ``limit`` characters of ``text[first:last]`` centred on ``[start, end)``,
    cut at spaces (also used for search snippets)."""
    side = max(limit - (end - start), 0) // 2
    left, right = max(first, start - side), min(last, end + side)
    if left > first:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < last:
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    return left, right
