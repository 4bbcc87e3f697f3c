"""Word segmentation, the seam through which the matcher asks where Vietnamese words end.

Vietnamese writes a space between syllables, not between words, so "nhân dân vận dụng" reads
"nhân_dân vận_dụng" and holds no "dân vận". A ``Segmenter`` returns the words of a sentence as
character spans; the matcher calls it only for a sentence holding a candidate hit, on the
sentence's matching form (lower-cased: underthesea errs more on capitalised phrases).

``UndertheseaSegmenter`` uses underthesea's CRF model (offline, in the wheel; imported on first
use, as the import is slow). Its ``fixed_words`` option is deliberately not used: forcing a
keyword to be a word makes the model put it where it straddles two words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, cast

__all__ = ["Segmenter", "UndertheseaSegmenter", "align"]


class Segmenter(Protocol):
    """Finds the words of one sentence."""

    def words(self, sentence: str) -> list[tuple[int, int]]:
        """``(start, end)`` character spans of the words of ``sentence``, in order."""
        ...


class UndertheseaSegmenter:
    """underthesea's ``word_tokenize``, with its tokens mapped back to character spans."""

    def __init__(self) -> None:
        self._tokenize: Callable[[str], list[str]] | None = None

    def words(self, sentence: str) -> list[tuple[int, int]]:
        if self._tokenize is None:
            self._tokenize = _load_word_tokenize()
        return align(sentence, self._tokenize(sentence))


def _load_word_tokenize() -> Callable[[str], list[str]]:
    from underthesea import word_tokenize

    def tokenize(sentence: str) -> list[str]:
        # use_token_normalize=False: tokens keep their spelling, so they can be found again
        return cast(list[str], word_tokenize(sentence, use_token_normalize=False))

    return tokenize


def align(sentence: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """The span of each token in ``sentence``, found left to right.

    A token the tokenizer respelled (its character normalisation) is not found verbatim; it is
    then taken to start at the next non-space character and to keep its length.
    """
    spans = []
    cursor = 0
    for token in tokens:
        start = sentence.find(token, cursor)
        if start < 0 or sentence[cursor:start].strip():
            rest = sentence[cursor:]
            start = cursor + len(rest) - len(rest.lstrip())
        end = min(start + len(token), len(sentence))
        if end > start:
            spans.append((start, end))
        cursor = end
    return spans
