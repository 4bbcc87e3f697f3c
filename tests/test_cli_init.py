"""``monitor init``, and no new archive on a typo: a command pointed at a missing archive fails in
one line, unless it fills the archive and is asked to create it (issue 19). In-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import invoke

from monitor.archive import Archive
from monitor.archive.migrations import SCHEMA_VERSION
from monitor.cli.context import AppContext
from monitor.errors import StorageError

NEEDS_AN_ARCHIVE = [
    ["search", "dân vận"],
    ["show", "179591"],
    ["stats"],
    ["export", "--format", "csv"],
    ["alerts", "list"],
    ["alerts", "deliver"],
    ["alerts", "retry"],
    ["match"],
    ["reparse"],
    ["rules", "test", "--since", "2025-01-01"],
    ["profile", "learn", "--from-archive", "--output", "learned.toml"],
    ["serve", "--port", "0"],
    ["maintain"],
]
FILL_THE_ARCHIVE = [["crawl"], ["run"]]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A config naming an archive that does not exist yet, in a directory that does not either."""
    path = tmp_path / "my.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "db" / "typo.db"}"\n', encoding="utf-8")
    return path


def archive_of(config: Path) -> Path:
    return config.parent / "db" / "typo.db"


def test_init_creates_the_archive_and_says_where(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    result = invoke(capsys, "--config", str(config), "init")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"created the archive at {archive_of(config)}, schema version {SCHEMA_VERSION}\n"
    )
    with Archive.open(archive_of(config), readonly=True) as archive:
        assert archive.settings().schema_version == SCHEMA_VERSION


def test_init_again_keeps_the_archive_and_says_so(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert invoke(capsys, "--config", str(config), "init").returncode == 0
    with Archive.open(archive_of(config)) as archive:
        archive.runs.start_run("normal")
    result = invoke(capsys, "--config", str(config), "init")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"archive already exists at {archive_of(config)}, schema version {SCHEMA_VERSION}:"
        " kept as it is\n"
    )
    with Archive.open(archive_of(config), readonly=True) as archive:
        assert len(archive.runs.last_runs(5)) == 1


def test_init_of_a_relative_path_prints_where_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(capsys, "init")  # the shipped defaults: db/monitor.db
    assert result.stdout.startswith(f"created the archive at db/monitor.db ({tmp_path}/db/")


HINTS = [
    *((args, "run 'monitor init'") for args in NEEDS_AN_ARCHIVE),
    *((args, "run 'monitor init' (or add --create)") for args in FILL_THE_ARCHIVE),
]


@pytest.mark.parametrize(("args", "hint"), HINTS, ids=[" ".join(args) for args, _ in HINTS])
def test_a_command_on_a_missing_archive_fails_in_one_line_and_creates_none(
    capsys: pytest.CaptureFixture[str], config: Path, args: list[str], hint: str
) -> None:
    """Crawl and run too fail before starting, naming --create besides monitor init."""
    result = invoke(capsys, "--config", str(config), *args)
    assert result.returncode == 1
    assert result.stderr == (
        f"monitor: no archive at {archive_of(config)} (database.path in {config});"
        f" {hint} to create it, or check the path\n"
    )
    assert not archive_of(config).parent.exists()


def test_a_read_only_command_never_creates_the_default_archive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(capsys, "search", "dân vận")
    assert result.returncode == 1
    assert result.stderr.startswith("monitor: no archive at db/monitor.db (database.path in ")
    assert not (tmp_path / "db").exists()


def test_the_default_path_may_be_created_by_a_command_that_fills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a fresh clone: `make run` (monitor run) starts without `monitor init`
    monkeypatch.chdir(tmp_path)
    assert AppContext(None).archive_to_fill(create=False) == "db/monitor.db"


def test_another_path_may_be_created_only_when_asked(config: Path) -> None:
    app = AppContext(config)
    assert app.archive_to_fill(create=True) == str(archive_of(config))
    with pytest.raises(StorageError, match="no archive at"):
        app.archive_to_fill(create=False)
