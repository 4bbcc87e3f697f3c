"""Article pages of the congan.com.vn replica, rendered from article data as HTML strings.

The markup follows the site dossier: publish date in ``p[style="white-space: nowrap;"]``, lead in
``.article_head`` (with its "(CAO)" dateline), body paragraphs in ``#article_content``, image boxes
``div[style*="width:100%"]`` and ``div.image-gallery`` with ``div.d-imgcaption`` captions, inline
related boxes (``div.inner-article``, ``.fLeft``), ``div.article_author``, tag links
``/tag/{words+joined}.html``, and the "Gửi cho bạn bè" / "Các tin khác" / "Xem nhiều nhất" widgets.

Which traps a page shows is a ``Variant``; what it invents beyond the data is an ``ArticlePlan``
(see ``plan``). Rendering is deterministic: the same article, variant and arguments give the same
bytes. The page shell (header, menu, sidebar, footer) comes from ``shell`` and is re-exported here
for listing pages.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from html import escape
from typing import Any

from replica.plan import (
    ArticlePlan,
    PlannedImage,
    Variant,
    is_subheading,
    plan_article,
)
from replica.shell import (
    SITE,
    SITE_NAME,
    Article,
    article_path,
    render_news_items,
    render_page_shell,
    section_label,
    summary,
    tag_href,
    text,
    thumbnail_url,
)
from replica.textforms import (
    decompose,
    iso,
    lookalike_eth,
    parse_date_line,
    sprinkle_invisibles,
)

__all__ = [
    "ArticlePlan",
    "PlannedImage",
    "Variant",
    "plan_article",
    "render_article",
    "render_news_items",
    "render_page_shell",
    "tag_href",
]

LAZY_PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_DATELINE = re.compile(r"^(\((?:CAO|CATP)\))(.*)$", re.DOTALL)


def render_article(
    article: Article, variant: Variant, *, header_date: str, related: Sequence[Article]
) -> str:
    """A whole article page: shell, metadata (if switched on), title, date, lead, body, widgets."""
    plan = plan_article(article, variant)
    rng = random.Random(int(article["article_id"]) * 10_000 + variant.bits + 1)
    main = _article_main(article, variant, plan, related, rng)
    return render_page_shell(
        title=str(article["title"]),
        header_date=header_date,
        main_html=main,
        related=related,
        seed=int(article["article_id"]),
        head_extra=_metadata_head(article, plan) if variant.metadata else "",
        section=str(article["section"]),
    )


def _article_main(
    article: Article,
    variant: Variant,
    plan: ArticlePlan,
    related: Sequence[Article],
    rng: random.Random,
) -> str:
    title_class = f' class="{plan.title_class}"' if plan.title_class else ""
    title = f"<h1{title_class}>{_shown(str(article['title']), plan, variant, rng)}</h1>"
    date = _date_node(variant, plan)
    parts = [f'<div class="article-detail" data-id="{int(article["article_id"])}">']
    parts += [date, title] if plan.date_before_title else [title, date]
    if not variant.no_lead and article.get("lead_raw"):
        parts.append(_lead(str(article["lead_raw"]), variant, plan, rng))
    body = _body(article, variant, plan, related, rng)
    parts.append(f'<div id="article_content" class="article-content">\n{body}\n</div>')
    if variant.author_in_box and article.get("author"):
        author = text(decompose(str(article["author"]), plan.text_form))
        parts.append(f'<div class="article_author"><strong>{author}</strong></div>')
    if plan.tags:
        parts.append(_tag_list(plan))
    if not variant.widgets_inside:
        parts.append(_widgets_outside(related))
    parts.append("</div>")
    return "\n".join(parts)


def _shown(value: str, plan: ArticlePlan, variant: Variant, rng: random.Random) -> str:
    """Article text as the page shows it (decomposed, sprinkled), escaped."""
    value = decompose(value, plan.text_form)
    if variant.zero_width:
        value = sprinkle_invisibles(value, rng)
    return text(value)


def _date_node(variant: Variant, plan: ArticlePlan) -> str:
    tail = plan.date_line.tail
    shown = text(decompose(plan.date_text, plan.text_form))
    if tail and not variant.author_in_box:
        shown += "<br>" + text(decompose(tail, plan.text_form))
    return f'<p style="white-space: nowrap;">{shown}</p>'


def _lead(lead: str, variant: Variant, plan: ArticlePlan, rng: random.Random) -> str:
    value = decompose(lead, plan.text_form)
    if variant.zero_width:
        value = sprinkle_invisibles(value, rng)
    match = _DATELINE.match(value)
    if match and plan.bold_dateline:
        inner = f"<strong>{text(match[1])}</strong>{text(match[2])}"
    else:
        inner = text(value)
    return f'<{plan.lead_tag} class="article_head">{inner}</{plan.lead_tag}>'


def _body(
    article: Article,
    variant: Variant,
    plan: ArticlePlan,
    related: Sequence[Article],
    rng: random.Random,
) -> str:
    blocks = [_image_box(image, article, rng) for image in plan.boxes if image.after == -1]
    for index, raw in enumerate(article["paragraphs_raw"]):
        paragraph = lookalike_eth(raw) if index == plan.eth_paragraph else raw
        blocks.append(_paragraph(paragraph, variant, plan, rng))
        if rng.random() < 0.05:
            blocks.append("<p>&nbsp;</p>")
        blocks += [_image_box(image, article, rng) for image in plan.boxes if image.after == index]
        if variant.related_boxes and related:
            blocks += _related_boxes(index, plan, related)
    if plan.gallery:
        blocks.append(_gallery(plan.gallery, article))
    if variant.nested:
        blocks = ['<div class="detail-content">', *blocks, "</div>"]
    if variant.widgets_inside:
        blocks.append(_widgets_inside(related))
    return "\n".join(blocks)


def _paragraph(paragraph: str, variant: Variant, plan: ArticlePlan, rng: random.Random) -> str:
    shown = _shown(paragraph, plan, variant, rng)
    if is_subheading(paragraph):
        if plan.subheading_style == "h2":
            return f'<h2 class="sub-title">{shown}</h2>'
        return f"<p><{plan.subheading_style}>{shown}</{plan.subheading_style}></p>"
    attrs = ' style="text-align: justify;"' if plan.justify else ""
    words = shown.split(" ")
    if len(words) > 8 and rng.random() < 0.06:
        shown = f"<strong>{' '.join(words[:3])}</strong> {' '.join(words[3:])}"
    return f"<p{attrs}>{shown}</p>"


def _img(image: PlannedImage, article: Article) -> str:
    alt = text(str(article["title"]))
    if image.lazy:
        lazy = f'class="lazy" src="{LAZY_PLACEHOLDER}" data-src="{escape(image.src)}"'
        return f'<img {lazy} alt="{alt}">'
    return f'<img src="{escape(image.src)}" alt="{alt}">'


def _caption(image: PlannedImage) -> str:
    return f'<div class="d-imgcaption">{text(image.caption)}</div>' if image.caption else ""


def _image_box(image: PlannedImage, article: Article, rng: random.Random) -> str:
    style = rng.choice(("width:100%; text-align: center;", "width:100%;margin:0 auto 10px"))
    return f'<div style="{style}">{_img(image, article)}{_caption(image)}</div>'


def _gallery(images: Sequence[PlannedImage], article: Article) -> str:
    items = "".join(
        f'<div class="gallery-item">{_img(image, article)}{_caption(image)}</div>'
        for image in images
    )
    return f'<div class="image-gallery" data-count="{len(images)}">{items}</div>'


def _related_boxes(index: int, plan: ArticlePlan, related: Sequence[Article]) -> list[str]:
    boxes = []
    inner_after, fleft_after = plan.related_after
    if index == inner_after:
        first = related[0]
        boxes.append(
            f'<div class="box-related-inline"><div class="inner-article">'
            f'<a href="{escape(article_path(first))}">{text(str(first["title"]))}</a></div></div>'
        )
    if index == fleft_after:
        items = "".join(
            f'<li><a href="{escape(article_path(item))}">{text(str(item["title"]))}</a></li>'
            for item in related[1:4]
        )
        thumb = escape(thumbnail_url(related[min(1, len(related) - 1)], 180))
        boxes.append(
            f'<div class="fLeft"><img src="{thumb}" alt="">'
            f'<div class="fLeft-title">Tin liên quan</div><ul>{items}</ul></div>'
        )
    return boxes


def _other_news(related: Sequence[Article]) -> str:
    rows = []
    for item in related[:6]:
        when = parse_date_line(str(item["date_line_raw"])).when
        rows.append(
            f'<li><a href="{escape(article_path(item))}">{text(str(item["title"]))}</a> '
            f'<span class="time">({when:%d/%m/%Y})</span></li>'
        )
    return "".join(rows)


def _most_read(related: Sequence[Article]) -> str:
    return "".join(
        f'<li><a href="{escape(article_path(item))}">{text(str(item["title"]))}</a></li>'
        for item in related[::-1][:5]
    )


def _widgets_inside(related: Sequence[Article]) -> str:
    """The trailing widgets as the seed article shows them: paragraphs inside the body."""
    return "\n".join(
        [
            '<p style="text-align: right;">(congan.com.vn)&nbsp;</p>',
            '<p class="send-friend"><a href="javascript:void(0);" '
            'onclick="return sendToFriend(location.href);">Gửi cho bạn bè</a></p>',
            '<p class="box-title">Các tin khác</p>',
            f'<ul class="other-news">{_other_news(related)}</ul>',
            '<p class="box-title">Xem nhiều nhất</p>',
            f'<ul class="most-viewed">{_most_read(related)}</ul>',
        ]
    )


def _widgets_outside(related: Sequence[Article]) -> str:
    return "\n".join(
        [
            '<div class="article-source">(congan.com.vn)</div>',
            '<div class="article-tools"><a class="send-friend" href="javascript:void(0);" '
            'onclick="return sendToFriend(location.href);">Gửi cho bạn bè</a> '
            '<a class="print" href="javascript:window.print();">In bài</a></div>',
            '<div class="other-news"><div class="box-title">Các tin khác</div>',
            f"<ul>{_other_news(related)}</ul></div>",
            '<div class="box-most-viewed-bottom"><div class="box-title">Xem nhiều nhất</div>',
            f"<ul>{_most_read(related)}</ul></div>",
        ]
    )


def _tag_list(plan: ArticlePlan) -> str:
    links = ", ".join(
        f'<a href="{escape(tag_href(tag))}" title="{text(tag)}">'
        f"{text(decompose(tag, plan.text_form))}</a>"
        for tag in plan.tags
    )
    return f'<div class="tag-list"><span class="tag-label">Từ khóa:</span> {links}</div>'


def _description(article: Article) -> str:
    match = _DATELINE.match(summary(article))
    value = (match[2] if match else summary(article)).replace("\u00a0", " ").strip()
    if len(value) <= 160:
        return value
    return value[:160].rsplit(" ", 1)[0] + "..."


def _metadata_head(article: Article, plan: ArticlePlan) -> str:
    url = str(article["url"])
    title = str(article["title"])
    image = plan.images[0].url if plan.images else thumbnail_url(article, 800)
    published = iso(plan.date_line.when)
    metas = [
        ("og:type", "article"),
        ("og:site_name", SITE_NAME),
        ("og:title", title),
        ("og:url", url),
        ("og:description", _description(article)),
        ("og:image", image),
        ("article:published_time", published),
        *([("article:modified_time", iso(plan.modified))] if plan.modified else []),
        ("article:section", section_label(str(article["section"]))),
        *[("article:tag", tag) for tag in plan.tags],
    ]
    lines = [f'<link rel="canonical" href="{escape(url)}">']
    lines += [f'<meta property="{name}" content="{text(value)}">' for name, value in metas]
    lines.append(f'<script type="application/ld+json">{_json_ld(article, plan, image)}</script>')
    return "\n".join(lines)


def _json_ld(article: Article, plan: ArticlePlan, image: str) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": str(article["url"])},
        "headline": str(article["title"]),
        "description": _description(article),
        "image": [image],
        "datePublished": iso(plan.date_line.when),
    }
    if plan.modified:
        data["dateModified"] = iso(plan.modified)
    if article.get("author"):
        data["author"] = {"@type": "Person", "name": str(article["author"])}
    data["publisher"] = {
        "@type": "Organization",
        "name": SITE_NAME,
        "logo": {"@type": "ImageObject", "url": f"{SITE}/Content/images/logo.png"},
    }
    if plan.tags:
        data["keywords"] = ", ".join(plan.tags)
    return script_json(data)


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element: no markup characters survive unescaped."""
    encoded = json.dumps(data, ensure_ascii=False)
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
