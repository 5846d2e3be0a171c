"""Calls that schedule a coroutine as an asyncio task, by qualified name.

The event loop keeps only a weak reference to the tasks it runs: whoever
made a task must hold it until it is done, and a container that holds every
task it is given grows unless something takes them out again.
"""

from __future__ import annotations

# Module functions that wrap a coroutine in a task and schedule it.
TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
