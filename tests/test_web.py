"""``monitor serve``: the archive, filled by the real crawl of the replica, served read-only by
Datasette in its own process, and queried over HTTP as a user or a feed reader would."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import closing
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

from monitor.archive.fts import EXACT_TABLE
from monitor.web.access import ANALYST, PASSWORD_HASH_ENV
from monitor.web.serve import build_datasette
from replica.server import ReplicaServer

from crawl_support import archived_ids, database_of, monitor, write_config
from web_support import WebServer, filled_archive, get, get_json, get_text, status_of

pytestmark = pytest.mark.e2e
ATOM = "{http://www.w3.org/2005/Atom}"
# The replica's articles about "dân vận" (the phrase, in any case, with its marks).
DAN_VAN_IDS = {141005, 175365, 176390, 179527, 179530, 179532, 179541}


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return filled_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def web(config: Path) -> Iterator[WebServer]:
    server = WebServer(config)
    yield server
    assert server.stop() == 0, server.log.read_text()


def search_ids(web: WebServer, query: str) -> list[int]:
    params = urllib.parse.urlencode({"q": query, "_shape": "array", "limit": 1000})
    return [row["article_id"] for row in get_json(f"{web.url}/archive/search.json?{params}")]


def archive_rows(config: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database_of(config))) as db:
        return list(db.execute(sql, params))


# --- the JSON API and the canned queries ----------------------------------------------------


def test_json_api_lists_the_archive(web: WebServer, config: Path) -> None:
    database = get_json(f"{web.url}/archive.json")
    assert {"articles", "matches"} <= {table["name"] for table in database["tables"]}
    assert "articles_view" in {view["name"] for view in database["views"]}
    data = get_json(f"{web.url}/archive/articles.json?_size=1")
    assert data["filtered_table_rows_count"] == len(archived_ids(config))


def test_search_without_diacritics_ignores_them(web: WebServer) -> None:
    ids = search_ids(web, "dan van")
    assert set(ids) >= DAN_VAN_IDS
    assert len(ids) == len(set(ids))
    # folded, "dan van" also finds "Dân vẫn" (179506): that is what ignoring marks means
    assert set(ids) - DAN_VAN_IDS <= {179506}


def test_search_with_diacritics_is_exact(web: WebServer) -> None:
    assert set(search_ids(web, "dân vận")) == DAN_VAN_IDS
    assert set(search_ids(web, "DÂN VẬN")) == DAN_VAN_IDS


def test_dang_does_not_find_the_party(web: WebServer, config: Path) -> None:
    only_party = {
        article_id
        for (article_id,) in archive_rows(
            config,
            f"SELECT rowid FROM {EXACT_TABLE} WHERE {EXACT_TABLE} MATCH 'đảng'"
            f" EXCEPT SELECT rowid FROM {EXACT_TABLE} WHERE {EXACT_TABLE} MATCH 'đang'",
        )
    }
    assert only_party, "the replica has articles with Đảng and without đang"
    dang = set(search_ids(web, "đang"))
    assert dang and not dang & only_party
    assert only_party <= set(search_ids(web, "dang"))  # folded: both


def test_mixed_query_keeps_articles_matching_both_forms(web: WebServer) -> None:
    both = set(search_ids(web, "dan van, trung ương"))
    assert both and both == set(search_ids(web, "dan van")) & set(search_ids(web, "trung ương"))


def test_search_results_show_the_hit_in_display_form(web: WebServer) -> None:
    params = urllib.parse.urlencode({"q": "dan van", "_shape": "array"})
    rows = get_json(f"{web.url}/archive/search.json?{params}")
    for row in rows:
        if row["article_id"] in DAN_VAN_IDS:
            assert re.search(r"(?i)dân vận", row["snippet"]), row
        assert row["url"].endswith(f"_{row['article_id']}.html")


def error_of(url: str) -> tuple[int, Any]:
    """The status and JSON body of a request that fails."""
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url, timeout=10)
    with error.value:
        return error.value.code, json.loads(error.value.read())


@pytest.mark.parametrize("typed", ["", "-dân", "dân vận OR", "x" * 1001])
def test_unusable_query_is_explained_as_the_cli_does(
    web: WebServer, config: Path, typed: str
) -> None:
    cli = monitor(config, "search", "--", typed)
    assert cli.returncode == 2
    params = urllib.parse.urlencode({"q": typed})
    status, answer = error_of(f"{web.url}/archive/search.json?{params}")
    assert status == 400
    assert cli.stderr == f"monitor: {answer['error']}\n"


def test_fts_syntax_is_searched_as_words(web: WebServer) -> None:
    assert search_ids(web, 'NEAR(" *') == []  # never obeyed, and nothing holds "near"


def cli_hits(config: Path, *args: str) -> tuple[list[dict[str, Any]], bool]:
    """What ``monitor search ARGS --json`` prints, and whether it said the list was cut."""
    result = monitor(config, "search", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), "more articles match" in result.stderr


def test_search_ranks_and_cuts_as_the_cli_does(web: WebServer, config: Path) -> None:
    for limit in (3, 1000):
        hits, cut = cli_hits(config, "dan van", "--limit", str(limit))
        params = urllib.parse.urlencode({"q": "dan van", "limit": limit})
        answer = get_json(f"{web.url}/archive/search.json?{params}")
        assert (answer["results"], answer["more"]) == (hits, cut)
    assert cut is False and len(hits) > 3  # the first round was cut, the second not


def test_search_filters_are_the_cli_filters(web: WebServer, config: Path) -> None:
    filters = {"since": "2025-03-19", "until": "2025-06-21", "section": "tin-chinh"}
    hits, _ = cli_hits(config, "cong an", *(f"--{k}={v}" for k, v in filters.items()))
    params = urllib.parse.urlencode({"q": "cong an", "limit": 20, **filters})
    assert get_json(f"{web.url}/archive/search.json?{params}")["results"] == hits
    ruled, _ = cli_hits(config, "cong an", "--rule", "dan-van")
    params = urllib.parse.urlencode({"q": "cong an", "rule": "dan-van"})
    assert get_json(f"{web.url}/archive/search.json?{params}")["results"] == ruled
    assert hits and ruled


def test_latest_on_topic_articles(web: WebServer, config: Path) -> None:
    rows = get_json(f"{web.url}/archive/latest_on_topic.json?_shape=array")
    expected = archive_rows(
        config, "SELECT article_id FROM articles WHERE on_topic = 1 ORDER BY published_at DESC"
    )
    assert [row["article_id"] for row in rows] == [article_id for (article_id,) in expected]
    assert all(json.loads(row["rules"]) for row in rows)


def test_matches_per_rule(web: WebServer, config: Path) -> None:
    rows = get_json(f"{web.url}/archive/matches_per_rule.json?_shape=array")
    expected = archive_rows(
        config,
        "SELECT rule, COUNT(DISTINCT article_id), COUNT(*) FROM matches"
        " GROUP BY rule ORDER BY rule",
    )
    assert [(row["rule"], row["articles"], row["hits"]) for row in rows] == expected


# --- facets ---------------------------------------------------------------------------------


def facet_counts(data: dict[str, Any], name: str) -> dict[str, int]:
    return {item["value"]: item["count"] for item in data["facet_results"][name]["results"]}


def test_articles_facet_by_section_month_and_rule(web: WebServer, config: Path) -> None:
    data = get_json(f"{web.url}/archive/articles_view.json?_size=1")
    sections = archive_rows(config, "SELECT section, COUNT(*) FROM articles GROUP BY section")
    assert facet_counts(data, "section") == dict(sections)
    months = archive_rows(
        config, "SELECT substr(published_at, 1, 7), COUNT(*) FROM articles GROUP BY 1"
    )
    assert facet_counts(data, "month") == dict(months)
    rules = archive_rows(config, "SELECT rule, COUNT(DISTINCT article_id) FROM matches GROUP BY 1")
    assert facet_counts(data, "rules") == dict(rules)


def test_a_facet_value_filters_the_rows(web: WebServer, config: Path) -> None:
    quoc_te = get_json(f"{web.url}/archive/articles_view.json?section=quoc-te&_shape=array")
    expected = archive_rows(config, "SELECT article_id FROM articles WHERE section = 'quoc-te'")
    assert {row["article_id"] for row in quoc_te} == {article_id for (article_id,) in expected}
    dan_van = get_json(
        f"{web.url}/archive/articles_view.json?rules__arraycontains=dan-van&_shape=array"
    )
    matched = archive_rows(config, "SELECT DISTINCT article_id FROM matches WHERE rule = 'dan-van'")
    assert {row["article_id"] for row in dan_van} == {article_id for (article_id,) in matched}


# --- the Atom feed per rule -----------------------------------------------------------------


def parse_atom(body: bytes) -> ET.Element:
    """The feed element, after checking what Atom (RFC 4287) requires of it and its entries."""
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *feed.iter(f"{ATOM}entry")):
        for child in ("id", "title", "updated"):
            assert (element.findtext(f"{ATOM}{child}") or "").strip(), (element.tag, child)
    for entry in feed.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link") is not None
    return feed


def test_atom_feed_of_a_rule(web: WebServer, config: Path) -> None:
    feed = parse_atom(get(f"{web.url}/archive/rule_feed.atom?rule=dan-van"))
    entries = feed.findall(f"{ATOM}entry")
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}  # type: ignore[union-attr]
    expected = archive_rows(
        config,
        "SELECT DISTINCT a.canonical_url FROM matches AS m JOIN articles AS a USING (article_id)"
        " WHERE m.rule = 'dan-van'",
    )
    assert links == {url for (url,) in expected}
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))


def test_atom_feed_of_an_unknown_rule_is_not_found(web: WebServer) -> None:
    assert status_of(f"{web.url}/archive/rule_feed.atom?rule=no-such-rule") == 404


def test_a_configured_rule_without_matches_has_an_empty_feed(config: Path) -> None:
    """``monitor serve`` hands the configured rules to the feeds (the archive knows only the
    matched ones)."""
    rules = config.with_name("more-rules.toml")
    rule = '[[rules]]\nname = "chua-khop"\nkeywords = ["xyzzy"]\n'
    rules.write_text(config.read_text(encoding="utf-8") + rule, encoding="utf-8")
    server = WebServer(rules)
    try:
        feed = parse_atom(get(f"{server.url}/archive/rule_feed.atom?rule=chua-khop"))
        assert feed.findall(f"{ATOM}entry") == []
    finally:
        assert server.stop() == 0


# --- read-only ------------------------------------------------------------------------------


def test_writes_are_refused(web: WebServer, config: Path) -> None:
    before = archive_rows(config, "SELECT COUNT(*) FROM crawl_state")
    insert = "INSERT INTO crawl_state VALUES ('x', '1', 'y')"
    sql = urllib.parse.urlencode({"sql": insert}).encode()
    assert status_of(f"{web.url}/archive", data=sql) in {403, 405}
    assert status_of(f"{web.url}/archive.json?{sql.decode()}") == 400  # not a SELECT
    assert status_of(f"{web.url}/archive.json?sql=select+1") == 403  # canned queries only
    assert archive_rows(config, "SELECT COUNT(*) FROM crawl_state") == before


WRITES = ("POST", "PUT", "DELETE", "PATCH")
PAGES = (
    "/", "/archive", "/archive/articles_view", "/archive/articles/141005", "/archive/search",
    "/archive/article/141005", "/archive/rules", "/archive/latest_on_topic",
    "/archive/rule_feed.atom?rule=dan-van", "/-/login", "/-/versions.json",
)  # fmt: skip


def test_every_write_is_refused_with_405_and_no_traceback(web: WebServer) -> None:
    logged = len(web.log.read_text())
    for method in WRITES:
        for page in PAGES:
            request = urllib.request.Request(web.url + page, data=b"a=b", method=method)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            refused.value.close()
            assert refused.value.code == 405, (method, page)
            assert refused.value.headers["Allow"] == "GET, HEAD"
    log = web.log.read_text()[logged:]  # what the server logged meanwhile
    assert "Traceback" not in log
    assert log.count(" 405 Method Not Allowed") == len(WRITES) * len(PAGES)


def test_with_sql_allowed_writing_sql_is_still_refused(config: Path) -> None:
    server = WebServer(config, "--sql")
    try:
        count = get_json(f"{server.url}/archive.json?sql=select+count(*)+from+articles")
        assert count["rows"] == [[len(archived_ids(config))]]
        insert = "INSERT INTO crawl_state VALUES ('x', '1', 'y')"
        refused = urllib.parse.urlencode({"sql": insert})
        assert status_of(f"{server.url}/archive.json?{refused}") == 400  # not a SELECT
        # a WITH passes Datasette's check: SQLite itself refuses the write
        sneaky = urllib.parse.urlencode({"sql": "WITH x AS (SELECT 1) " + insert})
        assert status_of(f"{server.url}/archive.json?{sneaky}") == 400
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{server.url}/archive.json?{sneaky}", timeout=10)
        assert "readonly database" in json.loads(error.value.read())["error"]
    finally:
        assert server.stop() == 0
    assert archive_rows(config, "SELECT COUNT(*) FROM crawl_state WHERE key = 'x'") == [(0,)]


def test_even_datasettes_write_connection_is_query_only(config: Path) -> None:
    datasette = build_datasette(database_of(config), allow_sql=False)
    database = datasette.get_database("archive")
    insert = "INSERT INTO crawl_state VALUES ('x', '1', 'y')"
    with pytest.raises(sqlite3.OperationalError, match="readonly database"):
        asyncio.run(database.execute_write(insert))
    database.close()


def test_rows_written_while_serving_appear(tmp_path: Path) -> None:
    with ReplicaServer() as replica:
        config = write_config(tmp_path, replica.base_url)
        assert monitor(config, "crawl", "--create").returncode == 0
        server = WebServer(config)
        try:
            published = replica.publish("danvan")
            assert published["id"] not in search_ids(server, "dan van")
            assert monitor(config, "crawl").returncode == 0  # as the daemon would
            assert published["id"] in search_ids(server, "dan van")
        finally:
            assert server.stop() == 0


# --- the command ----------------------------------------------------------------------------


def test_serve_without_the_web_extra_says_how_to_install_it(config: Path) -> None:
    # sys.modules[name] = None makes "import name" fail, as if it were not installed
    code = (
        "import sys; sys.modules['datasette'] = None; sys.argv[1:] = ['--config', sys.argv[1],"
        " 'serve']; from monitor.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(config)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "pip install '.[web]'" in result.stderr


def test_the_monitor_never_imports_datasette() -> None:
    code = (
        "import sys, monitor.cli, monitor.daemon.service;"
        " print(sorted(m for m in sys.modules if m.startswith('datasette')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_serve_without_an_archive_fails_in_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    result = monitor(config, "serve", "--port", "0")
    assert result.returncode == 1
    assert result.stderr.startswith("monitor: no archive at ")
    assert "run 'monitor init' to create it" in result.stderr
    assert not database_of(config).exists()


def test_serve_on_a_busy_port_fails_in_one_line(web: WebServer, config: Path) -> None:
    port = web.url.rsplit(":", 1)[1]
    result = monitor(config, "serve", "--port", port)
    assert result.returncode == 1
    assert result.stderr == f"monitor: cannot listen on 127.0.0.1:{port}: Address already in use\n"


# --- who may read it: loopback, a login, or --no-auth ---------------------------------------

PASSWORD = "mật khẩu của analyst"


def test_a_public_host_without_a_login_is_refused(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_HASH_ENV, raising=False)
    result = monitor(config, "serve", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("monitor: --host 0.0.0.0 lets other machines connect")
    assert f"set {PASSWORD_HASH_ENV}" in result.stderr
    assert "--no-auth" in result.stderr


def test_a_bad_password_hash_is_refused(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_HASH_ENV, PASSWORD)  # the password itself, not its hash
    result = monitor(config, "serve", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert PASSWORD_HASH_ENV in result.stderr and "datasette hash-password" in result.stderr


def test_no_auth_serves_a_public_host_with_a_warning(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_HASH_ENV, raising=False)
    server = WebServer(config, "--host", "0.0.0.0", "--no-auth")
    try:
        assert "<mark" in get_text(f"{server.url}/archive/search?q=dan+van")
    finally:
        assert server.stop() == 0
    lines = server.log.read_text().splitlines()
    assert (
        "monitor: warning: --no-auth: anyone who can reach 0.0.0.0 reads the archive," in (lines[0])
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None  # answer the 302 itself


def log_in(server: WebServer, password: str) -> tuple[int, str, CookieJar]:
    """Post the login form as a browser would (its CSRF token, its cookies): the answer's
    status, where it redirects, and the cookies the browser then holds."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{server.url}/-/login", timeout=10) as answer:
        token = re.search(r'name="csrftoken" value="([^"]+)"', answer.read().decode())
    assert token
    form = {"username": ANALYST, "password": password, "csrftoken": token[1]}
    data = urllib.parse.urlencode(form)
    try:
        with opener.open(f"{server.url}/-/login", data.encode(), timeout=10) as answer:
            return answer.status, "", jar
    except urllib.error.HTTPError as redirect:
        with redirect:
            return redirect.code, redirect.headers["Location"], jar


def test_a_password_hash_requires_a_login(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datasette_auth_passwords.utils import hash_password  # the documented tool's function

    monkeypatch.setenv(PASSWORD_HASH_ENV, hash_password(PASSWORD))
    server = WebServer(config, "--host", "0.0.0.0")
    try:
        for page in ("/archive/search?q=dan+van", "/archive/articles_view", "/archive.json"):
            with urllib.request.urlopen(server.url + page, timeout=10) as answer:
                assert urllib.parse.urlsplit(answer.url).path == "/-/login", page
        assert log_in(server, "wrong")[0] == 200  # the form again, saying so
        status, location, jar = log_in(server, PASSWORD)
        assert (status, location) == (302, "/")
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{server.url}/archive/search?q=dan+van", timeout=10) as page:
            assert urllib.parse.urlsplit(page.url).path == "/archive/search"
            assert "<mark" in page.read().decode()
    finally:
        assert server.stop() == 0
