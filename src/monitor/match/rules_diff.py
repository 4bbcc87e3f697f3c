"""What a change of rules would change over the archive: for each rule, the articles it would
start and stop matching (``monitor rules diff``).

    for change in diff_rules(archive, old_rules, new_rules):
        print(change.rule, change.status, len(change.gained), len(change.lost))

Rules are paired by name. A rule whose matching keys (``MATCHING_KEYS``) are the same in both
sets matches the same articles, so it is not matched again (its ``channels`` or ``on_topic``
may differ). The old and the new form of every other rule are matched against the articles
either could match (``candidates.articles_to_read``: through the FTS index), each article
read once; nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from monitor.archive import Archive
from monitor.archive.rows import StoredArticle
from monitor.config.schema import Rule
from monitor.match.apply import article_fields
from monitor.match.candidates import articles_to_read
from monitor.match.matcher import Hit, Matcher
from monitor.match.segment import Segmenter, UndertheseaSegmenter

__all__ = ["MATCHING_KEYS", "ArticleChange", "RuleDiff", "Status", "diff_rules"]

MATCHING_KEYS = ("keywords", "all", "exclude", "fields", "sections", "accents")
Status = Literal["added", "removed", "changed", "unchanged"]


@dataclass(frozen=True)
class ArticleChange:
    """An article a rule gains or loses, with the rule's hits in it (the old rule's for a
    loss, the new one's for a gain)."""

    article_id: int
    title: str
    published_at: str | None
    url: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class RuleDiff:
    """One rule's change: ``added`` (only in the new set), ``removed``, ``changed`` (its
    matching keys differ) or ``unchanged``; the articles it gains and loses, oldest first."""

    rule: str
    status: Status
    gained: tuple[ArticleChange, ...] = ()
    lost: tuple[ArticleChange, ...] = ()


def diff_rules(
    archive: Archive,
    old: Sequence[Rule],
    new: Sequence[Rule],
    *,
    since_iso: str | None = None,
    through_index: bool = True,
    segmenter: Segmenter | None = None,
) -> list[RuleDiff]:
    """Each rule of ``new`` and then each rule only ``old`` has, with the articles published
    since ``since_iso`` (all when None) it gains and loses."""
    before = {rule.name: rule for rule in old}
    after = {rule.name: rule for rule in new}
    names = [*after, *(name for name in before if name not in after)]
    statuses = {name: status(before.get(name), after.get(name)) for name in names}
    differ = [name for name in names if statuses[name] != "unchanged"]
    was = [before[name] for name in differ if name in before]
    now = [after[name] for name in differ if name in after]
    gained, lost = _changes(archive, was, now, since_iso, through_index, segmenter)
    return [
        RuleDiff(name, statuses[name], tuple(gained[name]), tuple(lost[name])) for name in names
    ]


def status(old: Rule | None, new: Rule | None) -> Status:
    """How a rule changed between two sets (``None``: not in that set)."""
    if old is None:
        return "added"
    if new is None:
        return "removed"
    same = all(getattr(old, key) == getattr(new, key) for key in MATCHING_KEYS)
    return "unchanged" if same else "changed"


Changes = dict[str, list[ArticleChange]]


def _changes(
    archive: Archive,
    was: list[Rule],
    now: list[Rule],
    since_iso: str | None,
    through_index: bool,
    segmenter: Segmenter | None,
) -> tuple[Changes, Changes]:
    """The articles each rule gains and loses, by rule name."""
    gained: Changes = defaultdict(list)
    lost: Changes = defaultdict(list)
    if not was and not now:
        return gained, lost
    segmenter = segmenter or UndertheseaSegmenter()
    old_matcher, new_matcher = Matcher(was, segmenter=segmenter), Matcher(now, segmenter=segmenter)
    for article in articles_to_read(archive, [*was, *now], since_iso, through_index=through_index):
        fields = article_fields(article)
        before = _by_rule(old_matcher.match(fields, section=article.section))
        after = _by_rule(new_matcher.match(fields, section=article.section))
        for name in after.keys() - before.keys():
            gained[name].append(_change(article, after[name]))
        for name in before.keys() - after.keys():
            lost[name].append(_change(article, before[name]))
    return gained, lost


def _by_rule(hits: list[Hit]) -> dict[str, list[Hit]]:
    found: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        found[hit.rule].append(hit)
    return found


def _change(article: StoredArticle, hits: list[Hit]) -> ArticleChange:
    return ArticleChange(
        article.article_id, article.title, article.published_at, article.canonical_url, tuple(hits)
    )
