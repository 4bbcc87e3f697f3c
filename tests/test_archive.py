"""Opening the archive: file creation, connection settings, migrations, errors, read-only."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database
from test_archive_support import record, scalar, store

from monitor.archive import SCHEMA_VERSION, Archive
from monitor.archive.fts import EXACT_TABLE
from monitor.archive.migrations import SEARCH_INDEX_REBUILT, migrate
from monitor.errors import StorageError
from monitor.search.query import compile_query


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "archive.db"


def test_open_creates_parent_directories_and_file(path: Path) -> None:
    Archive.open(path).close()
    assert path.is_file()


def test_new_file_is_readable_by_its_owner_only(path: Path) -> None:
    Archive.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wal_file_is_readable_by_its_owner_only(path: Path) -> None:
    with Archive.open(path) as archive:
        store(archive, record())
        wal = path.with_name(path.name + "-wal")
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600


def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(path: Path) -> None:
    with Archive.open(path) as archive:
        settings = archive.settings()
    assert settings.journal_mode == "wal"
    assert settings.foreign_keys == 1
    assert settings.busy_timeout == 10_000


def test_new_archive_is_at_the_current_schema_version(path: Path) -> None:
    Archive.open(path).close()
    assert scalar(path, "PRAGMA user_version") == SCHEMA_VERSION


def _version_1_database_with_an_article(path: Path) -> None:
    """What an archive written before the FTS migration looks like."""
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=1)
        connection.execute(
            "INSERT INTO articles (article_id, url, canonical_url, section, title, body,"
            " published_at, first_seen_at, last_seen_at, content_hash)"
            " VALUES (7, 'u', 'u', 'tin-chinh', 'Quận Thủ Đức', 'Thân', :t, :t, :t, 'x')",
            {"t": "2020-01-01T00:00:00+07:00"},
        )
        connection.commit()


def test_version_1_database_is_migrated_forward(path: Path) -> None:
    path.parent.mkdir()
    _version_1_database_with_an_article(path)
    assert scalar(path, "PRAGMA user_version") == 1
    with Archive.open(path) as archive:
        assert archive.settings().schema_version == SCHEMA_VERSION
        assert archive.index.search_ids("thu duc", folded=True, limit=10) == [7]


def test_version_6_full_text_tables_are_rebuilt_with_syllable_pairs(path: Path) -> None:
    path.parent.mkdir()
    _version_1_database_with_an_article(path)
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=6)
    phrase = compile_query("quan thu duc").folded
    assert phrase == '"quan\ue000thu thu\ue000duc"'
    assert scalar(path, "SELECT count(*) FROM pragma_table_info('articles_fts')") == 3
    with Archive.open(path) as archive:
        assert archive.index.search_ids(phrase, folded=True, limit=10) == [7]
    # renamed by migration 10, which made articles_fts the conventional table
    assert scalar(path, f"SELECT count(*) FROM pragma_table_info('{EXACT_TABLE}')") == 6
    indexes = "SELECT group_concat(name) FROM pragma_index_list('articles')"
    assert {"articles_section_published_at", "articles_on_topic_published_at"} <= set(
        scalar(path, indexes).split(",")
    )


def test_opening_an_archive_that_needs_the_index_rebuild_says_so(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir()
    _version_1_database_with_an_article(path)
    with caplog.at_level(logging.INFO, logger="monitor.archive"):
        Archive.open(path).close()
    assert f"schema version 1, migrating to {SCHEMA_VERSION}" in caplog.text
    assert "rebuilding the search index" in caplog.text


@pytest.mark.skipif(
    SEARCH_INDEX_REBUILT == SCHEMA_VERSION,
    reason=f"no migration after the last search-index rebuild ({SEARCH_INDEX_REBUILT}) yet",
)
def test_a_migration_without_the_rebuild_does_not_announce_it(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path.parent.mkdir()
    _version_1_database_with_an_article(path)
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=SEARCH_INDEX_REBUILT)
    with caplog.at_level(logging.INFO, logger="monitor.archive"):
        Archive.open(path).close()
    assert f"schema version {SEARCH_INDEX_REBUILT}, migrating" in caplog.text
    assert "rebuilding" not in caplog.text


def test_new_archive_has_the_indexes_search_filters_read(path: Path) -> None:
    Archive.open(path).close()
    indexes = set(
        scalar(path, "SELECT group_concat(name) FROM pragma_index_list('articles')").split(",")
    )
    assert {
        "articles_published_at",
        "articles_section_published_at",
        "articles_on_topic_published_at",
        "articles_id_published_at",
    } <= indexes


def test_reopening_an_up_to_date_archive_applies_no_migration(path: Path) -> None:
    with Archive.open(path) as archive:
        store(archive, record())
    with Archive.open(path) as archive:
        assert archive.counts()["articles"] == 1
    with closing(sqlite3.connect(path)) as connection:
        assert migrate(Database(connection)) == []


def test_archive_from_a_newer_program_is_refused(path: Path) -> None:
    Archive.open(path).close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer than this program"):
        Archive.open(path)


def test_directory_path_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=f"cannot open archive {tmp_path}: it is a directory"):
        Archive.open(tmp_path)


def test_garbage_file_is_a_storage_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages you are looking for\n" * 100)
    with pytest.raises(StorageError) as caught:
        Archive.open(path)
    assert str(caught.value) == f"cannot open archive {path}: not an SQLite database"


def test_path_under_a_regular_file_is_a_storage_error(tmp_path: Path) -> None:
    regular = tmp_path / "somefile"
    regular.write_text("x")
    with pytest.raises(StorageError, match=f"cannot open archive {regular}/x.db: ") as caught:
        Archive.open(regular / "x.db")
    assert "\n" not in str(caught.value)


def test_readonly_open_of_a_missing_file_is_a_storage_error(path: Path) -> None:
    with pytest.raises(StorageError, match="no such file"):
        Archive.open(path, readonly=True)
    assert not path.exists()


def test_readonly_open_of_an_outdated_archive_is_a_storage_error(path: Path) -> None:
    path.parent.mkdir()
    _version_1_database_with_an_article(path)
    with pytest.raises(StorageError, match="run 'monitor migrate' to upgrade it"):
        Archive.open(path, readonly=True)
    assert scalar(path, "PRAGMA user_version") == 1


def test_readonly_archive_reads(path: Path) -> None:
    with Archive.open(path) as archive:
        store(archive, record(5))
    with Archive.open(path, readonly=True) as archive:
        assert archive.articles.known_ids([5, 6]) == {5}


def test_readonly_archive_refuses_writes(path: Path) -> None:
    Archive.open(path).close()
    with (
        Archive.open(path, readonly=True) as archive,
        pytest.raises(StorageError, match="open read-only"),
    ):
        store(archive, record())


def test_closed_archive_raises_storage_error(path: Path) -> None:
    with Archive.open(path) as archive:
        pass
    with pytest.raises(StorageError, match="cannot count rows"):
        archive.counts()


def test_short_text_file_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("x")
    with pytest.raises(StorageError, match="not an SQLite database"):
        Archive.open(path)
    assert path.read_text() == "x"


def test_empty_file_becomes_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Archive.open(path) as archive:
        assert archive.settings().schema_version == SCHEMA_VERSION


READ = "SELECT COUNT(*) FROM articles"  # another process reads, then closes (at exit)


def test_opening_an_open_archive_again_keeps_its_locks(path: Path) -> None:
    """Opening the archive a second time in one process must not drop the first connection's
    locks: another process closing its own connection would then delete the write-ahead log
    under the first one (how the daemon's archive got corrupted)."""
    with Archive.open(path) as archive:
        store(archive, record(5))
        assert path.with_name(path.name + "-wal").exists()
        Archive.open(path, readonly=True).close()
        reader = f"import sqlite3; sqlite3.connect({str(path)!r}).execute({READ!r})"
        subprocess.run([sys.executable, "-c", reader], check=True)
        assert path.with_name(path.name + "-wal").exists()
        store(archive, record(6))
    with Archive.open(path) as archive:
        assert archive.integrity_problems() == []
        assert archive.articles.known_ids([5, 6]) == {5, 6}


def test_a_batch_commits_its_writes_together(path: Path) -> None:
    with Archive.open(path) as archive:
        with archive.batch("store two articles"):
            store(archive, record(1))
            store(archive, record(2))
            with closing(sqlite3.connect(path)) as other:  # not committed yet
                assert other.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
        assert archive.counts()["articles"] == 2


def test_a_batch_that_raises_writes_nothing(path: Path) -> None:
    with Archive.open(path) as archive:
        with pytest.raises(KeyboardInterrupt), archive.batch("store two articles"):
            store(archive, record(1))
            raise KeyboardInterrupt
        assert archive.counts()["articles"] == 0


def test_a_batch_whose_write_failed_commits_nothing_even_if_the_failure_was_caught(
    path: Path,
) -> None:
    with Archive.open(path) as archive:
        failed = pytest.raises(StorageError, match="store crawl state 'x' failed inside it")
        with failed, archive.batch("store an article and a state"):
            store(archive, record(1))
            with contextlib.suppress(StorageError):
                archive.state.put_state("x", {1, 2})  # a set: not JSON
        assert archive.counts()["articles"] == 0
