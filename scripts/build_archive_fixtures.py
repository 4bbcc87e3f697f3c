"""Build the upgrade fixtures: one archive per schema version, written by the code of the last
commit at which that version was current (``tests/fixtures/archives/``).

    .venv/bin/python scripts/build_archive_fixtures.py               # every version
    .venv/bin/python scripts/build_archive_fixtures.py --version 12  # one (after a migration)
    .venv/bin/python scripts/build_archive_fixtures.py --list        # version → commit

For each version: the commit is found on the first-parent history of HEAD (the number of
entries in ``MIGRATIONS`` in ``src/monitor/archive/migrations.py``), checked out into a
temporary ``git worktree``, and ``archive_fixture_driver.py`` runs there with this Python and
``PYTHONPATH=<worktree>/src:<worktree>``: that commit's replica, crawl, matching and delivery
build the archive, and the driver records what the old code saw. The archive is compressed
to ``v{N}.db.zst`` beside ``v{N}.json``; ``README.md`` there is rewritten from the JSON files.
Only this script uses git: the tests read the fixtures alone.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import zstandard

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "archives"
DRIVER = Path(__file__).resolve().parent / "archive_fixture_driver.py"
MIGRATIONS_FILE = "src/monitor/archive/migrations.py"
ZSTD_LEVEL = 19


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def migrations_at(commit: str) -> int:
    """How many migrations ``MIGRATIONS`` lists at ``commit`` (0 before the archive existed)."""
    try:
        source = _git("show", f"{commit}:{MIGRATIONS_FILE}")
    except subprocess.CalledProcessError:
        return 0
    for node in ast.walk(ast.parse(source)):
        target = getattr(node, "target", None) or next(iter(getattr(node, "targets", [])), None)
        if isinstance(target, ast.Name) and target.id == "MIGRATIONS":
            value = getattr(node, "value", None)
            if isinstance(value, ast.Tuple | ast.List):
                return len(value.elts)
    return 0


def last_commits() -> dict[int, str]:
    """Schema version → the last commit (first-parent history of HEAD) at which it was current."""
    found: dict[int, str] = {}
    for commit in _git("rev-list", "--first-parent", "--reverse", "HEAD").split():
        version = migrations_at(commit)
        if version:
            found[version] = commit
    return found


@contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """``commit`` checked out in a temporary worktree, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="archive-fixture-") as scratch:
        checkout = Path(scratch) / "checkout"
        _git("worktree", "add", "--detach", str(checkout), commit)
        try:
            yield checkout
        finally:
            _git("worktree", "remove", "--force", str(checkout))


def run_driver(checkout: Path, out: Path) -> dict[str, Any]:
    """The driver with the old code on the path; returns what it recorded."""
    env = {**os.environ, "PYTHONPATH": f"{checkout / 'src'}:{checkout}"}
    command = [sys.executable, str(DRIVER), "--worktree", str(checkout), "--out", str(out)]
    subprocess.run(command, env=env, check=True, timeout=1800)
    report: dict[str, Any] = json.loads((out / "observed.json").read_text("utf-8"))
    return report


def settle(database: Path) -> None:
    """Fold the WAL into the file, so that the one file is the whole archive."""
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def build(version: int, commit: str) -> dict[str, Any]:
    """Build, compress and describe version ``version``'s fixture from ``commit``."""
    with worktree(commit) as checkout, tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        report = run_driver(checkout, out)
        settle(out / "archive.db")
        data = (out / "archive.db").read_bytes()
    compressed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    (FIXTURES / f"v{version}.db.zst").write_bytes(compressed)
    subject = _git("log", "-1", "--format=%ad %s", "--date=short", commit).strip()
    sidecar = {
        "version": version,
        "commit": commit,
        "commit_subject": subject,
        "command": f"scripts/build_archive_fixtures.py --version {version}",
        "size": len(data),
        "compressed_size": len(compressed),
        **report,
    }
    (FIXTURES / f"v{version}.json").write_text(
        json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return sidecar


README_HEAD = """\
# Archives written by earlier versions

One archive per schema version (`PRAGMA user_version`), written by the monitor's own code as it
was at the last commit where that version was current — its replica, crawl, matching and
delivery — and compressed with zstd (`v{N}.db.zst`). `v{N}.json` holds the commit, the commands
run and what that old code saw: counts, alerts by status, crawl_state keys and, from version 6
(the first with `monitor search`), its search results. `tests/test_archive_upgrades.py` migrates
each with today's `monitor migrate` and compares.

Built by `scripts/build_archive_fixtures.py` (`--version N` for one; it needs the git history).
The story each archive went through (`scripts/archive_fixture_driver.py`): two real articles on
that commit's replica, crawled; a dân vận article A published and crawled (its alerts delivered
to a file channel); A edited on the replica and crawled again (version 2 of A); a dân vận
article B published and crawled with the channel down (B's alerts left pending). Each step runs
only when that version has the command for it.

Every version ran with today's dependencies (the current virtual environment, the old code
first on `PYTHONPATH`): none needed an older library. What differs is what each version had:
no matching or alerts before 3, no delivery command before 4, no `monitor search` before 6, and
`monitor init` from 10 (the table's "commands run"). Each `v{N}.json` lists every command with
its exit code and last output lines.

Version 1 was never current in any commit: the first commit of the archive shipped migrations
1 and 2 together, so no program ever wrote a version 1 archive
(`tests/test_archive.py::test_version_1_database_is_migrated_forward` builds one by hand).

| version | commit | date, subject | commands run | articles / versions / matches / alerts | zst |
|---|---|---|---|---|---|
"""


def _row(sidecar: dict[str, Any]) -> str:
    seen = sidecar["observed"]
    alerts = ", ".join(f"{n} {s}" for s, n in seen.get("alerts_by_status", {}).items()) or "—"
    exercised = sorted({" ".join(step["command"][3:5]) for step in sidecar["steps"]})
    return (
        f"| {sidecar['version']} | `{sidecar['commit'][:10]}` | {sidecar['commit_subject'][:70]}"
        f" | {', '.join(exercised)} | {seen['articles']} / {seen['versions']} /"
        f" {seen.get('matches', '—')} / {alerts} | {sidecar['compressed_size'] // 1024} KiB |"
    )


def write_readme() -> None:
    sidecars = sorted(
        (json.loads(p.read_text("utf-8")) for p in FIXTURES.glob("v*.json")),
        key=lambda s: int(s["version"]),
    )
    rows = "\n".join(_row(s) for s in sidecars)
    (FIXTURES / "README.md").write_text(README_HEAD + rows + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", type=int, action="append", help="only this version")
    parser.add_argument("--list", action="store_true", help="print version → commit and stop")
    args = parser.parse_args(argv)
    commits = last_commits()
    if args.list:
        for version, commit in sorted(commits.items()):
            print(version, commit)
        return 0
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for version in args.version or sorted(commits):
        if version not in commits:
            print(f"version {version}: no commit has it as the current version", file=sys.stderr)
            continue
        sidecar = build(version, commits[version])
        print(f"v{version}: {sidecar['compressed_size']:,} bytes from {commits[version][:10]}")
    write_readme()
    return 0


if __name__ == "__main__":
    sys.exit(main())
