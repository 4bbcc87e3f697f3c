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
