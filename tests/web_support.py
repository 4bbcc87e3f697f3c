"""``monitor serve`` as a real process on an archive the real crawl of the replica filled, and
plain HTTP to it (for tests/test_web*.py and scripts/screenshots.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from replica.server import ReplicaServer

from crawl_support import MONITOR, monitor, write_config


class WebServer:
    """``monitor serve --port 0`` as a process; ``url`` is the base URL it announced (on
    127.0.0.1 when it listens on every address). ``env``: variables added to the process's."""

    def __init__(self, config: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.log = config.with_name(f"serve-{time.monotonic_ns()}.log")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [MONITOR, "--config", str(config), "serve", "--port", "0", *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
            )
        self.url = self._announced_url().replace("//0.0.0.0:", "//127.0.0.1:")
        get(self.url + "/-/versions.json")  # answering

    def _announced_url(self, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"at (http://[\d.]+:\d+)/archive ", self.log.read_text())
            if found:
                return found[1]
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"monitor serve did not start:\n{self.log.read_text()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=30)


def filled_archive(directory: Path) -> Path:
    """A config whose archive holds the replica's articles, crawled and matched for real."""
    with ReplicaServer() as replica:
        config = write_config(directory, replica.base_url)
        crawl = monitor(config, "crawl", "--create")
        assert crawl.returncode == 0, crawl.stderr
    matched = monitor(config, "match", "--all")
    assert matched.returncode == 0, matched.stderr
    return config


def get(url: str, *, attempts: int = 100) -> bytes:
    """The body of a GET of ``url`` (retried while the server is not yet listening)."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body: bytes = response.read()
                return body
        except ConnectionError:
            time.sleep(0.05)
    raise AssertionError(f"no answer from {url}")


def get_text(url: str) -> str:
    return get(url).decode()


def get_json(url: str) -> Any:
    return json.loads(get(url))


def status_of(url: str, data: bytes | None = None, method: str | None = None) -> int:
    """The status a request answers with (no redirect followed for a write)."""
    method = method or ("POST" if data else "GET")
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
