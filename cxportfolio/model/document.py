"""The shape of one portfolio document (a YAML file below the root)."""

from __future__ import annotations

from pydantic import Field

from cxportfolio.model.entities import Initiative, Journey, Kpi, PainPoint, Strict, Unit
from cxportfolio.model.types import Id, no_items


class PortfolioDocument(Strict):
    """A portfolio file: any of these keys, plus extension keys starting with `x-`."""

    unit: Id | None = Field(
        default=None, description="The id of the unit owning every initiative in this file that names none.",
        examples=["digital"])
    units: list[Unit] = Field(
        default_factory=no_items, description="Organizational units: who owns journeys, KPIs and initiatives, "
                                          "with their capacity and goals.",
        examples=[[{"id": "customer-service", "name": "Customer service", "capacity": 120}]])
    journeys: list[Journey] = Field(
        default_factory=no_items, description="Customer journeys, each with its stages in order.",
        examples=[[{"id": "mortgage", "name": "Get a mortgage", "volume": 42000,
                    "stages": [{"id": "apply", "name": "Apply"}]}]])
    pain_points: list[PainPoint] = Field(
        default_factory=no_items, description="What hurts customers, at a stage of a journey, with evidence.",
        examples=[[{"id": "PP-black-hole", "journey": "mortgage", "stage": "decision",
                    "title": "Applicants hear nothing after applying", "severity": 4}]])
    kpis: list[Kpi] = Field(
        default_factory=no_items, description="The measures of success, with their baseline, target and "
                                          "measurements.",
        examples=[[{"id": "nps-mortgage", "name": "NPS, mortgage customers", "kind": "experience",
                    "direction": "increase"}]])
    initiatives: list[Initiative] = Field(
        default_factory=no_items, description="Improvements: the pain points they address, their expected "
                                          "effects on KPIs, effort and status.",
        examples=[[{"id": "DIG-007", "title": "Application status tracker", "addresses": ["PP-black-hole"],
                    "effort": 8, "status": "in_progress"}]])
