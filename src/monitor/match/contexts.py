"""Allow and deny contexts: the data behind the matcher's word-boundary decisions.

A *family* is a word that keywords contain ("dân vận"). Its contexts say, as data, what the
segmenter cannot be trusted to see:

- ``compounds``: longer words holding the family word, always a match when the hit lies inside
  one ("Dân vận khéo": underthesea splits a quoted ``"dân vận khéo"`` into ``dân | vận_khéo``).
- ``left_tails``: syllables that, just before the family word, end a word with its first
  syllable ("nhân" → "nhân_dân | vận…"): never a match.
- ``right_heads``: syllables that, just after it, start a word with its last syllable
  ("dụng" → "…dân | vận_dụng"): never a match.
- ``straddles``: whole phrases in which the family word straddles two words, for words where
  one side alone says too little ("thành công | an toàn"; yet "Công an toàn tỉnh" and "trở
  thành Công an" are matches).

A family applies to every keyword containing it, in the keyword's accent mode (folded for
``accents = "fold"`` rules). ``placements`` turns the phrases into ``Placement``s: a phrase
lined up on each place the family word occurs in a keyword.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from monitor.match.fieldtext import Paragraph
from monitor.text import normalize_inline

__all__ = ["FAMILIES", "Family", "Placement", "PlacementIndex", "placements"]


@dataclass(frozen=True)
class Family:
    """The contexts of one family word; every phrase is written out whole."""

    compounds: tuple[str, ...] = ()
    left_tails: tuple[str, ...] = ()
    right_heads: tuple[str, ...] = ()
    straddles: tuple[str, ...] = ()


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))


FAMILIES: dict[str, Family] = {
    "dân vận": Family(
        compounds=(
            "ban dân vận",
            "công tác dân vận",
            "dân vận khéo",
            "dân vận chính quyền",
            "hệ thống dân vận",
            "lực lượng dân vận",
            "cán bộ dân vận",
            "khối dân vận",
            "ngành dân vận",
            "tuyên giáo và dân vận",
        ),
        # words ending in "dân": nhân dân, người dân, cư dân, nông dân, ngư dân, hộ dân…
        left_tails=_words(
            "nhân người cư nông ngư hộ thị công quốc toàn quân di kiều thứ bình lương nạn"
            " thần tiểu lê"
        ),
        # words starting with "vận": vận dụng, vận chuyển, vận hành, vận tải, vận động…
        right_heads=_words(
            "dụng chuyển hành tải động mệnh may tốc đơn trù hội nước khí hạn xui đen đỏ trình"
            " công hà"
        ),
    ),
    "dân vận khéo": Family(right_heads=("léo",)),  # "công tác dân vận khéo léo"
    "công an": Family(
        straddles=("thành công an toàn", "thi công an toàn", "tấn công an ninh"),
    ),
}


@dataclass(frozen=True)
class Placement:
    """A context phrase lined up on a keyword: it starts ``lead`` syllables before the hit."""

    phrase: str  # in the keyword's form: matching form, or folded
    length: int  # syllables
    lead: int  # syllables of the phrase before the hit's first one (negative: starts inside)

    def covers(self, hit_length: int) -> bool:
        """Whether the phrase holds the whole hit."""
        return self.lead >= 0 and self.length - self.lead >= hit_length

    def overhangs(self, hit_length: int) -> bool:
        """Whether the phrase reaches past either end of the hit."""
        return self.lead > 0 or self.length - self.lead > hit_length

    def reaches_past(self, other: Placement) -> bool:
        """Whether the phrase reaches past either end of ``other``'s phrase."""
        return self.lead > other.lead or self.length - self.lead > other.length - other.lead


class PlacementIndex:
    """Placements grouped by the stretch of syllables they cover around a hit, so that each
    stretch of a paragraph is read once and looked up, rather than compared with every phrase
    (a keyword holding "dân vận" has some fifty placements, in a dozen stretches)."""

    def __init__(self, placements: Iterable[Placement]) -> None:
        self._stretches: dict[tuple[int, int], dict[str, list[Placement]]] = {}
        for placement in placements:
            phrases = self._stretches.setdefault((placement.lead, placement.length), {})
            phrases.setdefault(placement.phrase, []).append(placement)

    def found(self, text_of: Callable[[int, int], str | None]) -> list[Placement]:
        """The placements whose phrase is ``text_of(lead, length)``: the text of ``length``
        syllables starting ``lead`` syllables before the hit (None past the paragraph)."""
        found: list[Placement] = []
        for (lead, length), phrases in self._stretches.items():
            text = text_of(lead, length)
            if text is not None:
                found += phrases.get(text, ())
        return found


def placements(keyword: Paragraph, kind: str) -> tuple[list[Placement], list[Placement]]:
    """The allow and the deny placements of every family found in ``keyword``."""
    allow: list[Placement] = []
    deny: list[Placement] = []
    for word, family in FAMILIES.items():
        for offset in _occurrences(_syllables(word, kind), keyword, kind):
            allow += [_place(phrase, word, offset, kind) for phrase in family.compounds]
            deny += [_place(phrase, word, offset, kind) for phrase in _deny_phrases(word, family)]
    return allow, deny


def _deny_phrases(word: str, family: Family) -> list[str]:
    tails = [f"{tail} {word}" for tail in family.left_tails]
    heads = [f"{word} {head}" for head in family.right_heads]
    return tails + heads + list(family.straddles)


def _syllables(text: str, kind: str) -> list[str]:
    return Paragraph(normalize_inline(text), 0, None).syllables(kind)


def _occurrences(word: list[str], keyword: Paragraph, kind: str) -> list[int]:
    """Syllable offsets at which ``word`` occurs in ``keyword``."""
    syllables = keyword.syllables(kind)
    last = len(syllables) - len(word)
    return [i for i in range(last + 1) if syllables[i : i + len(word)] == word]


def _place(phrase: str, word: str, offset: int, kind: str) -> Placement:
    """``phrase`` lined up so that its ``word`` sits at syllable ``offset`` of the keyword."""
    context = Paragraph(normalize_inline(phrase), 0, None)
    found = _occurrences(_syllables(word, kind), context, kind)
    if not found:
        raise ValueError(f"context {phrase!r} does not contain its family word {word!r}")
    text = context.phrase(kind, 0, len(context.starts))
    return Placement(text or "", len(context.starts), found[0] - offset)
