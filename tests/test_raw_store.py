"""The raw pages' upkeep (``raw_store``, ``archive.raw``, ``Archive.maintain``): a dictionary
trained once 100 pages exist, old pages recompressed with it byte-identical, every page packed
at level 19 once, a new dictionary only when it pays, dictionaries kept while pages use them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from test_archive_support import raw_rows, record, store, store_pages, zlib_archive

from monitor.archive import Archive, raw_codec
from monitor.archive.raw_store import Proposal, Recompressed
from replica.corpus import synthetic_pages

SITE = synthetic_pages(200, seed=5)
OTHER = synthetic_pages(100, seed=6, layout="other", first_id=SITE[-1].article_id + 3)


def read_back(archive: Archive) -> dict[int, bytes]:
    return {page.article_id: page.html for page in archive.articles.raw_pages()}


def levels(path: Path) -> dict[int | None, int]:
    """Pages per zstd level, read straight from the file."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT level, count(*) FROM raw_pages GROUP BY level")
        return dict(rows.fetchall())


def codecs(path: Path) -> set[tuple[str, int | None]]:
    return {(codec, dictionary_id) for _, codec, dictionary_id in raw_rows(path)}


def test_no_dictionary_under_100_pages(path: Path, archive: Archive) -> None:
    store_pages(archive, SITE[:99])
    assert archive.raw.train_dictionary().outcome == "not due"
    assert archive.raw.recompress() == Recompressed()
    assert codecs(path) == {("zstd", None)}


def test_a_dictionary_is_trained_once_there_are_100_pages(archive: Archive) -> None:
    store_pages(archive, SITE[:100])
    training = archive.raw.train_dictionary()
    assert (training.outcome, training.dictionary_id) == ("trained", 1)
    assert (training.pages, training.tested) == (90, 10)  # the newest tenth held out
    assert training.after < training.before * 0.9


def test_pages_without_a_dictionary_are_recompressed_with_it(path: Path, archive: Archive) -> None:
    store_pages(archive, SITE[:100])
    archive.raw.train_dictionary()
    done = archive.raw.recompress()
    assert done.pages == 100 and done.after < done.before * 0.7
    assert codecs(path) == {("zstd", 1)}
    assert read_back(archive) == {page.article_id: page.html for page in SITE[:100]}


def test_pages_written_with_the_dictionary_are_packed_with_it(path: Path, archive: Archive) -> None:
    store_pages(archive, SITE[:100])
    archive.maintain()
    store_pages(archive, SITE[100:130])  # written at level 3 with dictionary 1
    assert levels(path) == {raw_codec.PACK_LEVEL: 100, raw_codec.ZSTD_LEVEL: 30}
    done = archive.raw.recompress()
    assert done.pages == 30 and done.after < done.before * 0.8
    assert levels(path) == {raw_codec.PACK_LEVEL: 130}
    assert codecs(path) == {("zstd", 1)}
    assert read_back(archive) == {page.article_id: page.html for page in SITE[:130]}


def test_packed_pages_are_not_packed_again(archive: Archive) -> None:
    store_pages(archive, SITE[:100])
    assert archive.maintain().recompressed.pages == 100
    assert archive.maintain().recompressed == Recompressed()


def test_an_old_archive_s_zlib_pages_are_recompressed_byte_identical(path: Path) -> None:
    zlib_archive(path, SITE[:120])
    with Archive.open(path) as archive:
        report = archive.maintain()
        assert report.training.outcome == "trained"
        assert report.recompressed.pages == 120
        assert read_back(archive) == {page.article_id: page.html for page in SITE[:120]}
    assert codecs(path) == {("zstd", 1)}
    assert report.after < report.before * 0.6


def test_recompression_goes_batch_by_batch_and_carries_on(path: Path) -> None:
    zlib_archive(path, SITE[:120])
    asked = iter([False, False, True])  # two batches of 50, then asked to stop
    with Archive.open(path) as archive:
        archive.raw.train_dictionary()
        assert archive.raw.recompress(batch=50, stop=lambda: next(asked)).pages == 100
        assert sorted(codecs(path)) == [("zlib", None), ("zstd", 1)]
        assert archive.raw.recompress(batch=50).pages == 20
    assert codecs(path) == {("zstd", 1)}


def test_maintenance_asked_to_stop_leaves_the_rest_for_the_next_run(path: Path) -> None:
    zlib_archive(path, SITE[:120])
    with Archive.open(path) as archive:
        report = archive.maintain(stop=lambda: True)
        assert (report.training.outcome, report.recompressed.pages) == ("stopped", 0)
        assert not report.finished
        assert archive.maintain().recompressed.pages == 120


def test_no_new_dictionary_until_100_pages_came_in_since(archive: Archive) -> None:
    store_pages(archive, SITE[:100])
    archive.raw.train_dictionary()  # on the 90 oldest: 10 pages it has not seen
    store_pages(archive, SITE[100:189])
    assert archive.raw.train_dictionary().outcome == "not due"
    store_pages(archive, SITE[189:190])
    assert archive.raw.train_dictionary().outcome != "not due"


def test_a_dictionary_must_save_a_tenth_to_be_kept() -> None:
    proposal = Proposal(b"d", pages=90, newest_article_id=9, replaces=1, tested=10,
                        before=1000, after=901)  # fmt: skip
    assert not proposal.pays
    assert Proposal(**{**vars(proposal), "after": 900}).pays


def test_a_new_template_gets_a_new_dictionary_and_old_pages_keep_theirs(
    path: Path, archive: Archive
) -> None:
    store_pages(archive, SITE[:100])
    archive.maintain()
    store_pages(archive, OTHER)  # written with dictionary 1, which knows the other template not
    training = archive.maintain().training
    assert (training.outcome, training.dictionary_id) == ("trained", 2)
    assert codecs(path) == {("zstd", 1)}
    store(archive, record(SITE[150].article_id), html=SITE[150].html)
    assert (SITE[150].article_id, "zstd", 2) in raw_rows(path)
    expected = {page.article_id: page.html for page in [*SITE[:100], SITE[150], *OTHER]}
    assert read_back(archive) == expected


def test_a_dictionary_no_page_uses_is_dropped_but_never_the_current_one(
    archive: Archive,
) -> None:
    store_pages(archive, SITE[:100])
    archive.maintain()
    store_pages(archive, OTHER)
    archive.maintain()
    assert archive.raw.dictionary_pages() == {1: 200}
    store_pages(archive, [*SITE[:100], *OTHER])  # every page fetched again: dictionary 2
    assert archive.raw.dictionary_pages() == {2: 200}
    assert archive.maintain().dropped == (1,)
    for page in [*SITE[:100], *OTHER]:
        archive.articles.delete_article(page.article_id)
    assert archive.maintain().dropped == ()
