"""LL501: a PyTorch loss accumulated across iterations with its graph."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Mapping, Optional, Set, Tuple

from leaklint.analysis.module_index import FUNCTIONS
from leaklint.catalog.containers import STORING_METHODS
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.context import FileFacts
from leaklint.rule import CandidateRule

Findings = Dict[Tuple[int, int], Mapping[str, object]]
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# Calls that give a value without the autograd graph.
_DETACHING = frozenset({"item", "detach", "tolist", "numpy", "cpu"})
_DETACHING_FUNCTIONS = frozenset({"float", "int", "str", "round"})


class TensorGraphAccumulation(CandidateRule):
    """
    ## What it finds
    In a loop of a module that imports `torch`, a loss (a value whose
    `.backward()` the loop calls, the result of a `torch.nn.functional`
    loss, or of a call to something named `criterion` or `loss_fn`) added
    into a variable or container from outside the loop (`total += loss`,
    `total = total + loss`, `losses.append(loss)`) without `.item()`,
    `.detach()`, `float()` or `.cpu().numpy()`. Not reported: a total the
    function backpropagates itself (`total.backward()` after the loop), one
    that a loss computation returns for its caller to backpropagate (a
    `forward`, a function named for a loss, a method of an `nn.Module`),
    a loss re-bound to `loss.detach()` in the loop, and the terms of one
    forward pass: a loop over `range(...)` or the function's own lists that
    indexes outputs it already holds and runs no model
    (`for k in range(K): ce += F.cross_entropy(logits[:, k], y[:, k])`).

    ## Why it leaks
    A loss tensor carries its autograd graph: every intermediate activation
    of the forward pass that produced it. Summing losses keeps one graph per
    iteration alive through the running total, so GPU and host memory grow
    with every batch until the process runs out.

    ## Example
    ```python
    total = 0
    for inputs, targets in loader:
        loss = criterion(model(inputs), targets)
        loss.backward()
        total += loss
    ```

    ## Fix
    ```python
    total = 0
    for inputs, targets in loader:
        loss = criterion(model(inputs), targets)
        loss.backward()
        total += loss.item()
    ```
    """

    code = "LL501"
    checks_test_modules = False
    name = "tensor-graph-accumulation"
    message = (
        "'{loss}' is added to '{target}' with its autograd graph on every iteration; "
        "accumulate {loss}.item() or {loss}.detach() instead"
    )

    VALID = (
        "import torch\ntotal = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n"
        "    total += loss.item()\n",
        "total = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n    total += loss\n",
        "import torch\nimport torch.nn.functional as F\ndef per_head(logits, targets):\n    total = 0\n"
        "    for k in range(logits.size(1)):\n        term = F.cross_entropy(logits[:, k], targets[:, k])\n"
        "        total += term\n    return total\n",
    )
    INVALID = (
        "import torch\ntotal = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n"
        "    total += loss  # expect: LL501\n",
        "import torch\nimport torch.nn.functional as F\nlosses = []\nfor x, y in data:\n"
        "    loss = F.cross_entropy(model(x), y)\n    losses.append(loss)  # expect: LL501\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if "torch" not in facts.text or not _imports_torch(facts.tree):
            return {}
        found: Findings = {}
        index = facts.index
        for scope in [index.tree, *index.functions]:
            nodes = index.own_nodes(scope)
            backpropagated = None
            for loop in nodes:
                if isinstance(loop, _LOOPS) and not _terms_of_one_pass(loop, scope, facts.names):
                    for statement, loss, target in _accumulations(loop, facts.names):
                        if backpropagated is None:
                            backpropagated = _backpropagated(scope, index.class_of(scope), nodes)
                        if target not in backpropagated:
                            found[facts.place(statement)] = {"loss": loss, "target": target}
        return found


def _backpropagated(scope: ast.AST, owner: Optional[ast.ClassDef], nodes: List[ast.AST]) -> Set[str]:
    """Names a ``backward`` call of the scope goes through (``total.backward()``,
    ``accelerator.backward(losses[i])``), or that a loss computation returns
    (a ``forward``, a ``*loss*`` function, a method of an ``nn.Module``
    summing its terms for the caller to backpropagate): the graph is kept
    to be used."""
    name = getattr(scope, "name", "")
    returns_a_loss = (
        name == "forward"
        or "loss" in name.lower()
        or (owner is not None and any((ast_dotted_name(b) or "").endswith("Module") for b in owner.bases))
    )
    found: Set[str] = set()
    sources: Dict[str, Set[str]] = {}  # ``loss = losses[i]``: loss comes from losses
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "backward":
            for part in (node.func.value, *node.args):
                found.update(_names_in(part))
        elif returns_a_loss and isinstance(node, ast.Return) and node.value is not None:
            found.update(_names_in(node.value))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    sources.setdefault(target.id, set()).update(_names_in(node.value))
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
            if isinstance(node.target, ast.Name):
                # ``loss += weight * sum(terms)``: the terms reach what ``loss`` reaches
                sources.setdefault(node.target.id, set()).update(_names_in(node.value))
    pending = list(found)
    while pending:
        for source in sources.get(pending.pop(), ()):
            if source not in found:
                found.add(source)
                pending.append(source)
    return found


def _names_in(node: ast.AST) -> Set[str]:
    """Names whose graph ``node`` carries: not those only measured or
    detached (``len(history)``, ``loss.item()``, ``float(total)``)."""
    found: Set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Call) and _detaches(current):
            continue
        if isinstance(current, ast.Name):
            found.add(current.id)
        stack.extend(ast.iter_child_nodes(current))
    return found


def _detaches(call: ast.Call) -> bool:
    """``loss.item()``, ``loss.detach()``, ``float(loss)``, ``len(losses)``: a
    value without the graph (``.cpu()`` alone keeps it)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in _DETACHING_FUNCTIONS or func.id == "len"
    return isinstance(func, ast.Attribute) and func.attr in _DETACHING - {"cpu"}


def _imports_torch(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "torch" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch" and not node.level:
            return True
    return False


def _loop_nodes(loop: ast.AST) -> Iterator[ast.AST]:
    stack = list(loop.body) + list(getattr(loop, "orelse", []))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _accumulations(loop: ast.AST, names: NameResolver) -> Iterator[Tuple[ast.AST, str, str]]:
    nodes = list(_loop_nodes(loop))
    assigned_in_loop = {
        t.id for n in nodes if isinstance(n, ast.Assign) for tg in n.targets for t in ast.walk(tg)
        if isinstance(t, ast.Name)
    }
    losses = _losses(nodes, names)
    if not losses:
        return
    for node in nodes:
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name):
            loss = _loss_in(node.value, losses)
            if loss and node.target.id not in assigned_in_loop:
                yield node, loss, node.target.id
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            value = node.value
            assigned_elsewhere = any(
                isinstance(n, ast.Assign) and n is not node and any(
                    isinstance(t, ast.Name) and t.id == target for t in n.targets
                )
                for n in nodes
            )
            if target in losses or assigned_elsewhere:
                continue
            if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
                sides = (value.left, value.right)
                if any(isinstance(s, ast.Name) and s.id == target for s in sides):
                    loss = next((l for s in sides if (l := _loss_in(s, losses))), None)
                    if loss:
                        yield node, loss, target
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STORING_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id not in assigned_in_loop
        ):
            loss = next((l for a in node.args if (l := _loss_in(a, losses))), None)
            if loss:
                yield node, loss, node.func.value.id


# Calls that only do arithmetic on tensors already computed, or loop bookkeeping.
_BOOKKEEPING = frozenset({
    "range", "len", "zip", "enumerate", "min", "max", "sum", "abs", "float", "int", "bool", "list", "tuple",
    "dict", "set", "sorted", "reversed", "isinstance", "getattr", "hasattr", "print", "round", "str",
})
# Methods of tensors and of the containers holding them: reshaping, reducing,
# converting, indexing, collecting. Any other method may run a model
# (``module.training_step(batch)``, ``lm.norm(h)`` is left out for that).
_TENSOR_METHODS = frozenset({
    "view", "view_as", "reshape", "reshape_as", "contiguous", "size", "dim", "numel", "float", "half", "double",
    "long", "int", "bool", "to", "cuda", "cpu", "type", "type_as", "detach", "item", "tolist", "clone", "mean",
    "sum", "prod", "max", "min", "argmax", "argmin", "exp", "log", "abs", "pow", "sqrt", "clamp", "squeeze",
    "unsqueeze", "permute", "transpose", "t", "expand", "expand_as", "repeat", "chunk", "split", "narrow",
    "gather", "index_select", "masked_fill", "masked_select", "eq", "ne", "gt", "lt", "ge", "le", "all", "any",
    "new_zeros", "new_ones", "new_full", "new_tensor", "append", "extend", "insert", "items", "keys", "values",
    "get", "update", "add",
})
# torch's own ways of running a model.
_TORCH_RUNNERS = ("torch.func.", "torch.utils.checkpoint", "torch.nn.parallel", "torch.vmap", "torch.compile",
                  "torch.jit.", "torch.autograd.functional")


def _terms_of_one_pass(loop: ast.AST, scope: ast.AST, names: NameResolver) -> bool:
    """A loop over the parts of outputs the function already holds, which
    runs no model: ``for k in range(K): ce += F.cross_entropy(logits[:, k], y[:, k])``,
    ``for logp, t in zip(logp_list, targets): ...``. Its terms share one
    forward pass; each adds a few nodes, not a pass's activations. A loop
    over data (``for x, y in loader``) is a pass per iteration."""
    if not isinstance(loop, (ast.For, ast.AsyncFor)) or not isinstance(scope, FUNCTIONS):
        return False
    parameters = {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}
    if not _parts_of_held_values(loop.iter, parameters):
        return False
    if not _uses_loop_variables(loop):
        return False  # ``for _ in range(100)``: the same step again and again
    return not any(_may_run_a_model(node, names) for node in [*_loop_nodes(loop), *ast.walk(loop.iter)])


def _parts_of_held_values(iterable: ast.expr, parameters: Set[str]) -> bool:
    """``range(...)``, or ``zip``/``enumerate`` of those and of the function's
    own locals (not its parameters: a loader is handed in)."""
    if isinstance(iterable, ast.Name):
        return iterable.id not in parameters
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
        if iterable.func.id == "range":
            return True
        if iterable.func.id in ("zip", "enumerate") and iterable.args:
            return all(_parts_of_held_values(argument, parameters) for argument in iterable.args)
    return False


def _uses_loop_variables(loop: "ast.For | ast.AsyncFor") -> bool:
    """Whether the body reads a name the loop binds: an index (``logits[:, k]``)
    or a part of the held outputs itself."""
    bound = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    return any(
        isinstance(node, ast.Name) and node.id in bound and isinstance(node.ctx, ast.Load) for node in _loop_nodes(loop)
    )


def _may_run_a_model(node: ast.AST, names: NameResolver) -> bool:
    """Whether ``node`` is a call that may run a forward pass (``model(x)``,
    ``self.head(h)``, ``criterion(...)``, ``module.training_step(batch)``,
    ``torch.utils.checkpoint.checkpoint(model, x)``), as opposed to torch's
    functions, builtins and methods of the tensors at hand
    (``logits[:, k].contiguous().view(-1)``)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    dotted = ast_dotted_name(func)
    qualified = (names.resolve_dotted(dotted) if dotted else None) or ""
    if qualified.split(".")[0] == "torch":
        return qualified.startswith(_TORCH_RUNNERS)
    if isinstance(func, ast.Name):
        return func.id not in _BOOKKEEPING
    if isinstance(func, ast.Attribute):
        root = func.value
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        return func.attr not in _TENSOR_METHODS or (isinstance(root, ast.Name) and root.id in ("self", "cls"))
    return True


def _losses(nodes, names: NameResolver) -> Set[str]:
    """Names in the loop holding a loss: ``.backward()`` is called on them, or
    they come from a loss function."""
    found: Set[str] = set()
    for node in nodes:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "backward"
            and isinstance(node.func.value, ast.Name)
        ):
            found.add(node.func.value.id)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Call) and _is_loss_function(node.value.func, names):
                found.add(node.targets[0].id)
    # ``loss = loss.detach()`` after its ``backward()``: what is kept from then on holds no graph.
    return found - _detached_in(nodes)


def _detached_in(nodes) -> Set[str]:
    return {
        node.targets[0].id
        for node in nodes
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call)
        and _detaches(node.value)
    }


def _is_loss_function(func: ast.expr, names: NameResolver) -> bool:
    dotted = ast_dotted_name(func)
    if dotted is None:
        return False
    last = dotted.rsplit(".", 1)[-1]
    if last in ("criterion", "loss_fn", "loss_func", "loss_function"):
        return True
    qualified = names.resolve_dotted(dotted) or ""
    return qualified.startswith("torch.nn.functional.") and last.endswith("loss") or (
        qualified.startswith("torch.nn.functional.") and last in ("cross_entropy", "nll_loss", "mse_loss")
    )


def _loss_in(value: ast.expr, losses: Set[str]) -> str:
    """The loss name ``value`` is, or adds in, with its graph ('' if none)."""
    if isinstance(value, ast.Name):
        return value.id if value.id in losses else ""
    if isinstance(value, ast.BinOp):
        return _loss_in(value.left, losses) or _loss_in(value.right, losses)
    if isinstance(value, ast.UnaryOp):
        return _loss_in(value.operand, losses)
    return ""
