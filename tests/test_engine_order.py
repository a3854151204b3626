"""The engine takes a heavy rule's hits last (its second process works meanwhile); the
findings must be exactly those of taking every rule's hits in the rules' order."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from conftest import AS_OF
from cxportfolio import engine
from cxportfolio.memo import Memo
from cxportfolio.model.finding import Severity
from cxportfolio.rules.base import Anchor, Hit, Rule

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def _rule(code: str, hits: list[str], heavy: bool = False, seen: list[str] | None = None,
          closed: list[str] | None = None, fail: bool = False) -> Rule:
    class Found:
        """A heavy rule's answer: iterating it is when its second process would be waited for."""

        def __iter__(self):  # type: ignore[no-untyped-def]
            if seen is not None:
                seen.append(f"{code} taken")
            return iter([Hit(Anchor("f.yaml", ("x",)), message) for message in hits])

        def close(self) -> None:
            if closed is not None:
                closed.append(code)

    def check(_):  # type: ignore[no-untyped-def]
        if fail:
            raise RuntimeError("a rule failed")
        if heavy:
            return Found()
        return (Hit(Anchor("f.yaml", ("x",)), message) for message in hits)

    return Rule(code, code.lower(), Severity.WARNING, "", "", check, heavy=heavy)


def test_a_heavy_rules_hits_come_after_the_others_and_its_process_is_stopped() -> None:
    seen: list[str] = []
    closed: list[str] = []
    rules = [_rule("CXP101", ["a"]), _rule("CXP201", ["b", "c"], heavy=True, seen=seen, closed=closed),
             _rule("CXP301", ["d"])]
    order = []
    for rule, hit in engine._rule_hits(rules, None):  # type: ignore[arg-type]
        order.append((rule.code, hit.message))
        seen.append(hit.message)
    assert order == [("CXP101", "a"), ("CXP301", "d"), ("CXP201", "b"), ("CXP201", "c")]
    assert seen == ["a", "d", "CXP201 taken", "b", "c"]  # the others' hits were handed on first
    assert closed == ["CXP201"]


def test_a_failing_rule_stops_the_heavy_rules_process() -> None:
    closed: list[str] = []
    rules = [_rule("CXP201", ["b"], heavy=True, closed=closed), _rule("CXP301", [], fail=True)]
    with pytest.raises(RuntimeError):
        list(engine._rule_hits(rules, None))  # type: ignore[arg-type]
    assert closed == ["CXP201"]


def _ruled_in_order(root: Path, as_of: dt.date) -> list:
    """The findings with every rule's hits taken in the rules' order (the memo's way)."""
    return engine.run_check(root, as_of, memo=Memo()).result.findings


@pytest.mark.parametrize("example", ["nordbank", "welfare-agency"])
def test_the_examples_findings_do_not_depend_on_when_the_heavy_rules_hits_come(example: str) -> None:
    root = ROOT / "portfolios" / example
    assert engine.run_check(root, AS_OF).result.findings == _ruled_in_order(root, AS_OF)


def test_a_generated_portfolios_findings_do_not_depend_on_when_the_heavy_rules_hits_come(
        tmp_path: Path) -> None:
    from generate import generate  # large enough for CXP201's matrices, with findings of many rules

    generate(tmp_path, 900)
    as_of = dt.date(2026, 11, 24)
    fresh = engine.run_check(tmp_path, as_of).result.findings
    assert {"CXP201", "CXP301"} <= {f.code for f in fresh}
    assert fresh == _ruled_in_order(tmp_path, as_of)


def test_a_failure_while_locating_stops_the_heavy_rule_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other rules' hits are located while the heavy rule's process works: a failure
    there closes the rules' hits (and so stops that process) before run_check raises."""
    closed: list[str] = []

    def rule_hits(rules, context):  # type: ignore[no-untyped-def]
        try:
            yield rules[0], Hit(Anchor("units/retail.yaml", ("initiatives", 0, "id")), "m")
            yield rules[0], Hit(Anchor("units/retail.yaml", ("initiatives", 0, "id")), "n")
        finally:
            closed.append("closed")

    def failing(self, located):  # type: ignore[no-untyped-def]
        raise RuntimeError("a later stage failed")

    monkeypatch.setattr(engine, "_rule_hits", rule_hits)
    monkeypatch.setattr(engine.Policy, "finding", failing)
    with pytest.raises(RuntimeError) as raised:  # its traceback keeps run_check's frame alive
        engine.run_check(ROOT / "portfolios" / "nordbank", AS_OF)
    assert closed == ["closed"] and raised.traceback


def test_closing_a_heavy_rule_that_still_works_stops_its_process_at_once() -> None:
    import time

    from cxportfolio.processes import spawned_worker
    from cxportfolio.rules.duplicates import _Aside

    pool = spawned_worker()
    working = _Aside(pool, pool.submit(time.sleep, 60), lambda found: iter(()))
    time.sleep(0.5)
    start = time.monotonic()
    working.close()
    assert time.monotonic() - start < 20  # not the minute the task would take
