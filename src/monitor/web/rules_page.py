"""The rules page's work: each keyword rule in plain words, its figures, its links.

The rules are the configuration's (``monitor serve`` hands them to the plugin), each said in a
few sentences (``labels.rule_sentences``), never as JSON; the figures are the canned query
``matches_per_rule``'s (articles, hits, newest article). A rule the archive holds matches of
but the configuration no longer has is listed too, saying so. Each rule links to its articles
(the articles page, filtered) and to its Atom feed (``/archive/rule_feed.atom?rule=NAME``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from monitor.web import DATABASE
from monitor.web.labels import rule_sentences, vietnam_time

GONE = "Không còn trong cấu hình: các bài đã khớp trước đây vẫn được lưu."


def feed_url(rule: str) -> str:
    """The rule's Atom feed, relative to the server."""
    return f"/{DATABASE}/rule_feed.atom?{urlencode({'rule': rule})}"


def articles_url(rule: str) -> str:
    """The articles page showing only the articles ``rule`` matched."""
    return f"/{DATABASE}/articles_view?{urlencode({'rules__arraycontains': rule})}"


def page_context(
    configured: Sequence[Mapping[str, Any]], figures: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """What ``monitor-rules.html`` shows: configured rules first, in the config's order."""
    by_name = {row["rule"]: row for row in figures}
    names = [rule["name"] for rule in configured]
    rules = [
        _entry(rule["name"], rule_sentences(rule), by_name.get(rule["name"])) for rule in configured
    ]
    rules += [_entry(row["rule"], [GONE], row) for row in figures if row["rule"] not in names]
    return {"rules": rules}


def _entry(name: str, sentences: list[str], row: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        "name": name,
        "sentences": sentences,
        "articles": row["articles"] if row else 0,
        "hits": row["hits"] if row else 0,
        "last_published": vietnam_time(row["last_published"], weekday=False) if row else "",
        "articles_url": articles_url(name),
        "feed_url": feed_url(name),
    }
