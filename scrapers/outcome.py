"""A run's outcome and figures, decided from Scrapy's stats and the reason the spider closed.

The spider counts what the outcome depends on in ``crawler.stats`` under the keys below; the
archive pipeline reads them when the spider closes. A run is ``interrupted`` when a signal
stopped it, ``failed`` when the archive's disk filled, a host of the site did not resolve or no
entry point answered (the site is unreachable) or Scrapy closed it for another reason, else
``ok``; an ok run is *complete* when every article it discovered was stored (or skipped): only
then do validators and walks advance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

ENTRY_PAGES = "monitor/entry_pages"  # entry pages that answered (200 or 304)
ENTRY_ERRORS = "monitor/entry_errors"  # entry pages that failed
FIRST_ENTRY_ERROR = "monitor/first_entry_error"  # "URL: reason" of the first of them
FAILED_ARTICLES = "monitor/failed_articles"
NOT_MODIFIED = "monitor/not_modified"
LISTING_ARTICLES = "monitor/listing_articles"
ROBOTS_FORBIDDEN = "monitor/robots_forbidden"
GONE = "monitor/gone"
RECHECKED_UNCHANGED = "monitor/rechecked_unchanged"
STORED = "monitor/stored/"  # + the store outcome: new, updated, unchanged, quarantined
UNRESOLVED = "monitor/unresolved"  # "cannot resolve HOST …": a name lookup ended the run
UNRESOLVED_CLOSE = "site_unresolved"  # the reason the spider is closed with then
ARCHIVE_FULL = "monitor/archive_full"  # the one line of the error: the archive's disk is full
ARCHIVE_FULL_CLOSE = "archive_full"  # the reason the spider is closed with then

Status = Literal["ok", "failed", "interrupted"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: str | None = None
    complete: bool = False  # ok, and every discovered article stored or skipped


def run_outcome(stats: Mapping[str, Any], reason: str) -> Outcome:
    """The outcome of a run whose spider closed for ``reason`` with ``stats``."""
    if reason in ("shutdown", "cancelled"):
        return Outcome("interrupted", "stopped by a signal")
    if stats.get(ARCHIVE_FULL):
        return Outcome("failed", str(stats[ARCHIVE_FULL]))
    if stats.get(UNRESOLVED):
        return Outcome("failed", f"site unreachable: {stats[UNRESOLVED]}")
    if not stats.get(ENTRY_PAGES) and stats.get(ENTRY_ERRORS):
        return Outcome("failed", f"site unreachable: {stats.get(FIRST_ENTRY_ERROR)}")
    if reason != "finished":
        return Outcome("failed", reason)
    return Outcome("ok", complete=not stats.get(FAILED_ARTICLES))


def run_figures(stats: Mapping[str, Any]) -> dict[str, int]:
    """The run's figures that the spider and Scrapy counted (the archive counts the rest)."""
    errors = sum(
        int(count)
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/") and int(key.rsplit("/", 1)[1]) >= 400
    )
    return {
        "requests": int(stats.get("downloader/request_count", 0)),
        "bytes": int(stats.get("downloader/response_bytes", 0)),
        "listing_articles": int(stats.get(LISTING_ARTICLES, 0)),
        "entry_pages": int(stats.get(ENTRY_PAGES, 0)),
        "not_modified": int(stats.get(NOT_MODIFIED, 0)),
        "http_errors": errors,
        "fetch_errors": int(stats.get("downloader/exception_count", 0)),
    }
