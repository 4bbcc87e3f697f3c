"""``monitor rules diff``: what a change of rules would change over the archive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from monitor.archive import Archive
from monitor.archive.filters import day_start
from monitor.cli.context import AppContext
from monitor.cli.options import DATE
from monitor.config import load_rules
from monitor.errors import InputError
from monitor.match.rules_diff import ArticleChange, RuleDiff, diff_rules

CONFIGURED = "the configured rules"


@click.command("diff")
@click.argument("files", nargs=-1, metavar="[OLD] NEW", type=click.Path(path_type=Path))
@click.option("--since", type=DATE, metavar="DATE", help="Only articles published since DATE.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_obj
def rules_diff_command(
    app: AppContext, files: tuple[Path, ...], since: date | None, as_json: bool
) -> None:
    """Show which archived articles each rule would gain and lose with other rules.

    OLD and NEW are rule files ([[rules]] tables, as in config/rules-danvan.toml); with NEW
    alone, the configured rules are OLD. Rules are paired by name. Each article is listed
    with the hit that makes the difference; nothing is sent or recorded. Only the articles
    the search index finds a keyword of a changed rule in are read.

    \b
    Examples:
      monitor rules diff my-new-rules.toml               # configured rules → the file's
      monitor rules diff old.toml new.toml --since 2025-01-01
      monitor rules diff new.toml --json
    """
    if len(files) not in (1, 2):
        raise InputError("give one rule file (NEW, against the configured rules) or two (OLD NEW)")
    configured = app.config.rules  # the configuration's own problems first
    old = load_rules(files[0], app.config_path) if len(files) == 2 else configured
    new = load_rules(files[-1], app.config_path)
    with Archive.open(app.archive_path()) as archive:
        changes = diff_rules(archive, old, new, since_iso=day_start(since) if since else None)
    names = (str(files[0]) if len(files) == 2 else CONFIGURED, str(files[-1]))
    if as_json:
        click.echo(json.dumps(_json(changes, names, since), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(_text(changes, names)))


def _json(changes: list[RuleDiff], names: tuple[str, str], since: date | None) -> dict[str, Any]:
    return {
        "old": names[0],
        "new": names[1],
        "since": since.isoformat() if since else None,
        "rules": [
            {
                "rule": change.rule,
                "status": change.status,
                "gained": [_article(item) for item in change.gained],
                "lost": [_article(item) for item in change.lost],
            }
            for change in changes
        ],
    }


def _article(change: ArticleChange) -> dict[str, Any]:
    """An article as ``rules test --since`` prints one, with the rule's hits in it."""
    return {
        "article_id": change.article_id,
        "title": change.title,
        "published_at": change.published_at,
        "url": change.url,
        "matches": [asdict(hit) for hit in change.hits],
    }


def _text(changes: list[RuleDiff], names: tuple[str, str]) -> Iterator[str]:
    """One block per rule (its gains, then its losses), then a summary line."""
    yield f"{names[0]} → {names[1]}"
    for change in changes:
        yield _heading(change)
        for sign, items in (("+", change.gained), ("-", change.lost)):
            for item in items:
                yield from _listed(sign, item)
    differ = [change for change in changes if change.gained or change.lost]
    gained = sum(len(change.gained) for change in changes)
    lost = sum(len(change.lost) for change in changes)
    yield (
        f"{len(differ)} of {len(changes)} rules match other articles:"
        f" +{gained} gained, -{lost} lost"
    )


def _heading(change: RuleDiff) -> str:
    if change.status == "unchanged":
        return f"{change.rule}: unchanged"
    counts = f"+{_articles(len(change.gained))}, -{_articles(len(change.lost))}"
    return f"{change.rule} ({change.status}): {counts}"


def _articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def _listed(sign: str, item: ArticleChange) -> Iterator[str]:
    """An article's line, then its first hit: keyword, field and snippet."""
    day = (item.published_at or "")[:10]
    yield f"  {sign} {item.article_id}  {day}  {item.title}"
    hit = item.hits[0]
    yield f'      "{hit.keyword}" in {hit.field}: {hit.snippet}'
