"""The base of every configuration model: frozen, strict, unknown keys refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# Upper bound of every duration setting, in seconds: larger finite values pass validation but
# overflow date arithmetic later (a scheduler's next run, a retry time).
A_YEAR = 365 * 24 * 3600.0


class Model(BaseModel):
    # allow_inf_nan=False: an infinite interval or timeout passes "> 0" and then crashes the
    # scheduler (timedelta) or fails every send; no setting means "forever" that way
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
