"""``monitor parse`` as a user runs it, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import Result, invoke

URL = "https://congan.com.vn/tin-chinh/cong-tac-dan-van_179591.html"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>
<p>Thứ Hai, Ngày 23 Tháng 6, 2025</p>
<h1 class="title">Công tác dân vận</h1>
<p style="white-space: nowrap;">Thứ Hai, 23/06/2025 11:45</p>
<div class="article_head">(CAO) Sáng 23/6, Công an TPHCM tổ chức hội nghị.</div>
<div id="article_content"><p>Đoạn một.</p><p>Đoạn hai.</p></div>
<p>Thông tin liên hệ</p></body></html>"""


def monitor(capsys: pytest.CaptureFixture[str], *args: str) -> Result[str]:
    return invoke(capsys, *args)


def test_parse_prints_the_record_as_utf8_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = monitor(capsys, "parse", str(page), "--url", URL)
    assert result.returncode == 0, result.stderr
    assert "Công tác dân vận" in result.stdout  # not ASCII-escaped
    record = json.loads(result.stdout)
    assert record["lead"] == "Sáng 23/6, Công an TPHCM tổ chức hội nghị."
    assert record["body"] == "Đoạn một.\n\nĐoạn hai."
    assert record["published_at"] == "2025-06-23T11:45:00+07:00"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "no such file"),
        (b"", "empty page"),
        (b"just some words, no markup at all", "not an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an HTML page"),
    ],
)
def test_bad_file_is_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes | None, says: str
) -> None:
    page = tmp_path / "page.html"
    if content is not None:
        page.write_bytes(content)
    result = monitor(capsys, "parse", str(page), "--url", URL)
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_url_that_is_not_an_article_is_rejected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = monitor(capsys, "parse", str(page), "--url", "https://congan.com.vn/tin-chinh")
    assert result.returncode == 2
    assert "not an article URL" in result.stderr


def test_bad_config_is_one_line_error_naming_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[crawl]\ndownload_dely = 2\n", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = monitor(capsys, "--config", str(config), "parse", str(page), "--url", URL)
    assert result.returncode == 2
    assert "crawl.download_dely" in result.stderr
    assert "download_delay" in result.stderr


def test_every_command_has_an_example_in_its_help() -> None:
    from monitor.cli import cli

    for name, command in cli.commands.items():
        assert "Example" in (command.help or ""), f"monitor {name} --help has no example"
