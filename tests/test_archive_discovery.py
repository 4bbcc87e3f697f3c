"""monitor.archive.discovery through Archive: hints kept with articles, entry-point yields,
id coverage, the fallbacks figure, and migration 9 on an older archive."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database
from test_archive_support import record, scalar, store

from monitor.archive import SCHEMA_VERSION, Archive, EntryYield
from monitor.archive.migrations import migrate
from monitor.record import DiscoveryHint

FEED = DiscoveryHint("feed", "/rss/home.rss", "Mon, 23 Jun 2025 11:45:00 +0700", "Một", "Tóm")
LISTING = DiscoveryHint("listing", "/tin-chinh", None, "Một khác")


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def store_hinted(archive: Archive, hint: DiscoveryHint, run_id: int | None = None) -> None:
    archive.articles.store_article(
        record(),
        b"<html></html>",
        content_type=None,
        http_status=200,
        fetched_at="2025-06-23T12:00:00+07:00",
        run_id=run_id,
        hint=hint,
    )


def test_hint_is_stored_with_the_article_and_read_back(archive: Archive) -> None:
    store_hinted(archive, FEED)
    assert archive.articles.discovery_hint(record().article_id) == FEED


def test_the_first_hint_seen_is_kept(archive: Archive) -> None:
    store_hinted(archive, FEED)
    store_hinted(archive, LISTING)
    assert archive.articles.discovery_hint(record().article_id) == FEED


def test_an_article_without_hint_has_none(archive: Archive) -> None:
    store(archive, record())
    assert archive.articles.discovery_hint(record().article_id) is None


def test_deleting_an_article_deletes_its_hint(archive: Archive) -> None:
    store_hinted(archive, FEED)
    assert archive.articles.delete_article(record().article_id)
    assert archive.articles.discovery_hint(record().article_id) is None


def test_records_from_fallbacks_are_counted_in_the_run(archive: Archive) -> None:
    run = archive.runs.start_run("normal")
    store(archive, record(1, extraction={"title": "profile", "body": "generic"}), run_id=run)
    store(archive, record(2, extraction={"title": "profile", "body": "profile"}), run_id=run)
    store(archive, record(3, published_at=None), run_id=run)  # quarantined: no date at all
    assert archive.runs.last_runs(1)[0].figures.fallbacks == 2


def test_entry_yields_add_up_per_entry_over_recent_runs(archive: Archive) -> None:
    for new in (2, 1):
        run = archive.runs.start_run("normal")
        archive.runs.record_entry_yields(
            run,
            [EntryYield("/tin-chinh", "listing", 200, 20, new), EntryYield("/x.rss", "feed", 404)],
        )
    rows = archive.runs.entry_yields_since("2000-01-01T00:00:00+07:00")
    assert [(r.entry, r.runs, r.links, r.new, r.last_status) for r in rows] == [
        ("/tin-chinh", 2, 40, 3, 200),
        ("/x.rss", 2, 0, 0, 404),
    ]


def test_entry_statuses_are_newest_first_and_bounded(archive: Archive) -> None:
    for status in (200, 404, 410, 404):
        archive.runs.record_entry_yields(
            archive.runs.start_run("normal"), [EntryYield("/x.rss", "feed", status)]
        )
    assert archive.runs.entry_statuses(3) == {"/x.rss": [404, 410, 404]}


def test_id_coverage_is_ids_against_their_span_per_day(archive: Archive) -> None:
    for article_id, published in ((100, "2025-06-23T08:00"), (104, "2025-06-23T20:00")):
        store(archive, record(article_id, published_at=published + ":00+07:00"))
    store(archive, record(90, published_at="2025-06-22T08:00:00+07:00"))
    rows = archive.runs.id_coverage(date(2025, 6, 23))
    assert [(r.day, r.ids, r.first_id, r.last_id, r.span) for r in rows] == [
        ("2025-06-23", 2, 100, 104, 5)
    ]


def test_version_8_archive_gains_the_discovery_tables(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=8)
        connection.execute("INSERT INTO crawl_runs (mode, started_at) VALUES ('normal', 'x')")
        connection.commit()
    with Archive.open(path) as archive:
        assert archive.settings().schema_version == SCHEMA_VERSION
        assert archive.runs.last_runs(1)[0].figures.fallbacks == 0
    assert scalar(path, "SELECT count(*) FROM discovery_hints") == 0
    assert scalar(path, "SELECT count(*) FROM entry_yields") == 0
