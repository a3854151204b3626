"""Related locations are as exact as the main position: each points at the token the
finding is about (the list item that makes a cycle, the goal's direction or target),
not at the list or mapping that holds it (issue 14: every position is the parser's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import check

KPI = "  - {{id: {id}, name: {id}, kind: experience, direction: {direction}, unit: points{extra}}}\n"


def at(root: Path, file: str, line: int, column: int) -> str:
    """The text of `file` from a 1-based line and column to the end of that line."""
    return (root / file).read_text(encoding="utf-8").splitlines()[line - 1][column - 1:]


def places(root: Path, code: str) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Per finding of `code`, its main position's text and each related location with its text."""
    run = check(root)
    return [(at(root, f.location.file, f.location.line, f.location.column),
             [(r.line, r.column, at(root, r.file, r.line, r.column)) for r in f.related])
            for f in run.result.findings if f.code == code]


def test_a_dependency_cycle_relates_the_item_naming_each_next_step(portfolio) -> None:
    """CXP104's related locations were each member's whole `depends_on` list (`[A-9, A-3]`,
    or the `-` of a block list's first item): now the item that names the next member."""
    root = portfolio({"units/a.yaml": (
        "unit: a\nunits: [{id: a, name: A}]\ninitiatives:\n"
        "  - {id: A-1, title: One, status: proposed, depends_on: [A-9, A-2]}\n"
        "  - {id: A-2, title: Two, status: proposed, depends_on: [A-9, A-3]}\n"
        "  - id: A-3\n    title: Three\n    status: proposed\n    depends_on:\n      - A-9\n      - A-1\n"
        "  - {id: A-9, title: Nine, status: proposed}\n")})
    [(main, related)] = places(root, "CXP104")
    assert main == "A-2]}"
    assert related == [(5, 63, "A-3]}"), (11, 9, "A-1")]


def test_a_driver_cycle_relates_the_item_naming_each_next_step(portfolio) -> None:
    """CXP106: `kpis.yaml:3:85` was `[k3, k1]`; now the item `k1` that closes the cycle."""
    root = portfolio({"kpis.yaml": "kpis:\n"
                      + KPI.format(id="k1", direction="increase", extra=", drives: [k3, k2]")
                      + KPI.format(id="k2", direction="increase", extra=", drives: [k3, k1]")
                      + KPI.format(id="k3", direction="increase", extra="")})
    [(main, related)] = places(root, "CXP106")
    assert main == "k2]}"
    assert related == [(3, 90, "k1]}")]


NORDBANK = Path(__file__).resolve().parents[1] / "portfolios" / "nordbank"


def test_conflicting_goals_relate_the_direction_and_the_target_in_the_example() -> None:
    """CXP302 on the shipped example related `units/customer-service.yaml:9:9` and `:10:9`,
    the goals' opening `{`: now the direction and the target the message compares."""
    found = sorted(places(NORDBANK, "CXP302"))
    assert found == [("82, period: 2026}", [(10, 70, "80, period: 2026}")]),
                     ("increase, period: 2026}   # longer, better advice calls", [(9, 31, "decrease, target: 260, period: 2026}")])]


def test_conflicting_targets_are_placed_on_the_period_s_goals(portfolio) -> None:
    """A target conflict in 2026 was placed on the first goal on the KPI, here a's 2025 goal
    (and related b's goal mapping): now on the 2026 targets that differ, and only those."""
    goal = "      - {{kpi: k, direction: increase, target: {target}, period: {period}}}\n"
    unit = "units:\n  - id: {id}\n    name: {id}\n    goals:\n"
    root = portfolio({
        "kpis.yaml": "kpis:\n" + KPI.format(id="k", direction="increase", extra=""),
        "units/a.yaml": unit.format(id="a") + goal.format(target=5, period=2025) + goal.format(target=7, period=2026),
        "units/b.yaml": unit.format(id="b") + goal.format(target=9, period=2026) + goal.format(target=5, period=2027)})
    [(main, related)] = places(root, "CXP302")
    assert main == "7, period: 2026}"
    assert related == [(5, 47, "9, period: 2026}")]


def test_a_tradeoff_collision_relates_the_tradeoff_named(portfolio) -> None:
    """CXP304 related `kpis.yaml:122:16` on the example, the list `[first-contact-resolution]`:
    now the item naming the KPI the message is about, the second one here."""
    root = portfolio({
        "kpis.yaml": "kpis:\n" + KPI.format(id="aht", direction="decrease", extra=", tradeoffs: [csat, fcr]")
        + KPI.format(id="fcr", direction="increase", extra="") + KPI.format(id="csat", direction="increase", extra=""),
        "units/q.yaml": "units:\n  - {id: q, name: Q, goals: [{kpi: fcr, direction: increase}]}\n",
        "units/c.yaml": "unit: c\nunits: [{id: c, name: C}]\ninitiatives:\n"
                        "  - {id: C-1, title: One, status: approved, effects: [{kpi: aht, change: -30}]}\n"})
    [(main, related)] = places(root, "CXP304")
    assert main == "aht, change: -30}]}"
    assert related == [(2, 97, "fcr]}")]


JOURNEY = ("journeys:\n  - id: j\n    name: J\n    stages:\n"
           "      - {id: explore, name: Explore, completion: 80}\n"  # refused: the stages kept move up
           "      - {id: apply, name: Submit}\n      - {id: decision, name: Get a decision}\n")


@pytest.mark.parametrize(("stage", "related"), [
    ("decison", [(7, 14, "decision, name: Get a decision}")]),  # the stage the hint names
    # its name, for its id (with a stage refused, `stages:` may have named it: no finding)
    ("Submit", [(6, 14, "apply, name: Submit}")]),
    ("payout", [(6, 14, "apply, name: Submit}"), (7, 14, "decision, name: Get a decision}")]),  # each listed
])
def test_an_unknown_stage_relates_the_stage_meant(portfolio, stage: str, related: list) -> None:
    """CXP103 related the journey's whole `stages:` list (`journeys.yaml:5:7`, the first
    item's `-`): now the id of the stage the hint names, else of each stage the message
    lists, at its own item even when a stage before it is refused."""
    journeys = JOURNEY.replace("completion: 80", "completion: 0.8") if stage == "Submit" else JOURNEY
    root = portfolio({"journeys.yaml": journeys, "pain_points.yaml": (
        "pain_points:\n  - {id: P, journey: j, stage: %s, title: T, severity: 3}\n" % stage)})
    [(main, found)] = places(root, "CXP103")
    assert main.startswith(f"{stage}, title")
    assert found == related
