"""Verdicts per rule, from the JSON files ``pytest --leaklint --leaklint-json`` wrote.

    python benchmarks/runtime/tally.py benchmarks/runtime/suites/*.verdicts.json

One file per suite; a finding counts once per suite. Prints a Markdown table
(rule × verdict) and the confirmed findings, one a line.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

VERDICTS = ("confirmed", "runtime-only", "bounded", "not-grown", "not-exercised", "not-watched")


def main(paths: list) -> None:
    counts: Counter = Counter()
    confirmed = []
    for path in paths:
        suite = Path(path).name.split(".verdicts")[0]
        for record in json.loads(Path(path).read_text(encoding="utf-8")):
            counts[(record["code"], record["verdict"])] += 1
            if record["verdict"] in ("confirmed", "runtime-only"):
                confirmed.append(f"{suite}: {record['path']}:{record['line']} {record['code']} [{record['evidence']['summary']}]")
    codes = sorted({code for code, _ in counts})
    print("| rule | " + " | ".join(VERDICTS) + " | total |")
    print("|---|" + "---|" * (len(VERDICTS) + 1))
    for code in codes:
        row = [counts[(code, verdict)] for verdict in VERDICTS]
        print(f"| {code} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    totals = [sum(counts[(code, verdict)] for code in codes) for verdict in VERDICTS]
    print("| all | " + " | ".join(str(n) for n in totals) + f" | {sum(totals)} |")
    print()
    for line in confirmed:
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
