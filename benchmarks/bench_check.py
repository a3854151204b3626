"""Benchmark `cxportfolio check` against check-jsonschema on synthetic portfolios.

    python benchmarks/bench_check.py                 # 100, 500 and 10,000 initiatives, 5 runs each
    python benchmarks/bench_check.py --sizes 500 10000 100000 --runs 3
    python benchmarks/bench_check.py --quick         # smoke run: tiny sizes, 1 run

For each size it generates a portfolio (benchmarks/generate.py, seed 1), then times whole
commands as a user runs them, each in a fresh process: `cxportfolio check --format json`
(all rules) and `check-jsonschema --schemafile schemas/portfolio.schema.json` over the same
files (`schema_files`: schema validation only, a lower bar of work) and, beside it, the
floor (`FLOOR`: the interpreter and the libraries any check starts with, one pydantic model
built), run in turn. It reports the median wall time, the peak memory of the child, the ratio to
check-jsonschema (and the floor's), the 100k/10k time ratio, and a calibration (a fixed
pure-Python loop) that tells how fast the machine was; --json prints the same as JSON. check-jsonschema is skipped when it is not installed
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
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

REPO = HERE.parent


PSS_EVERY_S = 1.0


def timed(command: list[str], findings_exit: bool) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one child process and any it forks.

    Memory is the larger of the child's own peak RSS and the peak, sampled every
    `PSS_EVERY_S`, of the proportional set size (PSS) summed over the process and its
    children: a forked helper shares the parent's pages, so summing RSS would count them
    twice, and the parent's RSS alone would miss the helper's own pages. Reading PSS walks
    the process's page tables and holds up its page faults, so it is read seldom: every
    20 ms slowed the 100,000-initiative run by a third.

    Exit 0 is a success; so is 1 where `findings_exit` (cxportfolio's findings). Any other
    exit — check-jsonschema's 1 is a file it could not validate — stops the benchmark: a
    run that did other work than asked must not be timed.
    """
    with tempfile.TemporaryFile() as errors:  # not a pipe: a child that says much would wait on it
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        # The end is waited for, not polled: a poll's sleep would add up to its length to
        # every run. A second thread samples PSS meanwhile.
        ended = threading.Event()
        tree_peak = [0]

        def sample() -> None:
            while not ended.wait(PSS_EVERY_S):
                tree_peak[0] = max(tree_peak[0], _tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            # Ended but not reaped yet: its pid stays its own while the sampler stops.
            os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
            wall = time.perf_counter() - start
        except BaseException:  # interrupted: the child goes too
            process.kill()
            raise
        finally:
            ended.set()
            sampler.join()
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if code != 0 and not (code == 1 and findings_exit):
            errors.seek(max(0, errors.seek(0, os.SEEK_END) - 600))  # a traceback's last lines
            said = errors.read().decode(errors="replace").strip()
            raise SystemExit(f"{command[0]} failed with exit code {code}: …{said}")
    return wall, max(usage.ru_maxrss, tree_peak[0]) / 1024


def _tree_pss_kib(pid: int) -> int:
    """PSS in KiB of a process and its descendants (0 where /proc does not tell)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                total += sum(_tree_pss_kib(int(child)) for child in children.read().split())
    except OSError:  # not Linux, or the process just ended
        pass
    return total


def measure(commands: list[list[str]], runs: int) -> list[dict[str, float]]:
    """Run the commands in turn, `runs` rounds: interleaving keeps their ratio fair on a
    machine whose speed drifts (shared virtual machines do, by a third or more). The
    first is cxportfolio's, whose exit 1 means findings."""
    results: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for k, (command, found) in enumerate(zip(commands, results)):
            found.append(timed(command, findings_exit=k == 0))
    return [{"median_s": statistics.median(w for w, _ in found),
             "min_s": min(w for w, _ in found),
             "peak_mib": max(m for _, m in found)} for found in results]


def schema_files(root: Path) -> list[str]:
    """The files check-jsonschema validates: those the check reads, found by the check's
    own discovery, but one — the configuration, cxportfolio.yaml, which another schema
    describes (70 bytes here; not worth a second process)."""
    from cxportfolio.load.portfolio_files import discover

    return [str(found) for found in discover(root) if isinstance(found, Path)]


# What any check of this contract starts with before its own work: the interpreter, the
# command line (click), the YAML reader (PyYAML's libyaml) and the model library with one
# model built (pydantic: its first model loads much of it), set up as the console command
# sets it up (cli.main: no pydantic plugin, and no plugin lookup). Timed beside the others, its ratio to check-jsonschema says how much of a
# bar is left for reading, validating, the rules and rendering.
FLOOR = """
import os
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
from cxportfolio.plugin_lookup import skip_plugin_lookup
skip_plugin_lookup()
import click, yaml
from pydantic import BaseModel
class One(BaseModel):
    id: str
"""


def calibration() -> float:
    """Seconds for a fixed pure-Python loop (median of 3): how fast this machine is right
    now, so figures from different days can be compared."""
    def loop() -> float:
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        return time.perf_counter() - start
    return statistics.median(loop() for _ in range(3))


def yaml_yardstick(root: Path) -> float:
    """MB/s at which PyYAML's C loader parses the portfolio's unit files (best of 3).

    Issue #8 describes its machine by this figure (10,000 initiatives, about 4 MB, in
    0.9–1.3 s: 3.1–4.4 MB/s), so the ratio of the two says how much slower or faster
    this machine is than the one the absolute 100k bar was set on.
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "units").glob("*.yaml"))]
    size_mb = sum(len(t.encode()) for t in texts) / 1e6
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader
        seconds.append(time.perf_counter() - start)
    return size_mb / min(seconds)


ISSUE_YARDSTICK_MB_S = (3.1, 4.4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 10_000])
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
            commands = [[cxportfolio, "check", str(root), "--format", "json", "--as-of", "2026-11-24"]]
            if have_reference and size <= args.reference_max:
                commands.append([reference, "--schemafile", str(schema), *schema_files(root)])
                commands.append([sys.executable, "-c", FLOOR])
            ours, *theirs = measure(commands, args.runs)
            row: dict[str, object] = {"initiatives": size, "cxportfolio": ours}
            if theirs:
                row["check_jsonschema"], row["floor"] = theirs
                row["ratio"] = ours["median_s"] / theirs[0]["median_s"]
                row["floor_ratio"] = theirs[1]["median_s"] / theirs[0]["median_s"]
            rows.append(row)
        summary: dict[str, object] = {"runs": args.runs, "calibration_s": calibration(), "results": rows}
        # the yardstick parses the largest portfolio of 10,000 initiatives or fewer
        yard_size = max([s for s in args.sizes if s <= 10_000] or [min(args.sizes)])
        summary["yaml_yardstick_mb_s"] = yaml_yardstick(base / f"p{yard_size}")
    by_size = {row["initiatives"]: row["cxportfolio"]["median_s"] for row in rows}  # type: ignore[index]
    if 10_000 in by_size and 100_000 in by_size:
        summary["ratio_100k_10k"] = by_size[100_000] / by_size[10_000]
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{'initiatives':>11}  {'cxportfolio':>12}  {'peak MiB':>8}  {'check-jsonschema':>16}  {'ratio':>6}"
          f"  {'floor':>8}  {'ratio':>6}")
    for row in rows:
        ours = row["cxportfolio"]
        reference_row, floor = row.get("check_jsonschema"), row.get("floor")
        print(f"{row['initiatives']:>11,}  {ours['median_s']:>10.2f} s  {ours['peak_mib']:>8.0f}  "
              + (f"{reference_row['median_s']:>14.2f} s  {row['ratio']:>6.3f}  {floor['median_s']:>6.2f} s  "
                 f"{row['floor_ratio']:>6.3f}" if reference_row and floor
                 else f"{'–':>16}  {'–':>6}  {'–':>8}  {'–':>6}"))
    print("floor: Python, click, PyYAML and pydantic with one model built, before any work of the check")
    if "ratio_100k_10k" in summary:
        print(f"100k/10k time ratio: {summary['ratio_100k_10k']:.1f}")
    print(f"machine calibration (pure-Python loop): {summary['calibration_s']:.2f} s")
    low, high = ISSUE_YARDSTICK_MB_S
    print(f"PyYAML C loader on this machine: {summary['yaml_yardstick_mb_s']:.1f} MB/s "
          f"(the project's 2-core machine, docs/performance.md: {low}–{high} MB/s)")


if __name__ == "__main__":
    main()
