"""scrapers.outcome: a run's outcome comes from Scrapy's stats and close reason — interrupted
by a signal, failed when a name did not resolve or no entry point answered, complete only with
every article stored."""

from __future__ import annotations

import pytest

from scrapers.outcome import (
    ENTRY_ERRORS,
    ENTRY_PAGES,
    FAILED_ARTICLES,
    FIRST_ENTRY_ERROR,
    LISTING_ARTICLES,
    NOT_MODIFIED,
    UNRESOLVED,
    Outcome,
    run_figures,
    run_outcome,
)

UNREACHABLE = {ENTRY_ERRORS: 7, FIRST_ENTRY_ERROR: "http://127.0.0.1:9/rss: Connection refused"}


def test_clean_run_is_ok_and_complete() -> None:
    assert run_outcome({ENTRY_PAGES: 7}, "finished") == Outcome("ok", complete=True)


def test_run_with_a_failed_article_is_ok_but_not_complete() -> None:
    assert run_outcome({ENTRY_PAGES: 7, FAILED_ARTICLES: 1}, "finished") == Outcome("ok")


@pytest.mark.parametrize("reason", ["shutdown", "cancelled"])
def test_run_stopped_by_a_signal_is_interrupted(reason: str) -> None:
    assert run_outcome(UNREACHABLE, reason) == Outcome("interrupted", "stopped by a signal")


def test_run_where_no_entry_point_answered_failed_naming_the_first_error() -> None:
    assert run_outcome(UNREACHABLE, "finished") == Outcome(
        "failed", "site unreachable: http://127.0.0.1:9/rss: Connection refused"
    )


def test_run_ended_by_a_name_that_does_not_resolve_failed_saying_so() -> None:
    stats = {ENTRY_PAGES: 2, UNRESOLVED: "cannot resolve x.invalid: check the address"}
    assert run_outcome(stats, "site_unresolved") == Outcome(
        "failed", "site unreachable: cannot resolve x.invalid: check the address"
    )


def test_some_entry_points_answering_is_not_unreachable() -> None:
    assert run_outcome({ENTRY_PAGES: 1, **UNREACHABLE}, "finished").status == "ok"


def test_run_closed_for_another_reason_failed_with_it() -> None:
    assert run_outcome({ENTRY_PAGES: 7}, "closespider_timeout") == Outcome(
        "failed", "closespider_timeout"
    )


def test_figures_come_from_scrapy_and_spider_stats() -> None:
    stats = {
        "downloader/request_count": 9,
        "downloader/response_bytes": 5120,
        "downloader/response_status_count/200": 6,
        "downloader/response_status_count/404": 2,
        "downloader/response_status_count/503": 1,
        "downloader/exception_count": 3,
        LISTING_ARTICLES: 40,
        ENTRY_PAGES: 8,
        NOT_MODIFIED: 7,
    }
    assert run_figures(stats) == {
        "requests": 9,
        "bytes": 5120,
        "listing_articles": 40,
        "entry_pages": 8,
        "not_modified": 7,
        "http_errors": 3,
        "fetch_errors": 3,
    }
