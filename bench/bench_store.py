"""Raw pages and archive size: zstd with a dictionary trained on the archive's own pages (issue
15), against zlib level 6 (how raw pages were stored before migration 11), in the same run.

    .venv/bin/python bench/bench_store.py [--pages 3000]

1. **Golden pages** (the 72 of tests/golden/pages): compressed bytes per page with zlib level 6,
   plain zstd level 3, zstd level 3 with a dictionary (how a crawl writes a page) and zstd level
   19 with it (how the weekly maintenance packs it: what the page takes from then on, the
   figure the ≤ 10 KB target is read on); the same at levels 3, 9, 15, 19 and 22 with time per
   page (best of 2); packed with dictionaries of 256 KiB, 512 KiB and 1 MiB; the largest pages
   once packed and their article text; compress and decompress time per page through
   ``raw_codec`` as the archive calls it (the dictionary loaded once, a compressor per page),
   best of 5. No page is compressed with a dictionary that has seen its text: the golden
   articles go into 4 folds, and each fold's pages get a dictionary trained (``raw_codec.train``,
   as maintenance does, on 450 pages) on replica pages written from the other folds' articles
   only (``replica.corpus``).
2. **An archive** of ``--pages`` distinct pages (``replica.corpus``: the real articles
   recombined, the site's template, 117 KB a page), stored as the crawler stores them (parse +
   store, ``monitor.ingest``): the first 1,000, then the weekly maintenance (``Archive.maintain``:
   a dictionary trained, those pages packed, FTS optimize, VACUUM), then the rest, written
   with the dictionary at level 3, and maintenance again (which packs them). Bytes per article
   of the whole file, and raw bytes per page, against a copy whose raw pages are rewritten as
   zlib level 6 and maintained the same way. Then where the bytes go, per table (SQLite's
   ``dbstat``), and per column of ``articles``. The replica's pages recombine the articles the
   dictionary is trained on, so its raw pages come out smaller than the golden pages'.
3. **The full-text indexes** (what remains largest): each FTS table's share, and what
   ``detail=column`` would save on each (a copy of the table built so; not a change: it drops
   the positions phrase queries need, and the per-column counts BM25 ranks by).
4. **Page sizes**: the archive VACUUMed into copies with other ``page_size`` values.
"""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]
import zstandard  # noqa: E402

from monitor.archive import Archive, raw_codec, raw_store  # noqa: E402
from monitor.archive.archive import MaintenanceReport  # noqa: E402
from monitor.archive.raw_codec import Dictionary  # noqa: E402
from monitor.config import load_config  # noqa: E402
from monitor.ingest import FetchedPage, ingest_page  # noqa: E402
from replica.corpus import CorpusPage, synthetic_pages  # noqa: E402
from replica.site import load_articles  # noqa: E402

from golden_pages import GoldenPage, golden_pages  # noqa: E402

FOLDS = 4
TRAINED_ON = raw_store.SAMPLE_PAGES - raw_store.SAMPLE_PAGES // raw_store.HELD_OUT_SHARE
FIRST_BATCH = 1000  # pages stored before the first maintenance
RUNS = 5
LEVELS = (3, 9, 15, 19, 22)
DICTIONARY_SIZES = (256 * 1024, 512 * 1024, 1024 * 1024)
LARGEST = 6
PAGE_SIZES = (2048, 4096, 8192)
PAGE_PRAGMAS = ("page_size", "auto_vacuum", "freelist_count")
FTS_TABLES = ("articles_fts_exact", "articles_fts_folded", "articles_fts")


def golden(results: dict[str, float]) -> None:
    """Part 1: the golden pages, each with a dictionary that never saw its text."""
    pages = [(int(page.name.split("-")[0]), page.html) for page in golden_pages()]
    article_ids = sorted({article_id for article_id, _ in pages})
    dictionaries = _fold_dictionaries(article_ids, raw_codec.train)
    plain = [html for _, html in pages]
    written = [(html, dictionaries[article_id]) for article_id, html in pages]
    packed = [
        (html, _at(dictionaries[article_id], raw_codec.PACK_LEVEL)) for article_id, html in pages
    ]
    sizes = {
        "zlib 6": _mean(len(zlib.compress(html, raw_codec.ZLIB_LEVEL)) for html in plain),
        "zstd 3": _mean(len(raw_codec.compress(html, None)) for html in plain),
        "zstd 3 + dictionary": _mean(len(raw_codec.compress(h, d)) for h, d in written),
        "zstd 19 + dictionary": _mean(len(raw_codec.compress(h, d)) for h, d in packed),
    }
    raw = _mean(len(html) for html in plain)
    size = len(next(iter(dictionaries.values())).loaded.as_bytes())
    print(
        f"golden pages: {len(pages)}, {raw / 1000:.1f} KB each on average; dictionaries of"
        f" {size / 1024:.0f} KiB (raw_codec.train on {TRAINED_ON} replica pages of other articles)"
    )
    for name, mean in sizes.items():
        print(f"  {name:<22} {mean / 1000:6.2f} KB a page ({raw / mean:4.1f}x smaller than raw)")
    print(
        "  a page is written (crawl) as zstd 3 + dictionary; the weekly maintenance packs it as"
        " zstd 19 + dictionary, what it takes from then on"
    )
    _levels(written)
    _dictionary_sizes(pages, article_ids)
    each = [len(raw_codec.compress(h, d)) for h, d in packed]
    ratio = sizes["zlib 6"] / sizes["zstd 19 + dictionary"]
    print(
        f"  packed (zstd 19 + dictionary) / zlib 6: {1 / ratio:.2f} ({ratio:.1f}x smaller);"
        f" {sum(size <= 10_000 for size in each)} of {len(each)} pages ≤ 10 KB once packed,"
        f" the largest {max(each) / 1000:.2f} KB"
    )
    _largest(golden_pages(), written, each)
    _speeds(plain, written, results)
    results.update(
        golden_kb=sizes["zstd 19 + dictionary"] / 1000,
        golden_max_kb=max(each) / 1000,
        golden_over=sum(size > 10_000 for size in each),
        golden_zlib_kb=sizes["zlib 6"] / 1000,
    )


def _at(dictionary: Dictionary, level: int) -> Dictionary:
    return raw_codec.load(dictionary.dictionary_id, dictionary.loaded.as_bytes(), level)


def _levels(written: list[tuple[bytes, Dictionary]]) -> None:
    """Bytes and time per page at each zstd level, with the same dictionaries."""
    print("  zstd level, with the dictionary: mean, largest, pages over 10 KB, time a page")
    for level in LEVELS:
        pages = [(html, _at(dictionary, level)) for html, dictionary in written]
        each = [len(raw_codec.compress(h, d)) for h, d in pages]
        seconds = _best(functools.partial(_compress_all, pages), 2)
        print(
            f"    level {level:2d} {_mean(each) / 1000:6.2f} KB,"
            f" largest {max(each) / 1000:5.2f} KB,"
            f" {sum(size > 10_000 for size in each):2d} over 10 KB,"
            f" {seconds / len(pages) * 1000:6.2f} ms a page"
        )


def _compress_all(pages: list[tuple[bytes, Dictionary]]) -> list[bytes]:
    return [raw_codec.compress(html, dictionary) for html, dictionary in pages]


def _train_size(size: int, sample: list[bytes]) -> bytes:
    return zstandard.train_dictionary(size, list[bytes | bytearray | memoryview](sample)).as_bytes()


def _dictionary_sizes(pages: list[tuple[int, bytes]], article_ids: list[int]) -> None:
    """Packed bytes per page with dictionaries of other sizes (the same folds and pages)."""
    print(f"  dictionary size, pages packed at level {raw_codec.PACK_LEVEL}: mean, largest")
    for size in DICTIONARY_SIZES:
        dictionaries = _fold_dictionaries(
            article_ids,
            functools.partial(_train_size, size),
        )
        each = [
            len(raw_codec.compress(html, _at(dictionaries[article_id], raw_codec.PACK_LEVEL)))
            for article_id, html in pages
        ]
        used = " (what raw_codec.train gives)" if size == raw_codec.MAX_DICTIONARY_SIZE else ""
        print(
            f"    {size // 1024:5d} KiB {_mean(each) / 1000:6.2f} KB, largest"
            f" {max(each) / 1000:5.2f} KB{used}"
        )


def _largest(
    golden: Sequence[GoldenPage], written: list[tuple[bytes, Dictionary]], packed: list[int]
) -> None:
    """The largest pages once packed, and why: their article text, which no dictionary holds."""
    bodies = [len(page.expected.get("body", "").encode()) for page in golden]
    median = statistics.median(bodies)
    print(f"  the largest pages (article text: the median page's body is {median / 1000:.1f} KB)")
    ranked = sorted(range(len(golden)), key=lambda index: -packed[index])[:LARGEST]
    for index in ranked:
        html, dictionary = written[index]
        print(
            f"    {golden[index].name:<44} body {bodies[index] / 1000:5.1f} KB;"
            f" written {len(raw_codec.compress(html, dictionary)) / 1000:5.2f} KB,"
            f" packed {packed[index] / 1000:5.2f} KB"
        )


def _fold_dictionaries(
    article_ids: list[int], train: Callable[[list[bytes]], bytes | None]
) -> dict[int, Dictionary]:
    """For each golden article: the dictionary of its fold, trained (``train``) on replica
    pages written from the other folds' articles."""
    sources = load_articles()
    chosen: dict[int, Dictionary] = {}
    for fold in range(FOLDS):
        held_out = set(article_ids[fold::FOLDS])
        others = [article for article in sources if article["article_id"] not in held_out]
        training = synthetic_pages(TRAINED_ON, seed=fold, sources=others)
        data = train([page.html for page in training])
        assert data is not None
        chosen.update(dict.fromkeys(held_out, raw_codec.load(fold + 1, data)))
    return chosen


def _speeds(
    plain: list[bytes], with_dictionary: list[tuple[bytes, Dictionary]], results: dict[str, float]
) -> None:
    """Compress and decompress time per page, zstd (plain, with a dictionary) against zlib 6."""
    zlib_blobs = [zlib.compress(html, raw_codec.ZLIB_LEVEL) for html in plain]
    zstd_blobs = [(raw_codec.compress(html, d), d) for html, d in with_dictionary]
    timings = {
        "compress zlib 6": _best(lambda: [zlib.compress(h, raw_codec.ZLIB_LEVEL) for h in plain]),
        "compress zstd 3": _best(lambda: [raw_codec.compress(h, None) for h in plain]),
        "compress zstd 3 + dictionary": _best(
            lambda: [raw_codec.compress(h, d) for h, d in with_dictionary]
        ),
        "decompress zlib": _best(
            lambda: [raw_codec.decompress(b, "zlib", None) for b in zlib_blobs]
        ),
        "decompress zstd + dictionary": _best(
            lambda: [raw_codec.decompress(b, "zstd", d) for b, d in zstd_blobs]
        ),
    }
    for name, seconds in timings.items():
        print(f"  {name:<30} {seconds / len(plain) * 1000:6.3f} ms a page")
    compress = timings["compress zlib 6"] / timings["compress zstd 3 + dictionary"]
    decompress = timings["decompress zlib"] / timings["decompress zstd + dictionary"]
    plain_ratio = timings["compress zlib 6"] / timings["compress zstd 3"]
    print(
        f"  zstd + dictionary against zlib 6: compress {compress:.1f}x faster,"
        f" decompress {decompress:.1f}x faster (plain zstd compresses {plain_ratio:.1f}x faster)"
    )
    results.update(compress_ratio=compress, decompress_ratio=decompress)


def archive(total: int, tmp: Path, results: dict[str, float]) -> Path:
    """Part 2: an archive of ``total`` distinct pages, against the same with zlib raw pages."""
    pages = synthetic_pages(total, seed=42)
    path = tmp / "store.db"
    with Archive.open(path) as opened:
        seconds = _ingest(opened, pages[:FIRST_BATCH])
        first, maintaining = _timed(opened.maintain)
        seconds += _ingest(opened, pages[FIRST_BATCH:])
        written = _raw_figures(path)[0]
        second, more = _timed(opened.maintain)
    packed, later = first.recompressed + second.recompressed, second.recompressed
    print(
        f"  maintenance: {packed.pages} pages packed in {maintaining + more:.0f} s (both runs,"
        f" with training, FTS optimize and VACUUM); pages written after the dictionary, at level"
        f" {raw_codec.ZSTD_LEVEL}: {later.before / later.pages / 1000:.2f} KB a page → packed"
        f" {later.after / later.pages / 1000:.2f} KB (all raw pages before that maintenance:"
        f" {written / 1000:.2f} KB a page)"
    )
    training = first.training
    print(
        f"archive of {total} pages ({_mean(len(p.html) for p in pages) / 1000:.0f} KB each),"
        f" parse + store {total / seconds:.0f} articles/s; dictionary trained on"
        f" {training.pages} pages after the first {FIRST_BATCH} (held-out pages"
        f" {training.before / training.tested / 1000:.1f} KB plain zstd →"
        f" {training.after / training.tested / 1000:.1f} KB with it)"
    )
    before = tmp / "zlib.db"
    shutil.copy(path, before)
    _as_zlib(before)
    ours, theirs = _raw_figures(path), _raw_figures(before)
    for name, (raw_per_page, file_size, rows) in (("zlib 6", theirs), ("zstd + dictionary", ours)):
        print(
            f"  {name:<18} raw pages {raw_per_page / 1000:5.2f} KB a page;"
            f" archive {file_size / rows / 1024:5.1f} KiB an article"
            f" ({file_size / rows * 1000 / 2**20:.1f} MiB per 1,000)"
        )
    _by_dictionary(path, FIRST_BATCH)
    print(
        f"  raw pages {theirs[0] / ours[0]:.2f}x smaller, archive"
        f" {theirs[1] / ours[1]:.2f}x smaller"
    )
    results.update(
        archive_kib=ours[1] / ours[2] / 1024, zlib_archive_kib=theirs[1] / theirs[2] / 1024
    )
    _breakdown("zlib 6", before, theirs[2])
    _breakdown("zstd + dictionary", path, ours[2])
    _columns(path, ours[2])
    return path


def _timed(work: Callable[[], MaintenanceReport]) -> tuple[MaintenanceReport, float]:
    start = time.perf_counter()
    report = work()
    return report, time.perf_counter() - start


def _ingest(opened: Archive, pages: Sequence[CorpusPage]) -> float:
    profile = load_config(None).profile
    start = time.perf_counter()
    for page in pages:
        fetched = FetchedPage(page.url, page.html, "text/html; charset=utf-8", 200,
                              "2025-06-23T12:00:00+07:00")  # fmt: skip
        ingest_page(opened, profile, fetched)
    return time.perf_counter() - start


def _as_zlib(path: Path) -> None:
    """Rewrite every raw page of the copy at ``path`` as zlib level 6 wrote it before migration
    11, drop the dictionaries, then optimize its FTS indexes and VACUUM as maintenance does (not
    ``Archive.maintain``, which would train a dictionary again)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        rows = db.execute("SELECT dictionary_id, data FROM raw_dictionaries").fetchall()
        dictionaries = {number: raw_codec.load(number, data) for number, data in rows}
        db.execute("BEGIN")
        for article_id, blob, dictionary_id in db.execute(
            "SELECT article_id, html, dictionary_id FROM raw_pages"
        ).fetchall():
            html = raw_codec.decompress(blob, "zstd", dictionaries.get(dictionary_id))
            db.execute(
                "UPDATE raw_pages SET html = ?, codec = 'zlib', dictionary_id = NULL, level = NULL"
                " WHERE article_id = ?",
                (zlib.compress(html, raw_codec.ZLIB_LEVEL), article_id),
            )
        db.execute("DELETE FROM raw_dictionaries")
        db.execute("COMMIT")
        for table in FTS_TABLES:
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        db.execute("VACUUM")


def _raw_figures(path: Path) -> tuple[float, int, int]:
    """Raw bytes per page, the file's size, and the number of articles."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, stored = db.execute("SELECT count(*), sum(length(html)) FROM raw_pages").fetchone()
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    return stored / pages, path.stat().st_size, articles


def _by_dictionary(path: Path, first_batch: int) -> None:
    """Raw bytes per page, all packed: the first batch (the dictionary was trained on 450 of
    them) and those written afterwards (which it never saw)."""
    with closing(sqlite3.connect(path)) as db:
        boundary = db.execute(
            "SELECT article_id FROM raw_pages ORDER BY article_id LIMIT 1 OFFSET ?",
            (first_batch - 1,),
        ).fetchone()[0]
        for name, condition in (("first batch", "<="), ("written after", ">")):
            count, stored = db.execute(
                f"SELECT count(*), sum(length(html)) FROM raw_pages WHERE article_id {condition} ?",
                (boundary,),
            ).fetchone()
            if count:
                print(f"    {name:<14} {count:5d} pages, {stored / count / 1000:5.2f} KB a page")


def _breakdown(name: str, path: Path, articles: int) -> None:
    """KiB per article of each table and index, largest first (FTS shadow tables summed)."""
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    grouped: dict[str, int] = {}
    for table, size in rows:
        grouped[_owner(table)] = grouped.get(_owner(table), 0) + size
    total = sum(grouped.values())
    shown = [
        f"{table} {size / articles / 1024:.1f} ({size / total:.0%})"
        for table, size in sorted(grouped.items(), key=lambda item: -item[1])
        if size / total >= 0.005
    ]
    print(f"  {name}, KiB an article by table: " + ", ".join(shown))


def _columns(path: Path, articles: int) -> None:
    """Bytes per article of the largest columns of ``articles``, and the pages' unused bytes."""
    with closing(sqlite3.connect(path)) as db:
        names = [row[1] for row in db.execute("PRAGMA table_info(articles)")]
        sizes = {
            name: db.execute(f"SELECT avg(length(CAST({name} AS BLOB))) FROM articles").fetchone()[
                0
            ]
            or 0
            for name in names
        }
        unused = db.execute("SELECT sum(unused) FROM dbstat WHERE name = 'articles'").fetchone()[0]
    shown = [f"{name} {size:.0f}" for name, size in sorted(sizes.items(), key=lambda i: -i[1])]
    print(
        "  articles, bytes an article by column: " + ", ".join(shown[:8])
        + f"; unused in its pages {unused / articles:.0f}"
    )  # fmt: skip


def page_sizes(path: Path) -> None:
    """Part 4: the whole file VACUUMed with other page sizes (copies; the archive is 4096)."""
    with closing(sqlite3.connect(path)) as db:
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        settings = [db.execute(f"PRAGMA {name}").fetchone()[0] for name in PAGE_PRAGMAS]
    print(
        "  "
        + ", ".join(f"{name} {value}" for name, value in zip(PAGE_PRAGMAS, settings, strict=True))
    )
    for size in PAGE_SIZES:
        copy = path.with_name(f"page_size_{size}.db")
        shutil.copy(path, copy)
        with closing(sqlite3.connect(copy, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = DELETE")  # page_size cannot change in WAL mode
            db.execute(f"PRAGMA page_size = {size:d}")
            db.execute("VACUUM")
        print(f"  page_size {size:5d}: {copy.stat().st_size / articles / 1024:5.1f} KiB an article")
        copy.unlink()


def _owner(table: str) -> str:
    """The FTS table a shadow table belongs to; indexes on articles as "articles indexes"."""
    for fts in FTS_TABLES:
        if table.startswith(f"{fts}_"):
            return fts
    return "articles indexes" if table.startswith("articles_") else table


def full_text(path: Path) -> None:
    """Part 3: what ``detail=column`` would save on each FTS table (measured on copies)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        for table in FTS_TABLES:
            now = _table_bytes(db, table)
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            options = _options(db, table)
            db.execute(
                f"CREATE VIRTUAL TABLE probe USING fts5({', '.join(columns)}, {options},"
                " detail = 'column')"
            )
            _fill_probe(db, table, columns)
            db.execute("INSERT INTO probe (probe) VALUES ('optimize')")
            probe = _table_bytes(db, "probe")
            db.execute("DROP TABLE probe")
            print(
                f"  {table:<20} {now / articles / 1024:5.1f} KiB an article;"
                f" with detail=column {probe / articles / 1024:5.1f} ({1 - probe / now:.0%} less)"
            )


def _options(db: sqlite3.Connection, table: str) -> str:
    """``table``'s tokenizer, for a contentless probe (the index alone, as in ``table``)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    tokenize = re.search(r"tokenize\s*=\s*('[^']*'|\"[^\"]*\")", sql, re.IGNORECASE)
    assert tokenize is not None, sql
    return f"content = '', tokenize = {tokenize[1]}"


def _fill_probe(db: sqlite3.Connection, table: str, columns: list[str]) -> None:
    """The probe gets the same tokens ``table`` indexes: recomputed as ``fts`` does for the two
    contentless tables, the article text for the standard one."""
    from monitor.archive import fts

    names = ", ".join(columns)
    places = ", ".join("?" * (len(columns) + 1))
    forms = dict(fts.FORMS)
    db.execute("BEGIN")
    for article_id, title, lead, body in db.execute(
        "SELECT article_id, title, lead, body FROM articles"
    ).fetchall():
        values = (
            fts.table_values(forms[table], title, lead, body)
            if table in forms
            else (title, lead, body)
        )
        db.execute(f"INSERT INTO probe (rowid, {names}) VALUES ({places})", (article_id, *values))
    db.execute("COMMIT")


def _table_bytes(db: sqlite3.Connection, table: str) -> int:
    """The bytes of an FTS table's shadow tables."""
    names = [f"{table}_{shadow}" for shadow in ("data", "idx", "docsize", "config", "content")]
    places = ", ".join("?" * len(names))
    row = db.execute(f"SELECT sum(pgsize) FROM dbstat WHERE name IN ({places})", names).fetchone()
    return int(row[0] or 0)


def _mean(values: Iterable[float]) -> float:
    return statistics.fmean(values)


def _best(work: Callable[[], object], runs: int = RUNS) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3000, help="pages in the archive of part 2")
    args = parser.parse_args()
    results: dict[str, float] = {}
    golden(results)
    with tempfile.TemporaryDirectory() as folder:
        path = archive(args.pages, Path(folder), results)
        full_text(path)
        page_sizes(path)
    print(
        f"targets: raw pages ≤ 10 KB each on the golden pages, once packed by maintenance:"
        f" mean {results['golden_kb']:.2f} KB, largest {results['golden_max_kb']:.2f} KB,"
        f" {results['golden_over']:.0f} over 10 KB; archive ≤ 32 KiB an article:"
        f" {results['archive_kib']:.1f} KiB (zlib 6: {results['zlib_archive_kib']:.1f})"
    )


if __name__ == "__main__":
    main()
