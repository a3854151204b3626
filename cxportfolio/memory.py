"""The cyclic garbage collector, paused while a command builds its objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside; the collector's state restored after.

    A check builds millions of long-lived objects and no cycles worth collecting: the
    collector would rescan them again and again (a third of the time of a large check).
    Restoring the state keeps a command run in-process (a test, a library call) from
    changing the interpreter it runs in.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Set by the console command alone (cli.main): its process ends when the command does.
_PROCESS_ENDS_WITH_COMMAND = False


def process_ends_with_command() -> None:
    """Declare that this process ends when the command does (the console entry point;
    never a test or a library call, which go on running)."""
    global _PROCESS_ENDS_WITH_COMMAND
    _PROCESS_ENDS_WITH_COMMAND = True


def leave_to_exit(*objects: object) -> None:
    """In a process that ends with the command, keep `objects` to the end, out of the
    collector's sight: the system takes the memory back at once, where freeing a large
    check's millions of objects one by one takes seconds (1.4 s at 100,000 initiatives)
    and a collector restored while they live walks them all once more. Elsewhere it does
    nothing: the objects are freed as usual."""
    if _PROCESS_ENDS_WITH_COMMAND:
        kept: list[object] = [*objects]
        kept.append(kept)  # a cycle that nothing reaches: no reference count frees it…
        gc.freeze()  # …and the collector never looks at it, nor at anything built so far
