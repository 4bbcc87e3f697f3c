"""monitor.config: defaults, overlays, includes and the errors a user sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.config import Config, load_config, load_rules
from monitor.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "my.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load_with_contract_values(config: Config) -> None:
    assert config.site.base_url == "https://congan.com.vn"
    assert config.site.feeds == ("/rss/home.rss", "/rss/tin-chinh.rss")
    assert config.site.listings == ("/tin-chinh",)
    assert config.site.tags == ("Dân vận", "Dân vận khéo")
    assert config.site.max_listing_pages == 5
    assert config.crawl.concurrent_requests == 1
    assert config.crawl.obey_robots is True
    assert config.database.path == "db/monitor.db"


def test_defaults_include_the_site_profile(config: Config) -> None:
    assert config.profile.name == "congan.com.vn"
    assert "#article_content" in config.profile.article.body


def test_user_file_changes_only_its_keys(tmp_path: Path, config: Config) -> None:
    path = write(tmp_path, '[site]\nbase_url = "http://127.0.0.1:8000"\n')
    loaded = load_config(path)
    assert loaded.site.base_url == "http://127.0.0.1:8000"
    assert loaded.site.feeds == config.site.feeds
    assert loaded.profile == config.profile


def test_selector_is_changed_without_code(tmp_path: Path) -> None:
    path = write(tmp_path, '[profile.article]\nbody = ["div.new-body"]\n')
    assert load_config(path).profile.article.body == ("div.new-body",)


def test_arrays_replace_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[site]\nlistings = ["/vu-an"]\n')
    assert load_config(path).site.listings == ("/vu-an",)


def test_include_is_relative_to_the_including_file(tmp_path: Path) -> None:
    write(tmp_path, "[crawl]\ndownload_delay = 3.5\n", name="polite.toml")
    path = write(tmp_path, 'include = ["polite.toml"]\n[site]\nmax_listing_pages = 2\n')
    loaded = load_config(path)
    assert (loaded.crawl.download_delay, loaded.site.max_listing_pages) == (3.5, 2)


def test_own_keys_win_over_included_ones(tmp_path: Path) -> None:
    write(tmp_path, "[crawl]\ndownload_delay = 3.5\n", name="polite.toml")
    path = write(tmp_path, 'include = ["polite.toml"]\n[crawl]\ndownload_delay = 0.5\n')
    assert load_config(path).crawl.download_delay == 0.5


def test_config_is_frozen(config: Config) -> None:
    with pytest.raises(ValueError):
        config.site.max_listing_pages = 9


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        ("[crawl]\ndownload_dely = 2\n", "crawl.download_dely", "did you mean 'download_delay'"),
        (
            '[crawl]\ndownload_delay = "fast"\n',
            "crawl.download_delay",
            'must be a number from 0 to 31536000 (got "fast")',
        ),
        ("[crawl]\nobey_robots = 1\n", "crawl.obey_robots", "must be true or false (got 1)"),
        (
            "[site]\nmax_listing_pages = 0\n",
            "site.max_listing_pages",
            "must be a whole number from 1 to 10000 (got 0)",
        ),
        (
            '[site]\nbase_url = "congan.com.vn"\n',
            "site.base_url",
            'must be an address like https://congan.com.vn (scheme and host, no path) (got "congan',
        ),
        ('[profile.article]\ntitle = ["h1[["]\n', "profile.article.title.0", "CSS selector"),
        ('[profile]\narticle_path = "(unclosed"\n', "profile.article_path", "regular expression"),
        ('[profile]\narticle_path = "^/x$"\n', "profile.article_path", "named groups"),
        ("colour = 1\n", "colour", "unknown key"),
        ("[schedule]\ncrawl_interval = inf\n", "schedule.crawl_interval", "to 31536000 (got inf)"),
        ("[alerts]\ntimeout = inf\n", "alerts.timeout", "above 0 and at most 31536000 (got inf)"),
        ("[alerts]\nretry_window = nan\n", "alerts.retry_window", "(got nan)"),
    ],
)
def test_bad_value_names_its_key(tmp_path: Path, text: str, key: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.key == key
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('"" = 1\n', "''"),
        ('[site]\n"a\\nb" = 1\n', "site.'a\\nb'"),
        ('[crawl]\n"\\u001b[2J" = 1\n', "crawl.'\\x1b[2J'"),
        ('[channels."my hook"]\ntype = 1\n', "channels.'my hook'.type"),
    ],
    ids=["empty", "line-break", "escape", "space"],
)
def test_key_that_is_not_bare_is_quoted_on_one_line(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.key == key
    assert f" {key}: " in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml")


def test_invalid_toml_says_where(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML.*line 1"):
        load_config(write(tmp_path, "[site\n"))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x = " + "1" * 5000 + "\n", "not valid TOML: Exceeds the limit (4300 digits)"),
        ("x = " + "[" * 3000 + "]" * 3000 + "\n", "not valid TOML: values nest too deeply"),
        ("a" + ".a" * 3000 + " = 1\n", "tables and arrays nest more than 32 deep"),
        ('include = ["a\\u0000b"]\n', "the file name holds a NUL character"),
        ('include = ["' + "a" * 300 + '"]\n', "cannot read the file: File name too long"),
    ],
    ids=["huge-integer", "deep-arrays", "deep-tables", "nul-in-include", "long-include"],
)
def test_pathological_file_is_one_clear_error(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        load_config(write(tmp_path, text))


def test_empty_file_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="the file is empty"):
        load_config(write(tmp_path, " \n"))


def test_file_of_comments_only_is_the_defaults(tmp_path: Path, config: Config) -> None:
    assert load_config(write(tmp_path, "# nothing changed\n")) == config


def test_path_below_a_regular_file_is_one_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[crawl]\n") / "my.toml"
    with pytest.raises(ConfigError, match="cannot read the file: Not a directory"):
        load_config(path)


def test_include_cycle_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, 'include = ["my.toml"]\n')
    with pytest.raises(ConfigError, match="nest too deeply"):
        load_config(path)


def test_default_channel_is_the_console(config: Config) -> None:
    assert config.channels["default"].type == "console"
    assert all("default" in rule.channels for rule in config.rules)


def test_shipped_danvan_rules_mark_articles_on_topic(config: Config) -> None:
    assert [rule.on_topic for rule in config.rules] == [True] * len(config.rules)


def test_user_channels_are_added_beside_the_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[channels.log]\ntype = "file"\npath = "alerts.jsonl"\n')
    assert set(load_config(path).channels) == {"default", "log"}


@pytest.mark.parametrize(
    ("text", "key", "says"),
    [
        (
            '[[rules]]\nname = "x"\nkeywords = ["dân vận"]\nchannels = ["mail"]\n',
            "rules.0.channels",
            "no channel named 'mail'",
        ),
        ('[channels.mail]\ntype = "apprise"\n', "channels.mail", "needs a url"),
        ('[channels.log]\ntype = "file"\n', "channels.log", "needs a path"),
        (
            '[channels.log]\ntype = "file"\npath = "a"\nbody_template = "{oops}"\n',
            "channels.log.body_template",
            "unknown fields ['oops']",
        ),
        ('[channels.mail]\ntype = "sms"\n', "channels.mail.type", "console"),
        (
            '[channels.log]\ntype = "file"\npath = "a"\nmdoe = "digest"\n',
            "channels.log.mdoe",
            "did you mean 'mode'",
        ),
        ('[channels.log]\ntyp = "file"\npath = "a"\n', "channels.log.typ", "did you mean 'type'"),
        (
            '[[rules]]\nname = "x"\nkeyword = ["dân vận"]\n',
            "rules.0.keyword",
            "did you mean 'keywords'",
        ),
    ],
)
def test_bad_channel_names_its_key(tmp_path: Path, text: str, key: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.key == key
    assert says in str(caught.value)


def test_unknown_key_of_a_rule_is_never_echoed(tmp_path: Path) -> None:
    text = '[[rules]]\nname = "x"\nkeywords = ["dân vận"]\nulr = "mailto://me:hunter2@x"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert str(caught.value).endswith("rules.0.ulr: rule 'x': unknown key")


def test_password_in_a_url_is_refused_and_never_echoed(tmp_path: Path) -> None:
    text = '[channels.mail]\ntype = "apprise"\nurl = "mailtos://me:hunter2@smtp.example.org"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert "ENV_VAR" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_password_as_an_environment_reference_is_accepted(tmp_path: Path) -> None:
    text = '[channels.mail]\ntype = "apprise"\nurl = "mailtos://me:${SMTP_PASSWORD}@smtp.example.org"\n'
    assert load_config(write(tmp_path, text)).channels["mail"].url is not None


def test_an_address_in_the_query_is_not_a_password(tmp_path: Path) -> None:
    text = (
        '[channels.mail]\ntype = "apprise"\n'
        'url = "mailto://127.0.0.1:2525?from=monitor@example.org&to=analyst@example.org"\n'
    )
    assert load_config(write(tmp_path, text)).channels["mail"].url is not None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[schedule]\ncrawl_interval = 1e300\n", "schedule.crawl_interval"),
        ("[alerts]\nretry_max = 1e12\n", "alerts.retry_max"),
        ("[crawl]\nrecheck_days = 100000\n", "crawl.recheck_days"),
    ],
)
def test_durations_beyond_a_year_are_refused(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.key == key


def test_messages_are_in_vietnamese_by_default(config: Config) -> None:
    assert config.alerts.language == "vi"


def test_messages_may_be_in_english(tmp_path: Path) -> None:
    path = write(tmp_path, '[alerts]\nlanguage = "en"\n')
    assert load_config(path).alerts.language == "en"


@pytest.mark.parametrize("value", ['"fr"', '"VI"', '"vi-VN"', '""', "1"])
def test_another_language_is_an_error_naming_the_allowed_ones(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, f"[alerts]\nlanguage = {value}\n"))
    assert caught.value.key == "alerts.language"
    assert 'must be one of "vi", "en"' in str(caught.value)


def test_a_channel_without_templates_takes_the_language_default(tmp_path: Path) -> None:
    path = write(tmp_path, '[channels.log]\ntype = "file"\npath = "a"\n')
    channel = load_config(path).channels["log"]
    assert (channel.title_template, channel.body_template) == (None, None)


# --- every problem at once, in plain words (issue 19) ------------------------------------------


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = '[crawl]\ntimeout = "abc"\n[alerts]\nmax_age_days = 5000\n[site]\nfeeds = "/rss"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert [problem.key for problem in caught.value.problems] == [
        "site.feeds", "crawl.timeout", "alerts.max_age_days",
    ]  # fmt: skip
    assert str(caught.value).splitlines() == [
        f"config error in {tmp_path / 'my.toml'}: 3 problems",
        '  site.feeds: must be a list in square brackets, like ["a", "b"] (got "/rss")',
        '  crawl.timeout: must be a number above 0 and at most 31536000 (got "abc")',
        "  alerts.max_age_days: must be a number from 0 to 3650 (got 5000)",
    ]


def test_problems_across_keys_join_the_list(tmp_path: Path) -> None:
    text = (
        '[health]\nchannel = "ops"\n[crawl]\nretries = -1\n'
        '[[rules]]\nname = "a"\nkeywords = ["x"]\nchannels = ["mail", "sms"]\n'
        '[[rules]]\nname = "a"\nkeywords = ["y"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert [tuple(problem) for problem in caught.value.problems] == [
        ("crawl.retries", "must be a whole number from 0 to 100 (got -1)"),
        ("rules.1.name", "rule 'a': another rule has this name"),
        ("rules.0.channels", "rule 'a': no channels named 'mail', 'sms' (configured: default)"),
        ("health.channel", "no channel named 'ops' (configured: default)"),
    ]


def test_a_misspelt_key_is_not_also_reported_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, '[[rules]]\nname = "x"\nkeyword = ["dân vận"]\n'))
    assert [problem.key for problem in caught.value.problems] == ["rules.0.keyword"]


def test_a_list_refused_for_its_items_is_not_also_too_short(tmp_path: Path) -> None:
    text = '[[rules]]\nname = "x"\nkeywords = ["y"]\nfields = ["summary"]\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert str(caught.value).endswith(
        """rules.0.fields.0: rule 'x': must be one of "title", "lead", "body" (got "summary")"""
    )


def test_a_value_is_shown_on_one_line_and_shortened(tmp_path: Path) -> None:
    text = '[crawl]\nuser_agent = 7\ntimeout = "a\\u2028b' + "c" * 200 + '"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    shown = dict(caught.value.problems)["crawl.timeout"].partition("(got ")[2][:-1]
    assert shown == '"a\\u2028b' + "c" * 70 + "…"  # 80 characters, the line separator escaped
    assert len(str(caught.value).splitlines()) == 3


def test_a_secret_is_never_echoed_among_many_problems(tmp_path: Path) -> None:
    text = (
        '[channels.mail]\ntype = "apprise"\nurl = "mailtos://me:hunter2@smtp.example.org"\n'
        'digest_time = "7h"\n[channels.hook]\ntype = "apprise"\nurl = ["json://me:hunter2@x"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert len(caught.value.problems) == 3
    assert "hunter2" not in str(caught.value)


def test_a_rule_file_is_validated_against_the_configured_channels(tmp_path: Path) -> None:
    """``load_rules``: the rules of a file, as ``monitor rules diff`` reads one."""
    mine = tmp_path / "my.toml"
    mine.write_text('[channels.mail]\ntype = "file"\npath = "mail.jsonl"\n', encoding="utf-8")
    rules = tmp_path / "rules.toml"
    text = '[[rules]]\nname = "r"\nkeywords = ["a"]\nchannels = ["mail"]\n'
    rules.write_text(text, encoding="utf-8")
    assert [rule.name for rule in load_rules(rules, mine)] == ["r"]
    with pytest.raises(ConfigError, match="no channel named 'mail'"):
        load_rules(rules)
