"""``monitor.archive.backup``: a verified copy of an archive in use, and setting one aside."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from test_archive_support import record, store

from monitor.archive import Archive
from monitor.archive.backup import copy_verified, set_aside
from monitor.errors import BackupError

from backup_support import small_archive, tables


def test_a_copy_holds_every_row_of_the_archive(tmp_path: Path) -> None:
    source = small_archive(tmp_path / "monitor.db")
    info = copy_verified(source, tmp_path / "copy.db")
    assert tables(tmp_path / "copy.db") == tables(source)
    assert info.counts["articles"] == 20 and info.counts["article_versions"] == 1
    assert info.counts == {name: len(rows) for name, rows in tables(source).items()}


def test_a_copy_is_one_private_file_without_a_write_ahead_log(tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy_verified(small_archive(tmp_path / "monitor.db"), copy)
    assert copy.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("copy")) == [
        "copy.db"
    ]
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_copy_taken_while_a_write_is_under_way_has_none_of_it(tmp_path: Path) -> None:
    source = small_archive(tmp_path / "monitor.db")
    with Archive.open(source) as writer, writer.batch("an uncommitted article"):
        store(writer, record(999))
        info = copy_verified(source, tmp_path / "copy.db")
    assert info.counts["articles"] == 20
    with closing(sqlite3.connect(tmp_path / "copy.db")) as db:
        assert db.execute("SELECT COUNT(*) FROM articles WHERE article_id = 999").fetchone() == (0,)


def test_a_copy_includes_what_is_still_in_the_write_ahead_log(tmp_path: Path) -> None:
    source = small_archive(tmp_path / "monitor.db")
    with Archive.open(source) as open_archive:  # open: nothing checkpointed at close yet
        store(open_archive, record(999))
        assert Path(f"{source}-wal").stat().st_size > 0
        info = copy_verified(source, tmp_path / "copy.db")
    assert info.counts["articles"] == 21


def test_an_existing_destination_is_never_overwritten(tmp_path: Path) -> None:
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="exists already"):
        copy_verified(small_archive(tmp_path / "monitor.db"), dest)
    assert dest.read_bytes() == b"keep me"


def test_a_missing_archive_is_one_error_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no archive at"):
        copy_verified(tmp_path / "none.db", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_set_aside_keeps_everything_committed_under_the_new_name(tmp_path: Path) -> None:
    source = small_archive(tmp_path / "monitor.db")
    before = tables(source)
    aside = tmp_path / "monitor.db.before-restore-x"
    set_aside(source, aside)
    assert not source.exists() and not Path(f"{source}-wal").exists()
    assert tables(aside) == before


def test_set_aside_refuses_an_archive_another_connection_has_open(tmp_path: Path) -> None:
    source = small_archive(tmp_path / "monitor.db")
    with Archive.open(source) as open_archive:
        store(open_archive, record(999))
        with pytest.raises(BackupError, match="in use by another process"):
            set_aside(source, tmp_path / "aside.db")
    assert source.exists() and not (tmp_path / "aside.db").exists()
