"""Word segmentation, the seam through which the matcher asks where Vietnamese words end.

Vietnamese writes a space between syllables, not between words, so "nhân dân vận dụng" reads
"nhân_dân vận_dụng" and holds no "dân vận". A ``Segmenter`` returns the words of a sentence as
character spans; the matcher calls it only for a sentence holding a candidate hit whose edges
are ambiguous, on a window of that sentence's matching form around the hit (lower-cased:
underthesea errs more on capitalised phrases). It also tells which words it knows
(``lexicon``): the matcher asks the segmenter about a sentence only where one of those words
lies across the edge of a hit.

``UndertheseaSegmenter`` uses underthesea's CRF model (offline, in the wheel; imported on first
use, as the import is slow). Its lexicon is the model's own dictionary, the word list behind
its ``is_in_dict`` features (``dictionary.bin`` beside the model, 72,547 entries in 9.5),
loaded once per process. Its ``fixed_words`` option is deliberately not used: forcing a keyword
to be a word makes the model put it where it straddles two words.
"""

from __future__ import annotations

import pickle
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Protocol, cast

from monitor.text import SYLLABLE, matching_form

__all__ = ["Lexicon", "Segmenter", "UndertheseaSegmenter", "align"]


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
    ("a-ba-giua") counts as a space. Only hashes are kept, in sorted arrays (1.5 MB for
    underthesea's 72,547 entries), and those of the two-syllable runs, which nearly every
    question stops at, in a set as well (74,753, 4.5 MB): a collision can only make a boundary
    look doubtful, never hide a known word.
    """

    def __init__(self, words: Iterable[str]) -> None:
        listed = "\n".join(words)  # one pass of each normalisation over all the words
        forms = {*listed.lower().split("\n")}
        forms.update(matching_form(unicodedata.normalize("NFC", listed)).split("\n"))
        entries = [syllables for form in forms if len(syllables := SYLLABLE.findall(form)) > 1]
        self._words = _Hashes(" ".join(entry) for entry in entries)
        self._pieces = _Hashes(  # every run of two or more syllables inside a word
            " ".join(entry[start:end])
            for entry in entries
            for start in range(len(entry) - 1)
            for end in range(start + 2, len(entry) + 1)
        )
        self.longest = max((len(entry) for entry in entries), default=1)
        # the first question ``across`` asks, answered without a Python call: two syllables
        self._pairs = frozenset(
            hash(f"{entry[start]} {entry[start + 1]}")
            for entry in entries
            for start in range(len(entry) - 1)
        )

    def across(self, syllables: Sequence[str], boundary: int) -> list[tuple[int, int]]:
        """``(first, end)`` syllable ranges of the known words that hold both syllable
        ``boundary - 1`` and syllable ``boundary`` of ``syllables``."""
        if not 0 < boundary < len(syllables):
            return []
        if hash(f"{syllables[boundary - 1]} {syllables[boundary]}") not in self._pairs:
            return []  # no known word holds the two syllables: the usual answer
        found = []
        for first in range(boundary - 1, max(boundary - self.longest, -1), -1):
            run = " ".join(syllables[first : boundary + 1])
            if run not in self._pieces:
                break  # no known word holds these syllables, nor any run reaching further back
            found += [(first, end) for end in self._word_ends(syllables, first, boundary + 1)]
        return found

    def _word_ends(self, syllables: Sequence[str], first: int, end: int) -> Iterator[int]:
        """Each ``end`` from ``end`` on for which ``syllables[first:end]`` is a known word,
        given that ``syllables[first:end]`` lies inside one."""
        run = " ".join(syllables[first:end])
        while True:
            if run in self._words:
                yield end
            if end == len(syllables):
                return
            run = f"{run} {syllables[end]}"
            end += 1
            if run not in self._pieces:
                return


class _Hashes:
    """A set of strings kept as their sorted hashes: small, and never missing a member."""

    def __init__(self, items: Iterable[str]) -> None:
        self._sorted = array("q", sorted({hash(item) for item in items}))

    def __contains__(self, item: str) -> bool:
        key = hash(item)
        index = bisect_left(self._sorted, key)
        return index < len(self._sorted) and self._sorted[index] == key


class UndertheseaSegmenter:
    """underthesea's ``word_tokenize``, with its tokens mapped back to character spans."""

    def __init__(self) -> None:
        self._tokenize: Callable[[str], list[str]] | None = None
        self._tag: Callable[[list[str]], list[str]] | None = None

    def words(self, sentence: str) -> list[tuple[int, int]]:
        if self._tokenize is None:
            self._tokenize, self._tag = _load_word_tokenize()
        tag = self._tag
        tokens = None if tag is None else _plain_tokens(sentence)
        if tag is None or tokens is None:
            return align(sentence, self._tokenize(sentence))
        return align(sentence, _words_of(tokens, tag(tokens)))

    def lexicon(self) -> Lexicon:
        return _underthesea_lexicon()


Tagger = Callable[[list[str]], list[str]]


def _load_word_tokenize() -> tuple[Callable[[str], list[str]], Tagger | None]:
    """underthesea's ``word_tokenize``, and its model's tagger where it can be reached.

    For a sentence of words of letters separated by single spaces, with marks such as quotes,
    brackets, commas and full stops before or after a word (most windows around a hit), every
    pattern of underthesea's tokenizer but its word and mark patterns needs a digit, a capital
    or another mark, and its character normalisation only maps ``ð``: its tokens are the words
    and the marks (``_plain_tokens``), given to the model directly (``words``), which skips the
    tokenizer's regular expressions. tests/test_match_segment.py checks both ways agree.
    """
    import underthesea.pipeline.word_tokenize as pipeline
    from underthesea import word_tokenize

    def tokenize(sentence: str) -> list[str]:
        # use_token_normalize=False: tokens keep their spelling, so they can be found again
        return cast(list[str], word_tokenize(sentence, use_token_normalize=False))

    tokenize("dân vận")  # loads the model
    model = getattr(pipeline, "word_tokenize_model", None)
    predict = getattr(model, "predict", None)
    if predict is None:  # another underthesea layout: the tokenizer every time
        return tokenize, None

    def tag(tokens: list[str]) -> list[str]:
        return cast(list[str], predict([[token] for token in tokens]))

    return tokenize, tag


# Marks underthesea's tokenizer makes a token of on their own (its ``punct``, ``symbol`` and
# ``non_word`` patterns), where they open or close a word or stand alone:
_OPENING = "(\"“‘'"
_CLOSING = ",;:.)\"”’'!?"
# ... save where its other patterns take several at once: ``\.{2,}``, ``:+``, ``-{2,}``, the
# emoticon ``:\)``
_RUNS = ("..", "::", "--", ":)")


def _plain_tokens(sentence: str) -> list[str] | None:
    """underthesea's tokens of ``sentence`` when it is plain (see ``_load_word_tokenize``):
    pieces between single spaces made of a word of letters with marks of ``_OPENING`` before it
    and of ``_CLOSING`` after it (a full stop only after a lower-case word: "TP." and "Mr." are
    abbreviations to the tokenizer), or a lone hyphen; None otherwise."""
    if any(run in sentence for run in _RUNS) or "ð" in sentence or "Ð" in sentence:
        return None  # (the tokenizer also respells ð as đ)
    tokens = []
    for piece in sentence.split(" "):
        if piece.isalpha() or piece == "-":
            tokens.append(piece)
            continue
        core = piece.lstrip(_OPENING)
        word = core.rstrip(_CLOSING)
        closing = core[len(word) :]
        if not piece or (word and not (word.isalpha() and _may_close(word, closing))):
            return None
        tokens += [*piece[: len(piece) - len(core)], *([word] if word else []), *closing]
    return tokens


def _may_close(word: str, closing: str) -> bool:
    """Whether ``closing`` after ``word`` is marks of their own: a full stop after a word with
    a capital may make an abbreviation of it ("TP.", "Mr.")."""
    return "." not in closing or word.islower()


def _words_of(tokens: list[str], tags: list[str]) -> list[str]:
    """The words ``word_tokenize`` makes of tagged tokens: one tagged ``I-W`` joins the word
    before it, with a space."""
    words: list[str] = []
    for token, tag in zip(tokens, tags, strict=True):
        if tag == "I-W" and words:
            words[-1] = f"{words[-1]} {token}"
        else:
            words.append(token)
    return words


@cache
def _underthesea_lexicon() -> Lexicon:
    """The dictionary of underthesea's word-segmentation model (read once per process).

    Found without importing underthesea (60 MB), which only segmenting needs; the file is the
    plain pickle of a set of strings that underthesea wrote with joblib.
    """
    spec = find_spec("underthesea")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("underthesea is not installed", name="underthesea")
    models = Path(spec.origin).parent / "pipeline" / "word_tokenize" / "models"
    [model] = [path for path in models.iterdir() if path.name.startswith("ws_crf_")]
    with (model / "dictionary.bin").open("rb") as file:
        words = cast(Collection[str], pickle.load(file))
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
