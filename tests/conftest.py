"""Shared fixtures: the shipped configuration, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import Config, SiteProfile, load_config

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(None)


@pytest.fixture(scope="session")
def profile(config: Config) -> SiteProfile:
    return config.profile
