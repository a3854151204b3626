"""The rows `rank` shows: filtered, ordered, flagged and (with a budget) selected."""

from __future__ import annotations

import math
import shlex
from collections.abc import Sequence
from dataclasses import field, replace

from cxportfolio.analysis.consolidation import duplicates_unchecked
from cxportfolio.analysis.lanes import lane_of
from cxportfolio.analysis.ranking import RankingModel
from cxportfolio.analysis.selection import Selection, never_funded, select
from cxportfolio.errors import CxpError
from cxportfolio.model.entities import Journey, Unit
from cxportfolio.model.finding import Finding
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.model.types import nearest
from cxportfolio.records import record
from cxportfolio.render.neutral import printable
from cxportfolio.rules.base import named

# Which findings flag a row, and with what word. `blocked` is not a finding's: it marks the
# work the plan calls blocked (selection.never_funded), a dependency unknown or unreadable
# (CXP102, no CXP503) or blocked in turn as well as dropped, and never the dropped work itself.
FLAGS = {"CXP201": "duplicate", "CXP202": "fragmented", "CXP301": "conflict", "CXP302": "conflict",
         "CXP303": "conflict", "CXP304": "conflict"}
BLOCKED = "blocked"
ADDRESSED_BY = ("approved", "in_progress", "done")
# An impact resting on another initiative's refused status, effect or `addresses` (ranking.py)
RESTS_ON_REFUSED = "rests-on-refused"


@record
class RankFilter:
    units: tuple[str, ...] = ()
    journeys: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    include_closed: bool = False
    top: int | None = None
    lanes: tuple[str, ...] = ()  # analysis/lanes.py: steering, quick-win


@record
class RankRow:
    rank: int
    id: str
    title: str
    unit: str
    journeys: tuple[str, ...]
    impact: float
    effort: float
    priority: float
    status: str
    flags: tuple[str, ...]
    selected: bool | None = None
    # No effort stated: `effort` is scoring.missing_effort, an assumption the tables mark
    effort_assumed: bool = False

    @property
    def effort_shown(self) -> str:
        """The effort as the tables write it: "8 (assumed)" where none is stated."""
        return f"{self.effort:g}" + (" (assumed)" if self.effort_assumed else "")


@record
class JourneyRow:
    rank: int
    id: str
    name: str
    owner: str
    pain_points: int
    unaddressed: int
    unaddressed_value: float
    total_value: float
    # RESTS_ON_REFUSED when a pain point counted unaddressed may be addressed by work whose
    # status or `addresses` was refused: the default view marks the rows sharing it so too
    flags: tuple[str, ...] = ()
    # The owner as written when it names no unit (CXP102: `owner: kards`): `owner` is then
    # "", as for none, since it may be the unit it misspells (the report's map says so too)
    owner_not_a_unit: str = ""

    @property
    def owner_shown(self) -> str:
        """The owner as the text and Markdown tables write it: a name that is no unit is
        "none", with why, never passed off as the owning unit."""
        return f"none ('{self.owner_not_a_unit}' is not a unit, CXP102)" if self.owner_not_a_unit else self.owner


@record(frozen=False)
class RankTable:
    rows: list[RankRow] = field(default_factory=list)
    selection: Selection | None = None
    filters: RankFilter = field(default_factory=RankFilter)  # to say what an empty table left out
    # done and dropped initiatives the other filters keep, left out for their status: an
    # empty table says `--all` shows them
    closed: int = 0
    # The files that do not parse, while CXP201 (on) reports nothing: no row is flagged
    # `duplicate` then, which the table must not pass off as none being a duplicate.
    duplicates_unchecked: tuple[str, ...] = ()


def check_filters(portfolio: Portfolio, filters: RankFilter) -> None:
    """A `--unit` or `--journey` naming nothing in the portfolio is a typo, not an empty table.

    What a mistake may define unseen is known (`Portfolio.may_define`: an id refused, a
    document that could not be read; docs/format.md, error tolerance). A unit only an
    initiative names (CXP102: `unit: cardz`) is none: filtering by it would pass the typo
    as a unit, so the error names the work written so."""
    for option, wanted, kind, defined in (("unit", filters.units, Unit, portfolio.units),
                                          ("journey", filters.journeys, Journey, portfolio.journeys)):
        for value in wanted:
            if _may_be(portfolio, kind, value):
                continue
            typo = _written_unit(portfolio, value) if option == "unit" else ""
            raise CxpError(f"--{option} {option_value(value)}: the portfolio has no {option} of that id{typo}; "
                           + (name_of(portfolio, option, value, f"--{option}")
                              or nearest_ids(value, {e.id for e in defined}, f"no {option}s are declared")))


def _may_be(portfolio: Portfolio, kind: type[Unit | Journey], value: str) -> bool:
    """Whether a `--unit` or `--journey` value may name a `kind` (`Portfolio.may_define`).
    A definition renamed to an id another took (CXP101) may be only a name the work (or
    pain points) on it is written with: the table holds nothing under any other name, so
    a typo is still one while an id is defined twice."""
    if value and (portfolio.may_define(value, kind, renamed=False) or value in portfolio.invalid_ids):
        return True
    if kind.label not in portfolio.taken_kinds:
        return False
    return any(i.unit == value for i in portfolio.initiatives) if kind is Unit else any(
        p.journey == value for p in portfolio.pain_points)


def _written_unit(portfolio: Portfolio, value: str) -> str:
    """Where the unit no unit has is written: on the work itself, or as a file's top-level
    `unit:` its work takes (the line to correct is the file's, not each initiative's)."""
    own: list[str] = []
    by_file: dict[str, list[str]] = {}
    for initiative in portfolio.initiatives:
        if initiative.unit == value:
            if initiative.unit_inherited:
                by_file.setdefault(initiative.origin.file, []).append(initiative.id)
            else:
                own.append(initiative.id)
    parts = [f"{named(sorted(own), most=3)} {'is' if len(own) == 1 else 'are'} written `unit: {value}`"] if own else []
    parts += [f"{printable(file)}'s top-level `unit: {value}` is the unit of {named(sorted(ids), most=3)}"
              for file, ids in sorted(by_file.items())]
    if not parts:
        return ""
    more = f"; and {len(parts) - 3} more files" if len(parts) > 3 else ""
    return f" ({'; '.join(parts[:3])}{more}, {'a CXP102 error' if len(parts) == 1 else 'CXP102 errors'})"


def name_of(portfolio: Portfolio, label: str, value: str, option: str) -> str | None:
    """`--journey "Söka vård på vårdcentralen"`: a name or title given where an id goes,
    told the id of the `label` so named, as a file's is (`Portfolio.name_hint`); None when
    no entity of the kind has it as its name."""
    ids = portfolio.named(label, value)
    if not ids:
        return None
    what = "title" if label == "initiative" else "name"
    if len(ids) == 1:
        return f"that is the {what} of {label} '{ids[0]}': write its id, {option} {option_value(ids[0])}"
    named = ", ".join(f"'{ident}'" for ident in ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    return (f"that is the {what} of {len(ids)} {label}s ({named}): write the id of the one meant, "
            f"{option} {option_value(ids[0])}")


def option_value(value: str) -> str:
    """A value as a shell command writes it: quoted when it holds a space or a quote."""
    return shlex.quote(value)


def nearest_ids(value: str, known: set[str], none: str, most: int = 3) -> str:
    """The few ids most like `value`, best first, alike as hints measure it (model.types)."""
    if not known:
        return none
    return "nearest: " + ", ".join(nearest(value, sorted(known), most))


def rank_table(model: RankingModel, findings: Sequence[Finding], filters: RankFilter,
               capacity: float | None = None, plan: bool = False,
               unit_capacities: bool = True) -> RankTable:
    """With a capacity or `plan`, also the optimal plan (analysis/selection.py)."""
    flags: dict[str, set[str]] = {}
    for finding in findings:
        if finding.code in FLAGS and not finding.suppressed:
            for ident in finding.entities:
                flags.setdefault(ident, set()).add(FLAGS[finding.code])
    never = never_funded(model, findings)
    for ident in never[1]:
        flags.setdefault(ident, set()).add(BLOCKED)
    selection = (select(model, capacity, findings, unit_capacities, never)
                 if capacity is not None or plan else None)
    rows: list[RankRow] = []
    closed, with_closed = 0, replace(filters, include_closed=True)
    for score in model.ranked():
        initiative = score.initiative
        if filters.lanes and lane_of(initiative) not in filters.lanes:
            continue
        if not _wanted(filters, initiative.unit or "", score.journeys, initiative.status):
            closed += _wanted(with_closed, initiative.unit or "", score.journeys, initiative.status)
            continue
        rows.append(RankRow(
            len(rows) + 1, initiative.id, initiative.title, initiative.unit or "", score.journeys,
            score.impact, score.effort, score.priority, initiative.status,
            tuple(sorted(flags.get(initiative.id, set()) | ({RESTS_ON_REFUSED} if score.rests_on_refused else set()))),
            (initiative.id in selection.selected) if selection else None, initiative.effort is None))
        if filters.top is not None and len(rows) >= filters.top:
            break
    return RankTable(rows, selection, filters, closed if selection is None else 0,  # a plan refuses --all
                     duplicates_unchecked(model.whole))


def _wanted(f: RankFilter, unit: str, journeys: tuple[str, ...], status: str) -> bool:
    if f.statuses:
        if status not in f.statuses:
            return False
    elif not f.include_closed and status in ("done", "dropped"):
        return False
    if f.units and unit not in f.units:
        return False
    return not f.journeys or any(j in f.journeys for j in journeys)


def journey_table(model: RankingModel) -> list[JourneyRow]:
    """Journeys by the value of their pain points that no committed work addresses (work
    unranked for a refused effort is committed all the same: `RankingModel.addressing`)."""
    portfolio = model.portfolio
    unsure, anywhere = model.unsure_addressed(ADDRESSED_BY)
    rows = []
    for journey in portfolio.journeys:
        values = [v for v in model.pain_values.values() if v.journey_id == journey.id]
        open_values = [v for v in values if not any(
            i.status in ADDRESSED_BY for i in model.addressing.get(v.pain_id, ()))]
        resting = bool(open_values) and (anywhere or any(v.pain_id in unsure for v in open_values))
        rows.append((journey, len(values), len(open_values),
                     math.fsum(v.value for v in open_values), math.fsum(v.value for v in values),
                     (RESTS_ON_REFUSED,) if resting else ()))
    rows.sort(key=lambda r: (-r[3], -r[4], r[0].id))  # equal open value (often none): the larger journey first
    # a refused name or owner (RANK_SHOWN) shows as absent, as no owner does; so does an
    # owner naming no unit (told against the whole portfolio, as the report's map tells it)
    owners = {j.id: model.whole.as_unit(j.owner) or "" for j, *_ in rows}
    return [JourneyRow(n + 1, j.id, j.name or "", owners[j.id], count, open_count, open_value, total, flags,
                       "" if owners[j.id] else j.owner or "")
            for n, (j, count, open_count, open_value, total, flags) in enumerate(rows)]
