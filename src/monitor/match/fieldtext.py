"""A field's text made ready for matching, with the way back to offsets in the text given.

``split_field`` cuts a field into paragraphs at blank lines (the archive joins body paragraphs
with ``"\\n\\n"``) and puts each paragraph in display form exactly as ``monitor.text.
normalize_inline`` does: NFC, format characters removed, whitespace (single line breaks, nbsp…)
collapsed to one space. Text that is already in display form, as the archive stores it, is
used as it is; for anything else each display character remembers the span of the given text
it came from, so a hit can be reported at offsets in the text the caller passed in.

Each ``Paragraph`` also holds, computed on first use, its matching form (``monitor.text.
matching_form``: lower-cased, one tone-mark style), its folded form (``monitor.text.fold``)
and its syllables. All forms keep the display form's length, so one list of syllable spans
serves them all. A syllable is a maximal run of letters and digits, which gives syllable
boundaries for Vietnamese and word boundaries for other scripts: no ``an`` inside ``anh``, no
``dân`` inside ``dânvận``. For scanning, ``lowered`` is the display form merely lower-cased:
the matching form without its tone-mark canonicalisation (the costly step), which the scanner
makes up for by looking for each keyword in both tone styles.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import cached_property
from itertools import accumulate

from monitor.match.sentences import sentence_spans
from monitor.text import canonical_tones, fold, matching_form, normalize_inline, strip_marks

__all__ = ["Field", "Paragraph", "split_field"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SYLLABLE_SPLIT = re.compile(r"([^\W_]+)")  # split keeps each syllable between two gaps
_LOOK_ALIKES = {0x00D0: "\u0110", 0x00F0: "\u0111"}  # Ð/ð → Đ/đ, as normalize_inline does
# Hangul vowel and final jamo compose with what precedes them although they are not marks.
_CONJOINING_JAMO = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))


class Paragraph:
    """One paragraph of a field: display, matching and folded forms, syllables, source map."""

    def __init__(
        self,
        text: str,
        origin: int,
        source: list[tuple[int, int]] | None,
        *,
        lowered: str | None = None,
    ) -> None:
        self.text = text  # display form
        self.origin = origin  # where the paragraph starts in the text given
        self._source = source  # per display character, its span in the given paragraph
        if lowered is not None:  # already made (cut from the field's): seeds the property
            self.__dict__["lowered"] = lowered

    @cached_property
    def lowered(self) -> str | None:
        """The display form lower-cased, or None where that changes its length ("İ")."""
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) else None

    @cached_property
    def form(self) -> str:
        """The matching form: lower-cased, tone marks in one style."""
        lowered = self.lowered  # matching_form lower-cases the same way first
        return matching_form(self.text) if lowered is None else canonical_tones(lowered)

    @cached_property
    def folded(self) -> str:
        """The folded form, ``monitor.text.fold`` of the text.

        fold() is the matching form with marks stripped; where the marks sit cannot matter
        once they are gone, so folding the merely lower-cased text one character at a time
        gives the same (lower-casing being idempotent, as a test checks for every character)
        without the tone-mark regex.
        """
        return fold(self.text) if self.lowered is None else strip_marks(self.lowered)

    @cached_property
    def _split(self) -> list[str]:
        """The matching form split around its syllables: gap, syllable, gap, …, syllable, gap.
        Lower-casing and tone placement keep letters letters, so these are the display form's
        syllables too, at the same offsets."""
        return _SYLLABLE_SPLIT.split(self.form)

    @cached_property
    def _spans(self) -> tuple[list[int], list[int]]:
        # the running sum of the pieces' lengths gives every bound, no match object made
        bounds = list(accumulate(map(len, self._split)))
        return bounds[0:-1:2], bounds[1::2]

    @property
    def starts(self) -> list[int]:
        """Where each syllable starts."""
        return self._spans[0]

    @property
    def ends(self) -> list[int]:
        """Where each syllable ends."""
        return self._spans[1]

    def number(self, start: int) -> int | None:
        """The number of the syllable starting at offset ``start``, if one does."""
        number = bisect_left(self.starts, start)
        return number if number < len(self.starts) and self.starts[number] == start else None

    @cached_property
    def exact_syllables(self) -> list[str]:
        """Every syllable in the matching form (the boundary judge reads those around hits)."""
        return self._split[1::2]

    def scan_form(self, kind: str) -> str:
        """The text a scanner searches for ``kind`` terms: ``lowered`` (or, where that is
        None, the matching form) for "exact", the folded form for "fold"."""
        if kind == "fold":
            return self.folded
        return self.form if self.lowered is None else self.lowered

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    def form_of(self, kind: str) -> str:
        """The matching form (``"exact"``) or the folded form (``"fold"``)."""
        return self.folded if kind == "fold" else self.form

    def syllables(self, kind: str) -> list[str]:
        """Every syllable, in the matching or the folded form."""
        form = self.form_of(kind)
        return [form[start:end] for start, end in zip(self.starts, self.ends, strict=True)]

    def phrase(self, kind: str, first: int, count: int) -> str | None:
        """The text of ``count`` syllables from syllable ``first``, or None past either end."""
        if first < 0 or count < 1 or first + count > len(self.starts):
            return None
        return self.form_of(kind)[self.starts[first] : self.ends[first + count - 1]]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the text given of the display-form span ``[start, end)``."""
        if self._source is None:
            return self.origin + start, self.origin + end
        return self.origin + self._source[start][0], self.origin + self._source[end - 1][1]


class Field:
    """A field's text as the scanners read it: whole where it is in stored form, as the archive
    keeps it (display-form paragraphs joined by a blank line), else paragraph by paragraph.

    Scanning a stored field whole — one lower-casing, one pass of each automaton — costs less
    than scanning each paragraph, and a ``Paragraph`` (syllables, forms, sentences) is then made
    only for the paragraphs where something was found: in an article the matcher reads, most
    paragraphs hold no keyword.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._made: dict[int, Paragraph] = {}

    @cached_property
    def _pieces(self) -> list[str] | None:
        """The paragraphs, when the text is in stored form; None otherwise."""
        pieces = self.text.split("\n\n")
        return pieces if _is_stored(self.text, pieces) else None

    @cached_property
    def _origins(self) -> list[int]:
        """Where each stored paragraph starts in the text."""
        origins, position = [], 0
        for piece in self._pieces or []:
            origins.append(position)
            position += len(piece) + 2
        return origins

    @cached_property
    def _lowered(self) -> str | None:
        """The whole text lower-cased, when in stored form and of the same length (as each
        paragraph's ``lowered`` then is: lower-casing never crosses a line break)."""
        if self._pieces is None:
            return None
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) else None

    def scan_form(self, kind: str) -> str | None:
        """The whole text as ``Paragraph.scan_form`` gives each paragraph (line breaks kept),
        or None when the field is to be scanned paragraph by paragraph (``paragraphs``)."""
        lowered = self._lowered
        if lowered is None or kind != "fold":
            return lowered
        return self._folded

    @cached_property
    def _folded(self) -> str:
        assert self._lowered is not None
        return strip_marks(self._lowered)

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        """Every paragraph, numbered as in ``paragraph``: ``split_field``'s."""
        if self._pieces is None:
            return split_field(self.text)
        return [self.paragraph(number) for number in range(len(self._pieces))]

    def paragraph(self, number: int) -> Paragraph:
        """Stored paragraph ``number`` (made once)."""
        made = self._made.get(number)
        if made is None:
            assert self._pieces is not None
            piece, origin = self._pieces[number], self._origins[number]
            lowered = self._lowered
            if lowered is not None:
                lowered = lowered[origin : origin + len(piece)]
            made = Paragraph(piece, origin, None, lowered=lowered)
            self._made[number] = made
        return made

    def number_at(self, offset: int) -> int:
        """The number of the stored paragraph holding ``offset`` of the text."""
        return bisect_right(self._origins, offset) - 1


def split_field(text: str) -> list[Paragraph]:
    """The non-empty paragraphs of a field's text, in display form."""
    paragraphs = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        paragraphs.append(_paragraph(text[position : match.start()], position))
        position = match.end()
    paragraphs.append(_paragraph(text[position:], position))
    return [paragraph for paragraph in paragraphs if paragraph.text]


def _paragraph(raw: str, origin: int) -> Paragraph:
    if _is_display(raw) or normalize_inline(raw) == raw:
        return Paragraph(raw, origin, None)
    text, source = display_with_source(raw)
    return Paragraph(text, origin, source)


def _is_display(raw: str) -> bool:
    """A quick sufficient test that ``normalize_inline(raw) == raw``, as for stored text.

    ``isprintable`` is False for every format character (Cf) and every whitespace character
    but the space (Cc, Zs, Zl, Zp), so what is left to check is NFC, the look-alikes and the
    spaces themselves.
    """
    return (
        raw.isprintable()
        and unicodedata.is_normalized("NFC", raw)
        and "  " not in raw
        and raw[:1] != " "
        and raw[-1:] != " "
        and "\u00d0" not in raw
        and "\u00f0" not in raw
    )


def _is_stored(text: str, pieces: list[str]) -> bool:
    """Whether ``text`` is non-empty paragraphs in display form joined by ``"\\n\\n"``
    (``pieces``, its split at them): ``_is_display`` of each — every piece non-empty and
    printable (so no other line break, none at either end), no space beside a line break; NFC,
    look-alikes and double spaces checked on the whole text at once, as they do not depend on
    the cut."""
    return bool(
        all(pieces)
        and all(map(str.isprintable, pieces))
        and text[:1] != " "
        and text[-1:] != " "
        and " \n" not in text
        and "\n " not in text
        and "  " not in text
        and unicodedata.is_normalized("NFC", text)
        and "\u00d0" not in text
        and "\u00f0" not in text
    )


def display_with_source(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """``normalize_inline(raw)`` and, per character of it, the span of ``raw`` it came from.

    Works one cluster at a time (a character with the marks and format characters after it),
    so composition never crosses a cluster and every output character has one source span.
    """
    chars: list[str] = []
    source: list[tuple[int, int]] = []
    space: tuple[int, int] | None = None
    for start, end, cluster in _clusters(raw):
        if cluster.isspace():
            space = space or (start, end)
            continue
        if space is not None and chars:
            chars.append(" ")
            source.append(space)
        space = None
        chars.extend(cluster)
        source.extend([(start, end)] * len(cluster))
    return "".join(chars), source


def _clusters(raw: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, composed)`` for each cluster; format characters vanish, spaces stand alone."""
    index = 0
    while index < len(raw):
        if unicodedata.category(raw[index]) == "Cf":
            index += 1
            continue
        end = index + 1
        if not raw[index].isspace():
            while end < len(raw) and _joins_previous(raw[end]):
                end += 1
        kept = "".join(char for char in raw[index:end] if unicodedata.category(char) != "Cf")
        yield index, end, unicodedata.normalize("NFC", kept.translate(_LOOK_ALIKES))
        index = end


def _joins_previous(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf" or category.startswith("M"):
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _CONJOINING_JAMO)
