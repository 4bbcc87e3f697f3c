"""Rebuild records from the archive's raw pages after a site-profile fix, without the network.

Every raw page is parsed again and stored through the same path as a fetched one: a record
that became complete leaves quarantine, changed content keeps its history. The hint the
article's entry point gave when it was first found goes to the parser again.

The job, over years of pages::

    raw pages, id order ─► chunks, with each article's archived content hash
      ─► N worker processes parse, hash, and compute the full-text rows of changed records
      ─► results back in order ─► the main process stores a batch (default 200 pages) and the
         job's checkpoint in one transaction ─► progress ─► … ─► checkpoint cleared, run finished

One writer keeps the archive's transactions simple and the output identical whatever the
number of workers (``jobs``): pages are stored in id order either way. A kill loses at most
the batch being parsed; ``resume`` continues after the last stored one (``monitor.checkpoint``).
The raw page itself is not written again: it is the archive's own, unchanged.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import replace
from itertools import islice
from multiprocessing import get_context

from monitor import checkpoint
from monitor.archive import Archive, Prepared, RawPage, prepare
from monitor.checkpoint import Checkpoint, Note
from monitor.config.schema import SiteProfile
from monitor.ingest import FetchedPage, parse_page

JOB = "reparse"
BATCH = 200  # pages stored per transaction: a kill loses at most this many pages' work
CHUNK = 25  # pages a worker parses per task
PARENT_CHECK = 0.5  # seconds between a worker's checks that the main process lives
Progress = Callable[[int, int], None]  # (pages done, pages in the job)
Parsed = list[tuple[RawPage, Prepared | None]]  # pages with their records, id order
Work = tuple[list[FetchedPage], dict[int, str]]  # pages to parse, archived content hashes


def default_jobs() -> int:
    """The cores this process may run on: the worker processes ``reparse`` starts."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def reparse_archive(
    archive: Archive,
    profile: SiteProfile,
    *,
    jobs: int = 1,
    batch: int = BATCH,
    resume: bool = False,
    on_progress: Progress = lambda done, total: None,
    note: Note = lambda text: None,
) -> Counter[str]:
    """Reparse every kept raw page (with ``resume``, those after the checkpoint) in ``jobs``
    processes; returns the count of each outcome over the whole job, resumed parts included."""
    fresh = Checkpoint(JOB, "all", checkpoint.fingerprint(profile))
    _close_left_run(archive)
    begin = checkpoint.start(archive, fresh, resume=resume, changed="the site profile", note=note)
    run_id = archive.runs.start_run("reparse")
    total = begin.done + archive.articles.count_raw_pages(begin.after)
    point = replace(begin, total=total, run_id=run_id)
    batches = _batches(_parsed(archive, profile, point.after, jobs, batch), batch)
    try:
        on_progress(point.done, point.total)
        with closing(batches):  # an interruption stops the workers at once
            for parsed in batches:
                point = _store(archive, parsed, point)
                on_progress(point.done, point.total)
    except BaseException:
        archive.runs.finish_run(run_id, "interrupted", "reparse stopped before the end")
        raise
    checkpoint.clear(archive, JOB)
    archive.runs.finish_run(run_id, "ok")
    return Counter(point.tallies)


def _close_left_run(archive: Archive) -> None:
    """The run of a reparse that was killed is still 'running': say it was interrupted."""
    left = checkpoint.load(archive, JOB)
    run = archive.runs.get_run(left.run_id) if left and left.run_id else None
    if run is not None and run.outcome == "running":
        archive.runs.finish_run(run.run_id, "interrupted", "the process ended before the end")


def _store(archive: Archive, parsed: Parsed, point: Checkpoint) -> Checkpoint:
    """Store a batch of records and the checkpoint after it, in one transaction."""
    assert point.run_id is not None
    outcomes: Counter[str] = Counter()
    with archive.batch(f"store {len(parsed)} reparsed pages"):
        for page, prepared in parsed:
            if prepared is None:  # the URL is not an article's for this profile
                outcomes["skipped"] += 1
                continue
            outcomes[archive.articles.store_reparsed(prepared, page, run_id=point.run_id)] += 1
        point = point.advanced(parsed[-1][0].article_id, len(parsed), outcomes)
        checkpoint.save(archive, point)
    return point


def _batches(chunks: Iterator[Parsed], size: int) -> Generator[Parsed]:
    """The parsed chunks regrouped into batches of at least ``size`` pages (the last less)."""
    pending: Parsed = []
    for chunk in chunks:
        pending += chunk
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def _parsed(
    archive: Archive, profile: SiteProfile, after: int, jobs: int, batch: int
) -> Iterator[Parsed]:
    """The raw pages above ``after`` with their records, chunk by chunk in id order, parsed
    here (``jobs`` 1) or by ``jobs`` worker processes."""
    size = min(CHUNK, batch)
    chunks = _chunks(archive, after, size)
    if jobs <= 1:
        for pages in chunks:
            yield list(zip(pages, parse_pages(profile, _work(archive, pages)), strict=True))
        return
    ahead = 2 * jobs + -(-batch // size)  # the workers keep parsing while a batch is stored
    yield from _parsed_by_workers(archive, profile, chunks, jobs, ahead)


def _parsed_by_workers(
    archive: Archive,
    profile: SiteProfile,
    chunks: Iterator[list[RawPage]],
    jobs: int,
    ahead: int,
) -> Iterator[Parsed]:
    """``_parsed`` by a pool of ``jobs`` processes, at most ``ahead`` chunks in flight."""
    pool = ProcessPoolExecutor(
        jobs, get_context("spawn"), initializer=_worker_setup, initargs=(os.getpid(),)
    )
    window: deque[tuple[list[RawPage], Future[list[Prepared | None]]]] = deque()
    try:
        for pages in chunks:
            window.append((pages, pool.submit(parse_pages, profile, _work(archive, pages))))
            if len(window) >= ahead:
                yield _collected(*window.popleft())
        while window:
            yield _collected(*window.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collected(pages: list[RawPage], future: Future[list[Prepared | None]]) -> Parsed:
    return list(zip(pages, future.result(), strict=True))


def _worker_setup(main: int) -> None:
    """A worker leaves Ctrl-C to the main process, which stops the pool cleanly, and ends
    when the main process ``main`` is gone (killed: a worker waiting for work would wait
    forever) — also when it went while the worker was starting."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(main,), daemon=True).start()


def _end_with(parent: int) -> None:
    """End this process once ``parent`` is no longer its parent (it died)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _chunks(archive: Archive, after: int, size: int) -> Iterator[list[RawPage]]:
    pages = archive.articles.raw_pages(after)
    while chunk := list(islice(pages, size)):
        yield chunk


def _work(archive: Archive, pages: list[RawPage]) -> Work:
    """The raw pages as the parser takes them, each with its discovery hint, and the content
    hashes of those archived (a record that comes out the same needs no full-text rows)."""
    ids = [page.article_id for page in pages]
    hints = archive.articles.discovery_hints(ids)
    fetched = [
        FetchedPage(
            page.url,
            page.html,
            page.content_type,
            page.http_status,
            page.fetched_at,
            hints.get(page.article_id),
        )
        for page in pages
    ]
    return fetched, archive.articles.content_hashes(ids)


def parse_pages(profile: SiteProfile, work: Work) -> list[Prepared | None]:
    """Each page's record, prepared for storing (None: not an article URL); what a worker
    process runs."""
    pages, archived = work
    records = [parse_page(profile, page) for page in pages]
    return [
        None if record is None else prepare(record, archived.get(record.article_id))
        for record in records
    ]
