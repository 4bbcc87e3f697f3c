"""The daemon over many scheduled crawls: memory stays flat; how fast a publication alerts.

    .venv/bin/python bench/bench_daemon.py [--crawls 300] [--publications 5]

1. RSS of the daemon process (VmRSS; the crawls run in child processes) sampled while it runs
   ``--crawls`` scheduled crawls back to back against the replica (crawl_interval 1 s):
   start (after 5 warm-up crawls, once the matcher's model is loaded), end, peak, end/start.
2. Alert latency with crawl_interval = 10 s: from publishing a dân vận article on the replica to
   its alert in a file channel, for several publications at random moments; compared with the
   interval, the expected worst case being one interval plus one crawl.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from replica.server import ReplicaServer  # noqa: E402

from daemon_support import Daemon, alert_lines, count, daemon_config, replica_now, wait_until  # noqa: E402

RUNS = "SELECT COUNT(*) FROM crawl_runs"
WARM_UP = 5


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def memory(crawls: int) -> None:
    with tempfile.TemporaryDirectory() as folder, ReplicaServer() as server:
        config = daemon_config(
            Path(folder), server.base_url, crawl_interval=1.0, deliver_interval=5.0
        )
        daemon = Daemon(config)
        pid = daemon.process.pid
        try:
            # warm-up: the first crawls load the matcher's segmentation model (once)
            wait_until(lambda: count(config, RUNS) >= WARM_UP, timeout=300)
            start = rss_kib(pid)
            samples = [start]
            began = time.monotonic()
            while count(config, RUNS) < crawls:
                time.sleep(1)
                samples.append(rss_kib(pid))
            seconds = time.monotonic() - began
            end = rss_kib(pid)
        finally:
            daemon.stop()
    print(
        f"{crawls} scheduled crawls in {seconds:.0f} s; daemon RSS start {start / 1024:.1f} MiB, "
        f"end {end / 1024:.1f} MiB, peak {max(samples) / 1024:.1f} MiB "
        f"(end/start {end / start:.3f})"
    )


def latency(publications: int, interval: float = 10.0) -> None:
    waits = []
    with tempfile.TemporaryDirectory() as folder, ReplicaServer() as server:
        server.set_clock(replica_now())
        config = daemon_config(Path(folder), server.base_url, crawl_interval=interval)
        daemon = Daemon(config)
        try:
            wait_until(lambda: count(config, RUNS) >= 1, timeout=120)
            for _ in range(publications):
                time.sleep(random.uniform(0, interval))
                marker = str(server.publish("danvan")["id"])
                start = time.monotonic()
                wait_until(lambda m=marker: _alerted(config, m), timeout=interval * 4)  # type: ignore[misc]
                waits.append(time.monotonic() - start)
        finally:
            daemon.stop()
    print(
        f"alert latency over {len(waits)} publications, crawl_interval {interval:.0f} s: "
        f"median {statistics.median(waits):.1f} s, max {max(waits):.1f} s "
        f"(median/interval {statistics.median(waits) / interval:.2f})"
    )


def _alerted(config: Path, marker: str) -> bool:
    return any(marker in line["body"] for line in alert_lines(config))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crawls", type=int, default=300)
    parser.add_argument(
        "--publications",
        type=int,
        default=4,
        help="at most 4 (the replica's extra dân vận articles)",
    )
    args = parser.parse_args()
    latency(args.publications)
    memory(args.crawls)


if __name__ == "__main__":
    main()
