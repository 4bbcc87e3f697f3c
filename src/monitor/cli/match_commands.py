"""``monitor match`` and ``monitor rules test``."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from monitor.archive import Archive
from monitor.archive.filters import day_start
from monitor.cli.context import AppContext
from monitor.cli.options import DATE
from monitor.cli.progress import JobProgress, say
from monitor.cli.rules_diff_command import rules_diff_command
from monitor.config.schema import Rule
from monitor.errors import InputError
from monitor.match import Matcher
from monitor.match.apply import BATCH as MATCH_BATCH
from monitor.match.apply import MatchJob, MatchSummary, backtest, match_new_articles, rematch


@click.command("match")
@click.option(
    "--since", type=DATE, metavar="DATE", help="Also re-match articles published since DATE."
)
@click.option("--all", "everything", is_flag=True, help="Also re-match every archived article.")
@click.option(
    "--resume",
    is_flag=True,
    help="With --all or --since: continue the interrupted re-match after its last batch.",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=MATCH_BATCH,
    show_default=True,
    metavar="N",
    help="Articles recorded per transaction, with the checkpoint: a kill loses at most one.",
)
@click.pass_obj
def match_command(
    app: AppContext, since: date | None, everything: bool, resume: bool, batch: int
) -> None:
    """Match new and edited articles against the rules and queue their alerts.

    Runs by itself after every crawl. Adding or editing a rule never re-alerts old articles
    unless you ask with --since or --all; even then an article alerts at most once per rule
    and channel. A re-match shows its progress; interrupted, it continues with --resume (the
    same option and rules), and without it starts over, saying where it had stopped.

    Only the articles the search index finds a rule's keyword in are read; the others are
    recorded as matching nothing (their old matches removed) without being read.

    \b
    Examples:
      monitor match                       # what the last crawl stored
      monitor match --since 2025-01-01    # apply today's rules to this year's articles
      monitor match --all --resume        # continue an interrupted re-match of everything
    """
    if since and everything:
        raise InputError("--since and --all cannot be used together: --all re-matches everything")
    if resume and not (since or everything):
        raise InputError("--resume continues an interrupted --all or --since: give that option")
    config = app.config
    with Archive.open(app.archive_path()) as archive:
        matcher = Matcher(config.rules)
        if since or everything:
            summary = _rematch(app, archive, matcher, since, resume=resume, batch=batch)
        else:
            summary = match_new_articles(
                archive, config.rules, matcher, max_age_days=config.alerts.max_age_days, batch=batch
            )
    click.echo(summary.line(config.alerts.max_age_days))


def _rematch(
    app: AppContext,
    archive: Archive,
    matcher: Matcher,
    since: date | None,
    *,
    resume: bool,
    batch: int,
) -> MatchSummary:
    """``match --all`` or ``--since``, with its progress on stderr."""
    scope = f"since {since.isoformat()}" if since else "all"
    progress = JobProgress(f"match --{scope}")
    job = MatchJob(app.config.alerts.max_age_days, batch=batch, on_progress=progress)
    try:
        return rematch(
            archive, app.config.rules, matcher, job,
            since_iso=day_start(since) if since else None, scope=scope, resume=resume, note=say,
        )  # fmt: skip
    finally:
        progress.close()


@click.group("rules")
def rules_group() -> None:
    """Try the keyword rules without sending anything.

    \b
    Examples:
      monitor rules test --text "Phong trào Dân vận khéo ở phường Bến Nghé"
      monitor rules diff my-new-rules.toml
    """


rules_group.add_command(rules_diff_command)


@rules_group.command("test")
@click.option("--text", help="Match this text (as an article body).")
@click.option(
    "--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Match a text file."
)
@click.option(
    "--since", type=DATE, metavar="DATE", help="Back-test the archive: articles since DATE."
)
@click.option("--all", "everything", is_flag=True, help="Back-test every archived article.")
@click.pass_obj
def rules_test_command(
    app: AppContext, text: str | None, file: Path | None, since: date | None, everything: bool
) -> None:
    """Print what the rules match, as JSON: [{rule, keyword, field, start, end, snippet}].

    With --since or --all, print every archived article (since DATE) that would have
    alerted, and the rules and keywords that matched; nothing is sent or recorded. Only the
    articles the search index finds a keyword in are read.

    \b
    Examples:
      monitor rules test --text "Người dân vận chuyển hàng hóa"     # → []
      monitor rules test --file draft.txt
      monitor rules test --since 2025-06-01
    """
    given = (text, file, since, everything or None)
    if sum(option is not None for option in given) != 1:
        raise InputError("give exactly one of --text, --file, --since, --all")
    rules = app.config.rules
    matcher = Matcher(rules)
    if since is not None or everything:
        _backtest(app, rules, matcher, day_start(since) if since else None)
        return
    body = text if text is not None else _read_text(file)
    hits = matcher.match({"body": body})
    click.echo(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2))


def _read_text(file: Path | None) -> str:
    assert file is not None
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{file}: not UTF-8 text") from None


def _backtest(
    app: AppContext, rules: tuple[Rule, ...], matcher: Matcher, since_iso: str | None
) -> None:
    found = []
    progress = JobProgress("rules test --since")
    with Archive.open(app.archive_path()) as archive:
        for article, hits in backtest(archive, rules, matcher, since_iso, on_progress=progress):
            found.append(
                {
                    "article_id": article.article_id,
                    "title": article.title,
                    "published_at": article.published_at,
                    "url": article.canonical_url,
                    "rules": sorted({hit.rule for hit in hits}),
                    "matches": [asdict(hit) for hit in hits],
                }
            )
    progress.close()
    click.echo(json.dumps(found, ensure_ascii=False, indent=2))
