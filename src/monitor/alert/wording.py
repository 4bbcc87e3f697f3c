"""The words of every message a reader receives, in Vietnamese (the default) or English.

``alerts.language`` picks one ``Wording``: a frozen dataclass per language, holding the default
templates of an alert and a method for each part that carries a count or a date. Rule names,
article titles and site text go in as they are; only the words around them change.

    alert title      both    [dan-van] Công tác dân vận ở Thủ Đức
    alert body       en      … Rule dan-van: Lực lượng … Ban «Dân vận».
                     vi      … Khớp quy tắc «dan-van»: Lực lượng … Ban «Dân vận».
    {published_at}   en      2025-03-19T10:00:00+07:00 (as stored)
                     vi      10:00 ngày 19/03/2025
    digest title     en      Digest 2025-03-19: 3 alerts
                     vi      Bản tin tổng hợp Thứ Tư, 19/03/2025: 3 bài viết mới
    digest heading   en      == Rule dan-van (2) ==
                     vi      == 2 bài viết mới khớp quy tắc «dan-van» ==
    test message     en      congan-monitor: test message
                     vi      congan-monitor: tin nhắn thử

Vietnamese dates are written as Vietnamese readers write them, in Vietnam time: day first,
``dd/mm/yyyy``, a 24-hour clock (``15:30 ngày 03/12/2026``; a day as ``Thứ Năm, 03/12/2026``),
the weekday names of ``monitor.dates``; decimals take a comma (``12,5``). English keeps the
archive's ISO form. The operator alerts' words are in ``monitor.daemon.health_wording``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from monitor.clock import VN_TZ
from monitor.config.alerting import Language
from monitor.dates import WEEKDAY_NAMES


class Wording(Protocol):
    """What ``monitor.alert.message`` asks of a language."""

    @property
    def title_template(self) -> str:
        """An alert's title, for channels that set no ``title_template``."""
        ...

    @property
    def body_template(self) -> str:
        """An alert's body (also each item of a digest), for channels that set none."""
        ...

    def published(self, value: str | None, precision: str | None) -> str:
        """The ``{published_at}`` field: an article's stored publication time."""
        ...

    def digest_title(self, day: date, alerts: int, articles: int) -> str:
        """A digest's title: its day, and how many alerts (of how many articles) it holds."""
        ...

    def digest_heading(self, rule: str, count: int) -> str:
        """The heading of a rule's section in a digest."""
        ...

    def test_message(self, channel: str) -> tuple[str, str]:
        """The title and body of ``monitor alerts test CHANNEL``."""
        ...


@dataclass(frozen=True)
class English:
    """The English wording, unchanged since the first release."""

    title_template: str = "[{rule}] {title}"
    body_template: str = "{title}\n{section} · {published_at}\n{url}\n\nRule {rule}: {snippet}"

    def published(self, value: str | None, precision: str | None) -> str:
        """As stored: ``2025-03-19T10:00:00+07:00``."""
        return "" if value is None else value

    def digest_title(self, day: date, alerts: int, articles: int) -> str:
        """``Digest 2025-03-19: 3 alerts`` (``1 alert``)."""
        return f"Digest {day.isoformat()}: {alerts} {'alert' if alerts == 1 else 'alerts'}"

    def digest_heading(self, rule: str, count: int) -> str:
        """``== Rule dan-van (2) ==``."""
        return f"== Rule {rule} ({count}) =="

    def test_message(self, channel: str) -> tuple[str, str]:
        """A title naming the monitor, a body naming the channel."""
        body = f"A test of the alert channel {channel!r}. Nothing to do."
        return "congan-monitor: test message", body


@dataclass(frozen=True)
class Vietnamese:
    """The Vietnamese wording (the default)."""

    title_template: str = "[{rule}] {title}"
    body_template: str = (
        "{title}\nChuyên mục: {section} · {published_at}\nXem bài gốc: {url}\n\n"
        "Khớp quy tắc «{rule}»: {snippet}"
    )

    def published(self, value: str | None, precision: str | None) -> str:
        """``10:00 ngày 19/03/2025``; ``ngày 19/03/2025`` when the page gave no time."""
        return vi_published(value, precision)

    def digest_title(self, day: date, alerts: int, articles: int) -> str:
        """``Bản tin tổng hợp Thứ Tư, 19/03/2025: 3 bài viết mới`` — articles, not alerts:
        an article two rules matched is one article."""
        return f"Bản tin tổng hợp {vi_day(day)}: {articles} bài viết mới"

    def digest_heading(self, rule: str, count: int) -> str:
        """``== 2 bài viết mới khớp quy tắc «dan-van» ==`` (a rule alerts once an article)."""
        return f"== {count} bài viết mới khớp quy tắc «{rule}» =="

    def test_message(self, channel: str) -> tuple[str, str]:
        """A title naming the monitor, a body naming the channel."""
        body = f"Đây là tin nhắn thử của kênh cảnh báo «{channel}». Không cần làm gì thêm."
        return "congan-monitor: tin nhắn thử", body


ENGLISH = English()
VIETNAMESE = Vietnamese()
WORDINGS: Mapping[Language, Wording] = {"vi": VIETNAMESE, "en": ENGLISH}


def wording(language: Language) -> Wording:
    """The wording of ``language`` (``alerts.language``, validated by the configuration)."""
    return WORDINGS[language]


# --- Vietnamese dates and numbers -----------------------------------------------------------


def vi_day(day: date) -> str:
    """``Thứ Năm, 03/12/2026``: the weekday, then the day first."""
    return f"{WEEKDAY_NAMES[day.weekday()]}, {day:%d/%m/%Y}"


def vi_time(moment: datetime) -> str:
    """``15:30 ngày 03/12/2026``, in Vietnam time (a naive time is taken to be Vietnam time
    already), on a 24-hour clock."""
    local = moment.astimezone(VN_TZ) if moment.utcoffset() is not None else moment
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def vi_timestamp(value: str) -> str:
    """An archive timestamp (ISO 8601) as ``vi_time`` words it; text that is none, as it is."""
    moment = _moment(value)
    return value if moment is None else vi_time(moment)


def vi_published(value: str | None, precision: str | None) -> str:
    """A publication time: ``10:00 ngày 19/03/2025``, or ``ngày 19/03/2025`` for a date
    without a time (precision ``day``: stored as midnight)."""
    moment = _moment(value) if value is not None else None
    if moment is None:
        return value or ""
    return f"ngày {moment:%d/%m/%Y}" if precision == "day" else vi_time(moment)


def _moment(value: str) -> datetime | None:
    """An ISO 8601 text in Vietnam time (no offset: already Vietnam time), or None."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(VN_TZ) if moment.utcoffset() is not None else moment


def vi_number(value: float, digits: int = 1) -> str:
    """``12,5``: a decimal comma, as Vietnamese writes numbers."""
    return f"{value:.{digits}f}".replace(".", ",")
