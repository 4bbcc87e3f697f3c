"""The match step over the archive: new or edited articles against the rules, alerts queued.

Runs after storage, over articles whose current content has not been matched yet, so adding
or editing a rule never re-alerts old articles; ``Rematch`` is how a user asks for that.
Each article's matches and alerts are written in one transaction (``Archive.record_matches``).
The matcher reads only the articles the FTS index finds a rule's keyword in
(``monitor.match.candidates``); the others are recorded as matching nothing in one statement,
and back-tests read the candidates only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.archive import Archive, MatchRow
from monitor.archive.rows import ArticleText, StoredArticle
from monitor.config.schema import Rule
from monitor.match.candidates import Rematch, articles_to_read, select_for_matching
from monitor.match.matcher import Hit, Matcher

BATCH = 200


@dataclass(frozen=True)
class MatchSummary:
    articles: int = 0
    matched: int = 0
    alerts: int = 0
    too_old: int = 0  # matched, but published more than max_age_days before first seen

    def line(self, max_age_days: float) -> str:
        """The summary a command prints, saying why matched articles queued no alert."""
        text = (
            f"matched {self.articles} articles: {self.matched} match a rule, "
            f"{self.alerts} alerts queued"
        )
        if self.too_old:
            text += (
                f" ({self.too_old} matched published more than {max_age_days:g} days before"
                " they were found: recorded, not alerted — see alerts.max_age_days)"
            )
        return text


MatchInput = ArticleText | StoredArticle  # an article as matching reads it


def article_fields(article: MatchInput) -> dict[str, str | None]:
    return {"title": article.title, "lead": article.lead, "body": article.body}


def match_new_articles(
    archive: Archive,
    rules: Sequence[Rule],
    matcher: Matcher,
    *,
    max_age_days: float | None = None,
    on_article: Callable[[int, list[Hit]], None] = lambda article_id, hits: None,
    rematch: Rematch | None = None,
    through_index: bool = True,
) -> MatchSummary:
    """Match every article not matched in its current form (and with ``rematch``, the
    articles it names); queue the alerts its rules ask for — unless the article was
    published more than ``max_age_days`` before it was first seen (a first crawl or a
    backfill finds old articles: recorded and marked, not alerted).

    ``rules`` must be the matcher's. Through the index, the articles holding no keyword of
    any rule are recorded as matching nothing without being read (``on_article`` is not
    called for them); ``through_index=False`` reads every one, to the same end."""
    by_name = {rule.name: rule for rule in rules}
    articles = select_for_matching(archive, rules, rematch, through_index=through_index)
    matched = alerts = too_old = 0
    while batch := archive.alerts.unmatched_articles(BATCH):
        for article in batch:
            hits = matcher.match(article_fields(article), section=article.section)
            fresh = max_age_days is None or is_fresh(article, max_age_days)
            alerts += _record(archive, article, hits, by_name, alert=fresh)
            articles += 1
            matched += bool(hits)
            too_old += bool(hits) and not fresh
            on_article(article.article_id, hits)
    return MatchSummary(articles, matched, alerts, too_old)


def is_fresh(article: MatchInput, max_age_days: float) -> bool:
    """Was the article published at most ``max_age_days`` before it was first seen?"""
    if article.published_at is None:
        return True
    published = datetime.fromisoformat(article.published_at)
    first_seen = datetime.fromisoformat(article.first_seen_at)
    return first_seen - published <= timedelta(days=max_age_days)


def _record(
    archive: Archive,
    article: MatchInput,
    hits: list[Hit],
    rules: Mapping[str, Rule],
    *,
    alert: bool,
) -> int:
    names = sorted({hit.rule for hit in hits})
    wanted = [(name, channel) for name in names for channel in rules[name].channels]
    wanted = wanted if alert else []
    rows = [MatchRow(h.rule, h.keyword, h.field, h.start, h.end, h.snippet) for h in hits]
    on_topic = any(rules[name].on_topic for name in names)
    return archive.alerts.record_matches(
        article.article_id, article.content_hash, rows, wanted, on_topic=on_topic
    )


def rematch_since(archive: Archive, since_iso: str | None) -> int:
    """Make articles published since ``since_iso`` (or all) due for matching again; rules that
    newly match them then alert (never twice for the same article, rule and channel).
    (``match_new_articles``' ``rematch`` does this for the articles a rule could match only.)"""
    return archive.alerts.forget_matched(since_iso)


def backtest(
    archive: Archive,
    rules: Sequence[Rule],
    matcher: Matcher,
    since_iso: str | None = None,
    *,
    through_index: bool = True,
) -> Iterator[tuple[StoredArticle, list[Hit]]]:
    """What the rules would match in articles published since ``since_iso`` (every article
    when None), oldest first; writes nothing. ``rules`` must be the matcher's: only the
    articles holding one of their keywords are read (all with ``through_index=False``)."""
    for article in articles_to_read(archive, rules, since_iso, through_index=through_index):
        hits = matcher.match(article_fields(article), section=article.section)
        if hits:
            yield article, hits
