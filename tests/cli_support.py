"""Running ``monitor`` the way the CLI tests do: in this process, through ``monitor.cli.run``
with pytest's capture (``invoke``), or as the installed binary for the few smoke tests that
need a real process (``installed``). Both answer with ``returncode``, ``stdout``, ``stderr``."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import AnyStr, Generic

import pytest

from monitor.cli import run

MONITOR = str(Path(sys.executable).parent / "monitor")


@dataclass(frozen=True)
class Result(Generic[AnyStr]):
    """What a command did: its exit code and what it wrote."""

    returncode: int
    stdout: AnyStr
    stderr: AnyStr


def invoke(capture: pytest.CaptureFixture[AnyStr], *args: str) -> Result[AnyStr]:
    """``monitor ARGS`` run in this process; ``capture`` is ``capsys`` (text) or
    ``capsysbinary`` (bytes). Output written before the call is dropped."""
    capture.readouterr()
    code = run(list(args))
    out, err = capture.readouterr()
    return Result(code, out, err)


def installed(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``monitor ARGS`` run as the installed console command, in a subprocess."""
    command = [MONITOR, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
