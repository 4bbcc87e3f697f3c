"""The article record: the public contract between parsing and every later stage.

Field names are a contract (README, archive columns, JSON output). ``extraction`` says which
layer produced each field:

- ``"metadata"``: structured metadata in the page (JSON-LD, ``og:*``, ``article:*`` meta,
  ``<link rel=canonical>``);
- ``"profile"``: the site profile's selectors (``config/``);
- ``"generic"``: the generic layer, used for a field the profile does not find: trafilatura for the
  title and body, and readers of the article's own region for its dateline, lead, byline, photos
  and tag links (``monitor.parse.region``);
- ``"url"``: derived from the article URL (``article_id``, ``section``, fallback ``canonical_url``);
- ``"discovery"``: what the feed, sitemap or listing that named the article said of it
  (``DiscoveryHint``), used for the publish date only when the page shows none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Layer = Literal["metadata", "profile", "generic", "url", "discovery"]
Precision = Literal["minute", "day"]

# The fields that must all be found for a record to be complete (else it is quarantined).
REQUIRED_FIELDS = ("title", "body", "published_at")


@dataclass(frozen=True)
class Image:
    url: str
    caption: str | None = None


@dataclass(frozen=True)
class DiscoveryHint:
    """What the entry point that named an article said of it: a feed item, a sitemap entry or a
    listing item. The parser cross-checks the page against it (a publish date that disagrees
    by more than a day is a problem); ``monitor profile learn`` takes it as evidence of what
    the page's title, date and lead are. Every value is as the source wrote it, or None."""

    source: Literal["feed", "sitemap", "listing"]
    entry: str  # the entry point's path (or URL) that named the article
    published: str | None = None  # pubDate, news:publication_date or lastmod, a listing's date
    title: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class ArticleRecord:
    url: str
    canonical_url: str
    article_id: int
    section: str
    title: str | None
    lead: str | None
    body: str | None
    published_at: str | None  # ISO 8601 with +07:00
    published_precision: Precision | None
    updated_at: str | None
    author: str | None
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    extraction: dict[str, Layer] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return all(getattr(self, name) for name in REQUIRED_FIELDS)

    @property
    def from_fallback(self) -> bool:
        """Whether title, body or published date came from the generic layer, or nowhere."""
        return any(
            not getattr(self, name) or self.extraction.get(name) == "generic"
            for name in REQUIRED_FIELDS
        )

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, in contract order, with ``complete`` included."""
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["images"] = [asdict(image) for image in self.images]
        data["problems"] = list(self.problems)
        data["complete"] = self.complete
        order = [
            "url", "canonical_url", "article_id", "section", "title", "lead", "body",
            "published_at", "published_precision", "updated_at", "author", "tags", "images",
            "extraction", "complete", "problems",
        ]  # fmt: skip
        return {name: data[name] for name in order}
