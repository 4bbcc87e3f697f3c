"""What one crawl run shares between the spider, the pipeline and the runner.

The runner puts the run's ``CrawlContext`` in the ``MONITOR_CONTEXT`` setting; the spider and
the archive pipeline take it from there (``crawl_context``). The spider reads the archive
through it to decide what to fetch, and notes in it what the pipeline writes at the end of a
clean run (entry points' validators, tallies and walks); only the pipeline writes.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from monitor.archive import Archive, EntryKind, EntryYield
from monitor.clock import Clock
from monitor.config import Config
from monitor.discover import SitemapWalk
from scrapers.walks import EntryWalk

Mode = Literal["normal", "backfill"]


@dataclass
class EntryTally:
    """One entry point's part in this run, recorded in ``entry_yields`` at its end."""

    kind: EntryKind
    status: int | None = None  # what its first page answered; None: no answer (yet)
    links: int = 0
    new: int = 0


@dataclass
class CrawlContext:
    config: Config
    archive: Archive
    run_id: int
    mode: Mode = "normal"
    since: date | None = None
    emit_events: bool = False
    # HTTP validators of entry points, written only when the run ends cleanly with every
    # discovered article stored (else the next run would get 304 and miss them)
    pending_validators: dict[str, tuple[str | None, str | None, int]] = field(default_factory=dict)
    entries: dict[str, EntryTally] = field(default_factory=dict)
    walks: dict[str, EntryWalk] = field(default_factory=dict)  # listing → its walk this run
    sitemap_walks: dict[str, SitemapWalk] = field(default_factory=dict)  # sitemap entry → walk

    def __deepcopy__(self, memo: dict[int, Any]) -> CrawlContext:
        """The run itself, not a value: Scrapy deep-copies its settings for each crawler, and
        the spider and the pipeline must share this one context (and its archive)."""
        return self

    @property
    def clock(self) -> Clock:
        """The run's clock: its archive's, so that the times it writes agree."""
        return self.archive.clock

    @property
    def hosts(self) -> tuple[str, ...]:
        """First-party hosts with ports: the profile's and the configured base URL's."""
        return (*self.config.profile.hosts, urlsplit(self.config.site.base_url).netloc.lower())

    @property
    def domains(self) -> list[str]:
        """Hosts without ports, for Scrapy's offsite filter."""
        return sorted({host.split(":")[0] for host in self.hosts})

    def entry_url(self, path: str) -> str:
        return self.config.site.base_url.rstrip("/") + path

    def entry(self, name: str, kind: EntryKind) -> EntryTally:
        """The tally of entry point ``name`` (a path, or a URL off the base)."""
        return self.entries.setdefault(name, EntryTally(kind))

    def entry_yields(self) -> list[EntryYield]:
        return [
            EntryYield(name, tally.kind, tally.status, tally.links, tally.new)
            for name, tally in self.entries.items()
        ]

    def event(self, kind: str, **data: object) -> None:
        """A progress event for the parent process, one JSON line on stdout."""
        if self.emit_events:
            line = json.dumps({"event": kind, **data}, ensure_ascii=False, default=str)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def crawl_context(settings: BaseSettings) -> CrawlContext:
    """The run's context from the ``MONITOR_CONTEXT`` setting; NotConfigured without one."""
    context = settings.get("MONITOR_CONTEXT")
    if not isinstance(context, CrawlContext):
        raise NotConfigured("MONITOR_CONTEXT is not set: no crawl run to take part in")
    return context
