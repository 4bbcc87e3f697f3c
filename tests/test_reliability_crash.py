"""Crash consistency: the daemon killed with SIGKILL at random moments, again and again, then
restarted normally, loses nothing and duplicates nothing.

Each iteration starts the daemon (crawl every second, delivery every half second, a file alert
channel), lets it run for a random 0.1–2.5 s — fetching, writing the archive, matching or
delivering — then kills it and its crawl child with SIGKILL. On the iterations where an article
is published, the kill is aimed: within 30 ms of the "matched" log line, inside delivery.
At the end a normal run settles; then the archive must equal the one an uninterrupted crawl
of the same site produces, ``PRAGMA integrity_check`` and each full-text index's
integrity-check must pass, and every expected alert must be in the channel exactly once.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from replica.server import ReplicaServer

from crawl_support import archive_content, monitor, write_config
from daemon_support import (
    Daemon,
    alert_lines,
    count,
    daemon_config,
    integrity_problems,
    query,
    wait_until,
)

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]
ITERATIONS = int(os.environ.get("CRASH_ITERATIONS", "50"))
KINDS = ["danvan", "ordinary", "danvan", "lookalike", "danvan", "lookalike", "danvan"]


def kill_tree(daemon: Daemon) -> str:
    """SIGKILL the daemon and its crawl child; returns what was going on (for the report)."""
    children = subprocess.run(
        ["pgrep", "-P", str(daemon.process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    phase = "crawling" if children else _phase(daemon.output())
    for pid in [str(daemon.process.pid), *children]:
        with contextlib.suppress(ProcessLookupError):  # it may have ended just now
            os.kill(int(pid), signal.SIGKILL)
    daemon.process.wait(timeout=30)
    return phase


def _wait_for_matching(daemon: Daemon) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and "matched" not in daemon.output():
        time.sleep(0.005)


def _phase(log: str) -> str:
    lines = [line for line in log.splitlines() if "monitor.daemon" in line]
    last = lines[-1] if lines else ""
    if "crawl ok" in last:
        return "matching"
    if "matched" in last:
        return "delivering"
    if "alerts delivered" in last:
        return "after delivery"
    return "starting" if "started" in last or not last else "idle"


def test_fifty_sigkills_lose_nothing_and_duplicate_nothing(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    randomness = random.Random(20261126)
    config = daemon_config(
        tmp_path, live_replica.base_url, crawl_interval=1.0, deliver_interval=0.5
    )
    text = config.read_text(encoding="utf-8").replace(
        "download_delay = 0.0", "download_delay = 0.02"
    )
    config.write_text(text, encoding="utf-8")
    phases: Counter[str] = Counter()
    publish_at = {round(i * ITERATIONS / len(KINDS)) + 1: kind for i, kind in enumerate(KINDS)}
    for iteration in range(ITERATIONS):
        daemon = Daemon(config)
        if iteration in publish_at:  # aimed: kill just after matching, inside delivery
            live_replica.publish(publish_at[iteration])
            _wait_for_matching(daemon)
            time.sleep(randomness.uniform(0, 0.03))
        else:
            time.sleep(randomness.uniform(0.1, 2.5))
        phases[kill_tree(daemon)] += 1
    settle(config, live_replica)
    reference = write_config(
        tmp_path, live_replica.base_url, name="reference", max_listing_pages=10
    )
    assert monitor(reference, "crawl", "--create").returncode == 0
    assert integrity_problems(config) == []
    assert archive_content(config.with_name("monitor.toml")) == archive_content(reference)
    delivered = Counter(i for line in alert_lines(config) for i in line["alert_ids"])
    expected = {row[0] for row in query(config, "SELECT id FROM alerts")}
    assert set(delivered) == expected and expected
    assert max(delivered.values()) == 1, delivered
    report = {"iterations": ITERATIONS, "phases_killed": dict(phases), "alerts": len(expected),
              "articles": count(config, "SELECT COUNT(*) FROM articles")}  # fmt: skip
    (tmp_path / "crash-report.json").write_text(json.dumps(report), encoding="utf-8")
    print("\ncrash report:", json.dumps(report))


def settle(config: Path, live_replica: ReplicaServer) -> None:
    """A normal run until everything published is archived and every alert delivered."""
    daemon = Daemon(config)
    try:
        wait_until(
            lambda: (
                count(config, "SELECT COUNT(*) FROM articles") == len(live_replica.site.entries)
                and count(config, "SELECT COUNT(*) FROM alerts WHERE status != 'sent'") == 0
                and count(config, "SELECT COUNT(*) FROM alerts") > 0
            ),
            timeout=120,
            what="the archive to settle",
        )
        time.sleep(2)
    finally:
        assert daemon.stop() == 0
