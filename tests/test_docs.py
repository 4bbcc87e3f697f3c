"""The README documents every configuration key and every command (sqlite-utils' rule)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args, get_origin

import pytest
from pydantic import BaseModel

from monitor.cli import cli
from monitor.config import Config, load_config
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
