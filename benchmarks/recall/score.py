"""Score leaklint's recall on the corpus of real fixes, and its false positives.

    python benchmarks/recall/score.py                 # the tables, as Markdown
    python benchmarks/recall/score.py --misses        # ... and each missed case of the tuning set
    python benchmarks/recall/score.py --false         # ... and each false finding (fixed and clean files)

A case is found when a finding falls on a line of its ``leaky.py`` that ends
with ``# leak``; any finding in a ``fixed.py`` or a clean file is false. Two
selections are scored: the default one, and every rule (``--select LL``).
Cases listed in ``holdout.txt`` are reported apart from the others: they were
set aside before any rule was tuned on the corpus. leaklint runs as a
command (``python -m leaklint``), with no configuration file and no cache.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
CLEAN = HERE / "clean"
HOLDOUT = HERE / "holdout.txt"
SEEN = HERE / "holdout-seen.txt"

FAMILIES = (
    "module-cache",
    "method-cache",
    "growth",
    "callback",
    "resource-normal",
    "resource-error",
    "resource-raw",
    "del-cycle",
    "traceback",
    "tensor",
)
SELECTIONS = {"default": None, "every rule": "LL"}
_LEAK_MARK = re.compile(r"#\s*leak\s*$")
# A real leak in a fixed or clean file that is not what the case is about
# (the class of a growth case never closes its session): a true finding.
_OTHER_MARK = re.compile(r"#\s*other leak\b")


@dataclass
class Case:
    family: str
    slug: str
    folder: Path
    leak_lines: Set[int]
    held_out: bool

    @property
    def name(self) -> str:
        return f"{self.family}/{self.slug}"


@dataclass
class Outcome:
    """What one selection reported on the corpus."""

    found: Dict[str, List[str]] = field(default_factory=dict)  # case -> codes on its leak lines
    false: Dict[str, List[str]] = field(default_factory=dict)  # fixed/clean file -> its findings
    other: Dict[str, List[str]] = field(default_factory=dict)  # findings on ``# other leak`` lines


def leak_lines(path: Path, mark: "re.Pattern[str]" = _LEAK_MARK) -> Set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {number for number, text in enumerate(lines, 1) if mark.search(text)}


def read_names(path: Path) -> Set[str]:
    if not path.exists():
        return set()
    names = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {name for name in names if name and not name.startswith("#")}


def seen(case: "Case", names: Set[str]) -> bool:
    return case.name in names or f"{case.family}/*" in names


def load_cases() -> List[Case]:
    held = read_names(HOLDOUT)
    cases = []
    for leaky in sorted(CASES.glob("*/*/leaky.py")):
        folder = leaky.parent
        family, slug = folder.parent.name, folder.name
        if family not in FAMILIES:
            sys.exit(f"score.py: {folder}: unknown family {family!r}")
        marks = leak_lines(leaky)
        if not marks:
            sys.exit(f"score.py: {leaky}: no line is marked '# leak'")
        cases.append(Case(family, slug, folder, marks, f"{family}/{slug}" in held))
    return cases


def clean_files() -> List[Path]:
    return sorted(CLEAN.glob("*/*.py"))


def run_leaklint(paths: Sequence[Path], select: Optional[str]) -> List[dict]:
    command = [sys.executable, "-m", "leaklint", "--isolated", "--no-cache", "--exit-zero"]
    command += ["--format", "json"]
    if select:
        command += ["--select", select]
    done = subprocess.run(
        command + [str(path) for path in paths], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"score.py: leaklint exited {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout)


def score(cases: Sequence[Case], clean: Sequence[Path], select: Optional[str]) -> Outcome:
    files = [case.folder / name for case in cases for name in ("leaky.py", "fixed.py")]
    findings = run_leaklint([*files, *clean], select)
    by_file: Dict[Path, List[dict]] = defaultdict(list)
    for finding in findings:
        by_file[Path(finding["path"]).resolve()].append(finding)
    outcome = Outcome()
    for case in cases:
        on_marks = [
            f["code"]
            for f in by_file[(case.folder / "leaky.py").resolve()]
            if f["line"] in case.leak_lines
        ]
        if on_marks:
            outcome.found[case.name] = sorted(set(on_marks))
        _sort_negatives(outcome, f"{case.name}/fixed.py", case.folder / "fixed.py", by_file)
    for path in clean:
        _sort_negatives(outcome, str(path.relative_to(HERE)), path, by_file)
    return outcome


def _sort_negatives(outcome: Outcome, name: str, path: Path, by_file: Dict[Path, List[dict]]) -> None:
    """Findings of a file that should have none: false, but for those on a
    line marked ``# other leak``."""
    reported = by_file[path.resolve()]
    other = leak_lines(path, _OTHER_MARK) if reported else set()
    false = [_describe(f) for f in reported if f["line"] not in other]
    true = [_describe(f) for f in reported if f["line"] in other]
    if false:
        outcome.false[name] = false
    if true:
        outcome.other[name] = true


def _describe(finding: dict) -> str:
    return f"{finding['line']}:{finding['column']}: {finding['code']} {finding['message']}"


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.2f})" if whole else "–"


def table(
    cases: Sequence[Case], clean: Sequence[Path], outcomes: Dict[str, Outcome], title: str
) -> Iterable[str]:
    yield f"### {title}"
    yield ""
    header = ["family", "cases"]
    header += [f"recall, {name}" for name in outcomes]
    header += [f"false files, {name}" for name in outcomes]
    yield "| " + " | ".join(header) + " |"
    yield "|" + "---|" * len(header)
    rows: List[Tuple[str, List[Case], List[str]]] = [
        (
            family,
            [case for case in cases if case.family == family],
            [f"{case.name}/fixed.py" for case in cases if case.family == family]
            + [str(path.relative_to(HERE)) for path in clean if path.parent.name == family],
        )
        for family in FAMILIES
    ]
    every_case = list(cases)
    every_file = [f"{case.name}/fixed.py" for case in cases]
    every_file += [str(path.relative_to(HERE)) for path in clean]
    rows.append(("**all**", every_case, every_file))
    for family, members, negatives in rows:
        if not members and not negatives:
            continue
        cells = [family, str(len(members))]
        for outcome in outcomes.values():
            hits = sum(1 for case in members if case.name in outcome.found)
            cells.append(_ratio(hits, len(members)))
        for outcome in outcomes.values():
            wrong = sum(1 for name in negatives if name in outcome.false)
            cells.append(_ratio(wrong, len(negatives)))
        yield "| " + " | ".join(cells) + " |"
    yield ""


# The family each rule speaks for (benchmarks/recall/README.md).
RULE_FAMILIES = {
    "LL101": "module-cache", "LL103": "module-cache",
    "LL104": "method-cache",
    "LL102": "growth", "LL105": "growth", "LL106": "growth", "LL107": "growth", "LL108": "growth",
    "LL109": "growth", "LL110": "growth",
    "LL201": "callback", "LL202": "callback",
    "LL301": "resource-normal", "LL303": "resource-normal", "LL305": "resource-normal", "LL306": "resource-normal",
    "LL302": "resource-error",
    "LL304": "resource-raw", "LL307": "resource-raw", "LL308": "resource-raw",
    "LL401": "del-cycle", "LL402": "del-cycle",
    "LL403": "traceback", "LL404": "traceback",
    "LL501": "tensor",
}  # fmt: skip


def by_rule(cases: Sequence[Case], outcome: Outcome) -> Iterable[str]:
    """Per rule, with every rule on: the cases of its family it finds (a
    case found by two rules counts for both), and those of other families."""
    yield "### Cases found, per rule (every rule on)"
    yield ""
    yield "| rule | family | its family's cases found | other cases found |"
    yield "|---|---|---|---|"
    for code, family in sorted(RULE_FAMILIES.items()):
        members = [case for case in cases if case.family == family]
        own = sum(code in outcome.found.get(case.name, ()) for case in members)
        other = sum(code in outcome.found.get(case.name, ()) for case in cases if case.family != family)
        yield f"| {code} | {family} | {own}/{len(members)} | {other} |"
    yield ""


def commit() -> str:
    """The commit of the leaklint that ``python -m leaklint`` runs here."""
    where = subprocess.run(
        [sys.executable, "-c", "import leaklint, os; print(os.path.dirname(leaklint.__file__))"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=where or HERE, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", ".")
    return head + (" with uncommitted changes to leaklint/" if dirty else "")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list missed cases (tuning set and second batch)")
    parser.add_argument("--false", action="store_true", help="list findings in fixed and clean files")
    parser.add_argument(
        "--holdout", action="store_true", help="with --misses or --false: list held-out cases too"
    )
    options = parser.parse_args(argv)

    cases = load_cases()
    clean = clean_files()
    outcomes = {name: score(cases, clean, select) for name, select in SELECTIONS.items()}
    # The second batch (``batch2-*``), written after the first was tuned on.
    second = [case for case in cases if case.slug.startswith("batch2-")]
    tuning = [case for case in cases if not case.held_out and case not in second]
    held = [case for case in cases if case.held_out]

    print(f"## Recall on real fixes, at {commit()}")
    print()
    print(
        f"{len(cases)} cases ({len(tuning)} for tuning, {len(held)} held out, {len(second)} in the second batch), "
        f"{len(clean)} clean files; `python benchmarks/recall/score.py`."
    )
    print()
    for line in table(cases, clean, outcomes, "All cases"):
        print(line)
    if held:
        for line in table(tuning, [], outcomes, "Tuning set (two thirds of the first batch)"):
            print(line)
        for line in table(held, [], outcomes, "Held-out third"):
            print(line)
        witnessed = read_names(SEEN)
        unseen = [case for case in held if not seen(case, witnessed)]
        if len(unseen) < len(held):
            title = f"Held-out third, never seen while tuning ({len(unseen)} of {len(held)}; holdout-seen.txt)"
            for line in table(unseen, [], outcomes, title):
                print(line)
    if second:
        title = f"Second batch ({len(second)} cases, written after the rules were tuned on the first)"
        for line in table(second, [], outcomes, title):
            print(line)
    for line in by_rule(cases, outcomes["every rule"]):
        print(line)

    if options.misses:
        every = outcomes["every rule"]
        print("### Missed with every rule on")
        print()
        # The second batch has been tuned on since; only the held-out third stays unseen.
        for case in cases if options.holdout else tuning + second:
            if case.name not in every.found:
                print(f"- {case.name} (lines {sorted(case.leak_lines)})")
        print()
    every = outcomes["every rule"]
    if every.other:
        print(f"Other real leaks found in fixed and clean files (lines marked '# other leak'): {len(every.other)} files.")
        print()
    if options.false:
        # The held-out cases' fixed files stay unseen too, unless asked for.
        hidden = set() if options.holdout else {f"{case.name}/fixed.py" for case in held}
        for name, outcome in outcomes.items():
            print(f"### False findings, {name}")
            print()
            for path, findings in sorted(outcome.false.items()):
                if path in hidden:
                    continue
                for finding in findings:
                    print(f"- {path}:{finding}")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
