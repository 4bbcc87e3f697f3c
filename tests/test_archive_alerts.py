"""The archive's matches and alert outbox: one alert per (article, rule, channel), ever."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_archive_support import LATER, record, store

from monitor.archive import Archive, MatchRow

PAST = "2000-01-01T00:00:00+07:00"
FUTURE = "2999-01-01T00:00:00+07:00"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        yield opened


def match(archive: Archive, article_id: int = 141005, rules: tuple[str, ...] = ("dan-van",)) -> int:
    article = archive.alerts.unmatched_articles()[0]
    hits = [MatchRow(rule, "dân vận", "title", 9, 16, "Công tác dân vận") for rule in rules]
    alerts = [(rule, "default") for rule in rules]
    return archive.alerts.record_matches(
        article_id, article.content_hash, hits, alerts, on_topic="dan-van" in rules
    )


def test_new_article_is_unmatched(archive: Archive) -> None:
    store(archive, record())
    assert [a.article_id for a in archive.alerts.unmatched_articles()] == [141005]


def test_recording_matches_queues_one_pending_alert(archive: Archive) -> None:
    store(archive, record())
    assert match(archive) == 1
    assert archive.alerts.unmatched_articles() == []
    assert archive.alerts.alert_counts() == {"pending": 1, "sent": 0, "failed": 0}
    article = archive.articles.get_article(141005)
    assert article is not None and article.on_topic is True


def test_edited_article_is_matched_again_but_not_realerted(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    store(archive, record(body="Nội dung đã sửa."), fetched_at=LATER)
    assert [a.article_id for a in archive.alerts.unmatched_articles()] == [141005]
    assert match(archive) == 0
    assert archive.alerts.alert_counts()["pending"] == 1


def test_edited_article_alerts_for_a_newly_matching_rule(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    store(archive, record(body="Nội dung đã sửa."), fetched_at=LATER)
    assert match(archive, rules=("dan-van", "toan-dan")) == 1


def test_due_alerts_carry_article_and_first_match(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    (alert,) = archive.alerts.due_alerts("default", now=FUTURE)
    assert alert.title == "Công tác dân vận ở Thủ Đức"
    assert alert.url == record().canonical_url
    assert alert.match is not None
    assert alert.match.keyword == "dân vận"
    assert archive.alerts.due_alerts("other", now=FUTURE) == []


def test_sent_alert_is_no_longer_due(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    (alert,) = archive.alerts.due_alerts("default", now=FUTURE)
    archive.alerts.mark_alerts_sent([alert.id])
    assert archive.alerts.due_alerts("default", now=FUTURE) == []
    assert archive.alerts.alert_counts()["sent"] == 1


def test_failed_attempt_waits_for_its_retry_time(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    (alert,) = archive.alerts.due_alerts("default", now=FUTURE)
    archive.alerts.mark_alerts_attempt_failed(
        [alert.id], "connection refused", "2990-01-01T00:00:00+07:00"
    )
    assert archive.alerts.due_alerts("default", now="2980-01-01T00:00:00+07:00") == []
    (again,) = archive.alerts.due_alerts("default", now=FUTURE)
    assert (again.attempts, again.last_error) == (1, "connection refused")


def test_giving_up_marks_failed_and_retry_brings_it_back(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    (alert,) = archive.alerts.due_alerts("default", now=FUTURE)
    archive.alerts.mark_alerts_attempt_failed([alert.id], "timeout", None)
    assert archive.alerts.alert_counts()["failed"] == 1
    assert [a.id for a in archive.alerts.list_alerts("failed")] == [alert.id]
    assert archive.alerts.retry_failed_alerts() == 1
    assert archive.alerts.alert_counts() == {"pending": 1, "sent": 0, "failed": 0}


def test_forget_matched_makes_articles_due_again(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    assert archive.alerts.forget_matched(PAST) == 1
    assert len(archive.alerts.unmatched_articles()) == 1


def test_matches_of_an_article(archive: Archive) -> None:
    store(archive, record())
    match(archive)
    (found,) = archive.alerts.matches_of(141005)
    assert (found.rule, found.field, found.start, found.end) == (
        "dan-van",
        "title",
        9,
        16,
    )
