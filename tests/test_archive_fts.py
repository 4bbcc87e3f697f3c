"""The conventional FTS5 table (``fts.STANDARD_TABLE``): found and searched by the real
sqlite-utils command, kept in step with the articles by its triggers, checked by
``Archive.integrity_problems``, and added to existing archives by migration 10."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database
from sqlite_utils.cli import cli as sqlite_utils_cli
from test_archive_support import LATER, record, scalar, store

from monitor.archive import SCHEMA_VERSION, Archive, fts
from monitor.archive.migrations import migrate
from monitor.errors import StorageError

DAN_VAN = record(1, title="Công tác dân vận ở Thủ Đức")
OTHER = record(2, title="Giao thông", lead="Kẹt xe.", body="Đường Điện Biên Phủ kẹt xe.", tags=())


def sqlite_utils_search(path: Path, table: str, query: str) -> list[int]:
    """Ids that ``sqlite-utils search PATH TABLE QUERY`` prints (its own CLI, in-process)."""
    result = CliRunner().invoke(
        sqlite_utils_cli, ["search", str(path), table, query, "-c", "article_id"]
    )
    assert result.exit_code == 0, result.output
    return [row["article_id"] for row in json.loads(result.output)]


def test_sqlite_utils_finds_the_full_text_table_of_articles(archive: Archive, path: Path) -> None:
    store(archive, DAN_VAN)
    store(archive, OTHER)
    assert sqlite_utils_search(path, "articles", "dân vận") == [1]


def test_sqlite_utils_search_ignores_tone_marks_but_not_d(archive: Archive, path: Path) -> None:
    store(archive, DAN_VAN)
    store(archive, OTHER)
    assert sqlite_utils_search(path, "articles", "dan van") == [1]
    assert sqlite_utils_search(path, "articles", "Điện Biên") == [2]
    assert sqlite_utils_search(path, "articles", "dien bien") == []  # unicode61 keeps đ


def test_searching_the_table_itself_gives_the_article_text(archive: Archive, path: Path) -> None:
    store(archive, DAN_VAN)
    result = CliRunner().invoke(
        sqlite_utils_cli, ["search", str(path), fts.STANDARD_TABLE, "dân vận", "-c", "title"]
    )
    assert json.loads(result.output) == [{"title": DAN_VAN.title}]


def test_edits_and_deletions_reach_the_table(archive: Archive, path: Path) -> None:
    store(archive, DAN_VAN)
    store(archive, OTHER)
    store(archive, record(1, title="Khen thưởng", lead=None, body="Chiến sĩ."), fetched_at=LATER)
    archive.articles.delete_article(2)
    assert sqlite_utils_search(path, "articles", "dân vận") == []
    assert sqlite_utils_search(path, "articles", "kẹt xe") == []
    assert sqlite_utils_search(path, "articles", "khen thưởng") == [1]


def test_bulk_loaded_articles_are_in_the_table(archive: Archive, path: Path) -> None:
    archive.articles.bulk_load([DAN_VAN, OTHER], seen_at=LATER)
    assert sqlite_utils_search(path, "articles", "dân vận") == [1]


def test_updating_columns_it_does_not_index_writes_nothing_to_it(
    archive: Archive, path: Path
) -> None:
    store(archive, DAN_VAN)
    blocks = f"SELECT COUNT(*) FROM {fts.STANDARD_TABLE}_data"
    before = scalar(path, blocks)
    store(archive, DAN_VAN, fetched_at=LATER)  # unchanged: last_seen_at moves
    archive.articles.set_on_topic(1, True)
    assert scalar(path, blocks) == before
    store(archive, record(1, title="Tiêu đề mới"), fetched_at=LATER)
    assert scalar(path, blocks) > before


def test_integrity_check_passes_after_stores_edits_and_deletions(archive: Archive) -> None:
    store(archive, DAN_VAN)
    store(archive, OTHER)
    store(archive, record(1, title="Khen thưởng"), fetched_at=LATER)
    archive.articles.delete_article(2)
    assert archive.integrity_problems() == []


def test_integrity_check_names_an_index_out_of_step(archive: Archive, path: Path) -> None:
    store(archive, DAN_VAN)
    with closing(sqlite3.connect(path)) as connection:  # an edit behind the triggers' back
        connection.execute(f"DROP TRIGGER {fts.STANDARD_UPDATE_TRIGGER}")
        connection.execute("UPDATE articles SET title = 'Khác hẳn' WHERE article_id = 1")
        connection.commit()
    [problem] = archive.integrity_problems()
    assert problem.startswith(f"{fts.STANDARD_TABLE}: ")


def _version_9_archive_with_an_article(path: Path) -> None:
    """An archive as the monitor left it before migration 10, holding ``DAN_VAN``."""
    with closing(sqlite3.connect(path)) as connection:
        migrate(Database(connection), target=9)
    with Archive.open(path.with_name("source.db")) as source:
        store(source, DAN_VAN)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("ATTACH ? AS source", (str(path.with_name("source.db")),))
        connection.execute("INSERT INTO articles SELECT * FROM source.articles")
        text = connection.execute("SELECT title, lead, body FROM articles").fetchone()
        # the two tables' names before migration 10: articles_fts, articles_fts_folded
        for table, (_, form) in zip(
            ("articles_fts", "articles_fts_folded"), fts.FORMS, strict=True
        ):
            values = fts.table_values(form, *text)
            connection.execute(fts.INSERT.format(table=table), (1, *values))
        connection.commit()


def test_migration_10_adds_the_table_to_an_archive(path: Path) -> None:
    _version_9_archive_with_an_article(path)
    with Archive.open(path) as archive:
        assert archive.settings().schema_version == SCHEMA_VERSION
        assert archive.index.search_ids('"dân\ue000vận"', folded=False, limit=5) == [1]
        assert archive.index.search_ids('"dan\ue000van"', folded=True, limit=5) == [1]
        assert archive.integrity_problems() == []
    assert sqlite_utils_search(path, "articles", "dân vận") == [1]


def test_migration_10_is_all_or_nothing(path: Path) -> None:
    _version_9_archive_with_an_article(path)
    with closing(sqlite3.connect(path)) as connection:  # the name its update trigger takes
        connection.execute(
            f"CREATE TRIGGER {fts.STANDARD_UPDATE_TRIGGER} AFTER UPDATE ON crawl_state"
            " BEGIN SELECT 1; END"
        )
        connection.commit()
    with pytest.raises(StorageError, match="already exists"):
        Archive.open(path)
    assert scalar(path, "PRAGMA user_version") == 9
    names = "SELECT group_concat(name) FROM sqlite_master WHERE name LIKE 'articles_fts%'"
    assert "articles_fts_exact" not in scalar(path, names)
    assert scalar(path, "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").count(
        "content = ''"
    )


@given(st.text(alphabet="ĐđÀàHoàgiảİΣ dân vận,.\n"), st.none() | st.text(max_size=8), st.text())
def test_index_values_are_each_tables_values(title: str, lead: str | None, body: str) -> None:
    # what a store inserts must be what unindex_article deletes, value for value (contentless)
    expected = tuple(fts.table_values(form, title, lead, body) for _, form in fts.FORMS)
    assert fts.index_values(title, lead, body) == expected


class _Clock:
    """Seconds that pass ``step`` at each reading."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _rebuild(path: Path, clock: Callable[[], float]) -> None:
    """fts.rebuild over the archive at ``path``, in one transaction as a migration runs it."""
    with closing(sqlite3.connect(path)) as connection, connection:
        fts.rebuild(Database(connection), clock=clock)


def test_a_long_rebuild_logs_how_far_it_is(
    archive: Archive, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for article_id in range(1, 6):
        store(archive, record(article_id, title=f"Dân vận {article_id}"))
    with caplog.at_level(logging.INFO, logger="monitor.archive"):
        _rebuild(path, _Clock(step=6.0))  # 6 s an article: a line every other one
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("search index")]
    assert lines[0].startswith("search index: 2 of 5 articles indexed anew, 0/s, about ")
    assert lines[-1].startswith("search index: 5 of 5 articles indexed anew")
    assert lines[-1].endswith("about 0 s left")
    assert archive.index.search_ids('"dân\ue000vận"', folded=False, limit=9) == [1, 2, 3, 4, 5]


def test_a_short_rebuild_logs_nothing(
    archive: Archive, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store(archive, DAN_VAN)
    with caplog.at_level(logging.INFO, logger="monitor.archive"):
        _rebuild(path, _Clock(step=0.001))
    assert "search index" not in caplog.text
    assert archive.index.search_ids('"dân\ue000vận"', folded=False, limit=5) == [1]
