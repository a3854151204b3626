"""Who answers for a finding: the unit(s) the report files it under (docs/tracking.md).

The rule, by what the finding is about:

- an initiative: its unit;
- a pain point: the unit owning its journey (the journey is the unit of value);
- a KPI: its owner; a unit (one of its goals): that unit; a journey: its owner;
- a duplicate or conflict between units (CXP201, CXP203, CXP301, CXP302, CXP304): every
  unit involved, once each — the KPI they meet on is the place, not a party.

A finding about a pain point that several units address (CXP202) is the journey owner's
to settle: it is about the pain point. Nobody accountable is shown as NO_OWNER, which is
itself a decision to take. Never a KPI's `unit:`, which is a unit of measure. A unit or
owner that names no unit (CXP102: `unit: digitl`) is nobody, as a refused one: filed
under it, the typo would read as a unit of its own.
"""

from __future__ import annotations

from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, PainPoint, Unit
from cxportfolio.model.finding import Finding
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.rules.conflicts import improves

NO_OWNER = "(no owner)"
# Findings between units: every party answers for them.
BETWEEN_UNITS = frozenset({"CXP201", "CXP203", "CXP301", "CXP302", "CXP304"})


def owner_of(entity: Entity | None, portfolio: Portfolio) -> str | None:
    """The unit accountable for one entity, or None when nobody is."""
    if isinstance(entity, Initiative):
        return portfolio.as_unit(entity.unit)
    if isinstance(entity, Unit):
        return entity.id
    if isinstance(entity, PainPoint):
        journey = portfolio.get(entity.journey, Journey) if entity.journey else None
        return portfolio.as_unit(journey.owner) if isinstance(journey, Journey) else None
    if isinstance(entity, (Kpi, Journey)):
        return portfolio.as_unit(entity.owner)
    return None


def accountable_units(finding: Finding, portfolio: Portfolio) -> tuple[str, ...]:
    """The units a finding is filed under: sorted, each once, NO_OWNER when none."""
    entities = [portfolio.by_id.get(ident) for ident in finding.entities]
    if finding.code in BETWEEN_UNITS:
        # The parties: the initiatives and units involved (for duplicate KPIs, the KPIs).
        parties = [e for e in entities if isinstance(e, (Initiative, Unit))] or \
                  [e for e in entities if isinstance(e, Kpi)]
        units = {owner_of(e, portfolio) for e in parties}
        if finding.code == "CXP304" and len(finding.entities) == 3:
            units |= _targeting(finding.entities[2], portfolio)
    else:
        units = {owner_of(entities[0], portfolio)} if entities else set()
    found = sorted(u for u in units if u)
    return tuple(found) or (NO_OWNER,)


def named_first(finding: Finding, accountable: tuple[str, ...], portfolio: Portfolio) -> tuple[str, ...]:
    """The accountable units, those of the initiatives and units the finding names first, in
    its order (CS-008's unit before the units on the other side of its trade-off), then the rest."""
    entities = [portfolio.by_id.get(ident) for ident in finding.entities]
    named = [owner_of(e, portfolio) for e in entities if isinstance(e, (Initiative, Unit))]
    first = [u for u in dict.fromkeys(named) if u in accountable]
    return (*first, *(u for u in accountable if u not in first))


def _targeting(kpi_id: str, portfolio: Portfolio) -> set[str | None]:
    """The other side of a trade-off (CXP304): units whose goals or work improve the KPI."""
    units: set[str | None] = {u.id for u, _ in portfolio.goals_on.get(kpi_id, [])}
    kpi = portfolio.get(kpi_id, Kpi)
    if isinstance(kpi, Kpi):
        units |= {portfolio.as_unit(i.unit) for i, n in portfolio.effects_on.get(kpi_id, [])
                  if improves(kpi, i.effects[n].change)}
    return units
