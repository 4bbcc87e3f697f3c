"""A full disk: a crawl, a match and the daemon on a file system that fills (a small tmpfs the
test mounts, filled with a ballast file) fail with one clear line, lose nothing already stored,
leave the archive consistent, and the next run after space is freed completes. The daemon keeps
running, tells the operator once through the ``disk`` health check, and does not spin.

Mounting needs root (CI runs as root); elsewhere these tests skip, saying so.
``test_a_match_on_a_page_limited_archive_…`` shows the same on any machine with SQLite's
``max_page_count``, which fails a write with the same ``SQLITE_FULL``.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_archive_support import record, store

from monitor.archive import Archive
from monitor.config import load_config
from monitor.errors import ArchiveFullError
from monitor.match import Matcher
from monitor.match.apply import match_new_articles
from replica.server import ReplicaServer

from daemon_support import (
    Daemon,
    alert_lines,
    count,
    daemon_config,
    integrity_problems,
    query,
    wait_until,
)
from daemon_support import (
    run_monitor as monitor,
)

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]
DISK = "32m"  # the tmpfs: room for the replica's archive; a ballast file fills it
ARTICLES = "SELECT COUNT(*) FROM articles"
HASHES = "SELECT article_id, content_hash FROM articles ORDER BY article_id"
MATCHES = "SELECT article_id, rule, keyword, field, start FROM matches ORDER BY 1, 2, 3, 4, 5"
FULL = "is full"
NOTHING_LOST = "nothing already stored is lost"


class SmallDisk:
    """A tmpfs mounted on ``path``; ``fill`` leaves ``room`` bytes free, ``free`` frees it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ballast = path / "ballast"

    def fill(self, room: int) -> None:
        self.free()
        left = os.statvfs(self.path).f_bavail * os.statvfs(self.path).f_frsize
        with self.ballast.open("wb") as file:
            file.write(b"\0" * max(left - room, 0))

    def free(self) -> None:
        self.ballast.unlink(missing_ok=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    path = tmp_path / "disk"
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield SmallDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def assert_one_clear_line(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert FULL in last and NOTHING_LOST in last, result.stderr
    assert "Traceback" not in result.stderr and "ArticlePage(" not in result.stderr


def test_a_crawl_on_a_full_disk_stops_keeps_what_it_stored_and_completes_later(
    disk: SmallDisk, live_replica: ReplicaServer
) -> None:
    config = daemon_config(disk.path, live_replica.base_url)
    assert monitor(config, "init").returncode == 0
    disk.fill(room=300_000)
    assert_one_clear_line(monitor(config, "crawl"))
    stored = query(config, HASHES)
    assert integrity_problems(config) == []
    disk.free()
    again = monitor(config, "crawl")
    assert again.returncode == 0, again.stderr
    assert count(config, ARTICLES) == len(live_replica.site.entries) > len(stored)
    assert set(stored) <= set(query(config, HASHES))  # what the full disk let in, unchanged
    assert integrity_problems(config) == []


def test_a_match_on_a_full_disk_fails_in_one_line_and_completes_later(
    disk: SmallDisk, live_replica: ReplicaServer
) -> None:
    config = daemon_config(disk.path, live_replica.base_url)
    assert monitor(config, "crawl", "--create").returncode == 0
    matches = query(config, MATCHES)
    assert matches
    disk.fill(room=0)
    assert_one_clear_line(monitor(config, "match", "--all"))
    disk.free()  # (reading needs room too: SQLite's shared-memory file)
    assert query(config, MATCHES) == matches  # nothing lost
    assert integrity_problems(config) == []
    done = monitor(config, "match", "--all")
    assert done.returncode == 0, done.stderr
    assert query(config, MATCHES) == matches
    assert count(config, "SELECT COUNT(*) FROM articles WHERE matched_hash IS NULL") == 0


def test_the_daemon_on_a_full_disk_keeps_running_tells_the_operator_once_and_recovers(
    disk: SmallDisk, live_replica: ReplicaServer
) -> None:
    config = daemon_config(disk.path, live_replica.base_url, crawl_interval=1.0)
    assert monitor(config, "init").returncode == 0
    disk.fill(room=300_000)
    started = time.monotonic()
    daemon = Daemon(config)
    try:
        daemon.wait_for_log(FULL)
        wait_until(lambda: len(alert_lines(config, "ops")) >= 1, what="the operator alert")
        runs, seconds = count(config, "SELECT COUNT(*) FROM crawl_runs"), time.monotonic() - started
        disk.free()
        wait_until(
            lambda: count(config, ARTICLES) == len(live_replica.site.entries), what="the next crawl"
        )
        wait_until(lambda: len(alert_lines(config, "ops")) >= 2, what="the recovery alert")
        assert daemon.process.poll() is None
    finally:
        assert daemon.stop() == 0
    titles = [line["title"] for line in alert_lines(config, "ops")]
    assert [title for title in titles if "ổ đĩa" in title] == [
        "[congan-monitor] Sự cố: ổ đĩa chứa kho lưu trữ sắp đầy",
        "[congan-monitor] Đã khắc phục: ổ đĩa chứa kho lưu trữ đã đủ chỗ trở lại",
    ]
    # crawls ran on schedule (one a second) while the disk was full, not in a loop
    assert runs <= seconds + 2
    assert integrity_problems(config) == []


def test_a_match_on_a_page_limited_archive_fails_whole_and_completes_later(
    tmp_path: Path,
) -> None:
    """Anywhere: SQLite's page limit gives the write the same SQLITE_FULL as a full disk."""
    path = tmp_path / f"{uuid.uuid4().hex}.db"
    rules = load_config().rules
    with Archive.open(path) as archive:
        for article_id in range(1, 41):
            store(archive, record(article_id))
        pages = archive._session.db.execute("PRAGMA page_count").fetchone()[0]
        archive._session.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(ArchiveFullError, match=NOTHING_LOST):
            match_new_articles(archive, rules, Matcher(rules))
        assert archive.integrity_problems() == []
        archive._session.db.execute(f"PRAGMA max_page_count = {pages * 100}")
        found = match_new_articles(archive, rules, Matcher(rules))
    assert found.articles == 40 and found.matched == 40


def test_a_backup_to_a_full_disk_fails_in_one_line_leaves_nothing_and_completes_later(
    tmp_path: Path, disk: SmallDisk, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)  # the archive on the roomy disk
    assert monitor(config, "crawl", "--create").returncode == 0
    stored = query(config, HASHES)
    disk.fill(room=200_000)
    failed = monitor(config, "backup", str(disk.path / "backups"))
    assert failed.returncode == 1, failed.stderr
    (line,) = failed.stderr.strip().splitlines()
    assert FULL in line, line
    backups = disk.path / "backups"
    assert sorted(p.name for p in backups.iterdir() if p.name != "manifest.json") == []
    disk.free()
    done = monitor(config, "backup", str(backups))
    assert done.returncode == 0, done.stderr
    assert len(list(backups.glob("monitor-*.db.zst"))) == 1
    assert query(config, HASHES) == stored and integrity_problems(config) == []
