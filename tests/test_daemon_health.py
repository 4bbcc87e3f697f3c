"""monitor.daemon.health: checks turn broken and back, alerting once each way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from monitor.archive import VN_TZ, Archive, EntryYield, Run
from monitor.config import Config
from monitor.daemon import health
from monitor.daemon.health import Verdict, daytime_hours_between

NOW = datetime(2025, 6, 23, 12, 0, tzinfo=VN_TZ)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        yield opened


class Operator:
    """Collects operator alerts; can be told to fail (a channel outage)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.down = False

    def __call__(self, title: str, body: str) -> None:
        if self.down:
            raise OSError("connection refused")
        self.sent.append(title)


def test_a_check_turning_broken_alerts_once(archive: Archive) -> None:
    operator = Operator()
    for _ in range(3):
        health.apply(archive, [Verdict("extraction", True, "9 of 10 quarantined")], operator, NOW)
    assert operator.sent == ["[congan-monitor] extraction BROKEN"]


def test_recovery_alerts_once(archive: Archive) -> None:
    operator = Operator()
    health.apply(archive, [Verdict("extraction", True, "broken")], operator, NOW)
    for _ in range(2):
        health.apply(archive, [Verdict("extraction", False, "fine")], operator, NOW)
    assert operator.sent[-1] == "[congan-monitor] extraction recovered"
    assert len(operator.sent) == 2


def test_no_evidence_keeps_the_state(archive: Archive) -> None:
    operator = Operator()
    health.apply(archive, [Verdict("extraction", True, "broken")], operator, NOW)
    health.apply(archive, [Verdict("extraction", None, "too few articles")], operator, NOW)
    assert health.state(archive)["extraction"]["broken"] is True
    assert len(operator.sent) == 1


def test_an_alert_that_could_not_be_sent_is_retried(archive: Archive) -> None:
    operator = Operator()
    operator.down = True
    health.apply(archive, [Verdict("reachable", True, "down")], operator, NOW)
    assert operator.sent == []
    operator.down = False
    health.apply(archive, [Verdict("reachable", True, "still down")], operator, NOW)
    assert operator.sent == ["[congan-monitor] reachable BROKEN"]


def test_healthy_checks_never_alert(archive: Archive) -> None:
    operator = Operator()
    health.apply(archive, [Verdict("fresh", False, "new articles today")], operator, NOW)
    assert operator.sent == []
    assert health.state(archive)["fresh"]["detail"] == "new articles today"


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ((2025, 6, 23, 8), (2025, 6, 23, 12), 4.0),  # inside the day
        ((2025, 6, 22, 20), (2025, 6, 23, 8), 4.0),  # 20-22 and 06-08
        ((2025, 6, 22, 23), (2025, 6, 23, 5), 0.0),  # the night does not count
        ((2025, 6, 21, 6), (2025, 6, 23, 6), 32.0),  # two whole days
    ],
)
def test_daytime_hours_between(start: tuple[int, ...], end: tuple[int, ...], hours: float) -> None:
    begin = datetime(*start, tzinfo=VN_TZ)
    finish = datetime(*end, tzinfo=VN_TZ)
    assert daytime_hours_between(begin, finish, "06:00-22:00") == hours


def finished_run(archive: Archive, **figures: int) -> Run:
    run_id = archive.runs.start_run("normal")
    archive.runs.finish_run(run_id, "ok", **figures)
    return archive.runs.last_runs(1)[0]


def test_an_entry_point_missing_several_runs_in_a_row_is_a_finding(
    archive: Archive, config: Config
) -> None:
    operator = Operator()
    for run, status in enumerate((200, 404, 410, 404)):
        row = finished_run(archive, new=1)
        archive.runs.record_entry_yields(row.run_id, [EntryYield("/rss/home.rss", "feed", status)])
        verdicts = [
            v for v in health.after_crawl(archive, config, row, NOW) if v.check == "entries"
        ]
        health.apply(archive, verdicts, operator, NOW)
        assert verdicts[0].broken is (run == 3)
    assert operator.sent == ["[congan-monitor] entries BROKEN"]
    assert "/rss/home.rss" in health.state(archive)["entries"]["detail"]


def test_a_run_mostly_from_fallbacks_is_a_finding_naming_monitor_check(
    archive: Archive, config: Config
) -> None:
    row = finished_run(archive, new=3, quarantined=1, fallbacks=3)
    (verdict,) = [
        v for v in health.after_crawl(archive, config, row, NOW) if v.check == "extraction"
    ]
    assert verdict.broken is True
    assert "3 of 4 records came from fallbacks: run `monitor check URL`" in verdict.detail
    row = finished_run(archive, new=4, fallbacks=2)  # half is not over the default 0.5
    (verdict,) = [
        v for v in health.after_crawl(archive, config, row, NOW) if v.check == "extraction"
    ]
    assert verdict.broken is False
