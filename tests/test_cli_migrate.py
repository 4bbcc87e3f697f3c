"""``monitor migrate``: pending schema migrations applied on purpose, after a verified copy;
read-only commands on an older archive name it. In-process."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cli_support import invoke
from sqlite_utils import Database
from test_archive_support import scalar

from monitor.archive import SCHEMA_VERSION, Archive
from monitor.archive.migrations import migrate

OLD = 9


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "archive.db"}"\n', encoding="utf-8")
    return path


@pytest.fixture
def old(config: Path) -> Path:
    """The configured archive, at schema version ``OLD``."""
    database = config.with_name("archive.db")
    with closing(sqlite3.connect(database, isolation_level=None)) as connection:
        migrate(Database(connection), target=OLD)
    return database


def _copies(database: Path) -> list[Path]:
    return sorted(database.parent.glob(f"{database.name}.pre-v*.db"))


def test_migrate_says_from_and_to_and_where_the_copy_is(
    capsys: pytest.CaptureFixture[str], config: Path, old: Path
) -> None:
    result = invoke(capsys, "--config", str(config), "migrate")
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith(f"archive {old}: schema version {OLD} → {SCHEMA_VERSION}")
    applied = ", ".join(str(version) for version in range(OLD + 1, SCHEMA_VERSION + 1))
    assert f"(migrations applied: {applied})" in first
    (copy,) = _copies(old)
    assert second.endswith(f"is kept at {copy}")
    assert f"schema version {OLD}" in second
    assert scalar(old, "PRAGMA user_version") == SCHEMA_VERSION


def test_migrate_on_an_up_to_date_archive_changes_nothing(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    Archive.open(config.with_name("archive.db")).close()
    result = invoke(capsys, "--config", str(config), "migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        f"is at schema version {SCHEMA_VERSION}: nothing to migrate"
    )
    assert _copies(config.with_name("archive.db")) == []


def test_dry_run_lists_the_pending_migrations_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], config: Path, old: Path
) -> None:
    result = invoke(capsys, "--config", str(config), "migrate", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"schema version {OLD} → {SCHEMA_VERSION} would apply 10: " in result.stdout
    assert "; 12: articles_unmatched" in result.stdout
    assert "; 14: The three FTS5 tables made anew" in result.stdout
    assert "``" not in result.stdout  # the docstrings' code quotes left out
    assert scalar(old, "PRAGMA user_version") == OLD
    assert _copies(old) == []


def test_an_archive_newer_than_the_program_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    database = config.with_name("archive.db")
    Archive.open(database).close()
    with closing(sqlite3.connect(database)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    for args in (["migrate"], ["migrate", "--dry-run"]):
        result = invoke(capsys, "--config", str(config), *args)
        assert result.returncode == 1
        assert result.stderr.strip().count("\n") == 0
        assert f"schema version {SCHEMA_VERSION + 1} is newer than this program's" in result.stderr


@pytest.mark.parametrize("args", [["search", "dân vận"], ["show", "1"], ["stats"]])
def test_a_read_only_command_on_an_older_archive_names_migrate(
    capsys: pytest.CaptureFixture[str], config: Path, old: Path, args: list[str]
) -> None:
    result = invoke(capsys, "--config", str(config), *args)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.strip().endswith("run 'monitor migrate' to upgrade it")
    assert scalar(old, "PRAGMA user_version") == OLD


def test_a_command_that_writes_migrates_with_the_same_copy(
    capsys: pytest.CaptureFixture[str], config: Path, old: Path
) -> None:
    result = invoke(capsys, "--config", str(config), "match")
    assert result.returncode == 0, result.stderr
    (copy,) = _copies(old)
    assert scalar(copy, "PRAGMA user_version") == OLD
    assert scalar(old, "PRAGMA user_version") == SCHEMA_VERSION
