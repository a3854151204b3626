"""Findings describe the portfolio, not how it is split into files or ordered."""

from __future__ import annotations

import json
import textwrap
import random
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import check, write_portfolio
from cxportfolio.cli import cli

TITLES = ["Status tracker", "Status tracker in the app", "Min side for dagpenger",
          "Min side for sykepenger", "Pension calculator", "Callback within a day", "Plain letters"]


@st.composite
def portfolios(draw: st.DrawFn) -> dict:
    units = [f"u{i}" for i in range(draw(st.integers(2, 4)))]
    kpis = [{"id": f"k{i}", "name": draw(st.sampled_from(["NPS", "NPS score", "Handling time", "Churn"])),
             "kind": draw(st.sampled_from(["outcome", "experience", "operational", "employee"])),
             "direction": draw(st.sampled_from(["increase", "decrease"])),
             "tradeoffs": draw(st.lists(st.sampled_from(["k0", "k1"]), max_size=1, unique=True))}
            for i in range(draw(st.integers(2, 4)))]
    pains = [{"id": f"p{i}", "journey": "j", "stage": "s", "title": "T",
              "severity": draw(st.integers(1, 5)),
              "evidence": [{"kind": draw(st.sampled_from(["survey", "assumption"]))}]}
             for i in range(draw(st.integers(1, 3)))]
    initiatives = []
    for i in range(draw(st.integers(1, 10))):
        status = draw(st.sampled_from(["idea", "approved", "in_progress", "done", "dropped"]))
        item = {"id": f"i{i}", "unit": draw(st.sampled_from(units)), "title": draw(st.sampled_from(TITLES)),
                "status": status,
                "addresses": draw(st.lists(st.sampled_from([p["id"] for p in pains]), max_size=2, unique=True)),
                "effects": [{"kpi": draw(st.sampled_from([k["id"] for k in kpis])),
                             "change": draw(st.sampled_from([-2, 3]))}
                            for _ in range(draw(st.integers(0, 2)))],
                "effort": draw(st.integers(1, 30)), "planned": "2026-Q3"}
        if status == "done":
            item["completed"] = "2026-02-01"
        if i and draw(st.booleans()):
            item["depends_on"] = [f"i{draw(st.integers(0, i - 1))}"]
        initiatives.append(item)
    unit_defs = [{"id": u, "name": u.upper(), "capacity": draw(st.integers(10, 60)),
                  "goals": draw(st.lists(st.fixed_dictionaries({
                      "kpi": st.sampled_from([k["id"] for k in kpis]),
                      "direction": st.sampled_from(["increase", "decrease"]),
                      "target": st.sampled_from([1, 2]), "period": st.just(2026)}), max_size=1))}
                 for u in units]
    return {"units": unit_defs, "kpis": kpis, "pain_points": pains, "initiatives": initiatives,
            "seed": draw(st.integers(0, 2**16))}


def _layout(p: dict, split: bool) -> dict[str, str]:
    """One file per unit, or (split) shuffled entities over two files per unit."""
    rng = random.Random(p["seed"])
    files = {"journeys.yaml": json.dumps({"journeys": [{"id": "j", "name": "J", "stages": [{"id": "s", "name": "S"}]}],
                                          "kpis": p["kpis"], "pain_points": p["pain_points"]})}
    for unit in p["units"]:
        own = [i for i in p["initiatives"] if i["unit"] == unit["id"]]
        if not split:
            files[f"units/{unit['id']}.yaml"] = json.dumps({"units": [unit], "initiatives": own})
            continue
        own = own[:]
        rng.shuffle(own)
        half = len(own) // 2
        files[f"units/{unit['id']}/a.yaml"] = json.dumps({"initiatives": own[:half]})
        files[f"units/{unit['id']}/b.yaml"] = json.dumps({"units": [unit], "initiatives": own[half:]})
    return files


def _signature(root: Path) -> Counter:
    return Counter((f.code, f.entities, f.message, f.suppressed) for f in check(root).result.findings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(portfolios())
def test_findings_do_not_depend_on_files_or_order(tmp_path_factory, p: dict) -> None:
    base = tmp_path_factory.mktemp("p")
    one = write_portfolio(base / "one", _layout(p, split=False))
    two = write_portfolio(base / "two", _layout(p, split=True))
    assert _signature(one) == _signature(two)


def test_suppressed_finding_stays_visible_but_does_not_fail(portfolio) -> None:
    root = portfolio({"a.yaml": """\
        units: [{id: a, name: A}, {id: b, name: B}]
        kpis: [{id: aht, name: AHT, kind: operational, direction: decrease}]
        initiatives:
          - id: A-1
            unit: a
            title: T
            status: idea
            effects: [{kpi: aht, change: -3}]
            allow: [{rule: CXP301, reason: "Advice calls may grow, agreed 2026-03"}]
          - id: B-1
            unit: b
            title: U
            status: idea
            effects: [{kpi: aht, change: 3}]
            allow: [{rule: CXP301, reason: "Advice calls may grow, agreed 2026-03"}]
        """}, config="year: 2026\nrules: {CXP301: error, CXP303: 'off', CXP401: 'off', CXP402: 'off', CXP404: 'off'}\n")
    runner = CliRunner()
    plain = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30"])
    assert plain.exit_code == 0 and "CXP301" not in plain.stdout
    assert plain.stdout.endswith("2 initiatives: no findings (1 suppressed by allow:).\n")
    shown = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--show-suppressed"])
    assert "CXP301 [suppressed: Advice calls may grow, agreed 2026-03] aht is pushed both ways" in shown.stdout
    data = json.loads(runner.invoke(cli, ["check", str(root), "--format", "json", "--as-of", "2026-06-30"]).stdout)
    [finding] = data["findings"]
    assert (finding["suppressed"], finding["reason"], data["summary"]["errors"]) == (
        True, "Advice calls may grow, agreed 2026-03", 0)


def test_allow_is_scoped_to_the_parties_that_accepted(portfolio) -> None:
    """An allow on one side of a conflict, or on a cluster a newcomer joined since,
    suppresses nothing: every party must accept (SECURITY.md)."""
    conflict = textwrap.dedent("""\
        units: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]
        kpis: [{id: aht, name: AHT, kind: operational, direction: decrease}]
        initiatives:
          - {id: A-1, unit: a, title: T, status: idea, effects: [{kpi: aht, change: -3}], %s}
          - {id: B-1, unit: b, title: U, status: idea, effects: [{kpi: aht, change: 3}], %s}
        """)
    allow = 'allow: [{rule: CXP301, reason: "agreed"}]'
    config = "year: 2026\nrules: {CXP303: 'off', CXP401: 'off', CXP402: 'off', CXP404: 'off'}\n"
    one_side = check(portfolio({"a.yaml": conflict % ("x-none: 1", allow)}, config=config))
    [finding] = one_side.result.findings
    assert not finding.suppressed
    assert finding.hint is not None and "accepted with allow: on B-1, but not on A-1" in finding.hint
    both = check(portfolio({"a.yaml": conflict % (allow, allow)}, config=config))
    assert [f.suppressed for f in both.result.findings] == [True]
    joined = conflict % (allow, allow) + (
        "  - {id: C-1, unit: c, title: V, status: idea, effects: [{kpi: aht, change: 2}]}\n")
    [live] = check(portfolio({"a.yaml": joined}, config=config)).result.findings
    assert not live.suppressed and "but not on C-1" in (live.hint or "")


def test_allow_needs_a_reason(portfolio) -> None:
    root = portfolio({"a.yaml": "units:\n  - {id: a, name: A, allow: [{rule: CXP501, reason: ''}]}\n"})
    assert [f.message for f in check(root).result.findings] == [
        "allow[0].reason must not be empty (unit a)"]
