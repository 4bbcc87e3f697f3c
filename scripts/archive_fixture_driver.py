"""Build one archive with an OLD checkout's code: run by ``build_archive_fixtures.py`` as
``python scripts/archive_fixture_driver.py --worktree OLD --out DIR`` with
``PYTHONPATH=OLD/src:OLD``, so that every ``monitor`` import — the replica's included — is that
commit's. It imports nothing of today's code.

The story, each step run only when that version has the command for it::

    replica (that commit's) with 2 real articles, "now" = this machine's time
    ─► init (if any) ─► crawl ─► match ─► alerts deliver (file channel)     old articles
    ─► publish a dân vận article A ─► crawl ─► match ─► deliver              A's alerts sent
    ─► edit A on the replica ─► crawl (recheck) ─► match ─► deliver          A version 2
    ─► publish B ─► crawl/match/deliver with the channel down                B's alerts pending
    ─► what the old code sees: counts, alert statuses, crawl_state keys, searches (JSON)
"""

from __future__ import annotations

import argparse
import importlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BASE_ARTICLES = 2  # with the two published later: 4 articles, ~130 KB compressed
EDIT = "Cập nhật: bài viết đã được bổ sung thông tin."
SEARCHES = ("dân vận", "dan van", "công an")
CLOSED_PORT_URL = "json://127.0.0.1:9/"  # discard port: nothing listens, the POST is refused
ENTRY = "import sys; from monitor.cli import main; sys.exit(main())"


def _replica_modules() -> tuple[Any, Any]:
    """The replica's server and site modules: ``replica`` from v9, ``monitor.replica`` before."""
    for package in ("replica", "monitor.replica"):
        try:
            server = importlib.import_module(f"{package}.server")
        except ModuleNotFoundError:
            continue
        return server, importlib.import_module(f"{package}.site")
    raise SystemExit("no replica package in this checkout")


def _pick_articles(site: Any) -> list[Any]:
    """A dân vận article and another one, for a small archive."""
    articles = sorted(site.load_articles(), key=lambda a: str(a.get("url", "")))
    danvan = [a for a in articles if site.kind_of(a) == "danvan"][: BASE_ARTICLES // 2]
    others = [a for a in articles if site.kind_of(a) != "danvan"][: BASE_ARTICLES // 2]
    return danvan + others


def _config(out: Path, base_url: str, channel: str) -> Path:
    lines = [
        "[site]",
        f'base_url = "{base_url}"',
        'listings = ["/tin-chinh"]',
        "max_listing_pages = 2",
        "[crawl]",
        "download_delay = 0.0",
        "autothrottle = false",
        "retries = 0",
        "timeout = 10.0",
        "recheck_days = 3650",  # the most every version accepts
        "[database]",
        f'path = "{out / "archive.db"}"',
        *channel.splitlines(),
    ]
    path = out / f"monitor-{len(list(out.glob('monitor-*.toml')))}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _has_channels(worktree: Path) -> bool:
    return "[channels.default]" in (worktree / "config" / "monitor.toml").read_text("utf-8")


class OldMonitor:
    """The checkout's ``monitor`` command, run as a process; every call is logged."""

    def __init__(self, worktree: Path, cwd: Path) -> None:
        self.worktree = worktree
        self.cwd = cwd  # not today's checkout: ``python -m scrapers.run`` would find its scrapers
        self.log: list[dict[str, Any]] = []
        self.commands = self._commands()

    def _commands(self) -> set[str]:
        result = self._run(["--help"])
        listed = result.stdout.split("Commands:")[-1].splitlines()
        return {line.split()[0] for line in listed if line.strip()}

    def _run(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", ENTRY, *args]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=300, check=False, cwd=self.cwd
        )

    def __call__(self, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
        result = self._run(["--config", str(config), *args])
        self.log.append(
            {
                "command": ["monitor", "--config", config.name, *args],
                "exit": result.returncode,
                "output": (result.stdout + result.stderr).strip().splitlines()[-3:],
            }
        )
        return result


def _cycle(monitor: OldMonitor, config: Path) -> None:
    """One crawl, then matching and delivery when this version has them."""
    if not monitor.log and "init" in monitor.commands:
        monitor(config, "init")
    crawled = monitor(config, "crawl")
    if len(monitor.log) <= 2 and crawled.returncode:
        raise SystemExit(f"the first crawl failed: {crawled.stdout}{crawled.stderr}")
    if "match" in monitor.commands:
        monitor(config, "match")
    if "alerts" in monitor.commands:
        monitor(config, "alerts", "deliver")


def _scalar(db: sqlite3.Connection, sql: str) -> Any:
    return db.execute(sql).fetchone()[0]


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    found = "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?"
    return bool(db.execute(found, (name,)).fetchone()[0])


def _observed(database: Path) -> dict[str, Any]:
    """What the archive holds, read with plain SQL right after the old code wrote it."""
    with closing(sqlite3.connect(database)) as db:
        if not _has_table(db, "articles"):
            return {"user_version": _scalar(db, "PRAGMA user_version"), "articles": 0}
        seen: dict[str, Any] = {
            "user_version": _scalar(db, "PRAGMA user_version"),
            "articles": _scalar(db, "SELECT count(*) FROM articles"),
            "article_ids": [r[0] for r in db.execute("SELECT article_id FROM articles ORDER BY 1")],
            "versions": _scalar(db, "SELECT count(*) FROM article_versions"),
            "raw_pages": _scalar(db, "SELECT count(*) FROM raw_pages"),
            "crawl_runs": _scalar(db, "SELECT count(*) FROM crawl_runs"),
            "crawl_state_keys": [
                r[0] for r in db.execute("SELECT key FROM crawl_state ORDER BY 1")
            ],
        }
        if _has_table(db, "matches"):
            seen["matches"] = _scalar(db, "SELECT count(*) FROM matches")
            statuses = "SELECT status, count(*) FROM alerts GROUP BY status ORDER BY status"
            seen["alerts_by_status"] = dict(db.execute(statuses).fetchall())
        return seen


def _searches(monitor: OldMonitor, config: Path) -> dict[str, list[int]]:
    """The old ``monitor search --json``'s article ids, in its order, for a few queries."""
    if "search" not in monitor.commands:
        return {}
    found: dict[str, list[int]] = {}
    for query in SEARCHES:
        result = monitor(config, "search", query, "--json", "--limit", "50")
        if result.returncode == 0:
            found[query] = [row["article_id"] for row in json.loads(result.stdout)]
    return found


def _publish(server: Any, kind: str) -> int:
    return int(server.publish(kind)["id"])


def build(worktree: Path, out: Path) -> dict[str, Any]:
    server_module, site_module = _replica_modules()
    now = datetime.now(UTC) + timedelta(hours=7)
    site = site_module.ReplicaSite(_pick_articles(site_module), now=now.replace(tzinfo=None))
    server = server_module.ReplicaServer(site)
    base_url = server.start()
    try:
        return _story(worktree, out, server, base_url)
    finally:
        server.stop()


def _story(worktree: Path, out: Path, server: Any, base_url: str) -> dict[str, Any]:
    channels = _has_channels(worktree)
    alert_file = out / "alerts.jsonl"
    working = f'[channels.default]\ntype = "file"\npath = "{alert_file}"' if channels else ""
    down = f'[channels.default]\ntype = "apprise"\nurl = "{CLOSED_PORT_URL}"' if channels else ""
    config, config_down = _config(out, base_url, working), _config(out, base_url, down)
    monitor = OldMonitor(worktree, out)
    _cycle(monitor, config)
    edited = _publish(server, "danvan")
    _cycle(monitor, config)
    server.edit(edited, EDIT)
    _cycle(monitor, config)
    pending = _publish(server, "danvan")
    _cycle(monitor, config_down)
    delivered = alert_file.read_text("utf-8").splitlines() if alert_file.exists() else []
    return {
        "commands": sorted(monitor.commands),
        "published": {"edited": edited, "left_pending": pending},
        "edit": EDIT,
        "observed": _observed(out / "archive.db"),
        "searches": _searches(monitor, config),
        "file_channel_lines": len(delivered),
        "steps": monitor.log,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worktree", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    report = build(args.worktree, args.out)
    (args.out / "observed.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
