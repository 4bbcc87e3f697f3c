"""The deliver step: due alerts → messages → channels, and the outbox updated with the outcome.

For each configured channel, in order:

1. **instant** channels: each due alert is rendered and sent on its own;
   **digest** channels: once a day, at or after ``digest_time`` (Vietnam time), every pending
   alert of the channel goes out in one message. The day of the last digest is kept in the
   archive's state under ``digest:{channel}``; a day with nothing pending sends nothing and
   counts as done.
2. **accepted** → the alerts are marked sent, and only then. They are marked *sending* just
   before the channel gets them, so a crash in between is found at the next delivery
   (``reconcile``): a channel that can say what it already holds (the file channel) confirms
   them — *exactly once*; for the others they are sent again — *at least once*.
3. **refused or failed** → one more attempt is recorded with the channel's one-line reason;
   the next attempt waits ``min(retry_max, retry_base * 2**attempts)`` seconds, unless the
   alert is older than ``retry_window``, when it is given up ('failed', see
   ``monitor alerts retry``). A digest's alerts succeed or fail together, and a digest in
   back-off waits for it even when new alerts arrive.

A channel that fails is not tried again in the same run: its other due alerts stay due, to be
tried next run, so a dead channel costs one time-out per run, not one per alert. Due alerts are
tried fewest attempts first, so one message a channel always refuses never holds up the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from monitor.alert.channels import ConfirmingSender, Sender
from monitor.alert.message import AlertMessage, render_alert, render_digest
from monitor.alert.wording import wording
from monitor.archive import Archive
from monitor.archive.rows import AlertRow
from monitor.clock import SYSTEM_CLOCK, VN_TZ, Clock
from monitor.config import Config
from monitor.config.alerting import AlertsConfig, Channel, Language
from monitor.errors import DeliveryError, InputError
from monitor.locks import companion, exclusive

BATCH = 200  # alerts read from the outbox at a time
DIGEST_LIMIT = 1000  # alerts in one digest; any more wait for the next day's
MAX_DOUBLINGS = 60  # 2**60 × retry_base is beyond any retry_max, and still a float
_FAR_FUTURE = "9999-12-31T23:59:59+07:00"


@dataclass(frozen=True)
class DeliverySummary:
    """What one delivery run did; ``errors`` holds each failure's one-line reason."""

    sent: int = 0
    retried: int = 0
    gave_up: int = 0
    digests_sent: int = 0
    recovered: int = 0  # left 'sending' by a crash, found delivered by their channel
    errors: tuple[str, ...] = field(default=())

    def __add__(self, other: DeliverySummary) -> DeliverySummary:
        return DeliverySummary(
            sent=self.sent + other.sent,
            retried=self.retried + other.retried,
            gave_up=self.gave_up + other.gave_up,
            digests_sent=self.digests_sent + other.digests_sent,
            recovered=self.recovered + other.recovered,
            errors=self.errors + other.errors,
        )

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, to retry {self.retried}, given up {self.gave_up}, "
            f"digests {self.digests_sent}"
        )


def deliver_due(
    archive: Archive,
    config: Config,
    senders: Mapping[str, Sender],
    *,
    now: datetime | None = None,
) -> DeliverySummary:
    """Send what is due at ``now`` (default: the archive's clock) on every configured channel."""
    moment = _moment(now, archive.clock)
    total = DeliverySummary()
    for name, channel in config.channels.items():
        sender = senders.get(name)
        if sender is None:
            raise DeliveryError(f"channel {name!r} has no sender", channel=name)
        deliver = _deliver_digest if channel.mode == "digest" else _deliver_instant
        total += deliver(archive, config.alerts, name, channel, sender, moment)
    return total


def reconcile(archive: Archive, senders: Mapping[str, Sender]) -> tuple[int, int]:
    """Alerts a crashed delivery left with their channel: those a confirming channel (the file
    channel) already holds are marked sent — exactly once; the others are due again — at least
    once. Returns (confirmed, resent)."""
    left: dict[str, list[int]] = {}
    for alert_id, channel in archive.alerts.sending_alerts():
        left.setdefault(channel, []).append(alert_id)
    confirmed = resent = 0
    for channel, ids in left.items():
        sender = senders.get(channel)
        done = sender.accepted(ids) if isinstance(sender, ConfirmingSender) else set()
        if done:
            archive.alerts.mark_alerts_sent(sorted(done))
        again = [alert_id for alert_id in ids if alert_id not in done]
        archive.alerts.clear_alerts_sending(again)
        confirmed, resent = confirmed + len(done), resent + len(again)
    return confirmed, resent


def send_test(sender: Sender, channel_name: str, language: Language) -> str:
    """Send a test message, worded in ``language``, on a channel; returns its answer (raises
    ``DeliveryError``)."""
    title, body = wording(language).test_message(channel_name)
    message = AlertMessage(channel=channel_name, title=title, body=body, alert_ids=())
    sender.send(message)
    return "accepted"


def _moment(now: datetime | None, clock: Clock) -> datetime:
    if now is None:
        return clock.now()
    if now.utcoffset() is None:
        raise InputError(f"delivery time has no UTC offset: {now.isoformat()}")
    return now


def _deliver_instant(
    archive: Archive,
    settings: AlertsConfig,
    name: str,
    channel: Channel,
    sender: Sender,
    moment: datetime,
) -> DeliverySummary:
    summary = DeliverySummary()
    while batch := archive.alerts.due_alerts(name, now=archive_time(moment), limit=BATCH):
        for alert in sorted(batch, key=lambda alert: (alert.attempts, alert.id)):
            message = render_alert(alert, name, channel, settings.language)
            summary += _attempt(archive, settings, sender, message, [alert], moment)
            if summary.errors:
                return summary  # the channel failed: the rest wait for the next run
    return summary


def _deliver_digest(
    archive: Archive,
    settings: AlertsConfig,
    name: str,
    channel: Channel,
    sender: Sender,
    moment: datetime,
) -> DeliverySummary:
    if not _digest_due(archive, name, channel, moment):
        return DeliverySummary()
    day = moment.astimezone(VN_TZ).date()
    pending = archive.alerts.due_alerts(name, now=_FAR_FUTURE, limit=DIGEST_LIMIT)
    if any((alert.next_attempt_at or "") > archive_time(moment) for alert in pending):
        return DeliverySummary()  # the last attempt failed; wait for its back-off
    summary = DeliverySummary()
    if pending:
        message = render_digest(pending, name, channel, day, settings.language)
        summary = _attempt(archive, settings, sender, message, pending, moment)
        if summary.errors:
            return summary
        summary += DeliverySummary(digests_sent=1)
    archive.state.put_state(digest_state_key(name), day.isoformat())
    return summary


def digest_state_key(channel: str) -> str:
    """The archive state key holding the day (YYYY-MM-DD) of the channel's last digest."""
    return f"digest:{channel}"


def _digest_due(archive: Archive, name: str, channel: Channel, moment: datetime) -> bool:
    local = moment.astimezone(VN_TZ)
    hour, minute = (int(part) for part in channel.digest_time.split(":"))
    if local.time() < time(hour, minute):
        return False
    last: object = archive.state.get_state(digest_state_key(name))
    return last != local.date().isoformat()


def _attempt(
    archive: Archive,
    settings: AlertsConfig,
    sender: Sender,
    message: AlertMessage,
    alerts: Sequence[AlertRow],
    moment: datetime,
) -> DeliverySummary:
    """Send; mark the alerts sent only once the channel accepted, else record the failure.
    They are marked 'sending' first, so a crash in between is found by ``reconcile``."""
    archive.alerts.mark_alerts_sending(message.alert_ids)
    try:
        sender.send(message)
    except DeliveryError as error:
        return _record_failure(archive, settings, alerts, str(error), moment)
    archive.alerts.mark_alerts_sent(message.alert_ids)
    return DeliverySummary(sent=len(message.alert_ids))


def _record_failure(
    archive: Archive,
    settings: AlertsConfig,
    alerts: Sequence[AlertRow],
    error: str,
    moment: datetime,
) -> DeliverySummary:
    """One failed attempt for ``alerts`` (together): back off, or give up on the expired."""
    attempts = max(alert.attempts for alert in alerts)
    next_at = archive_time(moment + timedelta(seconds=backoff(settings, attempts)))
    expired = [a.id for a in alerts if _age(a, moment) > settings.retry_window]
    retry = [a.id for a in alerts if a.id not in expired]
    if retry:
        archive.alerts.mark_alerts_attempt_failed(retry, error, next_at)
    if expired:
        archive.alerts.mark_alerts_attempt_failed(expired, error, None)
    return DeliverySummary(retried=len(retry), gave_up=len(expired), errors=(error,))


def backoff(settings: AlertsConfig, attempts: int) -> float:
    """Seconds to wait after the failure of attempt number ``attempts + 1``."""
    return min(settings.retry_max, settings.retry_base * 2.0 ** min(attempts, MAX_DOUBLINGS))


def _age(alert: AlertRow, moment: datetime) -> float:
    return (moment - datetime.fromisoformat(alert.created_at)).total_seconds()


def archive_time(moment: datetime) -> str:
    """``moment`` in the archive's timestamp form (Vietnam time, to the second)."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def deliver_locked(
    config: Config, senders: Mapping[str, Sender], *, clock: Clock = SYSTEM_CLOCK
) -> DeliverySummary:
    """``deliver_due`` under the archive's delivery lock, so that a daemon and a command (or
    two commands) never send the same due alert at the same time."""
    database = config.database.path
    lock = exclusive(companion(database, "deliver"), wait=True)
    with lock, Archive.open(database, clock=clock) as archive:
        recovered, _ = reconcile(archive, senders)  # safe: no other delivery is in flight
        return DeliverySummary(recovered=recovered) + deliver_due(archive, config, senders)
