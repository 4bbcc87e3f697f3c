"""monitor.cli: the command group itself — its options anywhere on the line; unknown names
(rules, sections, alert ids) are one-line errors naming the known ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import invoke
from test_archive_support import record, store

from monitor.archive import Archive
from monitor.cli import hoist_global_options


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "elsewhere.db"}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("form", ["before", "after", "after="])
def test_config_is_accepted_before_or_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], config: Path, form: str
) -> None:
    args = {
        "before": ["--config", str(config), "status"],
        "after": ["status", "--config", str(config)],
        "after=": ["status", f"--config={config}"],
    }[form]
    result = invoke(capsys, *args)
    assert result.returncode == 0, result.stderr
    assert "elsewhere.db" in result.stdout  # the archive the given config names


def test_nothing_after_a_double_dash_is_moved() -> None:
    args = ["search", "--", "--config", "x"]
    assert hoist_global_options(args) == args
    assert hoist_global_options(["alerts", "list", "--config", "c"]) == [
        "--config", "c", "alerts", "list",
    ]  # fmt: skip


def test_an_unknown_rule_is_an_error_naming_the_rules(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    result = invoke(capsys, "search", "dân vận", "--rule", "nosuch", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "monitor: --rule: no rule named 'nosuch' (configured: dan-van, toan-dan-bv-antq)"
    )


@pytest.fixture
def archived(tmp_path: Path) -> Path:
    """A config whose archive has articles in tin-chinh and vu-an/canh-giac."""
    with Archive.open(tmp_path / "archive.db") as archive:
        store(archive, record(1))
        store(archive, record(2, section="vu-an/canh-giac"))
    path = tmp_path / "archived.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "archive.db"}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command", [["search", "dân vận"], ["export", "--format", "csv"], ["stats"]]
)
def test_an_unknown_section_is_an_error_naming_the_archives_sections(
    capsys: pytest.CaptureFixture[str], archived: Path, command: list[str]
) -> None:
    result = invoke(capsys, "--config", str(archived), *command, "--section", "nosuch")
    assert result.returncode == 2
    assert result.stderr == (
        "monitor: --section: no section named 'nosuch' (known: tin-chinh, vu-an, vu-an/canh-giac)\n"
    )


def test_a_section_with_articles_only_below_it_is_known(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = invoke(capsys, "--config", str(archived), "search", "dân vận", "--section", "/vu-an/")
    assert result.returncode == 0, result.stderr
    assert "bai-viet_2.html" in result.stdout


def test_retrying_an_alert_that_is_not_failed_is_an_error(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    assert invoke(capsys, "--config", str(config), "init").returncode == 0
    result = invoke(capsys, "--config", str(config), "alerts", "retry", "999")
    assert result.returncode == 2
    assert result.stderr.strip() == "monitor: no failed alert with id 999 (failed: none)"


def test_match_refuses_since_with_all(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    result = invoke(capsys, "match", "--all", "--since", "2025-01-01", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "monitor: --since and --all cannot be used together: --all re-matches everything"
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["search", "x", "--limit", "0"], "Invalid value for '--limit'"),
        (["export"], "Missing option '--format'"),
        (["crawl", "--nosuch"], "No such option '--nosuch'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], config: Path, args: list[str], says: str
) -> None:
    result = invoke(capsys, "--config", str(config), *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("monitor: ") and says in result.stderr


def test_a_config_with_several_problems_lists_each_on_its_line_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[crawl]\ntimeout = "abc"\n[health]\nchannel = "ops"\n', encoding="utf-8")
    result = invoke(capsys, "--config", str(path), "alerts", "list")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"monitor: config error in {path}: 2 problems",
        '  crawl.timeout: must be a number above 0 and at most 31536000 (got "abc")',
        "  health.channel: no channel named 'ops' (configured: default)",
    ]
