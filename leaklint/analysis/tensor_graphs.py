"""Values that carry a PyTorch autograd graph, as one module's source shows them.

A loss (``.backward()`` is called on it or on it through an accelerator, a
loss function returned it), the prediction a loss is computed from, what a
model returns, and what torch's differentiable functions and tensor methods
build from those: each holds the activations of the forward pass that made
it until it is dropped or detached. Read from source alone: a value is only
counted when the code itself shows it carries a graph, and nothing counts
under ``torch.no_grad()``.
"""

from __future__ import annotations

import ast
from typing import AbstractSet, Dict, Iterable, List, Optional, Set, Tuple

from leaklint.analysis.module_index import FUNCTIONS, ModuleIndex
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.catalog.torch import (
    DETACHING_FUNCTIONS,
    DETACHING_METHODS,
    GRAD_OFF,
    GRAPH_KEEPING_METHODS,
    GRAPHLESS_ATTRIBUTES,
    GRAPHLESS_TORCH,
    LOSS_FUNCTIONS,
    MODULE_METHODS,
)

# What a loss function or loss module is called.
LOSS_CALLABLES = frozenset({"criterion", "loss_fn", "loss_func", "loss_function", "loss"})
# Parts of what a function returns that carry a graph (one entry when it
# returns no tuple literal), by how it is called: ``step`` or ``self.step``.
Returns = Dict[str, Tuple[bool, ...]]


def expression_key(node: ast.AST) -> str:
    """The same for ``output["loss"]`` read and assigned."""
    return ast.unparse(node)


def detaches(call: ast.Call) -> bool:
    """``loss.item()``, ``loss.detach()``, ``float(loss)``, ``len(losses)``."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in DETACHING_FUNCTIONS
    return isinstance(func, ast.Attribute) and func.attr in DETACHING_METHODS


def is_loss_function(func: ast.expr, names: NameResolver) -> bool:
    dotted = ast_dotted_name(func)
    if dotted is None:
        return False
    last = dotted.rsplit(".", 1)[-1]
    if last in LOSS_CALLABLES:
        return True
    qualified = names.resolve_dotted(dotted) or ""
    return qualified.startswith("torch.nn.functional.") and (last.endswith("loss") or last in LOSS_FUNCTIONS)


def _turns_grad_off(expr: ast.expr, names: NameResolver) -> bool:
    if isinstance(expr, ast.Call):
        dotted = ast_dotted_name(expr.func)
        qualified = (names.resolve_dotted(dotted) if dotted else None) or ""
        if qualified == "torch.set_grad_enabled":
            return bool(expr.args) and isinstance(expr.args[0], ast.Constant) and expr.args[0].value is False
        expr = expr.func
    dotted = ast_dotted_name(expr)
    return dotted is not None and (names.resolve_dotted(dotted) or "") in GRAD_OFF


def without_grad(scope: ast.AST, names: NameResolver) -> Set[int]:
    """Ids of the nodes of ``scope`` that run with gradients off: all of them
    under ``@torch.no_grad()``, else those in ``with torch.no_grad():``
    (``inference_mode``, ``set_grad_enabled(False)`` too)."""
    if isinstance(scope, FUNCTIONS) and any(_turns_grad_off(d, names) for d in scope.decorator_list):
        return {id(node) for node in ast.walk(scope)}
    found: Set[int] = set()
    for node in ast.walk(scope):
        if isinstance(node, (ast.With, ast.AsyncWith)) and id(node) not in found:
            if any(_turns_grad_off(item.context_expr, names) for item in node.items):
                found.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return found


def models_in(nodes: Iterable[ast.AST], owner: Optional[ast.ClassDef] = None) -> Set[str]:
    """Names whose ``.eval()``, ``.train()`` or ``.parameters()`` is called,
    and ``self`` in a method of an ``nn.Module`` (or ``LightningModule``):
    modules, so calling them runs a forward pass."""
    found = {
        node.func.value.id
        for node in nodes
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MODULE_METHODS
        and isinstance(node.func.value, ast.Name)
    }
    if owner is not None and any((ast_dotted_name(base) or "").endswith("Module") for base in owner.bases):
        found.add("self")
    return found


class GraphValues:
    """The names and expressions of some code (a loop, a function) that hold
    a tensor with its graph, and what an expression of it carries."""

    def __init__(self, names: NameResolver, returns: Returns, models: Set[str], strict: bool = False) -> None:
        self.resolver = names
        self.returns = returns
        self.models = models
        # Strict: a loss counts only when what it is computed from does (a
        # model's output, a backpropagated value), not a loss of whatever a
        # function was handed, which its callers may have detached.
        self.strict = strict
        self.names: Set[str] = set()  # ``loss``, ``outputs``, ``log = {"loss": loss}``
        self.parts: Set[str] = set()  # keys of ``output.loss``, ``output["loss"]``
        self.holders: Set[str] = set()  # ``output``, for ``output["loss"]``: whole, it holds a graph

    def __bool__(self) -> bool:
        return bool(self.names or self.parts)

    def carries(self, expr: ast.expr, whole: bool = True) -> str:
        """The graph-carrying value ``expr`` is or is built from, as written
        ('' if none); ``whole``: ``expr`` is kept as it is, not indexed."""
        if isinstance(expr, ast.Name):
            held = expr.id in self.names or (whole and expr.id in self.holders)
            return expr.id if held else ""
        if isinstance(expr, (ast.Attribute, ast.Subscript)):
            if expression_key(expr) in self.parts:
                return ast.unparse(expr)
            if isinstance(expr, ast.Attribute) and expr.attr in GRAPHLESS_ATTRIBUTES:
                return ""
            return ast.unparse(expr) if self.carries(expr.value, whole=False) else ""
        if isinstance(expr, ast.Call):
            return self._call_carries(expr)
        if isinstance(expr, ast.BinOp):
            return self.carries(expr.left) or self.carries(expr.right)
        if isinstance(expr, ast.UnaryOp) and not isinstance(expr.op, ast.Not):
            return self.carries(expr.operand)
        if isinstance(expr, ast.IfExp):
            return self.carries(expr.body) or self.carries(expr.orelse)
        if isinstance(expr, ast.Dict):
            return next((found for value in expr.values if (found := self.carries(value))), "")
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return next((found for value in expr.elts if (found := self.carries(value))), "")
        if isinstance(expr, ast.Starred):
            return self.carries(expr.value)
        return ""

    def _call_carries(self, call: ast.Call) -> str:
        func = call.func
        if detaches(call):
            return ""
        if self.runs_a_model(call):
            return ast.unparse(func) + "(...)"
        if is_loss_function(func, self.resolver):
            # A loss of values not known to carry a graph may be one term of a
            # loss computed for the caller: only what it is computed from counts.
            arguments = [*call.args, *(k.value for k in call.keywords)]
            return ast.unparse(func) + "(...)" if any(self.carries(a) for a in arguments) else ""
        returned = self.returned_by(call)
        if returned is not None and len(returned) == 1 and returned[0]:
            return ast.unparse(func) + "(...)"
        dotted = ast_dotted_name(func)
        qualified = (self.resolver.resolve_dotted(dotted) if dotted else None) or ""
        if qualified.startswith("torch.") and "." not in qualified[len("torch."):]:
            if qualified[len("torch."):] in GRAPHLESS_TORCH:
                return ""
            arguments = [*call.args, *(k.value for k in call.keywords)]
            return next((found for a in arguments if (found := self.carries(a))), "")
        if qualified.startswith("torch.nn.functional."):
            return next((found for a in call.args if (found := self.carries(a))), "")
        if isinstance(func, ast.Attribute) and func.attr in GRAPH_KEEPING_METHODS:
            return self.carries(func.value)
        return ""

    def runs_a_model(self, call: ast.Call) -> bool:
        """``model(x)`` or ``model.forward(x)`` for a model of ``self.models``."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "forward":
            func = func.value
        return isinstance(func, ast.Name) and func.id in self.models

    def returned_by(self, call: ast.Call) -> Optional[Tuple[bool, ...]]:
        dotted = ast_dotted_name(call.func)
        return self.returns.get(dotted) if dotted else None

    def _seed_backward(self, expr: ast.expr) -> None:
        """What ``expr.backward()`` (or ``accelerator.backward(expr)``) goes through."""
        if isinstance(expr, ast.Name):
            self.names.add(expr.id)
        elif isinstance(expr, (ast.Attribute, ast.Subscript)):
            self.parts.add(expression_key(expr))
        elif isinstance(expr, ast.BinOp):
            self._seed_backward(expr.left)
            self._seed_backward(expr.right)
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            if expr.func.attr == "scale" and expr.args:  # ``scaler.scale(loss).backward()``
                self._seed_backward(expr.args[0])
            elif expr.func.attr in GRAPH_KEEPING_METHODS:  # ``loss.mean().backward()``
                self._seed_backward(expr.func.value)

    def _bind(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.names.add(target.id)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            self.parts.add(expression_key(target))

    def build(self, nodes: List[ast.AST], off: AbstractSet[int] = frozenset()) -> "GraphValues":
        """Find them among ``nodes``; ``off``: ids of nodes run under ``no_grad``."""
        assignments = []
        for node in nodes:
            if id(node) in off:
                continue
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("backward", "manual_backward"):
                    self._seed_backward(node.args[0] if node.args else node.func.value)
            if isinstance(node, ast.Assign):
                assignments.append(node)
                if len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple):
                    self._bind_parts(node.targets[0], node.value)
                value = node.value
                if not self.strict and isinstance(value, ast.Call) and is_loss_function(value.func, self.resolver):
                    # ``loss = criterion(outputs, targets)``: a loss, and the
                    # prediction it is computed from carries the model's graph.
                    arguments = value.args
                    if arguments and isinstance(arguments[0], (ast.Name, ast.Attribute, ast.Subscript)):
                        self._bind(arguments[0])
                    for target in node.targets:
                        self._bind(target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target)
        # What is computed from a graph-carrying value carries it too.
        for _ in range(4):
            before = (len(self.names), len(self.parts))
            for node in assignments:
                if self.carries(node.value):
                    for target in node.targets:
                        if not isinstance(target, ast.Tuple):
                            self._bind(target)
                        elif not isinstance(node.value, ast.Tuple) and not self._spread(node.value):
                            # ``a, b = torch.chunk(x, 2)``, ``out, hidden = model(x, hidden)``
                            for element in target.elts:
                                self._bind(element)
            if (len(self.names), len(self.parts)) == before:
                break
        # ``loss = loss.detach()``, ``output["loss"] = output["loss"].detach()``:
        # what is kept from then on holds no graph.
        for node in assignments:
            if isinstance(node.value, ast.Call) and detaches(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.names.discard(target.id)
                    else:
                        self.parts.discard(expression_key(target))
        for node in nodes:
            if isinstance(node, (ast.Attribute, ast.Subscript)) and expression_key(node) in self.parts:
                if isinstance(node.value, ast.Name):
                    self.holders.add(node.value.id)
        return self

    def _spread(self, value: ast.expr) -> bool:
        """Whether ``_bind_parts`` tells the parts of what ``value`` returns apart."""
        return isinstance(value, ast.Call) and (
            is_loss_function(value.func, self.resolver) or self.returned_by(value) is not None
            or self.runs_a_model(value)
        )

    def _bind_parts(self, target: ast.Tuple, value: ast.expr) -> None:
        """``loss, metrics = loss_function(...)``, ``log, out = self.step(...)``."""
        if isinstance(value, ast.Call):
            if is_loss_function(value.func, self.resolver):
                return  # the loss is bound by ``build``
            if self.runs_a_model(value) and target.elts:
                # ``out, _, ratio = model(data)``: the output; what else a
                # model returns may be plain numbers.
                self._bind(target.elts[0])
                return
            returned = self.returned_by(value)
            if returned is not None and len(returned) == len(target.elts):
                for element, carried in zip(target.elts, returned):
                    if carried:
                        self._bind(element)
        elif isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts):
            for element, part in zip(target.elts, value.elts):
                if self.carries(part):
                    self._bind(element)


def graph_returns(index: ModuleIndex, names: NameResolver) -> Returns:
    """Which parts of what each function of the module returns carry a graph:
    a loss it computes (``return loss`` after ``loss.backward()``), a dict
    holding one (``return {"loss": loss}, out``). Keyed as a call spells it:
    ``compute(...)`` for a module-level function, ``self.step(...)`` for a
    method. Only what a function itself shows counts, not its callers'."""
    returns: Returns = {}
    top_level = {id(node) for node in index.tree.body}
    for _ in range(2):  # a function returning what another one returns
        for function in index.functions:
            owner = index.class_of(function)
            if owner is None and id(function) not in top_level:
                continue
            key = f"self.{function.name}" if owner is not None else function.name
            nodes = index.own_nodes(function)
            off = without_grad(function, names)
            values = GraphValues(names, returns, models_in(nodes, owner), strict=True).build(nodes, off)
            shape: Optional[Tuple[bool, ...]] = None
            for node in nodes:
                if isinstance(node, ast.Return) and node.value is not None and id(node) not in off:
                    parts = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                    carried = tuple(bool(values.carries(part)) for part in parts)
                    if shape is None or len(shape) == len(carried):
                        shape = carried if shape is None else tuple(a or b for a, b in zip(shape, carried))
                    else:
                        shape = (any(shape) or any(carried),)
            if shape is not None and any(shape):
                returns[key] = shape
    return returns
