"""The golden article pages and their expected records (tests/golden/pages)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from monitor.config import SiteProfile

PAGES_DIR = Path(__file__).resolve().parent / "golden" / "pages"
BASELINE = Path(__file__).resolve().parent / "golden" / "baseline.json"

# The record fields the quality gate scores, one accuracy figure each.
SCORED_FIELDS = (
    "canonical_url", "article_id", "section", "title", "lead", "body", "published_at",
    "published_precision", "updated_at", "author", "tags", "images", "complete",
)  # fmt: skip


@dataclass(frozen=True)
class GoldenPage:
    name: str
    html: bytes
    expected: dict[str, Any]


def golden_pages() -> list[GoldenPage]:
    pages = []
    for html_path in sorted(PAGES_DIR.glob("*.html")):
        expected = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append(GoldenPage(html_path.stem, html_path.read_bytes(), expected))
    return pages


def field_accuracy(results: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, float]:
    """Per field: the share of (actual, expected) pairs where the field is exactly right."""
    return {
        name: sum(actual.get(name) == expected.get(name) for actual, expected in results)
        / len(results)
        for name in SCORED_FIELDS
    }


REDESIGN_DIR = Path(__file__).resolve().parent / "golden" / "redesign"


def redesign_pages() -> list[GoldenPage]:
    """The replica's "redesign" golden pages (tests/golden/redesign), named by article id: the
    page's bytes, and the record fields expected from it (without ``extraction``, ``complete``
    and ``problems``) plus ``json_ld`` and ``header_date``."""
    return _pages_in(REDESIGN_DIR)


FOREIGN_DIR = Path(__file__).resolve().parent / "golden" / "foreign"


def foreign_pages() -> list[GoldenPage]:
    """Article pages of other Vietnamese news sites (tests/golden/foreign), for the fallback
    path: the page's bytes as stored and the record read off the page by hand (see
    tests/golden/foreign/README.md for the fields)."""
    return _pages_in(FOREIGN_DIR)


# a site's tag pages, where its URLs say which links are tags (a site detail of its profile)
TAG_PATHS = {
    "baodautu.vn": r"^/tag/",
    "vietnamnet.vn": r"-tag\d+\.html$",
    "dantri.com.vn": r"^/tim-kiem/",
}
ARTICLE_PATH = r"^/(?P<section>(?:[a-z0-9-]+/)*)[^/]*?(?P<id>\d+)\.(?:html?|chn)$"


def foreign_profile(profile: SiteProfile, url: str) -> SiteProfile:
    """The shipped profile's selectors (which match nothing there), the site's own host."""
    host = urlsplit(url).netloc
    return profile.model_copy(
        update={
            "name": host,
            "hosts": (host,),
            "article_path": ARTICLE_PATH,
            "title_suffixes": (),
            "tag_path": TAG_PATHS.get(host, profile.tag_path),
        }
    )


def _pages_in(folder: Path) -> list[GoldenPage]:
    """Each ``NAME.html`` of the folder with its expected ``NAME.json``."""
    return [
        GoldenPage(
            path.stem,
            path.read_bytes(),
            json.loads(path.with_suffix(".json").read_text(encoding="utf-8")),
        )
        for path in sorted(folder.glob("*.html"))
    ]
