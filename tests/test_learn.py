"""monitor.learn on the redesign: selectors induced from evidence, kept only when they hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import SiteProfile, load_config
from monitor.learn.evidence import SamplePage
from monitor.learn.listing import ListingSample, learn_listing_keys
from monitor.learn.profile import LearnResult, learn_profile
from monitor.parse.article import diagnose_article
from replica.site import ReplicaSite

from golden_pages import GoldenPage, redesign_pages

PAGES = redesign_pages()
FIELDS = ("title", "lead", "body", "published_at", "published_precision", "author", "tags")
HOSTS = ("congan.com.vn",)


@pytest.fixture(scope="module")
def learned(profile: SiteProfile) -> LearnResult:
    samples = [SamplePage(page.expected["url"], page.html) for page in PAGES[:10]]
    return learn_profile(samples, [], profile, HOSTS, sources="10 golden pages")


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_learned_profile_reads_every_golden_field(
    learned: LearnResult, page: GoldenPage
) -> None:
    record = diagnose_article(page.html, page.expected["url"], learned.profile).record.to_dict()
    for name in (*FIELDS, "images"):
        assert record[name] == page.expected[name], name


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_field_is_read_by_the_profile_layer(learned: LearnResult, page: GoldenPage) -> None:
    diagnosis = diagnose_article(page.html, page.expected["url"], learned.profile)
    wanted = [name for name in ("title", "published_at", "body") if page.expected[name]]
    wanted += [n for n in ("lead", "author", "tags", "images") if page.expected[n]]
    assert [n for n in wanted if n not in diagnosis.profile_selectors] == []
    assert "generic" not in diagnosis.record.extraction.values()


def test_the_shipped_profile_alone_misses_the_redesign(profile: SiteProfile) -> None:
    diagnosis = diagnose_article(PAGES[0].html, PAGES[0].expected["url"], profile)
    assert not diagnosis.profile_sufficient


def test_alternatives_name_the_element_itself(learned: LearnResult) -> None:
    """A positional alternative ("article > div") finds another element where the first is
    missing, so none is kept."""
    for item in learned.verified:
        if item.key in ("article.title", "article.lead", "article.date", "article.author"):
            for selector in item.selectors:
                last = selector.replace(">", " ").split()[-1]
                assert "." in last or "#" in last, selector


def test_the_report_counts_confirmations(learned: LearnResult) -> None:
    verified = {item.key: item for item in learned.verified}
    assert verified["article.title"].confirmed == verified["article.title"].evidence_pages == 10
    assert verified["article.body"].confirmed == 10
    assert learned.reads_articles


def test_the_overlay_loads_through_include(learned: LearnResult, tmp_path: Path) -> None:
    (tmp_path / "learned.toml").write_text(learned.overlay, encoding="utf-8")
    config = tmp_path / "monitor.toml"
    config.write_text('include = ["learned.toml"]\n', encoding="utf-8")
    loaded = load_config(config).profile
    assert loaded.article == learned.profile.article
    assert loaded.article.body[0] == "div.cms-prose"
    assert "#article_content" in loaded.article.body  # the old template still reads


def test_a_selector_wrong_on_one_page_is_not_kept(profile: SiteProfile) -> None:
    """The date element on one page says another day: its selector no longer holds."""
    pages = [page for page in PAGES if page.expected["json_ld"]][:4]
    samples = [SamplePage(p.expected["url"], p.html) for p in pages]
    samples[0] = SamplePage(samples[0].url, _retimed(pages[0].html))
    result = learn_profile(samples, [], profile, HOSTS, sources="4 pages")
    date = next(item for item in result.verified if item.key == "article.date")
    assert "span.cms-pubtime" not in date.selectors


def _retimed(html: bytes) -> bytes:
    start = html.index(b'<span class="cms-pubtime">') + len(b'<span class="cms-pubtime">')
    end = html.index(b"</span>", start)
    return html[:start] + b"01/01/2020 08:00" + html[end:]


def test_the_main_list_is_what_moves_between_pages(profile: SiteProfile) -> None:
    site = ReplicaSite()
    site.set_layout("redesign")
    base = "https://congan.com.vn"
    samples = [
        ListingSample(base + path, site.page(path, base).body)
        for path in ("/tin-chinh", "/tin-chinh/page/2/")
    ]
    learned = {item.key: item for item in learn_listing_keys(samples, profile, HOSTS)}
    assert learned["listing.container"].selectors == ("section.cms-stream",)
    assert learned["listing.item_link"].selectors
    assert learned["listing.next_page"].selectors == ()  # no class names the next link alone
