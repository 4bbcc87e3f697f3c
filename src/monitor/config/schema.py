"""The configuration's shape: frozen models, validated once at load.

Every value's default lives in the shipped files under ``config/`` (one source of truth); the
models here say what each key means and what values it accepts. Unknown keys are errors. The one
exception is a ``[[rules]]`` table's optional keys: rules are an array the user writes, so their
defaults can only live in ``Rule``. Checks across keys (unique rule names, channels that exist)
are in ``crosscheck``; errors are worded for people in ``problems``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from cssselect import GenericTranslator, SelectorError
from pydantic import AfterValidator, Field, field_validator

from monitor.config.alerting import AlertsConfig, Channel
from monitor.config.backup import BackupConfig
from monitor.config.daemon import HealthConfig, ScheduleConfig
from monitor.config.schema_base import A_YEAR, BASE_URL, RULE_NAME, Model
from monitor.text import normalize_inline

_TRANSLATOR = GenericTranslator()


def _check_selector(selector: str) -> str:
    try:
        _TRANSLATOR.css_to_xpath(selector)
    except SelectorError as error:
        raise ValueError(f"not a valid CSS selector {selector!r}: {error}") from error
    return selector


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a valid regular expression {pattern!r}: {error}") from error
    return pattern


def _check_keyword(keyword: str) -> str:
    if not any(char.isalnum() for char in normalize_inline(keyword)):
        raise ValueError(f"keyword {keyword!r} has no letter or digit once normalised")
    return keyword


Selector = Annotated[str, AfterValidator(_check_selector)]
Selectors = tuple[Selector, ...]
Regex = Annotated[str, AfterValidator(_check_regex)]
Keyword = Annotated[str, AfterValidator(_check_keyword)]


class ArticleSelectors(Model):
    """CSS selectors for an article page; each list is tried in order, first match wins."""

    title: Selectors = Field(description="the headline element")
    date: Selectors = Field(description="the publish-date node (never the site header date)")
    lead: Selectors = Field(description="the lead (sapo) element")
    body: Selectors = Field(description="the body container")
    author: Selectors = Field(description="the author box, when not in the date line")
    images: Selectors = Field(description="image boxes and galleries inside the body")
    image_caption: Selectors = Field(description="a caption inside an image box")
    tags: Selectors = Field(description="tag links")
    strip: Selectors = Field(description="elements removed from the body before reading it")


class ListingSelectors(Model):
    """Selectors for section, tag and search listing pages."""

    container: Selectors = Field(description="the main list (items outside it are ignored)")
    item_link: Selectors = Field(description="an item's link inside the main list")
    next_page: Selectors = Field(description="links to the next page of the listing")
    next_page_texts: tuple[str, ...] = Field(description="link texts that mean 'next page'")
    pagination_pattern: str = Field(
        description="override: a path template with {listing} and {page}; empty = discover"
    )


class SiteProfile(Model):
    """Everything specific to the watched site: change these, never the code."""

    name: str = Field(description="the site's name, for messages")
    hosts: tuple[str, ...] = Field(min_length=1, description="first-party hosts")
    article_path: Regex = Field(
        description="regex over an article URL's path with groups 'section' and 'id'"
    )
    image_path_prefix: str = Field(description="path prefix of first-party image URLs")
    title_suffixes: tuple[str, ...] = Field(description="site-name suffixes stripped from titles")
    dateline_prefixes: tuple[str, ...] = Field(description="house datelines removed from leads")
    author_separator: str = Field(description="separates the date and the author in the date node")
    tag_path: Regex = Field(
        description="regex over a tag page's path (decoded): links to it are the article's tags"
    )
    header_date: Regex = Field(
        description="the site-wide header date (today's date, never the publish date)"
    )
    footer_markers: tuple[str, ...] = Field(
        description="a paragraph starting with one ends the body"
    )
    widget_markers: tuple[str, ...] = Field(description="page widgets that end the body")
    drop_paragraphs: tuple[Regex, ...] = Field(description="paragraphs that are never body")
    article: ArticleSelectors
    listing: ListingSelectors

    @field_validator("article_path")
    @classmethod
    def _article_path_has_groups(cls, pattern: str) -> str:
        missing = {"section", "id"} - set(re.compile(pattern).groupindex)
        if missing:
            raise ValueError(f"needs the named groups {sorted(missing)}")
        return pattern


class SiteConfig(Model):
    """Where to look: the site and its entry points."""

    base_url: str = Field(pattern=BASE_URL, description="scheme and host, no path")
    feeds: tuple[str, ...] = Field(description="RSS feed paths")
    listings: tuple[str, ...] = Field(description="section listing paths")
    tags: tuple[str, ...] = Field(description="tag names, turned into /tag/... pages")
    max_listing_pages: int = Field(ge=1, le=10_000, description="pages per entry point and run")
    sitemaps: tuple[str, ...] = Field(
        description="sitemap paths, besides the Sitemap: lines of robots.txt"
    )
    sitemap_max_depth: int = Field(
        ge=0, le=5, description="levels of sitemap indexes followed below an entry point"
    )
    sitemap_max_files: int = Field(
        ge=1, le=10_000, description="child sitemaps read per run (the rest next run)"
    )
    sitemap_max_articles: int = Field(
        ge=1, le=100_000, description="new articles one sitemap file adds to a run (newest first)"
    )


class CrawlConfig(Model):
    """How politely to fetch."""

    download_delay: float = Field(ge=0, le=A_YEAR, description="seconds between requests")
    concurrent_requests: int = Field(ge=1, description="requests in flight at once")
    obey_robots: bool = Field(description="honour robots.txt")
    user_agent: str = Field(min_length=1, description="identifies the monitor, with a contact URL")
    autothrottle: bool = Field(description="adapt the delay to the site's response times")
    timeout: float = Field(gt=0, le=A_YEAR, description="seconds before a request is abandoned")
    retries: int = Field(ge=0, le=100, description="retries of a request on 5xx, 429 and timeouts")
    backoff_base: float = Field(
        ge=0, le=A_YEAR, description="first retry waits this long, doubling after"
    )
    backoff_max: float = Field(
        ge=0, le=A_YEAR, description="longest wait between retries (Retry-After too)"
    )
    max_response_bytes: int = Field(ge=1024, description="larger responses are dropped")
    recheck_days: int = Field(
        ge=0, le=3650, description="refetch articles this recent for edits; 0 = never"
    )
    gone_after_runs: int = Field(
        ge=1, le=1000, description="an article answering 404/410 in this many runs is skipped"
    )


class DatabaseConfig(Model):
    """Where the archive lives."""

    path: str = Field(min_length=1, description="SQLite file, relative to the working directory")


class Rule(Model):
    """A keyword rule: which articles match, and where the alerts go (see monitor.match)."""

    name: str = Field(
        pattern=RULE_NAME,
        description="unique name, used in alerts and in the archive",
    )
    keywords: tuple[Keyword, ...] = Field(min_length=1, description="any of them matches")
    all: tuple[Keyword, ...] = Field(default=(), description="every one must also appear")
    exclude: tuple[Keyword, ...] = Field(default=(), description="none of them may appear")
    fields: tuple[Literal["title", "lead", "body"], ...] = Field(
        default=("title", "lead", "body"), min_length=1, description="where to look"
    )
    sections: tuple[str, ...] = Field(default=(), description="only these sections; empty = all")
    accents: Literal["exact", "fold"] = Field(
        default="exact", description="'exact' marks, or 'fold' (diacritic-insensitive)"
    )
    channels: tuple[str, ...] = Field(
        default=("default",), description="alert channels; empty = recorded, never alerted"
    )
    on_topic: bool = Field(default=False, description="a match marks the article on-topic")


class Config(Model):
    """The whole configuration, as loaded and validated once."""

    site: SiteConfig
    crawl: CrawlConfig
    database: DatabaseConfig
    profile: SiteProfile
    rules: tuple[Rule, ...] = Field(default=(), description="keyword rules ([[rules]] tables)")
    channels: dict[str, Channel] = Field(description="alert channels by name ([channels.NAME])")
    alerts: AlertsConfig
    schedule: ScheduleConfig
    health: HealthConfig
    backup: BackupConfig
