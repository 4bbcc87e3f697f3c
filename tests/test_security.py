"""Security: secrets never leak; site HTML is never rendered in alerts; files are owner-only.

(Search input can never change the SQL: tests/test_search*.py; the web view is read-only:
tests/test_web*.py.)
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from replica.server import ReplicaServer

from alert_servers import APPRISE_WARNINGS, SmtpServer
from crawl_support import MONITOR
from daemon_support import replica_now

pytestmark = [pytest.mark.reliability, pytest.mark.e2e, APPRISE_WARNINGS]
SECRET = "Wr0ng-S3cret-Zz9"


@pytest.fixture
def site() -> Iterator[ReplicaServer]:
    with ReplicaServer() as server:
        server.set_clock(replica_now())
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer(password="the-right-one") as server:
        yield server


def write(tmp: Path, site: ReplicaServer, smtp: SmtpServer) -> Path:
    config = tmp / "monitor.toml"
    url = smtp.url(auth="monitor:${SMTP_PASSWORD}@")
    config.write_text(
        f"""
[site]
base_url = "{site.base_url}"
listings = ["/tin-chinh"]
[crawl]
download_delay = 0.0
autothrottle = false
[database]
path = "{tmp / "monitor.db"}"
[channels.email]
type = "apprise"
url = "{url}"
[channels.log]
type = "file"
path = "{tmp / "alerts.jsonl"}"
[[rules]]
name = "dan-van"
keywords = ["dân vận"]
channels = ["email", "log"]
""",
        encoding="utf-8",
    )
    return config


def run(config: Path, *args: str) -> str:
    environ = dict(os.environ, SMTP_PASSWORD=SECRET)
    result = subprocess.run(
        [MONITOR, "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, check=False, env=environ,
    )  # fmt: skip
    return result.stdout + result.stderr


def test_a_secret_never_reaches_logs_archive_files_or_errors(
    tmp_path: Path, site: ReplicaServer, smtp: SmtpServer
) -> None:
    config = write(tmp_path, site, smtp)
    outputs = [run(config, "crawl", "--create")]
    site.publish("danvan")
    outputs += [run(config, "crawl"), run(config, "alerts", "list", "--json")]
    outputs += [run(config, "alerts", "test", "email"), run(config, "status", "--json")]
    assert smtp.logins and not any(accepted for _, accepted in smtp.logins)  # refused: an error
    assert "email" in outputs[1]  # the failure was reported...
    files = [path.read_bytes() for path in tmp_path.iterdir() if path.is_file()]
    for form in (SECRET, quote(SECRET, safe="")):
        assert not any(form in output for output in outputs), form
        assert not any(form.encode() in data for data in files), form


def test_site_html_is_sent_as_text_never_rendered(tmp_path: Path, site: ReplicaServer) -> None:
    with SmtpServer() as smtp:
        config = tmp_path / "monitor.toml"
        config.write_text(
            write(tmp_path, site, smtp)
            .read_text(encoding="utf-8")
            .replace(
                'url = "' + smtp.url(auth="monitor:${SMTP_PASSWORD}@") + '"',
                f'url = "{smtp.url()}"',
            ),
            encoding="utf-8",
        )
        run(config, "crawl", "--create")
        from test_archive_support import record

        from monitor.archive import Archive

        now = replica_now() + "+07:00"
        title = "<script>alert(1)</script> <b>Công tác dân vận</b>"
        with Archive.open(tmp_path / "monitor.db") as archive:
            hostile = record(999999, title=title, published_at=now)
            archive.articles.store_article(
                hostile, b"", content_type="text/html", http_status=200, fetched_at=now, run_id=None
            )
        run(config, "match")
        run(config, "alerts", "deliver")
        (mail,) = [m for m in smtp.received if "999999" in m.text or "script" in m.subject]
        assert mail.message.get_content_type() == "text/plain"
        assert "<script>alert(1)</script>" in mail.subject  # literal text, as the site wrote it
        assert not any(part.get_content_type() == "text/html" for part in mail.message.walk())


def test_archive_and_alert_files_are_owner_only(
    tmp_path: Path, site: ReplicaServer, smtp: SmtpServer
) -> None:
    config = write(tmp_path, site, smtp)
    run(config, "crawl", "--create")
    site.publish("danvan")
    run(config, "crawl")
    for name in ("monitor.db", "alerts.jsonl"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600, (name, oct(mode))
