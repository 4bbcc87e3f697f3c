"""monitor.logs: text log lines carry Vietnam time with its offset."""

from __future__ import annotations

import logging
from datetime import datetime

from monitor.clock import VN_TZ
from monitor.logs import TextFormatter


def test_a_text_line_starts_with_the_time_and_its_offset() -> None:
    record = logging.makeLogRecord(
        {"name": "monitor", "levelname": "INFO", "levelno": logging.INFO, "msg": "crawl ok"}
    )
    record.created = datetime(2025, 6, 23, 11, 45, tzinfo=VN_TZ).timestamp()
    line = TextFormatter().format(record)
    assert line.startswith("2025-06-23 11:45:00+07:00 INFO    monitor: crawl ok")
