"""Storing articles: outcomes, history, quarantine, raw pages, atomicity and the reads by id."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from test_archive_support import LATER, record, scalar, store

from monitor.archive import Archive, fts, prepare
from monitor.errors import InputError, StorageError
from monitor.record import Image

# --- outcomes -------------------------------------------------------------------------------


def test_first_store_is_new(archive: Archive) -> None:
    assert store(archive, record()) == "new"


def test_same_content_again_is_unchanged(archive: Archive) -> None:
    store(archive, record())
    assert store(archive, record(), fetched_at=LATER) == "unchanged"


def test_unchanged_store_only_moves_last_seen_at(archive: Archive) -> None:
    store(archive, record())
    before = archive.articles.get_article(141005)
    store(archive, record(), fetched_at=LATER)
    after = archive.articles.get_article(141005)
    assert before is not None and after is not None
    assert after.last_seen_at == LATER
    assert replace(after, last_seen_at="") == replace(before, last_seen_at="")


def test_changed_content_is_updated(archive: Archive) -> None:
    store(archive, record())
    assert store(archive, record(title="Tiêu đề mới"), fetched_at=LATER) == "updated"


def test_change_in_extraction_or_problems_alone_is_unchanged(archive: Archive) -> None:
    store(archive, record())
    changed = record(extraction={"title": "profile"}, problems=("lead missing",))
    assert store(archive, changed) == "unchanged"


def test_incomplete_record_is_quarantined(archive: Archive) -> None:
    assert store(archive, record(body=None)) == "quarantined"


# --- history --------------------------------------------------------------------------------


def test_update_increments_the_version(archive: Archive) -> None:
    store(archive, record())
    store(archive, record(title="Tiêu đề mới"), fetched_at=LATER)
    article = archive.articles.get_article(141005)
    assert article is not None
    assert (article.version, article.title) == (2, "Tiêu đề mới")


def test_update_keeps_the_old_content_in_versions(archive: Archive) -> None:
    old = record()
    store(archive, old)
    store(archive, record(title="Mới", tags=("khác",), images=()), fetched_at=LATER)
    [version] = archive.articles.article_versions(141005)
    assert version.version == 1
    assert version.captured_at == LATER
    assert (version.title, version.body) == (old.title, old.body)
    assert version.tags == ("dân vận", "Thủ Đức")
    assert version.images == (Image("https://cdn.congan.com.vn/a.jpg", "Buổi gặp mặt"),)


def test_update_keeps_first_seen_at(archive: Archive) -> None:
    store(archive, record())
    store(archive, record(title="Mới"), fetched_at=LATER)
    article = archive.articles.get_article(141005)
    assert article is not None
    assert (article.first_seen_at, article.last_seen_at) == (
        "2025-03-19T11:47:05+07:00",
        LATER,
    )


def test_update_replaces_tags_and_images(archive: Archive) -> None:
    store(archive, record())
    store(archive, record(tags=("an ninh",), images=(Image("https://x/b.jpg"),)), fetched_at=LATER)
    article = archive.articles.get_article(141005)
    assert article is not None
    assert article.tags == ("an ninh",)
    assert article.images == (Image("https://x/b.jpg", None),)


# --- quarantine -----------------------------------------------------------------------------


def test_quarantined_record_is_not_in_articles(archive: Archive) -> None:
    store(archive, record(published_at=None))
    assert archive.articles.get_article(141005) is None
    assert archive.counts()["quarantined"] == 1


def test_quarantine_records_the_missing_fields(path: Path, archive: Archive) -> None:
    store(archive, record(title=None, published_at=None))
    reasons = scalar(path, "SELECT reasons FROM quarantine WHERE article_id = 141005")
    assert reasons == '["title missing", "published_at missing"]'


def test_complete_record_rescues_a_quarantined_one(archive: Archive) -> None:
    store(archive, record(body=None))
    assert store(archive, record(), fetched_at=LATER) == "new"
    assert archive.counts()["quarantined"] == 0


def test_incomplete_record_leaves_the_archived_article_untouched(archive: Archive) -> None:
    store(archive, record())
    before = archive.articles.get_article(141005)
    store(archive, record(body=None), fetched_at=LATER)
    assert archive.articles.get_article(141005) == before


# --- raw pages ------------------------------------------------------------------------------


def test_raw_page_round_trips(archive: Archive) -> None:
    html = "<html><body><p>Công an TP.HCM</p></body></html>".encode()
    store(archive, record(), html=html)
    [page] = archive.articles.raw_pages()
    assert (page.article_id, page.html, page.http_status) == (141005, html, 200)
    assert page.content_type == "text/html; charset=utf-8"
    assert page.fetched_at == "2025-03-19T11:47:05+07:00"


def test_raw_page_is_stored_compressed(path: Path, archive: Archive) -> None:
    html = b"<html><body>" + b"<p>Nh\xc3\xa2n d\xc3\xa2n</p>" * 5000 + b"</body></html>"
    store(archive, record(), html=html)
    assert scalar(path, "SELECT raw_size FROM raw_pages") == len(html)
    assert scalar(path, "SELECT length(html) FROM raw_pages") < len(html) // 10


def test_raw_page_is_kept_for_a_quarantined_record(archive: Archive) -> None:
    store(archive, record(title=None), html=b"<html>incomplete</html>")
    assert [page.html for page in archive.articles.raw_pages()] == [b"<html>incomplete</html>"]


def test_raw_pages_can_be_restored_while_iterating(archive: Archive) -> None:
    for article_id in range(1, 251):
        store(archive, record(article_id, body=None), html=f"<p>{article_id}</p>".encode())
    seen = []
    for page in archive.articles.raw_pages():
        seen.append(page.article_id)
        store(archive, record(page.article_id), html=page.html, fetched_at=page.fetched_at)
    assert seen == list(range(1, 251))
    assert archive.counts()["articles"] == 250


def test_raw_pages_resume_after_an_id(archive: Archive) -> None:
    for article_id in (3, 5, 8):
        store(archive, record(article_id))
    assert [page.article_id for page in archive.articles.raw_pages(after=3)] == [5, 8]
    assert archive.articles.count_raw_pages(after=3) == 2


def test_a_reparsed_record_is_stored_as_store_article_stores_it(
    archive: Archive, tmp_path: Path
) -> None:
    """``store_reparsed`` with the record prepared ahead (hash and full-text rows, as a
    reparse's workers do) stores what ``store_article`` does, and no new raw page."""
    store(archive, record(1, body=None), html=b"<p>kept</p>")  # quarantined
    (page,) = archive.articles.raw_pages()
    prepared = prepare(record(1), archive.articles.content_hashes([1]).get(1))
    assert prepared.index is not None  # new content: its full-text rows come along
    run_id = archive.runs.start_run("reparse")
    assert archive.articles.store_reparsed(prepared, page, run_id=run_id) == "new"
    with Archive.open(tmp_path / "other.db") as other:
        store(other, record(1), html=b"<p>kept</p>")
        assert archive.articles.get_article(1) == other.articles.get_article(1)
        for folded, query in ((False, '"dân vận"'), (True, '"dan van"')):
            found = [x.index.search_ids(query, folded=folded, limit=5) for x in (archive, other)]
            assert found == [[1], [1]]
    assert next(archive.articles.raw_pages()) == page


# --- atomicity ------------------------------------------------------------------------------


def _fail_on_image_insert(path: Path) -> None:
    """A fault in the middle of an article's write: after its row, before its images."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "CREATE TRIGGER fail_images BEFORE INSERT ON article_images"
            " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
        connection.commit()


def test_write_failing_midway_raises_a_storage_error(path: Path, archive: Archive) -> None:
    _fail_on_image_insert(path)
    with pytest.raises(StorageError, match=f"cannot store article 141005 in archive {path}"):
        store(archive, record())


def test_write_failing_midway_leaves_no_partial_rows(path: Path, archive: Archive) -> None:
    _fail_on_image_insert(path)
    with pytest.raises(StorageError):
        store(archive, record())
    # the standard table's own rows are its index's: articles_fts reads its text from articles
    index = (fts.EXACT_TABLE, fts.FOLDED_TABLE, f"{fts.STANDARD_TABLE}_docsize")
    tables = ("raw_pages", "articles", "article_tags", *index)
    assert {
        table: scalar(path, f"SELECT COUNT(*) FROM {table}") for table in tables
    } == dict.fromkeys(tables, 0)


def test_update_failing_midway_keeps_the_previous_version(path: Path, archive: Archive) -> None:
    store(archive, record())
    _fail_on_image_insert(path)
    with pytest.raises(StorageError):
        store(archive, record(title="Mới"), fetched_at=LATER)
    article = archive.articles.get_article(141005)
    assert article is not None
    assert (article.title, article.version, archive.counts()["versions"]) == (
        record().title,
        1,
        0,
    )


# --- timestamps -----------------------------------------------------------------------------


def test_fetch_time_is_stored_at_vietnam_time(archive: Archive) -> None:
    store(archive, record(), fetched_at="2025-03-19T04:47:05Z")
    article = archive.articles.get_article(141005)
    assert article is not None
    assert article.first_seen_at == "2025-03-19T11:47:05+07:00"


def test_fetch_time_without_offset_is_an_input_error(archive: Archive) -> None:
    with pytest.raises(InputError, match="fetched_at has no UTC offset"):
        store(archive, record(), fetched_at="2025-03-19T11:47:05")


def test_malformed_time_is_an_input_error(archive: Archive) -> None:
    with pytest.raises(InputError, match="since_iso is not an ISO 8601 time"):
        archive.articles.recent_article_ids("yesterday")


# --- reads ----------------------------------------------------------------------------------


def test_get_article_returns_the_record_fields_decoded(archive: Archive) -> None:
    store(archive, record())
    article = archive.articles.get_article(141005)
    assert article is not None
    assert article.tags == ("dân vận", "Thủ Đức")
    assert article.images == (Image("https://cdn.congan.com.vn/a.jpg", "Buổi gặp mặt"),)
    assert article.extraction == {"title": "metadata", "body": "profile"}
    assert (article.version, article.on_topic, article.problems) == (1, False, ())


def test_get_missing_article_is_none(archive: Archive) -> None:
    assert archive.articles.get_article(1) is None


def test_get_articles_reads_each_as_get_article_in_the_order_asked(archive: Archive) -> None:
    store(archive, record(1))
    store(archive, record(2, tags=(), images=()))
    store(archive, record(3, title=None))  # quarantined: not archived
    articles = archive.articles.get_articles([2, 3, 1, 4])
    assert articles == [archive.articles.get_article(2), archive.articles.get_article(1)]


def test_known_ids_include_archived_and_quarantined(archive: Archive) -> None:
    store(archive, record(1))
    store(archive, record(2, title=None))
    assert archive.articles.known_ids([1, 2, 3]) == {1, 2}


def test_published_dates_cover_archived_articles_only(archive: Archive) -> None:
    store(archive, record(1))
    store(archive, record(2, title=None))
    dates = archive.articles.published_dates([1, 2, 3])
    assert set(dates) == {1}
    assert dates[1] == record(1).published_at


def test_max_article_id_covers_quarantine(archive: Archive) -> None:
    store(archive, record(10))
    store(archive, record(20, title=None))
    assert archive.articles.max_article_id() == 20


def test_max_article_id_of_an_empty_archive_is_none(archive: Archive) -> None:
    assert archive.articles.max_article_id() is None


def test_recent_article_ids_compares_instants_newest_first(archive: Archive) -> None:
    store(archive, record(1, published_at="2025-03-18T23:00:00+07:00"))
    store(archive, record(2, published_at="2025-03-19T07:00:00+07:00"))
    store(archive, record(3, published_at="2025-03-19T09:00:00+07:00"))
    assert archive.articles.recent_article_ids("2025-03-19T00:00:00Z") == [3, 2]


def test_counts(archive: Archive) -> None:
    store(archive, record(1))
    store(archive, record(1, title="Mới"), fetched_at=LATER)
    store(archive, record(2, body=None))
    archive.runs.start_run("normal")
    assert archive.counts() == {
        "articles": 1,
        "quarantined": 1,
        "versions": 1,
        "runs": 1,
        "raw_pages": 2,
    }


def test_store_counts_its_outcome_in_the_run(archive: Archive) -> None:
    run_id = archive.runs.start_run("normal")
    store(archive, record(1), run_id=run_id)
    store(archive, record(1), run_id=run_id)
    store(archive, record(2, body=None), run_id=run_id)
    [run] = archive.runs.last_runs(1)
    assert (
        run.figures.new,
        run.figures.unchanged,
        run.figures.updated,
        run.figures.quarantined,
    ) == (1, 1, 0, 1)


def test_set_on_topic(archive: Archive) -> None:
    store(archive, record())
    assert archive.articles.set_on_topic(141005, True)
    article = archive.articles.get_article(141005)
    assert article is not None and article.on_topic is True


def test_delete_article_removes_every_row(path: Path, archive: Archive) -> None:
    store(archive, record())
    store(archive, record(title="Mới"), fetched_at=LATER)
    assert archive.articles.delete_article(141005)
    assert archive.counts() == dict.fromkeys(
        ("articles", "quarantined", "versions", "runs", "raw_pages"), 0
    )
    assert scalar(path, "SELECT COUNT(*) FROM article_tags") == 0


def test_sections_are_those_of_archived_articles_not_quarantined_ones(archive: Archive) -> None:
    store(archive, record(1, section="vu-an/canh-giac"))
    store(archive, record(2))
    store(archive, record(3))
    store(archive, record(4, section="quoc-te", title=""))  # incomplete: quarantined
    assert archive.articles.sections() == ["tin-chinh", "vu-an/canh-giac"]
