"""Configuration of alert channels and delivery (``[channels.NAME]``, ``[alerts]``).

Secrets never live in the file: a channel URL names them as ``${ENV_VAR}``, read from the
environment when a message is sent (and never written to the archive or the logs).

The words of every message (alerts, digests, operator alerts) follow ``alerts.language``; a
channel's templates default to that language's (``monitor.alert.wording``) unless it sets its own.
"""

from __future__ import annotations

import re
import string
from typing import Literal

from pydantic import Field, field_validator, model_validator

from monitor.config.schema_base import A_YEAR, CLOCK_TIME, Model

TEMPLATE_FIELDS = (
    "title", "section", "published_at", "url", "rule", "keyword", "snippet", "lead", "channel",
)  # fmt: skip
Language = Literal["vi", "en"]  # alerts.language: Vietnamese (the default) or English
_ENV_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$")
_USERINFO = re.compile(r"^[a-z0-9+.-]+://([^/?#@]*)@", re.I)  # userinfo ends at / ? #


def check_template(template: str | None) -> str | None:
    """A template may use only the documented fields: ``{title}``, ``{snippet}``..."""
    if template is None:
        return None
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError as error:
        raise ValueError(f"not a valid template: {error}") from None
    unknown = sorted(set(names) - set(TEMPLATE_FIELDS))
    if unknown:
        raise ValueError(f"unknown fields {unknown}; known: {', '.join(TEMPLATE_FIELDS)}")
    return template


class Channel(Model):
    """Where alerts go: ``console``, ``file`` (JSON lines) or ``apprise`` (mail, chat, webhooks)."""

    type: Literal["console", "file", "apprise"] = Field(description="the kind of channel")
    mode: Literal["instant", "digest"] = Field(default="instant", description="now, or daily")
    digest_time: str = Field(
        default="08:00",
        pattern=CLOCK_TIME,
        description="HH:MM in Asia/Ho_Chi_Minh, for mode = digest",
    )
    url: str | None = Field(default=None, description="Apprise URL; secrets as ${ENV_VAR}")
    path: str | None = Field(default=None, description="file channel: the JSON-lines file")
    title_template: str | None = Field(
        default=None, description="the message's title; unset: the alerts.language default"
    )
    body_template: str | None = Field(
        default=None, description="the message's body; unset: the alerts.language default"
    )

    _templates = field_validator("title_template", "body_template")(check_template)

    @field_validator("url")
    @classmethod
    def _no_password_in_the_file(cls, url: str | None) -> str | None:
        found = _USERINFO.match(url or "")
        if found and ":" in found.group(1):
            password = found.group(1).split(":", 1)[1]
            if password and not _ENV_REFERENCE.match(password):
                raise ValueError("a password in the URL must be an ${ENV_VAR} reference")
        return url

    @model_validator(mode="after")
    def _has_what_its_type_needs(self) -> Channel:
        if self.type == "apprise" and not self.url:
            raise ValueError("an apprise channel needs a url")
        if self.type == "file" and not self.path:
            raise ValueError("a file channel needs a path")
        return self


class AlertsConfig(Model):
    """Delivery retries (exponential back-off, then 'failed' after the retry window), and the
    language every message is worded in."""

    retry_base: float = Field(
        ge=0, le=A_YEAR, description="seconds before the first retry, doubling"
    )
    retry_max: float = Field(ge=0, le=A_YEAR, description="longest wait between two attempts")
    retry_window: float = Field(
        gt=0, le=A_YEAR, description="give up on an alert older than this (s)"
    )
    timeout: float = Field(gt=0, le=A_YEAR, description="seconds a channel may take to answer")
    max_age_days: float = Field(
        ge=0, le=3650, description="articles published this long before first seen do not alert"
    )
    language: Language = Field(
        description="the words of alerts, digests and operator alerts: vi (Vietnamese) or en"
    )
