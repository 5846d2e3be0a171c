"""PyTorch (and Lightning): which calls, methods and attributes keep a tensor's autograd graph.

A tensor that carries its graph keeps the activations of the forward pass
that made it; these tables say which parts of torch's API build such a
tensor, which give a value without it, and which turn gradients off.
Qualified names (``torch.cat``), torch's function names without the
``torch.`` prefix, or method and attribute names of tensors and modules.
"""

from __future__ import annotations

# Calls that give a value without the graph.
DETACHING_METHODS = frozenset({"item", "detach", "tolist", "numpy"})
DETACHING_FUNCTIONS = frozenset({"float", "int", "str", "round", "len", "bool"})
# Tensor methods whose result keeps the graph of the tensor they are called on
# (``.cpu()`` and ``.to()`` are differentiable); any other method (``argmax``,
# ``size``, ``numel``, ``eq``) gives a value without it.
GRAPH_KEEPING_METHODS = frozenset({
    "cpu", "cuda", "to", "float", "half", "double", "bfloat16", "mean", "sum", "view", "view_as", "reshape",
    "squeeze", "unsqueeze", "clone", "contiguous", "flatten", "exp", "log", "abs", "pow", "sqrt", "clamp", "t",
    "transpose", "permute", "sigmoid", "softmax", "log_softmax", "tanh", "relu", "norm", "mul", "add", "sub",
    "div", "type_as", "expand", "expand_as", "squeeze_", "unsqueeze_",
})
# Attributes of a tensor that hold no graph.
GRAPHLESS_ATTRIBUTES = frozenset({"data", "shape", "grad", "device", "dtype", "requires_grad", "ndim", "is_cuda"})
# torch functions (without the ``torch.`` prefix) whose result has no gradient.
GRAPHLESS_TORCH = frozenset({
    "argmax", "argmin", "numel", "equal", "isnan", "isinf", "isfinite", "is_tensor", "eq", "ne", "gt", "lt",
    "ge", "le", "no_grad", "inference_mode", "zeros", "ones", "empty", "tensor", "zeros_like", "ones_like",
    "empty_like", "full", "full_like", "arange", "randn", "rand", "randint", "randn_like", "rand_like",
})
# Methods only an ``nn.Module`` has: their receiver is a model, calling it runs a forward pass.
MODULE_METHODS = frozenset({"eval", "train", "parameters", "named_parameters"})
# Loss functions of ``torch.nn.functional`` (any whose name ends in ``loss`` is one too).
LOSS_FUNCTIONS = frozenset({"cross_entropy", "nll_loss", "mse_loss", "binary_cross_entropy",
                            "binary_cross_entropy_with_logits", "kl_div", "l1_loss", "smooth_l1_loss"})
# Context managers and decorators that turn gradients off.
GRAD_OFF = frozenset({
    "torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad",
    "torch.autograd.grad_mode.inference_mode",
})
# torch's ways of joining tensors into one.
CONCATENATING = frozenset({
    "torch.cat", "torch.concat", "torch.concatenate", "torch.stack", "torch.vstack", "torch.hstack",
    "torch.row_stack", "torch.column_stack", "torch.dstack",
})
# Hooks a training framework runs with gradients off (Lightning's evaluation loops).
GRADLESS_HOOKS = frozenset({"validation_step", "test_step", "predict_step"})
# Builtins that only do arithmetic on tensors already computed, or loop bookkeeping.
BOOKKEEPING_BUILTINS = frozenset({
    "range", "len", "zip", "enumerate", "min", "max", "sum", "abs", "float", "int", "bool", "list", "tuple",
    "dict", "set", "sorted", "reversed", "isinstance", "getattr", "hasattr", "print", "round", "str",
})
# Methods of tensors and of the containers holding them: reshaping, reducing,
# converting, indexing, collecting. Any other method may run a model
# (``module.training_step(batch)``, ``lm.norm(h)`` is left out for that).
TENSOR_METHODS = frozenset({
    "view", "view_as", "reshape", "reshape_as", "contiguous", "size", "dim", "numel", "float", "half", "double",
    "long", "int", "bool", "to", "cuda", "cpu", "type", "type_as", "detach", "item", "tolist", "clone", "mean",
    "sum", "prod", "max", "min", "argmax", "argmin", "exp", "log", "abs", "pow", "sqrt", "clamp", "squeeze",
    "unsqueeze", "permute", "transpose", "t", "expand", "expand_as", "repeat", "chunk", "split", "narrow",
    "gather", "index_select", "masked_fill", "masked_select", "eq", "ne", "gt", "lt", "ge", "le", "all", "any",
    "new_zeros", "new_ones", "new_full", "new_tensor", "append", "extend", "insert", "items", "keys", "values",
    "get", "update", "add",
})
# torch's own ways of running a model, as prefixes of qualified names.
TORCH_RUNNERS = ("torch.func.", "torch.utils.checkpoint", "torch.nn.parallel", "torch.vmap", "torch.compile",
                 "torch.jit.", "torch.autograd.functional")
