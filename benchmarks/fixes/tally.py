"""Fixes offered per rule, from ``leaklint --format json`` output.

    leaklint --isolated --no-cache --format json --exit-zero SRC > findings.json
    python benchmarks/fixes/tally.py findings.json

Prints, per rule: findings, fixes offered (safe, unsafe), as a Markdown table.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main(path: str) -> None:
    findings = json.loads(Path(path).read_text(encoding="utf-8"))
    total: Counter = Counter()
    safe: Counter = Counter()
    unsafe: Counter = Counter()
    for finding in findings:
        code = finding["code"]
        total[code] += 1
        fix = finding.get("fix")
        if fix:
            (safe if fix["applicability"] == "safe" else unsafe)[code] += 1
    print("| rule | findings | safe fixes | unsafe fixes |")
    print("|---|---|---|---|")
    for code in sorted(total):
        print(f"| {code} | {total[code]} | {safe[code]} | {unsafe[code]} |")
    print(f"| all | {sum(total.values())} | {sum(safe.values())} | {sum(unsafe.values())} |")


if __name__ == "__main__":
    main(sys.argv[1])
