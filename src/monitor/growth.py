"""How big the archive is, how fast it grows, and how long its disk lasts at that pace.

The growth is estimated from what the archive holds, so it is there from the first crawl and
needs no history of sizes: the bytes the archive spends per article (its pages over its
articles: raw pages, versions, indexes and all) times the articles the site published per
month over the last ``WINDOW_DAYS`` days — or over the days the archive covers, when it
covers fewer. Counting by publication, not by when the monitor stored them, keeps a backfill
of years from looking like a month's growth.

    days left = free bytes on the archive's file system / (growth per month / days a month)

``monitor status`` and ``monitor stats`` show it; the daemon's health check ``disk`` turns
broken when fewer than ``health.disk_days`` days are left.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.archive import Archive

WINDOW_DAYS = 90  # the publishing rate is measured over this many days, at most
MIN_WINDOW_DAYS = 1.0  # an archive covering less than this has no rate yet
DAYS_A_MONTH = 365.25 / 12
FreeSpace = Callable[[Path], int]  # bytes free on the file system holding a path


def free_space(path: Path) -> int:
    """Bytes a process may still write on the file system holding ``path``."""
    return shutil.disk_usage(path).free


@dataclass(frozen=True)
class Growth:
    size: int  # bytes of the archive's pages
    articles: int
    free: int  # bytes free on its file system
    per_month: int | None  # bytes a month at the recent publishing rate; None: too new to tell
    window_days: float  # the days the rate was measured over

    @property
    def days_left(self) -> float | None:
        """Days until the disk is full at this growth; None when it does not grow (yet)."""
        if not self.per_month:
            return None
        return self.free / (self.per_month / DAYS_A_MONTH)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"days_left": self.days_left}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Growth:
        """What ``to_dict`` gave (``days_left`` is computed again)."""
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})


def measure(archive: Archive, now: datetime, free: FreeSpace = free_space) -> Growth:
    """The archive's size, growth and free space as of ``now``."""
    size = archive.size()
    start = now - timedelta(days=WINDOW_DAYS)
    articles, oldest, recent = archive.articles.publishing(start.isoformat())
    if oldest is not None and datetime.fromisoformat(oldest) > start:
        start = datetime.fromisoformat(oldest)  # every article counted: measured since it
    window = (now - start).total_seconds() / 86400
    room = free(archive.path.parent)
    if not articles or window < MIN_WINDOW_DAYS:
        return Growth(size, articles, room, None, round(window, 1))
    per_month = size / articles * recent / window * DAYS_A_MONTH
    return Growth(size, articles, room, round(per_month), round(window, 1))


def describe(growth: Growth) -> str:
    """One line: ``1.2 GiB, 3,000 articles; growing about 45.0 MiB a month; 60.0 GiB free
    (about 3.7 years)``."""
    text = f"{size_text(growth.size)} for {growth.articles:,} articles"
    free = f"{size_text(growth.free)} free"
    days = growth.days_left
    if growth.per_month is None:
        return f"{text}; growth not known yet (under a day of articles); {free}"
    if days is None:
        return f"{text}; not growing (nothing published in {growth.window_days:g} days); {free}"
    return (
        f"{text}; growing about {size_text(growth.per_month)} a month"
        f" (articles of the last {growth.window_days:g} days); {free} ({duration_text(days)})"
    )


def size_text(size: float) -> str:
    """Bytes in the largest unit that keeps the number at 1 or more: ``45.0 MiB``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TiB"


def duration_text(days: float) -> str:
    """How long the free space lasts: ``about 12 days``, ``about 3.7 years``."""
    if days >= 365.25:
        return f"about {days / 365.25:.1f} years"
    return f"about {days:.0f} days"
