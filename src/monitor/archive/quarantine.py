"""Quarantine: records that lack a title, a body or a publication date never enter ``articles``.

A quarantined record keeps its id "known" (the page is not fetched again: its raw page is
kept, and ``reparse`` retries it with a better parser). Storing a complete record for the
same id releases it from quarantine in the same transaction.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from monitor.record import REQUIRED_FIELDS, ArticleRecord


def quarantine_reasons(record: ArticleRecord) -> list[str]:
    """Why ``record`` is incomplete: one ``"<field> missing"`` per missing required field."""
    return [f"{name} missing" for name in REQUIRED_FIELDS if not getattr(record, name)]


def hold(db: Database, record: ArticleRecord, *, seen_at: str) -> None:
    """Put ``record`` in quarantine, or refresh its row (first sighting kept, latest record)."""
    db.execute(
        """
        INSERT INTO quarantine (article_id, url, first_seen_at, last_seen_at, reasons, record)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (article_id) DO UPDATE SET
            url = excluded.url,
            first_seen_at = MIN(first_seen_at, excluded.first_seen_at),
            last_seen_at = MAX(last_seen_at, excluded.last_seen_at),
            reasons = excluded.reasons,
            record = excluded.record
        """,
        (
            record.article_id,
            record.url,
            seen_at,
            seen_at,
            json.dumps(quarantine_reasons(record), ensure_ascii=False),
            json.dumps(record.to_dict(), ensure_ascii=False),
        ),
    )


def release(db: Database, article_id: int) -> None:
    """Remove the article from quarantine (nothing happens when it is not there)."""
    db.execute("DELETE FROM quarantine WHERE article_id = ?", (article_id,))
