"""replica.shell: the site-wide pieces every layout shares — here, how the site writes a tag
page's path. The replica has its own writer, so the product's (``monitor.urls.tag_path``) is
tested against the site's form, not against itself."""

from __future__ import annotations

import pytest

from monitor.urls import tag_path
from replica.plan import TAG_VOCABULARY
from replica.shell import section_label, tag_href


@pytest.mark.parametrize(
    ("tag", "path"),
    [
        ("Dân vận", "/tag/D%C3%A2n+v%E1%BA%ADn.html"),
        ("Đà Lạt", "/tag/%C4%90%C3%A0+L%E1%BA%A1t.html"),
        ("Iran", "/tag/Iran.html"),
        ("Covid 19/2025", "/tag/Covid+19%2F2025.html"),
        ("  Hội   thảo\u00a0khoa học ", "/tag/H%E1%BB%99i+th%E1%BA%A3o+khoa+h%E1%BB%8Dc.html"),
    ],
)
def test_tag_href_joins_percent_encoded_utf8_words_with_plus(tag: str, path: str) -> None:
    assert tag_href(tag) == path


def test_the_product_writes_every_replica_tag_path_as_the_replica_does() -> None:
    tags = [*TAG_VOCABULARY, section_label("tin-chinh"), "Thời sự"]
    assert [tag_path(tag) for tag in tags] == [tag_href(tag) for tag in tags]
