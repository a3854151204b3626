"""`rank` output: text and Markdown tables (tabulate), CSV, and the versioned JSON contract (docs/ci.md, JSON for programs).

Number columns are right-aligned. A text table is fitted to a width (the CLI passes the
terminal's) by shortening its titles with "…"; Markdown, CSV and JSON never truncate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tabulate import tabulate
from wcwidth import wcswidth

from cxportfolio.analysis.rank_table import JourneyRow, RankFilter, RankTable
from cxportfolio.model.entities import UNITLESS
from cxportfolio.render.neutral import Num, dumps_json, md_escape, one_line, path_text
from cxportfolio.render.neutral import csv_text as _csv
from cxportfolio.render.text import noun
from cxportfolio.rules.base import named

if TYPE_CHECKING:
    from cxportfolio.analysis.exclusions import Exclusions
    from cxportfolio.analysis.selection import Selection

VERSION = 1
_COLUMNS = ["rank", "id", "title", "unit", "journeys", "impact", "effort", "priority", "status", "flags"]
_JOURNEY_COLUMNS = ["rank", "id", "name", "owner", "pain points", "unaddressed", "unaddressed value",
                    "total value", "flags"]
# What a text table too wide for the terminal gives up, in turn, and down to how many
# characters: titles first, then lists; a table that still does not fit runs over.
_SHRINK = [("title", 24), ("journeys", 12), ("flags", 10), ("title", 12)]
_JOURNEY_SHRINK = [("name", 24), ("owner", 12), ("flags", 10), ("name", 12)]


def _cells(table: RankTable, unitless: str = UNITLESS, csv: bool = False) -> tuple[list[str], list[list[str]]]:
    """The table's cells; an initiative without a unit shows `unitless` (CSV: blank). An
    assumed effort reads "8 (assumed)"; the CSV keeps the number and says it in its own
    last column, `effort_assumed`, so that a spreadsheet can still add efforts up."""
    columns = list(_COLUMNS) + (["selected"] if table.selection else []) + (["effort_assumed"] if csv else [])
    rows = []
    for r in table.rows:
        row = [Num(r.rank), r.id, r.title, r.unit or unitless, ", ".join(r.journeys), Num(f"{r.impact:.1f}"),
               Num(f"{r.effort:g}" if csv else r.effort_shown), Num(f"{r.priority:.2f}"), r.status,
               ", ".join(r.flags)]
        if table.selection:
            row.append("yes" if r.selected else "")
        if csv:
            row.append("yes" if r.effort_assumed else "")
        rows.append(row)
    return columns, rows


def _journey_cells(rows: list[JourneyRow], csv: bool = False) -> list[list[str]]:
    """An owner naming no unit reads "none ('kards' is not a unit, CXP102)"; the CSV keeps
    `owner` a unit's id or blank and gives the name as written a last column of its own."""
    return [[Num(r.rank), r.id, r.name, r.owner if csv else r.owner_shown, Num(r.pain_points), Num(r.unaddressed),
             Num(f"{r.unaddressed_value:.1f}"), Num(f"{r.total_value:.1f}"), ", ".join(r.flags)]
            + ([r.owner_not_a_unit] if csv else []) for r in rows]


def _selection_line(table: RankTable, escape: Callable[[str], str] = one_line) -> str:
    s = table.selection
    if s is None:
        return ""
    lines = [f"\nPlan: {len(s.selected)} {noun(len(s.selected), 'initiative')}, {s.effort:g} person-weeks, "
             f"impact {s.impact:.1f}: {s.description}.", *_plan_warnings(s, escape)]
    if s.left_out:
        lines.append("Left out:")
        lines.extend(f"- {escape(ident)}: {escape(reason)}" for ident, reason in sorted(s.left_out.items()))
    return "\n".join(lines) + "\n"


def _plan_warnings(s: Selection, escape: Callable[[str], str] = one_line) -> list[str]:
    """What the plan could not weigh as meant while something is wrong (a unit not known,
    its capacity refused, duplicated work unchecked): under it, and the CSV's notes."""
    lines = []
    if s.unit_not_known:
        ids = sorted(s.unit_not_known)
        units = ", ".join(f"'{escape(u)}'" for u in dict.fromkeys(s.unit_not_known[i] for i in ids))
        one = len(ids) == 1
        lines.append(f"{named([escape(i) for i in ids])} {'is' if one else 'are'} planned within no unit's capacity: "
                     f"{'its' if one else 'their'} unit ({units}) is not known (CXP102); correct it to plan "
                     f"{'it' if one else 'them'} within {'its' if one else 'their'} unit's.")
    if s.capacity_refused:
        ids = sorted(s.capacity_refused)
        units = ", ".join(escape(u) for u in dict.fromkeys(s.capacity_refused[i] for i in ids))
        one = len(ids) == 1
        lines.append(f"{named([escape(i) for i in ids])} {'is' if one else 'are'} planned within no unit's capacity: "
                     f"{'its' if one else 'their'} unit's capacity ({units}) is refused (CXP002); correct it to plan "
                     f"{'it' if one else 'them'} within it.")
    if s.duplicates_unchecked:
        files = s.duplicates_unchecked
        lines.append(f"Duplicated work (CXP201) is not checked while {named([escape(f) for f in files], and_last=True)} "
                     f"cannot be read: no row is flagged duplicate and the plan may fund more than one member of a "
                     f"cluster; correct the {noun(len(files), 'file')} to plan them as alternatives.")
    return lines


def csv_notes(table: RankTable) -> list[str]:
    """The lines under a text table that a CSV, rows alone, cannot hold, for stderr: the
    plan's warnings (its `selected` column is the plan), else the duplicates line."""
    warnings = _plan_warnings(table.selection) if table.selection is not None else []
    if warnings:
        return warnings
    said = duplicates_line(table).strip()
    return [said] if said else []


def duplicates_line(table: RankTable, escape: Callable[[str], str] = one_line) -> str:
    """Under a table with rows while CXP201 is not checked: that no row is flagged
    `duplicate` is not known to mean none is one (a plan says what it means for the plan)."""
    files = table.duplicates_unchecked
    if not files or not table.rows or (table.selection and table.selection.duplicates_unchecked):
        return ""  # a plan's line says it for both
    return (f"\nDuplicated work (CXP201) is not checked while {named([escape(f) for f in files], and_last=True)} "
            f"cannot be read: no row is flagged duplicate until {'it' if len(files) == 1 else 'they'} can be.\n")


def text(table: RankTable, width: int | None = None) -> str:
    """The table, fitted to `width` columns (None: as wide as its longest title)."""
    columns, rows = _cells(table)
    if not rows:
        return _nothing(table.filters, table.closed) + "\n" + _selection_line(table)
    body = fitted(columns, [[one_line(c) for c in row] for row in rows], alignment(rows), _SHRINK, width)
    return body + "\n" + duplicates_line(table) + _selection_line(table)


def _nothing(f: RankFilter, closed: int = 0) -> str:
    """What an empty table left out: a real unit with no open work is news, not an error;
    `closed` done or dropped initiatives, which --all shows, are counted."""
    if f.statuses:
        words = ["no initiatives with status", " or ".join(f.statuses)]
    else:
        words = ["no initiatives" if f.include_closed else "no open initiatives"]
    if f.units:
        words += ["for " + noun(len(f.units), "unit"), " or ".join(f.units)]
    if f.journeys:
        words += ["on " + noun(len(f.journeys), "journey"), " or ".join(f.journeys)]
    if f.lanes:
        words += ["in " + noun(len(f.lanes), "lane"), " or ".join(f.lanes)]
    if closed:
        words[-1] += f" ({closed} done or dropped: --all shows {'it' if closed == 1 else 'them'})"
    return one_line(" ".join(words))


def alignment(rows: list[list[str]]) -> list[str]:
    """Right for the cells formatted from numbers (`Num`), as in a spreadsheet."""
    return ["right" if isinstance(cell, Num) else "left" for cell in rows[0]]


def fitted(columns: list[str], rows: list[list[str]], align: list[str],
           shrink: list[tuple[str, int]], width: int | None) -> str:
    """A plain-text table no wider than `width`: the text columns named in `shrink` are
    shortened with "…", in turn, each down to its floor; numbers and ids never are."""
    def table() -> str:
        return tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True, colalign=align)

    body = table()
    for name, floor in shrink if width is not None else ():
        excess = max(map(columns_of, body.splitlines())) - width
        if excess <= 0:
            break
        n = columns.index(name)
        longest = max(columns_of(row[n]) for row in rows)
        room = max(longest - excess, floor, len(name))
        if room < longest:
            rows = [[_shortened(c, room) if i == n else c for i, c in enumerate(row)] for row in rows]
            body = table()
    return body


def columns_of(text: str) -> int:
    """The columns `text` takes in a terminal (wcwidth, which tabulate lays the table out
    by): a Chinese letter or most emoji two, a combining accent none. The text is escaped
    for display (`one_line`), so no control character is left to make it -1."""
    return max(wcswidth(text), 0) if not text.isascii() else len(text)


def _shortened(text: str, room: int) -> str:
    """`text` in at most `room` columns, cut with "…" (one column) when longer: the longest
    start that fits, measured whole as tabulate measures a cell (an emoji with its variation
    selector or joined to others takes the columns of one, not the sum of its parts)."""
    if columns_of(text) <= room:
        return text
    fits, over = 0, len(text)  # the longest start of at most room - 1 columns: between these
    while over - fits > 1:
        middle = (fits + over) // 2
        fits, over = (middle, over) if columns_of(text[:middle]) <= room - 1 else (fits, middle)
    return text[:fits].rstrip() + "…"


def markdown(table: RankTable) -> str:
    columns, rows = _cells(table)
    align = alignment(rows) if rows else None
    # an empty table says why below its header, as the text does in its place
    nothing = "" if rows else "\n" + md_escape(_nothing(table.filters, table.closed)) + "\n"
    rows = [[md_escape(c) for c in row] for row in rows]
    return tabulate(rows, headers=columns, tablefmt="pipe", disable_numparse=True,
                    colalign=align) + "\n" + nothing + duplicates_line(table, md_escape) + _selection_line(
                        table, md_escape)


def csv_text(table: RankTable) -> str:
    columns, rows = _cells(table, unitless="", csv=True)
    return _csv(columns, rows)


def json_text(table: RankTable, excluded: Exclusions | None = None) -> str:
    """`excluded`: what the figures leave out (`Exclusions.document`), when known."""
    rows: list[dict[str, Any]] = []
    for r in table.rows:
        row: dict[str, Any] = {"rank": r.rank, "id": r.id, "title": r.title, "unit": r.unit,
                               "journeys": list(r.journeys), "impact": round(r.impact, 4),
                               "effort": round(r.effort, 4), "effort_assumed": r.effort_assumed,
                               "priority": round(r.priority, 6),
                               "status": r.status, "flags": list(r.flags)}
        if table.selection:
            row["selected"] = bool(r.selected)
        rows.append(row)
    document: dict[str, Any] = {"version": VERSION, "rows": rows}
    if table.duplicates_unchecked and table.rows:
        # what the text's note says: no row flagged `duplicate` is not none a duplicate
        document["duplicates_unchecked"] = [path_text(f) for f in table.duplicates_unchecked]
    if table.selection:
        s = table.selection
        document["selection"] = {"capacity": s.capacity, "unit_capacities": dict(sorted(s.unit_capacities.items())),
                                 "effort": round(s.effort, 4), "impact": round(s.impact, 4),
                                 "method": s.method, "initiatives": sorted(s.selected),
                                 "left_out": dict(sorted(s.left_out.items())),
                                 # chosen work no unit's capacity holds: its unit is not known (CXP102)
                                 "unit_not_known": dict(sorted(s.unit_not_known.items())),
                                 # the files that do not parse, while CXP201 reports nothing
                                 "duplicates_unchecked": [path_text(f) for f in s.duplicates_unchecked],
                                 # chosen work whose unit's capacity is refused (CXP002) → its unit
                                 "capacity_refused": dict(sorted(s.capacity_refused.items()))}
    if excluded is not None:
        document["excluded"] = excluded.document()
    return dumps_json(document)


RANK_RENDERERS: dict[str, Callable[[RankTable], str]] = {
    "text": text, "markdown": markdown, "csv": csv_text, "json": json_text,
}


def journeys(rows: list[JourneyRow], fmt: str, width: int | None = None, excluded: Exclusions | None = None) -> str:
    """`excluded`: what the figures leave out, in the JSON (as every JSON of rank's)."""
    if fmt == "json":
        return dumps_json({"version": VERSION, "journeys": [
            {"rank": r.rank, "id": r.id, "name": r.name, "owner": r.owner,
             # the owner as written when it names no unit (CXP102; `owner` is "" then), else null
             "owner_not_a_unit": r.owner_not_a_unit or None, "pain_points": r.pain_points,
             "unaddressed": r.unaddressed, "unaddressed_value": round(r.unaddressed_value, 4),
             "total_value": round(r.total_value, 4), "flags": list(r.flags)} for r in rows],
            **({"excluded": excluded.document()} if excluded is not None else {})})
    if fmt == "csv":
        return _csv(_JOURNEY_COLUMNS + ["owner_not_a_unit"], _journey_cells(rows, csv=True))
    cells = _journey_cells(rows)
    if fmt == "markdown":
        return tabulate([[md_escape(c) for c in row] for row in cells], headers=_JOURNEY_COLUMNS,
                        tablefmt="pipe", disable_numparse=True,
                        colalign=alignment(cells) if cells else None) + "\n"
    if not cells:
        return "no journeys\n"
    return fitted(_JOURNEY_COLUMNS, [[one_line(c) for c in row] for row in cells], alignment(cells),
                  _JOURNEY_SHRINK, width) + "\n"
