"""Loading many new, complete records at once: benchmark archives and imports.

``store_article`` handles one fetched page: it keeps the raw page and decides between new,
unchanged and updated. ``insert_new_records`` is for records known to be new (an id already
archived is an error, never an overwrite): it writes the same ``articles``, tag, image and
full-text rows ``store_article`` would for a new article, with ``executemany``, and keeps no raw
page (so ``monitor reparse`` cannot rebuild these articles). The full-text values of a text are
computed once per distinct text in a call, which makes synthetic archives built from a few real
pages quick to load.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sqlite_utils import Database

from monitor.archive import fts
from monitor.archive.articles import _article_row, content_hash
from monitor.errors import StorageError
from monitor.record import ArticleRecord


def insert_new_records(db: Database, records: Sequence[ArticleRecord], *, seen_at: str) -> int:
    """Insert complete ``records`` not archived yet, first seen at ``seen_at`` (archive form);
    returns how many. The caller holds the transaction."""
    rows = []
    for record in records:
        if not record.complete:
            raise StorageError(f"article {record.article_id} is incomplete: store it instead")
        row = _article_row(record, content_hash(record), record.url)
        rows.append({**row, "first_seen_at": seen_at, "last_seen_at": seen_at, "version": 1})
    db.table("articles").insert_all(rows, batch_size=500)
    db.conn.executemany(
        "INSERT INTO article_tags (article_id, position, tag) VALUES (?, ?, ?)",
        [(r.article_id, n, tag) for r in records for n, tag in enumerate(r.tags)],
    )
    db.conn.executemany(
        "INSERT INTO article_images (article_id, position, url, caption) VALUES (?, ?, ?, ?)",
        [(r.article_id, n, i.url, i.caption) for r in records for n, i in enumerate(r.images)],
    )
    values = lru_cache(maxsize=4096)(fts.field_values)
    for table, form in fts.FORMS:
        db.conn.executemany(
            fts.INSERT.format(table=table),
            [
                (r.article_id, *fts.row_values(values(form, text) for text in _texts(r)))
                for r in records
            ],
        )
    return len(rows)


def _texts(record: ArticleRecord) -> tuple[str, str, str]:
    assert record.title is not None and record.body is not None  # checked by insert_new_records
    return record.title, record.lead or "", record.body
