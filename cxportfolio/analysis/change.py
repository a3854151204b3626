"""What a change does to a portfolio: entities, findings, rank moves, forecast (`diff`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import field
from functools import cache

from cxportfolio.analysis.ranking import RANK_UNREAD, RankingModel
from cxportfolio.analysis.tracking import COUNT_UNREAD, TargetStatus, track_target
from cxportfolio.engine import CheckRun, not_compared, renamed_from, unread_at_base
from cxportfolio.load.positions import value_at
from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, top_field
from cxportfolio.model.finding import Finding
from cxportfolio.model.portfolio import entity_content, reads_refused, unread_by_all
from cxportfolio.model.scoring import Scoring
from cxportfolio.records import record
from cxportfolio.rules.base import named

# The figures a diff shows are rank's moves and track's forecast: what it leaves out is
# what either leaves out. The forecast is of track's count, which reads no effect
# (COUNT_UNREAD): a refused realized period leaves the work in it.
FIGURES_UNREAD = unread_by_all(RANK_UNREAD, COUNT_UNREAD)


@record
class EntityChange:
    kind: str
    id: str
    change: str  # added | removed | changed | unread (in a file the base could not read)
    fields: tuple[str, ...] = ()
    file: str = ""  # an unread entity's file, as the head names it
    # when that file is not at the base: the base's files that did not parse, one of
    # which it may be, renamed (a rename and a repair in one change)
    base_files: tuple[str, ...] = ()


@record
class RankMove:
    id: str
    title: str
    before: int | None  # rank among open initiatives, None when absent or closed
    after: int | None
    note: str  # entered top N | left top N | moved up k | moved down k


@record(frozen=False)
class PortfolioChange:
    entities: list[EntityChange] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    resolved_findings: list[Finding] = field(default_factory=list)
    # (base finding, head finding): a cluster (CXP201, CXP203: `Rule.clusters`) whose
    # members all were in one cluster at the base — one left it, or it split. The same
    # problem, smaller: not new, as the baseline gate has it (engine.Known).
    changed_findings: list[tuple[Finding, Finding]] = field(default_factory=list)
    # By (rule, id), why a member of such a base cluster, not in the head's, is out of it for a
    # mistake at the head, not for a change (its title refused, its unit unknown, its id
    # taken): not compared there until the mistake is corrected, so not known to have left.
    # (by rule too: a KPI may share an initiative's id, CXP101, in another rule's cluster)
    uncompared_members: dict[tuple[str, str], str] = field(default_factory=dict)
    # Base findings the head cannot say anything of: what they concern is in a file that
    # does not parse, or was lost to a mistake (CXP002/CXP003), or they report an absence
    # the head cannot confirm while a mistake leaves something unread — not resolved.
    unchecked_findings: list[Finding] = field(default_factory=list)
    # Base findings the head accepts on purpose, not resolved: an `allow:` now suppresses
    # them (the head's finding, with its reason), or their rule is off at the head (the
    # base's finding). A reviewer must see what a change silences.
    accepted_findings: list[Finding] = field(default_factory=list)
    rank_moves: list[RankMove] = field(default_factory=list)
    before: TargetStatus | None = None
    after: TargetStatus | None = None
    top: int = 10
    # What the head's figures (its forecast) leave out for its errors: entities by kind,
    # and how many files could not be read (analysis/exclusions.py).
    head_left_out: dict[str, int] = field(default_factory=dict)
    head_unreadable: int = 0
    # By each file the base could not read, how many new findings lie in it, point into it
    # or are about what it defines: new for want of a comparison (engine.not_compared).
    not_compared: dict[str, int] = field(default_factory=dict)
    base_unreadable: tuple[str, ...] = ()  # the base's files that did not parse
    base_gone: tuple[str, ...] = ()  # those gone at the head: a file added may be one, renamed


def _about_lost(base: CheckRun, head: CheckRun) -> Callable[[Finding], bool]:
    """Whether a base finding concerns an entity missing at the head for a mistake, not a
    removal — its file does not parse there, or the head lost what may define it (an item
    refused whole, a misspelled top-level key, a repeated key) — among its entities or
    named in its message (CXP402 names the KPIs it read)."""
    after = _by_kind_and_id(head)
    lost = {key[1] for key, entity in _by_kind_and_id(base).items() if key not in after and _may_be_at(head, entity)}
    if not lost:
        return lambda finding: False
    import re

    named = re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, sorted(lost, key=len, reverse=True)))
                       + r")(?![\w-])")
    return lambda finding: bool(lost.intersection(finding.entities)) or bool(named.search(finding.message))


def _unconfirmed(head: CheckRun) -> Callable[[Finding], bool]:
    """Whether a base finding gone at the head may be there still: its rule keeps silent
    on what it is about at the head, for what a mistake there leaves unread
    (`Rule.silent_on`: CXP102, CXP201, CXP202, CXP301, CXP304, CXP401, CXP402, CXP501
    and CXP502)."""
    from cxportfolio.rules import REGISTRY

    def unconfirmed(finding: Finding) -> bool:
        rule = REGISTRY.get(finding.code)
        return rule is not None and rule.silent_on is not None and rule.silent_on(head.portfolio, finding)

    return unconfirmed


def _read_refused(head: CheckRun) -> Callable[[Finding], bool]:
    """Whether a base finding gone at the head is about what a refused value hid there:
    an entity it names (among its entities or in its message: CXP402 names the KPIs it
    read) has a value refused at the head that its rule reads (`titel:` for `title:`
    leaves no title for CXP201 to compare; `change: "-30"` no effect for CXP304 to
    weigh). A refused key that is no field (`efects:`) may be any field. A rule whose
    `silent_on` weighs refused values itself (`Rule.weighs_refused`: CXP102) is left to it."""
    import re

    from cxportfolio.rules import REGISTRY

    # each partial entity's refused values, as `Rule.reads` names them ("Kpi.type" for a
    # KPI's `kind`); None for a key that is no field, which may be any
    refused: dict[str, list[tuple[str, str | None]]] = {}
    for entity in head.portfolio.by_id.values():
        if entity.invalid_fields:
            model = type(entity)
            refused[entity.id] = [(model.__name__, _attributes(model).get(name))
                                  for name in {top_field(name) for name in entity.invalid_fields}]
    if not refused:
        return lambda finding: False

    def reads_refused(reads: frozenset[str] | None, fields: list[tuple[str, str | None]]) -> bool:
        return reads is None or any(f"{kind}.{name}" in reads if name is not None else
                                    any(read.startswith(kind + ".") for read in reads) for kind, name in fields)

    def read_refused(finding: Finding) -> bool:
        rule = REGISTRY.get(finding.code)
        if rule is None or rule.check is None:  # the loader's own findings (CXP001–CXP004) read no entity
            return False
        if rule.weighs_refused:  # its `silent_on` tells which refused values may hide the finding
            return False
        named = set(finding.entities) | set(re.findall(r"[A-Za-z][A-Za-z0-9_.-]*", finding.message))
        return any(reads_refused(rule.reads, refused[ident]) for ident in named if ident in refused)

    return read_refused


def _smaller_clusters(old: list[Finding], new: list[Finding], gone: list[Finding]
                      ) -> tuple[list[tuple[Finding, Finding]], list[Finding], list[Finding]]:
    """The new findings that are a base cluster, smaller, each with it (the one gone, if
    any: it is then not resolved); the other new findings; the gone ones still unpaired.
    Live at the base only: one accepted there is new while live here, as for the gate."""
    from cxportfolio.engine import Clusters

    base: Clusters[Finding] = Clusters()
    for finding in old:
        if not finding.suppressed:
            base.add(finding.code, finding.entities, finding)
    gone_prints = {f.fingerprint for f in gone}
    changed, still_new = [], []
    for finding in new:
        holding = base.holding(finding.code, finding.entities)
        if holding:
            changed.append((next((f for f in holding if f.fingerprint in gone_prints), holding[0]), finding))
        else:
            still_new.append(finding)
    paired = {before.fingerprint for before, _ in changed}
    return changed, still_new, [f for f in gone if f.fingerprint not in paired]


def _uncompared(base: CheckRun | None, head: CheckRun, changed: list[tuple[Finding, Finding]],
                repeated: dict[tuple[str, str], list[Entity]]) -> dict[tuple[str, str], str]:
    """By (rule, id), why each member of a changed cluster that the head's cluster lacks is out of
    it for a mistake at the head (`PortfolioChange.uncompared_members`); a member that
    left (retitled, dropped, deleted) has none. `repeated`: the head's ids defined twice."""
    why: dict[tuple[str, str], str] = {}
    for before, after in changed:
        for ident in sorted(set(before.entities) - set(after.entities)):
            reason = _why_uncompared(base, head, before.code, ident, repeated)
            if reason:
                why[(before.code, ident)] = reason
    return why


# By cluster rule, the kind of its members and the keys (as written) it compares them by:
# one refused or missing leaves the member out of every pair (CXP201 weighs a refused
# title's words but pairs it with nothing; CXP203 groups KPIs by kind and direction and
# skips one without a name), which is no sign it left the cluster.
_COMPARED_BY: dict[str, tuple[type[Entity], tuple[str, ...]]] = {
    "CXP201": (Initiative, ("title", "description")), "CXP203": (Kpi, ("name", "kind", "direction"))}


def _why_uncompared(base: CheckRun | None, head: CheckRun, code: str, ident: str,
                    repeated: dict[tuple[str, str], list[Entity]]) -> str | None:
    """Why the head does not compare `ident`, a member of a base cluster of rule `code`
    (`_COMPARED_BY`; work of a unit not known neither: `_Work.of`, nor a KPI of a journey
    not known with its journey's; nor a definition of an id defined twice that the rules do
    not read), or None when it is compared and so left the cluster."""
    at_head = head.portfolio.by_id.get(ident)
    was = base.portfolio.by_id.get(ident) if base is not None else None
    if at_head is None:
        return ("not read at the head, for a mistake there (its CXP001–CXP003 findings say where)"
                if was is not None and _may_be_at(head, was) else None)
    definitions = repeated.get((was.label, ident), []) if was is not None else []
    if definitions and _own_definition(was, definitions, at_head) is not at_head:
        # the rules read another definition of its id: the member, still there, is read by none
        return f"not compared while its id is defined {len(definitions)} times (CXP101)"
    kind, compared = _COMPARED_BY.get(code, (type(None), ()))
    if not isinstance(at_head, kind) or (isinstance(at_head, Initiative) and at_head.status == "dropped"):
        return None
    refused = [name for name in compared if at_head.is_partial(name)]
    if refused and all(_held(at_head, name) is not None for name in refused):
        # its own `title:` valid, a stray `titel:` beside it may be the title meant: the
        # title the user reads in the file is not the one refused
        return f"not compared while another key may be its {named(refused, and_last=True)} (CXP002)"
    if refused:  # `title: [Status tracker]`, `titel:`, or no title at all
        written = any(head.portfolio.written(at_head, name) for name in refused)
        return (f"not compared while its {named(refused, and_last=True)} {'are' if len(refused) > 1 else 'is'} "
                f"{'refused' if written else 'missing'} (CXP002)")
    if isinstance(at_head, Initiative) and at_head.unit and not head.portfolio.unit_known(at_head.unit):
        return f"not compared while its unit '{at_head.unit}' is not known (CXP102)"
    if isinstance(at_head, Kpi) and at_head.journey and not head.portfolio.may_define(at_head.journey, Journey):
        return f"not compared while its journey '{at_head.journey}' is not known (CXP102)"
    return None


def _held(entity: Entity, key: str) -> object:
    """The entity's value of the field its file writes as `key` (a KPI's `kind` is `type`)."""
    return getattr(entity, _attributes(type(entity)).get(key, key), None)


@cache
def _attributes(model: type[Entity]) -> dict[str, str]:
    """Each field's attribute by its key as written and by its own name (`kind` and `type`:
    `type`), once per model."""
    fields = model.model_fields
    return {info.alias or name: name for name, info in fields.items()} | {name: name for name in fields}


def _accepted_smaller(gone: list[Finding], accepted: Iterable[Finding]) -> dict[str, Finding]:
    """By the fingerprint of each gone base cluster, the head's accepted finding that is
    it, smaller (`_smaller_clusters` pairs the live ones)."""
    from cxportfolio.engine import Clusters

    base: Clusters[Finding] = Clusters()
    for finding in gone:
        base.add(finding.code, finding.entities, finding)
    found: dict[str, Finding] = {}
    for finding in accepted:
        for before in base.holding(finding.code, finding.entities):
            found.setdefault(before.fingerprint, finding)
    return found


def _by_kind_and_id(run: CheckRun) -> dict[tuple[str, str], Entity]:
    """Each entity by its kind's label and id, as its kind defines it (`Portfolio.of_kind`)."""
    return {(kind.label, ident): entity for kind, index in run.portfolio.of_kind.items()
            for ident, entity in index.items()}


def _repeated(run: CheckRun) -> dict[tuple[str, str], list[Entity]]:
    """The definitions of each id a kind defines more than once (CXP101), by kind and id."""
    seen: dict[tuple[str, str], list[Entity]] = {}
    for entity in run.portfolio.entities:
        seen.setdefault((entity.label, entity.id), []).append(entity)
    return {key: found for key, found in seen.items() if len(found) > 1}


def _own_definition(before: Entity, definitions: list[Entity], chosen: Entity | None) -> Entity | None:
    """Of an id defined twice at the head, the one to compare the base's entity with: the
    definition as it was, else the one in its file. A copy of an initiative whose id was
    not yet changed is the new CXP101, not a change of the entity it copied (the rules
    use whichever comes first by content, `Portfolio.by_id`)."""
    same = [e for e in definitions if entity_content(e) == entity_content(before)]
    here = [e for e in definitions if e.origin.file == before.origin.file]
    return (same or here or [chosen])[0]


def _written(run: CheckRun, entity: Entity, key: str) -> object:
    """The value of `key` in `entity`'s item as its file writes it: a refused one, which
    the entity holds as the field's default, is there alone."""
    return value_at(run.loaded.file(entity.origin.file).data, (*entity.origin.pointer, key))


def _same(before: object, after: object) -> bool:
    """Whether two values as written are the same: `.nan` is `.nan` (a float that equals
    no float), and a mapping's keys in another order are the same mapping."""
    return before == after or repr(before) == repr(after)


def _may_be_at(head: CheckRun, entity: Entity) -> bool:
    """Whether a base entity missing at the head may be there unseen, for a mistake: its
    file does not parse there, an item of its kind and id was refused, a value lost to
    a mistake may define it, or an item of its kind in its file lost its id or took an
    id another definition has (CXP101: it may be this one, renamed)."""
    portfolio = head.portfolio
    return (portfolio.may_hold(entity.origin.file)
            or any(label == entity.label for label, _ in portfolio.invalid_ids.get(entity.id, ()))
            or portfolio.unsure(entity.id, entity.label)
            or portfolio.lost_without_id(entity.label, entity.origin.file)
            or (entity.origin.file, entity.label) in portfolio.taken_in)


def compare(base: CheckRun | None, head: CheckRun, as_of: dt.date, top: int = 10, moved: int = 3) -> PortfolioChange:
    """What the change from `base` to `head` does; findings are matched by fingerprint,
    entities by kind and id, so renaming a file or moving an entity changes neither. `base` is
    None when the change adds the portfolio: everything in it is new."""
    change = PortfolioChange(top=top)
    # by (kind, id): a journey and a unit sharing an id (CXP101) are two entities, each
    # compared with its own kind's definition (`Portfolio.of_kind`)
    old = _by_kind_and_id(base) if base is not None else {}
    new = _by_kind_and_id(head)
    repeated = _repeated(head)
    # the files that did not parse at the base and are gone: a file added may be one, renamed
    gone_unread = renamed_from(base.portfolio.unreadable, head.portfolio.files) if base is not None else ()
    unread = (unread_at_base(base.portfolio.unreadable, head.portfolio.files, base.portfolio.files)
              if base is not None else set())
    for key in sorted(old.keys() | new.keys(), key=lambda key: (key[1], key[0])):
        label, ident = key
        a, b = old.get(key), new.get(key)
        if a is not None and key in repeated:
            b = _own_definition(a, repeated[key], b)
        if a is None and b is not None and base is not None and b.origin.file in unread:
            # Not "added": the base could not read its file (or one that may be it, renamed),
            # which may well have defined it (a repair adds nothing by that alone).
            renamed = () if b.origin.file in base.portfolio.unreadable_files else gone_unread
            change.entities.append(EntityChange(label, ident, "unread", file=b.origin.file, base_files=renamed))
        elif a is None and b is not None:
            change.entities.append(EntityChange(label, ident, "added"))
        elif b is None and a is not None:
            # Not "removed" when the head cannot say: its file does not parse (or is gone
            # while one that does not parse may be it, renamed), or the entity is there but
            # without a valid id, or under a misspelled key (each a finding of its own).
            if not _may_be_at(head, a):
                change.entities.append(EntityChange(label, ident, "removed"))
        elif a is not None and b is not None:
            # warnings off: a partial entity holds None where a refused value was; by alias:
            # fields are named as the file writes them (a KPI's `kind`, not `type`)
            before, after = (e.model_dump(warnings=False, by_alias=True) for e in (a, b))
            # a value refused on one side only changed too, though the refused one holds the
            # field's default (`tags: 5` where the base wrote none), as `changed_fields` has it;
            # refused on both, it changed when its text did (`effort: lots` → `heaps`)
            # (a stage's refused name, `stages.name`, as the field written: `stages`)
            a_refused, b_refused = ({top_field(k) for k in e.invalid_fields} for e in (a, b))
            fields = tuple(sorted({k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
                                  | (a_refused ^ b_refused)
                                  | {k for k in a_refused & b_refused
                                     if not _same(_written(base, a, k), _written(head, b, k))}))
            if fields:
                change.entities.append(EntityChange(label, ident, "changed", fields))
    old_findings = base.result.findings if base is not None else []
    old_prints = {f.fingerprint for f in old_findings if not f.suppressed}
    new_prints = {f.fingerprint for f in head.result.findings if not f.suppressed}
    change.new_findings = [f for f in head.result.findings if not f.suppressed and f.fingerprint not in old_prints]
    gone = [f for f in old_findings if not f.suppressed and f.fingerprint not in new_prints]
    allowed = {f.fingerprint: f for f in head.result.findings if f.suppressed}
    # a base cluster whose smaller self the head accepts (a newcomer to an accepted
    # cluster taken out again) is still a duplicate: accepted, not resolved
    allowed = _accepted_smaller(gone, allowed.values()) | allowed
    off = {code for code, severity in head.portfolio.rules.severities.items() if severity == "off"}
    change.accepted_findings = [allowed.get(f.fingerprint, f) for f in gone
                                if f.fingerprint in allowed or f.code in off]
    gone = [f for f in gone if f.fingerprint not in allowed and f.code not in off]
    change.changed_findings, change.new_findings, gone = _smaller_clusters(old_findings, change.new_findings, gone)
    change.uncompared_members = _uncompared(base, head, change.changed_findings, repeated)
    about_lost = _about_lost(base, head) if base is not None and gone else (lambda finding: False)
    unconfirmed, read_refused = _unconfirmed(head), _read_refused(head)
    unchecked = [about_lost(f) or unconfirmed(f) or read_refused(f) for f in gone]
    change.unchecked_findings = [f for f, no in zip(gone, unchecked) if no]
    change.resolved_findings = [f for f, no in zip(gone, unchecked) if not no]
    change.rank_moves = _rank_moves(base, head, top, moved)
    if base is not None:
        change.not_compared = not_compared(change.new_findings, head.portfolio, base.portfolio.unreadable,
                                           base.portfolio.files)
        change.base_unreadable = tuple(sorted(base.portfolio.unreadable))
        change.base_gone = gone_unread
    # A side whose year is unknown (its cxportfolio.yaml cannot be used, or its `year` is
    # refused) tracks the other side's, so that the forecasts compared are the same year's
    # (not --as-of's year against 2026).
    base_year = base.portfolio.year if base is not None else None
    change.before = track_target(base.portfolio, as_of, base_year or head.portfolio.year) if base is not None else None
    change.after = track_target(head.portfolio, as_of, head.portfolio.year or base_year)
    from cxportfolio.analysis.exclusions import exclusions

    left = exclusions(head, FIGURES_UNREAD)
    change.head_left_out, change.head_unreadable = left.counts(), len(left.unreadable)
    return change


def _open_ranks(run: CheckRun | None, scoring: Scoring | None = None) -> dict[str, tuple[int, str, bool]]:
    """Each open initiative's rank, title, and whether its figure rests on a value refused
    in other work or on a KPI rank cannot weigh (rank's `rests-on-refused`)."""
    if run is None:
        return {}
    model = RankingModel(run.portfolio, scoring)
    open_work = [i for i in run.portfolio.initiatives if i.is_open]
    return {s.id: (n + 1, s.initiative.title, s.rests_on_refused) for n, s in enumerate(model.ranked(open_work))}


def _left_out_at(head: CheckRun, base: CheckRun | None, ident: str) -> bool:
    """Whether an initiative the base ranks is unranked at the head for a mistake there
    (its file does not parse, its id or a value is refused, it is lost), not for a change
    of its own: a reviewer must not read it as deprioritised."""
    at_head = head.portfolio.get(ident, Initiative)
    if at_head is not None:
        return reads_refused(at_head, RANK_UNREAD)
    was = base.portfolio.get(ident, Initiative) if base is not None else None
    return was is not None and _may_be_at(head, was)


def _closed_at(head: CheckRun, ident: str) -> str | None:
    """"done" or "dropped" when that is why the head ranks the initiative no more; a
    reviewer must not read a delivery as a deprioritisation."""
    at_head = head.portfolio.get(ident, Initiative)
    status = getattr(at_head, "status", None)
    return status if status in ("done", "dropped") else None


def _rank_moves(base: CheckRun | None, head: CheckRun, top: int, moved: int) -> list[RankMove]:
    # While the head's cxportfolio.yaml cannot be used its weights are unknown: ranked by
    # the base's, so that no rank moves for the defaults alone.
    known = base.portfolio.config if base is not None and head.portfolio.config is None else None
    before, after = _open_ranks(base), _open_ranks(head, known.scoring if known is not None else None)
    moves = []
    for ident in before.keys() | after.keys():
        b = before[ident][0] if ident in before else None
        a = after[ident][0] if ident in after else None
        title = (after.get(ident) or before[ident])[1]
        in_before, in_after = b is not None and b <= top, a is not None and a <= top
        if in_after and not in_before:
            note = f"entered the top {top}"
        elif in_before and a is None and _left_out_at(head, base, ident):
            note = "left out at the head for a mistake: `cxportfolio check` says where"
        elif in_before and a is None and head.portfolio.get(ident, Initiative) is None:
            note = "removed"  # gone from the head's files: not deprioritised either
        elif in_before and a is None and _closed_at(head, ident):  # done or dropped, not deprioritised
            note = f"{_closed_at(head, ident)}: no longer open work to rank"
        elif in_before and not in_after:
            note = f"left the top {top}"
        elif a is not None and b is not None and abs(a - b) >= moved:
            note = f"moved {'up' if a < b else 'down'} {abs(a - b)}"
        else:
            continue
        if a is not None and after[ident][2]:
            # the head's figure rests on a value refused in other work, on its own effect on
            # a KPI rank cannot weigh, or on what a file that cannot be read defines
            # (`Score.rests_on_refused`): a mistake may have moved it, not the change (a
            # reviewer must not read it as a new priority), and "mistake" names both kinds
            note += ", resting on a mistake at the head: `cxportfolio check` says where"
        moves.append(RankMove(ident, title, b, a, note))
    return sorted(moves, key=lambda m: (m.after if m.after is not None else 10**9, m.id))
