"""CXP401–CXP405: effect over activity, evidence over assumption."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import Field

from cxportfolio.model.entities import Initiative, Kpi
from cxportfolio.model.finding import Finding, Severity
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.model.types import YEAR_MAX, YEAR_MIN
from cxportfolio.rules.base import Anchor, Hit, RuleContext, RuleOptions, named, rule


def _silent_on_unlinked(portfolio: Portfolio, finding: Finding) -> bool:
    """CXP401 says nothing of an initiative whose `addresses` was refused, or one a refused
    value of which names a pain point."""
    initiative = portfolio.by_id.get(finding.entities[0]) if finding.entities else None
    return isinstance(initiative, Initiative) and _link_unsure(initiative, portfolio.pain_forms)


def _link_unsure(initiative: Initiative, pain_forms: set[str]) -> bool:
    """Whether its `addresses` was refused, or a refused value of it names a pain point
    (`adresses: [PP-x]` is a typo, not no link): CXP401 makes no claim then."""
    return initiative.is_partial("addresses") or bool(initiative.mentions & pain_forms)


def _silent_on_effects(portfolio: Portfolio, finding: Finding) -> bool:
    """CXP402 says nothing of an initiative one of whose effects was refused."""
    initiative = portfolio.by_id.get(finding.entities[0]) if finding.entities else None
    return isinstance(initiative, Initiative) and initiative.is_partial("effects")


@rule("CXP401", "no-pain-point", Severity.WARNING, "an initiative addresses no pain point",
      reads=["Initiative.status", "Initiative.addresses", "Initiative.mentions"], silent_on=_silent_on_unlinked)
def no_pain_point(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *insight from real customers, not assumptions.* Work that names no customer
    pain point cannot be placed on a journey, valued by the customers it helps, or checked
    against what customers said. It is often an internal wish dressed as an improvement.

    **Example**:
    ```yaml
    - id: IT-12
      title: Upgrade the CRM
      status: approved
    ```
    `units/it.yaml:7:9: CXP401 IT-12 addresses no pain point`

    **Fix**: link it with `addresses: [<pain point id>]`, or add the pain point (with its
    evidence) that motivates it. Dropped and done initiatives are not checked, nor one
    whose status is refused (it may be either: its CXP002 says so).
    """
    pain_forms = ctx.portfolio.pain_forms
    for initiative in ctx.portfolio.initiatives:
        # a refused status may be done or dropped, which are not checked (`ferdig`: no claim)
        if (initiative.is_open and not initiative.addresses and not _link_unsure(initiative, pain_forms)
                and not initiative.is_partial("status")):
            yield Hit(Anchor.of(initiative, "id"), f"{initiative.id} addresses no pain point",
                      (initiative.id,), hint="add `addresses: [<pain point id>]`")


@rule("CXP402", "activity-only", Severity.WARNING,
      "an initiative's effects are only on operational KPIs",
      reads=["Kpi.type", "Initiative.status", "Initiative.effects"], silent_on=_silent_on_effects)
def activity_only(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *effect over activity.* An initiative is worth what it changes in customers'
    lives, not the fact that it was shipped or that a process got faster. Effects only on
    operational metrics (handling time, tickets closed) say nothing about whether
    customers are better off.

    **Example**:
    ```yaml
    - id: CS-4
      effects: [{kpi: aht, change: -20}]     # aht is kind: operational
    ```
    `units/customer-service.yaml:9:14: CXP402 CS-4's effects are all on operational KPIs (aht)`

    **Fix**: add the expected effect on an outcome or experience KPI (NPS, retention,
    conversion), or reconsider the initiative. Dropped initiatives are not checked, nor one
    whose status is refused (it may be dropped: its CXP002 says so).

    While a KPI's id is written twice (CXP101: another KPI renamed to it), it is
    operational only when every definition of the id is.
    """
    operational = {kpi.id for kpi in ctx.portfolio.kpis if kpi.type == "operational"}
    if len(ctx.portfolio.by_id) != len(ctx.portfolio.entities):
        # a KPI id written twice (CXP101): the definition read may be another KPI renamed
        # to it, so it is operational only when every definition of the id is
        operational -= {e.id for e in ctx.portfolio.entities if isinstance(e, Kpi) and e.type != "operational"}
    for initiative in ctx.portfolio.initiatives:
        if (initiative.status == "dropped" or not initiative.effects or initiative.is_partial("effects")
                or initiative.is_partial("status")):
            continue  # a refused effect may be the one on an outcome, a refused status dropped: no claim
        kpis = {effect.kpi for effect in initiative.effects}
        if kpis <= operational:
            names = named(sorted(kpis))
            yield Hit(Anchor.of(initiative, "effects"),
                      f"{initiative.id}'s effects are all on operational KPIs ({names})",
                      (initiative.id,), hint="add its expected effect on an outcome or experience KPI")


@rule("CXP403", "no-evidence", Severity.WARNING, "a pain point has no evidence but assumptions",
      reads=["PainPoint.evidence"])
def no_evidence(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *insight from real customers, not assumptions.* A pain point backed by
    nothing, or only by `assumption`, may not exist — and work ranked on it crowds out
    problems customers actually report.

    **Example**:
    ```yaml
    - id: PP-app-too-slow
      evidence: [{kind: assumption, note: "We think so"}]
    ```
    `pain_points.yaml:20:9: CXP403 pain point PP-app-too-slow rests on assumption only`

    **Fix**: add evidence (survey, NPS verbatims, complaints, interviews, observation,
    analytics, employee reports), or mark the pain point as a hypothesis to test first.
    """
    for pain in ctx.portfolio.pain_points:
        kinds = {e.kind for e in pain.evidence}
        if kinds <= {"assumption"} and not pain.is_partial("evidence"):  # refused evidence is not none (CXP002)
            what = "has no evidence" if not kinds else "rests on assumption only"
            yield Hit(Anchor.of(pain, "id"), f"pain point {pain.id} {what}", (pain.id,),
                      hint="add evidence from real customers: survey, nps, complaint, interview, …")


@rule("CXP404", "unmeasured-kpi", Severity.WARNING, "a KPI has no baseline or no target",
      reads=["Kpi.baseline", "Kpi.target", "Kpi.direction"])
def unmeasured_kpi(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: without a baseline nobody can say whether the KPI moved; without a target
    nobody can say whether it moved enough. Effects and reports on it are guesses.

    **Example**:
    ```yaml
    - {id: nps-cards, name: NPS cards, kind: experience, direction: increase}
    ```
    ```text
    kpis.yaml:12:10: CXP404 KPI nps-cards has no baseline and no target
        help: add where it started and what to reach by when, e.g. `baseline: {period: 2025, value: 65}` and `target: {period: 2026, value: 75}`
    ```

    **Fix**: add where the KPI started (`baseline:`) and the value to reach by when
    (`target:`). The hint's example is one to paste and correct: the target in the
    portfolio's `year` (2026 here), the baseline the year before, the better way round.
    """
    # the years a period can have: `year: 1900`, or no year and `--as-of 0001-01-01`, gave
    # `period: 1899` or `period: 0`, refused when pasted
    year = min(max(ctx.portfolio.year or ctx.as_of.year, YEAR_MIN), YEAR_MAX)
    for kpi in ctx.portfolio.kpis:
        # A baseline written but refused is a CXP002 finding, not a missing one.
        missing = [name for name in ("baseline", "target")
                   if getattr(kpi, name) is None and not kpi.is_partial(name)]
        if missing:
            yield Hit(Anchor.of(kpi, "id"), f"KPI {kpi.id} has no {' and no '.join(missing)}",
                      (kpi.id,), hint=_measured_hint(kpi, missing, year))


def _measured_hint(kpi: Kpi, missing: list[str], year: int) -> str:
    """What to add, with an example that validates as written (the schema's values, the
    better way round), not a shape to fill in: `target: {period, value}` pasted as it
    stood was two refused values."""
    start, goal = (65, 75) if kpi.direction != "decrease" else (75, 65)
    examples = {"baseline": f"`baseline: {{period: {max(year - 1, YEAR_MIN)}, value: {start}}}`",
                "target": f"`target: {{period: {year}, value: {goal}}}`"}
    said = {"baseline": "where it started", "target": "what to reach by when"}
    return f"add {' and '.join(said[m] for m in missing)}, e.g. {' and '.join(examples[m] for m in missing)}"


class NoFollowUpOptions(RuleOptions):
    days: int = Field(default=90, ge=0, le=3650,  # ten years: a date plus days stays in the calendar
                      description="days after completion by which a realized effect is expected")


@rule("CXP405", "no-follow-up", Severity.INFO,
      "a done initiative has no realized effect 90 days after completion", NoFollowUpOptions,
      reads=["Initiative.status", "Initiative.completed", "Initiative.realized",
             "Initiative.effects"])  # the hint names the KPIs its effects expected to move
def no_follow_up(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *effect over activity.* Shipping is not helping. Expected effects must be
    followed up by measured ones, or the portfolio learns nothing about what works.
    "Today" is `--as-of`; `days` (default 90) sets the grace period.

    **Example**:
    ```yaml
    - id: DIG-3
      status: done
      completed: 2026-02-01     # and no realized: by 2026-05-02
    ```
    `units/digital.yaml:30:9: CXP405 DIG-3 was completed 2026-02-01 and has no realized effect after 90 days`

    **Fix**: add the change measured on each KPI it was expected to move (zero is an
    honest answer). The hint's example is one to paste and correct, on its first expected
    effect's KPI and in the quarter it is checked as of (`realized: [{kpi: nps, change: 0,
    period: 2026-Q2}]`).
    """
    options: NoFollowUpOptions = ctx.options_for("CXP405")
    for initiative in ctx.portfolio.initiatives:
        completed = initiative.completed
        if (initiative.status == "done" and completed is not None and not initiative.realized
                and not initiative.is_partial("realized")  # a realized effect refused is one written (CXP002)
                and (ctx.as_of - completed).days >= options.days):  # no date arithmetic that could overflow
            yield Hit(Anchor.of(initiative, "id"),
                      f"{initiative.id} was completed {completed} and has no realized effect "
                      f"after {options.days} days", (initiative.id,),
                      hint=_follow_up_hint(initiative, ctx.as_of))


def _follow_up_hint(initiative: Initiative, as_of: dt.date) -> str:
    """What to add, with an example that validates as written, on the KPI the work was
    expected to move: `realized: [{kpi, change, period}]` pasted as it stood was three
    refused values, and named no KPI."""
    kpis = list(dict.fromkeys(effect.kpi for effect in initiative.effects))
    # a quarter a period can have, as CXP404's years: `--as-of 3100-01-01` gave 3100-Q1,
    # refused when pasted
    day = min(max(as_of, dt.date(YEAR_MIN, 1, 1)), dt.date(YEAR_MAX, 12, 31))
    period = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    example = f"`realized: [{{kpi: {kpis[0] if kpis else '<KPI id>'}, change: 0, period: {period}}}]`"
    measured = named(kpis, and_last=True) if kpis else "the KPI it was meant to move"
    return f"add the change measured on {measured}, e.g. {example} (0 when it did not move)"
