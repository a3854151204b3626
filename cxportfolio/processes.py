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


# Set by the console command alone (cli.main): never by a test or a library call.
_CONSOLE_COMMAND = False


def console_command() -> None:
    """Declare this process the console command's (`cxportfolio lsp` too, which runs on
    until the editor stops it). Its main module may be imported again by a process
    started afresh: the entry point pip writes is guarded by `if __name__ ==
    "__main__":`, and multiprocessing never runs a package's `__main__` again
    (`python -m cxportfolio`)."""
    global _CONSOLE_COMMAND
    _CONSOLE_COMMAND = True


def is_console_command() -> bool:
    return _CONSOLE_COMMAND


def second_process_pays(fresh: bool = False) -> bool:
    """Whether there is a second core and a way to fork (Linux; not Windows). With
    `fresh`, for a process started afresh: only under the console command. A process
    started afresh imports the main module again, and a library caller's script without
    `if __name__ == "__main__":` would run a second time in it (and the check fail);
    such a caller's check runs in one process."""
    import multiprocessing  # only for a check large enough to ask

    return ((os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()
            and (_CONSOLE_COMMAND or not fresh))


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
