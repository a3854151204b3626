"""Deterministic synthetic portfolios for benchmarks and scale tests.

    python benchmarks/generate.py OUT_DIR --initiatives 10000 [--units 50] [--seed 1]

or, from Python, ``generate(Path("/tmp/p"), 10_000)``, which returns the counts.

Writes a portfolio in the file format of docs/format.md into OUT_DIR (created if needed, nothing is
deleted): ``cxportfolio.yaml``, ``journeys.yaml``, ``kpis.yaml``, ``pain_points.yaml`` and one
``units/unitNNN.yaml`` per unit (50 units up to 20,000 initiatives, 100 above), holding the
unit and its round-robin share of the initiatives.

The portfolio is referentially valid — ids unique across all kinds, every reference
resolves, pain point stages belong to their journey, KPI ``drives`` and ``depends_on`` point
only backwards/forwards in generation order so neither graph has a cycle, ``completed`` is
present exactly when the status is done — yet realistic enough to make the rules work: a
hot 1% of pain points draws a tenth of all links, about 5% of initiatives near-duplicate
another unit's initiative (same pain points, title differing in one word), a few effects go
against their KPI's direction, some dependencies are dropped work, some units are over
capacity, about 3% of pain points rest on assumptions only.

Only ``random.Random(seed)`` is used (no global random state, no clock), so the same
arguments give byte-identical files. Standard library only; the YAML is written as text,
with free text quoted by ``json.dumps`` (a JSON string is a valid YAML double-quoted scalar).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

YEAR = 2026
STATUSES = ["idea", "proposed", "approved", "in_progress", "done", "dropped"]
STATUS_WEIGHTS = [15, 10, 20, 20, 30, 5]
# Effort follows size, so a "quick win" is never a 60-person-week job.
SIZES = {"quick_win": (1, 8), "project": (6, 30), "program": (20, 60)}
SIZE_NAMES = list(SIZES)
SIZE_WEIGHTS = [70, 25, 5]

# Every slot is one word, so swapping one slot changes exactly one word of a title.
VERBS = ["Simplify", "Automate", "Redesign", "Accelerate", "Explain", "Digitise", "Personalise", "Remove",
         "Prefill", "Track", "Shorten", "Merge", "Translate", "Test", "Measure", "Clarify"]
NOUNS = ["status", "tracker", "calculator", "letter", "callback", "chat", "form", "portal", "reminder",
         "appointment", "document", "upload", "signature", "notification", "payment", "statement", "guide",
         "checklist", "self-service", "dashboard", "search", "FAQ", "video"]
SEGMENTS = ["first-time buyers", "pensioners", "small businesses", "students", "families", "farmers",
            "expats", "heirs", "young adults", "disabled customers", "new employees", "advisers"]
PLACES = ["app", "branch", "web", "phone", "chat", "mail", "kiosk", "netbank"]
SYLLABLES = ["ka", "lin", "mo", "ber", "sta", "fjor", "vik", "hol", "dal", "ren", "tor", "ny", "gar",
             "sko", "bru", "lek", "mar", "ost", "vest", "sund", "ø", "å"]
TAGS = ["self-service", "digital", "branch", "quick-fix", "compliance", "onboarding", "payments",
        "accessibility", "automation", "communication"]
EVIDENCE = ["survey", "nps", "complaint", "interview", "observation", "analytics", "employee"]

# Unicode names on purpose: Norwegian, Danish and Swedish text must work everywhere (docs/format.md).
UNIT_NAMES = ["Customer service", "Digital", "Retail", "Kundeservice Nord", "Rådgivning", "Bedrift",
              "Skadeavdelingen", "Kundtjänst Väst", "Økonomi", "IT operations", "Marketing", "Compliance"]
JOURNEY_NAMES = ["Open an account", "Get a mortgage", "Apply for a loan", "Report a claim", "Move abroad",
                 "Handle an estate", "Start a business", "Pay bills", "Søke boliglån", "Byta bank",
                 "Sætte penge til side", "Get help with the netbank"]
STAGE_NAMES = ["Discover", "Compare", "Apply", "Verify identity", "Get a decision", "Sign", "Onboard",
               "Use", "Get help", "Leave"]
KINDS = ["outcome", "experience", "operational", "employee"]
# Per kind: (name, direction, unit text, baseline range). Direction follows what the name measures.
KPI_TEMPLATES: dict[str, list[tuple[str, str, str, tuple[int, int]]]] = {
    "outcome": [("Retention 12 months", "increase", "%", (60, 95)), ("Churn", "decrease", "%", (2, 20)),
                ("Products per customer", "increase", "count", (1, 5))],
    "experience": [("NPS", "increase", "points", (-20, 70)), ("Customer effort", "decrease", "score 1-7", (2, 6)),
                   ("Kundetilfredshet", "increase", "score 0-100", (50, 90))],
    "operational": [("Handling time", "decrease", "seconds", (120, 600)),
                    ("First contact resolution", "increase", "%", (50, 90)),
                    ("Calls per application", "decrease", "calls", (1, 5))],
    "employee": [("eNPS", "increase", "points", (-30, 50)), ("Sick leave", "decrease", "%", (2, 9)),
                 ("Engagement", "increase", "score 0-100", (50, 85))],
}

# Completion dates run 2026-01-01 .. 2026-10-31, so `check --as-of` any later day sees them as past.
_DAY0 = dt.date(YEAR, 1, 1)
DONE_DATES = [(_DAY0 + dt.timedelta(days=d)).isoformat()
              for d in range((dt.date(YEAR, 10, 31) - _DAY0).days + 1)]


def q(text: str) -> str:
    """Quote free text: a JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def _made_up(rng: random.Random) -> str:
    """A made-up product word; it stands for the subject a real title would name, and keeps titles distinct."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _quarter(date: str) -> int:
    return (int(date[5:7]) - 1) // 3 + 1


def _write(path: Path, lines: list[str]) -> int:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data)  # bytes, not text: no platform newline translation, so output is identical everywhere
    return len(data)


def generate(out_dir: Path, initiatives: int, units: int | None = None, seed: int = 1) -> dict[str, int]:
    """Write a synthetic portfolio into ``out_dir`` and return what it holds (counts, files, bytes)."""
    if initiatives < 0:
        raise ValueError("initiatives must be >= 0")
    n_units = units if units is not None else (50 if initiatives <= 20_000 else 100)
    if n_units < 1:
        raise ValueError("units must be >= 1")
    rng = random.Random(seed)
    n_journeys = max(4, initiatives // 2500)
    n_kpis = max(12, initiatives // 1000)
    n_pains = max(20, initiatives // 50)
    out_dir = Path(out_dir)
    (out_dir / "units").mkdir(parents=True, exist_ok=True)
    size = _write(out_dir / "cxportfolio.yaml", [
        f"organization: Synthetic Org {initiatives}", f"year: {YEAR}", "target: {improvements: 50}"])

    # Journeys, each with 4–6 ordered stages; stage ids are scoped to their journey.
    journey_stages: list[list[str]] = []
    journey_names: list[str] = []
    lines = ["journeys:"]
    for j in range(n_journeys):
        name = JOURNEY_NAMES[j % len(JOURNEY_NAMES)]
        journey_names.append(name if j < len(JOURNEY_NAMES) else f"{name} {j}")
        stage_names = sorted(rng.sample(range(len(STAGE_NAMES)), rng.randint(4, 6)))  # keep the journey's order
        journey_stages.append([f"s{k}" for k in range(len(stage_names))])
        lines += [f"  - id: J{j}", f"    name: {q(journey_names[j])}", f"    owner: u{rng.randrange(n_units)}",
                  f"    volume: {rng.randint(1000, 500_000)}", "    stages:"]
        lines += [f"      - {{id: s{k}, name: {q(STAGE_NAMES[s])}, completion: {rng.uniform(0.5, 1.0):.2f}}}"
                  for k, s in enumerate(stage_names)]
    size += _write(out_dir / "journeys.yaml", lines)

    # KPIs. `drives` only point to higher indexes, so the driver graph is acyclic.
    better: list[int] = []  # +1 when higher is better, -1 when lower is
    targets: list[int] = []
    lines = ["kpis:"]
    for k in range(n_kpis):
        kind = KINDS[k % 4]
        label, direction, unit_text, (low, high) = rng.choice(KPI_TEMPLATES[kind])
        sign = 1 if direction == "increase" else -1
        base = rng.randint(low, high)
        step = max(1, (high - low) // 10)
        better.append(sign)
        targets.append(base + sign * step)
        drives = [f"K{t}" for t in range(k + 1, min(n_kpis, k + 4)) if rng.random() < 0.1]
        tradeoffs = [f"K{(k + rng.randrange(1, n_kpis)) % n_kpis}"] if rng.random() < 0.05 else []  # never itself
        lines += [f"  - id: K{k}", f"    name: {q(f'{label} {k}')}", f"    kind: {kind}",
                  f"    direction: {direction}", f"    unit: {q(unit_text)}",
                  f"    baseline: {{period: {YEAR - 1}, value: {base}}}",
                  f"    target: {{period: {YEAR}, value: {targets[k]}}}",
                  "    measurements:",
                  f"      - {{period: {YEAR}-Q1, value: {base + sign * rng.randint(-1, step)}}}",
                  f"      - {{period: {YEAR}-Q2, value: {base + sign * rng.randint(-1, step)}}}"]
        if drives:
            lines.append(f"    drives: [{', '.join(drives)}]")
        if tradeoffs:
            lines.append(f"    tradeoffs: [{', '.join(tradeoffs)}]")
    size += _write(out_dir / "kpis.yaml", lines)

    lines = ["pain_points:"]
    for p in range(n_pains):
        j = rng.randrange(n_journeys)
        if rng.random() < 0.03:  # a few rest on assumptions only (CXP403)
            evidence = ["      - {kind: assumption}"]
        else:
            evidence = [f"      - {{kind: {rng.choice(EVIDENCE)}, count: {rng.randint(1, 500)}}}"
                        for _ in range(rng.randint(1, 3))]
        lines += [f"  - id: PP{p}", f"    journey: J{j}", f"    stage: {rng.choice(journey_stages[j])}",
                  f"    title: {q(f'Customers get stuck at step {p} of {journey_names[j]}')}",
                  f"    severity: {rng.randint(1, 5)}", f"    reach: {rng.uniform(0.05, 1.0):.2f}",
                  "    evidence:", *evidence]
    size += _write(out_dir / "pain_points.yaml", lines)

    # Initiatives, built per unit; the unit headers come last because capacity depends on the work.
    blocks: list[list[str]] = [[] for _ in range(n_units)]
    committed = [0] * n_units
    originals: list[tuple[int, str, str]] = []  # (unit, title, addresses) of non-duplicate initiatives
    hot = max(5, n_pains // 100)
    for i in range(initiatives):
        u = i % n_units
        title = ""
        if n_units > 1 and originals and rng.random() < 0.05:
            # Near-duplicate of another unit's work: same pain points, the last word (the channel) swapped.
            src = rng.randrange(len(originals))
            if originals[src][0] == u:
                src = src - 1 if src else src + 1  # round-robin neighbours belong to other units
            if src < len(originals) and originals[src][0] != u:
                _, other, addresses = originals[src]
                head, last = other.rsplit(" ", 1)
                title = f"{head} {PLACES[(PLACES.index(last) + rng.randrange(1, len(PLACES))) % len(PLACES)]}"
        if not title:
            title = (f"{rng.choice(VERBS)} the {_made_up(rng)} {rng.choice(NOUNS)} for "
                     f"{rng.choice(SEGMENTS)} via {_made_up(rng)} {rng.choice(PLACES)}")
            # Skewed: a hot 1% of pain points draws a tenth of the links, as shared problems do.
            picked = {rng.randrange(hot) if rng.random() < 0.1 else rng.randrange(n_pains)
                      for _ in range(rng.randint(1, 3))}
            addresses = ", ".join(f"PP{p}" for p in sorted(picked))
            originals.append((u, title, addresses))
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        size_name = rng.choices(SIZE_NAMES, SIZE_WEIGHTS)[0]
        effort = rng.randint(*SIZES[size_name])
        effect_kpis = rng.sample(range(n_kpis), rng.randint(1, 2))
        block = [f"  - id: I{i:06d}", f"    title: {q(title)}",
                 f"    description: {q(f'{title} so that customers reach their goal with less effort.')}",
                 f"    addresses: [{addresses}]", "    effects:"]
        for k in effect_kpis:
            # Most effects move the KPI the better way; about 3% are honest side effects (CXP301/CXP303).
            sign = -better[k] if rng.random() < 0.03 else better[k]
            block.append(f"      - {{kpi: K{k}, change: {sign * rng.uniform(0.5, 10):.1f}, "
                         f"confidence: {rng.uniform(0.3, 1.0):.2f}}}")
        block += [f"    effort: {effort}", f"    size: {size_name}", f"    status: {status}"]
        if status == "done":
            completed = rng.choice(DONE_DATES)
            quarter = _quarter(completed)
            block += [f"    planned: {YEAR}-Q{quarter}", f"    completed: {completed}"]
            if rng.random() < 0.7:  # the rest have no follow-up yet (CXP405)
                k = effect_kpis[0]
                block.append(f"    realized: [{{kpi: K{k}, change: {better[k] * rng.uniform(0.2, 8):.1f}, "
                             f"period: {YEAR}-Q{min(4, quarter + 1)}}}]")
        else:
            block.append(f"    planned: {YEAR}-Q{rng.randint(1, 4)}")
        if status in ("approved", "in_progress"):
            committed[u] += effort
        if i and rng.random() < 0.1:  # only earlier initiatives, so depends_on has no cycle
            block.append(f"    depends_on: [I{rng.randrange(i):06d}]")
        block.append(f"    tags: [{', '.join(sorted(rng.sample(TAGS, rng.randint(1, 2))))}]")
        blocks[u] += block

    for u in range(n_units):
        kpi = rng.randrange(n_kpis)
        goal_target = targets[kpi] + (rng.choice([-1, 1]) if rng.random() < 0.05 else 0)  # a few disagree (CXP302)
        # Capacity around the committed effort, so roughly a third of units are over it (CXP501).
        capacity = max(1, round(committed[u] * rng.uniform(0.8, 1.4)))
        header = [f"unit: u{u}", "units:", f"  - id: u{u}",
                  f"    name: {q(f'{UNIT_NAMES[u % len(UNIT_NAMES)]} {u}')}", f"    capacity: {capacity}",
                  "    goals:",
                  f"      - {{kpi: K{kpi}, direction: {'increase' if better[kpi] > 0 else 'decrease'}, "
                  f"target: {goal_target}, period: {YEAR}}}",
                  "initiatives:" if blocks[u] else "initiatives: []"]
        size += _write(out_dir / "units" / f"unit{u:03d}.yaml", header + blocks[u])

    return {"files": 4 + n_units, "bytes": size, "units": n_units, "journeys": n_journeys, "kpis": n_kpis,
            "pain_points": n_pains, "initiatives": initiatives}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--initiatives", type=int, required=True)
    parser.add_argument("--units", type=int, default=None, help="default 50, or 100 above 20,000 initiatives")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(args.out_dir, args.initiatives, args.units, args.seed)
    print(f"{args.out_dir}: " + " ".join(f"{k}={v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
