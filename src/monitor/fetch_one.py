"""One page fetched politely, for the commands that look at a single live page
(``monitor check URL``, ``monitor profile learn URL``): robots.txt is honoured, the configured
User-Agent sent, the configured timeout and size cap applied. Crawls use the Scrapy spider."""

from __future__ import annotations

import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from monitor.config.schema import CrawlConfig
from monitor.errors import FetchError


@dataclass(frozen=True)
class OnePage:
    url: str  # after redirects
    body: bytes
    content_type: str | None


def fetch_one(url: str, crawl: CrawlConfig) -> OnePage:
    """The page at ``url``; FetchError when robots.txt forbids it, or it cannot be had."""
    if crawl.obey_robots and not _allowed(url, crawl):
        raise FetchError(f"robots.txt of {urlsplit(url).netloc} forbids {url}", url=url)
    status, final_url, body, content_type = _get(url, crawl)
    if status != 200:
        raise FetchError(f"{url} answered HTTP {status}", url=url)
    return OnePage(final_url, body, content_type)


def _allowed(url: str, crawl: CrawlConfig) -> bool:
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    try:
        status, _, body, _ = _get(robots_url, crawl)
    except FetchError:
        return True  # no robots.txt to be had: everything is allowed, as for crawlers
    if status >= 400:
        return True
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(body.decode("utf-8", "replace").splitlines())
    return rules.can_fetch(crawl.user_agent, url)


def _get(url: str, crawl: CrawlConfig) -> tuple[int, str, bytes, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": crawl.user_agent})
    try:
        with urllib.request.urlopen(request, timeout=crawl.timeout) as response:
            body = response.read(crawl.max_response_bytes + 1)
            if len(body) > crawl.max_response_bytes:
                raise FetchError(f"{url} is larger than crawl.max_response_bytes", url=url)
            return response.status, response.geturl(), body, response.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        return error.code, url, b"", None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot fetch {url}: {reason}", url=url) from None
