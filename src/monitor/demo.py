"""``monitor demo``: the whole flow on any machine, offline, in under a minute.

Starts the bundled site replica on 127.0.0.1, then the daemon against it (a crawl every few
seconds, alerts on the console, the archive in a temporary folder); a little later a new dân
vận article is published on the replica, and its alert appears. Stops by itself.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.clock import SYSTEM_CLOCK, Clock, now
from monitor.config import load_config
from monitor.daemon.service import Daemon

if TYPE_CHECKING:
    from replica.server import ReplicaServer

DEMO_CONFIG = """\
[site]
base_url = "{base_url}"
listings = ["/tin-chinh", "/quoc-te", "/doi-song"]
max_listing_pages = 10
[crawl]
download_delay = 0.0
autothrottle = false
[database]
path = "{database}"
[schedule]
crawl_interval = {interval}
jitter = 0.0
deliver_interval = 2.0
[channels.default]
type = "console"
title_template = "ALERT [{{rule}}] {{title}}"
"""


def write_demo_config(folder: Path, base_url: str, interval: float) -> Path:
    path = folder / "demo.toml"
    text = DEMO_CONFIG.format(base_url=base_url, database=folder / "demo.db", interval=interval)
    path.write_text(text, encoding="utf-8")
    return path


def run_demo(
    *,
    publish_after: float,
    duration: float,
    interval: float,
    say: Callable[[str], None],
    clock: Clock = SYSTEM_CLOCK,
) -> int:
    # the replica is test infrastructure, installed beside the product: imported only here
    from replica.server import ReplicaServer
    from replica.site import ReplicaSite

    # the replica's clock is today's, so the article published during the demo is new
    site_now = now(clock).replace(tzinfo=None)
    with (
        tempfile.TemporaryDirectory(prefix="monitor-demo-") as folder,
        ReplicaServer(ReplicaSite(now=site_now)) as site,
    ):
        config_path = write_demo_config(Path(folder), site.base_url, interval)
        say(f"replica of congan.com.vn at {site.base_url}; archive in {folder}")
        say(f"crawling every {interval:.0f} s; a dân vận article appears in {publish_after:.0f} s")
        _later(publish_after, lambda: _publish(site, say))
        _later(duration, lambda: os.kill(os.getpid(), signal.SIGTERM))
        return Daemon(load_config(config_path), config_path).run()


def _publish(site: ReplicaServer, say: Callable[[str], None]) -> None:
    published = site.publish("danvan")
    say(f"published on the replica: {published['title']} ({published['path']})")


def _later(seconds: float, action: Callable[[], None]) -> None:
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
