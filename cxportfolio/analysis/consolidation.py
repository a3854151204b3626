"""What to do about a cluster of duplicated work: one owner, one initiative, the effort saved.

A consolidation proposal for the members of one CXP201 cluster:

- **owner**: the unit whose members' pain points carry most of the value — customers
  reaching the pain point's stage (journey volume × the completion of the stages before
  it) × reach × severity, the core of the ranking's value (docs/ranking.md) — then the
  most effort already put in, then the unit id; none while a value it rests on is
  refused (CXP002: a default is no figure; an effort only where it decides) or a member
  has no unit;
- **journeys and pain points** the combined initiative serves: all of the members';
- **effort**: one shared solution is taken to cost what the largest open member costs (it
  must serve the widest scope, and it is already estimated), against the sum of the open
  members' own: work done or dropped is spent, not saved. A member without an effort is
  named, not guessed.

Plain data (`Consolidation`), for the CXP201 finding, `rank --by cluster` and the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from cxportfolio.model.entities import Initiative, Journey, PainPoint, Unit
from cxportfolio.model.finding import Finding
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.records import record

CODE = "CXP201"


@record
class Consolidation:
    """A CXP201 cluster's consolidation proposal: one owner for the members' work, and
    what merging them saves."""

    members: tuple[str, ...]  # initiative ids, sorted
    units: tuple[str, ...]  # every unit of the members, sorted
    owner: str | None  # the unit proposed to own the one combined initiative
    journeys: tuple[str, ...]
    pain_points: tuple[str, ...]
    # Efforts count the open members only: what is done or dropped is spent, not saved.
    separate_effort: float  # Σ of the open members' efforts (person-weeks), known ones
    shared_effort: float  # one solution: the largest open member's effort
    without_effort: tuple[str, ...]  # open members whose effort is not known
    open_members: tuple[str, ...] = ()  # members not done or dropped
    # The refused values the owner would rest on ("the volume of journey j"): no owner then.
    refused: tuple[str, ...] = ()

    @property
    def no_owner(self) -> str:
        """What the tables say in place of an owner the proposal does not name."""
        return NO_OWNER_REFUSED if self.refused else NO_OWNER_YET

    @property
    def saved(self) -> float:
        """Effort saved by building one solution instead of each member's own."""
        return self.separate_effort - self.shared_effort


# What the tables say in place of an owner no proposal can name: a member has no unit.
NO_OWNER_YET = "(a member has no unit)"
NO_OWNER_REFUSED = "(a value it rests on is refused)"

class Pains:
    """What a proposal reads of a pain point — its journey and value (customers reaching
    its stage × reach × severity, 0 when unknown), None for an id that is no pain point —
    read once for all the proposals of a check (a large portfolio has thousands of
    clusters on a few thousand pain points), and each journey's stages once (a journey
    may have thousands of stages, each with a pain point: a pass over the journey per
    pain point made proposals quadratic)."""

    def __init__(self, portfolio: Portfolio) -> None:
        self._portfolio = portfolio
        self._known: dict[str, tuple[str | None, float] | None] = {}
        self._journeys: dict[str, tuple[dict[str, int], list[float]]] = {}

    def __getitem__(self, pain_id: str) -> tuple[str | None, float] | None:
        if pain_id not in self._known:
            pain = self._portfolio.get(pain_id, PainPoint)
            self._known[pain_id] = (pain.journey, self._value(pain)) if isinstance(pain, PainPoint) else None
        return self._known[pain_id]

    def _value(self, pain: PainPoint) -> float:
        journey = self._portfolio.get(pain.journey, Journey) if pain.journey is not None else None
        if not isinstance(journey, Journey) or pain.severity is None:
            return 0.0
        if journey.id not in self._journeys:
            self._journeys[journey.id] = (journey.stage_places(), journey.reaching())
        places, reaching = self._journeys[journey.id]
        place = places.get(pain.stage) if pain.stage is not None else None
        if place is None:
            return 0.0
        return (journey.volume or 0.0) * reaching[place] * (pain.reach or 0.0) * pain.severity


def propose(portfolio: Portfolio, members: Sequence[str], values: Pains | None = None) -> Consolidation:
    """The proposal for one cluster of initiatives (ids that are not initiatives are skipped).

    `values` keeps each pain point's journey and value across calls (a large portfolio
    has thousands of clusters on a few thousand pain points)."""
    values = Pains(portfolio) if values is None else values
    initiatives = [i for m in sorted(members) if isinstance(i := portfolio.get(m, Initiative), Initiative)]
    value: dict[str, float] = {}
    effort: dict[str, float] = {}
    journeys: set[str] = set()
    pains: set[str] = set()
    for initiative in initiatives:
        unit = initiative.unit or ""
        for pain_id in dict.fromkeys(initiative.addresses):
            known = values[pain_id]
            if known is None:
                continue
            pains.add(pain_id)
            if known[0] is not None:
                journeys.add(known[0])
            value[unit] = value.get(unit, 0.0) + known[1]
        effort[unit] = effort.get(unit, 0.0) + (initiative.effort or 0.0)
    units = sorted({i.unit or "" for i in initiatives} - {""})
    refused = refused_for_owner(portfolio, initiatives)
    top = max((value.get(u, 0.0) for u in units), default=0.0)
    # the effort decides between the units of most value only: a refused one there is unknown
    tied = sum(value.get(u, 0.0) == top for u in units) > 1
    refused += [f"the effort of initiative {i.id}" for i in initiatives
                if tied and i.is_partial("effort") and value.get(i.unit or "", 0.0) == top]
    # No owner while a member has no unit (its unit's value is not known: it could be the
    # owner), nor while a value it rests on is refused; the mistake's CXP002 says so.
    owner = (min(units, key=lambda u: (-value.get(u, 0.0), -effort.get(u, 0.0), u))
             if units and not refused and all(i.unit and portfolio.get(i.unit, Unit) is not None
                                              for i in initiatives) else None)
    open_members = [i for i in initiatives if i.is_open]
    known = [i.effort for i in open_members if i.effort is not None]
    return Consolidation(tuple(i.id for i in initiatives), tuple(units), owner, tuple(sorted(journeys)),
                         tuple(sorted(pains)), math.fsum(known), max(known, default=0.0),
                         tuple(i.id for i in open_members if i.effort is None),
                         tuple(i.id for i in open_members), tuple(refused))


def refused_for_owner(portfolio: Portfolio, initiatives: Sequence[Initiative]) -> list[str]:
    """The refused values an owner's value rests on: the members' pain points, and what
    values each (its journey's volume and stages, its stage, severity and reach). A
    refused value holds a default, which no proposal may weigh."""
    refused: dict[str, None] = {}
    for initiative in initiatives:
        refused.update(dict.fromkeys(_refused(initiative, ("addresses",))))
        for pain_id in dict.fromkeys(initiative.addresses):
            pain = portfolio.get(pain_id, PainPoint)
            if not isinstance(pain, PainPoint):
                continue
            refused.update(dict.fromkeys(_refused(pain, ("journey", "stage", "severity", "reach"))))
            journey = portfolio.get(pain.journey, Journey) if pain.journey is not None else None
            if isinstance(journey, Journey):
                refused.update(dict.fromkeys(_refused(journey, ("volume", "stages"))))
    return list(refused)


def _refused(entity: Initiative | PainPoint | Journey, fields: Sequence[str]) -> list[str]:
    return [f"the {name} of {entity.label} {entity.id}" for name in fields if entity.is_partial(name)]


def duplicates_unchecked(portfolio: Portfolio) -> tuple[str, ...]:
    """The files that do not parse, while CXP201 is on and so says nothing (the files could
    hold any text): rank's table and plan, `--by cluster` and the report say that no work
    found duplicated is not none duplicated. With CXP201 off, correcting them shows none."""
    return () if portfolio.rules.severities.get(CODE) == "off" else tuple(sorted(portfolio.unreadable))


def opportunities(portfolio: Portfolio, findings: Iterable[Finding]) -> list[Consolidation]:
    """One proposal per live (not accepted) CXP201 cluster with at least two open members
    (two plans that could still become one), the most effort saved first."""
    values = Pains(portfolio)
    proposals = []
    for finding in findings:
        if finding.code != CODE or finding.suppressed:
            continue
        proposal = propose(portfolio, finding.entities, values)
        if len(proposal.open_members) > 1:
            proposals.append(proposal)
    return sorted(proposals, key=lambda c: (-c.saved, c.members))


def summary(proposal: Consolidation, most: int = 4) -> str:
    """One line: 'one initiative owned by X for journeys A, B: effort 14 instead of 36
    person-weeks', naming the members still open when some are done, and those whose
    effort is not known."""
    journeys = _listed(proposal.journeys, most)
    scope = f" for journey{'s' if len(proposal.journeys) > 1 else ''} {journeys}" if journeys else ""
    owner = f"owned by {proposal.owner}" if proposal.owner else "with one owner"
    if proposal.open_members and set(proposal.open_members) <= set(proposal.without_effort):
        # no effort known to compare ("effort 0 instead of 0 person-weeks" said nothing)
        return f"one initiative {owner}{scope} (no effort is given for {_listed(proposal.without_effort, most)})"
    # with an effort not given, the separate work is more than the sum known: "at least"
    floor = "at least " if proposal.without_effort else ""
    line = (f"one initiative {owner}{scope}: effort {proposal.shared_effort:g} instead of "
            f"{floor}{proposal.separate_effort:g} person-weeks")
    if len(proposal.open_members) < len(proposal.members):  # the rest is spent already
        line += f" for the members still open ({_listed(proposal.open_members, most) or 'none'})"
    if proposal.without_effort:
        line += f", with no effort given for {_listed(proposal.without_effort, most)}"
    return line


def _listed(items: Sequence[str], most: int) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")
