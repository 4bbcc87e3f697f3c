"""End to end: ``monitor crawl`` (the real Scrapy spider, in its own process) against the site
replica on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest

from replica.server import ReplicaServer
from replica.site import ReplicaSite

from crawl_support import (
    archive_content,
    archived_ids,
    article_requests,
    database_of,
    last_run,
    monitor,
    write_config,
)

pytestmark = pytest.mark.e2e
ENTRY_POINTS = 2 + 3 + 2  # feeds, listings, tag pages (the defaults' feeds and tags)


@pytest.fixture
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer() as running:
        yield running


@pytest.fixture
def config(tmp_path: Path, server: ReplicaServer) -> Path:
    path = write_config(tmp_path, server.base_url)
    assert monitor(path, "init").returncode == 0  # an archive is created on purpose only
    return path


def published_ids(server: ReplicaServer) -> set[int]:
    return {entry.id for entry in server.site.entries}


def test_first_run_archives_every_listed_article(server: ReplicaServer, config: Path) -> None:
    result = monitor(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert archived_ids(config) == published_ids(server)
    assert "crawl ok" in result.stdout


def test_second_run_with_nothing_new_fetches_no_article(
    server: ReplicaServer, config: Path
) -> None:
    monitor(config, "crawl")
    server.clear_requests()
    result = monitor(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert article_requests(server) == []
    entries = [r for r in server.requests if r.path != "/robots.txt"]
    assert len(entries) == ENTRY_POINTS
    assert all(r.status == 304 for r in entries)


def test_new_article_is_fetched_and_no_other(server: ReplicaServer, config: Path) -> None:
    monitor(config, "crawl")
    published = server.publish("danvan")
    server.clear_requests()
    result = monitor(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert [r.path for r in article_requests(server)] == [published["path"]]
    assert published["id"] in archived_ids(config)
    assert len([r for r in server.requests if r.path != "/robots.txt"]) == ENTRY_POINTS + 1


def test_summary_reports_the_run(server: ReplicaServer, config: Path) -> None:
    result = monitor(config, "crawl")
    run = last_run(config)
    assert run["outcome"] == "ok"
    assert run["new"] == len(published_ids(server))
    assert f"{run['requests']} requests, {run['new']} new" in result.stdout


def test_killed_run_then_normal_run_equals_an_uninterrupted_run(
    tmp_path: Path, server: ReplicaServer
) -> None:
    reference = write_config(tmp_path, server.base_url, name="reference")
    assert monitor(reference, "crawl", "--create").returncode == 0
    killed = write_config(tmp_path, server.base_url, name="killed", download_delay=0.05)
    child = subprocess.Popen(
        [sys.executable, "-m", "scrapers.run", "--config", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_articles(killed, at_least=15)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert 0 < len(archived_ids(killed)) < len(published_ids(server))
    assert monitor(killed, "crawl").returncode == 0
    assert archive_content(killed) == archive_content(reference)


def _wait_for_articles(config: Path, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if database_of(config).exists():
            try:
                if len(archived_ids(config)) >= at_least:
                    return
            except Exception:
                pass
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} articles after {timeout} s")


def test_backfill_stops_at_the_date(tmp_path: Path, server: ReplicaServer) -> None:
    since = date(2025, 4, 10)
    config = write_config(tmp_path, server.base_url, max_listing_pages=1, listings=["/tin-chinh"])
    result = monitor(config, "crawl", "--since", since.isoformat(), "--create")
    assert result.returncode == 0, result.stderr
    wanted = {
        e.id for e in server.site.entries if e.section == "tin-chinh" and e.when.date() >= since
    }
    assert wanted <= archived_ids(config)
    pages = [r.path for r in server.requests if r.path.startswith("/tin-chinh/trang-")]
    oldest = [min(_published(config, i) for i in _ids_on_page(server, p)) for p in pages]
    assert all(day >= since for day in oldest[:-1])  # every page but the last was all recent
    assert oldest[-1] < since  # the walk stopped at the first page reaching past the date


def _ids_on_page(server: ReplicaServer, path: str) -> list[int]:
    number = int(path.rsplit("-", 1)[1].split(".", maxsplit=1)[0])
    entries = [e for e in server.site.entries if e.section == "tin-chinh"]
    return [e.id for e in entries[(number - 1) * 10 : number * 10]]


def _published(config: Path, article_id: int) -> date:
    with closing(sqlite3.connect(database_of(config))) as db:
        (value,) = db.execute(
            "SELECT published_at FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
    return datetime.fromisoformat(value).date()


def test_failed_article_is_fetched_again_next_run(server: ReplicaServer, config: Path) -> None:
    target = server.site.entries[0]
    server.fail(target.path, "500")
    first = monitor(config, "crawl")
    assert first.returncode == 0, first.stderr
    assert target.id not in archived_ids(config)
    server.heal()
    assert monitor(config, "crawl").returncode == 0
    assert target.id in archived_ids(config)


def entry_statuses(server: ReplicaServer) -> list[int | None]:
    """The statuses of the entry-point requests logged since the last clear."""
    paths = {r.path for r in article_requests(server)} | {"/robots.txt"}
    return [r.status for r in server.requests if r.path not in paths]


def test_article_gone_for_three_runs_stops_failing_them(
    server: ReplicaServer, config: Path
) -> None:
    target = server.site.entries[0]
    server.fail(target.path, "404")
    statuses = []
    for _ in range(4):
        server.clear_requests()
        result = monitor(config, "crawl")
        assert result.returncode == 0, result.stderr
        statuses.append(entry_statuses(server))
    assert target.id not in archived_ids(config)
    # runs 1 and 2 failed the article, so runs 2 and 3 asked for every entry point in full;
    # run 3 took it as gone (crawl.gone_after_runs = 3) and ended clean: run 4 is all 304
    assert [304 in run for run in statuses[:3]] == [False, False, False]
    assert statuses[3] and set(statuses[3]) == {304}


def test_article_back_after_a_404_is_archived_and_its_count_forgotten(
    server: ReplicaServer, config: Path
) -> None:
    target = server.site.entries[0]
    server.fail(target.path, "404", count=2)
    for _ in range(3):
        assert monitor(config, "crawl").returncode == 0
    assert target.id in archived_ids(config)
    with closing(sqlite3.connect(database_of(config))) as db:
        (count,) = db.execute(
            "SELECT value FROM crawl_state WHERE key = ?", (f"gone:{target.id}",)
        ).fetchone()
    assert count == "null"


def test_unreachable_site_is_a_one_line_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")  # discard port: nothing listens
    result = monitor(config, "crawl", "--create")
    assert result.returncode == 1
    assert "site unreachable" in result.stderr
    assert "Traceback" not in result.stderr
    assert last_run(config)["outcome"] == "failed"


def test_a_site_name_that_does_not_resolve_fails_the_run_at_its_first_lookup(
    tmp_path: Path,
) -> None:
    config = write_config(tmp_path, "https://nonexistent.invalid")  # RFC 2606: never resolves
    result = monitor(config, "crawl", "--create")
    why = "cannot resolve nonexistent.invalid (site.base_url): check the address or the network"
    assert result.returncode == 1
    assert result.stderr == f"monitor: crawl failed: site unreachable: {why}\n"  # no retry lines
    assert result.stdout == ""
    run = last_run(config)
    assert (run["outcome"], run["reason"]) == ("failed", f"site unreachable: {why}")
    assert run["requests"] == 1  # robots.txt, once: neither retried nor followed by entry points


def test_unwritable_database_is_a_one_line_error(tmp_path: Path, server: ReplicaServer) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    config = write_config(tmp_path, server.base_url)
    text = config.read_text(encoding="utf-8").replace(
        str(database_of(config)), str(blocker / "monitor.db")
    )
    config.write_text(text, encoding="utf-8")
    result = monitor(config, "crawl", "--create")
    assert result.returncode == 1
    assert "cannot create its directory" in result.stderr
    assert str(blocker) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert server.requests == []


def test_robots_txt_disallowing_a_listing_is_obeyed(tmp_path: Path) -> None:
    with ReplicaServer(ReplicaSite(disallow=["/quoc-te"])) as server:
        config = write_config(tmp_path, server.base_url)
        assert monitor(config, "crawl", "--create").returncode == 0
        assert not [r for r in server.requests if r.path.startswith("/quoc-te")]
        assert [r for r in server.requests if r.path == "/robots.txt"]


def test_interrupted_backfill_resumes_where_it_stopped(
    tmp_path: Path, server: ReplicaServer
) -> None:
    config = write_config(tmp_path, server.base_url, listings=["/tin-chinh"], download_delay=0.05)
    child = subprocess.Popen(
        [sys.executable, "-m", "scrapers.run", "--config", str(config), "--since", "2025-01-01"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_articles(config, at_least=25)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    server.clear_requests()
    result = monitor(config, "crawl", "--since", "2025-01-01")
    assert result.returncode == 0, result.stderr
    assert "resuming /tin-chinh" in result.stderr
    first_listing = [r.path for r in server.requests if r.path.startswith("/tin-chinh/trang-")]
    assert first_listing and first_listing[0] != "/tin-chinh/trang-2.html"
    wanted = {e.id for e in server.site.entries if e.section == "tin-chinh"}
    assert wanted <= archived_ids(config)


def test_recheck_finds_an_edit_and_keeps_the_history(tmp_path: Path, server: ReplicaServer) -> None:
    config = write_config(tmp_path, server.base_url, recheck_days=3650)
    assert monitor(config, "crawl", "--create").returncode == 0
    target = server.site.entries[3]
    server.edit(target.id, "Cập nhật: bài viết đã được bổ sung thông tin.")
    server.clear_requests()
    assert monitor(config, "crawl").returncode == 0
    rechecks = article_requests(server)
    assert len(rechecks) == len(published_ids(server))
    assert all(r.if_none_match for r in rechecks)
    assert {r.path for r in rechecks if r.status == 200} == {target.path}
    run = last_run(config)
    assert (run["updated"], run["new"]) == (1, 0)
    with closing(sqlite3.connect(database_of(config))) as db:
        (versions,) = db.execute(
            "SELECT COUNT(*) FROM article_versions WHERE article_id = ?", (target.id,)
        ).fetchone()
        (body,) = db.execute(
            "SELECT body FROM articles WHERE article_id = ?", (target.id,)
        ).fetchone()
    assert versions == 1
    assert body.endswith("Cập nhật: bài viết đã được bổ sung thông tin.")


def test_reparse_rebuilds_from_raw_pages_offline(server: ReplicaServer, config: Path) -> None:
    assert monitor(config, "crawl").returncode == 0
    count = len(archived_ids(config))
    server.clear_requests()
    result = monitor(config, "reparse")
    assert result.returncode == 0, result.stderr
    assert f"reparsed {count} pages: {count} unchanged" in result.stdout
    assert server.requests == []


def test_a_run_mostly_from_fallbacks_says_so_and_names_monitor_check(
    server: ReplicaServer, config: Path
) -> None:
    server.set_layout("changed")  # a template the profile misses: the generic layer steps in
    result = monitor(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert "records came from fallbacks: run `monitor check URL` on one to see why" in (
        result.stdout
    )


def test_crawl_creates_no_archive_unless_asked(tmp_path: Path, server: ReplicaServer) -> None:
    config = write_config(tmp_path, server.base_url)  # a path of the user's, not the default
    refused = monitor(config, "crawl")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"monitor: no archive at {database_of(config)} (database.path in {config});"
        " run 'monitor init' (or add --create) to create it, or check the path\n"
    )
    assert not database_of(config).exists() and server.requests == []
    assert monitor(config, "crawl", "--create").returncode == 0
    assert archived_ids(config) == published_ids(server)
