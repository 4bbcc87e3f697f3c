"""What every layout of the replica serves from: a published article (``Entry``) and a response
body (``Page``), with the small helpers on them that each layout's pages share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.dates import VN_TZ
from replica.plan import Variant

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Page:
    """One response body the site serves."""

    body: bytes
    content_type: str
    last_modified: datetime | None = None  # aware; the newest content date on the page
    status: int = 200


@dataclass(frozen=True)
class Entry:
    """A published article: its data (dated), the page variant, the tags its page shows."""

    article: Mapping[str, Any]
    variant: Variant
    tags: tuple[str, ...]
    when: datetime  # publish time, naive Vietnam time
    kind: str  # "danvan", "lookalike", "ordinary" (by the word rule for the real articles)
    id: int
    path: str  # site-relative
    section: str


def newest(items: Iterable[Entry]) -> datetime | None:
    """The newest publish time among ``items``, aware (Vietnam time), or None for none."""
    dates = [entry.when for entry in items]
    return max(dates).replace(tzinfo=VN_TZ) if dates else None


def related(entry: Entry, base: Sequence[Entry], count: int = 10) -> list[Entry]:
    """Other real articles for the page's sidebars: the ones after it by id, wrapping round."""
    others = [e for e in base if e.id != entry.id]
    start = next((i for i, e in enumerate(others) if e.id > entry.id), 0)
    return (others[start:] + others[:start])[:count]
