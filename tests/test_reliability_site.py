"""Site faults: the real crawl (``monitor crawl``) against the replica with one fault injected at
a time (``replica.faults``), then again with the fault healed.

Every crawl runs with a 5 s timeout, one retry and a back-off of 0.05 s doubling up to 2 s (so a
``Retry-After: 1`` is honoured), and must leave intact what no fault may break:

- it ends cleanly: exit 0 or 1, every stderr line a one-line message, no traceback;
- its run is in ``crawl_runs`` with an outcome, and a reason when it failed;
- every archived article is whole and reads exactly as the healthy page does: no mojibake,
  no U+FFFD, no markup or script text from the page;
- nothing is requested from another host (a second replica on 127.0.0.2 sees no request);
- the crawl's process tree peaks under 400 MiB of RSS (measured by a launcher process: a child
  forked from pytest reports pytest's own size as its peak);
- after ``heal()`` the next run archives every published article.

What each run did (outcome, reason, requests, retries, articles, peak RSS) is written to
``reliability-site.json`` in pytest's base temporary directory, for the reliability report.
Run: ``.venv/bin/pytest -m reliability tests/test_reliability_site.py``.
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from monitor.config import load_config
from monitor.parse import parse_article
from replica import faults
from replica.content import Entry
from replica.server import LoggedRequest, ReplicaServer
from replica.site import ReplicaSite, load_articles, load_extras

from crawl_support import MONITOR, archived_ids, database_of, last_run, write_config

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]
RSS_LIMIT_MIB = 400
TIMEOUT = 5.0  # crawl.timeout, as crawl_support.write_config sets it
ARTICLE_ERROR = re.compile(r"article \S+ failed: (.*)$", re.M)
MARKUP = re.compile(r"<\s*/?\s*(script|style|img|b|p|a|div|span|h1)\b|alert\(1\)", re.I)
HOSTILE = next(a for a in load_extras() if a["kind"] == "hostile")


@cache
def small_site_articles() -> tuple[int, ...]:
    """The 14 newest real articles and the one of /quoc-te: /tin-chinh spans two pages, and
    the home feed (20 items) lists every article."""
    entries = ReplicaSite().entries
    quoc_te = next(e.id for e in entries if e.section == "quoc-te")
    return (*(e.id for e in entries[:14]), quoc_te)


def small_site(disallow: Sequence[str] = ()) -> ReplicaSite:
    wanted = set(small_site_articles())
    return ReplicaSite([a for a in load_articles() if a["article_id"] in wanted], disallow=disallow)


@dataclass
class Run:
    """One ``monitor crawl`` and what the replica saw of it."""

    code: int
    stderr: str
    seconds: float
    peak_rss_mib: float  # the crawl's process tree (monitor and its scrapers.run child)
    row: dict[str, Any]  # its crawl_runs row
    requests: list[LoggedRequest] = field(default_factory=list)

    def to(self, path: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path.split("?")[0] == path]


# Runs the crawl, then writes its children's peak RSS (KiB) to argv[1].
LAUNCHER = """import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)"""


def crawl(config: Path, timeout: float = 120) -> Run:
    """``monitor crawl --create`` (a trial's archive is new) under a small launcher that
    measures the crawl's process tree."""
    peak = config.with_suffix(".peak")
    command = [sys.executable, "-c", LAUNCHER, str(peak), MONITOR, "--config", str(config)]
    started = time.monotonic()
    child = subprocess.Popen(
        [*command, "crawl", "--create"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        _, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise
    seconds = time.monotonic() - started
    return Run(child.returncode, stderr, seconds, int(peak.read_text()) / 1024, last_run(config))


class Trial:
    """One fault: the replica, "another host" on 127.0.0.2, a config, and the runs so far."""

    def __init__(self, name: str, tmp_path: Path, disallow: Sequence[str] = ()) -> None:
        self.name = name
        self.server = ReplicaServer(small_site(disallow))
        self.other = ReplicaServer(small_site(), host=faults.OFFSITE_HOST)
        self.server.start()
        self.other.start()
        self.feed_only = self.server.publish("ordinary")  # in no configured listing
        self.config = write_config(tmp_path, self.server.base_url)  # timeout 5 s, 1 retry
        text = self.config.read_text().replace("backoff_max = 0.2", "backoff_max = 2.0")
        self.config.write_text(text)  # so that Retry-After: 1 is honoured
        self.fault: dict[str, Any] = {}
        self.figures: list[dict[str, Any]] = []

    @property
    def target(self) -> Entry:
        """The article faults hit: the newest on /tin-chinh whose title comes from its h1."""
        return next(e for e in self.server.site.entries if e.section == "tin-chinh"
                    and not e.variant.metadata and not e.variant.zero_width)  # fmt: skip

    def published(self) -> set[int]:
        return {entry.id for entry in self.server.site.entries}

    def inject(self, path: str, mode: str, count: int | None = None, **options: Any) -> None:
        self.server.fail(path, mode, count, **options)
        self.fault = {"path": path, "mode": mode, "count": count}

    def crawl(self, label: str = "faulted") -> Run:
        """One run, checked for everything a fault must leave intact, and its figures kept."""
        self.server.clear_requests()
        run = crawl(self.config)
        run.requests = self.server.requests
        assert run.code in (0, 1), run.stderr
        assert "Traceback" not in run.stderr
        assert not [line for line in run.stderr.splitlines() if line[:1].isspace()], run.stderr
        assert run.row["outcome"] == ("ok" if run.code == 0 else "failed")
        if run.code == 1:
            assert run.row["reason"] and run.row["reason"] in run.stderr.splitlines()[-1]
            assert not run.row["reason"].endswith(": ") and "<twisted" not in run.row["reason"]
        assert all(why.strip() for why in ARTICLE_ERROR.findall(run.stderr)), run.stderr
        assert self.other.requests == [], "a request left the site's host"
        assert run.peak_rss_mib < RSS_LIMIT_MIB
        assert_archive_sound(self.config, self.server)
        self.figures.append(self._figures(label, run))
        return run

    def heal_and_catch_up(self, expected: set[int] | None = None) -> Run:
        self.server.heal()
        run = self.crawl("healed")
        assert run.code == 0, run.stderr
        assert archived_ids(self.config) == (self.published() if expected is None else expected)
        return run

    def _figures(self, label: str, run: Run) -> dict[str, Any]:
        # pytest's RUSAGE_CHILDREN is at least pytest's own size at each fork: an upper bound
        # of the crawls', reported, not asserted (it grows with the rest of the session)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        hits = [r for r in run.requests if r.failure]
        by_path = Counter(r.path for r in run.requests)
        return {
            "fault": self.name, **self.fault, "run": label, "exit": run.code,
            "outcome": run.row["outcome"], "reason": run.row["reason"],
            "requests": run.row["requests"], "fault_hits": len(hits),
            "retries": sum(by_path[path] - 1 for path in {r.path for r in hits}),
            "http_errors": run.row["http_errors"], "fetch_errors": run.row["fetch_errors"],
            "bytes": run.row["bytes"], "listing_articles": run.row["listing_articles"],
            "article_errors": sorted(set(ARTICLE_ERROR.findall(run.stderr))),
            "archived": len(archived_ids(self.config)), "published": len(self.published()),
            "peak_rss_mib": round(run.peak_rss_mib, 1), "seconds": round(run.seconds, 1),
            "pytest_children_maxrss_mib": round(children, 1),
        }  # fmt: skip

    def close(self) -> None:
        self.server.stop()
        self.other.stop()


def assert_archive_sound(config: Path, server: ReplicaServer) -> None:
    """Every archived article is whole and reads as its healthy page parses."""
    profile = load_config(config).profile
    with closing(sqlite3.connect(database_of(config))) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(row) for row in db.execute("SELECT * FROM articles")]
    for row in rows:
        assert row["title"] and row["body"] and row["published_at"], row["article_id"]
        texts = [row["title"], row["lead"] or "", row["body"]]
        assert not any("\ufffd" in text for text in texts), row["article_id"]
        if row["article_id"] != HOSTILE["article_id"]:
            assert not any(MARKUP.search(text) for text in texts), row["article_id"]
        page = server.site.page(urlsplit(row["url"]).path, server.base_url)
        healthy = parse_article(page.body, row["url"], profile, content_type=page.content_type)
        got = (row["title"], row["lead"], row["body"], row["published_at"])
        assert got == (healthy.title, healthy.lead, healthy.body, healthy.published_at)


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    figures: list[dict[str, Any]] = []
    yield figures
    out = tmp_path_factory.getbasetemp() / "reliability-site.json"
    out.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def trials(
    tmp_path: Path, report: list[dict[str, Any]], request: pytest.FixtureRequest
) -> Iterator[Callable[..., Trial]]:
    made: list[Trial] = []

    def make(disallow: Sequence[str] = ()) -> Trial:
        made.append(Trial(request.node.name.removeprefix("test_"), tmp_path, disallow))
        return made[-1]

    yield make
    for trial in made:
        trial.close()
        report.extend(trial.figures)


@pytest.fixture
def trial(trials: Callable[..., Trial]) -> Trial:
    return trials()


# --- HTTP errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("500", "Ignoring non-200 response"),
        ("reset", "Connection to the other side was lost"),
        ("truncate", "the body ended before its announced length"),
        ("huge", "download cancelled (over crawl.max_response_bytes"),
    ],
)
def test_whole_site_failing_fails_the_run_saying_why(trial: Trial, mode: str, why: str) -> None:
    trial.inject("/", mode)
    run = trial.crawl()
    assert run.code == 1 and run.row["reason"].startswith("site unreachable: ")
    assert why in run.row["reason"]
    assert archived_ids(trial.config) == set()
    trial.heal_and_catch_up()


def test_502_on_an_article_is_retried_then_left_for_the_next_run(trial: Trial) -> None:
    trial.inject(trial.target.path, "502")
    run = trial.crawl()
    assert run.code == 0 and [r.status for r in run.to(trial.target.path)] == [502, 502]
    assert archived_ids(trial.config) == trial.published() - {trial.target.id}
    trial.heal_and_catch_up()


def test_503_with_retry_after_on_the_feed_is_waited_out(trial: Trial) -> None:
    trial.inject("/rss/home.rss", "503-retry-after", count=1)
    run = trial.crawl()
    first, retry = run.to("/rss/home.rss")
    assert (first.status, retry.status) == (503, 200) and retry.time - first.time >= 1.0
    assert archived_ids(trial.config) == trial.published()
    trial.heal_and_catch_up()


def test_429_with_retry_after_on_an_article_backs_off_then_gives_up(trial: Trial) -> None:
    trial.inject(trial.target.path, "429")
    run = trial.crawl()
    first, retry = run.to(trial.target.path)
    assert (first.status, retry.status) == (429, 429) and retry.time - first.time >= 1.0
    assert trial.target.id not in archived_ids(trial.config)
    trial.heal_and_catch_up()


# --- broken connections and bodies ---------------------------------------------------------


def test_connection_reset_on_the_feeds_loses_only_what_they_alone_list(trial: Trial) -> None:
    trial.inject("/rss/", "reset")
    run = trial.crawl()
    assert run.code == 0 and run.row["fetch_errors"] >= 4  # two feeds, each retried once
    assert archived_ids(trial.config) == trial.published() - {trial.feed_only["id"]}
    trial.heal_and_catch_up()


@pytest.mark.parametrize(
    ("mode", "attempts"), [("never-ends", 2), ("truncate", 2), ("huge", 1), ("gzip-bomb", 1)]
)
def test_broken_article_body_is_dropped_then_caught_up(
    trial: Trial, mode: str, attempts: int
) -> None:
    """Retried when the body broke off (cut at the 5 s timeout, or short of its length); not
    when it outgrew the 10 MiB cap (a 50 MiB page, a gzip bomb): dropped as it came."""
    trial.inject(trial.target.path, mode)
    run = trial.crawl()
    assert run.code == 0 and len(run.to(trial.target.path)) == attempts
    assert trial.target.id not in archived_ids(trial.config)
    assert run.seconds < 2 * TIMEOUT + 20 and run.row["bytes"] < 20 * 1024 * 1024
    trial.heal_and_catch_up()


# --- charsets and content --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["wrong-charset", "no-charset"])
def test_articles_with_a_wrong_or_no_charset_read_as_the_healthy_pages(
    trial: Trial, mode: str
) -> None:
    trial.inject("/tin-chinh/", mode)  # every article of the section, and its listing's page 2
    run = trial.crawl()  # the archive check compares their text with the healthy pages'
    hit = {r.path for r in run.requests if r.failure}
    assert run.code == 0 and {e.path for e in trial.server.site.in_section("tin-chinh")} <= hit
    assert archived_ids(trial.config) == trial.published()
    trial.heal_and_catch_up()


def test_malformed_feed_yields_only_real_articles(trial: Trial) -> None:
    trial.inject("/rss/home.rss", "malformed-rss")
    run = trial.crawl()
    published = {entry.path for entry in trial.server.site.entries}
    articles = {r.path for r in run.requests if r.path.endswith(".html") and "_" in r.path}
    assert run.code == 0 and articles <= published
    trial.heal_and_catch_up()


def test_hostile_article_keeps_its_quoted_markup_as_text(trial: Trial) -> None:
    hostile = trial.server.publish("hostile")
    trial.crawl()
    with closing(sqlite3.connect(database_of(trial.config))) as db:
        title, body = db.execute(
            "SELECT title, body FROM articles WHERE article_id = ?", (hostile["id"],)
        ).fetchone()
    assert title == unicodedata.normalize("NFC", HOSTILE["title"])
    assert "<script>alert(1)</script>" in body and '<img src="x" onerror="alert(1)">' in body
    trial.heal_and_catch_up()


def test_live_script_and_tags_in_articles_never_reach_the_archive(trial: Trial) -> None:
    trial.inject("/tin-chinh/", "hostile-markup")  # in every article's h1 and first paragraph
    run = trial.crawl()  # the archive check: text as the healthy page's, no markup, no alert(1)
    assert run.code == 0 and archived_ids(trial.config) == trial.published()
    trial.heal_and_catch_up()


# --- redirects and robots.txt --------------------------------------------------------------


def test_redirect_loop_on_an_article_ends_and_is_caught_up(trial: Trial) -> None:
    trial.inject(trial.target.path, "redirect-loop")  # A → A?replica-loop=1 → A: a duplicate
    run = trial.crawl()
    assert run.code == 0 and len(run.to(trial.target.path)) == 2
    assert trial.target.id not in archived_ids(trial.config)
    trial.heal_and_catch_up()  # the dropped article failed the run's validators: asked again


def test_redirect_loop_on_a_listing_and_its_articles_ends(trial: Trial) -> None:
    trial.inject("/tin-chinh", "redirect-loop")  # the listing gives up after 5 redirects
    run = trial.crawl()
    on_listing = {e.id for e in trial.server.site.in_section("tin-chinh")}
    assert run.code == 0 and len(run.to("/tin-chinh")) == 6
    assert not on_listing & archived_ids(trial.config)
    trial.heal_and_catch_up()


@pytest.mark.parametrize("where", ["article", "listing"])
def test_redirect_to_another_host_is_never_followed(trial: Trial, where: str) -> None:
    path = trial.target.path if where == "article" else "/tin-chinh"  # with its articles
    trial.inject(path, "redirect-offsite", target=trial.other.base_url)
    run = trial.crawl()  # the run's check: the other host's request log stays empty
    assert run.code == 0 and [r for r in run.requests if r.failure]
    assert "failed: Filtered offsite request to '127.0.0.2'" in run.stderr  # not lost
    trial.heal_and_catch_up()


def test_robots_txt_disallowing_a_listing_keeps_the_crawl_out(
    trials: Callable[..., Trial],
) -> None:
    trial = trials(disallow=["/quoc-te"])
    trial.fault = {"path": "/robots.txt", "mode": "Disallow: /quoc-te", "count": None}
    run = trial.crawl()
    assert run.code == 0 and not [r for r in run.requests if r.path.startswith("/quoc-te")]
    allowed = {e.id for e in trial.server.site.entries if not e.path.startswith("/quoc-te")}
    assert archived_ids(trial.config) == allowed < trial.published()
    again = trial.heal_and_catch_up(expected=allowed)  # a rule, not a fault: it stays
    entries = [r for r in again.requests if r.path != "/robots.txt"]
    assert entries and all(r.status == 304 for r in entries)  # the first run was clean
