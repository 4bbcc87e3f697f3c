"""Running one crawl: the Scrapy spider in a child process, its progress relayed here.

A Twisted reactor cannot be restarted, so every crawl runs in its own process
(``python -m scrapers.run``); a crash or a hang there never takes the caller down. The child
records the run in the archive; this side reads the outcome back from the archive, so even a
child that died without a word leaves a recorded result.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from monitor.archive import Archive, RunFigures, RunOutcome
from monitor.config import Config
from monitor.errors import CrawlLockedError, FetchError
from monitor.locks import EXIT_LOCKED
from monitor.logs import LogFormat

Event = dict[str, Any]


@dataclass(frozen=True)
class CrawlResult:
    run_id: int | None
    outcome: str
    reason: str | None
    figures: RunFigures
    seconds: float

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def crawl_command(
    config_path: Path | None, since: date | None, log_format: LogFormat = "text"
) -> list[str]:
    command = [sys.executable, "-m", "scrapers.run", "--events", "--log-format", log_format]
    command += ["--config", str(config_path)] if config_path else []
    return command + (["--since", since.isoformat()] if since else [])


@dataclass(frozen=True)
class ChildOptions:
    """How the crawl child runs: killed after ``timeout`` seconds (its run recorded as
    'timeout'); handed to ``on_start`` once started (the daemon keeps it to stop it on
    shutdown); in its own session, away from terminal signals (Ctrl-C), for callers that relay
    them; logging on this process's stderr in ``log_format``."""

    timeout: float | None = None
    on_start: Callable[[subprocess.Popen[str]], None] = lambda child: None
    own_session: bool = False
    log_format: LogFormat = "text"


def run_crawl(
    config: Config,
    config_path: Path | None,
    *,
    since: date | None = None,
    on_event: Callable[[Event], None] = lambda event: None,
    child_options: ChildOptions = ChildOptions(),
) -> CrawlResult:
    """One crawl, start to finish, in a child process (see ``ChildOptions``). Raises
    CrawlLockedError if another crawl holds the archive."""
    Archive.open(config.database.path).close()  # an unusable archive is one clear error, now
    started = time.monotonic()
    child = subprocess.Popen(
        crawl_command(config_path, since, child_options.log_format),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=child_options.own_session,
    )
    child_options.on_start(child)
    timed_out = threading.Event()
    timeout = child_options.timeout
    killer = threading.Timer(timeout, _kill, (child, timed_out)) if timeout else None
    if killer is not None:
        killer.start()
    try:
        with child:  # closes its stdout pipe, whatever happens
            run_id = _relay_events(child, on_event)
            code = child.wait()
    finally:
        if killer is not None:
            killer.cancel()
    if code == EXIT_LOCKED:
        raise CrawlLockedError("another crawl is running on this archive")
    if run_id is None:
        raise FetchError(f"the crawl process exited (code {code}) before starting a run")
    return _result(config, run_id, started, timed_out=timed_out.is_set())


def _kill(child: subprocess.Popen[str], timed_out: threading.Event) -> None:
    timed_out.set()
    child.kill()


def _relay_events(child: subprocess.Popen[str], on_event: Callable[[Event], None]) -> int | None:
    run_id = None
    assert child.stdout is not None
    for line in child.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        run_id = event.get("run_id", run_id)
        on_event(event)
    return run_id


def _result(config: Config, run_id: int, started: float, *, timed_out: bool) -> CrawlResult:
    """The run as the child recorded it; a child that died mid-run (killed at the timeout, or
    by anything else) left it 'running': it is closed as 'timeout' or 'interrupted'."""
    seconds = time.monotonic() - started
    with Archive.open(config.database.path) as archive:
        run = archive.runs.get_run(run_id)
        if run is None:
            raise FetchError("the crawl process ended before recording a run")
        if run.outcome == "running":
            outcome: RunOutcome = "timeout" if timed_out else "interrupted"
            reason = f"killed after {seconds:.0f} s" if timed_out else "the crawl process died"
            archive.runs.finish_run(run.run_id, outcome, reason)
            run = archive.runs.get_run(run.run_id) or run
    return CrawlResult(run.run_id, run.outcome, run.reason, run.figures, seconds)


def summary(result: CrawlResult) -> str:
    f = result.figures
    text = (
        f"crawl {result.outcome} in {result.seconds:.1f} s: {f.requests} requests, "
        f"{f.new} new, {f.updated} updated, {f.quarantined} quarantined, "
        f"{f.http_errors} HTTP errors"
    )
    return text + (f" ({result.reason})" if result.reason else "")


def fallback_note(figures: RunFigures, rate: float) -> str | None:
    """The line saying that too many of a run's records came from fallbacks (over ``rate``,
    ``health.fallback_rate``), or None."""
    if figures.records == 0 or figures.fallbacks / figures.records <= rate:
        return None
    return fallback_text(figures.fallbacks, figures.records)


def fallback_text(fallbacks: int, records: int) -> str:
    return (
        f"{fallbacks} of {records} records came from fallbacks: "
        "run `monitor check URL` on one to see why"
    )
