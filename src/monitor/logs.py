"""Logging for the daemon and the CLI: human-readable lines, or JSON lines for machines.

Records may carry structured fields in ``extra={"figures": {...}}``; the JSON format emits them
as keys, the text format appends them as ``key=value``. Nothing here ever logs a channel URL
or an environment value: callers pass figures and names only.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Any, Literal

from monitor.clock import VN_TZ

LogFormat = Literal["text", "json"]
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in vars(record).items() if key not in _STANDARD}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, VN_TZ).isoformat(" ", timespec="seconds")
        extras = "".join(f" {key}={value}" for key, value in _flat(_extras(record)).items())
        line = f"{when} {record.levelname:<7} {record.name}: {record.getMessage()}{extras}"
        if record.levelno < logging.ERROR:
            return line.splitlines()[0]
        return line + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, VN_TZ).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        return json.dumps(data, ensure_ascii=False, default=str)


def _flat(values: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(value)
        else:
            flat[key] = value
    return flat


def setup_logging(log_format: LogFormat = "text", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for noisy in ("apscheduler", "apprise"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
