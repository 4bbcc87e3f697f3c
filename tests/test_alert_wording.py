"""``monitor.alert.wording``: each language's words, and dates as Vietnamese readers write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from monitor.alert.wording import (
    ENGLISH,
    VIETNAMESE,
    vi_day,
    vi_number,
    vi_published,
    vi_time,
    vi_timestamp,
    wording,
)
from monitor.clock import VN_TZ
from monitor.dates import parse_date


def test_the_setting_picks_the_wording() -> None:
    assert (wording("vi"), wording("en")) == (VIETNAMESE, ENGLISH)


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2026, 11, 30), "Thứ Hai, 30/11/2026"),
        (date(2026, 12, 1), "Thứ Ba, 01/12/2026"),
        (date(2026, 12, 2), "Thứ Tư, 02/12/2026"),
        (date(2026, 12, 3), "Thứ Năm, 03/12/2026"),
        (date(2026, 12, 4), "Thứ Sáu, 04/12/2026"),
        (date(2026, 12, 5), "Thứ Bảy, 05/12/2026"),
        (date(2026, 12, 6), "Chủ Nhật, 06/12/2026"),
    ],
)
def test_a_day_is_its_weekday_then_day_month_year(day: date, written: str) -> None:
    assert vi_day(day) == written


def test_a_time_is_24_hour_vietnam_time_then_the_day() -> None:
    assert vi_time(datetime(2026, 12, 3, 15, 30, tzinfo=VN_TZ)) == "15:30 ngày 03/12/2026"
    assert vi_time(datetime(2026, 12, 3, 20, 5, tzinfo=UTC)) == "03:05 ngày 04/12/2026"


def test_an_archive_timestamp_is_worded_and_other_text_kept() -> None:
    assert vi_timestamp("2025-06-23T11:15:00+07:00") == "11:15 ngày 23/06/2025"
    assert vi_timestamp("2025-06-23T11:15:00") == "11:15 ngày 23/06/2025"  # Vietnam time
    assert vi_timestamp("?") == "?"


@pytest.mark.parametrize(
    ("value", "precision", "written"),
    [
        ("2025-03-19T10:00:00+07:00", "minute", "10:00 ngày 19/03/2025"),
        ("2025-03-19T00:00:00+07:00", "day", "ngày 19/03/2025"),
        ("2025-03-19T00:00:00+07:00", None, "00:00 ngày 19/03/2025"),
        (None, None, ""),
        ("hôm qua", "day", "hôm qua"),  # not a timestamp: as it is
    ],
)
def test_a_publication_time(value: str | None, precision: str | None, written: str) -> None:
    assert vi_published(value, precision) == written
    assert VIETNAMESE.published(value, precision) == written


def test_english_keeps_the_stored_time() -> None:
    assert ENGLISH.published("2025-03-19T10:00:00+07:00", "minute") == "2025-03-19T10:00:00+07:00"
    assert ENGLISH.published(None, None) == ""


def test_the_monitor_reads_its_own_vietnamese_dates_back() -> None:
    moment = datetime(2026, 12, 3, 15, 30, tzinfo=VN_TZ)
    now = moment + timedelta(hours=1)
    assert parse_date(vi_time(moment), now=now) == moment
    assert parse_date(f"{vi_day(moment.date())} 15:30", now=now) == moment


def test_decimals_take_a_comma() -> None:
    assert (vi_number(12.5), vi_number(3.0), vi_number(0.25, 2)) == ("12,5", "3,0", "0,25")


def test_the_test_message_in_each_language() -> None:
    assert VIETNAMESE.test_message("email") == (
        "congan-monitor: tin nhắn thử",
        "Đây là tin nhắn thử của kênh cảnh báo «email». Không cần làm gì thêm.",
    )
    assert ENGLISH.test_message("email") == (
        "congan-monitor: test message",
        "A test of the alert channel 'email'. Nothing to do.",
    )


def test_english_default_templates_are_unchanged() -> None:
    assert ENGLISH.title_template == "[{rule}] {title}"
    assert ENGLISH.body_template == (
        "{title}\n{section} · {published_at}\n{url}\n\nRule {rule}: {snippet}"
    )
