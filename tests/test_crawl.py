"""monitor.crawl: one crawl in a child process, which holds the archive's crawl lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.crawl import run_crawl
from monitor.errors import CrawlLockedError
from monitor.locks import companion, exclusive

from alert_servers import write_config


def test_a_crawl_while_another_holds_the_lock_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "monitor.db"
    path = write_config(tmp_path / "monitor.toml", database, {})
    with exclusive(companion(database, "crawl"), wait=False) as held:
        assert held
        with pytest.raises(CrawlLockedError, match="another crawl is running on this archive"):
            run_crawl(load_config(path), path)
