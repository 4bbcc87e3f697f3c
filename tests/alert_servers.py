"""The real components alert tests run against, all on 127.0.0.1.

- ``SmtpServer``: an aiosmtpd server that records every message (optionally requiring a login).
  Apprise reaches it as ``mailto://127.0.0.1:PORT?from=...&to=...`` — ``mailto://`` (not
  ``mailtos://``) means no TLS (mode ``insecure``), and a port in the URL replaces 25.
- ``HttpReceiver``: an HTTP server that records every POST's JSON body, can answer an error
  status on demand, and can be stopped and restarted on the same port (an outage). Apprise
  reaches it as ``json://127.0.0.1:PORT/PATH``.
- ``queue_alert``: an article stored in an archive and a pending alert for it.
- ``write_config``: a config file with given channels and retry settings.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from test_archive_support import record, store

from monitor.archive import Archive, MatchRow

HOST = "127.0.0.1"

# apprise 2.3 imports the deprecated ``imghdr`` when it first loads its e-mail plugin; modules
# that send through apprise set ``pytestmark = APPRISE_WARNINGS`` (filterwarnings = error)
APPRISE_WARNINGS = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")
SNIPPET = "Lực lượng Công an phối hợp với Ban Dân vận."


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --- SMTP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message as the SMTP server got it."""

    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert isinstance(body, EmailMessage)
        return str(body.get_content())


class _Recorder:
    def __init__(self) -> None:
        self.received: list[Received] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        recipients = tuple(envelope.rcpt_tos)
        self.received.append(Received(str(envelope.mail_from), recipients, parsed))
        return "250 OK"


class SmtpServer:
    """A plain SMTP server (no TLS); with ``password``, a login as USER/password is required."""

    def __init__(self, *, user: str = "monitor", password: str | None = None) -> None:
        self.port = free_port()
        self.user = user
        self.password = password
        self.logins: list[tuple[str, bool]] = []
        self._recorder = _Recorder()
        self._controller = Controller(
            self._recorder,
            hostname=HOST,
            port=self.port,
            authenticator=self._authenticate if password is not None else None,
            auth_require_tls=False,
        )

    @property
    def received(self) -> list[Received]:
        return self._recorder.received

    def url(self, *, auth: str = "") -> str:
        """The Apprise URL of this server; ``auth`` is ``user:password@`` or empty."""
        return f"mailto://{auth}{HOST}:{self.port}?from=monitor@example.org&to=analyst@example.org"

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        accepted = data.login.decode() == self.user and data.password.decode() == self.password
        self.logins.append((data.login.decode(), accepted))
        return AuthResult(success=accepted, handled=False)  # handled=False: the server says 535

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._controller.stop()


# --- HTTP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    path: str
    body: dict[str, Any]


class HttpReceiver:
    """Records each POST's JSON body and answers ``status`` (200 unless told otherwise)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.posts: list[Post] = []
        self.status = 200
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str = "/hook") -> str:
        return f"json://{HOST}:{self.port}{path}"

    def start(self) -> None:
        """Listen (again) on the receiver's port."""
        self._server = ThreadingHTTPServer((HOST, self.port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: connections are refused until ``start``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> HttpReceiver:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _handler_for(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null")
            receiver.posts.append(Post(self.path, body))
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


# --- archive and config -------------------------------------------------------------------


def queue_alert(
    archive: Archive,
    article_id: int = 141005,
    *,
    rule: str = "dan-van",
    channel: str = "hook",
    **changes: Any,
) -> dict[str, Any]:
    """Store an article (``changes`` replace record fields), queue one alert for it on
    ``channel``, and return the pending alert as ``Archive.list_alerts`` reads it."""
    store(archive, record(article_id, **changes))
    (article,) = [a for a in archive.unmatched_articles() if a["article_id"] == article_id]
    hit = MatchRow(rule, "dân vận", "body", 35, 42, SNIPPET)
    archive.record_matches(
        article_id, article["content_hash"], [hit], [(rule, channel)], on_topic=True
    )
    (alert,) = [a for a in archive.list_alerts("pending") if a["article_id"] == article_id]
    return alert


def write_config(
    path: Path,
    database: Path,
    channels: Mapping[str, Mapping[str, str]],
    **alerts: float,
) -> Path:
    """A config file using ``database``, with ``channels`` and ``[alerts]`` settings."""
    lines = ["[database]", f"path = {json.dumps(str(database))}", "[alerts]"]
    lines += [f"{key} = {value}" for key, value in alerts.items()]
    for name, settings in channels.items():
        lines.append(f"[channels.{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
