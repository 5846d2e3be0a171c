"""Which calls allocate a resource, judged from the catalog and import resolution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, FrozenSet, Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.names import LOCAL_MODULE, QualifiedName, dotted_name
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.catalog.resources import (
    SOCKET_TUPLE_CALLS,
    SOCKET_TUPLE_METHODS,
    TUPLE_RESOURCE_CALLS,
    CONNECT_ON_HOST,
    IN_MEMORY_BUFFERS,
    PATH_CONSTRUCTORS,
    PATH_FILE,
    PATH_METHODS,
    PIPED_PROCESS,
    PROCESS,
    READS_TO_THE_END,
    RESOURCE_CALLS,
    RESOURCE_METHODS,
    ResourceKind,
    display_name,
)

if TYPE_CHECKING:
    from leaklint.analysis.factories import Factories



@dataclass(frozen=True)
class Allocation:
    """A call that returns a resource: what it is called in messages, and its kind."""

    call_name: str  # "open", "subprocess.Popen", "Path.open"
    kind: ResourceKind


# What made a value, when that is known: expression -> qualified name or None.
InstanceOf = Callable[["cst.BaseExpression"], Optional[str]]

# The last part of every allocating call's name (``Popen``, ``open``...).
_CALL_NAMES = (
    frozenset(name.rsplit(".", 1)[-1] for name in RESOURCE_CALLS)
    | {method for _, method in RESOURCE_METHODS}
)


def trigger_words() -> FrozenSet[str]:
    """Identifiers at least one of which occurs in a file that allocates."""
    tuples = {*TUPLE_RESOURCE_CALLS, *SOCKET_TUPLE_CALLS}
    return _CALL_NAMES | {name.rsplit(".", 1)[-1] for name in tuples} | {m for _, m in SOCKET_TUPLE_METHODS}


def allocation(
    call: cst.Call,
    qualified_name: QualifiedName,
    factories: "Optional[Factories]" = None,
    class_name: Optional[str] = None,
    instance_of: Optional[InstanceOf] = None,
) -> Optional[Allocation]:
    """The resource ``call`` allocates, if the catalog (or, given ``factories``,
    one of the file's own functions returning a fresh one; ``self.m()`` is
    looked up in ``class_name``) knows it; else None. ``instance_of`` says
    what made a local name's value (``path = Path(p)``; ``path.open()``)."""
    func = call.func
    if factories is not None:
        made = _made_by_factory(func, qualified_name, factories, class_name)
        if made is not None:
            return None if _does_not_own(call, qualified_name) else made
    if isinstance(func, cst.Attribute):
        last = func.attr.value
    elif isinstance(func, cst.Name):
        last = func.value
    else:
        return None
    if last not in _CALL_NAMES:
        return None  # cheap test first: most calls are not even named like one
    qualified = qualified_name(func)
    if qualified is not None:
        kind = RESOURCE_CALLS.get(qualified)
        if kind is None or _does_not_own(call, qualified_name):
            return None
        if qualified in CONNECT_ON_HOST and not any(
            arg.keyword is None or arg.keyword.value == "host" for arg in call.args
        ):
            return None  # nothing is connected until connect() is called
        if kind is PROCESS and _makes_pipes(call, qualified_name):
            kind = PIPED_PROCESS
        return Allocation(display_name(qualified), kind)
    if isinstance(func, cst.Attribute):
        if func.attr.value == "open" and _is_path(func.value, qualified_name, instance_of):
            return Allocation("Path.open", PATH_FILE)
        maker = instance_of(func.value) if instance_of is not None else None
        kind = RESOURCE_METHODS.get((maker or "", last))
        if kind is not None:
            return Allocation(dotted_name(func) or last, kind)
    return None


def _makes_pipes(call: cst.Call, qualified_name: QualifiedName) -> bool:
    """``Popen(cmd, stdout=subprocess.PIPE)``: the parent holds the other end."""
    return any(
        arg.keyword is not None
        and arg.keyword.value in ("stdin", "stdout", "stderr")
        and qualified_name(arg.value) == "subprocess.PIPE"
        for arg in call.args
    )


def _is_path(expr: cst.BaseExpression, qualified_name: QualifiedName, instance_of: Optional[InstanceOf]) -> bool:
    """Whether ``expr`` certainly builds a ``pathlib`` path."""
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in PATH_METHODS:
            return _is_path(func.value, qualified_name, instance_of)
        return qualified_name(func) in PATH_CONSTRUCTORS
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return _is_path(expr.left, qualified_name, instance_of)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "parent":
        return _is_path(expr.value, qualified_name, instance_of)
    if isinstance(expr, cst.Name) and instance_of is not None:
        return instance_of(expr) in PATH_CONSTRUCTORS
    return False


def _made_by_factory(
    func: cst.BaseExpression, qualified_name: QualifiedName, factories: "Factories", class_name: Optional[str]
) -> Optional[Allocation]:
    if isinstance(func, cst.Name) and func.value in factories.functions:
        if qualified_name(func) == f"{LOCAL_MODULE}.{func.value}":
            return Allocation(func.value, factories.functions[func.value])
    if isinstance(func, cst.Name) and func.value in factories.classes:
        if qualified_name(func) == f"{LOCAL_MODULE}.{func.value}":
            return Allocation(func.value, factories.classes[func.value])
    if factories.imported and isinstance(func, (cst.Name, cst.Attribute)):
        qualified = qualified_name(func)
        if qualified in factories.imported:
            return Allocation(dotted_name(func) or qualified, factories.imported[qualified])
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        kind = factories.methods.get((class_name or "", func.attr.value))
        if kind is not None:
            return Allocation(f"self.{func.attr.value}", kind)
    return None


def _does_not_own(call: cst.Call, qualified_name: QualifiedName) -> bool:
    """Calls of a catalog API that leave nothing of the system's to release."""
    return (
        _wraps_memory_buffer(call, qualified_name)
        or _keyword_is(call, "closefd", "False")  # open(fd, closefd=False)
        or _keyword_is(call, "start_new_session", "True")  # a detached process, on purpose
        or any(arg.keyword is not None and arg.keyword.value == "fileobj" for arg in call.args)
        or (qualified_name(call.func) == "mmap.mmap" and _first_argument_is(call, "-1"))  # anonymous: memory only
        or _is_data_url_open(call)
    )


def _is_data_url_open(call: cst.Call) -> bool:
    """``urlopen("data:,...")`` answers from memory."""
    if not call.args or not isinstance(call.args[0].value, cst.SimpleString):
        return False
    return call.args[0].value.evaluated_value.startswith("data:") if isinstance(
        call.args[0].value.evaluated_value, str
    ) else False


def _first_argument_is(call: cst.Call, text: str) -> bool:
    if not call.args or call.args[0].keyword is not None:
        return False
    value = call.args[0].value
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        return isinstance(value.expression, cst.Integer) and "-" + value.expression.value == text
    return isinstance(value, cst.Integer) and value.value == text


def _keyword_is(call: cst.Call, keyword: str, constant: str) -> bool:
    return any(
        arg.keyword is not None
        and arg.keyword.value == keyword
        and isinstance(arg.value, cst.Name)
        and arg.value.value == constant
        for arg in call.args
    )


def _wraps_memory_buffer(call: cst.Call, qualified_name: QualifiedName) -> bool:
    """``gzip.GzipFile(fileobj=io.BytesIO(data))``: nothing but memory is held."""
    for arg in call.args:
        value = arg.value
        if isinstance(value, cst.Call) and qualified_name(value.func) in IN_MEMORY_BUFFERS:
            return True
    return False


def wraps_local_buffer(call: cst.Call, body: cst.CSTNode, qualified_name: QualifiedName) -> bool:
    """``buf = io.BytesIO(); zipfile.ZipFile(buf, "w")``: a wrapper of a
    buffer made in the same function holds nothing but memory."""
    names = {
        arg.value.value
        for arg in call.args
        if isinstance(arg.value, cst.Name) and (arg.keyword is None or arg.keyword.value in ("fileobj", "file"))
    }
    if not names:
        return False
    finder = _BufferNames(names, qualified_name)
    walk(body, finder)
    return finder.found


class _BufferNames(NodeVisitor):
    def __init__(self, names: "set[str]", qualified_name: QualifiedName) -> None:
        super().__init__()
        self.names = names
        self.qualified_name = qualified_name
        self.found = False

    def visit_Assign(self, node: cst.Assign) -> None:
        if (
            isinstance(node.value, cst.Call)
            and any(isinstance(t.target, cst.Name) and t.target.value in self.names for t in node.targets)
            and self.qualified_name(node.value.func) in IN_MEMORY_BUFFERS
        ):
            self.found = True


def reads_to_the_end(callee: Optional[str], call: cst.Call, argument: cst.Arg) -> bool:
    """``json.load(response)``, ``shutil.copyfileobj(response, out)``: the
    argument is read to its end."""
    position = READS_TO_THE_END.get(callee or "")
    positional = [arg for arg in call.args if arg.keyword is None and arg.star == ""]
    return position is not None and position < len(positional) and positional[position] is argument
