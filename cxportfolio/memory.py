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


def leave_to_exit(*objects: object) -> None:
    """Under the console command, whose process ends when the command does, keep
    `objects` to the end, out of the collector's sight: the system takes the memory back
    at once, where freeing a large check's millions of objects one by one takes seconds
    (1.4 s at 100,000 initiatives) and a collector restored while they live walks them
    all once more. Elsewhere (a test, a library call) it does nothing: they are freed as
    usual. Call it only where the command ends next (`check`): the language server is a
    console command too, and runs on."""
    from cxportfolio.processes import is_console_command

    if is_console_command():
        kept: list[object] = [*objects]
        kept.append(kept)  # a cycle that nothing reaches: no reference count frees it…
        gc.freeze()  # …and the collector never looks at it, nor at anything built so far
