"""The render step: an alert row from the archive → the plain-text message a channel sends.

A message is plain text, always: site text goes in as written (nothing stripped, nothing
escaped) and nothing is added but the «» marks around the keyword in the snippet. Channels
are told the body is text, so a title such as ``<b>Dân vận</b>`` arrives as those characters,
never as bold.

The keyword is found in the snippet through the matching form (lower-case, canonical tones;
the same length as the display form), so ``Dân Vận`` or ``hoà``/``hòa`` differences do not
hide it; a rule with ``accents = "fold"`` is found through the folded form. A whole-word
occurrence is preferred over one inside a longer word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from monitor.archive.rows import AlertRow
from monitor.config.alerting import Channel
from monitor.text import fold, matching_form, normalize_inline

OPEN_MARK = "«"
CLOSE_MARK = "»"


@dataclass(frozen=True)
class AlertMessage:
    """What a channel sends: one alert, or a digest of several (``alert_ids``)."""

    channel: str
    title: str
    body: str
    alert_ids: tuple[int, ...]


def render_alert(alert: AlertRow, channel_name: str, channel: Channel) -> AlertMessage:
    """One alert (a row of ``Archive.due_alerts``) through the channel's templates."""
    fields = template_fields(alert, channel_name)
    return AlertMessage(
        channel=channel_name,
        title=channel.title_template.format_map(fields),
        body=channel.body_template.format_map(fields),
        alert_ids=(alert.id,),
    )


def render_digest(
    alerts: Iterable[AlertRow], channel_name: str, channel: Channel, day: date
) -> AlertMessage:
    """Every alert in one message, grouped by rule; each item through the body template."""
    by_rule: dict[str, list[AlertRow]] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule, []).append(alert)
    count = sum(len(group) for group in by_rule.values())
    sections = [
        _digest_section(rule, group, channel_name, channel) for rule, group in by_rule.items()
    ]
    return AlertMessage(
        channel=channel_name,
        title=f"Digest {day.isoformat()}: {count} {'alert' if count == 1 else 'alerts'}",
        body="\n\n".join(sections),
        alert_ids=tuple(alert.id for group in by_rule.values() for alert in group),
    )


def _digest_section(rule: str, alerts: list[AlertRow], channel_name: str, channel: Channel) -> str:
    header = f"== Rule {rule} ({len(alerts)}) =="
    items = [channel.body_template.format_map(template_fields(a, channel_name)) for a in alerts]
    return "\n\n".join([header, *items])


def template_fields(alert: AlertRow, channel_name: str) -> dict[str, str]:
    """The value of every template field (``TEMPLATE_FIELDS``) for one alert."""
    keyword = alert.match.keyword if alert.match else ""
    snippet = alert.match.snippet if alert.match else ""
    return {
        "title": _text(alert.title),
        "section": _text(alert.section),
        "published_at": _text(alert.published_at),
        "url": _text(alert.url),
        "rule": _text(alert.rule),
        "keyword": keyword,
        "snippet": mark_keyword(snippet, keyword),
        "lead": _text(alert.lead),
        "channel": channel_name,
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def mark_keyword(snippet: str, keyword: str) -> str:
    """``snippet`` with the first occurrence of ``keyword`` marked «like this» (whole words
    first; case, tone style and, failing those, accents ignored); unchanged if absent."""
    needle = normalize_inline(keyword)
    if not needle:
        return snippet
    for form in (matching_form, fold):
        found = _find(form(snippet), form(needle))
        if found is not None:
            start, end = found
            return f"{snippet[:start]}{OPEN_MARK}{snippet[start:end]}{CLOSE_MARK}{snippet[end:]}"
    return snippet


def _find(haystack: str, needle: str) -> tuple[int, int] | None:
    """Offsets of ``needle`` in ``haystack``: a whole-word occurrence, else the first."""
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(needle), haystack)]
    for start, end in spans:
        if _is_whole_word(haystack, start, end):
            return start, end
    return spans[0] if spans else None


def _is_whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()
