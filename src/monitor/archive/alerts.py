"""Matches and the alert outbox.

A match is an (article, rule, field, offsets) found by the matcher for the article's *current*
content; re-matching an edited article replaces its matches. An alert is one row per
(article, rule, channel), written in the same transaction as the match that caused it and never
twice (the unique key): an edited article alerts again only for a rule that newly matches it.
Delivery moves an alert from 'pending' to 'sent' only after its channel accepted it; failures
are retried at ``next_attempt_at``, and an alert that keeps failing past the retry window
becomes 'failed' until ``retry_failed``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any, Literal

from sqlite_utils import Database

from monitor.archive.rows import (
    AlertMatch,
    AlertRow,
    ArticleAlert,
    ArticleText,
    MatchRow,
    StoredMatch,
)

AlertStatus = Literal["pending", "sent", "failed"]

TABLES = (
    """
    CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        keyword TEXT NOT NULL,
        field TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        snippet TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        matched_at TEXT NOT NULL,
        UNIQUE (article_id, rule, field, start, "end")
    )
    """,
    "CREATE INDEX matches_rule ON matches (rule, article_id)",
    """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
        rule TEXT NOT NULL,
        channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        next_attempt_at TEXT NOT NULL,
        sent_at TEXT,
        last_error TEXT,
        UNIQUE (article_id, rule, channel)
    )
    """,
    "CREATE INDEX alerts_due ON alerts (status, channel, next_attempt_at)",
    "ALTER TABLE articles ADD COLUMN matched_hash TEXT",
)


def create_tables(db: Database) -> None:
    for statement in TABLES:
        db.execute(statement)


_UNMATCHED = "(matched_hash IS NULL OR matched_hash != content_hash)"


def unmatched_articles(
    db: Database, limit: int, after: int = -1, among: list[int] | None = None
) -> list[ArticleText]:
    """Articles whose current content has not been matched yet, of ids above ``after`` (and
    in ``among``, when given), lowest id first: a bulk job pages through them by id."""
    where, args = _unmatched_where(after, among)
    rows = db.execute(
        "SELECT article_id, section, title, lead, body, content_hash, published_at,"
        f" first_seen_at FROM articles WHERE {where} ORDER BY article_id LIMIT ?",
        (*args, limit),
    )
    return [ArticleText(*row) for row in rows]


def count_unmatched(db: Database, after: int = -1, among: list[int] | None = None) -> int:
    """How many articles ``unmatched_articles`` would give, all pages together."""
    where, args = _unmatched_where(after, among)
    count: int = db.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", args).fetchone()[0]
    return count


def _unmatched_where(after: int, among: list[int] | None) -> tuple[str, tuple[object, ...]]:
    where = f"article_id > ? AND {_UNMATCHED}"
    if among is None:
        return where, (after,)
    return f"{where} AND article_id IN (SELECT value FROM json_each(?))", (after, json.dumps(among))


def record_matches(
    db: Database,
    article_id: int,
    content_hash: str,
    matches: Iterable[MatchRow],
    alerts: Iterable[tuple[str, str]],
    *,
    on_topic: bool,
    now: str,
) -> int:
    """Replace the article's matches, queue the (rule, channel) alerts not queued before, set
    on_topic and the matched hash; returns how many alerts are new. Caller holds the transaction."""
    db.execute("DELETE FROM matches WHERE article_id = ?", (article_id,))
    for match in matches:
        db.execute(
            'INSERT OR IGNORE INTO matches (article_id, rule, keyword, field, start, "end",'
            " snippet, content_hash, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, match.rule, match.keyword, match.field, match.start, match.end,
             match.snippet, content_hash, now),
        )  # fmt: skip
    new_alerts = 0
    for rule, channel in alerts:
        cursor = db.execute(
            "INSERT OR IGNORE INTO alerts (article_id, rule, channel, status, created_at,"
            " next_attempt_at) VALUES (?, ?, ?, 'pending', ?, ?)",
            (article_id, rule, channel, now, now),
        )
        new_alerts += cursor.rowcount
    db.execute(
        "UPDATE articles SET matched_hash = ?, on_topic = ? WHERE article_id = ?",
        (content_hash, int(on_topic), article_id),
    )
    return new_alerts


def forget_matched(db: Database, since: str | None) -> int:
    """Mark articles (published at or after ``since``, or all) as not matched yet."""
    where, args = ("WHERE published_at >= ?", (since,)) if since else ("", ())
    return db.execute(f"UPDATE articles SET matched_hash = NULL {where}", args).rowcount


_ALERT_COLUMNS = (
    "a.id, a.article_id, a.rule, a.channel, a.status, a.attempts, a.created_at,"
    " a.next_attempt_at, a.sent_at, a.last_error, r.title, r.section, r.published_at,"
    " r.published_precision, r.canonical_url, r.lead,"
    " (SELECT json_object('keyword', m.keyword, 'field', m.field, 'start', m.start,"
    "   'end', m.\"end\", 'snippet', m.snippet) FROM matches m"
    "   WHERE m.article_id = a.article_id AND m.rule = a.rule"
    "   ORDER BY CASE m.field WHEN 'title' THEN 0 WHEN 'lead' THEN 1 ELSE 2 END, m.start"
    "   LIMIT 1) AS match"
)


def _alert(row: tuple[Any, ...]) -> AlertRow:
    names = [field.name for field in fields(AlertRow) if field.name != "match"]
    columns = dict(zip(names, row[:-1], strict=True))
    return AlertRow(**columns, match=AlertMatch(**json.loads(row[-1])) if row[-1] else None)


def due_alerts(db: Database, channel: str, now: str, limit: int) -> list[AlertRow]:
    """Pending alerts of ``channel`` whose next attempt is due, oldest first."""
    rows = db.execute(
        f"SELECT {_ALERT_COLUMNS} FROM alerts a JOIN articles r USING (article_id)"
        " WHERE a.status = 'pending' AND a.channel = ? AND a.next_attempt_at <= ?"
        " ORDER BY a.id LIMIT ?",
        (channel, now, limit),
    )
    return [_alert(row) for row in rows]


def list_alerts(db: Database, status: AlertStatus | None, limit: int) -> list[AlertRow]:
    where, args = ("WHERE a.status = ?", (status,)) if status else ("", ())
    rows = db.execute(
        f"SELECT {_ALERT_COLUMNS} FROM alerts a JOIN articles r USING (article_id)"
        f" {where} ORDER BY a.id DESC LIMIT ?",
        (*args, limit),
    )
    return [_alert(row) for row in rows]


def add_sending_column(db: Database) -> None:
    """Migration 5: ``alerts.sending_since``, set while a message is with its channel."""
    db.execute("ALTER TABLE alerts ADD COLUMN sending_since TEXT")


def mark_sending(db: Database, alert_ids: Iterable[int], now: str) -> None:
    for alert_id in alert_ids:
        db.execute(
            "UPDATE alerts SET sending_since = ? WHERE id = ? AND status = 'pending'",
            (now, alert_id),
        )


def sending_alerts(db: Database) -> list[tuple[int, str]]:
    """(id, channel) of alerts a crashed delivery left with their channel, outcome unknown."""
    rows = db.execute(
        "SELECT id, channel FROM alerts WHERE sending_since IS NOT NULL AND status = 'pending'"
        " ORDER BY id"
    )
    return [(alert_id, channel) for alert_id, channel in rows]


def clear_sending(db: Database, alert_ids: Iterable[int]) -> None:
    for alert_id in alert_ids:
        db.execute("UPDATE alerts SET sending_since = NULL WHERE id = ?", (alert_id,))


def mark_sent(db: Database, alert_ids: Iterable[int], now: str) -> None:
    for alert_id in alert_ids:
        db.execute(
            "UPDATE alerts SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
            " last_error = NULL, sending_since = NULL WHERE id = ? AND status = 'pending'",
            (now, alert_id),
        )


def mark_failed_attempt(
    db: Database, alert_ids: Iterable[int], error: str, next_attempt_at: str | None
) -> None:
    """One more failed attempt; ``next_attempt_at`` None means give up ('failed')."""
    for alert_id in alert_ids:
        db.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?, sending_since = NULL,"
            " status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,"
            " next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ? AND status = 'pending'",
            (error[:500], next_attempt_at, next_attempt_at, alert_id),
        )


def retry_failed(db: Database, now: str, ids: Iterable[int] | None = None) -> int:
    """Failed alerts (all, or those ``ids``) back to pending, due now; returns how many."""
    if ids is None:
        return db.execute(
            "UPDATE alerts SET status = 'pending', attempts = 0, next_attempt_at = ?"
            " WHERE status = 'failed'",
            (now,),
        ).rowcount
    return sum(
        db.execute(
            "UPDATE alerts SET status = 'pending', attempts = 0, next_attempt_at = ?"
            " WHERE status = 'failed' AND id = ?",
            (now, alert_id),
        ).rowcount
        for alert_id in ids
    )


def alert_counts(db: Database) -> dict[str, int]:
    counts = {"pending": 0, "sent": 0, "failed": 0}
    for status, count in db.execute("SELECT status, COUNT(*) FROM alerts GROUP BY status"):
        counts[status] = count
    return counts


def matches_of(db: Database, article_id: int) -> list[StoredMatch]:
    rows = db.execute(
        'SELECT rule, keyword, field, start, "end", snippet, matched_at FROM matches'
        " WHERE article_id = ? ORDER BY rule, field, start",
        (article_id,),
    )
    return [StoredMatch(*row) for row in rows]


def alerts_of(db: Database, article_id: int) -> list[ArticleAlert]:
    """The article's alerts, oldest first: rule, channel, status, attempts, times, last error."""
    keys = [field.name for field in fields(ArticleAlert)]
    rows = db.execute(
        f"SELECT {', '.join(keys)} FROM alerts WHERE article_id = ? ORDER BY id", (article_id,)
    )
    return [ArticleAlert(*row) for row in rows]
