"""`scoring:` in cxportfolio.yaml: the weights of the ranking model (docs/ranking.md).

The validators refuse weights that would break the model's promises: severity weights
must not fall as severity rises, and outcome work must weigh at least as much as
experience work, which must weigh at least as much as operational work.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from cxportfolio.model.entities import Strict
from cxportfolio.model.types import Count, Weight


class KindWeights(Strict):
    outcome: Weight = Field(default=1.0, gt=0, description="weight of an effect on an outcome KPI")
    experience: Weight = Field(default=0.75, gt=0, description="weight of an effect on an experience KPI")
    employee: Weight = Field(default=0.5, gt=0, description="weight of an effect on an employee KPI")
    operational: Weight = Field(default=0.35, gt=0, description="weight of an effect on an operational KPI")

    @model_validator(mode="after")
    def _ordered(self) -> "KindWeights":
        if not self.outcome >= self.experience >= self.operational:
            raise ValueError("weights must satisfy outcome >= experience >= operational")
        return self


class Scoring(Strict):
    kind_weights: KindWeights = Field(default_factory=KindWeights)
    unlinked_weight: Weight = Field(
        default=0.25, gt=0, description="weight of an initiative with no effect in a KPI's better direction")
    severity_weights: list[Weight] = Field(
        default=[0.2, 0.4, 0.6, 0.8, 1.0], min_length=5, max_length=5,
        description="weight of severity 1…5 (non-decreasing)")
    downstream_weight: Weight = Field(
        default=1.0, ge=0, description="value of one more customer getting through a stage to the journey's end")
    driver_factor: float = Field(
        default=0.8, ge=0, le=1,
        description="a KPI that drives another weighs at least this share of the driven KPI's weight")
    effort_floor: Count = Field(
        default=1.0, gt=0, description="efforts below this count as this (person-weeks)")
    missing_effort: Count = Field(
        default=8.0, gt=0, description="effort assumed when an initiative states none (person-weeks)")

    @model_validator(mode="after")
    def _monotonic(self) -> "Scoring":
        weights = self.severity_weights
        if any(b < a for a, b in zip(weights, weights[1:])) or weights[0] <= 0:
            raise ValueError("severity_weights must be positive and non-decreasing")
        return self
