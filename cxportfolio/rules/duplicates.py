"""CXP201–CXP203: the same work or the same measure, done twice by different units.

CXP201 finds duplicated work wherever it sits: on one pain point, or on parallel pain
points of different journeys (each benefit unit building its own «Min side»). Texts are
compared by TF-IDF over stems and character 4-grams (`similarity.py`); structure — a
shared pain point, parallel stages, shared KPIs — corroborates weaker text agreement.
A small portfolio is compared pair by pair; a large one only where an inverted index of
each initiative's most distinctive terms, a small shared pain point, or texts that are
the same once normalised propose a pair, so the work stays linear, and weighs the pairs
with numpy, all at once
(duplicate_facts.py). See docs/duplicates.md for the figures and what it misses.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from dataclasses import replace
from typing import TYPE_CHECKING

from pydantic import Field

from cxportfolio.model.entities import Initiative, Kpi, PainPoint
from cxportfolio.memo import remember
from cxportfolio.model.finding import MAX_RELATED, Severity
from cxportfolio.model.types import id_form
from cxportfolio.processes import second_process_pays, spawned_worker
from cxportfolio.records import record
from cxportfolio.rules.base import MAX_NAMED, Anchor, Hit, RuleContext, RuleOptions, named, of_unknown_unit, rule
from cxportfolio.rules.similarity import (MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, Scored, TextIndex, normalize,
                                          pairs_within_blocks, scored, stem, warm_up)

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from cxportfolio.analysis.consolidation import Pains
    from cxportfolio.memo import Memo
    from cxportfolio.model.portfolio import Portfolio
    from cxportfolio.rules.duplicate_facts import Facts

# Bounds on the work, whatever a pull request writes (SECURITY.md, caps).
PAIRWISE_BUDGET = 40_000  # up to this many pairs of different units, every pair is compared…
SMALL_BLOCK = 40  # …above, every pair on a pain point with at most this many initiatives,
KEY_TERMS = 6  # and the pairs sharing one of each initiative's most distinctive terms…
KEY_DF = 30  # …that at most this many initiatives use
# Initiatives from which numpy and scipy.sparse score faster than dictionaries, their
# import included (docs/duplicates.md, "How much work").
MATRIX_INITIATIVES = 750
# From this many initiatives, the costly part (texts, pairs, clusters) runs in a second
# process while the engine runs the other rules; below, starting the process (about a
# second) costs more than the other rules' time it overlaps (docs/performance.md).
ASIDE_FROM = 25_000
MAX_LISTED = 5  # pain points, terms, stages named in a message


class DuplicateInitiativeOptions(RuleOptions):
    similarity: float = Field(
        default=0.5, ge=0, le=1,
        description="how alike (0–1, TF-IDF cosine, see docs/duplicates.md) two initiatives' texts must be "
                    "to be the same work on text alone")
    corroborated: float = Field(
        default=0.28, ge=0, le=1,
        description="how alike their texts must be when structure corroborates: a shared pain point, "
                    "parallel stages of different journeys, or a shared KPI")
    scope_ratio: float = Field(
        default=4, gt=1,
        description="an initiative this many times another's effort is a platform or programme the other "
                    "builds on, not its duplicate")


@rule("CXP201", "duplicate-initiative", Severity.WARNING,
      "initiatives of different units pursue the same intent, on one pain point or on parallel ones",
      DuplicateInitiativeOptions, heavy=True,
      silent_on=lambda portfolio, finding: not portfolio.complete or of_unknown_unit(portfolio, finding.entities),
      clusters=True,
      reads=["Initiative.title", "Initiative.description", "Initiative.unit", "Initiative.status",
             "Initiative.addresses", "Initiative.effects", "Initiative.effort", "Initiative.depends_on",
             "PainPoint.journey", "PainPoint.stage", "PainPoint.severity", "PainPoint.reach",
             "Journey.stages", "Journey.volume"])
def duplicate_initiative(ctx: RuleContext) -> Iterable[Hit]:
    """
    **Why**: *fewer, bigger, coherent changes beat small improvements everywhere.* Seen
    from the customer there is one journey; seen from the organization, each unit fixes
    its own box — the classic is fifteen separate "My page" solutions, one per benefit,
    each on its own journey, when people have one life, not fifteen. Units building the
    same thing spend the budget several times and give customers several half-solutions.

    Initiatives of different units are duplicates when their titles and descriptions are
    at least `similarity` alike (TF-IDF over word stems and character 4-grams, so
    Norwegian, Danish, Swedish and English compounds and inflections match), or at least
    `corroborated` alike while structure agrees: they address a common pain point, pain
    points at parallel stages of different journeys (the same stage id or name), or
    expect effects on a common KPI — titles without descriptions on both sides
    are corroborated by parallel stages only. An initiative that depends on another, or
    whose effort is `scope_ratio` times the other's (a platform and a piece of work on
    it), is never its duplicate. Duplicates are grouped into clusters in which every
    member is alike to one core member (so that A≈B≈C≈D does not chain into work that
    shares nothing), and each cluster is reported once, naming every member and unit, why
    they are alike, and a consolidation proposal: one owner (the unit whose pain points
    carry most value), the journeys it would serve, and the effort of one solution against
    the sum of the open members' own.
    Dropped initiatives are ignored; done ones are kept (a cluster whose members are all
    done says so: nothing is left to merge, the lesson is for next time).

    The work is capped (SECURITY.md): above 40,000 pairs of initiatives of different
    units, only pairs on a pain point of at most 40 initiatives, pairs sharing a
    distinctive term, and pairs of texts that are the same once normalised (the same
    title words, or title and description words, wherever they sit) are compared — so
    alike but differently worded texts on a crowded pain point, sharing only common
    words, can be missed (docs/duplicates.md, "How much work").

    **Example**:
    ```yaml
    # units/dagpenger.yaml                    # units/sykepenger.yaml
    - id: DAG-001                             - id: SYK-001
      title: Min side for dagpenger             title: Min side for sykepenger
      addresses: [PP-svart-hull-dagpenger]      addresses: [PP-svart-hull-sykepenger]
    ```
    `units/dagpenger.yaml:11:9: CXP201 DAG-001 (dagpenger) and SYK-001 (sykepenger) address PP-svart-hull-dagpenger, PP-svart-hull-sykepenger between them with similar initiatives (alike texts: «side»; parallel stage vent-pa-vedtak): consolidate under sykepenger`

    **Fix**: merge the members into one initiative under the proposed owner (`cxportfolio
    rank --by cluster` lists the proposals by the effort they save). If the overlap is
    deliberate (a joint delivery), accept it with
    `allow: [{rule: CXP201, reason: "Joint delivery with retail, agreed 2026-03"}]` on
    *each* member — every unit agrees in its own file. A cluster of three needs the
    allow on all three; when a fourth initiative joins the cluster later, the finding
    is live again, with a hint naming the newcomer. `similarity`, `corroborated` and
    `scope_ratio` set the sensitivity (docs/duplicates.md).

    **Against a baseline** (`check --baseline`, `diff`), a cluster whose members are all
    members of one cluster at the base (one left it, or it split) is that duplicate,
    smaller: known, not new, and `diff` shows it as a changed finding; a cluster that
    gains a member is new.

    **While a file cannot be read** (CXP001), this rule reports nothing: how alike two
    texts are depends on how rare their words are among *all* initiatives, so the
    initiatives the file holds could change any cluster. Initiatives lost otherwise
    (items under a deleted `initiatives:` line, an item refused whole) are not compared,
    but their words as written (as below), units and pain points still count, so the
    others pair as before.
    So is an initiative whose unit is not known (CXP102: `unit: digitl`): it may be of
    any unit, the one it misspells too, and paired it would read as another unit's work
    beside its own unit's; its duplicates are reported once its unit is corrected. And
    so is one whose title or description was refused (`title: [Status tracker]`,
    `titel:`): its words as written weigh, as they would written as text, so that the
    mistake moves no cluster of others (`title: 2024` weighs «2024», as a title of
    2024 would: the words it replaced no longer weigh; `title: [1.500]` weighs «1.500»,
    not the 1.5 YAML reads).
    """
    if not ctx.portfolio.complete:
        return ()
    aside = _second_process(ctx)  # started first: it starts up while the models are read
    work = _Work.of(ctx.portfolio, ctx.memo)
    options: DuplicateInitiativeOptions = ctx.options_for("CXP201")
    if aside is not None and (work is None or work.facts is None):
        aside.shutdown()  # one unit, or too few texts for the matrices: nothing worth a process
        aside = None
    if work is None:
        return ()
    if aside is None:
        return _hits(ctx, work, _clusters(work, options, ctx.memo))
    return _Aside(aside, aside.submit(_clusters, work.plain(), options), lambda found: _hits(ctx, work, found))


def _second_process(ctx: RuleContext) -> Executor | None:
    """A fresh process for a large portfolio's costly part, or None: not for the language
    server (its memo keeps that part from one check to the next), nor where a second
    process costs more than it saves or cannot be started safely (processes.py)."""
    if ctx.memo is not None or len(ctx.portfolio.initiatives) < ASIDE_FROM or not second_process_pays(fresh=True):
        return None
    pool = spawned_worker()
    pool.submit(warm_up)
    return pool


class _Aside:
    """Hits whose costly part a second process computes meanwhile; iterating waits for it."""

    def __init__(self, pool: Executor, found: Future[_Found], finish: Callable[[_Found], Iterator[Hit]]) -> None:
        self._pool, self._found, self._finish = pool, found, finish

    def __iter__(self) -> Iterator[Hit]:
        try:
            found = self._found.result()
        finally:
            self.close()
        return self._finish(found)

    def close(self) -> None:
        """Stop the second process: once idle when its answer is in, at once when it is
        still working (another rule or a later stage failed, or the user interrupted:
        the check ends without waiting seconds for clusters nobody will read)."""
        if not self._found.done():
            stop = getattr(self._pool, "terminate_workers", None)  # Python 3.14
            if stop is not None:
                stop()
            else:  # no public way before: the pool's own map of its processes
                for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                    process.terminate()
        self._pool.shutdown(cancel_futures=True)


@record(frozen=False)
class _Work:
    """What CXP201 weighs, read from the models once (a large portfolio's models lie
    apart in memory: reading costs). Without `models` and `stage_of` (`plain`), it is
    plain data that a second process takes: a large portfolio's `facts` hold the rest."""

    texts: tuple[tuple[str, str], ...]  # (title, description) of each initiative compared
    groups: list[int]  # each one's unit, as a number
    ids: Sequence[str]
    blocks: tuple[tuple[int, ...], ...]  # the small pain-point blocks (rows); () when every pair is compared
    every_pair: bool
    facts: Facts | None  # the fields weighed, as arrays: a large portfolio's
    models: list[Initiative] | None  # the initiatives (rows), for a small portfolio's dictionaries
    stage_of: dict[str, tuple[str, str, str]]
    # The texts of initiatives a mistake lost (validate.lost), and their units' numbers:
    # never compared, but their words weigh, their units share terms and their pain points
    # count as before the mistake, so that the pairs the others form stay as they were
    # (docs/format.md, error tolerance). Rows after the compared ones.
    lost_texts: tuple[tuple[str, str], ...] = ()
    lost_groups: tuple[int, ...] = ()

    @classmethod
    def of(cls, portfolio: Portfolio, memo: Memo | None = None) -> _Work | None:
        """None when fewer than two units have work to compare."""
        initiatives = portfolio.initiatives
        rows = _rows(initiatives, memo)
        # Work of a unit that is not known (CXP102: `unit: digitl`) may be of any unit, the
        # one it misspells too: paired, it would be "another unit" beside its own unit's
        # work. It is weighed as lost work is, never paired, until its unit is corrected.
        unknown = {row[1] for row in rows if row[0] and row[1]}
        unknown = {u for u in unknown if not portfolio.unit_known(u)}
        # So is work whose title or description was refused: compared on what is left, it
        # would pair as other work; left out, its words would no longer weigh, and pairs
        # elsewhere would move. Its words as written weigh, until the text is corrected.
        unsure_at = [k for k, row in enumerate(rows) if row[10] or (row[0] and row[1] in unknown)]
        unsure = [rows[k] for k in unsure_at]
        compared = [k for k, row in enumerate(rows) if row[0] and not row[10] and row[1] not in unknown]
        read = [rows[k] for k in compared]
        models = [initiatives[k] for k in compared]
        lost = [(title, description, unit) for title, description, unit, _ in portfolio.lost_initiatives
                if title or description]
        lost += [(*texts, row[1]) for texts, row in zip(_written_texts(portfolio, initiatives, unsure_at), unsure)
                 if any(texts)]
        # Work whose id another definition took (CXP101: `id: RET-004` on RET-005) is work
        # that is written: the rules read one definition of the id, but the other's words
        # weigh as a lost initiative's do, never paired, so no cluster elsewhere moves.
        lost += [(i.title or "", i.description or "", i.unit or "") for i in portfolio.taken_work
                 if i.title or i.description]
        unit_number = {u: n for n, u in enumerate(sorted({row[1] for row in read} | {u for _, _, u in lost}))}
        if len(unit_number) < 2:
            return None  # one unit's own work: nothing to duplicate
        groups = [unit_number[row[1]] for row in read]
        lost_groups = tuple(unit_number[unit] for _, _, unit in lost)
        stage_of = _stages(portfolio)  # for the pairs weighed and the evidence named
        every_pair = _cross_pairs(groups + list(lost_groups)) <= PAIRWISE_BUDGET
        facts = None
        if len(models) >= MATRIX_INITIATIVES:  # arrays (numpy): imported only for them
            from cxportfolio.rules.duplicate_facts import Facts

            facts = Facts(read, stage_of)
        if every_pair:
            blocks: tuple[tuple[int, ...], ...] = ()
        elif facts is not None:  # from the arrays; the textless live ones and the lost count in a block's size
            blocks = facts.small_blocks([row[9] for row in rows if row[9]] + _lost_pains(portfolio)
                                        # (those without a text are among the first)
                                        + [tuple(dict.fromkeys(row[7])) for row in unsure if row[7] and not row[9]],
                                        SMALL_BLOCK)
        else:
            blocks = _small_blocks(portfolio, models)
        return cls(tuple(row[2] for row in read), groups, facts.ids if facts else [row[3] for row in read],
                   blocks, every_pair, facts, models, stage_of, tuple((t, d) for t, d, _ in lost), lost_groups)

    def plain(self) -> _Work:
        return replace(self, models=None, stage_of={})


def _row(initiative: Initiative) -> tuple:
    """What CXP201 reads of an initiative: (not dropped and with a title or description —
    compared, unless its unit is not known or a text was refused (`_Work.of`) —, unit,
    (title, description), id, effort, has a description, depends_on,
    addresses, KPIs of its effects, the pain points of one not dropped and without a text
    — which count in a pain point's size but are not compared —, and whether it is not
    dropped and its title or description was refused). A refused title or unit leaves
    the initiative its other fields (docs/format.md, error tolerance)."""
    live = initiative.status != "dropped"
    compared = live and bool(initiative.title or initiative.description)
    return (compared, initiative.unit or "", (initiative.title or "", initiative.description or ""), initiative.id,
            initiative.effort or 0.0, bool(initiative.description), initiative.depends_on, initiative.addresses,
            tuple(effect.kpi for effect in initiative.effects),
            tuple(dict.fromkeys(initiative.addresses)) if live and not compared else (),
            live and initiative.is_partial("title", "description"))


def _written_texts(portfolio: Portfolio, initiatives: list[Initiative], at: list[int]) -> list[tuple[str, str]]:
    """The title and description of each initiative at `at` as written: a refused one's
    words read from the file's data as written, whatever its type or key (`title: 2024`,
    `title: [Beta] app`, `titel: Beta app`), as those of an initiative lost whole are
    (`Portfolio.words_written`)."""
    texts = []
    for k in at:
        initiative = initiatives[k]
        title, description = (portfolio.words_written(initiative, name, most) if initiative.is_partial(name)
                              else getattr(initiative, name) or ""
                              for name, most in (("title", MAX_TITLE_CHARS), ("description", MAX_DESCRIPTION_CHARS)))
        texts.append((title, description))
    return texts


def _rows(initiatives: list[Initiative], memo: Memo | None) -> list[tuple]:
    """Each initiative's `_row`. A language server's edit leaves most initiatives the very
    objects of the previous check (memo.py): their rows are taken again, without reading
    models that lie apart in memory."""
    if memo is None:
        return list(map(_row, initiatives))
    before: dict[int, tuple[Initiative, tuple]] = memo.previous("CXP201 rows") or {}
    now: dict[int, tuple[Initiative, tuple]] = {}
    rows = []
    for initiative in initiatives:
        entry = before.get(id(initiative))  # the entry holds the object: its id is no other's
        if entry is None or entry[0] is not initiative:
            entry = (initiative, _row(initiative))
        now[id(initiative)] = entry
        rows.append(entry[1])
    memo.keep("CXP201 rows", now)
    return rows


# The evidence a message names, per cluster: the words, the parallel stages, the KPIs.
_Evidence = tuple[set[str], set[str], set[str]]
# The clusters (number, member ids) and their evidence by number.
_Found = tuple[list[tuple[int, list[str]]], dict[int, _Evidence]]


def _clusters(work: _Work, options: DuplicateInitiativeOptions, memo: Memo | None = None) -> _Found:
    """The clusters of the same work and why their members are alike: the costly part,
    from `work` alone (a large portfolio's may be plain)."""
    index, edges = _edges(work, options, memo)
    # Clusters of ids, computed on their ranks: the same order, cheaper to hash and compare.
    ids = sorted({node for pair in edges for node in pair})
    rank = {node: k for k, node in enumerate(ids)}
    cluster_of = {ids[node]: n for n, group in enumerate(stars((rank[a], rank[b]) for a, b in edges))
                  for node in group}
    joined: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (a, b), rows in edges.items():
        if a in cluster_of and cluster_of[a] == cluster_of.get(b):
            joined[cluster_of[a]].append(rows)
    why = _evidence(work.models, index, joined, work.facts, work.stage_of)
    members_of: dict[int, list[str]] = defaultdict(list)
    for node, n in cluster_of.items():
        members_of[n].append(node)
    return list(members_of.items()), why


def _hits(ctx: RuleContext, work: _Work, found: _Found) -> Iterator[Hit]:
    """A hit per cluster, with its consolidation proposal."""
    from cxportfolio.analysis.consolidation import Pains

    portfolio = ctx.portfolio
    clusters, why = found
    pain_values = Pains(portfolio)  # each pain point valued once, for all the proposals
    for n, members in clusters:
        members.sort()
        initiatives = [portfolio.by_id[m] for m in members]
        pains = sorted({p for i in initiatives for p in _named_pains(portfolio, i)})
        evidence = why.get(n, (set(), set(), set()))
        if ctx.memo is None:
            yield _hit(portfolio, members, initiatives, pains, evidence, pain_values)
            continue
        # The language server keeps a cluster's hit while what it reads is the very same:
        # its members, their pain points and journeys (objects of unchanged files are
        # kept from check to check, memo.py), and the evidence.
        places = [portfolio.by_id.get(p) for p in pains]
        journeys = [portfolio.by_id.get(getattr(place, "journey", None) or "") for place in places]
        read = (*initiatives, *places, *journeys)
        key = ("CXP201 hit", tuple(map(id, read)), tuple(members), tuple(tuple(sorted(e)) for e in evidence))
        yield ctx.remember(key, lambda: (read, _hit(portfolio, members, initiatives, pains, evidence, pain_values)))[1]


def _named_pains(portfolio: Portfolio, initiative: Initiative) -> list[str]:
    """The pain points a cluster's message names for a member: those defined (a newcomer
    found `PP-blackhole`, a misspelling CXP102 reports, named as if a pain point), and
    any while a file that does not parse, or a value lost to a mistake, may define them
    (not "no pain point": the mistake is the finding)."""
    lost = portfolio.lost_without_id(PainPoint.label)
    return [p for p in initiative.addresses if not portfolio.complete or lost or portfolio.get(p, PainPoint) is not None
            or portfolio.unsure(p, PainPoint.label)]


def _hit(portfolio: Portfolio, members: list[str], initiatives: list[Initiative], pains: list[str],
         evidence: _Evidence, pain_values: Pains) -> Hit:
    """A cluster's hit: who, why they are alike, and the consolidation proposal."""
    from cxportfolio.analysis.consolidation import propose, summary

    names = named([f"{i.id} ({i.unit_named})" for i in initiatives[:MAX_NAMED]], len(initiatives), and_last=True)
    proposal = propose(portfolio, members, pain_values)
    still_open = proposal.open_members  # dropped initiatives are not compared: the rest is done
    open_ids = set(still_open)  # (a cluster may hold thousands: one look-up each)
    done = [m for m in members if m not in open_ids]
    both = len(members) == 2
    if not still_open:  # nothing left to consolidate: the lesson is for next time
        owner = "all done already"
        advice = f"{'both are' if both else 'all of them are'} done already: build such work once next time"
    elif len(still_open) == 1:  # one plan left beside work delivered: merging would save nothing
        owner = f"build on {named(done, and_last=True)}, done already"
        advice = (f"{still_open[0]} repeats work done already in {named(done, and_last=True)}: "
                  f"build on {'it' if len(done) == 1 else 'them'} rather than anew")
    else:
        refused = proposal.refused
        owner = (f"consolidate under {proposal.owner}" if proposal.owner else
                 f"pick one owner (refused: {named(list(refused), most=1)})"
                 if refused else "pick one owner")
        advice = f"merge them into {summary(proposal)}"
    anchor, *others = initiatives
    # "all address" only when it is true of each member: parallel work on each unit's own
    # pain point (the headline case) addresses them between them.
    same = len({frozenset(_named_pains(portfolio, i)) for i in initiatives}) == 1 and bool(pains)
    together = ("both address" if both else "all address") if same else "address"
    between = "" if same or not pains else " between them"
    return Hit(Anchor.of(anchor, "id"),
               f"{names} {together} {_listed(pains) or 'no pain point'}{between} with similar initiatives "
               f"({_why(*evidence)}): {owner}",
               tuple(members), tuple(Anchor.of(o, "id") for o in others[:MAX_RELATED]),
               advice, key=tuple(members), acceptance="accept with allow: on each of them")


def _edges(work: _Work, options: DuplicateInitiativeOptions, memo: Memo | None = None
           ) -> tuple[TextIndex, dict[tuple[str, str], tuple[int, int]]]:
    """The texts' index, and (id, id) sorted → the rows (as scored: the first row first)
    of two initiatives that are the same work."""
    compared = len(work.texts)
    texts = work.texts + work.lost_texts  # the lost ones last: weighed, never paired
    groups = work.groups + list(work.lost_groups)
    matrix = len(texts) >= MATRIX_INITIATIVES  # the lost texts too: the dictionaries are for small indexes
    # The texts' vectors and the pairs alike enough to weigh are the rule's costly part,
    # and an edit rarely changes a text: the language server keeps them (RuleContext.memo),
    # keyed by all they read — the texts, the units, the small pain-point blocks.
    # The words of the texts an edit left as they were are not read again either.
    # After a text changed, only the pairs with a text whose vector changed are scored
    # again (similarity.scored): the memo hands each check's pairs on to the next, and a
    # large portfolio's matrices are updated from the previous ones.
    before: Scored | None = memo.previous("CXP201 scored") if memo is not None else None
    known = (memo.previous(("CXP201 words", matrix)) or {}) if memo is not None else None
    index = remember(memo, ("CXP201 vectors", texts, matrix), lambda: TextIndex(
        texts, matrix=matrix, known=known, previous=before.index if before is not None else None))
    at_least = min(options.similarity, options.corroborated)
    # the ids too: they choose the core of a star of the same texts (`_candidates`)
    key = ("CXP201 alike", texts, compared, matrix, tuple(groups), work.blocks, at_least,
           () if work.every_pair else tuple(work.ids))
    found = remember(memo, key, lambda: scored(
        index, *_candidates(len(texts), groups, work.blocks, index, work.every_pair, compared, work.ids), at_least,
        before))
    if memo is not None:
        memo.keep(("CXP201 words", matrix), index.known)
        memo.keep("CXP201 scored", found)
    alike = found.alike
    same = (work.facts.same_work(alike, options) if work.facts is not None else
            _same_work(work.models or [], alike, options, work.stage_of))
    # Each pair's rows in the order of its ids: the words it shares are written as the
    # text of its first id has them («letters», not «letter»), whatever the files' order
    # (renaming a file changes no message).
    edges: dict[tuple[str, str], tuple[int, int]] = {}
    for a, b in same:
        one, two = work.ids[a], work.ids[b]
        edges[(one, two) if one <= two else (two, one)] = (a, b) if one <= two else (b, a)
    return index, edges


def _same_work(work: list[Initiative], alike: tuple[Sequence[int], Sequence[int], Sequence[float]],
               options: DuplicateInitiativeOptions, stage_of: dict[str, tuple[str, str, str]]) -> list[tuple[int, int]]:
    """The alike pairs (i, j, cosine as columns) that are the same work, in their order."""
    places: dict[int, _Places] = {}  # each initiative's stages, for its many pairs
    same = []
    for a, b, text in zip(*alike):
        first, second = work[a], work[b]
        if first.id in second.depends_on or second.id in first.depends_on:
            continue  # one builds on the other
        if first.effort and second.effort and max(first.effort, second.effort) >= options.scope_ratio * min(
                first.effort, second.effort):
            continue  # a platform or programme and a piece of work on it, not the same work
        # Titles alone are thin evidence: two titles on one pain point share its words
        # whatever they do. Without both descriptions, only the parallel-journey pattern
        # (each unit's own version at the same stage) corroborates a weaker agreement.
        if text < options.similarity and not (first.description and second.description and (
                not set(first.addresses).isdisjoint(second.addresses) or not _kpis(first).isdisjoint(_kpis(second)))):
            for k in (a, b):
                if k not in places:
                    places[k] = _places(work[k], stage_of)
            if not _parallel(places[a], places[b]):
                continue
        same.append((a, b))
    return same


def _evidence(work: list[Initiative] | None, index: TextIndex, joined: dict[int, list[tuple[int, int]]],
              facts: Facts | None, stage_of: dict[str, tuple[str, str, str]]) -> dict[int, _Evidence]:
    """Cluster → the evidence of the pairs inside it: the words their texts share, the
    parallel stages, the shared KPIs (only these pairs are named in a message)."""
    pairs = [rows for inside in joined.values() for rows in inside]
    words = iter(index.shared_words_many([a for a, _ in pairs], [b for _, b in pairs]))
    found = {n: ({w for _ in inside for w in next(words)}, set(), set()) for n, inside in joined.items()}
    if facts is not None:
        facts.structure([n for n, inside in joined.items() for _ in inside], pairs, found)
        return found
    assert work is not None  # a small portfolio's models: it has no facts
    places: dict[int, _Places] = {}  # each member's, for its pairs
    kpis: dict[int, set[str]] = {}
    for n, inside in joined.items():
        for a, b in inside:
            for k in (a, b):
                if k not in places:
                    places[k], kpis[k] = _places(work[k], stage_of), _kpis(work[k])
            found[n][1].update(_parallel(places[a], places[b]))
            found[n][2].update(kpis[a] & kpis[b])
    return found


def _kpis(initiative: Initiative) -> set[str]:
    return {e.kpi for e in initiative.effects}


def _cross_pairs(groups: list[int]) -> int:
    """How many pairs of initiatives of different units there are."""
    n = len(groups)
    return n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in Counter(groups).values())


def _lost_pains(portfolio) -> list[tuple[str, ...]]:
    """The distinct pain points of each lost initiative that addresses any."""
    return [tuple(dict.fromkeys(pains)) for *_, pains in portfolio.lost_initiatives if pains]


def _small_blocks(portfolio, work: list[Initiative]) -> tuple[tuple[int, ...], ...]:
    """The rows (in `work`) of the initiatives on each pain point that at most
    SMALL_BLOCK initiatives address (those a mistake lost too)."""
    row = {id(i): k for k, i in enumerate(work)}
    lost = Counter(chain.from_iterable(_lost_pains(portfolio)))
    return tuple(tuple(sorted(row[id(i)] for i in block if id(i) in row))
                 for pain, block in portfolio.addressing.items() if 2 <= len(block) + lost[pain] <= SMALL_BLOCK)


def _candidates(n: int, groups: list[int], blocks: tuple[tuple[int, ...], ...], index,
                every_pair: bool, compared: int, ids: Sequence[str]) -> tuple[Sequence[int], Sequence[int]]:
    """The pairs of the first `compared` of the n texts worth comparing (the rest are lost
    initiatives', only weighed), as (firsts, seconds), sorted: every pair of different
    units in a small portfolio; in a large one, those in a small pain-point block,
    sharing a distinctive term, or of texts that are the same once normalised (a star
    around one core per such text: `same_text_pairs`, whose core is chosen by `ids`)."""
    if every_pair:
        pairs = [(i, j) for i in range(compared) for j in range(i + 1, compared) if groups[i] != groups[j]]
        return [i for i, _ in pairs], [j for _, j in pairs]
    from cxportfolio.rules.similarity import candidate_pairs, same_text_pairs

    in_blocks = pairs_within_blocks(blocks, groups)
    proposed = candidate_pairs(index, KEY_TERMS, KEY_DF, groups)
    same = same_text_pairs(index, groups, ids, compared)
    if not index.matrix:
        codes = sorted(set(proposed).union(in_blocks, same))
        pairs = [(code // n, code % n) for code in codes]
        pairs = [(i, j) for i, j in pairs if j < compared] if compared < n else pairs
        return [i for i, _ in pairs], [j for _, j in pairs]
    import numpy as np

    from cxportfolio.rules.text_matrix import distinct

    codes = distinct(np.concatenate([proposed, np.array(in_blocks, dtype=np.int64), np.array(same, dtype=np.int64)]),
                     np)
    firsts, seconds = codes // n, codes % n
    if compared < n:
        kept = seconds < compared  # i < j: j among the compared means both are
        firsts, seconds = firsts[kept], seconds[kept]
    return firsts, seconds


_SEPARATOR = re.compile(r"[\W_]+")


def _stages(portfolio) -> dict[str, tuple[str, str, str]]:
    """Pain point id → (journey id, stage id, stage name normalised)."""
    names: dict[tuple[str, str], str] = {}
    for journey in portfolio.journeys:
        for stage in journey.stages:
            names[(journey.id, stage.id)] = _SEPARATOR.sub(" ", (stage.name or "").casefold()).strip()
    return {pain.id: (pain.journey, pain.stage, names.get((pain.journey, pain.stage), ""))
            for pain in portfolio.pain_points if pain.journey is not None and pain.stage is not None}


# An initiative's places: the distinct (journey, stage id, stage name) of its pain points.
_Places = tuple[tuple[str, str, str], ...]


def _places(initiative: Initiative, stage_of: dict[str, tuple[str, str, str]]) -> _Places:
    return tuple(dict.fromkeys(stage_of[p] for p in initiative.addresses if p in stage_of))


def _parallel(first: _Places, second: _Places) -> set[str]:
    """Stages the two work on in different journeys: the same stage id, or the same name
    (under another id). An initiative has a few places: a loop over their pairs costs less
    than sets of them (a large portfolio weighs hundreds of thousands of pairs)."""
    shared = set()
    for journey, stage, name in first:
        for other_journey, other_stage, other_name in second:
            if journey != other_journey:
                if stage == other_stage:
                    shared.add(stage)
                elif name and name == other_name:
                    shared.add(name)
    return shared


def _why(words: set[str], stages: set[str], kpis: set[str]) -> str:
    """Why the members are alike: the words their texts share, and the structure.

    No score: TF-IDF weights come from the whole portfolio, and a finding's message must
    not change when an unrelated file does (docs/format.md, error tolerance)."""
    listed = _one_per_stem(words)
    parts = ["alike texts" + (": " + ", ".join(f"«{w}»" for w in listed[:MAX_LISTED]) if listed else "")]
    if stages:
        parts.append(f"parallel stage{'s' if len(stages) > 1 else ''} {_listed(sorted(stages))}")
    if kpis:
        parts.append(f"shared KPI{'s' if len(kpis) > 1 else ''} {_listed(sorted(kpis))}")
    return "; ".join(parts)


def _one_per_stem(words: set[str]) -> list[str]:
    """The words, one per stem (the shortest: «utbetalinger», not «utbetalingene» too),
    sorted: inflections of one word are one piece of evidence."""
    shortest: dict[str, str] = {}
    for word in sorted(words, key=lambda w: (len(w), w)):
        shortest.setdefault(stem(word), word)
    return sorted(shortest.values())


def _listed(items: Sequence[str]) -> str:
    return named(items, most=MAX_LISTED)


class FragmentedPainPointOptions(RuleOptions):
    min_units: int = Field(default=3, ge=2,
                           description="how many units working on one pain point make it fragmented")


def _units_unsure(portfolio: Portfolio, pain: str) -> bool:
    """Whether CXP202 cannot count the units on `pain`: an initiative on it without a
    (valid or known) unit may be a unit more, and one whose refused `addresses` names it may be on it."""
    if any(i.is_partial("unit") or not portfolio.unit_known(i.unit)
           for i in portfolio.addressing.get(pain, ())):
        return True
    form = id_form(pain)
    return any(i.is_partial("addresses") and form in i.mentions for i in portfolio.initiatives)


@rule("CXP202", "fragmented-pain-point", Severity.WARNING,
      "one pain point is addressed by initiatives of 3 or more units", FragmentedPainPointOptions,
      reads=["Initiative.status", "Initiative.addresses", "Initiative.unit"],
      silent_on=lambda portfolio, finding: _units_unsure(portfolio, finding.entities[0]))
def fragmented_pain_point(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: *the journey is the unit of value, not the department.* When three or more
    units each attack the same customer problem, the journey is being cut into internal
    boxes: separate budgets, separate fixes, nobody owning the whole. Even when their
    initiatives differ (so they are not duplicates), someone should coordinate them.

    **Example**: `PP-black-hole` is addressed by `DIG-7` (digital), `CS-3`
    (customer-service) and `RET-2` (retail):
    `pain_points.yaml:12:9: CXP202 pain point PP-black-hole is addressed by 3 units (customer-service, digital, retail): give it one owner`

    **Fix**: agree which unit leads on the pain point (usually the journey's owner) and
    bring the others' work into its initiatives, so that fewer units address it; where
    the split is agreed on purpose, record the agreement with an `allow:` on the pain
    point (`{rule: CXP202, reason: …}`). `min_units` sets the threshold.

    A unit that is not known (CXP102: `unit: digitl`) is not counted, as an initiative
    without a unit is not: it would read as a unit beside the one it misspells.
    """
    options: FragmentedPainPointOptions = ctx.options_for("CXP202")
    by_pain = ctx.portfolio.addressing
    for pain in ctx.portfolio.pain_points:
        initiatives = by_pain.get(pain.id, [])
        # a unit that is not known (CXP102: `unit: digitl`) is no unit of its own: most
        # likely one of the others misspelt, it is left out, as a missing unit is
        units = sorted({i.unit for i in initiatives if ctx.portfolio.unit_known(i.unit)})
        if len(units) >= options.min_units:
            members = sorted(initiatives, key=lambda i: i.id)
            yield Hit(Anchor.of(pain, "id"),
                      f"pain point {pain.id} is addressed by {len(units)} units ({named(units)}): "
                      "give it one owner",
                      (pain.id, *(i.id for i in members)),
                      tuple(Anchor.of(i, "id") for i in members[:MAX_RELATED]),
                      "agree which unit leads on it and bring the others' work into its initiatives; an agreed "
                      "split is recorded with an allow: on the pain point", key=(pain.id,))


class DuplicateKpiOptions(RuleOptions):
    similarity: float = Field(default=0.85, ge=0, le=1,
                              description="how alike two KPI names must be (0–1)")


@rule("CXP203", "duplicate-kpi", Severity.WARNING,
      "two KPIs measure the same thing under different ids", DuplicateKpiOptions, clusters=True,
      reads=["Kpi.name", "Kpi.type", "Kpi.direction", "Kpi.journey"])
def duplicate_kpi(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: two ids for one measure split the evidence: effects and goals attach to one
    or the other, trends are reported twice, and units can each claim "their" KPI moved.

    KPIs are compared within the same kind and direction, by name similarity, when they
    are on the same journey or one of them names no journey (a KPI of no journey may be
    any journey's): two KPIs with the same name on different journeys are different
    measures. KPIs alike in a chain (A≈B, B≈C) are one finding.

    The work is capped (SECURITY.md): the first 2,000 KPIs of a kind and direction, by
    id, are compared by similarity; the others of that kind and direction are paired
    only with KPIs whose names are the same once normalised, and one more finding, at
    the first of them, says so.

    **Example**:
    ```yaml
    kpis:
      - {id: nps-mortgage, name: "NPS, mortgage customers", kind: experience, direction: increase}
      - {id: mortgage-nps, name: "Mortgage customers NPS", kind: experience, direction: increase}
    ```
    `kpis.yaml:3:10: CXP203 KPIs mortgage-nps and nps-mortgage look like the same measure (names 100% alike)`

    **Fix**: keep one id and point every effect, goal and measurement at it.

    Against a baseline, a group whose KPIs all were in one group at the base is that
    duplicate, smaller (not new; a changed finding in `diff`); one that gains a KPI is new.
    """
    options: DuplicateKpiOptions = ctx.options_for("CXP203")
    groups: dict[tuple, list[Kpi]] = defaultdict(list)
    for kpi in ctx.portfolio.kpis:
        if kpi.name is not None:
            groups[(kpi.type, kpi.direction)].append(kpi)
    found = _Components()
    cut: list[tuple[tuple, list[Kpi]]] = []  # blocks over MAX_KPI_BLOCK: (kind and direction, the KPIs left)
    for key in sorted(groups, key=repr):
        ordered = sorted(groups[key], key=lambda k: k.id)
        block, beyond = ordered[:MAX_KPI_BLOCK], ordered[MAX_KPI_BLOCK:]
        names = [kpi_name(k.name) for k in ordered]
        kpi_pairs(names[:MAX_KPI_BLOCK], [k.journey for k in block], options.similarity,
                  lambda a, b, score: found.join(block[a].id, block[b].id, score))
        if beyond:
            cut.append((key, beyond))
            _same_names(ordered, names, found)
    for members, best in found.components():
        kpis = [ctx.portfolio.by_id[m] for m in members]
        anchor, *others = kpis
        yield Hit(Anchor.of(anchor, "id"),
                  f"KPIs {named(members, and_last=True)} look like the same measure (names {best:.0%} alike)",
                  tuple(members), tuple(Anchor.of(o, "id") for o in others[:MAX_RELATED]),
                  "keep one id and point effects, goals and measurements at it")
    for (kind, direction), beyond in cut:
        first = beyond[0]
        yield Hit(Anchor.of(first, "id"),
                  f"{len(beyond):,} KPIs of kind {kind} and direction {direction}, from {first.id} on, were "
                  f"compared only with KPIs of the same name: the rule compares the first {MAX_KPI_BLOCK:,} of a "
                  "kind and direction by similarity",
                  (first.id,), (),
                  "look for duplicates among them by hand, or retire the KPIs nobody uses (the rule's work is "
                  "capped: SECURITY.md)",
                  key=("not compared", str(kind), str(direction)))


MAX_KPI_BLOCK = 2_000  # KPIs of one kind and direction compared pair by pair (bounded work: SECURITY.md)
# From this many KPIs in a block, rapidfuzz's cdist scores its names (numpy, imported only
# then); a smaller block's pairs cost less than importing numpy (docs/duplicates.md).
KPI_MATRIX_FROM = 600
# Up to this many KPIs in a block, pairs are ruled out by their LCS in Python before
# rapidfuzz is imported (`_kpi_pairs_counted`); a larger block's are scored in C at once.
_KPI_COUNTED_UP_TO = 40
# ... whose names hold at most this many letters in all: the Python count is quadratic in
# them (40 names of 50 letters: ~7 ms, of 100: ~13 ms, more than importing rapidfuzz costs;
# of 10,000: 8 s, where rapidfuzz takes 1.3 s).
_KPI_COUNTED_LETTERS = 2_000
_KPI_ROWS = 256  # names cdist scores at once: _KPI_ROWS × MAX_KPI_BLOCK ratios in memory
_FLOOR_SLACK = 1e-6  # under 2 × cut − 100: far above the rounding errors of the mean
_LONG_WORD = re.compile(r"\w{4,}")
_WORD = re.compile(r"\w+")


def kpi_name(text: str) -> str:
    """Case-folded, NFKC, punctuation to spaces, words of one to three letters dropped
    ('NPS, pension customers' → 'pension customers'), unless nothing else is left."""
    text = normalize(text)
    return " ".join(_LONG_WORD.findall(text) or _WORD.findall(text))


def kpi_pairs(names: Sequence[str], journeys: Sequence[str | None], similarity: float,
              join: Callable[[int, int, float], object]) -> None:
    """Calls join(a, b, score) for pairs a < b of KPI names (`kpi_name`) at least
    `similarity` alike, on one journey or with one of no journey. A pair's score is the
    mean of rapidfuzz's ratio of the names without spaces (a compound matches its parts)
    and its token-set ratio (word order does not matter), from 0 to 1.

    A pair reaches the cut only when its ratio is at least 2 × cut − 100 (a token-set
    ratio is at most 100): rapidfuzz finds those pairs in C, and the token-set ratio is
    computed for them alone (in a block of up to _KPI_COUNTED_UP_TO short names, only
    once a pair of different names reaches that floor: `_kpi_pairs_counted`). Nothing is
    kept but what `join` keeps. A small block's every alike pair is joined; a large
    one's (`_kpi_pairs_matrix`), enough of them for the same components with the same
    best score.
    """
    n = len(names)
    if n < 2:
        return
    cut = similarity * 100
    floor = max(0.0, 2 * cut - 100 - _FLOOR_SLACK)
    compact = [name.replace(" ", "") for name in names]
    if n >= KPI_MATRIX_FROM:
        _kpi_pairs_matrix(names, compact, journeys, cut, floor, join)
        return
    if n <= _KPI_COUNTED_UP_TO and sum(map(len, compact)) <= _KPI_COUNTED_LETTERS:
        _kpi_pairs_counted(names, compact, journeys, cut, floor, join)
        return
    from rapidfuzz import fuzz, process

    ratio, token_set = fuzz.ratio, fuzz.token_set_ratio
    for a in range(n - 1):
        here = journeys[a]
        for _, first, k in process.extract(compact[a], compact[a + 1:], scorer=ratio, score_cutoff=floor,
                                           limit=None):
            b = a + 1 + k
            there = journeys[b]
            if here is not None and there is not None and here != there:
                continue
            score = (first + token_set(names[a], names[b])) / 2
            if score >= cut:
                join(a, b, score / 100)


def _kpi_pairs_counted(names: Sequence[str], compact: Sequence[str], journeys: Sequence[str | None], cut: float,
                       floor: float, join: Callable[[int, int, float], object]) -> None:
    """`kpi_pairs` of a small block, as most portfolios' are, importing rapidfuzz (which
    loads every metric it has: ~10 ms of a check of 100 initiatives) only for a pair that
    reaches the floor. A ratio is 2 × LCS / (|a| + |b|) × 100: the longest common
    subsequence is counted here as rapidfuzz counts it (bit-parallel, `_lcs_length`), and
    rapidfuzz scores the pairs that reach the floor by it. The same name twice scores 100
    by both ratios (a name of letters: `kpi_name`)."""
    n = len(names)
    masks = [_letter_masks(text) for text in compact]
    scorers: tuple[Callable[[str, str], float], Callable[[str, str], float]] | None = None
    for a in range(n):
        here, mine, length = journeys[a], masks[a], len(compact[a])
        for b in range(a + 1, n):
            there = journeys[b]
            if here is not None and there is not None and here != there:
                continue
            if compact[a] and names[a] == names[b]:
                join(a, b, 1.0)
                continue
            total = length + len(compact[b])
            if total and 200 * _lcs_length(mine, length, compact[b]) / total + _FLOOR_SLACK < floor:
                continue
            if scorers is None:
                from rapidfuzz import fuzz
                scorers = fuzz.ratio, fuzz.token_set_ratio
            ratio, token_set = scorers
            first = ratio(compact[a], compact[b])
            if first >= floor:
                score = (first + token_set(names[a], names[b])) / 2
                if score >= cut:
                    join(a, b, score / 100)


def _letter_masks(text: str) -> dict[str, int]:
    """Each letter of `text` → the bits of the places it holds (`_lcs_length`)."""
    masks: dict[str, int] = {}
    for place, letter in enumerate(text):
        masks[letter] = masks.get(letter, 0) | 1 << place
    return masks


def _lcs_length(masks: dict[str, int], length: int, other: str) -> int:
    """The length of the longest common subsequence of a text of `length` letters, whose
    `_letter_masks` these are, and `other`: Hyyrö's bit-parallel recurrence, a few integer
    operations a letter of `other`, which rapidfuzz runs in C."""
    row = (1 << length) - 1
    for letter in other:
        mask = masks.get(letter)
        if mask:
            matched = row & mask
            row = (row + matched) | (row - matched)
    return length - (row & ((1 << length) - 1)).bit_count()


def _kpi_pairs_matrix(names: Sequence[str], compact: Sequence[str], journeys: Sequence[str | None], cut: float,
                      floor: float, join: Callable[[int, int, float], object]) -> None:
    """`kpi_pairs` of a large block, whose near-identical names may make millions of
    pairs alike: rapidfuzz's cdist (in C, on every core) scores _KPI_ROWS names at a time
    against the names after them — their ratios, then their token-set ratios, all of
    them when most pairs pass the ratio's floor, else a name's with those that pass.
    Of each name's alike pairs, `join` gets the best one, and one into each component
    that the name joins to its own (numpy labels say which): the same components, with
    the same best score, from at most twice as many joins as names."""
    import numpy as np
    from rapidfuzz import fuzz, process

    n = len(names)
    codes = {journey: k for k, journey in enumerate(sorted({j for j in journeys if j is not None}))}
    journey = np.array([codes[j] if j is not None else -1 for j in journeys], dtype=np.int64)
    text = np.array(names, dtype=object)
    label = np.arange(n)  # each name's component so far, named by one of its rows
    for start in range(0, n - 1, _KPI_ROWS):
        stop = min(n - 1, start + _KPI_ROWS)
        rows = np.arange(start, stop)
        ratios = process.cdist(compact[start:stop], compact[start:], scorer=fuzz.ratio, score_cutoff=floor,
                               dtype=np.float64, workers=-1)
        # the pairs worth a token-set ratio: after the row, a ratio over the floor, journeys that agree
        ahead = np.arange(start, n)[None, :] > rows[:, None]
        there = journey[None, start:]
        mine = journey[rows][:, None]
        worth = ahead & ((mine < 0) | (there < 0) | (mine == there))
        if floor > 0:
            worth &= ratios >= floor
        tokens = (process.cdist(names[start:stop], names[start:], scorer=fuzz.token_set_ratio, dtype=np.float64,
                                workers=-1) if 2 * worth.sum() > worth.size else None)
        for a in rows.tolist():
            others = np.flatnonzero(worth[a - start])
            if not len(others):
                continue
            token_set = (tokens[a - start, others] if tokens is not None else
                         process.cdist([names[a]], text[others + start], scorer=fuzz.token_set_ratio,
                                       dtype=np.float64)[0])
            scores = (ratios[a - start, others] + token_set) / 2
            alike = scores >= cut
            if not alike.any():
                continue
            others, scores = others[alike] + start, scores[alike]
            top = int(np.argmax(scores))
            join(a, int(others[top]), float(scores[top]) / 100)
            met, first = np.unique(label[others], return_index=True)
            new = met != label[a]
            for k in first[new]:  # a pair into each other component: a spanning set
                join(a, int(others[k]), float(scores[k]) / 100)
            if new.any():
                label[np.isin(label, met)] = label[a]


def _same_names(kpis: Sequence[Kpi], names: Sequence[str], found: _Components) -> None:
    """Joins the KPIs (of one kind and direction) whose names are the same once
    normalised — such a pair is 100% alike — as comparing every pair would: those of
    one journey, and all of them when one names no journey. Linear: it is how the KPIs
    that a block's cap leaves out of the comparison are paired."""
    same: dict[str, list[Kpi]] = defaultdict(list)
    for kpi, name in zip(kpis, names):
        if name:  # two empty names are not alike (token-set ratio 0)
            same[name].append(kpi)
    for members in same.values():
        if len(members) < 2:
            continue
        if any(m.journey is None for m in members):
            runs = [members]
        else:
            by_journey: dict[str, list[Kpi]] = defaultdict(list)
            for m in members:
                by_journey[m.journey or ""].append(m)
            runs = list(by_journey.values())
        for run in runs:
            for one, two in zip(run, run[1:]):
                found.join(one.id, two.id, 1.0)


class _Components:
    """The components of the pairs joined (union-find) and each one's best score: all
    CXP203's messages need, in memory linear in the KPIs, not in the pairs."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._best: dict[str, float] = {}  # by root

    def _root(self, node: str) -> str:
        parent = self._parent
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving keeps the trees flat
            node = parent[node]
        return node

    def join(self, a: str, b: str, score: float) -> None:
        one, two = self._root(a), self._root(b)
        root, other = min(one, two), max(one, two)
        best = max(score, self._best.get(root, score), self._best.pop(other, score) if other != root else score)
        self._parent[other] = root
        self._best[root] = best

    def components(self) -> list[tuple[list[str], float]]:
        """Each component's members, sorted, and its best score, by smallest member."""
        groups: dict[str, list[str]] = defaultdict(list)
        for node in list(self._parent):
            groups[self._root(node)].append(node)
        return [(sorted(groups[root]), self._best[root]) for root in sorted(groups)]


def stars(pairs: Iterable[tuple[str, str]]) -> list[set[str]]:
    """Clusters in which every member is alike to one core member: each connected
    component of `pairs`, split where it chains.

    Union-find alone joins A≈B, B≈C, … into one component whose ends share nothing (in a
    generated portfolio of 100,000 initiatives, one of 34,930 members). Here the core is
    the member with the most pairs among those not yet clustered (the smallest id on a
    tie), and its cluster is it and those of its pairs; the rest is split again. A component that is
    already a star (someone alike to all the others) stays whole. A member alike only to
    non-core members of other clusters is left out of them (in A≈B≈C≈D, cluster
    {A, B, C} and D alone). Deterministic: it depends on the pairs only, not their order.
    """
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    loops = any(node in others for node, others in neighbours.items())  # the same id twice
    found: list[set[str]] = []
    seen: set[str] = set()
    for start in neighbours:
        if start in seen:
            continue
        component, frontier = {start}, [start]  # the connected component, walked
        while frontier:
            for other in neighbours[frontier.pop()]:
                if other not in component:
                    component.add(other)
                    frontier.append(other)
        seen |= component
        degree = {m: len(neighbours[m]) for m in component}
        if not loops and max(degree.values()) == len(component) - 1:
            found.append(component)  # a star already: its core is alike to all the others
            continue
        heap = [(-k, m) for m, k in degree.items()]
        heapq.heapify(heap)
        left = set(component)
        while heap:
            k, core = heapq.heappop(heap)
            if core not in left or -k != degree[core]:
                continue  # clustered already, or an outdated degree (a fresher entry follows)
            if not k:
                break  # nobody left has a pair left
            members = {core} | (neighbours[core] & left)
            left -= members
            found.append(members)
            for m in members:
                for other in neighbours[m] & left:
                    degree[other] -= 1
                    heapq.heappush(heap, (-degree[other], other))
    return sorted(found, key=min)
