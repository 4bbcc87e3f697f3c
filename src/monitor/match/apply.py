"""The match step over the archive: new or edited articles against the rules, alerts queued.

Runs after storage, over articles whose current content has not been matched yet, so adding
or editing a rule never re-alerts old articles; ``rematch`` (``monitor match --all`` or
``--since``) is how a user asks for that.

The articles are read ``batch`` at a time in id order and matched; then the batch's matches
and alerts (``Archive.alerts.record_matches`` per article) are written in one transaction
(``Archive.batch``) — with a re-match's checkpoint (``monitor.checkpoint``), so that a killed
``match --all`` loses at most one batch and ``--resume`` continues after the last one. An
optional set of candidate ids limits which articles are read at all.

The matcher reads only the articles the FTS index finds a rule's keyword in
(``monitor.match.candidates``): before a pass, the due articles holding no keyword are recorded
as matching nothing in one statement, and back-tests read the candidates only, 200 at a time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta

from monitor import checkpoint
from monitor.archive import Archive, MatchRow
from monitor.archive.rows import ArticleText, StoredArticle
from monitor.checkpoint import Checkpoint, Note
from monitor.config.schema import Rule
from monitor.match.candidates import Rematch, ids_to_read, select_for_matching
from monitor.match.matcher import Hit, Matcher

BATCH = 200
JOB = "match"
Progress = Callable[[int, int], None]  # (articles done, articles in the job)


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

    def __add__(self, other: MatchSummary) -> MatchSummary:
        return MatchSummary(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(MatchSummary))
        )


MatchInput = ArticleText | StoredArticle  # an article as matching reads it


@dataclass(frozen=True)
class MatchJob:
    """How one pass of the match step runs; the defaults are the plain ``monitor match``."""

    max_age_days: float | None = None
    candidates: Collection[int] | None = None  # only these ids are read (None: every one)
    batch: int = BATCH  # articles matched, then written in one transaction
    on_article: Callable[[int, list[Hit]], None] = lambda article_id, hits: None
    on_progress: Progress = lambda done, total: None


def article_fields(article: MatchInput) -> dict[str, str | None]:
    return {"title": article.title, "lead": article.lead, "body": article.body}


def match_new_articles(  # noqa: PLR0913 -- the rules, the matcher, and the job's knobs
    archive: Archive,
    rules: Sequence[Rule],
    matcher: Matcher,
    *,
    max_age_days: float | None = None,
    on_article: Callable[[int, list[Hit]], None] = lambda article_id, hits: None,
    candidates: Collection[int] | None = None,
    batch: int = BATCH,
    on_progress: Progress | None = None,
    rematch: Rematch | None = None,
    through_index: bool = True,
) -> MatchSummary:
    """Match every article not matched in its current form (of ``candidates``, when given);
    queue the alerts its rules ask for — unless the article was published more than
    ``max_age_days`` before it was first seen (a first crawl or a backfill finds old
    articles: recorded and marked, not alerted). ``on_progress`` costs a count first.

    Through the index (``through_index``), the due articles holding no keyword of ``rules``
    are recorded as matching nothing without being read (counted, ``on_article`` not called);
    ``rematch`` makes the articles it names due first (``select_for_matching``)."""
    settled = 0  # explicit candidates: the caller chose what to read
    if candidates is None:
        settled = select_for_matching(archive, rules, rematch, through_index=through_index)
    job = MatchJob(max_age_days, candidates, batch, on_article)
    position = Checkpoint(JOB, "new", "")  # how far this pass got; never saved
    if on_progress is not None:
        job = replace(job, on_progress=on_progress)
        position = replace(position, total=archive.alerts.count_unmatched(among=candidates))
    summary, _ = _match_pages(archive, rules, matcher, job, position)
    return summary + MatchSummary(articles=settled)


def rematch(  # noqa: PLR0913 -- the rules, the matcher, what to re-match, and how
    archive: Archive,
    rules: Sequence[Rule],
    matcher: Matcher,
    job: MatchJob,
    *,
    since_iso: str | None,
    scope: str,
    resume: bool = False,
    note: Note = lambda text: None,
) -> MatchSummary:
    """``monitor match --all`` (``since_iso`` None) or ``--since``: make the articles published
    since ``since_iso`` due again, then match them — resumable: each batch writes the job's
    checkpoint, ``resume`` continues after it (``monitor.checkpoint``). ``scope`` is the option
    as the user gave it ("all", "since 2025-01-01"); it and the rules must be the
    interrupted job's to resume it."""
    fresh = Checkpoint(JOB, scope, checkpoint.fingerprint(tuple(rules), job.max_age_days))
    changed = "the rules (or alerts.max_age_days)"
    point = checkpoint.start(archive, fresh, resume=resume, changed=changed, note=note)
    if point is fresh:
        with archive.batch(f"make articles due for matching ({scope})"):
            settled = select_for_matching(archive, rules, Rematch(since_iso))
            point = point.advanced(point.after, 0, {"articles": settled})
            checkpoint.save(archive, point)
    left = archive.alerts.count_unmatched(after=point.after, among=job.candidates)
    point = replace(point, total=point.done + left)
    _, point = _match_pages(archive, rules, matcher, job, point, keep=True)
    checkpoint.clear(archive, JOB)
    return MatchSummary(**{f.name: point.tallies.get(f.name, 0) for f in fields(MatchSummary)})


def _match_pages(
    archive: Archive,
    rules: Sequence[Rule],
    matcher: Matcher,
    job: MatchJob,
    point: Checkpoint,
    *,
    keep: bool = False,
) -> tuple[MatchSummary, Checkpoint]:
    """Match the unmatched articles after ``point``, a batch at a time; with ``keep``, write
    the advanced checkpoint with each batch. Returns this pass's summary and the checkpoint."""
    by_name = {rule.name: rule for rule in rules}
    summary = MatchSummary()
    job.on_progress(point.done, point.total)
    for articles, last in _unmatched_pages(archive, point.after, job.candidates, job.batch):
        results = [(a, matcher.match(article_fields(a), section=a.section)) for a in articles]
        with archive.batch(f"record the matches of {len(articles)} articles"):
            found = _record_all(archive, results, by_name, job.max_age_days)
            point = point.advanced(last, found.articles, asdict(found))
            if keep:
                checkpoint.save(archive, point)
        summary += found
        for article, hits in results:
            job.on_article(article.article_id, hits)
        job.on_progress(point.done, point.total)
    return summary, point


def _unmatched_pages(
    archive: Archive, after: int, candidates: Collection[int] | None, size: int
) -> Iterator[tuple[list[ArticleText], int]]:
    """The unmatched articles above id ``after`` (among ``candidates``), ``size`` ids at a
    time, each page with the highest id it covers."""
    if candidates is None:
        while articles := archive.alerts.unmatched_articles(size, after=after):
            after = articles[-1].article_id
            yield articles, after
        return
    ids = sorted(set(candidates))
    for start in range(bisect_right(ids, after), len(ids), size):
        window = ids[start : start + size]
        yield archive.alerts.unmatched_articles(size, after=after, among=window), window[-1]


def _record_all(
    archive: Archive,
    results: list[tuple[ArticleText, list[Hit]]],
    rules: Mapping[str, Rule],
    max_age_days: float | None,
) -> MatchSummary:
    """Record a batch's matches and alerts (inside the caller's transaction)."""
    alerts = matched = too_old = 0
    for article, hits in results:
        fresh = max_age_days is None or is_fresh(article, max_age_days)
        alerts += _record(archive, article, hits, rules, alert=fresh)
        matched += bool(hits)
        too_old += bool(hits) and not fresh
    return MatchSummary(len(results), matched, alerts, too_old)


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
    newly match them then alert (never twice for the same article, rule and channel)."""
    return archive.alerts.forget_matched(since_iso)


def backtest(
    archive: Archive,
    rules: Sequence[Rule],
    matcher: Matcher,
    since_iso: str | None = None,
    *,
    through_index: bool = True,
    on_progress: Progress = lambda done, total: None,
) -> Iterator[tuple[StoredArticle, list[Hit]]]:
    """What the rules would match in articles published since ``since_iso`` (every article
    when None), oldest first; writes nothing. ``rules`` must be the matcher's: only the
    articles holding one of their keywords are read (all with ``through_index=False``)."""
    ids = ids_to_read(archive, rules, since_iso, through_index=through_index)
    on_progress(0, len(ids))
    for start in range(0, len(ids), BATCH):
        window = ids[start : start + BATCH]
        read = {article.article_id: article for article in archive.articles.get_articles(window)}
        for done, article_id in enumerate(window, start=start + 1):
            article = read.get(article_id)
            hits = (
                []
                if article is None
                else matcher.match(article_fields(article), section=article.section)
            )
            if article is not None and hits:
                yield article, hits
            on_progress(done, len(ids))
