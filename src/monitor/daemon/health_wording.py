"""The words of the operator alerts (``health.channel``), in ``alerts.language``.

A check's finding is data — a ``Finding``: a kind and its figures, kept in the health state —
so that a language words it at send time. English keeps the words it always had: the check's
English ``detail``, which ``monitor status`` shows too. Vietnamese words each check and each
kind of finding, with times as ``15:30 ngày 03/12/2026`` and decimals as ``12,5``; the time it
gives is when the monitor noticed the change ("ghi nhận lúc"), and the finding says how long
the trouble lasted:

    en   [congan-monitor] reachable BROKEN
         reachable BROKEN since 2025-06-23T11:15:00+07:00: unreachable for 75 minutes: …
    vi   [congan-monitor] Sự cố: trang web không truy cập được
         Trang web không truy cập được (ghi nhận lúc 11:15 ngày 23/06/2025).
         Chi tiết: không truy cập được trong 75 phút (lỗi: site unreachable: …).
         Mục kiểm tra: reachable — xem `monitor status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from monitor.alert.wording import vi_number, vi_timestamp
from monitor.config.alerting import Language
from monitor.growth import size_text

TITLE_PREFIX = "[congan-monitor]"


@dataclass(frozen=True)
class Finding:
    """What a check found, as data: ``kind`` names a sentence, ``figures`` fill it in (numbers
    and text only: the health state keeps them as JSON)."""

    kind: str
    figures: Mapping[str, Any] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        return {"kind": self.kind, "figures": dict(self.figures)}

    @classmethod
    def from_state(cls, value: object) -> Finding | None:
        """A finding kept in the health state; None for anything else (an older state)."""
        if isinstance(value, dict) and isinstance(value.get("kind"), str):
            figures = value.get("figures")
            return cls(value["kind"], figures if isinstance(figures, dict) else {})
        return None


class HealthWording(Protocol):
    """What ``monitor.daemon.health`` asks of a language."""

    def title(self, check: str, broken: bool) -> str:
        """The operator alert's title: which check, broken or recovered."""
        ...

    def body(self, check: str, broken: bool, since: str, detail: str, found: Finding | None) -> str:
        """The operator alert's body: since when (an archive timestamp), and the evidence."""
        ...


@dataclass(frozen=True)
class EnglishHealth:
    """``[congan-monitor] extraction BROKEN`` / ``recovered``; the body is the English detail."""

    def title(self, check: str, broken: bool) -> str:
        return f"{TITLE_PREFIX} {check} {_english_word(broken)}"

    def body(self, check: str, broken: bool, since: str, detail: str, found: Finding | None) -> str:
        return f"{check} {_english_word(broken)} since {since}: {detail}"


def _english_word(broken: bool) -> str:
    return "BROKEN" if broken else "recovered"


# each check: what the operator is told when it breaks, and when it recovers
VI_CHECKS: Mapping[str, tuple[str, str]] = {
    "extraction": (
        "không trích xuất được nội dung bài viết",
        "việc trích xuất nội dung bài viết đã bình thường trở lại",
    ),
    "listings": (
        "các trang danh sách không còn dẫn tới bài viết nào",
        "các trang danh sách đã dẫn tới bài viết trở lại",
    ),
    "entries": (
        "nguồn tin (RSS, sitemap, trang danh sách) không còn tồn tại",
        "các nguồn tin đã phản hồi bình thường trở lại",
    ),
    "reachable": ("trang web không truy cập được", "trang web đã truy cập được trở lại"),
    "fresh": ("không có bài viết mới", "đã có bài viết mới trở lại"),
    "disk": (
        "ổ đĩa chứa kho lưu trữ sắp đầy",
        "ổ đĩa chứa kho lưu trữ đã đủ chỗ trở lại",
    ),
    "backup": ("không sao lưu được kho lưu trữ", "việc sao lưu kho lưu trữ đã bình thường trở lại"),
    "archive": ("kho lưu trữ bị hỏng", "kho lưu trữ đã nguyên vẹn trở lại"),
}

# each kind of finding, its figures by name (floats with a decimal comma, ``last`` as a time)
VI_FINDINGS: Mapping[str, str] = {
    "unfinished": "lần chạy chưa kết thúc",
    "few_fetched": "chỉ tải được {fetched} bài viết, chưa đủ để đánh giá",
    "extraction": (
        "lần chạy #{run_id}: {quarantined}/{fetched} bài viết bị tạm giữ vì thiếu tiêu đề, "
        "nội dung hoặc ngày đăng; {profile_misses}/{stored} bài không tìm thấy phần nội dung "
        "ở vị trí cấu hình trang quy định"
    ),
    "fallbacks": (
        "{fallbacks}/{records} bản ghi phải lấy bằng phương án dự phòng — chạy "
        "`monitor check URL` với một bài để xem nguyên nhân"
    ),
    "few_runs": "chưa đủ số lần chạy để đánh giá",
    "listings": "{runs} lần chạy gần nhất có phản hồi tìm thấy {links} liên kết bài viết",
    "no_entries": "chưa ghi nhận nguồn tin nào",
    "entries_answer": "cả {count} nguồn tin đều phản hồi",
    "entries_missing": "trả về 404/410 trong {runs} lần chạy liên tiếp: {entries}",
    "no_runs": "chưa có lần chạy nào",
    "reached": "lần chạy gần nhất đã truy cập được trang web",
    "unreachable": "không truy cập được trong {minutes} phút (lỗi: {reason})",
    "no_article": "chưa có bài viết nào",
    "quiet": "không có bài viết mới trong {hours} giờ ban ngày (bài gần nhất lúc {last})",
    "disk": (
        "còn trống {free}; kho lưu trữ ({size}) tăng khoảng {per_month} mỗi tháng, "
        "sẽ đầy sau khoảng {days} ngày"
    ),
    "disk_unknown": "chưa ước tính được tốc độ tăng của kho lưu trữ; còn trống {free}",
    "disk_still": "kho lưu trữ không tăng: gần đây không có bài viết mới",
    "disk_low": "chỉ còn trống {free} trên ổ đĩa chứa kho lưu trữ",
    "backup_failed": "lần sao lưu gần nhất thất bại (lỗi: {error})",
    "backup_made": "bản sao lưu gần nhất: {file}",
    "damaged": "kiểm tra kho lưu trữ phát hiện hư hỏng: {detail}",
    "verified": "kiểm tra đầy đủ kho lưu trữ không phát hiện lỗi",
}
SIZES = ("size", "free", "per_month")  # figures in bytes, worded as ``45,0 MiB``


@dataclass(frozen=True)
class VietnameseHealth:
    """``[congan-monitor] Sự cố: …`` / ``Đã khắc phục: …``; the body words the finding."""

    def title(self, check: str, broken: bool) -> str:
        state = "Sự cố" if broken else "Đã khắc phục"
        return f"{TITLE_PREFIX} {state}: {_vi_check(check, broken)}"

    def body(self, check: str, broken: bool, since: str, detail: str, found: Finding | None) -> str:
        sentence = _vi_check(check, broken)
        evidence = vi_finding(found) if found is not None else detail
        return (
            f"{sentence[:1].upper()}{sentence[1:]} (ghi nhận lúc {vi_timestamp(since)}).\n"
            f"Chi tiết: {evidence}.\n"
            f"Mục kiểm tra: {check} — xem `monitor status`."
        )


def _vi_check(check: str, broken: bool) -> str:
    fallback = (f"mục kiểm tra «{check}» báo lỗi", f"mục kiểm tra «{check}» đã bình thường")
    return VI_CHECKS.get(check, fallback)[0 if broken else 1]


def vi_finding(found: Finding) -> str:
    """A finding in Vietnamese; the fallbacks' share follows an extraction finding that has it.
    A kind this version does not know (a newer state) is shown as its figures."""
    figures = _Figures({name: _vi_figure(name, value) for name, value in found.figures.items()})
    template = VI_FINDINGS.get(found.kind)
    if template is None:
        return "; ".join(f"{name} = {value}" for name, value in figures.items()) or found.kind
    text = template.format_map(figures)
    if found.kind == "extraction" and "fallbacks" in figures:
        text += "; " + VI_FINDINGS["fallbacks"].format_map(figures)
    return text


class _Figures(dict[str, str]):
    """A figure missing from a kept finding (an older state) shows as ``?``, never raises."""

    def __missing__(self, name: str) -> str:
        return "?"


def _vi_figure(name: str, value: Any) -> str:
    if name == "last" and isinstance(value, str):
        return vi_timestamp(value)
    if name in SIZES and isinstance(value, int):
        return size_text(value).replace(".", ",")
    if isinstance(value, float):
        return vi_number(value)
    return str(value)


HEALTH_WORDINGS: Mapping[Language, HealthWording] = {
    "vi": VietnameseHealth(),
    "en": EnglishHealth(),
}


def health_wording(language: Language) -> HealthWording:
    """The operator alerts' wording in ``language`` (``alerts.language``)."""
    return HEALTH_WORDINGS[language]
