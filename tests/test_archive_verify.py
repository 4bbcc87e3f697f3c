"""``monitor.archive.verify``: each kind of damage is found and named, on a copy."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from test_archive_support import record, store

from monitor.archive import Archive
from monitor.archive.backup import copy_verified
from monitor.archive.verify import verify_file

from backup_support import damage_page, small_archive


def copy_of(tmp_path: Path) -> Path:
    return Path(copy_verified(small_archive(tmp_path / "monitor.db"), tmp_path / "copy.db").path)


def change(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute(sql)
        db.commit()


def test_a_whole_archive_has_no_problem(tmp_path: Path) -> None:
    found = verify_file(copy_of(tmp_path))
    assert found.problems == ()
    assert (found.raw_pages, found.counts["articles"], found.full) == (20, 20, True)


def test_a_damaged_page_is_found(tmp_path: Path) -> None:
    copy = copy_of(tmp_path)
    damage_page(copy)
    assert verify_file(copy).problems


def test_integrity_problems_are_one_line_each(tmp_path: Path) -> None:
    """SQLite gives a damaged table's orphaned pages as one row of many lines."""
    path = tmp_path / "monitor.db"
    with Archive.open(path) as archive:  # an articles table of many pages
        for article_id in range(1, 301):
            store(archive, record(article_id, body="Nhân dân đồng tình. " * 150))
    copy = Path(copy_verified(path, tmp_path / "copy.db").path)
    damage_page(copy)
    problems = verify_file(copy).problems
    assert len(problems) > 1 and all("\n" not in problem for problem in problems)
    assert not any("***" in problem for problem in problems)


def test_a_raw_page_that_does_not_decompress_is_named(tmp_path: Path) -> None:
    copy = copy_of(tmp_path)
    change(copy, "UPDATE raw_pages SET html = x'28b52ffd00' WHERE article_id = 105")
    assert verify_file(copy).problems == (
        "raw page of article 105 does not decompress (zstd): "
        + verify_file(copy).problems[0].split("(zstd): ", 1)[1],
    )


def test_lost_earlier_versions_are_found(tmp_path: Path) -> None:
    copy = copy_of(tmp_path)
    change(copy, "DELETE FROM article_versions")
    assert verify_file(copy).problems == (
        "versions: the articles' version numbers call for 1 earlier versions, 0 kept",
    )


def test_an_article_missing_from_a_search_index_is_found(tmp_path: Path) -> None:
    copy = copy_of(tmp_path)
    change(copy, "INSERT INTO articles_fts(articles_fts, rowid, title, lead, body)"
                 " SELECT 'delete', article_id, title, lead, body FROM articles"
                 " WHERE article_id = 101")  # fmt: skip
    assert any("articles_fts" in problem for problem in verify_file(copy).problems)


def test_a_file_that_is_not_sqlite_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"not a database" * 100)
    [problem] = verify_file(path).problems
    assert "not a database" in problem
