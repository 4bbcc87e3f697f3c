"""The replica served over HTTP on 127.0.0.1, with a request log, failure injection and control.

    with ReplicaServer() as server:          # or: base = server.start() ... server.stop()
        base = server.base_url                # http://127.0.0.1:PORT
        server.fail("/rss/", "503-retry-after", count=2)
        server.publish("danvan")              # {"id": 179601, "url": ..., "kind": "danvan", ...}

Every page has Content-Type (charset=utf-8), Content-Length, a strong ETag (a hash of the body)
and, where it has dated content, Last-Modified; a matching If-None-Match, or an If-Modified-Since
not older than Last-Modified, is answered 304. Failures, by path prefix, for ``count`` requests
or until ``heal()``: HTTP errors, hangs, resets, truncated, endless, huge or compressed-bomb
bodies, wrong or missing charsets, redirect loops and off-site redirects, broken feeds, live
script in a page; ``replica.faults`` lists the modes. ``host`` binds another loopback
address (127.0.0.2 plays "another host" for off-site redirects).

Control over HTTP (never logged): ``GET /__replica/requests``, ``POST /__replica/clear-requests``,
``/__replica/publish`` {"kind"}, ``/__replica/fail`` {"path_prefix", "mode", "count", "delay",
"target"}, ``/__replica/heal``, ``/__replica/layout`` {"layout"}, ``/__replica/clock`` {"now"}.

Command line: ``python -m replica.server [--port 0] [--quiet] [--layout redesign]`` prints
the base URL on its first line and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import signal
import socket
import sys
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from replica.content import HTML, Page
from replica.faults import MODES, RESETS, Failure, FailureRules, inject
from replica.site import LAYOUTS, NothingToPublish, ReplicaSite

__all__ = ["MODES", "LoggedRequest", "ReplicaServer", "main"]  # MODES: see faults

CONTROL = "/__replica/"
JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it."""

    method: str
    path: str  # with the query
    status: int | None  # None: no response was sent (hang, reset)
    time: float  # Unix time when it was answered
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    failure: str | None = None  # the injected failure mode, if any


class ReplicaServer:
    """A ``ReplicaSite`` on 127.0.0.1 (or ``host``), in a daemon thread; thread-safe control."""

    def __init__(
        self,
        site: ReplicaSite | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        slow_delay: float = 2.0,
        quiet: bool = True,
    ) -> None:
        self.site = site if site is not None else ReplicaSite()
        self.slow_delay = slow_delay
        self.quiet = quiet
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._log: list[LoggedRequest] = []
        self._failures = FailureRules()
        self._stopping = threading.Event()
        self._connections: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._httpd: _HTTPServer | None = None
        self._base_url: str | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> str:
        """Bind host:port, serve in a daemon thread, return the base URL."""
        self._stopping.clear()
        self._httpd = _HTTPServer((self._host, self._port), _Handler)
        self._httpd.replica = self
        self._base_url = f"http://{self._host}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        """http://HOST:PORT (kept after ``stop()``)."""
        if self._base_url is None:
            raise RuntimeError("the replica server was never started")
        return self._base_url

    def stop(self) -> None:
        """Stop serving: release hanging and slow requests, close every connection."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ReplicaServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- request log -------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log, oldest first (control requests are never logged)."""
        with self._lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    # --- control -----------------------------------------------------------------------------

    def publish(self, kind: str | int = "danvan") -> dict[str, Any]:
        """Publish the next extra article of ``kind`` ("danvan", "lookalike", "ordinary",
        "hostile": markup characters in its title and text) or id.

        Raises ``NothingToPublish`` when none is left."""
        with self._lock:
            entry = self.site.publish(kind)
        base = self._base_url or ""
        return {
            "id": entry.id,
            "kind": entry.kind,
            "url": base + entry.path,
            "path": entry.path,
            "section": entry.section,
            "title": str(entry.article["title"]),
            "published_at": entry.when.isoformat() + "+07:00",
            "tags": list(entry.tags),
        }

    def fail(
        self,
        path_prefix: str,
        mode: str,
        count: int | None = None,
        *,
        delay: float | None = None,
        target: str | None = None,
    ) -> None:
        """Fail the next ``count`` requests under ``path_prefix`` (None: until ``heal()``);
        ``target`` is the base URL a "redirect-offsite" sends them to."""
        wait = self.slow_delay if delay is None else delay
        self._failures.add(Failure(path_prefix, mode, count, wait, target))

    def heal(self) -> None:
        """Drop every failure rule."""
        self._failures.clear()

    def edit(self, article_id: int, paragraph: str) -> None:
        """Append ``paragraph`` to a published article's body (a correction, an update)."""
        with self._lock:
            self.site.edit(article_id, paragraph)

    def set_layout(self, layout: str) -> None:
        """ "normal"; "changed": article pages in a template the site profile does not know;
        "redesign": every page in a new template, sitemaps instead of feeds."""
        with self._lock:
            self.site.set_layout(layout)

    def set_clock(self, now: str) -> None:
        """The replica's "now" (ISO 8601): header dates and the dates of new publications."""
        with self._lock:
            self.site.set_clock(now)

    # --- used by the handler -----------------------------------------------------------------

    def _page(self, path: str, base: str) -> Page:
        with self._lock:
            return self.site.page(path, base)

    def _record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    replica: ReplicaServer

    def shutdown_request(self, request: Any) -> None:
        if request in RESETS:  # no FIN first: linger 0 makes close() send a reset
            RESETS.discard(request)
            request.close()
            return
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """One connection; also the ``faults.Exchange`` a failure answers through."""

    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def version_string(self) -> str:
        return "congan-replica/1.0"

    @property
    def replica(self) -> ReplicaServer:
        return self.server.replica

    @property
    def stopping(self) -> threading.Event:
        return self.replica._stopping

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def setup(self) -> None:
        super().setup()
        with self.replica._lock:
            self.replica._connections.add(self.connection)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        if self.path.startswith(CONTROL):
            self._control()
        else:
            self.record(405)
            self.send(405, HTML, b"<h1>405 Method Not Allowed</h1>", {"Allow": "GET, HEAD"})

    def log_message(self, format: str, *args: Any) -> None:
        if not self.replica.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # --- pages -------------------------------------------------------------------------------

    def _serve(self, *, head: bool) -> None:
        if self.path.startswith(CONTROL):
            self._control()
            return
        failure = self.replica._failures.take(self.path)
        if failure is not None and inject(self, failure):
            self.close_connection = True
            return
        page = self.page()
        headers = _validators(page)
        status = page.status
        if status == 200 and _not_modified(self.headers, headers["ETag"], page.last_modified):
            status = 304
        body = b"" if head or status == 304 else page.body  # the length is still the page's
        self.record(status, failure)
        self.send(status, page.content_type, body, headers, length=len(page.body))

    def page(self) -> Page:
        """The site's page for this request's path (links absolute on the Host it asked)."""
        host = self.headers.get("Host") or f"{self.server.server_address[0]!s}:{self.port}"
        return self.replica._page(urlsplit(self.path).path, f"http://{host}")

    def send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None:
        length = len(body) if length is None else length
        fixed = {"Content-Type": content_type, "Content-Length": str(length)}
        self.send_head(status, fixed | (headers or {}))
        self.write(body)

    def send_head(self, status: int, headers: dict[str, str]) -> None:
        """The status line and ``headers``: a body may follow, written with ``write``."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def write(self, data: bytes) -> None:
        if data:
            self.wfile.write(data)
        self.wfile.flush()

    def record(self, status: int | None, failure: Failure | None = None) -> None:
        """Log the request, before answering: a client that has its answer finds it logged."""
        self.replica._record(
            LoggedRequest(
                method=self.command,
                path=self.path,
                status=status,
                time=time.time(),
                if_none_match=self.headers.get("If-None-Match"),
                if_modified_since=self.headers.get("If-Modified-Since"),
                user_agent=self.headers.get("User-Agent"),
                failure=failure.mode if failure else None,
            )
        )

    # --- control -----------------------------------------------------------------------------

    def _control(self) -> None:
        name = urlsplit(self.path).path.removeprefix(CONTROL)
        action = _ACTIONS.get((self.command, name))
        if action is None:
            self._reply(404, {"error": f"no control {self.command} {CONTROL}{name}"})
            return
        try:
            result = action(self.replica, self._json_body())
        except NothingToPublish as error:
            self._reply(409, {"error": str(error)})
        except (ValueError, TypeError, KeyError) as error:
            self._reply(400, {"error": str(error)})
        else:
            self._reply(200, result if result is not None else {"ok": True})

    def _json_body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        data = json.loads(self.rfile.read(length) or b"{}") if length else {}
        if not isinstance(data, dict):
            raise ValueError("the control body must be a JSON object")
        return data

    def _reply(self, status: int, data: object) -> None:
        self.send(status, JSON, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _fail_action(replica: ReplicaServer, body: dict[str, Any]) -> None:
    count, delay, target = body.get("count"), body.get("delay"), body.get("target")
    replica.fail(
        str(body["path_prefix"]),
        str(body["mode"]),
        None if count is None else int(count),
        delay=None if delay is None else float(delay),
        target=None if target is None else str(target),
    )


_ACTIONS: dict[tuple[str, str], Callable[[ReplicaServer, dict[str, Any]], Any]] = {
    ("GET", "requests"): lambda r, _: [asdict(entry) for entry in r.requests],
    ("POST", "clear-requests"): lambda r, _: r.clear_requests(),
    ("POST", "publish"): lambda r, body: r.publish(body.get("kind", "danvan")),
    ("POST", "fail"): _fail_action,
    ("POST", "heal"): lambda r, _: r.heal(),
    ("POST", "layout"): lambda r, body: r.set_layout(str(body["layout"])),
    ("POST", "clock"): lambda r, body: r.set_clock(str(body["now"])),
}


def _validators(page: Page) -> dict[str, str]:
    headers = {"ETag": '"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'}
    if page.last_modified is not None:
        headers["Last-Modified"] = format_datetime(page.last_modified.astimezone(UTC), usegmt=True)
    return headers


def _not_modified(request: Message, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = request.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.get("If-Modified-Since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the replica until SIGTERM or SIGINT; the first stdout line is the base URL."""
    parser = argparse.ArgumentParser(
        prog="python -m replica.server",
        description="Serve the congan.com.vn replica on 127.0.0.1. "
        "Example: python -m replica.server --port 8800 --quiet",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    parser.add_argument(
        "--clock",
        help="the replica's 'now': ISO 8601, or 'now' for this machine's time, so that articles "
        "published through /__replica/publish are new (default: newest article + 1 day)",
    )
    parser.add_argument(
        "--disallow", action="append", default=[], help="a robots.txt Disallow path (repeatable)"
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="normal",
        help="the site's template (default normal; redesign: new markup, sitemaps, no feeds)",
    )
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    clock = datetime.now(UTC).isoformat() if args.clock == "now" else args.clock
    site = ReplicaSite(now=clock, disallow=args.disallow)
    site.set_layout(args.layout)
    server = ReplicaServer(site, port=args.port, quiet=args.quiet)
    print(server.start(), flush=True)
    while not stop.wait(0.2):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
