"""The send step: one ``Sender`` per configured channel (console, JSON-lines file, Apprise).

A sender either returns (the channel accepted the message) or raises ``DeliveryError`` with a
one-line reason; it never decides about retries — that is ``monitor.alert.deliver``'s job.
``build_senders`` is the seam: delivery takes a ``{channel name: Sender}`` mapping, so a caller
(or a test) may hand in any object with a ``send`` method.

Secrets: an Apprise URL names them as ``${ENV_VAR}``; they are read from the environment at
send time, percent-encoded into the URL, and redacted (``***``) from every error message.
Apprise's own log lines are captured (``apprise.LogCapture``) and kept from propagating to the
application's logging while a message is sent, so they cannot leak a secret either.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TextIO, runtime_checkable
from urllib.parse import quote

import apprise

from monitor.alert.message import AlertMessage
from monitor.clock import SYSTEM_CLOCK, Clock, now_iso
from monitor.config.alerting import Channel
from monitor.errors import DeliveryError

REDACTED = "***"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_RECORD_START = "\x1e"
_FIELD_SEPARATOR = "\x1f"
_REASON_DEBUG_PREFIXES = ("Socket Exception", "Response Details")
_REASON_CHARS = 400


class Sender(Protocol):
    """Delivers a message, or raises ``DeliveryError`` with a one-line reason."""

    def send(self, message: AlertMessage) -> None: ...


@runtime_checkable
class ConfirmingSender(Sender, Protocol):
    """A sender that can tell which alerts it already accepted — so a delivery interrupted
    between the send and the record is completed without sending twice (exactly once)."""

    def accepted(self, alert_ids: Sequence[int]) -> set[int]: ...


class ConsoleSender:
    """Prints each message on a text stream (standard output by default)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def send(self, message: AlertMessage) -> None:
        try:
            self.stream.write(f"{message.title}\n{message.body}\n{'-' * 72}\n")
            self.stream.flush()
        except (OSError, ValueError) as error:  # ValueError: the stream is closed
            raise DeliveryError(
                f"channel {message.channel!r}: cannot write to the console: {error}",
                channel=message.channel,
            ) from error


class FileSender:
    """Appends one JSON object per message to a file (mode 0600), flushed to disk; each
    stamped ``written_at`` by ``clock``."""

    def __init__(self, path: Path, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.path = path
        self.clock = clock

    def send(self, message: AlertMessage) -> None:
        record = {
            "channel": message.channel,
            "alert_ids": list(message.alert_ids),
            "title": message.title,
            "body": message.body,
            "written_at": now_iso(self.clock),
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as error:
            raise DeliveryError(
                f"channel {message.channel!r}: cannot append to {self.path}: {error.strerror}",
                channel=message.channel,
                path=str(self.path),
            ) from error

    def accepted(self, alert_ids: Sequence[int]) -> set[int]:
        """Those of ``alert_ids`` already written to the file (a torn last line is ignored)."""
        wanted, found = set(alert_ids), set[int]()
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return set()
        for line in lines:
            try:
                found.update(int(i) for i in json.loads(line).get("alert_ids", ()) if i in wanted)
            except (ValueError, TypeError, AttributeError):
                continue
        return found


class AppriseSender:
    """Sends through Apprise (e-mail, chat, webhooks) as plain text; see the module docstring."""

    def __init__(self, url_template: str, *, timeout: float, environ: Mapping[str, str]) -> None:
        self.url_template = url_template
        self.timeout = timeout
        self.environ = environ

    def send(self, message: AlertMessage) -> None:
        url, secrets = resolve_url(self.url_template, self.environ, message.channel)
        with _apprise_log() as log:
            service = apprise.Apprise.instantiate(url)
            accepted = service is not None and self._notify(service, message)
        if accepted:
            return
        what = "Apprise refused the message" if service else "Apprise cannot use the URL"
        reason = _reason(redact(log.getvalue(), secrets))  # redact first: reasons are cut
        raise DeliveryError(
            f"channel {message.channel!r}: {what}{': ' + reason if reason else ''}",
            channel=message.channel,
        )

    def _notify(self, service: Any, message: AlertMessage) -> bool:
        service.socket_connect_timeout = self.timeout
        service.socket_read_timeout = self.timeout
        notifier = apprise.Apprise()
        notifier.add(service)
        result = notifier.notify(
            title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT
        )
        return bool(result)


def resolve_url(
    template: str, environ: Mapping[str, str], channel: str
) -> tuple[str, tuple[str, ...]]:
    """The URL with each ``${VAR}`` replaced by its percent-encoded value, and the secrets
    (raw and encoded) to redact. A variable that is unset or empty is an error naming it."""
    missing = [name for name in _VARIABLE.findall(template) if not environ.get(name)]
    if missing:
        raise DeliveryError(
            f"channel {channel!r}: environment variable {missing[0]} is not set",
            channel=channel,
            variable=missing[0],
        )
    values = [environ[name] for name in _VARIABLE.findall(template)]
    url = _VARIABLE.sub(lambda found: quote(environ[found.group(1)], safe=""), template)
    return url, tuple({*values, *(quote(value, safe="") for value in values)})


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret replaced by ``***`` (longest first, so none leaks in part)."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


@contextmanager
def _apprise_log() -> Iterator[Any]:
    """Apprise's log lines (from DEBUG) into a buffer, and nowhere else, for the duration."""
    logger = logging.getLogger(apprise.LOGGER_NAME)
    propagate = logger.propagate
    logger.propagate = False
    fmt = f"{_RECORD_START}%(levelname)s{_FIELD_SEPARATOR}%(message)s"
    try:
        # LogCapture has no annotations (apprise 2.3); it yields a StringIO
        capture = apprise.LogCapture(level=logging.DEBUG, fmt=fmt)  # type: ignore[no-untyped-call]
        with capture as buffer:
            yield buffer
    finally:
        logger.propagate = propagate


def _reason(log: str) -> str:
    """Apprise's warnings and errors, and the underlying exception, as one line."""
    parts = []
    for record in log.split(_RECORD_START):
        level, _, text = record.partition(_FIELD_SEPARATOR)
        text = " ".join(text.split())
        if level in ("WARNING", "ERROR", "CRITICAL") or text.startswith(_REASON_DEBUG_PREFIXES):
            parts.append(text)
    reason = "; ".join(dict.fromkeys(part for part in parts if part))
    return reason if len(reason) <= _REASON_CHARS else reason[: _REASON_CHARS - 1] + "…"


def build_senders(
    channels: Mapping[str, Channel],
    *,
    environ: Mapping[str, str],
    stream: TextIO | None = None,
    timeout: float,
) -> dict[str, Sender]:
    """A sender for every configured channel, by name; console channels print on ``stream``
    (standard output as it is at call time, by default)."""
    out = sys.stdout if stream is None else stream
    return {name: _sender(channel, environ, out, timeout) for name, channel in channels.items()}


def _sender(channel: Channel, environ: Mapping[str, str], stream: TextIO, timeout: float) -> Sender:
    if channel.type == "file":
        assert channel.path is not None  # the config's validator guarantees it
        return FileSender(Path(channel.path))
    if channel.type == "apprise":
        assert channel.url is not None  # likewise
        return AppriseSender(channel.url, timeout=timeout, environ=environ)
    return ConsoleSender(stream)
