"""``monitor reparse`` as a user runs it, in-process: stderr is not a terminal here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import invoke

from monitor.archive import Archive
from monitor.config import SiteProfile
from monitor.reparse import reparse_archive

from bulk_support import broken, build_archive, config_file

PAGES = 40
OTHER_PROFILE = '[profile]\nfooter_markers = ["Thông tin liên hệ", "Xem thêm"]\n'


@pytest.fixture
def database(tmp_path: Path, profile: SiteProfile) -> Path:
    path = tmp_path / "archive.db"
    build_archive(path, broken(profile), PAGES)
    return path


def test_progress_is_a_line_at_the_start_and_at_the_end_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str], database: Path, tmp_path: Path
) -> None:
    config = config_file(tmp_path, database)
    result = invoke(capsys, "--config", str(config), "reparse", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"reparsed {PAGES} pages: {PAGES} new\n"
    lines = result.stderr.splitlines()
    assert lines[0] == f"reparse: 0 of {PAGES} pages"
    assert re.fullmatch(rf"reparse: {PAGES} of {PAGES} pages, [\d,]+/s, done in \d+ s", lines[-1])
    assert "\r" not in result.stderr


def test_resuming_with_a_changed_profile_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], database: Path, tmp_path: Path, profile: SiteProfile
) -> None:
    def interrupt(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with Archive.open(database) as archive, pytest.raises(KeyboardInterrupt):
        reparse_archive(archive, profile, batch=10, on_progress=interrupt)
    config = config_file(tmp_path, database, OTHER_PROFILE)
    result = invoke(capsys, "--config", str(config), "reparse", "--resume")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "monitor: cannot resume the interrupted reparse: the site profile changed since it"
        " started (it stopped at article 900009, 10 of 40 done); run without --resume to"
        " start over"
    ]
