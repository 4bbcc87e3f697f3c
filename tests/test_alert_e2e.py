"""End to end: a dân vận article published on the site replica reaches a real SMTP server as
one e-mail with the matched sentence; a "người dân vận chuyển" article sends nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from replica.server import ReplicaServer

from alert_servers import APPRISE_WARNINGS, SmtpServer
from crawl_support import monitor
from daemon_support import replica_now

pytestmark = [pytest.mark.e2e, APPRISE_WARNINGS]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def site() -> Iterator[ReplicaServer]:
    with ReplicaServer() as server:
        server.set_clock(replica_now())
        yield server


def email_config(tmp: Path, site: ReplicaServer, smtp: SmtpServer) -> Path:
    path = tmp / "monitor.toml"
    path.write_text(
        f"""
[site]
base_url = "{site.base_url}"
listings = ["/tin-chinh", "/giao-thong-24h"]
max_listing_pages = 10
[crawl]
download_delay = 0.0
autothrottle = false
[database]
path = "{tmp / "monitor.db"}"
[channels.email]
type = "apprise"
url = "{smtp.url()}"
[[rules]]
name = "dan-van"
keywords = ["dân vận", "Dân vận khéo"]
channels = ["email"]
on_topic = true
""",
        encoding="utf-8",
    )
    return path


def test_new_dan_van_article_sends_one_email_with_its_sentence(
    tmp_path: Path, site: ReplicaServer, smtp: SmtpServer
) -> None:
    config = email_config(tmp_path, site, smtp)
    assert monitor(config, "crawl", "--create").returncode == 0
    assert smtp.received == []  # the archive's old articles do not alert
    published = site.publish("danvan")
    result = monitor(config, "crawl")
    assert result.returncode == 0, result.stderr
    (mail,) = smtp.received
    assert mail.subject == f"[dan-van] {published['title']}"
    assert "«Dân vận khéo»" in mail.text or "«dân vận»" in mail.text.lower()
    assert published["path"].split("/")[-1] in mail.text
    assert monitor(config, "crawl").returncode == 0
    assert len(smtp.received) == 1  # never twice


def test_lookalike_article_sends_nothing(
    tmp_path: Path, site: ReplicaServer, smtp: SmtpServer
) -> None:
    config = email_config(tmp_path, site, smtp)
    assert monitor(config, "crawl", "--create").returncode == 0
    site.publish("lookalike")
    result = monitor(config, "crawl")
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout, result.stdout
    assert smtp.received == []
