"""`cxportfolio.yaml`: the portfolio's configuration."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cxportfolio.model.entities import Strict
from cxportfolio.model.scoring import Scoring
from cxportfolio.model.types import RuleCode, Text

RuleSetting = Literal["error", "warning", "info", "off"]


class Target(Strict):
    improvements: int = Field(ge=0, description="implemented improvements in `year`")


class RuleEntry(BaseModel):
    """A rule's severity and options: `CXP201: {severity: error, similarity: 0.6}`.

    The options are validated against the rule's own options model by the engine, so a
    new rule option needs no change here.
    """

    model_config = ConfigDict(strict=True, extra="allow")
    severity: RuleSetting | None = None


class Config(Strict):
    """The configuration at the portfolio root."""

    organization: Text | None = None
    year: int = Field(ge=1000, le=9999, description="the portfolio year")
    target: Target | None = None
    scoring: Scoring = Field(
        default_factory=Scoring, description="weights of the ranking model (see docs/ranking.md)")
    rules: dict[RuleCode, RuleSetting | RuleEntry] = Field(
        default_factory=dict,
        description="per rule: a severity (error | warning | info | off), or a mapping of "
                    "`severity` and the rule's options (see docs/rules.md)")

    def severity_of(self, code: str) -> str | None:
        entry = self.rules.get(code)
        return entry.severity if isinstance(entry, RuleEntry) else entry

    def options_of(self, code: str) -> dict[str, Any]:
        entry = self.rules.get(code)
        return dict(entry.model_extra or {}) if isinstance(entry, RuleEntry) else {}
