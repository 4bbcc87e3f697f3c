"""What a replica page shows beyond the article data, decided before any HTML is written.

A ``Variant`` switches on the traps real pages show (metadata or none, decomposed text, invisible
characters, nested paragraphs, widgets inside the body…). ``plan_article`` decides, seeded by the
article id and the variant, everything the renderer invents: photos and their captions, how each
``src`` is written, tags, a modification time, where the related boxes go, and the markup choices
the live site varies on (the h1's class, the lead's element, the subheading style). Tests read the
plan to know what a page holds, instead of parsing the page they are testing a parser with.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal

from replica.shell import IMAGE_HOST, SITE, Article, article_path, section_label
from replica.textforms import (
    WEEKDAYS,
    DateLine,
    TextForm,
    format_date,
    later,
    parse_date_line,
    tone_decompose,
)

SubheadingStyle = Literal["strong", "b", "h2"]
SrcForm = Literal["absolute", "relative", "lazy"]

_FINAL_PUNCTUATION = ".!?:;,…"

# Captions for invented photos, in the house style of the site's photo captions.
CAPTIONS = (
    "Quang cảnh buổi lễ",
    "Các đại biểu tham dự hội nghị",
    "Quang cảnh hội thảo",
    "Lãnh đạo Công an TPHCM phát biểu tại buổi lễ",
    "Các đại biểu chụp ảnh lưu niệm",
    "Đại biểu dâng hoa tại Tượng đài Chủ tịch Hồ Chí Minh",
    "Lực lượng Công an ra quân bảo đảm an ninh trật tự",
    "Cán bộ, chiến sĩ Công an hướng dẫn người dân làm thủ tục",
    "Trao quà cho các gia đình chính sách trên địa bàn",
    "Toàn cảnh phiên họp",
    "Đại biểu phát biểu ý kiến tại phiên thảo luận",
    "Quang cảnh buổi làm việc (Ảnh: CAO)",
    "Lãnh đạo Thành phố trao Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc",
    "Người dân phấn khởi tham gia chương trình",
    "Tổ công tác đến từng nhà tuyên truyền, vận động người dân",
    "Các đơn vị ký kết chương trình phối hợp",
    "Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến",
    "Các đại biểu tham quan triển lãm ảnh tư liệu",
    "Đoàn công tác thăm hỏi, động viên cán bộ, chiến sĩ",
    "Quang cảnh lễ ký kết. Ảnh: T.L",
    "Thủ tướng Chính phủ phát biểu chỉ đạo",
    "Ảnh minh họa",
)

# Tags the renderer gives a page when the words occur in the article (the site's tags are unknown).
TAG_VOCABULARY = (
    "Dân vận", "Dân vận khéo", "Công an TPHCM", "Bộ Công an", "Tô Lâm", "Phạm Minh Chính",
    "Quốc hội", "Thủ tướng", "Biển Đông", "Đại thắng mùa xuân 1975", "Báo chí cách mạng",
    "Chuyển đổi số", "Giảm nghèo", "Nông thôn mới", "An ninh trật tự", "Hà Nội", "TPHCM",
    "Toàn dân bảo vệ an ninh Tổ quốc", "Trump Organization", "Hoa Kỳ", "Israel", "Iran",
    "Myanmar", "Trung Quốc", "Bình Dương", "Đồng Nai", "Đà Lạt", "Bạc Liêu", "Lê Hồng Nam",
    "Cải cách hành chính", "Bảo hộ công dân", "Chủ tịch Hồ Chí Minh", "Hội thảo khoa học",
)  # fmt: skip


@dataclass(frozen=True)
class Variant:
    """Switches for the traps one page shows; a golden page combines several."""

    metadata: bool = False  # canonical, og:*, article:*, JSON-LD
    author_in_box: bool = False  # author in div.article_author, not after the date
    unpadded_date: bool = False  # "Thứ Ba, 8/4/2025": no padding, no time
    decomposed: bool = False  # all article text decomposed (NFD or tone-mark style)
    zero_width: bool = False  # U+200B/U+00AD/U+FEFF in words, nbsp between, Ð for Đ
    related_boxes: bool = False  # inner-article and fLeft boxes mid-body
    gallery: bool = False  # image boxes and/or an image-gallery, with captions
    no_lead: bool = False  # no .article_head
    nested: bool = False  # #article_content > div > p
    tags: bool = False  # tag links (and article:tag / keywords with metadata)
    widgets_inside: bool = False  # "(congan.com.vn)", widgets inside #article_content
    weekday_mismatch: bool = False  # the date line's weekday contradicts its date

    @classmethod
    def of(cls, switches: Iterable[str]) -> Variant:
        """A variant with the named switches on."""
        return cls(**dict.fromkeys(switches, True))

    @property
    def switches(self) -> tuple[str, ...]:
        """The names of the switches that are on, in declaration order."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name))

    @property
    def short_name(self) -> str:
        """A file-name-friendly name: "meta-tags-gallery", or "plain"."""
        return "-".join(SHORT_NAMES[name] for name in self.switches) or "plain"

    @property
    def bits(self) -> int:
        """The switches as a number (part of the page's random seed)."""
        return sum(1 << i for i, f in enumerate(fields(self)) if getattr(self, f.name))


SHORT_NAMES = {
    "metadata": "meta",
    "author_in_box": "authorbox",
    "unpadded_date": "unpadded",
    "decomposed": "nfd",
    "zero_width": "zw",
    "related_boxes": "related",
    "gallery": "gallery",
    "no_lead": "nolead",
    "nested": "nested",
    "tags": "tags",
    "widgets_inside": "widgets",
    "weekday_mismatch": "wdmismatch",
}


@dataclass(frozen=True)
class PlannedImage:
    """One photo on the page: how its ``src`` is written, its absolute URL, its caption."""

    url: str  # absolute https URL
    src: str  # as written in the src (or data-src) attribute
    lazy: bool  # src is a placeholder; the real URL is in data-src
    caption: str | None
    after: int  # index of the paragraph it follows; -1 = before the first


@dataclass(frozen=True)
class ArticlePlan:
    """Every choice the renderer makes beyond the article data; tests read it, never the HTML."""

    text_form: TextForm
    date_line: DateLine
    date_text: str  # the date part of the publish-date node, as shown
    title_class: str | None
    lead_tag: str
    bold_dateline: bool
    date_before_title: bool
    subheading_style: SubheadingStyle
    justify: bool
    boxes: tuple[PlannedImage, ...]  # image boxes, in page order
    gallery: tuple[PlannedImage, ...]  # the image-gallery at the end of the body, if any
    tags: tuple[str, ...]
    modified: datetime | None
    related_after: tuple[int, int]  # paragraphs followed by the inner-article and fLeft boxes
    eth_paragraph: int | None  # the paragraph whose Đ/đ are written as look-alike Ð/ð

    @property
    def images(self) -> tuple[PlannedImage, ...]:
        """All photos in page order."""
        return self.boxes + self.gallery


def is_subheading(paragraph: str) -> bool:
    """A short paragraph without final punctuation is a subheading in the site's data."""
    stripped = paragraph.strip()
    return (
        0 < len(stripped) <= 120
        and stripped[-1] not in _FINAL_PUNCTUATION
        and stripped[0] not in "(-"
        and any(char.isalpha() for char in stripped)
    )


def plan_article(article: Article, variant: Variant) -> ArticlePlan:
    """Decide everything the page shows beyond the data, deterministically."""
    rng = random.Random(int(article["article_id"]) * 10_000 + variant.bits)
    line = parse_date_line(str(article["date_line_raw"]))
    count = len(article["paragraphs_raw"])
    boxes, gallery = _plan_images(article, variant, line, rng)
    return ArticlePlan(
        text_form=rng.choice(("nfd", "tone")) if variant.decomposed else "nfc",
        date_line=line,
        date_text=_date_text(article, variant, line, rng),
        title_class=rng.choice(("title", "article-title", None)),
        lead_tag=rng.choice(("div", "div", "h2", "p")),
        bold_dateline=rng.random() < 0.3,
        date_before_title=rng.random() < 0.3,
        subheading_style=rng.choice(("strong", "b", "h2")),
        justify=rng.random() < 0.7,
        boxes=boxes,
        gallery=gallery,
        tags=_plan_tags(article, rng) if variant.tags else (),
        modified=later(line.when, rng) if variant.metadata and rng.random() < 0.5 else None,
        related_after=(rng.randrange(max(count, 1)), rng.randrange(max(count, 1))),
        eth_paragraph=_eth_paragraph(article, rng) if variant.zero_width else None,
    )


def _date_text(article: Article, variant: Variant, line: DateLine, rng: random.Random) -> str:
    raw = str(article["date_line_raw"])
    shown = raw[: len(raw) - len(line.tail)] if line.tail else raw
    if variant.unpadded_date:
        shown = format_date(line.when, padded=False, with_time=False)
    if variant.weekday_mismatch:
        wrong = WEEKDAYS[(line.when.weekday() + rng.randint(1, 6)) % 7]
        shown = tone_decompose(wrong) + shown[shown.index(",") :]
    return shown


def _plan_images(
    article: Article, variant: Variant, line: DateLine, rng: random.Random
) -> tuple[tuple[PlannedImage, ...], tuple[PlannedImage, ...]]:
    own = own_images(article, line, rng)
    if not variant.gallery:
        return tuple(own), ()
    count = len(article["paragraphs_raw"])
    spots = sorted(rng.sample(range(count), min(count, rng.randint(1, 3))))
    if not (count < 3 or rng.random() < 0.5):
        return tuple(own + [plan_image(article, line, rng, after=spot) for spot in spots]), ()
    if not own and rng.random() < 0.3:
        spots = []  # some pages have only a gallery
    boxes = own + [plan_image(article, line, rng, after=spot) for spot in spots]
    gallery = [plan_image(article, line, rng, after=count) for _ in range(rng.randint(2, 4))]
    return tuple(boxes), tuple(gallery)


def own_images(article: Article, line: DateLine, rng: random.Random) -> list[PlannedImage]:
    """The article's own photos (``images`` in the data), shown before the first paragraph."""
    return [
        plan_image(
            article, line, rng, file=str(image["file"]), caption=image.get("caption"), after=-1
        )
        for image in article.get("images", ())
    ]


def plan_image(
    article: Article,
    line: DateLine,
    rng: random.Random,
    *,
    after: int,
    file: str | None = None,
    caption: str | None = None,
) -> PlannedImage:
    if file is None:
        file = _photo_file(article, rng)
        caption = rng.choice(CAPTIONS) if rng.random() < 0.85 else None
    when = line.when
    path = (
        f"/thumbnail/CATP-{rng.choice((600, 800, 960))}-{when.year}-{when.month}-{when.day}/{file}"
    )
    form: SrcForm = rng.choice(("absolute", "absolute", "relative", "lazy"))
    if form == "relative":
        return PlannedImage(f"{SITE}{path}", path, False, caption, after)
    return PlannedImage(
        f"{IMAGE_HOST}{path}", f"{IMAGE_HOST}{path}", form == "lazy", caption, after
    )


def _photo_file(article: Article, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"z{rng.randrange(10**9, 10**10)}_{rng.getrandbits(64):016x}.jpg"
    slug = article_path(article).rsplit("/", 1)[-1].rsplit("_", 1)[0]
    return "-".join(slug.split("-")[:4]) + f"-{rng.randint(1, 9)}.jpg"


def _plan_tags(article: Article, rng: random.Random) -> tuple[str, ...]:
    words = " ".join([str(article["title"]), str(article.get("lead_raw") or "")])
    words += " " + " ".join(article["paragraphs_raw"])
    haystack = unicodedata.normalize("NFC", words).casefold()
    found = [tag for tag in TAG_VOCABULARY if tag.casefold() in haystack]
    rng.shuffle(found)
    chosen = found[: rng.randint(3, 6)]
    if len(chosen) < 2:
        chosen += [section_label(str(article["section"])), "Thời sự"][: 2 - len(chosen)]
    return tuple(chosen)


def _eth_paragraph(article: Article, rng: random.Random) -> int | None:
    with_d = [i for i, p in enumerate(article["paragraphs_raw"]) if "Đ" in p or "đ" in p]
    return rng.choice(with_d) if with_d else None
