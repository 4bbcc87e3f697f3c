"""Instructions a 1,000-rule matcher pass executes, counted by valgrind: a figure the shared
host's speed swings do not move, to compare two versions of the matcher.

    .venv/bin/python bench/matcher_instructions.py [--passes 4] [--rules 1000]

Runs this checkout's matcher under ``valgrind --tool=cachegrind`` twice, each time compiling a
fresh matcher ``--passes`` times (keywords segmented, ``Matcher.prepare``) after one pass that
loads underthesea's model: once matching the 59 bench articles with each matcher (as
``bench_matcher.py`` times a pass), once not; prints the difference per pass in millions of
instructions. ``PYTHONHASHSEED=0`` for both; what is left varies by about 1 %
between runs. Run it in two checkouts (``git worktree add``) to compare them: it is not a
timing, and a change that saves instructions the CPU runs in parallel may save less time.
Needs valgrind (Debian: ``apt-get install valgrind``); about a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # runs without an installed package
sys.path.insert(0, str(ROOT))


def passes(count: int, rules: int, *, match: bool) -> None:
    """Compile a fresh matcher (keywords segmented) ``count`` times, and with ``match`` run it
    over the bench articles each time; first, one pass that loads underthesea's model."""
    from bench.bench_matcher import generated_rules, load_articles
    from monitor.match import Matcher

    articles = load_articles()
    compiled = generated_rules(articles, rules)
    for run in range(count + 1):
        matcher = Matcher(compiled)
        matcher.prepare()
        if match or run == 0:
            for article in articles:
                matcher.match(article)


def instructions(count: int, rules: int, *, match: bool) -> int:
    """Instructions of a process running ``passes``, as valgrind counts them."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--match" if match else "--compile",
        str(count),
        "--rules",
        str(rules),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=4, help="passes counted (default 4)")
    parser.add_argument("--rules", type=int, default=1000, help="generated rules (default 1000)")
    # the processes measured
    parser.add_argument("--match", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compile", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.match is not None or options.compile is not None:
        match = options.match is not None
        passes(options.match if match else options.compile, options.rules, match=match)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    compiling = instructions(options.passes, options.rules, match=False)
    total = instructions(options.passes, options.rules, match=True)
    per_pass = (total - compiling) / options.passes / 1e6
    print(f"{ROOT}: {options.rules} rules, {per_pass:,.0f} M instructions a pass")


if __name__ == "__main__":
    main()
