"""The portfolio's domain entities as pydantic v2 models.

These models are the single definition of the file format: they validate documents,
generate `schemas/*.schema.json` (what editors use) and carry the field descriptions
that `docs/format.md` explains. Unknown keys are refused (typo protection), except
extension keys starting with `x-`, which are kept aside for other tools.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cxportfolio.model.types import (
    Count,
    Date,
    Direction,
    Id,
    Period,
    RuleCode,
    Share,
    Text,
    Value,
    WholeCount,
)

EXTENSION_PREFIX = "x-"
_NOTHING: frozenset[str] = frozenset()


class Origin:
    """Where an entity was defined: file (relative POSIX path) and JSON pointer."""

    __slots__ = ("file", "pointer")

    def __init__(self, file: str, pointer: tuple[str | int, ...]) -> None:
        self.file = file
        self.pointer = pointer

    def at(self, *parts: str | int) -> tuple[str, tuple[str | int, ...]]:
        return self.file, self.pointer + parts


class Strict(BaseModel):
    """Base of every model: strict types, no unknown keys, `x-` extensions allowed."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        names = _field_names(cls)
        if data.keys() <= names:  # every mapping of a portfolio passes here: one C-level test
            return data
        unknown = data.keys() - names
        if any(isinstance(k, str) and k.startswith(EXTENSION_PREFIX) for k in unknown):
            return {k: v for k, v in data.items()
                    if not (isinstance(k, str) and k.startswith(EXTENSION_PREFIX))}
        return data


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type[BaseModel]) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.alias or n for n, f in cls.model_fields.items())
    return names


class Allow(Strict):
    """Accept a finding on purpose; the reason shows in reports."""

    rule: RuleCode = Field(description="the rule code, e.g. CXP201")
    reason: Text = Field(description="why this is accepted (mandatory)")


class Entity(Strict):
    """Something with a portfolio-wide unique id."""

    label: ClassVar[str] = "entity"
    id: Id = Field(description="unique across the whole portfolio: ^[A-Za-z][A-Za-z0-9_.-]*$")
    # Slots, not pydantic private attributes: rules read origins tens of thousands of
    # times, and private attributes go through a slow __getattr__.
    __slots__ = ("_cx_origin", "_cx_invalid", "_cx_mentions")

    @property
    def origin(self) -> Origin:
        return self._cx_origin  # type: ignore[no-any-return]

    def place(self, origin: Origin) -> None:
        object.__setattr__(self, "_cx_origin", origin)
        # Set on every entity, so that reading them never takes pydantic's slow path for
        # a missing attribute (rules ask every entity, on every check).
        if getattr(self, "_cx_invalid", None) is None:
            self.mark_invalid(_NOTHING)

    @property
    def invalid_fields(self) -> frozenset[str]:
        """Fields whose written value was refused (reported as CXP002).

        Such an entity stays in the portfolio with its valid fields (SPEC §9, error
        tolerance): a refused optional field holds its default, a refused required one
        holds None, and a rule that needs a refused field skips the entity.
        """
        return getattr(self, "_cx_invalid", _NOTHING)

    def is_partial(self, *fields: str) -> bool:
        """Whether any of these fields was refused (any field at all, with none given)."""
        invalid = self.invalid_fields
        return bool(invalid) if not fields else any(f in invalid for f in fields)

    def mark_invalid(self, fields: frozenset[str], mentions: frozenset[str] = _NOTHING) -> None:
        object.__setattr__(self, "_cx_invalid", fields)
        object.__setattr__(self, "_cx_mentions", mentions)

    @property
    def mentions(self) -> frozenset[str]:
        """The texts written in refused fields: ids a refused reference may have meant,
        so that no rule calls those entities unreferenced (e.g. CXP502)."""
        return getattr(self, "_cx_mentions", _NOTHING)

    @property
    def whole(self) -> bool:
        """No value of it was refused. Rank, track and report compute with whole
        entities only (a refused effort or reach must not be scored as its default);
        the rules see every entity."""
        return not self.invalid_fields


class Goal(Strict):
    kpi: Id = Field(description="the KPI this unit is measured on")
    direction: Direction = Field(description="which way the unit wants the KPI to move")
    target: Value | None = Field(default=None, description="target value in the KPI's unit")
    period: Period | None = Field(default=None, description="when the target applies")


class Unit(Entity):
    label: ClassVar[str] = "unit"
    name: Text
    description: str | None = None
    capacity: Count | None = Field(
        default=None, description="effort available this year, in person-weeks")
    goals: list[Goal] = Field(default_factory=list, description="what this unit is measured on")
    allow: list[Allow] = Field(default_factory=list)


class Stage(Strict):
    id: Id = Field(description="unique within its journey")
    name: Text
    completion: Share = Field(
        default=1.0, description="share of customers reaching this stage who go on past it")


class Journey(Entity):
    label: ClassVar[str] = "journey"
    name: Text
    description: str | None = None
    owner: Id | None = Field(default=None, description="the unit owning the journey end to end")
    volume: Count | None = Field(
        default=None, description="customers entering the journey per year")
    stages: list[Stage] = Field(min_length=1, description="the journey's stages, in order")
    allow: list[Allow] = Field(default_factory=list)


EvidenceKind = Literal[
    "survey", "nps", "complaint", "interview", "observation", "analytics", "employee", "assumption"
]


class Evidence(Strict):
    kind: EvidenceKind
    count: WholeCount | None = Field(default=None, description="how many responses, cases or sessions")
    period: Period | None = None
    source: str | None = None
    note: str | None = None


class PainPoint(Entity):
    label: ClassVar[str] = "pain point"
    journey: Id
    stage: Id = Field(description="a stage id of that journey")
    title: Text
    description: str | None = None
    severity: int = Field(ge=1, le=5, description="1 = annoyance … 5 = stops the customer")
    reach: Share = Field(default=1.0, description="share of customers at this stage who hit it")
    evidence: list[Evidence] = Field(default_factory=list)
    allow: list[Allow] = Field(default_factory=list)


class Measurement(Strict):
    period: Period
    value: Value


KpiKind = Literal["outcome", "experience", "operational", "employee"]


class Kpi(Entity):
    label: ClassVar[str] = "KPI"
    name: Text
    description: str | None = None
    type: KpiKind = Field(alias="kind", description="outcome | experience | operational | employee")
    direction: Direction = Field(description="which way is better")
    unit: str | None = Field(default=None, description="the KPI's unit of measure, e.g. points")
    journey: Id | None = None
    owner: Id | None = Field(default=None, description="the unit that owns the KPI")
    baseline: Measurement | None = None
    target: Measurement | None = None
    measurements: list[Measurement] = Field(default_factory=list)
    drives: list[Id] = Field(default_factory=list, description="KPIs this one drives")
    tradeoffs: list[Id] = Field(
        default_factory=list, description="KPIs that tend to worsen when this one improves")
    allow: list[Allow] = Field(default_factory=list)


class Effect(Strict):
    kpi: Id
    change: Value = Field(description="expected change, in the KPI's unit, signed")
    confidence: Share = Field(default=1.0, description="0–1, scales the expected value")


class Realized(Strict):
    kpi: Id
    change: Value = Field(description="measured change, in the KPI's unit, signed")
    period: Period | None = None


class Decision(Strict):
    by: Text = Field(description="who decided, e.g. steering-group")
    on: Date


Status = Literal["idea", "proposed", "approved", "in_progress", "done", "dropped"]
Size = Literal["quick_win", "project", "program"]


class Initiative(Entity):
    label: ClassVar[str] = "initiative"
    title: Text
    description: str | None = None
    unit: Id | None = Field(default=None, description="owning unit; defaults to the file's `unit:`")
    addresses: list[Id] = Field(default_factory=list, description="pain point ids")
    effects: list[Effect] = Field(default_factory=list)
    effort: Count | None = Field(default=None, description="person-weeks")
    size: Size | None = None
    status: Status
    planned: Period | None = Field(default=None, description="planned completion")
    completed: Date | None = Field(default=None, description="required when status is done")
    decided: Decision | None = None
    depends_on: list[Id] = Field(default_factory=list)
    realized: list[Realized] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    allow: list[Allow] = Field(default_factory=list)
    __slots__ = ("_cx_unit_inherited",)

    @property
    def is_open(self) -> bool:
        """Still to be delivered: neither done nor dropped."""
        return self.status not in ("done", "dropped")

    @property
    def unit_inherited(self) -> bool:
        """True when `unit` came from the file's top-level `unit:`."""
        return getattr(self, "_cx_unit_inherited", False)

    def inherit_unit(self) -> None:
        object.__setattr__(self, "_cx_unit_inherited", True)


ENTITY_KINDS: dict[str, type[Entity]] = {
    "units": Unit,
    "journeys": Journey,
    "pain_points": PainPoint,
    "kpis": Kpi,
    "initiatives": Initiative,
}
