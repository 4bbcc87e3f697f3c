"""Configuration faults: every key with a wrong value, missing or misspelt, and files that cannot
be read — each is one ConfigError naming the key or the file (RELIABILITY.md).

The keys are not listed by hand: ``schema_keys`` walks the schema's models (``[[rules]]`` as
``rules.0``, ``[channels.NAME]`` as ``channels.hook``), so a setting is covered the day it is
added. Each case starts from ``full_document``, a config file that sets every key explicitly.

A key left out of a user's file is not an error when the shipped files set it (the user's file
overlays them: ``test_key_left_out_takes_its_default``); only the keys of the user's own tables
— a rule's ``name`` and ``keywords``, a channel's ``type`` — can be missing.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeGuard, get_args, get_origin

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from monitor.alert.wording import VIETNAMESE
from monitor.config import Config, load_config
from monitor.errors import ConfigError

pytestmark = pytest.mark.reliability

MONITOR = str(Path(sys.executable).parent / "monitor")
RULE = "rules.0"  # where a [[rules]] table's keys are
CHANNEL = "channels.hook"  # where a [channels.NAME] table's keys are


# --- the schema's keys, and TOML documents ---------------------------------------------------


def schema_keys(
    model: type[BaseModel] = Config, prefix: str = ""
) -> Iterator[tuple[str, FieldInfo]]:
    """Every key of the schema, dotted, with its field; a table comes before its keys."""
    for name, field in model.model_fields.items():
        key = prefix + name
        yield key, field
        inner, entry = table_of(field)
        if inner is not None:
            yield from schema_keys(inner, f"{key}.{entry}")


def table_of(field: FieldInfo) -> tuple[type[BaseModel] | None, str]:
    """The model a key holds, and how its entries are reached ("0." in an array of tables,
    "hook." in tables by name, "" in a plain table)."""
    annotation = field.annotation
    if _is_model(annotation):
        return annotation, ""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is tuple and args and _is_model(args[0]):
        return args[0], "0."
    if origin is dict and _is_model(args[1]):
        return args[1], "hook."
    return None, ""


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def table_keys() -> list[str]:
    """Every table with fixed keys: "" (the top), ``site``... ``rules.0``, ``channels.hook``."""
    plain = [key for key, field in schema_keys() if table_of(field) == (field.annotation, "")]
    return ["", *plain, RULE, CHANNEL]


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPED = frozenset('"\\') | {chr(code) for code in [*range(0x20), 0x7F]}


def toml_document(data: Mapping[str, Any]) -> str:
    """``data`` as TOML: one ``key = value`` line per top-level key, tables written inline."""
    return "".join(f"{_toml_key(key)} = {_toml_value(value)}\n" for key, value in data.items())


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if c in _ESCAPED else c for c in text) + '"'


def _toml_value(value: Any) -> str:  # noqa: PLR0911 (one return per TOML type)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        items = (f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    return "[" + ", ".join(_toml_value(item) for item in value) + "]"


def full_document() -> dict[str, Any]:
    """A config that sets every key explicitly: the shipped values, one rule, and one channel
    with every key (an apprise channel that names a path as well)."""
    data: dict[str, Any] = load_config(None).model_dump(mode="json", exclude_none=True)
    data["rules"] = data["rules"][:1]
    data["channels"]["hook"] = {
        "type": "apprise",
        "mode": "instant",
        "digest_time": "08:00",
        "url": "json://127.0.0.1:9/hook",
        "path": "alerts.jsonl",
        "title_template": VIETNAMESE.title_template,
        "body_template": VIETNAMESE.body_template,
    }
    return data


def _locate(data: Any, key: str) -> tuple[Any, str | int]:
    """The container holding ``key`` in nested dicts and lists, and its name or index there."""
    *parents, last = (int(part) if part.isdigit() else part for part in key.split("."))
    for part in parents:
        data = data[part]
    return data, last


def with_key(data: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    container, name = _locate(changed, key)
    container[name] = value
    return changed


def without_key(data: dict[str, Any], key: str) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    container, name = _locate(changed, key)
    del container[name]
    return changed


def setting(config: Config, key: str) -> Any:
    """The value of a dotted key in a loaded ``Config``."""
    value: Any = config
    for part in key.split("."):
        if part.isdigit():
            value = value[int(part)]
        else:
            value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def write(tmp_path: Path, data: Mapping[str, Any]) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(toml_document(data), encoding="utf-8")
    return path


def config_error(path: Path) -> ConfigError:
    """The one ConfigError loading ``path`` raises; its message is one line."""
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "\n" not in str(caught.value)
    return caught.value


def wrong_value(annotation: Any) -> object:
    """A value of the wrong type: a string for a number or a boolean, a number for anything
    else (a string, a choice, an array, a table)."""
    if annotation is bool:
        return "yes"
    if annotation in (int, float):
        return "12"
    return 7


FIELDS = dict(schema_keys())
WRONG_TYPE = [*FIELDS, RULE, CHANNEL]
REQUIRED = [  # keys of the user's own tables: no shipped default stands in for them
    key
    for key, field in FIELDS.items()
    if key.startswith((f"{RULE}.", f"{CHANNEL}.")) and field.is_required()
]
DEFAULTED = [  # every other key: leaving it out means its default
    key
    for key in FIELDS
    if key not in REQUIRED and key != f"{CHANNEL}.url"  # needed by apprise
]
TABLES = table_keys()


@pytest.fixture(scope="module")
def full() -> dict[str, Any]:
    return full_document()


# --- the tests ---------------------------------------------------------------------------------


def test_full_document_sets_every_key_and_loads(tmp_path: Path, full: dict[str, Any]) -> None:
    for key in FIELDS:
        container, name = _locate(full, key)
        assert name in container, f"{key} is not set"
    config = load_config(write(tmp_path, full))
    assert config.channels["hook"].path == "alerts.jsonl"
    assert config.rules == load_config(None).rules[:1]


@pytest.mark.parametrize("key", WRONG_TYPE)
def test_value_of_the_wrong_type_names_its_key(
    tmp_path: Path, full: dict[str, Any], key: str
) -> None:
    annotation = FIELDS[key].annotation if key in FIELDS else dict
    error = config_error(write(tmp_path, with_key(full, key, wrong_value(annotation))))
    assert error.key == key
    assert f" {key}: " in str(error)


@pytest.mark.parametrize("key", REQUIRED)
def test_required_key_left_out_is_missing(tmp_path: Path, full: dict[str, Any], key: str) -> None:
    error = config_error(write(tmp_path, without_key(full, key)))
    assert error.key == key
    assert str(error).endswith("required key is missing")


@pytest.mark.parametrize("key", DEFAULTED)
def test_key_left_out_takes_its_default(tmp_path: Path, full: dict[str, Any], key: str) -> None:
    config = load_config(write(tmp_path, without_key(full, key)))
    if key.startswith((f"{RULE}.", f"{CHANNEL}.")):
        assert setting(config, key) == FIELDS[key].get_default(call_default_factory=True)
    else:  # the shipped file's value
        assert setting(config, key) == setting(load_config(None), key)


def _misspelt(table: str) -> tuple[str, str]:
    """The table's longest key, and that key with its last but one letter left out."""
    model_keys = [k for k in FIELDS if k.rpartition(".")[0] == table and k != table]
    longest = max((k.rpartition(".")[2] for k in model_keys), key=len)
    return longest, longest[:-2] + longest[-1]


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table or "top")
def test_misspelt_key_is_unknown_and_the_right_one_suggested(
    tmp_path: Path, full: dict[str, Any], table: str
) -> None:
    meant, typo = _misspelt(table)
    key = f"{table}.{typo}" if table else typo
    error = config_error(write(tmp_path, with_key(full, key, 1)))
    assert error.key == key
    assert str(error).endswith(f"unknown key (did you mean '{meant}'?)")


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table or "top")
def test_unknown_key_unlike_any_is_unknown_without_suggestion(
    tmp_path: Path, full: dict[str, Any], table: str
) -> None:
    key = f"{table}.zqxj" if table else "zqxj"
    error = config_error(write(tmp_path, with_key(full, key, 1)))
    assert error.key == key
    assert str(error).endswith("unknown key")


def test_download_dely_suggests_download_delay(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text("[crawl]\ndownload_dely = 2.0\n", encoding="utf-8")
    error = config_error(path)
    assert str(error) == (
        f"config error in {path} crawl.download_dely: unknown key (did you mean 'download_delay'?)"
    )


def _directory(tmp_path: Path) -> Path:
    return tmp_path


def _below_a_file(tmp_path: Path) -> Path:
    (tmp_path / "regular").write_text("[crawl]\n", encoding="utf-8")
    return tmp_path / "regular" / "monitor.toml"


def _not_utf8(tmp_path: Path) -> Path:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[site]\nname = "Công an"\n'.encode("cp1258"))
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    return path


def _not_toml(tmp_path: Path) -> Path:
    path = tmp_path / "page.toml"
    path.write_text("<!DOCTYPE html><html><body>Công an</body></html>\n", encoding="utf-8")
    return path


def _unreadable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("root reads a chmod 000 file: the directory and below-a-file cases stand in")
    path = tmp_path / "secret.toml"
    path.write_text("[crawl]\n", encoding="utf-8")
    path.chmod(0)
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_directory, "is a directory, not a file"),
        (_below_a_file, "cannot read the file: Not a directory"),
        (_not_utf8, "is not UTF-8 text"),
        (_empty, "the file is empty"),
        (_not_toml, "not valid TOML: Invalid statement (at line 1, column 1)"),
        (_unreadable, "cannot read the file (permission denied)"),
    ],
    ids=["directory", "below-a-file", "not-utf8", "empty", "not-toml", "chmod-000"],
)
def test_unusable_file_is_one_clear_error(
    tmp_path: Path, make: Callable[[Path], Path], says: str
) -> None:
    path = make(tmp_path)
    error = config_error(path)
    assert str(error) == f"config error in {path}: {says}"
    assert error.path == str(path)


def test_command_with_a_bad_config_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text('[alerts]\ntimeout = "30s"\n', encoding="utf-8")
    command = [MONITOR, "--config", str(path), "alerts", "list"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"monitor: config error in {path} alerts.timeout: must be a number above 0 and"
        ' at most 31536000 (got "30s")\n'
    )
