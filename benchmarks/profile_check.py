"""Where `check` spends its time, phase by phase, on one portfolio.

    python benchmarks/profile_check.py PORTFOLIO [--as-of 2026-11-24]

Prints seconds for: parse (read + YAML), validate (pydantic, indexes), each rule family,
locate and assemble findings, and render JSON. Garbage collection is off, as in the CLI.
Everything runs in this one process (the CLI shares the rules with a second one on
large portfolios), so the phases add up to the work done, not to the CLI's wall time.
Last, each rule's time with its findings located, in tenths of a second: measured on the
100,000-initiative portfolio, these are the rules' `cost` hints (rules/base.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import time
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("portfolio", type=Path)
    parser.add_argument("--as-of", default="2026-11-24")
    args = parser.parse_args()
    gc.disable()
    start = time.perf_counter()
    from cxportfolio import engine
    from cxportfolio.load import load_files
    from cxportfolio.model.finding import Finding
    from cxportfolio.model.portfolio import build_portfolio
    from cxportfolio.render import CHECK_RENDERERS, RenderOptions
    from cxportfolio.rules import REGISTRY, Rule, RuleContext

    phases: dict[str, float] = {"import": time.perf_counter() - start}
    engine.PARALLEL_FROM_INITIATIVES = 10**12  # one process: phases that add up
    as_of = dt.date.fromisoformat(args.as_of)
    t = time.perf_counter()
    loaded = load_files(args.portfolio)
    phases["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    portfolio, _ = build_portfolio(loaded)
    _ = portfolio.by_id, portfolio.addressing, portfolio.effects_on, portfolio.goals_on
    phases["validate + index"] = time.perf_counter() - t
    context = RuleContext(portfolio, as_of)
    families: dict[str, float] = defaultdict(float)
    for code, rule in REGISTRY.items():
        if rule.check is not None:
            t = time.perf_counter()
            for _ in rule.check(context):
                pass
            families[f"rules {rule.check.__module__.rsplit('.', 1)[-1]} ({code[:4]}xx)"] += time.perf_counter() - t
    phases.update(families)
    per_rule: dict[str, float] = {}
    run_one = engine._Findings.run

    def timed(self: engine._Findings, rule: Rule, context: RuleContext) -> list[Finding]:
        t = time.perf_counter()
        try:
            return run_one(self, rule, context)
        finally:
            per_rule[rule.code] = time.perf_counter() - t

    engine._Findings.run = timed  # type: ignore[method-assign]
    t = time.perf_counter()
    run = engine.run_check(args.portfolio, as_of)
    total_check = time.perf_counter() - t
    phases["locate + assemble (check minus the above)"] = total_check - sum(
        v for k, v in phases.items() if k != "import")
    t = time.perf_counter()
    CHECK_RENDERERS["json"](run.result, RenderOptions())
    phases["render json"] = time.perf_counter() - t
    width = max(len(k) for k in phases)
    for name, seconds in phases.items():
        print(f"{name:<{width}}  {seconds:6.2f} s")
    print(f"{'check (one run, all phases)':<{width}}  {total_check:6.2f} s, {len(run.result.findings)} findings")
    ranked = sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))
    print("rules with their findings located, tenths of a second (cost hints):")
    print("  " + " ".join(f"{code}:{seconds * 10:.0f}" for code, seconds in ranked))


if __name__ == "__main__":
    main()
