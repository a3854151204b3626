"""`rank --capacity N`: the set of open initiatives with the most impact that fits N.

A selected initiative brings its open dependencies with it (a dependency already done
needs nothing). Without dependencies among the candidates, and with efforts that are
whole tenths of a person-week, the choice is an exact 0/1 knapsack solved by dynamic
programming. Otherwise it is greedy over dependency bundles (an initiative plus its
open dependencies, by impact per effort), which respects the budget and dependencies but
has no worst-case bound; the result says which was used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from cxportfolio.analysis.ranking import RankingModel, Score

_DP_CELLS = 20_000_000  # capacity steps × candidates the exact method may use


@dataclass(frozen=True)
class Selection:
    selected: frozenset[str]
    effort: float
    impact: float
    capacity: float
    method: str  # "exact" or "greedy"

    @property
    def description(self) -> str:
        if self.method == "exact":
            return "exact (0/1 knapsack by dynamic programming)"
        return ("approximation (greedy over dependency bundles by impact per effort; "
                "no worst-case bound)")


def select(model: RankingModel, capacity: float) -> Selection:
    portfolio = model.portfolio
    candidates = [model.scores[i.id] for i in portfolio.initiatives if i.is_open]
    open_ids = {s.id for s in candidates}
    graph = portfolio.dependency_graph
    has_deps = any(dep in open_ids for s in candidates for dep in graph.successors(s.id))
    if not has_deps and _exact_possible(candidates, capacity):
        chosen = _knapsack(candidates, capacity)
        method = "exact"
    else:
        chosen = _greedy(candidates, capacity, graph, open_ids)
        method = "greedy"
    picked = [model.scores[i] for i in chosen]
    return Selection(frozenset(chosen), math.fsum(s.effort for s in picked),
                     math.fsum(s.impact for s in picked), capacity, method)


def _tenths(x: float) -> int | None:
    scaled = round(x * 10)
    return scaled if abs(scaled - x * 10) < 1e-9 else None


def _exact_possible(candidates: list[Score], capacity: float) -> bool:
    weights = [_tenths(s.effort) for s in candidates]
    return None not in weights and (int(capacity * 10) + 1) * max(len(candidates), 1) <= _DP_CELLS


def _knapsack(candidates: list[Score], capacity: float) -> set[str]:
    """Classic DP; candidates in (priority, id) order so ties resolve deterministically."""
    items = sorted(candidates, key=lambda s: (-s.priority, s.id))
    cap = int(math.floor(capacity * 10 + 1e-9))
    best = [0.0] * (cap + 1)
    keep: list[bytearray] = []
    for score in items:
        w = _tenths(score.effort) or 0
        row = bytearray(cap + 1)
        for c in range(cap, w - 1, -1):
            candidate = best[c - w] + score.impact
            if candidate > best[c] + 1e-12:
                best[c] = candidate
                row[c] = 1
        keep.append(row)
    chosen: set[str] = set()
    c = cap
    for score, row in zip(reversed(items), reversed(keep)):
        if row[c]:
            chosen.add(score.id)
            c -= _tenths(score.effort) or 0
    return chosen


def _greedy(candidates: list[Score], capacity: float, graph: nx.DiGraph, open_ids: set[str]) -> set[str]:
    by_id = {s.id: s for s in candidates}
    chosen: set[str] = set()
    used = 0.0
    while True:
        best: tuple[float, str, set[str], float] | None = None
        for score in candidates:
            if score.id in chosen:
                continue
            bundle = {score.id} | {d for d in nx.descendants(graph, score.id) if d in open_ids}
            bundle -= chosen
            if any(d not in by_id for d in bundle):
                continue
            effort = math.fsum(by_id[d].effort for d in bundle)
            if used + effort > capacity + 1e-9:
                continue
            density = math.fsum(by_id[d].impact for d in bundle) / effort
            key = (density, score.id)
            if best is None or (key[0] > best[0] or (key[0] == best[0] and key[1] < best[1])):
                best = (density, score.id, bundle, effort)
        if best is None:
            return chosen
        chosen |= best[2]
        used += best[3]
