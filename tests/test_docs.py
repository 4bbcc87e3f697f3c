"""The README documents every configuration key, with its limits as the schema has them, and
every command (sqlite-utils' rule)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args, get_origin

import pytest
from pydantic import BaseModel

from monitor.cli import cli
from monitor.config import Config, load_config
from monitor.config.describe import limits, setting_at
from replica.faults import MODES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _model_of(annotation: object) -> type[BaseModel] | None:
    """The model a field holds: itself, or the items of a ``tuple[Model, ...]``."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        inner = _model_of(field.annotation)
        table = f"{name}.NAME" if get_origin(field.annotation) is dict else name  # [channels.X]
        keys += _keys(inner, f"{prefix}{table}.") if inner else [f"{prefix}{name}"]
    return keys


@pytest.mark.parametrize("key", _keys(Config))
def test_config_key_is_documented(key: str) -> None:
    # a key is written out whole, or as one of a group: "`profile.article.title` / `date`"
    parent, _, name = key.rpartition(".")
    grouped = f"`{parent}." in README and f"/ `{name}`" in README
    assert f"`{key}`" in README or grouped, f"{key} is not in README.md"


def _cells(line: str) -> list[str]:
    """A table row's cells (a ``\\|`` inside a cell is no separator)."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def _limits_column() -> dict[str, str]:
    """Every key of a README table with a "limits" column, and its cell there; a row of a
    group ("`profile.article.title` / `date`") gives each key of the group."""
    found: dict[str, str] = {}
    column = None
    for line in README.splitlines():
        if not line.startswith("|"):
            column = None
        elif column is None and "limits" in _cells(line):
            column = _cells(line).index("limits")
        elif column is not None and line.startswith("| `"):
            cells = _cells(line)
            first, *others = re.findall(r"`([^`]+)`", cells[0])
            parent = first.rpartition(".")[0]
            for key in [first, *(f"{parent}.{name}" for name in others)]:
                found[key] = cells[column]
    return found


def _location(key: str) -> tuple[int | str, ...]:
    """The schema location of a documented key: ``rules.name`` is ``rules.0.name``."""
    parts: list[int | str] = []
    for part in key.split("."):
        parts += [part, 0] if part == "rules" else [part]
    return tuple(parts)


LIMITS = _limits_column()


@pytest.mark.parametrize("key", _keys(Config))
def test_config_key_has_its_limits_documented(key: str) -> None:
    # the schema's own limits, exactly; a key without any says in words what it takes, or "—"
    setting = setting_at(_location(key))
    assert setting is not None and key in LIMITS, f"{key} has no limits cell in README.md"
    written = LIMITS[key].replace("`", "")
    assert written == (limits(setting) or written) and written, f"{key}: {LIMITS[key]!r}"


def _limits_of(key: str) -> str:
    """What ``limits`` writes for a documented key (one the schema has)."""
    setting = setting_at(_location(key))
    assert setting is not None, key
    return limits(setting)


def test_limits_are_written_as_the_docs_read_them() -> None:
    documented = {key: _limits_of(key) for key in ("alerts.max_age_days",
        "crawl.timeout", "health.window", "channels.NAME.mode", "rules.fields")}  # fmt: skip
    assert documented == {
        "alerts.max_age_days": "0–3650",
        "crawl.timeout": "> 0, ≤ 31536000",
        "health.window": "≥ 1",
        "channels.NAME.mode": "instant, digest",
        "rules.fields": "title, lead, body; at least 1",
    }


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name: str) -> None:
    assert f"`monitor {name}" in README


def _first_hour_config() -> str:
    """The TOML block of the README's "Your first hour" walkthrough."""
    section = README.split("## Your first hour", 1)[1].split("\n## ", 1)[0]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


def test_first_hour_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "try.toml"
    path.write_text(_first_hour_config(), encoding="utf-8")
    config = load_config(path)
    assert config.site.base_url == "http://127.0.0.1:8080"
    assert config.channels["default"].type == "apprise"


@pytest.mark.parametrize("mode", MODES)
def test_replica_failure_mode_is_documented(mode: str) -> None:
    assert f"`{mode}`" in README.split("### The site replica", 1)[1]
