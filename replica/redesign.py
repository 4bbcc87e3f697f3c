"""The "redesign" layout: every page of the replica in a new CMS template the site profile has
never seen (issue 11, "a site the monitor has never seen").

The same articles at the same URLs, in new markup (every selector, and what a profile would need,
is listed in ``tests/golden/redesign/README.md``):

- header ``div.cms-topbar > span.cms-today`` with today's date (the trap: never the publish date);
- article: ``h1.cms-headline`` and ``span.cms-pubtime`` in ``div.cms-detail__head``, outside
  ``article.cms-story``, which holds ``div.cms-standfirst`` (the lead with its "(CAO)"),
  ``div.cms-prose`` (``p`` paragraphs, ``h2.cms-subhead`` subheadings, ``figure.cms-photo``
  photos, a ``div.cms-album`` of ``img`` each followed by its ``p.cms-album__note`` caption,
  related boxes ``div.cms-related`` and ``p.cms-readmore``, the author box ``div.cms-byline``)
  and the tags ``div.cms-keywords``;
- listings: ``section.cms-stream > article.cms-card`` (``h2.cms-card__title > a``,
  ``p.cms-card__desc``, ``span.cms-card__time``), the same cards in the sidebar, and path-style
  pagination in ``nav.cms-pager`` ("Trang sau").

Which variation an article page shows is its ``RedesignPlan`` (``redesign_plan``). Rendering is
deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from replica.pages import script_json
from replica.plan import PlannedImage, is_subheading
from replica.redesign_plan import RedesignPlan, dateline
from replica.shell import (
    SECTIONS,
    SITE,
    SITE_NAME,
    TITLE_SUFFIX,
    Article,
    article_path,
    head_scripts,
    render_footer,
    section_label,
    stylesheet,
    summary,
    tag_href,
    text,
    thumbnail_url,
)
from replica.textforms import iso

LAZY_PLACEHOLDER = "/static/img/blank.gif"
CSS_BLOCKS = (
    "cms-masthead", "cms-topbar", "cms-today", "cms-brand", "cms-nav", "cms-page", "cms-grid",
    "cms-primary", "cms-side", "cms-widget", "cms-detail", "cms-headline", "cms-pubtime",
    "cms-story", "cms-standfirst", "cms-prose", "cms-subhead", "cms-photo", "cms-album",
    "cms-related", "cms-readmore", "cms-byline", "cms-keywords", "cms-keyword", "cms-stream",
    "cms-card", "cms-pager", "cms-share",
)  # fmt: skip
_DATELINE_WORDS = ("(CAO)", "(CATP)")


@dataclass(frozen=True)
class Chrome:
    """What surrounds a page's main column: today's date and the sidebar's contents."""

    header_date: str
    most_read: Sequence[Article]
    topics: Sequence[str]  # tag links in the sidebar


def render_page(
    *, title: str, chrome: Chrome, main_html: str, seed: int, head_extra: str = ""
) -> str:
    """A whole page in the redesign: head, masthead with today's date, main column, sidebar."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            _head(title, head_extra, seed),
            '<body class="cms-body">',
            _masthead(chrome.header_date),
            '<div class="cms-page"><div class="cms-grid">',
            f'<div class="cms-primary">\n{main_html}\n</div>',
            f'<aside class="cms-side">\n{_sidebar(chrome)}\n</aside>',
            "</div></div>",
            render_footer(),
            "</body>",
            "</html>",
            "",
        ]
    )


def _head(title: str, head_extra: str, seed: int) -> str:
    return "\n".join(
        [
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{text(title)}{text(TITLE_SUFFIX)}</title>",
            f'<meta name="author" content="{SITE_NAME}">',
            f'<meta property="og:site_name" content="{SITE_NAME}">',
            f'<meta property="og:title" content="{text(title)}">',
            head_extra,
            f"<style>\n{stylesheet(CSS_BLOCKS, 20250701)}\n</style>",
            f"<script>\n{head_scripts(seed)}\n</script>",
            "</head>",
        ]
    )


def _masthead(header_date: str) -> str:
    items = ['<li><a href="/">Trang chủ</a></li>']
    for slug, label, subsections in SECTIONS:
        subs = "".join(f'<a href="/{slug}/{sub}">{text(name)}</a>' for sub, name in subsections)
        drop = f'<div class="cms-nav__drop">{subs}</div>' if subs else ""
        items.append(f'<li><a href="/{slug}">{text(label)}</a>{drop}</li>')
    return "\n".join(
        [
            '<header class="cms-masthead">',
            f'<div class="cms-topbar"><span class="cms-today">{text(header_date)}</span>'
            '<a href="/lien-he">Liên hệ tòa soạn</a></div>',
            f'<div class="cms-brand"><a class="cms-logo" href="/"><img src="/static/img/logo.svg" '
            f'alt="{SITE_NAME}"></a><form class="cms-search" action="/tim-kiem" method="get">'
            '<input type="search" name="q" placeholder="Nhập từ khóa"></form></div>',
            f'<nav class="cms-nav"><ul class="cms-nav__list">{"".join(items)}</ul></nav>',
            "</header>",
        ]
    )


def _sidebar(chrome: Chrome) -> str:
    cards = "\n".join(render_card(item, mini=True) for item in chrome.most_read)
    topics = " ".join(
        f'<a class="cms-keyword" href="{escape(tag_href(tag))}">{text(tag)}</a>'
        for tag in chrome.topics
    )
    return "\n".join(
        [
            '<section class="cms-widget cms-widget--popular">',
            f'<div class="cms-widget__title">Đọc nhiều</div>\n{cards}\n</section>',
            '<section class="cms-widget cms-widget--topics"><div class="cms-widget__title">'
            f"Chủ đề nóng</div>{topics}</section>",
        ]
    )


def render_card(item: Article, *, mini: bool = False) -> str:
    """A listing item: thumbnail, ``h2.cms-card__title > a``, summary, visible dateline."""
    href, title = escape(article_path(item)), text(str(item["title"]))
    thumb = escape(thumbnail_url(item, 240 if mini else 480))
    return (
        f'<article class="cms-card{" cms-card--mini" if mini else ""}">'
        f'<a class="cms-card__thumb" href="{href}"><img src="{thumb}" alt="{title}"></a>'
        f'<h2 class="cms-card__title"><a href="{href}">{title}</a></h2>'
        f'<p class="cms-card__desc">{text(summary(item))}</p>'
        f'<span class="cms-card__time">{text(dateline(item))}</span></article>'
    )


def render_stream(
    title: str, items: Sequence[Article], pager: Sequence[tuple[str, str | None]]
) -> str:
    """A listing's main column: its name, the list of cards, the pager ``(label, href)``."""
    links = " ".join(
        f'<a class="cms-pager__link" href="{escape(href)}">{text(label)}</a>'
        if href
        else f'<span class="cms-pager__link is-current">{text(label)}</span>'
        for label, href in pager
    )
    cards = "\n".join(render_card(item) for item in items)
    return "\n".join(
        [
            f'<div class="cms-stream__name">{text(title)}</div>',
            f'<section class="cms-stream">\n{cards}\n</section>',
            f'<nav class="cms-pager">{links}</nav>',
        ]
    )


def render_article_page(
    article: Article, plan: RedesignPlan, chrome: Chrome, related: Sequence[Article]
) -> str:
    """A whole article page in the redesign; ``related`` fill the related boxes in the body."""
    return render_page(
        title=str(article["title"]),
        chrome=chrome,
        main_html=_detail(article, plan, related),
        seed=int(article["article_id"]),
        head_extra=_structured(article, plan) if plan.json_ld else "",
    )


def _detail(article: Article, plan: RedesignPlan, related: Sequence[Article]) -> str:
    section = str(article["section"])
    parts = [
        f'<div class="cms-detail" data-article="{int(article["article_id"])}">',
        f'<div class="cms-crumbs"><a href="/">Trang chủ</a> / '
        f'<a href="/{escape(section)}">{text(section_label(section))}</a></div>',
        '<div class="cms-detail__head">',
        f'<h1 class="cms-headline">{text(str(article["title"]))}</h1>',
        f'<div class="cms-meta"><span class="cms-pubtime">{text(plan.date_text)}</span></div>',
        "</div>",
        f'<article class="cms-story" id="story-{int(article["article_id"])}">',
    ]
    if article.get("lead_raw"):
        parts.append(f'<div class="cms-standfirst">{text(str(article["lead_raw"]))}</div>')
    parts.append(f'<div class="cms-prose">\n{_prose(article, plan, related)}\n</div>')
    if plan.tags:
        parts.append(_keywords(plan.tags))
    parts += ["</article>", _share(), "</div>"]
    return "\n".join(parts)


def _prose(article: Article, plan: RedesignPlan, related: Sequence[Article]) -> str:
    blocks = [_figure(image, article) for image in plan.figures if image.after == -1]
    for index, paragraph in enumerate(article["paragraphs_raw"]):
        blocks.append(
            f'<h2 class="cms-subhead">{text(paragraph)}</h2>'
            if is_subheading(paragraph)
            else f"<p>{text(paragraph)}</p>"
        )
        blocks += [_figure(image, article) for image in plan.figures if image.after == index]
        if plan.related_after and related:
            blocks += _related_boxes(index, plan.related_after, related)
    if plan.album:
        blocks.append(_album(plan.album, article))
    if article.get("author"):
        blocks.append(
            '<div class="cms-byline"><span class="cms-byline__label">Tác giả:</span> '
            f'<span class="cms-byline__name">{text(str(article["author"]))}</span></div>'
        )
    return "\n".join(blocks)


def _img(image: PlannedImage, article: Article, css: str) -> str:
    alt = text(str(article["title"]))
    if image.lazy:
        return (
            f'<img class="{css} is-lazy" src="{LAZY_PLACEHOLDER}" '
            f'data-src="{escape(image.src)}" alt="{alt}">'
        )
    return f'<img class="{css}" src="{escape(image.src)}" alt="{alt}">'


def _figure(image: PlannedImage, article: Article) -> str:
    caption = f"<figcaption>{text(image.caption)}</figcaption>" if image.caption else ""
    return f'<figure class="cms-photo">{_img(image, article, "cms-photo__img")}{caption}</figure>'


def _album(images: Sequence[PlannedImage], article: Article) -> str:
    """Each photo followed by its caption, siblings in one box (no figure around them)."""
    items = []
    for image in images:
        items.append(_img(image, article, "cms-album__img"))
        if image.caption:
            items.append(f'<p class="cms-album__note">{text(image.caption)}</p>')
    return f'<div class="cms-album">{"".join(items)}</div>'


def _related_boxes(index: int, after: tuple[int, int], related: Sequence[Article]) -> list[str]:
    boxes = []
    if index == after[0]:
        links = "".join(
            f'<li><a href="{escape(article_path(item))}">{text(str(item["title"]))}</a></li>'
            for item in related[:3]
        )
        boxes.append(
            '<div class="cms-related"><div class="cms-related__label">Tin liên quan</div>'
            f"<ul>{links}</ul></div>"
        )
    if index == after[1]:
        item = related[-1]
        boxes.append(
            f'<p class="cms-readmore"><strong>Đọc thêm:</strong> '
            f'<a href="{escape(article_path(item))}">{text(str(item["title"]))}</a></p>'
        )
    return boxes


def _keywords(tags: Sequence[str]) -> str:
    links = " ".join(
        f'<a class="cms-keyword" href="{escape(tag_href(tag))}">{text(tag)}</a>' for tag in tags
    )
    return (
        f'<div class="cms-keywords"><span class="cms-keywords__label">Từ khóa:</span> {links}</div>'
    )


def _share() -> str:
    return (
        '<div class="cms-share"><a href="https://www.facebook.com/sharer/sharer.php" '
        'rel="nofollow">Facebook</a> <a href="https://zalo.me/share" rel="nofollow">Zalo</a> '
        '<a href="javascript:window.print();">In bài</a></div>'
    )


def description(article: Article) -> str:
    """The lead without its "(CAO)" dateline, spaces plain: JSON-LD's and og:'s description."""
    value = str(article.get("lead_raw") or "").replace("\u00a0", " ").strip()
    for word in _DATELINE_WORDS:
        value = value.removeprefix(word)
    return value.strip()


def _structured(article: Article, plan: RedesignPlan) -> str:
    url = escape(str(article["url"]))
    lines = [
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:url" content="{url}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:description" content="{text(description(article))}">',
        f'<script type="application/ld+json">{_json_ld(article, plan)}</script>',
    ]
    return "\n".join(lines)


def _json_ld(article: Article, plan: RedesignPlan) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": str(article["url"]),
        "headline": str(article["title"]),
        "description": description(article),
        "datePublished": iso(plan.when),
        "publisher": {"@type": "Organization", "name": SITE_NAME, "url": SITE},
    }
    if plan.images:
        data["image"] = [image.url for image in plan.images]
    if article.get("author"):
        data["author"] = {"@type": "Person", "name": str(article["author"])}
    if plan.tags:
        data["keywords"] = list(plan.tags)
    return script_json(data)
