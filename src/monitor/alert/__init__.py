"""Alerts: the outbox's due alerts rendered, sent on their channels, and the outcome recorded.

    message.py   render: an alert row → ``AlertMessage`` (plain text, keyword marked «so»)
    wording.py   the words around it, in ``alerts.language``: Vietnamese (default) or English
    channels.py  send: ``Sender`` and its kinds — console, JSON-lines file, Apprise
    deliver.py   the step: instant and daily-digest delivery, retries with back-off

Decisions a caller relies on:

- **At least once.** Alerts are marked sent only after their channel accepted the message, so
  a crash (or an unwritable archive) between the two sends the message again. A channel that
  refuses outright (connection refused, an error status) never gets a duplicate.
- **Secrets** come from the environment (``${ENV_VAR}`` in a channel URL) at send time and are
  redacted from every error, hence from the archive's ``last_error`` and from the logs.
- **One sender at a time**: ``deliver_locked`` holds the archive's delivery lock, so a daemon
  and ``monitor alerts deliver`` never send the same due alert concurrently.
- **The seam** is the ``{channel: Sender}`` mapping that ``deliver_due`` takes;
  ``build_senders`` makes the real ones from the configuration.
"""

from monitor.alert.channels import (
    AppriseSender,
    ConsoleSender,
    FileSender,
    Sender,
    build_senders,
)
from monitor.alert.deliver import DeliverySummary, deliver_due, deliver_locked, send_test
from monitor.alert.message import AlertMessage, render_alert, render_digest

__all__ = [
    "AlertMessage",
    "AppriseSender",
    "ConsoleSender",
    "DeliverySummary",
    "FileSender",
    "Sender",
    "build_senders",
    "deliver_due",
    "deliver_locked",
    "render_alert",
    "render_digest",
    "send_test",
]
