"""Charts for the report, drawn by matplotlib as self-contained, deterministic SVG."""

from __future__ import annotations

import io
from collections.abc import Sequence

_READY = False


def _pyplot():  # type: ignore[no-untyped-def]
    """Import matplotlib lazily (it costs a second) and make its SVG reproducible."""
    global _READY
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not _READY:
        matplotlib.rcParams.update({"svg.hashsalt": "cxportfolio", "svg.fonttype": "path",
                                    "font.size": 9, "axes.spines.top": False, "axes.spines.right": False})
        _READY = True
    return plt


def _svg(fig) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    _pyplot().close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # inline: no XML declaration or DOCTYPE


def burn_up(months: Sequence[str], cumulative: Sequence[int], target: int, as_of_month: int,
            forecast: float) -> str:
    """Done by month against the even pace to the target and the forecast to year end."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    x = list(range(1, len(months) + 1))
    shown = max(1, min(as_of_month, len(months)))
    ax.plot(x, [target * m / len(months) for m in x], linestyle="--", color="#888888", label="even pace")
    ax.plot(x[:shown], list(cumulative)[:shown], marker="o", color="#1f6f8b", label="done")
    ax.plot([shown, len(months)], [list(cumulative)[shown - 1], forecast], linestyle=":", color="#d9822b",
            marker="s", label="forecast")
    ax.axhline(target, color="#2e7d32", linewidth=0.8)
    ax.set_xticks(x, [m[-2:] for m in months])
    ax.set_xlabel("month")
    ax.set_ylabel("improvements")
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return _svg(fig)


def sparkline(periods: Sequence[str], values: Sequence[float], marked: Sequence[bool]) -> str:
    """A KPI's measurements; periods with reasons are marked."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(2.6, 0.9))
    x = list(range(len(values)))
    ax.plot(x, values, color="#1f6f8b", linewidth=1.5)
    ax.scatter([i for i in x if marked[i]], [v for i, v in zip(x, values) if marked[i]], color="#d9822b", zorder=3,
               s=14)
    ax.set_xticks(x, [p[2:] for p in periods], fontsize=6)
    ax.tick_params(axis="y", labelsize=6)
    fig.tight_layout(pad=0.2)
    return _svg(fig)
