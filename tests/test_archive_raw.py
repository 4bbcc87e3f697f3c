"""Raw pages in the archive: how each row is compressed (zstd, with the current dictionary when
there is one), zlib rows from before migration 11 read as before, every page byte-identical."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database
from test_archive_support import raw_rows, record, scalar, store, store_pages, zlib_archive

from monitor.archive import SCHEMA_VERSION, Archive, raw_codec
from monitor.archive.migrations import migrate
from monitor.errors import StorageError
from replica.corpus import synthetic_pages

PAGES = synthetic_pages(110, seed=3)


def read_back(archive: Archive) -> dict[int, bytes]:
    return {page.article_id: page.html for page in archive.articles.raw_pages()}


def test_a_new_archive_writes_plain_zstd(path: Path, archive: Archive) -> None:
    store(archive, record(PAGES[0].article_id), html=PAGES[0].html)
    assert raw_rows(path) == [(PAGES[0].article_id, "zstd", None)]
    assert read_back(archive) == {PAGES[0].article_id: PAGES[0].html}


def test_pages_are_written_with_the_current_dictionary(path: Path, archive: Archive) -> None:
    store_pages(archive, PAGES[:100])
    assert archive.raw.train_dictionary().dictionary_id == 1
    store_pages(archive, PAGES[100:])
    assert {row[1:] for row in raw_rows(path)[100:]} == {("zstd", 1)}
    assert read_back(archive) == {page.article_id: page.html for page in PAGES}


def test_a_page_fetched_again_is_written_with_the_current_dictionary(
    path: Path, archive: Archive
) -> None:
    store_pages(archive, PAGES[:100])
    archive.raw.train_dictionary()
    store(archive, record(PAGES[0].article_id), html=PAGES[1].html)
    assert raw_rows(path)[0] == (PAGES[0].article_id, "zstd", 1)
    assert read_back(archive)[PAGES[0].article_id] == PAGES[1].html


def test_latest_raw_pages_read_every_codec(path: Path) -> None:
    zlib_archive(path, PAGES[:2])
    with Archive.open(path) as archive:
        store(archive, record(PAGES[2].article_id), html=PAGES[2].html)
        latest = archive.articles.latest_raw_pages(3)
    assert [page.html for page in latest] == [page.html for page in reversed(PAGES[:3])]


def test_an_archive_from_before_migration_11_is_migrated_with_its_pages_readable(
    path: Path,
) -> None:
    zlib_archive(path, PAGES[:5])
    assert scalar(path, "PRAGMA user_version") == 10
    with Archive.open(path) as archive:
        assert archive.settings().schema_version == SCHEMA_VERSION >= 11
        assert read_back(archive) == {page.article_id: page.html for page in PAGES[:5]}
    assert {row[1:] for row in raw_rows(path)} == {("zlib", None)}


def test_an_archive_from_before_migration_13_has_its_pages_packed_once(path: Path) -> None:
    zlib_archive(path, PAGES[:100])
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=12)
    with Archive.open(path) as archive:
        assert scalar(path, "SELECT count(*) FROM raw_pages WHERE level IS NULL") == 100
        assert archive.maintain().recompressed.pages == 100
        assert read_back(archive) == {page.article_id: page.html for page in PAGES[:100]}
    assert scalar(path, "SELECT DISTINCT level FROM raw_pages") == raw_codec.PACK_LEVEL


def test_a_page_is_written_at_the_crawl_level(path: Path, archive: Archive) -> None:
    store(archive, record(PAGES[0].article_id), html=PAGES[0].html)
    assert scalar(path, "SELECT level FROM raw_pages") == raw_codec.ZSTD_LEVEL


def test_a_page_that_does_not_decompress_is_a_storage_error_naming_it(
    path: Path, archive: Archive
) -> None:
    store(archive, record(PAGES[0].article_id), html=PAGES[0].html)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE raw_pages SET html = x'00112233'")
        connection.commit()
    with pytest.raises(StorageError, match=f"raw page of article {PAGES[0].article_id}"):
        read_back(archive)


def test_a_dictionary_a_page_uses_cannot_be_deleted(path: Path, archive: Archive) -> None:
    store_pages(archive, PAGES[:100])
    archive.raw.train_dictionary()
    archive.raw.recompress()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute("DELETE FROM raw_dictionaries")


def test_a_row_says_zstd_when_it_names_a_dictionary(path: Path, archive: Archive) -> None:
    store_pages(archive, PAGES[:100])
    archive.raw.train_dictionary()
    with (
        closing(sqlite3.connect(path)) as connection,
        pytest.raises(sqlite3.IntegrityError, match="CHECK"),
    ):
        connection.execute("UPDATE raw_pages SET codec = 'zlib', dictionary_id = 1")


def test_a_damaged_dictionary_is_a_storage_error_not_used(path: Path, archive: Archive) -> None:
    pages = synthetic_pages(100, seed=13)
    store_pages(archive, pages)
    archive.raw.train_dictionary()  # kept, not loaded yet by this process
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE raw_dictionaries SET data = substr(data, 1, length(data) - 1)")
        connection.commit()
    with pytest.raises(StorageError, match="dictionary 1 does not match its SHA-256"):
        store(archive, record(pages[0].article_id), html=pages[0].html)
    assert read_back(archive)[pages[0].article_id] == pages[0].html
