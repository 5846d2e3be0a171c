"""Documentation generated from the registry: the README's rule table and
the rule reference, ``docs/rules.md`` (every rule's documentation, the page
an editor's diagnostic links to).

``python -m leaklint.docs`` rewrites both (from the project's folder): the
table between the ``<!-- rules:start -->`` and ``<!-- rules:end -->`` markers
of README.md, and the whole reference. A test fails when either disagrees
with the registry.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Type

from leaklint.core.registry import all_rules
from leaklint.core.rule import Documented

START, END = "<!-- rules:start -->", "<!-- rules:end -->"
REFERENCE = "docs/rules.md"
# Where the reference is published: the project's repository.
REFERENCE_URL = "https://github.com/leaklint/leaklint/blob/main/" + REFERENCE


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


def rule_state(rule: Type[Documented]) -> str:
    """Whether the rule is on, and what it leaves out, in a few words."""
    state = "enabled by default" if rule.default_enabled else "opt-in: enable with --extend-select"
    if not rule.checks_test_modules:
        state += "; test modules are not checked"
    return state


def rule_url(rule: Type[Documented]) -> str:
    """The rule's section of the published reference (GitHub's heading anchor)."""
    return f"{REFERENCE_URL}#{rule.code.lower()}-{rule.name}"


def rule_reference() -> str:
    """Every rule's documentation, one section each, headings one level down."""
    parts = [
        "# leaklint rules",
        "",
        "Generated from the rules' own documentation by `python -m leaklint.docs`; "
        "`leaklint rule CODE` prints the same text.",
    ]
    for rule in all_rules():
        body = re.sub(r"^## ", "### ", rule.documentation(), flags=re.M)
        parts += ["", f"## {rule.code} {rule.name}", "", f"*{rule_state(rule)}*", "", body]
    return "\n".join(parts) + "\n"


def main(argv: "list[str]") -> int:
    if len(argv) > 1:
        print("usage: python -m leaklint.docs [PROJECT-FOLDER]", file=sys.stderr)
        return 2
    root = Path(argv[0]) if argv else Path(".")
    if root.name == "README.md":  # the older spelling: python -m leaklint.docs README.md
        root = root.parent
    readme = root / "README.md"
    readme.write_text(with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    reference = root / REFERENCE
    reference.parent.mkdir(exist_ok=True)
    reference.write_text(rule_reference(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
