"""Downloader middlewares: retries with exponential back-off, honouring Retry-After (Scrapy
retries immediately), and an offsite filter that no request is exempt from."""

from __future__ import annotations

import asyncio
import email.utils
from typing import Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings

from monitor.clock import SYSTEM_CLOCK, Clock


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
