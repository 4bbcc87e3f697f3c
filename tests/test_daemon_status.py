"""monitor.daemon.status: per entry point yields and the id-coverage estimate, in text and data;
what it says agrees with the runs it reports (the crawl job, reachability, a stopped daemon)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_archive_support import record, store

from monitor.archive import VN_TZ, Archive, EntryYield, RunOutcome
from monitor.clock import ManualClock
from monitor.config import Config, load_config
from monitor.daemon import health, schedule, status
from monitor.locks import DaemonLock

NOW = datetime(2026, 6, 23, 12, 0, tzinfo=VN_TZ)
UNREACHABLE = "site unreachable: cannot resolve congan.com.vn (site.base_url): check the address"


def test_status_shows_entry_yields_and_id_coverage(tmp_path: Path) -> None:
    now = datetime.now(VN_TZ).replace(microsecond=0)
    day = (now - timedelta(days=1)).date().isoformat()
    with Archive.open(tmp_path / "a.db") as archive:
        for article_id in (200, 203):
            store(archive, record(article_id, published_at=f"{day}T09:00:00+07:00"))
        run = archive.runs.start_run("normal")
        archive.runs.record_entry_yields(run, [EntryYield("/sitemap.xml", "sitemap", 200, 12, 2)])
        found = status.discovery(archive, now)
    (entry,) = found["entries"]
    assert (entry["entry"], entry["links"], entry["new"]) == ("/sitemap.xml", 12, 2)
    (coverage,) = found["coverage"]
    assert (coverage["day"], coverage["ids"], coverage["span"], coverage["estimate"]) == (
        day,
        2,
        4,
        0.5,
    )
    lines = status._entry_lines(found["entries"]) + status._coverage_lines(found["coverage"])
    assert "  sitemap  /sitemap.xml: 1 runs, 12 links, 2 new, last 200" in lines
    assert f"  {day}: 2 / 4 ids (200..203) ≈ 50%" in lines


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "monitor.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "a.db"}"\n', encoding="utf-8")
    return load_config(path)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def archive(config: Config, clock: ManualClock) -> Iterator[Archive]:
    with Archive.open(config.database.path, clock=clock) as opened:
        yield opened


def crawl_run(archive: Archive, outcome: RunOutcome = "ok", reason: str | None = None) -> int:
    run = archive.runs.start_run("normal")
    archive.runs.finish_run(run, outcome, reason)
    return run


def crawl_job_ran(archive: Archive, clock: ManualClock) -> None:
    """What the daemon remembers when its crawl job returns, whatever the crawl's outcome."""
    ran = clock.now()
    schedule.remember_run(archive, schedule.CRAWL, ran, ran + timedelta(minutes=15), "ok")


def shown(config: Config, clock: ManualClock) -> list[str]:
    return status.render(status.gather(config, clock))


def test_the_crawl_job_shows_how_the_run_it_ran_ended(
    config: Config, clock: ManualClock, archive: Archive
) -> None:
    crawl_run(archive)
    clock.advance(900)
    run = crawl_run(archive, "failed", UNREACHABLE)
    crawl_job_ran(archive, clock)
    (line,) = [line for line in shown(config, clock) if line.startswith("job crawl:")]
    ran = (NOW + timedelta(seconds=900)).isoformat()
    assert line == f"job crawl: last {ran} (run #{run} failed: {UNREACHABLE})"


def test_a_stopped_daemon_says_when_it_was_last_seen_and_no_next_runs(
    config: Config, clock: ManualClock, archive: Archive
) -> None:
    crawl_run(archive)
    crawl_job_ran(archive, clock)
    clock.advance(3600)
    lines = shown(config, clock)
    assert f"daemon: not running (last seen {NOW.isoformat()})" in lines
    assert not [line for line in lines if "next" in line]
    assert "next_run" not in status.gather(config, clock)["jobs"][schedule.CRAWL]


def test_a_running_daemon_shows_its_jobs_next_runs(
    config: Config, clock: ManualClock, archive: Archive
) -> None:
    crawl_run(archive)
    crawl_job_ran(archive, clock)
    lock = DaemonLock.acquire(config.database.path, clock=clock)
    try:
        lines = shown(config, clock)
    finally:
        lock.release()
    (line,) = [line for line in lines if line.startswith("job crawl:")]
    assert line.endswith(f", next {(NOW + timedelta(minutes=15)).isoformat()}")


def test_reachability_unreachable_under_the_limit_is_failing_not_ok(
    config: Config, clock: ManualClock, archive: Archive
) -> None:
    crawl_run(archive)
    clock.advance(16 * 60)
    run = archive.runs.get_run(crawl_run(archive, "failed", UNREACHABLE))
    assert run is not None
    verdicts = health.after_crawl(archive, config, run, clock.now())
    health.apply(archive, verdicts, lambda title, body: None, clock.now(), language="en")
    (line,) = [line for line in shown(config, clock) if line.startswith("health reachable:")]
    assert line == (
        "health reachable: failing, not alerted yet — unreachable for 16 minutes, "
        f"alert after 60: {UNREACHABLE}"
    )


def test_status_shows_the_archive_s_size_growth_and_free_space(
    archive: Archive, config: Config, clock: ManualClock
) -> None:
    store(archive, record(5, published_at=(NOW - timedelta(days=3)).isoformat()))
    store(archive, record(6, published_at=(NOW - timedelta(days=1)).isoformat()))
    found = status.gather(config, clock)["growth"]
    assert (found["articles"], found["window_days"]) == (2, 3.0)
    assert found["size"] == archive.size() and found["free"] > 0 and found["per_month"] > 0
    line = next(line for line in shown(config, clock) if line.startswith("archive size: "))
    assert " for 2 articles; growing about " in line and " free (about " in line
