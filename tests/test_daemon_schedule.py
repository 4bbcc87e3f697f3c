"""monitor.daemon.schedule: triggers from config, remembered runs (the daemon lock: test_locks)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.archive import VN_TZ, Archive
from monitor.config import Config
from monitor.config.daemon import ScheduleConfig
from monitor.daemon import schedule
from monitor.errors import ConfigError

NOW = datetime(2025, 6, 23, 12, 0, tzinfo=VN_TZ)


def timing(config: Config, **changes: object) -> ScheduleConfig:
    return config.schedule.model_copy(update=changes)


def test_interval_only(config: Config) -> None:
    trigger = schedule.crawl_trigger(timing(config, crawl_cron=""))
    assert isinstance(trigger, IntervalTrigger)


def test_interval_cron_and_daytime_combine(config: Config) -> None:
    both = timing(config, crawl_cron="*/10 6-21 * * *", daytime_interval=300.0)
    assert isinstance(schedule.crawl_trigger(both), OrTrigger)


def test_daytime_trigger_fires_only_in_daytime(config: Config) -> None:
    daytime = schedule.daytime_trigger(timing(config, daytime_interval=600.0), None)
    assert isinstance(daytime, CronTrigger)
    night = datetime(2025, 6, 23, 22, 30, tzinfo=VN_TZ)
    fire = daytime.get_next_fire_time(None, night)
    assert fire is not None and (fire.hour, fire.minute) == (6, 0)


def test_no_crawl_schedule_is_a_config_error(config: Config) -> None:
    with pytest.raises(ConfigError, match="no crawl schedule"):
        schedule.crawl_trigger(timing(config, crawl_interval=0.0, crawl_cron=""))


def test_a_job_that_never_ran_runs_now(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        assert schedule.first_run_time(archive, "crawl", NOW) == NOW


def test_a_remembered_future_run_is_kept(tmp_path: Path) -> None:
    later = NOW + timedelta(minutes=10)
    with Archive.open(tmp_path / "a.db") as archive:
        schedule.remember_run(archive, "crawl", NOW, later, "ok")
        assert schedule.first_run_time(archive, "crawl", NOW) == later


def test_runs_missed_while_down_coalesce_into_one_now(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        schedule.remember_run(
            archive, "crawl", NOW - timedelta(days=2), NOW - timedelta(days=1), "ok"
        )
        assert schedule.first_run_time(archive, "crawl", NOW) == NOW
