"""`track` output: text, Markdown, CSV and the JSON contract of SPEC §8."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabulate import tabulate

from cxportfolio.analysis.tracking import Tracking
from cxportfolio.render.neutral import Num, dumps_json, md_escape, one_line
from cxportfolio.render.neutral import csv_text as _csv

VERSION = 1


def _headline(t: Tracking) -> list[str]:
    s = t.target
    return [f"Target {s.year}: {s.target} improvements. Done {s.done}, expected by {s.as_of} "
            f"{s.expected_by_now:.1f} (gap {s.gap:+.1f}), forecast {s.forecast:.1f}: {s.status}.",
            f"Effect, not activity: {t.with_positive_effect} of {s.done} done initiatives show a realized "
            "positive effect on an outcome or experience KPI."]


def _breakdowns(t: Tracking) -> list[tuple[str, dict[str, int]]]:
    return [("unit", t.by_unit), ("quarter", t.by_quarter), ("month", t.by_month),
            ("journey", t.by_journey), ("size", t.by_size)]


def _trend_rows(t: Tracking) -> list[list[str]]:
    return [[k.id, period, Num(f"{value:g}"), ", ".join(reasons)]
            for k in t.kpis for period, value, reasons in k.measurements]


def text(t: Tracking) -> str:
    out = _headline(t)
    for name, counts in _breakdowns(t):
        rows = [[one_line(k), v] for k, v in sorted(counts.items())]
        out += ["", f"Done by {name}:", tabulate(rows, headers=[name, "done"], tablefmt="simple",
                                                disable_numparse=True)]
    out += ["", "KPI trends (reasons: initiatives completed in the period that target the KPI):",
            tabulate([[one_line(c) for c in row] for row in _trend_rows(t)],
                     headers=["kpi", "period", "value", "reasons"], tablefmt="simple", disable_numparse=True)]
    return "\n".join(out) + "\n"


def markdown(t: Tracking) -> str:
    out = ["### Annual target", "", *_headline(t)]
    for name, counts in _breakdowns(t):
        out += ["", f"**Done by {name}**", "",
                tabulate([[md_escape(k), str(v)] for k, v in sorted(counts.items())], headers=[name, "done"],
                         tablefmt="github", disable_numparse=True)]
    out += ["", "### KPI trends and their reasons", "",
            tabulate([[md_escape(c) for c in row] for row in _trend_rows(t)],
                     headers=["kpi", "period", "value", "reasons"], tablefmt="github", disable_numparse=True)]
    return "\n".join(out) + "\n"


def csv_text(t: Tracking) -> str:
    rows: list[list[object]] = []
    s = t.target
    for key, value in (("year", s.year), ("as_of", s.as_of), ("target", s.target), ("done", s.done),
                       ("expected_by_now", Num(f"{s.expected_by_now:.2f}")),
                       ("forecast", Num(f"{s.forecast:.2f}")),
                       ("status", s.status), ("with_positive_effect", t.with_positive_effect)):
        rows.append(["target", key, value, ""])
    for name, counts in _breakdowns(t):
        rows += [[f"by_{name}", k, v, ""] for k, v in sorted(counts.items())]
    rows += [[f"kpi:{kpi}", period, value, reasons] for kpi, period, value, reasons in _trend_rows(t)]
    return _csv(["section", "key", "value", "reasons"], rows)


def json_text(t: Tracking) -> str:
    s = t.target
    document: dict[str, Any] = {
        "version": VERSION, "year": s.year, "as_of": s.as_of.isoformat(), "target": s.target, "done": s.done,
        "expected_by_now": round(s.expected_by_now, 4), "gap": round(s.gap, 4),
        "forecast": round(s.forecast, 4), "status": s.status,
        "by_unit": t.by_unit, "by_quarter": t.by_quarter, "by_month": t.by_month,
        "by_journey": t.by_journey, "by_size": t.by_size,
        "effect": {"done_with_positive_effect": t.with_positive_effect,
                   "initiatives": [{"id": f.id, "expected": f.expected, "realized": f.realized,
                                    "positive_outcome": f.positive_outcome} for f in t.follow_ups]},
        "kpis": [{"id": k.id, "name": k.name, "direction": k.direction,
                  "measurements": [{"period": p, "value": v, "reasons": list(r)} for p, v, r in k.measurements]}
                 for k in t.kpis],
    }
    return dumps_json(document)


TRACK_RENDERERS: dict[str, Callable[[Tracking], str]] = {
    "text": text, "markdown": markdown, "csv": csv_text, "json": json_text,
}
