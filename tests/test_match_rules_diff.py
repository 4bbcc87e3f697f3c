"""monitor.match.rules_diff: each rule's gains and losses between two rule sets, through the
index and as reading every article would find them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.archive import Archive
from monitor.config import Config
from monitor.config.schema import Rule
from monitor.ingest import FetchedPage, ingest_page
from monitor.match.rules_diff import diff_rules, status

from golden_pages import golden_pages

WHEN = "2025-06-23T12:00:00+07:00"
DAN_VAN = Rule(name="dan-van", keywords=("dân vận",))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Iterator[Archive]:
    path = tmp_path_factory.mktemp("diff") / "archive.db"
    with Archive.open(path) as opened:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, WHEN)
            ingest_page(opened, config.profile, fetched)
        yield opened


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, DAN_VAN, "added"),
        (DAN_VAN, None, "removed"),
        (DAN_VAN, DAN_VAN.model_copy(update={"accents": "fold"}), "changed"),
        (DAN_VAN, DAN_VAN.model_copy(update={"channels": (), "on_topic": True}), "unchanged"),
    ],
    ids=["added", "removed", "changed", "alerting only"],
)
def test_a_rule_changes_when_what_it_matches_may_change(
    old: Rule | None, new: Rule | None, expected: str
) -> None:
    assert status(old, new) == expected


def test_rules_are_listed_new_ones_first_then_removed_ones(
    archive: Archive, config: Config
) -> None:
    changes = diff_rules(archive, config.rules, [DAN_VAN])
    assert [(c.rule, c.status) for c in changes] == [
        ("dan-van", "changed"),
        ("toan-dan-bv-antq", "removed"),
    ]


def test_the_diff_through_the_index_is_the_full_scan(archive: Archive, config: Config) -> None:
    new = [
        DAN_VAN.model_copy(update={"keywords": ("công an xã", "dân vận")}),
        Rule(name="bao-chi", keywords=("bao chi",), accents="fold", fields=("title", "lead")),
    ]
    through = diff_rules(archive, config.rules, new)
    assert through == diff_rules(archive, config.rules, new, through_index=False)
    assert all(change.gained or change.lost for change in through)


def test_identical_rules_gain_and_lose_nothing(archive: Archive, config: Config) -> None:
    changes = diff_rules(archive, config.rules, config.rules)
    assert {c.status for c in changes} == {"unchanged"}
    assert not any(c.gained or c.lost for c in changes)
