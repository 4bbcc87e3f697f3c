"""Rebuild records from the archive's raw pages after a site-profile fix, without the network.

Every raw page is parsed again and stored through the same path as a fetched one: a record
that became complete leaves quarantine, changed content keeps its history. The hint the
article's entry point gave when it was first found goes to the parser again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from monitor.archive import Archive
from monitor.config.schema import SiteProfile
from monitor.ingest import FetchedPage, ingest_page


def reparse_archive(
    archive: Archive,
    profile: SiteProfile,
    *,
    on_page: Callable[[int], None] = lambda done: None,
) -> Counter[str]:
    """Reparse every kept raw page; returns the count of each outcome."""
    run_id = archive.runs.start_run("reparse")
    outcomes: Counter[str] = Counter()
    try:
        for done, raw in enumerate(archive.articles.raw_pages(), start=1):
            hint = archive.articles.discovery_hint(raw.article_id)
            page = FetchedPage(
                raw.url, raw.html, raw.content_type, raw.http_status, raw.fetched_at, hint
            )
            outcome = ingest_page(archive, profile, page, run_id=run_id)
            outcomes[outcome or "skipped"] += 1
            on_page(done)
    except BaseException:
        archive.runs.finish_run(run_id, "interrupted", "reparse stopped before the end")
        raise
    archive.runs.finish_run(run_id, "ok")
    return outcomes
