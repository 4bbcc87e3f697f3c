"""What an article page of the "redesign" layout shows beyond the article data, decided by its id.

The rules, so that a test (or a golden-page generator) knows a page without reading its HTML:

- ``json_ld``: even ids whose data has a time carry JSON-LD, ``og:description`` and
  ``rel=canonical``; odd ids (and day-only articles) carry no structured metadata at all.
- ``date_form``: articles without a time in the data (the 2022 seed article), and odd ids that
  are multiples of 3, show the day only, unpadded (``Thứ Ba, 8/4/2025``); the others one of four
  timed forms by ``(id // 2) % 4`` (``TIMED_FORMS``).
- photos (own photos of the data first, as figures), related boxes: drawn from the id.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from replica.plan import PlannedImage, own_images, plan_image
from replica.shell import Article
from replica.textforms import WEEKDAYS, DateLine, parse_date_line, tone_decompose

DateForm = Literal["dash", "gmt", "time-first", "bar", "day"]
PhotoMode = Literal["none", "figures", "album", "both"]
TIMED_FORMS: tuple[DateForm, ...] = ("dash", "gmt", "time-first", "bar")
PHOTO_MODES: tuple[PhotoMode, ...] = ("none", "figures", "album", "both")


@dataclass(frozen=True)
class RedesignPlan:
    """Every choice a redesign article page makes beyond the data; tests read it, never the HTML."""

    json_ld: bool
    date_form: DateForm
    date_text: str  # the dateline as shown
    when: datetime  # the publish time (midnight for day-only forms), naive Vietnam time
    photo_mode: PhotoMode
    figures: tuple[PlannedImage, ...]  # figure/figcaption photos; ``after``: paragraph index
    album: tuple[PlannedImage, ...]  # the caption-after-image gallery at the end of the body
    related_after: tuple[int, int] | None  # paragraphs followed by the list box, the "Đọc thêm"
    tags: tuple[str, ...]

    @property
    def has_time(self) -> bool:
        return self.date_form != "day"

    @property
    def images(self) -> tuple[PlannedImage, ...]:
        """All photos in page order: figures (by paragraph), then the album."""
        return self.figures + self.album


def date_form(article: Article) -> DateForm:
    """The dateline form of an article's page (see the module docstring)."""
    article_id = int(article["article_id"])
    line = parse_date_line(str(article["date_line_raw"]))
    if not line.has_time or (article_id % 2 == 1 and article_id % 3 == 0):
        return "day"
    return TIMED_FORMS[(article_id // 2) % len(TIMED_FORMS)]


def dateline(article: Article) -> str:
    """The dateline as the page (and listings) show it: "08/04/2025 - 19:58" and others."""
    when = parse_date_line(str(article["date_line_raw"])).when
    weekday = tone_decompose(WEEKDAYS[when.weekday()])
    day, clock = f"{when:%d/%m/%Y}", f"{when:%H:%M}"
    forms: dict[DateForm, str] = {
        "dash": f"{day} - {clock}",
        "gmt": f"{weekday}, {day}, {clock} (GMT+7)",
        "time-first": f"{clock} {day}",
        "bar": f"{weekday}, {day} | {clock}",
        "day": f"{weekday}, {when.day}/{when.month}/{when.year}",
    }
    return forms[date_form(article)]


def plan_redesign(article: Article, tags: tuple[str, ...]) -> RedesignPlan:
    """Decide the page of ``article`` in the redesign; ``tags`` are the tags the site gave it."""
    article_id = int(article["article_id"])
    rng = random.Random(article_id * 7919 + 5)
    line = parse_date_line(str(article["date_line_raw"]))
    form = date_form(article)
    mode = rng.choice(PHOTO_MODES)
    figures, album = _photos(article, line, mode, rng)
    count = max(len(article["paragraphs_raw"]), 1)
    boxes = (rng.randrange(count), rng.randrange(count)) if rng.random() < 0.45 else None
    return RedesignPlan(
        json_ld=article_id % 2 == 0 and line.has_time,
        date_form=form,
        date_text=dateline(article),
        when=line.when if form != "day" else line.when.replace(hour=0, minute=0),
        photo_mode=mode,
        figures=figures,
        album=album,
        related_after=boxes,
        tags=tags,
    )


def _photos(
    article: Article, line: DateLine, mode: PhotoMode, rng: random.Random
) -> tuple[tuple[PlannedImage, ...], tuple[PlannedImage, ...]]:
    figures = own_images(article, line, rng)
    count = len(article["paragraphs_raw"])
    if mode in ("figures", "both") and count:
        spots = sorted(rng.sample(range(count), min(count, rng.randint(1, 3))))
        figures += [plan_image(article, line, rng, after=spot) for spot in spots]
    album = []
    if mode in ("album", "both"):
        album = [plan_image(article, line, rng, after=count) for _ in range(rng.randint(2, 4))]
    shown: set[str] = set()  # a photo drawn twice is shown once
    return _unshown(figures, shown), _unshown(album, shown)


def _unshown(images: list[PlannedImage], shown: set[str]) -> tuple[PlannedImage, ...]:
    kept = []
    for image in images:
        if image.url not in shown:
            shown.add(image.url)
            kept.append(image)
    return tuple(kept)
