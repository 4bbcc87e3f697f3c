"""monitor.clock: Vietnam time, and a clock that tests move instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.clock import SYSTEM_CLOCK, VN_TZ, ManualClock, now, now_iso, span
from monitor.errors import InputError

START = datetime(2025, 3, 19, 4, 47, 5, 600000, tzinfo=UTC)


def test_vietnam_is_seven_hours_ahead_of_utc() -> None:
    assert VN_TZ.utcoffset(None) == timedelta(hours=7)


def test_now_is_in_vietnam_whatever_the_clock_says() -> None:
    assert now(ManualClock(START)) == datetime(2025, 3, 19, 11, 47, 5, 600000, tzinfo=VN_TZ)


def test_now_iso_is_the_archive_form_to_the_second() -> None:
    assert now_iso(ManualClock(START)) == "2025-03-19T11:47:05+07:00"


def test_the_system_clock_reads_the_real_time() -> None:
    before = datetime.now(UTC)
    assert before <= SYSTEM_CLOCK.now() <= datetime.now(UTC)
    assert SYSTEM_CLOCK.now().utcoffset() == timedelta(hours=7)


def test_a_manual_clock_stands_still_until_advanced() -> None:
    clock = ManualClock(START)
    assert clock.now() == clock.now() == START
    clock.advance(90)
    assert clock.now() == START + timedelta(seconds=90)


def test_a_manual_clock_can_be_set() -> None:
    clock = ManualClock(START)
    clock.set(START - timedelta(days=1))
    assert clock.now() == START - timedelta(days=1)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(InputError, match="needs a UTC offset"):
        ManualClock(datetime(2025, 3, 19, 11, 47))


@pytest.mark.parametrize(
    ("seconds", "said"), [(0.4, "0 s"), (42, "42 s"), (185, "3 min"), (7500, "2 h 05 min")]
)
def test_durations_read_as_people_say_them(seconds: float, said: str) -> None:
    assert span(seconds) == said
