"""Benchmark `cxportfolio check` against check-jsonschema on synthetic portfolios.

    python benchmarks/bench_check.py                 # 500 and 10,000 initiatives, 5 runs each
    python benchmarks/bench_check.py --sizes 500 10000 100000 --runs 3
    python benchmarks/bench_check.py --quick         # smoke run: tiny sizes, 1 run

For each size it generates a portfolio (benchmarks/generate.py, seed 1), then times whole
commands as a user runs them, each in a fresh process: `cxportfolio check --format json`
(all rules) and `check-jsonschema --schemafile schemas/portfolio.schema.json` over the same
unit files (schema validation only, a lower bar of work). It reports the median wall time,
the peak resident memory of the child, and the ratio to check-jsonschema, and prints a
JSON summary with --json. check-jsonschema is skipped when it is not installed
(`pip install check-jsonschema`), and above --reference-max initiatives (it takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

REPO = HERE.parent


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1 means findings, which is a normal result here
        raise SystemExit(f"{command[0]} failed with exit code {code}: {process.stderr.read().decode()[:300]}")
    return wall, usage.ru_maxrss / 1024


def measure(command: list[str], runs: int) -> dict[str, float]:
    results = [timed(command) for _ in range(runs)]
    return {"median_s": statistics.median(w for w, _ in results),
            "min_s": min(w for w, _ in results),
            "peak_mib": max(m for _, m in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference-max", type=int, default=20_000,
                        help="skip check-jsonschema above this many initiatives")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 50 and 200, one run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs = [50, 200], 1
    cxportfolio = shutil.which("cxportfolio") or str(Path(sys.executable).with_name("cxportfolio"))
    reference = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    have_reference = Path(reference).exists()
    schema = REPO / "schemas" / "portfolio.schema.json"
    rows = []
    with tempfile.TemporaryDirectory(prefix="cxportfolio-bench-") as tmp:
        base = args.keep or Path(tmp)
        for size in args.sizes:
            root = base / f"p{size}"
            if not (root / "cxportfolio.yaml").exists():
                generate(root, size)
            ours = measure([cxportfolio, "check", str(root), "--format", "json", "--as-of", "2026-11-24"],
                           args.runs)
            row: dict[str, object] = {"initiatives": size, "cxportfolio": ours}
            if have_reference and size <= args.reference_max:
                units = sorted(str(p) for p in (root / "units").glob("*.yaml"))
                theirs = measure([reference, "--schemafile", str(schema), *units], args.runs)
                row["check_jsonschema"] = theirs
                row["ratio"] = ours["median_s"] / theirs["median_s"]
            rows.append(row)
    if args.json:
        print(json.dumps({"runs": args.runs, "results": rows}, indent=2))
        return
    print(f"{'initiatives':>11}  {'cxportfolio':>12}  {'peak MiB':>8}  {'check-jsonschema':>16}  {'ratio':>6}")
    for row in rows:
        ours = row["cxportfolio"]
        theirs = row.get("check_jsonschema")
        print(f"{row['initiatives']:>11,}  {ours['median_s']:>10.2f} s  {ours['peak_mib']:>8.0f}  "
              + (f"{theirs['median_s']:>14.2f} s  {row['ratio']:>6.3f}" if theirs else f"{'–':>16}  {'–':>6}"))


if __name__ == "__main__":
    main()
