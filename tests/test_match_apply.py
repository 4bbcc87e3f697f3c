"""monitor.match.apply: matching runs over new articles, queues alerts once, and never
re-alerts old articles unless asked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor import checkpoint
from monitor.archive import Archive
from monitor.config import Config
from monitor.config.schema import Rule
from monitor.errors import InputError
from monitor.ingest import FetchedPage, ingest_page
from monitor.match import Matcher
from monitor.match.apply import (
    MatchJob,
    MatchSummary,
    backtest,
    match_new_articles,
    rematch,
    rematch_since,
)

from bulk_support import MATCH_TABLES, contents, copy_archive
from golden_pages import golden_pages

WHEN = "2025-06-23T12:00:00+07:00"
# By reading the texts: "dân vận" (incl. "Ban Tuyên giáo và Dân vận") in seven, and
# "vận động quần chúng" in 179591.
DANVAN_IDS = {141005, 175365, 176390, 179527, 179530, 179532, 179541, 179591}


@pytest.fixture
def archive(tmp_path: Path, config: Config) -> Iterator[Archive]:
    with Archive.open(tmp_path / "a.db") as opened:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, WHEN)
            ingest_page(opened, config.profile, fetched)
        yield opened


def run(archive: Archive, rules: tuple[Rule, ...]) -> tuple[int, int, int]:
    summary = match_new_articles(archive, rules, Matcher(rules))
    return summary.articles, summary.matched, summary.alerts


def test_dan_van_articles_are_matched_on_topic_and_alerted(
    archive: Archive, config: Config
) -> None:
    articles, _, alerts = run(archive, config.rules)
    assert articles == archive.counts()["articles"]
    on_topic = {a.article_id for a in archive.alerts.list_alerts(limit=1000) if a.rule == "dan-van"}
    assert on_topic == DANVAN_IDS
    assert all(getattr(archive.articles.get_article(i), "on_topic", False) for i in DANVAN_IDS)
    assert alerts == archive.alerts.alert_counts()["pending"]


def test_second_pass_finds_nothing_new(archive: Archive, config: Config) -> None:
    run(archive, config.rules)
    assert run(archive, config.rules) == (0, 0, 0)


def test_a_new_rule_does_not_realert_old_articles(archive: Archive, config: Config) -> None:
    run(archive, config.rules)
    extra = Rule(name="bao-chi", keywords=("báo chí",))
    assert run(archive, (*config.rules, extra)) == (0, 0, 0)


def test_asking_applies_a_new_rule_to_old_articles_once(archive: Archive, config: Config) -> None:
    run(archive, config.rules)
    before = archive.alerts.alert_counts()["pending"]
    extra = Rule(name="bao-chi", keywords=("báo chí",))
    rematch_since(archive, None)
    _, _, alerts = run(archive, (*config.rules, extra))
    assert alerts > 0
    assert archive.alerts.alert_counts()["pending"] == before + alerts
    rematch_since(archive, None)
    assert run(archive, (*config.rules, extra))[2] == 0


def test_backtest_reports_without_writing(archive: Archive, config: Config) -> None:
    found = backtest(archive, config.rules, Matcher(config.rules), "2020-01-01T00:00:00+07:00")
    assert {article.article_id for article, _ in found} >= DANVAN_IDS - {141005}
    assert archive.alerts.alert_counts()["pending"] == 0


def test_the_summary_says_why_old_matched_articles_queued_no_alert(
    archive: Archive, config: Config
) -> None:
    """Stored on 23/06/2025: the 2022 article and the March ones are far older than 3 days."""
    summary = match_new_articles(archive, config.rules, Matcher(config.rules), max_age_days=3.0)
    assert summary.too_old > 0
    assert summary.alerts < len(DANVAN_IDS)
    assert summary.line(3.0).endswith(
        f"({summary.too_old} matched published more than 3 days before they were found:"
        " recorded, not alerted — see alerts.max_age_days)"
    )


class Stop(Exception):
    """Raised from a progress callback: the job is interrupted after a recorded batch."""


def stop_after(articles: int) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        if done >= articles:
            raise Stop

    return progress


def rematch_all(
    archive: Archive,
    rules: tuple[Rule, ...],
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    **options: Any,
) -> MatchSummary:
    """``match --all``, 2 articles a batch (few are read: those the index finds a keyword in);
    ``max_age_days`` 3 leaves some matches unalerted."""
    job = MatchJob(max_age_days=3.0, batch=2, on_progress=on_progress)
    return rematch(archive, rules, Matcher(rules), job, since_iso=None, scope="all", **options)


def test_an_interrupted_rematch_resumed_equals_an_uninterrupted_one(
    archive: Archive, config: Config, tmp_path: Path
) -> None:
    with Archive.open(copy_archive(archive.path, tmp_path / "b.db")) as other:
        whole = rematch_all(archive, config.rules)
        with pytest.raises(Stop):
            rematch_all(other, config.rules, on_progress=stop_after(4))
        left = checkpoint.load(other, "match")
        assert left is not None and left.done == 4
        resumed = rematch_all(other, config.rules, resume=True)
        assert checkpoint.load(other, "match") is None
    assert resumed == whole  # the whole job's figures, both parts
    assert contents(archive.path, MATCH_TABLES) == contents(tmp_path / "b.db", MATCH_TABLES)


def test_a_resume_with_changed_rules_is_refused(archive: Archive, config: Config) -> None:
    with pytest.raises(Stop):
        rematch_all(archive, config.rules, on_progress=stop_after(2))
    changed = (*config.rules, Rule(name="bao-chi", keywords=("báo chí",)))
    with pytest.raises(InputError, match=r"the rules \(or alerts\.max_age_days\) changed since"):
        rematch_all(archive, changed, resume=True)
    assert checkpoint.load(archive, "match") is not None


def test_candidates_limit_the_articles_read(archive: Archive, config: Config) -> None:
    chosen = {175365, 179591, 1}  # two archived articles, and an id that is not
    summary = match_new_articles(archive, config.rules, Matcher(config.rules), candidates=chosen)
    assert (summary.articles, summary.matched) == (2, 2)
    assert archive.alerts.count_unmatched() == archive.counts()["articles"] - 2
