"""What the web view's pages say (monitor.web.labels): Vietnam time, rules in sentences."""

from __future__ import annotations

from monitor.web.labels import rule_sentences, vietnam_time


def test_a_time_is_shown_in_vietnam_time_with_its_weekday() -> None:
    assert vietnam_time("2025-03-18T15:46:00+00:00") == "Thứ Ba, 18/03/2025, 22:46 (GMT+7)"
    assert vietnam_time("2025-03-23T08:05:00+07:00") == "Chủ Nhật, 23/03/2025, 08:05 (GMT+7)"


def test_a_day_precision_time_shows_the_day_only() -> None:
    assert vietnam_time("2022-10-02T00:00:00+07:00", "day") == "Chủ Nhật, 02/10/2022"


def test_a_short_time_has_no_weekday() -> None:
    assert vietnam_time("2025-06-21T11:36:00+07:00", weekday=False) == "21/06/2025 11:36"


def test_no_time_or_a_strange_one() -> None:
    assert vietnam_time(None) == ""
    assert vietnam_time("hôm qua") == "hôm qua"


def test_a_rule_reads_as_sentences_never_json() -> None:
    rule = {
        "name": "dan-van",
        "keywords": ["dân vận", "Dân vận khéo"],
        "all": ["Công an"],
        "exclude": ["vận chuyển"],
        "fields": ["title", "lead"],
        "sections": ["tin-chinh"],
        "accents": "fold",
        "on_topic": True,
    }
    assert rule_sentences(rule) == [
        "Khớp khi bài có một trong các từ khóa: «dân vận», «Dân vận khéo».",
        "Bài còn phải có đủ: «Công an».",
        "Bỏ qua bài có: «vận chuyển».",
        "Tìm trong tiêu đề, sapo; không phân biệt dấu.",
        "Chỉ các chuyên mục: tin-chinh.",
        "Bài khớp được đánh dấu là đúng chủ đề.",
    ]
    assert not any("[" in sentence for sentence in rule_sentences({"keywords": ["x"]}))
