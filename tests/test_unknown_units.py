"""A unit that is not known is no unit of its own (issue 14: a mistake in one place
changes only the findings about that place).

`unit: digitl` on one of digital's initiatives is told once, by CXP102. The rules that
compare units must not read it as a unit beside `digital`: each case below checks a
portfolio twice, as written and with one initiative's unit misspelt, and the findings
but the typo's CXP102 must be the same (by code, message and entities). The report forms
no heading nor row under such a name either (docs/tracking.md).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import AS_OF, check, write_portfolio
from cxportfolio.analysis.change import compare
from cxportfolio.cli import cli
from cxportfolio.engine import CheckRun

NORDBANK = Path(__file__).resolve().parent.parent / "portfolios" / "nordbank"


def _findings(run: CheckRun) -> Counter[tuple[str, str, tuple[str, ...]]]:
    return Counter((f.code, f.message, f.entities) for f in run.result.findings if f.code != "CXP102")


def _both(tmp_path: Path, files: dict[str, str], typo: tuple[str, str, str]) -> tuple[CheckRun, CheckRun]:
    """The portfolio as written, and with `typo` (file, old, new) made: its runs."""
    files = {name: textwrap.dedent(text) for name, text in files.items()}
    clean = check(write_portfolio(tmp_path / "clean", files))
    file, old, new = typo
    assert files[file].count(old) == 1
    mutated = check(write_portfolio(tmp_path / "typo", {**files, file: files[file].replace(old, new)}))
    assert [f.code for f in mutated.result.findings if f.code == "CXP102"] == ["CXP102"], "the typo is told once"
    return clean, mutated


# CXP201: digital's own two tracker initiatives are one unit's work (no duplicate), and
# retail's similar one is digital's duplicate either way.
_TRACKERS = {
    "base.yaml": """\
        units: [{id: digital, name: D}, {id: retail, name: R}]
        journeys: [{id: mortgage, name: M, stages: [{id: decision, name: Decision}]}]
        pain_points: [{id: PP-black-hole, journey: mortgage, stage: decision, title: T, severity: 4}]
        """,
    "units/digital.yaml": """\
        unit: digital
        initiatives:
          - id: DIG-1
            title: Application status tracker in the online bank
            description: Customers follow their mortgage application's status in the online bank.
            status: idea
            addresses: [PP-black-hole]
          - id: DIG-2
            unit: digital
            title: Application status tracker in the app
            description: Customers follow their mortgage application's status in the app.
            status: idea
            addresses: [PP-black-hole]
        """,
}


_DIG_2 = ("units/digital.yaml", "id: DIG-2\n    unit: digital\n", "id: DIG-2\n    unit: digitl\n")


def test_cxp201_pairs_no_work_of_a_unit_not_known(tmp_path: Path) -> None:
    """Two of digital's initiatives, one written `unit: digitl` (a CXP102), were a CXP201
    "DIG-1 (digital) and DIG-2 (digitl) both address PP-black-hole with similar
    initiatives: pick one owner", the typo read as another unit duplicating digital's
    work. Work of a unit that is not known is not paired (its words still weigh), so the
    typo is its CXP102 alone."""
    clean, mutated = _both(tmp_path, _TRACKERS, _DIG_2)
    assert not [f for f in clean.result.findings if f.code == "CXP201"]
    assert _findings(mutated) == _findings(clean)


def test_cxp201_cluster_with_work_of_a_unit_not_known_is_unchecked_meanwhile(tmp_path: Path) -> None:
    """A true duplicate (digital's DIG-2 and retail's RET-1) goes while DIG-2's unit is not
    known, as its unit decides whether the two are one unit's work; `diff` calls the
    cluster unchecked, not resolved (and a cluster that loses such a member, changed)."""
    retail = """\
        unit: retail
        initiatives:
          - id: RET-1
            title: Application status tracker for advisers
            description: Advisers follow a customer's mortgage application's status in the branch.
            status: idea
            addresses: [PP-black-hole]
        """
    digital = _TRACKERS["units/digital.yaml"]
    pair = {**_TRACKERS, "units/digital.yaml": digital[:digital.index("  - id: DIG-1")] + digital[digital.index("  - id: DIG-2"):],
            "units/retail.yaml": retail}
    clean, mutated = _both(tmp_path / "pair", pair, _DIG_2)
    assert [f.entities for f in clean.result.findings if f.code == "CXP201"] == [("DIG-2", "RET-1")]
    assert _findings(mutated) == _findings(clean) - Counter({f: 1 for f in _findings(clean) if f[0] == "CXP201"})
    change = compare(clean, mutated, AS_OF)
    assert ([f.code for f in change.unchecked_findings], change.resolved_findings) == (["CXP201"], [])
    assert [f.code for f in change.new_findings] == ["CXP102"]

    clean, mutated = _both(tmp_path / "three", {**_TRACKERS, "units/retail.yaml": retail}, _DIG_2)
    assert [f.entities for f in clean.result.findings if f.code == "CXP201"] == [("DIG-1", "DIG-2", "RET-1")]
    assert [f.entities for f in mutated.result.findings if f.code == "CXP201"] == [("DIG-1", "RET-1")]
    change = compare(clean, mutated, AS_OF)
    assert [(a.entities, b.entities) for a, b in change.changed_findings] == [(("DIG-1", "DIG-2", "RET-1"), ("DIG-1", "RET-1"))]
    assert change.resolved_findings == [] and [f.code for f in change.new_findings] == ["CXP102"]


# CXP301: digital's own two initiatives push handling time both ways (its own trade-off,
# CXP303's business); customer-service's pushes it down too.
_AHT = {
    "base.yaml": """\
        units: [{id: digital, name: D}, {id: customer-service, name: C}]
        kpis: [{id: aht, name: AHT, kind: operational, direction: decrease}]
        """,
    "units/digital.yaml": """\
        unit: digital
        initiatives:
          - {id: DIG-1, title: Chat bot, status: idea, effects: [{kpi: aht, change: -20}]}
          - id: DIG-2
            unit: digital
            title: Video advice
            status: idea
            effects: [{kpi: aht, change: 40}]
        """,
}


def test_cxp301_counts_no_unit_not_known_as_another(tmp_path: Path) -> None:
    """DIG-2 written `unit: digitl` (a CXP102) made digital's own trade-off a CXP301 "aht
    is pushed both ways: up by DIG-2 (digitl); down by DIG-1 (digital)", the typo read as
    another unit; it is no unit of its own, so the typo is its CXP102 alone."""
    clean, mutated = _both(tmp_path, _AHT, _DIG_2)
    assert not [f for f in clean.result.findings if f.code == "CXP301"]
    assert _findings(mutated) == _findings(clean)


def test_cxp301_across_known_units_stands_and_one_on_a_unit_not_known_is_unchecked(tmp_path: Path) -> None:
    """With customer-service's CS-1 pushing aht down too, two known units push it both
    ways whatever DIG-2's unit is: the finding stands, naming DIG-2 as written. Where
    only DIG-2 stood against another unit, the finding waits for its unit, and `diff`
    calls it unchecked, not resolved."""
    cs = "unit: customer-service\ninitiatives:\n  - {id: CS-1, title: Script, status: idea, effects: [{kpi: aht, change: -30}]}\n"
    clean, mutated = _both(tmp_path / "three", {**_AHT, "units/cs.yaml": cs}, _DIG_2)
    assert [f.message for f in mutated.result.findings if f.code == "CXP301"] == [
        "aht is pushed both ways: up by DIG-2 (digitl); down by CS-1 (customer-service), DIG-1 (digital)"]

    digital = _AHT["units/digital.yaml"]
    alone = {**_AHT, "units/digital.yaml": digital.replace(digital[digital.index("  - {id: DIG-1"):digital.index("  - id: DIG-2")], ""),
             "units/cs.yaml": cs}
    clean, mutated = _both(tmp_path / "two", alone, _DIG_2)
    assert [f.entities for f in clean.result.findings if f.code == "CXP301"] == [("aht", "CS-1", "DIG-2")]
    assert not [f for f in mutated.result.findings if f.code == "CXP301"]
    change = compare(clean, mutated, AS_OF)
    assert ([f.code for f in change.unchecked_findings], change.resolved_findings) == (["CXP301"], [])


# CXP304: customer-service's CS-1 shortens calls, which trades off against first-contact
# resolution that quality targets; its own CS-2 improves first-contact resolution too.
_FCR = {
    "base.yaml": """\
        units:
          - {id: customer-service, name: C}
          - {id: quality, name: Q, goals: [{kpi: fcr, direction: increase}]}
        kpis:
          - {id: aht, name: AHT, kind: operational, direction: decrease, tradeoffs: [fcr]}
          - {id: fcr, name: FCR, kind: experience, direction: increase}
        """,
    "units/cs.yaml": """\
        unit: customer-service
        initiatives:
          - id: CS-1
            unit: customer-service
            title: Call script
            status: idea
            effects: [{kpi: aht, change: -30}]
          - id: CS-2
            unit: customer-service
            title: Call-back
            status: idea
            effects: [{kpi: fcr, change: 5}]
        """,
}


def test_cxp304_counts_no_unit_not_known_among_those_targeting(tmp_path: Path) -> None:
    """CS-2 written `unit: customer-servie` (a CXP102) made CXP304 on CS-1 say "CS-1
    (customer-service) improves aht, which trades off against fcr that customer-servie,
    quality target", the typo a unit beside CS-1's own; it targets nothing, so the typo
    is its CXP102 alone."""
    typo = ("units/cs.yaml", "id: CS-2\n    unit: customer-service\n", "id: CS-2\n    unit: customer-servie\n")
    clean, mutated = _both(tmp_path, _FCR, typo)
    assert [f.message for f in clean.result.findings if f.code == "CXP304"] == [
        "CS-1 (customer-service) improves aht, which trades off against fcr that quality targets"]
    assert _findings(mutated) == _findings(clean)


def test_cxp304_on_work_of_a_unit_not_known_waits_for_its_unit(tmp_path: Path) -> None:
    """CS-1 written `unit: customer-servie` was told "CS-1 (customer-servie) improves aht,
    which trades off against fcr that customer-service, quality target", its own unit
    named as another; which units are others is not known until the unit is corrected:
    the finding waits, and `diff` calls it unchecked, not resolved."""
    typo = ("units/cs.yaml", "id: CS-1\n    unit: customer-service\n", "id: CS-1\n    unit: customer-servie\n")
    clean, mutated = _both(tmp_path, _FCR, typo)
    assert not [f for f in mutated.result.findings if f.code == "CXP304"]
    change = compare(clean, mutated, AS_OF)
    assert ([f.code for f in change.unchecked_findings], change.resolved_findings) == (["CXP304"], [])
    assert [f.code for f in change.new_findings] == ["CXP102"]


# -- the report: a name that is no unit forms no heading nor row ------------------------

def _report(root: Path) -> str:
    result = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2026-12-01", "--period", "2026-Q3"])
    assert result.exit_code == 0, result.output
    return result.stdout


def _nordbank(tmp_path: Path, name: str, file: str, old: str, new: str) -> Path:
    root = shutil.copytree(NORDBANK, tmp_path / name)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def test_the_report_files_no_decision_and_draws_no_map_row_under_a_unit_not_known(tmp_path: Path) -> None:
    """ADV-002 written `unit: advisoy` (a CXP102) gave the report's decisions a heading
    **advisoy** (its CXP301 and CXP303), and the pension map a row `advisoy`, as if a
    unit; it is nobody: its CXP301 is filed under the other parties alone, its CXP303
    under (no owner), its work is in the `(no unit)` row, and a line under the map says
    which name was not known. The lanes show its unit as written: the row's own cell."""
    clean = _report(shutil.copytree(NORDBANK, tmp_path / "clean")).splitlines()
    typo = _report(_nordbank(tmp_path, "typo", "units/advisory.yaml", "  - id: ADV-002\n",
                             "  - id: ADV-002\n    unit: advisoy\n")).splitlines()
    assert "**advisoy**" not in typo and not [line for line in typo if line.startswith("| advisoy |")]
    assert "| 5 | ADV-002 | Longer advice calls on pensions | advisoy | 707.80 | conflict |" in typo
    decisions = typo[typo.index("**(no owner)**"):typo.index("**advisory**")]
    assert decisions == ["**(no owner)**", "- CXP303 ADV-002 expects aht to rise by 60, but lower is better", ""]
    advisory = clean[clean.index("**advisory**"):clean.index("**cards**")]
    assert [line for line in advisory if "ADV-002" not in line] == typo[typo.index("**advisory**"):typo.index("**cards**")]
    pension = typo[typo.index("### Save for retirement (owner: advisory)"):]
    assert pension[5:7] == ["| (no unit) |  | ADV-002 |  | ",
                            "| advisory | ADV-001, ADV-004 | ADV-003, ADV-005, ADV-009 | ADV-007 | "]
    assert "Work of a unit that is not known ('advisoy', CXP102) is shown under (no unit)." in pension[:12]
    # no other map has the line, and the other maps are as without the typo
    assert sum(line.startswith("Work of a unit that is not known") for line in typo) == 1
    start = clean.index("## Journey map")
    end = clean.index("### Save for retirement (owner: advisory)")
    assert typo[typo.index("## Journey map"):typo.index("### Save for retirement (owner: advisory)")] == clean[start:end]


@pytest.mark.parametrize("owner", ["retial", "[retail]"])
def test_a_journey_owner_that_is_no_unit_reads_as_a_refused_one(tmp_path: Path, owner: str) -> None:
    """The mortgage journey's `owner: retial` (a CXP102) headed its map "(owner: retial)"
    and filed PP-black-hole's CXP202 under a heading **retial**, where a refused owner
    (`owner: [retail]`, a CXP002) reads "(owner: none)" and files it under (no owner).
    Both are nobody now; the heading says which name was not a unit."""
    typo = _report(_nordbank(tmp_path, "typo", "journeys.yaml", "    owner: retail\n",
                             f"    owner: {owner}\n")).splitlines()
    shown = "none; 'retial' is not a unit, CXP102" if owner == "retial" else "none"
    assert f"### Get a mortgage (owner: {shown})" in typo
    assert "**retial**" not in typo
    filed = typo[typo.index("**(no owner)**"):typo.index("**advisory**")]
    assert [line[:28] for line in filed[1:-1]] == ["- CXP202 pain point PP-black"]


def test_cxp501_says_a_floor_while_committed_work_names_a_unit_not_known(tmp_path: Path) -> None:
    """Noticed by a helper: with DIG-007 (in progress, 8 person-weeks, planned 2026-Q4)
    written `unit: digitl`, digital's CXP501 said "92 person-weeks committed", a sum it
    cannot know: the typo may be digital's. It says "at least 92" until the unit is
    corrected, as it does for a refused effort."""
    root = tmp_path / "nordbank"
    shutil.copytree(NORDBANK, root)
    path = root / "units" / "digital.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("  - id: DIG-007\n") == 1
    path.write_text(text.replace("  - id: DIG-007\n", "  - id: DIG-007\n    unit: digitl\n"), encoding="utf-8")
    (message,) = [f.message for f in check(root).result.findings if f.code == "CXP501"]
    assert message == "unit digital has at least 92 person-weeks committed in 2026, over its capacity of 90"
    (clean,) = [f.message for f in check(NORDBANK).result.findings if f.code == "CXP501"]
    assert clean == "unit digital has 100 person-weeks committed in 2026, over its capacity of 90"



def test_a_plan_says_which_work_no_units_capacity_holds(tmp_path: Path) -> None:
    """Found by a newcomer: CRD-010 (30 person-weeks) written `unit: cardz` (a CXP102) was
    planned by `rank --plan` though cards' capacity (written 20) leaves it 9, in a plan
    "within each unit's own capacity" that said nothing of it: no capacity holds work of a
    unit that is not known, and the plan says which work that is, and which name."""
    root = _nordbank(tmp_path, "typo", "units/cards.yaml", "  - id: CRD-010\n", "  - id: CRD-010\n    unit: cardz\n")
    cards = root / "units" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("    capacity: 80\n", "    capacity: 20\n", 1),
                     encoding="utf-8")
    args = ["rank", str(root), "--plan", "--as-of", AS_OF.isoformat()]
    text = CliRunner().invoke(cli, args).stdout
    assert ("CRD-010 is planned within no unit's capacity: its unit ('cardz') is not known (CXP102); "
            "correct it to plan it within its unit's.") in text.splitlines()
    document = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert "CRD-010" in document["selection"]["initiatives"]
    assert document["selection"]["unit_not_known"] == {"CRD-010": "cardz"}
    # corrected, the unit's capacity holds it, and nothing is said
    cards.write_text(cards.read_text(encoding="utf-8").replace("    unit: cardz\n", "    unit: cards\n"), encoding="utf-8")
    corrected = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)["selection"]
    assert "CRD-010" not in corrected["initiatives"] and corrected["unit_not_known"] == {}


def test_whether_a_name_is_a_units_is_one_answer_an_empty_name_none(tmp_path: Path) -> None:
    """Five places asked "does this name a unit" each in its own words (the accountable
    owner, the plan's capacities, CXP201/CXP301/CXP304's silence, track's counts), some
    testing for no name first and some not: `Portfolio.unit_known` is the one answer,
    and no name is no unit even while a file that could define any id is unreadable."""
    files = {"units.yaml": "units: [{id: cards, name: Cards}]\n"}
    whole = check(write_portfolio(tmp_path / "whole", files)).portfolio
    assert [whole.unit_known(name) for name in ("cards", "cardz", "", None)] == [True, False, False, False]
    unread = check(write_portfolio(tmp_path / "unread", {**files, "more.yaml": "units: [{id: x\n"})).portfolio
    assert not unread.complete
    # the unreadable file may define `cardz`: no figure may call it nobody's; no name stays none
    assert [unread.unit_known(name) for name in ("cards", "cardz", "", None)] == [True, True, False, False]
