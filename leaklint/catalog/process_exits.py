"""Calls that end the process, and calls that run a function as the rest of its life.

When the process ends, the operating system takes back whatever it left
open: a path that ends in one of these leaks nothing after it.
"""

from __future__ import annotations

# Functions that end the process (or replace it with another program), by qualified name.
PROCESS_EXITS = frozenset(
    {"os._exit", "os.abort", "sys.exit", "os.execv", "os.execve", "os.execl", "os.execle", "os.execlp",
     "os.execlpe", "os.execvp", "os.execvpe"}
)
# Ansible modules end with ``module.fail_json(...)`` or ``module.exit_json(...)``: both exit.
EXITING_METHODS = frozenset({"fail_json", "exit_json"})
# Calls around a script's main function, as written: ``sys.exit(main())``,
# ``raise SystemExit(main())``, ``asyncio.run(main())``.
ENTRY_POINT_WRAPPERS = frozenset({"sys.exit", "exit", "quit", "SystemExit", "asyncio.run", "anyio.run", "trio.run"})
