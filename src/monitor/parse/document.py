"""From bytes to a parsed HTML tree: charset decoding and the "is this HTML at all" check."""

from __future__ import annotations

import codecs
import re
import unicodedata

import lxml.html
from lxml import etree

from monitor.errors import ExtractionError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_HTML_TAG = re.compile(r"<\s*(html|head|body|div|p|article|h1|title|meta)\b", re.I)
SNIFF_BYTES = 4096
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WORD = re.compile(r"[^\W\d_]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzăâđêôơư")  # Vietnamese letters without tones


def declared_charset(data: bytes, content_type: str | None) -> str | None:
    """The charset named by the HTTP header, else by a ``<meta>`` near the top, else None."""
    for found in (
        _HEADER_CHARSET.search(content_type or ""),
        _META_CHARSET.search(data[:SNIFF_BYTES]),
    ):
        if found:
            name = found.group(1)
            charset = name.decode("ascii") if isinstance(name, bytes) else name
            try:
                return codecs.lookup(charset).name
            except LookupError:
                continue
    return None


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, list[str]]:
    """The page's text and any decoding problems. Never decodes with replacement characters
    unless every other reading failed, and then says so."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), []
    charset = declared_charset(data, content_type)
    if charset is not None and charset != "utf-8" and _is_utf8_text(data):
        # A single-byte charset decodes any bytes, into mojibake when they are UTF-8; non-ASCII
        # text in another charset is practically never valid UTF-8, so this reading is safe.
        return data.decode("utf-8"), [f"declared charset {charset}, but the page is UTF-8"]
    if charset is not None:
        try:
            return data.decode(charset), []
        except UnicodeDecodeError:
            problem = f"declared charset {charset} does not decode the page; detected instead"
            return _detect(data), [problem]
    return _detect(data), []


def _is_utf8_text(data: bytes) -> bool:
    """Valid UTF-8 with at least one multi-byte character."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    readings = [str(match) for match in from_bytes(data)]
    # charset-normalizer ranks near-ties in its own order: a windows-1258 page came out read
    # as windows-1250, 'Cuôěn saěch' for 'Cuốn sách'. Of its readings, the one with the most
    # words spelled as Vietnamese syllables is the page (on a tie, charset-normalizer's best).
    if not readings:
        return data.decode("utf-8", "replace")
    return max(readings, key=_vietnamese_words)


def _vietnamese_words(text: str) -> int:
    """Words with letters beyond ASCII that could be Vietnamese syllables (letters of the
    alphabet, one tone mark at most), less those that could not."""
    score = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if not word.isascii():
            letters = unicodedata.normalize("NFD", word.lower())
            tones = sum(1 for c in letters if c in _TONE_MARKS)
            bare = unicodedata.normalize("NFC", "".join(c for c in letters if c not in _TONE_MARKS))
            score += 1 if tones <= 1 and set(bare) <= _ALPHABET else -1
    return score


def load_document(html: str, url: str) -> lxml.html.HtmlElement:
    """The parsed tree, or ExtractionError for empty input or input that is not HTML.

    Characters XML cannot hold (control characters but tab and line breaks, U+FFFE, U+FFFF)
    are dropped: lxml keeps them in the tree, then refuses them in any text handed back to it
    (as when an element is removed and its tail text joins its neighbour's)."""
    if not html.strip():
        raise ExtractionError("empty page", url=url)
    if "\x00" in html[:SNIFF_BYTES] or not _HTML_TAG.search(html[: SNIFF_BYTES * 16]):
        raise ExtractionError("not an HTML page", url=url)
    try:
        root = lxml.html.document_fromstring(_NOT_XML.sub("", html))
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"cannot parse the HTML: {error}", url=url) from None
    return root
