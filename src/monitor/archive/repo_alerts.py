"""Matches and the alert outbox.

One of the archive's repositories (see ``monitor.archive.archive``): its methods share the
archive's connection and transaction helpers (``session``); each is one transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from monitor.archive import (
    alerts,
    candidates,
)
from monitor.archive.alerts import AlertStatus
from monitor.archive.rows import (
    AlertRow,
    ArticleAlert,
    ArticleText,
    MatchRow,
    StoredMatch,
)
from monitor.archive.search import FtsQuery
from monitor.archive.session import Repository
from monitor.archive.timestamps import to_archive_time


class AlertRepository(Repository):
    """Matches and the alert outbox."""

    def unmatched_articles(
        self, limit: int = 500, *, after: int = -1, among: Collection[int] | None = None
    ) -> list[ArticleText]:
        """Articles whose current content was not matched yet (new or edited), of ids above
        ``after`` and, when given, in ``among``; lowest id first."""
        ids = None if among is None else sorted(among)
        with self._reading("read unmatched articles"):
            return alerts.unmatched_articles(self._db, limit, after, ids)

    def count_unmatched(self, *, after: int = -1, among: Collection[int] | None = None) -> int:
        """How many articles ``unmatched_articles`` gives, all pages together."""
        ids = None if among is None else sorted(among)
        with self._reading("count unmatched articles"):
            return alerts.count_unmatched(self._db, after, ids)

    def record_matches(
        self,
        article_id: int,
        content_hash: str,
        matches: Iterable[MatchRow],
        new_alerts: Iterable[tuple[str, str]],
        *,
        on_topic: bool,
    ) -> int:
        """One article's match result in one transaction: its matches (replacing older ones),
        the (rule, channel) alerts not queued before, on_topic; returns the alerts queued."""
        with self._writing(f"record matches of article {article_id}"):
            return alerts.record_matches(
                self._db, article_id, content_hash, matches, new_alerts,
                on_topic=on_topic, now=self._now(),
            )  # fmt: skip

    def forget_matched(self, since_iso: str | None = None) -> int:
        """Make articles (published since ``since_iso``, or all) due for matching again."""
        since = to_archive_time(since_iso, name="since_iso") if since_iso else None
        with self._writing("reset matching"):
            return alerts.forget_matched(self._db, since)

    def settle_unmatched(
        self, query: FtsQuery, *, rematch: bool = False, since_iso: str | None = None
    ) -> int:
        """Record the articles due for matching that no keyword of ``query`` (a rule set's
        candidate query) occurs in as matching nothing, in one transaction; with ``rematch``,
        articles published since ``since_iso`` (or all) count as due, and its candidates are
        left due. Returns how many were recorded (see ``candidates.settle_unmatched``)."""
        since = to_archive_time(since_iso, name="since_iso") if since_iso else None
        with self._writing("record articles no rule can match"):
            return candidates.settle_unmatched(self._db, query, rematch=rematch, since=since)

    def due_alerts(
        self, channel: str, *, now: str | None = None, limit: int = 200
    ) -> list[AlertRow]:
        """Pending alerts of ``channel`` due now, with their article and first match."""
        with self._reading(f"read alerts due on {channel}"):
            return alerts.due_alerts(self._db, channel, now or self._now(), limit)

    def list_alerts(self, status: AlertStatus | None = None, limit: int = 100) -> list[AlertRow]:
        with self._reading("list alerts"):
            return alerts.list_alerts(self._db, status, limit)

    def mark_alerts_sending(self, alert_ids: Iterable[int]) -> None:
        """These alerts are about to be handed to their channel (committed before sending)."""
        with self._writing("mark alerts sending"):
            alerts.mark_sending(self._db, list(alert_ids), self._now())

    def sending_alerts(self) -> list[tuple[int, str]]:
        """(id, channel) of alerts a crashed delivery left with their channel."""
        with self._reading("read alerts left sending"):
            return alerts.sending_alerts(self._db)

    def clear_alerts_sending(self, alert_ids: Iterable[int]) -> None:
        """Their channel never got them: due again as before."""
        with self._writing("clear alerts sending"):
            alerts.clear_sending(self._db, list(alert_ids))

    def mark_alerts_sent(self, alert_ids: Iterable[int]) -> None:
        """The channel accepted these alerts."""
        with self._writing("mark alerts sent"):
            alerts.mark_sent(self._db, list(alert_ids), self._now())

    def mark_alerts_attempt_failed(
        self, alert_ids: Iterable[int], error: str, next_attempt_at: str | None
    ) -> None:
        """A failed delivery: retry at ``next_attempt_at``, or give up when it is None."""
        with self._writing("record a failed delivery"):
            alerts.mark_failed_attempt(self._db, list(alert_ids), error, next_attempt_at)

    def retry_failed_alerts(self, alert_ids: Iterable[int] | None = None) -> int:
        """Failed alerts back to pending, due now; returns how many."""
        ids = None if alert_ids is None else list(alert_ids)
        with self._writing("retry failed alerts"):
            return alerts.retry_failed(self._db, self._now(), ids)

    def alert_counts(self) -> dict[str, int]:
        with self._reading("count alerts"):
            return alerts.alert_counts(self._db)

    def matches_of(self, article_id: int) -> list[StoredMatch]:
        with self._reading(f"read matches of article {article_id}"):
            return alerts.matches_of(self._db, article_id)

    def alerts_of(self, article_id: int) -> list[ArticleAlert]:
        """The article's alerts, oldest first: rule, channel, status, attempts, sent_at…"""
        with self._reading(f"read alerts of article {article_id}"):
            return alerts.alerts_of(self._db, article_id)
