"""Channel faults: a real alert channel misbehaves, and delivery copes (RELIABILITY.md).

Each fault is played on 127.0.0.1 against the real ``AppriseSender`` and ``deliver_due``, on
the channel's own port, so that the URL never changes when the outage ends:

- SMTP answering 550 to RCPT TO, or to the message (DATA);
- SMTP accepting the connection and never answering (beyond ``alerts.timeout``);
- SMTP talking up to DATA, then dropping the connection in the middle of the message;
- a webhook answering 500, and a webhook answering only after ``alerts.timeout``.

For every fault: a failed attempt is recorded on the alert (attempts, the channel's reason, no
secret); retries follow the back-off and the alert is delivered exactly once when the channel
recovers; an outage longer than ``alerts.retry_window`` leaves the alert 'failed', listed by
``monitor alerts list --failed``, and ``monitor alerts retry`` delivers it once.

Delivery times are passed as ``now``, so back-off is checked to the second without waiting;
the two ``monitor`` commands run as a user runs them, in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from monitor.alert import DeliverySummary, build_senders, deliver_due
from monitor.archive import Archive
from monitor.archive.rows import AlertRow
from monitor.config import Config, load_config

from alert_servers import (
    APPRISE_WARNINGS,
    HOST,
    BrokenSmtpPort,
    HttpReceiver,
    Post,
    RefusingSmtpServer,
    SlowHttpPort,
    StandbySmtpServer,
    queue_alert,
    write_config,
)

pytestmark = [pytest.mark.reliability, APPRISE_WARNINGS]

MONITOR = str(Path(sys.executable).parent / "monitor")
SECRET = "s3cr:t@p/ss%w0rd"  # every character that means something in a URL
VARIABLE = "CHANNEL_PASSWORD"
ENVIRON = {VARIABLE: SECRET}
TIMEOUT = 0.5  # alerts.timeout: a hung server costs half a second per attempt
SLOW = 5.0  # the slow webhook's answer time, well beyond the timeout
RETRY = {"retry_base": 60.0, "retry_max": 600.0, "retry_window": 3600.0, "timeout": TIMEOUT}
BACKOFF = (60, 120, 240)  # seconds after attempts 1, 2, 3
TITLE = "[dan-van] Công tác dân vận ở Thủ Đức"


@dataclass
class Outage:
    """A channel in an outage: its Apprise URL, what its failures say, and how it ends."""

    url: str
    reason: str  # a regular expression the alert's last_error must match
    recover: Callable[[], None]  # the outage ends, on the same port
    titles: Callable[[], list[str]]  # the messages the channel accepted
    seen: Callable[[], int]  # the attempts the broken channel saw


def _email_url(port: int) -> str:
    query = "from=monitor@example.org&to=analyst@example.org"
    return f"mailto://monitor:${{{VARIABLE}}}@{HOST}:{port}?{query}"


def _webhook_url(port: int) -> str:
    return f"json://monitor:${{{VARIABLE}}}@{HOST}:{port}/hook"


@contextmanager
def smtp_refusing(refuse: str) -> Iterator[Outage]:
    with RefusingSmtpServer(refuse, password=SECRET) as server:
        yield Outage(
            _email_url(server.port),
            reason=r"550.*(mailbox unavailable|refused by policy)",
            recover=server.recover,
            titles=lambda: [mail.subject for mail in server.received],
            seen=lambda: server.refused,
        )


@contextmanager
def smtp_broken(behaviour: str, reason: str) -> Iterator[Outage]:
    with (
        StandbySmtpServer(password=SECRET) as server,
        BrokenSmtpPort(server.port, behaviour) as broken,
    ):

        def recover() -> None:
            broken.stop()
            server.start()

        yield Outage(
            _email_url(server.port),
            reason=reason,
            recover=recover,
            titles=lambda: [mail.subject for mail in server.received],
            seen=lambda: broken.connections,
        )


@contextmanager
def webhook_failing() -> Iterator[Outage]:
    with HttpReceiver() as receiver:
        receiver.status = 500
        refused: list[Post] = []  # the posts answered 500, once the outage is over

        def recover() -> None:
            refused.extend(receiver.posts)
            receiver.status = 200

        yield Outage(
            _webhook_url(receiver.port),
            reason=r"error=500",
            recover=recover,
            titles=lambda: [post.body["title"] for post in receiver.posts[len(refused) :]],
            seen=lambda: len(refused or receiver.posts),
        )


@contextmanager
def webhook_slow() -> Iterator[Outage]:
    receiver = HttpReceiver()
    slow = SlowHttpPort(receiver.port, SLOW)

    def recover() -> None:
        slow.stop()
        receiver.start()

    with slow:
        try:
            yield Outage(
                _webhook_url(receiver.port),
                reason=rf"Read timed out\. \(read timeout={TIMEOUT}\)",
                recover=recover,
                titles=lambda: [post.body["title"] for post in receiver.posts],
                seen=lambda: len(slow.late),
            )
        finally:
            receiver.stop()  # harmless when it never started


FAULTS: dict[str, Callable[[], AbstractContextManager[Outage]]] = {
    "smtp-550-rcpt": lambda: smtp_refusing("rcpt"),
    "smtp-550-data": lambda: smtp_refusing("data"),
    "smtp-timeout": lambda: smtp_broken("silent", r"timed out"),
    "smtp-drop-mid-data": lambda: smtp_broken("drop", r"Connection unexpectedly closed|reset"),
    "webhook-500": webhook_failing,
    "webhook-slow": webhook_slow,
}


@pytest.fixture(params=list(FAULTS))
def outage(request: pytest.FixtureRequest) -> Iterator[Outage]:
    with FAULTS[request.param]() as running:
        yield running


def configure(tmp_path: Path, outage: Outage) -> tuple[Path, Config]:
    channel = {"type": "apprise", "url": outage.url}
    path = write_config(tmp_path / "monitor.toml", tmp_path / "a.db", {"hook": channel}, **RETRY)
    return path, load_config(path)


def deliver(config: Config, when: datetime) -> DeliverySummary:
    senders = build_senders(config.channels, environ=ENVIRON, timeout=config.alerts.timeout)
    with Archive.open(Path(config.database.path)) as archive:
        return deliver_due(archive, config, senders, now=when)


def queue(config: Config) -> AlertRow:
    with Archive.open(Path(config.database.path)) as archive:
        return queue_alert(archive)


def alert_row(config: Config, alert_id: object) -> AlertRow:
    with Archive.open(Path(config.database.path)) as archive:
        (row,) = [alert for alert in archive.alerts.list_alerts() if alert.id == alert_id]
    return row


def created(alert: AlertRow) -> datetime:
    return datetime.fromisoformat(alert.created_at)


def assert_no_secret(text: str) -> None:
    for secret in (SECRET, quote(SECRET, safe="")):
        assert secret not in text


def monitor(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [MONITOR, "--config", str(config), "alerts", *args]
    environ = {**os.environ, **ENVIRON}
    return subprocess.run(
        command, capture_output=True, text=True, env=environ, timeout=120, check=False
    )


def test_failed_attempt_is_recorded_on_the_alert_without_the_secret(
    tmp_path: Path, outage: Outage
) -> None:
    _, config = configure(tmp_path, outage)
    alert = queue(config)
    summary = deliver(config, created(alert))
    assert (summary.sent, summary.retried, summary.gave_up) == (0, 1, 0)
    row = alert_row(config, alert.id)
    assert (row.status, row.attempts) == ("pending", 1)
    error = str(row.last_error)
    assert error.startswith("channel 'hook': Apprise refused the message")
    assert re.search(outage.reason, error), error  # the channel's own reason
    assert "\n" not in error
    assert_no_secret(error)
    assert outage.seen() == 1


def test_retries_back_off_and_recovery_delivers_exactly_once(
    tmp_path: Path, outage: Outage
) -> None:
    _, config = configure(tmp_path, outage)
    alert = queue(config)
    now = created(alert)
    for attempt, wait in enumerate(BACKOFF, start=1):
        assert deliver(config, now).retried == 1
        row = alert_row(config, alert.id)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert datetime.fromisoformat(str(row.next_attempt_at)) == now + timedelta(seconds=wait)
        assert deliver(config, now + timedelta(seconds=wait - 1)) == DeliverySummary()
        now += timedelta(seconds=wait)
    assert outage.seen() == len(BACKOFF)  # one attempt per due time, none in between
    outage.recover()
    assert deliver(config, now).sent == 1
    assert deliver(config, now + timedelta(hours=1)) == DeliverySummary()
    assert outage.titles() == [TITLE]
    row = alert_row(config, alert.id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 4, None)


def test_outage_beyond_the_retry_window_fails_and_retry_delivers_once(
    tmp_path: Path, outage: Outage
) -> None:
    path, config = configure(tmp_path, outage)
    alert = queue(config)
    late = created(alert) + timedelta(seconds=RETRY["retry_window"] + 1)
    assert deliver(config, late).gave_up == 1
    listed = monitor(path, "list", "--failed")
    assert listed.returncode == 0, listed.stderr
    _, row = listed.stdout.splitlines()
    assert row.split()[:4] == [str(alert.id), "failed", "1", "hook"]
    assert "channel 'hook': Apprise refused" in row
    assert_no_secret(listed.stdout)
    outage.recover()
    retried = monitor(path, "retry")
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.splitlines()[:2] == [
        "1 failed alerts back to pending",
        "sent 1, to retry 0, given up 0, digests 0",
    ]
    assert monitor(path, "retry").stdout.startswith("0 failed alerts back to pending\nsent 0")
    assert outage.titles() == [TITLE]
    assert alert_row(config, alert.id).status == "sent"
