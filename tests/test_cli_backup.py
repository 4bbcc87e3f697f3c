"""``monitor backup``, ``monitor restore`` and ``monitor verify`` as a user runs them: one line
of output, one line of error, exit 1 when the work failed and 2 for bad input."""

from __future__ import annotations

import configparser
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_support import invoke

from monitor.archive import SCHEMA_VERSION
from monitor.backup import operations
from monitor.clock import VN_TZ, ManualClock
from monitor.config import load_config
from monitor.locks import DaemonLock

from backup_support import compress, damage_page, decompress, flip_byte, small_archive, tables


@pytest.fixture
def config(tmp_path: Path) -> Path:
    small_archive(tmp_path / "db" / "monitor.db")
    path = tmp_path / "monitor.toml"
    path.write_text(f'[database]\npath = "{tmp_path / "db" / "monitor.db"}"\n', encoding="utf-8")
    return path


def monitor(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> tuple[int, str, str]:
    result = invoke(capsys, "--config", str(config), *args)
    return result.returncode, result.stdout, result.stderr


def backed_up(capsys: pytest.CaptureFixture[str], config: Path) -> Path:
    code, out, err = monitor(capsys, config, "backup")
    assert code == 0, err
    return Path(out.split()[1].rstrip(":"))


def test_backup_writes_a_compressed_file_named_by_time_with_its_manifest(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    code, out, err = monitor(capsys, config, "backup")
    assert (code, err) == (0, "")
    [line] = out.splitlines()
    [backup] = (tmp_path / "db" / "backups").glob("monitor-*.db.zst")
    assert line.startswith(f"backup {backup}: ") and "20 articles, verified" in line
    datetime.strptime(backup.name, "monitor-%Y%m%dT%H%M%SZ.db.zst")  # named by its UTC time
    [entry] = json.loads((backup.parent / "manifest.json").read_text())["backups"]
    assert entry["file"] == backup.name and entry["size"] == backup.stat().st_size
    assert entry["counts"]["articles"] == 20 and entry["schema_version"] == SCHEMA_VERSION
    assert backup.stat().st_mode & 0o777 == 0o600


def test_a_restored_backup_equals_the_archive_it_was_taken_of(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    database = tmp_path / "db" / "monitor.db"
    before = tables(database)
    backup = backed_up(capsys, config)
    database.unlink()
    code, out, err = monitor(capsys, config, "restore", str(backup))
    assert (code, err) == (0, "")
    assert out.startswith(f"restored {database} from {backup} (checksum and content verified")
    assert tables(database) == before


def test_restore_keeps_the_archive_it_replaces(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    database = tmp_path / "db" / "monitor.db"
    backup = backed_up(capsys, config)
    shutil.rmtree(tmp_path / "db" / "other", ignore_errors=True)
    small_archive(tmp_path / "other.db", articles=3)
    replaced = tables(tmp_path / "other.db")
    (tmp_path / "other.db").rename(database)
    code, out, _ = monitor(capsys, config, "restore", str(backup))
    assert code == 0
    [aside] = database.parent.glob("monitor.db.before-restore-*")
    assert out.rstrip().endswith(f"the archive before is kept as {aside}")
    assert tables(aside) == replaced


def test_restore_is_refused_while_the_daemon_runs(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    database = tmp_path / "db" / "monitor.db"
    backup = backed_up(capsys, config)
    before = tables(database)
    lock = DaemonLock.acquire(database)  # what `monitor run` holds
    try:
        code, out, err = monitor(capsys, config, "restore", str(backup))
    finally:
        lock.release()
    assert (code, out) == (1, "")
    assert (
        err.startswith("monitor: cannot restore: the monitor daemon (pid ") and err.count("\n") == 1
    )
    assert tables(database) == before
    assert list(database.parent.glob("*before-restore*")) == []


def test_a_backup_whose_file_was_damaged_is_refused_by_its_checksum(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    backup = backed_up(capsys, config)
    flip_byte(backup, backup.stat().st_size // 2)
    code, _, err = monitor(capsys, config, "restore", str(backup))
    assert code == 1 and err.count("\n") == 1
    assert "is damaged: its SHA-256 is not the one in" in err
    assert list((tmp_path / "db").glob("*before-restore*")) == []
    code, _, err = monitor(capsys, config, "verify", str(backup))
    assert code == 1 and err.count("\n") == 1 and "SHA-256" in err


def test_a_backup_whose_database_was_damaged_is_refused(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    backup = backed_up(capsys, config)
    elsewhere = tmp_path / "elsewhere"  # no manifest: the content checks must catch it
    elsewhere.mkdir()
    plain = decompress(backup, elsewhere / "plain.db")
    damage_page(plain)
    damaged = compress(plain, elsewhere / backup.name)
    database = tmp_path / "db" / "monitor.db"
    before = tables(database)
    code, _, err = monitor(capsys, config, "restore", str(damaged))
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"monitor: backup {damaged} is damaged, not restored: ")
    assert tables(database) == before
    code, out, err = monitor(capsys, config, "verify", str(damaged))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"monitor: {damaged} is damaged: ")
    assert err.rstrip().endswith(f"restore it with `monitor restore {backup}`")


def test_verify_of_a_whole_archive_is_one_line(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    code, out, err = monitor(capsys, config, "verify")
    assert (code, err) == (0, "")
    assert out == (
        f"{tmp_path / 'db' / 'monitor.db'}: integrity, foreign keys, search indexes ok;"
        f" 20 raw pages read back; 20 articles, 1 earlier versions (schema {SCHEMA_VERSION})\n"
    )
    assert sorted(path.name for path in (tmp_path / "db").iterdir() if "verify" in path.name) == []


def test_verify_names_the_damage_and_the_backup_to_restore(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    backup = backed_up(capsys, config)
    database = tmp_path / "db" / "monitor.db"
    damage_page(database)
    code, out, err = monitor(capsys, config, "verify")
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"monitor: {database} is damaged: ")
    assert err.rstrip().endswith(f"restore it with `monitor restore {backup}`")


def test_a_missing_backup_file_is_bad_input(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    for command in ("restore", "verify"):
        code, _, err = monitor(capsys, config, command, str(tmp_path / "none.db.zst"))
        assert code == 2 and err == f"monitor: no backup file at {tmp_path / 'none.db.zst'}\n"


def test_backup_without_an_archive_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "none.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    for command in ("backup", "verify"):
        code, _, err = monitor(capsys, config, command)
        assert code == 1 and err.startswith("monitor: no archive at ") and err.count("\n") == 1


def test_rotation_after_each_backup_keeps_what_the_policy_says(tmp_path: Path) -> None:
    database = small_archive(tmp_path / "monitor.db", articles=2)
    clock = ManualClock(datetime(2026, 1, 1, 2, 15, tzinfo=VN_TZ))
    policy = operations.policy_of(load_config(None))  # 7 daily, 4 weekly, 6 monthly
    for _ in range(70):  # 1 Jan .. 11 Mar, one a day
        made = operations.make_backup(database, tmp_path / "b", policy, clock=clock)
        clock.advance(24 * 3600)
    kept = sorted(path.name for path in (tmp_path / "b").glob("*.zst"))
    # Vietnam 02:15 is 19:15 UTC the day before. Monthly: 31 Jan, 28 Feb; weekly: the Sundays
    # 22 Feb, 1 Mar, 8 Mar; daily: 5 to 11 Mar (the newest of both).
    vietnam_days = ["0131", "0222", "0228", "0301", *(f"03{day:02d}" for day in range(5, 12))]
    expected = [f"monitor-2026{_day_before(day)}T191500Z.db.zst" for day in vietnam_days]
    assert kept == expected
    assert made.kept == len(expected)
    listed = json.loads((tmp_path / "b" / "manifest.json").read_text())["backups"]
    assert [entry["file"] for entry in listed] == expected


def _day_before(month_day: str) -> str:
    moment = datetime.strptime(f"2026{month_day}", "%Y%m%d")
    return f"{moment - timedelta(days=1):%m%d}"


def test_the_systemd_timer_runs_monitor_backup_daily() -> None:
    root = Path(__file__).resolve().parents[1] / "deploy"
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(root / "congan-monitor-backup.service", encoding="utf-8")
    command = service["Service"]["ExecStart"].split()
    assert command[0].endswith("/.venv/bin/monitor") and command[1] == "backup"
    assert service["Service"]["Type"] == "oneshot"
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(root / "congan-monitor-backup.timer", encoding="utf-8")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:15:00"
    assert timer["Timer"]["Persistent"] == "true"
