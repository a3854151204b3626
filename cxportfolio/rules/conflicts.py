"""CXP301–CXP304: units whose goals and effects pull one KPI in different directions."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from operator import attrgetter, itemgetter

from cxportfolio.model.entities import Initiative, Kpi, Unit
from cxportfolio.model.finding import MAX_RELATED, Severity
from cxportfolio.rules.base import MAX_NAMED, Anchor, Hit, RuleContext, named, of_unknown_unit, rule


def improves(kpi: Kpi, change: float) -> bool:
    """Whether a change moves the KPI its better way (never, when its direction was refused)."""
    if kpi.direction is None:
        return False
    return change > 0 if kpi.direction == "increase" else change < 0


@rule("CXP301", "opposing-effects", Severity.WARNING,
      "initiatives of different units push the same KPI in opposite directions",
      reads=["Initiative.status", "Initiative.effects", "Initiative.unit"],
      silent_on=lambda portfolio, finding: of_unknown_unit(portfolio, finding.entities[1:]))
def opposing_effects(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: when one unit's work raises a KPI and another's lowers it, the organization
    pays twice to stand still — and each unit can point at the other when the KPI does
    not move. Silos show up first as effects that cancel out.

    One finding per KPI, naming both sides and their units. A unit that is not known
    (CXP102: `unit: digitl`) is no unit of its own, as CXP202 does not count it: a KPI
    pushed both ways by digital's work and `digitl`'s alone is not reported until the
    unit is corrected (`diff` calls the finding unchecked meanwhile, not resolved).

    **Example**: customer-service's `CS-1` expects `aht` to fall by 30 s while advisory's
    `ADV-3` (longer, better advice calls) expects it to rise by 60 s:
    `units/advisory.yaml:14:34: CXP301 aht is pushed both ways: up by ADV-3 (advisory); down by CS-1 (customer-service)`

    **Fix**: let the units agree which way the KPI should go, or state the trade-off in the
    KPI's `tradeoffs` and accept the finding with `allow:`.
    """
    for kpi in ctx.portfolio.kpis:
        up: list[tuple[Initiative, int]] = []
        down: list[tuple[Initiative, int]] = []
        for pair in ctx.portfolio.effects_on.get(kpi.id, []):  # one pass: large portfolios have many
            change = pair[0].effects[pair[1]].change
            if change:
                (up if change > 0 else down).append(pair)
        if not up or not down:
            continue
        involved = up + down
        # A KPI can have thousands of effects: C-level maps and sorts, not Python loops.
        initiatives = list(map(itemgetter(0), involved))
        units = set(map(attrgetter("unit"), initiatives))
        # a unit that is not known (CXP102: `unit: digitl`) may be the one it misspells: it
        # is no unit of its own (two known units make the push cross units whatever it is)
        if len({u for u in units if not u or ctx.portfolio.unit_known(u)}) < 2:
            continue  # one unit's own trade-off is CXP303's business, not a silo
        ids = list(map(attrgetter("id"), initiatives))
        by_id = sorted(range(len(involved)), key=ids.__getitem__)  # stable, as sorting the pairs
        (first, n), *rest = [involved[k] for k in by_id[:MAX_RELATED + 1]]
        yield Hit(Anchor.of(first, "effects", n, "change"),
                  f"{kpi.id} is pushed both ways: up by {_names(up)}; down by {_names(down)}",
                  (kpi.id, *sorted(set(ids))),
                  tuple(Anchor.of(i, "effects", m, "change") for i, m in rest),
                  "agree one direction for the KPI across units, or declare the trade-off", key=(kpi.id,),
                  parties=tuple(sorted(set(ids))))


@rule("CXP302", "conflicting-goals", Severity.WARNING,
      "units set goals on one KPI with opposite directions or different targets for one period",
      reads=["Unit.goals"])
def conflicting_goals(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: units measured on the same KPI in opposite directions (one must cut handling
    time, the other must lengthen advice calls), or with different targets for the same
    period, are set up to work against each other. The conflict is in the goals, so it
    has to be solved where goals are set.

    **Example**:
    ```yaml
    - id: customer-service
      goals: [{kpi: aht, direction: decrease, target: 240, period: 2026}]
    - id: advisory
      goals: [{kpi: aht, direction: increase, period: 2026}]
    ```
    `units/advisory.yaml:6:33: CXP302 units disagree on aht: advisory wants it to increase, customer-service to decrease`

    **Fix**: agree one goal per KPI and period, owned by one unit; others contribute.
    """
    for kpi in ctx.portfolio.kpis:
        goals = ctx.portfolio.goals_on.get(kpi.id, [])
        if len({u.id for u, _ in goals}) < 2:
            continue
        directions: dict[str, list[str]] = {}
        for unit, n in goals:
            directions.setdefault(unit.goals[n].direction, []).append(unit.id)
        ordered = sorted(goals, key=lambda pair: (pair[0].id, pair[1]))
        (first, n), *rest = ordered
        if len(directions) > 1:
            related = tuple(Anchor.of(u, "goals", m, "direction") for u, m in rest[:MAX_RELATED])
            up, down = sorted(set(directions["increase"])), sorted(set(directions["decrease"]))
            yield Hit(Anchor.of(first, "goals", n, "direction"),
                      f"units disagree on {kpi.id}: {named(up)} want{'s' if len(up) == 1 else ''} it "
                      f"to increase, {named(down)} to decrease",
                      (kpi.id, *sorted({u.id for u, _ in goals})), related,
                      "agree one direction per KPI across units", key=(kpi.id, "direction"),
                      parties=tuple(sorted({u.id for u, _ in goals})))
            continue
        by_period: dict[str, dict[float, list[str]]] = {}
        set_in: dict[str, list[tuple[Unit, int]]] = {}  # the goals with a target, per period, in order
        for unit, m in ordered:
            goal = unit.goals[m]
            if goal.target is not None and goal.period is not None:
                by_period.setdefault(goal.period, {}).setdefault(goal.target, []).append(unit.id)
                set_in.setdefault(goal.period, []).append((unit, m))
        for period in sorted(by_period):
            targets = by_period[period]
            if len(targets) > 1:
                values = sorted(targets.items())
                listed = "; ".join(f"{named(sorted(set(units)))}: {value:g}" for value, units in values[:MAX_NAMED])
                if len(values) > MAX_NAMED:
                    listed += f"; {len(values) - MAX_NAMED} more targets"
                # At the targets the message compares: the period's, not a goal of another period.
                (holder, m), *others = set_in[period]
                yield Hit(Anchor.of(holder, "goals", m, "target"),
                          f"units set different {period} targets for {kpi.id} ({listed})",
                          (kpi.id, *sorted({u for us in targets.values() for u in us})),
                          tuple(Anchor.of(u, "goals", k, "target") for u, k in others[:MAX_RELATED]),
                          "agree one target per KPI and period", key=(kpi.id, period),
                          parties=tuple(sorted({u for us in targets.values() for u in us})))


@rule("CXP303", "against-direction", Severity.WARNING,
      "an effect or goal moves a KPI against its better direction",
      reads=["Initiative.status", "Initiative.effects", "Kpi.direction", "Unit.goals"])
def against_direction(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: a KPI declares which way is better. An initiative expecting to move it the
    other way is either a sign error in the file or a cost that should be visible and
    decided on; a unit goal the wrong way round rewards making things worse.

    **Example**:
    ```yaml
    kpis: [{id: nps, kind: experience, direction: increase, ...}]
    initiatives:
      - id: DIG-9
        effects: [{kpi: nps, change: -3}]
    ```
    `units/digital.yaml:4:34: CXP303 DIG-9 expects nps to fall by 3, but higher is better`

    **Fix**: correct the sign, or keep it as an honest side effect and accept it with
    `allow: [{rule: CXP303, reason: …}]`.

    While a KPI's id is written twice (CXP101: another KPI renamed to it), a move the better
    way by either definition is not called against it.
    """
    portfolio = ctx.portfolio
    kpi_of = {kpi.id: kpi for kpi in portfolio.kpis}  # a dictionary lookup per effect
    # The directions of a KPI's other definitions (its id written twice, CXP101): the one
    # read may be another KPI renamed to its id, so a move the better way by either is
    # not called against it until the ids differ.
    other_ways: dict[str, set[str]] = {}
    if len(portfolio.by_id) != len(portfolio.entities):
        for entity in portfolio.entities:
            if isinstance(entity, Kpi) and kpi_of.get(entity.id) is not entity and entity.direction is not None:
                other_ways.setdefault(entity.id, set()).add(entity.direction)
    for initiative in portfolio.initiatives:
        if initiative.status == "dropped":
            continue
        for n, effect in enumerate(initiative.effects):
            kpi = kpi_of.get(effect.kpi)
            if (kpi is not None and kpi.direction is not None and effect.change != 0
                    and not improves(kpi, effect.change)
                    and ("increase" if effect.change > 0 else "decrease") not in other_ways.get(kpi.id, ())):
                verb = "rise" if effect.change > 0 else "fall"
                better = "higher" if kpi.direction == "increase" else "lower"
                yield Hit(Anchor.of(initiative, "effects", n, "change"),
                          f"{initiative.id} expects {kpi.id} to {verb} by {abs(effect.change):g}, "
                          f"but {better} is better",
                          (initiative.id, kpi.id), (Anchor.of(kpi, "direction"),),
                          "check the sign; an accepted side effect can be allowed", parties=(initiative.id,))
    for unit in portfolio.units:
        for n, goal in enumerate(unit.goals):
            kpi = portfolio.get(goal.kpi, Kpi)
            if (isinstance(kpi, Kpi) and kpi.direction is not None and goal.direction != kpi.direction
                    and goal.direction not in other_ways.get(kpi.id, ())):
                yield Hit(Anchor.of(unit, "goals", n, "direction"),
                          f"unit {unit.id} aims to {goal.direction} {kpi.id}, whose better "
                          f"direction is {kpi.direction}",
                          (unit.id, kpi.id), (Anchor.of(kpi, "direction"),),
                          "a goal should move the KPI the better way", parties=(unit.id,))


@rule("CXP304", "tradeoff-collision", Severity.WARNING,
      "one unit improves a KPI whose declared tradeoff another unit is targeting",
      reads=["Unit.goals", "Initiative.status", "Initiative.effects", "Initiative.unit", "Kpi.direction",
             "Kpi.tradeoffs"],
      silent_on=lambda portfolio, finding: of_unknown_unit(portfolio, [finding.entities[0], *(
          i.id for i, _ in portfolio.effects_on.get(finding.entities[-1], ()))]))
def tradeoff_collision(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: a KPI's `tradeoffs` say that improving it tends to worsen others (shorter
    calls, fewer problems solved on the first call). When one unit improves such a KPI
    while another unit is measured on the KPI it worsens, both can succeed on paper while
    the customer loses.

    **Example**:
    ```yaml
    kpis:
      - {id: aht, direction: decrease, tradeoffs: [fcr], ...}
    units:
      - {id: quality, goals: [{kpi: fcr, direction: increase}], ...}
    # customer-service: CS-1 effects [{kpi: aht, change: -30}]
    ```
    `units/customer-service.yaml:9:21: CXP304 CS-1 (customer-service) improves aht, which trades off against fcr that quality targets`

    **Fix**: make the trade-off explicit in one decision: a joint goal, a guard-rail
    target on the other KPI, or an `allow:` with the reason.

    A unit that is not known (CXP102: `unit: digitl`) is no unit of its own, as CXP202
    does not count it: its work is not counted as that unit targeting the other KPI, and
    its own finding waits until the unit is corrected, since which units are others is
    not known (`diff` calls the finding unchecked meanwhile, not resolved).

    While a KPI's id is written twice (CXP101: another KPI renamed to it), a tradeoff
    counts only when every definition of the id declares it.
    """
    portfolio = ctx.portfolio
    # a unit that is not known (CXP102: `unit: digitl`) is no unit of its own: it may be
    # the one it misspells, so it targets nothing, and its work's others are not known
    known = cache(portfolio.unit_known)
    targeting: dict[str, set[str]] = {}
    for kpi_id, goals in portfolio.goals_on.items():
        targeting.setdefault(kpi_id, set()).update(u.id for u, _ in goals)
    for kpi_id, effects in portfolio.effects_on.items():
        kpi = portfolio.get(kpi_id, Kpi)
        if isinstance(kpi, Kpi):
            targeting.setdefault(kpi_id, set()).update(
                i.unit for i, n in effects if i.unit and improves(kpi, i.effects[n].change) and known(i.unit))
    for taken in portfolio.taken_work:  # work whose id another's definition took still targets
        for effect in taken.effects:
            kpi = portfolio.get(effect.kpi, Kpi)
            if taken.unit and isinstance(kpi, Kpi) and improves(kpi, effect.change) and known(taken.unit):
                targeting.setdefault(kpi.id, set()).add(taken.unit)
    ranked = {kpi_id: sorted(units) for kpi_id, units in targeting.items()}  # once, not per effect
    trading = {kpi.id: kpi for kpi in portfolio.kpis if kpi.tradeoffs}
    # a KPI id written twice (CXP101): the definition read may be another KPI renamed to
    # it, so a tradeoff counts only when every definition of the id declares it
    declared: dict[str, list[Kpi]] = {}
    if len(portfolio.by_id) != len(portfolio.entities):
        for entity in portfolio.entities:
            if isinstance(entity, Kpi) and entity.id in trading:
                declared.setdefault(entity.id, []).append(entity)
    for initiative in portfolio.initiatives:
        if initiative.status == "dropped" or (initiative.unit and not known(initiative.unit)):
            continue
        for n, effect in enumerate(initiative.effects):
            kpi = trading.get(effect.kpi)
            if kpi is None or not improves(kpi, effect.change):
                continue
            for t, other_id in enumerate(kpi.tradeoffs):
                if not all(other_id in (d.tradeoffs or ()) for d in declared.get(kpi.id, ())):
                    continue
                others = [u for u in ranked.get(other_id, ()) if u != initiative.unit]
                if others:
                    yield Hit(Anchor.of(initiative, "effects", n, "kpi"),
                              f"{initiative.id} ({initiative.unit_named}) improves {kpi.id}, which trades off "
                              f"against {other_id} that {_shown(others)} target"
                              f"{'s' if len(others) == 1 else ''}",
                              (initiative.id, kpi.id, other_id),
                              (Anchor.of(kpi, "tradeoffs", t),),  # the item naming the other KPI, not the list
                              "decide the trade-off together, or accept it with allow:",
                              parties=(initiative.id,))


def _names(pairs: list[tuple[Initiative, int]]) -> str:
    """'A (unit-a), B (unit-b) and 3 more': initiatives by id, each once."""
    initiatives = list(map(itemgetter(0), pairs))
    by_id = dict(zip(map(attrgetter("id"), initiatives), initiatives))
    shown = sorted(by_id)[:MAX_NAMED]
    return _shown([f"{ident} ({by_id[ident].unit_named})" for ident in shown], len(by_id))


def _shown(names: list[str], total: int | None = None) -> str:
    """The first few names of a sorted list, then how many more there are."""
    return named(names, total, MAX_NAMED)

