"""Failures the replica server injects: what each mode does to a request it hits.

``ReplicaServer.fail(path_prefix, mode, count, delay=…, target=…)`` queues a ``Failure``; the
server hands every request under the prefix to ``inject`` (while the failure has a count left),
which answers it through the request handler, seen here as an ``Exchange``, or lets the page be
served as usual. The modes:

- "500", "502": that status and a small HTML error page;
- "404", "410": the same, for a page that is gone (an article the site took down);
- "503-retry-after", "429": that status with ``Retry-After: 1``;
- "slow": the page, after ``delay`` seconds;
- "hang": no answer until the server stops;
- "truncate": the first half of the page under the whole page's Content-Length, then close;
- "reset": the connection dropped with a TCP reset, no response;
- "never-ends": 200 and its headers (no length, ``Connection: close``), then the page a few
  bytes a second, then spaces, until the client gives up or the server stops;
- "wrong-charset": the page's UTF-8 bytes under ``Content-Type: text/html; charset=iso-8859-1``,
  its ``<meta charset>`` removed;
- "no-charset": the page in windows-1258, the Vietnamese code page (letters with circumflex,
  breve or horn precomposed, tone marks as combining characters, what it lacks as numeric
  character references), with no charset in the header or the page;
- "huge": the page padded to 50 MiB with an HTML comment, streamed in chunks (chunked transfer
  coding: no Content-Length to refuse it by), never held in memory whole;
- "gzip-bomb": ``Content-Encoding: gzip``, 2 MiB on the wire that unpack to 2 GiB of zeros,
  streamed from one precomputed deflate block;
- "redirect-loop": 302 from A to A?replica-loop=1 and back to A, forever;
- "redirect-offsite": 302 to the same path and query on ``target`` (default: this port on
  127.0.0.2, the loopback address tests use for "another host");
- "malformed-rss": the page (a feed) with garbage bytes (an invalid UTF-8 sequence, a NUL, a
  bare ``&``, an unclosed tag) in its second item's title, cut off in the middle of a later
  item's link: no closing tags;
- "hostile-markup": the page with live ``<script>alert(1)</script>``, ``<b>``,
  ``<img src=x onerror=alert(1)>`` and ``<style>`` in its first ``<h1>`` and in the first
  paragraph of the article body (text unchanged: only markup is added).
"""

from __future__ import annotations

import itertools
import re
import socket
import struct
import threading
import unicodedata
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from replica.content import HTML, Page

MODES = (
    "500", "502", "404", "410", "503-retry-after", "429", "slow", "hang", "truncate", "reset",
    "never-ends", "wrong-charset", "no-charset", "huge", "gzip-bomb", "redirect-loop",
    "redirect-offsite", "malformed-rss", "hostile-markup",
)  # fmt: skip
OFFSITE_HOST = "127.0.0.2"
HUGE_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 2 * 1024 * 1024 * 1024
DRIP_BYTES, DRIP_INTERVAL = 4, 0.25  # "never-ends": 16 bytes a second
LOOP_QUERY = "replica-loop=1"
HOSTILE_SCRIPT = b"<script>alert(1)</script>"
HOSTILE_IMG = b'<img src="x" onerror="alert(1)">'
GARBAGE = b"\xff\xfe\x00 & <b "  # invalid UTF-8, a NUL, a bare ampersand, an unclosed tag
_ERRORS = {"500": 500, "502": 502, "404": 404, "410": 410, "503-retry-after": 503, "429": 429}
_META_CHARSET = re.compile(
    rb"<meta\s+(?:charset=[\"']?[\w-]+[\"']?|http-equiv=[\"']?content-type[^>]*)\s*/?>\s*", re.I
)
_CHUNK = 1 << 16
_BOMB_BLOCK = 16 * 1024 * 1024
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, no mtime
_LETTER_MARKS = frozenset("\u0302\u0306\u031b")  # circumflex, breve, horn: â ê ô ă ơ ư


@dataclass
class Failure:
    """One failure rule: ``mode`` for the next ``remaining`` requests under ``prefix``."""

    prefix: str
    mode: str
    remaining: int | None  # None: until heal()
    delay: float  # "slow"
    target: str | None = None  # "redirect-offsite": the other host's base URL

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown failure mode {self.mode!r} ({', '.join(MODES)})")


class FailureRules:
    """The failures queued on a server, first added first applied; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Failure] = []

    def add(self, failure: Failure) -> None:
        with self._lock:
            self._rules.append(failure)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, path: str) -> Failure | None:
        """The first rule with requests left whose prefix ``path`` has, counted down."""
        with self._lock:
            for failure in self._rules:
                if path.startswith(failure.prefix) and failure.remaining != 0:
                    if failure.remaining is not None:
                        failure.remaining -= 1
                    return failure
        return None


# Connections to close with a TCP reset: the server's shutdown_request closes these without
# shutting them down first (no FIN), and linger 0 makes close() send the reset.
RESETS: weakref.WeakSet[socket.socket] = weakref.WeakSet()


class Exchange(Protocol):
    """The request being answered, as a failure sees it (the server's request handler)."""

    path: str  # with the query
    connection: socket.socket

    @property
    def stopping(self) -> threading.Event: ...  # set when the server stops

    @property
    def port(self) -> int: ...

    def page(self) -> Page: ...  # what the site would serve for this path

    def record(self, status: int | None, failure: Failure | None = None) -> None: ...

    def send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None: ...

    def send_head(self, status: int, headers: dict[str, str]) -> None: ...

    def write(self, data: bytes) -> None: ...  # raises OSError when the client has gone


def inject(exchange: Exchange, failure: Failure) -> bool:
    """Apply ``failure``. True when the request is done with (answered or dropped, and its
    connection to be closed); False when the page is to be served as usual."""
    if failure.mode == "slow":
        exchange.stopping.wait(failure.delay)
        return False
    _ANSWERS[failure.mode](exchange, failure)
    return True


# --- answers ---------------------------------------------------------------------------------


def _error(exchange: Exchange, failure: Failure) -> None:
    status = _ERRORS[failure.mode]
    extra = {"Retry-After": "1"} if status in (503, 429) else {}
    exchange.record(status, failure)
    exchange.send(status, HTML, f"<h1>{status}</h1>".encode(), extra)


def _truncate(exchange: Exchange, failure: Failure) -> None:
    page = exchange.page()
    exchange.record(page.status, failure)
    exchange.send(
        page.status, page.content_type, page.body[: len(page.body) // 2], None, len(page.body)
    )


def _no_response(exchange: Exchange, failure: Failure) -> None:
    """No response: wait for the server to stop ("hang"), or reset the connection ("reset":
    linger 0, and no FIN first)."""
    exchange.record(None, failure)
    if failure.mode == "hang":
        exchange.stopping.wait()
        return
    linger = struct.pack("ii", 1, 0)
    exchange.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    RESETS.add(exchange.connection)


def _never_ends(exchange: Exchange, failure: Failure) -> None:
    exchange.record(200, failure)
    exchange.send_head(200, {"Content-Type": HTML, "Connection": "close"})
    body = exchange.page().body
    pieces = (body[start : start + DRIP_BYTES] for start in range(0, len(body), DRIP_BYTES))
    for piece in itertools.chain(pieces, itertools.repeat(b" " * DRIP_BYTES)):
        if exchange.stopping.wait(DRIP_INTERVAL) or not _write(exchange, piece):
            return


def _wrong_charset(exchange: Exchange, failure: Failure) -> None:
    page = exchange.page()
    _serve(exchange, failure, page, "text/html; charset=iso-8859-1", without_charset(page.body))


def _no_charset(exchange: Exchange, failure: Failure) -> None:
    page = exchange.page()
    body = windows_1258(without_charset(page.body).decode("utf-8"))
    _serve(exchange, failure, page, "text/html", body)


def _malformed_rss(exchange: Exchange, failure: Failure) -> None:
    page = exchange.page()
    _serve(exchange, failure, page, page.content_type, malformed_feed(page.body))


def _hostile_markup(exchange: Exchange, failure: Failure) -> None:
    page = exchange.page()
    _serve(exchange, failure, page, page.content_type, hostile_markup(page.body))


def _huge(exchange: Exchange, failure: Failure) -> None:
    page = exchange.page()
    _stream(exchange, failure, {"Content-Type": page.content_type}, huge_page(page.body))


def _gzip_bomb(exchange: Exchange, failure: Failure) -> None:
    headers = {"Content-Type": HTML, "Content-Encoding": "gzip"}
    _stream(exchange, failure, headers, gzip_bomb())


def _redirect_loop(exchange: Exchange, failure: Failure) -> None:
    path, _, query = exchange.path.partition("?")
    _redirect(exchange, failure, path if query == LOOP_QUERY else f"{path}?{LOOP_QUERY}")


def _redirect_offsite(exchange: Exchange, failure: Failure) -> None:
    base = failure.target or f"http://{OFFSITE_HOST}:{exchange.port}"
    _redirect(exchange, failure, base.rstrip("/") + exchange.path)


_ANSWERS: dict[str, Callable[[Exchange, Failure], None]] = {
    "500": _error,
    "502": _error,
    "404": _error,
    "410": _error,
    "503-retry-after": _error,
    "429": _error,
    "hang": _no_response,
    "reset": _no_response,
    "truncate": _truncate,
    "never-ends": _never_ends,
    "wrong-charset": _wrong_charset,
    "no-charset": _no_charset,
    "huge": _huge,
    "gzip-bomb": _gzip_bomb,
    "redirect-loop": _redirect_loop,
    "redirect-offsite": _redirect_offsite,
    "malformed-rss": _malformed_rss,
    "hostile-markup": _hostile_markup,
}


def _serve(
    exchange: Exchange, failure: Failure, page: Page, content_type: str, body: bytes
) -> None:
    exchange.record(page.status, failure)
    exchange.send(page.status, content_type, body)


def _redirect(exchange: Exchange, failure: Failure, location: str) -> None:
    exchange.record(302, failure)
    exchange.send(302, HTML, b"", {"Location": location})


def _stream(
    exchange: Exchange, failure: Failure, headers: dict[str, str], pieces: Iterable[bytes]
) -> None:
    """200 in chunked transfer coding, until the pieces run out or the client goes."""
    exchange.record(200, failure)
    exchange.send_head(200, {**headers, "Transfer-Encoding": "chunked"})
    for piece in pieces:
        if exchange.stopping.is_set() or not _write(
            exchange, b"%x\r\n%s\r\n" % (len(piece), piece)
        ):
            return
    _write(exchange, b"0\r\n\r\n")


def _write(exchange: Exchange, data: bytes) -> bool:
    try:
        exchange.write(data)
    except OSError:  # the client gave up: broken pipe, reset
        return False
    return True


# --- bodies (pure) ---------------------------------------------------------------------------


def without_charset(html: bytes) -> bytes:
    """The page without its ``<meta charset>`` (or ``http-equiv="Content-Type"``) element."""
    return _META_CHARSET.sub(b"", html)


def windows_1258(text: str) -> bytes:
    """``text`` in windows-1258 as Vietnamese is written in it: letters with circumflex, breve
    or horn precomposed, tone marks combining; characters it lacks as ``&#N;`` references."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        letter = decomposed[0] + "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
        tones = "".join(m for m in decomposed[1:] if m not in _LETTER_MARKS)
        out.append(unicodedata.normalize("NFC", letter) + tones)
    return "".join(out).encode("cp1258", "xmlcharrefreplace")


def malformed_feed(feed: bytes) -> bytes:
    """The feed with garbage in its second item's title, cut in the middle of the link of the
    item halfway down (no closing tags follow)."""
    starts = [match.start() for match in re.finditer(rb"<item>", feed)]
    if len(starts) < 2:
        return feed[: len(feed) // 2] + GARBAGE
    title = feed.index(b"<title>", starts[1]) + len(b"<title>")
    garbage = feed[:title] + GARBAGE + feed[title:]
    link = garbage.index(b"<link>", starts[len(starts) // 2] + len(GARBAGE)) + len(b"<link>")
    return garbage[: (link + garbage.index(b"</link>", link)) // 2]


def hostile_markup(html: bytes) -> bytes:
    """Live script, bold, image-with-onerror and style elements in the first ``<h1>`` and the
    article body's first paragraph; the text a reader sees is unchanged."""
    extra = HOSTILE_SCRIPT + HOSTILE_IMG + b"<style>b{color:red}</style>"
    html = re.sub(
        rb"(<h1[^>]*>)(.*?)(</h1>)", rb"\1" + extra + rb"<b>\2</b>\3", html, count=1, flags=re.S
    )
    start = html.find(b'id="article_content"')
    if start < 0:
        return html
    head, body = html[:start], html[start:]
    body = re.sub(
        rb"(<p[^>]*>)(.*?)(</p>)", rb"\1<b>\2</b>" + extra + rb"\3", body, count=1, flags=re.S
    )
    return head + body


def huge_page(html: bytes, size: int = HUGE_BYTES) -> Iterator[bytes]:
    """The page padded to ``size`` bytes by an HTML comment before ``</body>``, in pieces."""
    head, end, tail = html.rpartition(b"</body>")
    if not end:
        head, tail = html, b""
    padding = size - len(html) - len(b"<!--") - len(b"-->")
    yield head + b"<!--"
    filler = b"padding " * (_CHUNK // 8)
    for start in range(0, max(padding, 0), _CHUNK):
        yield filler[: min(_CHUNK, padding - start)]
    yield b"-->" + end + tail


def gzip_bomb(size: int = BOMB_BYTES) -> Iterator[bytes]:
    """A gzip stream of ``size`` zero bytes (rounded down to 16 MiB blocks): one deflate block
    of 16 MiB of zeros, closed by a full flush so it stands alone, repeated, then the trailer."""
    block, final = _zero_block()
    blocks = size // _BOMB_BLOCK
    yield _GZIP_HEADER
    for _ in range(blocks):
        yield block
    total = blocks * _BOMB_BLOCK
    yield final + struct.pack("<II", _zeros_crc(blocks), total & 0xFFFFFFFF)


@cache
def _zero_block() -> tuple[bytes, bytes]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(_BOMB_BLOCK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block, compressor.flush(zlib.Z_FINISH)


@cache
def _zeros_crc(blocks: int) -> int:
    zeros, crc = bytes(_BOMB_BLOCK), 0
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    return crc
