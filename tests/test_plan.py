"""`rank --capacity` / `--plan`: the solver's plan is optimal, feasible and explained.

The oracle is brute force over every subset of the open initiatives, with the
constraints written the plain way (each dependency done or chosen, each unit and the
whole within capacity, at most one member of a live duplicate cluster), so it shares no
code with the mixed-integer program it checks.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.analysis.ranking import RankingModel
from cxportfolio.analysis.selection import select
from cxportfolio.model.finding import Finding, Location, Severity
from tests.test_ranking_properties import make

STATUSES = ["idea", "proposed", "approved", "in_progress", "done", "dropped"]


@st.composite
def plans(draw: st.DrawFn) -> tuple[dict, list[Finding], float | None]:
    units = [{"id": u, "name": u.upper(),
              **({"capacity": draw(st.integers(0, 30))} if draw(st.booleans()) else {})}
             for u in ("u", "v")]
    stages = [{"id": "s0", "name": "S", "completion": 0.8}, {"id": "s1", "name": "S", "completion": 1.0}]
    journeys = [{"id": "j", "name": "J", "volume": draw(st.integers(1, 50_000)), "stages": stages}]
    pains = [{"id": f"p{p}", "journey": "j", "stage": draw(st.sampled_from(["s0", "s1"])), "title": "T",
              "severity": draw(st.integers(1, 5)), "reach": draw(st.sampled_from([0.1, 0.5, 1.0]))}
             for p in range(3)]
    count = draw(st.integers(2, 8))
    ids = [f"i{n}" for n in range(count)]
    initiatives = []
    for n, ident in enumerate(ids):
        initiatives.append({
            "id": ident, "title": "T", "unit": draw(st.sampled_from(["u", "v"])),
            "status": draw(st.sampled_from(STATUSES)),
            "addresses": draw(st.lists(st.sampled_from([p["id"] for p in pains]), max_size=2, unique=True)),
            # any other initiative, so cycles and chains through dropped work occur too
            "depends_on": draw(st.lists(st.sampled_from(ids[:n] + ids[n + 1:]), max_size=2, unique=True)),
            "effort": draw(st.sampled_from([1, 2.5, 4, 7, 12])),
        })
    for initiative in initiatives:
        if initiative["status"] == "done":
            initiative["completed"] = "2026-03-01"
    clusters = draw(st.lists(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True), max_size=2))
    findings = [Finding("CXP201", "duplicate-initiative", Severity.WARNING, "alike", Location("a.yaml", 1, 1),
                        entities=tuple(sorted(c)), suppressed=draw(st.booleans())) for c in clusters]
    capacity = draw(st.one_of(st.none(), st.sampled_from([0, 3, 10, 20.5, 40])))
    data = {"units": units, "journeys": journeys, "pain_points": pains, "kpis": [], "initiatives": initiatives}
    return data, findings, capacity


def brute_force(model: RankingModel, data: dict, findings: list[Finding], capacity: float | None) -> float:
    by_id = {i["id"]: i for i in data["initiatives"]}
    open_ids = [i for i, d in by_id.items() if d["status"] not in ("done", "dropped")]
    caps = {u["id"]: u["capacity"] for u in data["units"] if "capacity" in u}
    live = [set(f.entities) for f in findings if not f.suppressed]
    best = 0.0
    for r in range(len(open_ids) + 1):
        for combo in itertools.combinations(open_ids, r):
            chosen = set(combo)
            effort = {s: model.scores[s].effort for s in chosen}
            if capacity is not None and math.fsum(effort.values()) > capacity + 1e-9:
                continue
            if any(math.fsum(e for s, e in effort.items() if by_id[s]["unit"] == unit) > cap + 1e-9
                   for unit, cap in caps.items()):
                continue
            if any(not (dep in chosen or by_id[dep]["status"] == "done")
                   for s in chosen for dep in by_id[s]["depends_on"]):
                continue
            if any(len(chosen & members) > 1 for members in live):
                continue
            # the one open member of a cluster with a member done repeats work done already
            if any(chosen & members and any(by_id[m]["status"] == "done" for m in members)
                   and sum(by_id[m]["status"] not in ("done", "dropped") for m in members) == 1 for members in live):
                continue
            best = max(best, math.fsum(model.scores[s].impact for s in chosen))
    return best


@settings(max_examples=150, deadline=None)
@given(plans())
def test_the_plan_is_feasible_and_as_good_as_brute_force(plan: tuple[dict, list[Finding], float | None]) -> None:
    data, findings, capacity = plan
    model = RankingModel(make(data))
    chosen = select(model, capacity, findings)
    assert chosen.method == "optimal"
    assert math.isclose(chosen.impact, brute_force(model, data, findings, capacity), rel_tol=1e-9, abs_tol=1e-6)
    by_id = {i["id"]: i for i in data["initiatives"]}
    if capacity is not None:
        assert chosen.effort <= capacity + 1e-6
    for ident in chosen.selected:
        assert all(dep in chosen.selected or by_id[dep]["status"] == "done" for dep in by_id[ident]["depends_on"])
    # every open initiative is either chosen or left out with a reason
    open_ids = {i for i, d in by_id.items() if d["status"] not in ("done", "dropped")}
    assert set(chosen.left_out) == open_ids - chosen.selected
    assert all(reason for reason in chosen.left_out.values())


def test_never_funds_two_duplicates_blocked_work_or_over_a_units_capacity() -> None:
    data = {
        "units": [{"id": "u", "name": "U", "capacity": 10}, {"id": "v", "name": "V"}],
        "journeys": [{"id": "j", "name": "J", "volume": 1000,
                      "stages": [{"id": "s", "name": "S", "completion": 1.0}]}],
        "pain_points": [{"id": "p", "journey": "j", "stage": "s", "title": "T", "severity": 5, "reach": 1.0},
                        {"id": "q", "journey": "j", "stage": "s", "title": "T", "severity": 3, "reach": 1.0}],
        "kpis": [],
        "initiatives": [
            {"id": "calc-a", "title": "T", "unit": "u", "status": "idea", "addresses": ["p"], "effort": 4},
            {"id": "calc-b", "title": "T", "unit": "v", "status": "idea", "addresses": ["p"], "effort": 4},
            {"id": "old", "title": "T", "unit": "v", "status": "dropped", "addresses": ["q"], "effort": 1},
            {"id": "needs-old", "title": "T", "unit": "v", "status": "idea", "addresses": ["q"], "effort": 1,
             "depends_on": ["old"]},
            {"id": "big", "title": "T", "unit": "u", "status": "idea", "addresses": ["q"], "effort": 9},
        ],
    }
    cluster = Finding("CXP201", "duplicate-initiative", Severity.WARNING, "alike", Location("a.yaml", 1, 1),
                      entities=("calc-a", "calc-b"))
    plan = select(RankingModel(make(data)), 100, [cluster])
    assert len(plan.selected & {"calc-a", "calc-b"}) == 1
    other = ({"calc-a", "calc-b"} - plan.selected).pop()
    assert plan.left_out[other].startswith("an alternative was chosen: ")
    assert "needs-old" not in plan.selected
    assert plan.left_out["needs-old"] == "blocked: depends on old, which is dropped"
    assert math.fsum(RankingModel(make(data)).scores[i].effort for i in plan.selected
                     if i in ("calc-a", "big")) <= 10
    # accepted with allow: the two are no longer alternatives
    accepted = select(RankingModel(make(data)), 100, [dataclasses.replace(cluster, suppressed=True)])
    assert {"calc-a", "calc-b"} <= accepted.selected
    # the units' capacities can be left out of the plan
    unlimited = select(RankingModel(make(data)), 100, [cluster], unit_capacities=False)
    assert "big" in unlimited.selected and unlimited.unit_capacities == {}


def test_work_left_out_for_what_it_depends_on_is_told_so() -> None:
    # found by a newcomer: a 2-week initiative depending on 36 weeks of work not chosen was
    # "over the capacity: needs 2 person-weeks, 14 of 20 left", which reads as a wrong plan
    data = {
        "units": [{"id": "u", "name": "U"}],
        "journeys": [{"id": "j", "name": "J", "volume": 1000, "stages": [{"id": "s", "name": "S"}]}],
        "pain_points": [{"id": "p", "journey": "j", "stage": "s", "title": "T", "severity": 3, "reach": 1.0},
                        {"id": "q", "journey": "j", "stage": "s", "title": "T", "severity": 3, "reach": 0.2}],
        "kpis": [],
        "initiatives": [
            {"id": "small", "title": "T", "unit": "u", "status": "idea", "addresses": ["q"], "effort": 6},
            {"id": "base", "title": "T", "unit": "u", "status": "idea", "addresses": ["p"], "effort": 30},
            {"id": "api", "title": "T", "unit": "u", "status": "idea", "addresses": ["p"], "effort": 6,
             "depends_on": ["base"]},
            {"id": "sms", "title": "T", "unit": "u", "status": "idea", "addresses": ["p"], "effort": 2,
             "depends_on": ["api"]},
        ],
    }
    plan = select(RankingModel(make(data)), 20, [])
    assert plan.selected == {"small"}
    assert plan.left_out["base"] == "over the capacity: needs 30 person-weeks, 14 of 20 left"
    assert plan.left_out["api"] == "over the capacity: needs 6 person-weeks, 36 with base it depends on, 14 of 20 left"
    assert plan.left_out["sms"] == ("over the capacity: needs 2 person-weeks, 38 with api, base it depends on, "
                                    "14 of 20 left")


def test_rank_capacity_explains_the_plan_in_plain_words(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = Path(__file__).parent.parent / "portfolios" / "nordbank"
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-11-24", "--capacity", "120",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    selection = document["selection"]
    assert selection["method"] == "optimal"
    assert selection["effort"] <= 120
    assert "IT-006" not in selection["initiatives"]
    reasons = selection["left_out"]
    assert reasons["DIG-013"] == "blocked: depends on IT-006, which is dropped"
    text = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-11-24", "--capacity", "120"]).stdout
    assert "proven optimal" in text and "Left out:" in text


def test_blocked_work_is_found_in_linear_time_however_dense_the_dependencies() -> None:
    """A pull request may write any web of `depends_on` (SECURITY.md: near-linear work): a chain
    3,000 long and a lattice where every initiative needs the two before it (2^n paths)
    must neither recurse too deep nor take exponential time. A subprocess bounds the wait."""
    import subprocess
    import sys

    script = """
import json, sys
sys.path.insert(0, "tests")
from test_ranking_properties import make
from cxportfolio.analysis.ranking import RankingModel
from cxportfolio.analysis.selection import select
chain = [{"id": f"c{k}", "depends_on": [f"c{k - 1}"] if k else []} for k in range(3000)]
lattice = [{"id": f"w{k}", "depends_on": [f"w{j}" for j in (k - 1, k - 2) if j >= 0]} for k in range(80)]
rest = [{"id": "old", "status": "dropped"}, {"id": "x", "depends_on": ["w79", "old"]}]
initiatives = [{"title": "T", "unit": "u", "status": "idea", "effort": 1, **i} for i in chain + lattice + rest]
data = {"units": [{"id": "u", "name": "U"}], "journeys": [], "pain_points": [], "kpis": [],
        "initiatives": initiatives}
plan = select(RankingModel(make(data)), None)
print(json.dumps({k: v for k, v in plan.left_out.items() if v.startswith("blocked")}))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {"x": "blocked: depends on old, which is dropped"}


def test_a_plan_with_the_largest_weights_and_volumes_the_format_allows(tmp_path: Path) -> None:
    """Found by a hostile pull request: volumes of 10^9 and weights of 10^6 (all within the
    format's bounds, so `check` passes) made impacts of some 10^20, which the solver reads as
    infinite: `rank --capacity` was an internal error. The impacts are scaled for the solver."""
    import re
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = tmp_path / "nordbank"
    shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", root)
    journeys = root / "journeys.yaml"
    journeys.write_text(re.sub(r"volume: \d+", "volume: 1000000000", journeys.read_text(encoding="utf-8")),
                        encoding="utf-8")
    config = root / "cxportfolio.yaml"
    config.write_text(re.sub(r"(?m)^scoring:.*(\n[ #].*)*", "", config.read_text(encoding="utf-8")) + (
        "scoring:\n  kind_weights: {outcome: 1000000, experience: 1000000, employee: 1000000, operational: 1000000}\n"
        "  severity_weights: [1000000, 1000000, 1000000, 1000000, 1000000]\n"), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-11-24", "--select", "CXP0"])
    assert checked.exit_code == 0, checked.stdout
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-11-24", "--capacity", "100",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    chosen = [row for row in document["rows"] if row["selected"]]
    assert chosen and math.fsum(row["effort"] for row in chosen) <= 100
    assert max(row["impact"] for row in document["rows"]) > 1e19  # as large as the bounds allow


def test_two_open_duplicates_beside_done_ones_are_alternatives_as_cxp201_proposes_a_merge() -> None:
    """Found by a newcomer: with two of the welfare agency's four "My page" initiatives
    done, the plan left out both still open ("repeats work done already") while CXP201 and
    `rank --by cluster` proposed merging those two into one. Only a cluster's one open
    member beside done work repeats it; two or more are alternatives."""
    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = Path(__file__).parent.parent / "portfolios" / "welfare-agency"
    result = CliRunner().invoke(cli, ["rank", str(root), "--plan", "--as-of", "2026-06-30", "--format", "json"])
    document = json.loads(result.stdout)
    chosen = {row["id"] for row in document["rows"] if row["selected"]}
    assert len(chosen & {"AAP-001", "SYK-001"}) == 1
    reasons = document["selection"]["left_out"]
    assert [reasons.get(i, "") for i in ("AAP-001", "SYK-001") if i not in chosen][0].startswith(
        "an alternative was chosen")


def test_work_on_a_pain_point_the_figures_cannot_value_is_not_said_to_address_none(tmp_path: Path) -> None:
    """Found by a metamorphic hunt: with PP-dispute-form's journey misspelt (CXP102) the
    plan left out CRD-002 and DIG-014 as "adds no impact (it addresses no pain point)",
    and IT-004 so while a stage name of its journey was refused: each addresses one. The
    plan says which pain point rank cannot value, and one not known as such."""
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", tmp_path / "nordbank")

    def edit(file: str, old: str, new: str) -> None:
        text = (root / file).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (root / file).write_text(text.replace(old, new), encoding="utf-8")

    edit("pain_points.yaml", "  - id: PP-dispute-form\n    journey: card-problem\n",
         "  - id: PP-dispute-form\n    journey: card-problen\n")
    edit("units/it-platform.yaml", "    addresses: [PP-kyc-manual-wait]\n", "    addresses: [PP-kyc-manual-wiat]\n")

    def left_out() -> dict[str, str]:
        result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["selection"]["left_out"]

    reasons = left_out()
    for ident in ("CRD-002", "DIG-014"):
        assert reasons[ident] == ("adds no impact as the files stand: rank cannot value PP-dispute-form, which it "
                                  "addresses (a mistake there or in its journey)")
    assert reasons["IT-004"] == ("adds no impact as the files stand: PP-kyc-manual-wiat, which it addresses, "
                                 "is not known (CXP102)")
    assert reasons["IT-001"] == "adds no impact (it addresses no pain point)"  # it names none
    # a pain point valued 0 (its journey states no volume) is still one it addresses
    data = {"units": [{"id": "u", "name": "U"}], "kpis": [],
            "journeys": [{"id": "j", "name": "J", "stages": [{"id": "s", "name": "S"}]}],
            "pain_points": [{"id": "p", "journey": "j", "stage": "s", "title": "T", "severity": 3, "reach": 1.0}],
            "initiatives": [{"id": "a", "title": "T", "unit": "u", "status": "idea", "addresses": ["p"], "effort": 6}]}
    assert select(RankingModel(make(data)), 20, []).left_out == {"a": "adds no impact (its pain points are worth 0)"}


def test_a_plan_made_while_duplicates_go_unchecked_says_so(tmp_path: Path) -> None:
    """Found by a metamorphic hunt: with units/retail.yaml made unparsable, CXP201 reports
    nothing (the file could hold any text, docs/duplicates.md), and `rank --plan` funded
    CRD-002 beside DIG-014 and all three pension calculators — alternatives in the clean
    plan, none of them retail's — saying nothing; `--by cluster` said "no duplicated open
    work to consolidate". Both say that duplicates are not checked, and why."""
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", tmp_path / "nordbank")
    retail = root / "units" / "retail.yaml"

    def rank(*args: str) -> str:
        result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    said = ("Duplicated work (CXP201) is not checked while units/retail.yaml cannot be read: no row is flagged "
            "duplicate and the plan may fund more than one member of a cluster; correct the file to plan them as "
            "alternatives.")
    clean = json.loads(rank("--plan", "--format", "json"))["selection"]
    assert clean["duplicates_unchecked"] == [] and said not in rank("--plan")
    retail.write_text(retail.read_text(encoding="utf-8").replace(
        "    title: Plain-language first instalment letter\n",
        "    title: Plain-language first instalment letter\n   x: [\n"), encoding="utf-8")
    selection = json.loads(rank("--plan", "--format", "json"))["selection"]
    assert {"CRD-002", "DIG-014"} <= set(selection["initiatives"])
    assert selection["duplicates_unchecked"] == ["units/retail.yaml"]
    assert said in rank("--plan") and rank("--plan").count("Duplicated work (CXP201)") == 1  # the table's said once
    # the CSV, rows alone (its `selected` column the plan), says it on stderr: not lost with the table's line
    csv = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "csv"])
    assert csv.exit_code == 0 and "Duplicated work" not in csv.stdout
    assert f"cxportfolio: note: d{said[1:]}\n" in csv.stderr
    assert rank("--by", "cluster") == ("no duplicated open work found: duplicated work (CXP201) is not checked while "
                                       "units/retail.yaml cannot be read\n")
    # and its JSON, for a reader that does not see the text (an empty list is no answer)
    assert json.loads(rank("--by", "cluster", "--format", "json"))["duplicates_unchecked"] == ["units/retail.yaml"]
    # with CXP201 off, correcting the file finds no duplicate either: none of it is said
    config = root / "cxportfolio.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("rules:\n", "rules:\n  CXP201: off\n"),
                      encoding="utf-8")
    for args in (("--plan",), ("--all",), ("--by", "cluster")):
        assert "not checked" not in rank(*args), args
    assert json.loads(rank("--plan", "--format", "json"))["selection"]["duplicates_unchecked"] == []
    report = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2026-12-01"])
    assert report.exit_code == 0 and "Duplicated work (CXP201) is not checked" not in report.stdout


def test_work_of_a_unit_whose_capacity_is_refused_is_said_planned_within_none(tmp_path: Path) -> None:
    """Found by a metamorphic hunt: with cards' `capacity: lots` refused (CXP002) the plan
    "within each unit's own capacity" held cards' work to none and said nothing of it, as
    it once did for work whose unit is not known (CXP102). A line under the plan says so."""
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", tmp_path / "nordbank")
    cards = root / "units" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("    capacity: 80\n", "    capacity: lots\n"),
                     encoding="utf-8")

    def rank(*args: str) -> str:
        result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    selection = json.loads(rank("--plan", "--format", "json"))["selection"]
    chosen = sorted(i for i in selection["initiatives"] if i.startswith("CRD-"))
    assert chosen == ["CRD-001", "CRD-007", "CRD-010"]
    assert selection["capacity_refused"] == {i: "cards" for i in chosen}
    assert ("CRD-001, CRD-007, CRD-010 are planned within no unit's capacity: their unit's capacity (cards) is refused "
            "(CXP002); correct it to plan them within it.") in rank("--plan")
    # a plan within --capacity N holds them to its whole capacity: only no unit's holds them
    assert "CRD-001, CRD-007, CRD-010 are planned within no unit's capacity: " in rank("--plan", "--capacity", "100")
    # the CSV, rows alone (its `selected` column the plan), says it on stderr, as text says it under the plan
    csv = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "csv"])
    assert csv.exit_code == 0 and "planned within" not in csv.stdout
    assert csv.stderr.count("\n") == 2  # the figures' note, and this
    assert ("cxportfolio: note: CRD-001, CRD-007, CRD-010 are planned within no unit's capacity: their unit's "
            "capacity (cards) is refused (CXP002); correct it to plan them within it.\n") in csv.stderr
    # without the units' capacities (--capacity N --no-unit-capacity) nothing is said
    document = json.loads(rank("--format", "json", "--capacity", "100", "--no-unit-capacity"))
    assert document["selection"]["capacity_refused"] == {}
