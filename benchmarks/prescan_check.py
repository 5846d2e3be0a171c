"""Check that the cheap first look changes no finding, over a whole corpus.

leaklint decides from the text and the ``ast`` which statements need libcst
at all (the "prescan"). This lints every file twice, with the first look and
with ``prescan=False`` (every statement parsed and checked by every rule),
and reports any file whose findings differ. Not part of the test suite (which
does the same over every fixture): run by hand, or through
``run.py --check-prescan``.

    python benchmarks/prescan_check.py [PATH ...] [-j N]

Exit status: 0 identical everywhere, 1 some file differs.
"""

from __future__ import annotations

import argparse
import os
import sys
import sysconfig
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from leaklint.core.engine import lint_source
from leaklint.core.registry import all_rules

# Every rule, the opt-in ones too: the first look must be right for all of them.
ALL_CODES = frozenset(rule.code for rule in all_rules())
SKIPPED_DIRS = {"site-packages", "dist-packages", "__pycache__", ".git", ".tox", ".venv", "venv", "node_modules"}


def python_files(roots: Sequence[Path]) -> List[Path]:
    found = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
            found.extend(Path(folder, name) for name in sorted(files) if name.endswith(".py"))
    return found


def compare(path: Path) -> Tuple[str, Optional[str]]:
    """(path, None) when both ways agree, else a description of the difference."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return str(path), f"unreadable: {exc}"
    quick = lint_source(data, str(path), ALL_CODES)
    full = lint_source(data, str(path), ALL_CODES, prescan=False)
    if quick == full:
        return str(path), None
    only_quick = sorted(set(quick) - set(full), key=lambda f: f.sort_key())
    only_full = sorted(set(full) - set(quick), key=lambda f: f.sort_key())
    lines = [f"  only with the first look: {f.line}:{f.column} {f.code} {f.message}" for f in only_quick]
    lines += [f"  only without it:          {f.line}:{f.column} {f.code} {f.message}" for f in only_full]
    return str(path), "\n".join(lines) or "  same findings, another order"


def check(roots: Sequence[Path], jobs: int) -> Tuple[int, List[Tuple[str, str]]]:
    files = python_files(roots)
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(compare, files, chunksize=8))
    return len(files), [(path, difference) for path, difference in results if difference is not None]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the standard library)")
    parser.add_argument("-j", "--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args(argv)
    roots = args.paths or [Path(sysconfig.get_paths()["stdlib"])]
    started = time.perf_counter()
    count, differences = check(roots, args.jobs)
    for path, difference in differences:
        print(f"{path}:\n{difference}")
    verdict = "identical" if not differences else f"{len(differences)} files differ"
    print(f"{count} files, every rule, with and without the first look: {verdict} "
          f"({time.perf_counter() - started:.0f} s, {args.jobs} processes)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
