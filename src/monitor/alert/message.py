"""The render step: an alert row from the archive → the plain-text message a channel sends.

Its words follow ``alerts.language`` (``monitor.alert.wording``: Vietnamese by default, or
English); the channel's own templates, when it sets them, are used as written.

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

from monitor.alert.wording import Wording, wording
from monitor.archive.rows import AlertRow
from monitor.config.alerting import Channel, Language
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


def render_alert(
    alert: AlertRow, channel_name: str, channel: Channel, language: Language
) -> AlertMessage:
    """One alert (a row of ``Archive.due_alerts``) through the channel's templates, or the
    default templates of ``language`` (``alerts.language``) where it sets none."""
    words = wording(language)
    fields = template_fields(alert, channel_name, words)
    return AlertMessage(
        channel=channel_name,
        title=_title_template(channel, words).format_map(fields),
        body=_body_template(channel, words).format_map(fields),
        alert_ids=(alert.id,),
    )


def render_digest(
    alerts: Iterable[AlertRow], channel_name: str, channel: Channel, day: date, language: Language
) -> AlertMessage:
    """Every alert in one message, grouped by rule; each item through the body template. The
    title names ``day`` and the count, worded in ``language``."""
    words = wording(language)
    by_rule: dict[str, list[AlertRow]] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule, []).append(alert)
    count = sum(len(group) for group in by_rule.values())
    articles = len({alert.article_id for group in by_rule.values() for alert in group})
    sections = [
        _digest_section(rule, group, channel_name, channel, words)
        for rule, group in by_rule.items()
    ]
    return AlertMessage(
        channel=channel_name,
        title=words.digest_title(day, count, articles),
        body="\n\n".join(sections),
        alert_ids=tuple(alert.id for group in by_rule.values() for alert in group),
    )


def _digest_section(
    rule: str, alerts: list[AlertRow], channel_name: str, channel: Channel, words: Wording
) -> str:
    template = _body_template(channel, words)
    items = [template.format_map(template_fields(a, channel_name, words)) for a in alerts]
    return "\n\n".join([words.digest_heading(rule, len(alerts)), *items])


def _title_template(channel: Channel, words: Wording) -> str:
    """The channel's own title template (even an empty one), else the language's."""
    return words.title_template if channel.title_template is None else channel.title_template


def _body_template(channel: Channel, words: Wording) -> str:
    """The channel's own body template (even an empty one), else the language's."""
    return words.body_template if channel.body_template is None else channel.body_template


def template_fields(alert: AlertRow, channel_name: str, words: Wording) -> dict[str, str]:
    """The value of every template field (``TEMPLATE_FIELDS``) for one alert; the
    publication time as ``words`` writes times."""
    keyword = alert.match.keyword if alert.match else ""
    snippet = alert.match.snippet if alert.match else ""
    return {
        "title": _text(alert.title),
        "section": _text(alert.section),
        "published_at": words.published(alert.published_at, alert.published_precision),
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
