"""monitor.discover.sitemap_walk: which child sitemaps a run reads, what a clean run keeps."""

from __future__ import annotations

from monitor.discover import ChildSitemap, SitemapWalk

A, B, C = "https://x/a.xml", "https://x/b.xml", "https://x/c.xml"


def walk_after(seen: dict[str, str | None]) -> SitemapWalk:
    return SitemapWalk.from_state("/sitemap.xml", {"seen": seen})


def test_first_run_reads_every_child_newest_first() -> None:
    children = [ChildSitemap(A, "2025-05-31"), ChildSitemap(B, "2025-06-30"), ChildSitemap(C)]
    assert [c.url for c in walk_after({}).due(children)] == [B, A, C]


def test_unchanged_children_are_not_read_again() -> None:
    walk = walk_after({A: "2025-05-31", B: "2025-06-30"})
    due = walk.due([ChildSitemap(A, "2025-05-31"), ChildSitemap(B, "2025-06-30T10:00:00+07:00")])
    assert [c.url for c in due] == [B]


def test_children_without_lastmod_are_always_read() -> None:
    walk = walk_after({C: None})
    assert [c.url for c in walk.due([ChildSitemap(C)])] == [C]
    assert walk.without_lastmod() == [C]


def test_only_children_read_whole_are_remembered() -> None:
    walk = walk_after({A: "2025-05-31"})
    walk.due([ChildSitemap(A, "2025-05-31"), ChildSitemap(B, "2025-06-30")])
    walk.done(B, "2025-06-30")
    assert walk.state_after_clean_run() == {"seen": {A: "2025-05-31", B: "2025-06-30"}}


def test_an_incomplete_walk_remembers_nothing_and_rereads_its_indexes() -> None:
    walk = walk_after({A: "2025-05-31"})
    walk.indexes.append("https://x/sitemap.xml")
    walk.done(B, "2025-06-30")
    walk.incomplete = True  # a child failed, or a cap left one unread
    assert walk.state_after_clean_run() == {"seen": {A: "2025-05-31"}}
    assert walk.unkept_validators() == ["https://x/sitemap.xml"]


def test_unreadable_lastmod_counts_any_change() -> None:
    walk = walk_after({A: "last week"})
    assert walk.due([ChildSitemap(A, "last week")]) == []
    assert [c.url for c in walk.due([ChildSitemap(A, "yesterday")])] == [A]
