"""Crash safety of recompression: ``monitor maintain`` killed with SIGKILL while it recompresses
an old archive's zlib pages with a new dictionary, again and again; after every kill each page
still reads back byte-identical, and a run left alone finishes the work.

Each iteration starts ``monitor maintain`` in a real process and kills it as soon as the
archive shows it has recompressed a batch (100 pages, one transaction) and pages are left, or
5 or 20 ms later: inside the next batch's transaction. A page's blob and its ``codec`` and
``dictionary_id`` change in one UPDATE inside the batch's transaction, so a kill leaves each
row as it was or as it became: never a zstd blob labelled zlib, nor the reverse.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from test_archive_support import raw_rows, zlib_archive

from monitor.archive import Archive
from replica.corpus import CorpusPage, synthetic_pages

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[1]
MONITOR = str(Path(sys.executable).parent / "monitor")
PAGES = 1200
KILLS = 5


def recompressed(path: Path) -> int:
    """Pages with a dictionary so far, read as another process sees the archive (0 before
    the first run has migrated it)."""
    with closing(sqlite3.connect(path, timeout=10)) as db:
        try:
            count: int = db.execute(
                "SELECT count(*) FROM raw_pages WHERE dictionary_id IS NOT NULL"
            ).fetchone()[0]
        except sqlite3.OperationalError:  # no such column yet: migration 11 not applied
            return 0
        return count


def start_maintain(config: Path) -> subprocess.Popen[bytes]:
    """``monitor maintain`` in its own process, running this checkout's code."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.Popen(
        [MONITOR, "--config", str(config), "maintain"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_midway(process: subprocess.Popen[bytes], path: Path, extra: float) -> int | None:
    """SIGKILL ``process`` once it has recompressed a batch and more pages are left
    (``extra`` seconds later: inside the next batch); the count seen then, or ``None`` when
    it finished first."""
    before = recompressed(path)
    while process.poll() is None:
        seen = recompressed(path)
        if before < seen < PAGES:
            time.sleep(extra)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            return seen
        time.sleep(0.002)
    return None


def assert_every_page_reads_back(path: Path, pages: list[CorpusPage]) -> None:
    with Archive.open(path) as archive:
        assert archive.integrity_problems() == []
        read = {page.article_id: page.html for page in archive.articles.raw_pages()}
    assert read == {page.article_id: page.html for page in pages}


def test_recompression_killed_midway_leaves_every_page_readable(tmp_path: Path) -> None:
    randomness = random.Random(15)
    pages = synthetic_pages(PAGES, seed=15)
    path = tmp_path / "archive.db"
    zlib_archive(path, pages)
    config = tmp_path / "monitor.toml"
    config.write_text(f'[database]\npath = "{path}"\n', encoding="utf-8")
    midway = []
    for _ in range(KILLS):
        seen = kill_midway(start_maintain(config), path, randomness.choice([0, 0.005, 0.02]))
        if seen is None:
            break
        midway.append(seen)
        assert_every_page_reads_back(path, pages)
    assert midway, "no kill landed while pages were being recompressed"
    assert start_maintain(config).wait(timeout=300) == 0
    assert_every_page_reads_back(path, pages)
    assert {row[1:] for row in raw_rows(path)} == {("zstd", 1)}
    print(f"\nkilled with {midway} of {PAGES} pages recompressed")
