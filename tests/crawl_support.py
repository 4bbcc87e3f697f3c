"""Running the real crawl against the replica: configs, the monitor command, archive reads."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from replica.server import LoggedRequest, ReplicaServer

MONITOR = str(Path(sys.executable).parent / "monitor")
ARTICLE_PATH = re.compile(r"_\d+\.html$")
LISTINGS = ("/tin-chinh", "/quoc-te", "/doi-song")


def write_config(tmp: Path, base_url: str, name: str = "monitor", **site: Any) -> Path:
    """A config pointing at the replica, politeness off (retries kept, with tiny waits)."""
    database = tmp / f"{name}.db"
    lines = [
        "[site]",
        f'base_url = "{base_url}"',
        f"listings = {list(site.pop('listings', LISTINGS))!r}".replace("'", '"'),
        f"max_listing_pages = {site.pop('max_listing_pages', 10)}",
        "[crawl]",
        "download_delay = " + str(site.pop("download_delay", 0.0)),
        "autothrottle = false",
        "retries = 1",
        "backoff_base = 0.05",
        "backoff_max = 0.2",
        "timeout = 5.0",
        f"recheck_days = {site.pop('recheck_days', 0)}",
        "[database]",
        f'path = "{database}"',
    ]
    path = tmp / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def monitor(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [MONITOR, "--config", str(config), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def database_of(config: Path) -> Path:
    return config.with_suffix(".db")


def archived_ids(config: Path) -> set[int]:
    with closing(sqlite3.connect(database_of(config))) as db:
        return {row[0] for row in db.execute("SELECT article_id FROM articles")}


def archive_content(config: Path) -> list[tuple[Any, ...]]:
    """The archive's articles without timestamps: what two equivalent runs must agree on."""
    with closing(sqlite3.connect(database_of(config))) as db:
        return list(
            db.execute(
                "SELECT article_id, url, section, title, lead, body, published_at, author,"
                " content_hash, version FROM articles ORDER BY article_id"
            )
        )


def article_requests(server: ReplicaServer) -> list[LoggedRequest]:
    return [r for r in server.requests if ARTICLE_PATH.search(r.path.split("?")[0])]


def last_run(config: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(database_of(config))) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM crawl_runs ORDER BY run_id DESC LIMIT 1").fetchone()
        return dict(row)
