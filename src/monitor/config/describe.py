"""What each setting accepts, read from the schema itself: the words of a config error and the
README's "limits" column, so that neither can drift from the models.

    setting = setting_at(("alerts", "max_age_days"))   # None when there is no such key
    expected(setting)   # "a number from 0 to 3650"    (config errors: "must be ...")
    limits(setting)     # "0–3650"                     (the README's limits column)

A location walks the models by key, ``[[rules]]`` by index and ``[channels.NAME]`` by name; an
index inside a list names one of its items (``rules.0.fields.0``), which has no limits of its
own. The limits read are those pydantic enforces: ``ge``/``gt``/``le``/``lt``, ``min_length``,
``pattern`` (in words: ``PATTERN_WORDS``) and ``Literal`` choices; custom validators say what
they check in their own error messages.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from monitor.config.schema import Config
from monitor.config.schema_base import PATTERN_WORDS

CONSTRAINTS = ("ge", "gt", "le", "lt", "min_length", "pattern")


@dataclass(frozen=True)
class Setting:
    """The type found at a location (``Annotated`` and ``| None`` unwrapped) and the limits its
    field declares (none for one item of a list)."""

    annotation: Any
    constraints: Mapping[str, Any] = field(default_factory=dict)

    @property
    def model(self) -> type[BaseModel] | None:
        """The model a table holds, or None for a value."""
        return self.annotation if _is_model(self.annotation) else None


def setting_of(info: FieldInfo) -> Setting:
    """A model field's type and declared limits."""
    found = {
        name: getattr(item, name)
        for item in info.metadata
        for name in CONSTRAINTS
        if getattr(item, name, None) is not None
    }
    return Setting(_bare(info.annotation), found)


def setting_at(loc: tuple[int | str, ...]) -> Setting | None:
    """The setting at a location in the configuration (``("crawl", "timeout")``), or None."""
    setting: Setting | None = Setting(Config)
    for part in loc:
        if setting is None:
            return None
        setting = _step(setting.annotation, part)
    return setting


def _step(annotation: Any, part: int | str) -> Setting | None:
    """One step down: a model's key, a list's item, a named table's entry."""
    origin, args = get_origin(annotation), get_args(annotation)
    if _is_model(annotation) and isinstance(part, str) and part in annotation.model_fields:
        return setting_of(annotation.model_fields[part])
    if origin is tuple and isinstance(part, int):
        return Setting(_bare(args[0]))
    if origin is dict and isinstance(part, str):
        return Setting(_bare(args[1]))
    return None


def _bare(annotation: Any) -> Any:
    """``annotation`` without ``Annotated[...]`` metadata and without ``| None``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _bare(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _bare(kept[0]) if len(kept) == 1 else annotation
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _choices(annotation: Any) -> tuple[str, ...]:
    """The values a ``Literal`` (or a list of them) allows; empty for anything else."""
    if get_origin(annotation) is tuple:
        annotation = _bare(get_args(annotation)[0])
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def number(value: float) -> str:
    """A limit as written in the docs: ``0``, ``0.5``, ``31536000``."""
    return str(int(value)) if float(value).is_integer() else str(value)


# --- in words, for config errors -----------------------------------------------------------------


def expected(setting: Setting) -> str:
    """What the setting accepts, to follow "must be": "a number from 0 to 3650"."""
    annotation, found = setting.annotation, setting.constraints
    if annotation in (int, float):
        kind = "a whole number" if annotation is int else "a number"
        span = _span(found)
        return f"{kind} {span}" if span else kind
    if get_origin(annotation) is tuple:
        return _list_words(_choices(annotation), found.get("min_length"))
    return _value_words(annotation, found)


def _value_words(annotation: Any, found: Mapping[str, Any]) -> str:
    """A value that is no number and no list in words: a choice, a pattern, text, a table."""
    choices = _choices(annotation)
    if annotation is bool:
        return "true or false"
    if choices:
        return "one of " + ", ".join(f'"{choice}"' for choice in choices)
    if "pattern" in found:
        return PATTERN_WORDS.get(found["pattern"], f"text matching {found['pattern']}")
    if annotation is str:
        return "text in quotes, not empty" if found.get("min_length") else "text in quotes"
    return "a table of settings, like [name] or {key = value}"


def _span(found: Mapping[str, Any]) -> str:
    """A numeric range in words: "from 0 to 3650", "above 0 and at most 31536000"."""
    if "ge" in found and "le" in found:
        return f"from {number(found['ge'])} to {number(found['le'])}"
    words = {"ge": "at least", "gt": "above", "le": "at most", "lt": "below"}
    parts = [f"{words[name]} {number(found[name])}" for name in words if name in found]
    return " and ".join(parts)


def _list_words(choices: tuple[str, ...], min_length: int | None) -> str:
    """A list, its items' choices and its least length in words."""
    words = 'a list in square brackets, like ["a", "b"]'
    if choices:
        words = "a list of " + ", ".join(f'"{choice}"' for choice in choices)
    if min_length:
        words += f", with at least {min_length} item{'s' if min_length > 1 else ''}"
    return words


# --- in symbols, for the README's limits column --------------------------------------------------


def limits(setting: Setting) -> str:
    """The setting's limits as the README's table writes them ("" when the schema sets none):
    ``0–3650``, ``> 0, ≤ 31536000``, ``≥ 1``, ``console, file, apprise``, ``true, false``,
    ``not empty``, ``at least 1``, a pattern in words; several joined with "; "."""
    annotation, found = setting.annotation, setting.constraints
    parts: list[str] = []
    if annotation is bool:
        parts.append("true, false")
    if "ge" in found and "le" in found:
        parts.append(f"{number(found['ge'])}–{number(found['le'])}")
    else:
        symbols = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
        bounds = [f"{symbols[name]} {number(found[name])}" for name in symbols if name in found]
        parts += [", ".join(bounds)] if bounds else []
    if _choices(annotation):
        parts.append(", ".join(_choices(annotation)))
    if "pattern" in found:
        parts.append(PATTERN_WORDS.get(found["pattern"], found["pattern"]))
    if found.get("min_length"):
        is_list = get_origin(annotation) is tuple
        parts.append(f"at least {found['min_length']}" if is_list else "not empty")
    return "; ".join(parts)
