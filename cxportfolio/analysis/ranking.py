"""Whole-journey impact: what each initiative is worth, term by term (docs/ranking.md).

    customers_at_stage(p) = volume(J) × Π completion of the stages before p's stage
    value(p)    = customers_at_stage × reach × (severity_weight + downstream_weight × (1 − c_s) × tail_s)
    share(i, p) = value(p) × max_j w_j × w_i / Σ_j w_j     (j: initiatives not dropped addressing p)
    impact(i)   = Σ_p share(i, p)
    priority(i) = impact(i) / max(effort(i), effort_floor)

where c_s is the completion of p's stage and tail_s the product of the completions after
it (the share of those getting through who reach the journey's end). A pain point is worth
value(p) × the best outcome weight among the work addressing it, handed out in proportion
to each initiative's weight: a duplicate adds nothing to the total, it splits it. w_i, the
outcome weight, is the best (KPI weight × confidence) over i's effects that move a KPI its better way, and
at least `unlinked_weight` (what an initiative stating no effect weighs); a KPI's weight is its kind's weight, raised to
`driver_factor` × the weight of the best KPI it drives (employee experience drives
customer experience; an operational KPI no higher than experience). Every number is absolute, never normalised across the portfolio,
so adding an initiative changes only the scores of initiatives sharing a pain point.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection
from functools import cached_property

import networkx as nx

from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, PainPoint, Unit
from cxportfolio.model.portfolio import Portfolio, Unread
from cxportfolio.model.scoring import Scoring
from cxportfolio.model.types import id_form
from cxportfolio.model.validate import a_label
from cxportfolio.records import record

# What is said of a name a mistake may define unseen (`Portfolio.may_define`: an item refused,
# values lost, an id refused or taken by another definition), by the plan and by --explain:
# check has a finding for each such mistake, so it says where, whichever it was.
MAY_DEFINE_UNSEEN = "a mistake may define it unseen (`cxportfolio check` says where)"
# What rank never reads (Portfolio.for_figures): an entity with only these refused is ranked
# and weighed as written — a KPI's refused baseline moves no score, a journey's refused
# description (or a stage's name: `stages.name`, the stage kept) no pain point's value.
RANK_UNREAD: Unread = {
    Initiative: frozenset({"description", "planned", "completed", "decided", "realized", "tags", "allow"}),
    PainPoint: frozenset({"title", "description", "evidence", "allow"}),
    Journey: frozenset({"name", "description", "owner", "stages.name", "allow"}),
    Kpi: frozenset({"name", "description", "unit", "journey", "owner", "baseline", "target", "measurements",
                    "tradeoffs", "allow"}),
    Unit: frozenset({"name", "description", "goals", "allow"}),
}
# What rank shows beside its figures that none of them reads: a journey's name and owner,
# in `rank --by journey`, as written, absent where refused (an error its note counts). A
# refused `owner: [x]` or `name:` left empty values no pain point less: the journey stays.
RANK_SHOWN: Unread = {Journey: frozenset({"name", "owner"})}
# What rank reads nowhere: neither its figures nor what it shows beside them.
RANK_NOWHERE: Unread = {kind: keys - RANK_SHOWN.get(kind, frozenset()) for kind, keys in RANK_UNREAD.items()}
# What sharing a pain point reads of an initiative: what it addresses, whether it is
# dropped, its effects (its weight). One whose effort is refused is not ranked, but it still
# shares its pain points: the others' shares stay what they are (rank, property 9).
_SHARING_UNREAD: Unread = {**RANK_UNREAD, Initiative: frozenset(
    Initiative.model_fields.keys() - {"id", "addresses", "status", "effects"})}
# What sharing reads that a refusal leaves unknown. An initiative with one of these refused
# still shares with what is known of it (a refused status counts it as live work, a refused
# effect or `addresses` item is left out); the shares of the others on a pain point it may
# address rest on the refused value, and their rows say so (`rests-on-refused`): never a
# figure that silently jumps because a sharer dropped out (docs/ranking.md).
_SHARING_UNSURE = frozenset({"status", "effects", "addresses"})
_SHARING_KEPT: Unread = {**_SHARING_UNREAD, Initiative: _SHARING_UNREAD[Initiative] | _SHARING_UNSURE}
MAX_RESTING = 20  # such work named per row, at most (the first by id)


@record
class PainValue:
    """One pain point's value and every term behind it."""

    pain_id: str
    journey_id: str
    stage_id: str
    volume: float
    upstream_completion: float
    customers_at_stage: float
    reach: float
    severity: int
    severity_weight: float
    stage_completion: float
    tail_completion: float
    downstream: float
    value: float
    downstream_weight: float  # scoring's, the term's first factor: `rank --explain` shows it


@record
class PainShare:
    """What one pain point gives one initiative: its value, split among the work on it."""

    pain: PainValue
    sharers: int
    weight: float  # this initiative's outcome weight
    weight_sum: float  # Σ outcome weights of all sharers
    best_weight: float  # the best outcome weight among the sharers

    @property
    def share(self) -> float:
        return self.pain.value * self.best_weight * self.weight / self.weight_sum


@record
class EffectTerm:
    kpi_id: str
    kind: str
    kpi_weight: float
    confidence: float
    counted: bool  # moves the KPI its better way

    @property
    def weight(self) -> float:
        return self.kpi_weight * self.confidence if self.counted else 0.0


@record
class Score:
    initiative: Initiative
    pains: tuple[PainShare, ...]
    effects: tuple[EffectTerm, ...]
    outcome_weight: float
    effort: float
    effort_note: str | None
    # the other initiatives whose refused status, effect or `addresses` a share rests on:
    # the first MAX_RESTING by id, and whether there are more
    resting_on: tuple[str, ...] = ()
    resting_more: bool = False
    # the KPIs its own effects are on that rank cannot weigh (left out for a refused value,
    # misspelt, or driving one of those): its own weight, and so its shares, are not known
    unweighed: tuple[str, ...] = ()
    # the pain points it addresses that rank cannot value (misspelt, CXP102, or left out for
    # a mistake there or in its journey): its share of them is not known either
    unvalued: tuple[str, ...] = ()
    # those of `resting_on` that are ids defined twice (CXP101): the definition rank does
    # not read shares their pain points unseen
    twice: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.initiative.id

    @property
    def impact(self) -> float:
        return math.fsum(p.share for p in self.pains)

    @property
    def priority(self) -> float:
        return self.impact / self.effort

    @property
    def rests_on_refused(self) -> bool:
        """Whether the figure is not final until a mistake is corrected (`rests-on-refused`)."""
        return bool(self.resting_on or self.unweighed or self.unvalued)

    @property
    def journeys(self) -> tuple[str, ...]:
        return tuple(sorted({p.pain.journey_id for p in self.pains}))


class RankingModel:
    """Scores of every initiative of one portfolio under one set of weights."""

    def __init__(self, portfolio: Portfolio, scoring: Scoring | None = None) -> None:
        self.portfolio = portfolio.for_figures(RANK_UNREAD)  # a score needs every value it reads
        self._sharers = portfolio.for_figures(_SHARING_KEPT)
        # the whole portfolio, mistakes included: what a name may mean (a unit, a pain point
        # `addresses` names, CXP102) is told against it, never against the figures alone
        self.whole = portfolio
        self.scoring = scoring or (portfolio.config.scoring if portfolio.config else Scoring())

    @cached_property
    def pain_values(self) -> dict[str, PainValue]:
        values: dict[str, PainValue] = {}
        # each journey's, read once (the journey is kept: its id() is the key)
        stages: dict[int, tuple[Journey, dict[str, int], tuple[list[float], list[float], list[float]]]] = {}
        for pain in self.portfolio.pain_points:
            journey = self.portfolio.get(pain.journey, Journey)
            if isinstance(journey, Journey):
                if id(journey) not in stages:
                    stages[id(journey)] = (journey, journey.stage_places(), _products(journey))
                value = self._pain_value(pain, journey, *stages[id(journey)][1:])
                if value is not None:
                    values[pain.id] = value
        return values

    def _pain_value(self, pain: PainPoint, journey: Journey, index: dict[str, int],
                    products: tuple[list[float], list[float], list[float]]) -> PainValue | None:
        """`index`: the journey's stages by id (`Journey.stage_places`); `products`: their
        completions in order, and the products before and after each (`_products`)."""
        k = index.get(pain.stage) if pain.stage is not None else None
        if k is None:
            return None
        completions, before, after = products
        upstream, tail = before[k], after[k]
        volume = journey.volume or 0.0
        customers = volume * upstream
        severity_weight = self.scoring.severity_weights[pain.severity - 1]
        downstream = self.scoring.downstream_weight * (1 - completions[k]) * tail
        value = customers * pain.reach * (severity_weight + downstream)
        return PainValue(pain.id, journey.id, pain.stage, volume, upstream, customers, pain.reach,
                         pain.severity, severity_weight, completions[k], tail, downstream, value,
                         self.scoring.downstream_weight)

    @cached_property
    def kpi_weights(self) -> dict[str, float]:
        """Kind weight, raised through the driver graph (drivers first, so one pass). An
        operational KPI is raised to the experience weight at most: driving an outcome does
        not make activity count more than experience (docs/ranking.md, property 4; CXP402 still
        calls work on it activity only). An employee KPI is raised without that bound:
        employee experience drives customer experience."""
        kinds = self.scoring.kind_weights
        base = {k.id: getattr(kinds, k.type) for k in self.portfolio.kpis}
        ceiling = {k.id: kinds.experience for k in self.portfolio.kpis if k.type == "operational"}
        graph = self.portfolio.driver_graph
        if not nx.is_directed_acyclic_graph(graph):
            return base  # CXP106 reports the cycle; weights fall back to kinds alone
        weights = dict(base)
        for kpi_id in reversed(list(nx.topological_sort(graph))):
            driven = [weights[t] for t in graph.successors(kpi_id)]
            if driven:
                raised = self.scoring.driver_factor * max(driven)
                weights[kpi_id] = max(base[kpi_id], min(raised, ceiling.get(kpi_id, raised)))
        return weights

    @cached_property
    def scores(self) -> dict[str, Score]:
        return {i.id: self.score(i) for i in self.portfolio.initiatives}

    @cached_property
    def _linkage(self) -> dict[str, tuple[tuple[EffectTerm, ...], float]]:
        return {i.id: self._effects(i) for i in self._sharers.initiatives}

    @cached_property
    def _sharing(self) -> dict[str, tuple[int, float, float]]:
        """Pain point id → (sharers, Σ weights, best weight) over the work addressing it
        (an initiative left unranked for a refused effort among them)."""
        sharing = {}
        for pain_id, initiatives in self._sharers.addressing.items():
            weights = [self._linkage[i.id][1] for i in initiatives]
            sharing[pain_id] = (len(weights), math.fsum(weights), max(weights))
        return sharing

    @property
    def addressing(self) -> dict[str, list[Initiative]]:
        """Pain point id → the work (not dropped) addressing it, as sharing reads it: an
        initiative left unranked for a refused effort or effect still addresses its pain
        points (`Portfolio.addressing`)."""
        return self._sharers.addressing

    @cached_property
    def _unweighable(self) -> set[str]:
        """The KPIs rank weighs whose weight is not known: each drives, directly or through
        others, a KPI rank cannot weigh (left out for a refused value, or misspelt in
        `drives:`, CXP102), which may have raised it (`kpi_weights`). An effect on one
        leaves its initiative's weight unknown (`_unsure`)."""
        drivers: dict[str, list[str]] = {}
        unsure = set()
        for kpi in self.portfolio.kpis:
            for target in kpi.drives:
                if isinstance(self.portfolio.get(target, Kpi), Kpi):
                    drivers.setdefault(target, []).append(kpi.id)
                else:
                    unsure.add(kpi.id)
        reached = list(unsure)
        while reached:  # each KPI once: the drivers of an unknown weight are unknown too
            for driver in drivers.get(reached.pop(), ()):
                if driver not in unsure:
                    unsure.add(driver)
                    reached.append(driver)
        return unsure

    def unvalued(self, initiative: Initiative) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The pain points `initiative` addresses that have no value here: those the
        portfolio may define (left out for a refused value, on a journey or stage not
        known, or in a file that does not parse), and those it does not (CXP102)."""
        missing = self.scores[initiative.id].unvalued
        return (tuple(p for p in missing if self.whole.may_define(p, PainPoint)),
                tuple(p for p in missing if not self.whole.may_define(p, PainPoint)))

    def why_unvalued(self, pain_id: str) -> str:
        """Why rank has no value for `pain_id`, which work addresses, as the files stand:
        the pain point or its journey left out for a refused value (the journey is known:
        "no known journey" would send the reader hunting a typo), a name that is no pain
        point, journey or stage of it (CXP102), or one a mistake may define unseen."""
        pain = self.whole.get(pain_id, PainPoint)
        if not isinstance(pain, PainPoint):
            return self.unseen(pain_id, PainPoint, "pain point")
        if self.portfolio.get(pain_id, PainPoint) is None:
            return f"left out for a refused value in it ({refused_fields(pain)}; {pain.origin.file})"
        if not pain.journey or not pain.stage:  # required: refused, and left out above, unless a plugin builds it
            return "it names no journey and stage"
        journey = self.whole.get(pain.journey, Journey)
        if not isinstance(journey, Journey):
            return f"its journey {pain.journey} is {self.unseen(pain.journey, Journey, 'journey')}"
        if self.portfolio.get(journey.id, Journey) is None:
            return f"its journey {journey.id} is left out for a refused value in it ({refused_fields(journey)}; {journey.origin.file})"
        return f"its stage {pain.stage} is not a stage of journey {journey.id} (CXP103)"

    def unseen(self, name: str, kind: type[Entity], label: str) -> str:
        """Of a name no definition of `kind` has: what may define it, or that none does
        (`--explain`'s pain points and journeys, the plan's dependencies)."""
        if self.whole.unreadable:
            files = ", ".join(self.whole.unreadable)
            return f"not in the files read: {files} cannot be read and may define it"
        if self.whole.may_define(name, kind):
            return f"not among the {label}s read: {MAY_DEFINE_UNSEEN}"
        return f"not {a_label(label)} of the portfolio (CXP102)"

    def capacity_refused(self, unit: str) -> bool:
        """Whether `unit`'s `capacity` was written and refused (CXP002: `capacity: lots`):
        a plan cannot hold its work to it, as it can one the unit declares or leaves out."""
        found = self.whole.get(unit, Unit)
        return found is not None and "capacity" in found.invalid_fields

    def _weighable(self, kpi_id: str) -> bool:
        """Whether rank knows the weight of an effect on `kpi_id` (`_unweighable`)."""
        return isinstance(self.portfolio.get(kpi_id, Kpi), Kpi) and kpi_id not in self._unweighable

    @cached_property
    def _unsure(self) -> tuple[dict[str, list[str]], list[str]]:
        """Which sharers a pain point's sharing rests on, where rank cannot weigh them
        for sure: by pain point, and those that may be on any pain point.

        A sharer is unsure when its status, an effect or its `addresses` was refused, or
        when an effect names no KPI rank weighs. It is unsure on the pain points it
        addresses, on those its refused `addresses` mentions (if it mentions none, it may
        be on any), and on those an `addresses` item naming no pain point may mean
        (`Portfolio.pains_meant_by`, as CXP502 reads a misspelt link). Each list holds
        the first MAX_RESTING + 1 by id only: a row names a few, and thousands of
        refusals on one pain point must not make each of its rows list thousands
        (bounded work, SECURITY.md)."""
        by_pain: dict[str, set[str]] = {}
        anywhere: set[str] = set()
        for initiative in self._sharers.initiatives:
            refused = initiative.invalid_fields & _SHARING_UNSURE
            if not refused and any(not self._weighable(e.kpi) for e in initiative.effects):
                # an effect on no KPI rank weighs (a misspelt one, CXP102, or one left out for a
                # refused value), or on one whose weight rests on such a KPI it drives, leaves
                # the sharer's weight as unknown as a refused effect does
                refused = {"effects"}
            if initiative.status == "dropped":
                continue
            # an `addresses` item naming no pain point (misspelt, CXP102) may mean those most
            # alike it, as CXP502 reads it: their sharing rests on the link (no flag on every
            # row for one typo: a link alike nothing rests nothing)
            pains = self.whole.pains_meant_by(initiative)
            if refused:
                pains |= set(initiative.addresses)
            if "addresses" in refused:
                named = self._named_by_refused(initiative)
                if not named:
                    anywhere.add(initiative.id)
                pains |= named
            for pain_id in pains:
                by_pain.setdefault(pain_id, set()).add(initiative.id)
        for pain_id, ident in self._hidden_sharing:
            by_pain.setdefault(pain_id, set()).add(ident)
        return ({pain_id: heapq.nsmallest(MAX_RESTING + 1, ids) for pain_id, ids in by_pain.items()},
                heapq.nsmallest(MAX_RESTING + 1, anywhere))

    @cached_property
    def _twice(self) -> frozenset[str]:
        return frozenset(ident for _, ident in self._hidden_sharing)

    @cached_property
    def _hidden_sharing(self) -> list[tuple[str, str]]:
        """(pain point, id) for each pain point a definition rank does not read addresses:
        an id defined twice (CXP101) is read as one definition, and the other, still work
        (docs/format.md), shares nothing. Their sharing rests on which one is meant: a sharer
        dropped out, never a figure that silently jumps (KS-002 renamed DAG-003 by mistake
        raised DIG-001 and SYK-001 unmarked)."""
        return [(pain_id, e.id) for e in self._sharers.entities
                if isinstance(e, Initiative) and e.status != "dropped" and self._sharers.get(e.id, Initiative) is not e
                for pain_id in dict.fromkeys(e.addresses)]

    def unsure_addressed(self, committed: Collection[str]) -> tuple[frozenset[str], bool]:
        """The pain points work of a `committed` status may address by a refused status or
        `addresses`, or an `addresses` item naming no pain point (what `rank --by journey`
        reads of it; not its effects), and whether
        such work may be on any: its refused `addresses` mentions no pain point. Such a
        pain point counted open rests on the refused value (`rests-on-refused`)."""
        pains: set[str] = set()
        anywhere = False
        for initiative in self._sharers.initiatives:
            refused = initiative.invalid_fields & {"status", "addresses"}
            if "status" in refused or initiative.status in committed:
                pains.update(self.whole.pains_meant_by(initiative))  # a misspelt link (CXP102), as in `_unsure`
            if not refused or ("status" not in refused and initiative.status not in committed):
                continue
            pains.update(initiative.addresses)
            if "addresses" in refused:
                named = self._named_by_refused(initiative)
                anywhere = anywhere or not named
                pains |= named
        return frozenset(pains), anywhere

    @cached_property
    def _pains_by_form(self) -> dict[str, list[str]]:
        """Pain point ids by `id_form`, made only when an `addresses` is refused."""
        by_form: dict[str, list[str]] = {}
        for pain_id in self.pain_values:
            by_form.setdefault(id_form(pain_id), []).append(pain_id)
        return by_form

    def _named_by_refused(self, initiative: Initiative) -> set[str]:
        """The pain points a refused `addresses` may have named: those its value mentions."""
        by_form = self._pains_by_form
        return {p for form in initiative.mentions for p in by_form.get(form, ())}

    def score(self, initiative: Initiative) -> Score:
        effects, weight = self._linkage[initiative.id]
        # A dropped initiative is not among the sharers; it is scored as if it joined them.
        joining = initiative.status == "dropped"
        pains = []
        for pain_id in dict.fromkeys(initiative.addresses):
            if pain_id not in self.pain_values:
                continue
            count, total, best = self._sharing.get(pain_id, (0, 0.0, 0.0))
            if joining or not count:
                count, total, best = count + 1, total + weight, max(best, weight)
            pains.append(PainShare(self.pain_values[pain_id], count, weight, total, best))
        effort, note = self._effort(initiative)
        by_pain, anywhere = self._unsure
        resting = set(anywhere if pains else ()).union(*(by_pain.get(p.pain.pain_id, ()) for p in pains))
        resting.discard(initiative.id)
        first = sorted(resting)  # each list keeps MAX_RESTING + 1: self aside, the first MAX_RESTING are right
        # its own effect on a KPI rank cannot weigh leaves its weight unknown, as it leaves
        # the others' on its pain points (`_unsure`): its row must not move unmarked either
        unweighed = tuple(dict.fromkeys(e.kpi for e in initiative.effects if not self._weighable(e.kpi))) if pains else ()
        # nor must a row whose own pain point went out of reach (its journey misspelt) drop unmarked
        unvalued = tuple(p for p in dict.fromkeys(initiative.addresses) if p not in self.pain_values)
        shown = tuple(first[:MAX_RESTING])
        twice = tuple(i for i in shown if i in self._twice) if self._twice else ()
        return Score(initiative, tuple(pains), effects, weight, effort, note, shown,
                     len(first) > MAX_RESTING, unweighed, unvalued, twice)

    def _effects(self, initiative: Initiative) -> tuple[tuple[EffectTerm, ...], float]:
        effects = []
        for effect in initiative.effects:
            kpi = self.portfolio.get(effect.kpi, Kpi)
            if isinstance(kpi, Kpi):
                better = effect.change > 0 if kpi.direction == "increase" else effect.change < 0
                effects.append(EffectTerm(kpi.id, kpi.type, self.kpi_weights[kpi.id],
                                          effect.confidence, better))
        best = max((e.weight for e in effects if e.counted), default=0.0)
        # never below stating no effect at all: an honest effect of low confidence on an
        # operational KPI (0.35 × 0.5) must not rank below silence (effect over activity)
        return tuple(effects), max(best, self.scoring.unlinked_weight)

    def _effort(self, initiative: Initiative) -> tuple[float, str | None]:
        floor = self.scoring.effort_floor
        if initiative.effort is None:
            return max(self.scoring.missing_effort, floor), "no effort stated: scoring.missing_effort used"
        if initiative.effort < floor:
            return floor, f"effort below scoring.effort_floor ({floor:g}) counts as {floor:g}"
        return initiative.effort, None

    def ranked(self, initiatives: list[Initiative] | None = None) -> list[Score]:
        """Highest priority first; ties broken by id, so the order is total and stable."""
        pool = initiatives if initiatives is not None else self.portfolio.initiatives
        # Initiatives missing a required value have no score (see Portfolio.analysable).
        return sorted((self.scores[i.id] for i in pool if i.id in self.scores), key=lambda s: (-s.priority, s.id))

    def total_impact(self) -> float:
        return math.fsum(s.impact for s in self.scores.values())


def refused_fields(entity: Entity) -> str:
    """The fields of `entity` refused, as a reader finds them in the file: "its stages"."""
    return "its " + ", ".join(sorted(entity.invalid_fields)) if entity.invalid_fields else "a value"


def _products(journey: Journey) -> tuple[list[float], list[float], list[float]]:
    """The completions, and for each stage the product of those before it (from the
    first: `Journey.reaching`) and of those after it (from the last): each stage's in
    linear work for the whole journey, not a product of the journey per pain point (a
    journey of thousands of stages, a pain point on each, made ranking quadratic)."""
    completions = [s.completion for s in journey.stages]
    after: list[float] = [1]  # as math.prod of nothing: JSON's `1`, not `1.0`
    for completion in reversed(completions[1:]):
        after.append(completion * after[-1])
    return completions, journey.reaching(), after[::-1]

