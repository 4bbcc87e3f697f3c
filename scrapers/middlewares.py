"""Downloader middlewares: retries with exponential back-off, honouring Retry-After (Scrapy
retries immediately), an offsite filter that no request is exempt from, and the end of the run
at the first host of the site that does not resolve (Scrapy retries it like a refused
connection)."""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import DNSLookupError

from monitor.clock import SYSTEM_CLOCK, Clock
from scrapers import outcome
from scrapers.context import CrawlContext, crawl_context


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry decisions, with a wait before each retry: ``base * 2**n`` seconds, or the
    server's Retry-After, capped at ``BACKOFF_MAX``."""

    def __init__(self, settings: BaseSettings, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("BACKOFF_MAX", 120.0)
        self.clock = clock  # a Retry-After date is read against it

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(result, response.headers.get("Retry-After")))
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(result, None))
        return result

    def delay(self, retry: Request, retry_after: Any) -> float:
        attempt = max(int(retry.meta.get("retry_times", 1)) - 1, 0)
        wait = self.base * (2**attempt)
        server = _retry_after_seconds(retry_after, self.clock)
        if server is not None:
            wait = max(wait, server)
        return float(min(wait, self.cap))


def _retry_after_seconds(value: Any, clock: Clock) -> float | None:
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    if text.strip().isdigit():
        return float(text.strip())
    parsed = email.utils.parsedate_to_datetime(text) if "," in text else None
    return max(parsed.timestamp() - clock.now().timestamp(), 0.0) if parsed else None


class FirstPartyOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter without its exemption for ``dont_filter`` requests, applied when
    a request is downloaded rather than when it is scheduled.

    The spider sets ``dont_filter`` on entry points (so they are fetched even when seen before
    in the run), and a redirect inherits it: an entry point redirected to another host would be
    followed. And a request refused at scheduling vanishes without its errback: an article
    redirected off-site was neither stored nor failed, the run ended clean, and the next run,
    finding its entry points unchanged, never asked for it again."""

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        pass  # filtered in process_request, where IgnoreRequest reaches the errback

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        super().process_request(
            request.replace(dont_filter=False) if request.dont_filter else request
        )


class UnresolvedSiteMiddleware:
    """The run ends at the first request to a host of the site whose name does not resolve:
    the error is not retried (a name that does not resolve now will not in a few seconds),
    the run is closed (no further entry points), and a request already on its way is refused
    without a lookup. The run fails with ``cannot resolve HOST``, naming the setting to check
    (``scrapers.outcome.UNRESOLVED``). Other connection errors (refused, timed out) go on to
    the retry middleware, whose ``process_exception`` runs after this one's.

    ``close_run`` ends the crawl (``from_crawler``: Scrapy's engine closes the spider)."""

    def __init__(
        self, crawler: Crawler, context: CrawlContext, close_run: Callable[[], None]
    ) -> None:
        self.crawler = crawler
        self.context = context
        self.close_run = close_run
        self.unresolved: str | None = None  # the host that did not resolve

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnresolvedSiteMiddleware:
        def close_run() -> None:  # once the request at hand is done: closing waits for it
            assert crawler.engine is not None
            deferred_from_coro(crawler.engine.close_spider_async(reason=outcome.UNRESOLVED_CLOSE))

        return cls(crawler, crawl_context(crawler.settings), close_run)

    def process_request(self, request: Request) -> None:
        if self.unresolved is not None and _host(request.url) == self.unresolved:
            raise IgnoreRequest(self.reason(self.unresolved))

    def process_exception(self, request: Request, exception: Exception) -> None:
        host = _host(request.url)
        if not is_dns_failure(exception) or host not in self.context.domains:
            return  # another error, or another host's: Scrapy's handling as before
        if self.unresolved is None:
            self.unresolved = host
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(outcome.UNRESOLVED, self.reason(host))
            self.close_run()
        raise IgnoreRequest(self.reason(host))  # past the retry middleware, quietly

    def reason(self, host: str) -> str:
        """What failed and what to check, in one line."""
        setting = " (site.base_url)" if host == _host(self.context.config.site.base_url) else ""
        return f"cannot resolve {host}{setting}: check the address or the network"


# Twisted's error, and the one Scrapy's download handlers wrap it in (Scrapy 2.15+)
_LOOKUP_ERRORS: tuple[type[Exception], ...] = (DNSLookupError, CannotResolveHostError)


def is_dns_failure(error: BaseException) -> bool:
    """Whether ``error`` is a failed name lookup."""
    return isinstance(error, _LOOKUP_ERRORS)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
