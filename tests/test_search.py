"""Searching the archive (Archive.search, search_archive): what is found, in what order, and how
it is shown; hostile input changes nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, TypedDict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_archive_support import record, store

from monitor.archive import Archive, MatchRow
from monitor.archive.filters import ArticleFilter
from monitor.config import Config
from monitor.errors import InputError
from monitor.ingest import FetchedPage, ingest_page
from monitor.match import Matcher
from monitor.match.apply import match_new_articles
from monitor.search.engine import SNIPPET_CHARS, search_archive
from monitor.search.query import compile_query

from golden_pages import golden_pages

NOON = "2025-03-19T12:00:00+07:00"


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def add(archive: Archive, article_id: int, **fields: object) -> None:
    """Store a record whose every field is neutral unless given."""
    neutral: dict[str, object] = {
        "title": f"Tin số {article_id}", "lead": None, "body": "Nội dung.", "tags": (),
        "published_at": NOON,
    }  # fmt: skip
    store(archive, record(article_id, **{**neutral, **fields}))


def ids(
    archive: Archive, text: str, *, limit: int = 20, offset: int = 0, **filters: Any
) -> list[int]:
    hits = search_archive(archive, text, ArticleFilter.of(**filters), limit=limit, offset=offset)
    return [hit.article_id for hit in hits]


# --- what a query finds ----------------------------------------------------------------------


def test_words_typed_together_are_a_phrase(archive: Archive) -> None:
    add(archive, 1, body="Ban Dân vận Thành ủy họp.")
    add(archive, 2, body="Nhân dân giúp lực lượng vận chuyển hàng.")
    assert ids(archive, "dân vận") == [1]


def test_folded_query_finds_marked_text(archive: Archive) -> None:
    add(archive, 1, title="Công an Thủ Đức ra quân")
    assert ids(archive, "thu duc") == [1]


def test_folded_query_finds_d_with_stroke(archive: Archive) -> None:
    add(archive, 1, body="Đảng ủy Công an tỉnh họp.")
    assert ids(archive, "dang uy") == [1]


def test_marked_query_tells_dang_from_dang(archive: Archive) -> None:
    add(archive, 1, body="Đảng ủy Công an tỉnh họp.")
    add(archive, 2, body="Lực lượng đang tuần tra.")
    assert ids(archive, "đang") == [2]


def test_marked_query_ignores_tone_placement(archive: Archive) -> None:
    add(archive, 1, body="Xã Hòa Bình giữ vững an ninh.")
    assert ids(archive, "hoà") == [1]


def test_or_finds_either(archive: Archive) -> None:
    add(archive, 1, body="Phong trào Dân vận khéo.")
    add(archive, 2, body="Lực lượng dân quân tự vệ.")
    add(archive, 3, body="Tin thời tiết.")
    assert sorted(ids(archive, "dân vận OR dân quân")) == [1, 2]


def test_minus_excludes(archive: Archive) -> None:
    add(archive, 1, body="Công an Thủ Đức bảo đảm giao thông.")
    add(archive, 2, body="Công an Thủ Đức tuần tra.")
    assert ids(archive, '"Thủ Đức" OR "thu duc" -"giao thông"') == [2]


def test_mixed_query_wants_both_kinds_of_term(archive: Archive) -> None:
    add(archive, 1, body="Ban Dân vận ở Thủ Đức.")
    add(archive, 2, body="Ban Dân vận ở Bình Thạnh.")
    add(archive, 3, body="Công an Thủ Đức.")
    assert ids(archive, "dân vận, thu duc") == [1]


# --- filters ---------------------------------------------------------------------------------


def test_since_takes_the_whole_day(archive: Archive) -> None:
    add(archive, 1, published_at="2025-02-28T23:59:00+07:00")
    add(archive, 2, published_at="2025-03-01T00:00:00+07:00")
    assert ids(archive, "nội dung", since="2025-03-01") == [2]


def test_until_takes_the_whole_day(archive: Archive) -> None:
    add(archive, 1, published_at="2025-03-01T23:59:59+07:00")
    add(archive, 2, published_at="2025-03-02T00:00:00+07:00")
    assert ids(archive, "nội dung", until="2025-03-01") == [1]


def test_time_bounds_may_use_any_offset(archive: Archive) -> None:
    add(archive, 1, published_at="2025-03-01T08:00:00+07:00")
    add(archive, 2, published_at="2025-03-01T06:00:00+07:00")
    assert ids(archive, "nội dung", since="2025-03-01T00:30:00Z") == [1]


def test_dates_hold_when_ids_do_not_follow_them(archive: Archive) -> None:
    add(archive, 1, published_at="2025-03-05T08:00:00+07:00")
    add(archive, 2, published_at="2025-03-01T08:00:00+07:00")
    add(archive, 3, published_at="2025-03-03T08:00:00+07:00")
    assert ids(archive, "nội dung", since="2025-03-02", until="2025-03-04") == [3]


def test_dates_hold_when_an_article_outside_them_has_an_id_between(archive: Archive) -> None:
    add(archive, 1, published_at="2025-03-02T08:00:00+07:00")
    add(archive, 2, published_at="2025-03-10T08:00:00+07:00")
    add(archive, 3, published_at="2025-03-03T08:00:00+07:00")
    assert sorted(ids(archive, "nội dung", since="2025-03-02", until="2025-03-04")) == [1, 3]


def test_empty_date_range_finds_nothing(archive: Archive) -> None:
    add(archive, 1, published_at="2025-03-01T08:00:00+07:00")
    assert ids(archive, "nội dung", since="2025-04-01") == []


def test_section_includes_its_subsections(archive: Archive) -> None:
    add(archive, 1, section="vu-an")
    add(archive, 2, section="vu-an/canh-giac")
    add(archive, 3, section="vu-an-khac")
    assert sorted(ids(archive, "nội dung", section="vu-an")) == [1, 2]


def test_dates_hold_with_a_section_when_ids_do_not_follow_them(archive: Archive) -> None:
    add(archive, 1, published_at="2025-03-05T08:00:00+07:00", section="vu-an")
    add(archive, 2, published_at="2025-03-01T08:00:00+07:00", section="vu-an")
    add(archive, 3, published_at="2025-03-03T08:00:00+07:00", section="vu-an/canh-giac")
    add(archive, 4, published_at="2025-03-03T09:00:00+07:00", section="tin-chinh")
    found = ids(archive, "nội dung", section="vu-an", since="2025-03-02", until="2025-03-04")
    assert found == [3]


def test_filters_apply_to_a_mixed_query(archive: Archive) -> None:
    add(archive, 1, body="Ban Dân vận ở Thủ Đức.", section="tin-chinh")
    add(archive, 2, body="Ban Dân vận ở Thủ Đức.", section="vu-an")
    assert ids(archive, "dân vận, thu duc", section="vu-an") == [2]


def test_rule_keeps_articles_the_rule_matched(archive: Archive) -> None:
    add(archive, 1)
    add(archive, 2)
    row = MatchRow("dan-van", "dân vận", "body", 0, 3, "Nội dung.")
    archive.alerts.record_matches(1, "hash", [row], [], on_topic=False)
    assert ids(archive, "nội dung", rule="dan-van") == [1]


def test_on_topic_keeps_marked_articles(archive: Archive) -> None:
    add(archive, 1)
    add(archive, 2)
    archive.articles.set_on_topic(2, True)
    assert ids(archive, "nội dung", on_topic=True) == [2]


def test_rule_filter_over_real_pages(tmp_path: Path, config: Config) -> None:
    with Archive.open(tmp_path / "golden.db") as golden:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, NOON)
            ingest_page(golden, config.profile, fetched)
        match_new_articles(golden, config.rules, Matcher(config.rules))
        found = ids(golden, "cong an", rule="dan-van", limit=100)
        assert found
        assert all(
            any(m.rule == "dan-van" for m in golden.alerts.matches_of(i)) for i in found
        )  # fmt: skip


class DateBounds(TypedDict, total=False):
    """The date keywords of ``ArticleFilter.of``."""

    since: str
    until: str


@pytest.mark.parametrize(
    "filters",
    [{"since": "yesterday"}, {"until": "2025-13-01"}, {"since": "2025-03-01T10:00:00"}],
)
def test_bad_date_is_an_input_error(archive: Archive, filters: DateBounds) -> None:
    with pytest.raises(InputError, match=r"--(since|until)"):
        search_archive(archive, "công an", ArticleFilter.of(**filters))


def test_until_before_since_is_an_input_error(archive: Archive) -> None:
    with pytest.raises(InputError, match="before"):
        search_archive(archive, "công an", ArticleFilter.of(since="2025-03-02", until="2025-03-01"))


# --- order -----------------------------------------------------------------------------------


def test_title_hit_ranks_above_body_hit(archive: Archive) -> None:
    add(archive, 1, body="Bài viết nói về Ban Dân vận và nhiều việc khác.")
    add(archive, 2, title="Ban Dân vận họp", body="Bài viết nói về nhiều việc khác nữa.")
    add(archive, 3, body="Tin thời tiết.")
    assert ids(archive, "dân vận") == [2, 1]


def test_ties_go_to_the_newest(archive: Archive) -> None:
    for article_id, day in ((1, "01"), (2, "03"), (3, "02")):
        add(
            archive,
            article_id,
            body="Ban Dân vận họp.",
            published_at=f"2025-03-{day}T08:00:00+07:00",
        )
    add(archive, 4, body="Tin thời tiết.")
    assert ids(archive, "dân vận") == [2, 3, 1]


def test_ties_across_a_page_boundary_go_to_the_newest(archive: Archive) -> None:
    for article_id, day in ((1, "02"), (2, "05"), (3, "01"), (4, "04"), (5, "03")):
        add(
            archive,
            article_id,
            body="Ban Dân vận họp.",
            published_at=f"2025-03-{day}T08:00:00+07:00",
        )
    add(archive, 6, body="Tin thời tiết.")
    assert ids(archive, "dân vận", limit=2, offset=1) == [4, 5]


def test_many_ties_go_to_the_newest(archive: Archive) -> None:
    for article_id in range(1, 131):
        day = f"2025-0{1 + article_id % 7}-{10 + article_id % 17}T08:00:00+07:00"
        add(archive, article_id, body="Ban Dân vận họp.", published_at=day)
    add(archive, 131, body="Tin thời tiết.")
    newest = sorted(range(1, 131), key=lambda i: (1 + i % 7, 10 + i % 17, i), reverse=True)
    assert ids(archive, "dân vận", limit=3, offset=2) == newest[2:5]


def test_limit_and_offset_page_through(archive: Archive) -> None:
    for article_id in range(1, 6):
        add(archive, article_id, published_at=f"2025-03-0{article_id}T08:00:00+07:00")
    assert ids(archive, "nội dung", limit=2, offset=2) == [3, 2]


# --- snippets --------------------------------------------------------------------------------


def test_snippet_marks_the_original_characters(archive: Archive) -> None:
    add(archive, 1, body="Mở đầu. Hôm nay Công an THỦ ĐỨC ra quân. Kết thúc.")
    (hit,) = search_archive(archive, "thu duc")
    assert hit.snippet == "… Hôm nay Công an «THỦ ĐỨC» ra quân. …"
    assert hit.highlight.field == "body"
    assert hit.highlight.field_start == "Mở đầu. Hôm nay Công an ".__len__()


def test_snippet_offsets_locate_the_match(archive: Archive) -> None:
    add(archive, 1, body="Xã Hoà Bình giữ vững an ninh.")
    (hit,) = search_archive(archive, "hòa bình")
    shown = hit.highlight
    assert shown.start is not None and shown.text[shown.start : shown.end] == "Hoà Bình"


def test_snippet_prefers_the_title(archive: Archive) -> None:
    add(archive, 1, title="Ban Dân vận họp", body="Ban Dân vận ra quân.")
    assert search_archive(archive, "dân vận")[0].snippet == "Ban «Dân vận» họp"


def test_match_across_a_paragraph_break_is_marked(archive: Archive) -> None:
    add(archive, 1, body="Công tác Dân\n\nvận động quần chúng.")
    (hit,) = search_archive(archive, "dân vận")
    assert "«Dân  vận»" in hit.snippet


def test_long_sentence_is_cut_around_the_match(archive: Archive) -> None:
    words = " ".join(["lực lượng"] * 100)
    add(archive, 1, body=f"{words} Ban Dân vận {words}.")
    (hit,) = search_archive(archive, "dân vận")
    assert "«Dân vận»" in hit.snippet
    assert len(hit.highlight.text) <= SNIPPET_CHARS + 4


# --- hostile input ---------------------------------------------------------------------------

HOSTILE = [
    '"', "'", "OR", "-", "(", ")", "*", "^", ":", "NEAR", "AND", "NOT", "title:", "rowid",
    "'; DROP TABLE articles; --", '" OR 1=1 --', "\x00", "\u200b", "\ud7ff", "dân vận", "thu duc",
    "x" * 300, ",", "“", "”", "\\", "%", "_", "{title}", "- OR -",
]  # fmt: skip


def snapshot(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


@pytest.fixture(scope="module")
def hostile_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Archive, Path]]:
    path = tmp_path_factory.mktemp("hostile") / "archive.db"
    with Archive.open(path) as opened:
        add(opened, 1, title="Ban Dân vận Thủ Đức", body="Đảng ủy họp.")
        add(opened, 2, title="Tin thời tiết", body="Trời nắng.")
        yield opened, path


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE)), max_size=8))
def test_any_text_finds_only_what_it_says_and_writes_nothing(
    hostile_archive: tuple[Archive, Path], parts: list[str]
) -> None:
    archive, path = hostile_archive
    before = snapshot(path)
    try:
        hits = search_archive(archive, " ".join(parts))
    except InputError:
        hits = []
    assert all(hit.highlight.field is not None for hit in hits)  # a typed term is in each
    assert snapshot(path) == before


def test_ten_thousand_characters_are_refused(archive: Archive) -> None:
    with pytest.raises(InputError, match="too long"):
        search_archive(archive, "dân vận " * 1250)


def test_compiled_query_runs_as_given(archive: Archive) -> None:
    add(archive, 1, title="Công an Thủ Đức")
    assert [row.article_id for row in archive.index.search(compile_query("thu duc"))] == [1]
