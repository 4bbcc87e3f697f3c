"""monitor.article_view: one archived article whole, gathered from the archive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_archive_support import LATER, record, store

from monitor.archive import Archive
from monitor.article_view import article_view
from monitor.errors import InputError


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as opened:
        yield opened


def test_each_earlier_version_says_what_the_edit_changed(archive: Archive) -> None:
    store(archive, record())
    store(archive, record(title="Tiêu đề mới"), fetched_at=LATER)
    view = article_view(archive, 141005)
    assert view.article.title == "Tiêu đề mới"
    (change,) = view.versions
    assert (change.version.version, change.changed) == (1, ("title",))
    assert view.to_dict()["versions"][0]["changed"] == ["title"]


def test_an_article_not_archived_is_an_input_error(archive: Archive) -> None:
    with pytest.raises(InputError, match="article 7 is not archived"):
        article_view(archive, 7)
