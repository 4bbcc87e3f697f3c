"""Which backups rotation keeps: the newest of each of the last N days, weeks and months.

The same rule as restic's ``forget --keep-daily/--keep-weekly/--keep-monthly``: for each
period kind, walk the backups newest first and keep the first one seen in each new period
until N periods have one. What any kind keeps is kept; the newest backup always is. Periods
are Vietnam days, ISO weeks (Monday to Sunday) and calendar months.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from monitor.clock import VN_TZ


@dataclass(frozen=True)
class Policy:
    daily: int
    weekly: int
    monthly: int


Period = Callable[[datetime], tuple[int, ...]]


def _day(moment: datetime) -> tuple[int, ...]:
    return moment.timetuple()[:3]


def _week(moment: datetime) -> tuple[int, ...]:
    year, week, _ = moment.isocalendar()
    return (year, week)


def _month(moment: datetime) -> tuple[int, ...]:
    return (moment.year, moment.month)


def kept(times: Iterable[datetime], policy: Policy) -> set[datetime]:
    """The backup times ``policy`` keeps, of ``times``."""
    newest_first = sorted({moment.astimezone(VN_TZ) for moment in times}, reverse=True)
    keep = set(newest_first[:1])
    for count, period in ((policy.daily, _day), (policy.weekly, _week), (policy.monthly, _month)):
        keep |= _newest_per_period(newest_first, count, period)
    return keep


def _newest_per_period(newest_first: list[datetime], count: int, period: Period) -> set[datetime]:
    seen: set[tuple[int, ...]] = set()
    chosen = set()
    for moment in newest_first:
        if len(seen) >= count:
            break
        if period(moment) not in seen:
            seen.add(period(moment))
            chosen.add(moment)
    return chosen
