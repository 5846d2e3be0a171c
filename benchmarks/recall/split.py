"""Set a third of the recall cases aside, at random, before tuning on the rest.

    python benchmarks/recall/split.py [--seed N]

Writes ``holdout.txt``: the seed on its first line, then one case a line
(``family/slug``). A third of each family is drawn, so every family keeps
cases on both sides. Run once; the file is then kept as it is.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261207)
    options = parser.parse_args()
    target = HERE / "holdout.txt"
    if target.exists():
        sys.exit(f"split.py: {target} exists; the held-out set is drawn once")
    rng = random.Random(options.seed)
    held = []
    for family in sorted(path for path in (HERE / "cases").iterdir() if path.is_dir()):
        cases = sorted(path.name for path in family.iterdir() if (path / "leaky.py").exists())
        held += [f"{family.name}/{slug}" for slug in sorted(rng.sample(cases, len(cases) // 3))]
    lines = [f"# seed {options.seed}: python benchmarks/recall/split.py --seed {options.seed}"]
    target.write_text("\n".join(lines + held) + "\n", encoding="utf-8")
    print(f"{len(held)} cases held out in {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
