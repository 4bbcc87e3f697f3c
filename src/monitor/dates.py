"""Dates as congan.com.vn, its feeds and its metadata write them, read as Vietnam time.

Every result is an aware ``datetime`` at UTC+7 (``VN_TZ``; Vietnam has no DST), truncated to
the minute. Three families of text are understood, tried in this order:

1. machine forms: ISO 8601 (``2022-10-03T08:15:00Z``, any offset; no offset means Vietnam time;
   a bare date is midnight) and RFC 822 (``Mon, 03 Oct 2022 08:15:00 +0700``, also ``GMT``);
2. relative forms, resolved against ``now``: ``3 giờ trước``, ``2 tiếng trước``,
   ``vài phút trước`` (three minutes), ``tuần trước``, ``vừa xong``;
3. written forms, always day-first, read by a small lexer: an optional leading label
   (``Cập nhật``, ``Đăng lúc``, ``lúc``), then a date (``08/04/2025``, ``3-10-22``, ``3.10.2022``,
   ``ngày 2 tháng 10 năm 2022``, ``Ngày 23 Tháng 6, 2025``) or a relative day (``hôm nay``,
   ``hôm qua``, ``hôm kia``), an optional time in either order (``19:58``, ``3:30 CH``,
   ``08h15``, ``8 giờ 15``), an optional weekday (``Thứ Ba``, ``Thứ 3``, ``T3``, ``Th 3``,
   ``CN``, ``Chủ nhật``), an optional ``(GMT+7)`` and, after a ``|``, an author that is ignored.

The text is normalised first (format characters such as U+200B removed, NFC — the site's date
node is decomposed —, every space and line break collapsed to one space), so the site's raw
date node ``'Thứ Tư, 19/03/2025 11:47\\r\\n        \\xa0|\\xa0Mai Loan'`` parses as it is scraped.

A date that cannot be (31/02), lies before 1990 or more than a day after ``now`` gives ``None``,
as does any text that is not one of the forms above. A weekday that contradicts the date does
not reject it: the date is kept and ``ParsedDate.weekday_problem`` says what is wrong.
Nothing here raises, whatever the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from monitor.clock import SYSTEM_CLOCK, VN_TZ

__all__ = [
    "VN_TZ",  # from monitor.clock
    "WEEKDAY_NAMES",
    "ParsedDate",
    "parse_date",
    "parse_date_detail",
]

EARLIEST = datetime(1990, 1, 1, tzinfo=VN_TZ)
FUTURE_TOLERANCE = timedelta(days=1)
MAX_TEXT_LENGTH = 1000  # a date text is a line; anything longer is not one

Precision = Literal["minute", "day"]


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: ``value`` at +07:00; ``precision`` "day" when the text gave no time."""

    value: datetime
    precision: Precision
    weekday_problem: str | None = None


def parse_date(text: str, *, now: datetime | None = None) -> datetime | None:
    """The instant ``text`` names, at +07:00, or ``None`` when it names none (see module doc)."""
    detail = parse_date_detail(text, now=now)
    return detail.value if detail is not None else None


def parse_date_detail(text: str, *, now: datetime | None = None) -> ParsedDate | None:
    """Parse ``text``; ``now`` (default: the current time; naive means Vietnam time) anchors
    relative forms and the one-day future tolerance. ``None`` for anything that is not a date."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        return None
    if now is not None and not isinstance(now, datetime):
        return None
    try:
        clock = _vietnam_now(now)
        parsed = _parse(_normalise(text), clock)
        if parsed is None or not EARLIEST <= parsed.value <= clock + FUTURE_TOLERANCE:
            return None
    except OverflowError:  # arithmetic at the edges of datetime's range (year 1 or 9999)
        return None
    return parsed


# --- normalisation -------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")  # str patterns: every Unicode space, nbsp and line break
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})


def _normalise(text: str) -> str:
    if not text.isascii():
        text = "".join(char for char in text if unicodedata.category(char) != "Cf")
        text = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    return _WHITESPACE.sub(" ", text).strip()


def _vietnam_now(now: datetime | None) -> datetime:
    if now is None:
        return SYSTEM_CLOCK.now().astimezone(VN_TZ)
    if now.utcoffset() is None:
        return now.replace(tzinfo=VN_TZ)
    return now.astimezone(VN_TZ)


def _parse(text: str, clock: datetime) -> ParsedDate | None:
    if not text:
        return None
    label = _LABEL.match(text)  # the pattern also matches the empty string: never None
    text = text[label.end() :] if label else text
    return (
        _parse_iso(text)
        or _parse_rfc822(text)
        or _parse_ago(text, clock)
        or _parse_written(text, clock)
    )


# --- building values -----------------------------------------------------------------------

# as the site and Vietnamese readers write them (messages write dates with them too)
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02, month 13, year 0
        return None


def _full_year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _offset(sign: str, hours: str, minutes: str | None) -> timezone | None:
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta >= timedelta(hours=24) or int(minutes or 0) > 59:
        return None
    return timezone(-delta if sign == "-" else delta)


def _at(day: date, hour: int, minute: int, zone: timezone = VN_TZ) -> datetime | None:
    if hour > 23 or minute > 59:
        return None
    written = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    return written.astimezone(VN_TZ)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def _weekday_problem(written: str | None, index: int | None, day: date) -> str | None:
    if written is None or index is None or index == day.weekday():
        return None
    actual = WEEKDAY_NAMES[day.weekday()]
    return f"weekday {written} does not match {day:%d/%m/%Y} (a {actual})"


def _result(
    day: date, hour_minute: tuple[int, int] | None, zone: timezone, weekday: tuple[str, int] | None
) -> ParsedDate | None:
    problem = _weekday_problem(*weekday, day) if weekday else None
    if hour_minute is None:
        return ParsedDate(_midnight(day), "day", problem)
    value = _at(day, *hour_minute, zone)
    return ParsedDate(value, "minute", problem) if value is not None else None


# --- machine forms -------------------------------------------------------------------------

_ISO = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r" ?(?:(?P<z>Z)|(?P<sign>[+-])(?P<oh>[0-9]{2})(?::?(?P<om>[0-9]{2}))?)?)?",
    re.I,
)


def _parse_iso(text: str) -> ParsedDate | None:
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    day = _day(int(m["y"]), int(m["mo"]), int(m["d"]))
    if day is None:
        return None
    if m["h"] is None:
        return ParsedDate(_midnight(day), "day")
    zone = _offset(m["sign"], m["oh"], m["om"]) if m["sign"] else UTC if m["z"] else VN_TZ
    if zone is None:
        return None
    return _result(day, (int(m["h"]), int(m["mi"])), zone, None)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RFC_ZONES = {"gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5}
_RFC_ZONES |= {"mst": -7, "mdt": -6, "pst": -8, "pdt": -7}
_RFC822 = re.compile(
    rf"(?:(?P<wd>{'|'.join(_ENGLISH_WEEKDAYS)})[a-z]*\.?,? ?)?"
    rf"(?P<d>[0-9]{{1,2}}) (?P<mo>{'|'.join(_MONTHS)})[a-z]*\.? (?P<y>[0-9]{{4}}|[0-9]{{2}}),?"
    r" (?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::[0-9]{2})?"
    r"(?: ?(?:(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2})"
    rf"|(?P<zn>{'|'.join(_RFC_ZONES)})))?",
    re.I,
)


def _parse_rfc822(text: str) -> ParsedDate | None:
    m = _RFC822.fullmatch(text)
    if m is None:
        return None
    day = _day(_full_year(m["y"]), _MONTHS.index(m["mo"].lower()) + 1, int(m["d"]))
    if day is None:
        return None
    if m["sign"]:
        zone = _offset(m["sign"], m["oh"], m["om"])
    elif m["zn"]:
        zone = timezone(timedelta(hours=_RFC_ZONES[m["zn"].lower()]))
    else:
        zone = VN_TZ
    if zone is None:
        return None
    weekday = (m["wd"], _ENGLISH_WEEKDAYS.index(m["wd"].lower())) if m["wd"] else None
    return _result(day, (int(m["h"]), int(m["mi"])), zone, weekday)


# --- relative forms ------------------------------------------------------------------------

_LABEL = re.compile(
    r"(?:(?:cập nhật|đăng(?: tải)?|ngày đăng|xuất bản)(?: (?:vào )?lúc)?|(?:vào )?lúc)?(?: ?:)? ?",
    re.I,
)
_NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7}
_NUMBER_WORDS |= {"tám": 8, "chín": 9, "mười": 10, "vài": 3, "mấy": 3, "dăm": 5}
_JUST_NOW = re.compile(r"vừa xong|vừa mới|vừa đăng|mới đây|ngay bây giờ|bây giờ", re.I)
_AGO = re.compile(
    rf"(?P<pre>cách đây )?(?:khoảng )?(?:(?P<n>[0-9]{{1,6}}|{'|'.join(_NUMBER_WORDS)}) ?)?"
    r"(?P<unit>giây|phút|giờ|tiếng(?: đồng hồ)?|ngày|tuần|tháng|năm)(?P<post> trước)?",
    re.I,
)
_CLOCK_UNITS = {"giây": timedelta(seconds=1), "phút": timedelta(minutes=1)}
_CLOCK_UNITS |= {"giờ": timedelta(hours=1), "tiếng": timedelta(hours=1)}


def _parse_ago(text: str, clock: datetime) -> ParsedDate | None:
    if _JUST_NOW.fullmatch(text):
        return ParsedDate(clock.replace(second=0, microsecond=0), "minute")
    m = _AGO.fullmatch(text)
    if m is None or not (m["pre"] or m["post"]):
        return None
    raw = (m["n"] or "1").lower()
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    unit = m["unit"].lower().split(" ")[0]
    if unit in _CLOCK_UNITS:
        value = clock - count * _CLOCK_UNITS[unit]
        return ParsedDate(value.replace(second=0, microsecond=0), "minute")
    if unit in ("tháng", "năm"):
        day = _months_before(clock.date(), count * (12 if unit == "năm" else 1))
    else:
        day = clock.date() - timedelta(days=count * (7 if unit == "tuần" else 1))
    return ParsedDate(_midnight(day), "day") if day is not None else None


def _months_before(day: date, months: int) -> date | None:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < EARLIEST.year:
        return None
    for last in (day.day, 30, 29, 28):  # clamp 31 March minus one month to 28/29 February
        shifted = _day(year, month + 1, min(day.day, last))
        if shifted is not None:
            return shifted
    return None


# --- written forms: a lexer over date, time, weekday, relative day, zone and separators ----

_WEEKDAY_INDEX = {"chủnhật": 6, "chủnhựt": 6, "cn": 6, "thứbẩy": 5, "thứtu": 2}
_WEEKDAY_INDEX |= {f"thứ{name.split()[1].lower()}": i for i, name in enumerate(WEEKDAY_NAMES[:6])}
_WEEKDAY_INDEX |= {f"{p}{i + 2}": i for i in range(6) for p in ("thứ", "t", "th")}
_RELATIVE_DAYS = {"nay": 0, "qua": 1, "kia": 2}
# One pattern per token kind; the group names inside are unique across kinds. Order matters:
# a date is tried before a time ("3/10/2022" vs "3"), both before the words.
_DATE = (
    r"(?:ngày )?(?P<dd>[0-9]{1,2})"
    r"(?:(?P<dsep>[/.-])(?P<dm>[0-9]{1,2})(?P=dsep)"  # 3/10/2022, 3-10-22, 3.10.2022
    r"|,? tháng (?P<dmw>[0-9]{1,2})(?:,? năm |, ?| ))"  # 2 tháng 10 năm 2022, 23 Tháng 6, 2025
    r"(?P<dy>[0-9]{4}|[0-9]{2})(?![0-9])"
)
_TIME = (
    r"(?P<th>[0-9]{1,2})"
    r"(?::(?P<tm>[0-9]{2})(?::[0-9]{2})?"  # 08:15, 08:15:30
    r"|h(?P<thm>[0-9]{2})?"  # 08h15, 8h
    r"| ?giờ(?: (?P<tgm>[0-9]{1,2})(?: phút)?)?)"  # 8 giờ 15, 08 giờ 15 phút
    r"(?: ?(?P<tap>sa|ch|am|pm))?(?!\w)"  # SA/CH: sáng/chiều, AM/PM
)
_WEEKDAY = (
    r"(?:thứ (?:hai|ba|tư|tu|năm|sáu|bảy|bẩy)|chủ nhật|chủ nhựt|cn"
    r"|(?:thứ|th\.?|t\.?) ?[2-7])(?!\w)"
)
_RELATIVE_DAY = r"(?:ngày )?hôm (?P<rd>nay|qua|kia)(?!\w)"
_ZONE = r"\(? ?(?:gmt|utc) ?(?:(?P<zs>[+-])(?P<zh>[0-9]{1,2})(?::?(?P<zm>[0-9]{2}))?)? ?\)?"
_SEPARATOR = r"[ ,;|–—-]+|(?:vào )?lúc(?!\w)"
_TOKEN = re.compile(
    rf"(?P<date>{_DATE})|(?P<time>{_TIME})|(?P<weekday>{_WEEKDAY})"
    rf"|(?P<relday>{_RELATIVE_DAY})|(?P<zone>{_ZONE})|(?P<sep>{_SEPARATOR})",
    re.I,
)


def _parse_written(text: str, clock: datetime) -> ParsedDate | None:
    parts = _lex(text)
    if parts is None or ("date" in parts) == ("relday" in parts):
        return None
    if "date" in parts:
        day = _written_day(parts["date"])
    else:
        day = clock.date() - timedelta(days=_RELATIVE_DAYS[parts["relday"]["rd"].lower()])
    hour_minute = _written_time(parts["time"]) if "time" in parts else None
    zone = _written_zone(parts["zone"]) if "zone" in parts else VN_TZ
    if day is None or zone is None or ("time" in parts and hour_minute is None):
        return None
    weekday = None
    if "weekday" in parts:
        written = parts["weekday"].group()
        weekday = (written, _WEEKDAY_INDEX[re.sub(r"[ .]", "", written.lower())])
    return _result(day, hour_minute, zone, weekday)


def _lex(text: str) -> dict[str, re.Match[str]] | None:
    """Split ``text`` into tokens, each kind at most once. After a ``|`` that follows the date,
    only a time may come (``07/01/2015 | 22:34``); anything else is the author, ignored."""
    parts: dict[str, re.Match[str]] = {}
    position, after_bar = 0, False
    while position < len(text):
        m = _TOKEN.match(text, position)
        kind = m.lastgroup if m else None
        day_seen = "date" in parts or "relday" in parts
        if after_bar and day_seen and (kind != "time" or "time" in parts):
            return parts
        if m is None or kind is None or kind in parts:
            return None
        if kind == "sep":
            after_bar = "|" in m.group()
        else:
            parts[kind], after_bar = m, False
        position = m.end()
    return parts


def _written_day(m: re.Match[str]) -> date | None:
    return _day(_full_year(m["dy"]), int(m["dm"] or m["dmw"]), int(m["dd"]))


def _written_time(m: re.Match[str]) -> tuple[int, int] | None:
    hour, minute = int(m["th"]), int(m["tm"] or m["thm"] or m["tgm"] or 0)
    marker = (m["tap"] or "").lower()
    if marker and not (0 <= hour <= 12 and (hour > 0 or marker in ("sa", "am"))):
        return None
    if marker in ("ch", "pm") and hour < 12:
        hour += 12
    elif marker in ("sa", "am") and hour == 12:
        hour = 0
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def _written_zone(m: re.Match[str]) -> timezone | None:
    return _offset(m["zs"], m["zh"], m["zm"]) if m["zs"] else UTC
