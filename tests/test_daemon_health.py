"""monitor.daemon.health: checks turn broken and back, alerting once each way, in the language
of ``alerts.language`` (the English tests name it; Vietnamese is the default)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from test_archive_support import record, store

from monitor import growth
from monitor.archive import VN_TZ, Archive, EntryYield, Run
from monitor.archive.runs import RunOutcome
from monitor.clock import ManualClock
from monitor.config import Config
from monitor.config.alerting import Language
from monitor.daemon import health
from monitor.daemon.health import Verdict, daytime_hours_between
from monitor.daemon.health_wording import Finding

NOW = datetime(2025, 6, 23, 12, 0, tzinfo=VN_TZ)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        yield opened


class Operator:
    """Collects operator alerts (titles, and bodies); can be told to fail (a channel outage)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.bodies: list[str] = []
        self.down = False

    def __call__(self, title: str, body: str) -> None:
        if self.down:
            raise OSError("connection refused")
        self.sent.append(title)
        self.bodies.append(body)


def test_a_check_turning_broken_alerts_once(archive: Archive) -> None:
    operator = Operator()
    for _ in range(3):
        health.apply(
            archive,
            [Verdict("extraction", True, "9 of 10 quarantined")],
            operator,
            NOW,
            language="en",
        )
    assert operator.sent == ["[congan-monitor] extraction BROKEN"]


def test_recovery_alerts_once(archive: Archive) -> None:
    operator = Operator()
    health.apply(archive, [Verdict("extraction", True, "broken")], operator, NOW, language="en")
    for _ in range(2):
        health.apply(archive, [Verdict("extraction", False, "fine")], operator, NOW, language="en")
    assert operator.sent[-1] == "[congan-monitor] extraction recovered"
    assert len(operator.sent) == 2


def test_no_evidence_keeps_the_state(archive: Archive) -> None:
    operator = Operator()
    health.apply(archive, [Verdict("extraction", True, "broken")], operator, NOW, language="en")
    health.apply(
        archive, [Verdict("extraction", None, "too few articles")], operator, NOW, language="en"
    )
    assert health.state(archive)["extraction"]["broken"] is True
    assert len(operator.sent) == 1


def test_an_alert_that_could_not_be_sent_is_retried(archive: Archive) -> None:
    operator = Operator()
    operator.down = True
    health.apply(archive, [Verdict("reachable", True, "down")], operator, NOW, language="en")
    assert operator.sent == []
    operator.down = False
    health.apply(archive, [Verdict("reachable", True, "still down")], operator, NOW, language="en")
    assert operator.sent == ["[congan-monitor] reachable BROKEN"]


def test_healthy_checks_never_alert(archive: Archive) -> None:
    operator = Operator()
    health.apply(
        archive, [Verdict("fresh", False, "new articles today")], operator, NOW, language="en"
    )
    assert operator.sent == []
    assert health.state(archive)["fresh"]["detail"] == "new articles today"


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ((2025, 6, 23, 8), (2025, 6, 23, 12), 4.0),  # inside the day
        ((2025, 6, 22, 20), (2025, 6, 23, 8), 4.0),  # 20-22 and 06-08
        ((2025, 6, 22, 23), (2025, 6, 23, 5), 0.0),  # the night does not count
        ((2025, 6, 21, 6), (2025, 6, 23, 6), 32.0),  # two whole days
    ],
)
def test_daytime_hours_between(
    start: tuple[int, int, int, int], end: tuple[int, int, int, int], hours: float
) -> None:
    begin = datetime(*start, tzinfo=VN_TZ)
    finish = datetime(*end, tzinfo=VN_TZ)
    assert daytime_hours_between(begin, finish, "06:00-22:00") == hours


def finished_run(archive: Archive, **figures: int) -> Run:
    run_id = archive.runs.start_run("normal")
    archive.runs.finish_run(run_id, "ok", None, **figures)
    return archive.runs.last_runs(1)[0]


def test_an_entry_point_missing_several_runs_in_a_row_is_a_finding(
    archive: Archive, config: Config
) -> None:
    operator = Operator()
    for run, status in enumerate((200, 404, 410, 404)):
        row = finished_run(archive, new=1)
        archive.runs.record_entry_yields(row.run_id, [EntryYield("/rss/home.rss", "feed", status)])
        verdicts = [
            v for v in health.after_crawl(archive, config, row, NOW) if v.check == "entries"
        ]
        health.apply(archive, verdicts, operator, NOW, language="en")
        assert verdicts[0].broken is (run == 3)
    assert operator.sent == ["[congan-monitor] entries BROKEN"]
    assert "/rss/home.rss" in health.state(archive)["entries"]["detail"]


def test_a_run_mostly_from_fallbacks_is_a_finding_naming_monitor_check(
    archive: Archive, config: Config
) -> None:
    row = finished_run(archive, new=3, quarantined=1, fallbacks=3)
    (verdict,) = [
        v for v in health.after_crawl(archive, config, row, NOW) if v.check == "extraction"
    ]
    assert verdict.broken is True
    assert "3 of 4 records came from fallbacks: run `monitor check URL`" in verdict.detail
    row = finished_run(archive, new=4, fallbacks=2)  # half is not over the default 0.5
    (verdict,) = [
        v for v in health.after_crawl(archive, config, row, NOW) if v.check == "extraction"
    ]
    assert verdict.broken is False


# --- the operator alerts' words ------------------------------------------------------------


def reachable_outage(tmp_path: Path, config: Config, language: Language) -> Operator:
    """A run that reached the site at 10:00, one failing "site unreachable" at 11:15 (broken:
    75 minutes > 60), and one reaching it again at 11:30 — each judged by the real check."""
    operator = Operator()
    clock = ManualClock(datetime(2025, 6, 23, 10, 0, tzinfo=VN_TZ))
    outcomes: list[tuple[int, RunOutcome, str | None]] = [
        (0, "ok", None), (75, "failed", "site unreachable: connection refused"), (15, "ok", None),
    ]  # fmt: skip
    with Archive.open(tmp_path / "clocked.db", clock=clock) as archive:
        for minutes, outcome, reason in outcomes:
            clock.advance(minutes * 60)
            archive.runs.finish_run(archive.runs.start_run("normal"), outcome, reason)
            (row,) = archive.runs.last_runs(1)
            verdicts = health.after_crawl(archive, config, row, clock.now())
            reachable = [v for v in verdicts if v.check == "reachable"]
            health.apply(archive, reachable, operator, clock.now(), language=language)
    return operator


def test_site_unreachable_and_back_in_vietnamese(tmp_path: Path, config: Config) -> None:
    operator = reachable_outage(tmp_path, config, "vi")
    assert operator.sent == [
        "[congan-monitor] Sự cố: trang web không truy cập được",
        "[congan-monitor] Đã khắc phục: trang web đã truy cập được trở lại",
    ]
    assert operator.bodies == [
        "Trang web không truy cập được (ghi nhận lúc 11:15 ngày 23/06/2025).\n"
        "Chi tiết: không truy cập được trong 75 phút (lỗi: site unreachable: connection refused).\n"
        "Mục kiểm tra: reachable — xem `monitor status`.",
        "Trang web đã truy cập được trở lại (ghi nhận lúc 11:30 ngày 23/06/2025).\n"
        "Chi tiết: lần chạy gần nhất đã truy cập được trang web.\n"
        "Mục kiểm tra: reachable — xem `monitor status`.",
    ]


def test_site_unreachable_and_back_in_english_unchanged(tmp_path: Path, config: Config) -> None:
    operator = reachable_outage(tmp_path, config, "en")
    assert operator.sent == [
        "[congan-monitor] reachable BROKEN",
        "[congan-monitor] reachable recovered",
    ]
    assert operator.bodies == [
        "reachable BROKEN since 2025-06-23T11:15:00+07:00: "
        "unreachable for 75 minutes: site unreachable: connection refused",
        "reachable recovered since 2025-06-23T11:30:00+07:00: the last run reached the site",
    ]


def test_extraction_failing_in_vietnamese_names_monitor_check(
    archive: Archive, config: Config
) -> None:
    operator = Operator()
    row = finished_run(archive, new=3, quarantined=1, fallbacks=3)
    verdicts = [v for v in health.after_crawl(archive, config, row, NOW) if v.check == "extraction"]
    health.apply(archive, verdicts, operator, NOW, language="vi")
    assert operator.sent == ["[congan-monitor] Sự cố: không trích xuất được nội dung bài viết"]
    assert operator.bodies == [
        "Không trích xuất được nội dung bài viết (ghi nhận lúc 12:00 ngày 23/06/2025).\n"
        f"Chi tiết: lần chạy #{row.run_id}: 0/0 bài viết bị tạm giữ vì thiếu tiêu đề, nội dung "
        "hoặc ngày đăng; 0/0 bài không tìm thấy phần nội dung ở vị trí cấu hình trang quy định; "
        "3/4 bản ghi phải lấy bằng phương án dự phòng — chạy `monitor check URL` với một bài "
        "để xem nguyên nhân.\n"
        "Mục kiểm tra: extraction — xem `monitor status`.",
    ]


def test_a_quiet_site_in_vietnamese_gives_hours_with_a_comma(
    tmp_path: Path, config: Config
) -> None:
    operator = Operator()
    clock = ManualClock(datetime(2025, 6, 23, 12, 30, tzinfo=VN_TZ))
    with Archive.open(tmp_path / "quiet.db", clock=clock) as archive:
        store(archive, record(), fetched_at="2025-06-22T08:00:00+07:00")
        verdicts = health.periodic(archive, config, clock.now())
        health.apply(archive, verdicts, operator, clock.now(), language="vi")
    assert operator.sent == ["[congan-monitor] Sự cố: không có bài viết mới"]
    assert operator.bodies[0].splitlines()[:2] == [
        "Không có bài viết mới (ghi nhận lúc 12:30 ngày 23/06/2025).",
        "Chi tiết: không có bài viết mới trong 20,5 giờ ban ngày "
        "(bài gần nhất lúc 08:00 ngày 22/06/2025).",
    ]


def test_an_alert_sent_late_words_the_latest_finding_in_vietnamese(archive: Archive) -> None:
    operator = Operator()
    operator.down = True
    for runs in (3, 4):
        found = Finding("entries_missing", {"runs": runs, "entries": "/rss/home.rss, /tin-chinh"})
        detail = f"404/410 {runs} runs in a row: /rss/home.rss, /tin-chinh"
        health.apply(
            archive, [Verdict("entries", True, detail, found)], operator, NOW, language="vi"
        )
        operator.down = False
    assert operator.sent == [
        "[congan-monitor] Sự cố: nguồn tin (RSS, sitemap, trang danh sách) không còn tồn tại"
    ]
    assert operator.bodies[0].splitlines()[1] == (
        "Chi tiết: trả về 404/410 trong 4 lần chạy liên tiếp: /rss/home.rss, /tin-chinh."
    )


def test_evidence_without_a_finding_is_shown_as_written(archive: Archive) -> None:
    operator = Operator()
    health.apply(archive, [Verdict("extraction", True, "9 of 10 quarantined")], operator, NOW,
                 language="vi")  # fmt: skip
    assert operator.bodies[0].splitlines()[1] == "Chi tiết: 9 of 10 quarantined."


def growing_archive(path: Path) -> Archive:
    """Six articles published over six days, each with 3 MB of raw page that no codec shrinks:
    about 90 MB a month of growth."""
    archive = Archive.open(path)
    for article_id, day in enumerate((1, 2, 3, 4, 5, 6), start=1):
        published = f"2025-06-{23 - day:02d}T09:00:00+07:00"
        store(archive, record(article_id, published_at=published), html=os.urandom(3_000_000))
    return archive


def free_space_of(size: int) -> growth.FreeSpace:
    """A file system with ``size`` bytes free, whatever the path."""
    return lambda path: size


def test_a_disk_full_within_disk_days_alerts_in_vietnamese(tmp_path: Path, config: Config) -> None:
    operator = Operator()
    with growing_archive(tmp_path / "disk.db") as archive:
        per_month = growth.measure(archive, NOW, lambda path: 0).per_month
        assert per_month is not None and per_month // 3 > health.MIN_FREE
        for free in (per_month // 3, per_month * 12):  # ten days left; then a year's growth
            verdicts = health.periodic(archive, config, NOW, free=free_space_of(free))
            disk = [verdict for verdict in verdicts if verdict.check == "disk"]
            health.apply(archive, disk, operator, NOW, language="vi")
    assert operator.sent == [
        "[congan-monitor] Sự cố: ổ đĩa chứa kho lưu trữ sắp đầy",
        "[congan-monitor] Đã khắc phục: ổ đĩa chứa kho lưu trữ đã đủ chỗ trở lại",
    ]
    detail = operator.bodies[0].splitlines()[1]
    assert detail.startswith("Chi tiết: còn trống ") and "sẽ đầy sau khoảng 10 ngày" in detail
    assert "," in detail.split("còn trống ")[1].split(";")[0]  # 29,6 MiB: a decimal comma


def test_the_growth_rule_is_off_at_zero_days(tmp_path: Path, config: Config) -> None:
    off = config.model_copy(update={"health": config.health.model_copy(update={"disk_days": 0})})
    with growing_archive(tmp_path / "disk.db") as archive:
        per_month = growth.measure(archive, NOW, lambda path: 0).per_month
        assert per_month is not None
        verdicts = health.periodic(archive, off, NOW, free=lambda path: per_month // 3)
    assert [(v.check, v.broken) for v in verdicts if v.check == "disk"] == [("disk", False)]


def test_less_than_min_free_is_broken_whatever_the_growth(tmp_path: Path, config: Config) -> None:
    operator = Operator()
    with Archive.open(tmp_path / "disk.db") as archive:  # empty: no growth known
        verdicts = health.periodic(archive, config, NOW, free=lambda path: 1024 * 1024)
        disk = [verdict for verdict in verdicts if verdict.check == "disk"]
        health.apply(archive, disk, operator, NOW, language="vi")
    assert operator.sent == ["[congan-monitor] Sự cố: ổ đĩa chứa kho lưu trữ sắp đầy"]
    assert operator.bodies[0].splitlines()[1] == (
        "Chi tiết: chỉ còn trống 1,0 MiB trên ổ đĩa chứa kho lưu trữ."
    )
