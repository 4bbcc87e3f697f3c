"""Migration 14: the three FTS5 tables made anew with ``body_pairs`` (``body`` in
``articles_fts``) as their first column (``fts.LAYOUT``, ``fts.STANDARD_LAYOUT``), which FTS5
stores in fewer bytes; every search finds the same articles with the same BM25 scores, to the
bit, as with the shipped layout (on the archive version 13 wrote, ``tests/fixtures/archives``)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import zstandard
from sqlite_utils import Database

from monitor.archive import SCHEMA_VERSION, fts
from monitor.archive.migrations import migrate
from monitor.search.query import compile_query

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "archives" / "v13.db.zst"
QUERIES = ("công an", "dân vận", "an", "thành phố Hồ Chí Minh", "cong an", "dan van", "tphcm")
Scores = list[tuple[int, float]]


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The archive version 13 wrote: the shipped column order."""
    path = tmp_path / "monitor.db"
    path.write_bytes(zstandard.ZstdDecompressor().decompress(FIXTURE.read_bytes()))
    return path


def columns(db: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))


def scores(db: sqlite3.Connection, weights: str) -> dict[str, Scores]:
    """Each query's matches, best first, with their BM25 scores under ``weights``."""
    found = {}
    for text in QUERIES:
        query = compile_query(text)
        for table, expression in ((fts.EXACT_TABLE, query.exact), (fts.FOLDED_TABLE, query.folded)):
            if expression:
                found[f"{table}: {text}"] = db.execute(
                    f"SELECT rowid, bm25({table}, {weights}) FROM {table}"
                    f" WHERE {table} MATCH ? ORDER BY 2, 1",
                    (expression,),
                ).fetchall()
    return found


def standard_hits(db: sqlite3.Connection) -> dict[str, Scores]:
    """What Datasette's ``?_search=`` ranks by (``rank``) in ``articles_fts``."""
    return {
        text: db.execute(
            f"SELECT rowid, rank FROM {fts.STANDARD_TABLE}"
            f" WHERE {fts.STANDARD_TABLE} MATCH ? ORDER BY rank, rowid",
            (text,),
        ).fetchall()
        for text in ("dân vận", '"công an"', "thanh pho")
    }


def upgraded(path: Path) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        migrate(Database(connection))


def test_the_shipped_weights_follow_the_shipped_layout() -> None:
    assert fts.weights(fts.SHIPPED_LAYOUT) == ", ".join(("10.0", "3.0", "1.0") * 2)
    assert fts.weights(fts.LAYOUT) == fts.WEIGHTS


def test_new_archives_hold_the_columns_in_the_smaller_order(tmp_path: Path) -> None:
    path = tmp_path / "monitor.db"
    upgraded(path)
    with closing(sqlite3.connect(path)) as db:
        assert columns(db, fts.EXACT_TABLE) == fts.LAYOUT == columns(db, fts.FOLDED_TABLE)
        assert columns(db, fts.STANDARD_TABLE) == fts.STANDARD_LAYOUT
        assert fts.LAYOUT[0] == "body_pairs"
        assert fts.STANDARD_LAYOUT[0] == "body"


def test_migration_14_rebuilds_the_tables_in_the_new_order(shipped: Path) -> None:
    with closing(sqlite3.connect(shipped)) as db:
        assert columns(db, fts.EXACT_TABLE) == fts.SHIPPED_LAYOUT
        assert columns(db, fts.STANDARD_TABLE) == fts.FIELDS
    upgraded(shipped)
    with closing(sqlite3.connect(shipped)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert columns(db, fts.EXACT_TABLE) == fts.LAYOUT == columns(db, fts.FOLDED_TABLE)
        assert columns(db, fts.STANDARD_TABLE) == fts.STANDARD_LAYOUT
        assert fts.integrity_problems(Database(db)) == []


def test_every_search_scores_the_same_after_migration_14(shipped: Path) -> None:
    with closing(sqlite3.connect(shipped)) as db:
        before = scores(db, fts.weights(fts.SHIPPED_LAYOUT))
    upgraded(shipped)
    with closing(sqlite3.connect(shipped)) as db:
        after = scores(db, fts.WEIGHTS)
    assert sum(map(len, before.values())) > 20  # the queries find articles in the fixture
    assert after == before  # same articles, same order, same floats


def test_the_standard_table_ranks_the_same_after_migration_14(shipped: Path) -> None:
    with closing(sqlite3.connect(shipped)) as db:
        before = standard_hits(db)
    upgraded(shipped)
    with closing(sqlite3.connect(shipped)) as db:
        after = standard_hits(db)
    assert all(before.values())
    assert after == before
