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
