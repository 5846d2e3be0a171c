"""LL108: a logger whose name is built anew on each call."""

from __future__ import annotations

import re
from typing import List, Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.visiting import NodeVisitor, walk
import leaklint.watch as watch
from leaklint.catalog.special_names import FIXED_ATTRIBUTES, FIXED_MODULE_NAMES
from leaklint.core.rule import Rule


class DynamicLoggerName(Rule):
    """
    ## What it finds
    `logging.getLogger()` called inside a function with a name built from
    what the call was given: an f-string, `%` or `+` formatting, or
    `str.format()` with a parameter, an id, a request value. Names made of
    constants, `__name__` and class names stay clean, and so does a logger
    an object names after its own configuration (`self.entity_id`): one per
    configured component, made once, is how users tune log levels. An
    object's peer, connection, request, job or session still counts.

    ## Why it leaks
    The logging module keeps every logger it ever created, by name, for the
    life of the process (`logging.Logger.manager.loggerDict`), with its
    handlers and filters. One logger per user, connection or object is a
    dictionary entry per user, connection or object that is never freed.

    ## Example
    ```python
    import logging

    def handle(connection):
        log = logging.getLogger(f"server.{connection.peer}")
        log.info("accepted")
    ```

    ## Fix
    ```python
    import logging

    log = logging.getLogger("server")

    def handle(connection):
        log.info("accepted", extra={"peer": connection.peer})
    ```
    Or use a `logging.LoggerAdapter` to add the detail to every message.
    """

    code = "LL108"
    summary_text = "`logging.getLogger()` with a name built per call: loggers are never freed"
    checks_test_modules = False
    # Opt-in until precise: on two fresh corpora (16.6M lines) 1 of 3 findings was
    # a leak (ray's per-job logger with a file handler); the others name a logger
    # after a small fixed set (shard ids) or run once per process (an actor).
    # On a third (8.5M lines) 3 of 9: browser-use's per-agent loggers, not zuul's
    # per-connection ones. 4 of 14 over all triages so far.
    default_enabled = False
    name = "dynamic-logger-name"
    message = (
        "logging.getLogger() with a name built on each call; every distinct name is a logger kept for "
        "the life of the process: use a fixed name and put '{part}' in the message or a LoggerAdapter"
    )
    triggers = frozenset({"getLogger"})

    VALID = (
        "import logging\nlog = logging.getLogger(f'{__name__}.worker')\n",
        "import logging\ndef f():\n    return logging.getLogger(__name__)\n",
        "import logging\nclass A:\n    def log(self):\n"
        "        return logging.getLogger(f'{__name__}.{type(self).__name__}')\n",
        "import logging\ndef f():\n    return logging.getLogger('app.' + __name__)\n",
        "import logging\nclass Entity:\n    def added(self):\n"
        "        self.log = logging.getLogger(f'{__name__}.{self.entity_id}')\n",
    )
    INVALID = (
        "import logging\ndef f(user):\n    return logging.getLogger(f'app.{user}')  # expect: LL108\n",
        "import logging\ndef f(conn):\n    return logging.getLogger('conn.%d' % id(conn))  # expect: LL108\n",
        "import logging\nclass Handler:\n    def __init__(self, sock):\n        self.peer = sock.getpeername()\n"
        "        self.log = logging.getLogger(f'conn.{self.peer}')  # expect: LL108\n",
    )

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or self.context.qualified_name(node.func) != "logging.getLogger":
            return
        if not any(isinstance(a, (cst.FunctionDef, cst.Lambda)) for a in self.context.ancestors):
            return  # module level: runs once
        part = _changing_part(node.args[0].value)
        if part is not None:
            self.report(node, watch=watch.registry(watch.LOGGERS), part=part)


def _changing_part(name: cst.BaseExpression) -> Optional[str]:
    """The first piece of a built name that may differ between calls."""
    if isinstance(name, cst.FormattedString):
        for part in name.parts:
            if isinstance(part, cst.FormattedStringExpression) and not _fixed(part.expression):
                return _code(part.expression)
        return None
    if isinstance(name, cst.BinaryOperation) and isinstance(name.operator, (cst.Add, cst.Modulo)):
        for side in _operands(name):
            if not _fixed(side):
                return _code(side)
        return None
    if (
        isinstance(name, cst.Call)
        and isinstance(name.func, cst.Attribute)
        and name.func.attr.value == "format"
        and isinstance(name.func.value, cst.SimpleString)
    ):
        for arg in name.args:
            if not _fixed(arg.value):
                return _code(arg.value)
    return None


def _operands(node: cst.BaseExpression):
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        yield from _operands(node.left)
        yield from _operands(node.right)
    elif isinstance(node, cst.Tuple):
        for element in node.elements:
            yield element.value
    else:
        yield node


# Words naming what comes and goes while a service runs: a logger named
# after one of these is one logger per connection, request, object...
_PER_INSTANCE_WORDS = frozenset(
    {"id", "ident", "uuid", "peer", "addr", "address", "client", "conn", "connection", "request", "req",
     "session", "user", "port", "pid", "thread", "task", "time", "random", "count", "counter", "obj",
     "object", "instance", "url", "host", "ip"}
)
# An object's own port, host or address is what it was configured or bound
# with (a server's listening port), not something that comes and goes.
_TRANSIENT_WORDS = (_PER_INSTANCE_WORDS | {"job", "message", "event"}) - {
    "id", "ident", "count", "counter", "obj", "object", "instance", "port", "host", "ip", "addr", "address", "url",
    "pid",
}


def _fixed(expr: cst.BaseExpression) -> bool:
    """Parts that, as far as their words tell, do not make a logger per
    connection, request or object: constants, ``__name__``, class names,
    ``side.name``; ``conn.peer``, ``id(obj)``, ``user_id`` are not fixed."""
    if isinstance(expr, cst.Name) and expr.value == "self":
        return False  # the object itself, formatted
    if _constant_only(expr):
        return True
    words = _name_parts(expr)
    # ``self.entity_id``, ``self.config_id``: a logger per configured object,
    # made once in its life and named so users can tune it; only words of
    # what comes and goes per connection or request count there.
    changing = _TRANSIENT_WORDS if "self" in words else _PER_INSTANCE_WORDS
    return not any(token in changing for word in words for token in _tokens(word))


def _tokens(identifier: str):
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", identifier)
    return [token for token in spaced.lower().split("_") if token]


def _name_parts(expr: cst.BaseExpression):
    class _Collect(NodeVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.found: List[cst.CSTNode] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.found.append(node.value)

        def visit_Attribute(self, node: cst.Attribute) -> Optional[bool]:
            if node.attr.value in FIXED_ATTRIBUTES:
                return False  # ``type(self).__name__``: the class, not the object
            self.found.append(node.attr.value)
            return None

        def visit_Arg(self, node: cst.Arg) -> None:
            pass

    collector = _Collect()
    walk(expr, collector)
    return collector.found


def _constant_only(expr: cst.BaseExpression) -> bool:
    """Constants, ``__name__``, and names of classes (``type(self).__name__``)."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in FIXED_MODULE_NAMES or expr.value.isupper()
    if isinstance(expr, cst.Attribute):
        return expr.attr.value in FIXED_ATTRIBUTES
    return False


def _code(expr: cst.BaseExpression) -> str:
    text = cst.Module(body=[]).code_for_node(expr)
    return text if len(text) <= 40 else text[:37] + "..."
