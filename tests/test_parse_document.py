"""monitor.parse.document: a page is read in the charset its bytes are in."""

from __future__ import annotations

from monitor.parse.document import decode_html

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
