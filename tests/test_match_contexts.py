"""monitor.match.contexts: the placements of a keyword's contexts and their index; one
behaviour per test."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from monitor.match.contexts import PlacementIndex
from monitor.match.fieldtext import Paragraph
from monitor.match.terms import make_term

_WORDS = ["nhân", "người", "dân", "vận", "dụng", "động", "khéo", "léo", "ban", "công", "tác"]


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=10), st.integers(0, 9))
def test_index_finds_exactly_the_placements_whose_phrase_lies_around_the_hit(
    words: list[str], first: int
) -> None:
    paragraph = Paragraph(" ".join(words), 0, None)
    term = make_term("công tác dân vận", "exact")
    placements = (*term.allow, *term.deny)

    def text_of(lead: int, length: int) -> str | None:
        return paragraph.phrase("exact", first - lead, length)

    expected = [p for p in placements if text_of(p.lead, p.length) == p.phrase]
    assert sorted(PlacementIndex(placements).found(text_of), key=placements.index) == expected
