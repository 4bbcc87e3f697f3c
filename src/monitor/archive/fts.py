"""Full-text search tables: two FTS5 indexes over title, lead and body, rowid = article_id.

- ``articles_fts`` holds ``matching_form()`` of each field (NFC, lower-cased, tone placement
  canonical): exact search, where ``đang`` does not find ``Đảng``.
- ``articles_fts_folded`` holds ``fold()`` of each field (marks stripped, ``đ → d``):
  accent-insensitive search, where ``thu duc`` finds ``Thủ Đức``.

Both use ``unicode61 remove_diacritics 0``: the folding is done here, in Python, because no
SQLite tokenizer folds ``đ`` or letters carrying two marks (see LANGUAGE.md). They are ordinary
FTS5 tables that keep their own copy of the text (SQLite 3.40 has no ``contentless_delete``);
since both forms have the display text's length, offsets found in them map back to
``articles``. The rows are written in the same transaction as the article (``index_article``,
``unindex_article``); nothing else writes them.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from monitor.errors import InputError
from monitor.text import fold, matching_form

EXACT_TABLE = "articles_fts"
FOLDED_TABLE = "articles_fts_folded"
_TABLES = (EXACT_TABLE, FOLDED_TABLE)
_TOKENIZER = "unicode61 remove_diacritics 0"
# How SQLite words the errors of a query it cannot parse (anything else is a storage error).
_QUERY_ERRORS = ("fts5:", "no such column", "unterminated string", "unknown special query")


def create_tables(db: Database) -> None:
    """Create both FTS5 tables (empty)."""
    for table in _TABLES:
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5(title, lead, body, tokenize = '{_TOKENIZER}')"
        )


def index_article(db: Database, article_id: int, title: str, lead: str | None, body: str) -> None:
    """Write (or rewrite) the article's rows in both tables."""
    unindex_article(db, article_id)
    fields = (title, lead or "", body)
    db.execute(
        f"INSERT INTO {EXACT_TABLE} (rowid, title, lead, body) VALUES (?, ?, ?, ?)",
        (article_id, *(matching_form(field) for field in fields)),
    )
    db.execute(
        f"INSERT INTO {FOLDED_TABLE} (rowid, title, lead, body) VALUES (?, ?, ?, ?)",
        (article_id, *(fold(field) for field in fields)),
    )


def unindex_article(db: Database, article_id: int) -> None:
    """Remove the article's rows from both tables (nothing happens when there are none)."""
    for table in _TABLES:
        db.execute(f"DELETE FROM {table} WHERE rowid = ?", (article_id,))


def index_all(db: Database) -> None:
    """Index every archived article (used by the migration that creates the tables)."""
    rows = db.execute("SELECT article_id, title, lead, body FROM articles").fetchall()
    for article_id, title, lead, body in rows:
        index_article(db, article_id, title, lead, body)


def search_ids(db: Database, query_fts: str, *, folded: bool, limit: int) -> list[int]:
    """Article ids matching an FTS5 query, best first (bm25).

    ``query_fts`` is FTS5 query syntax, already in the searched table's form (matching form,
    or folded when ``folded``): multi-syllable terms must be phrases, ``"dân vận"``. A query
    FTS5 cannot parse is an ``InputError`` naming it.
    """
    table = FOLDED_TABLE if folded else EXACT_TABLE
    try:
        rows = db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
            (query_fts, limit),
        ).fetchall()
    except sqlite3.OperationalError as error:
        if not str(error).startswith(_QUERY_ERRORS):
            raise
        raise InputError(f"bad search query {query_fts!r}: {error}", query=query_fts) from None
    return [article_id for (article_id,) in rows]


def optimize(db: Database) -> None:
    """Merge each FTS index's segments into one (faster queries after many small writes)."""
    for table in _TABLES:
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
