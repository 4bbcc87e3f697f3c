"""What the archive returns: frozen rows, typed, instead of dictionaries keyed by column name.

The schema stays the archive's business; callers read attributes. ``to_dict`` gives the JSON
form where a row is printed or exported whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from monitor.record import Image


@dataclass(frozen=True)
class StoredArticle:
    """An archived article: its current content, how it was read, when it was seen."""

    article_id: int
    url: str
    canonical_url: str
    section: str
    title: str
    lead: str | None
    body: str
    published_at: str | None
    published_precision: str | None
    updated_at: str | None
    author: str | None
    tags: tuple[str, ...]
    images: tuple[Image, ...]
    extraction: dict[str, str]
    problems: tuple[str, ...]
    on_topic: bool
    first_seen_at: str
    last_seen_at: str
    content_hash: str
    version: int
    fetched_url: str | None

    @classmethod
    def from_row(
        cls, row: Mapping[str, Any], tags: list[str], images: list[Image]
    ) -> StoredArticle:
        """From an ``articles`` row (JSON columns still encoded) and its tags and images."""
        return cls(
            article_id=row["article_id"],
            url=row["url"],
            canonical_url=row["canonical_url"],
            section=row["section"],
            title=row["title"],
            lead=row["lead"],
            body=row["body"],
            published_at=row["published_at"],
            published_precision=row["published_precision"],
            updated_at=row["updated_at"],
            author=row["author"],
            tags=tuple(tags),
            images=tuple(images),
            extraction=json.loads(row["extraction"]),
            problems=tuple(json.loads(row["problems"])),
            on_topic=bool(row["on_topic"]),
            first_seen_at=row["first_seen_at"],
            last_seen_at=row["last_seen_at"],
            content_hash=row["content_hash"],
            version=row["version"],
            fetched_url=row["fetched_url"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: tags, images and problems as lists."""
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["images"] = [asdict(image) for image in self.images]
        data["problems"] = list(self.problems)
        return data


@dataclass(frozen=True)
class ArticleText:
    """What matching reads of an article: its text, section, content hash and dates."""

    article_id: int
    section: str
    title: str
    lead: str | None
    body: str
    content_hash: str
    published_at: str | None
    first_seen_at: str


@dataclass(frozen=True)
class AlertMatch:
    """The match an alert shows: the rule's first hit in the article."""

    keyword: str
    field: str
    start: int
    end: int
    snippet: str


@dataclass(frozen=True)
class AlertRow:
    """An alert of the outbox with what a message needs of its article and match."""

    id: int
    article_id: int
    rule: str
    channel: str
    status: str
    attempts: int
    created_at: str
    next_attempt_at: str | None
    sent_at: str | None
    last_error: str | None
    title: str
    section: str
    published_at: str | None
    published_precision: str | None  # "day": the page gave no time (published_at is midnight)
    url: str
    lead: str | None
    match: AlertMatch | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ArticleAlert:
    """One of an article's alerts, as ``monitor show`` lists them."""

    id: int
    rule: str
    channel: str
    status: str
    attempts: int
    created_at: str
    next_attempt_at: str | None
    sent_at: str | None
    last_error: str | None


@dataclass(frozen=True)
class MatchRow:
    """One keyword hit of a rule in an article's field, as matching records it."""

    rule: str
    keyword: str
    field: str
    start: int
    end: int
    snippet: str


@dataclass(frozen=True)
class StoredMatch(MatchRow):
    """A recorded hit, with when it was recorded."""

    matched_at: str


@dataclass(frozen=True)
class ArticleVersion:
    """An earlier version of an article, as it was until ``captured_at``."""

    version: int
    captured_at: str
    content_hash: str
    title: str
    lead: str | None
    body: str
    published_at: str | None
    updated_at: str | None
    author: str | None
    tags: tuple[str, ...]
    images: tuple[Image, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["images"] = [asdict(image) for image in self.images]
        return data


@dataclass(frozen=True)
class EntryYieldSummary:
    """What an entry point yielded over recent normal runs, and how it last answered."""

    entry: str
    kind: str
    runs: int
    links: int
    new: int
    last_status: int | None


@dataclass(frozen=True)
class CoverageDay:
    """The ids archived for one publication day against the span they cover."""

    day: str
    ids: int
    first_id: int
    last_id: int
    span: int

    @property
    def estimate(self) -> float:
        """ids / span: the share of the day's id sequence archived (an estimate)."""
        return round(self.ids / self.span, 3)


@dataclass(frozen=True)
class ArchiveSettings:
    """The connection's settings and the schema version."""

    journal_mode: str
    foreign_keys: int
    busy_timeout: int
    schema_version: int


@dataclass(frozen=True)
class RunFigures:
    """A run's counts, each an integer column of ``crawl_runs`` starting at 0."""

    requests: int = 0  # HTTP requests made
    bytes: int = 0  # response bytes received
    listing_articles: int = 0  # article links seen on entry points
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    http_errors: int = 0  # responses with an error status
    fetch_errors: int = 0  # requests that got no response (DNS, timeout, reset)
    entry_pages: int = 0  # entry-point pages answered, 304s included
    not_modified: int = 0  # of those, answered 304 Not Modified
    fallbacks: int = 0  # records whose title, body or date came from a fallback (or nowhere)

    @property
    def records(self) -> int:
        """Records stored: new, updated, unchanged and quarantined."""
        return self.new + self.updated + self.unchanged + self.quarantined


@dataclass(frozen=True)
class Run:
    """One crawl (or reparse) run and its figures."""

    run_id: int
    mode: str
    started_at: str
    finished_at: str | None
    outcome: str
    reason: str | None
    figures: RunFigures

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Run:
        figures = RunFigures(**{name: int(row[name] or 0) for name in RUN_FIGURES})
        return cls(
            row["run_id"], row["mode"], row["started_at"], row["finished_at"],
            row["outcome"], row["reason"], figures,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The run as one flat JSON object, figures beside the run's own columns."""
        data = asdict(self)
        return {**{k: v for k, v in data.items() if k != "figures"}, **data["figures"]}


RUN_FIGURES = tuple(field.name for field in fields(RunFigures))


@dataclass(frozen=True)
class RankedArticle:
    """A search result: the article's text and its BM25 score (lower is better)."""

    article_id: int
    title: str
    lead: str | None
    body: str
    section: str
    published_at: str | None
    url: str
    score: float
    published_precision: str | None = None  # "day": the page gave no time of day


@dataclass(frozen=True)
class SelectedArticle:
    """An article as export writes it: its content, tags and the rules that matched it."""

    article_id: int
    url: str
    section: str
    title: str
    lead: str | None
    body: str
    published_at: str | None
    author: str | None
    tags: tuple[str, ...]
    on_topic: bool
    rules: tuple[str, ...]
    first_seen_at: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"], data["rules"] = list(self.tags), list(self.rules)
        return data


@dataclass(frozen=True)
class StatsFigures:
    """The counts ``monitor stats`` shows, one row (a column → value mapping) per group."""

    periods: tuple[dict[str, Any], ...]  # period, articles, on_topic
    sections: tuple[dict[str, Any], ...]  # section, articles (the largest)
    section_count: int
    rules: tuple[dict[str, Any], ...]  # rule, articles
    runs: tuple[dict[str, Any], ...]  # period, runs by outcome, new, errors, quarantined
