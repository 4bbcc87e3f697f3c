"""monitor.cli: the command group itself — its options anywhere on the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import invoke

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
