"""The two lanes organisations that do this well run: the steering group decides projects and
programmes by whole-journey impact; a quick-win team ships small fixes that make a big
everyday difference, fast, without waiting for a steering meeting.

An initiative's lane follows its `size`: `quick_win` is the quick-win team's; `project`,
`program` and unsized work go to the steering group (sizing is part of its decision).
"""

from __future__ import annotations

from cxportfolio.model.entities import Initiative

STEERING = "steering"
QUICK_WIN = "quick-win"
LANES = (STEERING, QUICK_WIN)  # = the choices of `rank --lane`
LANE_NAMES = {STEERING: "Steering group: projects and programmes", QUICK_WIN: "Quick-win team: small fixes"}


def lane_of(initiative: Initiative) -> str:
    return QUICK_WIN if initiative.size == "quick_win" else STEERING
