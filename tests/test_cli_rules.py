"""``monitor rules test`` and ``monitor match`` as a user runs them, in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_support import Result, invoke

from monitor.config import SiteProfile

from bulk_support import build_archive, config_file


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


@pytest.fixture
def archived(tmp_path: Path, profile: SiteProfile) -> Path:
    """A config naming an archive of 30 complete articles (the golden pages, renumbered)."""
    database = tmp_path / "archive.db"
    build_archive(database, profile, 30)
    return config_file(tmp_path, database)


def test_match_all_shows_its_progress_as_lines_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = monitor(capsys, "--config", str(archived), "match", "--all", "--batch", "10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("matched 30 articles: ")
    lines = result.stderr.splitlines()
    assert lines[0] == "match --all: 0 of 30 articles"
    assert re.fullmatch(r"match --all: 30 of 30 articles, [\d,]+/s, done in \d+ s", lines[-1])


def test_match_resume_wants_the_option_it_resumes(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = monitor(capsys, "--config", str(archived), "match", "--resume")
    assert result.returncode == 2
    assert result.stderr == (
        "monitor: --resume continues an interrupted --all or --since: give that option\n"
    )


def test_rules_test_since_shows_progress_on_stderr_and_only_json_on_stdout(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = monitor(capsys, "--config", str(archived), "rules", "test", "--since", "2020-01-01")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) > 0
    last = result.stderr.splitlines()[-1]
    assert re.fullmatch(r"rules test --since: 30 of 30 articles, [\d,]+/s, done in \d+ s", last)
