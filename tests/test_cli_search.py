"""``monitor search`` as a user runs it, in-process, on an archive; a query may start with '-'."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_support import Result, invoke
from test_archive_support import record, store

from monitor.archive import Archive
from monitor.cli.search_command import dashed_query_last

TITLE = "Công an Thủ Đức ra quân bảo đảm an ninh"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    with Archive.open(folder / "monitor.db") as archive:
        store(archive, record(1, title=TITLE, body="Lực lượng ra quân.\n\nNhân dân đồng tình."))
        store(archive, record(2, title="Tin thời tiết", lead=None, body="Trời nắng.", tags=()))
        dated = "2025-03-18T00:00:00+07:00"  # a page that gives the day only
        body = "Hội nghị tổng kết."
        store(
            archive,
            record(3, title="Tổng kết", body=body, published_at=dated, published_precision="day"),
        )
    path = folder / "monitor.toml"
    path.write_text(f'[database]\npath = "{folder / "monitor.db"}"\n', encoding="utf-8")
    return path


def search(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> Result[str]:
    return invoke(capsys, "--config", str(config), "search", *args)


def test_json_is_a_list_of_hits(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    result = search(capsys, config, "thu duc", "--format", "json")
    assert result.returncode == 0, result.stderr
    (hit,) = json.loads(result.stdout)
    assert (hit["article_id"], hit["title"]) == (1, TITLE)
    assert hit["snippet"] == "Công an «Thủ Đức» ra quân bảo đảm an ninh"
    assert hit["highlight"]["field"] == "title"


def test_a_day_without_a_time_is_shown_as_the_day_alone(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    """No made-up "00:00" for an article whose page gives no time of day."""
    result = search(capsys, config, "tong ket")
    assert "2025-03-18  tin-chinh" in result.stdout
    assert "00:00" not in result.stdout
    (hit,) = json.loads(search(capsys, config, "tong ket", "--json").stdout)
    assert hit["published_precision"] == "day"


def test_json_flag_is_the_json_format(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    assert (
        search(capsys, config, "thu duc", "--json").stdout
        == search(capsys, config, "thu duc", "--format", "json").stdout
    )


def test_csv_has_a_header_and_vietnamese_text(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    result = search(capsys, config, "ra quân", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["title"] for row in rows] == [TITLE]
    assert not result.stdout.startswith("\ufeff")


def test_table_shows_title_url_and_highlight(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    result = search(capsys, config, "nhân dân")
    assert result.returncode == 0, result.stderr
    assert TITLE in result.stdout
    assert "https://congan.com.vn/tin-chinh/bai-viet_1.html" in result.stdout
    assert "«Nhân dân» đồng tình." in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_no_match_says_so(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    result = search(capsys, config, "ma túy")
    assert (result.returncode, result.stdout.strip()) == (0, "no article matches 'ma túy'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--", "-giao thông"], "every term is excluded"),
        (["-giao thông"], "every term is excluded"),  # the query, not an option '-g'
        (['"'], "empty query"),
        (["thu duc", "--since", "hôm qua"], "--since: not a date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], config: Path, args: list[str], message: str
) -> None:
    result = search(capsys, config, *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_a_cut_result_list_says_so(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    cut = search(capsys, config, "ra quân OR trời nắng", "--limit", "1", "--json")
    assert cut.returncode == 0
    assert len(json.loads(cut.stdout)) == 1
    assert cut.stderr.strip() == "showing the best 1; more articles match (use --limit)"
    whole = search(capsys, config, "ra quân OR trời nắng", "--limit", "2", "--json")
    assert (len(json.loads(whole.stdout)), whole.stderr) == (2, "")


EXCLUDING = '-"trời nắng", ra quân OR thời tiết'  # article 2 says "Trời nắng."


@pytest.mark.parametrize(
    "args",
    [[EXCLUDING, "--json"], ["--json", EXCLUDING], ["--json", "--", EXCLUDING]],
    ids=["before-options", "after-options", "after-double-dash"],
)
def test_a_query_starting_with_a_dash_is_the_query(
    capsys: pytest.CaptureFixture[str], config: Path, args: list[str]
) -> None:
    result = search(capsys, config, *args)
    assert result.returncode == 0, result.stderr
    assert [hit["article_id"] for hit in json.loads(result.stdout)] == [1]


def test_an_unknown_double_dash_word_says_to_put_double_dash_first(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    result = search(capsys, config, "--chuyen")
    assert result.returncode == 2
    assert result.stderr == (
        "monitor: No such option '--chuyen': put -- before a query that starts with '-' "
        "(monitor search -- --chuyen)\n"
    )


OPTIONS = {"--limit": True, "--section": True, "--json": False, "-h": False, "--help": False}


@pytest.mark.parametrize(
    ("args", "parsed"),
    [
        (["-x", "--limit", "5"], ["--limit", "5", "--", "-x"]),
        (["--section", "-x", "-y"], ["--section", "-x", "--", "-y"]),  # -x: the option's value
        (["--limit=5", "-x", "--json"], ["--limit=5", "--json", "--", "-x"]),
        (["-x", "--", "y"], ["--", "-x", "y"]),
        (["dân vận", "--json", "-"], ["dân vận", "--json", "-"]),
        (["-h"], ["-h"]),
    ],
)
def test_a_single_dash_word_that_is_no_option_goes_after_double_dash(
    args: list[str], parsed: list[str]
) -> None:
    assert dashed_query_last(args, OPTIONS) == parsed
