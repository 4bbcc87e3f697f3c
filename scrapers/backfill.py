"""Backfill bookkeeping: a listing page whose articles are still being fetched."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy import Request

from monitor.discover import Listing


@dataclass
class BackfillPage:
    """A listing page of a backfill; the walk decides to go on after its last article."""

    entry: str
    number: int
    article_ids: tuple[int, ...]
    next_page: str | None
    pending: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, entry: str, number: int, listing: Listing, requests: list[Request]) -> BackfillPage:
        ids = tuple(article.article_id for article in listing.articles)
        pending = {int(request.meta["article_id"]) for request in requests}
        return cls(entry, number, ids, listing.next_page, pending)


def backfill_key(entry: str) -> str:
    return f"backfill:{entry}"
