"""Backups of the daemon's archive while it crawls, and restores, as real processes against
the site replica: the backup is the archive at its moment, and a restored archive carries on
(its alerts never sent twice)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from replica.server import ReplicaServer

from backup_support import rows_of, tables
from daemon_support import (
    Daemon,
    alert_lines,
    count,
    daemon_config,
    wait_for_crawl_jobs,
    wait_until,
)
from daemon_support import (
    run_monitor as monitor,
)

pytestmark = pytest.mark.e2e
ARTICLES = "SELECT COUNT(*) FROM articles"


def test_a_backup_taken_mid_crawl_restores_the_archive_of_its_moment(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    database = tmp_path / "monitor.db"
    live_replica.fail("/tin-chinh/", "slow", delay=0.3)  # crawls that take a while
    daemon = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) >= 3, what="a crawl under way")
        # The test holds the write lock while `monitor backup` runs, so that it can read the
        # archive as of the backup's moment: the daemon's writes wait (busy timeout), its
        # write-ahead log and open connections stay as they were.
        with closing(sqlite3.connect(database, timeout=30, isolation_level=None)) as held:
            held.execute("BEGIN IMMEDIATE")
            moment = rows_of(held)
            made = monitor(config, "backup", str(tmp_path / "backups"))
            held.execute("ROLLBACK")
        assert made.returncode == 0, made.stderr
        wait_until(lambda: count(config, ARTICLES) > len(moment["articles"]), what="more crawled")
    finally:
        assert daemon.stop() == 0
    [backup] = (tmp_path / "backups").glob("monitor-*.db.zst")
    [entry] = json.loads((tmp_path / "backups" / "manifest.json").read_text())["backups"]
    assert entry["counts"] == {table: len(rows) for table, rows in moment.items()}
    restored = monitor(config, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert tables(database) == moment
    [aside] = tmp_path.glob("monitor.db.before-restore-*")
    assert count(config, ARTICLES) < len(tables(aside)["articles"])


def test_restore_is_refused_while_the_daemon_runs_and_a_restored_archive_carries_on(
    tmp_path: Path, live_replica: ReplicaServer
) -> None:
    config = daemon_config(tmp_path, live_replica.base_url)
    daemon = Daemon(config)
    try:
        wait_until(lambda: count(config, ARTICLES) == len(live_replica.site.entries))
        new = live_replica.publish("danvan")
        wait_until(lambda: alerts_for(config, new["id"]), what="the alert")
        wait_for_crawl_jobs(config, 1)
        sent = alerts_for(config, new["id"])
        made = monitor(config, "backup")
        assert made.returncode == 0, made.stderr
        [backup] = (tmp_path / "backups").glob("monitor-*.db.zst")
        refused = monitor(config, "restore", str(backup))
        assert refused.returncode == 1 and refused.stdout == ""
        assert refused.stderr.startswith("monitor: cannot restore: the monitor daemon (pid ")
        assert list(tmp_path.glob("*before-restore*")) == []
    finally:
        assert daemon.stop() == 0
    restored = monitor(config, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    again = Daemon(config)
    try:
        wait_for_crawl_jobs(config, 2)  # crawls, matches and deliveries on the restored archive
        assert alerts_for(config, new["id"]) == sent  # the restored outbox: nothing resent
        assert count(config, ARTICLES) == len(live_replica.site.entries)
    finally:
        assert again.stop() == 0


def alerts_for(config: Path, article_id: int) -> list[dict[str, Any]]:
    return [line for line in alert_lines(config) if str(article_id) in str(line.get("body"))]
