"""`rank --by cluster`: the consolidation opportunities, the most effort saved first."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from cxportfolio.analysis.consolidation import Consolidation
from cxportfolio.render.neutral import Num, dumps_json, md_escape, one_line
from cxportfolio.render.neutral import csv_text as _csv

VERSION = 1
_COLUMNS = ["rank", "members", "units", "owner", "journeys", "pain points", "separate effort", "shared effort",
            "saved", "no effort"]


def _cells(proposals: Sequence[Consolidation]) -> list[list[str]]:
    return [[Num(n), ", ".join(c.members), ", ".join(c.units), c.owner or "", ", ".join(c.journeys),
             ", ".join(c.pain_points), Num(f"{c.separate_effort:g}"), Num(f"{c.shared_effort:g}"),
             Num(f"{c.saved:g}"), ", ".join(c.without_effort)] for n, c in enumerate(proposals, 1)]


def clusters(proposals: Sequence[Consolidation], fmt: str) -> str:
    if fmt == "json":
        return dumps_json({"version": VERSION, "clusters": [
            {"rank": n, "members": list(c.members), "units": list(c.units), "owner": c.owner,
             "journeys": list(c.journeys), "pain_points": list(c.pain_points),
             "separate_effort": round(c.separate_effort, 4), "shared_effort": round(c.shared_effort, 4),
             "saved": round(c.saved, 4), "without_effort": list(c.without_effort)}
            for n, c in enumerate(proposals, 1)]})
    cells = _cells(proposals)
    if fmt == "csv":
        return _csv(_COLUMNS, cells)
    if fmt == "markdown":
        return tabulate([[md_escape(c) for c in row] for row in cells], headers=_COLUMNS,
                        tablefmt="github", disable_numparse=True) + "\n"
    if not cells:
        return "no duplicated work to consolidate\n"
    return tabulate([[one_line(c) for c in row] for row in cells], headers=_COLUMNS,
                    tablefmt="simple", disable_numparse=True) + "\n"
