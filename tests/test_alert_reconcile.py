"""monitor.alert.deliver.reconcile: a delivery interrupted between send and record is
completed exactly once on a channel that can confirm, at least once on the others."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_archive_support import record, store

from monitor.alert.channels import ConsoleSender, FileSender
from monitor.alert.deliver import reconcile
from monitor.alert.message import AlertMessage
from monitor.archive import Archive, MatchRow


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        store(opened, record())
        article = opened.alerts.unmatched_articles()[0]
        hit = MatchRow("dan-van", "dân vận", "title", 9, 16, "Công tác dân vận")
        opened.alerts.record_matches(
            141005, article.content_hash, [hit], [("dan-van", "log")], on_topic=True
        )
        yield opened


def alert_id(archive: Archive) -> int:
    return archive.alerts.list_alerts()[0].id


def test_a_message_the_file_holds_is_confirmed_not_resent(archive: Archive, tmp_path: Path) -> None:
    sender = FileSender(tmp_path / "alerts.jsonl")
    ident = alert_id(archive)
    archive.alerts.mark_alerts_sending([ident])
    sender.send(AlertMessage("log", "t", "b", (ident,)))  # ...and the process died here
    assert reconcile(archive, {"log": sender}) == (1, 0)
    assert archive.alerts.alert_counts() == {"pending": 0, "sent": 1, "failed": 0}


def test_a_message_the_file_lacks_is_due_again(archive: Archive, tmp_path: Path) -> None:
    ident = alert_id(archive)
    archive.alerts.mark_alerts_sending([ident])  # the process died before writing
    assert reconcile(archive, {"log": FileSender(tmp_path / "alerts.jsonl")}) == (0, 1)
    assert archive.alerts.sending_alerts() == []
    assert archive.alerts.alert_counts()["pending"] == 1


def test_a_channel_that_cannot_confirm_sends_again(archive: Archive) -> None:
    ident = alert_id(archive)
    archive.alerts.mark_alerts_sending([ident])
    assert reconcile(archive, {"log": ConsoleSender(io.StringIO())}) == (0, 1)
    assert archive.alerts.alert_counts()["pending"] == 1


def test_a_torn_last_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    path.write_bytes(b'{"alert_ids": [1]}\n{"alert_ids": [2')
    assert FileSender(path).accepted([1, 2]) == {1}
