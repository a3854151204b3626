"""The annual target: done so far, expected pace, forecast and status (docs/tracking.md).

    done          = initiatives with status done and `completed` in the year, on or before as-of
    expected      = target × share of the year elapsed at as-of (even pace)
    forecast      = done + Σ open work planned to finish in the year, each weighted by
                    how likely it is to finish: in_progress 0.8, approved 0.5
                    (proposed and ideas count 0: nobody has committed to them)
    status        = on-track if forecast ≥ target, at-risk if forecast ≥ 85% of target,
                    behind otherwise

`cxportfolio.yaml` declares one target, for its `year`: any other year has none, and its
status is `no-target` (a target of 0 would call every year on track).

A year over at as-of is shown as it ended: nothing is pending, so forecast = done. The year
is over at the end of 31 December: on that day "expected by now" counts the whole year
elapsed, so the state is the year's end there too (no open work is still to finish in it).
A year not begun at as-of has nothing done yet; its forecast is the work planned in it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import field
from functools import partial

from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, PainPoint, Realized, Unit
from cxportfolio.model.portfolio import Portfolio, Unread
from cxportfolio.records import record

# What track never reads (Portfolio.for_figures): a done initiative whose effort is refused
# is still done, a KPI whose baseline is refused still has its trend.
TRACK_UNREAD: Unread = {
    Initiative: frozenset({"title", "description", "effort", "decided", "depends_on", "tags", "allow"}),
    PainPoint: frozenset({"stage", "title", "description", "severity", "reach", "evidence", "allow"}),
    Journey: frozenset({"name", "description", "owner", "volume", "stages", "stages.name", "allow"}),
    Kpi: frozenset({"description", "unit", "journey", "owner", "baseline", "target", "drives", "tradeoffs", "allow"}),
    Unit: frozenset({"name", "description", "capacity", "goals", "allow"}),
}
# What the done count, its breakdowns and the forecast never read beside that: an
# initiative's effects and realized effects, and any KPI. A done initiative whose realized
# period is refused is still done (in the target, by unit, quarter, journey and size); only
# the effect figures (TRACK_UNREAD: follow-ups, KPI trends) leave it out (`Tracking.effects_unread`).
COUNT_UNREAD: Unread = {
    **TRACK_UNREAD,
    Initiative: TRACK_UNREAD[Initiative] | {"effects", "realized"},
    Kpi: frozenset({"name", "description", "kind", "direction", "unit", "journey", "owner", "baseline", "target",
                    "measurements", "drives", "tradeoffs", "allow"}),
}


def reads_effects_of(entity: Entity, state: dt.date, year: int | None = None) -> bool:
    """Whose values the effect figures as of `state` read: done work's (or work whose status
    is refused: it may be done), not open work's, which the count reads (the forecast), nor
    work done after `state`, open on that day (the trends and follow-ups are as of it).
    With `year` (track's), only work done in it: the figures of `track --year` hold no
    other year's."""
    return not isinstance(entity, Initiative) or (
        entity.status == "done" and not entity.done_after(state)
        and (year is None or entity.completed is None or entity.completed.year == year)) or (
        entity.is_partial("status"))


def counted_in(entity: Entity, year: int, as_of: dt.date) -> bool:
    """Whose values the done counts of `year` as of `as_of` read: work done in it by then
    (or done without a date, named under every year's target), and while the year lasts
    the work its forecast weighs (open then, planned in it); any work whose status or date
    is refused, and open work whose plan is, which may be any of those. Not other work: a
    refused value of work done in another year leaves nothing out of this year's counts."""
    if not isinstance(entity, Initiative) or entity.is_partial("status", "completed"):
        return True
    if entity.status == "done" and not entity.done_after(as_of):
        return entity.completed is None or entity.completed.year == year
    if is_year_over(year, as_of) or not (entity.is_open or entity.done_after(as_of)):
        return False  # dropped, or a year over: its forecast is what was done, no open work
    if entity.is_partial("planned"):
        return True
    if entity.is_open:
        return planned_year(entity.planned) == year
    return (planned_year(entity.planned) or entity.completed.year) == year  # as track_target weighs it


# What a follow-up never reads beside what the count never reads: whether an effect on a
# KPI was a gain needs its kind and direction alone, so a refused name or measurement
# takes the KPI's trend out but leaves the gain known.
JUDGE_UNREAD: Unread = {**TRACK_UNREAD, Kpi: COUNT_UNREAD[Kpi] - {"kind", "direction"}}
# What a KPI trend, with its reasons, never reads beside: a trend is measurements beside
# the done work naming the KPI, shown with its direction; only whether an effect was a
# gain needs the kind (JUDGE_UNREAD), so a refused kind leaves the KPI its trend.
TREND_UNREAD: Unread = {**TRACK_UNREAD, Kpi: TRACK_UNREAD[Kpi] | {"kind"}}
# How track reads a portfolio with errors as of a date, figure by figure (exclusions.by_reading): what
# each part of its output leaves out is said of that part. The effects (the follow-ups,
# "Effect, not activity") read a KPI as JUDGE_UNREAD says; the KPI trends, with their
# reasons, read it as TREND_UNREAD does (`kpi_trends`): a refused measurement is the
# trend's alone, a refused kind the effects'. Each part reads the work of the tracked
# `year` alone (counted_in, reads_effects_of).
def track_readings(as_of: dt.date, year: int) -> tuple[tuple[str, Unread, Callable[[Entity], bool] | None], ...]:
    effects = partial(reads_effects_of, state=as_of, year=year)
    return (("the done counts", COUNT_UNREAD, partial(counted_in, year=year, as_of=as_of)),
            ("the effects", JUDGE_UNREAD, effects),
            ("the KPI trends", TREND_UNREAD, effects))

FINISH_LIKELIHOOD = {"in_progress": 0.8, "approved": 0.5}
AT_RISK_SHARE = 0.85
NO_TARGET = "no-target"
# Why whether a target is set is not known (TargetStatus.unknown), and what track, report
# and diff say of the target then: "not set" would be untrue.
UNKNOWN_TARGET = {"config_unusable": "not known (cxportfolio.yaml cannot be used)",
                  "refused": "not known (its `year` or `target` in cxportfolio.yaml is refused)"}
# What every output says of a target cxportfolio.yaml does not set for the year: one phrase
# in track, the report and diff.
NOT_SET = "not set"


def absent_target(unknown: str | None) -> str:
    """What is said in place of a target there is none of: "not set", or why it is not known."""
    return NOT_SET if unknown is None else UNKNOWN_TARGET[unknown]


@record
class TargetStatus:
    year: int
    as_of: dt.date
    target: int
    done: int
    expected_by_now: float
    forecast: float
    status: str
    # Why whether cxportfolio.yaml sets a target is not known: "config_unusable" (the file
    # cannot be used) or "refused" (its year or target is); None: known.
    unknown: str | None = None
    # cxportfolio.yaml's `year`, the one its `target:` is for (None: the file cannot be
    # used): without a target, what to do differs for that year and for another.
    portfolio_year: int | None = None

    @property
    def target_set(self) -> bool:
        """False when cxportfolio.yaml sets no target for `year`: `target` and
        `expected_by_now` are then 0 and mean nothing."""
        return self.status != NO_TARGET

    @property
    def gap(self) -> float:
        return self.done - self.expected_by_now

    @property
    def year_over(self) -> bool:
        """From 31 December on: "expected by now" counts that day's year as elapsed, so the
        state is the year's end (nothing left to finish in it), as on any later day."""
        return is_year_over(self.year, self.as_of)

    @property
    def outcome(self) -> str | None:
        """"met" or "missed" once the year is over and a target is set; None before then:
        a finished year has no forecast left to be at risk or on track."""
        if not (self.year_over and self.target_set):
            return None
        return "met" if self.done >= self.target else "missed"

    @property
    def state(self) -> str:
        """What the tables and reports say of the target: its outcome once the year is
        over, else its status (JSON keeps `status` as it was and adds `outcome`)."""
        return self.outcome or self.status

    @property
    def year_not_begun(self) -> bool:
        return self.as_of < dt.date(self.year, 1, 1)


def is_year_over(year: int, as_of: dt.date) -> bool:
    """Whether `year` is over at the end of `as_of`: on its 31 December or later."""
    return as_of >= dt.date(year, 12, 31)


def declared_target(portfolio: Portfolio) -> tuple[int, int] | None:
    """The one target cxportfolio.yaml declares: (year, improvements), or None."""
    config = portfolio.config
    return (config.year, config.target.improvements) if config and config.target else None


def planned_year(planned: str | None) -> int | None:
    return int(planned[:4]) if planned else None


def track_target(portfolio: Portfolio, as_of: dt.date, year: int | None = None) -> TargetStatus:
    portfolio = portfolio.for_figures(COUNT_UNREAD)
    year = year or portfolio.year or as_of.year
    declared = declared_target(portfolio)
    target = declared[1] if declared and declared[0] == year else None
    done = sum(1 for i in portfolio.initiatives
               if i.status == "done" and i.completed and i.completed.year == year and i.completed <= as_of)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elapsed = min(max((as_of - start).days + 1, 0), (end - start).days + 1) / ((end - start).days + 1)
    expected = (target or 0) * elapsed
    # Open work planned in the year, and work done after `as_of` (in progress then, as far
    # as the files say: a report of an earlier period must not lose it from both counts).
    pending = math.fsum([FINISH_LIKELIHOOD.get(i.status, 0.0) for i in portfolio.initiatives
                         if i.is_open and planned_year(i.planned) == year]
                        + [FINISH_LIKELIHOOD["in_progress"] for i in portfolio.initiatives
                           if i.done_after(as_of) and (planned_year(i.planned) or i.completed.year) == year]
                        ) if not is_year_over(year, as_of) else 0.0
    forecast = done + pending
    if target is None:
        status = NO_TARGET
    elif forecast >= target:
        status = "on-track"
    elif forecast >= AT_RISK_SHARE * target:
        status = "at-risk"
    else:
        status = "behind"
    refused = portfolio.config_refused
    unknown = ("config_unusable" if portfolio.config is None else
               # a target for a refused year, or a refused target for its year: a year
               # other than the file's has none, whatever it says
               "refused" if ("year" in refused and (portfolio.config.target is not None or "target" in refused))
               or ("target" in refused and year == portfolio.year) else None)
    return TargetStatus(year, as_of, target or 0, done, expected, forecast, status,
                        unknown if target is None else None, portfolio.year)


def period_range(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period: 2026, 2026-Q2, 2026-05 or 2026-05-14."""
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    # The last day of a month from the calendar, not "the next month's first day minus
    # one": that would leave the calendar at the end of year 9999.
    if period[5] == "Q":
        quarter = int(period[6])
        first, last = 3 * quarter - 2, 3 * quarter
        return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
    if len(period) == 7:
        month = int(period[5:7])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(period)
    return day, day


def realized_by(initiative: Initiative, day: dt.date) -> list[Realized]:
    """The initiative's realized effects measured by `day`: in a period begun by then (as a
    KPI's measurements are), one without a period as of the initiative's completion.
    Nothing measured after the state date is counted (track --as-of, a report's edition)."""
    return [r for r in initiative.realized
            if (period_range(r.period)[0] if r.period else initiative.completed or day) <= day]


@record
class EffectFollowUp:
    id: str
    expected: dict[str, float]  # KPI id → expected change × confidence
    realized: dict[str, float]  # KPI id → realized change: its entries measured by as-of, added
    positive_outcome: bool  # realized effect the better way on an outcome or experience KPI


@record
class KpiTrend:
    id: str
    name: str
    direction: str
    measurements: tuple[tuple[str, float, tuple[str, ...]], ...]  # period, value, reasons


@record
class Tracking:
    target: TargetStatus
    by_unit: dict[str, int]
    by_quarter: dict[str, int]
    by_month: dict[str, int]
    by_journey: dict[str, int]
    by_size: dict[str, int]
    follow_ups: tuple[EffectFollowUp, ...]
    kpis: tuple[KpiTrend, ...]
    # Done initiatives on no journey: they address no pain point (CXP401), or none that
    # can be read, or only pain points of a journey that is not known. `by_journey` cannot
    # count them; the breakdown says how many there are.
    without_journey: int = 0
    # Done initiatives without a `completed:` date (CXP105, accepted or not): in no year's
    # count, so the figures say which they are rather than read as the whole portfolio's.
    undated: tuple[str, ...] = ()
    # Done work naming a unit, or addressing pain points of a journey, that is not known
    # (CXP102): name as written → done initiatives. No row counts them under that name (it
    # would read as a unit or journey of its own); the figures say so. `off_journey`: how
    # many initiatives (one may address pain points of two such journeys).
    unknown_units: dict[str, int] = field(default_factory=dict)
    unknown_journeys: dict[str, int] = field(default_factory=dict)
    off_journey: int = 0
    # Done initiatives counted whose effects cannot be read (a value track reads refused in
    # their effects or realized effects: in no follow-up and no KPI's reasons; or in a KPI
    # they realized an effect on and show no gain elsewhere: in no follow-up), so the
    # share showing a positive effect says how many it cannot tell of.
    effects_unread: tuple[str, ...] = ()
    # KPIs the trends leave out for a refused value they read (their note names them): with
    # none left to show, the trends say so rather than "No KPIs."
    kpis_left_out: int = 0

    @property
    def with_positive_effect(self) -> int:
        return sum(f.positive_outcome for f in self.follow_ups)


@record
class DoneCounts:
    """The year's done work by `as_of`, and its breakdowns (Tracking's fields of the same names)."""

    done: tuple[Initiative, ...]  # by completion date
    by_unit: dict[str, int]
    by_quarter: dict[str, int]
    by_month: dict[str, int]
    by_journey: dict[str, int]
    by_size: dict[str, int]
    without_journey: int
    unknown_units: dict[str, int]
    unknown_journeys: dict[str, int]
    off_journey: int


def count_done(portfolio: Portfolio, year: int, as_of: dt.date) -> DoneCounts:
    """The done count's breakdowns, read as COUNT_UNREAD says: nothing of an effect."""
    whole, portfolio = portfolio, portfolio.for_figures(COUNT_UNREAD)
    done = sorted((i for i in portfolio.initiatives
                   if i.status == "done" and i.completed and i.completed.year == year
                   and i.completed <= as_of), key=lambda i: (i.completed, i.id))
    by_unit = {u.id: 0 for u in portfolio.units}
    by_quarter = {f"{year}-Q{q}": 0 for q in range(1, 5)}
    by_month = {f"{year}-{m:02d}": 0 for m in range(1, 13)}
    by_journey = {j.id: 0 for j in portfolio.journeys}
    by_size: dict[str, int] = {"quick_win": 0, "project": 0, "program": 0, "unsized": 0}
    without_journey = off_journey = 0
    unknown_units: dict[str, int] = {}
    unknown_journeys: dict[str, int] = {}
    for initiative in done:
        completed = initiative.completed
        assert completed is not None
        unit = initiative.unit or ""  # no unit: "" in the data, "(no unit)" in the tables
        if unit and not whole.unit_known(unit):  # a misspelt unit is none (CXP102)
            unknown_units[unit] = unknown_units.get(unit, 0) + 1
            unit = ""
        by_unit[unit] = by_unit.get(unit, 0) + 1
        by_quarter[f"{completed.year}-Q{(completed.month - 1) // 3 + 1}"] += 1
        by_month[f"{completed.year}-{completed.month:02d}"] += 1
        named = {p.journey for a in initiative.addresses
                 if isinstance(p := portfolio.get(a, PainPoint), PainPoint)}
        journeys = {j for j in named if whole.may_define(j, Journey)}  # a misspelt one is none (CXP102)
        for journey in journeys:
            by_journey[journey] = by_journey.get(journey, 0) + 1
        for journey in named - journeys:
            unknown_journeys[journey] = unknown_journeys.get(journey, 0) + 1
        off_journey += named != journeys
        without_journey += not journeys
        by_size[initiative.size or "unsized"] += 1
    # units and journeys by id, not by where they are defined: renaming a file changes no output
    return DoneCounts(tuple(done), dict(sorted(by_unit.items())), by_quarter, by_month,
                      dict(sorted(by_journey.items())), by_size, without_journey,
                      dict(sorted(unknown_units.items())), dict(sorted(unknown_journeys.items())), off_journey)


def follow_up(initiative: Initiative, portfolio: Portfolio, as_of: dt.date) -> EffectFollowUp:
    """A done initiative's expected effects beside those realized by `as_of`."""
    # a KPI's realized change is the sum of its entries (measured by as_of), as the
    # report's KPI cards show it: two entries are two parts of the effect, not a correction
    changes: dict[str, list[float]] = {}
    for realized in realized_by(initiative, as_of):
        changes.setdefault(realized.kpi, []).append(realized.change)
    measured = {kpi_id: math.fsum(values) for kpi_id, values in changes.items()}
    positive = False
    for kpi_id, change in measured.items():
        kpi = portfolio.get(kpi_id, Kpi)
        if isinstance(kpi, Kpi) and kpi.type in ("outcome", "experience"):
            better = change > 0 if kpi.direction == "increase" else change < 0
            positive = positive or better
    expected: dict[str, list[float]] = {}  # two effects on one KPI add up, as realized entries do
    for effect in initiative.effects:
        expected.setdefault(effect.kpi, []).append(effect.change * effect.confidence)
    return EffectFollowUp(initiative.id, {kpi_id: math.fsum(values) for kpi_id, values in expected.items()},
                          measured, positive)


def kpi_trends(portfolio: Portfolio, year: int, as_of: dt.date) -> tuple[KpiTrend, ...]:
    trends = []
    for kpi in sorted(portfolio.kpis, key=lambda k: k.id):
        # as of --as-of, like the done counts and the report: work completed later is no
        # reason yet, and a period begun later has no measurement yet (nor realized effect)
        targeting = [i for i in portfolio.initiatives if i.status == "done" and i.completed
                     and i.completed <= as_of and (any(e.kpi == kpi.id for e in i.effects)
                                                   or any(r.kpi == kpi.id for r in realized_by(i, as_of)))]
        rows = []
        for measurement in sorted(kpi.measurements, key=lambda m: period_range(m.period)):
            start, end = period_range(measurement.period)
            if start.year != year or end.year != year or start > as_of:
                continue  # the trend is the tracked year's, like the breakdowns
            reasons = tuple(sorted(i.id for i in targeting if i.completed and start <= i.completed <= end))
            rows.append((measurement.period, measurement.value, reasons))
        trends.append(KpiTrend(kpi.id, kpi.name, kpi.direction, tuple(rows)))
    return tuple(trends)


def track(portfolio: Portfolio, as_of: dt.date, year: int | None = None) -> Tracking:
    # The counts read what they need of each initiative, the effect figures theirs
    # (track_readings): a refused realized period leaves the work done and counted.
    status = track_target(portfolio, as_of, year)
    counts = count_done(portfolio, status.year, as_of)
    effects = portfolio.for_figures(TRACK_UNREAD)
    # each counted id's definition as the effect figures read it: of an id defined twice
    # (CXP101) the count may keep the one whose realized value is refused and they the
    # other, which its KPI reasons name; its follow-up is that one's too
    readable = [e for i in counts.done if isinstance(e := effects.get(i.id, Initiative), Initiative)
                and e.status == "done" and e.completed and e.completed.year == status.year and e.completed <= as_of]
    undated = tuple(sorted(i.id for i in portfolio.for_figures(COUNT_UNREAD).initiatives if i.undated))
    judging = portfolio.for_figures(JUDGE_UNREAD)  # the same initiatives, the KPIs a gain needs
    follow_ups = [f for i in readable if not _unjudged(f := follow_up(i, judging, as_of), judging, portfolio)]
    trending = portfolio.for_figures(TREND_UNREAD)
    return Tracking(status, counts.by_unit, counts.by_quarter, counts.by_month, counts.by_journey, counts.by_size,
                    tuple(follow_ups), kpi_trends(trending, status.year, as_of), counts.without_journey, undated,
                    counts.unknown_units, counts.unknown_journeys, counts.off_journey,
                    tuple(sorted({i.id for i in counts.done} - {f.id for f in follow_ups})),
                    len(portfolio.kpis) - len(trending.kpis))


def _unjudged(follow: EffectFollowUp, effects: Portfolio, whole: Portfolio) -> bool:
    """Whether a follow-up shows no positive effect only for want of a KPI it realized an
    effect on that the effect figures leave out (its direction or kind refused, its file
    unreadable): whether that effect was a gain is not known, so it is not a "no"."""
    return not follow.positive_outcome and any(
        effects.get(kpi_id, Kpi) is None and whole.may_define(kpi_id, Kpi) for kpi_id in follow.realized)
