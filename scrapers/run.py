"""One crawl run in this process: ``python -m scrapers.run [--config PATH] [--since DATE]``.

Run by ``monitor crawl`` (and the daemon) as a child process, because a Twisted reactor cannot
be restarted. It holds the archive's crawl lock, records the run in ``crawl_runs``, and exits
0 when the run ended ``ok``, 1 when it failed, 3 when another crawl holds the lock, 130 when
it was interrupted. With ``--events`` it prints progress as JSON lines on stdout. It logs on
stderr one line a record, in the caller's format (``--log-format text|json``, as
``monitor run --log-format``), so a daemon's log stays one format.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.statscollectors import StatsCollector

from monitor.archive import Archive
from monitor.config import Config, load_config
from monitor.errors import MonitorError
from monitor.locks import EXIT_LOCKED, companion, exclusive
from monitor.logs import JsonFormatter, LogFormat, TextFormatter
from scrapers.context import CrawlContext, Mode
from scrapers.settings import scrapy_settings
from scrapers.spiders.congan import ConganSpider

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
log = logging.getLogger("scrapers.run")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    _one_line_logging(args.log_level, args.log_format)
    try:
        config = load_config(args.config)
        with exclusive(companion(config.database.path, "crawl"), wait=False) as locked:
            if not locked:
                log.warning("another crawl is running on this archive")
                return EXIT_LOCKED
            return _crawl(config, args)
    except MonitorError as error:
        log.error("crawl: %s", error)
        return EXIT_FAILED


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scrapers.run", description=__doc__)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--since", type=date.fromisoformat, default=None)
    parser.add_argument("--events", action="store_true")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    return parser.parse_args(argv)


def _crawl(config: Config, args: argparse.Namespace) -> int:
    mode: Mode = "backfill" if args.since else "normal"
    with Archive.open(config.database.path) as archive:
        archive.mark_interrupted_runs()  # we hold the lock: no other crawl is running
        run_id = archive.start_run(mode)
        context = CrawlContext(config, archive, run_id, mode, args.since, args.events)
        context.event("start", run_id=run_id, mode=mode)
        process = CrawlerProcess(settings=scrapy_settings(config, log_level=args.log_level))
        _one_line_logging(args.log_level, args.log_format)  # over Scrapy's own handler
        crawler = process.create_crawler(ConganSpider)
        outcome: dict[str, Any] = {}

        def closed(spider: ConganSpider, reason: str) -> None:
            outcome.update(_finish(context, spider, crawler.stats, reason))

        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, context=context)
        process.start()
        context.event("end", run_id=run_id, **outcome)
    return {"ok": EXIT_OK, "interrupted": EXIT_INTERRUPTED}.get(
        outcome.get("outcome", ""), EXIT_FAILED
    )


def _one_line(record: logging.LogRecord) -> logging.LogRecord:
    """The record without what would make it more than one line or say nothing: the crawl's
    outcome says what failed, not a traceback; Scrapy's ``spider`` extra is a repr."""
    record.exc_info = record.exc_text = None
    record.stack_info = None
    record.__dict__.pop("spider", None)
    return record


class _OneLineText(TextFormatter):
    """The daemon's text lines and clock (Vietnam time), one line a record."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(_one_line(record)).splitlines()[0]


class _OneLineJson(JsonFormatter):
    """The daemon's JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(_one_line(record))


def _one_line_logging(level: str, log_format: LogFormat) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)  # Scrapy sets its own loggers to DEBUG
    handler.setFormatter(_OneLineJson() if log_format == "json" else _OneLineText())
    logging.basicConfig(level=level, handlers=[handler], force=True)


def _finish(
    context: CrawlContext, spider: ConganSpider, stats: StatsCollector | None, reason: str
) -> dict[str, Any]:
    """Close the run in the archive with its figures, and commit validators if it was clean."""
    figures = _figures(stats.get_stats() if stats else {}, context)
    outcome, why = _outcome(spider, reason)
    if outcome == "ok" and spider.failed_articles == 0:
        spider.save_walks()  # first: an incomplete sitemap walk withdraws validators
        for url, (etag, modified, status) in context.pending_validators.items():
            context.archive.store_validators(url, etag, modified, status)
    context.archive.record_entry_yields(context.run_id, context.entry_yields())
    context.archive.add_run_figures(context.run_id, **figures)
    context.archive.finish_run(context.run_id, outcome, why)
    return {"outcome": outcome, "reason": why, **figures}


def _outcome(spider: ConganSpider, reason: str) -> tuple[Any, str | None]:
    if reason in ("shutdown", "cancelled"):
        return "interrupted", "stopped by a signal"
    if spider.entries_ok == 0 and spider.entry_errors:
        return "failed", "site unreachable: " + spider.entry_errors[0]
    if reason != "finished":
        return "failed", reason
    return "ok", None


def _figures(stats: dict[str, Any], context: CrawlContext) -> dict[str, int]:
    errors = sum(
        int(count)
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/") and int(key.rsplit("/", 1)[1]) >= 400
    )
    return {
        "requests": int(stats.get("downloader/request_count", 0)),
        "bytes": int(stats.get("downloader/response_bytes", 0)),
        "listing_articles": context.tally["listing_articles"],
        "entry_pages": context.tally["entry_pages"],
        "not_modified": context.tally["not_modified"],
        "http_errors": errors,
        "fetch_errors": int(stats.get("downloader/exception_count", 0)),
    }


if __name__ == "__main__":
    sys.exit(main())
