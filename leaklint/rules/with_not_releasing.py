"""LL306: ``with`` on a resource whose context manager does not release it."""

from __future__ import annotations

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.resources import allocation
from leaklint.analysis.scopes import method_class_name
from leaklint.fixers.closing import closing_fix
from leaklint.core.rule import Rule


class WithDoesNotRelease(Rule):
    """
    ## What it finds
    A `with` statement on a resource whose context manager does not close it.
    The connections of `sqlite3` and `psycopg2` are the common case: their
    `with` block is a transaction.

    ## Why it leaks
    Leaving `with sqlite3.connect(path) as conn:` commits (or rolls back on an
    exception) and leaves the connection open. Code written as if `with`
    closed it opens one more connection each time it runs, each holding a
    file descriptor, a lock on the database file and its caches.

    ## Example
    ```python
    import sqlite3

    def count(path):
        with sqlite3.connect(path) as conn:
            return conn.execute("select count(*) from t").fetchone()[0]
    ```

    ## Fix
    Close it with `contextlib.closing`, and keep the inner `with` if you want
    the transaction. `leaklint --fix` does that (adding `import contextlib`
    when the module has neither it nor `from contextlib import closing`). It
    is safe when the block only calls the connection's methods and nothing
    else in the function names it; when the connection is returned, stored
    or used after the block, where it would now be closed, the fix is unsafe
    (`--unsafe-fixes`).
    ```python
    import contextlib, sqlite3

    def count(path):
        with contextlib.closing(sqlite3.connect(path)) as conn, conn:
            return conn.execute("select count(*) from t").fetchone()[0]
    ```
    """

    code = "LL306"
    summary_text = "A `with` statement on a resource whose context manager does not close it"
    name = "with-does-not-release"
    message = (
        "leaving 'with {call}(...)' does not close the {noun}, it only ends a transaction; "
        "use 'with contextlib.closing({call}(...)) as conn:'"
    )
    # "open": the engine lets the file's own factories stand in for it.
    triggers = frozenset({"connect", "open"})

    VALID = (
        "import contextlib, sqlite3\nwith contextlib.closing(sqlite3.connect('db')) as conn:\n    pass\n",
        "with open('p') as f:\n    pass\n",
    )
    INVALID = (
        "import sqlite3\nwith sqlite3.connect('db') as conn:  # expect: LL306\n    conn.execute('select 1')\n",
    )
    FIXES = (
        (
            "import sqlite3\n\ndef count(path):\n    with sqlite3.connect(path) as conn:\n"
            "        return conn.execute('select count(*) from t').fetchone()[0]\n",
            "import sqlite3\nimport contextlib\n\ndef count(path):\n"
            "    with contextlib.closing(sqlite3.connect(path)) as conn, conn:\n"
            "        return conn.execute('select count(*) from t').fetchone()[0]\n",
        ),
        (
            "from contextlib import closing\nimport sqlite3\n\ndef connect(path):\n"
            "    with sqlite3.connect(path) as db:\n        db.execute('pragma foreign_keys = on')\n    return db\n",
            "from contextlib import closing\nimport sqlite3\n\ndef connect(path):\n"
            "    with closing(sqlite3.connect(path)) as db, db:\n        db.execute('pragma foreign_keys = on')\n    return db\n",
        ),
    )

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if not isinstance(item.item, cst.Call):
                continue
            found = allocation(
                item.item,
                self.context.qualified_name,
                self.context.facts.factories,  # ``with self._connect() as conn:``
                method_class_name(self.context.ancestors),
            )
            if found is not None and not found.kind.exit_releases:
                fix = closing_fix(item, node, self.context.ancestors, self.context.facts.tree)
                self.report(item.item, fix=fix, call=found.call_name, noun=found.kind.noun)
