"""monitor.locks: one flock implementation for the crawl, delivery and daemon locks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.clock import ManualClock, now
from monitor.errors import DaemonRunningError
from monitor.locks import (
    DaemonLock,
    companion,
    daemon_lock_path,
    exclusive,
    is_held,
    read_holder,
    try_lock,
)


def test_companion_sits_beside_the_archive(tmp_path: Path) -> None:
    assert companion(tmp_path / "monitor.db", "crawl") == tmp_path / "monitor.db.crawl.lock"


def test_exclusive_without_waiting_yields_false_while_held(tmp_path: Path) -> None:
    path = companion(tmp_path / "a.db", "crawl")
    with exclusive(path, wait=False) as first:
        assert first
        with exclusive(path, wait=False) as second:
            assert not second
    with exclusive(path, wait=False) as again:
        assert again


def test_try_lock_returns_none_while_another_process_holds_it(tmp_path: Path) -> None:
    path = companion(tmp_path / "a.db", "crawl")
    holder = (
        "import sys, time; from pathlib import Path; from monitor.locks import try_lock;"
        f" h = try_lock(Path({str(path)!r})); print('held', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "held\n"
        assert is_held(path)
        assert try_lock(path) is None
    finally:
        child.communicate("")
    handle = try_lock(path)  # the kernel released it when the holder ended
    assert handle is not None
    handle.close()


def test_second_daemon_lock_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "a.db"
    lock = DaemonLock.acquire(database)
    try:
        assert is_held(daemon_lock_path(database))
        with pytest.raises(DaemonRunningError, match="another monitor daemon"):
            DaemonLock.acquire(database)
        assert read_holder(database) is not None
    finally:
        lock.release()
    assert not is_held(daemon_lock_path(database))
    assert read_holder(database) is None


def test_daemon_lock_names_its_holder_and_start_time(tmp_path: Path) -> None:
    clock = ManualClock(now())
    lock = DaemonLock.acquire(tmp_path / "a.db", clock=clock)
    try:
        holder = read_holder(tmp_path / "a.db")
        assert holder is not None
        assert holder["started_at"] == clock.now().isoformat(timespec="seconds")
    finally:
        lock.release()
