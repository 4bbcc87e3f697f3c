"""``monitor alerts``: list the outbox, deliver what is due, retry failed alerts, test a channel."""

from __future__ import annotations

import json
import os

import click

from monitor.alert import DeliverySummary, Sender, build_senders, deliver_locked, send_test
from monitor.archive import AlertStatus, Archive
from monitor.archive.rows import AlertRow
from monitor.cli.context import AppContext
from monitor.errors import InputError

_COLUMNS = (  # (heading, key, widest)
    ("id", "id", 8),
    ("status", "status", 7),
    ("attempts", "attempts", 8),
    ("channel", "channel", 16),
    ("rule", "rule", 20),
    ("title", "title", 50),
    ("last error", "last_error", 60),
)


@click.group("alerts")
def alerts_group() -> None:
    """The alert outbox: list it, deliver what is due, retry failed alerts, test a channel.

    \b
    Examples:
      monitor alerts list --failed
      monitor alerts deliver
      monitor alerts test email
    """


@alerts_group.command("list")
@click.option("--pending", "status", flag_value="pending", help="Only alerts not sent yet.")
@click.option("--failed", "status", flag_value="failed", help="Only alerts given up on.")
@click.option("--sent", "status", flag_value="sent", help="Only alerts sent.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every field) instead.")
@click.pass_obj
def list_command(app: AppContext, status: AlertStatus | None, limit: int, as_json: bool) -> None:
    """List alerts, newest first: id, status, attempts, channel, rule, article, last error.

    \b
    Examples:
      monitor alerts list                  # the 50 newest, any status
      monitor alerts list --failed --json
    """
    with Archive.open(app.archive_path()) as archive:
        alerts = archive.alerts.list_alerts(status, limit)
    if as_json:
        click.echo(json.dumps([a.to_dict() for a in alerts], ensure_ascii=False, indent=2))
    else:
        click.echo(alert_table(alerts))


@alerts_group.command("deliver")
@click.pass_obj
def deliver_command(app: AppContext) -> None:
    """Send the alerts that are due now, and print what happened.

    Failures are recorded on the alerts and retried later with back-off (alerts.retry_base,
    retry_max); the command still exits 0. A digest channel sends once a day, at or after its
    digest_time.

    \b
    Example:
      monitor alerts deliver
    """
    app.archive_path()  # a missing archive is an error here, never a new one
    _echo_summary(deliver_locked(app.config, _senders(app)))


@alerts_group.command("retry")
@click.argument("ids", nargs=-1, type=click.IntRange(min=1))
@click.pass_obj
def retry_command(app: AppContext, ids: tuple[int, ...]) -> None:
    """Put failed alerts (all, or those IDs) back to pending, then deliver what is due.

    Alerts of a digest channel go out with its next digest.

    \b
    Examples:
      monitor alerts retry            # every failed alert
      monitor alerts retry 12 15
    """
    with Archive.open(app.archive_path()) as archive:
        if ids:
            _check_failed(archive, ids)
        count = archive.alerts.retry_failed_alerts(ids or None)
    out_of = f" of {len(ids)}" if ids else ""
    click.echo(f"{count}{out_of} failed alerts back to pending")
    _echo_summary(deliver_locked(app.config, _senders(app)))


def _check_failed(archive: Archive, ids: tuple[int, ...]) -> None:
    """Ids that are no failed alert are an error naming the failed ones (never a silent 0)."""
    failed = [alert.id for alert in archive.alerts.list_alerts("failed", limit=1_000_000)]
    unknown = [str(alert_id) for alert_id in ids if alert_id not in failed]
    if unknown:
        known = ", ".join(str(alert_id) for alert_id in sorted(failed)[:20]) or "none"
        raise InputError(f"no failed alert with id {', '.join(unknown)} (failed: {known})")


@alerts_group.command("test")
@click.argument("channel")
@click.pass_obj
def test_command(app: AppContext, channel: str) -> None:
    """Send a test message on CHANNEL and print its answer (exit 1 when it is refused).

    \b
    Example:
      SMTP_PASSWORD=... monitor alerts test email
    """
    channels = app.config.channels
    if channel not in channels:
        known = ", ".join(sorted(channels)) or "none"
        raise InputError(f"no channel named {channel!r} (configured: {known})")
    sender = _senders(app, only=channel)[channel]
    click.echo(f"channel {channel}: {send_test(sender, channel, app.config.alerts.language)}")


def _senders(app: AppContext, only: str | None = None) -> dict[str, Sender]:
    channels = app.config.channels
    if only is not None:
        channels = {only: channels[only]}
    return build_senders(channels, environ=os.environ, timeout=app.config.alerts.timeout)


def _echo_summary(summary: DeliverySummary) -> None:
    click.echo(str(summary))
    for error in summary.errors:
        click.echo(f"  failed: {error}")


def alert_table(alerts: list[AlertRow]) -> str:
    """A plain-text table of alerts, one line each, long cells cut with an ellipsis."""
    if not alerts:
        return "no alerts"
    rows = [[heading for heading, _, _ in _COLUMNS]]
    rows += [
        [_cell(getattr(alert, key), widest) for _, key, widest in _COLUMNS] for alert in alerts
    ]
    widths = [max(len(row[index]) for row in rows) for index in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _cell(value: object, widest: int) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= widest else text[: widest - 1] + "…"
