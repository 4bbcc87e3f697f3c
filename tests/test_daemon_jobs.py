"""The daemon's maintenance job: the archive's weekly upkeep, raw pages included, logged with
its figures; a daemon that is stopping leaves the rest for the next run. The backup and verify
jobs: their outcomes as the health checks ``backup`` and ``archive``."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from test_archive_support import raw_rows, zlib_archive

from monitor.config import load_config
from monitor.daemon import status as daemon_status
from monitor.daemon.jobs import Jobs
from replica.corpus import synthetic_pages

from backup_support import small_archive

PAGES = synthetic_pages(110, seed=21)


def jobs_on(tmp_path: Path) -> Jobs:
    """The daemon's jobs on an old archive holding ``PAGES`` as zlib."""
    archive = tmp_path / "monitor.db"
    zlib_archive(archive, PAGES)
    config = tmp_path / "monitor.toml"
    config.write_text(f'[database]\npath = "{archive}"\n', encoding="utf-8")
    return Jobs(load_config(config), config, senders={})


def test_weekly_maintenance_recompresses_the_raw_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    jobs = jobs_on(tmp_path)
    with caplog.at_level(logging.INFO, logger="monitor.daemon"):
        jobs.maintain()
    [record] = [r for r in caplog.records if r.getMessage().startswith("archive maintained")]
    assert record.getMessage() == "archive maintained: FTS optimized, vacuumed"
    figures = record.__dict__["figures"]
    assert (figures["dictionary"], figures["recompressed"]) == ("trained", 110)
    assert {row[1:] for row in raw_rows(tmp_path / "monitor.db")} == {("zstd", 1)}


def test_a_stopping_daemon_leaves_the_recompression_for_the_next_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    jobs = jobs_on(tmp_path)
    jobs.stopping.set()
    with caplog.at_level(logging.INFO, logger="monitor.daemon"):
        jobs.maintain()
    assert "archive maintained: stopped early (daemon stopping)" in caplog.text
    assert {row[1:] for row in raw_rows(tmp_path / "monitor.db")} == {("zlib", None)}


def test_the_backup_and_verify_jobs_report_in_the_health_state(tmp_path: Path) -> None:
    small_archive(tmp_path / "monitor.db")
    config = tmp_path / "monitor.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "monitor.db"}"\n', encoding="utf-8")
    jobs = Jobs(load_config(config), config, senders={})
    jobs.backup()
    jobs.verify()
    status = daemon_status.gather(load_config(config))
    [backup] = (tmp_path / "backups").glob("monitor-*.db.zst")
    assert status["health"]["backup"]["detail"] == f"last backup {backup}"
    assert status["health"]["archive"]["detail"].startswith("verified: ")
    lines = daemon_status.render(status)
    assert any(line.startswith("health archive: ok since") for line in lines)


def test_the_verify_job_turns_the_archive_check_broken_on_damage(tmp_path: Path) -> None:
    small_archive(tmp_path / "monitor.db")
    config = tmp_path / "monitor.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "monitor.db"}"\n', encoding="utf-8")
    jobs = Jobs(load_config(config), config, senders={})
    jobs.backup()
    with closing(sqlite3.connect(tmp_path / "monitor.db")) as db:
        db.execute("DELETE FROM article_versions")  # damage SQLite itself cannot see
        db.commit()
    jobs.verify()
    archive = daemon_status.gather(load_config(config))["health"]["archive"]
    assert archive["broken"] is True
    assert "versions: the articles' version numbers call for 1" in archive["detail"]
    assert "restore it with `monitor restore " in archive["detail"]
