"""Benchmark the language server's answer to an edit: time to fresh diagnostics, memory.

    python benchmarks/bench_lsp.py                    # 1,000 initiatives, 1,000 edits
    python benchmarks/bench_lsp.py --initiatives 1000 --edits 200

It generates a portfolio (benchmarks/generate.py, seed 1), opens one unit file in a warm
server session (cxportfolio/lsp) and edits it over and over, timing what the server does
once the debounce has passed: the whole check with the buffer laid over the files, and
the findings turned into each file's diagnostics (the garbage collector waits meanwhile, as in
the server, which sends the diagnostics before it collects, and before it frees what the
previous check computed and this one did not use: memo.release). Three kinds of edit: an effort typed
(`--edits` of them; no text changes, so CXP201 keeps its vectors), a title's last letter
replaced and a new word typed into titles letter by letter (a fifth as many each; the
texts' vectors are updated, and a new word changes the weights of its terms in
every text that has them). The session remembers what the
previous check computed from unchanged input (cxportfolio/memo.py), as the server does.
The issue's bar is 100 ms. The check's share is split into its stages (reading and
parsing the files, validating them into the portfolio, the rules) from one profiled
edit. Memory is the process's resident set after every 100th edit: a steady figure
means nothing grows with the session. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_check import calibration  # noqa: E402
from generate import generate  # noqa: E402

from cxportfolio.lsp import diagnostics  # noqa: E402
from cxportfolio.lsp.session import Session  # noqa: E402
from cxportfolio.memory import paused_gc  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
STAGES = {"load_files": "read and parse", "build_portfolio": "validate", "collect_hits": "rules (and locate)"}


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1048576


def edits_timed(session: Session, unit: Path, edited: Callable[[int], str], count: int,
                memory: list[tuple[int, float]] | None = None) -> tuple[list[float], list[float]]:
    """`count` edits, the n-th giving the buffer `edited(n)`: the time to fresh
    diagnostics after each, and the share of it that turns findings into diagnostics."""
    times, converts = [], []
    for n in range(count):
        session.buffers[unit] = edited(n)
        with paused_gc():  # as the server does: the collector runs once the diagnostics are sent
            start = time.perf_counter()
            snapshot = session.check()
            checked = time.perf_counter()
            result = snapshot.run.result
            if n == 0 and any(f.code == "CXP001" for f in result.findings):  # timing a half-typed file instead
                raise SystemExit(f"the first edit breaks the YAML of {unit.name}: not the edit meant")
            diagnostics.by_file(result.findings, result.files, snapshot.lines, lambda f: f, "utf-16", snapshot.memo)
            done = time.perf_counter()
            session.memo.release()  # as the server does once the diagnostics are sent
        times.append((done - start) * 1000)
        converts.append((done - checked) * 1000)
        if memory is not None and ((n + 1) % 100 == 0 or n == 0):
            memory.append((n + 1, rss_mib()))
    return times, converts


def replaced(text: str, places: list[int], n: int) -> str:
    """The n-th edit of a character: the one at places[n] (cycling) becomes a digit."""
    at = places[n % len(places)]
    return text[:at] + str(n % 9 + 1) + text[at + 1:]


WORD = "pensjonsberegning"


def typed(text: str, ends: list[int], n: int) -> str:
    """The n-th keystroke of WORD typed at the end of a title (before `ends`), one title
    after another: " p", " pe", … then the next title."""
    at, letters = ends[n // len(WORD) % len(ends)], n % len(WORD) + 1
    return text[:at] + " " + WORD[:letters] + text[at:]


def summary(ms: list[float]) -> str:
    return (f"median {statistics.median(ms):.0f} ms, p90 {sorted(ms)[int(len(ms) * 0.9)]:.0f} ms, "
            f"min {min(ms):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "portfolio"
        generate(root, args.initiatives)
        unit = sorted((root / "units").glob("*.yaml"))[0]
        text = unit.read_text(encoding="utf-8")
        session = Session(root, AS_OF)
        session.buffers[unit] = text
        session.check()  # warm: imports
        memory: list[tuple[int, float]] = []
        # An effort typed: no text changes, so CXP201's vectors are kept (memo.py).
        efforts = [m.start(1) for m in re.finditer(r"effort: (\d+)", text)]
        times, converts = edits_timed(session, unit, lambda n: replaced(text, efforts, n), args.edits, memory)
        # Titles edited (inside the quotes): the texts' vectors are updated, and only
        # the rules that read titles run again (Rule.reads). A letter replaced by a digit
        # leaves the portfolio's terms as they were (the generated descriptions repeat their
        # titles' words); a new word typed letter by letter adds terms and changes others'
        # weights across the portfolio, as a person writing a title does.
        titles = [m.end(1) for m in re.finditer(r'^\s*title: "?(.*?)"?$', text, re.M)]
        edits = max(args.edits // 5, 1)
        last_letters = [at - 1 for at in titles]
        lettered, _ = edits_timed(session, unit, lambda n: replaced(text, last_letters, n), edits)
        worded, _ = edits_timed(session, unit, lambda n: typed(text, titles, n), edits)
        session.buffers[unit] = text[:efforts[0]] + "7" + text[efforts[0] + 1:]  # an effort, profiled
        profile = cProfile.Profile()
        profile.runcall(session.check)
        stats = pstats.Stats(profile)
        stages = {label: next((v[3] for k, v in stats.stats.items() if k[2] == name), 0.0)  # type: ignore[attr-defined]
                  for name, label in STAGES.items()}
    print(f"{args.initiatives} initiatives, edits of one unit file (warm session, after the 150 ms "
          "debounce); bar: 100 ms")
    print(f"fresh diagnostics after an effort is typed ({args.edits} edits): {summary(times)}")
    print(f"  of which findings → diagnostics: median {statistics.median(converts):.1f} ms")
    print(f"fresh diagnostics after a title's last letter is replaced ({len(lettered)} edits): {summary(lettered)}")
    print(f"fresh diagnostics after a letter of a new word is typed in a title ({len(worded)} edits): "
          f"{summary(worded)}")
    total = sum(stages.values()) or 1.0
    print("  one profiled check after an effort is typed, by stage (profiler overhead included): "
          + ", ".join(f"{label} {seconds / total:.0%}" for label, seconds in stages.items()))
    print(f"machine calibration (pure-Python loop, as bench_check.py): {calibration():.2f} s")
    print("resident memory (MiB) after edit n: " + ", ".join(f"{n}: {mib:.0f}" for n, mib in memory))


if __name__ == "__main__":
    main()
