"""Run one piece of work in a forked child process while the parent does its own.

Python runs one thread of Python code at a time, so the only way to use the second core
for rules (pure Python between rapidfuzz calls) is a second process. A *fork* shares the
validated portfolio with the child copy-on-write, so nothing is pickled on the way in;
only the result comes back, pickled through a pipe. Where fork is not the platform's
safe default (macOS, Windows) the work simply runs in this process.

The result is the same either way: `Beside(work).result()` returns what `work()` returns,
raises what it raised, and if the child dies without answering (killed, out of memory),
the work is done again here rather than lost.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")


class Beside(Generic[T]):
    """`work()` started in a child process; `result()` waits for it."""

    def __init__(self, work: Callable[[], T], fork: bool = True) -> None:
        self._work = work
        self._pid = 0
        self._pipe = -1
        if fork and CAN_FORK:
            self._start()

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send it back, leave without cleanup
            os.close(read_end)
            _answer(self._work, write_end)
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> T:
        if not self._pid:
            return self._work()
        with os.fdopen(self._pipe, "rb") as pipe:
            payload = pipe.read()  # the child writes once it is done, so this waits for it
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not payload or not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            # Died (killed, out of memory), perhaps halfway through writing: do the work here.
            return self._work()
        done, value = pickle.loads(payload)
        if not done:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child, when the parent fails and will not ask for the result."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._pipe)
            self._pid = 0

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


class Tickets:
    """The numbers 0 … count-1, each handed out once, here and in a child forked after
    this was made: work shared by two processes that each take the next piece when free.

    The counter lives in shared memory (`memfd`), guarded by a POSIX record lock, which
    the kernel releases if its holder dies. Not shared (`shared` False), it is a plain
    counter; a platform without memfd falls back to that too, and says so in `shared`.
    """

    def __init__(self, count: int, shared: bool) -> None:
        self.count = count
        self._fd = -1
        self._next: mmap.mmap | bytearray = bytearray(8)
        if shared and CAN_FORK:
            try:
                self._fd = os.memfd_create("cxportfolio-tickets")
                os.ftruncate(self._fd, 8)
                self._next = mmap.mmap(self._fd, 8)
            except (OSError, AttributeError):  # no memfd here (old C library, a sandbox)
                if self._fd >= 0:
                    os.close(self._fd)
                self._fd = -1
        self.shared = self._fd >= 0

    def __iter__(self) -> Iterator[int]:
        while (number := self._take()) < self.count:
            yield number

    def _take(self) -> int:
        if self._fd >= 0:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
        try:
            (number,) = struct.unpack_from("q", self._next)
            struct.pack_into("q", self._next, 0, number + 1)
            return number
        finally:
            if self._fd >= 0:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Release the shared counter; no numbers are handed out after this."""
        if isinstance(self._next, mmap.mmap):
            self._next.close()
        self._next = bytearray(struct.pack("q", self.count))
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Tickets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _answer(work: Callable[[], object], write_end: int) -> None:
    status = 1  # until the whole answer is written: the parent then does the work itself
    try:
        try:
            payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as err:  # noqa: BLE001 - every failure goes back to the parent
            payload = _failure(err)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        status = 0
    finally:
        # Never return into the parent's code, flush its buffers or run its exit handlers.
        os._exit(status)


def _failure(err: BaseException) -> bytes:
    try:
        return pickle.dumps((False, err))
    except Exception:  # noqa: BLE001 - an exception that cannot travel goes as its text
        return pickle.dumps((False, RuntimeError(f"{type(err).__name__}: {err}")))
