"""Whether a candidate hit is a real one: the word-boundary decision.

A candidate is a run of whole syllables equal to a keyword. Vietnamese words span several
syllables, so a candidate may still straddle a word boundary ("nhân dân | vận dụng" holds the
syllables "dân vận" but not the word). The decision, in order (LANGUAGE.md's measured rule,
with the per-keyword contexts of ``monitor.match.contexts``):

1. **accept** when the hit lies inside an allow-listed compound ("Dân vận khéo") — unless a
   deny context reaches past that compound too ("dân vận khéo | léo" holds no "Dân vận khéo");
2. **reject** when a deny context reaches past the hit ("nhân dân | vận", "dân | vận dụng");
3. otherwise **reject only when a word of the keyword is cut**: each word of the keyword (as
   the segmenter splits the matched text on its own: "công tác dân vận" → "công tác", "dân
   vận") must lie inside one word of the hit's sentence, or inside an allow-listed compound
   found there. A keyword inside a longer word ("ban_dân_vận") is kept.

Step 3 asks the segmenter about the sentence only where the answer is in doubt: where a word
the segmenter knows (its ``Lexicon``) lies across an edge of the hit and cuts into a word of
the keyword ("nhân dân" into "dân vận" in "nhân dân vận dụng"; "đốc công" into "công an" in
"giám đốc công an"). Where no known word reaches across either edge — nearly every hit — or
the known words that do only meet the keyword between its words ("trật tự" after a keyword "an
ninh trật", read "an_ninh | trật"), the keyword's words are taken to be whole. The segmenter
can still join words it does not know (names: "trung ương trần | lưu_quang"), so this is a
measured rule, not an identity: ``bench/bench_matcher.py`` and tests/test_match_boundary.py
compare it with segmenting every sentence.

What is segmented is not the whole sentence but a window around the hit, cut from it (the
whole sentence when it is that short): ``CONTEXT`` syllables before it and after it. The model's
features reach two tokens either way, and the labels that place the hit's edges are those of its
first syllable and of the syllable after its last: so 2 syllables before the hit and 3 after it
are the least with which every feature of those labels (and of the labels inside the hit) is
computed on the same tokens as in the whole sentence. ``bench/check_window.py`` compares the
decisions on every candidate of the bench's articles (10 and 1,000 rules) and of the labelled and
tricky sentences, segmenting all of them: none differs from whole sentences with 2 syllables on
either side or more, nor with 2 before and 3 after (1 either side changes 5 of 2,941).

Segmentations are cached by text (bounded): a window holding candidates of several rules, or
seen again in another article, is segmented once, and so is each keyword.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitor.match.contexts import Placement, PlacementIndex
from monitor.match.fieldtext import Paragraph
from monitor.match.segment import Lexicon, Segmenter
from monitor.match.sentences import around
from monitor.match.terms import Term
from monitor.text import SYLLABLE

__all__ = ["CONTEXT", "BoundaryJudge", "Context"]

Span = tuple[int, int]
Context = tuple[int, int]
# syllables segmented before and after a doubtful hit (None: the whole sentence)
CONTEXT: Context = (2, 3)


class _Cache:
    """A dict that forgets its oldest entries beyond ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: dict[str, list[Span]] = {}

    def get(self, key: str) -> list[Span] | None:
        return self.items.get(key)

    def put(self, key: str, value: list[Span]) -> None:
        if len(self.items) >= self.size:
            del self.items[next(iter(self.items))]
        self.items[key] = value


class BoundaryJudge:
    """Decides candidates, segmenting through the injected ``Segmenter``."""

    def __init__(
        self, segmenter: Segmenter, cache_size: int = 4096, context: Context | None = CONTEXT
    ) -> None:
        self._segmenter = segmenter
        self._context = context
        self._sentences = _Cache(cache_size)
        self._keywords = _Cache(cache_size)
        self._prepared: dict[str, list[Span]] = {}
        self._lexicon: Lexicon | None = None
        self._lexicon_asked = False

    def prepare(self, keywords: Iterable[str]) -> None:
        """Segment ``keywords`` (terms' matching forms) now rather than at their first hit;
        kept for the judge's lifetime, whatever the cache's size."""
        for keyword in keywords:
            if keyword not in self._prepared:
                self._prepared[keyword] = _joined(keyword, self._segmenter.words(keyword))

    def accepts(self, paragraph: Paragraph, term: Term, first: int) -> bool:
        """Whether the candidate of ``term`` at syllable ``first`` of ``paragraph`` is a hit."""
        denials = []
        if term.deny:
            found = _present(paragraph, first, term, term.denied)
            denials = [p for p in found if p.overhangs(term.length)]
        compounds = []
        if term.allow:
            found = _present(paragraph, first, term, term.allowed)
            compounds = [c for c in found if not any(d.reaches_past(c) for d in denials)]
        if any(compound.covers(term.length) for compound in compounds):
            return True
        if denials:
            return False
        spans = [_span(paragraph, first - p.lead, p.length) for p in compounds]
        return self._words_whole(paragraph, first, term.length, spans)

    def _words_whole(
        self, paragraph: Paragraph, first: int, length: int, compounds: list[Span]
    ) -> bool:
        """Whether each multi-syllable word of the hit lies inside a word of its sentence."""
        start, end = _span(paragraph, first, length)
        joined = self._keyword_joined(paragraph.form[start:end])
        if not joined:
            return True  # the keyword is words of one syllable: nothing of it can be cut
        joined = [(start + word_start, start + word_end) for word_start, word_end in joined]
        rivals = self._rivals(paragraph, first, length)
        if rivals is not None and not any(_cuts(r, w) for r in rivals for w in joined):
            return True  # no known word reaching in from outside cuts a word of the keyword
        window_start, window_end = self._window(paragraph, first, length)
        window = paragraph.form[window_start:window_end]
        words = self._words(self._sentences, window, window_start) + compounds
        return all(_inside(word, words) for word in joined)

    def _keyword_joined(self, text: str) -> list[Span]:
        """The keyword's words, as matched (``text``), that hold two or more of its syllables
        (``_joined``), as spans of ``text``."""
        joined = self._prepared.get(text)
        if joined is None:
            joined = self._keywords.get(text)
        if joined is None:
            joined = _joined(text, self._segmenter.words(text))
            self._keywords.put(text, joined)
        return joined

    def _window(self, paragraph: Paragraph, first: int, length: int) -> Span:
        """What is segmented to decide the hit: its sentence, cut to ``context`` syllables
        before and after the hit (the model's features see two tokens either way, so words
        further off do not move the hit's boundaries; bench/check_window.py measures it).
        An edge within reach of the sentence's is the sentence's, punctuation included, so a
        short sentence is segmented whole."""
        start, end = _sentence(paragraph, *_span(paragraph, first, length))
        if self._context is None:
            return start, end
        before, after = self._context
        left, right = first - before, first + length - 1 + after
        if left > 0 and paragraph.starts[left - 1] >= start:
            start = paragraph.starts[left]
        if right + 1 < len(paragraph.ends) and paragraph.ends[right + 1] <= end:
            end = paragraph.ends[right]
        return start, end

    def _rivals(self, paragraph: Paragraph, first: int, length: int) -> list[Span] | None:
        """Character spans of the known words across either edge of the hit; None when the
        segmenter names no words it knows (then every hit is in doubt)."""
        lexicon = self._known_words()
        if lexicon is None:
            return None
        syllables = paragraph.exact_syllables
        ranges = lexicon.across(syllables, first) + lexicon.across(syllables, first + length)
        starts, ends = paragraph.starts, paragraph.ends
        return [(starts[start], ends[end - 1]) for start, end in ranges]

    def _known_words(self) -> Lexicon | None:
        if not self._lexicon_asked:
            self._lexicon = self._segmenter.lexicon()
            self._lexicon_asked = True
        return self._lexicon

    def _keyword_words(self, text: str, offset: int) -> list[Span]:
        """The segmenter's words of the keyword as matched (``text``), shifted by ``offset``."""
        words = self._prepared.get(text)
        if words is None:
            return self._words(self._keywords, text, offset)
        return [(offset + start, offset + end) for start, end in words]

    def _words(self, cache: _Cache, text: str, offset: int) -> list[Span]:
        """The segmenter's words of ``text`` (cached), shifted by ``offset``."""
        words = cache.get(text)
        if words is None:
            words = self._segmenter.words(text)
            cache.put(text, words)
        return [(offset + start, offset + end) for start, end in words]


def _joined(keyword: str, words: list[Span]) -> list[Span]:
    """Of the segmenter's ``words`` of ``keyword``, those holding a syllable boundary of it:
    the words a word boundary of the sentence could cut."""
    joints = [match.end() for match in SYLLABLE.finditer(keyword)][:-1]
    return [word for word in words if any(word[0] < joint < word[1] for joint in joints)]


def _present(
    paragraph: Paragraph, first: int, term: Term, index: PlacementIndex
) -> list[Placement]:
    """The placements of ``index`` whose phrase is in ``paragraph``, lined up on the hit of
    ``term`` at syllable ``first``."""
    return index.found(lambda lead, length: paragraph.phrase(term.kind, first - lead, length))


def _span(paragraph: Paragraph, first: int, count: int) -> Span:
    """Character span of ``count`` syllables from syllable ``first``."""
    return paragraph.starts[first], paragraph.ends[first + count - 1]


def _sentence(paragraph: Paragraph, start: int, end: int) -> Span:
    """The sentence, or run of sentences, holding ``[start, end)``."""
    return around(paragraph.sentences, start, end, len(paragraph.text))


def _inside(span: Span, words: list[Span]) -> bool:
    return any(_holds(word, span) for word in words)


def _holds(outer: Span, inner: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _cuts(rival: Span, word: Span) -> bool:
    """Whether ``rival`` overlaps ``word`` without holding all of it (one of them must break)."""
    overlap = rival[0] < word[1] and word[0] < rival[1]
    return overlap and not _holds(rival, word)
