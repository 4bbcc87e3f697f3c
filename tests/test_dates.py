"""monitor.dates: every date form of LANGUAGE.md, the site's raw date node, and never raising."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from monitor.dates import VN_TZ, ParsedDate, parse_date, parse_date_detail

CORPUS = Path(__file__).parent / "data" / "dates.tsv"
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\trn])")
_SIMPLE_ESCAPES = {"\\": "\\", "t": "\t", "r": "\r", "n": "\n"}


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    expected: datetime | None
    precision: str | None


def _unescape(column: str) -> str:
    """Undo the corpus's input escaping (described in its header)."""
    return _ESCAPE.sub(lambda m: _SIMPLE_ESCAPES.get(m[1]) or chr(int(m[1][1:], 16)), column)


def _load_corpus() -> tuple[datetime, list[Case]]:
    now: datetime | None = None
    cases = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# now:"):
            now = datetime.fromisoformat(line.removeprefix("# now:").strip())
        if line.startswith("#") or not line:
            continue
        text, expected, precision = line.split("\t")
        value = None if expected == "NONE" else datetime.fromisoformat(expected)
        cases.append(Case(number, _unescape(text), value, None if value is None else precision))
    assert now is not None, "the corpus header must give the fixed now"
    return now, cases


NOW, CORPUS_CASES = _load_corpus()  # 2025-06-23T12:00+07:00


def _parsed(text: str, now: datetime = NOW) -> tuple[str, str] | None:
    detail = parse_date_detail(text, now=now)
    return None if detail is None else (detail.value.isoformat(), detail.precision)


def _minute(iso: str) -> tuple[str, str]:
    return (f"{iso}:00+07:00", "minute")


def _day(iso: str) -> tuple[str, str]:
    return (f"{iso}T00:00:00+07:00", "day")


# --- the corpus ----------------------------------------------------------------------------


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS_CASES) >= 150


@pytest.mark.parametrize("case", CORPUS_CASES, ids=lambda case: f"line{case.line}")
def test_corpus_line_parses_to_its_expected_value(case: Case) -> None:
    detail = parse_date_detail(case.text, now=NOW)
    if case.expected is None:
        assert detail is None
    else:
        assert detail is not None
        assert (detail.value.isoformat(), detail.precision) == (
            case.expected.isoformat(),
            case.precision,
        )


# --- the forms of LANGUAGE.md, one by one --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ Ba, 08/04/2025 19:58", _minute("2025-04-08T19:58")),
        ("Chủ Nhật, 2/10/2022", _day("2022-10-02")),
        ("08:15 03/10/2022", _minute("2022-10-03T08:15")),
        ("03/10/2022 - 08:15 (GMT+7)", _minute("2022-10-03T08:15")),
        ("Thứ Tư, 07/01/2015 | 22:34", _minute("2015-01-07T22:34")),
        ("ngày 2 tháng 10 năm 2022", _day("2022-10-02")),
        ("Thứ Hai, Ngày 23 Tháng 6, 2025", _day("2025-06-23")),
        ("21 tháng 09 năm 2024", _day("2024-09-21")),
        ("08h15 ngày 3/10/2022", _minute("2022-10-03T08:15")),
        ("8 giờ 15 ngày 3/10/2022", _minute("2022-10-03T08:15")),
        ("08 giờ 15 ngày 3/10/2022", _minute("2022-10-03T08:15")),
        ("3/10/2022 3:30 CH", _minute("2022-10-03T15:30")),
        ("3/10/2022 3:30 SA", _minute("2022-10-03T03:30")),
        ("3/10/2022 12:10 SA", _minute("2022-10-03T00:10")),
        ("3/10/2022 12:10 CH", _minute("2022-10-03T12:10")),
        ("3-10-2022", _day("2022-10-03")),
        ("3.10.2022", _day("2022-10-03")),
        ("3/10/22 08:15", _minute("2022-10-03T08:15")),
        ("Cập nhật 03/10/2022 08:15", _minute("2022-10-03T08:15")),
        ("lúc 08:15 03/10/2022", _minute("2022-10-03T08:15")),
        ("Đăng lúc 08:15 03/10/2022", _minute("2022-10-03T08:15")),
        ("Cập nhật lúc 08:15 ngày 3/10/2022", _minute("2022-10-03T08:15")),
    ],
)
def test_written_form(text: str, expected: tuple[str, str]) -> None:
    assert _parsed(text) == expected


@pytest.mark.parametrize(
    "weekday",
    ["Thứ Hai", "Thứ 2", "T2", "Th 2", "THỨ HAI", "thứ hai", "Th2"],
)
def test_monday_spelling(weekday: str) -> None:
    detail = parse_date_detail(f"{weekday}, 03/10/2022 08:15", now=NOW)
    assert detail == ParsedDate(datetime(2022, 10, 3, 8, 15, tzinfo=VN_TZ), "minute", None)


@pytest.mark.parametrize(
    ("weekday", "day"),
    [
        ("Chủ nhật", "2/10/2022"),
        ("CN", "2/10/2022"),
        ("CHỦ NHẬT", "2/10/2022"),
        ("Thứ bẩy", "1/10/2022"),
        ("Thứ Bảy", "1/10/2022"),
        ("T7", "1/10/2022"),
        ("Thứ Năm", "6/10/2022"),
        ("Thứ Tư", "5/10/2022"),
        ("Thứ Sáu", "7/10/2022"),
        ("Thứ Ba", "4/10/2022"),
    ],
)
def test_other_weekday_spelling_matches_its_day(weekday: str, day: str) -> None:
    detail = parse_date_detail(f"{weekday}, {day}", now=NOW)
    assert detail is not None
    assert detail.weekday_problem is None


def test_thursday_is_not_read_as_the_word_for_year() -> None:
    assert _parsed("Thứ Năm, ngày 6 tháng 10 năm 2022") == _day("2022-10-06")


def test_value_is_in_vietnam_time() -> None:
    value = parse_date("2022-10-03T01:15:00Z", now=NOW)
    assert value is not None
    assert value.tzinfo is not None
    assert value.utcoffset() == timedelta(hours=7)
    assert VN_TZ.utcoffset(None) == timedelta(hours=7)


def test_parse_date_is_the_detail_value() -> None:
    detail = parse_date_detail("Thứ Ba, 08/04/2025 19:58", now=NOW)
    assert detail is not None
    assert parse_date("Thứ Ba, 08/04/2025 19:58", now=NOW) == detail.value


# --- the site's raw date node --------------------------------------------------------------

RAW_NODE = (
    unicodedata.normalize("NFD", "Thứ Tư") + ", 19/03/2025 11:47\r\n        \xa0|\xa0Mai Loan"
)


def test_raw_date_node_is_decomposed_as_scraped() -> None:
    assert not unicodedata.is_normalized("NFC", RAW_NODE)


def test_raw_date_node_parses_with_its_author_ignored() -> None:
    assert parse_date_detail(RAW_NODE, now=NOW) == ParsedDate(
        datetime(2025, 3, 19, 11, 47, tzinfo=VN_TZ), "minute", None
    )


@pytest.mark.parametrize(
    "noise",
    ["\u200b", "\u00ad", "\ufeff", "\u2060"],
)
def test_format_characters_are_ignored(noise: str) -> None:
    assert _parsed(f"Thứ Tư, 19/03/{noise}2025 11:{noise}47") == _minute("2025-03-19T11:47")


# --- relative forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 giờ trước", _minute("2025-06-23T09:00")),
        ("2 tiếng trước", _minute("2025-06-23T10:00")),
        ("vài phút trước", _minute("2025-06-23T11:57")),
        ("5 phút trước", _minute("2025-06-23T11:55")),
        ("hôm qua", _day("2025-06-22")),
        ("hôm nay 15:39", _minute("2025-06-23T15:39")),
        ("hôm kia", _day("2025-06-21")),
        ("vừa xong", _minute("2025-06-23T12:00")),
        ("tuần trước", _day("2025-06-16")),
        ("2 ngày trước", _day("2025-06-21")),
        ("Cập nhật 3 giờ trước", _minute("2025-06-23T09:00")),
        ("08:05 hôm qua", _minute("2025-06-22T08:05")),
        ("tháng trước", _day("2025-05-23")),
    ],
)
def test_relative_form_is_resolved_against_now(text: str, expected: tuple[str, str]) -> None:
    assert _parsed(text) == expected


def test_month_arithmetic_clamps_to_the_month_end() -> None:
    now = datetime(2025, 3, 31, 9, 0, tzinfo=VN_TZ)
    assert _parsed("tháng trước", now=now) == _day("2025-02-28")


def test_naive_now_means_vietnam_time() -> None:
    assert _parsed("3 giờ trước", now=datetime(2025, 6, 23, 12, 0)) == _minute("2025-06-23T09:00")


def test_now_in_another_zone_is_converted() -> None:
    utc_now = datetime(2025, 6, 23, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam
    assert _parsed("3 giờ trước", now=utc_now) == _minute("2025-06-23T09:00")


def test_default_now_is_the_current_time() -> None:
    value = parse_date("vừa xong")
    assert value is not None
    assert abs(value - datetime.now(VN_TZ)) < timedelta(minutes=2)


# --- machine forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-10-03T08:15:00+07:00", _minute("2022-10-03T08:15")),
        ("2022-10-03T01:15:00Z", _minute("2022-10-03T08:15")),
        ("2022-10-02T21:15:00-04:00", _minute("2022-10-03T08:15")),
        ("2022-10-03T06:45:00.250+05:30", _minute("2022-10-03T08:15")),
        ("2022-10-03T08:15:00", _minute("2022-10-03T08:15")),
        ("2022-10-03", _day("2022-10-03")),
        ("Mon, 03 Oct 2022 08:15:00 +0700", _minute("2022-10-03T08:15")),
        ("Mon, 03 Oct 2022 01:15:00 GMT", _minute("2022-10-03T08:15")),
    ],
)
def test_machine_form_is_converted_to_vietnam_time(text: str, expected: tuple[str, str]) -> None:
    assert _parsed(text) == expected


# --- weekday checks ------------------------------------------------------------------------


def test_weekday_mismatch_keeps_the_date_and_reports_it() -> None:
    detail = parse_date_detail("Thứ Hai, 18/03/2025 22:46", now=NOW)
    assert detail == ParsedDate(
        datetime(2025, 3, 18, 22, 46, tzinfo=VN_TZ),
        "minute",
        "weekday Thứ Hai does not match 18/03/2025 (a Thứ Ba)",
    )


@pytest.mark.parametrize(
    "text",
    ["CN, 3/10/2022", "T3, 03/10/2022 08:15", "Tue, 03 Oct 2022 08:15:00 +0700"],
)
def test_weekday_mismatch_in_other_spellings_is_reported(text: str) -> None:
    detail = parse_date_detail(text, now=NOW)
    assert detail is not None
    assert detail.weekday_problem is not None
    assert "03/10/2022 (a Thứ Hai)" in detail.weekday_problem


# --- not dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "None",
        "null",
        "undefined",
        "32/13/2025",
        "31/02/2024",
        "01/01/1989",
        "26/06/2025",  # three days after now
        "2025-06-26T08:00:00+07:00",
        "Thứ Năm",
        "08:15",
        "3 giờ",
        "25:00 03/10/2022",
        "03/10/2022 abc",
        "03/10/2022 03/10/2022",
        "x" * 300,
    ],
)
def test_not_a_date_gives_none(text: str) -> None:
    assert parse_date_detail(text, now=NOW) is None


@pytest.mark.parametrize("value", [None, b"03/10/2022", 20221003, ["03/10/2022"]])
def test_non_text_gives_none(value: Any) -> None:
    assert parse_date(value, now=NOW) is None


@pytest.mark.parametrize(
    "text", ["03/10/2022 " + "y" * 1_000_000, "\u200b" * 1_000_000, "3" * 1_000_000]
)
def test_very_long_text_gives_none_fast(text: str) -> None:
    started = time.perf_counter()
    assert parse_date(text, now=NOW) is None
    assert time.perf_counter() - started < 0.05


def test_first_day_accepted_is_1990_01_01() -> None:
    assert _parsed("01/01/1990") == _day("1990-01-01")
    assert _parsed("31/12/1989 23:59") is None


def test_future_tolerance_is_one_day() -> None:
    assert _parsed("24/06/2025 12:00") == _minute("2025-06-24T12:00")
    assert _parsed("24/06/2025 12:01") is None


# --- properties ----------------------------------------------------------------------------

WEEKDAY_NAMES = ["Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy"]


def _weekday_spellings(day: date) -> list[str]:
    index = day.weekday()
    if index == 6:
        return ["Chủ Nhật", "Chủ nhật", "CN", "CHỦ NHẬT", "chủ nhật"]
    number = index + 2
    name = f"Thứ {WEEKDAY_NAMES[index]}"
    extra = ["Thứ bẩy"] if index == 5 else []
    return [name, name.upper(), name.lower(), f"Thứ {number}", f"T{number}", f"Th {number}", *extra]


instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=NOW.replace(tzinfo=None)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=VN_TZ)
)
days = st.dates(min_value=date(1990, 1, 1), max_value=NOW.date())
labels = st.sampled_from(["", "Cập nhật ", "Cập nhật: ", "lúc ", "Đăng lúc ", "Cập nhật lúc "])
offsets = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)
Draw = st.DrawFn


def _draw_numeric_date(draw: Draw, day: date) -> str:
    sep = draw(st.sampled_from(["/", "-", "."]))
    d = draw(st.sampled_from([f"{day.day}", f"{day.day:02d}"]))
    m = draw(st.sampled_from([f"{day.month}", f"{day.month:02d}"]))
    years = [f"{day.year}"] + ([f"{day.year % 100:02d}"] if day.year >= 2000 else [])
    return f"{d}{sep}{m}{sep}{draw(st.sampled_from(years))}"


def _draw_weekday(draw: Draw, day: date) -> str:
    if not draw(st.booleans()):
        return ""
    spelling = draw(st.sampled_from(_weekday_spellings(day)))
    return spelling + draw(st.sampled_from([", ", " ", " - ", ","]))


def _draw_time(draw: Draw, moment: datetime) -> str:
    h, m = moment.hour, moment.minute
    twelve = (h % 12) or 12
    marker = "SA" if h < 12 else "CH"
    return draw(
        st.sampled_from(
            [
                f"{h:02d}:{m:02d}",
                f"{h}:{m:02d}",
                f"{h:02d}:{m:02d}:{draw(st.integers(0, 59)):02d}",
                f"{h:02d}h{m:02d}",
                f"{h} giờ {m}",
                f"{h:02d} giờ {m:02d} phút",
                f"{twelve}:{m:02d} {marker}",
                f"{twelve}:{m:02d}{marker.lower()}",
            ]
        )
    )


@st.composite
def numeric_dates(draw: Draw) -> tuple[str, datetime]:
    day = draw(days)
    text = draw(labels) + _draw_weekday(draw, day) + _draw_numeric_date(draw, day)
    return text, datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


@st.composite
def word_dates(draw: Draw) -> tuple[str, datetime]:
    day = draw(days)
    d = draw(st.sampled_from([f"{day.day}", f"{day.day:02d}"]))
    m = draw(st.sampled_from([f"{day.month}", f"{day.month:02d}"]))
    form = draw(
        st.sampled_from(
            [
                f"ngày {d} tháng {m} năm {day.year}",
                f"Ngày {d} Tháng {m}, {day.year}",
                f"{d} tháng {m} năm {day.year}",
                f"NGÀY {d} THÁNG {m} NĂM {day.year}",
            ]
        )
    )
    text = _draw_weekday(draw, day) + form
    return text, datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


@st.composite
def dates_with_times(draw: Draw) -> tuple[str, datetime]:
    moment = draw(instants)
    weekday = _draw_weekday(draw, moment.date())
    day_text = _draw_numeric_date(draw, moment.date())
    time_text = _draw_time(draw, moment)
    if draw(st.booleans()):
        sep = draw(st.sampled_from([" ", " - ", " | ", ", ", " lúc "]))
        zone = draw(st.sampled_from(["", " (GMT+7)", " GMT+07:00"]))
        text = weekday + day_text + sep + time_text + zone
    else:
        sep = draw(st.sampled_from([" ", ", ", " - "]))
        text = time_text + sep + weekday + draw(st.sampled_from(["", "ngày "])) + day_text
    author = draw(st.sampled_from(["", " | Mai Loan", "\r\n        \xa0|\xa0T.Nam"]))
    return draw(labels) + text + author, moment


@st.composite
def iso_texts(draw: Draw) -> tuple[str, datetime]:
    moment = draw(instants)
    zone = draw(offsets)
    local = moment.astimezone(zone)
    pattern = draw(
        st.sampled_from(
            ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"]
        )
    )
    offset = local.strftime("%z")
    suffixes = [offset, f"{offset[:3]}:{offset[3:]}"]
    if zone.utcoffset(None) == timedelta(0):
        suffixes.append("Z")
    if zone.utcoffset(None) == timedelta(hours=7):
        suffixes.append("")  # no offset: Vietnam time
    return local.strftime(pattern) + draw(st.sampled_from(suffixes)), moment


@st.composite
def rfc822_texts(draw: Draw) -> tuple[str, datetime]:
    moment = draw(instants)
    zone = draw(offsets)
    local = moment.astimezone(zone)
    text = local.strftime("%a, %d %b %Y %H:%M:%S %z")
    if zone.utcoffset(None) == timedelta(0) and draw(st.booleans()):
        text = text[:-5] + "GMT"
    return text, moment


def _noisy(text: str, space: str) -> str:
    """Decompose, swap spaces and sprinkle format characters, as scraped pages do."""
    text = unicodedata.normalize("NFD", text)
    return text.replace(" ", space).replace(",", "\u200b,").replace("/", "\u00ad/")


@given(numeric_dates())
@example(("Chủ Nhật, 2/10/2022", datetime(2022, 10, 2, tzinfo=VN_TZ)))
def test_numeric_date_round_trips_to_the_day(case: tuple[str, datetime]) -> None:
    text, expected = case
    assert parse_date_detail(text, now=NOW) == ParsedDate(expected, "day", None)


@given(word_dates())
def test_word_date_round_trips_to_the_day(case: tuple[str, datetime]) -> None:
    text, expected = case
    assert parse_date_detail(text, now=NOW) == ParsedDate(expected, "day", None)


@given(dates_with_times())
def test_date_and_time_round_trip_to_the_minute(case: tuple[str, datetime]) -> None:
    text, expected = case
    assert parse_date_detail(text, now=NOW) == ParsedDate(expected, "minute", None)


@given(iso_texts())
def test_iso_8601_with_any_offset_round_trips(case: tuple[str, datetime]) -> None:
    text, expected = case
    assert parse_date_detail(text, now=NOW) == ParsedDate(expected, "minute", None)


@given(rfc822_texts())
def test_rfc_822_round_trips(case: tuple[str, datetime]) -> None:
    text, expected = case
    assert parse_date_detail(text, now=NOW) == ParsedDate(expected, "minute", None)


@given(dates_with_times(), st.sampled_from(["\xa0", " \u200b", "\u2009", "  ", "\r\n\t"]))
def test_decomposed_and_noisy_text_round_trips(case: tuple[str, datetime], space: str) -> None:
    text, expected = case
    assert parse_date(_noisy(text, space), now=NOW) == expected


@given(
    st.integers(min_value=0, max_value=100_000),
    st.sampled_from([("phút", 1), ("giờ", 60), ("tiếng", 60)]),
)
def test_minutes_and_hours_ago_round_trip(count: int, unit: tuple[str, int]) -> None:
    word, minutes = unit
    expected = NOW - timedelta(minutes=count * minutes)
    assert parse_date(f"{count} {word} trước", now=NOW) == (
        expected if expected.year >= 1990 else None
    )


@given(st.integers(min_value=0, max_value=5_000), st.sampled_from([("ngày", 1), ("tuần", 7)]))
def test_days_and_weeks_ago_round_trip_to_the_day(count: int, unit: tuple[str, int]) -> None:
    word, days_per_unit = unit
    day = NOW.date() - timedelta(days=count * days_per_unit)
    expected = datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    assert parse_date_detail(f"{count} {word} trước", now=NOW) == (
        ParsedDate(expected, "day") if day.year >= 1990 else None
    )


date_like_text = st.lists(
    st.sampled_from([*"0123456789/-.:, |()+hZT", "giờ", "ngày", "tháng", "năm", "Thứ", "trước"]),
    max_size=30,
).map("".join)
any_now = st.one_of(
    st.none(),
    st.datetimes(),
    st.datetimes(timezones=offsets),
    st.sampled_from([datetime.min, datetime.max, datetime.max.replace(tzinfo=VN_TZ)]),
)


@given(st.one_of(st.text(), date_like_text), any_now)
@example("9999-12-31T23:59:00-12:00", None)
@example("01/01/0001", datetime.min)
@example("3 năm trước", datetime.min.replace(tzinfo=timezone(timedelta(hours=-5))))
def test_never_raises(text: str, now: datetime | None) -> None:
    result = parse_date_detail(text, now=now)
    assert result is None or result.value.utcoffset() == timedelta(hours=7)
