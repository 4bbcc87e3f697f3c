"""The store stage's entry: a fetched article page is parsed, normalised and archived.

One call, one transaction in the archive: the raw page and either the record or its quarantine
row. Pages that cannot be parsed at all are quarantined with the reason, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.archive import Archive, StoreOutcome
from monitor.config.schema import SiteProfile
from monitor.errors import ExtractionError
from monitor.parse import parse_article
from monitor.record import ArticleRecord, DiscoveryHint
from monitor.urls import parse_article_url


@dataclass(frozen=True)
class FetchedPage:
    url: str
    body: bytes
    content_type: str | None
    status: int
    fetched_at: str  # ISO 8601, +07:00
    hint: DiscoveryHint | None = None  # what the entry point that named it said of it


def ingest_page(
    archive: Archive,
    profile: SiteProfile,
    page: FetchedPage,
    *,
    run_id: int | None = None,
    now: datetime | None = None,
) -> StoreOutcome | None:
    """Parse and store one article page; None when the URL is not an article's at all."""
    record = parse_page(profile, page, now=now)
    if record is None:
        return None
    return archive.articles.store_article(
        record,
        page.body,
        content_type=page.content_type,
        http_status=page.status,
        fetched_at=page.fetched_at,
        run_id=run_id,
        hint=page.hint,
    )


def parse_page(
    profile: SiteProfile, page: FetchedPage, *, now: datetime | None = None
) -> ArticleRecord | None:
    """The page's record (an unparseable page's says why, for quarantine); None when the URL
    is not an article's at all. Pure: ``monitor reparse`` runs it in worker processes."""
    try:
        return parse_article(
            page.body, page.url, profile, content_type=page.content_type, now=now, hint=page.hint
        )
    except ExtractionError as error:
        return _unparseable(page.url, profile, error)


def _unparseable(url: str, profile: SiteProfile, error: ExtractionError) -> ArticleRecord | None:
    address = parse_article_url(url, profile)
    if address is None:
        return None
    return ArticleRecord(
        url=url,
        canonical_url=address.url,
        article_id=address.article_id,
        section=address.section,
        title=None,
        lead=None,
        body=None,
        published_at=None,
        published_precision=None,
        updated_at=None,
        author=None,
        problems=(error.message,),
    )
