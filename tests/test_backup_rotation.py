"""``monitor.backup.rotation``: what the daily / weekly / monthly policy keeps."""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.backup.rotation import Policy, kept
from monitor.clock import VN_TZ

START = datetime(2026, 1, 1, 2, 15, tzinfo=VN_TZ)  # a Thursday


def daily(days: int) -> list[datetime]:
    return [START + timedelta(days=day) for day in range(days)]


def test_daily_keeps_the_newest_of_each_of_the_last_days() -> None:
    times = daily(10)
    assert kept(times, Policy(daily=3, weekly=0, monthly=0)) == set(times[-3:])


def test_two_backups_in_a_day_keep_the_later() -> None:
    morning, evening = START, START + timedelta(hours=12)
    assert kept([morning, evening], Policy(daily=7, weekly=0, monthly=0)) == {evening}


def test_weekly_keeps_each_iso_weeks_newest() -> None:
    times = daily(21)  # 1 Jan (Thu) .. 21 Jan (Wed)
    sundays = {START + timedelta(days=10), START + timedelta(days=17)}  # 11 and 18 Jan
    assert kept(times, Policy(daily=0, weekly=3, monthly=0)) == {times[-1], *sundays}


def test_monthly_keeps_each_months_newest() -> None:
    times = daily(70)  # 1 Jan .. 11 Mar
    ends = {datetime(2026, 1, 31, 2, 15, tzinfo=VN_TZ), datetime(2026, 2, 28, 2, 15, tzinfo=VN_TZ)}
    assert kept(times, Policy(daily=0, weekly=0, monthly=3)) == {times[-1], *ends}


def test_the_policies_add_up() -> None:
    times = daily(70)
    keep = kept(times, Policy(daily=7, weekly=4, monthly=6))
    last_week = set(times[-7:])
    sundays = {datetime(2026, 3, day, 2, 15, tzinfo=VN_TZ) for day in (1, 8)}
    months = {
        datetime(2026, 1, 31, 2, 15, tzinfo=VN_TZ),
        datetime(2026, 2, 28, 2, 15, tzinfo=VN_TZ),
    }
    # weekly: 11 Mar's week (in the daily ones), 8 Mar, 1 Mar, 22 Feb
    weeks = sundays | {datetime(2026, 2, 22, 2, 15, tzinfo=VN_TZ)}
    assert keep == last_week | weeks | months


def test_days_are_vietnam_days() -> None:
    # one UTC day (16:00 and 18:00 UTC), two Vietnam days: both kept
    late, after_midnight = (
        datetime(2026, 1, 1, 23, tzinfo=VN_TZ),
        datetime(2026, 1, 2, 1, tzinfo=VN_TZ),
    )
    assert kept([late, after_midnight], Policy(daily=7, weekly=0, monthly=0)) == {
        late,
        after_midnight,
    }


def test_the_newest_is_kept_whatever_the_policy() -> None:
    assert kept(daily(3), Policy(daily=0, weekly=0, monthly=0)) == {daily(3)[-1]}
