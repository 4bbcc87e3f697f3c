"""The two FTS5 tables: exact (matching form) and folded, each syllable and each pair of
adjacent syllables, kept in step with the articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_archive_support import LATER, fts_instances, record, store

from monitor.archive import Archive
from monitor.archive.fts import EXACT_TABLE, FOLDED_TABLE
from monitor.errors import InputError


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def test_each_two_adjacent_syllables_are_one_token(archive: Archive, tmp_path: Path) -> None:
    store(archive, record(1, title="Công an, Thủ Đức", lead=None, body="Dân vận."))
    exact = {
        (term, column) for term, _, column, _ in fts_instances(tmp_path / "archive.db", EXACT_TABLE)
    }
    folded = {
        term
        for term, _, column, _ in fts_instances(tmp_path / "archive.db", FOLDED_TABLE)
        if column == "title_pairs"
    }
    assert {
        ("công\ue000an", "title_pairs"),
        ("thủ\ue000đức", "title_pairs"),
        ("dân\ue000vận", "body_pairs"),
    } <= exact
    assert ("công", "title") in exact
    assert folded == {"cong\ue000an", "an\ue000thu", "thu\ue000duc"}


def test_updates_and_deletes_leave_the_index_a_fresh_one_would_be(tmp_path: Path) -> None:
    final = {
        1: record(1, title="Khen thưởng chiến sĩ", body="Dân vận khéo."),
        3: record(3, title="Công an Thủ Đức", lead=None),
    }
    with Archive.open(tmp_path / "edited.db") as edited:
        store(edited, record(1, title="Bắt giữ nghi phạm trộm cắp"))
        store(edited, record(2, title="Tin sẽ bị xoá"))
        store(edited, record(3))
        for rec in final.values():
            store(edited, rec, fetched_at=LATER)
        edited.articles.delete_article(2)
    with Archive.open(tmp_path / "fresh.db") as fresh:
        for rec in final.values():
            store(fresh, rec)
    for table in (EXACT_TABLE, FOLDED_TABLE):
        assert fts_instances(tmp_path / "edited.db", table) == fts_instances(
            tmp_path / "fresh.db", table
        )


def test_bulk_loaded_and_stored_articles_are_indexed_alike(
    archive: Archive, tmp_path: Path
) -> None:
    stored = record(1, title="Xã Hoà Bình, Thủ Đức", body="Đảng ủy họp.\n\nKHOẺ mạnh.")
    store(archive, stored)
    archive.articles.bulk_load([record(2, title=stored.title, body=stored.body)], seen_at=LATER)
    for table in (EXACT_TABLE, FOLDED_TABLE):
        indexed = fts_instances(tmp_path / "archive.db", table, 1)
        assert indexed and indexed == fts_instances(tmp_path / "archive.db", table, 2)


def test_folded_search_finds_text_written_with_marks(archive: Archive) -> None:
    store(archive, record(1, title="Công an Thủ Đức ra quân"))
    assert archive.index.search_ids("thu duc", folded=True, limit=10) == [1]


def test_exact_search_tells_dang_from_dang(archive: Archive) -> None:
    store(archive, record(1, body="Đảng bộ Công an tỉnh họp."))
    store(archive, record(2, body="Lực lượng đang tuần tra."))
    assert archive.index.search_ids("đang", folded=False, limit=10) == [2]


def test_exact_search_ignores_tone_mark_placement(archive: Archive) -> None:
    store(archive, record(1, title="Xã Hoà Bình giữ vững an ninh"))
    assert archive.index.search_ids("hòa", folded=False, limit=10) == [1]


def test_phrase_query_finds_adjacent_syllables(archive: Archive) -> None:
    store(archive, record(1, body="Ban Dân vận Thành ủy."))
    assert archive.index.search_ids('"dân vận"', folded=False, limit=10) == [1]


def test_phrase_query_ignores_syllables_far_apart(archive: Archive) -> None:
    body = "Nhân dân trong khu phố đã giúp đỡ lực lượng vận chuyển hàng."
    store(archive, record(1, title="Tin vắn", lead=None, body=body, tags=()))
    assert archive.index.search_ids('"dân vận"', folded=False, limit=10) == []


def test_search_covers_the_lead(archive: Archive) -> None:
    store(archive, record(1, lead="Tuần tra kiểm soát ban đêm."))
    assert archive.index.search_ids('"kiem soat"', folded=True, limit=10) == [1]


def test_search_follows_an_update(archive: Archive) -> None:
    store(archive, record(1, title="Bắt giữ nghi phạm trộm cắp"))
    store(archive, record(1, title="Khen thưởng chiến sĩ"), fetched_at=LATER)
    assert archive.index.search_ids("trộm", folded=False, limit=10) == []
    assert archive.index.search_ids("khen", folded=True, limit=10) == [1]


def test_search_forgets_a_deleted_article(archive: Archive) -> None:
    store(archive, record(1, title="Công an Thủ Đức"))
    archive.articles.delete_article(1)
    assert archive.index.search_ids("thu", folded=True, limit=10) == []


def test_quarantined_record_is_not_searchable(archive: Archive) -> None:
    store(archive, record(1, title="Công an Thủ Đức", body=None))
    assert archive.index.search_ids("thu", folded=True, limit=10) == []


def test_search_respects_the_limit(archive: Archive) -> None:
    for article_id in range(1, 6):
        store(archive, record(article_id))
    assert len(archive.index.search_ids("công", folded=False, limit=3)) == 3


def test_unparseable_query_is_an_input_error(archive: Archive) -> None:
    with pytest.raises(InputError, match="bad search query '\"dân vận'"):
        archive.index.search_ids('"dân vận', folded=False, limit=10)
