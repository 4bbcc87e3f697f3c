"""What one crawl run shares between the spider, the pipeline and the runner."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from monitor.archive import Archive, EntryKind, EntryYield
from monitor.clock import Clock
from monitor.config import Config

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
    tally: Counter[str] = field(default_factory=Counter)
    # HTTP validators of entry points, written only when the run ends cleanly with every
    # discovered article stored (else the next run would get 304 and miss them)
    pending_validators: dict[str, tuple[str | None, str | None, int]] = field(default_factory=dict)
    entries: dict[str, EntryTally] = field(default_factory=dict)

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

    def count(self, name: str, amount: int = 1) -> None:
        """In-memory tally for progress and the summary (the archive keeps the real figures)."""
        self.tally[name] += amount

    def event(self, kind: str, **data: object) -> None:
        """A progress event for the parent process, one JSON line on stdout."""
        if self.emit_events:
            line = json.dumps({"event": kind, **data}, ensure_ascii=False, default=str)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
