"""Configuration of the daemon: the schedule (``[schedule]``) and health checks (``[health]``)."""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, field_validator

from monitor.config.schema_base import A_YEAR, Model

_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")


def check_cron(expression: str) -> str:
    if expression:
        try:
            CronTrigger.from_crontab(expression)
        except ValueError as error:
            raise ValueError(f"not a crontab expression: {error}") from None
    return expression


class ScheduleConfig(Model):
    """When the daemon's jobs run (times in Asia/Ho_Chi_Minh)."""

    crawl_interval: float = Field(
        ge=0, le=A_YEAR, description="seconds between crawls; 0 = cron only"
    )
    crawl_cron: str = Field(description="crontab expression for crawls; empty = interval only")
    daytime_interval: float = Field(
        ge=0, le=A_YEAR, description="crawl this often in daytime; 0 = off"
    )
    daytime_hours: str = Field(description="HH:MM-HH:MM, the Vietnamese working day")
    jitter: float = Field(
        ge=0, le=A_YEAR, description="random delay added to each scheduled crawl (s)"
    )
    crawl_timeout: float = Field(
        gt=0, le=A_YEAR, description="a crawl running longer is killed (s)"
    )
    misfire_grace: float = Field(
        gt=0, le=A_YEAR, description="a late run still runs within this (s)"
    )
    deliver_interval: float = Field(gt=0, le=A_YEAR, description="seconds between alert deliveries")
    health_interval: float = Field(
        gt=0, le=A_YEAR, description="seconds between periodic health checks"
    )
    maintenance_cron: str = Field(description="crontab for FTS optimize + VACUUM; empty = never")
    backup_cron: str = Field(description="crontab for `monitor backup`; empty = never")
    verify_cron: str = Field(description="crontab for `monitor verify`; empty = never")
    shutdown_grace: float = Field(
        ge=0, le=A_YEAR, description="on SIGTERM, a crawl may finish this long (s)"
    )

    _crons = field_validator("crawl_cron", "maintenance_cron", "backup_cron", "verify_cron")(
        check_cron
    )

    @field_validator("daytime_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        if not _HOURS.match(value):
            raise ValueError("not a span of hours like 06:00-22:00")
        return value


class HealthConfig(Model):
    """When the operator is told that something is wrong — once when it starts, once when over."""

    channel: str = Field(description="the channel operator alerts go to")
    window: int = Field(ge=1, description="recent runs compared")
    min_fetched: int = Field(ge=1, description="fewest articles a run must fetch to be judged")
    quarantine_rate: float = Field(ge=0, le=1, description="quarantined share that is broken")
    profile_miss_rate: float = Field(
        ge=0, le=1, description="share of bodies not found by the profile"
    )
    empty_listing_runs: int = Field(ge=1, description="runs in a row finding no article links")
    missing_entry_runs: int = Field(
        ge=1, le=1000, description="runs in a row an entry point answers 404/410"
    )
    fallback_rate: float = Field(
        ge=0, le=1, description="share of a run's records from fallbacks that is broken"
    )
    unreachable_minutes: float = Field(
        gt=0, le=A_YEAR / 60, description="site unreachable for longer than this"
    )
    quiet_daytime_hours: float = Field(
        gt=0, description="no new article for this many daytime hours"
    )
    disk_days: int = Field(
        ge=0, le=3650, description="fewer days of the archive's growth left on its disk"
    )
