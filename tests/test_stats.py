"""``monitor stats`` (monitor.stats over archive reads): counts per month, week, section and
rule, the on-topic share, crawl health, the sparkline, --json, and the --plot chart."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from cli_support import Result, invoke
from test_archive_support import record, store

from monitor.archive import Archive, ArticleFilter, MatchRow
from monitor.archive.runs import RunOutcome
from monitor.cli.stats_command import render
from monitor.stats import period_keys, report, sparkline

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# id: (section, published_at, rules that matched, on_topic)
ARTICLES = {
    1: ("tin-chinh", "2025-01-31T23:30:00+07:00", ("dan-van",), True),
    2: ("tin-chinh", "2025-03-01T00:10:00+07:00", ("dan-van", "khac"), True),
    3: ("vu-an", "2025-03-15T09:00:00+07:00", ("khac",), False),
    4: ("vu-an", "2025-03-16T09:00:00+07:00", (), False),  # a Sunday
    5: ("doi-song", "2025-03-17T09:00:00+07:00", (), False),  # the Monday after
}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "monitor.db"
    with Archive.open(path) as archive:
        for article_id, (section, published_at, rules, on_topic) in ARTICLES.items():
            store(archive, record(article_id, section=section, published_at=published_at))
            stored = archive.articles.get_article(article_id)
            assert stored is not None
            hits = [MatchRow(rule, "dân vận", "body", 0, 7, "dân vận") for rule in rules]
            archive.alerts.record_matches(
                article_id, stored.content_hash, hits, [], on_topic=on_topic
            )
    return path


def monitor(capsys: pytest.CaptureFixture[str], database: Path, *args: str) -> Result[str]:
    config = database.with_name("monitor.toml")
    config.write_text(f"[database]\npath = {json.dumps(str(database))}\n", encoding="utf-8")
    return invoke(capsys, "--config", str(config), "stats", *args)


def test_articles_per_month_with_gaps_as_zeros(database: Path) -> None:
    with Archive.open(database) as archive:
        periods = report(archive, "month", None)["periods"]
    assert periods == [
        {"period": "2025-01", "articles": 1, "on_topic": 1},
        {"period": "2025-02", "articles": 0, "on_topic": 0},
        {"period": "2025-03", "articles": 4, "on_topic": 1},
    ]


def test_weeks_are_named_by_their_monday_in_vietnam_time(database: Path) -> None:
    with Archive.open(database) as archive:
        periods = report(archive, "week", ArticleFilter(since=date(2025, 3, 1)))["periods"]
    assert [(p["period"], p["articles"]) for p in periods] == [
        ("2025-02-24", 1),  # Saturday 1 March 00:10 (+07:00) is in the week of 24 February
        ("2025-03-03", 0),
        ("2025-03-10", 2),  # Saturday 15 and Sunday 16
        ("2025-03-17", 1),
    ]


def test_sections_rules_and_on_topic_share(database: Path) -> None:
    with Archive.open(database) as archive:
        stats = report(archive, "month", None)
    assert stats["sections"] == [
        {"section": "tin-chinh", "articles": 2},
        {"section": "vu-an", "articles": 2},
        {"section": "doi-song", "articles": 1},
    ]
    assert stats["rules"] == [
        {"rule": "dan-van", "articles": 2},
        {"rule": "khac", "articles": 2},
    ]
    assert stats["on_topic"]["articles"] == 2
    assert stats["on_topic"]["share"] == 0.4


def test_since_leaves_older_articles_out(database: Path) -> None:
    with Archive.open(database) as archive:
        stats = report(archive, "month", ArticleFilter(since=date(2025, 3, 16)))
    assert (stats["articles"], stats["rules"], stats["section_count"]) == (2, [], 2)


def test_crawl_health_counts_runs_per_period_by_outcome(database: Path) -> None:
    with Archive.open(database) as archive:
        outcomes: tuple[tuple[RunOutcome, int], ...] = (
            ("ok", 0),
            ("ok", 2),
            ("failed", 5),
            ("timeout", 0),
        )
        for outcome, errors in outcomes:
            run = archive.runs.start_run("normal")
            archive.runs.finish_run(run, outcome, http_errors=errors, quarantined=1)
        archive.runs.finish_run(archive.runs.start_run("reparse"), "ok")  # not a crawl
        started = archive.runs.last_runs(1)[0].started_at
        health = report(archive, "month", None)["crawl_health"]
    month = datetime.fromisoformat(started).strftime("%Y-%m")
    assert health[-1] == {
        "period": month, "runs": 4, "ok": 2, "failed": 1, "timeout": 1, "interrupted": 0,
        "new": 0, "http_errors": 7, "fetch_errors": 0, "quarantined": 4,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ([0, 1, 2, 4, 8], " ▁▂▄█"),
        ([3, 3, 3], "███"),
        ([1, 0, 100], "▁ █"),  # a small value still shows; only zero is blank
        ([0, 0], "  "),
        ([], ""),
    ],
)
def test_sparkline(values: list[int], line: str) -> None:
    assert sparkline(values) == line


def test_period_keys_cross_a_year() -> None:
    assert period_keys("2024-11", "2025-02", "month") == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]
    assert period_keys("2024-12-23", "2025-01-06", "week") == [
        "2024-12-23",
        "2024-12-30",
        "2025-01-06",
    ]


def test_tables_show_the_sparkline_and_the_share(database: Path) -> None:
    with Archive.open(database) as archive:
        lines = render(report(archive, "month", None))
    assert lines[0] == "Articles per month, 2025-01 to 2025-03: 5 articles"
    assert lines[1] == "  all       ▂ █"
    assert "On topic: 2 of 5 articles (40.0%)" in lines
    assert "tin-chinh         2" in lines
    assert lines[-3:-1] == ["no crawl runs", ""]
    assert lines[-1].startswith("Archive: ") and " for 5 articles; " in lines[-1]


def test_filter_options_select_the_articles_counted(
    capsys: pytest.CaptureFixture[str], database: Path
) -> None:
    result = monitor(capsys, database, "--json", "--section", "vu-an", "--until", "2025-03-15")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert (stats["articles"], stats["sections"]) == (1, [{"section": "vu-an", "articles": 1}])
    assert stats["rules"] == [{"rule": "khac", "articles": 1}]


def test_json_shape(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    result = monitor(capsys, database, "--json", "--by", "week")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert set(stats) == {
        "by", "since", "articles", "periods", "sparkline", "on_topic", "sections",
        "section_count", "rules", "crawl_health", "growth",
    }  # fmt: skip
    assert set(stats["growth"]) == {
        "size", "articles", "free", "per_month", "window_days", "days_left",
    }  # fmt: skip
    assert (stats["by"], stats["articles"], len(stats["periods"])) == (
        "week",
        5,
        8,
    )  # 27 Jan…17 Mar
    assert len(stats["sparkline"]) == 8
    assert set(stats["periods"][0]) == {"period", "articles", "on_topic"}
    assert set(stats["on_topic"]) == {"articles", "share", "sparkline"}


def test_plot_writes_a_png(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    chart = database.with_name("chart.png")
    result = monitor(capsys, database, "--plot", str(chart))
    assert result.returncode == 0, result.stderr
    assert chart.read_bytes().startswith(PNG_SIGNATURE)
    assert chart.stat().st_size > 10_000
    assert f"chart written to {chart}" in result.stderr


def test_plot_without_matplotlib_says_how_to_install_it(database: Path) -> None:
    """In a fresh process, where matplotlib can be made missing before anything imports it."""
    config = database.with_name("monitor.toml")
    config.write_text(f"[database]\npath = {json.dumps(str(database))}\n", encoding="utf-8")
    setup = "import sys; sys.modules['matplotlib'] = None  # as if not installed"
    command = [sys.executable, "-c", f"{setup}\nfrom monitor.cli import main; main()"]
    command += ["--config", str(config), "stats", "--plot", "chart.png"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "monitor: --plot needs matplotlib, an optional extra: pip install '.[plot]'"
    ]
