"""LL303: a resource that is used once and never bound, so it cannot be closed."""

from __future__ import annotations

from typing import Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.lifetimes import after_a_dead_end, exits_process
from leaklint.analysis.resources import Allocation, allocation, reads_to_the_end, trigger_words
from leaklint.analysis.scopes import (
    directly_in_guarded_try,
    expects_exception,
    method_class_name,
    next_statement,
    under_mock_patch,
)
from leaklint.analysis.test_code import calls_stub
from leaklint.catalog.resources import BORROWERS, LAZY_CLIENTS, STREAM_KEYWORDS_BORROWED
from leaklint.core.context import ProposedFix
from leaklint.fixers.whole_file import whole_file_fix
from leaklint.fixers.with_block import with_block_fix
from leaklint.core.rule import Rule


class ResourceDiscarded(Rule):
    """
    ## What it finds
    A resource that is created and dropped without ever being bound to a name.
    For instance `open(p).read()`, `json.load(open(p))`, `for line in open(p):`
    or a bare `subprocess.Popen(...)` statement. Resources are the files,
    sockets, processes, connections, pools and clients of leaklint's resource
    catalog.

    ## Why it leaks
    Nothing can close what nothing refers to. The file descriptor, socket or
    connection stays open until the garbage collector happens to finalize
    the object, which CPython does at once only by the accident of reference
    counting, PyPy and other interpreters much later, and never while a
    traceback or a cycle still holds it. A `Popen` that is never waited for
    leaves a zombie process behind. The message says so ("left to the
    garbage collector"): on CPython the cost is often a `ResourceWarning`
    (an error under `-W error::ResourceWarning`) rather than a lost
    descriptor, and the reader can weigh that. A process started just
    before this one ends (`Popen(argv)` then `os._exit(0)`) is not reported:
    it is meant to outlive its parent.

    ## Example
    ```python
    import json, subprocess

    config = json.load(open("config.json"))
    subprocess.Popen(["notify-send", "done"])
    ```

    ## Fix
    Bind it in a `with` statement, or use an API that closes for you.
    ```python
    import json, pathlib, subprocess

    with open("config.json") as f:
        config = json.load(f)
    text = pathlib.Path("notes.txt").read_text()
    subprocess.run(["notify-send", "done"], check=False)
    ```
    `leaklint --fix` rewrites a file read or written whole in one
    expression, `open(p).read()` or `open(p, "w").write(data)`, as
    `pathlib.Path(p).read_text()` or `.write_text(data)` (`read_bytes`,
    `write_bytes` for binary modes), keeping `encoding` and `errors`, and
    adds `import pathlib` when the module has neither it nor `from pathlib
    import Path`. Those methods open, use and close the file, with the same
    default encoding and the same return value. The fix is safe when `p` is
    certainly a path (a string, an f-string, a `Path`, an `os.path` call);
    for any other value it is unsafe (`--unsafe-fixes`): `open()` also takes
    a file descriptor or bytes, which `Path` does not. Other modes
    (appending, `+`), `buffering`, `newline` or `opener`, and reads of part
    of the file are left as they are. A resource handed to a call that uses
    it up before returning (`json.load(open(p))`, `pickle.dump(x, open(p,
    "wb"))`, `list(open(p))`, `print(x, file=open(p, "w"))`), in a statement
    on one line of its own, is opened in a `with` block around that
    statement instead (safe: the call is done with it when the block closes
    it); calls that keep it to use later (`csv.reader`, `iter`) are left alone.
    """

    code = "LL303"
    summary_text = "A resource created and dropped without being bound to a name"
    name = "resource-discarded"
    message = "{noun} {verb} {call}() is never {fate}: it is left to the garbage collector; {hint}"
    triggers = trigger_words()

    VALID = (
        "with open('p') as f:\n    data = f.read()\n",
        "def f(p):\n    return open(p)\n",
        "def f(p):\n    yield open(p)\n",
        "import contextlib, urllib.request\n"
        "with contextlib.closing(urllib.request.urlopen('u')) as r:\n    r.read()\n",
        "def open(p): return p\nopen('x').read()\n",
        "import subprocess\nsubprocess.Popen(['true']).wait()\n",
        "import fileinput\nfor line in fileinput.input():\n    print(line)\n",
        "import pathlib\ntext = pathlib.Path('p').read_text()\n",
        "def f(stack, p):\n    return stack.enter_context(open(p)).read()\n",
    )
    INVALID = (
        "data = open('p').read()  # expect: LL303\n",
        "import multiprocessing\nmultiprocessing.Manager().start()  # expect: LL303\n",
        "import json\nconfig = json.load(open('c.json'))  # expect: LL303\n",
        "import subprocess as sp\nsp.Popen(['make'])  # expect: LL303\n",
        "from pathlib import Path\ntext = Path('p').open().read()  # expect: LL303\n",
        "for line in open('p'):  # expect: LL303\n    print(line)\n",
    )
    FIXES = (
        ("data = open('p').read()\n", "import pathlib\ndata = pathlib.Path('p').read_text()\n"),
        (
            '"""Settings."""\nfrom pathlib import Path\n\nopen(Path("out"), "w", encoding="utf-8").write(text)\n',
            '"""Settings."""\nfrom pathlib import Path\n\nPath(Path("out")).write_text(text, encoding="utf-8")\n',
        ),
        (
            "import os\n\ndef load(name):\n    return open(os.path.join('d', name), 'rb').read()\n",
            "import os\nimport pathlib\n\ndef load(name):\n    return pathlib.Path(os.path.join('d', name)).read_bytes()\n",
        ),
        (
            "import json\n\ndef settings(path):\n    if path:\n        return json.load(open(path))  # the settings\n",
            "import json\n\ndef settings(path):\n    if path:\n        with open(path) as f:\n"
            "            return json.load(f)  # the settings\n",
        ),
        ("import pickle\nwith_tabs = 1\nif with_tabs:\n\tpickle.dump(state, open(p, 'wb'))\n",
         "import pickle\nwith_tabs = 1\nif with_tabs:\n\twith open(p, 'wb') as f:\n\t\tpickle.dump(state, f)\n"),
        # Unsafe: ``name`` may be a file descriptor.
        ("def load(name):\n    return open(name).read()\n", "import pathlib\ndef load(name):\n    return pathlib.Path(name).read_text()\n"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = allocation(
            node,
            self.context.qualified_name,
            self.context.facts.factories,
            method_class_name(self.context.ancestors),
            self.context.instance_of,
        )
        ancestors = self.context.ancestors
        if (
            found is not None
            and self._discarded(node, found)
            and not expects_exception(ancestors, self.context.qualified_name)
            and not under_mock_patch(ancestors)
            and not calls_stub(node, self.context.stubbed_modules(), self.context.qualified_name)
            and not after_a_dead_end(ancestors, self.context.qualified_name)
        ):
            self.report(
                node,
                fix=self._fix(node),
                noun=found.kind.noun,
                verb=found.kind.verb,
                call=found.call_name,
                fate=found.kind.fate,
                hint=found.kind.hint.format(call=found.call_name),
            )

    def _fix(self, call: cst.Call) -> Optional[ProposedFix]:
        """``open(p).read()`` → ``pathlib.Path(p).read_text()``; ``json.load(open(p))``
        → a ``with`` block around the statement."""
        ancestors = self.context.ancestors
        if len(ancestors) < 3 or not isinstance(ancestors[-3], cst.Call):
            return None
        parent, outer = ancestors[-2], ancestors[-3]
        if isinstance(parent, cst.Attribute) and outer.func is parent:
            return whole_file_fix(call, outer, self.context.qualified_name, self.context.facts.tree)
        if isinstance(parent, cst.Arg):
            return with_block_fix(call, ancestors, self.context.qualified_name(outer.func), self.context.facts.text)
        return None

    def _discarded(self, call: cst.Call, found: Allocation) -> bool:
        ancestors = self.context.ancestors
        parent = ancestors[-2]
        grandparent: Optional[cst.CSTNode] = ancestors[-3] if len(ancestors) > 2 else None
        if isinstance(parent, cst.Await) and isinstance(grandparent, cst.Expr):
            # ``await loop.create_datagram_endpoint(...)``: the transport is dropped.
            return not directly_in_guarded_try(ancestors[:-2])
        if isinstance(parent, cst.Expr):
            # A statement of its own, `Popen([...])`; but in `try: open(p)
            # except OSError:` the call is a probe of whether it raises, and
            # `Popen(argv); os._exit(0)` starts a process to outlive this one.
            following = next_statement(ancestors)
            if following is not None and exits_process(following, self.context.qualified_name):
                return False
            return not directly_in_guarded_try(ancestors[:-1])
        if isinstance(parent, cst.Attribute) and parent.value is call:
            method = parent.attr.value
            if found.kind in LAZY_CLIENTS and method not in found.kind.opened_by:
                return False  # ``requests.Session().prepare_request(r)``: nothing was opened
            if isinstance(grandparent, cst.Call) and grandparent.func is parent:
                releases = method in found.kind.release or (
                    not grandparent.args and f"{method}()" in found.kind.release
                )
                return not (releases or method == "__enter__" or method in found.kind.hands_over)
            return True  # `Popen(...).pid`
        if isinstance(parent, cst.Subscript) and parent.value is call:
            return True
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is call:
            return not found.kind.released_by_exhaustion
        if isinstance(parent, cst.Arg) and isinstance(grandparent, cst.Call):
            callee = self.context.qualified_name(grandparent.func)
            if found.kind.released_by_exhaustion and reads_to_the_end(callee, grandparent, parent):
                return False  # ``json.load(urlopen(url))``: read to the end, closed
            if parent.keyword is not None and parent.keyword.value in STREAM_KEYWORDS_BORROWED.get(callee or "", ()):
                return True  # ``Popen(cmd, stdout=open(log, "w"))``: the child gets a copy
            return callee in BORROWERS
        return False
