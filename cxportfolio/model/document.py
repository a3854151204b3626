"""The shape of one portfolio document (a YAML file below the root)."""

from __future__ import annotations

from pydantic import Field

from cxportfolio.model.entities import Initiative, Journey, Kpi, PainPoint, Strict, Unit
from cxportfolio.model.types import Id


class PortfolioDocument(Strict):
    """A portfolio file: any of these keys, plus extension keys starting with `x-`."""

    unit: Id | None = Field(
        default=None, description="owning unit of every initiative here that names none")
    units: list[Unit] = Field(default_factory=list)
    journeys: list[Journey] = Field(default_factory=list)
    pain_points: list[PainPoint] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)
