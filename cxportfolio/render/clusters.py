"""`rank --by cluster`: the consolidation opportunities, the most effort saved first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tabulate import tabulate

from cxportfolio.analysis.consolidation import Consolidation
from cxportfolio.render.neutral import Num, dumps_json, md_escape, one_line, path_text
from cxportfolio.render.neutral import csv_text as _csv
from cxportfolio.render.rank import alignment, fitted
from cxportfolio.rules.base import named

if TYPE_CHECKING:
    from cxportfolio.analysis.exclusions import Exclusions

VERSION = 1
# Efforts in person-weeks: the members built apart, one shared solution, the difference.
_COLUMNS = ["rank", "members", "units", "owner", "journeys", "pain points", "apart", "shared", "saved",
            "effort missing for"]
# A text table too wide for the terminal shortens these lists, in turn (rank's rule), never
# the members: they are the row's ids, what a reader acts on (it runs over instead).
_SHRINK = [("pain points", 12), ("journeys", 12), ("units", 12)]


def _cells(proposals: Sequence[Consolidation], no_owner: str | None = None) -> list[list[str]]:
    """The table's cells; no owner (a member has no unit, a value refused) reads why
    (`Consolidation.no_owner`), or `no_owner` (CSV: blank)."""
    return [[Num(n), _members(c),
             ", ".join(c.units), c.owner or (c.no_owner if no_owner is None else no_owner), ", ".join(c.journeys), ", ".join(c.pain_points), Num(f"{c.separate_effort:g}"), Num(f"{c.shared_effort:g}"),
             Num(f"{c.saved:g}"), ", ".join(c.without_effort)] for n, c in enumerate(proposals, 1)]


def _members(cluster: Consolidation) -> str:
    """The members, each done one said so (a set: a cluster may hold thousands)."""
    still_open = set(cluster.open_members)
    return ", ".join(m if m in still_open else f"{m} (done)" for m in cluster.members)


def clusters(proposals: Sequence[Consolidation], fmt: str, width: int | None = None,
             excluded: Exclusions | None = None, unchecked: Sequence[str] = ()) -> str:
    """`width`: the text table's (COLUMNS or the terminal's; None keeps every cell whole);
    `excluded`: what the figures leave out, in the JSON (as every JSON of rank's);
    `unchecked`: the files that do not parse, while CXP201 reports nothing."""
    if fmt == "json":
        return dumps_json({"version": VERSION, "clusters": [
            {"rank": n, "members": list(c.members), "open_members": list(c.open_members),
             "units": list(c.units), "owner": c.owner,
             "journeys": list(c.journeys), "pain_points": list(c.pain_points),
             "separate_effort": round(c.separate_effort, 4), "shared_effort": round(c.shared_effort, 4),
             "saved": round(c.saved, 4), "without_effort": list(c.without_effort)}
            for n, c in enumerate(proposals, 1)],
            # what the text's note says: no cluster listed is not none there
            **({"duplicates_unchecked": [path_text(f) for f in unchecked]} if unchecked else {}),
            **({"excluded": excluded.document()} if excluded is not None else {})})
    if fmt == "csv":
        return _csv(_COLUMNS, _cells(proposals, no_owner=""))
    cells = _cells(proposals)
    if not cells and unchecked:  # none found is not none there (docs/duplicates.md)
        files = named([one_line(f) for f in unchecked], and_last=True)
        return f"no duplicated open work found: duplicated work (CXP201) is not checked while {files} cannot be read\n"
    if not cells:
        return "no duplicated open work to consolidate\n"
    columns = _COLUMNS
    if not any(row[-1] for row in cells):  # no member lacks an effort: the column says nothing
        columns, cells = columns[:-1], [row[:-1] for row in cells]
    align = alignment(cells)
    if fmt == "markdown":
        return tabulate([[md_escape(c) for c in row] for row in cells], headers=columns,
                        tablefmt="pipe", disable_numparse=True, colalign=align) + "\n"
    return fitted(columns, [[one_line(c) for c in row] for row in cells], align, _SHRINK, width) + "\n"
