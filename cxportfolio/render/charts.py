"""Charts for the report, drawn by matplotlib as self-contained, deterministic SVG.

Each chart is drawn at the size it is printed (the template gives it no other width), so
its 7-point labels print at 7 points; the layout engine keeps every label inside the figure.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Sequence

_READY = False
LABEL_PT = 7  # tick and note labels: the smallest size readable on A4
BURN_UP_SIZE = (4.1, 1.4)  # inches: the right part of the first page's target row
SPARK_SIZE = (2.15, 0.75)  # inches: one of three KPI cards across the first page
MAX_TICKS = 6


def _pyplot():  # type: ignore[no-untyped-def]
    """Import matplotlib lazily (it costs a second) and make its SVG reproducible."""
    global _READY
    import logging

    # With $HOME unwritable (a CI runner's), matplotlib keeps its font cache in a temporary
    # folder and says so in two log lines on stderr, around the report's own one-line
    # messages: quiet while it loads, the level restored (no process-wide change). Its
    # default cache under $HOME is kept where it can be written: a private folder per run
    # would rebuild the font list for every report (0.3–0.8 s).
    log = logging.getLogger("matplotlib")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    finally:
        log.setLevel(level)

    if not _READY:
        matplotlib.rcParams.update({"svg.hashsalt": "cxportfolio", "svg.fonttype": "path",
                                    "font.size": LABEL_PT, "axes.spines.top": False, "axes.spines.right": False,
                                    "xtick.labelsize": LABEL_PT, "ytick.labelsize": LABEL_PT,
                                    "legend.fontsize": LABEL_PT, "axes.labelsize": LABEL_PT})
        _READY = True
    return plt


def _svg(fig) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    _pyplot().close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # inline: no XML declaration or DOCTYPE


def burn_up(months: Sequence[str], done: Sequence[int], target: int | None, forecast: float) -> str:
    """Done by month (only months up to the state date) against the even pace to the
    target (None: no target, no pace); the forecast to year end is a dotted projection,
    labelled as one."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=BURN_UP_SIZE, layout="constrained")
    x = list(range(1, len(months) + 1))
    if target is not None:
        ax.plot([0, *x], [target * m / len(months) for m in [0, *x]], linestyle="--", color="#888888",
                linewidth=1, label="even pace")
    if done:
        ax.plot([0, *x[:len(done)]], [0, *done], marker="o", markersize=3, color="#1f6f8b", label="done")
    last = (len(done), done[-1] if done else 0)
    if last[0] < len(months):
        ax.plot([last[0], len(months)], [last[1], forecast], linestyle=":", color="#d9822b", marker="s",
                markersize=3, markevery=[1], label=f"forecast {forecast:.1f}")
    if target is not None:
        ax.axhline(target, color="#2e7d32", linewidth=0.8, gid="burn-up-target")
        ax.annotate(f"target {target}", (0.2, target), xytext=(0, 2), textcoords="offset points",
                    color="#2e7d32", va="bottom")
    ax.set_xlim(0, len(months) + 0.3)
    ax.set_ylim(0, max(target or 0, forecast, *(done or [0])) * 1.18 + 1)
    ax.set_xticks(x, [calendar.month_abbr[int(m[-2:])][:1] if len(m) == 7 else m for m in months])
    ax.set_ylabel("improvements done")
    # Beside the plot, never over a line whatever the figures.
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, handlelength=1.5)
    return _svg(fig)


def kpi_trend(kpi_id: str, periods: Sequence[str], values: Sequence[float], target: float | None,
              target_period: str | None) -> str:
    """A KPI's measurements up to the state date, with its target as a line (SVG id
    `target-<kpi id>`: a KPI id is letters, digits and `_.-` only)."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=SPARK_SIZE, layout="constrained")
    x = list(range(len(values)))
    ax.plot(x, values, color="#1f6f8b", linewidth=1.4, marker="o", markersize=2.5)
    low, high = min(values), max(values)
    if target is not None:
        ax.axhline(target, color="#2e7d32", linewidth=0.9, linestyle="--", gid=f"target-{kpi_id}")
        ax.annotate(f"target {target:g}" + (f" ({target_period})" if target_period else ""), (0, target),
                    xytext=(0, 1.5), textcoords="offset points", color="#2e7d32", va="bottom")
        low, high = min(low, target), max(high, target)
    span = (high - low) or abs(high) or 1.0
    ax.set_ylim(low - 0.15 * span, high + 0.45 * span)  # room above for the target's label
    ax.set_xlim(-0.3, max(len(values) - 0.7, 0.3))
    step = -(-len(x) // MAX_TICKS)  # at most MAX_TICKS labels, always the latest
    ticks = x[::-1][::step][::-1]
    ax.set_xticks(ticks, [_short(periods[i]) for i in ticks])
    ax.yaxis.set_major_locator(MaxNLocator(3))
    return _svg(fig)


def _short(period: str) -> str:
    """2024 · Q3'26 · Mar'26 · 03-14: what fits under a small chart."""
    if len(period) == 4:
        return period
    if period[5] == "Q":
        return f"{period[5:7]}'{period[2:4]}"
    if len(period) == 7:
        return f"{calendar.month_abbr[int(period[5:7])]}'{period[2:4]}"
    return period[5:]
