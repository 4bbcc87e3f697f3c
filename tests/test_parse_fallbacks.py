"""monitor.parse on markup the profile does not know: each field is right, or absent with a
reason — never a plausible wrong value (the site header's date, a publisher as byline)."""

from __future__ import annotations

from datetime import datetime

from monitor.config import SiteProfile
from monitor.dates import VN_TZ
from monitor.parse import parse_article
from monitor.parse.article import diagnose_article
from monitor.record import DiscoveryHint

URL = "https://congan.com.vn/tin-chinh/bai-viet-moi_190001.html"
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=VN_TZ)
HEADER = '<div class="topbar"><span>Thứ Hai, Ngày 12 Tháng 1, 2026</span></div>'
SIDEBAR = (
    '<div class="col-side"><h3>Đọc nhiều</h3><ul><li><a href="/tin-chinh/khac_189000.html">'
    'Bài khác</a> <span>10/01/2026 08:00</span></li></ul><div class="tag-cloud">'
    '<a href="/tag/Giao+th%C3%B4ng.html">Giao thông</a></div></div>'
)
PARAGRAPHS = [
    "Chiều 11/1, Công an TP tổ chức hội nghị tổng kết công tác dân vận năm 2025.",
    "Hội nghị đánh giá kết quả phong trào Dân vận khéo trong lực lượng Công an.",
    "Nhiều tập thể, cá nhân được khen thưởng vì thành tích xuất sắc trong năm qua.",
    "Các đơn vị tiếp tục triển khai nhiều mô hình hay, cách làm hiệu quả năm 2026.",
]
LEAD = "Hội nghị tổng kết công tác dân vận của Công an TP diễn ra chiều 11/1 tại trụ sở."


def page(*, dateline: str = "", head: str = "", in_body: str = "", after_body: str = "") -> str:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return f"""<html><head><title>Tổng kết công tác dân vận</title>{head}</head><body>
{HEADER}<div class="wrap"><div class="col-main"><div class="story">
<h1 class="story-title">Tổng kết công tác dân vận năm 2025</h1>{dateline}
<div class="story-sapo">(CAO) {LEAD}</div>
<div class="story-body">{body}{in_body}</div>{after_body}</div></div>{SIDEBAR}</div>
<div class="foot">Thông tin liên hệ: 110 Nguyễn Du</div></body></html>"""


def test_the_header_date_is_never_the_publish_date(profile: SiteProfile) -> None:
    record = parse_article(page(), URL, profile, now=NOW)
    assert record.published_at is None
    assert not record.complete
    assert any("no published date found" in problem for problem in record.problems)


def test_a_visible_dateline_near_the_title_gives_the_minute(profile: SiteProfile) -> None:
    html = page(dateline='<div class="story-time">Thứ Bảy, 10/01/2026 - 10:03</div>')
    diagnosis = diagnose_article(html, URL, profile, now=NOW)
    assert diagnosis.record.published_at == "2026-01-10T10:03:00+07:00"
    assert diagnosis.record.published_precision == "minute"
    assert diagnosis.record.extraction["published_at"] == "generic"
    assert diagnosis.sources["published_at"].how == "div.story-time"


def test_a_publisher_in_meta_author_is_not_a_byline(profile: SiteProfile) -> None:
    html = page(head='<meta name="author" content="VCCorp.vn">')
    record = parse_article(html, URL, profile, now=NOW)
    assert record.author is None
    assert any("'VCCorp.vn' names an organisation" in problem for problem in record.problems)


def test_a_person_in_meta_author_is_the_byline(profile: SiteProfile) -> None:
    record = parse_article(page(head='<meta name="author" content="Mai Loan">'), URL, profile)
    assert record.author == "Mai Loan"


def test_the_description_is_the_lead_without_its_dateline(profile: SiteProfile) -> None:
    html = page(head=f'<meta property="og:description" content="(CAO) {LEAD}">')
    record = parse_article(html, URL, profile, now=NOW)
    assert record.lead == LEAD
    assert record.extraction["lead"] == "metadata"


def test_a_description_not_shown_on_the_page_is_not_the_lead(profile: SiteProfile) -> None:
    html = page(head='<meta name="description" content="Tin tức an ninh trật tự mới nhất">')
    record = parse_article(html, URL, profile, now=NOW)
    assert record.lead == LEAD  # the region's own lead, not the SEO text
    assert any("not shown whole on the page" in problem for problem in record.problems)


def test_an_author_box_inside_the_body_is_the_author_not_body(profile: SiteProfile) -> None:
    html = page(in_body='<div class="author-box">Tác giả: <b>Thanh Hải</b></div>')
    record = parse_article(html, URL, profile, now=NOW)
    assert record.author == "Thanh Hải"
    assert record.body == "\n\n".join(PARAGRAPHS)


def test_gallery_captions_that_follow_each_photo(profile: SiteProfile) -> None:
    gallery = (
        '<div class="album"><img src="/i/1.jpg"><p class="photo-caption">Ảnh một</p>'
        '<img src="/i/2.jpg"><p class="photo-caption">Ảnh hai</p></div>'
    )
    record = parse_article(page(in_body=gallery), URL, profile, now=NOW)
    assert [(image.url, image.caption) for image in record.images] == [
        ("https://congan.com.vn/i/1.jpg", "Ảnh một"),
        ("https://congan.com.vn/i/2.jpg", "Ảnh hai"),
    ]
    assert "Ảnh" not in (record.body or "")


def test_tags_are_tag_page_links_inside_the_article_only(profile: SiteProfile) -> None:
    tags = '<div class="story-tags"><a href="/tag/D%C3%A2n+v%E1%BA%ADn.html">Dân vận</a></div>'
    record = parse_article(page(after_body=tags), URL, profile, now=NOW)
    assert record.tags == ("Dân vận",)  # not the sidebar's "Giao thông"
    assert record.extraction["tags"] == "generic"


def test_a_page_date_far_from_the_discovery_date_is_a_problem(profile: SiteProfile) -> None:
    html = page(dateline='<div class="story-time">10/01/2026 10:03</div>')
    hint = DiscoveryHint("sitemap", "/sitemap-news.xml", published="2026-01-05T10:03:00+07:00")
    record = parse_article(html, URL, profile, now=NOW, hint=hint)
    assert record.published_at == "2026-01-10T10:03:00+07:00"
    assert any("disagrees with the sitemap's" in problem for problem in record.problems)


def test_a_discovery_date_fills_a_page_without_one(profile: SiteProfile) -> None:
    hint = DiscoveryHint("feed", "/rss/home.rss", published="Sat, 10 Jan 2026 10:03:00 +0700")
    record = parse_article(page(), URL, profile, now=NOW, hint=hint)
    assert record.published_at == "2026-01-10T10:03:00+07:00"
    assert record.extraction["published_at"] == "discovery"
    assert any("taken from the feed" in problem for problem in record.problems)


def test_the_diagnosis_says_what_the_profile_missed(profile: SiteProfile) -> None:
    diagnosis = diagnose_article(page(), URL, profile, now=NOW)
    assert not diagnosis.profile_sufficient
    assert diagnosis.profile_missed["body"] == "no selector of article.body matched"
    assert diagnosis.profile_missed["published_at"] == "no selector of article.date matched"


def test_a_page_with_no_body_text_is_incomplete_not_a_crash(profile: SiteProfile) -> None:
    html = f"<html><body>{HEADER}<div class='story'><h1>Tiêu đề</h1><div></div></div></body></html>"
    record = parse_article(html, URL, profile, now=NOW)
    assert record.body is None
    assert "no body found" in record.problems
