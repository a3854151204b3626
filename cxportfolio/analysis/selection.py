"""`rank --capacity N` / `rank --plan`: the plan with the most impact that fits.

A 0/1 mixed-integer program solved exactly by HiGHS (through SciPy's `milp`): one
binary per open initiative, maximising the total impact subject to

- the overall capacity N, when given (person-weeks);
- each unit's own `capacity`, when it declares one (unless turned off);
- dependencies: an initiative is chosen only with every open initiative it depends on
  (a dependency already done costs nothing);
- duplicates: at most one member of each live CXP201 cluster (they are alternatives;
  a cluster accepted with `allow:` puts no limit);
- work done already is not funded again: an open member of a live CXP201 cluster with
  a done member (CXP201 says to build on the done one);
- blocked work is never chosen: work that depends, directly or not, on an initiative
  that is dropped, unknown, left out of the figures or could not be read, or that repeats
  work done already.

A solver rather than hand-written search, because with dependencies and several
capacities greedy choices have no bound against the optimum. `left_out` says, for each
open initiative not chosen, why in plain words.
"""

from __future__ import annotations

import math
import os
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import field

from cxportfolio.analysis.consolidation import duplicates_unchecked
from cxportfolio.analysis.ranking import RankingModel, Score, refused_fields
from cxportfolio.model.entities import Initiative
from cxportfolio.model.finding import Finding
from cxportfolio.records import record

# A plan is proven optimal well within this on 10,000 candidates (docs/performance.md);
# past it the best plan found so far is used and the output says how far from proven.
TIME_LIMIT_SECONDS = 60.0
# Float sums of efforts: what counts as "fits" (efforts are person-weeks with few decimals).
_SLACK = 1e-6


@record
class Selection:
    selected: frozenset[str]
    effort: float
    impact: float
    capacity: float | None  # the overall cap, if any
    method: str  # "optimal", or "best found" when the time limit stopped the proof
    unit_capacities: dict[str, float] = field(default_factory=dict)  # the units' caps applied
    left_out: dict[str, str] = field(default_factory=dict)  # open initiative → why not chosen
    gap: float = 0.0  # relative distance to the proven bound (0 when optimal)
    # Chosen work whose unit is not known (CXP102) while units' capacities apply: id → its
    # unit as written. No capacity holds it (`unit: cardz` escapes cards' 20 person-weeks),
    # so the plan says so rather than pass it as fitting its unit's.
    unit_not_known: dict[str, str] = field(default_factory=dict)
    # The files that do not parse: while one does, CXP201 reports nothing (the file could
    # hold any text, docs/duplicates.md), so no cluster makes its members alternatives and
    # the plan says so rather than fund duplicated work as if none were found.
    duplicates_unchecked: tuple[str, ...] = ()
    # Chosen work whose unit's `capacity` is refused (CXP002) while units' capacities
    # apply: id → its unit. Its capacity is not known, so none holds the work, as above.
    capacity_refused: dict[str, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        limits = []
        if self.capacity is not None:
            limits.append(f"{self.capacity:g} person-weeks in all")
        if self.unit_capacities:
            limits.append("each unit's own capacity")
        if not limits:  # `--plan` where no unit declares a capacity
            return ("no capacity limits it (no unit declares a `capacity`): it holds the open work that "
                    "can be funded, one member of each duplicate cluster")
        within = " and ".join(limits)
        if self.method == "optimal":
            return (f"no other plan within {within} has more impact (the plan is proven optimal "
                    "by the HiGHS solver)")
        return (f"the best plan found within {within} in {TIME_LIMIT_SECONDS:g} s; no plan can have "
                f"more than {self.gap:.1%} more impact")


def select(model: RankingModel, capacity: float | None, findings: Sequence[Finding] = (),
           unit_capacities: bool = True, never: tuple[dict[str, str], dict[str, str]] | None = None) -> Selection:
    """`never`: `never_funded(model, findings)`, when the caller has it (the table's flags)."""
    portfolio = model.portfolio
    candidates = sorted((model.scores[i.id] for i in portfolio.initiatives if i.is_open),
                        key=lambda s: (-s.priority, s.id))
    repeats, blocked = never or never_funded(model, findings)
    blocked = {**blocked, **repeats}
    free = [s for s in candidates if s.id not in blocked]
    units = {u.id: float(u.capacity) for u in portfolio.units
             if unit_capacities and u.capacity is not None}
    clusters = _alternatives(findings, {s.id for s in free})
    chosen, method, gap = _solve(model, free, capacity, units, clusters)
    picked = [model.scores[i] for i in sorted(chosen)]
    left_out = dict(blocked)
    left_out.update(_reasons(model, free, chosen, capacity, units, clusters))
    unknown = {s.id: s.initiative.unit for s in picked
               if units and s.initiative.unit and not model.whole.unit_known(s.initiative.unit)}
    refused = {s.id: s.initiative.unit for s in picked
               if unit_capacities and s.initiative.unit and model.capacity_refused(s.initiative.unit)}
    return Selection(frozenset(chosen), math.fsum(s.effort for s in picked),
                     math.fsum(s.impact for s in picked), capacity, method, units, left_out, gap, unknown,
                     duplicates_unchecked(portfolio), refused)


def never_funded(model: RankingModel, findings: Sequence[Finding]) -> tuple[dict[str, str], dict[str, str]]:
    """The open work no plan funds, id → why: (that repeating work done already, that
    blocked). The table's `blocked` flag reads the second, so a row and the plan agree."""
    open_ids = {i.id for i in model.portfolio.initiatives if i.is_open}
    status = _written_status(model)
    repeats = _repeating_done_work(findings, open_ids, status)
    return repeats, _blocked(model, open_ids - repeats.keys(), status, repeats)


def _repeating_done_work(findings: Sequence[Finding], open_ids: set[str], status: dict[str, str | None]
                         ) -> dict[str, str]:
    """The one open member of a live duplicate cluster whose other members are done or
    dropped, one of them done: funding it would build again what is built (CXP201 says
    to build on it) → why it is left out. With two open members or more, CXP201 proposes
    merging them (the welfare agency's two pages still planned, beside two built), and
    they are alternatives like any cluster's. `status`: `_written_status`."""
    repeats: dict[str, str] = {}
    for finding in findings:
        if finding.code == "CXP201" and not finding.suppressed:
            done = sorted(e for e in finding.entities if status.get(e) == "done")
            still_open = [e for e in finding.entities if status.get(e) not in ("done", "dropped")]
            if done and len(still_open) == 1 and still_open[0] in open_ids and still_open[0] not in repeats:
                repeats[still_open[0]] = f"repeats work done already: {', '.join(done)} (duplicated work, CXP201)"
    return repeats


def _written_status(model: RankingModel) -> dict[str, str | None]:
    """Each initiative's status as written, whatever else of it is refused (done ADV-007
    with `effort: lots` is done work, left out of the figures); an id defined twice as the
    figures read it (the copy the plan weighs), so a refused done copy does not unblock
    work resting on the open one the plan holds."""
    status = {i.id: i.status for i in model.whole.initiatives}
    status.update((i.id, i.status) for i in model.portfolio.initiatives)
    return status


def _blocked(model: RankingModel, open_ids: set[str], status: dict[str, str | None],
             repeats: dict[str, str] | None = None) -> dict[str, str]:
    """Open work that can never be done: it needs something dropped, unknown, unreadable
    or repeating work done already (`repeats`, not among `open_ids`)."""
    portfolio = model.portfolio
    # done or dropped as written (`status`), whatever else of it is refused: done IT-003 whose
    # effort is refused (left out of the figures) blocks nothing, dropped IT-006 stays dropped
    done = {ident for ident, written in status.items() if written == "done"}
    needs = {ident: [d for d in getattr(portfolio.by_id.get(ident), "depends_on", ()) or () if d not in done]
             for ident in open_ids}
    # Blocked: what needs something neither done nor open, and, through the dependents
    # (breadth-first, each once: linear even when a pull request writes a dense web of
    # dependencies), everything that needs blocked work.
    dependents: dict[str, list[str]] = {}
    for ident, deps in needs.items():
        for dep in deps:
            dependents.setdefault(dep, []).append(ident)
    blocked = {ident for ident, deps in needs.items() if any(d not in open_ids for d in deps)}
    queue = deque(sorted(blocked))
    while queue:
        for dependent in dependents.get(queue.popleft(), ()):
            if dependent not in blocked:
                blocked.add(dependent)
                queue.append(dependent)
    reasons: dict[str, str] = {}
    for ident in sorted(blocked):  # named by its first dependency that blocks it
        dep = next(d for d in needs[ident] if d not in open_ids or (d in blocked and d != ident))
        if dep in open_ids:
            reasons[ident] = f"blocked: depends on {dep}, which is blocked"
        else:
            state = ("dropped" if status.get(dep) == "dropped"
                     else "left out: it repeats work done already" if repeats and dep in repeats
                     else _not_read(model, dep))
            reasons[ident] = f"blocked: depends on {dep}, which is {state}"
    return reasons


def _not_read(model: RankingModel, dep: str) -> str:
    """Why a dependency is not among the work rank reads, in words that are true of it: an
    initiative the files define but the figures leave out is not "not in the portfolio"."""
    found = model.whole.get(dep, Initiative)
    if isinstance(found, Initiative):
        return f"left out of the figures for a refused value ({refused_fields(found)}; {found.origin.file})"
    return model.unseen(dep, Initiative, "initiative")


def _alternatives(findings: Sequence[Finding], free: set[str]) -> list[tuple[str, ...]]:
    """Live duplicate clusters, as the candidates among their members."""
    clusters = set()
    for finding in findings:
        if finding.code == "CXP201" and not finding.suppressed:
            members = tuple(sorted(e for e in finding.entities if e in free))
            if len(members) > 1:
                clusters.add(members)
    return sorted(clusters)


def _solve(model: RankingModel, free: list[Score], capacity: float | None, units: dict[str, float],
           clusters: list[tuple[str, ...]]) -> tuple[set[str], str, float]:
    if not free:
        return set(), "optimal", 0.0
    import numpy as np  # here: `rank` without a plan never loads SciPy
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    column = {s.id: n for n, s in enumerate(free)}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    upper: list[float] = []

    def constraint(terms: list[tuple[int, float]], bound: float) -> None:
        row = len(upper)
        for col, value in terms:
            rows.append(row)
            cols.append(col)
            values.append(value)
        upper.append(bound)

    if capacity is not None:
        constraint([(column[s.id], s.effort) for s in free], capacity + _SLACK)
    by_unit: dict[str, list[tuple[int, float]]] = {}
    for s in free:
        if s.initiative.unit in units:
            by_unit.setdefault(s.initiative.unit, []).append((column[s.id], s.effort))
    for unit, terms in sorted(by_unit.items()):
        constraint(terms, units[unit] + _SLACK)
    for s in free:
        for dep in s.initiative.depends_on:
            if dep in column and dep != s.id:  # x_s ≤ x_dep
                constraint([(column[s.id], 1.0), (column[dep], -1.0)], 0.0)
    for members in clusters:
        constraint([(column[m], 1.0) for m in members], 1.0)
    impact = np.array([s.impact for s in free])
    # Scaled to at most 1: HiGHS reads 1e20 or more as infinite, and bounded weights and
    # volumes can make an impact that large (the best set is the same at any scale).
    impact = impact / impact.max() if impact.max() > 0 else impact
    constraints = []
    if upper:
        matrix = coo_array((values, (rows, cols)), shape=(len(upper), len(free))).tocsr()
        constraints.append(LinearConstraint(matrix, -np.inf, np.array(upper)))
    with _quiet_stdout():
        result = milp(-impact, integrality=np.ones(len(free)), bounds=Bounds(0, 1),
                      constraints=constraints,
                      options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_SECONDS, "disp": False})
    if result.x is None:  # cannot happen (choosing nothing is a plan) unless the solver fails
        raise RuntimeError(f"the plan solver failed: {result.message}")
    chosen = {s.id for s, x in zip(free, result.x) if x > 0.5}
    if result.status == 0:
        return chosen, "optimal", 0.0
    return chosen, "best found", float(getattr(result, "mip_gap", math.nan) or 0.0)


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints some diagnostics from C++ straight to file descriptor 1 even with
    `disp` off; they would corrupt a JSON or CSV table on stdout, so fd 1 points at the
    null device while the solver runs."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _unchosen_dependencies(score: Score, by_id: dict[str, Score], chosen: set[str]) -> list[str]:
    """The open work `score` depends on, directly or through others, that was not chosen:
    funding it means funding them (sorted ids)."""
    found: set[str] = set()
    stack = [d for d in score.initiative.depends_on if d in by_id and d not in chosen]
    while stack:
        ident = stack.pop()
        if ident not in found:
            found.add(ident)
            stack.extend(d for d in by_id[ident].initiative.depends_on if d in by_id and d not in chosen)
    return sorted(found)


def _pulled_effort(score: Score, by_id: dict[str, Score], chosen: set[str]) -> float:
    return math.fsum(by_id[d].effort for d in _unchosen_dependencies(score, by_id, chosen))


def _listed(ids: list[str], most: int = 3) -> str:
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _no_impact(model: RankingModel, score: Score) -> str:
    """Why work adds nothing: it addresses no pain point, or none rank can value as the
    files stand — never "no pain point" for work that names one the figures leave out."""
    left, unknown = model.unvalued(score.initiative)
    said = []
    if left:
        said.append(f"rank cannot value {_listed(list(left))}, which it addresses (a mistake there or in "
                    f"{'its' if len(left) == 1 else 'their'} journey)")
    if unknown:
        said.append(f"{_listed(list(unknown))}, which it addresses, {'is' if len(unknown) == 1 else 'are'} "
                    "not known (CXP102)")
    if said:
        return "adds no impact as the files stand: " + "; ".join(said)
    return "adds no impact (it addresses no pain point)" if not score.pains else "adds no impact (its pain points are worth 0)"


def _reasons(model: RankingModel, free: list[Score], chosen: set[str], capacity: float | None,
             units: dict[str, float], clusters: list[tuple[str, ...]]) -> dict[str, str]:
    """Why each open, unblocked initiative was left out, in the words a steering group uses."""
    effort = {s.id: s.effort for s in free}
    used_total = math.fsum(effort[i] for i in chosen)
    used_by_unit: dict[str, float] = {}
    for s in free:
        if s.id in chosen and s.initiative.unit:
            used_by_unit[s.initiative.unit] = used_by_unit.get(s.initiative.unit, 0.0) + s.effort
    chosen_alternative = {m: c for members in clusters for c in members if c in chosen for m in members}
    by_id = {s.id: s for s in free}
    reasons: dict[str, str] = {}
    for s in free:
        if s.id in chosen:
            continue
        alternative = chosen_alternative.get(s.id)
        if alternative is not None:
            reasons[s.id] = f"an alternative was chosen: {alternative} (duplicated work, CXP201)"
            continue
        unit = s.initiative.unit or ""
        if s.impact <= 0:
            reasons[s.id] = _no_impact(model, s)
        elif unit in units and used_by_unit.get(unit, 0.0) + s.effort > units[unit] + _SLACK:
            left = max(units[unit] - used_by_unit.get(unit, 0.0), 0.0)
            reasons[s.id] = (f"over {unit}'s capacity: needs {s.effort:g} person-weeks, "
                             f"{left:g} of {units[unit]:g} left")
        elif capacity is not None and used_total + s.effort + _pulled_effort(s, by_id, chosen) > capacity + _SLACK:
            # what it depends on and was not chosen comes with it: 2 person-weeks fit, 2 + 36 may not
            pulled = _unchosen_dependencies(s, by_id, chosen)
            also = (f", {s.effort + _pulled_effort(s, by_id, chosen):g} with {_listed(pulled)} it depends on"
                    if pulled else "")
            reasons[s.id] = (f"over the capacity: needs {s.effort:g} person-weeks{also}, "
                             f"{max(capacity - used_total, 0.0):g} of {capacity:g} left")
        else:
            missing = sorted(d for d in s.initiative.depends_on if d in effort and d not in chosen)
            if missing:
                reasons[s.id] = f"needs {', '.join(missing)}, which did not fit with it"
            else:  # cannot happen in an optimal plan: adding it would raise the impact
                reasons[s.id] = "not needed for the most impact"
    return reasons
