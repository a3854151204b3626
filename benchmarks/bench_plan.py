"""Benchmark the plan solver (`rank --capacity` / `--plan`) on many candidates.

    python benchmarks/bench_plan.py                      # ~10,000 open candidates, 3 runs
    python benchmarks/bench_plan.py --initiatives 3000 --runs 1 --capacity 500

It generates a portfolio (benchmarks/generate.py, seed 1: about 10% of initiatives depend
on another, some on dropped work, about 5% are near-duplicates, every unit declares a
capacity), checks it once, then times only the solver — `select()` with the check's
findings — for an overall capacity and for the units' capacities alone, and prints the
candidates, dependency and duplicate constraints, the median seconds and whether the
plan was proven optimal. The check itself is measured by bench_check.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=15_500,
                        help="portfolio size (default 15,500: about 10,000 open candidates)")
    parser.add_argument("--capacity", type=float, default=2_000.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from cxportfolio.analysis.ranking import RankingModel
    from cxportfolio.analysis.selection import select
    from cxportfolio.engine import Selection, run_check

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.initiatives)
        run = run_check(Path(tmp), dt.date(2026, 11, 24), Selection())
    model = RankingModel(run.portfolio)
    candidates = [i for i in model.portfolio.initiatives if i.is_open]
    open_ids = {i.id for i in candidates}
    dependencies = sum(1 for i in candidates for d in i.depends_on if d in open_ids)
    clusters = sum(1 for f in run.result.findings if f.code == "CXP201" and not f.suppressed)
    print(f"{len(candidates)} open candidates, {dependencies} dependencies between them, "
          f"{clusters} duplicate clusters, {len(model.portfolio.units)} units with capacities")
    select(model, 1.0, run.result.findings)  # import SciPy and warm up outside the timing
    for label, capacity in ((f"overall {args.capacity:g} + units' capacities", args.capacity),
                            ("units' capacities only (--plan)", None)):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            plan = select(model, capacity, run.result.findings)
            times.append(time.perf_counter() - start)
        print(f"{label}: median {statistics.median(times):.2f} s over {args.runs} runs; "
              f"{len(plan.selected)} chosen, {plan.effort:g} person-weeks, {plan.method}")


if __name__ == "__main__":
    main()
