"""Deterministic synthetic portfolios for benchmarks and scale tests.

    python benchmarks/generate.py OUT_DIR --initiatives 10000 [--units 50] [--seed 1]

Writes a portfolio in the spec's format: `cxportfolio.yaml`, `journeys.yaml`, `kpis.yaml`,
`pain_points.yaml` and one `units/unitNNN.yaml` per unit, referentially valid (every
reference resolves, no cycles, done ⇔ completed), with realistic overlap between units: a
skewed choice of pain points (some are addressed by many units) and about 5% of
initiatives that near-duplicate another unit's title on the same pain point. Only
`random.Random(seed)` is used, so the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

VERBS = ["Simplify", "Automate", "Redesign", "Speed up", "Explain", "Digitise", "Personalise", "Remove",
         "Prefill", "Track", "Shorten", "Merge", "Translate", "Test", "Measure", "Clarify"]
SEGMENTS = ["first-time buyers", "pensioners", "small businesses", "students", "families", "farmers",
            "expats", "heirs", "young adults", "disabled customers", "new employees", "advisers"]
WORDS = ["status", "tracker", "calculator", "letter", "callback", "chat", "form", "prefill", "portal",
         "reminder", "appointment", "document", "upload", "signature", "notification", "payment",
         "statement", "guide", "checklist", "self-service", "dashboard", "search", "FAQ", "video"]
PLACES = ["online bank", "app", "branch", "call centre", "adviser desk", "mobile web", "mail"]
KINDS = ["outcome", "experience", "operational", "employee"]
EVIDENCE = ["survey", "nps", "complaint", "interview", "observation", "analytics", "employee"]


SYLLABLES = ["ka", "lin", "mo", "ber", "sta", "fjor", "vik", "hol", "dal", "ren", "tor", "ny", "gar",
             "sko", "bru", "lek", "mar", "ost", "vest", "sund"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def q(text: str) -> str:
    """JSON strings are valid YAML double-quoted scalars."""
    return json.dumps(text, ensure_ascii=False)


def generate(out_dir: Path, initiatives: int, units: int | None = None, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    units = units or (50 if initiatives <= 20_000 else 100)
    n_journeys = max(4, initiatives // 2500)
    n_kpis = max(12, initiatives // 1000)
    n_pains = max(20, initiatives // 50)
    (out_dir / "units").mkdir(parents=True, exist_ok=True)
    (out_dir / "cxportfolio.yaml").write_text(
        f"organization: Synthetic Org {initiatives}\nyear: 2026\ntarget: {{improvements: 50}}\n", encoding="utf-8")

    journeys, lines = [], ["journeys:"]
    for j in range(n_journeys):
        stages = [f"s{k}" for k in range(rng.randint(4, 6))]
        journeys.append((f"J{j}", stages))
        lines += [f"  - id: J{j}", f"    name: {q(f'Journey {j}')}", f"    owner: u{rng.randrange(units)}",
                  f"    volume: {rng.randint(1000, 500_000)}", "    stages:"]
        lines += [f"      - {{id: {s}, name: {q(f'Stage {k}')}, completion: {rng.uniform(0.5, 1.0):.2f}}}"
                  for k, s in enumerate(stages)]
    (out_dir / "journeys.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    lines = ["kpis:"]
    better: list[int] = []  # +1 when higher is better, -1 when lower is
    for k in range(n_kpis):
        drives = [f"K{t}" for t in range(k + 1, min(n_kpis, k + 4)) if rng.random() < 0.1]
        tradeoffs = [f"K{rng.randrange(n_kpis)}"] if rng.random() < 0.05 else []
        base = rng.randint(10, 90)
        better.append(1 if rng.random() < 0.7 else -1)
        lines += [f"  - id: K{k}", f"    name: {q(f'Measure {k}')}", f"    kind: {KINDS[k % 4]}",
                  f"    direction: {'increase' if better[-1] > 0 else 'decrease'}", "    unit: points",
                  f"    baseline: {{period: 2025, value: {base}}}", f"    target: {{period: 2026, value: {base + 5}}}",
                  f"    measurements: [{{period: 2026-Q1, value: {base + 1}}}, {{period: 2026-Q2, value: {base + 2}}}]",
                  f"    drives: [{', '.join(drives)}]", f"    tradeoffs: [{', '.join(tradeoffs)}]"]
    (out_dir / "kpis.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    lines = ["pain_points:"]
    for p in range(n_pains):
        journey, stages = journeys[rng.randrange(n_journeys)]
        if rng.random() < 0.03:
            evidence = "[{kind: assumption}]"
        else:
            evidence = "[" + ", ".join(f"{{kind: {rng.choice(EVIDENCE)}, count: {rng.randint(1, 500)}}}"
                                       for _ in range(rng.randint(1, 3))) + "]"
        lines += [f"  - id: PP{p}", f"    journey: {journey}", f"    stage: {rng.choice(stages)}",
                  f"    title: {q(f'Customers struggle with step {p}')}", f"    severity: {rng.randint(1, 5)}",
                  f"    reach: {rng.uniform(0.05, 1.0):.2f}", f"    evidence: {evidence}"]
    (out_dir / "pain_points.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    unit_lines: list[list[str]] = []
    for u in range(units):
        goal = f"{{kpi: K{rng.randrange(n_kpis)}, direction: increase, target: {rng.randint(50, 90)}, period: 2026}}"
        unit_lines.append([f"unit: u{u}", "units:", f"  - id: u{u}", f"    name: {q(f'Unit {u}')}",
                           f"    capacity: {rng.randint(50, 2000)}", f"    goals: [{goal}]", "initiatives:"])
    titles: list[tuple[str, list[str]]] = []
    hot = max(5, n_pains // 100)
    for i in range(initiatives):
        u = i % units
        if titles and rng.random() < 0.05:  # a near-duplicate of earlier work, on the same pain points
            title, addresses = rng.choice(titles)
            title = title.rsplit(" ", 1)[0] + " " + rng.choice(PLACES).split()[-1]
        else:
            # Real titles name their own subject; two made-up words stand for it.
            title = (f"{rng.choice(VERBS)} the {_word(rng)} {rng.choice(WORDS)} for "
                     f"{rng.choice(SEGMENTS)} via {_word(rng)}")
            # Skewed: a hot 1% of pain points draws a tenth of all links, as shared
            # problems (a "black hole" after applying) do in real portfolios.
            addresses = sorted({f"PP{rng.randrange(hot)}" if rng.random() < 0.1 else f"PP{rng.randrange(n_pains)}"
                                for _ in range(rng.randint(1, 3))})
        titles.append((title, addresses))
        status = rng.choices(["idea", "proposed", "approved", "in_progress", "done", "dropped"],
                             [15, 10, 20, 20, 30, 5])[0]
        effect_kpis = [rng.randrange(n_kpis) for _ in range(rng.randint(1, 2))]
        # Most effects move their KPI the better way; about 3% are honest side effects.
        effects = ", ".join(
            f"{{kpi: K{k}, change: {better[k] * rng.uniform(0.5, 10) * (-1 if rng.random() < 0.03 else 1):.1f}, "
            f"confidence: {rng.uniform(0.3, 1.0):.1f}}}" for k in effect_kpis)
        block = [f"  - id: I{i:06d}", f"    title: {q(title)}",
                 f"    description: {q(f'Improve {title.lower()} so customers finish sooner')}",
                 f"    addresses: [{', '.join(addresses)}]", f"    effects: [{effects}]",
                 f"    effort: {rng.randint(1, 60)}",
                 f"    size: {rng.choices(['quick_win', 'project', 'program'], [70, 25, 5])[0]}",
                 f"    status: {status}", f"    planned: 2026-Q{rng.randint(1, 4)}"]
        if status == "done":
            block.append(f"    completed: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}")
            if rng.random() < 0.7:
                block.append(f"    realized: [{{kpi: K{effect_kpis[0]}, change: {better[effect_kpis[0]]:.1f}, "
                             "period: 2026-Q3}]")
        if i and rng.random() < 0.1:
            block.append(f"    depends_on: [I{rng.randrange(i):06d}]")
        block.append(f"    tags: [{rng.choice(WORDS)}]")
        unit_lines[u].extend(block)
    size = 0
    for u, lines in enumerate(unit_lines):
        text = "\n".join(lines) + "\n"
        size += len(text.encode())
        (out_dir / "units" / f"unit{u:03d}.yaml").write_text(text, encoding="utf-8")
    return {"units": units, "journeys": n_journeys, "kpis": n_kpis, "pain_points": n_pains,
            "initiatives": initiatives, "unit_file_bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--initiatives", type=int, required=True)
    parser.add_argument("--units", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.out_dir, args.initiatives, args.units, args.seed)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
