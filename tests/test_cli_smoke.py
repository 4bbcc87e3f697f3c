"""The installed ``monitor`` command, in a subprocess: it starts, it helps, a bad input exits 2
with one line, and a real command runs end to end. Everything else about the CLI is tested
in-process (``cli_support.invoke``)."""

from __future__ import annotations

import json

from cli_support import installed

from monitor import __version__


def test_the_binary_starts_and_knows_its_version() -> None:
    result = installed("--version")
    assert (result.returncode, result.stdout) == (0, f"monitor, version {__version__}\n")


def test_help_lists_the_commands() -> None:
    result = installed("--help")
    assert result.returncode == 0, result.stderr
    assert all(name in result.stdout for name in ("crawl", "search", "export", "stats", "show"))


def test_a_bad_date_exits_2_with_one_line() -> None:
    result = installed("search", "dân vận", "--since", "hôm qua")
    assert result.returncode == 2
    assert result.stderr == "monitor: --since: not a date in the form YYYY-MM-DD: 'hôm qua'\n"


def test_a_real_command_runs_end_to_end() -> None:
    result = installed("rules", "test", "--text", "Phong trào Dân vận khéo lan tỏa.")
    assert result.returncode == 0, result.stderr
    assert [hit["rule"] for hit in json.loads(result.stdout)] == ["dan-van"]
