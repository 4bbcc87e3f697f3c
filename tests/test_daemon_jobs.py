"""The daemon's maintenance job: the archive's weekly upkeep, raw pages included, logged with
its figures; a daemon that is stopping leaves the rest for the next run."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from test_archive_support import raw_rows, zlib_archive

from monitor.config import load_config
from monitor.daemon.jobs import Jobs
from replica.corpus import synthetic_pages

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
