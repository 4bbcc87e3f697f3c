"""The zstd dictionaries raw pages are compressed with (``raw_dictionaries``), one row each.

The newest is the *current* one: every page written is compressed with it. A dictionary is
added by the maintenance step (``raw_store``), never changed, and deleted only when no page
uses it any more and a newer one exists; ``raw_pages.dictionary_id`` is a foreign key to it,
so SQLite itself refuses to delete one a page still needs. Ids come from AUTOINCREMENT: a
deleted dictionary's id is never given to another. A dictionary's bytes are read only when
this process has not loaded them yet (``raw_codec.cached``, keyed by their ``sha256``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from monitor.archive import raw_codec
from monitor.archive.raw_codec import CodecError, Dictionary
from monitor.errors import StorageError

_TABLE = """
    CREATE TABLE raw_dictionaries (
        dictionary_id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        pages INTEGER NOT NULL,
        newest_article_id INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL
    )
"""


def create_table(db: Database) -> None:
    """The empty table (migration 11)."""
    db.execute(_TABLE)


def current(db: Database, level: int = raw_codec.ZSTD_LEVEL) -> Dictionary | None:
    """The newest dictionary, which pages are written with, loaded for ``level``; ``None``
    before the first."""
    row = db.execute(
        "SELECT dictionary_id, sha256 FROM raw_dictionaries ORDER BY dictionary_id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else _loaded(db, row[0], row[1], level)


def current_id(db: Database) -> int | None:
    """The current dictionary's id (not loaded); ``None`` before the first."""
    row = db.execute("SELECT max(dictionary_id) FROM raw_dictionaries").fetchone()
    return None if row[0] is None else int(row[0])


def newest_trained_on(db: Database) -> int | None:
    """The highest article id among the pages the current dictionary was trained on."""
    row = db.execute(
        "SELECT newest_article_id FROM raw_dictionaries ORDER BY dictionary_id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else int(row[0])


def by_id(
    db: Database, ids: Iterable[int], level: int = raw_codec.ZSTD_LEVEL
) -> dict[int, Dictionary]:
    """The dictionaries of ``ids`` (those that exist), loaded for ``level``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    places = ", ".join("?" * len(wanted))
    rows = db.execute(
        f"SELECT dictionary_id, sha256 FROM raw_dictionaries WHERE dictionary_id IN ({places})",
        wanted,
    ).fetchall()
    return {
        dictionary_id: _loaded(db, dictionary_id, sha256, level) for dictionary_id, sha256 in rows
    }


def _loaded(db: Database, dictionary_id: int, sha256: str, level: int) -> Dictionary:
    """The dictionary, loaded for ``level`` (its bytes read only when this process has not
    loaded them for it)."""

    def read() -> bytes:
        data: bytes = db.execute(
            "SELECT data FROM raw_dictionaries WHERE dictionary_id = ?", (dictionary_id,)
        ).fetchone()[0]
        return data

    try:
        return raw_codec.cached(dictionary_id, sha256, read, level)
    except CodecError as error:
        raise StorageError(f"raw pages: {error}", dictionary_id=dictionary_id) from None


def add(db: Database, data: bytes, *, pages: int, newest_article_id: int, created_at: str) -> int:
    """Keep a new dictionary, which becomes the current one; returns its id."""
    cursor = db.execute(
        "INSERT INTO raw_dictionaries (created_at, pages, newest_article_id, size, sha256, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (created_at, pages, newest_article_id, len(data), raw_codec.digest(data), data),
    )
    return int(cursor.lastrowid or 0)


def drop_unused(db: Database) -> list[int]:
    """Delete every dictionary but the current one that no page uses; returns their ids."""
    unused = [
        dictionary_id
        for (dictionary_id,) in db.execute(
            "SELECT dictionary_id FROM raw_dictionaries AS d"
            " WHERE dictionary_id < (SELECT max(dictionary_id) FROM raw_dictionaries)"
            " AND NOT EXISTS (SELECT 1 FROM raw_pages AS p WHERE p.dictionary_id = d.dictionary_id)"
        )
    ]
    for dictionary_id in unused:
        db.execute("DELETE FROM raw_dictionaries WHERE dictionary_id = ?", (dictionary_id,))
    return unused


def pages_per_dictionary(db: Database) -> dict[int | None, int]:
    """How many pages each dictionary compresses (``None``: pages without one), read from the
    index on ``raw_pages.dictionary_id`` alone."""
    rows = db.execute(
        "SELECT dictionary_id, count(*) FROM raw_pages INDEXED BY raw_pages_dictionary_id"
        " GROUP BY dictionary_id"
    )
    return {dictionary_id: count for dictionary_id, count in rows}
