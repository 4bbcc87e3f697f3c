"""The extraction quality gate: per-field accuracy over the golden pages never drops below the
pinned baseline in tests/golden/baseline.json (raise the baseline when extraction improves)."""

from __future__ import annotations

import json

from monitor.config import SiteProfile
from monitor.parse import parse_article

from golden_pages import BASELINE, field_accuracy, golden_pages


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
    from golden_pages import SCORED_FIELDS

    assert set(baseline) == set(SCORED_FIELDS)
