"""The monitor's one error hierarchy.

Every error the library raises on purpose is a ``MonitorError``; each carries the context
needed to say what went wrong (a path, a key, a URL, a rule, a channel). Errors are turned
into human messages only at the edges (the CLI and the daemon's log) via ``str(error)``.

    MonitorError
    ├── ConfigError            bad configuration: a key, a value, an unreadable file (each
    │                          problem found, ``ConfigProblem``s, reported at once)
    ├── InputError             bad user input: a file that is missing, empty or not HTML
    ├── ExtractionError        a page could not be turned into a record at all
    ├── StorageError           the archive could not be opened or written
    ├── FetchError             the site could not be reached or answered with an error
    ├── DeliveryError          an alert channel refused or failed a message
    ├── BackupError            a backup could not be made, read or restored (the path)
    │   └── DamagedError       an archive or a backup failed verification (what is damaged)
    └── LockedError            another process holds the archive's lock (``monitor.locks``)
        ├── CrawlLockedError   another crawl is running on the archive
        └── DaemonRunningError another daemon is running on the archive

"Nothing new" and "skipped" are return values, never exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class MonitorError(Exception):
    """Base of every error the monitor raises on purpose."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def __str__(self) -> str:
        return self.message


class ConfigProblem(NamedTuple):
    """One thing wrong in a configuration: the dotted key when known, and what is wrong."""

    key: str | None
    message: str


class ConfigError(MonitorError):
    """Configuration that cannot be used: one problem, or every problem found at once.

    One problem is one line, naming the file and the key::

        config error in my.toml crawl.timeout: must be a number above 0 ... (got "abc")

    Several are a header and then one line each, so that a user fixes them all in one go::

        config error in my.toml: 2 problems
          crawl.timeout: must be a number above 0 ... (got "abc")
          rules.0.channels: rule 'x': no channel named 'mail' (configured: default)

    ``problems`` holds them all; ``key`` is the one problem's key (None when there are several).
    """

    def __init__(
        self,
        message: str = "",
        *,
        key: str | None = None,
        path: str | None = None,
        problems: Sequence[ConfigProblem] = (),
    ) -> None:
        found = tuple(problems) or (ConfigProblem(key, message),)
        self.problems = found
        self.key = found[0].key if len(found) == 1 else None
        self.path = path
        super().__init__(_config_message(found, path), key=self.key, path=path)


def _config_message(problems: tuple[ConfigProblem, ...], path: str | None) -> str:
    if len(problems) == 1:
        key, message = problems[0]
        where = " ".join(part for part in (f"in {path}" if path else "", key or "") if part)
        return f"config error{' ' + where if where else ''}: {message}"
    lines = [f"  {key}: {message}" if key else f"  {message}" for key, message in problems]
    header = f"config error{f' in {path}' if path else ''}: {len(problems)} problems"
    return "\n".join([header, *lines])


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


class ArchiveFullError(StorageError):
    """The archive's file system is full (SQLite's ``SQLITE_FULL``): the write was rolled back,
    nothing stored before it is lost, and the same write succeeds once space is freed."""


class FetchError(MonitorError):
    """The site could not be reached, or answered with an error."""


class DeliveryError(MonitorError):
    """An alert channel refused or failed to deliver a message."""


class BackupError(MonitorError):
    """A backup that cannot be made, read or restored; ``path`` names the file."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.path = path


class DamagedError(BackupError):
    """An archive or a backup that fails verification: ``problems`` says what is damaged,
    one line each; the message is one line naming the first and how to recover."""

    def __init__(
        self, message: str, *, path: str | None = None, problems: Sequence[str] = ()
    ) -> None:
        super().__init__(message, path=path)
        self.problems = tuple(problems)


class LockedError(MonitorError):
    """Another process holds the lock this one needs on the archive."""


class CrawlLockedError(LockedError):
    """Another crawl is already running on this archive."""


class DaemonRunningError(LockedError):
    """Another daemon holds this archive."""
