"""Checks across keys that no single model can make: rule names are unique, and every channel a
rule or ``health.channel`` names is configured.

They read the merged document itself, not the validated ``Config``, so that they run even when
other keys are wrong and their problems join the same list; a value of the wrong shape is left
to validation, which reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.config.problems import rule_name
from monitor.errors import ConfigProblem


def cross_problems(data: Mapping[str, Any]) -> list[ConfigProblem]:
    """Every problem across keys of ``data`` (the merged document), in the order found."""
    return [*_duplicate_rule_names(data), *_rule_channels(data), *_health_channel(data)]


def _rules(data: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """The ``[[rules]]`` tables that are tables, with their index."""
    rules = data.get("rules")
    if not isinstance(rules, tuple | list):
        return []
    return [(index, rule) for index, rule in enumerate(rules) if isinstance(rule, Mapping)]


def _channel_names(data: Mapping[str, Any]) -> list[str] | None:
    """The configured channels' names; None when ``channels`` is not a table."""
    channels = data.get("channels")
    return sorted(channels) if isinstance(channels, Mapping) else None


def _no_such_channel(names: list[str], known: list[str]) -> str:
    named = ", ".join(repr(name) for name in names)
    plural = "s" if len(names) > 1 else ""
    return f"no channel{plural} named {named} (configured: {', '.join(known) or 'none'})"


def _duplicate_rule_names(data: Mapping[str, Any]) -> list[ConfigProblem]:
    seen: set[str] = set()
    problems = []
    for index, rule in _rules(data):
        name = rule.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            message = f"rule {rule_name(data, index)}: another rule has this name"
            problems.append(ConfigProblem(f"rules.{index}.name", message))
        seen.add(name)
    return problems


def _rule_channels(data: Mapping[str, Any]) -> list[ConfigProblem]:
    """Every channel a rule names must be configured (one problem per rule, naming them all)."""
    known = _channel_names(data)
    if known is None:
        return []
    problems = []
    for index, rule in _rules(data):
        named = rule.get("channels", ())
        if not isinstance(named, tuple | list):
            continue
        missing = [name for name in named if isinstance(name, str) and name not in known]
        if missing:
            message = f"rule {rule_name(data, index)}: {_no_such_channel(missing, known)}"
            problems.append(ConfigProblem(f"rules.{index}.channels", message))
    return problems


def _health_channel(data: Mapping[str, Any]) -> list[ConfigProblem]:
    known = _channel_names(data)
    health = data.get("health")
    name = health.get("channel") if isinstance(health, Mapping) else None
    if known is None or not isinstance(name, str) or name in known:
        return []
    return [ConfigProblem("health.channel", _no_such_channel([name], known))]
