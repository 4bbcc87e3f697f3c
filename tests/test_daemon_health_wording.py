"""``monitor.daemon.health_wording``: the operator alerts' words, for every check and finding."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.daemon.health_wording import (
    VI_FINDINGS,
    EnglishHealth,
    Finding,
    VietnameseHealth,
    health_wording,
    vi_finding,
)

SINCE = "2026-12-03T15:30:00+07:00"
VI = VietnameseHealth()
EN = EnglishHealth()


@pytest.mark.parametrize(
    ("check", "broken", "recovered"),
    [
        (
            "extraction",
            "Sự cố: không trích xuất được nội dung bài viết",
            "Đã khắc phục: việc trích xuất nội dung bài viết đã bình thường trở lại",
        ),
        (
            "listings",
            "Sự cố: các trang danh sách không còn dẫn tới bài viết nào",
            "Đã khắc phục: các trang danh sách đã dẫn tới bài viết trở lại",
        ),
        (
            "entries",
            "Sự cố: nguồn tin (RSS, sitemap, trang danh sách) không còn tồn tại",
            "Đã khắc phục: các nguồn tin đã phản hồi bình thường trở lại",
        ),
        (
            "reachable",
            "Sự cố: trang web không truy cập được",
            "Đã khắc phục: trang web đã truy cập được trở lại",
        ),
        ("fresh", "Sự cố: không có bài viết mới", "Đã khắc phục: đã có bài viết mới trở lại"),
        (
            "backup",
            "Sự cố: không sao lưu được kho lưu trữ",
            "Đã khắc phục: việc sao lưu kho lưu trữ đã bình thường trở lại",
        ),
        (
            "archive",
            "Sự cố: kho lưu trữ bị hỏng",
            "Đã khắc phục: kho lưu trữ đã nguyên vẹn trở lại",
        ),
    ],
)
def test_each_check_has_vietnamese_titles(check: str, broken: str, recovered: str) -> None:
    assert VI.title(check, True) == f"[congan-monitor] {broken}"
    assert VI.title(check, False) == f"[congan-monitor] {recovered}"
    assert EN.title(check, True) == f"[congan-monitor] {check} BROKEN"
    assert EN.title(check, False) == f"[congan-monitor] {check} recovered"


FINDINGS: list[tuple[str, dict[str, Any], str]] = [
    ("unfinished", {}, "lần chạy chưa kết thúc"),
    ("few_fetched", {"fetched": 2}, "chỉ tải được 2 bài viết, chưa đủ để đánh giá"),
    (
        "extraction",
        {"run_id": 12, "fetched": 10, "stored": 4, "quarantined": 6, "profile_misses": 3},
        "lần chạy #12: 6/10 bài viết bị tạm giữ vì thiếu tiêu đề, nội dung hoặc ngày đăng; "
        "3/4 bài không tìm thấy phần nội dung ở vị trí cấu hình trang quy định",
    ),
    (
        "fallbacks",
        {"fallbacks": 3, "records": 4},
        "3/4 bản ghi phải lấy bằng phương án dự phòng — chạy `monitor check URL` với một bài "
        "để xem nguyên nhân",
    ),
    ("few_runs", {}, "chưa đủ số lần chạy để đánh giá"),
    (
        "listings",
        {"runs": 3, "links": 0},
        "3 lần chạy gần nhất có phản hồi tìm thấy 0 liên kết bài viết",
    ),
    ("no_entries", {}, "chưa ghi nhận nguồn tin nào"),
    ("entries_answer", {"count": 5}, "cả 5 nguồn tin đều phản hồi"),
    (
        "entries_missing",
        {"runs": 3, "entries": "/rss/home.rss"},
        "trả về 404/410 trong 3 lần chạy liên tiếp: /rss/home.rss",
    ),
    ("no_runs", {}, "chưa có lần chạy nào"),
    ("reached", {}, "lần chạy gần nhất đã truy cập được trang web"),
    (
        "unreachable",
        {"minutes": 75, "reason": "site unreachable: DNS lookup failed"},
        "không truy cập được trong 75 phút (lỗi: site unreachable: DNS lookup failed)",
    ),
    ("no_article", {}, "chưa có bài viết nào"),
    (
        "quiet",
        {"hours": 12.5, "last": "2026-12-02T21:05:00+07:00"},
        "không có bài viết mới trong 12,5 giờ ban ngày (bài gần nhất lúc 21:05 ngày 02/12/2026)",
    ),
    (
        "backup_failed",
        {"error": "cannot create the backup folder /mnt/b: Permission denied"},
        "lần sao lưu gần nhất thất bại (lỗi: cannot create the backup folder /mnt/b:"
        " Permission denied)",
    ),
    ("backup_made", {"file": "b/monitor-x.db.zst"}, "bản sao lưu gần nhất: b/monitor-x.db.zst"),
    (
        "damaged",
        {"detail": "db/monitor.db is damaged: integrity: …"},
        "kiểm tra kho lưu trữ phát hiện hư hỏng: db/monitor.db is damaged: integrity: …",
    ),
    ("verified", {}, "kiểm tra đầy đủ kho lưu trữ không phát hiện lỗi"),
    (
        "disk",
        {"size": 3 * 1024**3 // 2, "free": 61 * 1024**2, "per_month": 45 * 1024**2, "days": 41},
        "còn trống 61,0 MiB; kho lưu trữ (1,5 GiB) tăng khoảng 45,0 MiB mỗi tháng, "
        "sẽ đầy sau khoảng 41 ngày",
    ),
    (
        "disk_unknown",
        {"free": 2048},
        "chưa ước tính được tốc độ tăng của kho lưu trữ; còn trống 2,0 KiB",
    ),
    ("disk_still", {}, "kho lưu trữ không tăng: gần đây không có bài viết mới"),
    ("disk_low", {"free": 512}, "chỉ còn trống 512 B trên ổ đĩa chứa kho lưu trữ"),
]


def test_every_kind_of_finding_is_tested() -> None:
    assert sorted(kind for kind, _, _ in FINDINGS) == sorted(VI_FINDINGS)


@pytest.mark.parametrize(("kind", "figures", "text"), FINDINGS)
def test_each_finding_in_vietnamese(kind: str, figures: dict[str, Any], text: str) -> None:
    assert vi_finding(Finding(kind, figures)) == text


def test_an_extraction_finding_with_fallbacks_says_both() -> None:
    figures = {"run_id": 12, "fetched": 4, "stored": 4, "quarantined": 0, "profile_misses": 0}
    text = vi_finding(Finding("extraction", {**figures, "fallbacks": 3, "records": 4}))
    assert text.endswith("quy định; 3/4 bản ghi phải lấy bằng phương án dự phòng — chạy "
                         "`monitor check URL` với một bài để xem nguyên nhân")  # fmt: skip


def test_a_finding_kept_by_an_older_or_newer_version_never_fails() -> None:
    assert vi_finding(Finding("unreachable", {"minutes": 75})).endswith("(lỗi: ?)")
    assert vi_finding(Finding("someday", {"rate": 0.5})) == "rate = 0,5"


def test_vietnamese_body_is_golden() -> None:
    found = Finding("unreachable", {"minutes": 75, "reason": "site unreachable: timeout"})
    body = VI.body("reachable", True, SINCE, "unreachable for 75 minutes: …", found)
    assert body == (
        "Trang web không truy cập được (ghi nhận lúc 15:30 ngày 03/12/2026).\n"
        "Chi tiết: không truy cập được trong 75 phút (lỗi: site unreachable: timeout).\n"
        "Mục kiểm tra: reachable — xem `monitor status`."
    )


def test_english_body_is_unchanged() -> None:
    found = Finding("reached")
    body = EN.body("reachable", False, SINCE, "the last run reached the site", found)
    assert (
        body == "reachable recovered since 2026-12-03T15:30:00+07:00: the last run reached the site"
    )


def test_an_unknown_check_is_named() -> None:
    assert VI.title("cpu", True) == "[congan-monitor] Sự cố: mục kiểm tra «cpu» báo lỗi"


def test_a_finding_survives_the_health_state() -> None:
    found = Finding("quiet", {"hours": 12.5, "last": SINCE})
    assert Finding.from_state(found.to_state()) == found
    assert Finding.from_state(None) is None
    assert Finding.from_state({"figures": {}}) is None


def test_the_setting_picks_the_wording() -> None:
    assert (health_wording("vi"), health_wording("en")) == (VI, EN)
