"""Everything the report shows, computed once, as plain data for the renderers.

An edition (`--period`) shows the state at the end of its period, or at `--as-of` when
that is earlier: the state date. Nothing after it is counted or plotted.

A portfolio with errors is read as the commands whose figures the report shows read it
(`Portfolio.for_figures`, report_readings): the lanes, and every ranked figure (a
decision's stake), as `rank` reads it (RANK_UNREAD); the target and the done counts as
`track` counts (COUNT_UNREAD), and the journey maps so with the stages and severities they
place the work by (MAP_UNREAD); the KPI cards as `track`'s KPI trends
(TREND_UNREAD) and the effects as its follow-ups (JUDGE_UNREAD) read it. So `rank --lane`, `track --as-of` the state date
and the report agree. What it shows beside those figures (REPORT_SHOWN: a KPI's unit, owner and
target, a pain point's title, …) is shown as written, or absent where it was refused, and
such an error is counted in its banner.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import field, replace
from functools import partial
from pathlib import Path

from cxportfolio import __version__
from cxportfolio.git_command import run_git
from cxportfolio.analysis.accountability import accountable_units, named_first
from cxportfolio.analysis.consolidation import Consolidation, duplicates_unchecked, opportunities
from cxportfolio.analysis.exclusions import Exclusions, Reading, by_reading
from cxportfolio.analysis.lanes import LANE_NAMES, LANES, QUICK_WIN, STEERING, lane_of
from cxportfolio.analysis.rank_table import RankFilter, RankRow, rank_table
from cxportfolio.analysis.ranking import RANK_UNREAD, RankingModel
from cxportfolio.analysis.tracking import (COUNT_UNREAD, JUDGE_UNREAD, TRACK_UNREAD, TREND_UNREAD, Tracking,
                                           absent_target, period_range, reads_effects_of, realized_by, track)
from cxportfolio.engine import CheckRun
from cxportfolio.errors import CxpError
from cxportfolio.load.portfolio_files import DOCUMENT_SUFFIXES
from cxportfolio.model.entities import UNITLESS, Entity, Initiative, Journey, Kpi, Measurement, PainPoint, Unit
from cxportfolio.model.finding import Finding
from cxportfolio.model.portfolio import Portfolio, Unread, unread_by_all
from cxportfolio.model.types import PERIOD_PATTERN
from cxportfolio.records import record
from cxportfolio.rules.base import named

# The decisions the steering group is asked for, by kind (docs/tracking.md).
DECISION_CODES = {"duplicate": ("CXP201", "CXP202", "CXP203"),
                  "conflict": ("CXP301", "CXP302", "CXP303", "CXP304"),
                  "unaddressed": ("CXP502",)}
# Duplicates: duplicated work first (which one to fund), then duplicate KPIs, then pain
# points several units work on (give it one owner); other kinds by stake alone.
SETTLE_ORDER = {"CXP201": 0, "CXP203": 1, "CXP202": 2}
WHO_ROOM = 40  # characters of unit names on a summary row before "+N more"
KIND_ORDER = {"outcome": 0, "experience": 1, "employee": 2, "operational": 3}
TOP = 10  # rows per lane in the details; the first page shows fewer (templates)
IN_PROGRESS = "in_progress"  # the status on the state date of work done after it (tracking.FINISH_LIKELIHOOD)

# What the report shows beside its figures that neither rank nor track reads: shown as
# written, absent where refused (an error its banner counts, leaving the entity in). A
# unit's goals say who answers for a conflict between goals (the decisions wanted).
REPORT_SHOWN: Unread = {
    # its map's heading (rank --by journey's too: RANK_SHOWN), and its stages' names across it
    Journey: frozenset({"name", "owner", "stages.name"}),
    PainPoint: frozenset({"title"}),
    Kpi: frozenset({"unit", "owner", "target"}),
    Unit: frozenset({"goals"}),
}
# What the journey maps never read: they place each unit's open or done work (its unit,
# status and `addresses`) on the pain points (their journey, stage and severity, a title
# shown) of each journey's stages, headed by their names (shown: `stages.name`). A journey
# whose `stages` are refused, or a pain point whose stage or severity is, is left out of the
# maps, and said so (report_readings), where track's count, which reads neither, keeps it.
MAP_UNREAD: Unread = {
    **COUNT_UNREAD,
    Initiative: frozenset(Initiative.model_fields) - {"id", "unit", "status", "addresses"},
    PainPoint: COUNT_UNREAD[PainPoint] - {"stage", "severity"},
    Journey: COUNT_UNREAD[Journey] - {"stages"},
}
# What the report reads nowhere: neither its lanes (rank's reading), nor its other figures
# (track's), nor what it shows beside them.
REPORT_UNREAD: Unread = {kind: keys - REPORT_SHOWN.get(kind, frozenset())
                         for kind, keys in unread_by_all(RANK_UNREAD, TRACK_UNREAD).items()}


def report_readings(run: CheckRun, state: dt.date) -> tuple[Reading, ...]:
    """How each part of the report reads a portfolio with errors (exclusions.by_reading).
    The lanes rank the work open on the state date, and the decisions' stakes weigh the
    work its decisions name, both as rank reads them: other work (done before the state
    date, dropped) is in neither, so a refused value of it leaves nothing out of them (a
    sharer's refused effect is said on the rows resting on it). Any other entity moves
    the values and weights both rest on."""
    decided = {e for _, finding in _deciding(run.portfolio, run.result.findings) for e in finding.entities}

    def in_lanes(entity: Entity) -> bool:  # a refused status or completion date may be open work's
        return not isinstance(entity, Initiative) or entity.is_open or entity.done_after(state) or (
            entity.is_partial("status", "completed"))

    def weighed(entity: Entity) -> bool:
        return not isinstance(entity, Initiative) or entity.id in decided

    def on_the_maps(entity: Entity) -> bool:  # open or done work (a refused status may be either)
        return not isinstance(entity, Initiative) or entity.status != "dropped"

    effects = partial(reads_effects_of, state=state)
    return (("the lanes", RANK_UNREAD, in_lanes), ("the decisions' stakes", RANK_UNREAD, weighed),
            ("the done counts", COUNT_UNREAD, None), ("the KPIs' figures", TREND_UNREAD, effects),
            ("the effects", JUDGE_UNREAD, effects), ("the journey maps", MAP_UNREAD, on_the_maps))


@record
class MapCell:
    initiatives: tuple[str, ...]  # the unit's work (open or done) on this stage's pain points


@record
class JourneyMap:
    id: str
    name: str
    owner: str
    stages: tuple[str, ...]  # stage names, across
    units: tuple[str, ...]  # units down
    cells: dict[tuple[str, str], MapCell]  # (unit, stage id) → cell
    stage_ids: tuple[str, ...]
    pains_by_stage: dict[str, tuple[tuple[str, int, str], ...]]  # stage id → (id, severity, title)
    # Names that are no unit (CXP102): the owner as written (`owner` is then "", as for a
    # refused one), and the units of work shown under UNITLESS, rather than as units.
    owner_unknown: str = ""
    unknown_units: tuple[str, ...] = ()

    @property
    def owner_shown(self) -> str:
        """The heading's owner: "none" where it is refused or names no unit, which says so."""
        return self.owner or "none" + (f"; '{self.owner_unknown}' is not a unit, CXP102" if self.owner_unknown else "")

    @property
    def unknown_note(self) -> str:
        """Which units of work shown under UNITLESS name no unit, or ""."""
        if not self.unknown_units:
            return ""
        names = named([f"'{u}'" for u in self.unknown_units], and_last=True)
        return f"Work of a unit that is not known ({names}, CXP102) is shown under {UNITLESS}."


@record
class Decision:
    """A finding the steering group is asked to settle, filed under who answers for it."""

    kind: str  # duplicate | conflict | unaddressed
    finding: Finding
    accountable: tuple[str, ...]  # sorted
    stake: float  # impact of the work and value of the pain points involved: biggest first
    parties: tuple[str, ...] = ()  # the accountable units, those the finding names first

    @property
    def shown(self) -> tuple[str, ...]:
        """The units named on a summary row: all, or the first that fit with "+N more"
        (a conflict among 40 units stays one line; the details name every one)."""
        units = self.parties or self.accountable
        shown = [units[0] if len(units[0]) <= WHO_ROOM else units[0][:WHO_ROOM - 1] + "…"]
        for unit in units[1:]:
            more = len(units) - len(shown) - 1
            if len(", ".join([*shown, unit])) + (len(f" +{more} more") if more else 0) > WHO_ROOM:
                break
            shown.append(unit)
        return tuple(shown)

    @property
    def more(self) -> int:
        return len(self.accountable) - len(self.shown)

    @property
    def who(self) -> str:
        return ", ".join(self.shown) + (f" +{self.more} more" if self.more else "")


@record
class Reason:
    """An initiative completed in the period that moved a KPI (its realized change if measured)."""

    id: str
    title: str
    realized: float | None


@record
class KpiCard:
    id: str
    name: str
    kind: str
    direction: str
    measure: str  # unit of measure, e.g. percent
    owner: str
    points: tuple[tuple[str, float], ...]  # measurements up to the state date, in time order
    target: tuple[str, float] | None
    reasons: tuple[Reason, ...]  # completed in the edition's period, up to the state date
    rows: tuple[tuple[str, float, tuple[str, ...]], ...]  # measurements in the period, with reasons

    @property
    def latest(self) -> tuple[str, float] | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> float | None:
        return self.points[-1][1] - self.points[-2][1] if len(self.points) >= 2 else None


@record
class Lane:
    id: str
    name: str
    open: int
    open_effort: float  # person-weeks stated on open work
    open_unsized: int  # open work stating no effort: the person-weeks leave it out
    done_in_year: int
    done_in_period: int
    top: list[RankRow]


@record
class BurnUp:
    months: tuple[str, ...]  # the target year's months
    done: tuple[int, ...]  # cumulative done, only up to the state date's month
    target: int
    forecast: float


@record(frozen=False)
class ReportData:
    organization: str
    period: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date  # the state date: the period's end, or --as-of if earlier
    clipped: bool  # --as-of was later than the period's end
    commit: str | None  # with "-dirty" when the portfolio has changes not committed
    version: str
    excluded: Exclusions
    tracking: Tracking
    burn_up: BurnUp
    done_in_period: list[Initiative]
    lanes: list[Lane]
    kpis: list[KpiCard]  # the first page's choice first (KIND_ORDER, measured in the period)
    decisions: dict[str, list[Decision]]  # kind → biggest stake first
    by_unit: dict[str, list[Decision]]  # accountable unit → its decisions (one under each party)
    journeys: list[JourneyMap] = field(default_factory=list)
    # Duplicated open work, as proposals to build once (issue 18), the most effort saved first.
    consolidations: list[Consolidation] = field(default_factory=list)
    # The files that do not parse: while one does, CXP201 reports nothing (the file could
    # hold any text), so an empty list of duplicated work is not news and the report says so
    duplicates_unchecked: tuple[str, ...] = ()

    @property
    def no_target(self) -> str:
        """What the report says in place of a target it has none for (a target of 0 would
        read as 27 of 0 done)."""
        return absent_target(self.tracking.target.unknown)


def git_commit(root: Path) -> str | None:
    """HEAD's short hash, with `-dirty` when the portfolio's documents differ from it."""
    head = _git(root, "rev-parse", "--short=12", "HEAD")
    if not head or not head.strip():
        return None
    # -z and bytes: a name as it is, neither quoted (core.quotePath) nor decoded, so one that
    # is not UTF-8 does not stop the report, and one with U+2028 is not split in two.
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    suffixes = tuple(s.encode() for s in DOCUMENT_SUFFIXES)
    # An untracked file counts when it is a document (a report written next to it is not).
    dirty = any(entry and (not entry.startswith(b"??") or entry.lower().endswith(suffixes))
                for entry in (status or b"").split(b"\0"))
    return head.strip().decode("ascii", errors="replace") + ("-dirty" if dirty else "")


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = run_git(root, *args)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def check_period_written(period: str) -> None:
    """A year, quarter or month, as `--period` takes it (before the portfolio is read)."""
    if not re.match(PERIOD_PATTERN, period) or len(period) == 10:
        raise CxpError(f"--period {period!r}: use a year (2026), a quarter (2026-Q2) or a month (2026-06)")


def edition(year: int, as_of: dt.date, period: str | None) -> tuple[str, dt.date, dt.date]:
    """The edition's period (the portfolio's year by default) and its first and last day.

    Refused: a period of another year than the portfolio's, whose target and forecast
    would be the portfolio year's under the other year's name, and a period asked for that
    starts after `as_of`, of which nothing has happened yet."""
    asked = period is not None
    period = period or str(year)
    check_period_written(period)
    start, end = period_range(period)
    if start.year != year:
        raise CxpError(f"--period {period}: the portfolio's year is {year} (`year:` in cxportfolio.yaml), and its "
                       f"target and forecast are that year's: report a period of {year}")
    if asked and start > as_of:  # (the default edition of a year not begun is shown, as track shows it)
        raise CxpError(f"--period {period} starts after --as-of {as_of.isoformat()}: nothing of it has "
                       "happened yet; report it once it has begun")
    return period, start, end


def build_report(run: CheckRun, as_of: dt.date, period: str | None) -> ReportData:
    # track's readings for the target and maps (its count) and the KPIs and effects; rank's
    # (the model's) for the lanes (report_readings)
    portfolio = run.portfolio.for_figures(COUNT_UNREAD)
    year = portfolio.year or as_of.year
    period, start, end = edition(year, as_of, period)
    state = min(as_of, end)
    tracking = track(run.portfolio, state, year)
    done = sorted((i for i in portfolio.initiatives if i.status == "done" and i.completed
                   and start <= i.completed <= state), key=lambda i: (i.completed, i.id))
    model = RankingModel(run.portfolio)
    findings = run.result.findings
    decisions = _decisions(run.portfolio, model, findings)
    by_unit: dict[str, list[Decision]] = {}
    for kind in DECISION_CODES:
        for decision in decisions[kind]:
            for unit in decision.accountable:
                by_unit.setdefault(unit, []).append(decision)
    data = ReportData(
        (portfolio.config.organization or "") if portfolio.config else "", period, start, end, state,
        as_of > end, git_commit(run.loaded.root), __version__, report_exclusions(run, state), tracking,
        _burn_up(tracking, state), done, _lanes(model, findings, done, tracking, state),
        _kpis(run.portfolio.for_figures(TREND_UNREAD), start, state), decisions, dict(sorted(by_unit.items())))
    # by id, as track's by_journey, not by where each is defined: renaming a file changes no byte
    on_maps = run.portfolio.for_figures(MAP_UNREAD)
    data.journeys = [_journey_map(on_maps, j, run.portfolio) for j in sorted(on_maps.journeys, key=lambda j: j.id)]
    data.consolidations = opportunities(run.portfolio, findings)
    data.duplicates_unchecked = duplicates_unchecked(run.portfolio)
    return data


def _burn_up(tracking: Tracking, state: dt.date) -> BurnUp:
    year = tracking.target.year
    shown = 0 if state.year < year else 12 if state.year > year else state.month
    months = tuple(sorted(tracking.by_month))
    cumulative, total = [], 0
    for month in months[:shown]:
        total += tracking.by_month[month]
        cumulative.append(total)
    return BurnUp(months, tuple(cumulative), tracking.target.target, tracking.target.forecast)


def report_exclusions(run: CheckRun, state: dt.date) -> Exclusions:
    """What the report's figures leave out: what its lanes or its decisions' stakes (rank's
    reading), its target and done counts (track's count), its journey maps, its KPI cards
    (track's trends) or its effects (track's follow-ups) leave out, each entity that only some of them leave
    out said so; its errors counted but those in a value it reads nowhere (REPORT_UNREAD)."""
    return by_reading(run, report_readings(run, state), REPORT_UNREAD)


def _lanes(model: RankingModel, findings: list[Finding], done: list[Initiative],
           tracking: Tracking, state: dt.date) -> list[Lane]:
    """Each lane's open work, its person-weeks and its top rows as rank reads the portfolio
    (`rank --lane`); what it has done as track counts it (the target's by_size)."""
    lanes = []
    for lane in LANES:
        mine = [i for i in model.portfolio.initiatives if lane_of(i) == lane]
        open_work = [i for i in mine if i.is_open or i.done_after(state)]  # open on the state date
        in_year = sum(n for size, n in tracking.by_size.items()
                      if (QUICK_WIN if size == "quick_win" else STEERING) == lane)
        # the priorities of the same work: done since the state date, it was open then, and
        # in progress as far as the files say (as the forecast counts it), not yet done
        still_open = {i.id for i in open_work}
        done_later = {i.id for i in open_work if i.done_after(state)}
        rows = [r for r in rank_table(model, findings, RankFilter(include_closed=True, lanes=(lane,))).rows
                if r.id in still_open][:TOP]
        lanes.append(Lane(lane, LANE_NAMES[lane], len(open_work), math.fsum(i.effort or 0 for i in open_work),
                          sum(1 for i in open_work if i.effort is None), in_year, sum(1 for i in done if lane_of(i) == lane),
                          [replace(r, rank=n, status=IN_PROGRESS if r.id in done_later else r.status)
                           for n, r in enumerate(rows, 1)]))
    return lanes


def _deciding(portfolio: Portfolio, findings: list[Finding]) -> Iterator[tuple[str, Finding]]:
    """The findings the steering group is asked to settle, with their kind of decision."""
    kind_of = {code: kind for kind, codes in DECISION_CODES.items() for code in codes}
    for finding in findings:
        kind = kind_of.get(finding.code)
        if kind is None or finding.suppressed:
            continue
        if finding.code == "CXP201" and not any(
                getattr(portfolio.by_id.get(member), "status", None) not in ("done", "dropped")
                for member in finding.entities):
            continue  # every member done or dropped: a lesson for next time, no decision left to take
        yield kind, finding


def _decisions(portfolio: Portfolio, model: RankingModel, findings: list[Finding]) -> dict[str, list[Decision]]:
    decisions: dict[str, list[Decision]] = {kind: [] for kind in DECISION_CODES}
    for kind, finding in _deciding(portfolio, findings):
        stake = math.fsum(model.scores[e].impact if e in model.scores else
                          model.pain_values[e].value if e in model.pain_values else 0.0
                          for e in finding.entities)
        accountable = accountable_units(finding, portfolio)
        decisions[kind].append(Decision(kind, finding, accountable, stake,
                                        named_first(finding, accountable, portfolio)))
    for listed in decisions.values():
        listed.sort(key=lambda d: (SETTLE_ORDER.get(d.finding.code, 0), -d.stake, d.finding.code, d.finding.message))
    return decisions


def _kpis(portfolio: Portfolio, start: dt.date, state: dt.date) -> list[KpiCard]:
    done = [i for i in portfolio.initiatives if i.status == "done" and i.completed and i.completed <= state]
    cards = []
    for kpi in portfolio.kpis:
        moving = [i for i in done if any(e.kpi == kpi.id for e in i.effects)
                  or any(r.kpi == kpi.id for r in realized_by(i, state))]
        measured = sorted((period_range(m.period), m.period, m.value) for m in kpi.measurements)
        points = tuple((p, v) for (first, _), p, v in measured if first <= state)  # nothing in the future
        rows = []
        for (first, last), p, v in measured:
            if first <= state and last >= start:
                rows.append((p, v, tuple(sorted(i.id for i in moving if i.completed and first <= i.completed <= last))))
        reasons = sorted((Reason(i.id, i.title or "", _realized(i, kpi.id, state)) for i in moving
                          if i.completed and i.completed >= start),  # measured effects first, biggest first
                         key=lambda r: (r.realized is None, -abs(r.realized or 0.0), r.id))
        # a refused kind ("") leaves the KPI its card, after those of known kinds on the first page
        cards.append(KpiCard(kpi.id, kpi.name, kpi.type or "", kpi.direction, kpi.unit or "", kpi.owner or "", points,
                             _measurement(kpi.target), tuple(reasons), tuple(rows)))
    cards.sort(key=lambda c: (not c.rows, KIND_ORDER.get(c.kind, 9), not c.reasons, c.id))
    return cards


def _measurement(m: Measurement | None) -> tuple[str, float] | None:
    return (m.period, m.value) if m is not None else None


def _realized(initiative: Initiative, kpi_id: str, state: dt.date) -> float | None:
    """The realized change on the KPI measured by the state date (its entries added)."""
    changes = [r.change for r in realized_by(initiative, state) if r.kpi == kpi_id]
    return math.fsum(changes) if changes else None


def _journey_map(portfolio: Portfolio, journey: Journey, whole: Portfolio) -> JourneyMap:
    """One journey's map, as the maps read the portfolio (MAP_UNREAD: a journey whose stages
    are refused, a pain point whose stage or severity is, is not in `portfolio`). A unit that names no unit (CXP102, in `whole`) forms no row, as in track, and an owner
    that names none is none, as a refused one (its heading says which name it was)."""
    journey_id = journey.id
    stage_ids = tuple(s.id for s in journey.stages)
    places = journey.stage_places()  # (a journey may have thousands of stages: one look-up each)
    pains = [p for p in portfolio.pain_points if p.journey == journey_id and p.stage in places
             and p.severity is not None]
    grouped: dict[str, list[tuple[str, int, str]]] = {s: [] for s in places}
    for pain in sorted(pains, key=lambda p: (-p.severity, p.id)):  # sorted once, then dealt to the stages
        grouped[pain.stage].append((pain.id, pain.severity, pain.title or ""))
    pains_by_stage = {s: tuple(grouped[s]) for s in places}
    cells: dict[tuple[str, str], list[str]] = {}
    unknown: set[str] = set()
    for pain in pains:
        for initiative in portfolio.addressing.get(pain.id, []):
            if initiative.is_open or initiative.status == "done":
                unit = whole.as_unit(initiative.unit)
                if initiative.unit and unit is None:
                    unknown.add(initiative.unit)
                cells.setdefault((unit or UNITLESS, pain.stage), []).append(initiative.id)
    units = tuple(sorted({u for u, _ in cells}))
    owner = whole.as_unit(journey.owner)
    return JourneyMap(
        journey_id, journey.name or journey_id, owner or "",
        tuple(s.name or s.id for s in journey.stages), units,  # a refused name (`stages.name`): the id
        {k: MapCell(tuple(sorted(set(v)))) for k, v in cells.items()}, stage_ids, pains_by_stage,
        journey.owner if journey.owner and owner is None else "", tuple(sorted(unknown)))
