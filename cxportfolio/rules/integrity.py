"""CXP101–CXP107: the portfolio hangs together (ids, references, stages, cycles, dates, one-line names)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from graphlib import CycleError, TopologicalSorter

from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, Origin, PainPoint
from cxportfolio.model.finding import MAX_RELATED, Finding, Severity
from cxportfolio.model.portfolio import Portfolio, entity_content, iter_references, references_of
from cxportfolio.model.types import did_you_mean, field_path, id_excerpt, id_form, most_alike, nearest
from cxportfolio.model.validate import ANY_KIND, MAX_LOST_CHARS, a_label, named as named_in
from cxportfolio.render.neutral import printable
from cxportfolio.rules.base import MAX_NAMED, Anchor, Hit, RuleContext, named, rule


def _content_but_unit(entity: Entity) -> tuple[str, str]:
    """An entity's content, an initiative's unit aside: pasted into another unit's file,
    it inherits that unit and is the same initiative still."""
    if isinstance(entity, Initiative) and entity.unit_inherited:
        return entity_content(entity.model_copy(update={"unit": None}))
    return entity_content(entity)


@rule("CXP101", "duplicate-id", Severity.ERROR, "an id is defined twice",
      reads=["Journey.stages"])
def duplicate_id(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: ids are unique across the whole portfolio, all kinds together, so that every
    reference (`addresses`, `depends_on`, `effects.kpi` …) means exactly one thing. Two
    units picking the same id would silently merge or hide each other's work. Stage ids
    need only be unique within their journey.

    **Example**:
    ```yaml
    # units/digital.yaml                 # units/customer-service.yaml
    initiatives:                         initiatives:
      - id: STATUS-1                       - id: STATUS-1
    ```
    `units/digital.yaml:3:9: CXP101 id 'STATUS-1' is defined 2 times (initiative here, initiative in units/customer-service.yaml)`

    An item an alias repeats whole (`- *first`) is one finding, at the item's id, related
    to the alias. A stage id repeated in its journey is one finding, at its second place,
    related to the others: "stage 's1' appears 3 times in journey 'j'".

    **Fix**: rename one of them; ids are cheap, prefixes per unit (`DIG-`, `CS-`) avoid clashes.
    Until then, references and the other rules read one of the definitions: the same one
    whichever files hold them (by content, not by file name), so renaming or moving a
    file changes no finding. An id given to an entity of another kind by mistake (an
    initiative's `id: card-problem`, a journey's id) leaves each kind its own: references
    to the journey, and the figures resting on it, stay what they were.
    """
    # Every definition of an id, valid or refused by validation: (kind label, origin).
    by_id: dict[str, list[tuple[str, Origin]]] = defaultdict(list)
    entities: dict[str, list[Entity]] = defaultdict(list)
    for entity in ctx.portfolio.entities:
        by_id[entity.id].append((entity.label, entity.origin))
        entities[entity.id].append(entity)
    for ident, places in ctx.portfolio.invalid_ids.items():
        by_id[ident].extend(places)
    for ident, group in by_id.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda place: (place[1].file, place[1].pointer))
        # A copy pasted twice (into another unit's file too): renaming one would keep the
        # same work under two ids.
        copies = len(entities[ident]) == len(group) <= MAX_RELATED + 1 and len(
            {_content_but_unit(e) for e in entities[ident]}) == 1
        hint = (f"the definitions are the same: keep one and delete the other{'s' if len(group) > 2 else ''} "
                "(renaming one would keep the same entity twice)"
                if copies else "rename one of them: ids are unique across all kinds")
        # An item an alias repeats (`- *name`) is written once: said at its anchor, with how
        # many aliases repeat it, and related to them; not again where each alias stands.
        written = {(o.file, o.pointer) for _, o in group}
        repeats: dict[tuple[str, tuple[str | int, ...]], list[Origin]] = defaultdict(list)
        for _, o in group:
            if o.alias_of is not None and (o.file, o.alias_of) in written:
                repeats[(o.file, o.alias_of)].append(o)
        if not repeats:
            canon = group
        else:
            canon = [place for place in group if place[1].alias_of is None or (place[1].file, place[1].alias_of)
                     not in written]
            if len(canon) == 1:  # one item and the aliases that repeat it
                hint = (f"an alias (`*name`) repeats the {canon[0][0]}: delete the alias, or write the other out "
                        "with an id of its own")
        for label, origin in canon:
            # an id defined thousands of times: each names a few (bounded work)
            others = [place for place in canon[:MAX_RELATED + 1] if place[1] is not origin][:MAX_RELATED]
            more = len(canon) - 1 - len(others)
            said: list[str] = []
            places: list[Anchor] = []
            for other_label, o in [(None, origin), *others]:
                # the file as the text output shows it: a line break in its name, folded to a
                # space with the message's, would name another file
                where = printable(o.file) if o.file != origin.file else "this file"
                if other_label is not None:
                    said.append(f"{other_label} in {where}")
                    places.append(Anchor(o.file, o.pointer + ("id",)))
                aliases = repeats.get((o.file, o.pointer), ()) if repeats else ()
                if aliases:  # each alias at its `*name`: the item's place in its list
                    said.append(f"repeated by {'an alias' if len(aliases) == 1 else f'{len(aliases)} aliases'} "
                                f"in {where}")
                    places.extend(Anchor(a.file, a.pointer) for a in aliases[:MAX_RELATED])
            where = ", ".join(said) + (f" and {more} more" if more else "")
            # an id too long to be valid (a pull request's, of megabytes) is quoted cut, as its label
            yield Hit(Anchor(origin.file, origin.pointer + ("id",)),
                      f"id '{id_excerpt(ident)}' is defined {len(group)} times ({label} here, {where})", (ident,),
                      tuple(places[:MAX_RELATED]), hint)
    for journey in ctx.portfolio.journeys:
        first = journey.stage_places()
        again: dict[str, list[int]] = {}  # each repeated stage id → its places after the first
        for i, stage in enumerate(journey.stages):
            if first[stage.id] != i:
                again.setdefault(stage.id, []).append(i)
        # one finding per repeated id (its key is the stage's), at its second place: written
        # three times, or repeated by 3,000 aliases, it is one mistake, not "twice" again and again
        for stage_id, places in again.items():
            times = "twice" if len(places) == 1 else f"{len(places) + 1} times"
            yield Hit(Anchor.of(journey, "stages", places[0], "id"),
                      f"stage '{stage_id}' appears {times} in journey '{journey.id}'", (journey.id,),
                      tuple(Anchor.of(journey, "stages", i, "id") for i in (first[stage_id], *places[1:MAX_RELATED])),
                      "give each stage of a journey its own id", key=(journey.id, "stage", stage_id),
                      parties=(journey.id,))


def _silent_on_reference(portfolio: Portfolio, finding: Finding) -> bool:
    """CXP102 says nothing of a reference to an id no entity has, or only an entity of
    another kind has, while a file does not parse, a value lost to a mistake or a
    definition renamed to a taken id may have defined it, nor of a reference its entity
    has refused: one of its refused values names the target (`Entity.mentions`; the
    file's own `unit:`, refused, names it for the file's initiatives). Another
    refused value (`addresses: [PP-black-hole, 5]` fixing `[PP-blak-hole]`) hides nothing
    of it: a refused item's well-formed reference is followed still, so a gone finding is
    one fixed."""
    referrer, target = (*finding.entities, "", "")[:2]
    # the kinds the head's referrer wants the target as; none when it names it no more
    wanted = {kind for holder in portfolio.of_kind.values() if referrer in holder
              for _, _, named, kind in references_of(holder[referrer]) if named == target}
    if portfolio.by_id.get(target) is not None and all(portfolio.get(target, kind) is not None for kind in wanted):
        return False  # defined as the kind wanted (or no longer named): the rule can tell
    if not portfolio.complete or (portfolio.unsure_ids and id_form(target) in portfolio.unsure_ids):
        return True
    if any(portfolio.lost_without_id(kind.label) or kind.label in portfolio.taken_kinds for kind in wanted):
        return True  # an item of the kind wanted lost its id, or took another's: it may have been this one
    if finding.pointer == "/unit":  # the file's `unit:`, which its initiatives take: refused, it may name it still
        document = portfolio.documents.get(finding.location.file)
        written = document.get("unit") if isinstance(document, dict) else None
        return written is not None and id_form(target) in named_in(written, [MAX_LOST_CHARS])
    entity = portfolio.by_id.get(referrer)
    return entity is not None and id_form(target) in entity.mentions


@rule("CXP102", "unknown-reference", Severity.ERROR, "a reference names no defined entity",
      absence=True, silent_on=_silent_on_reference, weighs_refused=True,
      reads=["Unit.goals", "Journey.owner", "PainPoint.journey", "Kpi.journey", "Kpi.owner", "Kpi.drives",
             "Kpi.tradeoffs", "Initiative.unit", "Initiative.addresses", "Initiative.effects",
             "Initiative.realized", "Initiative.depends_on",
             # a name written for an id is hinted with the id it names
             "Unit.name", "Journey.name", "Journey.stages", "PainPoint.title", "Kpi.name", "Initiative.title"])
def unknown_reference(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: a reference that names nothing — a typo in a pain point id, a KPI that was
    renamed, a unit that no longer exists — cuts the link between work and the customer
    problem or outcome it is meant for, and every journey-level figure that depends on it.
    A reference to an entity of the wrong kind (an initiative id in `addresses`) is
    reported too.

    While a file does not parse, or a value lost to a mistake (a list under a
    misspelled key, an item refused whole) or a definition given an id another has, of its
    kind or another (CXP101: it may be the one renamed) may define the id as the kind wanted, neither
    an unknown id nor one of another kind is reported (had it defined a unit `tandvard`
    beside the journey, the finding would be CXP101); its CXP001 or CXP002 is the finding
    meanwhile (docs/format.md, "Error tolerance"). A reference in a list item refused for
    another of its values (`{kpi: nps-onboardin, change: 2, confidence: 1.5}`) is followed
    still: its unknown id is told in the same run as that value's CXP002.

    **Example**:
    ```yaml
    - id: DIG-007
      addresses: [PP-blackhole]     # defined as PP-black-hole
    ```
    `units/digital.yaml:4:17: CXP102 addresses[0] names unknown pain point 'PP-blackhole' (initiative DIG-007)`
    with the hint `did you mean 'PP-black-hole'?`

    **Fix**: correct the id (the hint names the closest one, or the entity whose name or
    title was written for its id) or define the entity.

    The closest ids are looked for among every id of the kind, for the first 500 unknown
    references of a check; the others say only that they are unknown (bounded work,
    SECURITY.md: a pull request of 16,000 unknown references among 8,000 ids took a
    minute, and would take hours at the file-size caps).
    """
    portfolio = ctx.portfolio
    ids_of_kind: dict[type[Entity], list[str]] = defaultdict(list)  # for hints: filled when first needed
    searched = 0
    reported_file_units: set[str] = set()
    for entity, pointer, target, kind in iter_references(portfolio):
        if portfolio.get(target, kind) is not None or target in portfolio.invalid_ids:
            continue
        # Even when another kind has the id: what cannot be read may define it as this
        # kind too (then the finding is CXP101), so "not a unit" is not known (docs/format.md, error tolerance).
        if not portfolio.complete:
            continue  # it may be defined in a file that could not be read
        if portfolio.unsure(target, kind.label) or portfolio.lost_without_id(kind.label):
            continue  # it may be what an item refused whole defined ("Id: nps", "id: DIG 008", no id)
        if kind.label in portfolio.taken_kinds:
            continue  # it may be the definition renamed to an id another took (CXP101 says where)
        found = portfolio.by_id.get(target)
        anchor = Anchor.of(entity, *pointer)
        field = field_path(anchor.pointer[len(entity.origin.pointer):])  # its index as written (Origin.written)
        key = None
        if isinstance(entity, Initiative) and pointer == ("unit",) and entity.unit_inherited:
            if entity.origin.file in reported_file_units:
                continue
            reported_file_units.add(entity.origin.file)
            # About the file's `unit:`, not the initiative that happens to come first.
            anchor, field, key = Anchor(entity.origin.file, ("unit",)), "the file's unit", ("file unit", target)
        if found is not None:
            message = f"{field} names '{target}', which is {a_label(found.label)}, not {a_label(kind.label)}"
            hint = f"name {a_label(kind.label)} here"
        else:
            message = f"{field} names unknown {kind.label} '{target}'"
            if not ids_of_kind:
                for ident in sorted(portfolio.by_id):  # sorted: a tie in "did you mean" never depends on file order
                    ids_of_kind[type(portfolio.by_id[ident])].append(ident)
            searched += 1
            # a name or title written as an id (`unit: Kundeservice`) is told that entity's id
            hint = (portfolio.name_hint(kind.label, target, pointer)
                    or _unknown_id_hint(target, [i for i in ids_of_kind[kind] if i != entity.id], kind.label,
                                        isinstance(entity, kind))
                    if searched <= MAX_SEARCHED_REFERENCES else
                    f"define the {kind.label} or correct the id (the ids alike are looked for in the first "
                    f"{MAX_SEARCHED_REFERENCES} unknown references only)")
        if key is None:  # whose reference it is, as CXP002 says it (the message is no part of the fingerprint)
            message += f" ({entity.label} {entity.id})"
        yield Hit(anchor, message, (entity.id, target), (), hint, key, parties=(entity.id,))


@rule("CXP103", "unknown-stage", Severity.ERROR, "a pain point's stage is not a stage of its journey",
      reads=["PainPoint.journey", "PainPoint.stage", "Journey.stages", "Journey.mentions",
             "Journey.name", "PainPoint.title"])  # a name written for an id: the hint names its id
def unknown_stage(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: a pain point's value is counted from the customers who reach its stage; on
    a stage the journey does not have, it cannot be placed on the journey map or valued.

    **Example**:
    ```yaml
    pain_points:
      - id: PP-black-hole
        journey: mortgage
        stage: decison
    ```
    `pain_points.yaml:4:12: CXP103 stage 'decison' is not a stage of journey 'mortgage' (explore, apply, decision, payout)`

    **Fix**: use one of the journey's stage ids (a stage's name written for its id is told
    the id), or add the stage to the journey. While a stage of the journey repeats another's
    id (CXP101), it may be the one named, renamed: a stage alike none of the journey's is
    not called unknown until the ids differ. While the journey's own id is written twice (a
    journey renamed to it), a stage either definition has is not called unknown either.

    The closest stages are looked for among every stage of the journey, for the first 500
    unknown stages of a check; the others name the journey's first stages (bounded work,
    SECURITY.md: 4,000 unknown stages of a journey of 4,000 took 12 s to check).
    """
    # each journey's stage ids (a repeated one, CXP101, once) and places, read once
    stages: dict[str, tuple[list[str], dict[str, int]]] = {}
    searched = 0
    pains = ctx.portfolio.pain_points
    # the stage ids of a journey's other definitions (an id written twice, CXP101): the one
    # the rules read may be another journey renamed to its id, so a stage either has is its own
    others: dict[str, set[str]] = {}
    if len(ctx.portfolio.by_id) != len(ctx.portfolio.entities):
        # an id written twice (CXP101): each definition's stage, as CXP102 follows each one's
        # references; an item an alias repeats (`- *name`) is written once, at its anchor
        pains = [e for e in ctx.portfolio.entities if isinstance(e, PainPoint) and e.origin.alias_of is None]
        journeys = ctx.portfolio.of_kind[Journey]
        for entity in ctx.portfolio.entities:
            if isinstance(entity, Journey) and journeys.get(entity.id) is not entity:
                others.setdefault(entity.id, set()).update(stage.id for stage in entity.stages or ())
    for pain in pains:
        journey = ctx.portfolio.get(pain.journey, Journey) if pain.journey is not None else None
        if not isinstance(journey, Journey) or pain.stage is None:
            continue
        refused = journey.is_partial("stages")
        if refused and (id_form(pain.stage) in journey.mentions or ANY_KIND in journey.mentions):
            continue  # a stage refused (CXP002) may be this one: what its `stages:` say of it is unsure
        if journey.id not in stages:
            places = journey.stage_places()
            stages[journey.id] = list(places), places
        stage_ids, places = stages[journey.id]
        if pain.stage not in places and pain.stage not in others.get(journey.id, ()):
            searched += 1
            alike = searched <= MAX_SEARCHED_REFERENCES  # each look reads every stage of the journey
            if len(places) < len(journey.stages) and not (alike and most_alike(pain.stage, stage_ids)):
                # a stage renamed to an id another stage has (CXP101) may be this one; one alike
                # a stage of the journey is a misspelling all the same (`s-011`)
                continue
            # a journey whose every stage was refused lists none: "(a stage refused)", not "(; …)"
            listed = "; ".join(filter(None, (named(stage_ids), "a stage refused" if refused else "")))
            yield Hit(Anchor.of(pain, "stage"),
                      f"stage '{pain.stage}' is not a stage of journey '{journey.id}' ({listed})",
                      (pain.id, journey.id),
                      _stages_meant(ctx.portfolio, journey, pain.stage, stage_ids, places, alike),
                      ctx.portfolio.name_hint("stage", pain.stage, ("stage",), journey.id)
                      or (did_you_mean(pain.stage, stage_ids) if alike else None)
                      or "use one of the journey's stage ids" + ("" if alike else
                                                                 " (the stages alike are looked for in the first "
                                                                 f"{MAX_SEARCHED_REFERENCES} unknown stages only)"),
                      parties=(pain.id,))


def _stages_meant(portfolio: Portfolio, journey: Journey, stage: str, stage_ids: list[str],
                  places: dict[str, int], alike: bool = True) -> tuple[Anchor, ...]:
    """Where CXP103 relates to: the id of each stage the hint names (the one so named, or
    the most alike, when `alike` ones are looked for), else of each stage the message
    lists; the `stages:` key when none is kept. `places`: `Journey.stage_places`."""
    meant = (portfolio.named("stage", stage, journey.id) or (most_alike(stage, stage_ids) if alike else None)
             or stage_ids)
    if not meant:
        return (Anchor.of(journey, "stages", at_key=True),)
    where, file = journey.origin.pointer_to, journey.origin.file
    return tuple(Anchor(file, where("stages", places[s], "id"), label=f"journey {journey.id}: stage {s}")
                 for s in meant[:MAX_RELATED])


@rule("CXP104", "dependency-cycle", Severity.ERROR, "`depends_on` forms a cycle",
      reads=["Initiative.depends_on"])
def dependency_cycle(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: initiatives that wait for each other never start; a plan with a cycle cannot
    be scheduled, and capacity-constrained selection cannot honour it.

    **Example**:
    ```yaml
    - {id: A, depends_on: [B], ...}
    - {id: B, depends_on: [A], ...}
    ```
    `units/it.yaml:2:24: CXP104 dependency cycle: A → B → A`

    **Fix**: remove the dependency that is not real, or merge the initiatives.
    """
    yield from _cycles(ctx.portfolio.dependency_edges, ctx.portfolio, Initiative, "depends_on",
                       "dependency cycle", "remove one of these dependencies, or merge the initiatives")


@rule("CXP105", "status-date", Severity.ERROR,
      "done without `completed`, `completed` in the future, or not done but completed",
      reads=["Initiative.status", "Initiative.completed"])
def status_date(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: the annual target counts initiatives that are done *and* completed in the
    year; a done initiative without a date cannot be counted, a date in the future is a
    plan rather than a fact, and a completion date on unfinished work inflates the count.
    "Today" is `--as-of` (default: the current date), so checks are reproducible.

    **Example**:
    ```yaml
    - id: DIG-007
      status: done          # but no completed: date
    ```
    `units/digital.yaml:5:13: CXP105 initiative 'DIG-007' is done but has no completed date`

    **Fix**: add `completed: YYYY-MM-DD`, correct the date, or correct the status.
    """
    for initiative in ctx.portfolio.initiatives:
        ident = (initiative.id,)
        if initiative.undated and not initiative.is_partial("completed"):
            if "completed" in initiative.model_fields_set:  # `completed:` written, its date not
                yield Hit(Anchor.of(initiative, "completed", at_key=True),
                          f"initiative '{initiative.id}' is done but its completed date is empty", ident,
                          hint="write the day it went live after `completed:`, as YYYY-MM-DD")
                continue
            yield Hit(Anchor.of(initiative, "status"),
                      f"initiative '{initiative.id}' is done but has no completed date", ident,
                      hint="add `completed: YYYY-MM-DD` (the day it went live)")
        elif initiative.completed is not None and initiative.completed > ctx.as_of:
            yield Hit(Anchor.of(initiative, "completed"),
                      f"completed {initiative.completed} is in the future (as of {ctx.as_of})", ident,
                      hint="a completion date records a fact: use `planned:` for plans")
        elif initiative.completed is not None and initiative.status not in ("done", None):
            yield Hit(Anchor.of(initiative, "completed"),
                      f"initiative '{initiative.id}' has a completed date but its status is "
                      f"'{initiative.status}'", ident,
                      hint="set `status: done`, or remove `completed:`")


@rule("CXP106", "driver-cycle", Severity.ERROR, "KPI `drives` forms a cycle",
      reads=["Kpi.drives"])
def driver_cycle(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: the driver graph says which KPIs move which (employee experience drives
    customer experience drives outcomes). A cycle makes "what drives what" meaningless
    and would count an effect over and over.

    **Example**:
    ```yaml
    - {id: enps, drives: [nps], ...}
    - {id: nps, drives: [enps], ...}
    ```
    `kpis.yaml:2:23: CXP106 driver cycle: enps → nps → enps`

    **Fix**: keep the direction you have evidence for; use `tradeoffs` for links that are
    not causal.

    While a KPI's id is written twice (CXP101: another KPI renamed to it), a link from it
    counts only when every definition of the id declares it.
    """
    portfolio = ctx.portfolio
    edges = portfolio.driver_edges
    if len(portfolio.by_id) != len(portfolio.entities):
        # the definition read may be another KPI renamed to its id: its links are not known
        declared: dict[str, list[Kpi]] = {}
        for entity in portfolio.entities:
            if isinstance(entity, Kpi):
                declared.setdefault(entity.id, []).append(entity)
        edges = [(a, b) for a, b in edges if all(b in (d.drives or ()) for d in declared.get(a, ()))]
    yield from _cycles(edges, portfolio, Kpi, "drives", "driver cycle", "keep only the direction you have evidence for")


@rule("CXP107", "multi-line-text", Severity.WARNING,
      "a title or name holds a line break or another control character",
      reads=["Unit.name", "Journey.name", "Journey.stages", "PainPoint.title", "Kpi.name", "Initiative.title"])
def multi_line_text(ctx: RuleContext) -> Iterator[Hit]:
    r"""
    **Why**: titles and names are what tables, reports and the editor show in one line.
    A line break in one is seldom meant: in double quotes a backslash starts an escape,
    so a Windows path reads wrong without a word (`"C:\new folder"` is "C:", a line
    break, "ew folder"; `\t` is a tab, `\r` a carriage return, `\a` a bell, `\N` a line
    break too), and a `|` or `>` block keeps its line breaks, the last one too, as does a
    blank line inside a text. Everything else about the entity is read as written.

    **Example**:
    ```yaml
    initiatives:
    - id: DIG-007
      title: "Reports in C:\new folder"
    ```
    `units/digital.yaml:3:10: CXP107 the title of initiative 'DIG-007' holds a line break (\n): a title is one line`

    **Fix**: write a backslash as `\\` in double quotes, or put the text in single quotes
    (`'C:\new folder'`: no escapes there); write a block's text on one line after the
    key, or fold it with `>-` (its lines are joined with spaces, unless one is blank or
    indented more); replace a tab with a space. A stage has no `allow:` of its own: an
    allow on its journey accepts the finding about its name.
    """
    for entity in ctx.portfolio.entities:
        for text, field, parts, whose, key in _one_line_texts(entity):
            # isprintable: C-level, and a title seldom fails it
            found = _not_one_line(text) if isinstance(text, str) and not text.isprintable() else None
            if found:
                yield Hit(Anchor.of(entity, *parts), f"the {field} of {whose} {found[0]}: a {field} is one line",
                          (entity.id,), hint=found[1], key=key, parties=(entity.id,))


def _one_line_texts(entity: Entity) -> Iterator[tuple[object, str, tuple[str | int, ...], str, tuple[str, ...]]]:
    """(text, field, its place in the entity, whose it is, the finding's key) of each title
    or name of the entity, its stages' too."""
    field = "title" if isinstance(entity, (Initiative, PainPoint)) else "name"
    yield getattr(entity, field, None), field, (field,), f"{entity.label} '{entity.id}'", (entity.id, field)
    if isinstance(entity, Journey):
        for i, stage in enumerate(entity.stages):
            yield (stage.name, "name", ("stages", i, "name"), f"stage '{stage.id}' of journey '{entity.id}'",
                   (entity.id, "stage", stage.id, "name"))


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Each as the double-quoted escape that writes it: the one a user most likely typed.
_NAMED = {"\0": "a null character (\\0)", "\a": "a bell (\\a)", "\b": "a backspace (\\b)",
          "\t": "a tab (\\t)", "\n": "a line break (\\n)", "\v": "a vertical tab (\\v)",
          "\f": "a form feed (\\f)", "\r": "a carriage return (\\r)", "\x1b": "an escape character (\\e)",
          "\x85": "a next-line character (\\N, U+0085)", "\u2028": "a line separator (\\L, U+2028)",
          "\u2029": "a paragraph separator (\\P, U+2029)"}
_MOST_NAMED = 3
# Hints by what the text holds: only its last line break, other line breaks, only tabs, or
# other characters (most often a path's escapes: "C:\new\temp" holds both).
_LAST_BREAK_HINT = ("drop the last line break: a | or > block keeps it (write |- or >-), "
                    "as does \\n at the end of a double-quoted text")
_BREAK_HINT = ("write the text on one line: a line break comes from a | block, a blank or more-indented line "
               "in a > block or inside the text, or \\n in double quotes (there write \\\\ for a backslash, or "
               "put the text in single quotes)")
_TAB_HINT = "replace the tab with a space (a tab typed, or \\t in double quotes, where \\\\ writes a backslash)"
_ESCAPE_HINT = ("in double quotes a backslash starts an escape (\\n, \\t, \\a, \\N …): write \\\\ for a "
                "backslash, or put the text in single quotes")


def _not_one_line(text: str) -> tuple[str, str] | None:
    """What keeps the text from being one line ("holds a line break (\\n) and a tab (\\t)")
    and a hint, or None when nothing does (isprintable() refuses a no-break space or a
    zero-width joiner too)."""
    held = list(dict.fromkeys(_CONTROL.findall(text)))
    if not held:
        return None
    if held == ["\n"] and "\n" not in text.rstrip("\n"):
        return "ends with a line break", _LAST_BREAK_HINT  # a | or > block's last one, often all there is
    named = [_NAMED.get(char, f"a control character (U+{ord(char):04X})") for char in held[:_MOST_NAMED]]
    if len(held) > _MOST_NAMED:
        named.append(f"{len(held) - _MOST_NAMED} more")
    said = ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else named[0]
    hint = _BREAK_HINT if held == ["\n"] else _TAB_HINT if held == ["\t"] else _ESCAPE_HINT
    return f"holds {said}", hint


def _cycles(edges: list[tuple[str, str]], portfolio: Portfolio, kind: type[Entity], field: str,
            label: str, hint: str) -> Iterator[Hit]:
    """One finding per strongly connected component: linear, whatever the cycle count."""
    if not edges or _acyclic(edges):
        return  # the usual case, told by the standard library without loading networkx
    import networkx as nx

    # Only nodes with an edge can be on a cycle: most initiatives depend on nothing.
    linked = nx.DiGraph(edges)
    for component in nx.strongly_connected_components(linked):
        start = min(component)
        if len(component) == 1 and not linked.has_edge(start, start):
            continue
        edges = nx.find_cycle(linked.subgraph(component), source=start)
        path = [edges[0][0], *(v for _, v in edges)]
        first = portfolio.get(start, kind)
        assert first is not None
        anchor = _step(first, field, path[1])
        members = sorted(component)
        # Each further step at the item that names the next one (the related locations
        # shown are the first MAX_RELATED: no more are looked up).
        related = tuple(_step(e, field, after) for m, after in zip(path[1:1 + MAX_RELATED], path[2:])
                        if (e := portfolio.get(m, kind)) is not None)
        yield Hit(anchor, f"{label}: {_path(path)}", tuple(members), related, hint)


def _step(entity: Entity, field: str, target: str) -> Anchor:
    """The item of `entity`'s `field` list that names `target`: the step of a cycle."""
    targets = getattr(entity, field)
    if target in targets:
        return Anchor.of(entity, field, targets.index(target))
    return Anchor.of(entity, field)  # (not expected: an edge is read from the list) the list


def _path(path: list[str]) -> str:
    """A cycle as a message shows it, closing at its start: 'A → B → A', or its first
    steps and how many more ('A → … → F → … (19994 more) → A') when it is long."""
    steps = path[:-1]
    if len(steps) <= MAX_NAMED:
        return " → ".join(path)
    return " → ".join(steps[:MAX_NAMED]) + f" → … ({len(steps) - MAX_NAMED} more) → {path[-1]}"


def _acyclic(edges: list[tuple[str, str]]) -> bool:
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for a, b in edges:
        sorter.add(a, b)
    try:
        sorter.prepare()
    except CycleError:
        return False
    return True


MAX_SEARCHED_REFERENCES = 500  # unknown references whose alike ids are looked for (bounded work: SECURITY.md)


def _unknown_id_hint(target: str, ids: list[str], label: str, other: bool = False) -> str:
    """A "did you mean" only for an id alike enough (types.SIMILARITY), naming several
    when they are equally alike; otherwise the nearest few, which a reader can scan for
    the one meant. `other`: `ids` leaves out the referring entity's own (`depends_on`),
    which is defined all the same."""
    hint = did_you_mean(target, ids)
    if hint is not None:
        return hint
    near = nearest(target, ids)
    defined = f"other {label}" if other else label
    if not near:
        return f"define the {label} or correct the id: no {defined} is defined"
    if len(near) == 1:  # a new portfolio's one pain point is not "the nearest" of anything
        return f"define the {label} or correct the id; the only {defined} defined, {near[0]}, is not alike"
    return f"define the {label} or correct the id; no id is alike, the nearest are {', '.join(near)}"
