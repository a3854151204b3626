"""The nine ranking properties of docs/ranking.md, each a property over generated portfolios."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.analysis.ranking import RankingModel
from cxportfolio.analysis.selection import select
from cxportfolio.model.config import Config
from cxportfolio.model.entities import Initiative, Journey, Kpi, PainPoint, Unit
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.render.explain import explain_json

CLOSE = dict(rel_tol=1e-9, abs_tol=1e-9)


def make(data: dict) -> Portfolio:
    entities = [Unit.model_validate(u) for u in data["units"]]
    entities += [Journey.model_validate(j) for j in data["journeys"]]
    entities += [PainPoint.model_validate(p) for p in data["pain_points"]]
    entities += [Kpi.model_validate(k) for k in data["kpis"]]
    entities += [Initiative.model_validate(i) for i in data["initiatives"]]
    return Portfolio(Path("."), Config.model_validate({"year": 2026}), [], entities)


@st.composite
def portfolios(draw: st.DrawFn, min_initiatives: int = 1) -> dict:
    journeys = []
    for j in range(draw(st.integers(1, 2))):
        stages = [{"id": f"s{k}", "name": "S", "completion": draw(st.sampled_from([0.5, 0.8, 1.0]))}
                  for k in range(draw(st.integers(1, 4)))]
        journeys.append({"id": f"j{j}", "name": "J", "volume": draw(st.integers(0, 50_000)), "stages": stages})
    pains = []
    for p in range(draw(st.integers(1, 4))):
        journey = draw(st.sampled_from(journeys))
        pains.append({"id": f"p{p}", "journey": journey["id"],
                      "stage": draw(st.sampled_from([s["id"] for s in journey["stages"]])),
                      "title": "T", "severity": draw(st.integers(1, 5)),
                      "reach": draw(st.sampled_from([0.1, 0.5, 1.0]))})
    kpis = [{"id": f"k{n}", "name": "K", "kind": kind, "direction": "increase"}
            for n, kind in enumerate(["outcome", "experience", "operational", "employee"])]
    initiatives = []
    for i in range(draw(st.integers(min_initiatives, 6))):
        initiatives.append({
            "id": f"i{i}", "title": "T", "unit": "u",
            "status": draw(st.sampled_from(["idea", "approved", "in_progress", "done"])),
            "addresses": draw(st.lists(st.sampled_from([p["id"] for p in pains]), max_size=3, unique=True)),
            "effects": [{"kpi": draw(st.sampled_from(["k0", "k1", "k2", "k3"])),
                         "change": draw(st.sampled_from([-1, 1, 5])),
                         "confidence": draw(st.sampled_from([0.3, 0.7, 1.0]))}
                        for _ in range(draw(st.integers(0, 2)))],
            "effort": draw(st.integers(1, 20)),
        })
    return {"units": [{"id": "u", "name": "U"}], "journeys": journeys, "pain_points": pains,
            "kpis": kpis, "initiatives": initiatives}


def with_change(data: dict, kind: str, ident: str, **changes: object) -> dict:
    copy = json.loads(json.dumps(data))
    for item in copy[kind]:
        if item["id"] == ident:
            item.update(changes)
    return copy


# 1. Journey-level value
@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_pain_value_counts_customers_reaching_the_stage_and_downstream(data: dict) -> None:
    model = RankingModel(make(data))
    for pain in data["pain_points"]:
        journey = next(j for j in data["journeys"] if j["id"] == pain["journey"])
        completions = [s["completion"] for s in journey["stages"]]
        k = [s["id"] for s in journey["stages"]].index(pain["stage"])
        expected = (journey["volume"] * math.prod(completions[:k]) * pain["reach"]
                    * (pain["severity"] / 5 + (1 - completions[k]) * math.prod(completions[k + 1:])))
        assert math.isclose(model.pain_values[pain["id"]].value, expected, **CLOSE)


# 2. Coherent changes add up
@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_value_is_the_sum_over_pain_points(data: dict) -> None:
    model = RankingModel(make(data))
    for score in model.scores.values():
        assert math.isclose(score.impact, math.fsum(p.share for p in score.pains), **CLOSE)
        sole = [p for p in score.pains if p.sharers == 1]
        assert all(math.isclose(p.share, p.pain.value * score.outcome_weight, **CLOSE) for p in sole)


# 3. No double counting
@settings(max_examples=150, deadline=None)
@given(portfolios(), st.data())
def test_adding_a_duplicate_never_raises_total_impact(data: dict, draw: st.DataObject) -> None:
    before = RankingModel(make(data))
    original = draw.draw(st.sampled_from(data["initiatives"]))
    copy = json.loads(json.dumps(data))
    copy["initiatives"].append(dict(original, id="zz-duplicate"))
    after = RankingModel(make(copy))
    assert after.total_impact() <= before.total_impact() + 1e-6
    for pain_id, value in after.pain_values.items():  # each pain point's value is handed out once
        shares = [p.share for s in after.scores.values() for p in s.pains if p.pain.pain_id == pain_id]
        if shares:
            best = max(s.outcome_weight for s in after.scores.values()
                       if pain_id in s.initiative.addresses and s.initiative.status != "dropped")
            assert math.isclose(math.fsum(shares), value.value * best, **CLOSE)


# 4. Outcome-linked, confidence scales
@settings(max_examples=100, deadline=None)
@given(portfolios(), st.sampled_from([0.3, 0.7]))
def test_outcome_beats_experience_beats_operational(data: dict, confidence: float) -> None:
    weights = []
    for kpi in ["k0", "k1", "k2"]:
        changed = with_change(data, "initiatives", "i0", effects=[{"kpi": kpi, "change": 1, "confidence": 1.0}])
        weights.append(RankingModel(make(changed)).scores["i0"].impact)
    assert weights[0] >= weights[1] >= weights[2]
    unsure = with_change(data, "initiatives", "i0", effects=[{"kpi": "k0", "change": 1, "confidence": confidence}])
    assert RankingModel(make(unsure)).scores["i0"].impact <= weights[0]
    # an operational KPI that drives an outcome stays at most experience (found by an
    # analyst: `drives:` raised it to 0.8 × outcome, above experience's 0.75)
    driving = with_change(data, "kpis", "k2", drives=["k0"])
    model = RankingModel(make(driving))
    assert model.kpi_weights["k0"] >= model.kpi_weights["k1"] >= model.kpi_weights["k2"]


# 4 (effect over activity): stating an effect never ranks below stating none
@settings(max_examples=100, deadline=None)
@given(portfolios(), st.sampled_from(["k0", "k1", "k2", "k3"]), st.sampled_from([-1, 1]),
       st.sampled_from([0.1, 0.3, 0.7, 1.0]))
def test_stating_an_effect_never_lowers_an_initiatives_weight_or_impact(data: dict, kpi: str, change: int,
                                                                       confidence: float) -> None:
    # found by a newcomer: an operational effect at confidence 0.5 weighed 0.175, an
    # initiative stating no effect 0.25 (priority 546 with the effect, 734 without)
    before = RankingModel(make(with_change(data, "initiatives", "i0", effects=[]))).scores["i0"]
    stated = with_change(data, "initiatives", "i0", effects=[{"kpi": kpi, "change": change,
                                                              "confidence": confidence}])
    after = RankingModel(make(stated)).scores["i0"]
    assert after.outcome_weight >= before.outcome_weight
    assert after.impact >= before.impact - 1e-9 * max(1.0, before.impact)


# 5 and 7. Cost-aware, monotonic
@settings(max_examples=150, deadline=None)
@given(portfolios(), st.data())
def test_more_severity_reach_or_volume_never_lowers_and_effort_never_raises(data: dict, draw: st.DataObject) -> None:
    before = RankingModel(make(data)).scores
    pain = draw.draw(st.sampled_from(data["pain_points"]))
    journey = next(j for j in data["journeys"] if j["id"] == pain["journey"])
    for changed in (
        with_change(data, "pain_points", pain["id"], severity=min(5, pain["severity"] + 1)),
        with_change(data, "pain_points", pain["id"], reach=1.0),
        with_change(data, "journeys", journey["id"], volume=journey["volume"] + 1000),
    ):
        after = RankingModel(make(changed)).scores
        assert all(after[i].priority >= before[i].priority - 1e-9 for i in before)
    target = draw.draw(st.sampled_from(data["initiatives"]))
    heavier = RankingModel(make(with_change(data, "initiatives", target["id"], effort=target["effort"] + 5))).scores
    assert heavier[target["id"]].priority <= before[target["id"]].priority + 1e-12
    for i, score in before.items():
        assert math.isclose(score.priority, score.impact / max(score.effort, 1.0), **CLOSE)


# 6. Explainable
@settings(max_examples=100, deadline=None)
@given(portfolios())
def test_explain_terms_add_up_to_the_score(data: dict) -> None:
    model = RankingModel(make(data))
    for score in model.scores.values():
        terms = json.loads(explain_json(score))
        assert math.isclose(sum(p["share"] for p in terms["pain_points"]), terms["impact"], rel_tol=1e-5, abs_tol=1e-4)
        for p in terms["pain_points"]:
            assert math.isclose(p["customers_at_stage"] * p["reach"] * (p["severity_weight"] + p["downstream"]),
                                p["value"], rel_tol=1e-5, abs_tol=1e-4)
            assert math.isclose(p["value"] * p["best_weight"] * p["weight"] / p["weight_sum"], p["share"],
                                rel_tol=1e-5, abs_tol=1e-4)
        assert math.isclose(terms["impact"] / terms["effort"], terms["priority"], rel_tol=1e-5, abs_tol=1e-5)


# 7. Deterministic, ties by id
@settings(max_examples=100, deadline=None)
@given(portfolios())
def test_order_is_total_deterministic_and_ties_break_by_id(data: dict) -> None:
    reversed_data = dict(data, initiatives=list(reversed(data["initiatives"])))
    first = [s.id for s in RankingModel(make(data)).ranked()]
    assert first == [s.id for s in RankingModel(make(reversed_data)).ranked()]
    ranked = RankingModel(make(data)).ranked()
    for a, b in zip(ranked, ranked[1:]):
        assert a.priority > b.priority or (a.priority == b.priority and a.id < b.id)


# 8. Hard choices
@settings(max_examples=100, deadline=None)
@given(portfolios(min_initiatives=2), st.integers(0, 40), st.booleans())
def test_selection_fits_budget_respects_dependencies_and_is_optimal_when_exact(
        data: dict, capacity: int, chain: bool) -> None:
    if chain:
        data["initiatives"][1]["depends_on"] = ["i0"]
    model = RankingModel(make(data))
    chosen = select(model, capacity)
    assert chosen.effort <= capacity + 1e-9
    portfolio = model.portfolio
    for ident in chosen.selected:
        for dep in portfolio.by_id[ident].depends_on:
            assert dep in chosen.selected or portfolio.by_id[dep].status == "done"
    open_ids = [i.id for i in portfolio.initiatives if i.is_open]
    if chosen.method == "optimal":
        best = 0.0
        for r in range(len(open_ids) + 1):
            for combo in itertools.combinations(open_ids, r):
                if sum(model.scores[c].effort for c in combo) <= capacity and all(
                        d in combo or portfolio.by_id[d].status == "done"
                        for c in combo for d in portfolio.by_id[c].depends_on):
                    best = max(best, math.fsum(model.scores[c].impact for c in combo))
        assert math.isclose(chosen.impact, best, rel_tol=1e-9, abs_tol=1e-6)


# 9. Stable and local
@settings(max_examples=150, deadline=None)
@given(portfolios(), st.data())
def test_adding_an_initiative_changes_only_scores_sharing_a_pain_point(data: dict, draw: st.DataObject) -> None:
    before = RankingModel(make(data)).scores
    addresses = draw.draw(st.lists(st.sampled_from([p["id"] for p in data["pain_points"]]), max_size=2, unique=True))
    grown = json.loads(json.dumps(data))
    grown["initiatives"].append({"id": "new", "title": "T", "unit": "u", "status": "idea",
                                 "addresses": addresses, "effort": 3})
    after = RankingModel(make(grown)).scores
    for ident, score in before.items():
        shares_pain = bool(set(score.initiative.addresses) & set(addresses))
        if not shares_pain:
            assert after[ident].priority == score.priority
