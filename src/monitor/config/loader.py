"""Reading, merging and validating configuration files into one frozen ``Config``."""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from monitor.config.schema import Config
from monitor.errors import ConfigError


def _find_defaults_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "_config"  # in a built wheel
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "config"  # in a source checkout


DEFAULTS_DIR = _find_defaults_dir()
DEFAULTS_FILE = "monitor.toml"
MAX_INCLUDE_DEPTH = 8
MAX_NESTING = 32  # tables and arrays inside one another; the schema needs 4


def load_config(path: Path | None = None) -> Config:
    """The shipped defaults overlaid by ``path`` (if given), validated once."""
    data = read_config_file(DEFAULTS_DIR / DEFAULTS_FILE)
    if path is not None:
        data = merge(data, read_config_file(path))
    try:
        config = Config.model_validate(_arrays_as_tuples(data))
    except ValidationError as error:
        raise _to_config_error(error, path) from None
    _check_rule_channels(config, path)
    _check_health_channel(config, path)
    return config


def _check_health_channel(config: Config, path: Path | None) -> None:
    if config.health.channel not in config.channels:
        known = ", ".join(sorted(config.channels)) or "none"
        raise ConfigError(
            f"no channel named {config.health.channel!r} (configured: {known})",
            key="health.channel",
            path=str(path) if path else None,
        )


def _check_rule_channels(config: Config, path: Path | None) -> None:
    """Every channel a rule names must be configured."""
    for index, rule in enumerate(config.rules):
        for name in rule.channels:
            if name not in config.channels:
                known = ", ".join(sorted(config.channels)) or "none"
                raise ConfigError(
                    f"rule {rule.name!r}: no channel named {name!r} (configured: {known})",
                    key=f"rules.{index}.channels",
                    path=str(path) if path else None,
                )


def read_config_file(path: Path, depth: int = 0) -> dict[str, Any]:
    """One TOML file with its ``include`` files merged underneath it."""
    if depth > MAX_INCLUDE_DEPTH:
        raise ConfigError("includes nest too deeply (a cycle?)", path=str(path))
    data = _read_toml(path)
    includes = data.pop("include", [])
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise ConfigError("must be a list of file names", key="include", path=str(path))
    merged: dict[str, Any] = {}
    for name in includes:
        merged = merge(merged, read_config_file(path.parent / name, depth + 1))
    return merge(merged, data)


def _read_toml(path: Path) -> dict[str, Any]:
    text = _read_text(path)
    if not text.strip():  # truncated, or the wrong file: never silently the defaults
        raise ConfigError("the file is empty", path=str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"not valid TOML: {error}", path=str(path)) from None
    except ValueError as error:  # an integer of more than 4300 digits
        raise ConfigError(f"not valid TOML: {str(error).split(':')[0]}", path=str(path)) from None
    except RecursionError:  # arrays or inline tables nested hundreds deep
        raise ConfigError("not valid TOML: values nest too deeply", path=str(path)) from None
    if _depth(data) > MAX_NESTING:
        raise ConfigError(f"tables and arrays nest more than {MAX_NESTING} deep", path=str(path))
    return data


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", path=str(path)) from None
    except PermissionError:
        raise ConfigError("cannot read the file (permission denied)", path=str(path)) from None
    except OSError as error:  # a parent that is not a directory, a name too long...
        raise ConfigError(f"cannot read the file: {error.strerror}", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text", path=str(path)) from None
    except ValueError:  # open() refuses a name holding NUL
        raise ConfigError("the file name holds a NUL character", path=repr(str(path))) from None


def _depth(data: Any) -> int:
    """How deep tables and arrays nest in ``data`` (a scalar is 0), without recursing."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in value)
    return deepest


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; every other value (arrays included) is replaced."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _arrays_as_tuples(value: Any) -> Any:
    """TOML arrays become tuples, so the frozen models' strict tuple fields accept them."""
    if isinstance(value, dict):
        return {key: _arrays_as_tuples(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_arrays_as_tuples(item) for item in value)
    return value


def _to_config_error(error: ValidationError, path: Path | None) -> ConfigError:
    # an unknown key first: it is often the misspelling of a key then reported missing
    first = min(error.errors(), key=lambda detail: not detail["type"].endswith("extra_forbidden"))
    key = _dotted(first["loc"])
    where = str(path) if path is not None else None
    if first["type"] == "extra_forbidden":
        return ConfigError(_unknown_key_message(first), key=key, path=where)
    if first["type"] == "rule_extra_forbidden":  # worded by the rule, which it names
        return ConfigError(first["msg"], key=key, path=where)
    return ConfigError(_value_message(first), key=key, path=where)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _dotted(loc: tuple[int | str, ...]) -> str:
    """A location as a dotted key; a part that is not a bare key is quoted (``repr``), so a key
    that is empty, blank or holds control characters or line breaks still shows, on one line."""
    return ".".join(
        str(part) if isinstance(part, int) or _BARE_KEY.fullmatch(part) else repr(part)
        for part in loc
    )


def _unknown_key_message(detail: ErrorDetails) -> str:
    *parents, name = (str(part) for part in detail["loc"])
    known = _known_keys(parents)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key{hint}"


def _value_message(detail: ErrorDetails) -> str:
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        return "required key is missing"
    shown = detail["input"]
    if isinstance(shown, dict | tuple | list) or _may_hold_a_secret(detail):
        return message
    return f"{message} (got {shown!r})"[:300]


SECRET_KEYS = frozenset({"url", "password", "token", "secret"})


def _may_hold_a_secret(detail: ErrorDetails) -> bool:
    """Values of keys like ``url`` are never echoed: they may carry a password."""
    return any(str(part) in SECRET_KEYS for part in detail["loc"])


def _known_keys(parents: list[str]) -> list[str]:
    model: type[BaseModel] | None = Config
    parts = iter(parents)
    for part in parts:
        if model is None or part not in model.model_fields:
            return []
        annotation = model.model_fields[part].annotation
        if get_origin(annotation) is dict:  # tables by name ([channels.NAME]): skip the name
            annotation = get_args(annotation)[1]
            next(parts, None)
        model = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return list(model.model_fields) if model is not None else []
