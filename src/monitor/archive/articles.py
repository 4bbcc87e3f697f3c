"""Articles: the current content of each complete article, its tags, images and history.

``store_complete`` decides between three outcomes by ``content_hash``, a sha256 over the
canonical JSON of the content fields (``CONTENT_FIELDS``: title, lead, body, published_at,
updated_at, author, tags, images — not extraction, problems or timestamps):

- no row yet → **new**: version 1, ``first_seen_at = last_seen_at`` = the fetch time;
- same hash → **unchanged**: only ``last_seen_at`` moves (to the later of the two times), and
  ``extraction`` and ``problems`` say how this reading found the same content;
- other hash → **updated**: the *old* content, tags and images are copied to
  ``article_versions`` (its version number, ``captured_at`` = the fetch that replaced it),
  then the row takes the new content and ``version + 1``. Nothing is overwritten silently:
  version *k* was current from ``captured_at`` of version *k − 1* (or ``first_seen_at``)
  to its own ``captured_at``.

Tags, images and the FTS rows are rewritten with the article (the monitor's two tables here,
``articles_fts`` by its triggers). Every function here runs inside the caller's transaction
(see ``transaction``). Rows are written with plain SQL, not sqlite-utils' ``insert``/``update``:
those open a savepoint each, and FTS5 writes its pending index data out at every savepoint, so
a batch of new articles paid for one small index segment per row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any, Literal

from sqlite_utils import Database

from monitor.archive import fts, quarantine
from monitor.archive.rows import ArticleVersion, StoredArticle
from monitor.record import ArticleRecord, Image

StoreOutcome = Literal["new", "updated", "unchanged", "quarantined"]

CONTENT_FIELDS = ("title", "lead", "body", "published_at", "updated_at", "author")


def content_of(record: ArticleRecord) -> dict[str, Any]:
    """The fields that make up an article's content, as JSON-ready data."""
    content: dict[str, Any] = {name: getattr(record, name) for name in CONTENT_FIELDS}
    content["tags"] = list(record.tags)
    content["images"] = [{"url": image.url, "caption": image.caption} for image in record.images]
    return content


def content_hash(record: ArticleRecord) -> str:
    """sha256 (hex) of the canonical JSON of ``content_of(record)``."""
    canonical = json.dumps(
        content_of(record), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """A record with what storing it computes, computed ahead: ``prepare`` runs in a
    reparse's worker processes, so that the one writer only writes."""

    record: ArticleRecord
    digest: str  # content_hash(record)
    index: fts.IndexValues | None = None  # its full-text rows (None: computed when needed)


def prepare(record: ArticleRecord, archived: str | None) -> Prepared:
    """``record`` with its content hash, and its full-text rows when it will need them: it is
    complete and its hash is not ``archived`` (the archived article's, None for none)."""
    digest = content_hash(record)
    if not record.complete or digest == archived:
        return Prepared(record, digest)
    assert record.title is not None and record.body is not None  # a complete record
    return Prepared(record, digest, fts.index_values(record.title, record.lead, record.body))


def store_complete(
    db: Database, record: ArticleRecord | Prepared, *, seen_at: str, fetched_url: str
) -> StoreOutcome:
    """Archive a complete record (see the module docstring for the outcomes)."""
    prepared = record if isinstance(record, Prepared) else Prepared(record, content_hash(record))
    record, digest = prepared.record, prepared.digest
    quarantine.release(db, record.article_id)
    current = db.execute(
        "SELECT content_hash, version FROM articles WHERE article_id = ?", (record.article_id,)
    ).fetchone()
    if current is None:
        row = _article_row(record, digest, fetched_url)
        row.update(first_seen_at=seen_at, last_seen_at=seen_at, version=1)
        insert_row(db, "articles", row)
        _write_children(db, prepared)
        return "new"
    old_hash, old_version = current
    if old_hash == digest:
        _touch(db, record.article_id, seen_at)
        _note_reading(db, record)
        return "unchanged"
    _keep_version(db, record.article_id, captured_at=seen_at)
    fts.unindex_article(db, record.article_id)  # while the row holds the indexed text
    row = _article_row(record, digest, fetched_url)
    row["version"] = old_version + 1
    assignments = ", ".join(f'"{name}" = ?' for name in row)
    db.execute(
        f"UPDATE articles SET {assignments} WHERE article_id = ?",
        (*row.values(), record.article_id),
    )
    _touch(db, record.article_id, seen_at)
    _write_children(db, prepared)
    return "updated"


def _article_row(record: ArticleRecord, digest: str, fetched_url: str) -> dict[str, Any]:
    """The ``articles`` columns taken from the record (all but times, version, on_topic)."""
    return {
        "article_id": record.article_id,
        "url": record.url,
        "canonical_url": record.canonical_url,
        "section": record.section,
        **{name: getattr(record, name) for name in CONTENT_FIELDS},
        "published_precision": record.published_precision,
        "content_hash": digest,
        "extraction": json.dumps(record.extraction, ensure_ascii=False),
        "problems": json.dumps(list(record.problems), ensure_ascii=False),
        "fetched_url": fetched_url,
    }


def _touch(db: Database, article_id: int, seen_at: str) -> None:
    db.execute(
        "UPDATE articles SET last_seen_at = MAX(last_seen_at, ?) WHERE article_id = ?",
        (seen_at, article_id),
    )


def _note_reading(db: Database, record: ArticleRecord) -> None:
    """How the unchanged content was read this time: a reparse with a new profile reads the
    same values from other layers, and says so."""
    db.execute(
        "UPDATE articles SET extraction = ?, problems = ? WHERE article_id = ?",
        (
            json.dumps(record.extraction, ensure_ascii=False),
            json.dumps(list(record.problems), ensure_ascii=False),
            record.article_id,
        ),
    )


def _write_children(db: Database, prepared: Prepared) -> None:
    """Replace the article's tags, images and FTS rows by the record's."""
    record = prepared.record
    article_id = record.article_id
    db.execute("DELETE FROM article_tags WHERE article_id = ?", (article_id,))
    db.execute("DELETE FROM article_images WHERE article_id = ?", (article_id,))
    db.conn.executemany(
        "INSERT INTO article_tags (article_id, position, tag) VALUES (?, ?, ?)",
        [(article_id, position, tag) for position, tag in enumerate(record.tags)],
    )
    db.conn.executemany(
        "INSERT INTO article_images (article_id, position, url, caption) VALUES (?, ?, ?, ?)",
        [
            (article_id, position, image.url, image.caption)
            for position, image in enumerate(record.images)
        ],
    )
    assert record.title is not None and record.body is not None  # a complete record
    fts.index_article(db, article_id, record.title, record.lead, record.body, prepared.index)


def _keep_version(db: Database, article_id: int, *, captured_at: str) -> None:
    """Copy the article's current content, tags and images to ``article_versions``."""
    current = get_article(db, article_id)
    assert current is not None  # the caller has just read its row
    saved = current.to_dict()
    version = {name: saved[name] for name in (*CONTENT_FIELDS, "content_hash", "version")}
    version.update(
        article_id=article_id,
        captured_at=captured_at,
        tags=json.dumps(saved["tags"], ensure_ascii=False),
        images=json.dumps(saved["images"], ensure_ascii=False),
    )
    insert_row(db, "article_versions", version)


def insert_row(db: Database, table: str, row: dict[str, Any]) -> None:
    """``INSERT`` one row of trusted column names (this module's own) into ``table``."""
    names = ", ".join(f'"{name}"' for name in row)
    places = ", ".join("?" * len(row))
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({places})", tuple(row.values()))


def get_article(db: Database, article_id: int) -> StoredArticle | None:
    """The archived article with its tags and images, or None."""
    rows = list(db.query("SELECT * FROM articles WHERE article_id = ?", (article_id,)))
    if not rows:
        return None
    tags = [
        tag
        for (tag,) in db.execute(
            "SELECT tag FROM article_tags WHERE article_id = ? ORDER BY position", (article_id,)
        )
    ]
    images = [
        Image(url, caption)
        for url, caption in db.execute(
            "SELECT url, caption FROM article_images WHERE article_id = ? ORDER BY position",
            (article_id,),
        )
    ]
    return StoredArticle.from_row(rows[0], tags, images)


def get_articles(db: Database, ids: list[int]) -> list[StoredArticle]:
    """The archived articles of ``ids``, in that order (an id not archived is left out): what
    ``get_article`` gives each, read in three queries for all of them."""
    listed = json.dumps(ids)
    rows = {
        row["article_id"]: row
        for row in db.query(
            "SELECT * FROM articles WHERE article_id IN (SELECT value FROM json_each(?))",
            (listed,),
        )
    }
    tags: dict[int, list[str]] = {}
    for article_id, tag in db.execute(
        "SELECT article_id, tag FROM article_tags WHERE article_id IN"
        " (SELECT value FROM json_each(?)) ORDER BY article_id, position",
        (listed,),
    ):
        tags.setdefault(article_id, []).append(tag)
    images: dict[int, list[Image]] = {}
    for article_id, url, caption in db.execute(
        "SELECT article_id, url, caption FROM article_images WHERE article_id IN"
        " (SELECT value FROM json_each(?)) ORDER BY article_id, position",
        (listed,),
    ):
        images.setdefault(article_id, []).append(Image(url, caption))
    return [
        StoredArticle.from_row(rows[i], tags.get(i, []), images.get(i, []))
        for i in ids
        if i in rows
    ]


def get_versions(db: Database, article_id: int) -> list[ArticleVersion]:
    """The article's earlier versions, oldest first."""
    rows = db.execute(
        "SELECT version, captured_at, content_hash, title, lead, body, published_at,"
        " updated_at, author, tags, images FROM article_versions"
        " WHERE article_id = ? ORDER BY version",
        (article_id,),
    )
    names = [field.name for field in fields(ArticleVersion)][:-2]
    return [
        ArticleVersion(
            **dict(zip(names, row[:-2], strict=True)),
            tags=tuple(json.loads(row[-2])),
            images=tuple(Image(**image) for image in json.loads(row[-1])),
        )
        for row in rows
    ]


def delete_article(db: Database, article_id: int) -> bool:
    """Remove every trace of the article (row, history, FTS, quarantine, raw page).

    Returns whether there was anything to remove.
    """
    fts.unindex_article(db, article_id)
    removed = 0
    for table in ("articles", "quarantine", "raw_pages"):
        removed += db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,)).rowcount
    return removed > 0


def set_on_topic(db: Database, article_id: int, on_topic: bool) -> bool:
    """Set the article's ``on_topic`` flag; returns whether the article exists."""
    cursor = db.execute(
        "UPDATE articles SET on_topic = ? WHERE article_id = ?", (int(on_topic), article_id)
    )
    return cursor.rowcount > 0


def known_ids(db: Database, ids: list[int]) -> set[int]:
    """Those of ``ids`` that are archived or quarantined."""
    rows = db.execute(
        """
        SELECT article_id FROM articles WHERE article_id IN (SELECT value FROM json_each(:ids))
        UNION
        SELECT article_id FROM quarantine WHERE article_id IN (SELECT value FROM json_each(:ids))
        """,
        {"ids": json.dumps(ids)},
    )
    return {article_id for (article_id,) in rows}


def content_hashes(db: Database, ids: list[int]) -> dict[int, str]:
    """``content_hash`` of those of ``ids`` that are archived."""
    rows = db.execute(
        "SELECT article_id, content_hash FROM articles"
        " WHERE article_id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ids)},
    )
    return {article_id: digest for article_id, digest in rows}


def published_dates(db: Database, ids: list[int]) -> dict[int, str]:
    """``published_at`` of those of ``ids`` that are archived."""
    rows = db.execute(
        "SELECT article_id, published_at FROM articles"
        " WHERE article_id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ids)},
    )
    return {article_id: published for article_id, published in rows}


def max_article_id(db: Database) -> int | None:
    """The highest id archived or quarantined, ``None`` for an empty archive."""
    row = db.execute(
        "SELECT MAX(article_id) FROM"
        " (SELECT MAX(article_id) AS article_id FROM articles"
        "  UNION ALL SELECT MAX(article_id) FROM quarantine)"
    ).fetchone()
    highest: int | None = row[0]
    return highest


def sections(db: Database) -> list[str]:
    """The sections of the archived articles, sorted (read off the section index)."""
    rows = db.execute("SELECT DISTINCT section FROM articles ORDER BY section")
    return [section for (section,) in rows]


def recent_article_ids(db: Database, since: str | None) -> list[int]:
    """Ids of articles published at or after ``since`` (archive form; all when None), newest
    first."""
    rows = db.execute(
        "SELECT article_id FROM articles WHERE published_at >= coalesce(?, '')"
        " ORDER BY published_at DESC, article_id DESC",
        (since,),
    )
    return [article_id for (article_id,) in rows]


def counts(db: Database) -> dict[str, int]:
    """Row counts: articles, quarantined, versions, runs, raw_pages."""
    tables = {
        "articles": "articles",
        "quarantined": "quarantine",
        "versions": "article_versions",
        "runs": "crawl_runs",
        "raw_pages": "raw_pages",
    }
    return {
        name: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for name, table in tables.items()
    }
