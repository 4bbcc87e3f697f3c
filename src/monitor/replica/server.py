"""The replica served over HTTP on 127.0.0.1, with a request log, failure injection and control.

    with ReplicaServer() as server:          # or: base = server.start() ... server.stop()
        base = server.base_url                # http://127.0.0.1:PORT
        server.fail("/rss/", "503-retry-after", count=2)
        server.publish("danvan")              # {"id": 179601, "url": ..., "kind": "danvan", ...}

Every page has Content-Type (charset=utf-8), Content-Length, a strong ETag (a hash of the body)
and, where it has dated content, Last-Modified; a matching If-None-Match, or an If-Modified-Since
not older than Last-Modified, is answered 304. Failure modes, by path prefix, for ``count``
requests or until ``heal()``: "500", "503-retry-after", "429" (both with Retry-After: 1), "slow",
"hang" (no answer until the server stops), "truncate" (Content-Length larger than the bytes
sent), "reset" (the connection is dropped with a TCP reset, no response).

Control over HTTP (never logged): ``GET /__replica/requests``, ``POST /__replica/clear-requests``,
``/__replica/publish`` {"kind"}, ``/__replica/fail`` {"path_prefix", "mode", "count", "delay"},
``/__replica/heal``, ``/__replica/layout`` {"layout"}, ``/__replica/clock`` {"now"}.

Command line: ``python -m monitor.replica.server [--port 0] [--quiet]`` prints the base URL on
its first line and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import signal
import socket
import struct
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

from monitor.replica.site import HTML, NothingToPublish, Page, ReplicaSite

CONTROL = "/__replica/"
MODES = ("500", "503-retry-after", "429", "slow", "hang", "truncate", "reset")
JSON = "application/json; charset=utf-8"
_ERRORS = {"500": 500, "503-retry-after": 503, "429": 429}


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


@dataclass
class _Failure:
    prefix: str
    mode: str
    remaining: int | None  # None: until heal()
    delay: float


class ReplicaServer:
    """A ``ReplicaSite`` on 127.0.0.1, in a daemon thread; thread-safe control methods."""

    def __init__(
        self,
        site: ReplicaSite | None = None,
        *,
        port: int = 0,
        slow_delay: float = 2.0,
        quiet: bool = True,
    ) -> None:
        self.site = site if site is not None else ReplicaSite()
        self.slow_delay = slow_delay
        self.quiet = quiet
        self._port = port
        self._lock = threading.RLock()
        self._log: list[LoggedRequest] = []
        self._failures: list[_Failure] = []
        self._stopping = threading.Event()
        self._connections: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._httpd: _HTTPServer | None = None
        self._base_url: str | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> str:
        """Bind 127.0.0.1:port, serve in a daemon thread, return the base URL."""
        self._stopping.clear()
        self._httpd = _HTTPServer(("127.0.0.1", self._port), _Handler)
        self._httpd.replica = self
        self._base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self.base_url

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT (kept after ``stop()``)."""
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
        """Publish the next extra article of ``kind`` ("danvan", "lookalike", "ordinary") or id.

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
        self, path_prefix: str, mode: str, count: int | None = None, *, delay: float | None = None
    ) -> None:
        """Fail the next ``count`` requests under ``path_prefix`` (None: until ``heal()``)."""
        if mode not in MODES:
            raise ValueError(f"unknown failure mode {mode!r} ({', '.join(MODES)})")
        failure = _Failure(path_prefix, mode, count, self.slow_delay if delay is None else delay)
        with self._lock:
            self._failures.append(failure)

    def heal(self) -> None:
        """Drop every failure rule."""
        with self._lock:
            self._failures.clear()

    def edit(self, article_id: int, paragraph: str) -> None:
        """Append ``paragraph`` to a published article's body (a correction, an update)."""
        with self._lock:
            self.site.edit(article_id, paragraph)

    def set_layout(self, layout: str) -> None:
        """ "changed": article pages in a template the site profile does not know."""
        with self._lock:
            self.site.set_layout(layout)

    def set_clock(self, now: str) -> None:
        """The replica's "now" (ISO 8601): header dates and the dates of new publications."""
        with self._lock:
            self.site.set_clock(now)

    # --- used by the handler -----------------------------------------------------------------

    def _take_failure(self, path: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if path.startswith(failure.prefix) and failure.remaining != 0:
                    if failure.remaining is not None:
                        failure.remaining -= 1
                    return failure
        return None

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
        if request in _RESETS:  # no FIN first: linger 0 makes close() send a reset
            _RESETS.discard(request)
            request.close()
            return
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)


_RESETS: weakref.WeakSet[socket.socket] = weakref.WeakSet()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def version_string(self) -> str:
        return "congan-replica/1.0"

    @property
    def replica(self) -> ReplicaServer:
        return self.server.replica

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
            self._send(405, HTML, b"<h1>405 Method Not Allowed</h1>", {"Allow": "GET, HEAD"})
            self._log(405)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.replica.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # --- pages -------------------------------------------------------------------------------

    def _serve(self, *, head: bool) -> None:
        if self.path.startswith(CONTROL):
            self._control()
            return
        failure = self.replica._take_failure(self.path)
        if failure is not None and self._inject(failure):
            return
        page = self.replica._page(urlsplit(self.path).path, self._base())
        headers = _validators(page)
        status = page.status
        if status == 200 and _not_modified(self.headers, headers["ETag"], page.last_modified):
            status = 304
        body = b"" if head or status == 304 else page.body  # the length is still the page's
        self._send(status, page.content_type, body, headers, length=len(page.body))
        self._log(status, failure)

    def _base(self) -> str:
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        return f"http://{host}"

    def _inject(self, failure: _Failure) -> bool:
        """Apply a failure; True when the request is done with (answered or dropped)."""
        if failure.mode == "slow":
            self.replica._stopping.wait(failure.delay)
            return False
        if failure.mode in _ERRORS:
            status = _ERRORS[failure.mode]
            extra = {"Retry-After": "1"} if failure.mode != "500" else {}
            self._send(status, HTML, f"<h1>{status}</h1>".encode(), extra)
            self._log(status, failure)
        elif failure.mode == "truncate":
            page = self.replica._page(urlsplit(self.path).path, self._base())
            half = page.body[: len(page.body) // 2]
            self._send(page.status, page.content_type, half, length=len(page.body))
            self._log(page.status, failure)
        else:  # hang, reset: no response at all
            self._log(None, failure)
            self._drop(reset=failure.mode == "reset")
        self.close_connection = True
        return True

    def _drop(self, *, reset: bool) -> None:
        """Hang until the server stops, or reset the connection (linger 0, no FIN first)."""
        if not reset:
            self.replica._stopping.wait()
            return
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        _RESETS.add(self.connection)

    def _send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)
        self.wfile.flush()

    def _log(self, status: int | None, failure: _Failure | None = None) -> None:
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
        self._send(status, JSON, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _fail_action(replica: ReplicaServer, body: dict[str, Any]) -> None:
    count, delay = body.get("count"), body.get("delay")
    replica.fail(
        str(body["path_prefix"]),
        str(body["mode"]),
        None if count is None else int(count),
        delay=None if delay is None else float(delay),
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
        prog="python -m monitor.replica.server",
        description="Serve the congan.com.vn replica on 127.0.0.1. "
        "Example: python -m monitor.replica.server --port 8800 --quiet",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    parser.add_argument("--clock", help="the replica's 'now', ISO 8601 (default: newest + 1 day)")
    parser.add_argument(
        "--disallow", action="append", default=[], help="a robots.txt Disallow path (repeatable)"
    )
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    site = ReplicaSite(now=args.clock, disallow=args.disallow)
    server = ReplicaServer(site, port=args.port, quiet=args.quiet)
    print(server.start(), flush=True)
    while not stop.wait(0.2):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
