"""Configuration of backups (``[backup]``): where they go and which of them are kept.

The times they are taken are in ``[schedule]`` (``backup_cron``, ``verify_cron``), with the
daemon's other jobs.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from monitor.config.schema_base import Model


class BackupConfig(Model):
    """Where `monitor backup` writes, and the rotation that follows each backup."""

    directory: str = Field(
        description="folder of the backups and their manifest; empty = backups/ beside the archive"
    )
    keep_daily: int = Field(ge=0, le=3650, description="newest backup of each of the last N days")
    keep_weekly: int = Field(ge=0, le=520, description="newest backup of each of the last N weeks")
    keep_monthly: int = Field(
        ge=0, le=1200, description="newest backup of each of the last N months"
    )

    @model_validator(mode="after")
    def _keeps_something(self) -> BackupConfig:
        if self.keep_daily + self.keep_weekly + self.keep_monthly == 0:
            raise ValueError("keep_daily, keep_weekly and keep_monthly are all 0: set one")
        return self
