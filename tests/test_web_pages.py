"""The web view's pages as an analyst reads them: the HTML ``monitor serve`` answers, on an
archive the real crawl of the replica filled, parsed and compared with the archive and the CLI."""

from __future__ import annotations

import json
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from monitor.config import load_config
from monitor.text import fold, matching_form
from monitor.web.labels import vietnam_time

from crawl_support import database_of, monitor
from web_support import WebServer, filled_archive, get_json, get_text, status_of

pytestmark = pytest.mark.e2e
ARTICLE = 179541  # a dân vận article with a lead, images and matches of two rules


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_archive(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def web(config: Path) -> Iterator[WebServer]:
    server = WebServer(config)
    yield server
    assert server.stop() == 0, server.log.read_text()


def page(web: WebServer, path: str, **params: Any) -> Any:
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    return lxml.html.fromstring(get_text(f"{web.url}{path}{query}"))


def texts(tree: Any, selector: str) -> list[str]:
    return [element.text_content().strip() for element in tree.cssselect(selector)]


def rows(config: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database_of(config))) as db:
        return list(db.execute(sql, params))


# --- search ---------------------------------------------------------------------------------


def result_ids(tree: Any) -> list[int]:
    return [int(li.get("data-article-id")) for li in tree.cssselect("li.result")]


def test_search_lists_the_cli_results_in_its_order(web: WebServer, config: Path) -> None:
    found = monitor(config, "search", "dan van", "--json")
    tree = page(web, "/archive/search", q="dan van")
    assert result_ids(tree) == [hit["article_id"] for hit in json.loads(found.stdout)]
    assert texts(tree, "li.result .result-title") == [
        hit["title"] for hit in json.loads(found.stdout)
    ]


def test_a_result_dated_by_day_alone_shows_no_made_up_time(web: WebServer, config: Path) -> None:
    found = json.loads(monitor(config, "search", "dan van", "--json").stdout)
    day_only = {hit["article_id"]: hit for hit in found if hit["published_precision"] == "day"}
    assert day_only, "the replica has articles whose page gives no time of day"
    tree = page(web, "/archive/search", q="dan van")
    for result in tree.cssselect("li.result"):
        hit = day_only.get(int(result.get("data-article-id")))
        if hit:
            meta = texts(result, ".monitor-meta")[0]
            assert meta.startswith(vietnam_time(hit["published_at"], "day", weekday=False) + " ·")


def test_search_marks_only_what_the_search_matched(web: WebServer) -> None:
    marks = texts(page(web, "/archive/search", q="dan van"), "li.result mark")
    assert "dân vận" in {mark.casefold() for mark in marks}
    assert {fold(mark) for mark in marks} == {"dan van"}
    exact = texts(page(web, "/archive/search", q="đang"), "li.result mark")
    assert exact and {matching_form(mark) for mark in exact} == {"đang"}  # never Đảng


def test_search_shows_no_score_column(web: WebServer) -> None:
    html = get_text(f"{web.url}/archive/search?q=dan+van").casefold()
    assert "bm25" not in html and "score" not in html


@pytest.mark.parametrize("typed", ["-dân", "dân vận OR", "dân vận OR -giao thông"])
def test_an_unusable_query_shows_the_cli_explanation(
    web: WebServer, config: Path, typed: str
) -> None:
    cli = monitor(config, "search", "--", typed)
    tree = page(web, "/archive/search", q=typed)
    [error] = texts(tree, ".monitor-error")
    assert error == f"Không tìm được: {cli.stderr.removeprefix('monitor: ').strip()}"
    assert not tree.cssselect("li.result") and not tree.cssselect(".monitor-status")


def test_a_blank_form_shows_no_error_and_no_results(web: WebServer) -> None:
    tree = page(web, "/archive/search")
    assert not tree.cssselect(".monitor-error, .monitor-status, li.result")
    assert tree.cssselect("input[name=q][autofocus]")


def test_search_says_how_many_and_when_it_cut_the_list(web: WebServer) -> None:
    everything = get_json(f"{web.url}/archive/search.json?q=dan+van&_shape=array")
    [status] = texts(page(web, "/archive/search", q="dan van"), ".monitor-status")
    assert status == f"{len(everything)} bài khớp."
    tree = page(web, "/archive/search", q="dan van", limit=2)
    assert len(tree.cssselect("li.result")) == 2
    [status] = texts(tree, ".monitor-status")
    assert status.startswith("Hiển thị 2 bài khớp nhất; còn nhiều bài khớp hơn.")
    [more] = tree.cssselect(".monitor-status a")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(more.get("href")).query) == {
        "q": ["dan van"],
        "limit": ["4"],
    }


def test_nothing_found_says_so(web: WebServer) -> None:
    [status] = texts(page(web, "/archive/search", q="xyzzy"), ".monitor-status")
    assert status == "Không có bài nào khớp với «xyzzy»."


def test_search_filters_by_date_section_and_rule(web: WebServer, config: Path) -> None:
    tree = page(web, "/archive/search")
    sections = rows(config, "SELECT DISTINCT section FROM articles ORDER BY 1")
    assert texts(tree, "select[name=section] option")[1:] == [s for (s,) in sections]
    rules = rows(config, "SELECT DISTINCT rule FROM matches ORDER BY 1")
    assert texts(tree, "select[name=rule] option")[1:] == [r for (r,) in rules]
    chosen = {
        "since": "2025-03-19",
        "until": "2025-06-21",
        "section": "tin-chinh",
        "rule": "dan-van",
    }
    tree = page(web, "/archive/search", q="cong an", **chosen)
    ids = result_ids(tree)
    assert ids
    published = dict(rows(config, "SELECT article_id, published_at FROM articles"))
    assert all("2025-03-19" <= published[i][:10] <= "2025-06-21" for i in ids)
    matched = {i for (i,) in rows(config, "SELECT article_id FROM matches WHERE rule = 'dan-van'")}
    assert set(ids) <= matched
    assert tree.cssselect("input[name=since]")[0].get("value") == "2025-03-19"
    assert tree.cssselect("select[name=section] option[selected]")[0].text == "tin-chinh"


# --- the article page -----------------------------------------------------------------------


def test_a_search_result_opens_its_article_with_the_terms_marked(web: WebServer) -> None:
    tree = page(web, "/archive/search", q="dan van")
    link = tree.cssselect("li.result a.result-title")[0].get("href")
    article = lxml.html.fromstring(get_text(web.url + link))
    assert texts(article, "h1.title") == texts(tree, "li.result .result-title")[:1]
    assert "dân vận" in {mark.casefold() for mark in texts(article, "mark.query")}
    assert article.cssselect("a[href='/archive/search?q=dan+van']")


def test_the_article_page_reads_like_the_article(web: WebServer, config: Path) -> None:
    [(title, lead, body, published, precision, section, url)] = rows(
        config,
        "SELECT title, lead, body, published_at, published_precision, section, canonical_url"
        " FROM articles WHERE article_id = ?",
        ARTICLE,
    )
    tree = page(web, f"/archive/article/{ARTICLE}")
    assert texts(tree, "h1.title") == [title]
    assert texts(tree, ".published") == [vietnam_time(published, precision)]
    assert section in texts(tree, ".monitor-meta")[0]
    assert texts(tree, "p.lead") == [lead]
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    assert [" ".join(p.split()) for p in texts(tree, ".body p")] == paragraphs
    assert tree.cssselect("a.original")[0].get("href") == url


def test_the_article_page_shows_the_images_with_their_captions(
    web: WebServer, config: Path
) -> None:
    images = rows(
        config, "SELECT url, caption FROM article_images WHERE article_id = ? ORDER BY position",
        ARTICLE,
    )  # fmt: skip
    tree = page(web, f"/archive/article/{ARTICLE}")
    assert [img.get("src") for img in tree.cssselect("figure img")] == [u for u, _ in images]
    captions = texts(tree, "figcaption")
    assert all(caption.startswith(c) for caption, (_, c) in zip(captions, images, strict=True) if c)


def rule_runs(tree: Any) -> set[str]:
    """The texts of runs of adjacent rule marks (a keyword may be split by a query mark)."""
    runs: list[str] = []
    previous = None
    for mark in tree.cssselect("mark.rule"):
        joined = previous is not None and mark.getprevious() is previous and not previous.tail
        runs[-1:] = (
            [runs[-1] + mark.text_content()] if joined else [*runs[-1:], mark.text_content()]
        )
        previous = mark
    return set(runs)


def test_the_article_page_marks_every_rule_match(web: WebServer, config: Path) -> None:
    fields = dict(
        zip(
            ("title", "lead", "body"),
            rows(config, "SELECT title, lead, body FROM articles WHERE article_id = ?", ARTICLE)[0],
            strict=True,
        )
    )
    matches = rows(config, "SELECT field, start, end FROM matches WHERE article_id = ?", ARTICLE)
    found = {fields[field][start:end] for field, start, end in matches}
    tree = page(web, f"/archive/article/{ARTICLE}")
    assert found and found <= rule_runs(tree)
    listed = " ".join(texts(tree, ".matched li"))
    for (rule,) in rows(config, "SELECT DISTINCT rule FROM matches WHERE article_id = ?", ARTICLE):
        assert rule in listed


def test_an_article_not_archived_is_a_404_saying_so(web: WebServer) -> None:
    assert status_of(f"{web.url}/archive/article/1") == 404


# --- the rules page -------------------------------------------------------------------------


def test_the_rules_page_says_each_rule_in_words_with_its_feed(web: WebServer, config: Path) -> None:
    tree = page(web, "/archive/rules")
    configured = load_config(config).rules
    assert [s.get("data-rule") for s in tree.cssselect("section.monitor-rule")] == [
        rule.name for rule in configured
    ]
    for rule in configured:
        [section] = tree.cssselect(f"section[data-rule='{rule.name}']")
        text = section.text_content()
        assert "[" not in text and "{" not in text  # never JSON
        assert all(f"«{keyword}»" in text for keyword in rule.keywords)
        [feed] = section.cssselect("a.feed")
        assert feed.get("href") == f"/archive/rule_feed.atom?rule={rule.name}"
    counts = rows(config, "SELECT rule, COUNT(DISTINCT article_id) FROM matches GROUP BY rule")
    for name, articles in counts:
        assert f"{articles} bài" in texts(tree, f"section[data-rule='{name}'] .monitor-meta")[0]


# --- the articles page ----------------------------------------------------------------------


def test_the_month_facet_lists_the_newest_month_first(web: WebServer) -> None:
    data = get_json(f"{web.url}/archive/articles_view.json?_size=1")
    months = [item["value"] for item in data["facet_results"]["month"]["results"]]
    assert len(months) > 2 and months == sorted(months, reverse=True)
    counts = [item["count"] for item in data["facet_results"]["month"]["results"]]
    assert counts != sorted(counts, reverse=True)  # by count it would read otherwise
    tree = page(web, "/archive/articles_view")
    shown = [a.text for a in tree.cssselect("#facet-month li a")]
    assert shown == months


def test_rules_read_as_names_not_json(web: WebServer, config: Path) -> None:
    for path in ("/archive/articles_view", "/archive/latest_on_topic"):
        cells = page(web, path).cssselect("td.col-rules")
        assert cells and not any("[" in cell.text_content() for cell in cells)
        linked = [a.get("href") for cell in cells for a in cell.cssselect("a")]
        assert "/archive/articles_view?rules__arraycontains=dan-van" in linked


def test_the_rows_come_before_the_column_descriptions(web: WebServer) -> None:
    for path in ("/archive/articles_view", "/archive/articles"):
        html = get_text(web.url + path)
        assert html.index('<table class="rows-and-columns"') < html.index("column-descriptions")
        tree = lxml.html.fromstring(html)
        assert tree.cssselect("details.column-notes dl.column-descriptions dt")
        assert tree.cssselect("th[data-column-description]")  # still in each column's menu


def test_titles_in_the_articles_list_open_the_article_page(web: WebServer) -> None:
    tree = page(web, "/archive/articles_view")
    for row in tree.cssselect("table.rows-and-columns tbody tr"):
        [article_id] = texts(row, "td.col-article_id")
        [link] = row.cssselect("td.col-title a")
        assert link.get("href") == f"/archive/article/{article_id}"
