"""A second process for the parts of a large check that pay for one.

Reading files (load) and the costly part of the duplicate rule (rules/duplicates.py)
each hand work to one worker process from the standard library, while this process does
the rest. The reader is forked before anything large is built; the rule's worker is
started afresh and given plain data, because a process forked from a built portfolio
soon holds a copy of most of it: every page that either process writes to (a reference
count, a new object in a free slot) is copied, and the check's memory nearly doubled.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Executor


def second_process_pays() -> bool:
    """Whether there is a second core and a way to fork (Linux; not Windows)."""
    import multiprocessing  # only for a check large enough to ask

    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def forked_worker() -> Executor:
    """One worker process, forked from this one when the first task is submitted."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # looked up now: tests count submissions

    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))


def spawned_worker() -> Executor:
    """One worker process started afresh (it shares none of this process's memory), when
    the first task is submitted; what it is given and returns is pickled."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
