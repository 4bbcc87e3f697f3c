"""BeautifulSoup (lxml parser) vs lxml.html on the golden pages: parse + select throughput.

    .venv/bin/python bench/bench_html_toolkit.py

Why the parser uses lxml.html with CSS selectors compiled to XPath rather than BeautifulSoup:
both run the same work here (parse a page, select the body container and its paragraphs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

from monitor.parse.select import select_all

PAGES = sorted((Path(__file__).resolve().parents[1] / "tests/golden/pages").glob("*.html"))


def with_lxml(html: bytes) -> int:
    root = lxml.html.document_fromstring(html)
    return len(select_all(root, "#article_content p"))


def with_soup(html: bytes) -> int:
    soup = BeautifulSoup(html, "lxml")
    return len(soup.select("#article_content p"))


def pages_per_second(work: Callable[[bytes], int], pages: list[bytes], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            work(page)
        best = min(best, time.perf_counter() - start)
    return len(pages) / best


def main() -> None:
    pages = [path.read_bytes() for path in PAGES]
    assert [with_lxml(p) for p in pages] == [with_soup(p) for p in pages], "different answers"
    fast, slow = pages_per_second(with_lxml, pages), pages_per_second(with_soup, pages)
    print(
        f"{len(pages)} pages: lxml.html {fast:.0f} pages/s, BeautifulSoup(lxml) {slow:.0f} pages/s"
    )
    print(f"lxml.html is {fast / slow:.1f}x BeautifulSoup on the same parse + select")


if __name__ == "__main__":
    main()
