"""Resource lifetimes: is what a scope acquires released on every path?

For each ``name = <allocating call>`` in a function (or module) body, the
statements after it are interpreted over a tiny state lattice, structurally
(if/elif/else, loops with break/continue/else, try/except/else/finally, with,
match, return, raise), never through a general control-flow graph:

* ABSENT: not acquired yet on this path; OPEN: acquired and still ours;
  RELEASED: closed by a release method (``close()``, ``os.close(fd)``...);
  ESCAPED: handed to someone else (returned, yielded, stored in an attribute,
  a container or another name, passed to a call that may keep it, used as the
  subject of ``with``, captured by a closure). Once escaped, leaklint stays
  silent: the new owner may close it.
* Each state also remembers whether its path went through an exception
  handler, so a leak on a normal path (LL301) is told from one on an
  exception path (LL302).

Loops are interpreted to a fixpoint of that finite lattice (a handful of
passes at most), so the analysis stays linear in the size of the function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Dict, FrozenSet, Iterator, List, Optional, Protocol, Sequence, Set, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.acquisitions import (
    Acquisition,
    Extract,
    acquisitions_in,
    candidate_statements,
    is_tracked,
    small_statements,
)
from leaklint.analysis.borrowers import BORROWED, RELEASED
from leaklint.analysis.names import dotted_name
from leaklint.analysis.resources import Allocation, QualifiedName, reads_to_the_end
from leaklint.analysis.scopes import earlier_statements, expects_failure, statements_never_run, under_mock_patch
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.catalog.decorators import GENERATOR_CONTEXT_MANAGERS
from leaklint.catalog.non_raising import LOGGING_METHODS, NON_RAISING_DOTTED, NON_RAISING_FUNCTIONS, NON_RAISING_METHODS
from leaklint.catalog.paths import PATH_DERIVING, PATH_DERIVING_MODULES
from leaklint.catalog.process_exits import EXITING_METHODS, PROCESS_EXITS
from leaklint.catalog.resources import (
    CHILD_HANDLE_METHODS,
    EXHAUSTING_CALLS,
    HANDED_OUT_ATTRIBUTES,
    HANDSHAKE_METHODS,
    TRANSPORT_ATTRIBUTES,
)
from leaklint.catalog.test_frameworks import TEST_STOPPING_METHODS, TEST_STOPS

class FileContext(Protocol):
    """What the verdicts need of a rule's context (``leaklint.core.context.FileContext``)."""

    ancestors: List[cst.CSTNode]
    facts: Any  # the file's facts: ``false_constants`` is read

    @property
    def names(self) -> Any: ...

    def shared(self, key: Any, compute: Callable[[], Any]) -> Any: ...


class Status(Enum):
    ABSENT = "absent"
    OPEN = "open"
    RELEASED = "released"
    ESCAPED = "escaped"


# A path's state: what the resource is, and whether an exception got us here.
State = Tuple[Status, bool]

# States only grow from pass to pass and there are 8 of them: a loop's
# fixpoint is reached within 8 passes over its body.
_MAX_LOOP_PASSES = 8


@dataclass(frozen=True)
class Verdict:
    """What became of one acquisition."""

    name: str
    call: cst.Call
    allocation: Allocation
    # Open at the end of some path with no exception: LL301.
    leaks: bool
    # Re-bound while still open.
    rebound: bool
    # Closed on every normal path, but an exception can skip the release: LL302.
    leaks_on_error: bool
    # Re-bound while still open after an exception was caught (a retry loop
    # whose ``except`` block ``continue``s): LL302, whatever other paths do.
    rebound_on_error: bool
    # The first release call, to name its line in messages.
    release: Optional[cst.CSTNode]
    # Followed through a ``@contextmanager`` generator, whose ``yield`` lends it.
    lent_at_yield: bool = False
    # Left open by an exception leaving the scope (with ``explicit_raises_only``:
    # a ``raise`` statement, as in ``__init__`` giving up after opening).
    left_open_by_raise: bool = False
    # Handed over on success, never released here, and open when a handshake
    # with it can fail: what fails leaves it to the garbage collector.
    leaks_on_failed_handshake: bool = False
    # The release on error is in ``except`` clauses that do not catch every
    # exception (``except Exception:`` lets KeyboardInterrupt through).
    uncaught_by_cleanup: bool = False


@dataclass
class _Flow:
    """Where the paths through a block end up."""

    normal: Set[State] = field(default_factory=set)
    returned: Set[State] = field(default_factory=set)
    broken: Set[State] = field(default_factory=set)
    continued: Set[State] = field(default_factory=set)

    def absorb_exits(self, other: "_Flow") -> None:
        self.returned |= other.returned
        self.broken |= other.broken
        self.continued |= other.continued


@dataclass
class _Effect:
    """What one statement or expression does to the tracked name, in the
    order Python does it: the value is used, released or handed over before
    the name is bound again."""

    used: bool = False
    released: Optional[cst.CSTNode] = None  # the releasing call
    escapes: bool = False
    rebinds: bool = False


@dataclass(frozen=True)
class ReleaseFacts:
    """How a kind of resource is let go: methods on it, or functions taking it."""

    methods: FrozenSet[str]
    functions: FrozenSet[str] = frozenset()  # ``os.close(fd)``
    # Calls that do not keep what is passed to them (``json.load(f)``).
    borrowers: FrozenSet[str] = frozenset()
    # ``with f:`` releases f.
    exit_releases: bool = True
    # Iterating it to the end releases it (``for line in fileinput.input()``).
    released_by_exhaustion: bool = False
    # Storing or returning a value computed from it hands it over (paths).
    derived_values_hand_over: bool = False
    # Formatting it into text hands it over (a descriptor number put in a
    # command line or a script that another part of the program runs).
    text_hands_over: bool = False
    # What a function of the file does with an argument: BORROWED, RELEASED
    # (``leaklint.analysis.borrowers``) or None (it may keep it).
    local_use: Optional[Callable[["cst.Call", "cst.Arg"], Optional[str]]] = None
    # Calls only use it, unless named for taking charge of it (a path: no
    # callee can release a string by accident); see ``takes_charge``.
    takes_charge: Optional[Callable[["cst.BaseExpression"], bool]] = None
    # Parts whose own close() releases it (``proc.stdout.close()``).
    parts: FrozenSet[str] = frozenset()
    # Names of the file's classes whose construction cannot fail (see
    # ``leaklint.analysis.borrowers.plain_classes``).
    safe_calls: FrozenSet[str] = frozenset()
    # A buffered file: writing a short literal to it only fills its buffer.
    buffered: bool = False


def _replace(states: Set[State], old: Status, new: Status) -> Set[State]:
    return {(new, exc) if status is old else (status, exc) for status, exc in states}


class _Interpreter:
    """Follows one acquisition through the statements of its scope.

    Where an exception may be raised, the states of that moment go to the
    innermost *sink*: a ``try`` collects them for its handlers, and whatever
    no handler catches passes through ``finally`` (and through ``with f:``,
    which closes f) to the sink outside. The outermost sink holds the states
    in which an exception leaves the scope.
    """

    def __init__(
        self,
        name: str,
        acquisition: cst.BaseSmallStatement,
        facts: ReleaseFacts,
        qualified_name: QualifiedName,
    ) -> None:
        self.name = name
        self.acquisition = acquisition
        self.facts = facts
        self.qualified_name = qualified_name
        self.rebound = False  # re-bound while open, on a normal path
        self.rebound_on_error = False  # ... on a path through an exception handler
        self.release: Optional[cst.CSTNode] = None
        # Released by handlers that let some exceptions pass (``except Exception:``).
        self.uncaught_by_cleanup = False
        # Open when a handshake with it (``transport.connect()``) may fail.
        self.failed_handshake = False
        # One ``except`` clause releases it, another leaves with it open.
        self.handlers_disagree = False
        # An early ``return`` (in a branch) that neither releases nor hands it over.
        self.returned_open = False
        # How many ``if`` branches and ``try ... finally`` bodies enclose the statement.
        self.branches = 0
        self.finally_blocks = 0
        self.effects: Dict[int, _Effect] = {}
        self.handshakes: Dict[int, bool] = {}
        self.sinks: List[Set[State]] = [set()]
        # Inside ``finally``: clean-up code, whose own failures are not the
        # window LL302 is about (``if a: a.close()`` before ``b.close()``).
        self.cleaning_up = 0
        # Names whose truth goes with the resource being open (see ``flags_of``).
        self.flags: FrozenSet[str] = frozenset()
        # In a ``@contextmanager`` function, ``yield`` lends the value to the
        # ``with`` block and raises whatever that block raised.
        self.yield_lends = False
        # A coroutine's body: CancelledError may be raised at any ``await``.
        self.cancellable = False
        # Only ``raise`` statements fail (a constructor that gives up on purpose).
        self.explicit_raises_only = False

    @property
    def escaping_exceptions(self) -> Set[State]:
        return self.sinks[0]

    # -- blocks -----------------------------------------------------------------

    def block(self, body: Sequence[cst.CSTNode], states: Set[State]) -> _Flow:
        flow = _Flow()
        current = set(states)
        for statement in body:
            if not current:
                break  # unreachable
            result = self.statement(statement, current)
            flow.absorb_exits(result)
            current = result.normal
        flow.normal = current
        return flow

    def suite(self, suite: cst.BaseSuite, states: Set[State]) -> _Flow:
        return self.block(suite.body, states)

    # -- statements -------------------------------------------------------------

    def statement(self, node: cst.CSTNode, states: Set[State]) -> _Flow:
        if isinstance(node, cst.SimpleStatementLine):
            return self.block(node.body, states)
        if isinstance(node, cst.If):
            return self.if_(node, states)
        if isinstance(node, (cst.For, cst.While)):
            return self.loop(node, states)
        if isinstance(node, cst.Try):
            return self.try_(node, states)
        if isinstance(node, cst.With):
            return self.with_(node, states)
        if isinstance(node, cst.Match):
            return self.match(node, states)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            # A nested definition that mentions the name may keep it (a closure).
            return _Flow(normal=self.apply(node, states))
        if isinstance(node, cst.Return):
            self.may_raise(node, states)  # ``return ctx.wrap_socket(sock)``
            returned = self.apply(node, states)
            early = self.branches > 0 and self.finally_blocks == 0  # not through a ``finally`` that may close it
            if early and any(status is Status.OPEN and not exc for status, exc in returned):
                self.returned_open = True  # ``if not ranges: return HTTPError(416)``, with the file open
            return _Flow(returned=returned)
        if isinstance(node, cst.Raise):
            self.raise_from(self.apply(node, states))
            return _Flow()
        if isinstance(node, cst.Break):
            return _Flow(broken=set(states))
        if isinstance(node, cst.Continue):
            return _Flow(continued=set(states))
        if isinstance(node, cst.BaseSmallStatement):
            return _Flow(normal=self.small(node, states))
        # TryStar and anything newer: cannot follow it, so stop tracking.
        return _Flow(normal=_replace(set(states), Status.OPEN, Status.ESCAPED))

    def small(self, node: cst.BaseSmallStatement, states: Set[State]) -> Set[State]:
        if node is self.acquisition:
            self._note_rebinding(states)
            return {(Status.OPEN, exceptional) for _, exceptional in states}
        if _ends_path(node, self.qualified_name):
            # ``os._exit(code)``, ``self.fail(msg)``: nothing after it runs,
            # nothing is left open, and no handler of the function is meant to catch it.
            return set()
        self.may_raise(node, states)
        after = self.apply(node, states)
        if self.yield_lends and _yields(node):
            self.raise_from(after)  # the ``with`` block's exception comes out of the yield
        return after

    def may_raise(self, node: cst.CSTNode, states: Set[State]) -> None:
        """Send ``states`` to the innermost sink if ``node`` can raise."""
        if self.explicit_raises_only:
            return
        if not self.cleaning_up and self.can_raise(node):
            self.raise_from(states)
            if any(status is Status.OPEN for status, _ in states) and self.shakes_hands(node):
                self.failed_handshake = True

    def shakes_hands(self, node: cst.CSTNode) -> bool:
        key = id(node)
        if key not in self.handshakes:
            self.handshakes[key] = _shakes_hands(node, self.name)
        return self.handshakes[key]

    def raise_from(self, states: Set[State]) -> None:
        """An exception may be raised in ``states``: its path is exceptional."""
        self.sinks[-1].update((status, True) for status, _ in states)

    def if_(self, node: cst.If, states: Set[State]) -> _Flow:
        states = self.apply(node.test, states)
        none_branch = _none_test_branch(node.test, self.name) or _flag_test_branch(node.test, self.flags)
        body_in = _forget_if(states, none_branch == "body")
        else_in = _forget_if(states, none_branch == "else")
        self.branches += 1
        try:
            return self._branches(node, body_in, else_in)
        finally:
            self.branches -= 1

    def _branches(self, node: cst.If, body_in: Set[State], else_in: Set[State]) -> _Flow:
        flow = self.suite(node.body, body_in)
        if node.orelse is None:
            flow.normal |= else_in
            return flow
        if isinstance(node.orelse, cst.If):
            other = self.if_(node.orelse, else_in)
        else:
            other = self.suite(node.orelse.body, else_in)
        flow.absorb_exits(other)
        flow.normal |= other.normal
        return flow

    def loop(self, node: "cst.For | cst.While", states: Set[State]) -> _Flow:
        header = node.iter if isinstance(node, cst.For) else node.test
        entry = self.apply(header, states)
        if isinstance(node, cst.For) and self.facts.released_by_exhaustion and is_tracked(node.iter, self.name):
            entry = _replace(entry, Status.OPEN, Status.ESCAPED)  # exhausted, or left to its owner
        if isinstance(node, cst.For) and _binds(node.target, self.name):
            entry = self.apply_effect(_Effect(rebinds=True), entry)
        flow = _Flow()
        seen = set(entry)
        body = _Flow()
        for _ in range(_MAX_LOOP_PASSES):
            body = self.suite(node.body, seen)
            again = seen | body.normal | body.continued
            if again == seen:
                break
            seen = again
        flow.returned |= body.returned
        endless = isinstance(node, cst.While) and _is_true(node.test)
        leaving = set() if endless else set(seen)  # the test fails / iterator ends
        if isinstance(node, cst.While) and _polls_until_done(node.test, self.name):
            leaving = _replace(leaving, Status.OPEN, Status.RELEASED)  # the child has been reaped
        if node.orelse is not None and leaving:
            other = self.suite(node.orelse.body, leaving)
            flow.absorb_exits(other)
            leaving = other.normal
        flow.normal = leaving | body.broken
        return flow

    def try_(self, node: cst.Try, states: Set[State]) -> _Flow:
        self.sinks.append(set())
        guarded = node.finalbody is not None
        self.finally_blocks += guarded
        body = self.block(node.body.body, states)
        raised_in_body = self.sinks.pop()

        # Exceptions from ``else`` and the handlers, and those no handler
        # catches, leave through ``finally``.
        self.sinks.append(set() if node.handlers else raised_in_body)
        flow = _Flow()
        flow.absorb_exits(body)
        flow.normal = set(body.normal)
        if node.orelse is not None:
            other = self.suite(node.orelse.body, body.normal)
            flow.absorb_exits(other)
            flow.normal = other.normal
        handler_in = raised_in_body
        leaves_open = False  # some handler re-raises, returns or loops with it open
        for handler in node.handlers if handler_in else ():
            sink = self.sinks[-1]
            before = set(sink)
            result = self.suite(handler.body, handler_in)
            flow.absorb_exits(result)
            flow.normal |= result.normal
            exits = (sink - before) | result.returned | result.continued | result.broken
            leaves_open = leaves_open or any(status is Status.OPEN for status, _ in exits)
        if leaves_open and self._released_in_handlers(node):
            # ``except OSError: sock.close(); raise`` beside ``except
            # socket.timeout: raise``: the handlers disagree on who closes it.
            self.handlers_disagree = True
        self.finally_blocks -= guarded  # the body, ``else`` and handlers leave through ``finally``
        leaving = self.sinks.pop()
        if handler_in and self._cleans_up_for_some_exceptions(node):
            # ``except Exception: f.close(); raise``: a KeyboardInterrupt or
            # a cancelled task's CancelledError passes by the clean-up.
            leaving |= handler_in
            if any(status is Status.OPEN for status, _ in handler_in):
                self.uncaught_by_cleanup = True
        if node.finalbody is not None:
            flow = self._through_finally(node.finalbody, flow)
            if leaving:
                leaving = self.clean_up(node.finalbody, leaving).normal
        self.sinks[-1].update(leaving)
        return flow

    def _cleans_up_for_some_exceptions(self, node: cst.Try) -> bool:
        """Clean-up that re-raises (``except E: f.close(); raise``) for some
        exceptions only. In a coroutine, ``except Exception:`` lets a
        cancelled task's CancelledError by (tasks are cancelled on every
        timeout; KeyboardInterrupt passes it by too, but mostly ends the
        program). Narrower handlers (``except HTTPError:``) let every other
        exception by when the ``try`` runs code other than the resource's own
        methods (``session.send(request)``): ``except OSError: sock.close()``
        around ``sock.connect(address)`` says which failures it expects."""
        if any(
            handler.type is None or _catches(handler, "builtins.BaseException", self.qualified_name)
            for handler in node.handlers
        ):
            return False
        cleaning = [
            handler
            for handler in node.handlers
            if _reraises(handler) and any(self.effect(line).released is not None for line in small_statements(handler.body))
        ]
        if not cleaning:
            return False
        if any(_catches(handler, "builtins.Exception", self.qualified_name) for handler in node.handlers):
            return self.cancellable and any(
                _catches(handler, "builtins.Exception", self.qualified_name) for handler in cleaning
            )
        return _calls_other_code(node.body, self.name)

    def _released_in_handlers(self, node: cst.Try) -> bool:
        return any(
            self.effect(line).released is not None for handler in node.handlers for line in small_statements(handler.body)
        )

    def _through_finally(self, final: cst.Finally, flow: _Flow) -> _Flow:
        """Every way out of the ``try`` passes through ``finally``."""
        result = _Flow()
        for attribute in ("normal", "returned", "broken", "continued"):
            states = getattr(flow, attribute)
            if not states:
                continue
            through = self.clean_up(final, states)
            result.absorb_exits(through)
            getattr(result, attribute).update(through.normal)
        return result

    def clean_up(self, final: cst.Finally, states: Set[State]) -> _Flow:
        self.cleaning_up += 1
        try:
            return self.suite(final.body, states)
        finally:
            self.cleaning_up -= 1

    def with_(self, node: cst.With, states: Set[State]) -> _Flow:
        subject = self.facts.exit_releases and any(
            is_tracked(item.item, self.name) or _is_part(item.item, self.name, self.facts.parts)
            for item in node.items
        )
        for item in node.items:
            if not is_tracked(item.item, self.name):  # ``with f as f:`` binds the same object
                states = self.apply(item, states)
        if not subject:
            flow = self.suite(node.body, states)
            expected_to_fail = any(expects_failure(item.item, self.qualified_name) for item in node.items)
            if expected_to_fail and mentions(node.body, self.name):
                # The block is meant to fail part-way: what it leaves open is unknown.
                flow.normal = _replace(flow.normal, Status.OPEN, Status.ESCAPED)
            return flow
        # ``with f:`` hands f to its own context manager: closed on every way out.
        self.sinks.append(set())
        flow = self.suite(node.body, states)
        raised = self.sinks.pop()
        self.sinks[-1].update(_replace(raised, Status.OPEN, Status.ESCAPED))
        flow.normal = _replace(flow.normal, Status.OPEN, Status.ESCAPED)
        flow.returned = _replace(flow.returned, Status.OPEN, Status.ESCAPED)
        flow.broken = _replace(flow.broken, Status.OPEN, Status.ESCAPED)
        flow.continued = _replace(flow.continued, Status.OPEN, Status.ESCAPED)
        return flow

    def match(self, node: cst.Match, states: Set[State]) -> _Flow:
        states = self.apply(node.subject, states)
        flow = _Flow(normal=set(states))  # no case may match
        for case in node.cases:
            result = self.suite(case.body, states)
            flow.absorb_exits(result)
            flow.normal |= result.normal
        return flow

    # -- effects of one statement or expression --------------------------------

    def apply(self, node: cst.CSTNode, states: Set[State]) -> Set[State]:
        return self.apply_effect(self.effect(node), states)

    def apply_effect(self, effect: _Effect, states: Set[State]) -> Set[State]:
        if effect.released is not None:
            if self.release is None and any(status is Status.OPEN for status, _ in states):
                self.release = effect.released  # the close of this acquisition, for messages
            states = _replace(states, Status.OPEN, Status.RELEASED)
        if effect.escapes:
            states = _replace(states, Status.OPEN, Status.ESCAPED)
        if effect.rebinds:
            # The name now refers to something else: ours is lost if still
            # open (noted once, then no longer followed).
            self._note_rebinding(states)
            states = _replace(states, Status.OPEN, Status.ESCAPED)
        return states

    def _note_rebinding(self, states: Set[State]) -> None:
        if any(status is Status.ESCAPED for status, _ in states):
            # Some path handed it over: the paths merged here are likely not
            # all possible together (``if wrapped: ...`` flags), so say nothing.
            return
        for status, exceptional in states:
            if status is Status.OPEN:
                if exceptional:
                    self.rebound_on_error = True
                else:
                    self.rebound = True

    def effect(self, node: cst.CSTNode) -> _Effect:
        key = id(node)
        if key not in self.effects:
            finder = _EffectFinder(self.name, self.facts, self.qualified_name, yield_lends=self.yield_lends)
            walk(node, finder)
            self.effects[key] = finder.effect
        return self.effects[key]

    def can_raise(self, node: cst.CSTNode) -> bool:
        effect = self.effect(node)
        if effect.escapes and effect.released is None and self.shakes_hands(node):
            # A hand-over that fails (``ctx.wrap_socket(sock)`` on a bad
            # certificate) did not take it: it is still ours.
            return _contains_raising_operation(node, self.facts.safe_calls)
        if effect.released is not None or effect.escapes:
            # ``f.close()``, ``out = proc.communicate()``, ``files.append(f)``:
            # the release or hand-over itself is not a moment of risk.
            return False
        if _closes_a_part(node, self.name, self.facts.methods):
            return False  # ``proc.stdout.close()`` before ``proc.wait()``: part of the release
        if self.facts.buffered and _writes_short_literal(node, self.name):
            return False  # ``f.write("hello")``: into the buffer; the flush is the close's
        return _contains_raising_operation(node, self.facts.safe_calls)


# Well under io.DEFAULT_BUFFER_SIZE (8 KiB): a write this short never flushes.
_SHORT_WRITE = 1024


def _writes_short_literal(node: cst.CSTNode, name: str) -> bool:
    """``f.write("hello")``, ``f.write(b"data")``: one short literal, no formatting."""
    if not (isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)):
        return False
    call = node.value
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "write" and is_tracked(func.value, name)):
        return False
    if len(call.args) != 1 or not isinstance(call.args[0].value, (cst.SimpleString, cst.ConcatenatedString)):
        return False
    text = call.args[0].value.evaluated_value
    return text is not None and len(text) <= _SHORT_WRITE


class _EffectFinder(NodeVisitor):
    """Everything one statement (or a compound statement's header) does to
    the tracked name; bodies of compound statements are walked by the
    interpreter, not here."""

    def __init__(
        self, name: str, facts: ReleaseFacts, qualified_name: QualifiedName, yield_lends: bool = False
    ) -> None:
        super().__init__()
        self.name = name
        self.facts = facts
        self.qualified_name = qualified_name
        self.yield_lends = yield_lends
        self.effect = _Effect()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and is_tracked(func.value, self.name):
            method = func.attr.value
            # "read()" in the facts: releases only when called without arguments.
            if method in self.facts.methods or (not node.args and f"{method}()" in self.facts.methods):
                self.effect.released = self.effect.released or node
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "close"
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value in self.facts.parts
            and is_tracked(func.value.value, self.name)
        ):
            self.effect.released = self.effect.released or node  # ``proc.stdout.close()``
        for arg in node.args:
            value = arg.value
            if (
                isinstance(value, cst.Attribute)
                and is_tracked(value.value, self.name)
                and (
                    value.attr.value in self.facts.methods
                    or value.attr.value in HANDED_OUT_ATTRIBUTES
                    or _is_dunder(value.attr.value)
                )
            ):
                # ``stack.callback(f.close)``, ``wait_process(proc.pid)``,
                # ``assertRaises(E, conn.__init__, db)``: someone else may release it.
                self.effect.escapes = True
            elif self._names_part(value) or (
                isinstance(value, cst.Attribute) and value.attr.value == "close" and self._names_part(value.value)
            ):
                # ``t.cast(IO, proc.stdin)``, ``self.addCleanup(proc.stdout.close)``:
                # the pipe is in other hands, which may close it.
                self.effect.escapes = True
            elif is_tracked(value, self.name):
                callee = self.qualified_name(func)
                if self.facts.released_by_exhaustion and (
                    callee in EXHAUSTING_CALLS or reads_to_the_end(callee, node, arg)
                ):
                    self.effect.released = self.effect.released or node
                elif callee in self.facts.functions:
                    self.effect.released = self.effect.released or node
                elif callee in self.facts.borrowers:
                    pass
                elif self.facts.local_use is not None and self.facts.local_use(node, arg) == RELEASED:
                    self.effect.released = self.effect.released or node
                elif self.facts.takes_charge is not None:
                    if self.facts.takes_charge(func):
                        self.effect.escapes = True
                elif self.facts.local_use is None or self.facts.local_use(node, arg) != BORROWED:
                    # An unknown callee may keep it: stay silent from here on.
                    self.effect.escapes = True

    def _names_part(self, expr: cst.BaseExpression) -> bool:
        return _is_part(expr, self.name, self.facts.parts)

    def _escapes_if_name(self, value: Optional[cst.BaseExpression], kept: bool = True) -> None:
        """``value`` is returned or stored: does the tracked name go with it?
        A value derived from a path (``fname.lower()``) names the same file,
        when it is ``kept`` beyond the scope (returned, stored on an object)."""
        direct_only = not (self.facts.derived_values_hand_over and kept)
        if value is None:
            return
        if not direct_only and self.facts.takes_charge is not None:
            # A path: ``os.path.join(d, "x")`` names it, ``report(d)`` does not.
            if _names_path_of(value, self.name):
                self.effect.escapes = True
        elif mentions(value, self.name, direct_only=direct_only):
            self.effect.escapes = True

    def visit_Return(self, node: cst.Return) -> None:
        self._escapes_if_name(node.value)
        if node.value is not None and (self._hands_out_release(node.value) or self._hands_out_child(node.value)):
            # ``return sock.close, port``: the caller will release it; ``return
            # archive.open(name)``, ``return h5file[key]``: what is returned holds it
            self.effect.escapes = True

    def _hands_out_child(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Subscript):
            return is_tracked(value.value, self.name)
        return (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in CHILD_HANDLE_METHODS
            and is_tracked(value.func.value, self.name)
        )

    def _hands_out_release(self, value: cst.BaseExpression) -> bool:
        finder = _ReleaseHandles(self.name, self.facts.methods)
        walk(value, finder)
        return finder.found

    def visit_Yield(self, node: cst.Yield) -> None:
        if self.yield_lends:
            return  # lent to the ``with`` block for its duration, still ours
        if isinstance(node.value, cst.BaseExpression):
            self._escapes_if_name(node.value)
        elif node.value is not None:  # ``yield from``
            self._escapes_if_name(node.value.item)

    def visit_Assign(self, node: cst.Assign) -> None:
        kept = any(not isinstance(target.target, cst.Name) for target in node.targets)
        self._escapes_if_name(node.value, kept)
        if self._names_part(node.value):
            self.effect.escapes = True  # ``stdin = proc.stdin``, closed through the alias
        value = node.value
        if (
            isinstance(value, cst.Attribute)
            and is_tracked(value.value, self.name)
            and value.attr.value in self.facts.methods
        ):
            self.effect.escapes = True  # ``flush = f.close``: called through the new name
        if any(_binds(target.target, self.name) for target in node.targets):
            # ``path = os.path.abspath(path)`` names the same thing, derived;
            # anything that took the old value over has made it escape already.
            if not mentions(node.value, self.name):
                self.effect.rebinds = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._escapes_if_name(node.value)
        if node.value is not None and _binds(node.target, self.name):
            self.effect.rebinds = True

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._escapes_if_name(node.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        # ``conn.sock = FakeSocket()``: its transport is replaced, whatever
        # it holds now belongs to whoever put it there.
        target = node.target
        if isinstance(target, cst.Attribute) and is_tracked(target.value, self.name):
            if target.attr.value in TRANSPORT_ATTRIBUTES:
                self.effect.escapes = True

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._escapes_if_name(node.value)
        if _binds(node.target, self.name):
            self.effect.rebinds = True

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and _binds(node.asname.name, self.name):
            self.effect.rebinds = True

    def visit_Del(self, node: cst.Del) -> None:
        if _binds(node.target, self.name):
            self.effect.escapes = True  # dropped on purpose; the collector closes it

    def visit_Global(self, node: cst.Global) -> None:
        if any(item.name.value == self.name for item in node.names):
            self.effect.escapes = True

    visit_Nonlocal = visit_Global

    def _element(self, node: "cst.BaseElement | cst.BaseDictElement") -> None:
        for part in (getattr(node, "value", None), getattr(node, "key", None)):
            if part is not None and is_tracked(part, self.name):
                self.effect.escapes = True

    visit_Element = visit_StarredElement = visit_DictElement = _element

    def _nested_scope(self, node: cst.CSTNode) -> bool:
        if mentions(node, self.name):
            self.effect.escapes = True  # a closure keeps it
        return False

    visit_Lambda = visit_FunctionDef = visit_ClassDef = _nested_scope

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.effect.used = True

    def visit_FormattedStringExpression(self, node: cst.FormattedStringExpression) -> None:
        if self.facts.text_hands_over and mentions(node.expression, self.name):
            self.effect.escapes = True

    # The interpreter walks compound statements' bodies itself.
    def _header_only(self, node: cst.CSTNode) -> bool:
        return False

    visit_IndentedBlock = visit_SimpleStatementSuite = _header_only


def exits_process(statement: cst.CSTNode, qualified_name: QualifiedName) -> bool:
    """``os._exit(0)``, ``sys.exit(main())``, ``raise SystemExit(1)``,
    ``module.fail_json(...)``, ``os.execv(...)``: the process ends here."""
    if isinstance(statement, cst.SimpleStatementLine):
        return any(exits_process(small, qualified_name) for small in statement.body)
    if isinstance(statement, cst.Raise) and statement.exc is not None:
        raised = statement.exc.func if isinstance(statement.exc, cst.Call) else statement.exc
        return qualified_name(raised) == "builtins.SystemExit"
    func = _statement_callee(statement)
    if func is None:
        return False
    return (isinstance(func, cst.Attribute) and func.attr.value in EXITING_METHODS) or (
        qualified_name(func) in PROCESS_EXITS
    )


def _ends_path(statement: cst.BaseSmallStatement, qualified_name: QualifiedName) -> bool:
    """The process ends here, or a test fails or skips (``self.fail(msg)``,
    ``pytest.skip()``): nothing after the statement runs."""
    if exits_process(statement, qualified_name):
        return True
    func = _statement_callee(statement)
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        return func.attr.value in TEST_STOPPING_METHODS
    return func is not None and qualified_name(func) in TEST_STOPS


def _statement_callee(statement: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """What a statement that is only a call calls."""
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        return statement.value.func
    return None


def after_a_dead_end(ancestors: Sequence[cst.CSTNode], qualified_name: QualifiedName) -> bool:
    """Whether an earlier statement of the block that holds the end of
    ``ancestors`` always raises or ends the process (``raise``, ``assert
    False``, ``sys.exit()``, ``self.fail()``): the code never runs."""
    return any(_dead_end(small, qualified_name) for small in earlier_statements(ancestors))


def _dead_end(statement: cst.CSTNode, qualified_name: QualifiedName) -> bool:
    if isinstance(statement, cst.Raise):
        return True
    if isinstance(statement, cst.Assert):
        test = statement.test
        return (isinstance(test, cst.Name) and test.value == "False") or (
            isinstance(test, cst.Integer) and test.value == "0"
        )
    return isinstance(statement, cst.BaseSmallStatement) and _ends_path(statement, qualified_name)


class _Finder(NodeVisitor):
    """Looks for something about ``name`` in one statement, not in the
    functions, lambdas or classes nested in it; ``found`` says if it did."""

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.name = name
        self.found = False

    def _skip(self, node: cst.CSTNode) -> bool:
        return False

    visit_Lambda = visit_FunctionDef = visit_ClassDef = _skip


def _finds(finder: _Finder, node: cst.CSTNode) -> bool:
    walk(node, finder)
    return finder.found


class _OtherCalls(_Finder):
    """Calls other than the tracked resource's own methods (and the safe ones)."""

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and is_tracked(func.value, self.name):
            return
        if isinstance(func, cst.Name) and func.value in NON_RAISING_FUNCTIONS:
            return
        self.found = True


def _calls_other_code(node: cst.CSTNode, name: str) -> bool:
    return _finds(_OtherCalls(name), node)


def _catches(handler: cst.ExceptHandler, exception: str, qualified_name: QualifiedName) -> bool:
    """Whether ``handler`` names ``exception`` (a bare ``except:`` names BaseException)."""
    if handler.type is None:
        return exception == "builtins.BaseException"
    types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
    return any(qualified_name(kind) == exception for kind in types)


def _reraises(handler: cst.ExceptHandler) -> bool:
    """The handler ends with a bare ``raise`` (on its own lines or on one)."""
    last = handler.body.body[-1] if handler.body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1]
    return isinstance(last, cst.Raise) and last.exc is None


class _Handshakes(_Finder):
    """``conn.login(...)``, ``ctx.wrap_socket(conn)``: a handshake with ``name``
    (in the statement's header: compound bodies are interpreted on their own)."""

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in HANDSHAKE_METHODS):
            return
        if is_tracked(func.value, self.name) or any(is_tracked(arg.value, self.name) for arg in node.args):
            self.found = True

    visit_IndentedBlock = visit_SimpleStatementSuite = _Finder._skip


def _shakes_hands(node: cst.CSTNode, name: str) -> bool:
    return _finds(_Handshakes(name), node)


class _YieldFinder(_Finder):
    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True


def _yields(node: cst.CSTNode) -> bool:
    return _finds(_YieldFinder(), node)


def lends_at_yield(function: cst.FunctionDef, qualified_name: QualifiedName) -> bool:
    """Whether ``function`` is a ``@contextmanager`` (or async) generator."""
    return any(
        qualified_name(decorator.decorator) in GENERATOR_CONTEXT_MANAGERS for decorator in function.decorators
    )


def _is_part(expr: cst.BaseExpression, name: str, parts: FrozenSet[str]) -> bool:
    """``proc.stdout``: a part of the tracked resource whose own close()
    releases it (``with proc.stdin as pipe:``, ``proc.stdout.close()``)."""
    return isinstance(expr, cst.Attribute) and expr.attr.value in parts and is_tracked(expr.value, name)


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")



def _binds(target: cst.BaseExpression, name: str) -> bool:
    if is_tracked(target, name):
        return True
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(element.value, name) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False


class _Mentions(NodeVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.found = True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if is_tracked(node, self.name):
            self.found = True
        else:
            walk(node.value, self)  # ``x.name`` is not the name
        return False


def mentions(node: cst.CSTNode, name: str, direct_only: bool = False) -> bool:
    """Whether ``node`` refers to ``name``; with ``direct_only``, as the value
    itself or an element of a tuple/list/set/dict display (not ``f.read()``)."""
    if direct_only:
        if is_tracked(node, name):
            return True
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            return any(mentions(e.value, name, True) for e in node.elements)
        if isinstance(node, cst.Dict):
            return any(
                mentions(e.value, name, True) or (isinstance(e, cst.DictElement) and is_tracked(e.key, name))
                for e in node.elements
            )
        if isinstance(node, (cst.Await,)):
            return mentions(node.expression, name, True)
        return False
    finder = _Mentions(name)
    walk(node, finder)
    return finder.found


class _PathMentions(_Mentions):
    """Mentions of a path in a value that still names it: not as an argument
    of a call that only uses it (``build(d)``)."""

    def visit_Call(self, node: cst.Call) -> bool:
        dotted = dotted_name(node.func) or ""
        if dotted.startswith(PATH_DERIVING_MODULES) or dotted.rsplit(".", 1)[-1] in PATH_DERIVING:
            return True
        walk(node.func, self)  # ``d.rstrip("/")``
        return False


def _names_path_of(node: cst.CSTNode, name: str) -> bool:
    finder = _PathMentions(name)
    walk(node, finder)
    return finder.found


class _RaiseFinder(NodeVisitor):
    """Calls, subscript lookups, awaits, asserts and raises: what can raise."""

    def __init__(self, safe_calls: FrozenSet[str] = frozenset()) -> None:
        super().__init__()
        self.found = False
        self._stored_into: Set[int] = set()
        self._safe_calls = safe_calls

    def _hit(self, node: cst.CSTNode) -> bool:
        self.found = True
        return False

    visit_Await = visit_Assert = visit_Raise = _hit

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        if id(node) in self._stored_into:
            return True  # ``table[key] = value``: a store, not a lookup that can miss
        return self._hit(node)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Subscript):
            self._stored_into.add(id(node.target))

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        safe = (
            (isinstance(func, cst.Attribute) and func.attr.value in NON_RAISING_METHODS)
            or (isinstance(func, cst.Name) and (func.value in NON_RAISING_FUNCTIONS or func.value in self._safe_calls))
            or (isinstance(func, cst.Attribute) and dotted_name(func) in NON_RAISING_DOTTED)
            # ``proc.wait()``, ``event.wait()``: waiting with no timeout does not fail
            or (isinstance(func, cst.Attribute) and func.attr.value == "wait" and not node.args)
            or _is_logging_call(func)
            or _joins_text(func)
        )
        if not safe:
            self.found = True
            return False
        return True  # its arguments may still raise

    def _skip(self, node: cst.CSTNode) -> bool:
        return False  # not run here: bodies of nested code, compound bodies

    visit_Lambda = visit_FunctionDef = visit_ClassDef = _skip
    visit_IndentedBlock = visit_SimpleStatementSuite = _skip


def _joins_text(func: cst.BaseExpression) -> bool:
    """``b"\\n".join(parts)``: building text in memory, not work that fails half-way."""
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "join"
        and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_logging_call(func: cst.BaseExpression) -> bool:
    """``log.debug(...)``, ``self.logger.info(...)``: logging reports its
    handlers' failures itself instead of raising them. So does a function
    named for logging (``log(...)``, ``log_function(...)``, ``debug_log(...)``)."""
    if isinstance(func, cst.Name):
        name = func.value.lower()
        return name == "log" or name.startswith("log_") or name.endswith("_log")
    if not (isinstance(func, cst.Attribute) and func.attr.value in LOGGING_METHODS):
        return False
    receiver = func.value
    last = receiver.attr.value if isinstance(receiver, cst.Attribute) else getattr(receiver, "value", "")
    return isinstance(last, str) and "log" in last.lower()


def _contains_raising_operation(node: cst.CSTNode, safe_calls: FrozenSet[str] = frozenset()) -> bool:
    finder = _RaiseFinder(safe_calls)
    walk(node, finder)
    return finder.found


def _none_test_branch(test: cst.BaseExpression, name: str) -> Optional[str]:
    """Which branch of ``if test:`` runs when ``name`` is None or some other
    object than the resource (so nothing of ours is open there): ``if f:`` /
    ``if f is not None:`` / ``if f is not sys.stdout:`` -> "else";
    ``if f is None:`` / ``if not f:`` -> "body"."""
    if is_tracked(test, name):
        return "else"
    if isinstance(test, cst.Attribute) and test.attr.value == "closed" and is_tracked(test.value, name):
        return "body"  # ``if f.closed:`` -- nothing open to close there
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _none_test_branch(test.expression, name)
        return {"else": "body", "body": "else"}.get(inner or "")
    if isinstance(test, cst.Comparison) and is_tracked(test.left, name) and len(test.comparisons) == 1:
        # ``f is not sys.stdin``: where f *is* that other object, it is not ours.
        target = test.comparisons[0]
        is_none = isinstance(target.comparator, cst.Name) and target.comparator.value == "None"
        if isinstance(target.operator, cst.IsNot) or (is_none and isinstance(target.operator, cst.NotEqual)):
            return "else"
        if isinstance(target.operator, cst.Is) or (is_none and isinstance(target.operator, cst.Equal)):
            return "body"
        if _above_standard_streams(target):
            # ``if fd > 2: os.close(fd)`` after ``dup2()``: a descriptor of 0, 1
            # or 2 is a standard stream now, which must stay open.
            return "else"
    return None


def _above_standard_streams(comparison: cst.ComparisonTarget) -> bool:
    """``> 2``, ``>= 3``, ``not in (0, 1, 2)``."""
    operator, value = comparison.operator, comparison.comparator
    if isinstance(value, cst.Integer):
        number = value.evaluated_value
        return (isinstance(operator, cst.GreaterThan) and number == 2) or (
            isinstance(operator, cst.GreaterThanEqual) and number == 3
        )
    if isinstance(operator, cst.NotIn) and isinstance(value, (cst.Tuple, cst.List, cst.Set)):
        numbers = {element.value.evaluated_value for element in value.elements if isinstance(element.value, cst.Integer)}
        return numbers == {0, 1, 2} and len(value.elements) == 3
    return False


class _ReleaseHandles(NodeVisitor):
    """``f.close`` (not called): a handle on the release, for someone else."""

    def __init__(self, name: str, methods: FrozenSet[str]) -> None:
        super().__init__()
        self.name = name
        self.methods = methods
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in self.methods and is_tracked(node.value, self.name):
            self.found = True


def _polls_until_done(test: cst.BaseExpression, name: str) -> bool:
    """``while proc.poll() is None:``: once it ends, the process has been waited for."""
    return (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
        and isinstance(test.left, cst.Call)
        and isinstance(test.left.func, cst.Attribute)
        and test.left.func.attr.value == "poll"
        and is_tracked(test.left.func.value, name)
    )


def _closes_a_part(node: cst.CSTNode, name: str, methods: FrozenSet[str]) -> bool:
    """``proc.stdout.close()``: a releasing call on an attribute of the resource."""
    if not (isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)):
        return False
    func = node.value.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in methods
        and isinstance(func.value, cst.Attribute)
        and is_tracked(func.value.value, name)
    )


def flags_of(body: Sequence[cst.CSTNode], acquisition: cst.BaseSmallStatement) -> FrozenSet[str]:
    """Names that are true whenever the resource was acquired, so that a later
    ``if flag: f.close()`` releases it on every path that opened it: a flag
    set to True after the acquisition, in its block or a block around it
    (``close_dst = True``), or the name whose test guards the acquisition
    (``if zip is not None:``; ``!name`` where the acquisition is in the
    ``else``)."""

    def search(statements: Sequence[cst.CSTNode], guards: FrozenSet[str]) -> Optional[FrozenSet[str]]:
        for index, statement in enumerate(statements):
            if isinstance(statement, cst.SimpleStatementLine) and acquisition in statement.body:
                return guards | _flags_set_true(statements[index:])
            for suite, guard in _suites(statement):
                found = search(suite.body, guards | guard)
                if found is not None:
                    # ``try: f = open(p) except OSError: return`` then ``close = True``
                    return found | _flags_set_true(statements[index + 1 :])
        return None

    return search(body, frozenset()) or frozenset()


def _suites(node: cst.CSTNode) -> Iterator[Tuple[cst.BaseSuite, FrozenSet[str]]]:
    """The blocks a compound statement holds, with what its test says there:
    ``x`` (x is true) or ``!x`` (x is false)."""
    if isinstance(node, cst.If):
        guard = _truthy_name(node.test)
        yield node.body, frozenset({guard}) if guard else frozenset()
        if node.orelse is not None:
            negated = frozenset({_negate(guard)}) if guard else frozenset()
            if isinstance(node.orelse, cst.If):
                for suite, inner in _suites(node.orelse):
                    yield suite, inner | negated
            else:
                yield node.orelse.body, negated
        return
    for attribute in ("body", "orelse", "finalbody"):
        part = getattr(node, attribute, None)
        if isinstance(part, cst.BaseSuite):
            yield part, frozenset()
        elif isinstance(part, (cst.Else, cst.Finally)):
            yield part.body, frozenset()
    for handler in getattr(node, "handlers", ()):
        yield handler.body, frozenset()
    for case in getattr(node, "cases", ()):
        yield case.body, frozenset()


def _compares_with_none(test: cst.BaseExpression) -> bool:
    return (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    )


def _negate(flag: str) -> str:
    return flag[1:] if flag.startswith("!") else "!" + flag


def _truthy_name(test: cst.BaseExpression) -> Optional[str]:
    """What ``if test:`` says in its body: ``x`` for ``if x:`` and ``if x is
    not None:``, ``!x`` for ``if not x:`` and ``if x is None:`` (x a name or
    a dotted name such as ``self._locked``)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _truthy_name(test.expression)
        return _negate(inner) if inner else None
    if isinstance(test, (cst.Name, cst.Attribute)):
        return dotted_name(test)
    if isinstance(test, (cst.Call, cst.Comparison)) and not _compares_with_none(test):
        # ``if not isfilelike(path):`` ... ``if not isfilelike(path):``: the same test, said twice
        return "=" + cst.Module(body=[]).code_for_node(test)
    if (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    ):
        left = dotted_name(test.left)
        operator = test.comparisons[0].operator
        if left and isinstance(operator, cst.IsNot):
            return left
        if left and isinstance(operator, cst.Is):
            return "!" + left
    return None


def _flags_set_true(statements: Sequence[cst.CSTNode]) -> FrozenSet[str]:
    flags = set()
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.value, cst.Name)
                    and small.value.value == "True"
                ):
                    target = dotted_name(small.targets[0].target)
                    if target:
                        flags.add(target)
    return frozenset(flags)


def _flag_test_branch(test: cst.BaseExpression, flags: FrozenSet[str]) -> Optional[str]:
    """Like ``_none_test_branch``, for flags known wherever the resource is open."""
    said = _truthy_name(test) if flags else None
    if said is None:
        return None
    if said in flags:
        return "else"  # the body runs wherever it is open
    if _negate(said) in flags:
        return "body"  # the body runs only where it was never opened
    return None


def _forget_if(states: Set[State], condition: bool) -> Set[State]:
    """On a branch where the name is None, nothing was acquired."""
    if not condition:
        return states
    return {(Status.ABSENT, exc) if s is Status.OPEN else (s, exc) for s, exc in states}


def _is_true(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Name):
        return test.value == "True"
    return isinstance(test, cst.Integer) and test.value not in ("0",)


def follow(
    body: Sequence[cst.CSTNode],
    acquisition: Acquisition,
    facts: ReleaseFacts,
    qualified_name: QualifiedName,
    yield_lends: bool = False,
    cancellable: bool = False,
    explicit_raises_only: bool = False,
) -> Verdict:
    """What becomes of ``acquisition`` along every path through ``body``
    (``yield_lends``: the body is a ``@contextmanager`` generator's;
    ``cancellable``: a coroutine's; ``explicit_raises_only``: only ``raise``
    statements count as failing)."""
    interpreter = _Interpreter(acquisition.name, acquisition.statement, facts, qualified_name)
    interpreter.flags = flags_of(body, acquisition.statement)
    interpreter.yield_lends = yield_lends
    interpreter.cancellable = cancellable
    interpreter.explicit_raises_only = explicit_raises_only
    flow = interpreter.block(body, {(Status.ABSENT, False)})
    ends = flow.normal | flow.returned
    normal_open = any(status is Status.OPEN and not exc for status, exc in ends)
    error_open = (
        any(status is Status.OPEN and exc for status, exc in ends)
        or any(status is Status.OPEN for status, _ in interpreter.escaping_exceptions)
        or interpreter.rebound_on_error
    )
    escaped = any(status is Status.ESCAPED for status, _ in ends)
    # Open on one path and handed over on another: the two often depend on
    # the same flag (``if wrapped: conn.close() else: sock.close()``), which a
    # path-insensitive analysis cannot see; stay silent. But a ``return`` with
    # it still open is an early exit that forgot it (``if not ranges: return
    # HTTPError(416)``).
    leaks = (normal_open and (not escaped or interpreter.returned_open)) or interpreter.rebound
    return Verdict(
        name=acquisition.name,
        call=acquisition.call,
        allocation=acquisition.allocation,
        leaks=leaks,
        rebound=interpreter.rebound,
        leaks_on_error=(
            not leaks
            and (not escaped or interpreter.handlers_disagree)
            and error_open
            and interpreter.release is not None
        ),
        rebound_on_error=not leaks and interpreter.rebound_on_error,
        release=interpreter.release,
        lent_at_yield=yield_lends,
        uncaught_by_cleanup=interpreter.uncaught_by_cleanup,
        left_open_by_raise=any(status is Status.OPEN for status, _ in interpreter.escaping_exceptions),
        leaks_on_failed_handshake=(
            not leaks and escaped and error_open and interpreter.release is None and interpreter.failed_handshake
        ),
    )


def function_verdicts(
    function: cst.FunctionDef,
    context: "FileContext",
    extract: Callable[[QualifiedName], Extract],
    facts_for: Callable[[Acquisition], ReleaseFacts],
) -> List[Verdict]:
    """Verdicts on every acquisition in ``function``'s own body (not in nested
    functions, which are judged on their own). ``extract`` recognises the
    acquisitions (given a name resolver for the function's scope) and
    ``facts_for`` says how each is released."""
    inside = [*context.ancestors, function.body]
    if under_mock_patch(inside):
        return []

    def qualified_name(expr: cst.BaseExpression) -> Optional[str]:
        return context.names.qualified_name(expr, inside)

    candidates = context.shared(
        ("candidate statements", id(function)), lambda: candidate_statements(function.body.body)
    )
    acquisitions = acquisitions_in(candidates, extract(qualified_name))
    if not acquisitions:
        return []
    never_run = context.shared(
        ("never run", id(function)), lambda: statements_never_run(function.body, context.facts.false_constants)
    )
    lends = lends_at_yield(function, qualified_name)
    return [
        follow(
            function.body.body,
            acquisition,
            facts_for(acquisition),
            qualified_name,
            yield_lends=lends,
            cancellable=function.asynchronous is not None,
        )
        for acquisition in acquisitions
        if id(acquisition.statement) not in never_run
    ]


def constructor_failures(
    function: cst.FunctionDef,
    context: "FileContext",
    allocation_of: Callable[[QualifiedName], Callable[[cst.Call], Optional[Allocation]]],
    facts_for: Callable[[Acquisition], ReleaseFacts],
) -> List[Verdict]:
    """``self.fh = open(p)`` in ``__init__``, then ``raise OSError(...)`` with
    it still open: the object is never made, so nothing can close it. Only
    ``raise`` statements count (a constructor that gives up on purpose);
    finishing ``__init__`` hands the resource to the object."""
    inside = [*context.ancestors, function.body]

    def qualified_name(expr: cst.BaseExpression) -> Optional[str]:
        return context.names.qualified_name(expr, inside)

    allocate = allocation_of(qualified_name)

    def extract(statement: cst.BaseSmallStatement) -> List[Acquisition]:
        if not (isinstance(statement, cst.Assign) and len(statement.targets) == 1):
            return []
        target, value = statement.targets[0].target, statement.value
        if not (isinstance(target, cst.Attribute) and isinstance(value, cst.Call)):
            return []
        name = dotted_name(target)
        if name is None or not name.startswith("self.") or name.count(".") != 1:
            return []
        found = allocate(value)
        return [Acquisition(name, value, statement, found)] if found is not None else []

    candidates = context.shared(
        ("candidate statements", id(function)), lambda: candidate_statements(function.body.body)
    )
    return [
        follow(function.body.body, acquisition, facts_for(acquisition), qualified_name, explicit_raises_only=True)
        for acquisition in acquisitions_in(candidates, extract)
    ]
