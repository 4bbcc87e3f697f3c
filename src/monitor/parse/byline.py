"""Bylines: which names are a person's, and the generic byline finder.

A ``<meta name="author">`` often names the publisher ("VCCorp.vn", "Báo Công an TP.HCM"), which
is not an author. A name is taken as an organisation's when it is a domain or URL, names the site
(its profile name, a host, ``og:site_name``, JSON-LD ``publisher``), or starts with a word that
names a kind of organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import lxml.html

from monitor.parse.blocks import visible_text
from monitor.parse.dateline import describe
from monitor.parse.region import Region
from monitor.text import fold

# words an organisation's name starts with (folded: no marks, đ → d)
_ORGANISATION_STARTS = frozenset(
    ["bao", "tap chi", "cong ty", "dai", "trang tin", "cong thong tin", "ban bien tap",
     "toa soan", "tap doan", "newspaper", "magazine"]
)  # fmt: skip
_DOMAIN = re.compile(r"(?:https?://|www\.|\.(?:vn|com|net|org|info)\b)", re.I)
_BYLINE_WORDS = ("author", "byline", "tac-gia", "tacgia", "writer")
# "Tác giả: X", "Bài và ảnh: X"; "Theo X" (according to X) and "By X" without a colon
_LABEL = re.compile(
    r"^(?:(?:tác giả|bài và ảnh|bài, ảnh|bài|ảnh|nhóm phóng viên)\s*[:\-–]\s*|(?:theo|by)\s+)",
    re.I,
)
MAX_BYLINE = 80  # characters


def is_organisation(name: str, site_names: Iterable[str]) -> bool:
    """Whether ``name`` names an organisation or the site rather than a person."""
    folded = fold(name).strip()
    if _DOMAIN.search(name):
        return True
    for site in site_names:
        site_folded = fold(site).strip()
        if site_folded and (site_folded in folded or folded in site_folded):
            return True
    words = folded.split()
    return any(" ".join(words[:count]) in _ORGANISATION_STARTS for count in (1, 2, 3))


def person(name: str | None, site_names: Iterable[str]) -> str | None:
    """``name`` without a leading label, or None when it is empty or an organisation's."""
    if not name:
        return None
    cleaned = _LABEL.sub("", name).strip(" .,-–")
    if not cleaned or len(cleaned) > MAX_BYLINE or is_organisation(cleaned, site_names):
        return None
    return cleaned


def find_byline(region: Region, site_names: tuple[str, ...]) -> tuple[str, str] | None:
    """A person's name in an element of the region marked as a byline, and where it was."""
    for element in region.elements():
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if not any(word in names for word in _BYLINE_WORDS):
            continue
        name = person(visible_text(element), site_names)
        if name is not None:
            return name, describe(element)
    return None


def byline_elements(region: Region) -> list[lxml.html.HtmlElement]:
    """Elements of the region marked as a byline (removed from a generic body)."""
    return [
        element
        for element in region.elements()
        if any(
            word in f"{element.get('class') or ''} {element.get('id') or ''}".lower()
            for word in _BYLINE_WORDS
        )
    ]


_CREDIT = re.compile(r"\s*\((?:tổng hợp|theo [^()]{1,40})\)$", re.I)
MAX_NAME_WORDS = 5


def trailing_byline(paragraphs: Sequence[str], site_names: Iterable[str]) -> str | None:
    """The name a body's last paragraph holds when it is only a byline ("Lê Phương",
    "Hà Thu (tổng hợp)"): a few capitalised words, no digits, no sentence punctuation."""
    if not paragraphs:
        return None
    name = _CREDIT.sub("", paragraphs[-1]).strip()
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or any(char.isdigit() for char in name):
        return None
    if name.endswith((":", ",", ";", "!", "?")) or not all(word[0].isupper() for word in words):
        return None
    return person(name, site_names)
