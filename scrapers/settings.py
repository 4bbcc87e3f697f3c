"""Scrapy settings built from the monitor's validated configuration (never from globals)."""

from __future__ import annotations

from typing import Any

from monitor.config import Config
from scrapers.context import CrawlContext


def scrapy_settings(
    config: Config, *, context: CrawlContext | None = None, log_level: str = "WARNING"
) -> dict[str, Any]:
    """Polite by default: robots.txt, one request at a time, a delay, back-off, a size cap.

    ``MONITOR_CONTEXT`` is the run the spider and the archive pipeline take part in (without
    one, the pipeline is disabled and the spider cannot start)."""
    crawl = config.crawl
    return {
        "MONITOR_CONTEXT": context,
        "BOT_NAME": "congan-monitor",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if crawl.download_delay > 0 else 0.0,
        "CONCURRENT_REQUESTS": crawl.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle and crawl.download_delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrent_requests),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
        "DOWNLOAD_WARNSIZE": crawl.max_response_bytes // 2,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "BACKOFF_BASE": crawl.backoff_base,
        "BACKOFF_MAX": crawl.backoff_max,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapers.middlewares.FirstPartyOffsiteMiddleware": 50,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapers.middlewares.BackoffRetryMiddleware": 550,
            # above the retry middleware: its process_exception sees a failed lookup first
            "scrapers.middlewares.UnresolvedSiteMiddleware": 560,
        },
        "ITEM_PIPELINES": {"scrapers.pipelines.ArchivePipeline": 300},
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # no listening ports in a monitor's crawl
        "LOG_INSTALL_ROOT_HANDLER": False,  # scrapers.run installs one-line logging
        "LOG_LEVEL": log_level,
        "LOG_FORMAT": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        "HTTPCACHE_ENABLED": False,
    }
