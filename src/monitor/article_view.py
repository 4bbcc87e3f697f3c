"""One archived article whole, as ``monitor show`` presents it: its current record, its earlier
versions with what each edit changed, its matches and its alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from monitor.archive import Archive
from monitor.archive.rows import ArticleAlert, ArticleVersion, StoredArticle, StoredMatch
from monitor.errors import InputError

# What an edit can change (``article_versions`` keeps these of each earlier version).
CONTENT = ("title", "lead", "body", "published_at", "updated_at", "author", "tags", "images")


@dataclass(frozen=True)
class VersionChange:
    """An earlier version and the fields the edit that replaced it changed."""

    version: ArticleVersion
    changed: tuple[str, ...]


@dataclass(frozen=True)
class ArticleView:
    article: StoredArticle
    versions: tuple[VersionChange, ...]
    matches: tuple[StoredMatch, ...]
    alerts: tuple[ArticleAlert, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the article and each version flat, ``changed`` beside a version."""
        return {
            "article": self.article.to_dict(),
            "versions": [
                {**change.version.to_dict(), "changed": list(change.changed)}
                for change in self.versions
            ],
            "matches": [asdict(match) for match in self.matches],
            "alerts": [asdict(alert) for alert in self.alerts],
        }


def article_view(archive: Archive, article_id: int) -> ArticleView:
    """The article, its versions (each with what changed), matches and alerts; InputError
    naming the archive when the id is not archived (or only quarantined)."""
    article = archive.articles.get_article(article_id)
    if article is None:
        held = archive.articles.known_ids([article_id])
        why = "is quarantined (incomplete record), not archived" if held else "is not archived"
        raise InputError(f"article {article_id} {why} in {archive.path}")
    return ArticleView(
        article,
        with_changes(article, archive.articles.article_versions(article_id)),
        tuple(archive.alerts.matches_of(article_id)),
        tuple(archive.alerts.alerts_of(article_id)),
    )


def with_changes(
    article: StoredArticle, versions: Sequence[ArticleVersion]
) -> tuple[VersionChange, ...]:
    """Each earlier version with the fields the edit that replaced it (the next version, or
    the current content) changed."""
    replaced_by: list[ArticleVersion | StoredArticle] = [*versions[1:], article]
    return tuple(
        VersionChange(
            version, tuple(f for f in CONTENT if getattr(version, f) != getattr(after, f))
        )
        for version, after in zip(versions, replaced_by, strict=False)
    )
