"""The daemon's jobs. Each opens the archive for itself (jobs run on scheduler threads).

crawl        the spider in a child process (killed at ``crawl_timeout``), then match what
             it stored, check health, and deliver instant alerts
deliver      due alerts: retries and digests
health       the periodic checks (a site with nothing new for too long)
maintenance  raw pages' dictionary and recompression, FTS optimize, VACUUM (stops between
             recompression batches when the daemon is stopping; the next run carries on)
backup       ``monitor backup`` into ``backup.directory``, with rotation; health check ``backup``
verify       ``monitor verify`` of the archive (through a snapshot copy); health check ``archive``
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar, cast

from monitor.alert.channels import Sender
from monitor.alert.deliver import deliver_locked
from monitor.alert.message import AlertMessage
from monitor.archive import Archive
from monitor.archive.archive import MaintenanceReport
from monitor.backup import operations
from monitor.clock import SYSTEM_CLOCK, Clock
from monitor.config import Config
from monitor.crawl import ChildOptions, CrawlResult, run_crawl
from monitor.daemon import health
from monitor.daemon.health import Verdict
from monitor.errors import ArchiveFullError, CrawlLockedError, DeliveryError, MonitorError
from monitor.logs import LogFormat
from monitor.match import Matcher
from monitor.match.apply import match_new_articles

log = logging.getLogger("monitor.daemon")
Job = TypeVar("Job", bound=Callable[..., None])


def guarded(job: Job) -> Job:
    """Our own errors (site, archive, channel) end a job run with one log line; the next run
    comes on schedule. Anything else propagates, and the scheduler logs it with a traceback."""

    @functools.wraps(job)
    def run(self: Jobs, *args: Any, **kwargs: Any) -> None:
        try:
            job(self, *args, **kwargs)
        except MonitorError as error:
            quiet = self.stopping.is_set()
            (log.info if quiet else log.error)("%s: %s", job.__name__, error)

    return cast(Job, run)


class Jobs:
    def __init__(
        self,
        config: Config,
        config_path: Path | None,
        senders: dict[str, Sender],
        log_format: LogFormat = "text",
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.config = config
        self.clock = clock
        self.config_path = config_path
        self.log_format = log_format  # the crawl child logs in the daemon's format
        self.senders = senders
        self.matcher = Matcher(config.rules)
        self.stopping = threading.Event()
        self._child: subprocess.Popen[str] | None = None
        self._child_lock = threading.Lock()
        self._health: dict[str, Any] = {}  # the health state, also when the archive can't take it
        self._health_lock = threading.Lock()

    # --- crawl ----------------------------------------------------------------------------

    @guarded
    def crawl(self) -> None:
        if self.stopping.is_set():
            return
        try:
            self._crawl()
        except ArchiveFullError:  # one log line (guarded); the operator told through health
            self._disk_full()
            raise

    def _crawl(self) -> None:
        try:
            result = run_crawl(
                self.config,
                self.config_path,
                child_options=ChildOptions(
                    timeout=self.config.schedule.crawl_timeout,
                    on_start=self._track,
                    own_session=True,
                    log_format=self.log_format,
                ),
            )
        except CrawlLockedError:
            log.warning("crawl skipped: another crawl is running on this archive")
            return
        finally:
            self._track(None)
        log.info("crawl %s", result.outcome, extra={"figures": _figures(result)})
        self._after_crawl(result)

    def _after_crawl(self, result: CrawlResult) -> None:
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            found = match_new_articles(
                archive,
                self.config.rules,
                self.matcher,
                max_age_days=self.config.alerts.max_age_days,
            )
            if found.articles:
                figures = {"matched": found.matched, "alerts": found.alerts}
                log.info("matched %d articles", found.articles, extra={"figures": figures})
            run = archive.runs.get_run(result.run_id) if result.run_id is not None else None
            if run is not None:
                verdicts = health.after_crawl(archive, self.config, run, self.clock.now())
                self._apply_health(archive, verdicts)
        self.deliver()

    def _track(self, child: subprocess.Popen[str] | None) -> None:
        with self._child_lock:
            self._child = child

    def stop_crawl(self, grace: float) -> None:
        """Ask the running crawl to stop (SIGTERM: Scrapy closes cleanly), kill it after
        ``grace`` seconds. The archive stays consistent either way: one transaction per article."""
        with self._child_lock:
            child = self._child
        if child is None or child.poll() is not None:
            return
        log.info("stopping the running crawl (up to %.0f s)", grace)
        os.kill(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            log.warning("the crawl did not stop in time: killed")
            child.kill()

    # --- delivery, health, maintenance --------------------------------------------------------

    @guarded
    def deliver(self) -> None:
        # the delivery lock also serialises the daemon's threads
        summary = deliver_locked(self.config, self.senders, clock=self.clock)
        if any(vars(summary).values()):
            log.info("alerts delivered", extra={"figures": vars(summary)})

    def _disk_full(self) -> None:
        """A write found the disk full: the disk check now, not at the next periodic run."""
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            verdicts = health.periodic(archive, self.config, self.clock.now())
            self._apply_health(archive, [v for v in verdicts if v.check == "disk"])

    @guarded
    def health(self) -> None:
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            verdicts = health.periodic(archive, self.config, self.clock.now())
            self._apply_health(archive, verdicts)

    @guarded
    def maintain(self) -> None:
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            report = archive.maintain(stop=self.stopping.is_set)
        what = "FTS optimized, vacuumed" if report.finished else "stopped early (daemon stopping)"
        log.info("archive maintained: %s", what, extra={"figures": _maintenance_figures(report)})

    @guarded
    def backup(self) -> None:
        if self.stopping.is_set():
            return
        config = self.config
        try:
            made = operations.make_backup(
                Path(config.database.path),
                operations.directory_of(config),
                operations.policy_of(config),
                clock=self.clock,
            )
        except MonitorError as error:
            self._record_check(health.backup_verdict(None, str(error)))
            raise
        figures = {"file": str(made.path), "bytes": made.entry.size, "kept": made.kept,
                   "removed": len(made.removed), **made.entry.counts}  # fmt: skip
        log.info("archive backed up: %s", made.path, extra={"figures": figures})
        self._record_check(health.backup_verdict(str(made.path), None))

    @guarded
    def verify(self) -> None:
        if self.stopping.is_set():
            return
        verified = operations.verify_archive(Path(self.config.database.path), clock=self.clock)
        if verified.verification.ok:
            summary = operations.summary_line(verified)
            log.info("archive verified: %s", summary)
            self._record_check(health.archive_verdict(None, summary))
            return
        line = operations.damage_line(verified, operations.directory_of(self.config))
        log.error("archive verification: %s", line)
        self._record_check(health.archive_verdict(line, ""))

    def _record_check(self, verdict: Verdict) -> None:
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            self._apply_health(archive, [verdict])

    def _apply_health(self, archive: Archive, verdicts: list[Verdict]) -> None:
        """Record the checks' verdicts; operator alerts in ``alerts.language``."""
        language = self.config.alerts.language
        with self._health_lock:  # the crawl's and the periodic checks' threads
            health.apply(
                archive, verdicts, self._notify_operator, self.clock.now(),
                language=language, kept=self._health,
            )  # fmt: skip

    def _notify_operator(self, title: str, body: str) -> None:
        name = self.config.health.channel
        sender = self.senders.get(name)
        if sender is None:
            raise DeliveryError(f"no channel named {name!r}")
        sender.send(AlertMessage(channel=name, title=title, body=body, alert_ids=()))


def _figures(result: CrawlResult) -> dict[str, Any]:
    return {"run_id": result.run_id, "seconds": round(result.seconds, 1), **asdict(result.figures),
            **({"reason": result.reason} if result.reason else {})}  # fmt: skip


def _maintenance_figures(report: MaintenanceReport) -> dict[str, Any]:
    training, pages = report.training, report.recompressed
    return {"dictionary": training.outcome, "dictionary_id": training.dictionary_id,
            "recompressed": pages.pages, "recompressed_bytes_before": pages.before,
            "recompressed_bytes_after": pages.after, "dictionaries_dropped": len(report.dropped),
            "bytes_before": report.before, "bytes_after": report.after}  # fmt: skip
