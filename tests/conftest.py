"""Shared fixtures: the shipped configuration, loaded once per session; an empty archive in a
test's own folder (``path``, ``archive``), which a module may define its own way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.archive import Archive
from monitor.config import Config, SiteProfile, load_config
from replica.server import ReplicaServer

from daemon_support import kill_leftovers, replica_now

TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _no_daemon_left() -> Iterator[None]:
    """A daemon a failed test left running is killed when the test ends."""
    yield
    kill_leftovers()


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(None)


@pytest.fixture(scope="session")
def profile(config: Config) -> SiteProfile:
    return config.profile


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def archive(path: Path) -> Iterator[Archive]:
    with Archive.open(path) as opened:
        yield opened


@pytest.fixture
def live_replica() -> Iterator[ReplicaServer]:
    """The replica on 127.0.0.1 with its clock at the real now: what a test publishes is new
    enough to alert on (the daemon, backup and reliability tests)."""
    with ReplicaServer() as running:
        running.set_clock(replica_now())
        yield running
