"""The one-page report: Markdown for wikis and PR comments, self-contained HTML for people.

Jinja2 renders both, with autoescaping in HTML: every piece of portfolio text is escaped,
so a title like `<script>` shows as text. In Markdown every piece of portfolio text goes
through the `md` filter (neutral.md_escape): no HTML, no table breakage, no mentions, issue
references or links. Charts are inline SVG from matplotlib; the page makes no request to
any host.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from cxportfolio.analysis.report_data import ReportData
from cxportfolio.render import charts
from cxportfolio.render.neutral import md_escape


def _environment(autoescape: bool) -> Environment:
    env = Environment(loader=PackageLoader("cxportfolio", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=True) if autoescape else False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["md"] = md_escape
    env.filters["num"] = lambda x, d=1: f"{x:,.{d}f}"
    return env


def _context(data: ReportData, with_charts: bool) -> dict[str, Any]:
    t = data.tracking
    context: dict[str, Any] = {"d": data, "t": t, "s": t.target}
    kpis = []
    for kpi in t.kpis:
        in_period = [(p, v, r) for p, v, r in kpi.measurements if _within(p, data)]
        chart = None
        if with_charts and len(kpi.measurements) >= 2:
            chart = charts.sparkline([p for p, _, _ in kpi.measurements], [v for _, v, _ in kpi.measurements],
                                     [bool(r) for _, _, r in kpi.measurements])
        kpis.append({"trend": kpi, "in_period": in_period, "chart": chart})
    context["kpis"] = kpis
    if with_charts:
        months = [m for m, _ in data.done_by_month_cumulative]
        context["burn_up"] = charts.burn_up(months, [c for _, c in data.done_by_month_cumulative],
                                            t.target.target, data.as_of.month if data.as_of.year == t.target.year
                                            else 12, t.target.forecast)
    return context


def _within(period: str, data: ReportData) -> bool:
    from cxportfolio.analysis.tracking import period_range

    start, end = period_range(period)
    return start <= data.period_end and end >= data.period_start


def markdown(data: ReportData) -> str:
    return _environment(False).get_template("report.md.j2").render(**_context(data, with_charts=False))


def html(data: ReportData) -> str:
    return _environment(True).get_template("report.html.j2").render(**_context(data, with_charts=True))


REPORT_RENDERERS = {"markdown": markdown, "html": html}
