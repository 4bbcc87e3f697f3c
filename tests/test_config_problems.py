"""monitor.config.problems: every error the schema can raise, said in plain words (issue 19).

The keys are walked from the schema (``schema_keys``), so a new setting is covered the day it
is added: a value of the wrong type, one beyond each numeric limit, a choice that is not one,
text that does not match a pattern. None may read like pydantic's internals.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_reliability_config import FIELDS, full_document, with_key, write, wrong_value

from monitor.config import load_config
from monitor.config.describe import Setting, expected, number, setting_of
from monitor.config.problems import quoted
from monitor.config.schema_base import PATTERN_WORDS
from monitor.errors import ConfigError, ConfigProblem

PYDANTIC_WORDS = re.compile(
    r"Input should|String should|should have|Value error|instance of|after validation|\^.*\$"
)
RULE_PREFIX = re.compile(r"^rule ('[^']*'|\(unnamed\)): ")
SETTINGS = {key: setting_of(field) for key, field in FIELDS.items()}


def problem(tmp_path: Path, data: dict[str, Any]) -> ConfigProblem:
    """The one problem loading ``data`` finds."""
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, data))
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def beyond(setting: Setting) -> list[tuple[str, float]]:
    """For each numeric limit of a setting, a value just beyond it."""
    step = 1 if setting.annotation is int else 0.5
    edges = {"ge": -step, "gt": 0, "le": step, "lt": 0}
    found = setting.constraints
    return [(name, found[name] + edge) for name, edge in edges.items() if name in found]


LIMITED = [
    (key, name, value)
    for key, setting in SETTINGS.items()
    if setting.annotation in (int, float)
    for name, value in beyond(setting)
]
PATTERNED = [key for key, setting in SETTINGS.items() if "pattern" in setting.constraints]
CHOICES = [
    key
    for key, setting in SETTINGS.items()
    if "Literal" in str(setting.annotation) and not key.startswith("rules.0.fields")
]


@pytest.fixture(scope="module")
def full() -> dict[str, Any]:
    return full_document()


@pytest.mark.parametrize("key", FIELDS)
def test_value_of_the_wrong_type_is_said_in_plain_words(
    tmp_path: Path, full: dict[str, Any], key: str
) -> None:
    found = problem(tmp_path, with_key(full, key, wrong_value(FIELDS[key].annotation)))
    assert found.key == key
    said = RULE_PREFIX.sub("", found.message)  # a rule's problems name the rule first
    assert said.startswith("must be "), found.message
    assert not PYDANTIC_WORDS.search(found.message), found.message


@pytest.mark.parametrize(("key", "limit", "value"), LIMITED)
def test_value_beyond_a_limit_says_the_whole_range(
    tmp_path: Path, full: dict[str, Any], key: str, limit: str, value: float
) -> None:
    found = problem(tmp_path, with_key(full, key, value))
    setting = SETTINGS[key]
    assert found.key == key
    assert RULE_PREFIX.sub("", found.message) == f"must be {expected(setting)} (got {value!r})"
    assert number(setting.constraints[limit]) in found.message


@pytest.mark.parametrize("key", CHOICES)
def test_a_choice_that_is_not_one_lists_them_all(
    tmp_path: Path, full: dict[str, Any], key: str
) -> None:
    found = problem(tmp_path, with_key(full, key, "nosuch"))
    choices = re.findall(r"'([^']+)'", str(SETTINGS[key].annotation))
    assert RULE_PREFIX.sub("", found.message) == (
        "must be one of " + ", ".join(f'"{choice}"' for choice in choices) + ' (got "nosuch")'
    )


def test_a_list_item_that_is_not_a_choice_lists_them_all(
    tmp_path: Path, full: dict[str, Any]
) -> None:
    found = problem(tmp_path, with_key(full, "rules.0.fields", ["title", "summary"]))
    assert found.key == "rules.0.fields.1"
    assert found.message.endswith('must be one of "title", "lead", "body" (got "summary")')


@pytest.mark.parametrize("key", PATTERNED)
def test_text_not_matching_a_pattern_says_what_it_must_be(
    tmp_path: Path, full: dict[str, Any], key: str
) -> None:
    found = problem(tmp_path, with_key(full, key, "no such"))
    words = PATTERN_WORDS[SETTINGS[key].constraints["pattern"]]
    assert found.message.endswith(f'must be {words} (got "no such")')


def test_every_pattern_of_the_schema_has_words() -> None:
    patterns = {setting.constraints.get("pattern") for setting in SETTINGS.values()}
    assert patterns - {None} == set(PATTERN_WORDS)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[profile.article]\ntitle = ["h1[["]\n', "not a valid CSS selector 'h1[['"),
        (
            '[schedule]\ndaytime_hours = "6-22"\n',
            'not a span of hours like 06:00-22:00 (got "6-22")',
        ),
        ('[schedule]\ncrawl_cron = "every day"\n', "not a crontab expression"),
        ("[channels.log]\ntype = 'file'\n", "a file channel needs a path"),
    ],
)
def test_a_custom_check_says_its_own_words_once(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = caught.value.problems[0].message
    assert says in message and not PYDANTIC_WORDS.search(message)
    assert message.count("h1[[") <= 1  # a value the message quotes is not shown again


@pytest.mark.parametrize(
    ("text", "shown"),
    [("abc", '"abc"'), ('a"b\\', '"a\\"b\\\\"'), ("a\nb\x85c", '"a\\nb\\u0085c"')],
)
def test_text_is_quoted_on_one_line(text: str, shown: str) -> None:
    assert quoted(text) == shown
