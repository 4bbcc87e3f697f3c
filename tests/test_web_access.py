"""Who may read the web view (monitor.web.access): loopback, a login, --no-auth, or refused."""

from __future__ import annotations

import pytest
from datasette_auth_passwords.utils import hash_password

from monitor.errors import ConfigError, InputError
from monitor.web.access import PASSWORD_HASH_ENV, Access, decide_access

HASH = hash_password("mật khẩu", iterations=1000)


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_loopback_needs_no_login(host: str) -> None:
    assert decide_access(host, password_hash=None, no_auth=False) == Access(login=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "monitor.example.org"])
def test_any_other_host_without_a_login_is_refused_naming_both_ways(host: str) -> None:
    with pytest.raises(InputError) as refused:
        decide_access(host, password_hash=None, no_auth=False)
    message = str(refused.value)
    assert f"--host {host}" in message
    assert PASSWORD_HASH_ENV in message and "--no-auth" in message
    assert "\n" not in message


def test_a_password_hash_requires_a_login_on_any_host() -> None:
    for host in ("127.0.0.1", "0.0.0.0"):
        assert decide_access(host, password_hash=HASH, no_auth=False) == Access(login=True)


def test_no_auth_on_a_public_host_warns() -> None:
    access = decide_access("0.0.0.0", password_hash=None, no_auth=True)
    assert not access.login
    assert access.warning and access.warning.startswith("warning: --no-auth: anyone")


def test_no_auth_on_loopback_says_nothing() -> None:
    assert decide_access("::1", password_hash=HASH, no_auth=True) == Access(login=False)


@pytest.mark.parametrize("value", ["mật khẩu", "pbkdf2_sha256$x$salt$abc", "md5$1$s$abc"])
def test_what_is_not_a_password_hash_is_a_config_error(value: str) -> None:
    with pytest.raises(ConfigError, match=PASSWORD_HASH_ENV):
        decide_access("0.0.0.0", password_hash=value, no_auth=False)
