"""`cxportfolio.yaml`: the portfolio's configuration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from cxportfolio.model.entities import Strict
from cxportfolio.model.types import RuleCode, Text

RuleSetting = Literal["error", "warning", "info", "off"]


class Target(Strict):
    improvements: int = Field(ge=0, description="implemented improvements in `year`")


class Config(Strict):
    """The configuration at the portfolio root."""

    organization: Text | None = None
    year: int = Field(ge=1000, le=9999, description="the portfolio year")
    target: Target | None = None
    scoring: dict[str, Any] = Field(
        default_factory=dict, description="weights of the ranking model (see docs/ranking.md)")
    rules: dict[RuleCode, RuleSetting] = Field(
        default_factory=dict, description="per-rule severity: error | warning | info | off")
