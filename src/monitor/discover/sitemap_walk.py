"""Which child sitemaps a run reads, and what a clean run remembers — the sitemap counterpart
of the listings' high-water marks (``scrapers.walks``).

A sitemap entry point (a ``Sitemap:`` line of robots.txt or a ``site.sitemaps`` path) is
requested conditionally, like every entry point. Of an index's children a run reads only those
that are new, whose ``<lastmod>`` is newer than the one a clean run read them at, or that have
no ``<lastmod>`` (conditionally: usually a 304). What a run read is remembered only after it
ended cleanly with every article stored, and only when the walk was *complete*: a file that
failed, a child left out by ``site.sitemap_max_files`` or a file holding more new articles
than ``site.sitemap_max_articles`` leaves the walk incomplete — nothing of it is remembered,
and its index files' validators are not kept either, so the next run reads the indexes again
and asks once more (conditionally) for every child not remembered. Nothing is lost to an
interrupted or bounded run; the files read whole answer 304 the next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.clock import VN_TZ
from monitor.discover.sitemap import ChildSitemap


@dataclass
class SitemapWalk:
    entry: str
    seen: dict[str, str | None] = field(default_factory=dict)  # url → lastmod a clean run read
    read: dict[str, str | None] = field(default_factory=dict)  # read whole in this run
    indexes: list[str] = field(default_factory=list)  # index files read (their response URLs)
    incomplete: bool = False  # a file failed, or a cap left something unread

    @classmethod
    def from_state(cls, entry: str, state: Any) -> SitemapWalk:
        seen = state.get("seen") if isinstance(state, dict) else None
        return cls(entry, dict(seen) if isinstance(seen, dict) else {})

    def due(self, children: Iterable[ChildSitemap]) -> list[ChildSitemap]:
        """The children to read this run, those with the newest ``<lastmod>`` first."""
        wanted = [
            child
            for child in children
            if child.lastmod is None
            or child.url not in self.seen
            or _newer(child.lastmod, self.seen[child.url])
        ]
        return sorted(wanted, key=lambda child: _when(child.lastmod) or _OLDEST, reverse=True)

    def without_lastmod(self) -> list[str]:
        """Children a clean run read that give no ``<lastmod>``: asked again (conditionally)
        even when their index answers 304, for nothing says whether they changed."""
        return [url for url, lastmod in self.seen.items() if lastmod is None]

    def done(self, url: str, lastmod: str | None) -> None:
        """The child at ``url`` was read whole (every article it names requested)."""
        self.read[url] = lastmod

    def state_after_clean_run(self) -> dict[str, Any]:
        """What the next run starts from, once this one ended cleanly."""
        return {"seen": self.seen if self.incomplete else self.seen | self.read}

    def unkept_validators(self) -> list[str]:
        """Files whose validators must not be kept after this run: an incomplete walk's
        indexes, so that the next run reads them whole and finds what was left."""
        return list(self.indexes) if self.incomplete else []


_OLDEST = datetime.min.replace(tzinfo=VN_TZ)


def _when(text: str | None) -> datetime | None:
    """A W3C datetime (``2025-06-23``, ``2025-06-23T10:00:00+07:00``, ``…Z``); no offset
    means Vietnam time."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=VN_TZ)


def _newer(lastmod: str, seen: str | None) -> bool:
    now, before = _when(lastmod), _when(seen)
    if now is None or before is None:
        return lastmod != seen  # unreadable dates: any change counts
    return now > before
