"""Tally the triage of issue 17's precision corpora (R, S, T, U, V).

    python benchmarks/precision/2026-12-07-issue17/tally.py [FINAL_FINDINGS_DIR]

Each corpus has its findings at the commit it was measured at (``findings/``),
the triaged findings by id (``*-ids.txt``) and their verdicts
(``*-verdicts.md``). With a folder holding ``R.txt`` ... ``V.txt`` (each
corpus linted again at a later commit), it also says how many of the judged
findings are still reported then, and how many of those are true.
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
FINDING = re.compile(r"(.+?):(\d+):(\d+): (LL\d{3}) ")
Key = Tuple[str, int, int, str]  # path, line, column, code

# name, ids/verdicts stem, the findings it was measured on, what "measured" means
CORPORA = [
    ("R, tuning half", "R-tune", "R-82b1c00.txt", "before the work (82b1c00)"),
    ("R, held-out half", "R-held", "R-82b1c00.txt", "before the work (82b1c00)"),
    ("S", "S", "S-54f7f0d.txt", "fresh, at 54f7f0d"),
    ("T", "T", "T-126f638.txt", "fresh, at 126f638"),
    ("U", "U", "U-b80559b.txt", "fresh, at b80559b"),
    ("V", "V", "V-ba5e9c5.txt", "fresh, at ba5e9c5"),
]


def findings(path: Path) -> Dict[Key, int]:
    """How many findings each place has (a chained call can have two: a
    member of an archive, and the archive)."""
    found: Dict[Key, int] = collections.Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = FINDING.match(line)
        if match and match.group(4) != "LL001":
            found[(match.group(1), int(match.group(2)), int(match.group(3)), match.group(4))] += 1
    return found


def judged(stem: str) -> List[Tuple[Key, str, str]]:
    """(place, verdict, where) of each judged finding."""
    ids: Dict[str, Key] = {}
    for line in (HERE / f"{stem}-ids.txt").read_text(encoding="utf-8").splitlines():
        ident, rest = line.split(" ", 1)
        match = FINDING.match(rest)
        if match:
            ids[ident] = (match.group(1), int(match.group(2)), int(match.group(3)), match.group(4))
    verdicts = []
    for row in (HERE / f"{stem}-verdicts.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in row.split("|")]
        if len(cells) > 5 and cells[1] in ids:
            verdicts.append((ids[cells[1]], cells[3], cells[4]))
    return verdicts


def held_out() -> Set[str]:
    lines = (HERE.parent / "corpus-R-holdout.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def main(final_dir: Optional[Path]) -> int:
    held = held_out()
    print("| corpus | findings | judged: true (measured) | where the true ones are | at the later commit: findings, judged still reported, true |")
    print("|---|---|---|---|---|")
    for name, stem, measured_on, when in CORPORA:
        verdicts = judged(stem)
        measured = findings(HERE / "findings" / measured_on)
        if stem.startswith("R-"):
            keep = (lambda key: key[0].split("/")[0] in held) if stem == "R-held" else (lambda key: key[0].split("/")[0] not in held)
            measured = {key: count for key, count in measured.items() if keep(key)}
        true = sum(verdict == "TRUE" for _, verdict, _ in verdicts)
        where = collections.Counter(place for _, verdict, place in verdicts if verdict == "TRUE")
        places = ", ".join(f"{place} {count}" for place, count in where.most_common())
        later = "-"
        if final_dir is not None:
            letter = stem[0]
            final = findings(final_dir / f"{letter}.txt")
            if stem.startswith("R-"):
                final = {key: count for key, count in final.items() if keep(key)}
            kept = [verdict for key, verdict, _ in verdicts if key in final]
            kept_true = sum(verdict == "TRUE" for verdict in kept)
            later = f"{sum(final.values())}, {len(kept)}, {kept_true} ({kept_true / max(len(kept), 1):.0%})"
        print(f"| {name} | {sum(measured.values())} | {true}/{len(verdicts)} ({true / len(verdicts):.0%}), {when} | {places} | {later} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
