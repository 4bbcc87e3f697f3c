"""Pydantic's validation errors as ``ConfigProblem``s in words a user understands.

Each error becomes one problem naming its dotted key:

    missing                       required key is missing
    extra_forbidden               unknown key (did you mean 'download_delay'?)
    a wrong type, a limit, a      must be a number from 0 to 3650 (got 5000)
    pattern, a choice, a length   must be one of "console", "file", "apprise" (got "sms")
    a custom validator            its own message (got "(unclosed")

"must be ..." always says the whole of what the key accepts (``describe.expected``), whichever
limit was crossed. A problem inside a ``[[rules]]`` table names the rule. Values are shown
TOML-like on one line, shortened, and never for keys that may hold a secret (``url``...).

Two errors that say one thing become one problem: a key reported missing when a misspelt key
beside it is taken for it (``keyword`` → ``keywords``), and a list too short only because its
items were refused.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from monitor.config.describe import expected, setting_at
from monitor.errors import ConfigProblem

SECRET_KEYS = frozenset({"url", "password", "token", "secret"})
SHOWN_CHARACTERS = 80
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def validation_problems(error: ValidationError, data: Mapping[str, Any]) -> list[ConfigProblem]:
    """Every error of ``error`` as a problem, in the order pydantic found them; ``data`` is the
    document validated (a rule's problems name the rule)."""
    details = _without_echoes(error.errors())
    return [ConfigProblem(dotted(d["loc"]), _rule_prefix(d, data) + message(d)) for d in details]


def message(detail: ErrorDetails) -> str:
    """One error in words (without its key)."""
    kind = detail["type"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        close = suggestion(detail["loc"])
        return "unknown key" + (f" (did you mean '{close}'?)" if close else "")
    if kind == "value_error":
        return _with_value(detail["msg"].removeprefix("Value error, "), detail)
    setting = setting_at(detail["loc"])
    if setting is None:  # not a location of the schema: pydantic's own words
        return _with_value(detail["msg"], detail)
    return _with_value(f"must be {expected(setting)}", detail)


def suggestion(loc: tuple[int | str, ...]) -> str | None:
    """The known key closest to the unknown one at ``loc``, if one is close."""
    *parents, name = loc
    table = setting_at(tuple(parents))
    model = table.model if table is not None else None
    known = list(model.model_fields) if model is not None else []
    close = difflib.get_close_matches(str(name), known, n=1)
    return close[0] if close else None


def dotted(loc: tuple[int | str, ...]) -> str:
    """A location as a dotted key; a part that is not a bare key is quoted (``repr``), so a key
    that is empty, blank or holds control characters or line breaks still shows, on one line."""
    return ".".join(
        str(part) if isinstance(part, int) or _BARE_KEY.fullmatch(part) else repr(part)
        for part in loc
    )


def may_hold_a_secret(loc: tuple[int | str, ...]) -> bool:
    """Values of keys like ``url`` are never echoed: they may carry a password."""
    return any(str(part) in SECRET_KEYS for part in loc)


def _with_value(text: str, detail: ErrorDetails) -> str:
    """``text`` followed by the value given, when it may be shown and says something new."""
    value = detail["input"]
    shown = shown_value(value)
    said = isinstance(value, str) and repr(value) in text  # a validator's message quoting it
    if shown is None or said or may_hold_a_secret(detail["loc"]):
        return text
    return f"{text} (got {shown})"


def shown_value(value: Any) -> str | None:
    """``value`` as TOML would write it, on one line and shortened; None for a table."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = quoted(value)
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    elif isinstance(value, tuple | list):
        items = [shown_value(item) or "{…}" for item in value[:6]]
        text = "[" + ", ".join(items) + (", …" if len(value) > 6 else "") + "]"
    elif isinstance(value, int | float):
        text = repr(value)
    else:
        return None
    if len(text) > SHOWN_CHARACTERS:
        return text[: SHOWN_CHARACTERS - 1] + "…"
    return text


def quoted(text: str) -> str:
    """``text`` in double quotes, every character that is not printable escaped."""
    return '"' + "".join(_escaped(char) for char in text) + '"'


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable() or char == " ":
        return char
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def _rule_prefix(detail: ErrorDetails, data: Mapping[str, Any]) -> str:
    """``rule 'name': `` for a problem inside a ``[[rules]]`` table, so that it names the rule."""
    loc = detail["loc"]
    if len(loc) < 2 or loc[0] != "rules" or not isinstance(loc[1], int):
        return ""
    return f"rule {rule_name(data, loc[1])}: "


def rule_name(data: Mapping[str, Any], index: int) -> str:
    """The name of the rule at ``index`` as the document gives it, quoted; or "(unnamed)"."""
    rules = data.get("rules")
    rule = rules[index] if isinstance(rules, tuple | list) and index < len(rules) else None
    name = rule.get("name") if isinstance(rule, Mapping) else None
    return repr(name) if isinstance(name, str) and name else "(unnamed)"


def _without_echoes(details: Iterable[ErrorDetails]) -> list[ErrorDetails]:
    """``details`` without the errors another one already says (see the module docstring)."""
    details = list(details)
    meant = {
        (*detail["loc"][:-1], close)
        for detail in details
        if detail["type"] == "extra_forbidden" and (close := suggestion(detail["loc"]))
    }
    inside = {d["loc"][:-1] for d in details if d["loc"] and isinstance(d["loc"][-1], int)}
    return [
        detail
        for detail in details
        if not (detail["type"] == "missing" and detail["loc"] in meant)
        and not (detail["type"] == "too_short" and detail["loc"] in inside)
    ]
