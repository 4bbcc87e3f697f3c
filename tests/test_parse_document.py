"""monitor.parse.document: a page is read in the charset its bytes are in."""

from __future__ import annotations

from monitor.parse.document import decode_html
from replica import faults
from replica.site import ReplicaSite

VIETNAMESE = "<html><body><h1>Công an TPHCM: tăng cường cán bộ</h1></body></html>"


def test_utf8_page_declared_latin1_is_read_as_utf8() -> None:
    html, problems = decode_html(VIETNAMESE.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert html == VIETNAMESE
    assert problems == ["declared charset iso8859-1, but the page is UTF-8"]


def test_latin1_page_declared_latin1_is_read_as_latin1() -> None:
    page = "<p>café crème</p>".encode("latin-1")  # not valid UTF-8
    assert decode_html(page, "text/html; charset=iso-8859-1") == ("<p>café crème</p>", [])


def test_ascii_page_declared_latin1_needs_no_second_reading() -> None:
    assert decode_html(b"<p>plain</p>", "text/html; charset=iso-8859-1") == ("<p>plain</p>", [])


def test_undeclared_windows_1258_page_is_read_as_vietnamese() -> None:
    site = ReplicaSite()
    for entry in site.entries[:5]:  # charset-normalizer alone reads 3 of these as windows-1250
        page = faults.without_charset(site.page(entry.path, "https://congan.com.vn").body)
        data = faults.windows_1258(page.decode("utf-8"))
        html, problems = decode_html(data, "text/html")
        assert html == data.decode("cp1258") and problems == [], entry.id
