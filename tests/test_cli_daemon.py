"""``monitor status``, ``monitor run --log-format json``, ``monitor demo`` and the systemd unit,
as a user (or systemd) runs them."""

from __future__ import annotations

import configparser
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import invoke

from monitor.cli import cli
from replica.server import ReplicaServer

from daemon_support import MONITOR, Daemon, daemon_config, wait_until

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer() as running:
        yield running


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MONITOR, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_status_before_anything_ran(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, server.base_url)
    result = invoke(capsys, "--config", str(config), "status")
    assert result.returncode == 0, result.stderr
    assert "daemon: not running" in result.stdout
    assert "no archive yet: run `monitor init` (or `monitor run --create`)" in result.stdout


def test_status_of_a_running_daemon(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, server.base_url)
    daemon = Daemon(config)
    try:
        wait_until(
            lambda: "job crawl: last" in invoke(capsys, "--config", str(config), "status").stdout,
            what="the first crawl job recorded",
        )
        text = invoke(capsys, "--config", str(config), "status").stdout
        assert f"daemon: running, pid {daemon.process.pid}" in text
        assert "job crawl: last" in text
        data = json.loads(invoke(capsys, "--config", str(config), "status", "--json").stdout)
        assert data["daemon"]["pid"] == daemon.process.pid
        assert data["last_run"]["outcome"] in {"ok", "running"}
        assert data["counts"]["articles"] > 0
        assert set(data["alerts"]) == {"pending", "sent", "failed"}
    finally:
        assert daemon.stop() == 0


def json_log_of_one_crawl(tmp_path: Path, server: ReplicaServer) -> list[dict[str, Any]]:
    """Every line ``monitor run --log-format json`` wrote (stdout and stderr) until its first
    crawl was logged, each read as JSON (a line that is not JSON fails the test)."""
    config = daemon_config(tmp_path, server.base_url)
    log = tmp_path / "json.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [MONITOR, "--config", str(config), "run", "--log-format", "json", "--create"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: '"crawl ok"' in log.read_text(encoding="utf-8"), what="a crawl logged")
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_json_logs_are_one_object_per_line_with_run_figures(
    tmp_path: Path, server: ReplicaServer
) -> None:
    records = json_log_of_one_crawl(tmp_path, server)
    crawl = next(r for r in records if r["message"] == "crawl ok")
    assert {"requests", "new", "quarantined", "http_errors"} <= set(crawl["figures"])
    assert {r["level"] for r in records} <= {"debug", "info", "warning", "error"}


def test_json_logs_carry_the_crawl_processs_warnings_as_json(
    tmp_path: Path, server: ReplicaServer
) -> None:
    target = server.site.entries[0]
    server.fail(target.path, "500")
    records = json_log_of_one_crawl(tmp_path, server)
    from_child = [r for r in records if not r["logger"].startswith("monitor")]
    failed = [r for r in from_child if r["level"] == "warning" and target.path in r["message"]]
    assert failed, from_child
    assert "spider" not in failed[0]


def test_demo_shows_the_whole_flow_within_a_minute() -> None:
    result = run("demo", "--publish-after", "6", "--duration", "20", "--interval", "2", timeout=90)
    assert result.returncode == 0, result.stderr
    assert "ALERT [dan-van]" in result.stdout
    assert "published on the replica" in result.stderr


def test_systemd_unit_runs_a_real_command() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(ROOT / "deploy" / "congan-monitor.service", encoding="utf-8")
    command = unit["Service"]["ExecStart"].split()
    assert command[0].endswith("/.venv/bin/monitor")
    assert command[1] in cli.commands
    assert unit["Service"]["KillSignal"] == "SIGTERM"
    assert unit["Service"]["Restart"] == "on-failure"
    assert "EnvironmentFile" in unit["Service"]
