"""libcst, imported when first used.

Importing libcst takes about a third of a second, more than linting a small
file. Most files of a run need it, but a run whose files hold nothing any
rule looks at (``leaklint --version``, a pre-commit hook on a few small
files) should not pay for it. Modules write ``from leaklint.syntax.lazy import
libcst as cst`` and use ``cst.Name`` as usual, inside functions: the first
attribute looked up imports the real module.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class LazyModule(types.ModuleType):
    """Stands for a module until one of its attributes is needed; from then
    on its attributes are copied in, so later look-ups cost what they would
    on the module itself."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = name

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self.__dict__["_lazy_target"])
        self.__dict__.update(module.__dict__)
        return getattr(module, attribute)


libcst: Any = LazyModule("libcst")
libcst_metadata: Any = LazyModule("libcst.metadata")
