"""replica.pages: the committed golden pages are exactly what the renderer makes now,
and text from the data can never become markup."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from replica.pages import Variant, render_article

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

import make_golden  # noqa: E402


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[str, str]]:
    articles, seed = make_golden.load_articles()
    pages = make_golden.plan_pages(articles, seed)
    out = {}
    for page in pages:
        html, record = make_golden.render(page, articles)
        out[page.name] = (html, json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return out


def test_committed_pages_match_the_renderer(rendered: dict[str, tuple[str, str]]) -> None:
    committed = {path.stem for path in (GOLDEN / "pages").glob("*.html")}
    assert committed == set(rendered)
    for name, (html, expected) in rendered.items():
        assert (GOLDEN / "pages" / f"{name}.html").read_bytes() == html.encode("utf-8"), name
        assert (GOLDEN / "pages" / f"{name}.json").read_text(encoding="utf-8") == expected, name


def test_text_is_escaped_never_markup() -> None:
    articles, _ = make_golden.load_articles()
    hostile = dict(articles[0])
    hostile["title"] = "<script>alert(1)</script> & <b>x</b>"
    hostile["paragraphs_raw"] = ["<img src=x onerror=alert(1)>", *hostile["paragraphs_raw"]]
    html = render_article(
        hostile, Variant(metadata=True), header_date="Thứ Hai, Ngày 23 Tháng 6, 2025", related=[]
    )
    assert "<script>alert(1)" not in html
    assert "<img src=x onerror" not in html
