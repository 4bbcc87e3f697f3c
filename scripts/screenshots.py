"""Screenshots of the web view: docs/screenshots/search.png and docs/screenshots/article.png.

    .venv/bin/python scripts/screenshots.py     # about 10 s; needs chromium (apt-get install)

Fills a temporary archive by crawling the bundled replica of the site (as the tests do), serves
it with this checkout's ``monitor serve``, and has headless Chromium (driven over the DevTools
Protocol, ``tests/browser_support.py``) capture the search page for ``dan van`` and an article
page opened from it (``Page.captureScreenshot``, 1280 x 1000). Images on the article page point
at the site, unreachable offline: they are hidden, their captions stay.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]
# the monitor processes started below run this checkout too
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
)

from browser_support import browser_page  # noqa: E402
from web_support import WebServer, filled_archive  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
QUERY = "dan van"
ARTICLE = 175365  # a dân vận article whose lead holds a match, with images


def main() -> int:
    """Make both screenshots; print where they are."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        config = filled_archive(Path(folder))
        server = WebServer(config)
        try:
            with browser_page(Path(folder) / "profile") as page:
                page.goto(f"{server.url}/archive/search?q={QUERY.replace(' ', '+')}")
                page.screenshot(OUT / "search.png")
                page.goto(f"{server.url}/archive/article/{ARTICLE}?q={QUERY.replace(' ', '+')}")
                page.screenshot(OUT / "article.png")
        finally:
            server.stop()
    for name in ("search.png", "article.png"):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
