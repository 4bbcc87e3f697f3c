"""monitor.parse on the golden pages: each page's record equals its expected JSON."""

from __future__ import annotations

import pytest

from monitor.config import SiteProfile
from monitor.parse import parse_article

from golden_pages import GoldenPage, golden_pages

PAGES = golden_pages()


def test_there_are_at_least_forty_golden_pages() -> None:
    assert len(PAGES) >= 40


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_golden_page_record(page: GoldenPage, profile: SiteProfile) -> None:
    record = parse_article(page.html, page.expected["url"], profile).to_dict()
    expected = dict(page.expected)
    expected_problems = expected.pop("problems")
    problems = record.pop("problems")
    assert record == expected
    for fragment in expected_problems:  # expected problems are fragments of the messages
        assert any(fragment in problem for problem in problems), problems
    if not expected_problems:
        assert problems == []
