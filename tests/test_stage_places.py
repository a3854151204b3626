"""A journey's stage positions are one rule, `Journey.stage_places`: each stage id at the
place of its first stage. CXP101, CXP103, rank, the consolidation value, the report's map
and the hint for a stage id written as a number all read it, so a repeated stage id is
its first stage for each of them."""

from __future__ import annotations

from pathlib import Path

from conftest import check, write_portfolio

from cxportfolio.analysis.consolidation import Pains
from cxportfolio.analysis.ranking import RankingModel
from cxportfolio.analysis.report_data import build_report
from cxportfolio.engine import Selection
from cxportfolio.model.entities import Journey, PainPoint

_REPEATED = """\
    units: [{id: a, name: A}]
    journeys:
      - id: j
        name: J
        volume: 1000
        stages:
          - {id: s-01, name: One, completion: 0.5}
          - {id: s-02, name: Two, completion: 0.8}
          - {id: s-01, name: One again, completion: 0.1}
      - id: k
        name: K
        stages: [{id: s-01, name: One}, {id: s-02, name: Two}, {id: s-01, name: One again}, {id: 4, name: Four}]
    pain_points:
      - {id: P, journey: j, stage: s-01, title: Pain, severity: 5, reach: 0.5}
      - {id: Q, journey: j, stage: s-011, title: Lost, severity: 2}
    initiatives:
      - {id: I, unit: a, title: Fix, status: approved, effort: 2, addresses: [P]}
    """


def test_a_journeys_stage_places_are_each_stage_ids_first_position() -> None:
    journey = Journey.model_validate({"id": "j", "name": "J", "stages": [
        {"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "a", "name": "A again"}, {"id": "c", "name": "C"}]})
    assert journey.stage_places() == {"a": 0, "b": 1, "c": 3}
    assert list(journey.stage_places()) == ["a", "b", "c"]  # in the journey's order


def test_a_repeated_stage_id_is_its_first_stage_for_every_rule_and_figure(tmp_path: Path) -> None:
    run = check(write_portfolio(tmp_path / "p", {"all.yaml": _REPEATED}))
    said = {f.code: f for f in run.result.findings if f.code in ("CXP101", "CXP103") and "j" in f.entities}
    assert said["CXP101"].pointer == "/journeys/0/stages/2/id"
    assert [r.line for r in said["CXP101"].related] == [7]  # the first s-01
    assert set(said["CXP103"].related_labels) == {"journey j: stage s-01"}
    assert {r.line for r in said["CXP103"].related} == {7}  # each at the first s-01
    hint, = [f.hint for f in run.result.findings if f.code == "CXP002" and "number 4" in f.message]
    # the s-01 just before it is at its first place, farther than s-02
    assert hint == "an id is text: write it as the stages' ids around it are written ('s-02'), e.g. id: s-04"

    value = RankingModel(run.portfolio).pain_values["P"]
    assert (value.upstream_completion, value.stage_completion) == (1, 0.5)  # the first s-01, not 0.4 and 0.1
    pain = run.portfolio.get("P", PainPoint)
    assert isinstance(pain, PainPoint) and Pains(run.portfolio)[pain.id] == (pain.journey, 1000 * 1 * 0.5 * 5)
    journey = build_report(run, run.as_of, None).journeys[0]
    assert journey.id == "j"
    assert list(journey.pains_by_stage) == ["s-01", "s-02"]
    assert journey.pains_by_stage["s-01"] == (("P", 5, "Pain"),)


def test_an_unknown_stage_names_a_repeated_stage_id_once(tmp_path: Path) -> None:
    """Found in review: with stages s-01, s-02, s-01 (a repeated id, CXP101), a pain point
    on 's-011' was told "did you mean one of 's-01', 's-01'? (2 are equally alike)", the
    journey's stages listed as (s-01, s-02, s-01) and the same stage related twice. A
    repeated id is one stage, the first (as everywhere else a stage id is looked up)."""
    root = write_portfolio(tmp_path, {"all.yaml": """\
        units: [{id: a, name: A}]
        journeys:
          - id: j
            name: J
            stages: [{id: s-01, name: One}, {id: s-02, name: Two}, {id: s-01, name: Again}]
        pain_points:
          - {id: P1, journey: j, stage: s-011, title: Lost, severity: 2}
        """})
    finding, = [f for f in check(root, selection=Selection(select=("CXP103",))).result.findings if f.code == "CXP103"]
    assert finding.message == "stage 's-011' is not a stage of journey 'j' (s-01, s-02)"
    assert finding.hint == "did you mean 's-01'?"
    assert [(r.line, r.column) for r in finding.related] == [(5, 19)]  # the first s-01's id
