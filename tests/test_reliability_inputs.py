"""Bad input: property-based and fuzz tests of everything that reads text from outside
(RELIABILITY.md)."""

from __future__ import annotations

from datetime import datetime

import pytest

from monitor.config import SiteProfile
from monitor.dates import VN_TZ
from monitor.parse import parse_article

pytestmark = pytest.mark.reliability

URL = "https://congan.com.vn/tin-chinh/cong-tac-dan-van_141005.html"
NOW = datetime(2025, 4, 9, 12, 0, tzinfo=VN_TZ)
ARTICLE = "<h1>Tiêu đề</h1><div id='article_content'><p>Công tác dân vận ở Thủ Đức.</p></div>"


def nested_page(kind: str, depth: int, closed: bool) -> str:
    """An article inside ``depth`` elements, or after JSON-LD nested ``depth`` deep."""
    if kind.startswith("json"):
        data = (
            "[" * depth + "]" * depth
            if kind == "json-array"
            else '{"@graph": ' * depth + "{}" + "}" * depth
        )
        ld = f'<script type="application/ld+json">{data}</script>'
        return f"<html><head>{ld}</head><body>{ARTICLE}"
    end = f"</{kind}>" * depth if closed else ""
    return f"<html><body>{f'<{kind}>' * depth}{ARTICLE}{end}"


# --- what the fuzzing found (each fixed; kept as plain cases) -------------------------------------


def test_tail_text_holding_a_control_character_survives_stripping(profile: SiteProfile) -> None:
    body = "<p>Công tác dân vận.</p><script>x</script>\x01tiếp \x0bnữa\ufffe"
    page = f"<html><body><h1>Tiêu đề</h1><div id='article_content'>{body}</div>"
    record = parse_article(page, URL, profile, now=NOW)
    assert record.body == "Công tác dân vận.\n\ntiếp nữa"


def test_json_ld_type_that_is_not_a_string_names_no_article(profile: SiteProfile) -> None:
    ld = '{"@type": {"a": 1}, "headline": "Khác"}'
    page = f'<html><head><script type="application/ld+json">{ld}</script></head><body>{ARTICLE}'
    record = parse_article(page, URL, profile, now=NOW)
    assert (record.title, record.extraction["title"]) == ("Tiêu đề", "profile")


@pytest.mark.parametrize("kind", ["json-array", "json-graph"])
def test_json_ld_nested_thousands_deep_is_ignored(profile: SiteProfile, kind: str) -> None:
    record = parse_article(nested_page(kind, 5000, closed=True), URL, profile, now=NOW)
    assert (record.title, record.extraction["title"]) == ("Tiêu đề", "profile")
