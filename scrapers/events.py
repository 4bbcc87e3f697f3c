"""What the spider tells the archive pipeline, the one component that writes to the archive.

The spider decides what to fetch and reports; ``scrapers.pipelines.ArchivePipeline`` writes:

- ``ArticlePage`` (an item): a fetched article page, to be parsed and stored with its
  validators; Scrapy's ``item_scraped`` then tells the spider the article is done.
- ``article_missing`` (a signal, ``article_id``, ``runs``): the article answered 404 or 410, in
  ``runs`` runs now; the count is kept until the article is stored.
- ``backfill_moved`` (a signal, ``entry``, ``place``): where a backfill of ``entry`` resumes
  (``{"since", "url"}``), or None when it is done.
- ``run_closed`` (a signal, ``result``): sent by the pipeline once the run is recorded, with
  its outcome and figures, for the runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.ingest import FetchedPage

article_missing = object()
backfill_moved = object()
run_closed = object()


@dataclass(frozen=True)
class ArticlePage:
    """An article page to store, with what the spider knows of it."""

    page: FetchedPage
    article_id: int
    entry: str | None = None  # the entry point that named it first (None: a recheck)
    etag: str | None = None
    last_modified: str | None = None


def gone_key(article_id: int) -> str:
    """The crawl state counting the runs in which the article answered 404 or 410."""
    return f"gone:{article_id}"
