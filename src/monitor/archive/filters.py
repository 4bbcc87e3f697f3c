"""The one filter for search, export and stats: which articles, by date, section, rule and flag.

``ArticleFilter`` is what every selecting command asks for (``monitor search``, ``export``,
``stats`` build it from the same options). Every condition given must hold; the default
selects every article.

- ``since`` / ``until``: a day (the whole day, Vietnam time) or an aware time (to the second);
  both bounds are inclusive. ``window`` gives them in the archive's time form as a half-open
  range ``[start, before)``, compared as text with ``published_at`` (+07:00).
- ``section``: that section and those below it (``vu-an`` also selects ``vu-an/canh-giac``,
  not ``vu-an-moi``); slashes around it are ignored.
- ``rule``: only articles the rule of that name matched.
- ``on_topic``: only articles marked on topic.

The filter is rendered to SQL twice, because the two readers want different plans of the same
conditions: ``monitor.archive.search`` turns it into conditions on FTS rowids and ranges of
the (section, published_at) index; ``conditions`` here (export, stats) keeps the section as a
test SQLite cannot use an index for, so that keyset paging walks ``articles_published_at`` in
order instead of sorting every batch (``tests/test_archive_filters.py`` checks both plans).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from monitor.clock import VN_TZ
from monitor.errors import InputError

Bound = date | datetime  # a day, or an aware time (a datetime is also a date: test it first)


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to select; every condition given must hold (the default: all)."""

    since: Bound | None = None  # published on or after this day or time
    until: Bound | None = None  # published on or before this day (the whole day) or time
    section: str | None = None  # this section or one below it: 'vu-an' takes 'vu-an/canh-giac'
    rule: str | None = None  # matched by the rule of this name
    on_topic: bool = False  # only articles marked on-topic

    def __post_init__(self) -> None:
        object.__setattr__(self, "section", (self.section or "").strip("/") or None)
        object.__setattr__(self, "rule", self.rule or None)
        start, before = self.window()
        if start and before and before <= start:
            raise InputError(f"--until {_shown(self.until)} is before --since {_shown(self.since)}")

    @classmethod
    def of(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        section: str | None = None,
        rule: str | None = None,
        on_topic: bool = False,
    ) -> ArticleFilter:
        """The filter from text: dates ``YYYY-MM-DD`` or ISO 8601 times with an offset."""
        return cls(
            since=parse_bound(since, "since"),
            until=parse_bound(until, "until"),
            section=section,
            rule=rule,
            on_topic=on_topic,
        )

    def window(self) -> tuple[str | None, str | None]:
        """The date bounds in the archive's time form: ``start`` (inclusive) and ``before``
        (exclusive); ``None`` where not bounded."""
        start = _moment(self.since, "since") if self.since is not None else None
        end = _moment(self.until, "until", after=True) if self.until is not None else None
        return _iso(start), _iso(end)


def parse_bound(text: str | None, name: str) -> Bound | None:
    """``text`` as a day (``YYYY-MM-DD``) or an aware time; ``InputError`` naming ``--name``."""
    if text is None or text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--{name}: not a date (YYYY-MM-DD) or an ISO time: {text!r}") from None


def day_start(day: date) -> str:
    """Midnight at the start of ``day`` in Vietnam, in the archive's time form."""
    return datetime.combine(day, time(), VN_TZ).isoformat(timespec="seconds")


def _moment(bound: Bound, name: str, *, after: bool = False) -> datetime:
    """A bound as a time: a day's start (``after``: the next day's), or the time itself
    (``after``: the next second's, so that the bound is inclusive to the second)."""
    if not isinstance(bound, datetime):
        return datetime.combine(bound + timedelta(days=int(after)), time(), VN_TZ)
    if bound.utcoffset() is None:
        raise InputError(f"--{name}: a time needs an offset (+07:00): {bound.isoformat()!r}")
    moment = bound.astimezone(VN_TZ).replace(microsecond=0)
    return moment + timedelta(seconds=1) if after else moment


def _shown(bound: Bound | None) -> str:
    return bound.isoformat() if bound is not None else ""


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def conditions(filters: ArticleFilter) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``articles a`` and their parameters, in the form that leaves
    ``articles_published_at`` the index to walk (export's keyset paging, stats)."""
    clauses: list[str] = []
    args: list[Any] = []
    start, before = filters.window()
    if start is not None:
        clauses.append("a.published_at >= ?")
        args.append(start)
    if before is not None:
        clauses.append("a.published_at < ?")
        args.append(before)
    if filters.section:
        clauses.append("(a.section = ? OR substr(a.section, 1, ?) = ?)")
        args += [filters.section, len(filters.section) + 1, filters.section + "/"]
    if filters.rule:
        clauses.append(
            "EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.article_id AND m.rule = ?)"
        )
        args.append(filters.rule)
    if filters.on_topic:
        clauses.append("a.on_topic = 1")
    return clauses, args


def where(filters: ArticleFilter) -> tuple[str, list[Any]]:
    """``conditions`` as a WHERE clause ("" for none) and its parameters."""
    clauses, args = conditions(filters)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), args
