"""The fix for a file opened to be read or written whole in one expression:
``open(p).read()`` → ``pathlib.Path(p).read_text()``, which closes it.

Same behaviour otherwise: ``read_text``/``write_text`` take ``encoding`` and
``errors`` as ``open`` does, default to the same locale encoding, and return
what ``read()``/``write()`` return. Safe when ``p`` is certainly a path (a
string, an f-string, a ``Path``, an ``os.path`` call); unsafe otherwise,
since ``open`` also takes a file descriptor or bytes, which ``Path`` does not.
"""

from __future__ import annotations

from typing import Callable, Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.import_block import imported_as
from leaklint.catalog.paths import OPENERS, PATH_CALLS, TEXT_KEYWORDS, WHOLE_FILE_READS, WHOLE_FILE_WRITES
from leaklint.core.context import ProposedFix


def whole_file_fix(
    opened: cst.Call,
    method_call: cst.Call,
    qualified_name: Callable[[cst.BaseExpression], Optional[str]],
    tree: "object",
) -> Optional[ProposedFix]:
    """The fix for ``opened.read()``/``opened.write(data)`` (``method_call``),
    or None when its arguments say something ``Path`` cannot."""
    if qualified_name(opened.func) not in OPENERS or not isinstance(method_call.func, cst.Attribute):
        return None
    parts = _open_arguments(opened)
    if parts is None:
        return None
    path, mode, keywords = parts
    if isinstance(path, cst.SimpleString) and "b" in path.prefix.lower():
        return None  # ``open(b"name")``: pathlib.Path takes no bytes
    method = method_call.func.attr.value
    if method == "read" and not method_call.args:
        replacement = WHOLE_FILE_READS.get(mode)
        given: list = []
    elif method == "write" and _one_positional(method_call):
        replacement = WHOLE_FILE_WRITES.get(mode)
        given = [method_call.args[0].value]
    else:
        return None
    if replacement is None or (replacement.endswith("_bytes") and keywords):
        return None
    spelled = imported_as(tree, "pathlib", "Path")  # type: ignore[arg-type]
    code = _code
    arguments = [code(value) for value in given] + [f"{name}={code(value)}" for name, value in keywords]
    text = f"{spelled or 'pathlib.Path'}({code(path)}).{replacement}({', '.join(arguments)})"
    return ProposedFix(
        title=f"{'Read' if method == 'read' else 'Write'} it with pathlib.Path.{replacement}(), which closes the file",
        safe=_certainly_a_path(path, qualified_name),
        replacements=((method_call, text),),
        imports=() if spelled else ("pathlib",),
    )


def _open_arguments(call: cst.Call):
    """(path, mode, [(keyword, value)]) of ``open(path[, mode], encoding=...,
    errors=...)``; None for anything else (buffering, newline, an opener...)."""
    positional = [arg for arg in call.args if arg.keyword is None]
    if any(arg.star for arg in call.args) or not 1 <= len(positional) <= 2 or call.args[0].keyword is not None:
        return None
    mode_value: Optional[cst.BaseExpression] = positional[1].value if len(positional) == 2 else None
    keywords = []
    for arg in call.args:
        if arg.keyword is None:
            continue
        if arg.keyword.value == "mode" and mode_value is None:
            mode_value = arg.value
        elif arg.keyword.value in TEXT_KEYWORDS:
            keywords.append((arg.keyword.value, arg.value))
        else:
            return None
    if mode_value is None:
        mode = "r"
    elif isinstance(mode_value, cst.SimpleString) and mode_value.prefix.lower() in ("", "u"):
        mode = mode_value.evaluated_value
    else:
        return None
    return positional[0].value, mode, keywords


def _one_positional(call: cst.Call) -> bool:
    return len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star


def _certainly_a_path(value: cst.BaseExpression, qualified_name: Callable[[cst.BaseExpression], Optional[str]]) -> bool:
    if isinstance(value, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
        return True  # ``root / "name"``: pathlib's operator (an int would not open a file either)
    if isinstance(value, cst.Call):
        name = qualified_name(value.func) or ""
        return name.startswith(PATH_CALLS) or name in ("Path", "PurePath")
    return False


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
