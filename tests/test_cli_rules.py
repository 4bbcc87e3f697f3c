"""``monitor rules test`` and ``monitor match`` as a user runs them, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import Result, invoke


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
