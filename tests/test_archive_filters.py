"""The one article filter (``monitor.archive.filters``): its bounds, its checks, and the query
plans of its two SQL renderings — search's index ranges and export's keyset walk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from monitor.archive import VN_TZ, ArticleFilter
from monitor.archive.connection import open_database
from monitor.archive.search import search
from monitor.archive.selection import article_batch
from monitor.errors import InputError
from monitor.search.query import compile_query


def test_days_are_whole_days_in_vietnam() -> None:
    window = ArticleFilter(since=date(2025, 3, 1), until=date(2025, 3, 31)).window()
    assert window == ("2025-03-01T00:00:00+07:00", "2025-04-01T00:00:00+07:00")


def test_times_are_converted_and_inclusive_to_the_second() -> None:
    since = datetime(2025, 3, 1, 0, 30, tzinfo=UTC)
    until = datetime(2025, 3, 1, 10, 0, 0, 500_000, tzinfo=VN_TZ)
    window = ArticleFilter(since=since, until=until).window()
    assert window == ("2025-03-01T07:30:00+07:00", "2025-03-01T10:00:01+07:00")


def test_no_bounds_no_window() -> None:
    assert ArticleFilter().window() == (None, None)


def test_a_time_without_an_offset_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--since: a time needs an offset"):
        ArticleFilter(since=datetime(2025, 3, 1, 10, 0))


def test_until_before_since_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--until 2025-04-01 is before --since 2025-05-01"):
        ArticleFilter(since=date(2025, 5, 1), until=date(2025, 4, 1))


def test_one_day_is_a_range() -> None:
    assert ArticleFilter(since=date(2025, 5, 1), until=date(2025, 5, 1)).since == date(2025, 5, 1)


def test_slashes_around_a_section_and_empty_values_are_ignored() -> None:
    assert ArticleFilter(section="/vu-an/", rule="") == ArticleFilter(section="vu-an")
    assert ArticleFilter(section="/").section is None


def test_text_bounds_are_dates_or_aware_times() -> None:
    parsed = ArticleFilter.of(since="2025-03-01", until="2025-03-02T10:00:00+07:00")
    assert parsed.since == date(2025, 3, 1)
    assert parsed.until == datetime(2025, 3, 2, 10, tzinfo=VN_TZ)


def test_text_that_is_no_date_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--until: not a date"):
        ArticleFilter.of(until="hôm qua")


# --- query plans -------------------------------------------------------------------------------

EVERYTHING = ArticleFilter(
    since=date(2025, 1, 1), until=date(2025, 6, 30), section="vu-an", rule="dan-van", on_topic=True
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "archive.db", readonly=False)
    yield database
    database.close()


def plans(db: Database, run: Callable[[], object]) -> list[str]:
    """The query plan of every SELECT that ``run`` executes on ``db``, one text each."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        db.conn.set_trace_callback(None)
    return [
        "\n".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall())
        for sql in statements
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]


@pytest.mark.parametrize(
    "filters",
    [
        ArticleFilter(section="vu-an"),
        ArticleFilter(on_topic=True, since=date(2025, 1, 1)),
        EVERYTHING,
    ],
)
def test_export_walks_the_date_index_without_sorting(db: Database, filters: ArticleFilter) -> None:
    (plan,) = plans(db, lambda: article_batch(db, filters, ("2025-02-01T00:00:00+07:00", 7), 100))
    assert "USING INDEX articles_published_at" in plan or "articles_on_topic" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_search_reads_a_section_from_its_index(db: Database) -> None:
    filters = ArticleFilter(section="vu-an", on_topic=True)
    found = plans(db, lambda: search(db, compile_query("dân vận"), filters, 20, 0))
    assert any("articles_section_published_at" in plan for plan in found), found


def test_search_bounds_dates_by_the_date_index(db: Database) -> None:
    filters = ArticleFilter(since=date(2025, 1, 1), until=date(2025, 1, 31))
    found = plans(db, lambda: search(db, compile_query("dân vận"), filters, 20, 0))
    assert any("articles_published_at" in plan for plan in found), found
