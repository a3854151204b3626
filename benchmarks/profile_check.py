"""Where `check` spends its time, stage by stage, on one portfolio.

    python benchmarks/profile_check.py PORTFOLIO [--as-of 2026-11-24]

Prints seconds for: imports, reading (files → data with positions, libyaml), validation
(pydantic, salvage, indexes), each rule's hits, locating every hit, the policy that makes
findings, and rendering JSON: the engine's three stages taken apart, in one process, so
the figures add up to the work `check` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("portfolio", type=Path)
    parser.add_argument("--as-of", default="2026-11-24")
    args = parser.parse_args()
    start = time.perf_counter()
    from cxportfolio import engine
    from cxportfolio.load import load_files
    from cxportfolio.model.finding import CheckResult
    from cxportfolio.model.portfolio import build_portfolio
    from cxportfolio.render import CHECK_RENDERERS, RenderOptions
    from cxportfolio.rules import REGISTRY, RuleContext

    phases: dict[str, float] = {"import": time.perf_counter() - start}
    from cxportfolio.memory import paused_gc

    pause = paused_gc()  # as run_check does
    pause.__enter__()
    as_of = dt.date.fromisoformat(args.as_of)
    t = time.perf_counter()
    loaded = load_files(args.portfolio)
    phases["read (libyaml, positions)"] = time.perf_counter() - t
    t = time.perf_counter()
    portfolio, problems = build_portfolio(loaded, {code: r.options for code, r in REGISTRY.items()})
    _ = portfolio.by_id, portfolio.addressing, portfolio.effects_on, portfolio.goals_on
    phases["validate + index"] = time.perf_counter() - t
    policy = engine.Policy(portfolio, engine.Selection())
    context = RuleContext(portfolio, as_of, portfolio.rules.options)
    per_rule: dict[str, float] = {}
    hits = []
    for code, rule in REGISTRY.items():
        if rule.check is not None:
            t = time.perf_counter()
            hits.extend((rule, hit) for hit in rule.check(context))
            per_rule[code] = time.perf_counter() - t
    phases["rules (hits)"] = sum(per_rule.values())
    t = time.perf_counter()
    loader_hits = list(engine.collect_hits(loaded, portfolio, problems, as_of,
                                           engine.Policy(portfolio, engine.Selection(ignore=("CXP1", "CXP2",
                                                                                             "CXP3", "CXP4",
                                                                                             "CXP5")))))
    located = list(engine.locate(loaded, [*loader_hits, *hits]))
    phases["locate"] = time.perf_counter() - t
    t = time.perf_counter()
    findings = sorted((policy.finding(h) for h in located), key=lambda f: f.sort_key)
    phases["policy + sort"] = time.perf_counter() - t
    t = time.perf_counter()
    CHECK_RENDERERS["json"](CheckResult(findings, engine.summarize(findings, portfolio), portfolio.files),
                            RenderOptions())
    phases["render json"] = time.perf_counter() - t
    width = max(len(k) for k in phases)
    for name, seconds in phases.items():
        print(f"{name:<{width}}  {seconds:7.3f} s")
    print(f"{'total':<{width}}  {sum(phases.values()):7.3f} s, {len(findings)} findings")
    ranked = sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))
    print("rules, slowest first (seconds): " + " ".join(f"{code}:{s:.3f}" for code, s in ranked[:8]))


if __name__ == "__main__":
    main()
