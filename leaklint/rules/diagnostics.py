"""What the engine reports about a file as a whole (LL001-LL003), documented
here like the rules (for `leaklint rule`, the README and SARIF); they are
``FileDiagnostic`` entries, not rules: no runner runs them, and the engine
reports them under the codes of `leaklint.syntax.diagnostics`."""

from leaklint.core.rule import FileDiagnostic
from leaklint.syntax.diagnostics import INTERNAL_ERROR, PARSE_ERROR, UNSUPPORTED_SYNTAX


class ParseError(FileDiagnostic):
    """
    ## What it finds
    A file that is not valid Python. Python's own parser (`ast.parse`) rejects
    it; the finding carries the parser's message and position.

    ## Why it leaks
    It does not leak by itself, but leaklint cannot check a file it cannot
    parse, so leaks in it go unseen. The run goes on with the other files.

    ## Example
    ```python
    def broken(:
        return open(path)
    ```

    ## Fix
    Correct the syntax error; `python -m py_compile FILE` shows the same error.
    """

    code = PARSE_ERROR
    summary_text = "A file that is not valid Python"
    name = "parse-error"


class InternalError(FileDiagnostic):
    """
    ## What it finds
    A rule that failed on this file. The finding names the rule; the other
    rules and files were still checked.

    ## Why it leaks
    It does not: it is a bug in leaklint, and findings of the failed rule may
    be missing for this file.

    ## Example
    ```text
    app.py:1:1: LL002 rule LL303 (resource-discarded) failed on this file: ...
    ```

    ## Fix
    Please report it with the file (or a reduced copy of it) to the leaklint
    issue tracker. Meanwhile, `# leaklint: skip-file` or `--extend-ignore`
    silences it.
    """

    code = INTERNAL_ERROR
    summary_text = "A rule that failed on this file"
    name = "internal-error"


class UnsupportedSyntax(FileDiagnostic):
    """
    ## What it finds
    A valid Python file that libcst cannot parse, so it was not analysed.
    libcst, the parser leaklint builds on, rejects a few valid constructs (a
    parenthesized annotated target such as `(x): int = 1`) and nesting
    thousands of levels deep.

    ## Why it leaks
    It does not by itself; leaks in the file go unseen.

    ## Example
    ```python
    (x): int = 1
    ```

    ## Fix
    Rewrite the construct in its common form (`x: int = 1`), or split the deeply
    nested expression.
    """

    code = UNSUPPORTED_SYNTAX
    summary_text = "Valid Python that libcst cannot parse, so the file was not analysed"
    name = "unsupported-syntax"
