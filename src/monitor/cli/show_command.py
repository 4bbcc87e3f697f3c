"""``monitor show``: one archived article whole — record, history, matches, alerts (gathered
by ``monitor.article_view``; rendered here for a terminal, or as JSON)."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import click

from monitor.archive import Archive
from monitor.article_view import article_view
from monitor.cli.context import AppContext
from monitor.config.schema import SiteProfile
from monitor.errors import InputError
from monitor.urls import parse_article_url

# Shown in sections of their own rather than in the list of columns.
_OWN_SECTIONS = ("title", "lead", "body", "tags", "images", "extraction", "problems")
_SHORT = ("title", "published_at", "updated_at", "author")  # old → new shown in full


@click.command("show")
@click.argument("target", metavar="ID|URL")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every field) instead.")
@click.pass_obj
def show_command(app: AppContext, target: str, as_json: bool) -> None:
    """Show one archived article: every column, tags, images, which extraction layer gave
    each field, problems; its earlier versions (oldest first, with what each edit changed);
    its matches; its alerts (status, channel, sent_at).

    \b
    Examples:
      monitor show 179591
      monitor show https://congan.com.vn/tin-chinh/cong-tac-dan-van_179591.html --json
    """
    article_id = article_id_of(target, app.config.profile)
    with Archive.open(app.archive_path(), readonly=True) as archive:
        view = article_view(archive, article_id).to_dict()
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False, indent=2))
    else:
        width = min(max(shutil.get_terminal_size().columns, 40), 100)
        click.echo("\n".join(render(view, width)))


def article_id_of(target: str, profile: SiteProfile) -> int:
    """The article id in ``target``: a number, or an article URL of the watched site."""
    if target.strip().isdigit():
        return int(target)
    address = parse_article_url(target, profile)
    if address is None:
        raise InputError(f"not an article id or an article URL: {target!r}")
    return address.article_id


# --- the text view --------------------------------------------------------------------------


def render(view: Mapping[str, Any], width: int) -> list[str]:
    """The whole view as lines for a terminal ``width`` columns wide."""
    article = view["article"]
    lines = _heading(f"Article {article['article_id']}: {article['title']}", "=")
    lines += _columns(article)
    lines += _section("Lead", _wrap(article["lead"] or "(none)", width))
    lines += _section("Body", _wrap(article["body"], width))
    lines += _section(f"Images ({len(article['images'])})", _images(article["images"]))
    layers = [f"{field}: {layer}" for field, layer in article["extraction"].items()]
    lines += _section("Extraction layers", [", ".join(layers) or "(not recorded)"])
    lines += _section("Problems", [f"- {p}" for p in article["problems"]] or ["(none)"])
    lines += _section(f"Versions ({article['version']})", _versions(article, view["versions"]))
    lines += _section(f"Matches ({len(view['matches'])})", _matches(view["matches"], width))
    lines += _section(f"Alerts ({len(view['alerts'])})", _alerts(view["alerts"]))
    return lines


def _heading(title: str, rule: str = "-") -> list[str]:
    return [title, rule * min(len(title), 100)]


def _section(title: str, body: list[str]) -> list[str]:
    return ["", *_heading(title), *(body or ["(none)"])]


def _columns(article: Mapping[str, Any]) -> list[str]:
    """Every other column, one per line, in the archive's order; then the tags."""
    shown = {k: v for k, v in article.items() if k not in _OWN_SECTIONS}
    shown["tags"] = "; ".join(article["tags"]) or None
    widest = max(len(name) for name in shown)
    return [f"{name.ljust(widest)}  {_value(value)}" for name, value in shown.items()]


def _value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _wrap(text: str, width: int) -> list[str]:
    """Paragraphs (separated by blank lines) wrapped to ``width``, a blank line between."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        lines += [*(textwrap.wrap(paragraph, width) or [""]), ""]
    return lines[:-1]


def _images(images: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for number, image in enumerate(images, start=1):
        lines.append(f"{number}. {image['url']}")
        if image.get("caption"):
            lines.append(f"   {image['caption']}")
    return lines


def _versions(article: Mapping[str, Any], versions: Sequence[Mapping[str, Any]]) -> list[str]:
    """Oldest first: when each version was current and what the edit after it changed."""
    lines = []
    since = article["first_seen_at"]
    replaced_by = [*versions[1:], article]  # each version, and the content that replaced it
    for version, after in zip(versions, replaced_by, strict=False):
        changed = ", ".join(version["changed"]) or "nothing in the content fields"
        lines.append(
            f"v{version['version']}  {since} until {version['captured_at']}; "
            f"the edit changed: {changed}"
        )
        lines += [f"      {_change(name, version, after)}" for name in version["changed"]]
        since = version["captured_at"]
    lines.append(f"v{article['version']}  current since {since}")
    return lines


def _change(name: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    old, new = before[name], after[name]
    if name in _SHORT:
        return f"{name}: {_value(old)} → {_value(new)}"
    if name in ("tags", "images"):
        return f"{name}: {len(old)} → {len(new)}"
    return f"{name}: {len(old or '')} → {len(new or '')} characters"


def _matches(matches: Sequence[Mapping[str, Any]], width: int) -> list[str]:
    """Two lines each: where, then the snippet around the keyword, cut to fit ``width``
    (``--json`` has it whole)."""
    lines = []
    for m in matches:
        lines.append(f"{m['rule']}: {m['keyword']!r} in {m['field']} [{m['start']}:{m['end']}]")
        lines.append("    " + _around(" ".join(m["snippet"].split()), m["keyword"], width - 4))
    return lines


def _around(text: str, keyword: str, room: int) -> str:
    """At most ``room`` characters of ``text``, centred on ``keyword`` when it is there."""
    if len(text) <= room:
        return text
    found = text.casefold().find(keyword.casefold())
    start = max(0, min(found - (room - len(keyword)) // 2, len(text) - room + 2))
    window = text[start : start + room - 2]
    return ("…" if start > 0 else "") + window + ("…" if start + len(window) < len(text) else "")


def _alerts(alerts: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for alert in alerts:
        when = f" at {alert['sent_at']}" if alert["sent_at"] else ""
        error = f"; last error: {alert['last_error']}" if alert["last_error"] else ""
        lines.append(
            f"#{alert['id']} {alert['rule']} → {alert['channel']}: {alert['status']}{when}, "
            f"{alert['attempts']} attempts{error}"
        )
    return lines
