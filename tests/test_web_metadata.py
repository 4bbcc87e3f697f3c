"""metadata.yaml's full-text settings: Datasette's own ``?_search=`` on ``articles`` and
``articles_view`` searches the conventional FTS5 table, in the real Datasette of
``monitor serve`` (in-process, through its own HTTP client)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from test_archive_support import record, store

from monitor.archive import Archive, fts
from monitor.web.serve import build_datasette, metadata_text

ARTICLES = {
    1: record(1, title="Công tác dân vận ở Thủ Đức"),
    2: record(2, title="Giao thông", lead="Kẹt xe.", body="Đường Điện Biên Phủ kẹt xe."),
    3: record(3, title="Dân vận khéo", lead=None, body="Phong trào."),
    4: record(4, title="Nhân dân vận động", lead=None, body="Hai từ cách nhau."),
}


@pytest.fixture(scope="module")
def datasette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("metadata") / "archive.db"
    with Archive.open(path) as archive:
        for article in ARTICLES.values():
            store(archive, article)
    served = build_datasette(path, allow_sql=False)
    yield served
    served.get_database("archive").close()


def ids(datasette: Any, table: str, **params: str) -> set[int]:
    """The article ids Datasette's JSON API gives for ``table`` with ``params``."""

    async def fetch() -> Any:
        await datasette.invoke_startup()
        query = urlencode({**params, "_shape": "array", "_col": "article_id"})
        return await datasette.client.get(f"/archive/{table}.json?{query}")

    response = asyncio.run(fetch())
    assert response.status_code == 200, response.text
    return {row["article_id"] for row in response.json()}


@pytest.mark.parametrize("table", ["articles", "articles_view"])
def test_search_parameter_filters_the_rows(datasette: Any, table: str) -> None:
    assert ids(datasette, table) == set(ARTICLES)
    assert ids(datasette, table, _search="dân vận") == {1, 3, 4}  # both words, anywhere
    assert ids(datasette, table, _search='"dân vận"', _searchmode="raw") == {1, 3, 4}
    assert ids(datasette, table, _search="kẹt xe") == {2}


@pytest.mark.parametrize("table", ["articles", "articles_view"])
def test_search_parameter_ignores_tone_marks_but_not_d(datasette: Any, table: str) -> None:
    assert ids(datasette, table, _search="dan van") == {1, 3, 4}
    assert ids(datasette, table, _search="dien bien") == set()


def test_the_search_settings_name_the_archive_table() -> None:
    text = metadata_text()
    assert text.count(f"fts_table: {fts.STANDARD_TABLE}\n") == 2
    assert text.count("fts_pk: article_id\n") == 2
