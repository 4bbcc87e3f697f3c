"""Reparse throughput: pages/s at 1 job and at N jobs, and where a page's time goes.

    .venv/bin/python bench/bench_reparse.py [--pages 3000] [--jobs 1,2] [--repeat 3]

The archive (``tests/bulk_support.build_archive``): the golden pages (the ``-generic`` ones
excepted) renumbered to ``--pages`` distinct ids, stored with a site profile that ends every
body at its first paragraph, so that every page is in quarantine — as after a redesign broke the
profile. Each measurement runs ``--repeat`` times, each on a fresh copy, and keeps the best (the
machine is shared); all of them in this one process, in this order:

1. **before**: the reparse loop as it was before issue 15 — ``ingest_page`` per raw page: one
   transaction (one fsync) per page, the raw page recompressed and rewritten, the full-text rows
   computed by the writer — over the first ``--before-pages`` pages (it is slow), against
   ``parse_page`` alone over the same pages: storing = the loop's time − parsing's.
2. **parse alone**: ``monitor.ingest.parse_page`` over every raw page, in this process.
   **one loop**: the reparse's work done by hand on a copy, batch by batch — parse the batch's
   pages, prepare their records (content hash, full-text rows), write them in one transaction
   — each part in CPU time, so that parsing and storing take turns under the same load; the
   records it stores must be those ``reparse`` stores (the script stops otherwise).
3. **rescue**: ``reparse_archive`` with the shipped profile at each ``--jobs`` value: every page
   leaves quarantine as a new article (articles, tags, images, three FTS indexes). pages/s, the
   ratio to 1 job and the rate per job; at 1 job, storing = the reparse's time − parsing's.
4. **unchanged**: the same on the archive step 3 left: every record comes out the same.

The archive of every job count must be identical to the 1-job one (articles, quarantine, tags,
images, versions); the script stops with an error otherwise. The default ``--jobs`` is 1 and the
cores this process may use; ``--jobs 1,2,4`` measures 4 as well (on 2 cores, 4 workers only
share them).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))  # runs without an installed package

from monitor.archive import Archive, RawPage, prepare  # noqa: E402
from monitor.config import SiteProfile, load_config  # noqa: E402
from monitor.ingest import FetchedPage, ingest_page, parse_page  # noqa: E402
from monitor.reparse import default_jobs, reparse_archive  # noqa: E402

from bulk_support import RECORD_TABLES, broken, build_archive, contents, copy_archive  # noqa: E402


@dataclass(frozen=True, order=True)
class Timing:
    """One run: seconds on the clock, CPU seconds of this process and of its finished children
    (a reparse's workers), which a machine shared with other work does not inflate."""

    wall: float
    cpu: float
    children: float


def best(repeat: int, setup: Callable[[], Path], action: Callable[[Path], object]) -> Timing:
    """The shortest of ``repeat`` runs of ``action``, each on a fresh ``setup()``."""
    timings = []
    for _ in range(repeat):
        path = setup()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, wall = time.process_time(), time.perf_counter()
        action(path)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        timings.append(Timing(wall, cpu, children))
    return min(timings)


def raw_pages(path: Path, limit: int | None = None) -> list[FetchedPage]:
    with Archive.open(path) as archive:
        pages = list(archive.articles.raw_pages())[:limit]
    return [_fetched(page) for page in pages]


def parse_all(profile: SiteProfile, pages: list[FetchedPage]) -> None:
    """What parsing alone costs: ``parse_page`` over every page, in this process."""
    for page in pages:
        parse_page(profile, page)


def split(label: str, pages: int, seconds: float, parse: float) -> str:
    store = seconds - parse
    return (
        f"{label}: {pages / seconds:.0f} pages/s; parse {parse:.2f} s, store {store:.2f} s"
        f" (storing costs {store / parse:.2f}x parsing)"
    )


@dataclass
class Phases:
    """CPU seconds of each part of storing reparsed pages, measured in one loop."""

    parse: float = 0.0  # parse_page
    prepare: float = 0.0  # content hash and full-text rows (articles.prepare)
    write: float = 0.0  # the batch's transaction: articles, tags, images, indexes


def one_loop(path: Path, profile: SiteProfile, batch: int = 200) -> tuple[int, Phases]:
    """The reparse's work done by hand, batch by batch, each part timed in CPU time: parsing,
    preparing and writing take turns, so that all three see the same load on a shared host.
    Returns the pages stored and the time of each part."""
    phases = Phases()
    with Archive.open(path) as archive:
        run_id = archive.runs.start_run("reparse")
        pages = list(archive.articles.raw_pages())
        for first in range(0, len(pages), batch):
            chunk = pages[first : first + batch]
            ids = [page.article_id for page in chunk]
            hashes = archive.articles.content_hashes(ids)
            fetched = [_fetched(page) for page in chunk]
            start = time.process_time()
            records = [parse_page(profile, page) for page in fetched]
            parsed = time.process_time()
            prepared = [
                (page, prepare(record, hashes.get(record.article_id)))
                for page, record in zip(chunk, records, strict=True)
                if record is not None
            ]
            ready = time.process_time()
            with archive.batch("bench"):
                for page, record in prepared:
                    archive.articles.store_reparsed(record, page, run_id=run_id)
            phases.parse += parsed - start
            phases.prepare += ready - parsed
            phases.write += time.process_time() - ready
    return len(pages), phases


def _fetched(page: RawPage) -> FetchedPage:
    return FetchedPage(page.url, page.html, page.content_type, page.http_status, page.fetched_at)


def phases_line(pages: int, phases: Phases) -> str:
    per_page = {name: seconds / pages * 1000 for name, seconds in vars(phases).items()}
    storing = per_page["prepare"] + per_page["write"]
    return (
        f"one loop, parts taking turns, CPU per page: parse {per_page['parse']:.2f} ms;"
        f" storing {storing:.2f} ms (content hash and full-text rows {per_page['prepare']:.2f},"
        f" writes {per_page['write']:.2f}): storing costs {storing / per_page['parse']:.2f}x"
        " parsing"
    )


class Bench:
    """The measurements on one source archive, in a scratch folder."""

    def __init__(self, folder: Path, profile: SiteProfile, repeat: int) -> None:
        self.folder = folder
        self.profile = profile
        self.repeat = repeat
        self.copies = 0

    def copy(self, source: Path) -> Callable[[], Path]:
        def fresh() -> Path:
            self.copies += 1
            return copy_archive(source, self.folder / f"copy-{self.copies}.db")

        return fresh

    def parse(self, pages: list[FetchedPage]) -> float:
        run = best(self.repeat, lambda: self.folder, lambda _: parse_all(self.profile, pages))
        return run.wall

    def before(self, source: Path, count: int) -> None:
        """The old loop (ingest_page per page) against parsing alone, over the first pages."""
        pages = raw_pages(source, count)

        def old_loop(path: Path) -> None:
            with Archive.open(path) as archive:
                for page in pages:
                    ingest_page(archive, self.profile, page)

        seconds = best(self.repeat, self.copy(source), old_loop).wall
        label = f"before (a transaction per page, raw page rewritten), {count} pages"
        print(split(label, count, seconds, self.parse(pages)))

    def scenario(self, name: str, source: Path, jobs: list[int], parse: float) -> Path:
        """Reparse copies of ``source`` at each job count; returns a 1-job result."""
        total = len(raw_pages(source))
        timings: dict[int, Timing] = {}
        reference = None
        for count in jobs:
            done = self.folder / f"{name}-{count}.db"

            def reparse(path: Path, count: int = count, done: Path = done) -> None:
                with Archive.open(path) as archive:
                    reparse_archive(archive, self.profile, jobs=count)
                path.replace(done)

            timings[count] = best(self.repeat, self.copy(source), reparse)
            found = contents(done, RECORD_TABLES)
            if reference is None:
                reference, first = found, done
                print(split(f"{name}, {count} job", total, timings[count].wall, parse))
            elif found != reference:
                raise SystemExit(f"{name}: the archive of {count} jobs differs from 1 job's")
        for count, run in timings.items():
            rate = total / run.wall
            print(
                f"  {count} jobs: {rate:.0f} pages/s ({rate * timings[1].wall / total:.2f}x 1 job,"
                f" {rate / count:.0f}/s per job); CPU per page: main process (reads, stores)"
                f" {run.cpu / total * 1000:.1f} ms, workers {run.children / total * 1000:.1f} ms"
            )
        print(f"  archives of {', '.join(map(str, timings))} jobs identical")
        return first


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--jobs", default=f"1,{default_jobs()}")
    parser.add_argument("--before-pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jobs = sorted({1, *(int(count) for count in args.jobs.split(","))})
    profile = load_config(None).profile
    with tempfile.TemporaryDirectory() as name:
        bench = Bench(Path(name), profile, args.repeat)
        source = Path(name) / "source.db"
        built = best(
            1, lambda: source, lambda path: build_archive(path, broken(profile), args.pages)
        )
        print(f"{args.pages} raw pages, all quarantined, built in {built.wall:.1f} s")
        bench.before(source, min(args.before_pages, args.pages))
        parse = bench.parse(raw_pages(source))
        print(f"parse alone: {args.pages / parse:.0f} pages/s (1 process)")
        by_hand = bench.copy(source)()
        pages, phases = one_loop(by_hand, profile)
        print(phases_line(pages, phases))
        rescued = bench.scenario("rescue (every page new)", source, jobs, parse)
        if contents(by_hand, RECORD_TABLES) != contents(rescued, RECORD_TABLES):
            raise SystemExit("the loop by hand stored other records than reparse did")
        bench.scenario("unchanged", rescued, jobs, parse)


if __name__ == "__main__":
    main()
