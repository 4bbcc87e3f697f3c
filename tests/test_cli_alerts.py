"""``monitor alerts`` as a user runs it, in-process, against a real
archive and a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from cli_support import Result, invoke

from monitor.archive import Archive
from monitor.archive.rows import AlertRow
from monitor.cli.alert_commands import alerts_group

from alert_servers import APPRISE_WARNINGS, HttpReceiver, queue_alert, write_config
from daemon_support import wait_until

pytestmark = APPRISE_WARNINGS
# tiny waits, so that a retry is due a moment later (the command uses the real clock)
RETRY = {"retry_base": 0.1, "retry_max": 0.2, "retry_window": 3600.0, "timeout": 5.0}


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as running:
        yield running


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


@pytest.fixture
def config(tmp_path: Path, database: Path, receiver: HttpReceiver) -> Path:
    hook = {"type": "apprise", "url": receiver.url()}
    return write_config(tmp_path / "monitor.toml", database, {"hook": hook}, **RETRY)


def monitor(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> Result[str]:
    return invoke(capsys, "--config", str(config), "alerts", *args)


def queue(database: Path, *article_ids: int) -> list[int]:
    with Archive.open(database) as archive:
        return [queue_alert(archive, article_id).id for article_id in article_ids]


def due(database: Path, channel: str) -> set[int]:
    """Ids of the channel's alerts whose retry is due now (by the archive's clock, to the
    second: what the command reads too)."""
    with Archive.open(database) as archive:
        return {alert.id for alert in archive.alerts.due_alerts(channel)}


def alerts_in(database: Path) -> dict[int, AlertRow]:
    with Archive.open(database) as archive:
        return {alert.id: alert for alert in archive.alerts.list_alerts()}


@pytest.mark.e2e
def test_outage_then_recovery_delivers_each_alert_exactly_once(
    capsys: pytest.CaptureFixture[str], config: Path, database: Path, receiver: HttpReceiver
) -> None:
    ids = queue(database, 141005, 141006)
    receiver.stop()  # the receiver is down: connections are refused
    for _ in range(2):  # two runs, each a fresh process, during the outage
        result = monitor(capsys, config, "deliver")
        assert result.returncode == 0, result.stderr
        assert "sent 0, to retry 1" in result.stdout
        assert "Connection refused" in result.stdout
    during = alerts_in(database)
    assert [during[i].status for i in ids] == ["pending", "pending"]
    assert [during[i].attempts for i in ids] == [1, 1]
    receiver.start()  # back, on the same port
    wait_until(lambda: set(ids) <= due(database, "hook"), timeout=10, what="both retries due")
    result = monitor(capsys, config, "deliver")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sent 2, to retry 0")
    titles = sorted(post.body["title"] for post in receiver.posts)
    assert titles == ["[dan-van] Công tác dân vận ở Thủ Đức"] * 2
    assert monitor(capsys, config, "deliver").stdout.startswith("sent 0, to retry 0")
    assert len(receiver.posts) == 2
    assert [alerts_in(database)[i].status for i in ids] == ["sent", "sent"]


def test_list_shows_a_table_and_json(
    capsys: pytest.CaptureFixture[str], config: Path, database: Path
) -> None:
    (alert_id,) = queue(database, 141005)
    table = monitor(capsys, config, "list", "--pending")
    assert table.returncode == 0, table.stderr
    heading, row = table.stdout.splitlines()
    assert heading.split()[:5] == ["id", "status", "attempts", "channel", "rule"]
    assert row.split()[:5] == [str(alert_id), "pending", "0", "hook", "dan-van"]
    assert "Công tác dân vận ở Thủ Đức" in row
    failed = monitor(capsys, config, "list", "--failed")
    assert failed.stdout.strip() == "no alerts", failed.stderr
    (listed,) = json.loads(monitor(capsys, config, "list", "--json").stdout)
    assert listed["match"]["keyword"] == "dân vận"


def test_retry_brings_failed_alerts_back_and_delivers_them_once(
    capsys: pytest.CaptureFixture[str], config: Path, database: Path, receiver: HttpReceiver
) -> None:
    (alert_id,) = queue(database, 141005)
    with Archive.open(database) as archive:
        archive.alerts.mark_alerts_attempt_failed([alert_id], "gave up during an outage", None)
    result = monitor(capsys, config, "retry", str(alert_id))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "1 of 1 failed alerts back to pending",
        "sent 1, to retry 0, given up 0, digests 0",
    ]
    assert monitor(capsys, config, "retry").stdout.startswith(
        "0 failed alerts back to pending\nsent 0"
    )
    assert len(receiver.posts) == 1


def test_test_sends_a_message_and_prints_the_answer(
    capsys: pytest.CaptureFixture[str], config: Path, receiver: HttpReceiver
) -> None:
    result = monitor(capsys, config, "test", "hook")
    assert (result.returncode, result.stdout) == (0, "channel hook: accepted\n")
    (post,) = receiver.posts
    assert post.body["title"] == "congan-monitor: tin nhắn thử"  # alerts.language: vi
    assert "«hook»" in post.body["message"]


def test_test_of_a_refusing_channel_exits_1_with_its_reason(
    capsys: pytest.CaptureFixture[str], config: Path, receiver: HttpReceiver
) -> None:
    receiver.status = 500
    result = monitor(capsys, config, "test", "hook")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("monitor: channel 'hook': Apprise refused the message") and "500" in line


def test_test_of_an_unknown_channel_lists_the_configured_ones(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    result = monitor(capsys, config, "test", "nope")
    assert result.returncode == 2
    assert result.stderr == "monitor: no channel named 'nope' (configured: default, hook)\n"


def test_every_alerts_command_has_an_example() -> None:
    assert isinstance(alerts_group, click.Group)
    for name, command in alerts_group.commands.items():
        assert "Example" in (command.help or ""), f"monitor alerts {name} --help has no example"
