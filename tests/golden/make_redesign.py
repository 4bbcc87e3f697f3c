"""Write the golden pages of the replica's "redesign" layout and what a parser must find in them.

Run from the repository root (regenerating gives identical bytes):

    .venv/bin/python tests/golden/make_redesign.py

Pages are served by the replica (``ReplicaSite`` in the "redesign" layout, two extra articles
published at ``PUBLISH_CLOCK``, the clock set to each article's scrape day). The expected
records are the oracle: computed from the SOURCE DATA with ``make_golden``'s independent
normaliser — never by running a parser — plus what the replica invented for the page (photos,
captions, the dateline form, JSON-LD or not), read from its plan (``plan_redesign``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.record import ArticleRecord, Image
from replica.content import Entry
from replica.redesign_plan import RedesignPlan, plan_redesign
from replica.site import ReplicaSite

from make_golden import (
    DATA,
    expected_body,
    expected_lead,
    expected_published,
    load_articles,
    normalise,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "redesign"
SITE = "https://congan.com.vn"
PUBLISH_CLOCK = datetime(2025, 6, 24, 8, 0)
PUBLISHED = (179605, 179607)  # extra articles published at PUBLISH_CLOCK, a minute apart
# The pages: every variation of the template (checked by ``_check``), five sections.
PAGES = (
    141005, 175351, 175360, 175365, 175388, 175394, 175397, 176336, 176406, 176425, 176430,
    176437, 178020, 178023, 178025, 178039, 178047, 178057, 179530, 179555, 179562, 179576,
    179591, 179605, 179607,
)  # fmt: skip
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
DROPPED = ("extraction", "complete", "problems")  # record fields the redesign oracle leaves out
_HEADER_DAY = re.compile(r"Ngày (\d{1,2}) Tháng (\d{1,2}), (\d{4})")

Article = Mapping[str, Any]


@dataclass(frozen=True)
class GoldenRedesign:
    """One golden page: where the replica serves it, when, its bytes and its expected fields."""

    article_id: int
    path: str
    clock: datetime  # the replica's "now" when the page was rendered
    html: bytes
    expected: dict[str, Any]
    plan: RedesignPlan

    @property
    def json_text(self) -> str:
        return json.dumps(self.expected, ensure_ascii=False, indent=2) + "\n"


def golden_site() -> ReplicaSite:
    """The replica as the golden pages were rendered: ``PUBLISHED`` out, layout "redesign"."""
    site = ReplicaSite(now=PUBLISH_CLOCK)
    for article_id in PUBLISHED:
        site.publish(article_id)
    site.set_layout("redesign")
    return site


def source_articles() -> dict[int, dict[str, Any]]:
    """The source data by id: the real articles, the seed, the extra articles."""
    articles, seed = load_articles()
    extras = json.loads((DATA / "extra-articles.json").read_text(encoding="utf-8"))
    return {int(a["article_id"]): a for a in [*articles, seed, *extras]}


def scrape_day(article: Article, article_id: int) -> datetime:
    """The day the page is rendered on: the data's header date, or the publication day."""
    if article_id in PUBLISHED:
        return PUBLISH_CLOCK.replace(hour=0)
    match = _HEADER_DAY.search(normalise(str(article["header_date_raw"])))
    if match is None:
        raise SystemExit(f"{article_id}: no header date in the data")
    return datetime(int(match[3]), int(match[2]), int(match[1]))


def header_date(day: datetime) -> str:
    """ "Thứ Hai, Ngày 23 Tháng 6, 2025", NFC (the page's weekday is tone-decomposed)."""
    return f"{WEEKDAYS[day.weekday()]}, Ngày {day.day} Tháng {day.month}, {day.year}"


def publish_line(article: Article, article_id: int) -> str:
    """The data's date line, or for a published extra the time it was published at."""
    if article_id in PUBLISHED:
        when = PUBLISH_CLOCK + timedelta(minutes=PUBLISHED.index(article_id))
        return f"{when:%d/%m/%Y %H:%M}"
    return str(article["date_line_raw"])


def expected(article: Article, plan: RedesignPlan, day: datetime) -> dict[str, Any]:
    """The record fields a parser must find on the page, plus "json_ld" and "header_date"."""
    article_id = int(article["article_id"])
    published, precision = expected_published(
        publish_line(article, article_id), day_only=not plan.has_time
    )
    record = ArticleRecord(
        url=str(article["url"]),
        canonical_url=str(article["url"]),
        article_id=article_id,
        section=str(article["section"]),
        title=normalise(str(article["title"])),
        lead=expected_lead(str(article["lead_raw"])) if article.get("lead_raw") else None,
        body=expected_body(article["paragraphs_raw"]),
        published_at=published,
        published_precision=precision,
        updated_at=None,
        author=normalise(str(article["author"])) if article.get("author") else None,
        tags=tuple(normalise(tag) for tag in plan.tags),
        images=tuple(
            Image(image.url, normalise(image.caption) if image.caption else None)
            for image in plan.images
        ),
    )
    fields = {k: v for k, v in record.to_dict().items() if k not in DROPPED}
    return fields | {"json_ld": plan.json_ld, "header_date": header_date(day)}


def render_pages() -> list[GoldenRedesign]:
    """Every golden page, rendered by the replica now, with its expected fields."""
    site, source = golden_site(), source_articles()
    entries = {entry.id: entry for entry in site.entries}
    pages = []
    for article_id in PAGES:
        entry, article = entries[article_id], source[article_id]
        day = scrape_day(article, article_id)
        clock = day.replace(hour=23)
        site.set_clock(clock)
        page = site.page(entry.path, SITE)
        plan = plan_redesign(entry.article, entry.tags)
        html = page.body
        pages.append(
            GoldenRedesign(article_id, entry.path, clock, html, expected(article, plan, day), plan)
        )
    _check(pages, entries)
    return pages


def features(page: GoldenRedesign, entry: Entry) -> set[str]:
    """The variations of the template one page shows."""
    plan = page.plan
    shown = {f"date:{plan.date_form}", f"photos:{plan.photo_mode}", f"section:{entry.section}"}
    shown.add("json_ld" if plan.json_ld else "no_json_ld")
    optional = {
        "author_box": bool(page.expected["author"]),
        "related_boxes": plan.related_after is not None,
        "tags": bool(plan.tags),
        "lazy_image": any(image.lazy for image in plan.images),
        "uncaptioned_image": any(not image.caption for image in plan.images),
        "no_lead": page.expected["lead"] is None,
        "seed_2022": entry.when.year == 2022,
    }
    return shown | {name for name, on in optional.items() if on}


REQUIRED = (
    "json_ld", "no_json_ld", "author_box", "related_boxes", "tags", "lazy_image",
    "uncaptioned_image", "no_lead", "seed_2022", "date:dash", "date:gmt", "date:time-first",
    "date:bar", "date:day", "photos:none", "photos:figures", "photos:album", "photos:both",
)  # fmt: skip


def _check(pages: Sequence[GoldenRedesign], entries: Mapping[int, Entry]) -> None:
    shown = [features(page, entries[page.article_id]) for page in pages]
    missing = [name for name in REQUIRED if not any(name in f for f in shown)]
    sections = {name for f in shown for name in f if name.startswith("section:")}
    if missing or len(sections) < 4:
        raise SystemExit(f"the pages miss {missing}, or cover only {sorted(sections)}")
    if not any("json_ld" in f and "author_box" in f for f in shown):
        raise SystemExit("no page has JSON-LD with an author")


def write_pages(pages: Sequence[GoldenRedesign]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in [*OUT.glob("*.html"), *OUT.glob("*.json")]:
        old.unlink()
    for page in pages:
        (OUT / f"{page.article_id}.html").write_bytes(page.html)
        (OUT / f"{page.article_id}.json").write_text(page.json_text, encoding="utf-8")


def readme(pages: Sequence[GoldenRedesign]) -> str:
    rows = "\n".join(_readme_row(page) for page in pages)
    sizes = [len(page.html) for page in pages]
    return README.format(
        pages=len(pages), smallest=min(sizes) // 1024, largest=max(sizes) // 1024, rows=rows
    )


def _readme_row(page: GoldenRedesign) -> str:
    plan, record = page.plan, page.expected
    shown = plan.date_text.replace("|", "\\|")  # a bar inside a Markdown table cell
    return (
        f"| `{page.article_id}` | {record['section']} | {'yes' if plan.json_ld else 'no'} | "
        f"`{shown}` | {plan.photo_mode} | {len(plan.images)} | "
        f"{'yes' if plan.related_after else 'no'} | {'yes' if record['author'] else 'no'} | "
        f"{len(plan.tags)} | {len(page.html) // 1024} |"
    )


README = """# Golden pages of the replica's "redesign" layout

Each `{{article_id}}.html` is an article page as the replica serves it after
`set_layout("redesign")` (issue 11: "a site the monitor has never seen"); the `.json` next to it
holds the fields a parser must find: `ArticleRecord.to_dict()`'s fields and formats without
`extraction`, `complete` and `problems`, plus `json_ld` (whether the page carries JSON-LD) and
`header_date` (the site-wide date in the page header, NFC: **today**, never the publish date).
{pages} pages, {smallest}–{largest} KB each.

**Do not edit the files by hand.** Regenerate them all (identical bytes on every run) with:

    PYTHONPATH=src:. .venv/bin/python tests/golden/make_redesign.py

`tests/test_replica_redesign.py` checks that the committed files are exactly what the replica
serves now, over HTTP.

## How the expected fields are made

No parser is run. `make_redesign.py` computes them from the source data
(`replica/data/`) with `make_golden.py`'s own normaliser (imported, see
`../README.md`), and reads what the replica invented (photos, captions, the dateline form, JSON-LD
or not) from its plan, `replica.redesign_plan.plan_redesign`. The pages are rendered with
the replica's clock on the day the article was scraped (the data's header date), or, for the two
extra articles the generator publishes (179605, 179607), on the day of publication,
2025-06-24 08:00 and 08:01.

- `lead`: the lead without its `(CAO)`/`(CATP)` dateline; null when the data has none.
- `body`: the paragraphs joined by a blank line, subheadings as paragraphs; never captions,
  the related boxes, the author box, tags or widgets.
- `published_at`: `+07:00`; precision `day` (midnight) on pages whose dateline has no time.
- `author`: from the author box (and JSON-LD); null when the article has none. The
  `<meta name="author" content="Báo Công an TP.HCM">` on every page is **not** a byline.
- `images`: figure photos and album photos in page order, absolute URLs (relative `src`
  resolve against `https://congan.com.vn`; lazy images carry the URL in `data-src`).

## The template: what a site profile needs

- **title**: `h1.cms-headline`, in `div.cms-detail__head`, outside `article.cms-story`.
- **publish date**: `span.cms-pubtime` (in `div.cms-meta`), in one of five forms by article id:
  `08/04/2025 - 19:58`, `Thứ Ba, 08/04/2025, 19:58 (GMT+7)`, `19:58 08/04/2025`,
  `Thứ Ba, 08/04/2025 | 19:58`, or the day only, unpadded: `Thứ Ba, 8/4/2025`. The weekday is
  tone-decomposed as on the live site. No author in it.
- **header date (the trap)**: `div.cms-topbar > span.cms-today`, today's date, e.g.
  `Thứ Hai, Ngày 23 Tháng 6, 2025`, on every page, outside the article.
- **lead**: `div.cms-standfirst`, first in `article.cms-story`, with the `(CAO)`/`(CATP)`
  dateline as in the data.
- **body**: `div.cms-prose`: `p` paragraphs and `h2.cms-subhead` subheadings.
- **author**: `div.cms-byline > span.cms-byline__name`, the last child of `div.cms-prose`; the
  label `span.cms-byline__label` ("Tác giả:") is outside the name.
- **images**: `figure.cms-photo > img` and `div.cms-album > img`; the URL in `src`, or in
  `data-src` when `src` is the placeholder `/static/img/blank.gif`.
- **image caption**: `figure.cms-photo > figcaption`; in an album, the `p.cms-album__note` right
  after its `img` (a photo without a caption is followed directly by the next `img`).
- **tags**: `div.cms-keywords a[href*="/tag/"]`, inside `article.cms-story` after the body. The
  sidebar's "Chủ đề nóng" links (`section.cms-widget--topics a.cms-keyword`) are other tags.
- **strip inside the body**: `div.cms-related` ("Tin liên quan" list), `p.cms-readmore`
  ("Đọc thêm:" link), `div.cms-byline`, `figure.cms-photo`, `div.cms-album`.
- **listing container**: `section.cms-stream`; the sidebar's `section.cms-widget--popular`
  ("Đọc nhiều") holds cards of the same shape.
- **listing item link**: `article.cms-card h2.cms-card__title > a` (relative href); summary
  `p.cms-card__desc`, date `span.cms-card__time` in the article's dateline form.
- **next page**: the `nav.cms-pager a` whose text is `Trang sau` (no `rel=next`, no class
  `next`); pages are `/page/{{n}}/`, `/{{section}}/page/{{n}}/` and
  `/tag/{{words+joined}}/page/{{n}}/`.
- **footer**: `footer#footer`, its first paragraph `Thông tin liên hệ`.

Structured metadata, on the pages of even article ids (never on day-only pages): a JSON-LD
`NewsArticle` (`headline`, `datePublished` ISO `+07:00`, `author` `{{"@type": "Person"}}` when
there is one, `keywords` = the tags as a list, `description` = the lead without its dateline,
`image`), `og:title`, `og:description`, `og:url`, `rel=canonical`. The other pages have only
`og:site_name`, `og:title` and the organisation's `meta name=author`: no JSON-LD, no
`article:*`, no `og:description`, no date anywhere but the visible dateline.

None of the site profile's selectors of `config/site-congan.toml` matches anything meaningful:
not `#article_content`, `.article_head`, `p[style*=white-space]`, `div.article_author`,
`.author`, `.sapo`, `.article_date`, `.date-time`, `.list-news`, `h3 > a`, `.tag-list`, `.tags`,
`div.d-imgcaption`, `div.image-gallery`, `div[style*="width:100%"]`, `a[rel=next]`, `main`,
`article h1`. Only the bare `h1` (the title) and `figure`/`figcaption` (some photos) still match.

The site around the pages: no RSS feeds (`/rss/...` answers 404); `robots.txt` names
`/sitemap.xml`, a sitemap index of `/sitemap-news.xml` (Google News, the last 2 days by the
replica clock) and `/sitemaps/{{yyyy}}-{{mm}}.xml.gz` (gzip, every section).

## The pages

| Article | Section | JSON-LD | Dateline | Photos | Images | Related boxes | Author | Tags | KB |
|---|---|---|---|---|---|---|---|---|---|
{rows}
"""


def main() -> int:
    pages = render_pages()
    write_pages(pages)
    (OUT / "README.md").write_text(readme(pages), encoding="utf-8")
    print(f"wrote {len(pages)} pages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
