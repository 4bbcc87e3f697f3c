"""Article URLs of the watched site: ids, sections, canonical forms, tag pages.

Every pattern comes from the site profile; nothing here knows congan.com.vn by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, quote_plus, urljoin, urlsplit, urlunsplit

from monitor.config.schema import SiteProfile


@dataclass(frozen=True)
class ArticleUrl:
    url: str  # canonical form: https for the site's own hosts, no query or fragment
    article_id: int
    section: str


@lru_cache(maxsize=32)
def _article_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _split(url: str) -> SplitResult | None:
    """The parts of ``url``, or None when it cannot be read as one ("http://[::1")."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def parse_article_url(url: str, profile: SiteProfile) -> ArticleUrl | None:
    """The id and section of an article URL, or None when the URL is not an article's."""
    parts = _split(url.strip())
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    match = _article_regex(profile.article_path).match(parts.path)
    if match is None:
        return None
    host = parts.netloc.lower()
    scheme = "https" if host in profile.hosts else parts.scheme
    canonical = urlunsplit((scheme, host, parts.path, "", ""))
    return ArticleUrl(canonical, int(match["id"]), match["section"])


def absolute_url(href: str, base: str) -> str | None:
    """``href`` resolved against ``base``; None for non-web links (javascript:, mailto:, data:)."""
    try:
        joined = urljoin(base, href.strip())
    except ValueError:  # an href that is no URL at all
        return None
    parts = _split(joined)
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, parts.query, ""))


def is_first_party(url: str, hosts: tuple[str, ...]) -> bool:
    parts = _split(url)
    return parts is not None and parts.netloc.lower() in hosts


def tag_path(tag: str) -> str:
    """The tag page of ``tag``: words joined by '+', UTF-8 percent-encoded."""
    return "/tag/" + "+".join(quote_plus(word) for word in tag.split()) + ".html"
