"""What each tree costs: the time of the ``ast`` runner and of the libcst
runner over a corpus, every rule on, in this process.

    python benchmarks/trees.py                 # the standard library's top-level modules
    python benchmarks/trees.py PATH ...        # other files or folders

It prints which rules each runner runs, which of them propose fixes or ask
libcst for metadata, and how the time splits between the two runners and
the rest (decoding, ``ast.parse``, the checks before the runners).
"""

from __future__ import annotations

import sys
import sysconfig
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

from leaklint.core import ast_runner, cst_runner, engine
from leaklint.core.registry import all_codes, all_rules
from leaklint.core.rule import Rule


def _timed(module: Any, name: str, spent: Dict[str, float]) -> None:
    run = module.findings

    def findings(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - began

    module.findings = findings


def main(argv: Sequence[str]) -> int:
    roots = [Path(arg) for arg in argv] or [Path(sysconfig.get_paths()["stdlib"])]
    files: List[Path] = []
    for root in roots:
        files.extend(sorted(root.glob("*.py")) if root.is_dir() else [root])
    rules = [rule for rule in all_rules() if issubclass(rule, Rule)]
    for name, runner in (("ast", ast_runner), ("libcst", cst_runner)):
        own = [rule for rule in rules if runner.runs(rule)]
        fixing = [rule.code for rule in own if rule.FIXES]
        metadata = [rule.code for rule in own if rule.METADATA_DEPENDENCIES]
        print(f"{name} runner: {len(own)} rules {[rule.code for rule in own]}; with fixes {fixing}; "
              f"asking libcst metadata {metadata}")
    spent = {"ast": 0.0, "libcst": 0.0}
    _timed(ast_runner, "ast", spent)
    _timed(cst_runner, "libcst", spent)
    codes = frozenset(all_codes())
    lines = 0
    began = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        lines += data.count(b"\n")
        engine.lint_source(data, str(path), codes)
    total = time.perf_counter() - began
    rest = total - spent["ast"] - spent["libcst"]
    print(f"{len(files)} files, {lines} lines, {total:.1f} s: ast runner {spent['ast']:.1f} s "
          f"({spent['ast'] / total:.0%}), libcst runner {spent['libcst']:.1f} s ({spent['libcst'] / total:.0%}), "
          f"the rest {rest:.1f} s ({rest / total:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
