"""Selectors for the article keys of the profile, induced from evidence (``evidence``).

Each key's candidates are proposed by the elements that hold the evidence's value on the sample
pages (``candidates.proposals``) and kept only when they hold on the samples
(``candidates.score``). Keys whose value is a list (tags, photos, captions, boxes to strip) are
judged on everything a selector finds, not its first element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import lxml.html

from monitor.config.schema import SiteProfile
from monitor.dates import parse_date_detail
from monitor.learn.candidates import Score, best, proposals, score
from monitor.learn.evidence import DateEvidence, Evidence
from monitor.parse.blocks import LINK_HEAVY, link_share, paragraphs_of, visible_text
from monitor.parse.byline import person
from monitor.parse.images import image_url, images_in
from monitor.parse.profile import strip_dateline
from monitor.parse.region import body_container
from monitor.parse.select import select_all, select_any

T = TypeVar("T")
MIN_COVERAGE = 0.8  # share of the evidence's body paragraphs a body container must hold
HEADINGS = ("h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Learned:
    """What was learned for one profile key: the selectors kept, best first."""

    key: str  # "article.title"
    selectors: tuple[str, ...]
    confirmed: int  # pages where the first selector found the evidence's value
    evidence_pages: int


def learn_article_keys(pages: Sequence[Evidence], profile: SiteProfile) -> list[Learned]:
    """Every article key that evidence can teach, in the profile's order."""
    roots = [page.root for page in pages]
    learned = [
        _text_key("article.title", pages, [p.title for p in pages], _equal),
        _text_key("article.date", pages, [p.published for p in pages], _date_judge(profile)),
        _text_key("article.lead", pages, [p.lead for p in pages], _lead_judge(profile)),
        _body_key(pages),
        _text_key("article.author", pages, [p.author for p in pages], _author_judge(profile)),
    ]
    body = learned[3].selectors
    learned.append(_images_key(pages, roots, body))
    learned.append(_captions_key(pages, body))
    learned.append(_tags_key(pages))
    learned.append(_strip_key(pages, body))
    return learned


# --- single values -------------------------------------------------------------------------


def _text_key(
    key: str,
    pages: Sequence[Evidence],
    expected: Sequence[T | None],
    matches: Callable[[lxml.html.HtmlElement, T], bool],
) -> Learned:
    candidates: dict[str, None] = {}
    for page, value in zip(pages, expected, strict=True):
        if value is None:
            continue
        for element in _body_elements(page.root):
            if matches(element, value):
                candidates.update(dict.fromkeys(proposals(element)))
    roots = [page.root for page in pages]
    scores = [score(selector, roots, expected, matches) for selector in candidates]
    return _learned(key, scores, sum(value is not None for value in expected))


def _learned(key: str, scores: Iterable[Score], evidence_pages: int) -> Learned:
    """The best selector, and alternatives that name the element by its own class or id: one
    that names it by position ("article > div") holds on pages that have the element and
    picks another one on pages that do not."""
    kept = best(scores)
    confirmed = kept[0].confirmed if kept else 0
    alternatives = [s.selector for s in kept[1:] if _names_itself(s.selector)]
    return Learned(
        key, tuple([s.selector for s in kept[:1]] + alternatives[:2]), confirmed, evidence_pages
    )


def _names_itself(selector: str) -> bool:
    last = selector.replace(">", " ").split()[-1]
    return "." in last or "#" in last


def _body_elements(root: lxml.html.HtmlElement) -> Iterable[lxml.html.HtmlElement]:
    body = root.find("body")
    return (e for e in (body if body is not None else root).iter() if isinstance(e.tag, str))


def _equal(element: lxml.html.HtmlElement, value: str) -> bool:
    return visible_text(element) == value


def _date_judge(profile: SiteProfile) -> Callable[[lxml.html.HtmlElement, DateEvidence], bool]:
    def matches(element: lxml.html.HtmlElement, evidence: DateEvidence) -> bool:
        text = visible_text(element)
        if not text or len(text) > 120:
            return False
        parsed = parse_date_detail(text.split(profile.author_separator)[0])
        if parsed is None:
            return False
        if not evidence.exact:
            return abs((parsed.value - evidence.value.value).total_seconds()) <= 86_400
        if "day" in (parsed.precision, evidence.value.precision):
            return parsed.value.date() == evidence.value.value.date()
        return parsed.value == evidence.value.value

    return matches


def _lead_judge(profile: SiteProfile) -> Callable[[lxml.html.HtmlElement, str], bool]:
    def matches(element: lxml.html.HtmlElement, lead: str) -> bool:
        return strip_dateline(visible_text(element), profile) == lead

    return matches


def _author_judge(profile: SiteProfile) -> Callable[[lxml.html.HtmlElement, str], bool]:
    def matches(element: lxml.html.HtmlElement, author: str) -> bool:
        text = visible_text(element)
        return len(text) <= 80 and person(text, (profile.name,)) == author

    return matches


# --- the body and what to strip from it ---------------------------------------------------------


def _coverage(element: lxml.html.HtmlElement, body: tuple[str, ...]) -> bool:
    found = set(paragraphs_of(element))
    return sum(p in found for p in body) >= MIN_COVERAGE * len(body)


def _body_key(pages: Sequence[Evidence]) -> Learned:
    expected = [page.body or None for page in pages]
    candidates: dict[str, None] = {}
    for page in pages:
        container = body_container(page.root, page.body) if page.body else None
        if container is not None:
            candidates.update(dict.fromkeys(proposals(container)))
    roots = [page.root for page in pages]
    scores = [score(selector, roots, expected, _coverage) for selector in candidates]
    return _learned("article.body", scores, sum(value is not None for value in expected))


def _containers(page: Evidence, body: Sequence[str]) -> list[lxml.html.HtmlElement]:
    found = [select_all(page.root, selector) for selector in body]
    return next(([elements[0]] for elements in found if elements), [])


def _strip_key(pages: Sequence[Evidence], body: Sequence[str]) -> Learned:
    """Boxes inside the body container that never hold a body paragraph (related articles,
    bylines, captions, read-more lines), named by their own class."""
    candidates: dict[str, None] = {}
    for page in pages:
        for container in _containers(page, body):
            for element in container.iterdescendants():
                if (
                    isinstance(element.tag, str)
                    and element.get("class")
                    and _foreign(element, page)
                ):
                    candidates.update(dict.fromkeys(proposals(element)[:1]))
    kept = [s for s in candidates if _strips_cleanly(s, pages, body)]
    return Learned("article.strip", tuple(kept), len(kept), len(pages))


def _foreign(element: lxml.html.HtmlElement, page: Evidence) -> bool:
    """Holds no body paragraph (and is no subheading without links), or is mostly links."""
    if element.tag in HEADINGS and next(element.iter("a"), None) is None:
        return False
    if link_share(element) >= LINK_HEAVY:
        return True
    text = set(paragraphs_of(element))
    return not any(paragraph in text for paragraph in page.body)


def _strips_cleanly(selector: str, pages: Sequence[Evidence], body: Sequence[str]) -> bool:
    matched = False
    for page in pages:
        for container in _containers(page, body):
            for element in select_all(container, selector):
                if not _foreign(element, page):
                    return False
                matched = True
    return matched


# --- lists: photos, captions, tags --------------------------------------------------------------


def _images_key(
    pages: Sequence[Evidence], roots: Sequence[lxml.html.HtmlElement], body: Sequence[str]
) -> Learned:
    """Photo boxes: the smallest element around each evidence photo holding only it."""
    candidates: dict[str, None] = {}
    for page in pages:
        wanted = {image.url for image in page.images}
        for container in _containers(page, body):
            for image in images_in(container, page.url, (), keep=lambda img: True):
                if image.url in wanted:
                    box = _photo_box(container, image.url, page.url)
                    candidates.update(dict.fromkeys(proposals(box) if box is not None else []))
    holding = [s for s in candidates if _photos_hold(s, pages, body)]
    kept = _cover(holding, lambda s: _photos_found(s, pages, body))
    with_photos = sum(bool(page.images) for page in pages)
    return Learned("article.images", tuple(kept), with_photos if kept else 0, with_photos)


def _cover(selectors: list[str], finds: Callable[[str], set[tuple[int, str]]]) -> list[str]:
    """Few selectors that together find everything any of them finds: greedily, the selector
    adding the most first (the simplest on a tie)."""
    found = {s: finds(s) for s in selectors}
    kept: list[str] = []
    covered: set[tuple[int, str]] = set()
    while True:
        gains = {s: len(found[s] - covered) for s in selectors if s not in kept}
        choice = min(gains, key=lambda s: (-gains[s], s.count(" "), len(s)), default=None)
        if choice is None or gains[choice] == 0:
            return kept
        kept.append(choice)
        covered |= found[choice]


def _photos_found(
    selector: str, pages: Sequence[Evidence], body: Sequence[str]
) -> set[tuple[int, str]]:
    return {
        (index, image.url)
        for index, page in enumerate(pages)
        for container in _containers(page, body)
        for box in select_all(container, selector)
        for image in images_in(box, page.url, ())
    }


def _photo_box(
    container: lxml.html.HtmlElement, wanted_url: str, page_url: str
) -> lxml.html.HtmlElement | None:
    for img in container.iter("img"):
        if image_url(img, page_url) == wanted_url:
            parent = img.getparent()
            alone = parent is not None and parent is not container
            return parent if alone and sum(1 for _ in parent.iter("img")) == 1 else img
    return None


def _photos_hold(selector: str, pages: Sequence[Evidence], body: Sequence[str]) -> bool:
    """Every photo the selector's boxes hold is an evidence photo, on every page."""
    matched = False
    for page in pages:
        wanted = {image.url for image in page.images}
        for container in _containers(page, body):
            for box in select_all(container, selector):
                urls = {image.url for image in images_in(box, page.url, ())}
                if not urls <= wanted:
                    return False
                matched = matched or bool(urls)
    return matched


def _captions_key(pages: Sequence[Evidence], body: Sequence[str]) -> Learned:
    """Caption elements: those whose text is an evidence photo's caption."""
    candidates: dict[str, None] = {}
    for page in pages:
        captions = {image.caption for image in page.images if image.caption}
        for container in _containers(page, body):
            for element in container.iterdescendants():
                if isinstance(element.tag, str) and visible_text(element) in captions:
                    candidates.update(dict.fromkeys(proposals(element)))
    holding = [s for s in candidates if _captions_hold(s, pages, body)]
    kept = _cover(holding, lambda s: _captions_found(s, pages, body))
    with_captions = sum(any(i.caption for i in page.images) for page in pages)
    return Learned(
        "article.image_caption", tuple(kept[:3]), with_captions if kept else 0, with_captions
    )


def _captions_found(
    selector: str, pages: Sequence[Evidence], body: Sequence[str]
) -> set[tuple[int, str]]:
    return {
        (index, visible_text(element))
        for index, page in enumerate(pages)
        for container in _containers(page, body)
        for element in select_all(container, selector)
    }


def _captions_hold(selector: str, pages: Sequence[Evidence], body: Sequence[str]) -> bool:
    matched = False
    for page in pages:
        captions = {image.caption for image in page.images if image.caption}
        for container in _containers(page, body):
            for element in select_all(container, selector):
                if visible_text(element) not in captions:
                    return False
                matched = True
    return matched


def _tags_key(pages: Sequence[Evidence]) -> Learned:
    """Tag links: a selector whose links' texts are the page's tags, in order."""
    candidates: dict[str, None] = {}
    for page in pages:
        for link in page.region.root.iter("a"):
            if page.tags and visible_text(link) in page.tags:
                candidates.update(dict.fromkeys(p for p in proposals(link) if " " in p))
    scores = []
    expected = [page.tags or None for page in pages]
    for selector in candidates:
        found = [tuple(visible_text(a) for a in select_any(p.root, [selector])) for p in pages]
        confirmed = sum(f == e for f, e in zip(found, expected, strict=True) if e)
        contradicted = sum(bool(f) and f != e for f, e in zip(found, expected, strict=True) if e)
        scores.append(Score(selector, confirmed, contradicted, sum(bool(e) for e in expected)))
    return _learned("article.tags", scores, sum(bool(e) for e in expected))
