"""Reads for the daemon's health checks: what a run stored, when something was last new, and
how fast the archive grows."""

from __future__ import annotations

from sqlite_utils import Database


def stored_between(db: Database, started: str, finished: str) -> dict[str, int]:
    """Articles first stored in [started, finished], quarantined pages seen then, and how many
    of the stored articles' bodies did not come from the site profile (generic fallback)."""
    (stored, profile_misses) = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(json_extract(extraction, '$.body') != 'profile'), 0)"
        " FROM articles WHERE first_seen_at BETWEEN ? AND ?",
        (started, finished),
    ).fetchone()
    (quarantined,) = db.execute(
        "SELECT COUNT(*) FROM quarantine WHERE last_seen_at BETWEEN ? AND ?",
        (started, finished),
    ).fetchone()
    return {"stored": stored, "profile_misses": profile_misses, "quarantined": quarantined}


def latest_first_seen(db: Database) -> str | None:
    """When the newest article was first stored."""
    (value,) = db.execute("SELECT MAX(first_seen_at) FROM articles").fetchone()
    latest: str | None = value
    return latest


def publishing(db: Database, since: str) -> tuple[int, str | None, int]:
    """Articles archived, the oldest publication time among them, and how many were published
    at or after ``since``: what the archive's growth is estimated from."""
    (articles, oldest, recent) = db.execute(
        "SELECT COUNT(*), MIN(published_at), COALESCE(SUM(published_at >= ?), 0) FROM articles",
        (since,),
    ).fetchone()
    return articles, oldest, recent
