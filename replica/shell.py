"""The site-wide page shell: head assets, header with today's date, menu, sidebar, footer.

Live congan.com.vn pages carry a large menu, inline CSS and scripts, and sidebar lists around
the article; the shell reproduces that bulk so that extraction is tested against realistic noise
and page sizes. Article pages and listing pages share it: ``render_page_shell`` wraps any main
column, and ``render_news_items`` renders the listing item shape
(``li > h3 > a`` + ``div.hidden-xs.news_lead``) used by listings and the "Xem nhiều nhất" sidebar.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote, urlsplit

from replica.textforms import parse_date_line

Article = Mapping[str, Any]

SITE = "https://congan.com.vn"
IMAGE_HOST = "https://image.congan.com.vn"
SITE_NAME = "Báo Công an TP.HCM"
TITLE_SUFFIX = " - Báo Công an TP.HCM"

# Sections seen in real article URLs (the dossier's "sure" list), with their subsections.
SECTIONS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("tin-chinh", "Tin chính", ()),
    ("tin-tuc-su-kien", "Tin tức - Sự kiện", ()),
    (
        "vu-an",
        "Vụ án",
        (
            ("canh-giac", "Cảnh giác"),
            ("phong-chong-ma-tuy", "Phòng chống ma túy"),
            (
                "phong-chong-toi-pham-tren-khong-gian-mang",
                "Phòng chống tội phạm trên không gian mạng",
            ),
        ),
    ),
    ("an-ninh-kinh-te", "An ninh kinh tế", ()),
    ("song-theo-phap-luat", "Sống theo pháp luật", ()),
    ("giao-thong-24h", "Giao thông 24h", ()),
    ("doi-song", "Đời sống", (("suc-khoe", "Sức khỏe"),)),
    ("quoc-te", "Quốc tế", ()),
    ("thi-truong", "Thị trường", ()),
    ("cong-nghe", "Công nghệ", ()),
    ("thong-tin-ban-doc", "Thông tin bạn đọc", ()),
    ("tu-thien", "Từ thiện", ()),
)


def text(value: str) -> str:
    """Escape text for HTML and show no-break spaces as the site does, as ``&nbsp;``."""
    return escape(value).replace("\u00a0", "&nbsp;")


def section_label(slug: str) -> str:
    """The menu label of a section slug, or the slug itself when unknown."""
    return next((label for key, label, _ in SECTIONS if key == slug), slug)


def article_path(article: Article) -> str:
    """The site-relative path of an article's URL."""
    return urlsplit(str(article["url"])).path


def tag_href(tag: str) -> str:
    """A tag page's path as the site writes it: /tag/{words joined by '+'}.html, each word
    percent-encoded UTF-8 ("Dân vận" → /tag/D%C3%A2n+v%E1%BA%ADn.html)."""
    return "/tag/" + "+".join(quote(word, safe="") for word in tag.split()) + ".html"


def thumbnail_url(article: Article, width: int, file: str | None = None) -> str:
    """A first-party image URL on the article's publish date: /thumbnail/CATP-{w}-{y}-{m}-{d}/."""
    when = parse_date_line(str(article["date_line_raw"])).when
    if file is None:
        slug = article_path(article).rsplit("/", 1)[-1].rsplit("_", 1)[0]
        file = "-".join(slug.split("-")[:6]) + ".jpg"
    return f"{IMAGE_HOST}/thumbnail/CATP-{width}-{when.year}-{when.month}-{when.day}/{file}"


def summary(article: Article) -> str:
    """The listing summary of an article: its lead, else its first paragraph."""
    lead = article.get("lead_raw")
    if lead:
        return str(lead)
    paragraphs = article.get("paragraphs_raw") or [""]
    return str(paragraphs[0])


def render_news_items(items: Sequence[Article], *, thumbs: bool = True) -> str:
    """Listing items: ``li`` > (thumb) ``h3 > a`` + ``div.hidden-xs.news_lead``, relative hrefs."""
    rows = []
    for item in items:
        href = escape(article_path(item))
        title = text(str(item["title"]))
        thumb = (
            f'<a class="thumb" href="{href}"><img src="{escape(thumbnail_url(item, 300))}" '
            f'alt="{title}" width="300" height="188"></a>'
            if thumbs
            else ""
        )
        rows.append(
            f'<li class="news-item">{thumb}<h3><a href="{href}" title="{title}">{title}</a></h3>'
            f'<div class="hidden-xs news_lead">{text(summary(item))}</div></li>'
        )
    return "\n".join(rows)


def render_page_shell(
    *,
    title: str,
    header_date: str,
    main_html: str,
    related: Sequence[Article],
    seed: int,
    head_extra: str = "",
    section: str | None = None,
) -> str:
    """A whole page: head, header with today's date, menu, main column, sidebar, footer."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="vi">',
            render_head(title, head_extra, seed),
            '<body class="page-detail">',
            '<div id="wrapper">',
            render_header(header_date, related),
            render_breadcrumb(section),
            '<div class="container main-container"><div class="row">',
            f'<div class="col-md-8 col-main">\n{main_html}\n</div>',
            f'<div class="col-md-4 col-sidebar">\n{render_sidebar(related, seed)}\n</div>',
            "</div></div>",
            render_footer(),
            "</div>",
            f"<script>\n{_tracking_script(seed)}\n</script>",
            "</body>",
            "</html>",
            "",
        ]
    )


def render_head(title: str, head_extra: str, seed: int) -> str:
    """``<head>``: charset, title, the caller's metadata, the site CSS and inline scripts."""
    return "\n".join(
        [
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
            f"<title>{text(title)}{text(TITLE_SUFFIX)}</title>",
            '<link rel="shortcut icon" href="/Content/images/favicon.ico">',
            '<link rel="stylesheet" href="/Content/css/bootstrap.min.css?v=3.4.1">',
            head_extra,
            f"<style>\n{site_css()}\n</style>",
            f"<script>\n{head_scripts(seed)}\n</script>",
            "</head>",
        ]
    )


def render_header(header_date: str, related: Sequence[Article]) -> str:
    """Top bar with today's date (never the publish date), logo, search and the large menu."""
    return "\n".join(
        [
            '<div class="header-top"><div class="container">',
            f'<div class="header-date"><i class="icon-calendar"></i> {text(header_date)}</div>',
            '<div class="header-links"><a href="/rss/home.rss">RSS</a> | '
            '<a href="/lien-he">Liên hệ</a> | <a href="/quang-cao">Quảng cáo</a></div>',
            "</div></div>",
            '<div class="header"><div class="container">',
            f'<a class="logo" href="/"><img src="/Content/images/logo.png" alt="{SITE_NAME}"></a>',
            '<form class="search" action="/tim-kiem" method="get">'
            '<input type="text" name="q" placeholder="Tìm kiếm..."><button>Tìm</button></form>',
            '<div class="ads ads-header"><!-- zone: header 728x90 --></div>',
            "</div></div>",
            render_menu(related),
        ]
    )


def render_menu(related: Sequence[Article]) -> str:
    """The desktop mega-menu (every section, subsections, featured stories) and the mobile one."""
    items = ['<li class="home"><a href="/">Trang chủ</a></li>']
    for index, (slug, label, subsections) in enumerate(SECTIONS):
        subs = "".join(
            f'<li><a href="/{slug}/{sub}">{text(sub_label)}</a></li>'
            for sub, sub_label in subsections
        )
        featured = [related[(index * 4 + k) % len(related)] for k in range(4)] if related else []
        items.append(
            f'<li class="menu-item"><a href="/{slug}">{text(label)}</a>'
            f'<div class="mega-menu"><ul class="sub-menu">{subs}</ul>'
            f'<div class="mega-news">{_mega_news(featured)}</div></div></li>'
        )
    mobile = "".join(f'<li><a href="/{slug}">{text(label)}</a></li>' for slug, label, _ in SECTIONS)
    return (
        '<nav id="main-menu" class="main-menu"><div class="container">'
        f'<ul class="menu">\n{chr(10).join(items)}\n</ul></div></nav>\n'
        f'<div id="mobile-menu" class="offcanvas"><ul>{mobile}</ul></div>'
    )


def _mega_news(featured: Sequence[Article]) -> str:
    return "".join(
        f'<div class="mega-item"><a href="{escape(article_path(item))}">'
        f'<img src="{escape(thumbnail_url(item, 240))}" alt="">'
        f"<span>{text(str(item['title']))}</span></a></div>"
        for item in featured
    )


def render_breadcrumb(section: str | None) -> str:
    """The breadcrumb under the menu."""
    crumb = (
        f' <span>›</span> <a href="/{escape(section)}">{text(section_label(section))}</a>'
        if section
        else ""
    )
    home = '<a href="/">Trang chủ</a>'
    return f'<div class="container"><div class="breadcrumb">{home}{crumb}</div></div>'


def render_sidebar(related: Sequence[Article], seed: int) -> str:
    """Sidebar: ads, "Xem nhiều nhất" in the listing item shape, "Tin mới", a topic box."""
    rng = random.Random(seed * 7 + 1)
    most_read = list(related[:8])
    rng.shuffle(most_read)
    newest = "".join(
        f'<li><a href="{escape(article_path(item))}">{text(str(item["title"]))}</a></li>'
        for item in related[::-1][:8]
    )
    return "\n".join(
        [
            '<div class="ads ads-sidebar"><a href="/quang-cao" rel="nofollow">'
            '<img src="/Content/ads/banner-300x250.jpg" alt="Quảng cáo"></a></div>',
            '<div class="box box-most-viewed"><div class="box-title">Xem nhiều nhất</div>',
            f'<ul class="list-most-viewed">\n{render_news_items(most_read)}\n</ul></div>',
            '<div class="box box-newest"><div class="box-title">Tin mới</div>',
            f'<ul class="list-newest">{newest}</ul></div>',
            '<div class="box box-topic"><div class="box-title">Chuyên đề</div>',
            '<ul><li><a href="/tin-chinh">Toàn dân bảo vệ an ninh Tổ quốc</a></li>'
            '<li><a href="/vu-an/canh-giac">Cảnh giác lừa đảo trên mạng</a></li>'
            '<li><a href="/giao-thong-24h">An toàn giao thông</a></li></ul></div>',
            '<div class="ads ads-sidebar-2"><!-- zone: sidebar 300x600 --></div>',
        ]
    )


def render_footer() -> str:
    """The site footer; its first paragraph is "Thông tin liên hệ" (a marker the parser uses)."""
    links = " | ".join(f'<a href="/{slug}">{text(label)}</a>' for slug, label, _ in SECTIONS)
    return "\n".join(
        [
            '<footer id="footer"><div class="container">',
            '<div class="footer-info">',
            "<p>Thông tin liên hệ</p>",
            f"<p><strong>{SITE_NAME.upper()}</strong></p>",
            "<p>Cơ quan chủ quản: Công an Thành phố Hồ Chí Minh</p>",
            "<p>Địa chỉ: 110 Nguyễn Du, Phường Bến Thành, Quận 1, TP. Hồ Chí Minh</p>",
            # The licence number is a placeholder: this is a test replica, not the real site.
            "<p>Giấy phép hoạt động báo chí điện tử số 000/GP-BTTTT do Bộ Thông tin và "
            "Truyền thông cấp.</p>",
            f"<p>© Bản quyền thuộc {SITE_NAME}. Ghi rõ nguồn &quot;{SITE_NAME}&quot; khi "
            "phát hành lại thông tin từ website này.</p>",
            "</div>",
            f'<div class="footer-menu">{links}</div>',
            "</div></footer>",
        ]
    )


_CSS_BLOCKS = (
    "header", "header-top", "header-date", "menu", "mega-menu", "mega-news", "breadcrumb",
    "article-detail", "article_head", "article_author", "box", "box-most-viewed", "box-newest",
    "box-topic", "list-news", "news-item", "news_lead", "col-sidebar", "footer", "footer-info",
    "footer-menu", "tag-list", "image-gallery", "d-imgcaption", "inner-article", "fLeft",
    "other-news", "send-friend", "paging", "search", "ads", "social-share", "video-box",
    "podcast-box", "emagazine", "topic-box", "hotline", "weather", "comment-box", "related-news",
)  # fmt: skip
_CSS_PARTS = (
    "", " .title", " .title a", " h3", " h3 a", " h3 a:hover", " .thumb", " .thumb img",
    " .news_lead", " ul", " ul li", " ul li a", " .time", " .icon", ":after", " .more",
)  # fmt: skip
_CSS_PROPS = (
    ("color", ("#333", "#222", "#0a4a8f", "#c00", "#666", "#999", "#fff")),
    ("font-size", ("12px", "13px", "14px", "15px", "16px", "18px", "20px", "24px")),
    ("line-height", ("1.3", "1.4", "1.5", "1.6", "20px", "22px")),
    ("margin", ("0", "0 0 10px", "10px 0", "0 auto", "5px 0 0")),
    ("padding", ("0", "5px", "10px", "0 10px", "8px 0")),
    ("font-weight", ("400", "500", "bold")),
    ("display", ("block", "inline-block", "flex", "none")),
    ("border-bottom", ("1px solid #e5e5e5", "1px dotted #ccc", "2px solid #0a4a8f")),
    ("background", ("#fff", "#f5f5f5", "#0a4a8f", "transparent")),
    ("text-transform", ("uppercase", "none")),
    ("float", ("left", "right", "none")),
    ("width", ("100%", "50%", "33.333%", "auto", "300px")),
)


@functools.cache
def site_css() -> str:
    """The site stylesheet (the same on every page), about 40 KB, generated deterministically."""
    return stylesheet(_CSS_BLOCKS, 20250320)


def stylesheet(blocks: tuple[str, ...], seed: int) -> str:
    """A deterministic stylesheet of rules for the class names ``blocks`` (and their parts)."""
    rng = random.Random(seed)
    rules = []
    for block in blocks:
        for part in _CSS_PARTS:
            props = rng.sample(_CSS_PROPS, rng.randint(3, 6))
            body = ";".join(f"{name}:{rng.choice(values)}" for name, values in props)
            rules.append(f".{block}{part}{{{body}}}")
    wide = "\n".join(rules[::7])
    return "\n".join(rules) + f"\n@media (max-width:767px){{\n{wide}\n}}"


def head_scripts(seed: int) -> str:
    """Inline head scripts: analytics stub, ad-zone configuration, lazy loading, share links."""
    rng = random.Random(seed)
    zones = [
        {
            "id": f"zone-{1000 + index}",
            "size": rng.choice([[300, 250], [728, 90], [300, 600], [970, 250], [320, 100]]),
            "sections": [slug for slug, _, _ in SECTIONS if rng.random() < 0.4],
            "priority": rng.randint(1, 9),
        }
        for index in range(48)
    ]
    return "\n".join(
        [
            "window.dataLayer = window.dataLayer || [];",
            "function gtag(){dataLayer.push(arguments);}",
            "gtag('js', new Date()); gtag('config', 'G-REPLICA');",
            f"var adZones = {json.dumps(zones, separators=(',', ':'))};",
            "function lazyLoad(){document.querySelectorAll('img[data-src]').forEach(function(img)"
            "{if(img.getBoundingClientRect().top<window.innerHeight+200){img.src=img.dataset.src;"
            "img.removeAttribute('data-src');}});}",
            "window.addEventListener('scroll', lazyLoad);",
            "window.addEventListener('load', lazyLoad);",
            "function sendToFriend(url){window.open('/gui-cho-ban-be?url='+encodeURIComponent(url),"
            "'send','width=600,height=500');return false;}",
            'document.write(\'<div class="ads-popup" style="display:none"><\\/div>\');',
        ]
    )


def _tracking_script(seed: int) -> str:
    menu = {slug: label for slug, label, _ in SECTIONS}
    return "\n".join(
        [
            f"var pageInfo = {{pageId: {seed}, site: 'congan.com.vn', type: 'detail'}};",
            f"var menuData = {json.dumps(menu, ensure_ascii=False)};",
            "(function(){var s=document.createElement('script');s.async=true;"
            "s.src='/Scripts/tracking.js?v='+pageInfo.pageId;document.body.appendChild(s);})();",
            "$(function(){$('.menu-item').hover(function(){$(this).addClass('open');},"
            "function(){$(this).removeClass('open');});});",
        ]
    )
