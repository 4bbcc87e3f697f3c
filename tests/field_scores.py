"""Per-field similarity of parsed records to expected ones, for the quality gate: unlike exact
match, a score moves a little when a field comes out a little wrong, so the gate can fail
where no golden assertion exists (the fallback path on redesigned and foreign pages).

Text fields score ``difflib.SequenceMatcher.ratio``; ``body`` (and its first and last
paragraph on foreign pages) scores token F1, which a long text's ratio approximates poorly
and slowly. Absent on both sides is 1.0, absent on one side 0.0. A corpus scores the mean.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from typing import Any

TOKEN_FIELDS = ("body", "body_first", "body_last")


def token_f1(actual: str, expected: str) -> float:
    """F1 of the two texts' word multisets."""
    got, want = Counter(actual.split()), Counter(expected.split())
    common = sum((got & want).values())
    if not got and not want:
        return 1.0
    if common == 0:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def similarity(name: str, actual: Any, expected: Any) -> float:
    """How close ``actual`` is to ``expected`` for the field ``name``, from 0 to 1."""
    if actual is None or expected is None:
        return float(actual is None and expected is None)
    got, want = _text(actual), _text(expected)
    if name in TOKEN_FIELDS:
        return token_f1(got, want)
    return SequenceMatcher(None, got, want, autojunk=False).ratio()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def mean_scores(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]], fields: Iterable[str]
) -> dict[str, float]:
    """Per field, the mean similarity over the (actual, expected) pairs, to four places."""
    pairs = list(pairs)
    return {
        name: round(
            sum(similarity(name, actual.get(name), want.get(name)) for actual, want in pairs)
            / len(pairs),
            4,
        )
        for name in fields
    }


def with_body_ends(record: Mapping[str, Any]) -> dict[str, Any]:
    """``record`` with ``body_first`` and ``body_last``: its body's first and last paragraph
    (how the foreign pages' expected bodies are given)."""
    paragraphs = (record.get("body") or "").split("\n\n")
    return {**record, "body_first": paragraphs[0] or None, "body_last": paragraphs[-1] or None}
