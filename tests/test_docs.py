"""The README documents every configuration key and every command (sqlite-utils' rule)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from monitor.cli import cli
from monitor.config import Config

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += _keys(annotation, f"{prefix}{name}.")
        else:
            keys.append(f"{prefix}{name}")
    return keys


@pytest.mark.parametrize("key", _keys(Config))
def test_config_key_is_documented(key: str) -> None:
    # a key is written out whole, or as one of a group: "`profile.article.title` / `date`"
    parent, name = key.rsplit(".", 1)
    grouped = f"`{parent}." in README and f"/ `{name}`" in README
    assert f"`{key}`" in README or grouped, f"{key} is not in README.md"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_documented(name: str) -> None:
    assert f"`monitor {name}" in README
