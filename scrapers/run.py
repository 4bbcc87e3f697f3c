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

from scrapy.crawler import CrawlerProcess

from monitor.archive import Archive
from monitor.config import Config, load_config
from monitor.errors import MonitorError
from monitor.locks import EXIT_LOCKED, companion, exclusive
from monitor.logs import JsonFormatter, LogFormat, TextFormatter
from scrapers.context import CrawlContext, Mode
from scrapers.events import run_closed
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
        archive.runs.mark_interrupted_runs()  # we hold the lock: no other crawl is running
        run_id = archive.runs.start_run(mode)
        context = CrawlContext(config, archive, run_id, mode, args.since, args.events)
        context.event("start", run_id=run_id, mode=mode)
        settings = scrapy_settings(config, context=context, log_level=args.log_level)
        process = CrawlerProcess(settings=settings)
        _one_line_logging(args.log_level, args.log_format)  # over Scrapy's own handler
        crawler = process.create_crawler(ConganSpider)
        outcome: dict[str, Any] = {}

        def closed(result: dict[str, Any]) -> None:  # the archive pipeline recorded the run
            outcome.update(result)

        crawler.signals.connect(closed, signal=run_closed)
        process.crawl(crawler)
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


if __name__ == "__main__":
    sys.exit(main())
