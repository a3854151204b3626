"""The portfolio's domain entities as pydantic v2 models.

These models are the single definition of the file format: they validate documents,
generate `schemas/*.schema.json` (what editors use) and carry the field descriptions
that `docs/format.md` explains. Unknown keys are refused (typo protection), except
extension keys starting with `x-`, which are kept aside for other tools.
"""

# No `from __future__ import annotations` here: pydantic would read every field's type
# from a string, compiled anew at each start; as objects they come from the bytecode.
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cxportfolio.load.yaml_reader import is_extension
from cxportfolio.model.types import (
    Count,
    Date,
    Direction,
    Id,
    Period,
    Reason,
    RuleCode,
    Share,
    Text,
    Value,
    WholeCount,
    no_items,
)

_NOTHING: frozenset[str] = frozenset()


class WrittenIndex(int):
    """The index of a list item as written in the file, which `Origin.pointer_to` keeps:
    the place of an item that validation refused, and dropped (`Entity.refused_references`)."""

    __slots__ = ()


class Origin:
    """Where an entity was defined: file (relative POSIX path) and JSON pointer, and
    where the items of its lists are written when validation dropped some (`written`)."""

    __slots__ = ("file", "pointer", "written", "alias_of")

    def __init__(self, file: str, pointer: tuple[str | int, ...],
                 written: Mapping[str, tuple[int, ...]] | None = None,
                 alias_of: tuple[str | int, ...] | None = None) -> None:
        self.file = file
        self.pointer = pointer
        # A list field with refused items, which validation drops (validate._salvage) →
        # the index in the file of each item kept: the second effect kept may be the third written.
        self.written = written
        # The pointer of the item an alias (`- *name`) repeats here, in the same list: one
        # item written once, which CXP101 and CXP002 say once, at its anchor.
        self.alias_of = alias_of

    def pointer_to(self, *parts: str | int) -> tuple[str | int, ...]:
        """The JSON pointer in the file of `parts` within the entity ("effects", 1, "kpi"):
        an item's index as written, whatever items before it were refused, so that a
        finding about it is placed on it (docs/format.md, error tolerance: one mistake moves no other finding)."""
        if self.written and len(parts) > 1 and isinstance(parts[1], int) and not isinstance(parts[1], WrittenIndex):
            kept = self.written.get(parts[0])  # type: ignore[arg-type]
            if kept is not None and 0 <= parts[1] < len(kept):
                parts = (parts[0], kept[parts[1]], *parts[2:])
        return self.pointer + parts


# A reference in a refused list item (`Entity.refused_references`).
RefusedReference = tuple[tuple[str, "WrittenIndex", str], str, type["Entity"]]


class Strict(BaseModel):
    """Base of every model: strict types, no unknown keys, `x-` extensions allowed."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"patternProperties": {"^x-": {
            "description": "An extension key: kept aside for other tools, never read by cxportfolio.",
            "markdownDescription": "An **extension key**: kept aside for other tools, never read by "
                                   "cxportfolio.\n\nExample: `x-jira: CX-1234`"}}},
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
        if any(map(is_extension, unknown)):
            return {k: v for k, v in data.items() if not is_extension(k)}
        return data


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type[BaseModel]) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.alias or n for n, f in cls.model_fields.items())
    return names


def top_field(name: str) -> str:
    """The entity's own field that a refused field (`Entity.invalid_fields`) is in:
    `stages` for `stages.name`."""
    return name.partition(".")[0]


class Allow(Strict):
    """Accept a finding on purpose; the reason is shown beside it."""

    rule: RuleCode = Field(description="The code of the rule whose finding is accepted.", examples=["CXP201"])
    reason: Reason = Field(description="Why the finding is accepted: mandatory (not blank), shown beside it "
                                       "(`check --show-suppressed`, `diff`, JSON).",
                         examples=["Joint delivery with retail, agreed 2026-03"])


_ALLOW = ("Findings accepted on purpose, each `{rule, reason}`: a finding is suppressed when every "
          "entity it concerns carries an allow for its rule.")


def _allow(rule: str, reason: str) -> Any:
    """The `allow:` field of an entity kind, with an example of a rule that concerns it."""
    return Field(default_factory=no_items, description=_ALLOW, examples=[[{"rule": rule, "reason": reason}]])


def _id(label: str, example: str) -> Any:
    """The `id:` field of an entity kind (the same rule for every kind, an example of its own)."""
    return Field(description=f"The {label}'s id: unique across the whole portfolio, all kinds together; "
                             "other entries refer to it by this id.", examples=[example])


class Entity(Strict):
    """Something with a portfolio-wide unique id."""

    label: ClassVar[str] = "entity"
    id: Id = _id("entity", "DIG-007")
    # Slots, not pydantic private attributes: rules read origins tens of thousands of
    # times, and private attributes go through a slow __getattr__.
    __slots__ = ("_cx_origin", "_cx_invalid", "_cx_mentions", "_cx_refused_rules", "_cx_refused_references")

    @property
    def origin(self) -> Origin:
        return self._cx_origin  # type: ignore[no-any-return]

    def place(self, origin: Origin, invalid: frozenset[str] = _NOTHING, mentions: frozenset[str] = _NOTHING,
              refused_rules: frozenset[str] = _NOTHING,
              refused_references: tuple["RefusedReference", ...] = ()) -> None:
        """Where the entity was defined, and the fields refused in it with what they said.

        Every slot is set on every entity, here at once: reading an unset slot would take
        pydantic's slow path for a missing attribute (rules ask every entity, on every check).
        """
        object.__setattr__(self, "_cx_origin", origin)
        object.__setattr__(self, "_cx_invalid", invalid)
        object.__setattr__(self, "_cx_mentions", mentions)
        object.__setattr__(self, "_cx_refused_rules", refused_rules)
        object.__setattr__(self, "_cx_refused_references", refused_references)

    @property
    def invalid_fields(self) -> frozenset[str]:
        """Fields whose written value was refused (reported as CXP002).

        Such an entity stays in the portfolio with its valid fields (docs/format.md, error
        tolerance): a refused optional field holds its default, a refused required one
        holds None, and a rule that needs a refused field skips the entity. A field of a
        list's items that no figure reads is named `list.field` (`stages.name`): those
        items stay in the list, that field None (`top_field` names the list).
        """
        return getattr(self, "_cx_invalid", _NOTHING)

    def is_partial(self, *fields: str) -> bool:
        """Whether any of these fields was refused (any field at all, with none given)."""
        invalid = self.invalid_fields
        return bool(invalid) if not fields else any(f in invalid for f in fields)

    @property
    def mentions(self) -> frozenset[str]:
        """The id-shaped words written in refused fields, in their `id_form` ("PP-a" →
        "ppa"): ids a refused reference may have meant, so that no rule calls those
        entities unreferenced (CXP401, CXP502); `*` when a refused stage has no usable
        id, so that it may have been any (CXP103)."""
        return getattr(self, "_cx_mentions", _NOTHING)

    @property
    def refused_rules(self) -> frozenset[str]:
        """The rules, in their `id_form`, that entries of its `allow:` refused (CXP002)
        name: a finding of such a rule says that its allow was refused, not missing."""
        return getattr(self, "_cx_refused_rules", _NOTHING)

    @property
    def refused_references(self) -> tuple["RefusedReference", ...]:
        """The references written well-formed in items of its lists that validation refused
        whole (`effects: [{kpi: nps-onboardin, change: 2, confidence: 1.5}]`: the KPI), as
        (pointer within the entity, with the item's index as written; target id; target
        kind): the item counts for nothing, but what it names is followed (CXP102), so that
        a misspelt id in it is told in the same run as the refused value (docs/format.md,
        error tolerance)."""
        return getattr(self, "_cx_refused_references", ())

    @property
    def whole(self) -> bool:
        """No value of it was refused. Rank, track and report compute with whole
        entities only (a refused effort or reach must not be scored as its default);
        the rules see every entity."""
        return not self.invalid_fields


class Goal(Strict):
    kpi: Id = Field(description="The id of the KPI this unit is measured on.", examples=["aht"])
    direction: Direction = Field(
        description="Which way the unit wants the KPI to move; a goal against the KPI's better direction "
                    "is CXP303.", examples=["decrease"])
    target: Value | None = Field(
        default=None, description="The value the unit aims for, in the KPI's unit; units with different "
                                  "targets for one KPI and period are CXP302.", examples=[240])
    period: Period | None = Field(default=None, description="When the target applies.", examples=[2026])


class Unit(Entity):
    label: ClassVar[str] = "unit"
    id: Id = _id("unit", "customer-service")
    name: Text = Field(description="The unit's name, in one line, as reports show it.", examples=["Customer service"])
    description: str | None = Field(default=None, description="What the unit does, in free text.",
                                    examples=["Phone, chat and e-mail support for private customers"])
    capacity: Count | None = Field(
        default=None, description="Effort the unit has available in the portfolio year, in person-weeks; "
                                  "committed effort above it is CXP501.", examples=[120])
    goals: list[Goal] = Field(
        default_factory=no_items, description="What this unit is measured on: a KPI, the direction the unit "
                                          "wants it to move, and optionally a target and its period.",
        examples=[[{"kpi": "aht", "direction": "decrease", "target": 240, "period": 2026}]])
    allow: list[Allow] = _allow("CXP501", "Seasonal peak, staffed by temporary hires")


class Stage(Strict):
    id: Id = Field(description="The stage's id, unique within its journey: a pain point's `stage` names it.",
                   examples=["apply"])
    name: Text = Field(description="The stage's name, in one line, as reports show it.", examples=["Apply"])
    completion: Share = Field(
        default=1.0, description="Share of customers reaching this stage who go on past it (0.7 = 70%).",
        examples=[0.7])


class Journey(Entity):
    label: ClassVar[str] = "journey"
    id: Id = _id("journey", "mortgage")
    name: Text = Field(description="The journey's name, in one line, as the customer would say it.",
                       examples=["Get a mortgage"])
    description: str | None = Field(default=None, description="What the journey covers, in free text.",
                                    examples=["From the first look at rates to the payout"])
    owner: Id | None = Field(default=None, description="The id of the unit owning the journey end to end.",
                             examples=["retail"])
    volume: Count | None = Field(
        default=None, description="Customers entering the journey per year; with the stages' completion "
                                  "it sets how many customers reach each pain point.", examples=[42000])
    stages: list[Stage] = Field(
        min_length=1, description="The journey's stages, in the order customers go through them.",
        examples=[[{"id": "apply", "name": "Apply", "completion": 0.7},
                   {"id": "decision", "name": "Get a decision"}]])
    allow: list[Allow] = _allow("CXP102", "The owning unit is defined in the group's portfolio")

    def stage_places(self) -> dict[str, int]:
        """Each stage id, in the order of `stages`, with the position of its first stage
        (a repeated id, CXP101, is the first one's; none when `stages:` was refused whole).
        One pass, as a journey may have thousands of stages; computed on each call (models
        are not frozen), so a caller that asks for many pain points keeps it per journey."""
        places: dict[str, int] = {}
        for place, stage in enumerate(self.stages or ()):
            places.setdefault(stage.id, place)
        return places

    def reaching(self) -> list[float]:
        """For each stage, in order, the share of the journey's customers who reach it: the
        product of the completions of the stages before it, multiplied from the first
        (`math.prod`'s floats; the first stage's is the whole number 1, as JSON shows it).
        One pass for the whole journey, not a product per pain point (a journey may have
        thousands of stages, each with a pain point); computed on each call, as
        `stage_places`."""
        reaching: list[float] = [1]
        for stage in (self.stages or ())[:-1]:
            reaching.append(reaching[-1] * stage.completion)
        return reaching


EvidenceKind = Literal[
    "survey", "nps", "complaint", "interview", "observation", "analytics", "employee", "assumption"
]


class Evidence(Strict):
    kind: EvidenceKind = Field(
        description="Where the insight comes from; a pain point with no evidence but `assumption` is CXP403.",
        examples=["interview"])
    count: WholeCount | None = Field(default=None, description="How many responses, cases or sessions.",
                                     examples=[212])
    period: Period | None = Field(default=None, description="When the evidence was gathered.",
                                  examples=["2026-Q1"])
    source: str | None = Field(default=None, description="Where to find it: a survey, report or system.",
                               examples=["Mortgage customer survey"])
    note: str | None = Field(default=None, description="A quote or remark that shows the pain.",
                             examples=["Called three times to ask"])


class PainPoint(Entity):
    label: ClassVar[str] = "pain point"
    id: Id = _id("pain point", "PP-black-hole")
    journey: Id = Field(description="The id of the journey where customers meet this pain point.",
                        examples=["mortgage"])
    stage: Id = Field(description="The id of a stage of that journey (CXP103 when it is none).",
                      examples=["decision"])
    title: Text = Field(description="What the customer experiences, in one line.",
                        examples=["Applicants hear nothing after applying"])
    description: str | None = Field(default=None, description="More about the pain point, in free text.",
                                    examples=["No word between application and decision for up to three weeks"])
    severity: int = Field(
        ge=1, le=5, description="How badly it hurts: 1 = annoyance … 5 = stops the customer reaching their "
                                "goal; severity 4–5 with no active initiative is CXP502.", examples=[4])
    reach: Share = Field(default=1.0, description="Share of customers at this stage who hit it (0.6 = 60%).",
                         examples=[0.6])
    evidence: list[Evidence] = Field(
        default_factory=no_items, description="What shows the pain is real: surveys, complaints, interviews, "
                                          "data; assumptions alone are CXP403.",
        examples=[[{"kind": "nps", "count": 212, "period": "2026-Q1"}]])
    allow: list[Allow] = _allow("CXP502", "Addressed by the 2027 core banking renewal")


class Measurement(Strict):
    period: Period = Field(description="The period the value belongs to.", examples=["2026-Q1"])
    value: Value = Field(description="The KPI's value then, in the KPI's unit.", examples=[68])


KpiKind = Literal["outcome", "experience", "operational", "employee"]


class Kpi(Entity):
    label: ClassVar[str] = "KPI"
    id: Id = _id("KPI", "nps-mortgage")
    name: Text = Field(description="The KPI's name, in one line, as reports show it.", examples=["NPS, mortgage customers"])
    description: str | None = Field(default=None, description="How the KPI is measured, in free text.",
                                    examples=["Net promoter score of customers with a mortgage"])
    type: KpiKind = Field(
        alias="kind", description="What the KPI measures; by default, ranking weighs effects on outcome "
                                  "KPIs most and on operational ones least (`scoring.kind_weights`).",
        examples=["experience"])
    direction: Direction = Field(description="Which way is better.", examples=["increase"])
    unit: str | None = Field(default=None, description="The KPI's unit of measure.", examples=["points"])
    journey: Id | None = Field(default=None, description="The id of the journey the KPI measures, if one.",
                               examples=["mortgage"])
    owner: Id | None = Field(default=None, description="The id of the unit that owns the KPI.",
                             examples=["retail"])
    baseline: Measurement | None = Field(
        default=None, description="Where the KPI started: a period and a value; a KPI without baseline or "
                                  "target is CXP404.", examples=[{"period": 2025, "value": 65}])
    target: Measurement | None = Field(default=None, description="The value to reach, and by when.",
                                       examples=[{"period": 2026, "value": 75}])
    measurements: list[Measurement] = Field(
        default_factory=no_items, description="Measured values by period; `track` shows each with the "
                                          "initiatives completed then that target the KPI.",
        examples=[[{"period": "2026-Q1", "value": 68}]])
    drives: list[Id] = Field(
        default_factory=no_items, description="Ids of the KPIs this one drives (acyclic, CXP106); a driver weighs "
                                          "at least `driver_factor` of the driven KPI's weight.",
        examples=[["retention-12m"]])
    tradeoffs: list[Id] = Field(
        default_factory=no_items, description="Ids of the KPIs that tend to worsen when this one improves.",
        examples=[["aht"]])
    allow: list[Allow] = _allow("CXP404", "New KPI: the baseline is measured in 2026-Q2")

    @field_validator("measurements")
    @classmethod
    def _one_value_a_period(cls, measurements: list[Measurement]) -> list[Measurement]:
        """Two values for one period (a copied line) are not both true: which one is, is not
        known, so the measurements are refused (CXP002) and the KPI trends leave the KPI out,
        rather than show a change within one quarter."""
        first: dict[str, int] = {}
        # (index, index of the first with its period, the period): each one is said (validate._each_repeat)
        repeats: list[tuple[int, int, str]] = []
        for n, measurement in enumerate(measurements):
            before = first.setdefault(measurement.period, n)
            if before != n:
                repeats.append((n, before, measurement.period))
        if repeats:
            index, before, period = repeats[0]
            raise PydanticCustomError("cx_repeated", "repeats the period of measurements[{before}]",
                                      {"index": index, "before": before, "period": period, "repeats": tuple(repeats)})
        return measurements


class Effect(Strict):
    kpi: Id = Field(description="The id of the KPI the initiative is expected to move.",
                    examples=["decision-visibility"])
    change: Value = Field(description="Expected change, in the KPI's unit, signed: negative lowers the KPI.",
                          examples=[-0.3])
    confidence: Share = Field(default=1.0, description="How sure the estimate is (0–1): scales its weight.",
                              examples=[0.7])


class Realized(Strict):
    kpi: Id = Field(description="The id of the KPI whose change was measured.",
                    examples=["decision-visibility"])
    change: Value = Field(description="Measured change, in the KPI's unit, signed.", examples=[14])
    period: Period | None = Field(default=None, description="When the change was measured.",
                                  examples=["2026-Q3"])


class Decision(Strict):
    by: Text = Field(description="Who decided.", examples=["steering-group"])
    on: Date = Field(description="The date of the decision.", examples=["2026-02-01"])


Status = Literal["idea", "proposed", "approved", "in_progress", "done", "dropped"]
Size = Literal["quick_win", "project", "program"]


class Initiative(Entity):
    label: ClassVar[str] = "initiative"
    id: Id = _id("initiative", "DIG-007")
    title: Text = Field(description="What the initiative delivers, in one line.",
                        examples=["Application status tracker in the online bank"])
    description: str | None = Field(
        default=None, description="More about the change, in free text (CXP201 compares it across units).",
        examples=["Applicants see where their application stands and what comes next"])
    unit: Id | None = Field(default=None, description="The id of the owning unit; defaults to the file's `unit:`.",
                            examples=["digital"])
    addresses: list[Id] = Field(
        default_factory=no_items, description="Ids of the pain points it addresses; initiatives on one pain point "
                                          "share its value in the ranking.", examples=[["PP-black-hole"]])
    effects: list[Effect] = Field(
        default_factory=no_items, description="Expected changes of KPIs: `kpi`, `change` in the KPI's unit "
                                          "(signed) and `confidence` 0–1.",
        examples=[[{"kpi": "decision-visibility", "change": 20, "confidence": 0.7}]])
    effort: Count | None = Field(
        default=None, description="Work needed, in person-weeks: priority is impact per effort.", examples=[8])
    size: Size | None = Field(
        default=None, description="How big the change is: quick wins are the quick-win team's lane, the "
                                  "rest the steering group's.", examples=["quick_win"])
    status: Status = Field(description="Where the initiative stands; `done` needs `completed`.",
                           examples=["in_progress"])
    planned: Period | None = Field(
        default=None, description="When completion is planned: `track` forecasts the year from open work "
                                  "planned in it.", examples=["2026-Q2"])
    completed: Date | None = Field(
        default=None, description="When it was completed: required exactly when status is done, never "
                                  "in the future (CXP105).", examples=["2026-05-14"])
    decided: Decision | None = Field(default=None, description="Who decided on the initiative, and when.",
                                     examples=[{"by": "steering-group", "on": "2026-02-01"}])
    depends_on: list[Id] = Field(
        default_factory=no_items, description="Ids of initiatives that must come first (acyclic, CXP104; "
                                          "depending on a dropped one is CXP503).", examples=[["IT-003"]])
    realized: list[Realized] = Field(
        default_factory=no_items, description="Measured effects after completion; a done initiative without "
                                          "one is CXP405 (after 90 days by default).",
        examples=[[{"kpi": "decision-visibility", "change": 14, "period": "2026-Q3"}]])
    tags: list[str] = Field(default_factory=no_items, description="Free labels of your own.",
                            examples=[["self-service"]])
    allow: list[Allow] = _allow("CXP201", "Joint delivery with retail, agreed 2026-03")
    __slots__ = ("_cx_unit_inherited",)

    @property
    def is_open(self) -> bool:
        """Still to be delivered: neither done nor dropped."""
        return self.status not in ("done", "dropped")

    @property
    def undated(self) -> bool:
        """Done, with no completion date (CXP105): in no year's count of done work."""
        return self.status == "done" and self.completed is None

    def done_after(self, day: Any) -> bool:
        """Done, but on a later date than `day` (a `datetime.date`): still to be delivered
        on that day, as a report of an earlier period, or `track --as-of` one, shows it."""
        return self.status == "done" and self.completed is not None and self.completed > day

    @property
    def unit_inherited(self) -> bool:
        """True when `unit` came from the file's top-level `unit:`."""
        return getattr(self, "_cx_unit_inherited", False)

    def inherit_unit(self) -> None:
        object.__setattr__(self, "_cx_unit_inherited", True)

    @property
    def unit_named(self) -> str:
        """The unit as a message names it: "digital", or "no unit" while its unit is
        missing or refused (a CXP002 says so), never Python's None."""
        return self.unit or "no unit"


# Where a table, a count or a map names the unit of initiatives without one (a unit id
# has no space or parentheses: never a unit's), as "(no owner)" names nobody accountable.
UNITLESS = "(no unit)"


ENTITY_KINDS: dict[str, type[Entity]] = {
    "units": Unit,
    "journeys": Journey,
    "pain_points": PainPoint,
    "kpis": Kpi,
    "initiatives": Initiative,
}
# Each kind's list key by its label ("pain point" → "pain_points"): how messages name a kind
# and where in a file it belongs.
LIST_KEY_OF_LABEL: dict[str, str] = {model.label: key for key, model in ENTITY_KINDS.items()}
