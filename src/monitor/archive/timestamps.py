"""Timestamps as the archive stores them: ISO 8601 text at Vietnam time (+07:00), to the second.

Every time the archive writes (``first_seen_at``, ``captured_at``, ``started_at``,
``checked_at``…) has the one form ``2025-03-19T11:47:05+07:00``, so that text order is time
order and ``MAX(last_seen_at, ?)`` or ``published_at >= ?`` compare correctly in SQL. Times
handed in by callers may carry any offset; they are converted. A time without an offset is
refused: it is nearly always a bug (``datetime.utcnow()``), and guessing would shift it by hours.
"""

from __future__ import annotations

from datetime import datetime

from monitor.clock import VN_TZ
from monitor.errors import InputError


def to_archive_time(value: str, *, name: str) -> str:
    """Return ``value`` (ISO 8601 with an offset) in the archive's form; ``name`` is for errors.
    A malformed time is the caller's mistake: an ``InputError``, not a storage failure."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} is not an ISO 8601 time: {value!r}", field=name) from None
    if moment.utcoffset() is None:
        raise InputError(f"{name} has no UTC offset: {value!r}", field=name)
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")
