"""`cxportfolio.yaml`: the portfolio's configuration."""

from __future__ import annotations

from dataclasses import field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cxportfolio.model.entities import Strict
from cxportfolio.model.scoring import Scoring
from cxportfolio.model.types import YEAR_MAX, YEAR_MIN, PositiveCount, RuleCode, Text, no_entries
from cxportfolio.records import record

RuleSetting = Literal["error", "warning", "info", "off"]
# Syntax, schema and id checks: what a pull request must not be able to switch off
# (SECURITY.md). They are always errors: lowered to a warning, their findings would stop
# failing the check, which a gate without a baseline would let through.
PROTECTED_RULES = frozenset({"CXP001", "CXP002", "CXP003", "CXP004", "CXP101"})


class Target(Strict):
    improvements: PositiveCount = Field(
        description="How many initiatives to complete in `year` (status done, `completed` in the year).",
        examples=[50])


class RuleEntry(BaseModel):
    """A rule's severity and options: `CXP201: {severity: error, similarity: 0.6}`.

    The options are validated against the rule's own options model by the engine, so a
    new rule option needs no change here.
    """

    model_config = ConfigDict(strict=True, extra="allow")
    severity: RuleSetting | None = None


class Config(Strict):
    """The configuration at the portfolio root."""

    organization: Text | None = Field(default=None, description="The organization's name, shown in reports.",
                                      examples=["Nordbank"])
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, examples=[2026],
                      description="The portfolio year: the target, capacity and forecasts count work in it.")
    target: Target | None = Field(default=None, description="The annual target that `track` follows.",
                                  examples=[{"improvements": 50}])
    scoring: Scoring = Field(
        default_factory=lambda: Scoring(), description="Weights of the ranking model, each optional with a documented "
                                             "default (see docs/ranking.md).",
        examples=[{"kind_weights": {"outcome": 1.0, "experience": 0.8, "employee": 0.5, "operational": 0.3}}])
    rules: dict[RuleCode, RuleSetting | RuleEntry] = Field(
        default_factory=no_entries,
        description="Per rule: a severity (error | warning | info | off), or a mapping of "
                    "`severity` and the rule's options (see docs/rules.md).",
        examples=[{"CXP402": "error", "CXP202": {"severity": "error", "min_units": 4}}])



@record(frozen=False)
class RuleSettings:
    """`rules:` as validated: each configured rule's severity and options model.

    The `rules` field of `Config` above describes the format (and the JSON Schema);
    the entries themselves are validated one by one against each rule's own options
    (`model.validate.validate_config`), so one bad option falls back alone.
    """

    severities: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def as_written(self) -> dict[str, Any]:
        """The settings as `rules:` writes them, codes in order: each rule's severity and
        every option (its validated value, defaults too). A saved `check --format json`
        keeps them, for a later `check --baseline-file` to find what a change weakens
        (CXP004), as `--baseline REF` does from the ref's configuration."""
        written: dict[str, Any] = {}
        for code in sorted(self.severities.keys() | self.options.keys()):
            entry = self.options[code].model_dump(mode="json") if code in self.options else {}
            if code in self.severities:
                entry["severity"] = self.severities[code]
            written[code] = entry
        return written
