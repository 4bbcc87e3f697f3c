"""``monitor rules test`` and ``monitor match`` as a user runs them, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import Result, invoke
from test_match_apply import DANVAN_IDS

from monitor.archive import Archive
from monitor.config import Config
from monitor.ingest import FetchedPage, ingest_page

from golden_pages import golden_pages


def monitor(capsys: pytest.CaptureFixture[str], *args: str) -> Result[str]:
    return invoke(capsys, *args)


def test_rules_test_prints_matches_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test", "--text", "Phong trào Dân vận khéo lan tỏa.")
    assert result.returncode == 0, result.stderr
    (hit,) = json.loads(result.stdout)
    assert set(hit) == {"rule", "keyword", "field", "start", "end", "snippet"}
    assert (hit["rule"], hit["start"], hit["end"]) == ("dan-van", 11, 23)


def test_rules_test_ignores_cross_word_lookalikes(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test", "--text", "Người dân vận chuyển hàng hóa qua cầu.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_rules_test_reads_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "draft.txt"
    text.write_text("Hưởng ứng phong trào Toàn dân bảo vệ an ninh Tổ quốc.", encoding="utf-8")
    result = monitor(capsys, "rules", "test", "--file", str(text))
    assert [hit["rule"] for hit in json.loads(result.stdout)] == ["toan-dan-bv-antq"]


def test_rules_test_wants_exactly_one_source(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test")
    assert result.returncode == 2
    assert "exactly one of --text, --file, --since" in result.stderr


def test_rules_test_since_wants_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test", "--since", "2025-06-31")
    assert result.returncode == 2
    assert result.stderr == "monitor: --since: not a date in the form YYYY-MM-DD: '2025-06-31'\n"


def test_match_since_wants_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "match", "--since", "01/06/2025")
    assert result.returncode == 2
    assert result.stderr == "monitor: --since: not a date in the form YYYY-MM-DD: '01/06/2025'\n"


# --- over an archive: the golden pages, ingested ----------------------------------------------

WHEN = "2025-06-23T12:00:00+07:00"


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    """A configuration whose archive holds the golden pages, not matched yet."""
    folder = tmp_path_factory.mktemp("rules")
    with Archive.open(folder / "monitor.db") as archive:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, WHEN)
            ingest_page(archive, config.profile, fetched)
    path = folder / "monitor.toml"
    path.write_text(f'[database]\npath = "{folder / "monitor.db"}"\n', encoding="utf-8")
    return path


def test_rules_test_all_backtests_every_article(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = monitor(capsys, "--config", str(archived), "rules", "test", "--all")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # 175360: "thế trận lòng dân" (toan-dan-bv-antq)
    assert {article["article_id"] for article in found} == DANVAN_IDS | {175360}
    dates = [article["published_at"] for article in found]
    assert dates == sorted(dates)
    since = monitor(capsys, "--config", str(archived), "rules", "test", "--since", "2000-01-01")
    assert since.stdout == result.stdout


def test_rules_test_since_and_all_are_exclusive(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    args = ("rules", "test", "--all", "--since", "2025-01-01")
    result = monitor(capsys, "--config", str(archived), *args)
    assert result.returncode == 2
    assert "exactly one of --text, --file, --since, --all" in result.stderr
