"""The daemon's triggers, and job state (last and next run) that survives a restart.

APScheduler keeps its jobs in memory; after every run the daemon writes each job's last and
next run time to the archive (``job:<id>`` in crawl state). On start, a job whose stored next
run is already past runs at once — the runs missed while the daemon was down coalesce into
one — and otherwise keeps its stored time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.archive import Archive
from monitor.clock import VN_TZ
from monitor.config.daemon import ScheduleConfig
from monitor.errors import ConfigError

CRAWL, DELIVER, HEALTH, MAINTENANCE = "crawl", "deliver", "health", "maintenance"
BACKUP, VERIFY = "backup", "verify"


def crawl_trigger(schedule: ScheduleConfig) -> BaseTrigger:
    """Interval, crontab and daytime triggers, whichever are configured, combined."""
    jitter = int(schedule.jitter) or None
    triggers: list[BaseTrigger] = []
    if schedule.crawl_interval > 0:
        triggers.append(
            IntervalTrigger(seconds=schedule.crawl_interval, jitter=jitter, timezone=VN_TZ)
        )
    if schedule.crawl_cron:
        triggers.append(_cron(schedule.crawl_cron, jitter))
    if schedule.daytime_interval > 0:
        triggers.append(daytime_trigger(schedule, jitter))
    if not triggers:
        raise ConfigError(
            "no crawl schedule: set crawl_interval, crawl_cron or daytime_interval",
            key="schedule.crawl_interval",
        )
    return triggers[0] if len(triggers) == 1 else OrTrigger(triggers, jitter=jitter)


def daytime_trigger(schedule: ScheduleConfig, jitter: int | None) -> CronTrigger:
    """Every ``daytime_interval`` in ``daytime_hours`` (minute steps; second steps under 60 s)."""
    start, end = schedule.daytime_hours.split("-")
    hours = f"{int(start[:2])}-{max(int(end[:2]) - 1, int(start[:2]))}"
    step = int(schedule.daytime_interval)
    if step < 60:
        return CronTrigger(hour=hours, second=f"*/{step}", timezone=VN_TZ, jitter=jitter)
    return CronTrigger(hour=hours, minute=f"*/{max(step // 60, 1)}", timezone=VN_TZ, jitter=jitter)


def maintenance_trigger(schedule: ScheduleConfig) -> CronTrigger | None:
    return cron_trigger(schedule.maintenance_cron)


def cron_trigger(expression: str) -> CronTrigger | None:
    """A job's crontab trigger, or None when its expression is empty (the job is off)."""
    return _cron(expression, None) if expression else None


def _cron(expression: str, jitter: int | None) -> CronTrigger:
    trigger = CronTrigger.from_crontab(expression, timezone=VN_TZ)
    trigger.jitter = jitter
    return trigger


def first_run_time(archive: Archive, job_id: str, now: datetime) -> datetime:
    """When a job should first run after a start: its stored next run, or now if that passed
    (missed runs coalesce into one) or if it never ran."""
    stored = archive.state.get_state(job_key(job_id))
    next_run = _time(stored.get("next_run")) if isinstance(stored, dict) else None
    return next_run if next_run is not None and next_run > now else now


def remember_run(
    archive: Archive, job_id: str, last_run: datetime, next_run: datetime | None, outcome: str
) -> None:
    archive.state.put_state(
        job_key(job_id),
        {
            "last_run": last_run.astimezone(VN_TZ).isoformat(timespec="seconds"),
            "next_run": next_run.astimezone(VN_TZ).isoformat(timespec="seconds")
            if next_run
            else None,
            "outcome": outcome,
        },
    )


def job_state(archive: Archive, job_id: str) -> dict[str, Any]:
    stored = archive.state.get_state(job_key(job_id))
    return stored if isinstance(stored, dict) else {}


def job_key(job_id: str) -> str:
    return f"job:{job_id}"


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
