"""``monitor rules test`` and ``monitor match`` as a user runs them, in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_support import Result, invoke
from test_match_apply import DANVAN_IDS

from monitor.archive import Archive
from monitor.config import Config, SiteProfile
from monitor.ingest import FetchedPage, ingest_page

from bulk_support import build_archive, config_file
from golden_pages import golden_pages


def monitor(capsys: pytest.CaptureFixture[str], *args: str) -> Result[str]:
    return invoke(capsys, *args)


def test_rules_test_prints_matches_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test", "--text", "Phong trào Dân vận khéo lan tỏa.")
    assert result.returncode == 0, result.stderr
    (hit,) = json.loads(result.stdout)
    assert set(hit) == {"rule", "keyword", "field", "start", "end", "snippet"}
    assert (hit["rule"], hit["start"], hit["end"]) == ("dan-van", 11, 23)


def test_rules_test_ignores_cross_word_lookalikes(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test", "--text", "Người dân vận chuyển hàng hóa qua cầu.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_rules_test_reads_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "draft.txt"
    text.write_text("Hưởng ứng phong trào Toàn dân bảo vệ an ninh Tổ quốc.", encoding="utf-8")
    result = monitor(capsys, "rules", "test", "--file", str(text))
    assert [hit["rule"] for hit in json.loads(result.stdout)] == ["toan-dan-bv-antq"]


def test_rules_test_wants_exactly_one_source(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test")
    assert result.returncode == 2
    assert "exactly one of --text, --file, --since" in result.stderr


def test_rules_test_since_wants_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "rules", "test", "--since", "2025-06-31")
    assert result.returncode == 2
    assert result.stderr == "monitor: --since: not a date in the form YYYY-MM-DD: '2025-06-31'\n"


def test_match_since_wants_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    result = monitor(capsys, "match", "--since", "01/06/2025")
    assert result.returncode == 2
    assert result.stderr == "monitor: --since: not a date in the form YYYY-MM-DD: '01/06/2025'\n"


# --- over an archive: the golden pages, ingested ----------------------------------------------

WHEN = "2025-06-23T12:00:00+07:00"


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    """A configuration whose archive holds the golden pages, not matched yet."""
    folder = tmp_path_factory.mktemp("rules")
    with Archive.open(folder / "monitor.db") as archive:
        for page in golden_pages():
            fetched = FetchedPage(page.expected["url"], page.html, "text/html", 200, WHEN)
            ingest_page(archive, config.profile, fetched)
    path = folder / "monitor.toml"
    path.write_text(f'[database]\npath = "{folder / "monitor.db"}"\n', encoding="utf-8")
    return path


def test_rules_test_all_backtests_every_article(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = monitor(capsys, "--config", str(archived), "rules", "test", "--all")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # 175360: "thế trận lòng dân" (toan-dan-bv-antq)
    assert {article["article_id"] for article in found} == DANVAN_IDS | {175360}
    dates = [article["published_at"] for article in found]
    assert dates == sorted(dates)
    since = monitor(capsys, "--config", str(archived), "rules", "test", "--since", "2000-01-01")
    assert since.stdout == result.stdout


def test_rules_test_since_and_all_are_exclusive(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    args = ("rules", "test", "--all", "--since", "2025-01-01")
    result = monitor(capsys, "--config", str(archived), *args)
    assert result.returncode == 2
    assert "exactly one of --text, --file, --since, --all" in result.stderr


# --- rules diff ------------------------------------------------------------------------------

SHIPPED_RULES = Path(__file__).resolve().parents[1] / "config" / "rules-danvan.toml"
# dan-van without "vận động quần chúng" (179591 holds only that); a new rule; the other as shipped
NEW_RULES = """
[[rules]]
name = "dan-van"
keywords = ["dân vận", "công tác dân vận", "Dân vận khéo", "Ban Dân vận"]
on_topic = true

[[rules]]
name = "toan-dan-bv-antq"
keywords = ["Toàn dân bảo vệ an ninh Tổ quốc", "toàn dân bảo vệ ANTQ",
            "Thế trận an ninh nhân dân", "Thế trận lòng dân"]
on_topic = true

[[rules]]
name = "ngay-hoi"
keywords = ["Ngày hội toàn dân"]
"""


def rule_file(folder: Path, text: str, name: str = "new.toml") -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def diff(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> Result[str]:
    return monitor(capsys, "--config", str(config), "rules", "diff", *args)


def test_rules_diff_lists_what_each_rule_gains_and_loses(
    capsys: pytest.CaptureFixture[str], archived: Path, tmp_path: Path
) -> None:
    result = diff(capsys, archived, rule_file(tmp_path, NEW_RULES))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"the configured rules → {tmp_path / 'new.toml'}"
    assert lines[1] == "dan-van (changed): +0 articles, -1 article"
    assert lines[2].startswith("  - 179591  2025-")
    assert lines[3].startswith('      "vận động quần chúng" in body: ')
    assert "toan-dan-bv-antq: unchanged" in lines
    assert any(line.startswith("ngay-hoi (added): +") for line in lines)
    assert lines[-1].startswith("2 of 3 rules match other articles: +")


def test_rules_diff_json_has_each_rule_and_its_articles(
    capsys: pytest.CaptureFixture[str], archived: Path, tmp_path: Path
) -> None:
    result = diff(capsys, archived, rule_file(tmp_path, NEW_RULES), "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["old"], found["since"]) == ("the configured rules", None)
    rules = {rule["rule"]: rule for rule in found["rules"]}
    assert [rule["status"] for rule in found["rules"]] == ["changed", "unchanged", "added"]
    (lost,) = rules["dan-van"]["lost"]
    assert (lost["article_id"], lost["matches"][0]["keyword"]) == (179591, "vận động quần chúng")
    assert rules["ngay-hoi"]["gained"] and not rules["ngay-hoi"]["lost"]
    assert set(lost) == {"article_id", "title", "published_at", "url", "matches"}


def test_rules_diff_of_two_files(
    capsys: pytest.CaptureFixture[str], archived: Path, tmp_path: Path
) -> None:
    one = diff(capsys, archived, rule_file(tmp_path, NEW_RULES), "--json")
    two = diff(capsys, archived, str(SHIPPED_RULES), str(tmp_path / "new.toml"), "--json")
    assert json.loads(two.stdout)["old"] == str(SHIPPED_RULES)
    assert json.loads(two.stdout)["rules"] == json.loads(one.stdout)["rules"]


def test_rules_diff_since_a_day(
    capsys: pytest.CaptureFixture[str], archived: Path, tmp_path: Path
) -> None:
    """179591 was published in 2025: nothing is lost from 2026 on."""
    result = diff(capsys, archived, rule_file(tmp_path, NEW_RULES), "--since", "2026-01-01")
    assert "dan-van (changed): +0 articles, -0 articles" in result.stdout


def test_rules_diff_wants_one_or_two_files(
    capsys: pytest.CaptureFixture[str], archived: Path
) -> None:
    result = diff(capsys, archived)
    assert result.returncode == 2
    assert result.stderr == (
        "monitor: give one rule file (NEW, against the configured rules) or two (OLD NEW)\n"
    )


def test_rules_diff_names_a_missing_file(
    capsys: pytest.CaptureFixture[str], archived: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.toml"
    result = diff(capsys, archived, str(missing))
    assert result.returncode == 2
    assert result.stderr == f"monitor: config error in {missing}: file not found\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[rules]]\nname = "x"\nkeywords = []\n', "rules.0.keywords: rule 'x': must be"),
        ('[[rules]]\nname = "x"\nkeywords = ["a"]\naccents = "both"\n', "rules.0.accents"),
        ('[[rules]]\nname = "x"\nkeywords = ["a"]\nchannels = ["mail"]\n', "no channel named"),
        ("[crawl]\ntimeout = 5\n", "no [[rules]] table in the file"),
        ("[[rules]\n", "not valid TOML"),
    ],
    ids=["no keywords", "bad accents", "unknown channel", "no rules", "not toml"],
)
def test_rules_diff_refuses_an_invalid_file_in_one_line(
    capsys: pytest.CaptureFixture[str], archived: Path, tmp_path: Path, text: str, message: str
) -> None:
    result = diff(capsys, archived, rule_file(tmp_path, text))
    assert result.returncode == 2
    assert result.stderr.startswith(f"monitor: config error in {tmp_path / 'new.toml'}")
    assert message in result.stderr and result.stderr.count("\n") == 1


@pytest.fixture
def renumbered(tmp_path: Path, profile: SiteProfile) -> Path:
    """A config naming an archive of 30 complete articles (the golden pages, renumbered)."""
    database = tmp_path / "archive.db"
    build_archive(database, profile, 30)
    return config_file(tmp_path, database)


def test_match_all_shows_its_progress_as_lines_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str], renumbered: Path
) -> None:
    result = monitor(capsys, "--config", str(renumbered), "match", "--all", "--batch", "10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("matched 30 articles: ")
    lines = result.stderr.splitlines()
    # the progress counts the articles read: those the index finds a keyword in (the rest are
    # settled at once, and counted in the summary)
    first = re.fullmatch(r"match --all: 0 of (\d+) articles", lines[0])
    assert first is not None and 0 < int(first[1]) < 30
    read = first[1]
    assert re.fullmatch(
        rf"match --all: {read} of {read} articles, [\d,]+/s, done in \d+ s", lines[-1]
    )


def test_match_resume_wants_the_option_it_resumes(
    capsys: pytest.CaptureFixture[str], renumbered: Path
) -> None:
    result = monitor(capsys, "--config", str(renumbered), "match", "--resume")
    assert result.returncode == 2
    assert result.stderr == (
        "monitor: --resume continues an interrupted --all or --since: give that option\n"
    )


def test_rules_test_since_shows_progress_on_stderr_and_only_json_on_stdout(
    capsys: pytest.CaptureFixture[str], renumbered: Path
) -> None:
    result = monitor(capsys, "--config", str(renumbered), "rules", "test", "--since", "2020-01-01")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) > 0
    last = result.stderr.splitlines()[-1]  # the articles read: those holding a keyword
    counted = re.fullmatch(
        r"rules test --since: (\d+) of \1 articles, [\d,]+/s, done in \d+ s", last
    )
    assert counted is not None and len(json.loads(result.stdout)) <= int(counted[1]) < 30
