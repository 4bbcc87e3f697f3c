"""What every command shares: the configuration, loaded once on first use."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from monitor.config import Config, load_config


class AppContext:
    def __init__(self, config_path: Path | None) -> None:
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)
