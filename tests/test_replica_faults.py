"""replica.faults: each failure mode, as a client sees it on the wire.

Fast checks with a raw HTTP client (no crawl); tests/test_reliability_site.py runs the crawler
against each mode.
"""

from __future__ import annotations

import html
import http.client
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from lxml import etree

from replica import faults
from replica.server import ReplicaServer
from replica.site import load_extras

pytestmark = pytest.mark.reliability


@pytest.fixture
def server() -> Iterator[ReplicaServer]:
    with ReplicaServer() as running:
        yield running


@pytest.fixture
def article(server: ReplicaServer) -> str:
    return server.site.entries[0].path


Get = Callable[[ReplicaServer, str], http.client.HTTPResponse]


@pytest.fixture
def get() -> Iterator[Get]:
    """GET a path; the body is the caller's to read, or not (connections close at the end)."""
    connections: list[http.client.HTTPConnection] = []

    def request(server: ReplicaServer, path: str) -> http.client.HTTPResponse:
        parts = urlsplit(server.base_url)
        connections.append(http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5))
        connections[-1].request("GET", path)
        return connections[-1].getresponse()

    yield request
    for connection in connections:
        connection.close()


def healthy(server: ReplicaServer, path: str) -> bytes:
    return server.site.page(path, server.base_url).body


def read_as_text(page: str) -> str:
    """The page as a browser reads its characters: references resolved, NFC."""
    return unicodedata.normalize("NFC", html.unescape(page))


def test_502_is_answered(get: Get, server: ReplicaServer) -> None:
    server.fail("/tin-chinh", "502", count=1)
    assert get(server, "/tin-chinh").status == 502
    assert get(server, "/tin-chinh").status == 200


@pytest.mark.parametrize("status", [404, 410])
def test_gone_statuses_are_answered(get: Get, server: ReplicaServer, status: int) -> None:
    server.fail("/tin-chinh", str(status), count=1)
    assert get(server, "/tin-chinh").status == status
    assert get(server, "/tin-chinh").status == 200


def test_unknown_mode_is_refused(server: ReplicaServer) -> None:
    with pytest.raises(ValueError, match="unknown failure mode"):
        server.fail("/", "teapot")


def test_wrong_charset_declares_latin1_over_utf8_bytes(
    get: Get, server: ReplicaServer, article: str
) -> None:
    server.fail(article, "wrong-charset")
    response = get(server, article)
    assert response.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    body = response.read()
    assert b"<meta charset" not in body
    assert body == faults.without_charset(healthy(server, article))


def test_no_charset_serves_windows_1258_undeclared(
    get: Get, server: ReplicaServer, article: str
) -> None:
    server.fail(article, "no-charset")
    response = get(server, article)
    assert response.headers["Content-Type"] == "text/html"
    body = response.read()
    assert b"charset" not in body.lower()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    expected = faults.without_charset(healthy(server, article)).decode("utf-8")
    assert read_as_text(body.decode("cp1258")) == read_as_text(expected)


def test_never_ends_drips_without_a_length(get: Get, server: ReplicaServer, article: str) -> None:
    server.fail(article, "never-ends")
    response = get(server, article)
    assert response.status == 200 and response.headers["Content-Length"] is None
    started = time.monotonic()
    assert response.read(3 * faults.DRIP_BYTES) == healthy(server, article)[:12]
    assert time.monotonic() - started >= 2 * faults.DRIP_INTERVAL


def test_huge_is_chunked_with_no_length(get: Get, server: ReplicaServer, article: str) -> None:
    server.fail(article, "huge")
    response = get(server, article)
    assert response.headers["Transfer-Encoding"] == "chunked"
    assert response.headers["Content-Length"] is None
    assert response.read(1 << 20).startswith(healthy(server, article)[:100])


def test_gzip_bomb_unpacks_to_zeros(get: Get, server: ReplicaServer, article: str) -> None:
    server.fail(article, "gzip-bomb")
    response = get(server, article)
    assert response.headers["Content-Encoding"] == "gzip"
    unpacked = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(response.read(1 << 16), 1 << 24)
    assert len(unpacked) == 1 << 24 and not unpacked.strip(b"\x00")


def test_redirect_loop_goes_back_and_forth(get: Get, server: ReplicaServer, article: str) -> None:
    server.fail(article, "redirect-loop")
    first = get(server, article)
    assert first.status == 302 and first.headers["Location"] == f"{article}?replica-loop=1"
    back = get(server, first.headers["Location"])
    assert back.status == 302 and back.headers["Location"] == article


def test_redirect_offsite_names_the_other_host(get: Get) -> None:
    with ReplicaServer() as server, ReplicaServer(host=faults.OFFSITE_HOST) as other:
        assert other.base_url.startswith(f"http://{faults.OFFSITE_HOST}:")
        server.fail("/tin-chinh", "redirect-offsite", target=other.base_url)
        assert (
            get(server, "/tin-chinh?x=1").headers["Location"] == other.base_url + "/tin-chinh?x=1"
        )
        server.fail("/quoc-te", "redirect-offsite")  # default: this port on 127.0.0.2
        port = urlsplit(server.base_url).port
        assert get(server, "/quoc-te").headers["Location"] == f"http://127.0.0.2:{port}/quoc-te"


def test_malformed_rss_is_not_well_formed_and_cut_short(get: Get, server: ReplicaServer) -> None:
    server.fail("/rss/home.rss", "malformed-rss")
    body = get(server, "/rss/home.rss").read()
    assert faults.GARBAGE in body and not body.rstrip().endswith(b"</rss>")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)


def test_hostile_markup_puts_live_script_in_the_title(
    get: Get, server: ReplicaServer, article: str
) -> None:
    server.fail(article, "hostile-markup")
    body = get(server, article).read()
    h1 = body[body.index(b"<h1") : body.index(b"</h1>")]
    assert faults.HOSTILE_SCRIPT in h1 and faults.HOSTILE_IMG in h1


def test_hostile_article_quotes_markup_as_escaped_text(get: Get, server: ReplicaServer) -> None:
    published = server.publish("hostile")
    body = get(server, published["path"]).read()
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert b"<script>alert(1)</script>" not in body


# --- the bodies, without a server ------------------------------------------------------------


def test_gzip_bomb_is_small_on_the_wire_and_unpacks_to_gigabytes() -> None:
    pieces = list(faults.gzip_bomb())
    wire = b"".join(pieces)
    assert len(wire) < 3 * 1024 * 1024
    assert int.from_bytes(wire[-4:], "little") == faults.BOMB_BYTES  # ISIZE
    unpacked = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(b"".join(pieces[:3]), 1 << 25)
    assert len(unpacked) == 1 << 25 and not unpacked.strip(b"\x00")


def test_huge_page_is_exactly_50_mib_in_pieces() -> None:
    pieces = faults.huge_page(b"<html><body><p>x</p></body></html>")
    assert sum(len(piece) for piece in pieces) == faults.HUGE_BYTES


def test_windows_1258_reads_back_as_the_same_vietnamese() -> None:
    title = next(a for a in load_extras() if a["kind"] == "hostile")["title"]
    text = unicodedata.normalize("NFC", f"{title} Thứ Năm, Ngày 20 Tháng 3 “ộ ặ ợ ữ”")
    assert unicodedata.normalize("NFC", faults.windows_1258(text).decode("cp1258")) == text
    assert faults.windows_1258("\u200b") == b"&#8203;"  # not in the code page
