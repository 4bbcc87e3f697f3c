"""Health checks: is extraction working, is the site reachable, is anything new appearing?

Each check is a small state machine kept in the archive (crawl state ``health``): it turns
*broken* when its condition holds and *ok* when it stops holding, and each turn sends one
operator alert through ``health.channel`` — one when it starts, one when it recovers, no
storms. A turn whose alert could not be sent is retried at the next evaluation.

    extraction   a run's fetched articles mostly quarantined, their bodies mostly not where
                 the site profile says, or their title, body or date mostly from a fallback
                 (the generic layer had to step in): the layout changed; the alert names
                 ``monitor check`` — one finding, one alert, whichever of the three shows it
    listings     entry points answered (not 304) yet yielded no article links, N runs in a row
    entries      an entry point (feed, sitemap, listing) answering 404/410 N runs in a row
    reachable    every run failing with "site unreachable" for longer than a threshold
                 (*failing* before that: shown by ``monitor status``, not alerted)
    fresh        no new article for N daytime hours
    disk         the archive's file system full in fewer than ``health.disk_days`` days at the
                 archive's growth (``monitor.growth``), or with less than ``MIN_FREE`` left;
                 checked after every crawl too, and at once when a write finds the disk full
    backup       the daemon's last backup failed (the ``backup`` job; ``backup_verdict``)
    archive      the weekly verification found the archive damaged (the ``verify`` job)

Each verdict carries its evidence twice: ``detail``, in English, for ``monitor status`` and the
logs, and ``finding``, as data, which the operator alert words in ``alerts.language``
(``monitor.daemon.health_wording``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from monitor import growth
from monitor.archive import Archive, Run
from monitor.clock import VN_TZ
from monitor.config import Config
from monitor.config.alerting import Language
from monitor.crawl import fallback_text
from monitor.daemon.health_wording import Finding, health_wording
from monitor.errors import ArchiveFullError
from monitor.growth import FreeSpace, free_space

log = logging.getLogger("monitor.health")
STATE_KEY = "health"
MIN_FREE = 16 * 1024 * 1024  # bytes: less free beside the archive is broken, whatever its growth
Notify = Callable[[str, str], None]  # (title, body); raises on failure


@dataclass(frozen=True)
class Verdict:
    check: str
    broken: bool | None  # None: not enough evidence this time, keep the current state
    detail: str  # English: `monitor status` and the logs
    finding: Finding | None = None  # the same evidence, for the operator alert's language
    failing: bool = False  # the condition holds, not yet long enough to be broken


def after_crawl(
    archive: Archive, config: Config, run: Run, now: datetime, free: FreeSpace = free_space
) -> list[Verdict]:
    return [
        _extraction(archive, config, run),
        _listings(archive, config),
        _entries(archive, config),
        _reachable(archive, config, now),
        _disk(archive, config, now, free),
    ]


def periodic(
    archive: Archive, config: Config, now: datetime, free: FreeSpace = free_space
) -> list[Verdict]:
    return [_fresh(archive, config, now), _disk(archive, config, now, free)]


def backup_verdict(made: str | None, error: str | None) -> Verdict:
    """The ``backup`` job's outcome: the file it made, or why it failed."""
    if error is not None:
        found = Finding("backup_failed", {"error": error})
        return Verdict("backup", True, f"the last backup failed: {error}", found)
    return Verdict("backup", False, f"last backup {made}", Finding("backup_made", {"file": made}))


def archive_verdict(damage: str | None, summary: str) -> Verdict:
    """The ``verify`` job's outcome: the damage line (what, and the restore to run), or the
    summary of a clean verification."""
    if damage is not None:
        return Verdict("archive", True, damage, Finding("damaged", {"detail": damage}))
    return Verdict("archive", False, f"verified: {summary}", Finding("verified"))


def apply(
    archive: Archive,
    verdicts: list[Verdict],
    notify: Notify,
    now: datetime,
    *,
    language: Language,
    kept: dict[str, Any] | None = None,
) -> list[str]:
    """Record the verdicts; alert on every change of state (and on changes not yet alerted),
    worded in ``language`` (``alerts.language``).

    ``kept``: the caller's copy of the state, filled from the archive when empty and updated
    here — the daemon's, so that a state the archive cannot take (its disk is full) is not
    forgotten, and the alert already sent not sent again at the next evaluation."""
    if kept is None:
        kept = {}
    if not kept:
        kept.update(archive.state.get_state(STATE_KEY) or {})
    state = kept
    sent = []
    for verdict in verdicts:
        stamp = now.isoformat(timespec="seconds")
        current = state.get(verdict.check) or {"broken": False, "notified": True, "since": stamp}
        if verdict.broken is not None and verdict.broken != current["broken"]:
            current = {"broken": verdict.broken, "since": stamp, "notified": False}
        current["detail"] = verdict.detail  # the latest evidence, shown by `monitor status`
        current["failing"] = verdict.failing and not current["broken"]
        current["finding"] = verdict.finding.to_state() if verdict.finding else None
        if not current["notified"]:
            current["notified"] = _notify(notify, verdict.check, current, language)
            sent += [verdict.check] if current["notified"] else []
        state[verdict.check] = current
    try:
        archive.state.put_state(STATE_KEY, state)
    except ArchiveFullError as error:  # kept by the caller until the disk has room again
        log.error("health state not saved: %s", error)
    return sent


def _notify(notify: Notify, check: str, current: Mapping[str, Any], language: Language) -> bool:
    words, broken = health_wording(language), bool(current["broken"])
    title = words.title(check, broken)
    found = Finding.from_state(current.get("finding"))
    body = words.body(check, broken, current["since"], current["detail"], found)
    try:
        notify(title, body)
    except Exception as error:  # any channel failure: retried at the next evaluation
        log.warning("operator alert %r not sent: %s", title, error)
        return False
    log.warning("operator alert sent: %s", title, extra={"detail": current["detail"]})
    return True


def state(archive: Archive) -> dict[str, Any]:
    found = archive.state.get_state(STATE_KEY)
    return found if isinstance(found, dict) else {}


# --- the checks ---------------------------------------------------------------------------


def _extraction(archive: Archive, config: Config, run: Run) -> Verdict:
    if not run.finished_at:
        return Verdict("extraction", None, "run did not finish", Finding("unfinished"))
    stored = archive.articles.stored_between(run.started_at, run.finished_at)
    fetched = stored["stored"] + stored["quarantined"]
    records, fallbacks = run.figures.records, run.figures.fallbacks
    if max(fetched, records) < config.health.min_fetched:
        found = Finding("few_fetched", {"fetched": fetched})
        return Verdict("extraction", None, f"only {fetched} articles fetched", found)
    quarantined = stored["quarantined"] / max(fetched, 1)
    missed = stored["profile_misses"] / max(stored["stored"], 1)
    detail = (
        f"run {run.run_id}: {stored['quarantined']} of {fetched} articles quarantined, "
        f"{stored['profile_misses']} of {stored['stored']} bodies not found by the site profile"
    )
    figures: dict[str, int] = {"run_id": run.run_id, "fetched": fetched, **stored}
    broken = quarantined > config.health.quarantine_rate or missed > config.health.profile_miss_rate
    if records and fallbacks / records > config.health.fallback_rate:
        broken = True
        detail += f"; {fallback_text(fallbacks, records)}"
        figures |= {"fallbacks": fallbacks, "records": records}
    return Verdict("extraction", broken, detail, Finding("extraction", figures))


def _listings(archive: Archive, config: Config) -> Verdict:
    answered = [run for run in archive.runs.last_runs(50) if _answered(run)]
    recent = answered[: config.health.empty_listing_runs]
    if len(recent) < config.health.empty_listing_runs:
        return Verdict("listings", None, "not enough runs yet", Finding("few_runs"))
    empty = all(run.figures.listing_articles == 0 for run in recent)
    links = sum(run.figures.listing_articles for run in recent)
    detail = f"the last {len(recent)} answered runs found {links} article links"
    return Verdict(
        "listings", empty, detail, Finding("listings", {"runs": len(recent), "links": links})
    )


def _entries(archive: Archive, config: Config) -> Verdict:
    runs = config.health.missing_entry_runs
    statuses = archive.runs.entry_statuses(runs)
    if not statuses:
        return Verdict("entries", None, "no entry point recorded yet", Finding("no_entries"))
    missing = sorted(
        entry
        for entry, recent in statuses.items()
        if len(recent) == runs and all(status in (404, 410) for status in recent)
    )
    if not missing:
        found = Finding("entries_answer", {"count": len(statuses)})
        return Verdict("entries", False, f"{len(statuses)} entry points answer", found)
    listed = ", ".join(missing)
    found = Finding("entries_missing", {"runs": runs, "entries": listed})
    return Verdict("entries", True, f"404/410 {runs} runs in a row: {listed}", found)


def _answered(run: Run) -> bool:
    return run.mode == "normal" and run.figures.entry_pages - run.figures.not_modified > 0


def _reachable(archive: Archive, config: Config, now: datetime) -> Verdict:
    runs = [run for run in archive.runs.last_runs(200) if run.mode == "normal" and run.finished_at]
    if not runs:
        return Verdict("reachable", None, "no runs yet", Finding("no_runs"))
    if not (runs[0].reason or "").startswith("site unreachable"):
        return Verdict("reachable", False, "the last run reached the site", Finding("reached"))
    last_ok = next((run for run in runs if run.outcome == "ok"), None)
    since = datetime.fromisoformat(str((last_ok or runs[-1]).finished_at))
    minutes, limit = (now - since).total_seconds() / 60, config.health.unreachable_minutes
    found = Finding("unreachable", {"minutes": round(minutes), "reason": runs[0].reason})
    if minutes > limit:
        detail = f"unreachable for {minutes:.0f} minutes: {runs[0].reason}"
        return Verdict("reachable", True, detail, found)
    detail = f"unreachable for {minutes:.0f} minutes, alert after {limit:.0f}: {runs[0].reason}"
    return Verdict("reachable", False, detail, found, failing=True)


def _fresh(archive: Archive, config: Config, now: datetime) -> Verdict:
    latest = archive.articles.latest_first_seen()
    if latest is None:
        return Verdict("fresh", None, "no article yet", Finding("no_article"))
    hours = daytime_hours_between(
        datetime.fromisoformat(latest), now, config.schedule.daytime_hours
    )
    detail = f"no new article for {hours:.1f} daytime hours (last {latest})"
    found = Finding("quiet", {"hours": round(hours, 1), "last": latest})
    return Verdict("fresh", hours > config.health.quiet_daytime_hours, detail, found)


def _disk(archive: Archive, config: Config, now: datetime, free: FreeSpace) -> Verdict:
    found = growth.measure(archive, now, free)
    days = found.days_left
    if found.free < MIN_FREE:
        detail = f"only {growth.size_text(found.free)} free: {growth.describe(found)}"
        return Verdict("disk", True, detail, Finding("disk_low", {"free": found.free}))
    if found.per_month is None:
        figures = {"free": found.free}
        return Verdict("disk", None, growth.describe(found), Finding("disk_unknown", figures))
    if days is None:  # not growing: nothing published lately
        return Verdict("disk", False, growth.describe(found), Finding("disk_still"))
    figures = {
        "size": found.size, "free": found.free, "per_month": found.per_month, "days": round(days)
    }  # fmt: skip
    broken = days < config.health.disk_days
    return Verdict("disk", broken, growth.describe(found), Finding("disk", figures))


def daytime_hours_between(start: datetime, end: datetime, span: str) -> float:
    """Hours of [start, end] that fall in the daily ``HH:MM-HH:MM`` span, Vietnam time."""
    begin_text, finish_text = span.split("-")
    begin, finish = _clock(begin_text), _clock(finish_text)
    start, end = start.astimezone(VN_TZ), end.astimezone(VN_TZ)
    total = 0.0
    day = start.date()
    while day <= end.date():
        window_start = datetime.combine(day, begin, VN_TZ)
        window_end = datetime.combine(day, finish, VN_TZ) if finish != time(0) else window_start
        if finish_text == "24:00":
            window_end = datetime.combine(day + timedelta(days=1), time(0), VN_TZ)
        overlap = min(end, window_end) - max(start, window_start)
        total += max(overlap.total_seconds(), 0) / 3600
        day += timedelta(days=1)
    return total


def _clock(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    return time(0) if hours == 24 else time(hours, minutes)
