"""``monitor maintain``: the weekly maintenance now, saying what it did. In-process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import invoke
from test_archive_support import raw_rows, zlib_archive

from monitor.archive import Archive
from replica.corpus import synthetic_pages


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "archive.db"}"\n', encoding="utf-8")
    return path


def test_an_old_archive_is_recompressed_and_vacuumed(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    zlib_archive(config.with_name("archive.db"), synthetic_pages(120, seed=7))
    result = invoke(capsys, "--config", str(config), "maintain")
    assert result.returncode == 0, result.stderr
    first, second, third = result.stdout.splitlines()
    assert re.fullmatch(
        r"raw pages: dictionary 1 trained on 108 pages; the 12 newest, held out,"
        r" take \d\d% less",
        first,
    )
    assert re.fullmatch(
        r"raw pages: 120 packed \(zstd level 19 with a dictionary\), \d+\.\d KB → \d\.\d KB a page",
        second,
    )
    assert re.fullmatch(
        r"search indexes optimized; archive vacuumed: \d+\.\d MiB → \d\.\d MiB", third
    )
    assert {row[1:] for row in raw_rows(config.with_name("archive.db"))} == {("zstd", 1)}


def test_a_small_archive_is_told_no_dictionary_is_due(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    Archive.open(config.with_name("archive.db")).close()
    result = invoke(capsys, "--config", str(config), "maintain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "raw pages: no new dictionary due"
