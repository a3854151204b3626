"""Where `check` spends its time, phase by phase, on one portfolio.

    python benchmarks/profile_check.py PORTFOLIO [--as-of 2026-11-24]

Prints seconds for: parse (read + YAML), validate (pydantic, indexes), each rule family,
locate and assemble findings, and render JSON. Garbage collection is off, as in the CLI.
Everything runs in this one process (the CLI forks a second one for the duplicate rules
on large portfolios), so the phases add up to the work done, not to the CLI's wall time.
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
    from cxportfolio.model.portfolio import build_portfolio
    from cxportfolio.render import CHECK_RENDERERS, RenderOptions
    from cxportfolio.rules import REGISTRY, RuleContext

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


if __name__ == "__main__":
    main()
