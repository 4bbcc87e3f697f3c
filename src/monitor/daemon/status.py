"""``monitor status``: the daemon, its jobs, the last run, the archive, alerts, health."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.archive import Archive
from monitor.clock import SYSTEM_CLOCK, Clock
from monitor.config import Config
from monitor.daemon import health, schedule
from monitor.locks import read_holder

JOBS = (schedule.CRAWL, schedule.DELIVER, schedule.HEALTH, schedule.MAINTENANCE)
RECENT_DAYS = 7  # entry-point yields and id coverage look this far back


def gather(config: Config, clock: Clock = SYSTEM_CLOCK) -> dict[str, Any]:
    database = config.database.path
    now = clock.now()
    status: dict[str, Any] = {"archive": database, "daemon": _daemon(database, now)}
    if not Path(database).exists():
        return status | {"note": "no archive yet: run `monitor crawl` or `monitor run`"}
    with Archive.open(database, readonly=True) as archive:
        runs = archive.runs.last_runs(1)
        status |= {
            "jobs": {job: schedule.job_state(archive, job) for job in JOBS},
            "last_run": runs[0].to_dict() if runs else None,
            "counts": archive.counts(),
            "alerts": archive.alerts.alert_counts(),
            "health": health.state(archive),
            **discovery(archive, now),
        }
    return status


def discovery(archive: Archive, now: datetime) -> dict[str, Any]:
    """Per entry point, what the normal runs of the last days found through it; and per
    publication day, the ids archived against the span of the site's id sequence they cover
    (ids rise one global sequence, ~40-45 a day across sections: ``ids / span`` estimates
    the share of the day's articles found)."""
    since = now - timedelta(days=RECENT_DAYS)
    coverage = archive.runs.id_coverage(since.date() + timedelta(days=1))
    entries = archive.runs.entry_yields_since(since.isoformat(timespec="seconds"))
    return {
        "entries": [asdict(entry) for entry in entries],
        "coverage": [asdict(day) | {"estimate": day.estimate} for day in coverage],
    }


def _daemon(database: str, now: datetime) -> dict[str, Any]:
    holder = read_holder(database)
    if holder is None:
        return {"running": False}
    started = holder.get("started_at")
    uptime = (now - datetime.fromisoformat(started)).total_seconds() if started else None
    return {"running": True, "pid": holder.get("pid"), "started_at": started, "uptime_s": uptime}


def render(status: dict[str, Any]) -> list[str]:
    """The status as lines for a terminal."""
    lines = [f"archive: {status['archive']}", _daemon_line(status["daemon"])]
    if "note" in status:
        return [*lines, status["note"]]
    lines += [_job_line(job, state) for job, state in status["jobs"].items() if state]
    lines += _last_run(status["last_run"])
    counts, alerts = status["counts"], status["alerts"]
    lines.append(
        f"archive: {counts['articles']} articles, {counts['quarantined']} quarantined, "
        f"{counts['versions']} earlier versions"
    )
    lines.append(
        f"alerts: {alerts['pending']} pending, {alerts['failed']} failed, {alerts['sent']} sent"
    )
    lines += _entry_lines(status["entries"]) + _coverage_lines(status["coverage"])
    checks = [_health_line(check, state) for check, state in status["health"].items()]
    return lines + (checks or ["health: no checks yet"])


def _entry_lines(entries: list[dict[str, Any]]) -> list[str]:
    if not entries:
        return [f"entry points: no run in the last {RECENT_DAYS} days"]
    return [
        f"entry points, last {RECENT_DAYS} days (runs, links found, new articles, last status):"
    ] + [
        f"  {e['kind']:<8} {e['entry']}: {e['runs']} runs, {e['links']} links, {e['new']} new,"
        f" last {e['last_status'] or 'no answer'}"
        for e in entries
    ]


def _coverage_lines(days: list[dict[str, Any]]) -> list[str]:
    if not days:
        return []
    return ["coverage estimate (ids archived / id span, by publication day):"] + [
        f"  {d['day']}: {d['ids']} / {d['span']} ids ({d['first_id']}..{d['last_id']})"
        f" ≈ {d['estimate']:.0%}"
        for d in days
    ]


def _daemon_line(daemon: dict[str, Any]) -> str:
    if not daemon["running"]:
        return "daemon: not running"
    return f"daemon: running, pid {daemon['pid']}, up {_duration(daemon['uptime_s'])}"


def _job_line(job: str, state: dict[str, Any]) -> str:
    last, outcome, following = state.get("last_run"), state.get("outcome"), state.get("next_run")
    return f"job {job}: last {last} ({outcome}), next {following}"


def _last_run(run: dict[str, Any] | None) -> list[str]:
    if run is None:
        return ["last run: none yet"]
    when = run["finished_at"] or run["started_at"]
    reason = f" ({run['reason']})" if run["reason"] else ""
    return [
        f"last run #{run['run_id']} ({run['mode']}): {run['outcome']} at {when}{reason}",
        f"  {run['requests']} requests, {run['new']} new, {run['updated']} updated, "
        f"{run['quarantined']} quarantined, {run['http_errors']} HTTP errors",
    ]


def _health_line(check: str, state: dict[str, Any]) -> str:
    word = "BROKEN" if state.get("broken") else "ok"
    return f"health {check}: {word} since {state.get('since', '?')} — {state.get('detail', '')}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m {secs}s"
