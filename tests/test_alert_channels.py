"""``monitor.alert.channels``: each kind of channel against the real thing on 127.0.0.1."""

from __future__ import annotations

import io
import json
import logging
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from monitor.alert.channels import (
    AppriseSender,
    ConsoleSender,
    FileSender,
    build_senders,
)
from monitor.alert.message import AlertMessage
from monitor.config.alerting import Channel
from monitor.errors import DeliveryError

from alert_servers import APPRISE_WARNINGS, HttpReceiver, SmtpServer, free_port

pytestmark = APPRISE_WARNINGS

PASSWORD = "s3cr:t@p/ss%w0rd"  # every character that means something in a URL
MESSAGE = AlertMessage(
    channel="email",
    title="[dan-van] Công tác dân vận ở Thủ Đức",
    body="https://congan.com.vn/tin-chinh/bai-viet_141005.html\n\n"
    "Rule dan-van: Lực lượng Công an phối hợp với Ban «Dân vận». <b>literal</b>",
    alert_ids=(7,),
)


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as running:
        yield running


def apprise(url: str, **environ: str) -> AppriseSender:
    return AppriseSender(url, timeout=5.0, environ=environ)


def test_email_reaches_the_smtp_server() -> None:
    with SmtpServer() as server:
        apprise(server.url()).send(MESSAGE)
    (mail,) = server.received
    assert mail.recipients == ("analyst@example.org",)
    assert mail.mail_from == "monitor@example.org"
    assert mail.subject == MESSAGE.title
    assert "Ban «Dân vận». <b>literal</b>" in mail.text
    assert mail.message.get_content_type() == "text/plain"


def test_email_password_comes_from_the_environment() -> None:
    with SmtpServer(password=PASSWORD) as server:
        url = server.url(auth="monitor:${SMTP_PASSWORD}@")
        apprise(url, SMTP_PASSWORD=PASSWORD).send(MESSAGE)
    assert server.logins == [("monitor", True)]
    assert len(server.received) == 1


def test_wrong_password_error_names_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    wrong = "hunter2:@/wrong"
    caplog.set_level(logging.DEBUG)
    with SmtpServer(password=PASSWORD) as server:
        sender = apprise(server.url(auth="monitor:${SMTP_PASSWORD}@"), SMTP_PASSWORD=wrong)
        with pytest.raises(DeliveryError) as refused:
            sender.send(MESSAGE)
    text = str(refused.value)
    assert "channel 'email'" in text and "535" in text
    for secret in (wrong, quote(wrong, safe=""), "hunter2"):
        assert secret not in text
        assert secret not in caplog.text
    assert server.received == []


def test_missing_environment_variable_is_named() -> None:
    sender = apprise("json://127.0.0.1:9/hook?token=${HOOK_TOKEN}")
    with pytest.raises(DeliveryError, match="environment variable HOOK_TOKEN is not set"):
        sender.send(MESSAGE)


def test_webhook_receives_the_message_as_text(receiver: HttpReceiver) -> None:
    apprise(receiver.url("/monitor")).send(MESSAGE)
    (post,) = receiver.posts
    assert post.path == "/monitor"
    assert (post.body["title"], post.body["message"]) == (MESSAGE.title, MESSAGE.body)


def test_webhook_error_status_is_a_delivery_error(receiver: HttpReceiver) -> None:
    receiver.status = 500
    with pytest.raises(DeliveryError, match=r"Apprise refused the message: .*500"):
        apprise(receiver.url()).send(MESSAGE)


def test_connection_refused_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError, match=r"(?i)connection refused"):
        apprise(f"json://127.0.0.1:{free_port()}/hook").send(MESSAGE)


def test_unusable_url_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError, match="Apprise cannot use the URL"):
        apprise("nosuchscheme://example.org").send(MESSAGE)


def test_file_channel_appends_one_json_line_per_message(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "alerts.jsonl"
    sender = FileSender(path)
    sender.send(MESSAGE)
    sender.send(AlertMessage("email", "second", "body", (8, 9)))
    first, second = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    assert (first["title"], first["body"], first["alert_ids"]) == (MESSAGE.title, MESSAGE.body, [7])
    assert (second["channel"], second["alert_ids"]) == ("email", [8, 9])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_file_channel_that_cannot_be_written_is_a_delivery_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a directory", encoding="utf-8")
    with pytest.raises(DeliveryError, match="cannot append to"):
        FileSender(tmp_path / "taken" / "alerts.jsonl").send(MESSAGE)


def test_console_channel_prints_title_and_body() -> None:
    stream = io.StringIO()
    ConsoleSender(stream).send(MESSAGE)
    assert stream.getvalue().startswith(f"{MESSAGE.title}\n{MESSAGE.body}\n")


def test_build_senders_makes_one_per_channel(tmp_path: Path) -> None:
    channels = {
        "default": Channel(type="console"),
        "log": Channel(type="file", path=str(tmp_path / "a.jsonl")),
        "hook": Channel(type="apprise", url="json://127.0.0.1/hook"),
    }
    senders = build_senders(channels, environ={}, timeout=3.0)
    assert [type(senders[name]).__name__ for name in channels] == [
        "ConsoleSender",
        "FileSender",
        "AppriseSender",
    ]
