"""A site in a template the monitor has never seen (the replica's redesign: new markup, feeds
gone, sitemaps), end to end with the real spider and the monitor command: every article is
found and archived with right fields or flagged, never a wrong date; the operator is told; the
profile re-learned from 10 archived pages reads every golden field exactly after a reparse."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from monitor.archive import Archive
from monitor.config import load_config
from monitor.daemon import health
from monitor.dates import VN_TZ
from replica.server import ReplicaServer

from crawl_support import database_of, monitor, write_config
from golden_pages import redesign_pages

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
import make_redesign

pytestmark = pytest.mark.e2e
GOLDEN = {int(page.expected["article_id"]): page.expected for page in redesign_pages()}
SITE = "https://congan.com.vn"
FIELDS = ("title", "lead", "body", "published_at", "published_precision", "author")


@pytest.fixture(scope="module")
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer(make_redesign.golden_site()) as running:  # as the golden pages were made
        yield running


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, server: ReplicaServer) -> Path:
    config = write_config(
        tmp_path_factory.mktemp("redesign"), server.base_url, listings=["/tin-chinh"]
    )
    result = monitor(config, "crawl", "--create")
    assert result.returncode == 0, result.stderr
    assert "came from fallbacks: run `monitor check URL`" in result.stdout
    return config


def _articles(config: Path) -> dict[int, dict[str, Any]]:
    with closing(sqlite3.connect(database_of(config))) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM articles").fetchall()
    return {row["article_id"]: dict(row) for row in rows}


def _quarantined(config: Path) -> set[int]:
    with closing(sqlite3.connect(database_of(config))) as db:
        return {row[0] for row in db.execute("SELECT article_id FROM quarantine")}


def test_every_article_of_every_section_is_found(crawled: Path, server: ReplicaServer) -> None:
    found = set(_articles(crawled)) | _quarantined(crawled)
    assert found == {entry.id for entry in server.site.entries}  # feeds gone, sitemaps read


def test_no_archived_date_is_wrong(crawled: Path, server: ReplicaServer) -> None:
    published = {entry.id: entry.when.replace(tzinfo=VN_TZ) for entry in server.site.entries}
    for article_id, row in _articles(crawled).items():
        stored = datetime.fromisoformat(row["published_at"])
        if row["published_precision"] == "day":  # the page shows the day only: midnight
            assert stored.date() == published[article_id].date(), article_id
        else:
            assert stored == published[article_id], article_id


def test_golden_fields_are_right_or_absent(crawled: Path) -> None:
    articles = _articles(crawled)
    for article_id, expected in GOLDEN.items():
        row = articles.get(article_id)
        assert row is not None, f"{article_id} quarantined"
        for name in FIELDS:
            assert row[name] in (expected[name], None), (article_id, name)


def test_the_operator_is_told_the_records_came_from_fallbacks(crawled: Path) -> None:
    config = load_config(crawled)
    with Archive.open(database_of(crawled)) as archive:
        run = archive.runs.last_runs(1)[0]
        verdicts = health.after_crawl(archive, config, run, datetime.now(VN_TZ))
    extraction = next(verdict for verdict in verdicts if verdict.check == "extraction")
    assert extraction.broken
    assert "records came from fallbacks: run `monitor check URL`" in extraction.detail


def test_a_profile_learned_from_ten_archived_pages_reads_every_golden_field(
    crawled: Path, server: ReplicaServer
) -> None:
    overlay = crawled.parent / "learned.toml"
    listings = (f"{server.base_url}/tin-chinh", f"{server.base_url}/tin-chinh/page/2/")
    learn = monitor(
        crawled, "profile", "learn", "--from-archive", "--max-pages", "10",
        *listings, "--output", str(overlay),
    )  # fmt: skip
    assert learn.returncode == 0, learn.stdout + learn.stderr
    assert "listing.container: section.cms-stream" in learn.stdout
    learned = crawled.parent / "learned-monitor.toml"
    learned.write_text('include = ["learned.toml"]\n' + crawled.read_text(encoding="utf-8"))
    reparse = monitor(learned, "reparse")
    assert reparse.returncode == 0, reparse.stderr
    with Archive.open(database_of(crawled), readonly=True) as archive:
        stored = {article_id: archive.articles.get_article(article_id) for article_id in GOLDEN}
    for article_id, expected in GOLDEN.items():
        article = stored[article_id]
        assert article is not None
        row = article.to_dict()
        for name in (*FIELDS, "tags"):
            assert row[name] == expected[name], (article_id, name)
        images = json.loads(json.dumps(row["images"]).replace(server.base_url, SITE))
        assert images == expected["images"], article_id  # relative src: on the replica's host
        layers = article.extraction
        assert set(layers.values()) <= {"profile", "metadata", "url"}, (article_id, layers)
