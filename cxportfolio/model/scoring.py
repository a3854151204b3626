"""`scoring:` in cxportfolio.yaml: the weights of the ranking model (docs/ranking.md).

The validators refuse weights that would break the model's promises: severity weights
must not fall as severity rises, and outcome work must weigh at least as much as
experience work, which must weigh at least as much as operational work.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cxportfolio.model.entities import Strict
from cxportfolio.model.types import COUNT_MAX, Count, Weight, _bounded

# At least 0.01 person-weeks (a few hours): a floor of 1e-308 made a priority
# (impact / effort) infinite, and put its initiative first.
EFFORT_FLOOR_MIN = 0.01
EffortFloor = Annotated[float, Field(ge=EFFORT_FLOOR_MIN, le=COUNT_MAX),
                        _bounded(EFFORT_FLOOR_MIN, COUNT_MAX, f"between {EFFORT_FLOOR_MIN} and {COUNT_MAX:,}")]


def _at_most(value: float, bound: float | None, name: str, other: str) -> float:
    if bound is not None and value > bound:
        raise PydanticCustomError(
            "cx_order", "must be at most {other} ({bound}): {other} work weighs at least as much, got {got}",
            {"other": other, "bound": _number(bound), "got": _number(value),
             "hint": f"lower it to {_number(bound)} or less, or raise {other}"})
    return value


def _number(value: float) -> str:
    return f"{value:g}"


def _listed(weights: list[float]) -> str:
    return "[" + ", ".join(map(_number, weights)) + "]"


class KindWeights(Strict):
    outcome: Weight = Field(default=1.0, gt=0, description="Weight of an effect on an outcome KPI.",
                            examples=[1.0])
    experience: Weight = Field(default=0.75, gt=0, description="Weight of an effect on an experience KPI; "
                                                                "at most `outcome`.", examples=[0.8])
    employee: Weight = Field(default=0.5, gt=0, description="Weight of an effect on an employee KPI, before "
                                                             "the driver graph raises it.", examples=[0.5])
    operational: Weight = Field(default=0.35, gt=0, description="Weight of an effect on an operational KPI; "
                                                                 "at most `experience`.", examples=[0.3])

    # A weight left out (or refused: its CXP002 says so) takes its default, at most the
    # weight above it: `{outcome: 0.5}` alone weighed experience work (0.75) above outcome
    # work, with nothing said. Only a weight written as a number bounds the one below.
    @model_validator(mode="before")
    @classmethod
    def _defaults_in_order(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        for name, above in (("experience", "outcome"), ("operational", "experience")):
            bound = filled.get(above)
            default = cls.model_fields[name].default
            if (name not in filled and isinstance(bound, (int, float)) and not isinstance(bound, bool)
                    and 0 < bound < default):
                filled[name] = bound
        return filled if filled != data else data

    # Said at the weight out of order, with the bound it must keep (field order: outcome,
    # experience, employee, operational; a refused one above is not compared).
    @field_validator("experience")
    @classmethod
    def _at_most_outcome(cls, value: float, info: ValidationInfo) -> float:
        return _at_most(value, info.data.get("outcome"), "experience", "outcome")

    @field_validator("operational")
    @classmethod
    def _at_most_experience(cls, value: float, info: ValidationInfo) -> float:
        return _at_most(value, info.data.get("experience"), "operational", "experience")


class Scoring(Strict):
    kind_weights: KindWeights = Field(
        default_factory=lambda: KindWeights(), description="Weight of an effect by the kind of KPI it moves: "
                                                 "outcome >= experience >= operational.",
        examples=[{"outcome": 1.0, "experience": 0.8, "employee": 0.5, "operational": 0.3}])
    unlinked_weight: Weight = Field(
        default=0.25, gt=0,
        description="Weight of an initiative with no effect in a KPI's better direction, and the least any "
                    "initiative weighs: stating an effect never weighs less than stating none.",
        examples=[0.25])
    severity_weights: list[Weight] = Field(
        default=[0.2, 0.4, 0.6, 0.8, 1.0], min_length=5, max_length=5,
        description="Weight of a pain point of severity 1…5: positive and non-decreasing.",
        examples=[[0.1, 0.3, 0.5, 0.8, 1.0]])
    downstream_weight: Weight = Field(
        default=1.0, ge=0, description="Value of one more customer getting through a stage to the journey's "
                                       "end.", examples=[1.0])
    driver_factor: float = Field(
        default=0.8, ge=0, le=1, examples=[0.8],
        description="A KPI that drives another weighs at least this share of the driven KPI's weight.")
    effort_floor: EffortFloor = Field(
        default=1.0, description="Efforts below this count as this, in person-weeks (at least 0.01).",
        examples=[2])
    missing_effort: Count = Field(
        default=8.0, gt=0, description="Effort assumed for an initiative that states none, in person-weeks.",
        examples=[8])

    @field_validator("severity_weights")
    @classmethod
    def _monotonic(cls, weights: list[float]) -> list[float]:
        falling = next((k for k in range(1, len(weights)) if weights[k] < weights[k - 1]), None)
        if weights and weights[0] <= 0 or falling is not None:
            fixed = sorted(max(w, 0.01) for w in weights)
            raise PydanticCustomError(
                "cx_order", "must be positive and non-decreasing (a more severe pain point never weighs less), "
                "got {got}", {"got": _listed(weights), "hint": f"e.g. severity_weights: {_listed(fixed)}"})
        return weights
