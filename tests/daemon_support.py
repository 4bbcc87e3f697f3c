"""Running the real daemon (``monitor run``) as a process against the replica."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from monitor.archive import Archive

MONITOR = str(Path(sys.executable).parent / "monitor")


def daemon_config(tmp: Path, base_url: str, **schedule: float) -> Path:
    """File channels for users (alerts.jsonl) and the operator (ops.jsonl); a fast schedule."""
    timing = {"crawl_interval": 2.0, "jitter": 0.0, "deliver_interval": 1.0,
              "crawl_timeout": 60.0, "shutdown_grace": 10.0, "health_interval": 3600.0,
              **schedule}  # fmt: skip
    lines = [
        "[site]", f'base_url = "{base_url}"',
        'listings = ["/tin-chinh", "/quoc-te", "/doi-song"]', "max_listing_pages = 10",
        "[crawl]", "download_delay = 0.0", "autothrottle = false", "retries = 0", "timeout = 30.0",
        "[database]", f'path = "{tmp / "monitor.db"}"',
        "[schedule]", *(f"{key} = {value}" for key, value in timing.items()),
        "[health]", 'channel = "ops"', "min_fetched = 1",
        "[channels.default]", 'type = "file"', f'path = "{tmp / "alerts.jsonl"}"',
        "[channels.ops]", 'type = "file"', f'path = "{tmp / "ops.jsonl"}"',
    ]  # fmt: skip
    path = tmp / "monitor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


STARTED: list[subprocess.Popen[bytes]] = []  # every daemon a test started (``kill_leftovers``)


def kill_leftovers() -> None:
    """Kill the daemons a test started and did not stop (it failed before ``stop``), so that
    none goes on crawling after its test."""
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


class Daemon:
    """``monitor run --create``: each test's daemon starts on a new archive of its own."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.log = config.with_name(f"daemon-{time.monotonic_ns()}.log")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [MONITOR, "--config", str(config), "run", "--create"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        STARTED.append(self.process)

    def signal(self, number: int = signal.SIGTERM) -> None:
        self.process.send_signal(number)

    def wait(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.signal()
        return self.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for_log(self, text: str, timeout: float = 60) -> str:
        """Wait until the daemon's log has a line holding ``text``; that line."""
        wait_until(lambda: text in self.output(), timeout, f"{text!r} in the daemon's log")
        return next(line for line in self.output().splitlines() if text in line)


def wait_until(condition: Callable[[], object], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")


def crawl_job_state(config: Path) -> object:
    """What the daemon remembers after each crawl job (crawl, match, health, delivery)."""
    rows = query(config, "SELECT value FROM crawl_state WHERE key = 'job:crawl'")
    return rows[0][0] if rows else None


def wait_for_crawl_jobs(config: Path, more: int, timeout: float = 60) -> None:
    """Wait until ``more`` crawl jobs have ended after this call: what a test waits for before
    asserting that something did *not* happen. Each ended job rewrites its remembered state
    with its end time, to the second; jobs never overlap and each runs a crawl process (over a
    second), so polling sees every change."""
    states = [crawl_job_state(config)]

    def ended() -> bool:
        if (state := crawl_job_state(config)) != states[-1]:
            states.append(state)
        return len(states) > more

    wait_until(ended, timeout, f"{more} more crawl jobs")


def query(config: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    database = config.with_name("monitor.db")
    if not database.exists():
        return []
    try:
        with closing(sqlite3.connect(database, timeout=10)) as db:
            return list(db.execute(sql, args))
    except sqlite3.OperationalError:  # not created yet
        return []


def integrity_problems(config: Path) -> list[str]:
    """What SQLite's and FTS5's integrity checks find wrong in the daemon's archive (empty:
    none), the full-text indexes checked against the articles (``Archive.integrity_problems``)."""
    with Archive.open(config.with_name("monitor.db")) as archive:
        return archive.integrity_problems()


def count(config: Path, sql: str, *args: Any) -> int:
    rows = query(config, sql, *args)
    return int(rows[0][0]) if rows else 0


def alert_lines(config: Path, channel: str = "alerts") -> list[dict[str, Any]]:
    path = config.with_name(f"{channel}.jsonl")
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run_monitor(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``monitor --config CONFIG ARGS`` as a process, its output captured (two minutes at most)."""
    return subprocess.run(
        [MONITOR, "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def replica_now() -> str:
    """The replica's clock set to now, so articles published in a test are new."""
    return datetime.now().replace(microsecond=0).isoformat()
