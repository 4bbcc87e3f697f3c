"""``monitor status``: the daemon, its jobs, the last run, the archive (its size and growth),
alerts, health.

What it shows agrees with the runs it reports: the crawl job shows the outcome of the crawl run
it last ran (the job itself ends "ok" whenever the crawl came back, whatever the crawl's
outcome); a daemon that is not running shows when it was last seen (its jobs' last runs) and
no next runs (they are the times it would have run, not times anything will run).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from monitor import growth
from monitor.archive import Archive, Run
from monitor.clock import SYSTEM_CLOCK, Clock
from monitor.config import Config
from monitor.daemon import health, schedule
from monitor.locks import read_holder

JOBS = (
    schedule.CRAWL,
    schedule.DELIVER,
    schedule.HEALTH,
    schedule.MAINTENANCE,
    schedule.BACKUP,
    schedule.VERIFY,
)
RECENT_DAYS = 7  # entry-point yields and id coverage look this far back
RUNS_LOOKED_AT = 50  # the crawl job's run is among the newest runs (backfills may come between)


def gather(config: Config, clock: Clock = SYSTEM_CLOCK) -> dict[str, Any]:
    database = config.database.path
    now = clock.now()
    status: dict[str, Any] = {"archive": database, "daemon": _daemon(database, now)}
    if not Path(database).exists():
        return status | {"note": "no archive yet: run `monitor init` (or `monitor run --create`)"}
    with Archive.open(database, readonly=True) as archive:
        runs = archive.runs.last_runs(1)
        jobs = _jobs(archive, running=status["daemon"]["running"])
        if not status["daemon"]["running"]:
            status["daemon"]["last_seen"] = _last_seen(jobs)
        status |= {
            "jobs": jobs,
            "last_run": runs[0].to_dict() if runs else None,
            "counts": archive.counts(),
            "alerts": archive.alerts.alert_counts(),
            "health": health.state(archive),
            "growth": growth.measure(archive, now).to_dict(),
            **discovery(archive, now),
        }
    return status


def _jobs(archive: Archive, *, running: bool) -> dict[str, dict[str, Any]]:
    """Each job's remembered state; the crawl job's with the crawl run it last ran (``run``);
    without ``next_run`` when no daemon is running."""
    jobs = {job: schedule.job_state(archive, job) for job in JOBS}
    crawl = jobs[schedule.CRAWL]
    if crawl.get("last_run"):
        ran = _run_of_job(archive.runs.last_runs(RUNS_LOOKED_AT), str(crawl["last_run"]))
        crawl["run"] = (
            {"run_id": ran.run_id, "outcome": ran.outcome, "reason": ran.reason} if ran else None
        )
    if not running:
        for state in jobs.values():
            state.pop("next_run", None)
    return jobs


def _run_of_job(runs: list[Run], job_ran: str) -> Run | None:
    """The crawl run a crawl job that ended at ``job_ran`` ran: the newest normal run started
    by then (the daemon's crawls are normal runs; a backfill is a command's)."""
    ended = datetime.fromisoformat(job_ran)
    return next(
        (
            run
            for run in runs
            if run.mode == "normal" and datetime.fromisoformat(run.started_at) <= ended
        ),
        None,
    )


def _last_seen(jobs: dict[str, dict[str, Any]]) -> str | None:
    """When a daemon last did anything on this archive: its jobs' latest run, or None."""
    times = [str(state["last_run"]) for state in jobs.values() if state.get("last_run")]
    return max(times, key=datetime.fromisoformat, default=None)


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
    lines += [
        _job_line(job, state) for job, state in status["jobs"].items() if state.get("last_run")
    ]
    lines += _last_run(status["last_run"])
    counts, alerts = status["counts"], status["alerts"]
    lines.append(
        f"archive: {counts['articles']} articles, {counts['quarantined']} quarantined, "
        f"{counts['versions']} earlier versions"
    )
    lines.append(f"archive size: {growth.describe(growth.Growth.from_dict(status['growth']))}")
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
    if daemon["running"]:
        return f"daemon: running, pid {daemon['pid']}, up {_duration(daemon['uptime_s'])}"
    seen = daemon.get("last_seen")
    return f"daemon: not running (last seen {seen})" if seen else "daemon: not running"


def _job_line(job: str, state: dict[str, Any]) -> str:
    """The job's last run and how it ended (the crawl job: its crawl run's outcome and
    reason); its next run when a daemon is running."""
    text = f"job {job}: last {state['last_run']} ({_job_outcome(state)})"
    return text + (f", next {state['next_run']}" if state.get("next_run") else "")


def _job_outcome(state: dict[str, Any]) -> str:
    run = state.get("run")
    if run is None:
        return str(state.get("outcome"))
    reason = f": {run['reason']}" if run["reason"] else ""
    return f"run #{run['run_id']} {run['outcome']}{reason}"


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
    """BROKEN or ok since the check last turned; failing while its condition holds, not yet
    long enough to turn it broken (and alert)."""
    since = state.get("since", "?")
    if state.get("broken"):
        word = f"BROKEN since {since}"
    elif state.get("failing"):
        word = "failing, not alerted yet"
    else:
        word = f"ok since {since}"
    return f"health {check}: {word} — {state.get('detail', '')}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m {secs}s"
