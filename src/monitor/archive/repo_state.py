"""The HTTP validator cache and the crawl state (marks, counts, resume points).

One of the archive's repositories (see ``monitor.archive.archive``): its methods share the
archive's connection and transaction helpers (``session``); each is one transaction.
"""

from __future__ import annotations

from typing import Any

from monitor.archive import (
    state,
)
from monitor.archive.session import Repository


class StateRepository(Repository):
    """The HTTP validator cache and the crawl state (marks, counts, resume points)."""

    def cached_validators(self, url: str) -> tuple[str | None, str | None] | None:
        """``(etag, last_modified)`` last stored for ``url``, or ``None``."""
        with self._reading(f"read HTTP validators of {url}"):
            return state.cached_validators(self._db, url)

    def store_validators(
        self, url: str, etag: str | None, last_modified: str | None, status: int | None
    ) -> None:
        """Remember what ``url`` answered with, for the next conditional request."""
        with self._writing(f"store HTTP validators of {url}"):
            state.store_validators(self._db, url, etag, last_modified, status, self._now())

    def get_state(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        with self._reading(f"read crawl state {key!r}"):
            return state.get_state(self._db, key, default)

    def put_state(self, key: str, value: Any) -> None:
        """Store a JSON value under ``key``."""
        with self._writing(f"store crawl state {key!r}"):
            state.put_state(self._db, key, value, self._now())

    def delete_state(self, key: str) -> bool:
        """Remove the value under ``key``; returns whether there was one."""
        with self._writing(f"delete crawl state {key!r}"):
            return state.delete_state(self._db, key)
