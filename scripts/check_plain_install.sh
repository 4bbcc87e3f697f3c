#!/usr/bin/env bash
# The project as a user without the lock file gets it: `pip install .` into a fresh virtual
# environment, then a page the site profile does not know parsed through the generic layer
# (trafilatura and what it imports). Catches a dependency used but not declared in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check .
page=tests/golden/pages/175351-generic.html
url=https://congan.com.vn/tin-chinh/day-nhanh-du-an_175351.html
"$venv/bin/monitor" parse "$page" --url "$url" >"$venv/record.json"
"$venv/bin/python" - "$venv/record.json" <<'PY'
import json, sys
record = json.load(open(sys.argv[1], encoding="utf-8"))
assert record["extraction"]["body"] == "generic", record["extraction"]
assert record["body"], "the generic layer read no body"
print("plain install (no lock file): the generic layer parsed", record["article_id"])
PY
