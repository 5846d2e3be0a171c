"""How many of the ResourceWarning oracle's allocation sites leaklint flags.

    python benchmarks/recall/oracle_score.py            # after oracle.py has run

For every package in ``oracle/*.json``, the files holding its sites are
linted in its unpacked source tree (``source_tree`` in the JSON), once with
the default selection and once with every rule on; a site counts as flagged
when a finding falls on its line. Sites are split between the package's code
and its tests. Prints a Markdown table, with the commit of the leaklint that
``python -m leaklint`` runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from score import commit  # noqa: E402  (the scorer next to this file)

SELECTIONS = {"default": None, "every rule": "LL"}


def flagged_lines(tree: Path, paths: List[str], select: Optional[str]) -> Set[Tuple[str, int]]:
    command = [sys.executable, "-m", "leaklint", "--isolated", "--no-cache", "--exit-zero", "--format", "json"]
    if select:
        command += ["--select", select]
    done = subprocess.run(command + paths, cwd=tree, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"oracle_score.py: leaklint exited {done.returncode} in {tree}:\n{done.stderr}")
    return {(Path(f["path"]).as_posix(), f["line"]) for f in json.loads(done.stdout)}


def main() -> int:
    rows = []
    totals: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])
    for record_path in sorted((HERE / "oracle").glob("*.json")):
        record = json.loads(record_path.read_text(encoding="utf-8"))
        tree = Path(record["source_tree"])
        if not tree.is_dir():
            sys.exit(f"oracle_score.py: {tree} is missing; run oracle.py first")
        sites = record["sites"]
        paths = sorted({site["path"] for site in sites})
        found = {name: flagged_lines(tree, paths, select) for name, select in SELECTIONS.items()}
        cells = [f"{record['package']} {record['version']}"]
        for part, in_tests in (("package", False), ("tests", True)):
            chosen = [site for site in sites if site["in_tests"] == in_tests]
            hits = {
                name: sum((site["path"], site["line"]) in lines for site in chosen) for name, lines in found.items()
            }
            cells.append(f"{hits['default']} / {hits['every rule']} of {len(chosen)}")
            total = totals[part]
            total[0] += hits["default"]
            total[1] += hits["every rule"]
            total[2] += len(chosen)
        rows.append(cells)
    print(f"### ResourceWarning sites flagged, at {commit()}")
    print()
    print("| package | package code: default / every rule | tests: default / every rule |")
    print("|---|---|---|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    package, tests = totals["package"], totals["tests"]
    print(
        f"| **all** | {package[0]} / {package[1]} of {package[2]} | {tests[0]} / {tests[1]} of {tests[2]} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
