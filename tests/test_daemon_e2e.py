"""The daemon as a real process with real signals, against the site replica on 127.0.0.1."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from replica.server import ReplicaServer

from daemon_support import (
    MONITOR,
    Daemon,
    alert_lines,
    count,
    daemon_config,
    integrity_problems,
    query,
    wait_for_crawl_jobs,
    wait_until,
)

pytestmark = pytest.mark.e2e
ARTICLES = "SELECT COUNT(*) FROM articles"


def published(live_replica: ReplicaServer) -> int:
    return len(live_replica.site.entries)


def alerts_for(config: Path, article_id: int) -> list[dict[str, Any]]:
    return [line for line in alert_lines(config) if str(article_id) in str(line.get("body"))]


def test_archives_then_alerts_a_new_article_exactly_once(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    daemon = Daemon(config)
    try:
        wait_until(
            lambda: count(config, ARTICLES) == published(live_replica), what="the first crawl"
        )
        assert alert_lines(config) == []  # old articles are archived, not alerted
        new = live_replica.publish("danvan")
        wait_until(lambda: alerts_for(config, new["id"]), what="the alert")
        wait_for_crawl_jobs(config, 2)  # more crawls and deliveries: still one alert per rule
        rules = [line["title"].split("]")[0] for line in alerts_for(config, new["id"])]
        assert sorted(rules) == sorted(set(rules))
    finally:
        assert daemon.stop() == 0


def test_lookalike_article_is_archived_but_not_alerted(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    daemon = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) == published(live_replica))
        lookalike = live_replica.publish("lookalike")
        wait_until(lambda: count(config, ARTICLES + " WHERE article_id = ?", lookalike["id"]) == 1)
        wait_for_crawl_jobs(config, 1)  # the job that stored it matched and delivered
        assert alerts_for(config, lookalike["id"]) == []
    finally:
        assert daemon.stop() == 0


def test_sigterm_mid_crawl_exits_zero_and_a_restart_catches_up(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url, shutdown_grace=5.0)
    live_replica.fail("/tin-chinh/", "slow", delay=0.3)  # a crawl that takes a while
    daemon = Daemon(config)
    wait_until(lambda: count(config, ARTICLES) >= 3, what="a crawl under way")
    started = time.monotonic()
    daemon.signal(signal.SIGTERM)
    assert daemon.wait(timeout=30) == 0
    assert time.monotonic() - started < 20
    assert integrity_problems(config) == []
    live_replica.heal()
    new = live_replica.publish("danvan")
    again = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) == published(live_replica), what="catching up")
        wait_until(lambda: alerts_for(config, new["id"]), what="the alert")
        wait_for_crawl_jobs(config, 2)
        assert len(alerts_for(config, new["id"])) == len(
            {line["title"] for line in alerts_for(config, new["id"])}
        )
    finally:
        assert again.stop() == 0


def test_second_signal_exits_at_once(tmp_path: Path, live_replica: ReplicaServer) -> None:
    config = daemon_config(tmp_path, live_replica.base_url, shutdown_grace=30.0)
    live_replica.fail("/tin-chinh/", "slow", delay=0.5)
    daemon = Daemon(config)
    wait_until(lambda: count(config, ARTICLES) >= 2, what="a crawl under way")
    daemon.signal(signal.SIGTERM)
    daemon.wait_for_log("stopping (a second one exits at once)")
    daemon.signal(signal.SIGTERM)
    assert daemon.wait(timeout=10) != 0
    assert integrity_problems(config) == []


def test_a_hanging_crawl_is_killed_at_its_timeout_and_the_next_runs(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url, crawl_timeout=4.0)
    live_replica.fail("/rss/home.rss", "hang")
    daemon = Daemon(config)
    try:
        wait_until(
            lambda: count(config, "SELECT COUNT(*) FROM crawl_runs WHERE outcome = 'timeout'") >= 1,
            what="a crawl killed at its timeout",
        )
        live_replica.heal()
        wait_until(
            lambda: count(config, "SELECT COUNT(*) FROM crawl_runs WHERE outcome = 'ok'") >= 1,
            what="the next crawl",
        )
    finally:
        assert daemon.stop() == 0


def test_a_crashed_crawl_is_recorded_and_the_daemon_goes_on(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    live_replica.fail("/tin-chinh/", "slow", delay=0.3)
    daemon = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) >= 2, what="a crawl under way")
        subprocess.run(["pkill", "-KILL", "-f", f"scrapers.run.*{config}"], check=False)
        wait_until(
            lambda: (
                count(config, "SELECT COUNT(*) FROM crawl_runs WHERE outcome = 'interrupted'") >= 1
            ),
            what="the crash recorded",
        )
        live_replica.heal()
        wait_until(
            lambda: count(config, ARTICLES) == published(live_replica), what="the next crawls"
        )
        assert daemon.process.poll() is None
    finally:
        assert daemon.stop() == 0


def test_layout_change_alerts_the_operator_once_and_recovery_once(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    daemon = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) == published(live_replica))
        live_replica.set_layout("changed")
        live_replica.publish("ordinary")
        wait_until(lambda: alert_lines(config, "ops"), what="the operator alert")
        live_replica.publish("lookalike")
        wait_for_crawl_jobs(config, 2)  # more crawls of the changed layout: no second alert
        live_replica.set_layout("normal")
        live_replica.publish("lookalike")
        wait_until(lambda: len(alert_lines(config, "ops")) >= 2, what="the recovery alert")
        wait_for_crawl_jobs(config, 2)
        titles = [line["title"] for line in alert_lines(config, "ops")]
        assert titles == [  # alerts.language: vi, the default
            "[congan-monitor] Sự cố: không trích xuất được nội dung bài viết",
            "[congan-monitor] Đã khắc phục: "
            "việc trích xuất nội dung bài viết đã bình thường trở lại",
        ]
    finally:
        assert daemon.stop() == 0


def test_a_second_daemon_on_the_same_archive_is_refused(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    daemon = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) > 0)
        second = subprocess.run(
            [MONITOR, "--config", str(config), "run"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1
        assert "another monitor daemon" in second.stderr
    finally:
        assert daemon.stop() == 0


def test_the_schedule_survives_a_restart(tmp_path: Path, live_replica: ReplicaServer) -> None:
    config = daemon_config(tmp_path, live_replica.base_url, crawl_interval=60.0)
    runs = "SELECT COUNT(*) FROM crawl_runs"
    daemon = Daemon(config)
    wait_until(
        lambda: count(config, runs) == 1 and count(config, ARTICLES) == published(live_replica)
    )
    wait_until(lambda: remembered_crawl(config) is not None, what="the crawl's next run stored")
    assert daemon.stop() == 0
    restarted = datetime.now().astimezone()
    again = Daemon(config)
    try:
        started = again.wait_for_log("monitor daemon started")
        scheduled = datetime.fromisoformat(re.findall(r" crawl=(\S+ \S+)", started)[0])
        # the remembered next crawl is a minute after the first: not now
        assert scheduled == remembered_crawl(config)
        assert scheduled > restarted + timedelta(seconds=6)
        assert count(config, runs) == 1
    finally:
        assert again.stop() == 0
    assert count(config, runs) == 1


def remembered_crawl(config: Path) -> datetime | None:
    """The crawl job's next run as the daemon stored it in the archive."""
    rows = query(config, "SELECT value FROM crawl_state WHERE key = 'job:crawl'")
    stored = json.loads(rows[0][0]).get("next_run") if rows else None
    return datetime.fromisoformat(stored) if stored else None
