"""LL304 and LL307: raw descriptors and temporary paths that outlive their use."""

from __future__ import annotations

from typing import List, Mapping, Optional, Tuple

from leaklint.lazy import libcst as cst

from leaklint.analysis.acquisitions import assigned_results
from leaklint.analysis.lifetimes import ReleaseFacts, Verdict, function_verdicts
from leaklint.catalog.descriptors import (
    DESCRIPTOR,
    DESCRIPTOR_BORROWERS,
    DESCRIPTOR_CALLS,
    DESCRIPTOR_RELEASES,
    PATH_BORROWERS,
    TEMPORARY_DIRECTORY,
    TEMPORARY_DIRECTORY_CALLS,
    TEMPORARY_FILE_PATH_CALLS,
    TEMPORARY_PATH,
    TEMPORARY_PATH_REMOVERS,
)
from leaklint.catalog.resources import ResourceKind
from leaklint.rule import Rule


class DescriptorNotClosed(Rule):
    """
    ## What it finds
    A raw file descriptor that some path neither closes nor hands over. The
    descriptors come from `os.open`, `os.pipe` (both ends), `os.dup`,
    `os.openpty`, `pty.openpty` or the first element of `tempfile.mkstemp()`.
    It counts as handed over when returned, stored, or passed to a call that
    may own it (`os.fdopen`, `open(fd)`, `socket.socket(fileno=fd)`).

    ## Why it leaks
    A descriptor is a plain integer: no object closes it when it is dropped,
    not even the garbage collector. Every call of the function leaks one, until
    the process hits its limit and `open()` fails with "Too many open files".

    ## Example
    ```python
    import os

    def write_all(path, data):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        os.write(fd, data)
    ```

    ## Fix
    ```python
    import os

    def write_all(path, data):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    ```
    """

    code = "LL304"
    name = "fd-not-closed"
    message = "{noun} {verb} {call}() {problem}; {hint}"
    triggers = frozenset(name.rsplit(".", 1)[-1] for name in DESCRIPTOR_CALLS)

    VALID = (
        "import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY)\n    try:\n        return os.read(fd, 10)\n"
        "    finally:\n        os.close(fd)\n",
        "import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY)\n    return os.fdopen(fd)\n",
        "import os\ndef f():\n    r, w = os.pipe()\n    return r, w\n",
    )
    INVALID = (
        "import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY)  # expect: LL304\n    return os.read(fd, 10)\n",
        "import os\ndef f():\n    r, w = os.pipe()  # expect: LL304\n    os.close(w)\n    return os.read(r, 1)\n",
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        facts = ReleaseFacts(
            methods=frozenset(),
            functions=DESCRIPTOR_RELEASES,
            borrowers=DESCRIPTOR_BORROWERS,
            text_hands_over=True,
        )
        for verdict in _leaking(self, node, DESCRIPTOR_CALLS, DESCRIPTOR, facts):
            _report(self, verdict, "is not closed on every path")


class TemporaryNotCleaned(Rule):
    """
    ## What it finds
    A temporary directory or file that some path neither removes nor hands
    over. The directories come from `tempfile.mkdtemp()`, the files from the
    path that `tempfile.mkstemp()` returns; handing over means returning,
    storing, or passing to a call that may remove it.

    ## Why it leaks
    Unlike `TemporaryDirectory` and `NamedTemporaryFile`, these are never
    removed automatically: each call leaves a directory or file in `/tmp`
    until the disk (or the inode table) is full, and anything secret written
    there stays readable.

    ## Example
    ```python
    import subprocess, tempfile

    def build(source):
        workdir = tempfile.mkdtemp()
        subprocess.run(["make", "-C", workdir, source], check=True)
    ```

    ## Fix
    ```python
    import subprocess, tempfile

    def build(source):
        with tempfile.TemporaryDirectory() as workdir:
            subprocess.run(["make", "-C", workdir, source], check=True)
    ```
    """

    code = "LL307"
    name = "temporary-not-cleaned"
    # Opt-in until precise: temporary paths are often removed by something the
    # analysis cannot see (an enclosing temporary directory, the caller).
    default_enabled = False
    message = "{noun} {verb} {call}() {problem}; {hint}"
    triggers = frozenset({"mkdtemp", "mkstemp"})

    VALID = (
        "import shutil, tempfile\ndef f():\n    d = tempfile.mkdtemp()\n    try:\n        pass\n"
        "    finally:\n        shutil.rmtree(d)\n",
        "import tempfile\ndef f():\n    d = tempfile.mkdtemp()\n    return d\n",
    )
    INVALID = (
        "import os, tempfile\ndef f():\n    d = tempfile.mkdtemp()  # expect: LL307\n    print(os.listdir(d))\n",
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        facts = ReleaseFacts(
            methods=frozenset(),
            functions=TEMPORARY_PATH_REMOVERS,
            borrowers=PATH_BORROWERS,
            derived_values_hand_over=True,
        )
        for calls, kind in ((TEMPORARY_DIRECTORY_CALLS, TEMPORARY_DIRECTORY), (TEMPORARY_FILE_PATH_CALLS, TEMPORARY_PATH)):
            for verdict in _leaking(self, node, calls, kind, facts):
                _report(self, verdict, "is not removed on every path")


def _leaking(
    rule: Rule,
    function: cst.FunctionDef,
    calls: Mapping[str, Optional[Tuple[int, ...]]],
    kind: ResourceKind,
    facts: ReleaseFacts,
) -> List[Verdict]:
    verdicts = function_verdicts(
        function,
        rule.context,
        lambda qualified_name: assigned_results(calls, kind, qualified_name),
        lambda acquisition: facts,
    )
    return [verdict for verdict in verdicts if verdict.leaks]


def _report(rule: Rule, verdict: Verdict, problem: str) -> None:
    kind = verdict.allocation.kind
    if verdict.rebound:
        problem = f"is re-bound before it is {kind.fate}"
    rule.report(
        verdict.call,
        noun=kind.noun,
        verb=kind.verb,
        call=verdict.allocation.call_name,
        problem=problem,
        hint=kind.hint,
    )
