"""CXP501–CXP503: portfolio health: capacity, severe pain left alone, broken plans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import Field

from cxportfolio.model.entities import Initiative, Status
from cxportfolio.model.finding import MAX_RELATED, Finding, Severity
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.model.types import id_form
from cxportfolio.rules.base import Anchor, Hit, RuleContext, RuleOptions, options_in, rule


class OverCapacityOptions(RuleOptions):
    statuses: list[Status] = Field(
        default=["approved", "in_progress"],
        description="which statuses count as committed effort")


def _every_initiative(portfolio: Portfolio) -> Iterator[Initiative]:
    """Each initiative as its file defines it, both of an id defined twice (CXP101): work
    two units gave one id is still each unit's work, and their capacity counts it."""
    return (e for e in portfolio.entities if isinstance(e, Initiative))


def _capacity_unsure(portfolio: Portfolio) -> bool:
    """Whether CXP501 cannot tell a unit is within capacity at all: no portfolio year (no
    usable cxportfolio.yaml), or committed work of the year (a status the rule's
    `statuses` counts, or a refused one) whose unit is missing, refused or no defined
    unit's (a misspelled `unit: digtal`) may be any unit's."""
    year = portfolio.year
    if year is None:
        return True
    units = {u.id for u in portfolio.units}
    counted = set(options_in(portfolio.rules.options, "CXP501").statuses)
    return any((not i.unit or i.is_partial("unit") or i.unit not in units)
               and (i.is_partial("planned") or (i.planned or "")[:4] == str(year))
               and (i.status in counted or i.is_partial("status")) for i in _every_initiative(portfolio)) or any(
        not unit or unit not in units for unit in _lost_units(portfolio))


def _lost_units(portfolio: Portfolio) -> list[str]:
    """The unit of each initiative refused whole (its id refused, say): its effort, status
    and plan are unknown, so it may count towards that unit's committed effort."""
    return [unit for _, _, unit, _ in portfolio.lost_initiatives]


def _may_count(initiative: Initiative, statuses: Iterable[str], year: int) -> bool:
    """Whether a refused effort, status or plan of committed work may add to its unit's
    total: a refused value may be anything, a valid one is what it is."""
    return initiative.is_partial("effort", "status", "planned") and (
        (initiative.status in statuses or initiative.is_partial("status"))
        and ((initiative.planned or "")[:4] == str(year) or initiative.is_partial("planned"))
        and (bool(initiative.effort) or initiative.is_partial("effort")))


def _unit_unsure(portfolio: Portfolio, finding: Finding) -> bool:
    """CXP501 cannot tell a unit is within capacity while work of it has a refused value
    that may count (`diff`: its base finding is unchecked, not resolved)."""
    unit, year = (finding.entities or ("",))[0], portfolio.year
    statuses = options_in(portfolio.rules.options, "CXP501").statuses
    return year is not None and (any(i.unit == unit and _may_count(i, statuses, year)
                                     for i in _every_initiative(portfolio)) or unit in _lost_units(portfolio))


@rule("CXP501", "over-capacity", Severity.WARNING,
      "a unit's committed effort for the year exceeds its capacity", OverCapacityOptions,
      reads=["Initiative.unit", "Initiative.status", "Initiative.effort", "Initiative.planned",
             "Unit.capacity"],
      silent_on=lambda portfolio, finding: _capacity_unsure(portfolio) or _unit_unsure(portfolio, finding))
def over_capacity(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: a plan that needs more person-weeks than the unit has will slip, and the
    slipping is usually silent. Saying no early is how *fewer, bigger* changes happen.

    Committed effort is the sum of `effort` of the unit's initiatives whose status is one
    of `statuses` (default approved, in_progress) and whose `planned` period falls in the
    portfolio year. Units without `capacity` are not checked. Where committed work has a
    refused value that may count, no unit, or a unit that is not known (CXP102), the sum is
    said as a floor ("at least 92"): that work may be the unit's. An id two units both use
    (CXP101) takes nothing from either: each definition is its own unit's work.

    **Example**: digital has `capacity: 120` and approved or in-progress work planned for
    2026 adding up to 150 person-weeks:
    `units/digital.yaml:4:15: CXP501 unit digital has 150 person-weeks committed in 2026, over its capacity of 120`

    **Fix**: drop or postpone work (the rank table shows what matters least), or raise
    the capacity if it is real.
    """
    options: OverCapacityOptions = ctx.options_for("CXP501")
    year = ctx.portfolio.year
    if year is None:
        return
    committed: dict[str, float] = {}
    uncertain: set[str] = set()  # units with work whose refused effort, status or plan may count
    for initiative in _every_initiative(ctx.portfolio):
        if not initiative.unit:
            continue
        counted = initiative.status in options.statuses
        in_year = bool(initiative.planned and initiative.planned[:4] == str(year))
        if counted and in_year and initiative.effort:
            committed[initiative.unit] = committed.get(initiative.unit, 0) + initiative.effort
        elif _may_count(initiative, options.statuses, year):
            uncertain.add(initiative.unit)
    uncertain.update(_lost_units(ctx.portfolio))
    # committed work whose unit is missing or names none (CXP102: `unit: digitl`) may be
    # any unit's: every total is then a floor
    anyone = _capacity_unsure(ctx.portfolio)
    for unit in ctx.portfolio.units:
        total = committed.get(unit.id, 0)
        if unit.capacity is not None and total > unit.capacity:
            amount = f"at least {total:g}" if anyone or unit.id in uncertain else f"{total:g}"
            yield Hit(Anchor.of(unit, "capacity"),
                      f"unit {unit.id} has {amount} person-weeks committed in {year}, over its "
                      f"capacity of {unit.capacity:g}", (unit.id,),
                      hint="postpone or drop the least valuable work, or correct the capacity")


class UnaddressedPainOptions(RuleOptions):
    severities: list[Literal[1, 2, 3, 4, 5]] = Field(
        default=[4, 5], description="pain point severities that count as severe")
    addressed_by: list[Status] = Field(
        default=["approved", "in_progress", "done"], min_length=1,
        description="initiative statuses that count as addressing a pain point (one at least)")


def _silent_on_pain(portfolio: Portfolio, finding: Finding) -> bool:
    """CXP502 says nothing of a pain point while a file does not parse, while a refused
    value may name it, while an unknown reference may mean it (renamed where it is
    defined only: CXP102 says where), while an initiative on it has its status refused, or
    while work of the statuses `rules:` counts has its `addresses` lost (as the rule does)."""
    pain = finding.entities[0] if finding.entities else ""
    return (not portfolio.complete or id_form(pain) in portfolio.mentioned or pain in portfolio.meant_by_unknown()
            or any(i.status is None for i in portfolio.work_on(pain))
            or _addresses_lost(portfolio, options_in(portfolio.rules.options, "CXP502").addressed_by))


def _addresses_lost(portfolio: Portfolio, statuses: Iterable[str]) -> bool:
    """Whether work that counts (or whose status was refused) had its `addresses` refused
    without naming a pain point (`addresses: null`, `addresses: 5`): it may have named
    any, so CXP502 makes no claim on one."""
    unlinked = portfolio.unlinked_statuses
    return bool(unlinked) and (None in unlinked or not unlinked.isdisjoint(statuses))


@rule("CXP502", "unaddressed-pain", Severity.WARNING,
      "a pain point of severity 4–5 has no active initiative", UnaddressedPainOptions,
      absence=True, silent_on=_silent_on_pain,
      reads=["PainPoint.severity", "Initiative.status", "Initiative.addresses", "Initiative.mentions"])
def unaddressed_pain(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *the journey over the department.* Severe pain points — the ones that stop
    customers reaching their goal — often fall between units precisely because no single
    unit owns them. Ideas do not count: only approved, in-progress or done work does.
    It makes no claim on a pain point that a mistake may hide work on: while a file does
    not parse, a refused value names it (or the refused `addresses` of approved,
    in-progress or done work names no pain point: it may have named any), or an unknown
    reference is most alike its id
    (renamed where it is defined but not where it is referenced: CXP102 says where). An
    initiative whose id is written twice (CXP101) counts with both definitions' work.

    **Example**: `PP-black-hole` (severity 4) is addressed only by an idea:
    `pain_points.yaml:12:15: CXP502 severe pain point PP-black-hole (severity 4) has no approved, in-progress or done initiative`

    **Fix**: decide on an initiative for it, with an owner — usually the journey owner.
    """
    options: UnaddressedPainOptions = ctx.options_for("CXP502")
    if not ctx.portfolio.complete or _addresses_lost(ctx.portfolio, options.addressed_by):
        return  # an unreadable file, or a refused `addresses`, may hold the work that addresses it
    named = ctx.portfolio.mentioned  # compared as ids are (`id_form`), in one set
    meant: frozenset[str] | None = None  # what unknown references may mean: read once, when first asked
    for pain in ctx.portfolio.pain_points:
        if pain.severity not in options.severities:
            continue
        initiatives = sorted(ctx.portfolio.work_on(pain.id), key=lambda i: i.id)
        # An initiative whose status was refused may well be approved, and one whose
        # `addresses` was refused may well name this pain point: no claim then.
        if named and id_form(pain.id) in named:
            continue
        if not any(i.status in options.addressed_by or i.status is None for i in initiatives):
            if meant is None:
                meant = ctx.portfolio.meant_by_unknown(options.addressed_by)
            if pain.id in meant:
                continue  # unknown references may be its, the pain point renamed where it is defined only
            names = [s.replace("_", "-") for s in options.addressed_by]
            statuses = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
            yield Hit(Anchor.of(pain, "severity"),
                      f"severe pain point {pain.id} (severity {pain.severity}) has no {statuses} "
                      "initiative", (pain.id, *(i.id for i in initiatives)),
                      tuple(Anchor.of(i, "id") for i in initiatives[:MAX_RELATED]),
                      "decide on an initiative for it, owned by one unit", key=(pain.id,))


@rule("CXP503", "depends-on-dropped", Severity.WARNING,
      "an active initiative depends on a dropped one",
      reads=["Initiative.status", "Initiative.depends_on"])
def depends_on_dropped(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: work that waits for something nobody will deliver will not be delivered
    either; the plan is broken even though every file is valid.

    **Example**:
    ```yaml
    - {id: IT-3, status: dropped, ...}
    - {id: DIG-7, status: approved, depends_on: [IT-3], ...}
    ```
    `units/digital.yaml:9:48: CXP503 DIG-7 depends on IT-3, which is dropped`

    **Fix**: find another way to deliver it, revive the dependency, or drop this one too.
    """
    for initiative in ctx.portfolio.initiatives:
        if not initiative.is_open:
            continue
        for n, dep_id in enumerate(initiative.depends_on):
            dep = ctx.portfolio.get(dep_id, Initiative)
            if isinstance(dep, Initiative) and dep.status == "dropped":
                yield Hit(Anchor.of(initiative, "depends_on", n),
                          f"{initiative.id} depends on {dep.id}, which is dropped",
                          (initiative.id, dep.id), (Anchor.of(dep, "status"),),
                          "replace the dependency, revive it, or drop this initiative too",
                          parties=(initiative.id,))
