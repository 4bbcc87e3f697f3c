"""monitor.growth: the archive's size, its growth a month from the site's publishing rate,
and the days its disk lasts at that pace."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from test_archive_support import record, store

from monitor import growth
from monitor.archive import VN_TZ, Archive
from monitor.growth import DAYS_A_MONTH, Growth

NOW = datetime(2025, 6, 23, 12, 0, tzinfo=VN_TZ)
GIB = 1024**3


def published(archive: Archive, first_id: int, days_ago: list[float]) -> None:
    """One article published each of ``days_ago`` days before NOW."""
    for offset, days in enumerate(days_ago):
        when = (NOW - timedelta(days=days)).isoformat(timespec="seconds")
        store(archive, record(first_id + offset, published_at=when))


def free_of(size: int) -> growth.FreeSpace:
    return lambda path: size


def test_growth_a_month_is_bytes_an_article_times_articles_published_a_month(
    archive: Archive,
) -> None:
    published(archive, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 45, 80, 120])  # 12 in 90 days
    found = growth.measure(archive, NOW, free_of(GIB))
    assert found.articles == 13 and found.window_days == 90
    assert found.per_month == round(archive.size() / 13 * 12 / 90 * DAYS_A_MONTH)
    assert found.days_left == GIB / (found.per_month / DAYS_A_MONTH)


def test_a_backfill_of_old_articles_is_not_counted_as_growth(archive: Archive) -> None:
    published(archive, 1, [1, 2, 3])
    recent_only = growth.measure(archive, NOW, free_of(GIB)).per_month
    published(archive, 100, [400 + day for day in range(60)])  # years ago, stored today
    found = growth.measure(archive, NOW, free_of(GIB))
    assert found.articles == 63
    # the same three articles a quarter; each article's share of the (larger) file
    assert found.per_month == round(archive.size() / 63 * 3 / 90 * DAYS_A_MONTH)
    assert found.per_month is not None and recent_only is not None


def test_an_archive_younger_than_the_window_is_measured_over_the_days_it_covers(
    archive: Archive,
) -> None:
    published(archive, 1, [0.5, 1.5, 2, 10])
    found = growth.measure(archive, NOW, free_of(GIB))
    assert found.window_days == 10.0
    assert found.per_month == round(archive.size() / 4 * 4 / 10 * DAYS_A_MONTH)


def test_an_empty_archive_has_no_growth_yet(archive: Archive) -> None:
    found = growth.measure(archive, NOW, free_of(GIB))
    assert (found.articles, found.per_month, found.days_left) == (0, None, None)
    assert "growth not known yet" in growth.describe(found)


def test_an_archive_where_nothing_was_published_lately_is_not_growing(archive: Archive) -> None:
    published(archive, 1, [200, 300])
    found = growth.measure(archive, NOW, free_of(GIB))
    assert found.per_month == 0 and found.days_left is None
    assert "not growing (nothing published in 90 days)" in growth.describe(found)


def test_the_free_space_is_that_of_the_archive_s_file_system(archive: Archive) -> None:
    asked: list[Path] = []

    def free(path: Path) -> int:
        asked.append(path)
        return GIB

    growth.measure(archive, NOW, free)
    assert asked == [archive.path.parent]
    assert growth.free_space(archive.path.parent) > 0  # the real one answers too


def test_describe_says_size_growth_free_space_and_how_long_it_lasts() -> None:
    found = Growth(size=3 * 1024**3 // 2, articles=48_000, free=60 * GIB,
                   per_month=45 * 1024**2, window_days=90)  # fmt: skip
    assert growth.describe(found) == (
        "1.5 GiB for 48,000 articles; growing about 45.0 MiB a month"
        " (articles of the last 90 days); 60.0 GiB free (about 113.8 years)"
    )
    assert growth.duration_text(12.4) == "about 12 days"


def test_to_dict_and_back() -> None:
    found = Growth(size=10, articles=1, free=100, per_month=5, window_days=3.5)
    assert Growth.from_dict(found.to_dict()) == found
    assert found.to_dict()["days_left"] == 100 / (5 / DAYS_A_MONTH)
