"""What the web view's pages say, in Vietnamese: times, field names, rules as sentences.

Pure: no Datasette, no HTML. Times in the archive are ISO 8601 with their offset (+07:00);
shown here in Vietnam time, as the site prints them (``Thứ Ba, 18/03/2025, 22:46 (GMT+7)``),
without the hour when the page gave only the day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from monitor.clock import VN_TZ

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
FIELDS = {"title": "tiêu đề", "lead": "sapo", "body": "nội dung"}
ACCENTS = {"exact": "phân biệt dấu", "fold": "không phân biệt dấu"}


def vietnam_time(iso: str | None, precision: str | None = "minute", *, weekday: bool = True) -> str:
    """``iso`` in Vietnam time, ``Thứ Ba, 18/03/2025, 22:46 (GMT+7)``; the day alone when
    ``precision`` is ``day``; ``""`` for no time, the text itself when it is not ISO 8601."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.utcoffset() is not None:
        moment = moment.astimezone(VN_TZ)
    shown = f"{moment:%d/%m/%Y}"
    if weekday:
        shown = f"{WEEKDAYS[moment.weekday()]}, {shown}"
    if precision != "day":
        shown += f", {moment:%H:%M} (GMT+7)" if weekday else f" {moment:%H:%M}"
    return shown


def listed(items: Sequence[str], *, quoted: bool = True) -> str:
    """``«a», «b», «c»`` (or without the quotes)."""
    return ", ".join(f"«{item}»" if quoted else item for item in items)


def rule_sentences(rule: Mapping[str, Any]) -> list[str]:
    """A configured rule (its settings as in the config file) as a few plain sentences."""
    sentences = [f"Khớp khi bài có một trong các từ khóa: {listed(rule['keywords'])}."]
    if rule.get("all"):
        sentences.append(f"Bài còn phải có đủ: {listed(rule['all'])}.")
    if rule.get("exclude"):
        sentences.append(f"Bỏ qua bài có: {listed(rule['exclude'])}.")
    fields = [FIELDS.get(field, field) for field in rule.get("fields") or FIELDS]
    accents = ACCENTS.get(rule.get("accents") or "exact", "")
    sentences.append(f"Tìm trong {listed(fields, quoted=False)}; {accents}.")
    if rule.get("sections"):
        sections = listed(rule["sections"], quoted=False)
        sentences.append(f"Chỉ các chuyên mục: {sections}.")
    if rule.get("on_topic"):
        sentences.append("Bài khớp được đánh dấu là đúng chủ đề.")
    return sentences
