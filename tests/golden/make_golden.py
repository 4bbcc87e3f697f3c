"""Write the golden extraction pages and the records a parser must produce from them.

Run from the repository root (regenerating gives identical bytes):

    .venv/bin/python tests/golden/make_golden.py

Pages are rendered by the replica package (``replica``) from the real article texts in
``replica/data``. The expected records are the oracle: they are computed from the
SOURCE DATA with the small normaliser below — never by running a parser — plus what the replica
invented for the page (photos, captions, tags, a modification time), read from its plan.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from monitor.record import ArticleRecord, Image, Layer, Precision
from replica.other_template import render_other_template
from replica.pages import Variant, plan_article, render_article

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
DATA = HERE.parents[1] / "replica" / "data"

Article = Mapping[str, Any]

# Switch combinations given to the 59 articles in turn (author_in_box is added to every other
# article that has an author). Later pages add combinations the cycle does not make.
RECIPES: tuple[tuple[str, ...], ...] = (
    ("metadata", "tags", "gallery"),
    ("decomposed", "related_boxes", "widgets_inside"),
    ("zero_width", "nested", "gallery"),
    ("unpadded_date", "no_lead", "tags"),
    ("metadata", "related_boxes", "gallery", "widgets_inside"),
    ("decomposed", "zero_width", "tags", "nested"),
    ("gallery", "related_boxes", "no_lead"),
    ("metadata", "zero_width", "widgets_inside"),
    ("nested", "gallery", "decomposed", "tags"),
    ("unpadded_date", "related_boxes", "widgets_inside"),
    (),
)
# Second pages for some articles: rare combinations and traps on top of each other.
EXTRAS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (175411, ("weekday_mismatch", "gallery", "tags")),
    (178047, ("weekday_mismatch", "author_in_box", "related_boxes")),
    (176437, ("nested", "related_boxes", "widgets_inside")),  # boxes inside the nested wrapper
    (179530, ("metadata", "nested", "related_boxes", "tags")),
    (176430, ("metadata", "author_in_box", "decomposed", "zero_width", "related_boxes")),
    (176430, ("gallery", "nested", "tags", "widgets_inside", "no_lead")),
    (178061, ("unpadded_date", "decomposed", "gallery")),  # its title ends in U+200B
    (179555, ("metadata", "gallery", "zero_width")),  # its lead has no (CAO) dateline
)
SEED_RECIPES: tuple[tuple[str, ...], ...] = (
    ("unpadded_date", "widgets_inside", "tags"),
    ("unpadded_date", "decomposed", "related_boxes", "gallery", "nested"),
)
# Articles without an author, rendered in the template the profile does not know.
HARD = (175351, 176436, 179506)
# Combinations the oracle cannot state unambiguously (metadata carries a time, or would be
# preferred over the date line whose weekday is wrong), so no page has them.
CONFLICTS = (
    ("metadata", "unpadded_date"),
    ("metadata", "weekday_mismatch"),
    ("metadata", "no_lead"),  # og:description must not be mistaken for a missing lead
)
MIN_PAGES_PER_SWITCH = 5
MIN_PAGES_WEEKDAY_MISMATCH = 2


# --- the oracle's own normaliser and date reader (independent of the replica and the parser) ---

_SPACES = re.compile(r" +")
_DATELINE = re.compile(r"^\((?:CAO|CATP)\) ?")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?")


def normalise(value: str) -> str:
    """NFC; drop Cf; Zs, CR, LF, tab -> space; Ð/ð -> Đ/đ; collapse spaces; strip."""
    value = unicodedata.normalize("NFC", value)
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category == "Zs" or char in "\r\n\t" else char)
    value = "".join(kept).replace("Ð", "Đ").replace("ð", "đ")
    return _SPACES.sub(" ", value).strip()


def expected_lead(raw: str) -> str | None:
    return _DATELINE.sub("", normalise(raw)) or None


def expected_body(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(text for text in (normalise(p) for p in paragraphs) if text)


def expected_published(date_line_raw: str, *, day_only: bool) -> tuple[str, Precision]:
    match = _DATE.search(normalise(date_line_raw))
    if match is None:
        raise ValueError(f"no date in {date_line_raw!r}")
    day, month, year = int(match[1]), int(match[2]), int(match[3])
    if match[4] is None or day_only:
        return f"{year:04d}-{month:02d}-{day:02d}T00:00:00+07:00", "day"
    hour, minute = int(match[4]), int(match[5])
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+07:00", "minute"


# --- expected records ---


def expected_record(article: Article, variant: Variant) -> ArticleRecord:
    plan = plan_article(article, variant)  # what the page shows beyond the data
    published, precision = expected_published(
        article["date_line_raw"], day_only=variant.unpadded_date
    )
    lead_raw = article.get("lead_raw")
    record = ArticleRecord(
        url=article["url"],
        canonical_url=article["url"],
        article_id=int(article["article_id"]),
        section=article["section"],
        title=normalise(article["title"]),
        lead=expected_lead(lead_raw) if lead_raw and not variant.no_lead else None,
        body=expected_body(article["paragraphs_raw"]),
        published_at=published,
        published_precision=precision,
        updated_at=plan.modified.strftime("%Y-%m-%dT%H:%M:%S+07:00") if plan.modified else None,
        author=normalise(article["author"]) if article.get("author") else None,
        tags=tuple(normalise(tag) for tag in plan.tags),
        images=tuple(
            Image(url=image.url, caption=normalise(image.caption) if image.caption else None)
            for image in plan.images
        ),
        problems=("weekday",) if variant.weekday_mismatch else (),
    )
    return _with_layers(record, _layers(variant))


def _layers(variant: Variant) -> dict[str, Layer]:
    meta: Layer = "metadata" if variant.metadata else "profile"
    return {
        "canonical_url": "metadata" if variant.metadata else "url",
        "article_id": "url",
        "section": "url",
        "title": meta,
        "lead": "profile",
        "body": "profile",
        "published_at": meta,
        "updated_at": "metadata",
        "author": meta,  # the JSON-LD carries the author whenever it is known
        "tags": "profile",  # the tag links shown win over the metadata's keywords
        "images": "profile",
    }


def _with_layers(record: ArticleRecord, layers: dict[str, Layer]) -> ArticleRecord:
    """Keep the layer of every field that has a value, in the record's field order."""
    names = [f.name for f in fields(record) if f.name in layers]
    extraction = {name: layers[name] for name in names if getattr(record, name)}
    return ArticleRecord(**{**_as_kwargs(record), "extraction": extraction})


def _as_kwargs(record: ArticleRecord) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record)}


def hard_record(article: Article) -> ArticleRecord:
    published, precision = expected_published(article["date_line_raw"], day_only=False)
    record = ArticleRecord(
        url=article["url"],
        canonical_url=article["url"],
        article_id=int(article["article_id"]),
        section=article["section"],
        title=normalise(article["title"]),
        lead=None,
        body=expected_body(article["paragraphs_raw"]),
        published_at=published,
        published_precision=precision,
        updated_at=None,
        author=None,
    )
    layers: dict[str, Layer] = {
        "canonical_url": "metadata",
        "article_id": "url",
        "section": "url",
        "title": "generic",
        "body": "generic",
        "published_at": "metadata",
    }
    return _with_layers(record, layers)


# --- which pages to make ---


@dataclass(frozen=True)
class Page:
    article: Article
    variant: Variant | None  # None: the other template (generic extractor)

    @property
    def name(self) -> str:
        suffix = self.variant.short_name if self.variant else "generic"
        return f"{self.article['article_id']}-{suffix}"


def load_articles() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    with (DATA / "articles.jsonl").open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    seed = json.loads((DATA / "seed-article.json").read_text(encoding="utf-8"))
    return articles, seed


def plan_pages(articles: Sequence[Article], seed: Article) -> list[Page]:
    by_id = {int(a["article_id"]): a for a in articles}
    pages = []
    authored = 0
    for index, article in enumerate(articles):
        switches = list(RECIPES[index % len(RECIPES)])
        if article.get("author"):
            if authored % 2 == 0:
                switches.append("author_in_box")
            authored += 1
        pages.append(Page(article, Variant.of(switches)))
    pages += [Page(by_id[article_id], Variant.of(switches)) for article_id, switches in EXTRAS]
    pages += [Page(seed, Variant.of(switches)) for switches in SEED_RECIPES]
    pages += [Page(by_id[article_id], None) for article_id in HARD]
    _check(pages)
    return pages


def _check(pages: Sequence[Page]) -> None:
    names = [page.name for page in pages]
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    if duplicates:
        raise SystemExit(f"duplicate page names: {duplicates}")
    for page in pages:
        on = set(page.variant.switches) if page.variant else set()
        for pair in CONFLICTS:
            if on.issuperset(pair):
                raise SystemExit(f"{page.name}: {pair} cannot be combined")
        if "author_in_box" in on and not page.article.get("author"):
            raise SystemExit(f"{page.name}: author_in_box on an article without an author")
    counts = switch_counts(pages)
    for name in (f.name for f in fields(Variant)):
        least = MIN_PAGES_WEEKDAY_MISMATCH if name == "weekday_mismatch" else MIN_PAGES_PER_SWITCH
        if counts[name] < least:
            raise SystemExit(f"switch {name} is on {counts[name]} pages, fewer than {least}")


def switch_counts(pages: Sequence[Page]) -> Counter[str]:
    return Counter(name for page in pages if page.variant for name in page.variant.switches)


def related_to(article: Article, articles: Sequence[Article], count: int = 10) -> list[Article]:
    """Other articles for the page's sidebars and boxes: the ones after it, wrapping round."""
    others = [a for a in articles if a["article_id"] != article["article_id"]]
    start = next(
        (i for i, a in enumerate(others) if a["article_id"] > article["article_id"]),
        0,
    )
    return (others[start:] + others[:start])[:count]


# --- writing ---


def render(page: Page, articles: Sequence[Article]) -> tuple[str, ArticleRecord]:
    related = related_to(page.article, articles)
    header_date = page.article["header_date_raw"]
    if page.variant is None:
        html = render_other_template(page.article, header_date=header_date, related=related)
        return html, hard_record(page.article)
    html = render_article(page.article, page.variant, header_date=header_date, related=related)
    return html, expected_record(page.article, page.variant)


def write_pages(pages: Sequence[Page], articles: Sequence[Article]) -> list[tuple[Page, int]]:
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in [*PAGES.glob("*.html"), *PAGES.glob("*.json")]:
        old.unlink()
    written = []
    for page in pages:
        html, record = render(page, articles)
        data = html.encode("utf-8")
        (PAGES / f"{page.name}.html").write_bytes(data)
        expected = json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n"
        (PAGES / f"{page.name}.json").write_text(expected, encoding="utf-8")
        written.append((page, len(data)))
    return written


def readme(written: Sequence[tuple[Page, int]]) -> str:
    pages = [page for page, _ in written]
    counts = switch_counts(pages)
    sizes = [size for _, size in written]
    rows = [_readme_row(page, size) for page, size in written]
    coverage = "\n".join(f"| `{f.name}` | {counts[f.name]} |" for f in fields(Variant))
    return README.format(
        pages=len(pages),
        articles=len({page.article["article_id"] for page in pages}),
        smallest=min(sizes) // 1024,
        largest=max(sizes) // 1024,
        coverage=coverage,
        rows="\n".join(rows),
    )


def _readme_row(page: Page, size: int) -> str:
    record = expected_record(page.article, page.variant) if page.variant else None
    switches = ", ".join(page.variant.switches) if page.variant else "other template (generic)"
    images = len(record.images) if record else 0
    tags = len(record.tags) if record else 0
    return (
        f"| `{page.name}` | {page.article['article_id']} | {switches or 'none'} | "
        f"{images} | {tags} | {size // 1024} |"
    )


README = """# Golden extraction pages

Each `pages/{{article_id}}-{{variant}}.html` is a congan.com.vn article page rendered by the local
replica (`replica/`) from a real article's text; the `.json` next to it is the record a
parser must produce from it (`ArticleRecord.to_dict()`, field order as in `monitor/record.py`).
{pages} pages from {articles} articles (every one of the 59 real 2025 articles, the 2022 dân vận
seed article, some articles twice), {smallest}–{largest} KB each.

**Do not edit the files by hand.** Regenerate them all (identical bytes on every run) with:

    .venv/bin/python tests/golden/make_golden.py

## How the expected records are made

They are the oracle, so no parser is run. `make_golden.py` computes them from the source data
(`replica/data/`) with its own minimal normaliser (NFC; drop Unicode Cf characters;
every Zs character, CR, LF and tab become a space; `Ð/ð` → `Đ/đ`; collapse spaces; strip), and
reads what the replica invented for the page (photos and captions, tags, a modification time) from
the replica's plan (`replica.plan.plan_article`), never from the HTML.

- `lead`: the lead without its `(CAO)`/`(CATP)` dateline; null on `no_lead` pages.
- `body`: the paragraphs joined by a blank line, subheadings included as paragraphs; captions,
  related boxes, widgets and tags never.
- `published_at`: from the date line, `+07:00`; precision `day` (midnight) for `unpadded_date`
  pages and the 2022 seed article, else `minute`. The site header date is never the publish date.
- `updated_at`: the `article:modified_time` of `metadata` pages that have one, else null.
- `images`: the photos in page order (absolute URLs; relative `src` resolve against
  `https://congan.com.vn`; lazy images use `data-src`). `og:image` and the thumbnail in `.fLeft`
  related boxes are not article photos.
- `extraction`: `metadata` for title, date, author, modification time and canonical URL on
  `metadata` pages; `profile` otherwise; `url` for id and section (and the canonical URL without
  metadata); `generic` for the title and body of the other-template pages.
- `problems`: `["weekday"]` on `weekday_mismatch` pages (a test checks each expected string is a
  substring of a reported problem), else empty.

## Variant switches

| Switch | What the page shows |
|---|---|
| `metadata` | `rel=canonical`, `og:*`, `article:published_time` (`modified_time` on some), |
| | `article:tag`, a JSON-LD `NewsArticle` |
| `author_in_box` | the author in `div.article_author` instead of after the date |
| `unpadded_date` | `Thứ Ba, 8/4/2025`: no zero-padding, no time |
| `decomposed` | all article text decomposed (full NFD, or the site's tone-mark style) |
| `zero_width` | U+200B/U+00AD/U+FEFF inside words, nbsp between words, `Ð/ð` for `Đ/đ` |
| | in one paragraph |
| `related_boxes` | `div > div.inner-article` and `div.fLeft` boxes mid-body |
| `gallery` | image boxes `div[style*="width:100%"]` and/or a `div.image-gallery`, |
| | captions in `div.d-imgcaption` |
| `no_lead` | no `.article_head` |
| `nested` | paragraphs one level deeper: `#article_content > div > p` |
| `tags` | tag links `/tag/{{words+joined}}.html` in `div.tag-list` |
| `widgets_inside` | "(congan.com.vn)", "Gửi cho bạn bè", "Các tin khác", "Xem nhiều nhất" |
| | inside `#article_content` |
| `weekday_mismatch` | the date line's weekday contradicts its date |

Every page also varies, seeded by its article id: the `h1` class (`title`, `article-title`, none),
the lead's element, the subheading markup (`p > strong`, `p > b`, `h2`), `src` forms, empty
`<p>&nbsp;</p>` spacers, bold first words. The date line keeps the site's decomposed weekday.

Pages per switch:

| Switch | Pages |
|---|---|
{coverage}

## The pages

| Page | Article | Switches | Images | Tags | KB |
|---|---|---|---|---|---|
{rows}

The `-generic` pages use another template (`<article><div class="content">`, no
`#article_content`, no `.article_head`, no lead shown, only `rel=canonical` and
`article:published_time` as metadata): a parser must fall back to its generic extractor.
"""


def main() -> int:
    articles, seed = load_articles()
    pages = plan_pages(articles, seed)
    written = write_pages(pages, articles)
    (HERE / "README.md").write_text(readme(written), encoding="utf-8")
    sizes = [size for _, size in written]
    print(f"wrote {len(written)} pages to {PAGES} ({min(sizes)}–{max(sizes)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
