"""monitor.archive.candidates: the articles a rule set's candidate query finds, and the due
articles it does not find recorded as matching nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_archive_support import record, scalar, store

from monitor.archive import Archive, MatchRow
from monitor.archive.candidates import DUE


@dataclass(frozen=True)
class Query:
    """A candidate query as ``monitor.match.candidates`` writes one."""

    exact: str | None
    folded: str | None


DAN_VAN = Query(exact='"dân\ue000vận"', folded=None)
NOTHING = Query(exact=None, folded=None)
HASH = "SELECT matched_hash = content_hash FROM articles WHERE article_id = ?"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """1 and 3 hold "dân vận" (3 published first), 2 does not; none matched yet."""
    with Archive.open(tmp_path / "a.db") as opened:
        store(opened, record(1, published_at="2025-03-19T10:00:00+07:00"))
        store(opened, record(2, title="Thời tiết", lead=None, body="Trời nắng.", tags=()))
        store(opened, record(3, published_at="2025-03-01T10:00:00+07:00"))
        yield opened


def test_candidates_are_oldest_published_first(archive: Archive) -> None:
    assert archive.index.candidate_ids(DAN_VAN) == [3, 1]


def test_candidates_since_a_time(archive: Archive) -> None:
    assert archive.index.candidate_ids(DAN_VAN, "2025-03-10T00:00:00+07:00") == [1]


def test_folded_candidates_join_the_exact_ones(archive: Archive) -> None:
    query = Query(exact=None, folded='"troi\ue000nang"')
    assert archive.index.candidate_ids(query) == [2]


def test_a_query_without_expressions_has_no_candidates(archive: Archive) -> None:
    assert archive.index.candidate_ids(NOTHING) == []


def test_due_articles_without_a_keyword_are_recorded_as_matching_nothing(
    archive: Archive,
) -> None:
    assert archive.alerts.settle_unmatched(DAN_VAN) == 1
    assert [a.article_id for a in archive.alerts.unmatched_articles()] == [1, 3]
    assert scalar(archive.path, HASH, 2) == 1


def test_settling_removes_old_matches_and_on_topic(archive: Archive) -> None:
    row = MatchRow("old", "trời", "body", 0, 4, "Trời nắng.")
    archive.alerts.record_matches(2, "stale", [row], [], on_topic=True)
    archive.alerts.settle_unmatched(DAN_VAN)
    article = archive.articles.get_article(2)
    assert archive.alerts.matches_of(2) == [] and article is not None and not article.on_topic


def test_rematching_leaves_only_candidates_due(archive: Archive) -> None:
    archive.alerts.settle_unmatched(NOTHING)  # everything matched, nothing found
    assert archive.alerts.unmatched_articles() == []
    settled = archive.alerts.settle_unmatched(DAN_VAN, rematch=True)
    assert settled == 1
    assert [a.article_id for a in archive.alerts.unmatched_articles()] == [1, 3]


def test_rematching_since_a_time_leaves_older_articles_alone(archive: Archive) -> None:
    archive.alerts.settle_unmatched(NOTHING)
    archive.alerts.settle_unmatched(DAN_VAN, rematch=True, since_iso="2025-03-10T00:00:00+07:00")
    assert [a.article_id for a in archive.alerts.unmatched_articles()] == [1]


def test_due_articles_are_read_through_their_own_index(archive: Archive) -> None:
    with closing(sqlite3.connect(archive.path)) as db:
        plan = db.execute(
            f"EXPLAIN QUERY PLAN SELECT article_id FROM articles WHERE {DUE} ORDER BY article_id"
        ).fetchall()
    assert [row[-1] for row in plan] == ["SCAN articles USING INDEX articles_unmatched"]


def test_after_a_crawl_only_the_new_articles_are_settled(archive: Archive) -> None:
    archive.alerts.settle_unmatched(NOTHING)
    store(archive, record(4, title="Thời tiết", lead=None, body="Trời mưa.", tags=()))
    store(archive, record(5))
    assert archive.alerts.settle_unmatched(DAN_VAN) == 1
    assert [a.article_id for a in archive.alerts.unmatched_articles()] == [5]


def test_nothing_due_is_nothing_to_settle(archive: Archive) -> None:
    archive.alerts.settle_unmatched(NOTHING)
    assert archive.alerts.settle_unmatched(DAN_VAN) == 0
