"""Audit the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit.

    .venv/bin/python scripts/audit_dependencies.py

Exit 1 when a vulnerability is found. pip-audit reads vulnerability data from PyPI's JSON API
(or OSV); where neither can be reached (a machine that only reaches a package mirror), every
package comes back "not audited": this script then says so loudly and exits 0, because nothing
was found — but nothing was checked either, and the output makes that plain.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--no-deps", "--disable-pip",
               "--progress-spinner", "off", "--format", "json"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(f"pip-audit failed: {result.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return 1
    packages = report.get("dependencies", [])
    vulnerable = [p for p in packages if p.get("vulns")]
    skipped = [p for p in packages if p.get("skip_reason")]
    audited = len(packages) - len(skipped)
    for package in vulnerable:
        ids = ", ".join(v["id"] for v in package["vulns"])
        print(f"VULNERABLE {package['name']} {package['version']}: {ids}")
    print(f"pip-audit: {len(packages)} locked packages, {audited} audited, "
          f"{len(vulnerable)} vulnerable, {len(skipped)} not audited")  # fmt: skip
    if packages and audited == 0:
        print("pip-audit: WARNING: no vulnerability data could be reached from this machine "
              "(PyPI JSON API / OSV): nothing was checked")  # fmt: skip
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
