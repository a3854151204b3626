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
from collections.abc import Callable, Iterable, Iterator, Sequence

from typing import TYPE_CHECKING

from pydantic import Field

from cxportfolio.model.entities import Kpi
from cxportfolio.model.finding import Severity
from cxportfolio.rules.base import MAX_RELATED, Anchor, Hit, RuleContext, RuleOptions, rule

if TYPE_CHECKING:
    import numpy as np

# numpy, rapidfuzz and networkx are imported where a comparison is made: a portfolio
# with nothing to compare (and `--help`) does not pay for loading them.
_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"\w{4,}")
_CHUNK = 512
_THREADED_PAIRS = 50_000
# Bounds on the work, whatever a pull request writes (SPEC §9): texts are compared by
# their first characters, and a pain point's block by its first members.
MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 2_000
MAX_BLOCK = 1_000
SMALL_BLOCK = 40  # up to this many initiatives on a pain point, pairs are scored one by one…
PAIRWISE_BUDGET = 40_000  # …and every block, while the whole portfolio has at most this many pairs
PREFILTER_MARGIN = 0.15
DESCRIPTION_BAND = 0.10  # titles this close below the cutoff may be rescued by descriptions…
DESCRIPTION_BAR = 0.85  # …that are at least this alike


def normalize(text: str) -> str:
    """Lower case, NFKC, punctuation to spaces, words of one to three letters dropped.

    'Pensjons-kalkulator i nettbanken!' → 'pensjons kalkulator nettbanken'. Dropping short
    words removes the glue of any language (the, for, in, i, på, og, til) that would
    otherwise make unrelated titles look alike; a title of short words only is kept whole.
    """
    if not text.isascii():  # NFKC leaves ASCII as it is, and costs more than the rest
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    return " ".join(_LONG_WORD.findall(text) or _WORD.findall(text))


def similar_pairs(texts: Sequence[str], cutoff: float, groups: Sequence[int] | None = None,
                  descriptions: Callable[[Sequence[int]], Sequence[str]] | None = None,
                  compact: Sequence[str] | None = None,
                  pairwise: bool | None = None) -> Iterator[tuple[int, int, float, float | None]]:
    """(i, j, score 0–1, description score or None) for i < j whose normalised texts
    are at least `cutoff` alike, or nearly so and their descriptions are.

    The score is the mean of two rapidfuzz measures: the Indel ratio of the texts with
    spaces removed (`compact`, computed here if not given), so compounds match their
    parts ("pensjonskalkulator" / "pensjon kalkulator"), and the token-set ratio, which
    forgives word order and a title that extends another ("Status tracker" / "Application
    status tracker in the app"). The first is computed for every pair of a block as one
    C++ matrix; the slower second, also in C++, only for pairs whose first is at least the
    cutoff less `PREFILTER_MARGIN` (on the benchmark portfolios this loses about one pair
    in 17,000, and saves two thirds of the work). A pair whose score falls short by less
    than `DESCRIPTION_BAND` still counts when their descriptions (`descriptions(indexes)`
    gives the texts of those indexes) are at least `DESCRIPTION_BAR` alike (token-sort
    ratio, stricter than token-set on long texts that share boilerplate): two titles
    worded apart, described alike. Pairs within one group (one unit) are skipped before
    any per-pair work. Big blocks use every core. Small blocks (`pairwise`, by default
    those of at most SMALL_BLOCK texts) are scored pair by pair with the same scorers
    (`_small_block_pairs`): faster for a few dozen texts, and a portfolio of a few
    hundred initiatives is checked without loading numpy at all.
    """
    n = len(texts)
    if n < 2:
        return
    compact = [t.replace(" ", "") for t in texts] if compact is None else compact
    if pairwise or (pairwise is None and n <= SMALL_BLOCK):
        yield from _small_block_pairs(texts, cutoff, groups, descriptions, compact)
        return
    import numpy as np
    from rapidfuzz import fuzz, process

    spelled = np.asarray(texts, dtype=object)
    group = np.asarray(groups if groups is not None else range(n))
    floor, cut = max(0.0, cutoff - PREFILTER_MARGIN) * 100, cutoff * 100
    # Rows in chunks keep memory at CHUNK × n bytes even for a huge block.
    for start in range(0, n, _CHUNK):
        rows_here = min(_CHUNK, n - start)
        workers = -1 if rows_here * n >= _THREADED_PAIRS else 1  # threads pay off on big blocks only
        matrix = process.cdist(compact[start:start + _CHUNK], compact, scorer=fuzz.ratio,
                               score_cutoff=floor, dtype=np.uint8, workers=workers)
        rows, cols = np.nonzero(matrix)
        first = matrix[rows, cols].astype(np.float64)
        rows = rows + start
        keep = (cols > rows) & (group[rows] != group[cols])
        rows, cols, first = rows[keep], cols[keep], first[keep]
        if not len(rows):
            continue
        second = process.cpdist(spelled[rows], spelled[cols], scorer=fuzz.token_set_ratio,
                                dtype=np.float64, workers=workers)
        mean = (first + second) / 2
        alike = mean >= cut
        yield from zip(rows[alike].tolist(), cols[alike].tolist(), (mean[alike] / 100).tolist(),
                       [None] * int(alike.sum()))
        near = ~alike & (mean >= cut - DESCRIPTION_BAND * 100)
        if descriptions is None or not near.any():
            continue
        rows, cols, mean = rows[near], cols[near], mean[near]
        # Each description once (a block's pairs share members), looked up by index.
        wanted = np.unique(np.concatenate((rows, cols)))
        described = np.empty(n, dtype=object)
        described[wanted] = descriptions(wanted)
        # Two missing descriptions are "100% alike" to rapidfuzz, and prove nothing.
        present = np.zeros(n, dtype=bool)
        present[wanted] = described[wanted].astype(bool)
        text_score = process.cpdist(described[rows], described[cols], scorer=fuzz.token_sort_ratio,
                                    score_cutoff=DESCRIPTION_BAR * 100, dtype=np.float64, workers=workers)
        backed = (text_score >= DESCRIPTION_BAR * 100) & present[rows] & present[cols]
        yield from zip(rows[backed].tolist(), cols[backed].tolist(), (mean[backed] / 100).tolist(),
                       (text_score[backed] / 100).tolist())


def _small_block_pairs(texts: Sequence[str], cutoff: float, groups: Sequence[int] | None,
                       descriptions: Callable[[Sequence[int]], Sequence[str]] | None,
                       compact: Sequence[str]) -> Iterator[tuple[int, int, float, float | None]]:
    """`similar_pairs` for a small block, pair by pair: the same scorers, cut-offs and
    rounding as the matrix (the prefilter score is a whole number, rounded half up, and
    a pair whose rounded score is 0 is dropped, as `np.nonzero` drops it), so the same
    pairs with the same scores (`tests/test_rule_cases.py` holds the two paths equal)."""
    from rapidfuzz import fuzz

    n = len(texts)
    group = groups if groups is not None else range(n)
    floor, cut = max(0.0, cutoff - PREFILTER_MARGIN) * 100, cutoff * 100
    near: list[tuple[int, int, float]] = []
    for i in range(n):
        for j in range(i + 1, n):
            if group[i] == group[j]:
                continue
            first = int(fuzz.ratio(compact[i], compact[j], score_cutoff=floor) + 0.5)
            if not first:
                continue
            mean = (first + fuzz.token_set_ratio(texts[i], texts[j])) / 2
            if mean >= cut:
                yield i, j, mean / 100, None
            elif mean >= cut - DESCRIPTION_BAND * 100:
                near.append((i, j, mean))
    if descriptions is None or not near:
        return
    wanted = sorted({k for i, j, _ in near for k in (i, j)})
    described = dict(zip(wanted, descriptions(wanted)))
    bar = DESCRIPTION_BAR * 100
    for i, j, mean in near:
        if described[i] and described[j]:  # two missing descriptions prove nothing
            text_score = fuzz.token_sort_ratio(described[i], described[j], score_cutoff=bar)
            if text_score >= bar:
                yield i, j, mean / 100, text_score / 100


class DuplicateInitiativeOptions(RuleOptions):
    similarity: float = Field(
        default=0.7, ge=0, le=1,
        description="how alike two titles must be (0–1, see docs/duplicates.md) to count as the same intent")


@rule("CXP201", "duplicate-initiative", Severity.WARNING,
      "initiatives of different units address the same pain points with similar intent",
      DuplicateInitiativeOptions, heavy=True)
def duplicate_initiative(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *fewer, bigger, coherent changes beat small improvements everywhere.* Seen
    from the customer there is one journey; seen from the organization, each unit fixes
    its own box — the classic is fifteen separate "My page" solutions, one per benefit,
    when people have one life, not fifteen. Two units solving the same pain point the
    same way spend the budget twice and give customers two half-solutions.

    Initiatives are duplicates when they belong to different units, address at least one
    common pain point, and their titles are at least `similarity` alike — or nearly so
    (within 0.1) while their descriptions are at least 85% alike. Duplicates are
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
    (a joint delivery), accept it with
    `allow: [{rule: CXP201, reason: "Joint delivery with retail, agreed 2026-03"}]` on
    *each* member — every unit agrees in its own file. A cluster of three needs the
    allow on all three; when a fourth initiative joins the cluster later, the finding
    is live again, with a hint naming the newcomer.
    """
    options: DuplicateInitiativeOptions = ctx.options_for("CXP201")
    by_pain = ctx.portfolio.addressing
    sizes = [len(block) for block in by_pain.values() if len({i.unit for i in block}) > 1]
    if not sizes:
        return  # no pain point with work of two units: nothing can be duplicated
    # Few pairs in all: score them one by one and never load numpy (the small portfolios
    # of pre-commit and the editor); else each block by its size.
    pairwise = True if sum(n * (n - 1) // 2 for n in sizes) <= PAIRWISE_BUDGET else None

    # Per initiative once, in arrays a block takes its rows from (an initiative sits in
    # several blocks): normalised title, the same without spaces, unit number.
    everyone = [i for i in ctx.portfolio.initiatives if i.title is not None]  # a refused title compares nothing
    row_of = {id(i): k for k, i in enumerate(everyone)}
    titles = [normalize(i.title[:MAX_TITLE_CHARS * 2])[:MAX_TITLE_CHARS] for i in everyone]
    compact = [t.replace(" ", "") for t in titles]
    unit_number = {unit: n for n, unit in enumerate(sorted({i.unit or "" for i in everyone}))}
    units = [unit_number[i.unit or ""] for i in everyone]
    described: dict[int, str] = {}  # row → normalised description, for the pairs that need one

    def descriptions(rows: Sequence[int]) -> list[str]:
        for k in rows:
            if k not in described:
                text = (everyone[k].description or "")[:MAX_DESCRIPTION_CHARS * 2]
                described[k] = normalize(text)[:MAX_DESCRIPTION_CHARS]
        return [described[k] for k in rows]

    edges: dict[tuple[str, str], dict] = {}  # (id, id) sorted → pain points and best evidence
    for pain_id in sorted(by_pain):
        block = [i for i in by_pain[pain_id] if i.title is not None]
        if len(block) < 2:
            continue
        if len(block) > MAX_BLOCK:
            pain = ctx.portfolio.by_id.get(pain_id)
            if pain is not None:
                yield Hit(Anchor.of(pain, "id"),
                          f"pain point {pain_id} is addressed by {len(block):,} initiatives: duplicates "
                          f"were looked for among the first {MAX_BLOCK:,} only (by id)", (pain_id,),
                          hint="split the pain point, or check what was added to it", key=(pain_id, "capped"))
            block = sorted(block, key=lambda i: i.id)[:MAX_BLOCK]
        rows = [row_of[id(i)] for i in block]
        groups = [units[k] for k in rows]
        if min(groups) == max(groups):  # one unit's own work: nothing to duplicate
            continue
        pairs = similar_pairs([titles[k] for k in rows], options.similarity, groups,
                              lambda ks, rows=rows: descriptions([rows[k] for k in ks]),
                              [compact[k] for k in rows], pairwise)
        for a, b, score, text_score in pairs:
            first, second = block[a], block[b]
            # The strongest evidence first: alike titles, then alike descriptions.
            evidence = (text_score is None, score, text_score or 0.0)
            edge = edges.setdefault((min(first.id, second.id), max(first.id, second.id)),
                                    {"pains": set(), "evidence": evidence})
            edge["pains"].add(pain_id)
            edge["evidence"] = max(edge["evidence"], evidence)
    # One pass over the edges gathers each cluster's pain points and best evidence.
    cluster_of = {node: n for n, component in enumerate(clusters(edges)) for node in component}
    pains_of: dict[int, set[str]] = defaultdict(set)
    best_of: dict[int, tuple[bool, float, float]] = {}
    for (a, _), data in edges.items():
        n = cluster_of[a]
        pains_of[n] |= data["pains"]
        best_of[n] = max(best_of.get(n, data["evidence"]), data["evidence"])
    members_of: dict[int, list[str]] = defaultdict(list)
    for node, n in cluster_of.items():
        members_of[n].append(node)
    for n, members in members_of.items():
        members.sort()
        initiatives = [ctx.portfolio.by_id[m] for m in members]
        names = _join([f"{i.id} ({i.unit})" for i in initiatives])
        anchor, *others = initiatives
        yield Hit(Anchor.of(anchor, "id"),
                  f"{names} all address {', '.join(sorted(pains_of[n]))} with similar initiatives "
                  f"({_alike(best_of[n])}): pick one owner",
                  tuple(members), tuple(Anchor.of(o, "id") for o in others[:MAX_RELATED]),
                  "merge them under one owner, or accept with allow: on each of them")


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
                      tuple(Anchor.of(i, "id") for i in members[:MAX_RELATED]),
                      "let one unit own the pain point and the others contribute", key=(pain.id,))


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
        if kpi.name is not None:
            groups[(kpi.type, kpi.direction, kpi.journey)].append(kpi)
    scores: dict[tuple[str, str], float] = {}
    for key in sorted(groups, key=repr):
        block = groups[key]
        for a, b, score, _ in similar_pairs([normalize(k.name) for k in block], options.similarity):
            scores[(block[a].id, block[b].id)] = score
    for component in clusters(scores):
        members = sorted(component)
        kpis = [ctx.portfolio.by_id[m] for m in members]
        best = max(score for (a, _), score in scores.items() if a in component)
        anchor, *others = kpis
        yield Hit(Anchor.of(anchor, "id"),
                  f"KPIs {_join(members)} look like the same measure (names {best:.0%} alike)",
                  tuple(members), tuple(Anchor.of(o, "id") for o in others),
                  "keep one id and point effects, goals and measurements at it")


def clusters(pairs: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Connected components of the graph whose edges are `pairs` (union-find).

    Components of an undirected graph are all these rules need; networkx takes longer to
    import (0.2–0.3 s) than a whole check of a 100-initiative portfolio, so it is kept for
    the cycle searches that need it, and only when there is a cycle.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving keeps the trees flat
            node = parent[node]
        return node

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for node in parent:
        groups[root(node)].add(node)
    return [groups[key] for key in sorted(groups)]


def _alike(evidence: tuple[bool, float, float]) -> str:
    by_title, score, text_score = evidence
    return f"titles {score:.0%} alike" if by_title else f"titles {score:.0%} and descriptions {text_score:.0%} alike"


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
