"""Reading, merging and validating configuration files into one frozen ``Config``."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from monitor.config.crosscheck import cross_problems
from monitor.config.problems import validation_problems
from monitor.config.schema import Config, Rule
from monitor.errors import ConfigError, ConfigProblem


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
    """The shipped defaults overlaid by ``path`` (if given), validated once.

    A file that cannot be read or parsed is one problem; otherwise every problem of the merged
    document — each key's, and those across keys (``crosscheck``) — is in one ``ConfigError``."""
    data = read_config_file(DEFAULTS_DIR / DEFAULTS_FILE)
    if path is not None:
        data = merge(data, read_config_file(path))
    document = _arrays_as_tuples(data)
    config, problems = _validate(document)
    problems += cross_problems(document)
    if problems or config is None:
        raise ConfigError(problems=problems, path=str(path) if path is not None else None)
    return config


def load_rules(path: Path, config_path: Path | None = None) -> tuple[Rule, ...]:
    """The ``[[rules]]`` of the file at ``path`` (with its includes), validated as
    ``load_config`` validates rules: in place of the rules of the configuration at
    ``config_path`` (the shipped defaults when None), so the channels they name must be
    configured there. Every problem of the rules is in one ``ConfigError`` naming ``path``."""
    rules = read_config_file(path).get("rules")
    if rules is None:
        raise ConfigError("no [[rules]] table in the file", path=str(path))
    data = read_config_file(DEFAULTS_DIR / DEFAULTS_FILE)
    if config_path is not None:
        data = merge(data, read_config_file(config_path))
    document = _arrays_as_tuples({**data, "rules": rules})
    config, problems = _validate(document)
    problems += cross_problems(document)
    of_rules = [problem for problem in problems if (problem.key or "").startswith("rules")]
    if of_rules or config is None:  # the rest is the configuration's own
        raise ConfigError(problems=of_rules or problems, path=str(path))
    return config.rules


def _validate(document: dict[str, Any]) -> tuple[Config | None, list[ConfigProblem]]:
    """The document as a ``Config``, or None and its problems."""
    try:
        return Config.model_validate(document), []
    except ValidationError as error:
        return None, validation_problems(error, document)


def shipped_value(*keys: str) -> Any:
    """A value as the shipped defaults set it: ``shipped_value("database", "path")``."""
    value: Any = read_config_file(DEFAULTS_DIR / DEFAULTS_FILE)
    for key in keys:
        value = value[key]
    return value


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
