"""The rule table of the README, generated from the registry.

``python -m leaklint.docs README.md`` rewrites the table between the
``<!-- rules:start -->`` and ``<!-- rules:end -->`` markers; a test fails when
README and registry disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from leaklint.registry import all_rules

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    rows = ["| code | name | default | finds |", "|---|---|---|---|"]
    for rule in all_rules():
        state = "on" if rule.default_enabled else "opt-in"
        rows.append(f"| {rule.code} | {rule.name} | {state} | {rule.summary()} |")
    return "\n".join(rows)


def with_table(readme: str) -> str:
    """``readme`` with the text between the markers replaced by the current table."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README has no {START} ... {END} markers")
    return f"{head}{START}\n{rule_table()}\n{END}{tail}"


def main(argv: "list[str]") -> int:
    if len(argv) != 1:
        print("usage: python -m leaklint.docs README.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
