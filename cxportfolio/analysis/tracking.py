"""The annual target: done so far, expected pace, forecast and status (SPEC §7).

    done          = initiatives with status done and `completed` in the year, on or before as-of
    expected      = target × share of the year elapsed at as-of (even pace)
    forecast      = done + Σ open work planned to finish in the year, each weighted by
                    how likely it is to finish: in_progress 0.8, approved 0.5
                    (proposed and ideas count 0: nobody has committed to them)
    status        = on-track if forecast ≥ target, at-risk if forecast ≥ 85% of target,
                    behind otherwise
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cxportfolio.model.portfolio import Portfolio

FINISH_LIKELIHOOD = {"in_progress": 0.8, "approved": 0.5}
AT_RISK_SHARE = 0.85


@dataclass(frozen=True)
class TargetStatus:
    year: int
    as_of: dt.date
    target: int
    done: int
    expected_by_now: float
    forecast: float
    status: str

    @property
    def gap(self) -> float:
        return self.done - self.expected_by_now


def planned_year(planned: str | None) -> int | None:
    return int(planned[:4]) if planned else None


def track_target(portfolio: Portfolio, as_of: dt.date, year: int | None = None) -> TargetStatus:
    year = year or portfolio.year or as_of.year
    target = portfolio.config.target.improvements if portfolio.config and portfolio.config.target else 0
    done = sum(1 for i in portfolio.initiatives
               if i.status == "done" and i.completed and i.completed.year == year and i.completed <= as_of)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elapsed = min(max((as_of - start).days + 1, 0), (end - start).days + 1) / ((end - start).days + 1)
    expected = target * elapsed
    pending = sum(FINISH_LIKELIHOOD.get(i.status, 0.0) for i in portfolio.initiatives
                  if i.is_open and planned_year(i.planned) == year) if as_of <= end else 0.0
    forecast = done + pending
    if forecast >= target:
        status = "on-track"
    elif forecast >= AT_RISK_SHARE * target:
        status = "at-risk"
    else:
        status = "behind"
    return TargetStatus(year, as_of, target, done, expected, forecast, status)
