"""What every command shares: the configuration, loaded once on first use, and the archive's
path, checked before a command touches it.

A new archive is never created by accident (a typo in ``database.path`` would otherwise start
an empty one and hide the real one): only ``monitor init``, a command that fills the archive
given ``--create`` (crawl, run), or such a command's first use of the shipped default path (so
that ``make run`` works on a fresh clone) creates one. Every other command needs it to exist.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from monitor.config import Config, load_config
from monitor.config.loader import DEFAULTS_DIR, DEFAULTS_FILE, shipped_value
from monitor.errors import StorageError

INIT_HINT = "run 'monitor init' to create it, or check the path"
CREATE_HINT = "run 'monitor init' (or add --create) to create it, or check the path"


class AppContext:
    def __init__(self, config_path: Path | None) -> None:
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @property
    def config_name(self) -> str:
        """The file a user would edit to change a setting: theirs, or the shipped defaults."""
        return str(self.config_path or DEFAULTS_DIR / DEFAULTS_FILE)

    def archive_path(self, *, create: bool = False, hint: str = INIT_HINT) -> str:
        """The configured archive's path, once it exists; with ``create``, also when missing
        (the caller opens it read-write, which creates it). Else a missing archive is a
        ``StorageError`` naming the path, the setting and the file that set it."""
        path = self.config.database.path
        if create or Path(path).exists():
            return path
        where = f"database.path in {self.config_name}"
        raise StorageError(f"no archive at {path} ({where}); {hint}", path=path)

    def archive_to_fill(self, *, create: bool) -> str:
        """``archive_path`` for a command that fills the archive (crawl, run): it may create a
        missing one when asked to (``--create``) or at the shipped default path."""
        default = Path(str(shipped_value("database", "path")))
        allowed = create or Path(self.config.database.path) == default
        return self.archive_path(create=allowed, hint=CREATE_HINT)
