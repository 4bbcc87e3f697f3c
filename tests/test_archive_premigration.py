"""The verified copy an archive gets before its schema is migrated (``archive.premigration``)."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database
from test_archive_support import scalar

from monitor.archive import SCHEMA_VERSION, Archive
from monitor.archive.migrations import migrate
from monitor.archive.premigration import copy_path, keep_premigration_copy

OLD = 9


@pytest.fixture
def old(path: Path) -> Path:
    """An archive with two articles at schema version ``OLD``."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        migrate(Database(connection), target=OLD)
        for article_id in (141005, 141006):
            connection.execute(
                "INSERT INTO articles (article_id, url, canonical_url, section, title, body,"
                " published_at, first_seen_at, last_seen_at, content_hash)"
                " VALUES (:id, 'u', 'u', 'tin-chinh', 'Dân vận', 'Thân', :t, :t, :t, 'x')",
                {"id": article_id, "t": "2025-01-01T00:00:00+07:00"},
            )
    return path


def _copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.pre-v*.db"))


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


def test_the_copy_is_named_after_the_target_version_and_utc_time(tmp_path: Path) -> None:
    when = datetime(2026, 12, 3, 19, 5, 7, tzinfo=UTC)
    assert copy_path(tmp_path / "monitor.db", 12, when) == (
        tmp_path / "monitor.db.pre-v12-20261203T190507Z.db"
    )


def test_opening_an_older_archive_read_write_keeps_a_copy_as_it_was(old: Path) -> None:
    articles = _rows(old, "articles")
    Archive.open(old).close()
    (copy,) = _copies(old)
    assert copy.name.startswith(f"{old.name}.pre-v{SCHEMA_VERSION}-")
    assert scalar(copy, "PRAGMA user_version") == OLD
    assert scalar(copy, "PRAGMA integrity_check") == "ok"
    assert _rows(copy, "articles") == articles


def test_the_copy_is_one_private_file(old: Path) -> None:
    Archive.open(old).close()
    (copy,) = _copies(old)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert scalar(copy, "PRAGMA journal_mode") == "delete"
    assert not copy.with_name(copy.name + "-wal").exists()


def test_the_upgrade_reports_the_copy_and_the_versions(old: Path) -> None:
    with Archive.open(old) as archive:
        upgrade = archive.upgrade
    assert upgrade is not None and upgrade.copy is not None
    assert (upgrade.before, upgrade.after) == (OLD, SCHEMA_VERSION)
    assert upgrade.applied == tuple(range(OLD + 1, SCHEMA_VERSION + 1))
    assert (upgrade.copy.version, upgrade.copy.path) == (OLD, _copies(old)[0])
    assert upgrade.copy.rows >= 2


def test_a_new_archive_gets_no_copy(path: Path) -> None:
    with Archive.open(path) as archive:
        assert archive.upgrade is not None and archive.upgrade.copy is None
    assert _copies(path) == []


def test_an_up_to_date_archive_is_neither_copied_nor_migrated(path: Path) -> None:
    Archive.open(path).close()
    with Archive.open(path) as archive:
        assert archive.upgrade is None
    assert _copies(path) == []


def test_two_copies_within_a_second_get_distinct_names(old: Path) -> None:
    first = keep_premigration_copy(old, target=SCHEMA_VERSION)
    second = keep_premigration_copy(old, target=SCHEMA_VERSION)
    assert first.path != second.path
    assert scalar(second.path, "PRAGMA user_version") == OLD


def test_migrating_from_every_earlier_version_keeps_a_copy_at_that_version(path: Path) -> None:
    for version in range(1, SCHEMA_VERSION):
        archive = path.with_name(f"v{version}.db")
        with closing(sqlite3.connect(archive, isolation_level=None)) as connection:
            migrate(Database(connection), target=version)
        Archive.open(archive).close()
        (copy,) = _copies(archive)
        assert scalar(copy, "PRAGMA user_version") == version
