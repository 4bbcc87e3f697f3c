"""monitor.parse.profile: fields are the text a reader sees, never script or style contents."""

from __future__ import annotations

import lxml.html

from monitor.config import SiteProfile
from monitor.parse.profile import read_profile_fields

PAGE = """<html><body>
<h1 class="title"><script>alert(1)</script><b>Cảnh báo</b> mã độc<style>b{color:red}</style>
<img src="x" onerror="alert(1)"><noscript>bật JavaScript</noscript></h1>
<h2 class="article_head">(CAO) Lời dẫn<script>alert(2)</script></h2>
<div id="article_content"><p><b>Thân bài</b><script>alert(3)</script> tiếp.</p></div>
</body></html>"""


def test_script_and_style_contents_are_not_text(profile: SiteProfile) -> None:
    root = lxml.html.document_fromstring(PAGE)
    fields = read_profile_fields(root, "https://congan.com.vn/tin-chinh/a_1.html", profile)
    assert fields.title == "Cảnh báo mã độc"
    assert fields.lead == "Lời dẫn"
    assert fields.paragraphs == ("Thân bài tiếp.",)


BOXED = """<html><body><h1 class="title">Tiêu đề</h1>
<p style="white-space: nowrap;">Thứ Ba, 08/04/2025 19:58</p>
<div id="article_content"><p>Đoạn một.</p>
<div class="image-gallery"><img src="/a.jpg"><div class="d-imgcaption">Ảnh A</div>
<img src="/b.jpg"><div class="d-imgcaption">Ảnh B</div></div>
<p>Đoạn hai.</p><div class="article_author"><strong>Mai Loan</strong></div></div>
</body></html>"""


def test_an_author_box_inside_the_body_is_the_author_only(profile: SiteProfile) -> None:
    root = lxml.html.document_fromstring(BOXED)
    fields = read_profile_fields(root, "https://congan.com.vn/tin-chinh/a_1.html", profile)
    assert fields.author == "Mai Loan"
    assert fields.paragraphs == ("Đoạn một.", "Đoạn hai.")


def test_gallery_captions_that_follow_each_photo_are_theirs(profile: SiteProfile) -> None:
    root = lxml.html.document_fromstring(BOXED)
    fields = read_profile_fields(root, "https://congan.com.vn/tin-chinh/a_1.html", profile)
    assert [(image.url, image.caption) for image in fields.images] == [
        ("https://congan.com.vn/a.jpg", "Ảnh A"),
        ("https://congan.com.vn/b.jpg", "Ảnh B"),
    ]
