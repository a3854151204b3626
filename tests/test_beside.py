"""Rules run in a second process give the same findings as in one, and failures travel back."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import signal
import time
from pathlib import Path

import pytest

from cxportfolio import beside, engine
from cxportfolio.beside import Beside, Tickets
from cxportfolio.render import CHECK_RENDERERS, RenderOptions

PORTFOLIOS = Path(__file__).resolve().parent.parent / "portfolios"
needs_fork = pytest.mark.skipif(not beside.CAN_FORK, reason="fork is used on Linux only")


@needs_fork
@pytest.mark.parametrize("name", ["nordbank", "welfare-agency"])
def test_findings_are_the_same_from_two_processes(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    as_of = dt.date(2026, 11, 24)
    alone = engine.run_check(PORTFOLIOS / name, as_of)
    forks: list[int] = []
    real_start = Beside._start

    def counted_start(self: Beside) -> None:
        real_start(self)
        forks.append(self._pid)

    monkeypatch.setattr(engine, "PARALLEL_FROM_INITIATIVES", 0)
    monkeypatch.setattr(Beside, "_start", counted_start)
    split = engine.run_check(PORTFOLIOS / name, as_of)
    assert forks and forks[0] != os.getpid()
    assert any(f.code == "CXP201" for f in split.result.findings)  # the child's rules reported
    if name == "nordbank":  # its status trackers are accepted with `allow:`, also in the child
        assert any(f.code == "CXP201" and f.suppressed for f in split.result.findings)
    render = CHECK_RENDERERS["json"]
    assert render(split.result, RenderOptions()) == render(alone.result, RenderOptions())


@needs_fork
def test_rules_taken_by_a_child_that_dies_run_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    as_of = dt.date(2026, 11, 24)
    alone = engine.run_check(PORTFOLIOS / "nordbank", as_of)
    parent = os.getpid()
    taken = tmp_path / "taken"
    real_run = engine._Findings.run

    def run_or_die(self: engine._Findings, rule, context):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and rule.code != "CXP201":  # the child, on its first shared rule
            taken.write_text(rule.code)
            os.kill(os.getpid(), signal.SIGKILL)
        return real_run(self, rule, context)

    real_iter = Tickets.__iter__

    def child_first(self: Tickets):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:  # let the child take the first shared rule, and die with it
            deadline = time.monotonic() + 30
            while not taken.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        yield from real_iter(self)

    monkeypatch.setattr(engine, "PARALLEL_FROM_INITIATIVES", 0)
    monkeypatch.setattr(engine._Findings, "run", run_or_die)
    monkeypatch.setattr(Tickets, "__iter__", child_first)
    split = engine.run_check(PORTFOLIOS / "nordbank", as_of)
    lost = taken.read_text()
    assert any(f.code == lost for f in alone.result.findings)  # its loss would show
    render = CHECK_RENDERERS["json"]
    assert render(split.result, RenderOptions()) == render(alone.result, RenderOptions())


@needs_fork
def test_tickets_are_handed_out_once_across_processes() -> None:
    def take_slowly(tickets: Tickets) -> list[int]:
        return [number for number in tickets if time.sleep(0.001) is None]

    with Tickets(400, shared=True) as tickets:
        assert tickets.shared
        with Beside(lambda: take_slowly(tickets)) as child:
            here = take_slowly(tickets)
            there = child.result()
    assert here and there  # both took some…
    assert sorted(here + there) == list(range(400))  # …and none twice


@needs_fork
def test_a_child_that_dies_holding_the_lock_does_not_block_the_parent() -> None:
    def too_long(*_: object) -> None:
        raise TimeoutError("the lock was never released")

    with Tickets(5, shared=True) as tickets:
        pid = os.fork()
        if pid == 0:  # the child: take the lock, then die without letting go
            try:
                fcntl.lockf(tickets._fd, fcntl.LOCK_EX)
                os.kill(os.getpid(), signal.SIGKILL)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status)  # killed while holding it
        previous = signal.signal(signal.SIGALRM, too_long)
        signal.alarm(10)
        try:
            assert list(tickets) == [0, 1, 2, 3, 4]
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def test_unshared_tickets_count_up_once() -> None:
    with Tickets(3, shared=False) as tickets:
        assert not tickets.shared
        assert list(tickets) == [0, 1, 2] and list(tickets) == []


@needs_fork
def test_the_result_comes_from_the_child() -> None:
    assert Beside(os.getpid).result() != os.getpid()


def test_without_fork_the_work_runs_here() -> None:
    assert Beside(os.getpid, fork=False).result() == os.getpid()


class _Refused(Exception):
    pass


def _refuse() -> None:
    raise _Refused("no")


@needs_fork
def test_an_exception_in_the_child_is_raised_in_the_parent() -> None:
    with pytest.raises(_Refused, match="no"):
        Beside(_refuse).result()


@needs_fork
def test_an_unpicklable_exception_arrives_as_its_text() -> None:
    def fail() -> None:
        error = ValueError("bad value")
        error.payload = lambda: None  # type: ignore[attr-defined]  # lambdas do not pickle
        raise error

    with pytest.raises(RuntimeError, match="ValueError: bad value"):
        Beside(fail).result()


@needs_fork
def test_a_child_that_dies_is_replaced_by_doing_the_work_here() -> None:
    def work() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return 42

    parent = os.getpid()
    assert Beside(work).result() == 42


@needs_fork
def test_a_child_killed_halfway_through_its_answer_is_replaced() -> None:
    def work() -> tuple[int, bytes]:
        return os.getpid(), b"x" * 10_000_000  # more than a pipe holds: writing it blocks

    elsewhere = Beside(work)
    time.sleep(1)  # by now the child is blocked, its answer half written
    os.kill(elsewhere._pid, signal.SIGKILL)
    assert elsewhere.result() == (os.getpid(), b"x" * 10_000_000)  # done again, here


@needs_fork
def test_a_failing_parent_stops_the_child() -> None:
    with pytest.raises(_Refused):
        with Beside(lambda: signal.pause()) as elsewhere:
            pid = elsewhere._pid
            _refuse()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no orphan left running
