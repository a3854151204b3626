"""CXP201–CXP203: the same work or the same measure, done twice by different units.

How duplicates are found without comparing all pairs: initiatives are compared only
within a *block* of initiatives that address the same pain point (a structural link is
required, so pairs sharing nothing are never flagged), and within a block by rapidfuzz's
vectorised C++ similarity matrix. Titles are normalised (case, accents kept, punctuation
removed) so Norwegian and Danish compounds compare by their characters. See
docs/duplicates.md for what this misses.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence

import networkx as nx
from pydantic import Field
from rapidfuzz import fuzz, process

from cxportfolio.model.entities import Kpi
from cxportfolio.model.finding import Severity
from cxportfolio.rules.base import Anchor, Hit, RuleContext, RuleOptions, rule

_WORD = re.compile(r"[^\w]+")


def normalize(text: str) -> str:
    """Lower case, NFKC, punctuation to spaces: 'Pensjons-kalkulator!' → 'pensjons kalkulator'."""
    return " ".join(_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def similar_pairs(texts: Sequence[str], cutoff: float) -> Iterator[tuple[int, int, float]]:
    """(i, j, score 0–1) for i < j whose texts are at least `cutoff` alike.

    token_set_ratio forgives word order and a title that extends another ("Pension
    calculator" / "Pension calculator in the online bank"); it works on characters, so
    compounds ("pensjonskalkulator") still match their parts.
    """
    if len(texts) < 2:
        return
    matrix = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=cutoff * 100,
                           dtype=None, workers=1)
    for i in range(len(texts)):
        row = matrix[i]
        for j in range(i + 1, len(texts)):
            if row[j]:
                yield i, j, float(row[j]) / 100


class DuplicateInitiativeOptions(RuleOptions):
    similarity: float = Field(
        default=0.7, ge=0, le=1,
        description="how alike two titles must be (0–1, rapidfuzz token-set ratio) to count as the same intent")


@rule("CXP201", "duplicate-initiative", Severity.WARNING,
      "initiatives of different units address the same pain points with similar intent",
      DuplicateInitiativeOptions)
def duplicate_initiative(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *fewer, bigger, coherent changes beat small improvements everywhere.* Seen
    from the customer there is one journey; seen from the organization, each unit fixes
    its own box — the classic is fifteen separate "My page" solutions, one per benefit,
    when people have one life, not fifteen. Two units solving the same pain point the
    same way spend the budget twice and give customers two half-solutions.

    Initiatives are duplicates when they belong to different units, address at least one
    common pain point, and their titles are at least `similarity` alike. Duplicates are
    grouped into clusters (every initiative linked by a chain of duplicate pairs) and each
    cluster is reported once, naming every member and unit. Dropped initiatives are ignored.

    **Example**:
    ```yaml
    # units/digital.yaml                      # units/advisory.yaml
    - id: DIG-7                               - id: ADV-2
      title: Pension calculator in the          title: Pension calculator for advisers
             online bank                        addresses: [PP-estimate-unclear]
      addresses: [PP-estimate-unclear]
    ```
    `units/advisory.yaml:3:9: CXP201 ADV-2 (advisory) and DIG-7 (digital) all address PP-estimate-unclear with similar initiatives (titles 81% alike): pick one owner`

    **Fix**: agree on one owner and merge the initiatives. If the overlap is deliberate
    (a joint delivery), accept it on one of them with
    `allow: [{rule: CXP201, reason: "Joint delivery with retail, agreed 2026-03"}]`.
    """
    options: DuplicateInitiativeOptions = ctx.options_for("CXP201")
    by_pain = ctx.portfolio.addressing
    graph = nx.Graph()
    for pain_id in sorted(by_pain):
        block = by_pain[pain_id]
        if len({i.unit for i in block}) < 2:
            continue
        titles = [normalize(i.title) for i in block]
        for a, b, score in similar_pairs(titles, options.similarity):
            first, second = block[a], block[b]
            if first.unit == second.unit:
                continue
            if graph.has_edge(first.id, second.id):
                edge = graph.edges[first.id, second.id]
                edge["pains"].add(pain_id)
                edge["score"] = max(edge["score"], score)
            else:
                graph.add_edge(first.id, second.id, pains={pain_id}, score=score)
    for component in nx.connected_components(graph):
        members = sorted(component)
        initiatives = [ctx.portfolio.by_id[m] for m in members]
        edges = graph.subgraph(component).edges(data=True)
        pains = sorted(set().union(*(data["pains"] for _, _, data in edges)))
        best = max(data["score"] for _, _, data in edges)
        names = _join([f"{i.id} ({i.unit})" for i in initiatives])
        anchor, *others = initiatives
        yield Hit(Anchor.of(anchor, "id"),
                  f"{names} all address {', '.join(pains)} with similar initiatives "
                  f"(titles {best:.0%} alike): pick one owner",
                  tuple(members), tuple(Anchor.of(o, "id") for o in others),
                  "merge them under one owner, or accept with allow: on one of them")


class FragmentedPainPointOptions(RuleOptions):
    min_units: int = Field(default=3, ge=2,
                           description="how many units working on one pain point make it fragmented")


@rule("CXP202", "fragmented-pain-point", Severity.WARNING,
      "one pain point is addressed by initiatives of 3 or more units", FragmentedPainPointOptions)
def fragmented_pain_point(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *the journey is the unit of value, not the department.* When three or more
    units each attack the same customer problem, the journey is being cut into internal
    boxes: separate budgets, separate fixes, nobody owning the whole. Even when their
    initiatives differ (so they are not duplicates), someone should coordinate them.

    **Example**: `PP-black-hole` is addressed by `DIG-7` (digital), `CS-3`
    (customer-service) and `RET-2` (retail):
    `pain_points.yaml:12:9: CXP202 pain point PP-black-hole is addressed by 3 units (customer-service, digital, retail): give it one owner`

    **Fix**: name one owning unit for the pain point (usually the journey owner) and let
    the others contribute to its initiative. `min_units` sets the threshold.
    """
    options: FragmentedPainPointOptions = ctx.options_for("CXP202")
    by_pain = ctx.portfolio.addressing
    for pain in ctx.portfolio.pain_points:
        initiatives = by_pain.get(pain.id, [])
        units = sorted({i.unit for i in initiatives if i.unit})
        if len(units) >= options.min_units:
            members = sorted(initiatives, key=lambda i: i.id)
            yield Hit(Anchor.of(pain, "id"),
                      f"pain point {pain.id} is addressed by {len(units)} units ({', '.join(units)}): "
                      "give it one owner",
                      (pain.id, *(i.id for i in members)),
                      tuple(Anchor.of(i, "id") for i in members),
                      "let one unit own the pain point and the others contribute")


class DuplicateKpiOptions(RuleOptions):
    similarity: float = Field(default=0.85, ge=0, le=1,
                              description="how alike two KPI names must be (0–1)")


@rule("CXP203", "duplicate-kpi", Severity.WARNING,
      "two KPIs measure the same thing under different ids", DuplicateKpiOptions)
def duplicate_kpi(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: two ids for one measure split the evidence: effects and goals attach to one
    or the other, trends are reported twice, and units can each claim "their" KPI moved.

    KPIs are compared within the same kind, direction and journey, by name similarity.

    **Example**:
    ```yaml
    - {id: nps-mortgage, name: "NPS, mortgage customers", kind: experience, direction: increase}
    - {id: mortgage-nps, name: "Mortgage customers NPS", kind: experience, direction: increase}
    ```
    `kpis.yaml:3:9: CXP203 KPIs mortgage-nps and nps-mortgage look like the same measure (names 100% alike)`

    **Fix**: keep one id and point every effect, goal and measurement at it.
    """
    options: DuplicateKpiOptions = ctx.options_for("CXP203")
    groups: dict[tuple, list[Kpi]] = defaultdict(list)
    for kpi in ctx.portfolio.kpis:
        groups[(kpi.type, kpi.direction, kpi.journey)].append(kpi)
    graph = nx.Graph()
    for key in sorted(groups, key=repr):
        block = groups[key]
        for a, b, score in similar_pairs([normalize(k.name) for k in block], options.similarity):
            graph.add_edge(block[a].id, block[b].id, score=score)
    for component in nx.connected_components(graph):
        members = sorted(component)
        kpis = [ctx.portfolio.by_id[m] for m in members]
        best = max(d["score"] for _, _, d in graph.subgraph(component).edges(data=True))
        anchor, *others = kpis
        yield Hit(Anchor.of(anchor, "id"),
                  f"KPIs {_join(members)} look like the same measure (names {best:.0%} alike)",
                  tuple(members), tuple(Anchor.of(o, "id") for o in others),
                  "keep one id and point effects, goals and measurements at it")


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
