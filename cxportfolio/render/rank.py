"""`rank` output: text and Markdown tables (tabulate), CSV, and the JSON contract of SPEC §8."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from cxportfolio.analysis.rank_table import JourneyRow, RankTable
from cxportfolio.render.neutral import Num, dumps_json, md_escape, one_line
from cxportfolio.render.neutral import csv_text as _csv

VERSION = 1
_COLUMNS = ["rank", "id", "title", "unit", "journeys", "impact", "effort", "priority", "status", "flags"]
_JOURNEY_COLUMNS = ["rank", "id", "name", "owner", "pain points", "unaddressed", "unaddressed value",
                    "total value"]


def _cells(table: RankTable) -> tuple[list[str], list[list[str]]]:
    columns = list(_COLUMNS) + (["selected"] if table.selection else [])
    rows = []
    for r in table.rows:
        row = [Num(r.rank), r.id, r.title, r.unit, ", ".join(r.journeys), Num(f"{r.impact:.1f}"),
               Num(f"{r.effort:g}"), Num(f"{r.priority:.2f}"), r.status, ", ".join(r.flags)]
        if table.selection:
            row.append("yes" if r.selected else "")
        rows.append(row)
    return columns, rows


def _journey_cells(rows: list[JourneyRow]) -> list[list[str]]:
    return [[Num(r.rank), r.id, r.name, r.owner, Num(r.pain_points), Num(r.unaddressed),
             Num(f"{r.unaddressed_value:.1f}"), Num(f"{r.total_value:.1f}")] for r in rows]


def _selection_line(table: RankTable) -> str:
    s = table.selection
    if s is None:
        return ""
    return (f"\nSelected {len(s.selected)} initiatives: effort {s.effort:g} of {s.capacity:g}, "
            f"impact {s.impact:.1f}; selection {s.description}.\n")


def text(table: RankTable) -> str:
    columns, rows = _cells(table)
    rows = [[one_line(c) for c in row] for row in rows]
    body = tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True) if rows else "no initiatives"
    return body + "\n" + _selection_line(table)


def markdown(table: RankTable) -> str:
    columns, rows = _cells(table)
    rows = [[md_escape(c) for c in row] for row in rows]
    return tabulate(rows, headers=columns, tablefmt="github", disable_numparse=True) + "\n" + _selection_line(table)


def csv_text(table: RankTable) -> str:
    columns, rows = _cells(table)
    return _csv(columns, rows)


def json_text(table: RankTable) -> str:
    rows: list[dict[str, Any]] = []
    for r in table.rows:
        row: dict[str, Any] = {"rank": r.rank, "id": r.id, "title": r.title, "unit": r.unit,
                               "journeys": list(r.journeys), "impact": round(r.impact, 4),
                               "effort": round(r.effort, 4), "priority": round(r.priority, 6),
                               "status": r.status, "flags": list(r.flags)}
        if table.selection:
            row["selected"] = bool(r.selected)
        rows.append(row)
    document: dict[str, Any] = {"version": VERSION, "rows": rows}
    if table.selection:
        s = table.selection
        document["selection"] = {"capacity": s.capacity, "effort": round(s.effort, 4),
                                 "impact": round(s.impact, 4), "method": s.method,
                                 "initiatives": sorted(s.selected)}
    return dumps_json(document)


RANK_RENDERERS: dict[str, Callable[[RankTable], str]] = {
    "text": text, "markdown": markdown, "csv": csv_text, "json": json_text,
}


def journeys(rows: list[JourneyRow], fmt: str) -> str:
    if fmt == "json":
        return dumps_json({"version": VERSION, "journeys": [
            {"rank": r.rank, "id": r.id, "name": r.name, "owner": r.owner, "pain_points": r.pain_points,
             "unaddressed": r.unaddressed, "unaddressed_value": round(r.unaddressed_value, 4),
             "total_value": round(r.total_value, 4)} for r in rows]})
    cells = _journey_cells(rows)
    if fmt == "csv":
        return _csv(_JOURNEY_COLUMNS, cells)
    if fmt == "markdown":
        return tabulate([[md_escape(c) for c in row] for row in cells], headers=_JOURNEY_COLUMNS,
                        tablefmt="github", disable_numparse=True) + "\n"
    return tabulate([[one_line(c) for c in row] for row in cells], headers=_JOURNEY_COLUMNS,
                    tablefmt="simple", disable_numparse=True) + "\n"
