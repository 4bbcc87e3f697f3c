"""``monitor rules test`` and ``monitor match`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MONITOR = str(Path(sys.executable).parent / "monitor")


def monitor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MONITOR, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_rules_test_prints_matches_as_json() -> None:
    result = monitor("rules", "test", "--text", "Phong trào Dân vận khéo lan tỏa.")
    assert result.returncode == 0, result.stderr
    (hit,) = json.loads(result.stdout)
    assert set(hit) == {"rule", "keyword", "field", "start", "end", "snippet"}
    assert (hit["rule"], hit["start"], hit["end"]) == ("dan-van", 11, 23)


def test_rules_test_ignores_cross_word_lookalikes() -> None:
    result = monitor("rules", "test", "--text", "Người dân vận chuyển hàng hóa qua cầu.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_rules_test_reads_a_file(tmp_path: Path) -> None:
    text = tmp_path / "draft.txt"
    text.write_text("Hưởng ứng phong trào Toàn dân bảo vệ an ninh Tổ quốc.", encoding="utf-8")
    result = monitor("rules", "test", "--file", str(text))
    assert [hit["rule"] for hit in json.loads(result.stdout)] == ["toan-dan-bv-antq"]


def test_rules_test_wants_exactly_one_source() -> None:
    result = monitor("rules", "test")
    assert result.returncode == 2
    assert "exactly one of --text, --file, --since" in result.stderr
