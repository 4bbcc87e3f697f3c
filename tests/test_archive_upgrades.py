"""Archives written by every earlier version (``tests/fixtures/archives/``, built by
``scripts/build_archive_fixtures.py`` with each version's own code) upgraded by today's
``monitor migrate``: nothing lost or changed, the old code's own view (its JSON sidecar) still
true, and the next crawl and delivery behave as on a fresh archive."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zstandard
from cli_support import invoke

from monitor.archive import SCHEMA_VERSION
from replica.server import ReplicaServer
from replica.site import ReplicaSite, load_articles

from crawl_support import monitor, write_config

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archives"
NEVER_CURRENT = frozenset({1})  # shipped together with 2 in the archive's first commit
SIDECARS = {int(p.stem[1:]): p for p in FIXTURES.glob("v*.json")}
VERSIONS = sorted(SIDECARS)

# What must survive an upgrade, table by table: columns every version has had, in a stable order.
KEPT = {
    "articles": "SELECT article_id, url, canonical_url, section, title, lead, body, published_at,"
    " author, first_seen_at, last_seen_at, content_hash, version FROM articles ORDER BY 1",
    "article_versions": "SELECT article_id, version, captured_at, content_hash, title, lead, body,"
    " published_at, tags, images FROM article_versions ORDER BY 1, 2",
    "article_tags": "SELECT * FROM article_tags ORDER BY 1, 2",
    "raw_pages": "SELECT article_id, url, fetched_at, http_status, html, raw_size FROM raw_pages"
    " ORDER BY 1",
    "crawl_state": "SELECT key, value, updated_at FROM crawl_state ORDER BY 1",
    "http_cache": "SELECT * FROM http_cache ORDER BY 1",
    "crawl_runs": "SELECT run_id, mode, started_at, finished_at, outcome, new, updated"
    " FROM crawl_runs ORDER BY 1",
}
KEPT_SINCE_3 = {
    "matches": 'SELECT article_id, rule, keyword, field, start, "end", snippet, content_hash,'
    " matched_at FROM matches ORDER BY 1, 2, 4, 5",
    "alerts": "SELECT id, article_id, rule, channel, status, attempts, created_at, sent_at,"
    " last_error FROM alerts ORDER BY 1",
}


def sidecar(version: int) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(SIDECARS[version].read_text("utf-8"))
    return found


SEARCHED = [v for v in VERSIONS if sidecar(v)["searches"]]  # monitor search came in version 6


def unpack(version: int, folder: Path) -> Path:
    """The fixture of ``version`` as ``folder/monitor.db``, private as an archive is."""
    database = folder / "monitor.db"
    data = (FIXTURES / f"v{version}.db.zst").read_bytes()
    database.write_bytes(zstandard.ZstdDecompressor().decompress(data))
    database.chmod(0o600)
    return database


Contents = dict[str, list[tuple[Any, ...]]]  # rows of the KEPT tables, table by table
Upgraded = tuple[int, Contents, Path, str]  # the ``upgraded`` fixture


def contents(database: Path) -> Contents:
    with closing(sqlite3.connect(database)) as db:
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
        queries = {**KEPT, **(KEPT_SINCE_3 if user_version >= 3 else {})}
        return {table: db.execute(sql).fetchall() for table, sql in queries.items()}


def config_for(database: Path, base_url: str = "http://127.0.0.1:9") -> Path:
    """A config for the archive at ``database`` (``monitor.db``), alerts to a file channel."""
    config = write_config(database.parent, base_url)
    channel = f'[channels.default]\ntype = "file"\npath = "{database.parent / "alerts.jsonl"}"\n'
    config.write_text(config.read_text("utf-8") + channel, encoding="utf-8")
    return config


@pytest.fixture
def upgraded(request: pytest.FixtureRequest, tmp_path: Path, capsys: Any) -> Iterator[Upgraded]:
    """(version, contents before, the archive after ``monitor migrate``, its output)."""
    version: int = request.param
    database = unpack(version, tmp_path)
    before = contents(database)
    result = invoke(capsys, "--config", str(config_for(database)), "migrate")
    assert result.returncode == 0, result.stderr
    yield version, before, database, result.stdout


def _versions(versions: list[int] = VERSIONS) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("upgraded", versions, indirect=True, ids=lambda v: f"v{v}")


def test_every_version_below_the_current_one_has_a_fixture() -> None:
    # the release checklist: a new migration needs the previous version's archive
    # (scripts/build_archive_fixtures.py --version N) before it ships
    missing = set(range(1, SCHEMA_VERSION + 1)) - NEVER_CURRENT - set(VERSIONS)
    assert not missing, f"no archive fixture for schema version(s) {sorted(missing)}"


def test_each_fixture_is_at_the_version_its_name_says(tmp_path: Path) -> None:
    for version in VERSIONS:
        with closing(sqlite3.connect(unpack(version, tmp_path))) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == version


@_versions()
def test_migrate_brings_the_archive_to_the_current_version(upgraded: Upgraded) -> None:
    version, _, database, output = upgraded
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    if version < SCHEMA_VERSION:
        assert f"schema version {version} → {SCHEMA_VERSION}" in output
        assert len(list(database.parent.glob("monitor.db.pre-v*.db"))) == 1
    else:
        assert "nothing to migrate" in output


@_versions()
def test_nothing_the_old_code_wrote_is_lost_or_changed(upgraded: Upgraded) -> None:
    _, before, database, _ = upgraded
    after = contents(database)
    assert {table: after[table] for table in before} == before


@_versions()
def test_what_the_old_code_saw_is_what_todays_code_sees(upgraded: Upgraded) -> None:
    version, _, database, _ = upgraded
    seen = sidecar(version)["observed"]
    with closing(sqlite3.connect(database)) as db:
        ids = [row[0] for row in db.execute("SELECT article_id FROM articles ORDER BY 1")]
        keys = [row[0] for row in db.execute("SELECT key FROM crawl_state ORDER BY 1")]
        versions = db.execute("SELECT count(*) FROM article_versions").fetchone()[0]
        statuses = dict(db.execute("SELECT status, count(*) FROM alerts GROUP BY 1").fetchall())
        matches = db.execute("SELECT count(*) FROM matches").fetchone()[0]
    assert (ids, keys, versions) == (
        seen["article_ids"],
        seen["crawl_state_keys"],
        seen["versions"],
    )
    if "matches" in seen:
        assert (matches, statuses) == (seen["matches"], seen["alerts_by_status"])


@_versions(SEARCHED)
def test_search_finds_what_the_old_code_found(upgraded: Upgraded, capsys: Any) -> None:
    version, _, database, _ = upgraded
    searches = sidecar(version)["searches"]
    config = database.parent / "monitor.toml"
    for query, old_ids in searches.items():
        result = invoke(capsys, "--config", str(config), "search", query, "--json", "--limit", "50")
        assert result.returncode == 0, result.stderr
        assert sorted(row["article_id"] for row in json.loads(result.stdout)) == sorted(old_ids)


def replica_like(version: int) -> ReplicaServer:
    """Today's replica with the fixture's articles: its two real ones, then A published and
    edited as it was, and B published; started."""
    story = sidecar(version)
    edited, pending = story["published"]["edited"], story["published"]["left_pending"]
    base = set(story["observed"]["article_ids"]) - {edited, pending}
    now = datetime.now(UTC) + timedelta(hours=7)
    articles = [a for a in load_articles() if a["article_id"] in base]
    server = ReplicaServer(ReplicaSite(articles, now=now.replace(tzinfo=None)))
    server.start()
    server.publish(edited)
    server.edit(edited, story["edit"])
    server.publish(pending)
    return server


def delivered(database: Path) -> list[int]:
    """The alert ids the file channel received, in order, repeats included."""
    path = database.parent / "alerts.jsonl"
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return [i for line in lines for i in json.loads(line)["alert_ids"]]


def rules_alerted(database: Path, article_id: int) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(database)) as db:
        query = "SELECT rule, status FROM alerts WHERE article_id = ? ORDER BY 1"
        return db.execute(query, (article_id,)).fetchall()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """The alerts a fresh archive gets for a dân vận article published after A and B."""
    folder = tmp_path_factory.mktemp("fresh")
    server = replica_like(VERSIONS[-1])
    try:
        new = server.publish("danvan")["id"]
        config = config_for(folder / "monitor.db", server.base_url)
        result = monitor(config, "crawl", "--create")
        assert result.returncode == 0, result.stderr
    finally:
        server.stop()
    return rules_alerted(folder / "monitor.db", new)


@pytest.mark.e2e
@_versions()
def test_the_next_crawl_and_delivery_behave_as_on_a_fresh_archive(
    upgraded: Upgraded, fresh: list[tuple[str, str]]
) -> None:
    _, before, database, _ = upgraded
    server = replica_like(upgraded[0])
    try:
        new = server.publish("danvan")["id"]
        result = monitor(config_for(database, server.base_url), "crawl")
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(database)) as db:
        run = db.execute("SELECT outcome, new, updated FROM crawl_runs ORDER BY run_id DESC")
        assert run.fetchone() == ("ok", 1, 0)
    assert rules_alerted(database, new) == fresh
    sent_before = [row for row in before.get("alerts", []) if row[4] == "sent"]
    ids = delivered(database)
    assert len(ids) == len(set(ids)), "an alert was delivered twice"
    assert not {row[0] for row in sent_before} & set(ids), "an alert sent before was resent"
    after = {row[0]: row for row in contents(database)["alerts"]}
    assert all(after[row[0]] == row for row in sent_before)
