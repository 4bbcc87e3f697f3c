"""The base of every configuration model: frozen, strict, unknown keys refused; and the
patterns some keys must match, each with the words a config error and the README use for it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# Upper bound of every duration setting, in seconds: larger finite values pass validation but
# overflow date arithmetic later (a scheduler's next run, a retry time).
A_YEAR = 365 * 24 * 3600.0

BASE_URL = r"^https?://[^/\s]+$"
RULE_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
CLOCK_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"

# What each pattern means, for people: "must be {words}" in an error, the README's limits
# column. A pattern without words here would be shown as a regular expression: a test forbids it.
PATTERN_WORDS = {
    BASE_URL: "an address like https://congan.com.vn (scheme and host, no path)",
    RULE_NAME: "letters without marks, digits, -, _ and ., starting with a letter or digit",
    CLOCK_TIME: "a time HH:MM, 00:00 to 23:59",
}


class Model(BaseModel):
    # allow_inf_nan=False: an infinite interval or timeout passes "> 0" and then crashes the
    # scheduler (timedelta) or fails every send; no setting means "forever" that way
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
