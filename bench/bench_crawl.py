"""Crawl costs against the site replica, and the pipeline's throughput and archive size.

    .venv/bin/python bench/bench_crawl.py

1. Requests per run with the real spider (``monitor crawl``) against the replica on 127.0.0.1:
   the first run, a run with nothing new, and runs with k new articles — compared with what a
   stateless crawler (no archive, no conditional requests) fetches every run: the first run's count.
2. Pipeline throughput with politeness off: articles archived per second by parse + store
   (monitor.ingest) in-process, against parse alone in the same run; and the end-to-end crawl.
3. Archive size per 1,000 articles against the raw HTML those articles came from. No
   maintenance runs, so the raw pages are plain zstd (a new archive's first days): the archive
   with its dictionary, against zlib, is ``bench_store.py``'s (these 1,000 pages are 59 pages
   over and over, which a dictionary would simply memorise).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from monitor.archive import Archive  # noqa: E402
from monitor.config import load_config  # noqa: E402
from monitor.ingest import FetchedPage, ingest_page  # noqa: E402
from monitor.parse import parse_article  # noqa: E402
from replica.server import ReplicaServer  # noqa: E402

from crawl_support import archived_ids, last_run, monitor, write_config  # noqa: E402
from golden_pages import GoldenPage, golden_pages  # noqa: E402

ENTRY_POINTS = 2 + 3 + 2  # default feeds, the three listings used here, default tags


def requests_per_run(tmp: Path) -> None:
    with ReplicaServer() as server:
        config = write_config(tmp, server.base_url, name="requests")
        first = _crawl(config, server)
        print(f"entry points: {ENTRY_POINTS} (+ robots.txt); stateless crawler: {first} per run")
        print(f"first run: {first} requests, {len(archived_ids(config))} articles")
        quiet = _crawl(config, server)
        print(f"nothing new: {quiet} requests ({first / quiet:.1f}x fewer than stateless)")
        for k in (1, 3):
            for _ in range(k):
                server.publish("danvan" if k == 1 else "ordinary" if _ == 0 else "lookalike")
            cost = _crawl(config, server)
            print(
                f"{k} new: {cost} requests (entry points + robots + {cost - quiet}; "
                f"{first / cost:.1f}x fewer than stateless)"
            )


def _crawl(config: Path, server: ReplicaServer) -> int:
    server.clear_requests()
    result = monitor(config, "crawl", "--create")
    assert result.returncode == 0, result.stderr
    return len(server.requests)


def end_to_end_rate(tmp: Path) -> None:
    with ReplicaServer() as server:
        config = write_config(tmp, server.base_url, name="rate")
        start = time.perf_counter()
        assert monitor(config, "crawl", "--create").returncode == 0
        seconds = time.perf_counter() - start
        articles = last_run(config)["new"]
        print(
            f"end-to-end crawl, politeness off: {articles} articles in {seconds:.2f} s "
            f"({articles / seconds:.0f} articles/s incl. process start and HTTP)"
        )


def pipeline_rate(tmp: Path, total: int = 1000) -> tuple[float, float]:
    profile = load_config(None).profile
    pages = [_renumbered(page.html, page.expected["url"], n) for n, page in _cycle(total)]
    start = time.perf_counter()
    for html, url in pages:
        parse_article(html, url, profile)
    parse_only = total / (time.perf_counter() - start)
    path = tmp / "size.db"
    with Archive.open(path) as archive:
        start = time.perf_counter()
        for html, url in pages:
            page = FetchedPage(
                url, html, "text/html; charset=utf-8", 200, "2025-06-23T12:00:00+07:00"
            )
            ingest_page(archive, profile, page)
        stored = total / (time.perf_counter() - start)
    print(
        f"pipeline over {total} pages: parse + store {stored:.0f} articles/s, "
        f"parse alone {parse_only:.0f} pages/s (store costs {parse_only / stored:.2f}x)"
    )
    _archive_size(path, sum(len(html) for html, _ in pages), total)
    return stored, parse_only


def _cycle(total: int) -> list[tuple[int, GoldenPage]]:
    goldens = [g for g in golden_pages() if not g.name.endswith("-generic")]
    return [(n, goldens[n % len(goldens)]) for n in range(total)]


def _renumbered(html: bytes, url: str, n: int) -> tuple[bytes, str]:
    stem, _ = url.rsplit("_", 1)
    return html, f"{stem}_{900000 + n}.html"


def _archive_size(path: Path, raw_bytes: int, total: int) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
    size = path.stat().st_size
    per_thousand = size / total * 1000 / 2**20
    print(
        f"archive size: {per_thousand:.1f} MiB per 1,000 articles (raw HTML fetched: "
        f"{raw_bytes / total * 1000 / 2**20:.1f} MiB; archive/raw = {size / raw_bytes:.2f})"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        requests_per_run(tmp)
        end_to_end_rate(tmp)
        pipeline_rate(tmp)


if __name__ == "__main__":
    if "--help" in sys.argv:
        print(__doc__)
        sys.exit(0)
    main()
