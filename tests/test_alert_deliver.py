"""``monitor.alert.deliver``: instant and digest delivery, back-off and giving up.

Alerts are queued in a real archive and sent with the real Apprise sender to a real HTTP
receiver (and a real SMTP server); ``now`` is passed explicitly, so retry times are checked to
the second. Messages are in Vietnamese unless a test sets ``alerts.language = "en"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from monitor.alert import DeliverySummary, build_senders, deliver_due, send_test
from monitor.alert.channels import Sender
from monitor.archive import VN_TZ, Archive
from monitor.archive.rows import AlertRow
from monitor.clock import ManualClock
from monitor.config import Config, load_config
from monitor.errors import InputError

from alert_servers import APPRISE_WARNINGS, HttpReceiver, SmtpServer, queue_alert, write_config

pytestmark = APPRISE_WARNINGS

RETRY = {"retry_base": 60.0, "retry_max": 300.0, "retry_window": 259200.0, "timeout": 5.0}


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as running:
        yield running


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        yield opened


def setup(
    tmp_path: Path, receiver: HttpReceiver, mode: str = "instant", **alerts: str
) -> tuple[Config, dict[str, Sender]]:
    hook = {"type": "apprise", "url": receiver.url(), "mode": mode, "digest_time": "08:00"}
    path = write_config(tmp_path / "c.toml", tmp_path / "a.db", {"hook": hook}, **RETRY, **alerts)
    config = load_config(path)
    return config, build_senders(config.channels, environ={}, timeout=5.0)


def created(alert: AlertRow) -> datetime:
    return datetime.fromisoformat(alert.created_at)


def tomorrow(hour: int, minute: int) -> datetime:
    """A time of tomorrow (Vietnam time): after every alert the test queues."""
    moment = datetime.now(VN_TZ) + timedelta(days=1)
    return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)


def status(archive: Archive, alert_id: int) -> AlertRow:
    (row,) = [a for a in archive.alerts.list_alerts() if a.id == alert_id]
    return row


def test_due_alert_is_sent_once_and_marked_sent(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver)
    alert = queue_alert(archive)
    summary = deliver_due(archive, config, senders)
    assert (summary.sent, summary.retried, summary.errors) == (1, 0, ())
    (post,) = receiver.posts
    assert post.body["title"] == "[dan-van] Công tác dân vận ở Thủ Đức"
    assert "Ban «Dân vận»" in post.body["message"]
    assert status(archive, alert.id).status == "sent"
    assert deliver_due(archive, config, senders).sent == 0
    assert len(receiver.posts) == 1


def test_refused_alert_backs_off_doubling_up_to_the_cap(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver)
    receiver.status = 500
    alert = queue_alert(archive)
    now = created(alert)
    for attempt, wait in enumerate([60, 120, 240, 300, 300], start=1):
        assert deliver_due(archive, config, senders, now=now).retried == 1
        row = status(archive, alert.id)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert row.next_attempt_at is not None and row.last_error is not None
        assert datetime.fromisoformat(row.next_attempt_at) == now + timedelta(seconds=wait)
        assert "500" in row.last_error
        early = now + timedelta(seconds=wait - 1)
        assert deliver_due(archive, config, senders, now=early) == DeliverySummary()
        now += timedelta(seconds=wait)
    assert status(archive, alert.id).sent_at is None


def test_alert_older_than_the_window_is_given_up(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver)
    receiver.status = 500
    alert = queue_alert(archive)
    late = created(alert) + timedelta(seconds=RETRY["retry_window"] + 1)
    summary = deliver_due(archive, config, senders, now=late)
    assert (summary.retried, summary.gave_up) == (0, 1)
    assert status(archive, alert.id).status == "failed"


def test_failed_alert_brought_back_is_delivered_once(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver)
    alert = queue_alert(archive)
    archive.alerts.mark_alerts_attempt_failed([alert.id], "gave up earlier", None)
    assert deliver_due(archive, config, senders).sent == 0
    assert archive.alerts.retry_failed_alerts() == 1
    assert deliver_due(archive, config, senders).sent == 1
    assert deliver_due(archive, config, senders).sent == 0
    assert len(receiver.posts) == 1


def test_failing_channel_is_tried_once_per_run_least_tried_alert_first(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver)
    receiver.stop()
    first = queue_alert(archive, 141005)
    second = queue_alert(archive, 141006)
    now = created(second) + timedelta(seconds=600)  # both due, whatever their back-off
    deliver_due(archive, config, senders, now=now)
    assert [status(archive, a.id).attempts for a in (first, second)] == [1, 0]
    deliver_due(archive, config, senders, now=now + timedelta(seconds=60))  # both due again
    assert [status(archive, a.id).attempts for a in (first, second)] == [1, 1]


def test_digest_goes_out_once_a_day_at_its_time(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver, mode="digest", language="en")
    queue_alert(archive, 141005)
    queue_alert(archive, 141006, title="Bài thứ hai")
    day = tomorrow(hour=7, minute=59)
    assert deliver_due(archive, config, senders, now=day).digests_sent == 0
    summary = deliver_due(archive, config, senders, now=day.replace(hour=8, minute=0))
    assert (summary.digests_sent, summary.sent) == (1, 2)
    (post,) = receiver.posts
    assert post.body["title"] == f"Digest {day.date().isoformat()}: 2 alerts"
    assert "Bài thứ hai" in post.body["message"]
    queue_alert(archive, 141007)
    assert deliver_due(archive, config, senders, now=day.replace(hour=20)).digests_sent == 0
    next_day = day.replace(hour=8) + timedelta(days=1)
    assert deliver_due(archive, config, senders, now=next_day).sent == 1
    assert len(receiver.posts) == 2


def test_failed_digest_waits_for_its_back_off(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver, mode="digest")
    receiver.status = 500
    queue_alert(archive, 141005)
    eight = tomorrow(hour=8, minute=0)
    assert deliver_due(archive, config, senders, now=eight).retried == 1
    receiver.status = 200
    queue_alert(archive, 141006)  # new, due at once, but the digest is backing off
    assert deliver_due(archive, config, senders, now=eight + timedelta(seconds=59)).sent == 0
    summary = deliver_due(archive, config, senders, now=eight + timedelta(seconds=60))
    assert (summary.digests_sent, summary.sent) == (1, 2)
    assert len(receiver.posts) == 2  # the refused one, and the digest


def test_delivery_time_needs_an_offset(
    tmp_path: Path, archive: Archive, receiver: HttpReceiver
) -> None:
    config, senders = setup(tmp_path, receiver)
    with pytest.raises(InputError, match="no UTC offset"):
        deliver_due(archive, config, senders, now=datetime(2025, 3, 19, 8, 0))


def test_digest_is_in_vietnamese_by_default(tmp_path: Path, receiver: HttpReceiver) -> None:
    config, senders = setup(tmp_path, receiver, mode="digest")
    clock = ManualClock(datetime(2026, 12, 2, 20, 0, tzinfo=VN_TZ))  # queued the evening before
    with Archive.open(tmp_path / "a.db", clock=clock) as archive:
        queue_alert(archive, 141005)
        queue_alert(archive, 141006, title="Bài thứ hai")
        eight = datetime(2026, 12, 3, 8, 0, tzinfo=VN_TZ)  # a Thursday
        assert deliver_due(archive, config, senders, now=eight).digests_sent == 1
    (post,) = receiver.posts
    assert post.body["title"] == "Bản tin tổng hợp Thứ Năm, 03/12/2026: 2 bài viết mới"
    message = post.body["message"]
    assert message.startswith("== 2 bài viết mới khớp quy tắc «dan-van» ==\n\n")
    assert "\nXem bài gốc: https://congan.com.vn/tin-chinh/bai-viet_141006.html\n" in message


def test_test_message_follows_the_language(tmp_path: Path, receiver: HttpReceiver) -> None:
    titles = {"vi": "congan-monitor: tin nhắn thử", "en": "congan-monitor: test message"}
    for language, title in titles.items():
        config, senders = setup(tmp_path, receiver, language=language)
        assert send_test(senders["hook"], "hook", config.alerts.language) == "accepted"
        assert receiver.posts[-1].body["title"] == title


def test_alert_email_is_vietnamese_utf8_by_default(tmp_path: Path, archive: Archive) -> None:
    queue_alert(archive, channel="email")
    with SmtpServer() as smtp:
        email = {"type": "apprise", "url": smtp.url()}
        path = write_config(tmp_path / "c.toml", tmp_path / "a.db", {"email": email}, **RETRY)
        config = load_config(path)  # no alerts.language: the shipped default
        senders = build_senders(config.channels, environ={}, timeout=5.0)
        assert deliver_due(archive, config, senders).sent == 1
    (mail,) = smtp.received
    assert mail.subject == "[dan-van] Công tác dân vận ở Thủ Đức"
    assert mail.text.replace("\r\n", "\n").rstrip("\n") == (
        "Công tác dân vận ở Thủ Đức\n"
        "Chuyên mục: tin-chinh · 10:00 ngày 19/03/2025\n"
        "Xem bài gốc: https://congan.com.vn/tin-chinh/bai-viet_141005.html\n\n"
        "Khớp quy tắc «dan-van»: Lực lượng Công an phối hợp với Ban «Dân vận»."
    )
    assert mail.message.get_content_charset() == "utf-8"
    raw_subject = next(line for line in mail.raw.splitlines() if line.startswith(b"Subject:"))
    assert raw_subject.startswith(b"Subject: =?utf-8?")  # RFC 2047: the header is ASCII
    assert mail.raw.isascii()  # every Vietnamese letter encoded, none sent as raw 8-bit
