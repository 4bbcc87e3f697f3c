"""scrapers.middlewares: retry waits grow exponentially, honour Retry-After, and are capped."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.settings import Settings

from scrapers.middlewares import BackoffRetryMiddleware


def middleware(base: float = 2.0, cap: float = 120.0) -> BackoffRetryMiddleware:
    return BackoffRetryMiddleware(
        Settings({"RETRY_ENABLED": True, "BACKOFF_BASE": base, "BACKOFF_MAX": cap})
    )


def retry(times: int) -> Request:
    return Request("https://congan.com.vn/tin-chinh", meta={"retry_times": times})


@pytest.mark.parametrize(("times", "wait"), [(1, 2.0), (2, 4.0), (3, 8.0), (10, 120.0)])
def test_wait_doubles_up_to_the_cap(times: int, wait: float) -> None:
    assert middleware().delay(retry(times), None) == wait


def test_retry_after_seconds_is_honoured() -> None:
    assert middleware().delay(retry(1), b"30") == 30.0


def test_retry_after_is_capped() -> None:
    assert middleware(cap=10).delay(retry(1), b"3600") == 10.0


def test_unreadable_retry_after_falls_back_to_backoff() -> None:
    assert middleware().delay(retry(2), b"soon") == 4.0
