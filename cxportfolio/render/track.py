"""`track` output: text, Markdown, CSV and the versioned JSON contract (docs/ci.md, JSON for programs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tabulate import tabulate

from cxportfolio.analysis.tracking import NOT_SET, UNKNOWN_TARGET, Tracking
from cxportfolio.model.entities import UNITLESS
from cxportfolio.render import figures
from cxportfolio.render.neutral import Num, dumps_json, md_escape, one_line
from cxportfolio.render.neutral import csv_text as _csv
from cxportfolio.render.text import plural
from cxportfolio.rules.base import named

if TYPE_CHECKING:
    from cxportfolio.analysis.exclusions import Exclusions

# Done work that addresses no pain point, in the text and Markdown tables "by journey" (a
# journey id has neither spaces nor parentheses, as a unit id has not: UNITLESS).
JOURNEYLESS = "(no journey)"
VERSION = 1
UNDATED_SHOWN = 5  # ids named in the sentence; JSON's `done_undated` lists them all


def undated_note(t: Tracking, field: str = "`completed:`", name: Callable[[str], str] = one_line) -> str:
    """The sentence that names done work in no year's count (no `completed:` date), or ""
    when there is none: track's headline and the report's target say it whether or not
    its CXP105 was accepted, so the figures never read as the whole portfolio's."""
    n = len(t.undated)
    if not n:
        return ""
    names = named([name(i) for i in t.undated[:UNDATED_SHOWN]], n, most=UNDATED_SHOWN)
    return (f"{plural(n, 'done initiative')} without a {field} date {'is' if n == 1 else 'are'} "
            f"not counted: {names}.")


def _named(counts: dict[str, int], name: Callable[[str], str]) -> str:
    """The names written, quoted, as `undated_note` names ids: the first few, and how many more."""
    return named([f"'{name(k)}'" for k in list(counts)[:UNDATED_SHOWN]], len(counts), most=UNDATED_SHOWN)


def unknown_notes(t: Tracking, name: Callable[[str], str] = one_line) -> list[str]:
    """The sentences that say which done work no row counts under the unit or journey it
    names: one that is not known (CXP102) is none, and a row under a misspelt name would
    read as a unit or journey of its own beside the one meant."""
    out = []
    if t.unknown_units:
        n = sum(t.unknown_units.values())
        out.append(f"{plural(n, 'done initiative')} of a unit that is not known ({_named(t.unknown_units, name)}, "
                   f"CXP102) {'is' if n == 1 else 'are'} counted under {UNITLESS}.")
    if t.unknown_journeys:
        n = t.off_journey
        out.append(f"{plural(n, 'done initiative')} on pain points of no known journey "
                   f"({_named(t.unknown_journeys, name)}, CXP102) {'is' if n == 1 else 'are'} "
                   f"counted on no journey for those pain points.")
    return out


def _headline(t: Tracking, name: Callable[[str], str] = one_line) -> list[str]:
    s = t.target
    # Not set for the file's own year: how to set one; for another (`--year`): why it has none.
    why = (f"add one to cxportfolio.yaml, e.g. `target: {{improvements: 50}}` for 50 improvements in {s.year}"
           if s.year == s.portfolio_year else "cxportfolio.yaml sets `target:` for its `year` only")
    target = (f"Target {s.year}: {plural(s.target, 'improvement')}." if s.target_set else
              f"Target {s.year}: {NOT_SET} ({why})." if s.unknown is None
              else f"Target {s.year}: {UNKNOWN_TARGET[s.unknown]}.")
    # A year over has no pace nor forecast left (forecast = done); a year not begun has nothing done.
    if s.year_over:
        state = f"Done {s.done} in {s.year} (the year is over)"
    elif s.year_not_begun:
        state = f"Nothing done yet ({s.year} begins after {s.as_of}), forecast {s.forecast:.1f}"
    elif s.target_set:
        expected, gap = figures.gap(s.done, s.expected_by_now)
        state = (f"Done {s.done}, expected by {s.as_of} {expected} (gap {gap}), "
                 f"forecast {s.forecast:.1f}")
    else:
        state = f"Done {s.done} by {s.as_of}, forecast {s.forecast:.1f}"
    # a year not begun has no status to say yet: "behind" would read as a pace (JSON keeps `status`)
    verdict = "the year has not started" if s.year_not_begun else s.state
    return [f"{target} {state}" + (f": {verdict}." if s.target_set else "."),
            *([note] if (note := undated_note(t, name=name)) else []),
            *unknown_notes(t, name),
            effect_line(t, name)]


def effect_line(t: Tracking, name: Callable[[str], str] = one_line) -> str:
    """How many done initiatives show a realized positive effect: track's and the report's
    line, "1 done initiative shows" in the singular; and of how many it cannot tell, their
    effects refused (so that 19 of 38 is not read as 19 of 38 known)."""
    done = t.target.done
    line = (f"Effect, not activity: {t.with_positive_effect} of {plural(done, 'done initiative')} "
            f"{'shows' if done == 1 else 'show'} a realized positive effect on an outcome or experience KPI")
    n = len(t.effects_unread)
    if n:
        line += (f"; of {n} it cannot tell (a value refused in their effects or in a KPI they moved: "
                 f"{named([name(i) for i in t.effects_unread[:UNDATED_SHOWN]], n, most=UNDATED_SHOWN)})")
    return line + "."


def _breakdowns(t: Tracking, unitless: str = "", journeyless: str = "") -> list[tuple[str, dict[str, int]]]:
    """The counts by unit, quarter, …; initiatives without a unit counted under `unitless`
    (the tables' "(no unit)"; "" in CSV and JSON, as rank's), and those on no journey
    under `journeyless` (the tables' "(no journey)", "" in CSV; JSON counts them beside
    `by_journey`, in `done_without_journey`), when there are any."""
    by_unit = {(unit or unitless): n for unit, n in t.by_unit.items()}
    by_journey = {journeyless: t.without_journey, **t.by_journey} if t.without_journey else t.by_journey
    return [("unit", by_unit), ("quarter", t.by_quarter), ("month", t.by_month),
            ("journey", by_journey), ("size", t.by_size)]


def _trend_rows(t: Tracking) -> list[list[str]]:
    return [[k.id, period, Num(f"{value:g}"), ", ".join(reasons)]
            for k in t.kpis for period, value, reasons in k.measurements]


# Numbers right-aligned, as in a spreadsheet.
_COUNT_ALIGN = ("left", "right")
_TREND_ALIGN = ("left", "left", "right", "left")
_TREND_COLUMNS = ["kpi", "period", "value", "reasons"]


def _no_trends(t: Tracking) -> str:
    """What the KPI trends say instead of a table without rows: that there is no KPI, or
    that none has a measurement in the year by the date shown."""
    if not t.kpis:
        return "No KPIs." if not t.kpis_left_out else (
            f"No KPI trend to show: {t.kpis_left_out} KPI{'s' * (t.kpis_left_out != 1)} left out for a refused value "
            "(the note says which; `cxportfolio check` says where).")
    s = t.target
    return f"No KPI has a measurement in {s.year}" + ("." if s.year_over else f" up to {s.as_of}.")


def text(t: Tracking) -> str:
    out = _headline(t)
    for name, counts in _breakdowns(t, UNITLESS, JOURNEYLESS):
        rows = [[one_line(k), str(v)] for k, v in sorted(counts.items())]
        out += ["", f"Done by {name}:", tabulate(rows, headers=[name, "done"], tablefmt="simple",
                                                disable_numparse=True, colalign=_COUNT_ALIGN)]
    trends = _trend_rows(t)
    out += ["", "KPI trends (reasons: initiatives completed in the period that target the KPI):",
            tabulate([[one_line(c) for c in row] for row in trends], headers=_TREND_COLUMNS,
                     tablefmt="simple", disable_numparse=True, colalign=_TREND_ALIGN) if trends else _no_trends(t)]
    return "\n".join(out) + "\n"


def markdown(t: Tracking) -> str:
    out = ["### Annual target", "", *_headline(t, md_escape)]
    for name, counts in _breakdowns(t, UNITLESS, JOURNEYLESS):
        out += ["", f"**Done by {name}**", "",
                tabulate([[md_escape(k), str(v)] for k, v in sorted(counts.items())], headers=[name, "done"],
                         tablefmt="pipe", disable_numparse=True, colalign=_COUNT_ALIGN)]
    trends = _trend_rows(t)
    out += ["", "### KPI trends and their reasons", "",
            tabulate([[md_escape(c) for c in row] for row in trends], headers=_TREND_COLUMNS,
                     tablefmt="pipe", disable_numparse=True, colalign=_TREND_ALIGN) if trends else _no_trends(t)]
    return "\n".join(out) + "\n"


def csv_text(t: Tracking) -> str:
    rows: list[list[object]] = []
    s = t.target
    # the gap from the expected as written, so that done − expected_by_now = gap in the
    # file; + 0.0: never -0.00
    expected = round(s.expected_by_now, 2)
    for key, value in (("year", s.year), ("as_of", s.as_of), ("target", s.target if s.target_set else ""),
                       ("done", s.done),
                       ("expected_by_now", Num(f"{expected:.2f}") if s.target_set else ""),
                       ("gap", Num(f"{round(s.done - expected, 2) + 0.0:.2f}") if s.target_set else ""),
                       ("forecast", Num(f"{s.forecast:.2f}")),
                       ("status", s.status), ("outcome", s.outcome or ""), ("target_unknown", s.unknown or ""),
                       ("with_positive_effect", t.with_positive_effect)):
        rows.append(["target", key, value, ""])
    # done work in no year's count: how many, and which (as a KPI row's reasons)
    rows.append(["target", "done_undated", len(t.undated), ", ".join(t.undated)])
    # done work under a unit or on pain points of a journey not known: how many, and the names
    rows.append(["target", "done_unknown_unit", sum(t.unknown_units.values()), ", ".join(t.unknown_units)])
    rows.append(["target", "done_unknown_journey", t.off_journey, ", ".join(t.unknown_journeys)])
    # done work whose effects cannot be read: counted, in no follow-up nor KPI reason
    rows.append(["target", "done_effects_unread", len(t.effects_unread), ", ".join(t.effects_unread)])
    for name, counts in _breakdowns(t):
        rows += [[f"by_{name}", k, v, ""] for k, v in sorted(counts.items())]
    rows += [[f"kpi:{kpi}", period, value, reasons] for kpi, period, value, reasons in _trend_rows(t)]
    return _csv(["section", "key", "value", "reasons"], rows)


def json_text(t: Tracking, excluded: Exclusions | None = None) -> str:
    """`excluded`: what the figures leave out (`Exclusions.document`), when known."""
    s = t.target
    document: dict[str, Any] = {
        "version": VERSION, "year": s.year, "as_of": s.as_of.isoformat(),
        # null, not 0, for a year cxportfolio.yaml sets no target for (status "no-target")
        "target": s.target if s.target_set else None, "done": s.done,
        "expected_by_now": round(s.expected_by_now, 4) if s.target_set else None,
        "gap": round(s.gap, 4) if s.target_set else None,
        "forecast": round(s.forecast, 4), "status": s.status,
        # "met"/"missed" once the year is over with a target set, else null
        "outcome": s.outcome,
        # why "no-target" does not mean none is set: null, "config_unusable" or "refused"
        "target_unknown": s.unknown,
        "by_unit": t.by_unit, "by_quarter": t.by_quarter, "by_month": t.by_month,
        "by_journey": t.by_journey,
        # done work on no journey (no pain point addressed): by_journey's keys stay journey ids
        "done_without_journey": t.without_journey,
        # done initiatives without a `completed:` date, in no year's count (always present)
        "done_undated": list(t.undated),
        # a unit or journey named that is not known (CXP102) → how many done initiatives, which
        # by_unit counts under "" and by_journey under no journey (always present)
        "done_unknown_unit": t.unknown_units,
        "done_unknown_journey": t.unknown_journeys,
        "by_size": t.by_size,
        "effect": {"done_with_positive_effect": t.with_positive_effect,
                   # done initiatives counted whose effects cannot be read (a value
                   # refused, theirs or a KPI's they realized an effect on): in no
                   # follow-up below (always present)
                   "done_effects_unread": list(t.effects_unread),
                   # expected: change × confidence, realized: its entries added, rounded as the
                   # other figures (not -0.16000000000000003)
                   "initiatives": [{"id": f.id, "expected": {k: round(v, 6) for k, v in f.expected.items()},
                                    "realized": {k: round(v, 6) for k, v in f.realized.items()},
                                    "positive_outcome": f.positive_outcome}
                                   for f in t.follow_ups]},
        "kpis": [{"id": k.id, "name": k.name, "direction": k.direction,
                  "measurements": [{"period": p, "value": v, "reasons": list(r)} for p, v, r in k.measurements]}
                 for k in t.kpis],
    }
    if excluded is not None:
        document["excluded"] = excluded.document()
    return dumps_json(document)


TRACK_RENDERERS: dict[str, Callable[[Tracking], str]] = {
    "text": text, "markdown": markdown, "csv": csv_text, "json": json_text,
}
