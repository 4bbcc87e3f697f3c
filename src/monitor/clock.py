"""The one clock: Vietnam time, and the seam through which the monitor reads the time.

Everything that reads the wall clock (the archive's timestamps, the daemon's schedule, alert
back-offs, the spider's backfill window) takes a ``Clock`` — a parameter whose default is
``SYSTEM_CLOCK`` — so that a test moves time with a ``ManualClock`` instead of sleeping.
Durations are measured with ``time.monotonic``, never with this clock.

    VN_TZ          UTC+7, the site's zone (Vietnam has no daylight saving time)
    Clock          anything with ``now() -> datetime`` (aware)
    SYSTEM_CLOCK   the real time, in Vietnam
    ManualClock    a clock that stands still until moved (``advance``, ``set``)
    span           a duration as people say it ("40 s", "3 min", "2 h 05 min")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from monitor.errors import InputError

VN_TZ = timezone(timedelta(hours=7))


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware (any offset; callers convert)."""
        ...


@dataclass(frozen=True)
class SystemClock:
    """The real time, in Vietnam."""

    def now(self) -> datetime:
        return datetime.now(VN_TZ)


SYSTEM_CLOCK: Clock = SystemClock()


class ManualClock:
    """A clock that stands still until moved: tests advance it instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        self._now = _aware(moment)


def now(clock: Clock = SYSTEM_CLOCK) -> datetime:
    """``clock``'s current time in Vietnam."""
    return clock.now().astimezone(VN_TZ)


def now_iso(clock: Clock = SYSTEM_CLOCK) -> str:
    """``clock``'s current time in the archive's form: ``2025-03-19T11:47:05+07:00``."""
    return now(clock).isoformat(timespec="seconds")


def _aware(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise InputError(f"a clock's time needs a UTC offset: {moment.isoformat()}")
    return moment


def span(seconds: float) -> str:
    """A duration as people say it: "40 s", "3 min", "2 h 05 min"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
