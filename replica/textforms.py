"""Text as the live site serves it: decomposed Vietnamese, invisible characters, date lines.

The site's publish-date node carries its weekday with the tone marks decomposed but the letter
shapes composed ("ư" + U+0301 for "ứ", the Windows-1258 style), which is neither NFC nor NFD;
``tone_decompose`` reproduces it. ``decompose`` offers both styles for whole texts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from monitor.dates import VN_TZ

TextForm = Literal["nfc", "nfd", "tone"]

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Format characters that copy-paste leaves inside words: zero-width space, soft hyphen, BOM.
INVISIBLES = ("\u200b", "\u00ad", "\ufeff")

_DATE_LINE = re.compile(
    r"^(?P<weekday>[^,]+),\s*(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?(?P<tail>.*)$",
    re.DOTALL,
)


def tone_decompose(text: str) -> str:
    """Compose letter shapes, decompose tone marks: "Thứ" -> "Thư" + U+0301."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in parts if mark in TONE_MARKS)
        if tones:
            shape = "".join(mark for mark in parts if mark not in TONE_MARKS)
            out.append(unicodedata.normalize("NFC", shape) + tones)
        else:
            out.append(char)
    return "".join(out)


def decompose(text: str, form: TextForm) -> str:
    """The text in one of the forms the site serves."""
    if form == "nfd":
        return unicodedata.normalize("NFD", text)
    if form == "tone":
        return tone_decompose(text)
    return text


def sprinkle_invisibles(text: str, rng: random.Random, rate: float = 0.12) -> str:
    """Put format characters inside some words and no-break spaces between some words.

    Characters go only between two letters (never before a combining mark, never inside the
    "(CAO)" dateline), so removing them and composing gives back the original text.
    """
    words = text.split(" ")
    for index, word in enumerate(words):
        if word.startswith("(") or rng.random() >= rate:
            continue
        spots = [i for i in range(1, len(word)) if _is_letter(word[i - 1]) and _is_letter(word[i])]
        if spots:
            spot = rng.choice(spots)
            words[index] = word[:spot] + rng.choice(INVISIBLES) + word[spot:]
    joints = [" " if rng.random() >= rate / 2 else "\u00a0" for _ in words[1:]]
    return words[0] + "".join(joint + word for joint, word in zip(joints, words[1:], strict=True))


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def lookalike_eth(text: str) -> str:
    """Replace Đ/đ with the look-alike Ð/ð (U+00D0/U+00F0) that some editors type."""
    return text.replace("Đ", "Ð").replace("đ", "ð")


@dataclass(frozen=True)
class DateLine:
    """The publish-date node's text, taken apart."""

    when: datetime  # local time in Vietnam, naive
    has_time: bool
    tail: str  # what follows the date: "" or "\r\n        \xa0|\xa0{Author}"


def parse_date_line(raw: str) -> DateLine:
    """Take apart "Thứ Ba, 18/03/2025 22:46[\\r\\n  | Author]" or "Chủ Nhật, 2/10/2022"."""
    match = _DATE_LINE.match(raw)
    if match is None:
        raise ValueError(f"not a congan.com.vn date line: {raw!r}")
    has_time = match["hour"] is not None
    when = datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        int(match["hour"]) if has_time else 0,
        int(match["minute"]) if has_time else 0,
    )
    return DateLine(when=when, has_time=has_time, tail=match["tail"])


def format_date(when: datetime, *, padded: bool, with_time: bool, weekday_shift: int = 0) -> str:
    """ "Thứ Ba, 08/04/2025 19:58" or "Thứ Ba, 8/4/2025", weekday tone-decomposed as on the site.

    ``weekday_shift`` names a wrong weekday on purpose (a contradiction the parser must report).
    """
    weekday = tone_decompose(WEEKDAYS[(when.weekday() + weekday_shift) % 7])
    if padded:
        day = f"{when.day:02d}/{when.month:02d}/{when.year}"
    else:
        day = f"{when.day}/{when.month}/{when.year}"
    clock = f" {when.hour:02d}:{when.minute:02d}" if with_time else ""
    return f"{weekday}, {day}{clock}"


def iso(when: datetime) -> str:
    """ISO 8601 of a wall-clock time in Vietnam, to the second: "2025-03-18T22:46:00+07:00"."""
    return when.replace(tzinfo=VN_TZ, microsecond=0).isoformat()


def later(when: datetime, rng: random.Random) -> datetime:
    """A plausible modification time: between half an hour and a day after ``when``."""
    return when + timedelta(minutes=rng.randint(30, 24 * 60))
