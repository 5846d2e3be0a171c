"""LL501: a PyTorch tensor kept across iterations with its autograd graph."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Set, Tuple, Union

from leaklint.analysis.module_index import FUNCTIONS, TRY_STATEMENTS, Function, ModuleIndex
from leaklint.analysis.names import NameResolver, ast_dotted_name, self_attribute
from leaklint.analysis.tensor_graphs import (
    GraphValues,
    Returns,
    detaches,
    graph_returns,
    models_in,
    without_grad,
)
from leaklint.catalog.containers import STORING_METHODS
from leaklint.catalog.torch import BOOKKEEPING_BUILTINS, CONCATENATING, GRADLESS_HOOKS, TENSOR_METHODS, TORCH_RUNNERS
from leaklint.core.context import FileFacts, Findings, ast_position
from leaklint.fixers.detach import detach_fix
from leaklint.core.rule import FIX_FIELD, CandidateRule

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
Loop = Union[ast.For, ast.AsyncFor, ast.While]
# Statements whose body may not run on a given pass.
_BRANCHING = (ast.If, *_LOOPS, *TRY_STATEMENTS, *((ast.Match,) if hasattr(ast, "Match") else ()))
# Storing methods that objects other than containers have too.
_NOT_ONLY_CONTAINERS = frozenset({"update", "add", "setdefault"})


class TensorGraphAccumulation(CandidateRule):
    """
    ## What it finds
    In a module that imports `torch`, a tensor carrying its autograd graph
    (a loss, the prediction it is computed from, a model's output, a
    recurrent state) kept past the iteration, call or forward pass that made
    it, outside `torch.no_grad()` and without `.item()`, `.detach()`,
    `float()` or `.cpu().numpy()`: `total += loss`, `losses.append(loss)` or
    `preds = torch.cat((preds, out.cpu()))` in a loop, a closure or method
    storing it outside the call, `out, hidden = rnn(x, hidden)`, a module's
    state added to from its input.

    - A loss is a value whose `.backward()` is called (also as
      `accelerator.backward(loss)` or `output["loss"].backward()`), the
      result of a `torch.nn.functional` loss, of a call to something named
      `criterion`, `loss_fn` or `loss`, or of a function of the module that
      returns one; a model is an object whose `.eval()`/`.train()` the
      function calls (only the first thing it returns counts).
    - In a loop: added into a variable or container from outside the loop,
      or into one on `self`. A total reset only now and then
      (`if step % 100 == 0: total = 0`) still accumulates.
    - In a function run again and again: appended to a list of the
      enclosing function by a closure (an optimizer's `closure`, a hook), or
      to a container on `self` by a method (a `training_step` keeping its
      outputs); for a method, only what the method itself shows carries a
      graph counts, not a loss of what it was handed.
    - In a loop: a state fed back into a model layer every step and never
      detached, when nothing made from it is returned or backpropagated.
    - In an `nn.Module`: a state on `self` added to, in `forward` or in a
      method `forward` calls with gradients on (a metric's `update`), from a
      value built from the first argument (the input, the prediction).

    ## Limitations
    Not reported: a total the function backpropagates itself
    (`total.backward()` after the loop), one that a loss computation returns
    for its caller to backpropagate (a `forward`, a function named for a
    loss, a method of an `nn.Module`), a loss re-bound to `loss.detach()`,
    a value computed under `torch.no_grad()`, Lightning's
    `validation_step`/`test_step`/`predict_step` (run without gradients),
    and the terms of one forward pass: a loop over `range(...)` or the
    function's own lists that indexes outputs it already holds and runs no
    model (`for k in range(K): ce += F.cross_entropy(logits[:, k], y[:, k])`).

    ## Why it leaks
    A loss tensor carries its autograd graph: every intermediate activation
    of the forward pass that produced it. Summing losses, or keeping them,
    keeps one graph per iteration alive through the running total, so GPU
    and host memory grow with every batch until the process runs out.

    ## Example
    ```python
    import torch

    total = 0
    for inputs, targets in loader:
        loss = criterion(model(inputs), targets)
        loss.backward()
        total += loss
    ```

    ## Fix
    ```python
    import torch

    total = 0
    for inputs, targets in loader:
        loss = criterion(model(inputs), targets)
        loss.backward()
        total += loss.item()
    ```
    `leaklint --fix --unsafe-fixes` keeps `loss.detach()` where a loss or an
    output is added to a total or a list, or stored outside the call.
    Unsafe: what is kept no longer carries gradients (code that calls
    `backward()` through it later changes), and `.item()` may be what you
    want instead.
    """

    code = "LL501"
    summary_text = "A tensor kept with its autograd graph across training steps"
    checks_test_modules = False
    name = "tensor-graph-accumulation"
    message = "'{value}' {kept} with its autograd graph, so every {step}'s graph stays alive; {fix}"

    VALID = (
        "import torch\ntotal = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n"
        "    total += loss.item()\n",
        "total = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n    total += loss\n",
        "import torch\nimport torch.nn.functional as F\ndef per_head(logits, targets):\n    total = 0\n"
        "    for k in range(logits.size(1)):\n        term = F.cross_entropy(logits[:, k], targets[:, k])\n"
        "        total += term\n    return total\n",
        "import torch\n@torch.no_grad()\ndef predict(model, loader):\n    model.eval()\n    preds = []\n"
        "    for x in loader:\n        preds.append(model(x))\n    return torch.cat(preds)\n",
    )
    INVALID = (
        "import torch\ntotal = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n"
        "    total += loss  # expect: LL501\n",
        "import torch\nimport torch.nn.functional as F\nlosses = []\nfor x, y in data:\n"
        "    loss = F.cross_entropy(model(x), y)\n    losses.append(loss)  # expect: LL501\n",
        "import torch\ndef fit(optimizer, compute):\n    losses = []\n    def closure():\n"
        "        loss = compute()\n        loss.backward()\n        losses.append(loss)  # expect: LL501\n"
        "        return loss\n    optimizer.step(closure)\n    return losses\n",
    )
    FIXES = (
        (
            "import torch\ntotal = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n    total += loss\n",
            "import torch\ntotal = 0\nfor x in data:\n    loss = criterion(x)\n    loss.backward()\n"
            "    total += loss.detach()\n",
        ),
        (
            "import torch\nimport torch.nn.functional as F\nlosses = []\nfor x, y in data:\n"
            "    loss = F.cross_entropy(model(x), y)\n    losses.append(loss)\n",
            "import torch\nimport torch.nn.functional as F\nlosses = []\nfor x, y in data:\n"
            "    loss = F.cross_entropy(model(x), y)\n    losses.append(loss.detach())\n",
        ),
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if "torch" not in facts.text or not _imports_torch(facts.tree):
            return {}
        found: Findings = {}
        index, names = facts.index, facts.names
        returns = graph_returns(index, names)
        layers = _layer_attributes(facts.tree, names)
        enclosing: Dict[int, Function] = {
            id(inner): outer for outer in index.functions for inner in index.own_nodes(outer)
            if isinstance(inner, FUNCTIONS)
        }
        kept_by: Dict[int, Set[str]] = {}
        for scope in [index.tree, *index.functions]:
            nodes = index.own_nodes(scope)
            off = without_grad(scope, names)
            models = models_in(nodes, index.class_of(scope))
            backpropagated: Optional[Set[str]] = None
            kept: Optional[Set[str]] = None
            for loop in nodes:
                if not isinstance(loop, _LOOPS) or id(loop) in off:
                    continue
                body = list(_loop_nodes(loop))
                if not _terms_of_one_pass(loop, scope, names):
                    values = GraphValues(names, returns, models).build(body, off)
                    for statement, value, target in _accumulations(loop, body, values):
                        if backpropagated is None:
                            backpropagated = _backpropagated(scope, index.class_of(scope), nodes)
                        if id(statement) not in off and target not in backpropagated:
                            found[facts.place(statement)] = {
                                "value": value, "kept": f"is added to '{target}' on every iteration",
                                "step": "batch", "fix": f"accumulate {value}.item() or {value}.detach() instead",
                                FIX_FIELD: detach_fix(facts, statement, value),
                            }
                for statement, state, made in _carried_states(body, models, layers):
                    if kept is None:
                        kept = _backpropagated(scope, None, nodes, returned=True)
                    if id(statement) not in off and not made & kept:
                        found[facts.place(statement)] = {
                            "value": state, "kept": "is fed back into the model on every iteration",
                            "step": "step", "fix": f"detach it between steps ({state} = {state}.detach())",
                        }
            if isinstance(scope, FUNCTIONS):
                outer = enclosing.get(id(scope))
                stores = _stores_outliving_the_call(scope, outer, index, names, returns, off)
                for statement, value, target in stores:
                    holder = outer or index.class_of(scope)
                    if holder is not None and id(holder) not in kept_by:
                        kept_by[id(holder)] = _kept_by(holder, index)
                    if target in kept_by[id(holder)]:
                        continue
                    found.setdefault(facts.place(statement), {
                        "value": value, "kept": f"is stored in '{target}' on every call",
                        "step": "call", "fix": f"store {value}.detach() or {value}.item() instead",
                        FIX_FIELD: detach_fix(facts, statement, value),
                    })
        for statement, value, target in _module_state_updates(index, names):
            found.setdefault(facts.place(statement), {
                "value": value, "kept": f"is added to '{target}' on every forward pass",
                "step": "batch", "fix": f"add {value}.detach() instead, or update it under torch.no_grad()",
            })
        return found


def _module_classes(index: ModuleIndex) -> Dict[str, ast.ClassDef]:
    """Classes of the module that are ``nn.Module``s: a base named ``*Module``,
    or another such class of the module."""
    found: Dict[str, ast.ClassDef] = {}
    for _ in range(len(index.classes)):
        before = len(found)
        for cls in index.classes:
            bases = [ast_dotted_name(base) or "" for base in cls.bases]
            if any(base.endswith("Module") or base in found for base in bases):
                found[cls.name] = cls
        if len(found) == before:
            break
    return found


def _module_state_updates(index: ModuleIndex, names: NameResolver) -> Iterator[Tuple[ast.AST, str, str]]:
    """``self.sum_squared_error += torch.sum((preds - target) ** 2)`` in an
    ``nn.Module``'s ``forward``, or in a method its ``forward`` calls with
    gradients on (a metric's ``update``): what a forward pass is given is an
    activation with its graph, and a state on ``self`` outlives the pass.
    Only a value built from the first argument (the input, the prediction)
    counts: others may be labels or masks."""
    modules = _module_classes(index)
    for cls in modules.values():
        lineage = [cls]
        while True:
            bases = [modules.get(ast_dotted_name(base) or "") for base in lineage[-1].bases]
            parent = next((base for base in bases if base is not None and base not in lineage), None)
            if parent is None:
                break
            lineage.append(parent)
        reached = {"forward"}
        for holder in lineage:
            for function in index.class_functions(holder):
                if function.name == "forward" and index.class_of(function) is holder:
                    off = without_grad(function, names)
                    reached |= {
                        node.func.attr for node in index.own_nodes(function)
                        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and id(node) not in off and _self_attribute(node.func)
                    }
        for function in index.class_functions(cls):
            if function.name not in reached or index.class_of(function) is not cls:
                continue
            parameters = [a.arg for a in function.args.args[1:]] or [a.arg for a in function.args.posonlyargs[1:]]
            if not parameters:
                continue
            nodes = index.own_nodes(function)
            off = without_grad(function, names)
            values = GraphValues(names, {}, set())
            values.names.add(parameters[0])
            values.build(nodes, off)
            for node in nodes:
                if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and id(node) not in off:
                    target = _self_attribute(node.target)
                    value = values.carries(node.value) if target else ""
                    if value:
                        yield node, value, target


def _backpropagated(
    scope: ast.AST, owner: Optional[ast.ClassDef], nodes: List[ast.AST], returned: bool = False
) -> Set[str]:
    """Names a ``backward`` call of the scope goes through (``total.backward()``,
    ``accelerator.backward(losses[i])``), or that a loss computation returns
    (a ``forward``, a ``*loss*`` function, a method of an ``nn.Module``
    summing its terms for the caller to backpropagate): the graph is kept
    to be used. ``returned``: what any function returns counts as kept."""
    name = getattr(scope, "name", "")
    returns_a_loss = returned or (
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
                for bound in ast.walk(target):
                    if isinstance(bound, ast.Name):
                        sources.setdefault(bound.id, set()).update(_names_in(node.value))
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
            if isinstance(node.target, ast.Name):
                # ``loss += weight * sum(terms)``: the terms reach what ``loss`` reaches
                sources.setdefault(node.target.id, set()).update(_names_in(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _stores_into(node) and isinstance(node.func.value, ast.Name):
            # ``outputs.append(out)``: out reaches what ``outputs`` reaches
            for argument in node.args:
                sources.setdefault(node.func.value.id, set()).update(_names_in(argument))
    pending = list(found)
    while pending:
        for source in sources.get(pending.pop(), ()):
            if source not in found:
                found.add(source)
                pending.append(source)
    return found


def _names_in(node: ast.AST) -> Set[str]:
    """Names whose graph ``node`` carries (``self.total`` for an attribute of
    ``self``): not those only measured or detached (``len(history)``,
    ``loss.item()``, ``float(total)``)."""
    found: Set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Call) and detaches(current):
            continue
        if isinstance(current, ast.Name):
            found.add(current.id)
        elif isinstance(current, ast.Attribute) and isinstance(current.value, ast.Name) and current.value.id == "self":
            found.add(f"self.{current.attr}")
        stack.extend(ast.iter_child_nodes(current))
    return found


def _imports_torch(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "torch" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch" and not node.level:
            return True
    return False


def _loop_nodes(loop: Loop) -> Iterator[ast.AST]:
    stack: List[ast.AST] = [*loop.body, *loop.orelse]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _stores_into(node: ast.AST) -> bool:
    """``x.append(v)``, ``x.extend(v)``, ``x.put(v)``... (not ``update`` or
    ``add``: a metric object's ``acc.update(preds)`` may keep nothing)."""
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in STORING_METHODS - _NOT_ONLY_CONTAINERS
    )


def _self_attribute(node: ast.expr) -> str:
    """``self.outputs`` as written, or ''."""
    attribute = self_attribute(node)
    return f"self.{attribute}" if attribute else ""


def _target_name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else _self_attribute(node)


def _bindings_in_loop(loop: Loop) -> Dict[str, List[Tuple[ast.stmt, bool]]]:
    """Each name the loop's statements bind: the binding statements, and whether
    each runs now and then only (under an ``if``) rather than on every pass."""
    found: Dict[str, List[Tuple[ast.stmt, bool]]] = {}
    stack: List[Tuple[ast.AST, bool]] = [(s, False) for s in [*loop.body, *loop.orelse]]
    while stack:
        node, conditional = stack.pop()
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for bound in ast.walk(target):
                    if isinstance(bound, ast.Name):
                        found.setdefault(bound.id, []).append((node, conditional))
        inner = conditional or isinstance(node, _BRANCHING)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    return found


def _carried_across_passes(target: str, statement: ast.AST, bindings: Dict[str, List[Tuple[ast.stmt, bool]]],
                           allowed: Tuple[ast.stmt, ...] = ()) -> bool:
    """Whether ``target`` keeps its value from one pass to the next up to
    ``statement``: the loop never re-binds it before it on a pass, nor
    unconditionally after it. A reset now and then (``if step % 100 == 0:
    total = 0``) after it only bounds how many graphs build up."""
    for binding, conditional in bindings.get(target, ()):
        if binding in allowed:
            continue
        if not conditional or binding.lineno <= ast_position(statement)[0]:
            return False
        value = getattr(binding, "value", None)
        if value is not None and target in {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}:
            return False  # ``total = total.detach()``: cut on purpose
    return True


def _accumulations(loop: Loop, nodes: List[ast.AST], values: GraphValues) -> Iterator[Tuple[ast.AST, str, str]]:
    """``total += loss``, ``total = total + loss``, ``losses.append(loss)``,
    ``preds = torch.cat((preds, out))`` into a name the loop carries from pass
    to pass, or onto ``self``."""
    bindings = _bindings_in_loop(loop)
    for node in nodes:
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            target = _target_name(node.target)
            value = values.carries(node.value)
            if value and target and (target.startswith("self.") or _carried_across_passes(target, node, bindings)):
                yield node, value, target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            if not _carried_across_passes(target, node, bindings, allowed=(node,)):
                continue
            others = _joined_with(node.value, target, values.resolver)
            value = next((found for other in others if (found := values.carries(other))), "")
            if value:
                yield node, value, target
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _stores_into(node):
            target = _target_name(node.func.value)
            if not target or not (target.startswith("self.") or _carried_across_passes(target, node, bindings)):
                continue
            value = next((found for a in node.args if (found := values.carries(a))), "")
            if value:
                yield node, value, target


def _joined_with(value: ast.expr, target: str, names: NameResolver) -> List[ast.expr]:
    """What ``target = target + x`` or ``target = torch.cat((target, x))``
    joins to ``target`` (empty if ``value`` is not such a join)."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        sides = [value.left, value.right]
        if any(isinstance(side, ast.Name) and side.id == target for side in sides):
            return [side for side in sides if not (isinstance(side, ast.Name) and side.id == target)]
    if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], (ast.List, ast.Tuple)):
        dotted = ast_dotted_name(value.func)
        if dotted and names.resolve_dotted(dotted) in CONCATENATING:
            parts = value.args[0].elts
            if any(isinstance(part, ast.Name) and part.id == target for part in parts):
                return [part for part in parts if not (isinstance(part, ast.Name) and part.id == target)]
    return []


def _layer_attributes(tree: ast.Module, names: NameResolver) -> Set[str]:
    """Attributes the module binds to a ``torch.nn`` layer (``self.rnn =
    nn.GRU(...)``): calling one, on any object, runs a forward pass."""
    found: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            dotted = ast_dotted_name(node.value.func)
            qualified = (names.resolve_dotted(dotted) if dotted else None) or ""
            if qualified.startswith("torch.nn.") and qualified.rsplit(".", 1)[-1][:1].isupper():
                found.update(t.attr for t in node.targets if isinstance(t, ast.Attribute))
    return found


def _carried_states(
    nodes: List[ast.AST], models: Set[str], layers: Set[str]
) -> Iterator[Tuple[ast.AST, str, Set[str]]]:
    """``out, hidden = rnn(x, hidden)``: a state a model layer takes and gives
    back on every pass, re-bound nowhere else in the loop (no
    ``hidden = hidden.detach()``). Yields the statement, the state and the
    names it binds."""
    bound_by: Dict[str, int] = {}
    for node in nodes:
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for bound in ast.walk(target):
                    if isinstance(bound, ast.Name):
                        bound_by[bound.id] = bound_by.get(bound.id, 0) + 1
    for node in nodes:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
            continue
        made = {t.id for t in ast.walk(node.targets[0]) if isinstance(t, ast.Name)}
        call = node.value
        func = call.func
        runs_a_layer = (isinstance(func, ast.Name) and func.id in models) or (
            isinstance(func, ast.Attribute) and func.attr in layers
        )
        if not runs_a_layer:
            continue
        for argument in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(argument, ast.Name) and argument.id in made and bound_by.get(argument.id) == 1:
                yield node, argument.id, made
                break


def _stores_outliving_the_call(
    function: Function, enclosing: Optional[Function], index: ModuleIndex, names: NameResolver, returns: Returns,
    off: Set[int],
) -> Iterator[Tuple[ast.AST, str, str]]:
    """A graph-carrying value a function run again and again stores where it
    outlives the call: a closure into a list of the function around it
    (``losses.append(loss)`` in an optimizer's closure, a hook), a method
    into a container on ``self`` (``self.step_outputs.append(log)``)."""
    owner = index.class_of(function)
    if enclosing is None and (owner is None or function.name in ("__init__", *GRADLESS_HOOKS)):
        return
    nodes = index.own_nodes(function)
    local = {t.id for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) for t in [n]}
    local |= {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    declared = {name for n in nodes if isinstance(n, ast.Nonlocal) for name in n.names}
    outer: Set[str] = set()
    if enclosing is not None:
        outer = {n.id for n in index.own_nodes(enclosing) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        outer |= {a.arg for a in ast.walk(enclosing.args) if isinstance(a, ast.arg)}

    def outlives(target: ast.expr) -> str:
        if isinstance(target, ast.Name) and target.id in outer and (target.id not in local or target.id in declared):
            return target.id
        return _self_attribute(target) if owner is not None and enclosing is None else ""

    values: Optional[GraphValues] = None
    for node in nodes:
        if id(node) in off:
            continue
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            target, parts = outlives(node.target), [node.value]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _stores_into(node):
            target, parts = outlives(node.func.value), node.args
        else:
            continue
        if not target:
            continue
        if values is None:
            # A method's arguments may come detached (a metric's ``update``):
            # only what the method itself shows carries a graph counts.
            strict = enclosing is None
            values = GraphValues(names, returns, models_in(nodes, owner), strict=strict).build(nodes, off)
        value = next((found for part in parts if (found := values.carries(part))), "")
        if value:
            yield node, value, target


def _kept_by(holder: Union[Function, ast.ClassDef], index: ModuleIndex) -> Set[str]:
    """What the enclosing function, or any method of the class, backpropagates
    or returns as a loss: keeping the graph there is the point."""
    functions = [holder] if isinstance(holder, FUNCTIONS) else index.class_functions(holder)
    found: Set[str] = set()
    for function in functions:
        found |= _backpropagated(function, index.class_of(function), index.own_nodes(function))
    return found


def _terms_of_one_pass(loop: Loop, scope: ast.AST, names: NameResolver) -> bool:
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
        return qualified.startswith(TORCH_RUNNERS)
    if isinstance(func, ast.Name):
        return func.id not in BOOKKEEPING_BUILTINS
    if isinstance(func, ast.Attribute):
        root = func.value
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
            root = root.func if isinstance(root, ast.Call) else root.value
        return func.attr not in TENSOR_METHODS or (isinstance(root, ast.Name) and root.id in ("self", "cls"))
    return True
