"""Word segmentation, the seam through which the matcher asks where Vietnamese words end.

Vietnamese writes a space between syllables, not between words, so "nhân dân vận dụng" reads
"nhân_dân vận_dụng" and holds no "dân vận". A ``Segmenter`` returns the words of a sentence as
character spans; the matcher calls it only for a sentence holding a candidate hit whose edges
are ambiguous, on the sentence's matching form (lower-cased: underthesea errs more on
capitalised phrases). It also tells which words it knows (``lexicon``): the matcher asks the
segmenter about a sentence only where one of those words lies across the edge of a hit.

``UndertheseaSegmenter`` uses underthesea's CRF model (offline, in the wheel; imported on first
use, as the import is slow). Its lexicon is the model's own dictionary, the word list behind
its ``is_in_dict`` features (``dictionary.bin`` beside the model, 72,547 entries in 9.5),
loaded once per process. Its ``fixed_words`` option is deliberately not used: forcing a keyword
to be a word makes the model put it where it straddles two words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Protocol, cast

from monitor.text import matching_form

__all__ = ["Lexicon", "Segmenter", "UndertheseaSegmenter", "align"]

_SYLLABLE = re.compile(r"[^\W_]+")  # as monitor.match.fieldtext cuts syllables


class Segmenter(Protocol):
    """Finds the words of one sentence, and says which words it knows."""

    def words(self, sentence: str) -> list[tuple[int, int]]:
        """``(start, end)`` character spans of the words of ``sentence``, in order."""
        ...

    def lexicon(self) -> Lexicon | None:
        """The words the segmenter knows (it may still join others: names, rare compounds);
        None when it cannot say, and must then be asked about every candidate's sentence."""
        ...


class Lexicon:
    """Known words of two or more syllables, to find those lying across a syllable boundary.

    Words are kept lower-cased as written and in matching form (should the tone-mark style
    differ), as their syllables joined by one space, so punctuation inside an entry
    ("a-ba-giua") counts as a space. Only hashes are kept (a fraction of the memory): a
    collision can only make a boundary look doubtful, never hide a known word.
    """

    def __init__(self, words: Iterable[str]) -> None:
        listed = "\n".join(words)  # one pass of each normalisation over all the words
        forms = {*listed.lower().split("\n")}
        forms.update(matching_form(unicodedata.normalize("NFC", listed)).split("\n"))
        entries = [syllables for form in forms if len(syllables := _SYLLABLE.findall(form)) > 1]
        self._words = frozenset(hash(" ".join(entry)) for entry in entries)
        self._prefixes = frozenset(
            hash(" ".join(entry[:size])) for entry in entries for size in range(2, len(entry) + 1)
        )
        self._pieces = frozenset(  # every run of two or more syllables inside a word
            hash(" ".join(entry[start:end]))
            for entry in entries
            for start in range(len(entry) - 1)
            for end in range(start + 2, len(entry) + 1)
        )
        self.longest = max((len(entry) for entry in entries), default=1)

    def across(self, syllables: Sequence[str], boundary: int) -> list[tuple[int, int]]:
        """``(first, end)`` syllable ranges of the known words that hold both syllable
        ``boundary - 1`` and syllable ``boundary`` of ``syllables``."""
        if not 0 < boundary < len(syllables):
            return []
        found = []
        for first in range(boundary - 1, max(boundary - self.longest, -1), -1):
            end = boundary + 1
            run = " ".join(syllables[first:end])
            if hash(run) not in self._pieces:
                break  # no known word holds these syllables, nor any run reaching further back
            while hash(run) in self._prefixes:
                if hash(run) in self._words:
                    found.append((first, end))
                if end == len(syllables):
                    break
                run = f"{run} {syllables[end]}"
                end += 1
        return found


class UndertheseaSegmenter:
    """underthesea's ``word_tokenize``, with its tokens mapped back to character spans."""

    def __init__(self) -> None:
        self._tokenize: Callable[[str], list[str]] | None = None

    def words(self, sentence: str) -> list[tuple[int, int]]:
        if self._tokenize is None:
            self._tokenize = _load_word_tokenize()
        return align(sentence, self._tokenize(sentence))

    def lexicon(self) -> Lexicon:
        return _underthesea_lexicon()


def _load_word_tokenize() -> Callable[[str], list[str]]:
    from underthesea import word_tokenize

    def tokenize(sentence: str) -> list[str]:
        # use_token_normalize=False: tokens keep their spelling, so they can be found again
        return cast(list[str], word_tokenize(sentence, use_token_normalize=False))

    return tokenize


@cache
def _underthesea_lexicon() -> Lexicon:
    """The dictionary of underthesea's word-segmentation model (read once per process)."""
    import joblib  # underthesea's own dependency; it saved the dictionary with it

    models = resources.files("underthesea.pipeline.word_tokenize") / "models"
    [model] = [path for path in models.iterdir() if path.name.startswith("ws_crf_")]
    with resources.as_file(model / "dictionary.bin") as path:
        words = cast(Collection[str], joblib.load(path))
    return Lexicon(words)


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
