"""The real components alert tests run against, all on 127.0.0.1.

- ``SmtpServer``: an aiosmtpd server that records every message (optionally requiring a login).
  Apprise reaches it as ``mailto://127.0.0.1:PORT?from=...&to=...`` — ``mailto://`` (not
  ``mailtos://``) means no TLS (mode ``insecure``), and a port in the URL replaces 25.
- ``HttpReceiver``: an HTTP server that records every POST's JSON body, can answer an error
  status on demand, and can be stopped and restarted on the same port (an outage). Apprise
  reaches it as ``json://127.0.0.1:PORT/PATH``.
- Faults, for ``test_reliability_channels``: ``RefusingSmtpServer`` (550 to RCPT or DATA until
  it recovers), ``BrokenSmtpPort`` (a silent server, or one dropping the connection mid-DATA)
  and ``SlowHttpPort`` (answers after the sender's timeout), each holding the channel's port
  until a ``StandbySmtpServer`` or an ``HttpReceiver`` takes it over.
- ``queue_alert``: an article stored in an archive and a pending alert for it.
- ``write_config``: a config file with given channels and retry settings.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import socketserver
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
from monitor.archive.rows import AlertRow

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
    raw: bytes = b""  # as it came over the wire

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
        self.received.append(Received(str(envelope.mail_from), recipients, parsed, raw))
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
) -> AlertRow:
    """Store an article (``changes`` replace record fields), queue one alert for it on
    ``channel``, and return the pending alert as ``Archive.list_alerts`` reads it."""
    store(archive, record(article_id, **changes))
    (article,) = [a for a in archive.alerts.unmatched_articles() if a.article_id == article_id]
    hit = MatchRow(rule, "dân vận", "body", 35, 42, SNIPPET)
    archive.alerts.record_matches(
        article_id, article.content_hash, [hit], [(rule, channel)], on_topic=True
    )
    (alert,) = [a for a in archive.alerts.list_alerts("pending") if a.article_id == article_id]
    return alert


def write_config(
    path: Path,
    database: Path,
    channels: Mapping[str, Mapping[str, str]],
    **alerts: float | str,
) -> Path:
    """A config file using ``database``, with ``channels`` and ``[alerts]`` settings."""
    lines = ["[database]", f"path = {json.dumps(str(database))}", "[alerts]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in alerts.items()]
    for name, settings in channels.items():
        lines.append(f"[channels.{name}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- faults (tests/test_reliability_channels.py) ------------------------------------------
# An outage is played on the channel's own port: a refusing server that recovers in place, or
# a broken server holding the port until the real one takes it over (same URL throughout).


class _RefusingRecorder(_Recorder):
    """Records what it accepts; answers 550 at ``refuse`` ("rcpt", "data"; "" = never)."""

    def __init__(self, refuse: str) -> None:
        super().__init__()
        self.refuse = refuse
        self.refused = 0

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse == "rcpt":
            self.refused += 1
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse == "data":
            self.refused += 1
            return "550 5.7.1 message refused by policy"
        return await super().handle_DATA(server, session, envelope)


class RefusingSmtpServer(SmtpServer):
    """An ``SmtpServer`` answering 550 to every RCPT TO (``refuse="rcpt"``) or to every message
    (``refuse="data"``) until ``recover``; ``received`` holds only the messages it accepted."""

    def __init__(self, refuse: str, *, password: str | None = None) -> None:
        super().__init__(password=password)
        self._controller.loop.close()  # the plain server's, never started: replaced below
        self._refusing = _RefusingRecorder(refuse)
        self._recorder = self._refusing
        self._controller = Controller(
            self._recorder,
            hostname=HOST,
            port=self.port,
            authenticator=self._authenticate if password is not None else None,
            auth_require_tls=False,
        )

    @property
    def refused(self) -> int:
        """How many times it answered 550."""
        return self._refusing.refused

    def recover(self) -> None:
        self._refusing.refuse = ""

    def __enter__(self) -> RefusingSmtpServer:
        super().__enter__()
        return self


class StandbySmtpServer(SmtpServer):
    """An ``SmtpServer`` that may never start: it takes a port over when an outage ends (see
    ``BrokenSmtpPort``). ``start`` starts it; leaving its context stops or discards it."""

    def __init__(self, *, password: str | None = None) -> None:
        super().__init__(password=password)
        self.running = False

    def start(self) -> None:
        super().__enter__()
        self.running = True

    def __enter__(self) -> StandbySmtpServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.running:
            super().__exit__(*exc_info)
            self.running = False
        else:
            self._controller.loop.close()


class _BrokenTcpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, owner: BrokenSmtpPort) -> None:
        self.owner = owner
        super().__init__((HOST, owner.port), _BrokenSmtpHandler)


class _BrokenSmtpHandler(socketserver.StreamRequestHandler):
    server: _BrokenTcpServer

    def handle(self) -> None:
        owner = self.server.owner
        owner.connections += 1
        if owner.behaviour == "silent":
            owner.stopping.wait()  # hold the connection, say nothing
            return
        self.wfile.write(b"220 127.0.0.1 ESMTP\r\n")
        for line in self.rfile:
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                self.rfile.readline()  # the message's first line, then the line goes dead
                return
            self.wfile.write(_BROKEN_SMTP_REPLIES.get(verb, b"250 OK\r\n"))
            if verb == b"QUIT":
                return


_BROKEN_SMTP_REPLIES = {
    b"EHLO": b"250-127.0.0.1\r\n250 AUTH PLAIN\r\n",
    b"AUTH": b"235 2.7.0 Authentication successful\r\n",
    b"QUIT": b"221 Bye\r\n",
}


class BrokenSmtpPort:
    """A broken SMTP server holding ``port`` until ``stop`` (then a real server may take it):

    - ``"silent"``: accepts every connection and never says a word (a hung server);
    - ``"drop"``: talks SMTP (any PLAIN login accepted) up to DATA, reads the message's first
      line, and closes the connection mid-message.

    ``connections`` counts the connections it accepted.
    """

    def __init__(self, port: int, behaviour: str) -> None:
        self.port = port
        self.behaviour = behaviour
        self.connections = 0
        self.stopping = threading.Event()
        self._server: _BrokenTcpServer | None = None

    def start(self) -> None:
        self.stopping.clear()
        self._server = _BrokenTcpServer(self)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> BrokenSmtpPort:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class SlowHttpPort:
    """An HTTP server holding ``port`` until ``stop`` that answers each POST (200) only after
    ``delay`` seconds (or at ``stop``), when the sender has given up; ``late`` holds every
    POST it got."""

    def __init__(self, port: int, delay: float) -> None:
        self.port = port
        self.delay = delay
        self.late: list[Post] = []
        self.stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        self.stopping.clear()
        self._server = ThreadingHTTPServer((HOST, self.port), _slow_handler_for(self))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.stopping.set()  # wake the handlers still waiting
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlowHttpPort:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _slow_handler_for(port: SlowHttpPort) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null")
            port.late.append(Post(self.path, body))
            port.stopping.wait(port.delay)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
