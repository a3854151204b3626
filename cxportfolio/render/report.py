"""The report: Markdown for wikis and PR comments, self-contained HTML for people and print.

Jinja2 renders both. In HTML every piece of portfolio text is escaped (autoescaping) and
put on one line with control and bidi characters shown as escapes (`finalize`), so a title
like `<script>` shows as text. In Markdown every piece of portfolio text goes through the
`md` filter (neutral.md_escape): no HTML, no table breakage, no mentions, issue references
or links. Charts are inline SVG from matplotlib; the page makes no request to any host.

The HTML's first page is the summary and must print on one A4 page whatever the
portfolio: lists there are capped (the `SUMMARY_*` counts) and texts shortened (`short`),
the rest is in the details, which start on a new page.
"""

from __future__ import annotations

import math
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from cxportfolio.analysis.report_data import ReportData
from cxportfolio.model.entities import UNITLESS
from cxportfolio.render import charts
from cxportfolio.render.figures import change, figure, gap, shown
from cxportfolio.render.neutral import md_escape, md_path, one_line, printable
from cxportfolio.render.text import noun, plural
from cxportfolio.render.track import effect_line, undated_note
from cxportfolio.writing import seal

SUMMARY_ROWS = 5  # per lane
SUMMARY_KPIS = 6  # three across, two down
SUMMARY_DECISIONS = 3  # per kind
SUMMARY_REASONS = 2  # per KPI
# An id is kept on one line in the details' tables (never broken at its hyphen) up to this
# length: two ids of 64 characters (the most an id may have) in one row run off the sheet.
WHOLE_ID = 20
# A journey map shows at most this many stages across; a longer journey (it may have
# thousands) continues in a table below, so that no map runs off the sheet.
MAP_STAGES = 12


def _short(text: str, most: int) -> str:
    """At most `most` characters, cut at a word where one is near: a long title cannot push
    the first page over its one sheet."""
    text = one_line(text)
    if len(text) <= most:
        return text
    cut = text[:most - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > most * 0.6 else cut).rstrip(" ,;:") + "…"


def _value(number: float, beside: float | None = None) -> str:
    """A value as read (Markdown's tables show it whole), with as many decimals as
    `beside` shows if it has fewer: 0.70 (+0.07), not 0.7 (+0.07)."""
    text = str(number)
    if isinstance(number, float) and math.isfinite(number) and "e" not in text and (
            len(text.partition(".")[2]) < shown(beside)):
        return f"{number:.{shown(beside)}f}"
    return text


def _neutral(value: Any) -> Any:
    return value if isinstance(value, Markup) or not isinstance(value, str) else one_line(value)


def _environment(html: bool) -> Environment:
    env = Environment(loader=PackageLoader("cxportfolio", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=True) if html else False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=_neutral if html else None)
    env.filters["md"] = md_escape
    # a file name: a line break in it shown as an escape, not folded to a space (another file)
    env.filters["path"] = printable if html else md_path
    env.filters["num"] = figure
    env.filters["effect"] = change
    env.filters["pace"] = lambda s: gap(s.done, s.expected_by_now)  # expected by now and the gap, as track
    env.filters["value"] = _value
    env.filters["short"] = _short
    env.filters["signed"] = lambda x: f"{x:+g}"
    env.filters["plural"] = plural  # 1 error, 2 errors
    env.filters["noun"] = lambda word, n: noun(n, word)
    env.filters["unit"] = lambda unit: unit or UNITLESS  # a ranked initiative's, or "(no unit)"
    env.filters["id_class"] = lambda ident: "id" if len(ident) <= WHOLE_ID else "id long"
    return env


def _context(data: ReportData, with_charts: bool) -> dict[str, Any]:
    t = data.tracking
    context: dict[str, Any] = {
        "d": data, "t": t, "s": t.target, "rows": SUMMARY_ROWS, "n_decisions": SUMMARY_DECISIONS,
        "summary_kpis": data.kpis[:SUMMARY_KPIS], "n_reasons": SUMMARY_REASONS, "charts": {},
        "map_stages": MAP_STAGES,
        "effect_line": effect_line(t),
        # done work in no year's count, as track's headline names it
        "undated": (Markup(undated_note(t, "<code>completed:</code>", lambda i: str(escape(one_line(i)))))
                    if with_charts else undated_note(t, name=md_escape))}
    if with_charts:
        b = data.burn_up
        context["burn_up"] = Markup(charts.burn_up(b.months, b.done, b.target if t.target.target_set else None, b.forecast))
        context["charts"] = {
            k.id: Markup(charts.kpi_trend(k.id, [p for p, _ in k.points], [v for _, v in k.points],
                                          k.target[1] if k.target else None, k.target[0] if k.target else None))
            for k in data.kpis[:SUMMARY_KPIS] if k.points}
    return context


def markdown(data: ReportData) -> str:
    return seal(_environment(False).get_template("report.md.j2").render(**_context(data, with_charts=False)))


def html(data: ReportData) -> str:
    return seal(_environment(True).get_template("report.html.j2").render(**_context(data, with_charts=True)))


REPORT_RENDERERS = {"markdown": markdown, "html": html}
