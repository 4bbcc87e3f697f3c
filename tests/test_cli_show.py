"""``monitor show`` as a user runs it, in-process, against real
archives — one filled from the golden pages and matched with the shipped rules, one from the
record factory for edits."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from cli_support import Result, invoke
from test_archive_support import LATER, record, store

from monitor.archive import Archive
from monitor.config import Config
from monitor.ingest import FetchedPage, ingest_page
from monitor.match import Matcher
from monitor.match.apply import match_new_articles

from golden_pages import golden_pages

WHEN = "2025-06-23T12:00:00+07:00"
ARTICLE = 179591  # a dân vận article: matched by the rule dan-van, one alert per rule
URL = "https://congan.com.vn/tin-chinh/cong-tac-dan-van_179591.html"


def write_config(directory: Path, database: Path) -> Path:
    path = directory / "monitor.toml"
    path.write_text(f"[database]\npath = {json.dumps(str(database))}\n", encoding="utf-8")
    return path


def monitor(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> Result[str]:
    return invoke(capsys, "--config", str(config), "show", *args)


def shown(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> dict[str, object]:
    result = monitor(capsys, config, *args, "--json")
    assert result.returncode == 0, result.stderr
    view: dict[str, object] = json.loads(result.stdout)
    return view


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    """A config whose archive holds the golden pages, matched, one alert of ARTICLE sent."""
    directory = tmp_path_factory.mktemp("golden")
    database = directory / "monitor.db"
    with Archive.open(database) as archive:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, WHEN)
            ingest_page(archive, config.profile, fetched)
        match_new_articles(archive, config.rules, Matcher(config.rules))
        first = min(alert.id for alert in archive.alerts.alerts_of(ARTICLE))
        archive.alerts.mark_alerts_sent([first])
    return write_config(directory, database)


def test_show_by_id_prints_every_section_with_the_body_wrapped(
    capsys: pytest.CaptureFixture[str], golden: Path
) -> None:
    result = monitor(capsys, golden, str(ARTICLE))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for heading in ("Lead", "Body", "Images (0)", "Extraction layers", "Problems", "Matches (4)"):
        assert heading in lines
    assert lines[0].startswith(f"Article {ARTICLE}: ")
    assert "section              tin-chinh" in lines
    body = lines[lines.index("Body") + 2 : lines.index("Images (0)")]
    assert body and all(len(line) <= 100 for line in body)


def test_show_by_url_is_the_same_article_as_by_id(
    capsys: pytest.CaptureFixture[str], golden: Path
) -> None:
    assert shown(capsys, golden, URL) == shown(capsys, golden, str(ARTICLE))


def test_json_has_every_article_column(capsys: pytest.CaptureFixture[str], golden: Path) -> None:
    article = shown(capsys, golden, str(ARTICLE))["article"]
    assert isinstance(article, dict)
    columns = {"canonical_url", "published_precision", "content_hash", "extraction", "problems"}
    assert columns | {"tags", "images", "on_topic", "version", "first_seen_at"} <= set(article)
    assert article["on_topic"] is True
    assert article["extraction"]["body"] == "profile"


def test_matches_and_alerts_are_listed_with_status_channel_and_sent_at(
    capsys: pytest.CaptureFixture[str], golden: Path
) -> None:
    view = shown(capsys, golden, str(ARTICLE))
    matches, alerts = view["matches"], view["alerts"]
    assert isinstance(matches, list) and isinstance(alerts, list)
    assert {match["rule"] for match in matches} == {"dan-van", "toan-dan-bv-antq"}
    assert [(a["rule"], a["channel"], a["status"]) for a in alerts] == [
        ("dan-van", "default", "sent"),
        ("toan-dan-bv-antq", "default", "pending"),
    ]
    assert alerts[0]["sent_at"] and alerts[1]["sent_at"] is None
    text = monitor(capsys, golden, str(ARTICLE)).stdout
    assert f"dan-van → default: sent at {alerts[0]['sent_at']}" in text


def test_versions_after_an_edit_say_what_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = tmp_path / "monitor.db"
    with Archive.open(database) as archive:
        store(archive, record())
        store(archive, replace(record(), title="Công tác dân vận (cập nhật)"), fetched_at=LATER)
    config = write_config(tmp_path, database)
    view = shown(capsys, config, "141005")
    versions = view["versions"]
    assert isinstance(versions, list)
    assert [(v["version"], v["changed"]) for v in versions] == [(1, ["title"])]
    assert versions[0]["title"] == "Công tác dân vận ở Thủ Đức"
    text = monitor(capsys, config, "141005").stdout
    assert "title: Công tác dân vận ở Thủ Đức → Công tác dân vận (cập nhật)" in text
    assert "v2  current since 2025-03-20T08:00:00+07:00" in text


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("424242", "article 424242 is not archived"),
        ("https://congan.com.vn/tin-chinh/khong-co_424242.html", "article 424242 is not archived"),
        ("https://example.com/about", "not an article id or an article URL"),
    ],
)
def test_unknown_article_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], golden: Path, target: str, says: str
) -> None:
    result = monitor(capsys, golden, target)
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
