"""The monitor's one error hierarchy.

Every error the library raises on purpose is a ``MonitorError``; each carries the context
needed to say what went wrong (a path, a key, a URL, a rule, a channel). Errors are turned
into human messages only at the edges (the CLI and the daemon's log) via ``str(error)``.

    MonitorError
    ├── ConfigError            bad configuration: a key, a value, an unreadable file
    ├── InputError             bad user input: a file that is missing, empty or not HTML
    ├── ExtractionError        a page could not be turned into a record at all
    ├── StorageError           the archive could not be opened or written
    ├── FetchError             the site could not be reached or answered with an error
    ├── DeliveryError          an alert channel refused or failed a message
    └── LockedError            another process holds the archive's lock (``monitor.locks``)
        ├── CrawlLockedError   another crawl is running on the archive
        └── DaemonRunningError another daemon is running on the archive

"Nothing new" and "skipped" are return values, never exceptions.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error the monitor raises on purpose."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


class ConfigError(MonitorError):
    """Configuration that cannot be used; ``key`` names the offending setting when known."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None) -> None:
        where = " ".join(part for part in (f"in {path}" if path else "", key or "") if part)
        super().__init__(
            f"config error{' ' + where if where else ''}: {message}", key=key, path=path
        )
        self.key = key
        self.path = path


class InputError(MonitorError):
    """User-supplied input (a file, a date, a query, a time handed to the archive) that
    cannot be used."""


class ExtractionError(MonitorError):
    """A page that cannot be turned into a record at all (not HTML, empty)."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(f"{message}{f' ({url})' if url else ''}", url=url)
        self.url = url


class StorageError(MonitorError):
    """The archive cannot be opened, migrated or written."""


class FetchError(MonitorError):
    """The site could not be reached, or answered with an error."""


class DeliveryError(MonitorError):
    """An alert channel refused or failed to deliver a message."""


class LockedError(MonitorError):
    """Another process holds the lock this one needs on the archive."""


class CrawlLockedError(LockedError):
    """Another crawl is already running on this archive."""


class DaemonRunningError(LockedError):
    """Another daemon holds this archive."""
