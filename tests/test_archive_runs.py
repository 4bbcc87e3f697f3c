"""Crawl runs, HTTP validators and crawl state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from monitor.archive import VN_TZ, Archive
from monitor.clock import ManualClock
from monitor.errors import StorageError


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


# --- runs -----------------------------------------------------------------------------------


def test_started_run_is_running_with_zero_figures(archive: Archive) -> None:
    run_id = archive.runs.start_run("backfill")
    [run] = archive.runs.last_runs(1)
    assert (run.run_id, run.mode, run.outcome) == (run_id, "backfill", "running")
    assert run.started_at.endswith("+07:00")
    assert (run.finished_at, run.figures.requests, run.figures.fetch_errors) == (None, 0, 0)


def test_run_times_are_the_archive_clocks(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2025, 3, 19, 11, 47, 5, tzinfo=VN_TZ))
    with Archive.open(tmp_path / "archive.db", clock=clock) as archive:
        run_id = archive.runs.start_run("normal")
        clock.advance(65)
        archive.runs.finish_run(run_id, "ok")
        [run] = archive.runs.last_runs(1)
    assert (run.started_at, run.finished_at) == (
        "2025-03-19T11:47:05+07:00",
        "2025-03-19T11:48:10+07:00",
    )


def test_unknown_run_mode_is_a_storage_error(archive: Archive) -> None:
    with pytest.raises(StorageError, match="unknown crawl run mode 'daily'"):
        archive.runs.start_run("daily")  # type: ignore[arg-type]


def test_run_figures_accumulate(archive: Archive) -> None:
    run_id = archive.runs.start_run("normal")
    archive.runs.add_run_figures(run_id, requests=2, bytes=1000)
    archive.runs.add_run_figures(run_id, requests=1, http_errors=1)
    [run] = archive.runs.last_runs(1)
    assert (run.figures.requests, run.figures.bytes, run.figures.http_errors) == (3, 1000, 1)


def test_finish_run_sets_outcome_reason_and_figures(archive: Archive) -> None:
    run_id = archive.runs.start_run("normal")
    archive.runs.add_run_figures(run_id, requests=5)
    archive.runs.finish_run(run_id, "timeout", "run took longer than 30 min", requests=7)
    [run] = archive.runs.last_runs(1)
    assert (run.outcome, run.reason, run.figures.requests) == (
        "timeout",
        "run took longer than 30 min",
        7,
    )
    assert run.finished_at is not None


def test_finishing_as_running_is_a_storage_error(archive: Archive) -> None:
    run_id = archive.runs.start_run("normal")
    with pytest.raises(StorageError, match="not a final run outcome"):
        archive.runs.finish_run(run_id, "running")


def test_finishing_an_unknown_run_is_a_storage_error(archive: Archive) -> None:
    with pytest.raises(StorageError, match="no crawl run 42"):
        archive.runs.finish_run(42, "ok")


def test_unknown_run_figure_is_a_storage_error(archive: Archive) -> None:
    run_id = archive.runs.start_run("normal")
    with pytest.raises(StorageError, match="unknown crawl run figure 'pages'"):
        archive.runs.add_run_figures(run_id, pages=1)


def test_last_runs_are_newest_first(archive: Archive) -> None:
    ids = [archive.runs.start_run("normal") for _ in range(3)]
    assert [run.run_id for run in archive.runs.last_runs(2)] == [ids[2], ids[1]]


def test_mark_interrupted_runs_closes_only_running_ones(archive: Archive) -> None:
    done = archive.runs.start_run("normal")
    archive.runs.finish_run(done, "ok")
    left = archive.runs.start_run("backfill")
    assert archive.runs.mark_interrupted_runs() == 1
    outcomes = {run.run_id: run.outcome for run in archive.runs.last_runs(10)}
    assert outcomes == {done: "ok", left: "interrupted"}


def test_interrupted_run_gets_a_reason_and_finish_time(archive: Archive) -> None:
    archive.runs.start_run("normal")
    archive.runs.mark_interrupted_runs()
    [run] = archive.runs.last_runs(1)
    assert run.reason == "the process ended before finishing the run"
    assert run.finished_at is not None


# --- HTTP validators ------------------------------------------------------------------------


def test_validators_round_trip(archive: Archive) -> None:
    url = "https://congan.com.vn/rss/tin-chinh.rss"
    archive.state.store_validators(url, '"abc"', "Wed, 19 Mar 2025 04:47:05 GMT", 200)
    assert archive.state.cached_validators(url) == ('"abc"', "Wed, 19 Mar 2025 04:47:05 GMT")


def test_validators_of_an_unseen_url_are_none(archive: Archive) -> None:
    assert archive.state.cached_validators("https://congan.com.vn/") is None


def test_storing_validators_again_replaces_them(archive: Archive) -> None:
    url = "https://congan.com.vn/"
    archive.state.store_validators(url, '"old"', None, 200)
    archive.state.store_validators(url, None, "Thu, 20 Mar 2025 01:00:00 GMT", 304)
    assert archive.state.cached_validators(url) == (None, "Thu, 20 Mar 2025 01:00:00 GMT")


# --- crawl state ----------------------------------------------------------------------------


def test_state_round_trips_json(archive: Archive) -> None:
    value = {"section": "tin-chinh", "page": 17, "ids": [1, 2], "note": "đã xong"}
    archive.state.put_state("backfill", value)
    assert archive.state.get_state("backfill") == value


def test_state_put_again_replaces(archive: Archive) -> None:
    archive.state.put_state("high_water", 100)
    archive.state.put_state("high_water", 120)
    assert archive.state.get_state("high_water") == 120


def test_missing_state_gives_the_default(archive: Archive) -> None:
    assert archive.state.get_state("nothing", default=0) == 0


def test_state_that_is_not_json_is_a_storage_error(archive: Archive) -> None:
    with pytest.raises(StorageError, match="crawl state 'when' is not JSON"):
        archive.state.put_state("when", object())
