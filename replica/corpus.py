"""Many distinct article pages in the replica's templates: an archive of realistic size for the
benchmarks and tests of raw-page compression (``bench/bench_store.py``).

Each page is a new article recombined from the real ones (``data/``): a source article's title
and lead; as many paragraphs as it has, in its order from a random point, each one time in
three from another article instead (so lengths are spread as the real articles' are, 5,000
characters on average); a new id and publication time; a random variant of the page (see
``plan.Variant``); and four other articles in its related boxes. ``sources`` limits the
articles the text comes from, so that a test set's text can be kept out of a training set.
Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any, Literal

from replica.other_template import render_other_template
from replica.pages import render_article
from replica.plan import Variant
from replica.site import header_date, load_articles

Layout = Literal["site", "other"]
FIRST_ID = 180_000
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_SWITCHES = tuple(f.name for f in fields(Variant) if f.name != "weekday_mismatch")


@dataclass(frozen=True)
class CorpusPage:
    """One rendered page and the article id and URL it is served at."""

    article_id: int
    url: str
    html: bytes


def synthetic_pages(
    count: int,
    *,
    seed: int = 0,
    sources: Sequence[Mapping[str, Any]] | None = None,
    layout: Layout = "site",
    first_id: int = FIRST_ID,
) -> list[CorpusPage]:
    """``count`` pages with rising ids from ``first_id`` (see the module docstring), in the
    site's template or, with ``layout="other"``, the replica's other template."""
    rng = random.Random(seed)
    articles = list(sources if sources is not None else load_articles())
    start = datetime(2025, 1, 1, 6, 0)
    pages = []
    for n in range(count):
        when = start + timedelta(minutes=37 * n + rng.randint(0, 30))
        article = _recombined(rng, articles, first_id + 3 * n, when)
        related = rng.sample(articles, min(4, len(articles)))
        today = header_date(when + timedelta(days=1))
        if layout == "other":
            html = render_other_template(article, header_date=today, related=related)
        else:
            variant = Variant.of(name for name in _SWITCHES if rng.random() < 0.25)
            html = render_article(article, variant, header_date=today, related=related)
        pages.append(CorpusPage(article["article_id"], article["url"], html.encode("utf-8")))
    return pages


def _recombined(
    rng: random.Random, articles: Sequence[Mapping[str, Any]], article_id: int, when: datetime
) -> dict[str, Any]:
    """A new article: a source's title and lead, paragraphs mostly from it, a new id and date."""
    source = rng.choice(articles)
    own = list(source["paragraphs_raw"])
    first = rng.randrange(len(own))
    paragraphs = [
        rng.choice(rng.choice(articles)["paragraphs_raw"])
        if rng.random() < 1 / 3
        else own[(first + offset) % len(own)]
        for offset in range(len(own))
    ]
    stem = str(source["url"]).rsplit("_", 1)[0]
    return {
        **source,
        "article_id": article_id,
        "url": f"{stem}_{article_id}.html",
        "paragraphs_raw": paragraphs,
        "date_line_raw": f"{_WEEKDAYS[when.weekday()]}, {when:%d/%m/%Y %H:%M}",
    }
