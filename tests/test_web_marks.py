"""Text as HTML with marks (monitor.web.marks): escaped, overlaps merged, paragraphs kept."""

from __future__ import annotations

from monitor.search.query import compile_query
from monitor.web.marks import Mark, clipped, marked, paragraphs, query_marks


def test_text_is_escaped_and_marks_wrap_their_span() -> None:
    html = marked("<b>Dân vận</b> & x", [Mark(3, 10, "query")])
    assert html == '&lt;b&gt;<mark class="query">Dân vận</mark>&lt;/b&gt; &amp; x'


def test_overlapping_marks_share_one_mark_per_piece() -> None:
    marks = [Mark(0, 11, "rule", "dan-van: Ban Dân vận"), Mark(4, 11, "query")]
    html = marked("Ban Dân vận", marks)
    assert html == (
        '<mark class="rule" title="dan-van: Ban Dân vận">Ban </mark>'
        '<mark class="query rule" title="dan-van: Ban Dân vận">Dân vận</mark>'
    )


def test_a_tooltip_is_escaped() -> None:
    assert marked("x", [Mark(0, 1, "rule", '"><script>')]) == (
        '<mark class="rule" title="&#34;&gt;&lt;script&gt;">x</mark>'
    )


def test_marks_outside_the_text_are_ignored() -> None:
    assert marked("abc", [Mark(2, 9, "rule"), Mark(-1, 1, "rule")]) == "abc"


def test_query_marks_are_what_the_search_matched() -> None:
    text = "Đảng ủy đang bàn công tác dân vận"
    spans = [text[m.start : m.end] for m in query_marks(text, compile_query("đang, dan van"))]
    assert spans == ["đang", "dân vận"]
    assert query_marks(text, None) == []


def test_paragraphs_keep_their_offsets_and_marks_follow_them() -> None:
    body = "Một.\n\nHai dân vận.\n\n\n\nBa."
    found = paragraphs(body)
    assert [text for _, text in found] == ["Một.", "Hai dân vận.", "Ba."]
    offset, text = found[1]
    assert body[offset : offset + len(text)] == text
    [inside] = clipped([Mark(10, 17, "query"), Mark(0, 3, "rule")], offset, len(text))
    assert text[inside.start : inside.end] == "dân vận"
