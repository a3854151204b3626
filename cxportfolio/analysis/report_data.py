"""Everything the one-page report shows, computed once, as plain data for the renderers."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from cxportfolio import __version__
from cxportfolio.analysis.rank_table import RankFilter, RankRow, rank_table
from cxportfolio.analysis.ranking import RankingModel
from cxportfolio.analysis.tracking import Tracking, period_range, track
from cxportfolio.engine import CheckRun
from cxportfolio.errors import CxpError
from cxportfolio.model.entities import Initiative, Journey
from cxportfolio.model.finding import Finding
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.model.types import PERIOD_PATTERN

SILO_CODES = ("CXP201", "CXP202", "CXP301", "CXP302", "CXP303", "CXP304")


@dataclass(frozen=True)
class MapCell:
    initiatives: tuple[str, ...]  # the unit's work (open or done) on this stage's pain points


@dataclass(frozen=True)
class JourneyMap:
    id: str
    name: str
    owner: str
    stages: tuple[str, ...]  # stage names, across
    units: tuple[str, ...]  # units down
    cells: dict[tuple[str, str], MapCell]  # (unit, stage id) → cell
    stage_ids: tuple[str, ...]
    pains_by_stage: dict[str, tuple[tuple[str, int, str], ...]]  # stage id → (id, severity, title)


@dataclass
class ReportData:
    organization: str
    period: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date
    commit: str | None
    version: str
    tracking: Tracking
    done_by_month_cumulative: list[tuple[str, int]]
    done_in_period: list[Initiative]
    top: list[RankRow]
    unaddressed: list[Finding]
    silos_by_unit: dict[str, list[Finding]]
    journeys: list[JourneyMap] = field(default_factory=list)


def git_commit(root: Path) -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def build_report(run: CheckRun, as_of: dt.date, period: str | None) -> ReportData:
    import re

    portfolio = run.portfolio.analysable
    year = portfolio.year or as_of.year
    period = period or str(year)
    if not re.match(PERIOD_PATTERN, period) or len(period) == 10:
        raise CxpError(f"--period {period!r}: use a year (2026), a quarter (2026-Q2) or a month (2026-06)")
    start, end = period_range(period)
    tracking = track(portfolio, as_of, year)
    cumulative, total = [], 0
    for month, count in sorted(tracking.by_month.items()):
        total += count
        cumulative.append((month, total))
    done = sorted((i for i in portfolio.initiatives if i.status == "done" and i.completed
                   and start <= i.completed <= min(end, as_of)), key=lambda i: (i.completed, i.id))
    model = RankingModel(portfolio)
    top = rank_table(model, run.result.findings, RankFilter(top=10)).rows
    active = [f for f in run.result.findings if not f.suppressed]
    unaddressed = [f for f in active if f.code == "CXP502"]
    silos: dict[str, list[Finding]] = {}
    for finding in active:
        if finding.code in SILO_CODES:
            units = sorted({getattr(portfolio.by_id.get(e), "unit", None) or "" for e in finding.entities} - {""})
            owner = units[0] if units else "(no unit)"
            silos.setdefault(owner, []).append(finding)
    data = ReportData(
        portfolio.config.organization or "" if portfolio.config else "", period, start, end, as_of,
        git_commit(run.loaded.root), __version__, tracking, cumulative, done, top, unaddressed,
        dict(sorted(silos.items())))
    data.journeys = [_journey_map(portfolio, j) for j in portfolio.journeys]
    return data


def _journey_map(portfolio: Portfolio, journey: Journey) -> JourneyMap:
    """One journey's map, from the analysable portfolio (no partial entity in it)."""
    journey_id = journey.id
    stage_ids = tuple(s.id for s in journey.stages)
    pains = [p for p in portfolio.pain_points if p.journey == journey_id and p.stage in stage_ids]
    pains_by_stage = {s: tuple((p.id, p.severity, p.title) for p in sorted(pains, key=lambda p: (-p.severity, p.id))
                               if p.stage == s) for s in stage_ids}
    cells: dict[tuple[str, str], list[str]] = {}
    for pain in pains:
        for initiative in portfolio.addressing.get(pain.id, []):
            if initiative.is_open or initiative.status == "done":
                cells.setdefault((initiative.unit or "", pain.stage), []).append(initiative.id)
    units = tuple(sorted({u for u, _ in cells}))
    return JourneyMap(
        journey_id, journey.name, journey.owner or "",
        tuple(s.name for s in journey.stages), units,
        {k: MapCell(tuple(sorted(set(v)))) for k, v in cells.items()}, stage_ids, pains_by_stage)
