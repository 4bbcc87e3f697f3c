"""The normalise stage: one display form and two search forms of Vietnamese text.

Every text field passes through here between the parser and the archive. Three forms exist:

**Display form** (``normalize_inline``, ``normalize_paragraphs``): what is stored and shown.
NFC; format characters (Unicode category Cf: U+200B, U+00AD, U+FEFF, U+2060, U+200C/D, bidi
marks…) removed; every space separator (Zs) and whitespace character (``\\t``, ``\\r``,
``\\n``, U+2028…) turned into a plain space, runs collapsed, ends stripped; the look-alikes
``Ð/ð`` (U+00D0/U+00F0) mapped to ``Đ/đ`` (U+0110/U+0111). Tone-mark style is left as written.

Format characters are removed *before* composing, so ``b`` ZWSP ``i`` U+0300 ``nh`` still
becomes ``bình``. They are removed outright, never replaced by a space: a zero-width character
between two letters is taken to split a word that should be whole (soft hyphens, CMS line-break
hints), so removing it rejoins the word — ``cô`` ZWSP ``ng`` → ``công`` and also ``dân`` ZWSP
``vận`` → ``dânvận``. Text that uses a zero-width space *instead of* a space is not expected.

**Matching form** (``matching_form``): the copy that keywords are matched and searched against.
Lower-cased, with tone marks canonicalised to the old style by ``canonical_tones``: the press
writes both ``hòa, thủy, khỏe, úy`` (old) and ``hoà, thuỷ, khoẻ, uý`` (new) and NFC does not
unify them. Only open syllables whose nucleus is ``oa``, ``oe`` or ``uy`` differ; closed ones
(``hoàng``, ``khuyến``), ``qu`` + vowel (``quý``) and foreign words (``Chloé``, ``Noé``) are
never touched. A token is changed only when its initial consonant is one that Vietnamese
attests before that nucleus (``_ATTESTED_INITIALS``) — the Vietnamese initial set alone would
admit ``noe`` and with it the name ``Noé``.

**Folded form** (``fold``): the matching form with every letter's marks stripped and
``đ → d`` (no Unicode decomposition links them), for accent-insensitive search:
``Thủ Đức`` → ``thu duc``.

The matching and folded forms are *length-preserving*: each character is replaced by exactly
one character, so an offset found in either form is the same offset in the display form.

**Syllable pairs** (``syllable_pairs``): the search index keeps, besides each syllable, every
two adjacent syllables of a form as one token (``công an`` → ``công`` U+E000 ``an``), so that a
phrase, the way Vietnamese words are typed, is looked up as one or a few tokens instead of
intersecting the position lists of syllables that occur in nearly every article. Syllables are
maximal runs of letters and digits (``SYLLABLE``); the joiner is a private-use character, which
SQLite's ``unicode61`` tokenizer keeps inside a token and which news text does not contain.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise

__all__ = [
    "PAIR_JOINER",
    "SYLLABLE",
    "canonical_tones",
    "fold",
    "matching_form",
    "normalize_inline",
    "normalize_paragraphs",
    "pairs_text",
    "strip_common_marks",
    "strip_marks",
    "syllable_pairs",
]

# --- display form ---------------------------------------------------------------------------


class _InlineTable(dict[int, str | None]):
    """``str.translate`` table: Cf → deleted, ``Ð/ð`` → ``Đ/đ``, the rest → itself (memoised)."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value = None if unicodedata.category(char) == "Cf" else char
        self[code] = value
        return value


_INLINE_TABLE = _InlineTable({0x00D0: "\u0110", 0x00F0: "\u0111"})


def normalize_inline(s: str) -> str:
    """Return the display form of a one-line field (title, lead, paragraph, author)."""
    composed = unicodedata.normalize("NFC", s.translate(_INLINE_TABLE))
    # str.split() with no argument splits on every Zs and every other whitespace character.
    return " ".join(composed.split())


def normalize_paragraphs(paragraphs: Iterable[str]) -> str:
    """Normalise each paragraph, drop the empty ones, and join the rest with a blank line."""
    normalized = (normalize_inline(paragraph) for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in normalized if paragraph)


# --- tone-mark placement --------------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng

# Initials attested before each open nucleus ("" = no initial). All are Vietnamese initial
# consonants; "c", "k", "q" (spelled "qu"), "gh", "ngh", "gi" and "p" never precede these
# nuclei, and pairs such as "noe" or "muy" are not Vietnamese syllables.
_ATTESTED_INITIALS: dict[str, frozenset[str]] = {
    "oa": frozenset(["", "b", "ch", "d", "đ", "g", "h", "kh", "l", "ng", "nh", "t", "th", "x"]),
    "oe": frozenset(["", "ch", "h", "kh", "l", "ng", "nh", "t", "th", "x"]),
    "uy": frozenset(
        ["", "ch", "d", "h", "kh", "l", "ng", "nh", "ph", "r", "s", "t", "th", "tr", "x"]
    ),
}


def _old_style_rhymes() -> dict[str, tuple[str, str]]:
    """Map each new-style rhyme (``oà``, ``uÝ``…) to its old-style spelling and its nucleus."""
    rhymes: dict[str, tuple[str, str]] = {}
    for nucleus in _ATTESTED_INITIALS:
        for first in (nucleus[0], nucleus[0].upper()):
            for second in (nucleus[1], nucleus[1].upper()):
                for mark in _TONE_MARKS:
                    new = first + unicodedata.normalize("NFC", second + mark)
                    old = unicodedata.normalize("NFC", first + mark) + second
                    rhymes[new] = (old, nucleus)
    return rhymes


_OLD_STYLE = _old_style_rhymes()


_OUTSIDE = r"[\w\u0300-\u036f]"  # what may not touch a token: letter, digit, _, mark


def _rhymes() -> str:
    """The pattern of a new-style rhyme (``oà``, ``uÝ``…)."""
    seconds: dict[str, set[str]] = {}
    for rhyme in _OLD_STYLE:
        seconds.setdefault(rhyme[0].lower(), set()).add(rhyme[1])
    return "|".join(
        f"[{first}{first.upper()}][{''.join(sorted(chars))}]" for first, chars in seconds.items()
    )


def _new_style_syllable() -> re.Pattern[str]:
    """Compile the pattern of a whole token ending in a new-style rhyme.

    Group 1 is the candidate initial, at most two letters (the longest initial attested before
    these nuclei); a longer one cannot match, as the token must start right after a character
    that is not a letter, digit, underscore or combining mark. Group 2 is the rhyme.
    """
    return re.compile(rf"(?<!{_OUTSIDE})([^\W\d_]{{0,2}})({_rhymes()})(?!{_OUTSIDE})")


_NEW_STYLE_SYLLABLE = _new_style_syllable()
# What every match of _NEW_STYLE_SYLLABLE ends with: a rhyme closing its token. Searching for
# it alone is 2-3 times cheaper than the substitution, which most paragraphs do not need.
_NEW_STYLE_RHYME = re.compile(rf"(?:{_rhymes()})(?!{_OUTSIDE})")


def _to_old_style(match: re.Match[str]) -> str:
    initial, rhyme = match[1], match[2]
    old, nucleus = _OLD_STYLE[rhyme]
    if initial.lower() not in _ATTESTED_INITIALS[nucleus]:
        return match[0]
    return initial + old


def canonical_tones(s: str) -> str:
    """Move new-style tone marks to the old-style vowel: ``hoà`` → ``hòa``, ``THUỶ`` → ``THỦY``.

    Changes only Vietnamese open syllables with nucleus ``oa``/``oe``/``uy``; case is kept,
    the result has the same length as NFC input, and applying it twice changes nothing more.
    """
    if _NEW_STYLE_RHYME.search(s) is None:
        return s
    return _NEW_STYLE_SYLLABLE.sub(_to_old_style, s)


# --- matching and folded forms --------------------------------------------------------------


def _lower_same_length(s: str) -> str:
    lowered = s.lower()
    if len(lowered) == len(s):
        return lowered
    # Rare: a character whose lower case is longer ("İ" → "i̇") stays as it is.
    return "".join(low if len(low := char.lower()) == 1 else char for char in s)


def matching_form(s: str) -> str:
    """Return the lower-cased, tone-canonical copy of display-form text, of the same length."""
    return canonical_tones(_lower_same_length(s))


class _FoldTable(dict[int, str]):
    """``str.translate`` table: a letter with marks → its base letter, the rest → itself."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        marks = decomposed[1:]
        is_marked = bool(marks) and all(unicodedata.category(m).startswith("M") for m in marks)
        value = decomposed[0] if is_marked else char
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable({0x0111: "d", 0x0110: "D", 0x00F0: "d", 0x00D0: "D"})


PAIR_JOINER = "\ue000"  # private use: a token character to unicode61, absent from news text

# The characters of nearly all news text in lower case: ASCII, the Vietnamese vowels with
# each tone, đ, common punctuation and Latin letters of foreign names, and the joiner of the
# index's syllable pairs (at most 256).
_VOWELS = [
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
]
_COMMON = "".join(
    dict.fromkeys(
        [*map(chr, range(128)), *_VOWELS, *"đ“”‘’–—…•·«»°×²³½€£©®™üöäçñßøåæïëîûō", PAIR_JOINER]
    )
)
_COMMON_CODEC = codecs.charmap_build(_COMMON)  # each character → its place in _COMMON
_COMMON_STRIPPED = _COMMON.translate(_FOLD_TABLE)  # each place → the character stripped


def fold(s: str) -> str:
    """Return the matching form with marks stripped and ``đ → d``, of the same length."""
    return strip_marks(matching_form(s))


def strip_marks(s: str) -> str:
    """Every character of ``s`` with its marks stripped, ``đ → d`` (``fold`` of text already in
    matching form; of merely lower-cased text too, as where a tone mark sits cannot matter once
    it is gone). Text made only of ``_COMMON`` characters goes through two charmap codecs, 5–6
    times faster than ``str.translate`` with a dict (which looks each character up in Python's
    dict protocol); any other character falls back to ``str.translate``."""
    stripped = strip_common_marks(s)
    return s.translate(_FOLD_TABLE) if stripped is None else stripped


def strip_common_marks(s: str) -> str | None:
    """``strip_marks(s)`` when every character of ``s`` is one of ``_COMMON``, else None.

    Each of those characters is stripped to one character that is a letter or digit exactly
    when it is one (tests/test_text.py checks every one): so stripping a text made of them
    keeps its syllables where they are, and strips each of them."""
    try:
        places, _ = codecs.charmap_encode(s, "strict", _COMMON_CODEC)
    except UnicodeEncodeError:
        return None
    return codecs.charmap_decode(places, "strict", _COMMON_STRIPPED)[0]


# --- syllable pairs -------------------------------------------------------------------------

SYLLABLE = re.compile(r"[^\W_]+")  # a run of letters and digits


def syllable_pairs(form: str) -> list[str]:
    """Each two adjacent syllables of ``form`` as one token, in order (none for one syllable)."""
    return [first + PAIR_JOINER + second for first, second in pairwise(SYLLABLE.findall(form))]


def pairs_text(form: str) -> str:
    """``syllable_pairs(form)`` joined by spaces, as the search index holds them."""
    return " ".join(map(PAIR_JOINER.join, pairwise(SYLLABLE.findall(form))))
