"""A forked second process for the parts of a large check that pay for one.

Reading files (load) and the heaviest rule (engine) each hand work to one forked worker
from the standard library, while this process does the rest. Forking shares what is
already built (the portfolio, for the rules) without pickling it on the way in.
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
