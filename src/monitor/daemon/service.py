"""``monitor run``: the daemon in the foreground, until SIGTERM or SIGINT.

start    take the archive's daemon lock (one daemon per archive), build the senders,
         schedule the jobs from their remembered next runs
run      APScheduler (3.x, background threads) runs the jobs: crawls never overlap
         (max_instances 1), missed runs coalesce into one, a run late by up to
         ``misfire_grace`` still runs; each job's last and next run is remembered
stop     first signal: no new jobs; the running crawl gets ``shutdown_grace`` seconds to
         stop cleanly, then is killed; pending alerts are delivered; exit 0.
         A second signal exits at once (the archive is consistent either way).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.alert.channels import Sender, build_senders
from monitor.archive import Archive
from monitor.clock import SYSTEM_CLOCK, VN_TZ, Clock
from monitor.config import Config
from monitor.daemon import schedule
from monitor.daemon.jobs import Jobs
from monitor.locks import DaemonLock
from monitor.logs import LogFormat

log = logging.getLogger("monitor.daemon")
EXIT_AT_ONCE = 130


class Daemon:
    def __init__(
        self,
        config: Config,
        config_path: Path | None,
        log_format: LogFormat = "text",
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.config = config
        self.clock = clock  # the scheduler keeps its own (APScheduler reads the system time)
        self.jobs = Jobs(config, config_path, _senders(config), log_format, clock)
        self.scheduler = BackgroundScheduler(timezone=VN_TZ)
        self.stop_requested = threading.Event()
        self._jobs: dict[str, Job] = {}  # read by listeners without the scheduler's lock

    def run(self) -> int:
        lock = DaemonLock.acquire(self.config.database.path, clock=self.clock)
        try:
            self._install_signal_handlers()
            self._schedule()
            self.scheduler.start()
            log.info(
                "monitor daemon started", extra={"pid": os.getpid(), "jobs": self._next_runs()}
            )
            self.stop_requested.wait()
            self._shutdown()
        finally:
            lock.release()
        log.info("monitor daemon stopped")
        return 0

    # --- scheduling -----------------------------------------------------------------------

    def _schedule(self) -> None:
        timing = self.config.schedule
        self._add(schedule.CRAWL, self.jobs.crawl, schedule.crawl_trigger(timing))
        self._add(schedule.DELIVER, self.jobs.deliver, _every(timing.deliver_interval))
        self._add(schedule.HEALTH, self.jobs.health, _every(timing.health_interval))
        maintenance = schedule.maintenance_trigger(timing)
        if maintenance is not None:
            self._add(schedule.MAINTENANCE, self.jobs.maintain, maintenance, run_missed=False)
        for job_id, job, expression in (
            (schedule.BACKUP, self.jobs.backup, timing.backup_cron),
            (schedule.VERIFY, self.jobs.verify, timing.verify_cron),
        ):
            trigger = schedule.cron_trigger(expression)
            if trigger is not None:  # like maintenance: a missed run waits for the next time
                self._add(job_id, job, trigger, run_missed=False)
        self.scheduler.add_listener(
            self._remember, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
        )

    def _add(
        self, job_id: str, job: Callable[[], None], trigger: BaseTrigger, *, run_missed: bool = True
    ) -> None:
        now = self.clock.now()
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            first = schedule.first_run_time(archive, job_id, now) if run_missed else None
        self._jobs[job_id] = self.scheduler.add_job(
            job,
            trigger,
            id=job_id,
            name=job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(self.config.schedule.misfire_grace),
            **({"next_run_time": first} if first is not None else {}),
        )

    def _remember(self, event: JobEvent) -> None:
        # never call back into the scheduler here: shutdown() holds its lock while it waits
        # for the thread running this listener
        job = self._jobs.get(event.job_id)
        outcome = {EVENT_JOB_EXECUTED: "ok", EVENT_JOB_ERROR: "error"}.get(event.code, "missed")
        if event.code == EVENT_JOB_ERROR:
            log.error("job %s failed: %s", event.job_id, getattr(event, "exception", "?"))
        if event.code == EVENT_JOB_MISSED:
            log.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
        with Archive.open(self.config.database.path, clock=self.clock) as archive:
            schedule.remember_run(
                archive,
                event.job_id,
                self.clock.now(),
                job.next_run_time if job else None,
                outcome,
            )

    def _next_runs(self) -> dict[str, str]:
        return {job.id: str(job.next_run_time) for job in self.scheduler.get_jobs()}

    # --- stopping -------------------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 PID`: stacks

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        if self.stop_requested.is_set():
            log.warning("second signal: exiting at once")
            os._exit(EXIT_AT_ONCE)
        log.info("signal %s: stopping (a second one exits at once)", signal.Signals(number).name)
        self.jobs.stopping.set()
        self.stop_requested.set()

    def _shutdown(self) -> None:
        self.scheduler.pause()
        stopper = threading.Thread(
            target=self.jobs.stop_crawl, args=(self.config.schedule.shutdown_grace,), daemon=True
        )
        stopper.start()
        self.scheduler.shutdown(wait=True)  # waits for the running jobs, the crawl included
        stopper.join()
        try:
            self.jobs.deliver()  # flush what the last crawl queued
        except Exception as error:
            log.warning("final delivery failed: %s", error)


def _every(seconds: float) -> BaseTrigger:
    trigger: BaseTrigger = IntervalTrigger(seconds=seconds, timezone=VN_TZ)
    return trigger


def _senders(config: Config) -> dict[str, Sender]:
    return build_senders(config.channels, environ=os.environ, timeout=config.alerts.timeout)
