"""For the matcher's tests: a fake ``Segmenter`` (longest match over a fixed word list), and
the rows of the labelled data files in tests/data/."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from monitor.match.segment import Lexicon


class FakeSegmenter:
    """Longest-match segmentation over a fixed word list, which is also its lexicon (unless
    ``names_lexicon`` is False); records the sentences it is asked."""

    def __init__(self, words: Iterable[str], *, names_lexicon: bool = True) -> None:
        self.words_known = {tuple(word.split()) for word in words}
        self.longest = max((len(word) for word in self.words_known), default=1)
        self.names_lexicon = names_lexicon
        self.calls: list[str] = []

    def words(self, sentence: str) -> list[tuple[int, int]]:
        self.calls.append(sentence)
        tokens = [match.span() for match in re.finditer(r"\S+", sentence)]
        spans, index = [], 0
        while index < len(tokens):
            size = next(
                n
                for n in range(min(self.longest, len(tokens) - index), 0, -1)
                if n == 1 or self._known(sentence, tokens[index : index + n])
            )
            spans.append((tokens[index][0], tokens[index + size - 1][1]))
            index += size
        return spans

    def _known(self, sentence: str, tokens: list[tuple[int, int]]) -> bool:
        return tuple(sentence[start:end] for start, end in tokens) in self.words_known

    def lexicon(self) -> Lexicon | None:
        if not self.names_lexicon:
            return None
        return Lexicon(" ".join(word) for word in self.words_known)


DATA = Path(__file__).resolve().parent / "data"


def decode_cell(cell: str) -> str:
    """A data file's cell with its escapes (\\uXXXX, \\n, \\r) turned into characters."""
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|n|r)",
        lambda m: {"n": "\n", "r": "\r"}.get(m[1]) or chr(int(m[1][1:], 16)),
        cell,
    )


def data_rows(name: str) -> list[list[str]]:
    """The tab-separated rows of tests/data/NAME, without blank and comment lines."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]
