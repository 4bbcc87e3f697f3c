"""An article page in a template the site profile does not know, for the generic-extractor fallback.

Same site, same article text, different markup: the body sits in ``<article><div class="content">``
with no ``#article_content``, there is no ``.article_head`` (the lead is not shown at all), no
publish-date node in the profile's shape, and the only structured metadata is
``<link rel="canonical">`` and ``article:published_time``. A parser must fall back to its generic
extractor for the title and body of such a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from replica.plan import is_subheading
from replica.shell import (
    SECTIONS,
    TITLE_SUFFIX,
    Article,
    article_path,
    head_scripts,
    section_label,
    site_css,
    text,
)
from replica.textforms import iso, parse_date_line


def render_other_template(article: Article, *, header_date: str, related: Sequence[Article]) -> str:
    """A whole page in the other template."""
    title = str(article["title"])
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            _head(article),
            "<body>",
            '<header class="site-header">',
            f'<div class="today">{text(header_date)}</div>',
            f"<nav><ul>{_nav()}</ul></nav>",
            "</header>",
            '<main class="layout">',
            '<article class="post">',
            f'<header class="post-header"><h1 class="post-title">{text(title)}</h1>',
            f'<div class="post-meta">{_time(article)}</div></header>',
            f'<div class="content">\n{_paragraphs(article)}\n</div>',
            "</article>",
            f'<aside class="sidebar"><h2>Đọc nhiều</h2><ul>{_links(related[:10])}</ul></aside>',
            "</main>",
            '<footer class="site-footer"><div>Báo Công an TP.HCM · 110 Nguyễn Du, Quận 1, '
            "TP. Hồ Chí Minh</div></footer>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _head(article: Article) -> str:
    published = iso(parse_date_line(str(article["date_line_raw"])).when)
    return "\n".join(
        [
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{text(str(article['title']))}{text(TITLE_SUFFIX)}</title>",
            f'<link rel="canonical" href="{escape(str(article["url"]))}">',
            f'<meta property="article:published_time" content="{published}">',
            f"<style>\n{site_css()}\n</style>",
            f"<script>\n{head_scripts(int(article['article_id']))}\n</script>",
            "</head>",
        ]
    )


def _nav() -> str:
    return "".join(f'<li><a href="/{slug}">{text(label)}</a></li>' for slug, label, _ in SECTIONS)


def _time(article: Article) -> str:
    when = parse_date_line(str(article["date_line_raw"])).when
    section = text(section_label(str(article["section"])))
    shown = f"{when:%d/%m/%Y %H:%M}"
    return f'<span class="cat">{section}</span> <time datetime="{iso(when)}">{shown}</time>'


def _paragraphs(article: Article) -> str:
    return "\n".join(
        f"<h2>{text(paragraph)}</h2>" if is_subheading(paragraph) else f"<p>{text(paragraph)}</p>"
        for paragraph in article["paragraphs_raw"]
    )


def _links(items: Sequence[Article]) -> str:
    return "".join(
        f'<li><a href="{escape(article_path(item))}">{text(str(item["title"]))}</a></li>'
        for item in items
    )
