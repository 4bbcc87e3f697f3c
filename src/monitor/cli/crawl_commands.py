"""``monitor crawl`` and ``monitor reparse``."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime

import click

from monitor.alert import build_senders, deliver_locked
from monitor.archive import Archive
from monitor.cli.context import AppContext
from monitor.cli.options import DATE
from monitor.cli.progress import JobProgress, say
from monitor.crawl import CrawlResult, Event, fallback_note, run_crawl, summary
from monitor.errors import FetchError
from monitor.match import Matcher
from monitor.match.apply import match_new_articles
from monitor.reparse import BATCH as REPARSE_BATCH
from monitor.reparse import default_jobs, reparse_archive


@click.command("crawl")
@click.option(
    "--since",
    type=DATE,
    metavar="DATE",
    help="Backfill: walk listings back until articles are older than DATE (YYYY-MM-DD). "
    "An interrupted backfill resumes where it stopped.",
)
@click.option(
    "--create",
    is_flag=True,
    help="Create the archive if database.path names none yet (as `monitor init` does).",
)
@click.pass_obj
def crawl_command(app: AppContext, since: date | None, create: bool) -> None:
    """Crawl once now: new articles from the feeds, listings and tag pages into the archive,
    then match them against the rules and deliver the alerts.

    \b
    Examples:
      monitor crawl                      # one incremental run
      monitor crawl --since 2024-01-01   # backfill, with progress; Ctrl-C and rerun to resume
      monitor crawl --create             # the first crawl into a new archive at database.path
    """
    app.archive_to_fill(create=create)
    progress = BackfillProgress(since) if since else None
    result = run_crawl(
        app.config, app.config_path, since=since, on_event=progress or (lambda e: None)
    )
    if progress:
        progress.close()
    if not _failed_empty(result):  # else the error line, at the end, says all there is
        click.echo(summary(result))
    note = fallback_note(result.figures, app.config.health.fallback_rate)
    if note:
        click.echo(note)
    _match_after(app)
    _exit_for(result)


def _match_after(app: AppContext) -> None:
    """Match what the crawl stored (even a failed crawl may have stored some articles), then
    deliver the alerts that are due."""
    with Archive.open(app.archive_path()) as archive:
        rules = app.config.rules
        found = match_new_articles(
            archive, rules, Matcher(rules), max_age_days=app.config.alerts.max_age_days
        )
    if found.articles:
        click.echo(found.line(app.config.alerts.max_age_days))
    senders = build_senders(
        app.config.channels, environ=os.environ, timeout=app.config.alerts.timeout
    )
    delivered = deliver_locked(app.config, senders)
    if delivered.sent or delivered.errors:
        failures = f"; {len(delivered.errors)} delivery errors" if delivered.errors else ""
        click.echo(f"alerts: {delivered.sent} sent{failures}")
    for error in delivered.errors:  # one line each, secrets already redacted; retried later
        click.echo(f"monitor: alert delivery: {error}", err=True)


def _failed_empty(result: CrawlResult) -> bool:
    """A run that failed without storing a record (the site unreachable): its figures say
    nothing its one error line does not."""
    return result.outcome == "failed" and result.figures.records == 0


def _exit_for(result: CrawlResult) -> None:
    if result.outcome == "interrupted":
        sys.exit(130)
    if not result.ok:
        raise FetchError(f"crawl {result.outcome}: {result.reason or 'see the log above'}")


class BackfillProgress:
    """A one-line progress bar on stderr: how far back the slowest entry point has walked
    towards ``since`` (entry points that reached it count as done)."""

    WIDTH = 30

    def __init__(self, since: date) -> None:
        self.since = since
        self.newest: date | None = None
        self.entries: dict[str, tuple[date, bool]] = {}
        self.pages = 0
        self.new = 0
        self.tty = sys.stderr.isatty()

    def __call__(self, event: Event) -> None:
        kind = event.get("event")
        if kind == "page":
            self.pages += 1
            self.new += int(event.get("new", 0))
        elif kind == "backfill" and event.get("oldest"):
            oldest = datetime.fromisoformat(str(event["oldest"])).date()
            self.newest = max(self.newest or oldest, oldest)
            self.entries[str(event["entry"])] = (oldest, bool(event.get("done")))
            self._show()
        elif kind == "resume":
            click.echo(f"resuming {event.get('entry')} at {event.get('url')}", err=True)

    def fraction(self, oldest: date, done: bool) -> float:
        if done or self.newest is None:
            return 1.0
        span = max((self.newest - self.since).days, 1)
        return min(max((self.newest - oldest).days / span, 0.0), 1.0)

    def _show(self) -> None:
        entry, (oldest, done) = min(self.entries.items(), key=lambda item: self.fraction(*item[1]))
        share = self.fraction(oldest, done)
        bar = "#" * int(share * self.WIDTH)
        line = (
            f"[{bar:<{self.WIDTH}}] {share:4.0%}  {entry} back to {oldest}  "
            f"({self.pages} pages, {self.new} new articles)"
        )
        click.echo(("\r" + line) if self.tty else line, err=True, nl=not self.tty)

    def close(self) -> None:
        if self.tty:
            click.echo("", err=True)


@click.command("reparse")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Parse in N worker processes (default: one per core). The result is the same.",
)
@click.option(
    "--resume", is_flag=True, help="Continue an interrupted reparse after its last batch."
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=REPARSE_BATCH,
    show_default=True,
    metavar="N",
    help="Pages stored per transaction, with the checkpoint: a kill loses at most one batch.",
)
@click.pass_obj
def reparse_command(app: AppContext, jobs: int | None, resume: bool, batch: int) -> None:
    """Rebuild every record from the archived raw pages with the current site profile.

    No network is used. Run it after fixing a selector in the site profile: quarantined pages
    that now parse completely enter the archive; changed records keep their history. Pages are
    parsed on every core and stored in batches; an interrupted reparse (Ctrl-C, a kill, a
    reboot) continues with --resume, and without it starts over, saying where it had stopped.

    \b
    Examples:
      monitor --config fixed-profile.toml reparse
      monitor --config fixed-profile.toml reparse --resume   # after an interruption
    """
    progress = JobProgress("reparse", "pages")
    with Archive.open(app.archive_path()) as archive:
        try:
            outcomes = reparse_archive(
                archive,
                app.config.profile,
                jobs=jobs or default_jobs(),
                batch=batch,
                resume=resume,
                on_progress=progress,
                note=say,
            )
        finally:
            progress.close()
    shown = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
    click.echo(f"reparsed {sum(outcomes.values())} pages: {shown or 'nothing to do'}")
