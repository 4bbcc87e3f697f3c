"""Full-text search tables: the monitor's two FTS5 indexes over title, lead and body, and the
conventional one other tools find. rowid = article_id in all three.

- ``articles_fts_exact`` indexes ``matching_form()`` of each field (NFC, lower-cased, tone
  placement canonical): exact search, where ``đang`` does not find ``Đảng``.
- ``articles_fts_folded`` indexes ``fold()`` of each field (marks stripped, ``đ → d``):
  accent-insensitive search, where ``thu duc`` finds ``Thủ Đức``.
- ``articles_fts`` (``STANDARD_TABLE``) is the table sqlite-utils and Datasette look for: an
  *external-content* FTS5 table over ``articles`` (``content="articles"``), created by
  sqlite-utils' own ``enable_fts`` and kept in step by its triggers (``articles_ai``,
  ``articles_ad``, ``articles_au``), so ``sqlite-utils search ARCHIVE articles "dân vận"`` and
  Datasette's ``?_search=`` work on the archive. Its tokenizer is
  ``unicode61 remove_diacritics 2``: ``dan van`` finds ``dân vận`` there, but ``đ`` stays
  ``đ`` (``thu duc`` does not find ``Thủ Đức``; ``monitor search`` does). The monitor itself
  never searches it.

The monitor's two tables use ``unicode61 remove_diacritics 0``: the folding is done here, in
Python, because no SQLite tokenizer folds ``đ`` or letters carrying two marks (see
LANGUAGE.md). Each has six columns (``COLUMNS``): the three fields' syllables, then the same
fields' syllable pairs (``monitor.text.syllable_pairs``), so that a phrase is searched as a
phrase of pair tokens — ``"công an"`` is one token's list, not the intersection of the lists of
``công`` and ``an``, each in nearly every article. A pair token never equals a syllable, so a
query needs no column filter: single syllables are found in the first three columns, pairs in
the last three.

The order of the columns in each table (``LAYOUT``, migration 14) puts ``body_pairs`` first:
for each term and row FTS5 writes the column number before the positions of any column but the
first, and the pairs of the body, nearly all found once in an article, are most of those
entries (``bench/bench_store.py``: each table 18–19 % smaller; ``STANDARD_LAYOUT`` puts
``body`` first in ``articles_fts`` for the same reason). Queries name columns; only BM25's
weights go by position (``WEIGHTS``), and with whole-number weights the scores are the same
to the bit in any order.

They are *contentless* (``content=''``): they hold the index only, the text being in
``articles`` already. FTS5 (SQLite 3.40) removes a contentless row only when given the values it
was indexed with, so ``unindex_article`` recomputes them from the ``articles`` row, and must run
while that row still holds the indexed text; a change to ``fold``, ``matching_form`` or
``syllable_pairs`` therefore needs a migration that rebuilds the tables (``rebuild``). The rows
are written in the same transaction as the article (``index_article``, ``unindex_article``);
nothing else writes them. The standard table's triggers run in that transaction too.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable

from sqlite_utils import Database

from monitor.clock import span
from monitor.errors import InputError
from monitor.text import fold, matching_form, pairs_text, strip_common_marks, strip_marks

log = logging.getLogger("monitor.archive")

EXACT_TABLE = "articles_fts_exact"
FOLDED_TABLE = "articles_fts_folded"
STANDARD_TABLE = "articles_fts"  # the name sqlite-utils' enable_fts gives, Datasette expects
STANDARD_TOKENIZER = "unicode61 remove_diacritics 2"
# Its update trigger (sqlite-utils' name): only an UPDATE of these columns re-indexes a row.
STANDARD_UPDATE_TRIGGER = "articles_au"
TABLES = (EXACT_TABLE, FOLDED_TABLE, STANDARD_TABLE)
FIELDS = ("title", "lead", "body")
COLUMNS = (*FIELDS, *(f"{field}_pairs" for field in FIELDS))  # as values are given
# The columns in the order each table holds them (see above); the order up to migration 14:
LAYOUT = ("body_pairs", "title", "lead", "body", "title_pairs", "lead_pairs")
SHIPPED_LAYOUT = COLUMNS
STANDARD_LAYOUT = ("body", "title", "lead")  # articles_fts; FIELDS up to migration 14
# bm25 weights, by position in LAYOUT: a title hit above a lead hit above a body hit, pairs as
# syllables. Whole numbers: a hit's weights add up exactly, in whatever order.
_FIELD_WEIGHTS = {"title": "10.0", "lead": "3.0", "body": "1.0"}


def weights(layout: tuple[str, ...]) -> str:
    """bm25's weight arguments for a table whose columns are in the order ``layout``."""
    return ", ".join(_FIELD_WEIGHTS[column.removesuffix("_pairs")] for column in layout)


WEIGHTS = weights(LAYOUT)
FORMS: tuple[tuple[str, Callable[[str], str]], ...] = (
    (EXACT_TABLE, matching_form),
    (FOLDED_TABLE, fold),
)
_TOKENIZER = "unicode61 remove_diacritics 0"
# How SQLite words the errors of a query it cannot parse (anything else is a storage error).
_QUERY_ERRORS = ("fts5:", "no such column", "unterminated string", "unknown special query")
_NAMES = ", ".join(COLUMNS)
_PLACES = ", ".join("?" * (1 + len(COLUMNS)))  # the rowid, then each column
INSERT = f"INSERT INTO {{table}} (rowid, {_NAMES}) VALUES ({_PLACES})"
_DELETE = f"INSERT INTO {{table}} ({{table}}, rowid, {_NAMES}) VALUES ('delete', {_PLACES})"
_OLD = ", ".join(f'old."{field}"' for field in FIELDS)
_NEW = ", ".join(f'new."{field}"' for field in FIELDS)
_QUOTED = ", ".join(f'"{field}"' for field in FIELDS)
# sqlite-utils' articles_au, but fired only by an UPDATE that sets an indexed column (or the
# id). 'INSERT INTO "articles_fts"' as sqlite-utils writes it: its disable_fts finds it so.
_STANDARD_UPDATE = f"""
    CREATE TRIGGER "{STANDARD_UPDATE_TRIGGER}"
    AFTER UPDATE OF "article_id", {_QUOTED} ON "articles" BEGIN
      INSERT INTO "{STANDARD_TABLE}" ("{STANDARD_TABLE}", rowid, {_QUOTED})
        VALUES ('delete', old.rowid, {_OLD});
      INSERT INTO "{STANDARD_TABLE}" (rowid, {_QUOTED}) VALUES (new.rowid, {_NEW});
    END
"""


def columns_of(fields: Iterable[str]) -> tuple[str, ...]:
    """The columns of the monitor's two tables that index ``fields`` (some of ``FIELDS``):
    their syllables, then their syllable pairs (for an FTS5 column filter)."""
    chosen = [field for field in FIELDS if field in set(fields)]
    return (*chosen, *(f"{field}_pairs" for field in chosen))


def create_tables(
    db: Database,
    names: Iterable[str] = (EXACT_TABLE, FOLDED_TABLE),
    layout: tuple[str, ...] = LAYOUT,
) -> None:
    """Create the monitor's two FTS5 tables (empty), under ``names`` (exact, then folded), with
    their columns in the order ``layout``."""
    assert sorted(layout) == sorted(COLUMNS)
    for table in names:
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(layout)},"
            f" content = '', tokenize = '{_TOKENIZER}')"
        )


def field_values(form: Callable[[str], str], text: str) -> tuple[str, str]:
    """A field as a table indexes it: in ``form``, and that form's syllable pairs."""
    formed = form(text)
    return formed, pairs_text(formed)


def row_values(fields: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """A table's six values from its three fields' ``field_values``: forms, then pairs."""
    forms, pairs = zip(*fields, strict=True)
    return (*forms, *pairs)


def table_values(
    form: Callable[[str], str], title: str, lead: str | None, body: str
) -> tuple[str, ...]:
    """What a table indexes for an article (see ``field_values``, ``row_values``)."""
    return row_values(field_values(form, field) for field in (title, lead or "", body))


IndexValues = tuple[tuple[str, ...], ...]  # an article's row in each table of FORMS, in order


def index_values(title: str, lead: str | None, body: str) -> IndexValues:
    """What the monitor's two tables index for an article: pure, so a reparse computes it in
    its worker processes and the one writer only writes it. ``table_values`` for each table of
    ``FORMS``, the folded values made from the exact ones: ``fold`` is ``strip_marks`` of
    ``matching_form``, and where a field is made of the characters ``strip_common_marks``
    takes, its syllable pairs stripped are the pairs of its folded form."""
    exact = [(form, pairs_text(form)) for form in map(matching_form, (title, lead or "", body))]
    return row_values(exact), row_values(_folded(form, pairs) for form, pairs in exact)


def _folded(form: str, pairs: str) -> tuple[str, str]:
    """A field's folded values from its exact ones (``field_values(strip_marks, form)``)."""
    folded = strip_marks(form)
    stripped = strip_common_marks(pairs)
    return folded, pairs_text(folded) if stripped is None else stripped


def index_article(
    db: Database, article_id: int, title: str, lead: str | None, body: str,
    values: IndexValues | None = None,
) -> None:  # fmt: skip
    """Index a new article, or an article whose old text ``unindex_article`` removed;
    ``values``: its ``index_values``, when computed already."""
    rows = values or index_values(title, lead, body)
    for (table, _), row in zip(FORMS, rows, strict=True):
        db.execute(INSERT.format(table=table), (article_id, *row))


def unindex_article(db: Database, article_id: int) -> None:
    """Remove the article from both tables, while its ``articles`` row still holds the text it
    was indexed with (nothing happens when there is no row)."""
    row = db.execute(
        "SELECT title, lead, body FROM articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return
    for (table, _), values in zip(FORMS, index_values(*row), strict=True):
        db.execute(_DELETE.format(table=table), (article_id, *values))


REBUILD_INTERVAL = 10.0  # seconds between two progress lines of a rebuild


def rebuild(
    db: Database,
    names: tuple[str, str] = (EXACT_TABLE, FOLDED_TABLE),
    layout: tuple[str, ...] = LAYOUT,
    *,
    interval: float = REBUILD_INTERVAL,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Drop the monitor's two tables and index every archived article anew (a migration's
    work); ``names`` and ``layout``: the exact and the folded table's names and their columns'
    order at that migration. Minutes on a large archive: a log line every ``interval``
    seconds says how far it is (``RebuildLog``)."""
    for table in names:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    create_tables(db, names, layout)
    total: int = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    progress = RebuildLog(total, interval, clock)
    rows = db.conn.execute("SELECT article_id, title, lead, body FROM articles")
    for done, (article_id, title, lead, body) in enumerate(rows, 1):
        for table, values in zip(names, index_values(title, lead, body), strict=True):
            db.execute(INSERT.format(table=table), (article_id, *values))
        progress(done)
    progress.close()


class RebuildLog:
    """A rebuild's progress in the log: at most one line every ``interval`` seconds, and one
    at the end when any came before (a small archive's rebuild says nothing)."""

    def __init__(self, total: int, interval: float, clock: Callable[[], float]) -> None:
        self.total = total
        self.interval = interval
        self.clock = clock
        self.started = self.shown = clock()
        self.done = 0
        self.lines = 0

    def __call__(self, done: int) -> None:
        self.done = done
        now = self.clock()
        if now - self.shown >= self.interval:
            self._show(now)

    def close(self) -> None:
        if self.lines and self.done:
            self._show(self.clock())

    def _show(self, now: float) -> None:
        self.shown = now
        self.lines += 1
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        log.info(
            "search index: %s of %s articles indexed anew, %s/s, about %s left",
            f"{self.done:,}",
            f"{self.total:,}",
            f"{rate:,.0f}",
            span(left),
        )


def enable_standard(db: Database, layout: tuple[str, ...] = STANDARD_LAYOUT) -> None:
    """Create ``articles_fts`` over ``articles`` with sqlite-utils' ``enable_fts`` (filled from
    the articles archived, with its three triggers; its columns in the order ``layout``), then
    narrow its update trigger to the indexed columns: the monitor updates other columns of
    every article (``last_seen_at``, ``matched_hash``, ``on_topic``), which would otherwise
    re-index the whole text each time."""
    assert sorted(layout) == sorted(FIELDS)
    db.table("articles").enable_fts(layout, tokenize=STANDARD_TOKENIZER, create_triggers=True)
    db.execute(f"DROP TRIGGER {STANDARD_UPDATE_TRIGGER}")
    db.execute(_STANDARD_UPDATE)


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
    for table in TABLES:
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def integrity_problems(db: Database) -> list[str]:
    """FTS5's ``integrity-check`` of each table (the standard one also against ``articles``):
    one line per table that fails it, empty when all pass."""
    problems = []
    for table in TABLES:
        try:
            db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            problems.append(f"{table}: {error}")
    return problems
