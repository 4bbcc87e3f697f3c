"""Photos inside a container, with their captions, for the profile and the generic layer.

A caption is the caption element inside the smallest box holding only that photo (a figure with
its figcaption, a div with its caption div), or else the element right after the photo (or after
its single-photo box), as galleries that list photo, caption, photo, caption write it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import lxml.html

from monitor.parse.blocks import visible_text
from monitor.parse.select import select_all, select_first
from monitor.record import Image
from monitor.urls import absolute_url

IMAGE_SOURCE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "src")
CAPTION_WORDS = ("caption", "chuthich", "chu-thich", "note", "desc", "legend")
MAX_CAPTION = 400  # characters; a longer element after a photo is a paragraph, not its caption


def images_in(
    container: lxml.html.HtmlElement,
    url: str,
    caption_selectors: Sequence[str],
    keep: Callable[[lxml.html.HtmlElement], bool] = lambda img: True,
) -> list[Image]:
    """Every photo in ``container`` that ``keep`` accepts, in document order, each once, with
    its caption."""
    images: list[Image] = []
    for img in container.iter("img"):
        if not keep(img):
            continue
        absolute = image_url(img, url)
        if absolute is None or any(image.url == absolute for image in images):
            continue
        images.append(Image(absolute, caption_of(img, container, caption_selectors)))
    return images


def image_url(img: lxml.html.HtmlElement, page_url: str) -> str | None:
    """The photo's absolute address (lazy-loading attributes first), or None."""
    source = next((img.get(name) for name in IMAGE_SOURCE_ATTRIBUTES if img.get(name)), None)
    return absolute_url(source, page_url) if source else None


def caption_of(
    img: lxml.html.HtmlElement, container: lxml.html.HtmlElement, selectors: Sequence[str]
) -> str | None:
    """The photo's caption (see the module doc), or None."""
    box = img
    for ancestor in [img, *img.iterancestors()]:
        if sum(1 for _ in ancestor.iter("img")) > 1:
            break
        box = ancestor
        caption = select_first(ancestor, selectors) if selectors else None
        if caption is None and not selectors:
            caption = next(iter(ancestor.iter("figcaption")), None)
        if caption is not None:
            return visible_text(caption) or None
        if ancestor is container:
            break
    return _following_caption(box, selectors)


def _following_caption(box: lxml.html.HtmlElement, selectors: Sequence[str]) -> str | None:
    """The element right after the photo's box, when it reads as a caption: one the profile's
    caption selectors match or, for the generic layer, one marked as a caption."""
    sibling = box.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    parent = sibling.getparent() if sibling is not None else None
    if sibling is None or parent is None or next(sibling.iter("img"), None) is not None:
        return None
    if selectors:
        if not any(sibling in select_all(parent, selector) for selector in selectors):
            return None
    elif not looks_like_caption(sibling):
        return None
    text = visible_text(sibling)
    return text if text and len(text) <= MAX_CAPTION else None


def looks_like_caption(element: lxml.html.HtmlElement) -> bool:
    """A figcaption, an element whose class or id names a caption (or a note, a description,
    a legend: it follows a photo), or text wholly in italics."""
    if element.tag == "figcaption":
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    if any(word in names for word in CAPTION_WORDS):
        return True
    children = [child for child in element if isinstance(child.tag, str)]
    return (
        len(children) == 1
        and children[0].tag in ("em", "i")
        and not (element.text or "").strip()
        and not (children[0].tail or "").strip()
    )
