"""The extraction quality gate: per-field accuracy over the golden pages never drops below the
pinned baseline in tests/golden/baseline.json, and per-field similarity (``field_scores``)
over the golden pages, the redesigned pages (the shipped profile: the fallback path) and real
pages of other sites (their own profile) never drops more than ``TOLERANCE`` below the values
pinned in tests/golden/similarity.json (raise the baselines when extraction improves)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from field_scores import mean_scores, with_body_ends

from monitor.config import SiteProfile
from monitor.parse import parse_article

from golden_pages import (
    BASELINE,
    SCORED_FIELDS,
    GoldenPage,
    field_accuracy,
    foreign_pages,
    foreign_profile,
    golden_pages,
    redesign_pages,
)

SIMILARITY = Path(__file__).resolve().parent / "golden" / "similarity.json"
TOLERANCE = 0.005
FOREIGN_FIELDS = ("title", "published_at", "author", "lead", "body_first", "body_last")


def test_no_field_drops_below_the_pinned_baseline(profile: SiteProfile) -> None:
    results = [
        (parse_article(page.html, page.expected["url"], profile).to_dict(), page.expected)
        for page in golden_pages()
    ]
    accuracy = field_accuracy(results)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    dropped = {
        name: (round(accuracy[name], 4), floor)
        for name, floor in baseline.items()
        if accuracy[name] < floor
    }
    assert not dropped, f"fields below baseline (now, pinned): {dropped}"


def test_baseline_scores_every_field() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert set(baseline) == set(SCORED_FIELDS)


def _golden(profile: SiteProfile, page: GoldenPage) -> dict[str, Any]:
    return parse_article(page.html, page.expected["url"], profile).to_dict()


def _foreign(profile: SiteProfile, page: GoldenPage) -> dict[str, Any]:
    url = page.expected["url"]
    return with_body_ends(parse_article(page.html, url, foreign_profile(profile, url)).to_dict())


# corpus: (its pages, how a page is parsed, the fields scored)
CORPORA: dict[
    str, tuple[Callable[[], list[GoldenPage]], Callable[..., dict[str, Any]], tuple[str, ...]]
] = {
    "golden": (golden_pages, _golden, SCORED_FIELDS),
    "redesign": (redesign_pages, _golden, tuple(f for f in SCORED_FIELDS if f != "complete")),
    "foreign": (foreign_pages, _foreign, FOREIGN_FIELDS),
}


def similarity_scores(profile: SiteProfile, corpus: str) -> dict[str, float]:
    """The corpus's mean similarity per field, its pages parsed as the corpus says."""
    pages, parse, fields = CORPORA[corpus]
    pairs = [(parse(profile, page), page.expected) for page in pages()]
    return mean_scores(pairs, fields)


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_field_similarity_drops_below_the_pinned_baseline(
    profile: SiteProfile, corpus: str
) -> None:
    scores = similarity_scores(profile, corpus)
    pinned = json.loads(SIMILARITY.read_text(encoding="utf-8"))[corpus]
    dropped = {
        name: (scores[name], floor)
        for name, floor in pinned.items()
        if scores[name] < floor - TOLERANCE
    }
    assert not dropped, f"{corpus}: fields below the pinned similarity (now, pinned): {dropped}"


def test_the_similarity_baseline_scores_every_field_of_every_corpus() -> None:
    pinned = json.loads(SIMILARITY.read_text(encoding="utf-8"))
    assert {corpus: set(fields) for corpus, fields in pinned.items()} == {
        corpus: set(fields) for corpus, (_, _, fields) in CORPORA.items()
    }
