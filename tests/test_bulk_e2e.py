"""``monitor reparse`` and ``monitor match --all`` killed with SIGKILL half-way, as real
processes, then resumed: the archive equals the one an uninterrupted run makes.

Each job runs as the installed ``monitor`` command with small batches; the test reads the job's
checkpoint from the archive (another process, as a user's would) and kills the command once it
shows a stored batch — never after a delay. The kill must land mid-job: the checkpoint is still
there afterwards, short of the total.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path
from subprocess import DEVNULL
from typing import Any

import pytest
from cli_support import MONITOR

from monitor.archive import Archive
from monitor.config import Config
from monitor.match import Matcher
from monitor.match.apply import MatchJob, rematch
from monitor.reparse import reparse_archive

from bulk_support import (
    MATCH_TABLES,
    RECORD_TABLES,
    broken,
    build_archive,
    build_articles,
    checkpoint_of,
    config_file,
    contents,
    copy_archive,
)

pytestmark = pytest.mark.e2e
PAGES = 480  # raw pages reparsed: about 3 s of work at 1 job
ARTICLES = 2000  # articles matched: about 5 s of work with the fast matcher
BATCH = 10
DEADLINE = 300  # seconds: a guard against a hung command, not a measure of anything


def kill_midway(command: list[str], database: Path, job: str) -> tuple[dict[str, Any], set[int]]:
    """Run ``command``, SIGKILL it once its checkpoint shows a stored batch; returns the
    checkpoint it left and the pids of the processes it had started."""
    log = database.with_suffix(".stderr")
    with log.open("wb") as stderr, subprocess.Popen(command, stdout=DEVNULL, stderr=stderr) as run:
        try:
            _wait_for_batch(run, database, job, log)
            children = _children(run.pid)
        finally:
            run.kill()  # SIGKILL
    left = checkpoint_of(database, job)
    assert left is not None and left["done"] < left["total"], "the job ended before the kill"
    return left, children


def _wait_for_batch(run: subprocess.Popen[bytes], database: Path, job: str, log: Path) -> None:
    """Until the job's checkpoint shows a stored batch (the command must still be running)."""
    deadline = time.monotonic() + DEADLINE
    while (point := checkpoint_of(database, job)) is None or point["done"] < BATCH:
        assert run.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "no checkpoint before the deadline"
        time.sleep(0.005)


def _children(pid: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return {int(child) for child in found.stdout.split()}


def _alive(pid: int) -> bool:
    with contextlib.suppress(FileNotFoundError):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return False


def wait_gone(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running when the deadline passes (none, normally at once)."""
    deadline = time.monotonic() + DEADLINE
    while (alive := {pid for pid in pids if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def resume(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [MONITOR, "--config", str(config), *args, "--resume", "--batch", str(BATCH)]
    return subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE, check=False)


def test_a_killed_reparse_resumed_equals_an_uninterrupted_one(
    tmp_path: Path, config: Config
) -> None:
    source = tmp_path / "source.db"
    build_archive(source, broken(config.profile), PAGES)
    with Archive.open(copy_archive(source, tmp_path / "whole.db")) as whole:
        reparse_archive(whole, config.profile, batch=BATCH)
    killed = copy_archive(source, tmp_path / "killed.db")
    settings = config_file(tmp_path, killed)
    command = [MONITOR, "--config", str(settings), "reparse", "--jobs", "2", "--batch", str(BATCH)]
    left, workers = kill_midway(command, killed, "reparse")
    assert wait_gone(workers) == set()  # the workers end with the killed command
    finished = resume(settings, "reparse")
    assert finished.returncode == 0, finished.stderr
    assert finished.stderr.splitlines()[0] == (
        f"monitor: resuming the interrupted reparse after article {left['after']},"
        f" {left['done']} of {PAGES} done"
    )
    assert finished.stdout == f"reparsed {PAGES} pages: {PAGES} new\n"  # both parts counted
    assert checkpoint_of(killed, "reparse") is None
    with Archive.open(killed) as archive:
        assert archive.integrity_problems() == []
    assert contents(killed, RECORD_TABLES) == contents(tmp_path / "whole.db", RECORD_TABLES)


def test_a_killed_match_all_resumed_equals_an_uninterrupted_one(
    tmp_path: Path, config: Config
) -> None:
    source = tmp_path / "source.db"
    build_articles(source, config.profile, ARTICLES)
    job = MatchJob(config.alerts.max_age_days, batch=BATCH)
    with Archive.open(copy_archive(source, tmp_path / "whole.db")) as whole:
        summary = rematch(
            whole, config.rules, Matcher(config.rules), job, since_iso=None, scope="all"
        )
    killed = copy_archive(source, tmp_path / "killed.db")
    settings = config_file(tmp_path, killed)
    command = [MONITOR, "--config", str(settings), "match", "--all", "--batch", str(BATCH)]
    kill_midway(command, killed, "match")
    finished = resume(settings, "match", "--all")
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == summary.line(config.alerts.max_age_days) + "\n"
    assert checkpoint_of(killed, "match") is None
    assert contents(killed, MATCH_TABLES) == contents(tmp_path / "whole.db", MATCH_TABLES)
