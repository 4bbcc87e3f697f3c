"""``monitor.alert.message``: an alert row → a plain-text message, keyword marked «so», worded
in ``alerts.language`` (Vietnamese by default; the English wording is unchanged)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from monitor.alert.message import mark_keyword, render_alert, render_digest
from monitor.archive.rows import AlertMatch, AlertRow
from monitor.config.alerting import TEMPLATE_FIELDS, Channel

CONSOLE = Channel(type="console")


def alert(alert_id: int = 7, rule: str = "dan-van", **changes: Any) -> AlertRow:
    """A row as ``Archive.due_alerts`` returns it."""
    row: dict[str, Any] = {
        "id": alert_id,
        "article_id": 141005,
        "rule": rule,
        "channel": "email",
        "status": "pending",
        "attempts": 0,
        "created_at": "2025-03-19T11:47:05+07:00",
        "next_attempt_at": "2025-03-19T11:47:05+07:00",
        "sent_at": None,
        "last_error": None,
        "title": "Công tác dân vận ở Thủ Đức",
        "section": "tin-chinh",
        "published_at": "2025-03-19T10:00:00+07:00",
        "published_precision": "minute",
        "url": "https://congan.com.vn/tin-chinh/bai-viet_141005.html",
        "lead": "Công an TP giữ vững an ninh.",
        "match": AlertMatch(
            keyword="dân vận",
            field="body",
            start=35,
            end=42,
            snippet="Lực lượng Công an phối hợp với Ban Dân vận.",
        ),
    }
    return AlertRow(**{**row, **changes})


def test_default_templates_give_rule_title_link_and_marked_snippet() -> None:
    message = render_alert(alert(), "email", CONSOLE, "en")
    assert message.title == "[dan-van] Công tác dân vận ở Thủ Đức"
    assert message.body == (
        "Công tác dân vận ở Thủ Đức\n"
        "tin-chinh · 2025-03-19T10:00:00+07:00\n"
        "https://congan.com.vn/tin-chinh/bai-viet_141005.html\n\n"
        "Rule dan-van: Lực lượng Công an phối hợp với Ban «Dân vận»."
    )
    assert (message.channel, message.alert_ids) == ("email", (7,))


def test_every_template_field_is_filled() -> None:
    template = "|".join(f"{{{name}}}" for name in TEMPLATE_FIELDS)
    channel = Channel(type="console", title_template="{keyword}", body_template=template)
    message = render_alert(alert(), "email", channel, "en")
    assert message.title == "dân vận"
    assert message.body.split("|") == [
        "Công tác dân vận ở Thủ Đức",
        "tin-chinh",
        "2025-03-19T10:00:00+07:00",
        "https://congan.com.vn/tin-chinh/bai-viet_141005.html",
        "dan-van",
        "dân vận",
        "Lực lượng Công an phối hợp với Ban «Dân vận».",
        "Công an TP giữ vững an ninh.",
        "email",
    ]


def test_html_looking_site_text_stays_literal() -> None:
    title = "<b>Dân vận</b> & <script>alert(1)</script> &amp; {rule}"
    message = render_alert(alert(title=title), "email", CONSOLE, "vi")
    assert message.title == f"[dan-van] {title}"
    assert message.body.startswith(title + "\n")


@pytest.mark.parametrize(
    ("snippet", "keyword", "marked"),
    [
        ("Ban DÂN VẬN huyện", "dân vận", "Ban «DÂN VẬN» huyện"),
        ("công tác hoà giải ở cơ sở", "hòa giải", "công tác «hoà giải» ở cơ sở"),  # tone style
        ("Phong trào Dân vận khéo", "dan van", "Phong trào «Dân vận» khéo"),  # accents = fold
        ("Thanh niên cùng Công an", "an", "Thanh niên cùng Công «an»"),  # whole word first
        ("Không có từ khóa", "dân vận", "Không có từ khóa"),
    ],
)
def test_keyword_is_marked_in_the_snippet(snippet: str, keyword: str, marked: str) -> None:
    assert mark_keyword(snippet, keyword) == marked


def test_alert_without_a_match_renders_an_empty_snippet() -> None:
    message = render_alert(alert(match=None, lead=None), "email", CONSOLE, "en")
    assert message.body.endswith("Rule dan-van: ")


def test_digest_is_one_message_grouped_by_rule() -> None:
    rows = [alert(1), alert(2, rule="toan-dan", title="Toàn dân"), alert(3, title="Bài ba")]
    message = render_digest(rows, "email", CONSOLE, date(2025, 3, 19), "en")
    assert message.title == "Digest 2025-03-19: 3 alerts"
    assert message.alert_ids == (1, 3, 2)
    body = message.body
    assert body.index("== Rule dan-van (2) ==") < body.index("Bài ba")
    assert body.index("Bài ba") < body.index("== Rule toan-dan (1) ==") < body.index("Toàn dân")
    assert body.count("«Dân vận»") == 3


# --- Vietnamese (the default language) -------------------------------------------------------


def test_vietnamese_alert_is_worded_in_vietnamese_with_a_vietnamese_date() -> None:
    message = render_alert(alert(), "email", CONSOLE, "vi")
    assert message.title == "[dan-van] Công tác dân vận ở Thủ Đức"
    assert message.body == (
        "Công tác dân vận ở Thủ Đức\n"
        "Chuyên mục: tin-chinh · 10:00 ngày 19/03/2025\n"
        "Xem bài gốc: https://congan.com.vn/tin-chinh/bai-viet_141005.html\n\n"
        "Khớp quy tắc «dan-van»: Lực lượng Công an phối hợp với Ban «Dân vận»."
    )


def test_vietnamese_date_without_a_time_shows_the_day_only() -> None:
    row = alert(published_at="2025-03-19T00:00:00+07:00", published_precision="day")
    message = render_alert(row, "email", CONSOLE, "vi")
    assert "\nChuyên mục: tin-chinh · ngày 19/03/2025\n" in message.body


def test_vietnamese_alert_without_a_match_ends_with_the_rule() -> None:
    message = render_alert(alert(match=None, lead=None), "email", CONSOLE, "vi")
    assert message.body.endswith("Khớp quy tắc «dan-van»: ")


def test_own_templates_are_used_as_written_with_the_date_in_vietnamese() -> None:
    channel = Channel(
        type="console", title_template="Tin mới: {title}", body_template="{published_at} {url}"
    )
    message = render_alert(alert(), "email", channel, "vi")
    assert message.title == "Tin mới: Công tác dân vận ở Thủ Đức"
    assert (
        message.body == "10:00 ngày 19/03/2025 https://congan.com.vn/tin-chinh/bai-viet_141005.html"
    )


def test_vietnamese_digest_is_golden() -> None:
    other = {
        "article_id": 141006,
        "title": "Toàn dân",
        "url": "https://congan.com.vn/a_141006.html",
    }
    rows = [alert(1), alert(2, rule="toan-dan", **other)]
    message = render_digest(rows, "email", CONSOLE, date(2025, 3, 19), "vi")
    assert message.title == "Bản tin tổng hợp Thứ Tư, 19/03/2025: 2 bài viết mới"
    assert message.body == (
        "== 1 bài viết mới khớp quy tắc «dan-van» ==\n\n"
        "Công tác dân vận ở Thủ Đức\n"
        "Chuyên mục: tin-chinh · 10:00 ngày 19/03/2025\n"
        "Xem bài gốc: https://congan.com.vn/tin-chinh/bai-viet_141005.html\n\n"
        "Khớp quy tắc «dan-van»: Lực lượng Công an phối hợp với Ban «Dân vận».\n\n"
        "== 1 bài viết mới khớp quy tắc «toan-dan» ==\n\n"
        "Toàn dân\n"
        "Chuyên mục: tin-chinh · 10:00 ngày 19/03/2025\n"
        "Xem bài gốc: https://congan.com.vn/a_141006.html\n\n"
        "Khớp quy tắc «toan-dan»: Lực lượng Công an phối hợp với Ban «Dân vận»."
    )
    assert message.alert_ids == (1, 2)


def test_vietnamese_digest_counts_articles_once_where_english_counts_alerts() -> None:
    rows = [alert(1), alert(2, rule="toan-dan"), alert(3, article_id=141006)]  # 141005 twice
    day = date(2026, 12, 6)
    vietnamese = render_digest(rows, "email", CONSOLE, day, "vi")
    assert vietnamese.title == "Bản tin tổng hợp Chủ Nhật, 06/12/2026: 2 bài viết mới"
    assert "== 2 bài viết mới khớp quy tắc «dan-van» ==" in vietnamese.body
    assert render_digest(rows, "email", CONSOLE, day, "en").title == "Digest 2026-12-06: 3 alerts"


def test_a_digest_of_one_alert_is_worded_in_the_singular() -> None:
    day = date(2025, 3, 19)
    assert (
        render_digest([alert()], "email", CONSOLE, day, "en").title == "Digest 2025-03-19: 1 alert"
    )
    vietnamese = render_digest([alert()], "email", CONSOLE, day, "vi")
    assert vietnamese.title == "Bản tin tổng hợp Thứ Tư, 19/03/2025: 1 bài viết mới"
    assert vietnamese.body.startswith("== 1 bài viết mới khớp quy tắc «dan-van» ==\n\n")
