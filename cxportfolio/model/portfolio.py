"""The validated portfolio: entities by kind, indexes by id, and the graphs rules need."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import field, replace
from functools import cached_property
from itertools import chain, islice
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from cxportfolio.load import LoadedFile, LoadedPortfolio
from cxportfolio.load.portfolio_files import read_file
from cxportfolio.load.positions import pointer_at, value_at
from cxportfolio.model.config import Config, RuleSettings
from cxportfolio.model.entities import ENTITY_KINDS, Entity, Initiative, Journey, Kpi, Origin, PainPoint, Stage, Unit
from cxportfolio.model.types import id_form, is_id, most_alike
from cxportfolio.model.validate import (ANY_KIND, a_label, Pointer, SchemaProblem, rest_of_comments, the_unit_defined,
                                       ValidatedDocument, validate_config, validate_document, words_under,
                                       written_under)
from cxportfolio.records import record

if TYPE_CHECKING:
    from cxportfolio.memo import Memo

if TYPE_CHECKING:
    import networkx as nx


# Per kind of entity, the keys (as written) that a figure never reads: `Portfolio.for_figures`.
Unread = Mapping[type, frozenset[str]]
_NOTHING: frozenset[str] = frozenset()


def entity_content(entity: Entity) -> tuple[str, str]:
    """An entity's kind and content as one text, the same wherever it is written."""
    import json

    data = entity.model_dump(mode="json", by_alias=True, warnings=False)
    return type(entity).__name__, json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def unread_by_all(*unreads: Unread) -> Unread:
    """What none of several figures reads: an entity any of them leaves out is left out."""
    kinds = set.intersection(*(set(u) for u in unreads)) if unreads else set()
    return {kind: frozenset.intersection(*(u[kind] for u in unreads)) for kind in kinds}


def reads_refused(entity: Entity, unread: Unread) -> bool:
    """Whether a figure that leaves `unread` unread reads a value refused in the entity."""
    return not (entity.whole or entity.invalid_fields <= unread.get(type(entity), _NOTHING))


@record(frozen=False)
class Portfolio:
    """The typed portfolio: its entities, configuration and indexes, and what mistakes
    left unsure."""

    root: Path
    config: Config | None
    files: list[str]
    # Every entity in file order, duplicates included (CXP101 needs them all).
    entities: list[Entity] = field(default_factory=list)
    # Ids defined by entities that failed validation: not "unknown" to references.
    invalid_ids: dict[str, list[tuple[str, Origin]]] = field(default_factory=dict)
    # Initiatives written in the files but refused by validation (still counted as read).
    invalid_initiatives: int = 0
    # Documents whose content is unknown (syntax error, not read): anything may be
    # defined there, so rules never call a reference unknown or a pain point unaddressed
    # while one remains (docs/format.md, error tolerance).
    unreadable: list[str] = field(default_factory=list)
    rules: RuleSettings = field(default_factory=RuleSettings)
    # In `validate.id_form`: what values lost to a mistake (an item refused whole, a list
    # under a misspelled top-level key, a value a repeated key replaced) may have defined
    # and named. A reference to such an id is not unknown, a pain point so named not
    # unaddressed, such an entity not removed: the mistake is the finding.
    unsure_ids: dict[str, set[str]] = field(default_factory=dict)  # id_form → kind labels, or ANY_KIND
    unsure_mentions: set[str] = field(default_factory=set)
    lost_values: list[tuple[str, str, str, str]] = field(default_factory=list)  # (file, kind, name, why)
    lost_elsewhere: int = 0  # values lost that lost_values does not list (validate.ValidatedDocument)
    # Initiatives lost whole, not dropped: (title, description, unit, addresses), for CXP201.
    lost_initiatives: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    # The settings of cxportfolio.yaml refused (CXP002), at their defaults: a refused
    # `target` is not "no target" (analysis/tracking.py).
    config_refused: frozenset[str] = frozenset()
    # Numbers written with a dot that may separate thousands (`volume: 1.200`, read as
    # 1.2), as the reader kept them: (file, pointer, text, what the file is about when no
    # entity is: `identity.Subjects.of_file`'s answer). CXP108 reads them.
    dotted: list[tuple[str, Pointer, str, str]] = field(default_factory=list)
    # Values left empty before a comment on their key's line (`effort: #6`: YAML reads `#6`
    # as a comment, so effort is null), as the reader kept them: (file, pointer, the
    # comment, the file's subject, as `dotted`). CXP109 reads them.
    commented: list[tuple[str, Pointer, str, str]] = field(default_factory=list)
    # (file, kind label) of each item refused whole without a usable id (its `id:` line
    # deleted, or its id refused): it may have defined any id of its kind, so a reference
    # to an id of that kind is not unknown, and an entity of that kind gone from that
    # file not removed.
    idless: set[tuple[str, str]] = field(default_factory=set)
    # Each readable document's data as read, by file: what only a hint asks of a file
    # (`file_units`) is read from it then, not built for every file of every check.
    documents: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # Each readable document's numbers as written, where their value does not give them
    # back (`ParsedYaml.written`: `1.500` is 1.5), by file: a refused text's
    # words are read with them (`words_written`).
    numbers: dict[str, Mapping[int, str]] = field(default_factory=dict, repr=False, compare=False)
    # `invalid_initiatives` by file: where an initiative refused before its id was read
    # stands, which what the figures leave out names (exclusions)
    invalid_initiatives_in: dict[str, int] = field(default_factory=dict)

    @cached_property
    def file_units(self) -> dict[str, list[tuple[str, str]]]:
        """File → whom it may belong to, and why, the likeliest first (`own_unit`)."""
        return {path: _own_units(path, data) for path, data in self.documents.items()}

    @property
    def complete(self) -> bool:
        """Whether every document could be read, so absence means absence."""
        return not self.unreadable

    def may_hold(self, file: str) -> bool:
        """Whether what another version of the portfolio defined in `file` may be here
        unseen: the file does not parse here, or it is gone while a file that does not
        parse may be it, renamed (a rename and a mistake in one change)."""
        unreadable, files = self._file_sets
        return file in unreadable or (bool(unreadable) and file not in files)

    @property
    def unreadable_files(self) -> frozenset[str]:
        """`unreadable` to look up in (`diff` asks of every entity the head adds)."""
        return self._file_sets[0]

    @cached_property
    def _file_sets(self) -> tuple[frozenset[str], frozenset[str]]:
        """`unreadable` and `files` to look up in: `diff` asks `may_hold` of every base entity
        missing at the head, and a pull request may hold tens of thousands of files."""
        return frozenset(self.unreadable), frozenset(self.files)

    def unsure(self, ident: str, label: str) -> bool:
        """Whether a value lost to a mistake may have defined `ident` as a `label`
        ("KPI"): an id compared without case, spaces or punctuation."""
        kinds = self.unsure_ids.get(id_form(ident)) if self.unsure_ids else None
        return bool(kinds) and (label in kinds or ANY_KIND in kinds)

    def lost_without_id(self, label: str, file: str | None = None) -> bool:
        """Whether an item of the kind `label` ("KPI") was refused whole without a usable
        id (in `file`, when given): it may have defined any id of that kind. Asked once per
        reference a rule cannot resolve: a look-up, not a walk of the items."""
        if not self.idless:
            return False
        return (file, label) in self.idless if file is not None else label in self._idless_kinds

    def may_define(self, ident: str, kind: type[Entity], renamed: bool = True) -> bool:
        """Whether `ident` may name a `kind`: one is defined under it, or a mistake may
        define it unseen (a file that does not parse, a value lost, an item refused without
        an id) — where CXP102 is silent — or, unless `renamed=False`, a definition's id is
        refused as `ident` or another definition took its id (CXP101). One that names none
        is no `kind`: a figure must not count a row under it. Rank asks `renamed=False`: it
        cannot value a name by such a definition, though track may count a row under it."""
        return (self.get(ident, kind) is not None or not self.complete
                or self.unsure(ident, kind.label) or self.lost_without_id(kind.label)
                or (renamed and (ident in self.invalid_ids or kind.label in self.taken_kinds)))

    def unit_known(self, name: str | None) -> bool:
        """Whether `name`, a unit or owner as written, may name a unit (`may_define`). No
        name is no unit, and one that names none (CXP102: `unit: digitl`) is none either:
        it may be the unit it misspells, so no figure, owner or rule counts it as a unit."""
        return bool(name) and self.may_define(name, Unit)

    def as_unit(self, name: str | None) -> str | None:
        """`name` when it may name a unit (`unit_known`), else None: an owner to show or file under."""
        return name if self.unit_known(name) else None

    def written(self, entity: Entity, name: str) -> list[Any]:
        """The values the file holds under the entity's field `name` as written, misspelt
        keys (`titel:`) too: what a refused value said, which the entity holds as None."""
        return written_under(type(entity), self.item(entity), name)

    def words_written(self, entity: Entity, name: str, most: int) -> str:
        """The words the file holds under the entity's field `name`, misspelt keys too, as
        one text of `most` characters at most (`validate.words_under`): what a refused
        text said, numbers as written (`title: [1.500]` is «1.500»)."""
        return words_under(type(entity), self.item(entity), name, most, self.numbers.get(entity.origin.file, {}))

    def item(self, entity: Entity) -> Any:
        """The entity's item as the file holds it (None when not found there)."""
        return value_at(self.documents.get(entity.origin.file), entity.origin.pointer)

    @cached_property
    def taken_in(self) -> frozenset[tuple[str, str]]:
        """(file, kind label) of each definition whose id another definition has (CXP101):
        one of them may be an entity of that kind in that file renamed to a taken id, so
        `diff` calls no entity of the kind gone from that file removed (`taken_kinds`)."""
        if len(self.by_id) == len(self.entities):  # no id written twice: nothing taken
            return frozenset()
        written: dict[str, int] = {}
        for entity in self.entities:
            written[entity.id] = written.get(entity.id, 0) + 1
        return frozenset((entity.origin.file, entity.label) for entity in self.entities if written[entity.id] > 1)

    @cached_property
    def taken_kinds(self) -> frozenset[str]:
        """The labels of the kinds with a definition whose id another definition took
        (CXP101), of its kind or of another (`id: mortgage` on a pain point): renamed to a
        taken id, its own id is not known, so a reference naming no entity of the kind may
        be to it, as to an item refused without an id."""
        return frozenset(label for _, label in self.taken_in)

    @cached_property
    def _idless_kinds(self) -> frozenset[str]:
        return frozenset(kind for _, kind in self.idless)  # read after the portfolio is built

    @cached_property
    def analysable(self) -> Portfolio:
        """The portfolio without the entities that had any value refused (CXP002), read
        or not: no figure of it rests on a default standing in for what was written.
        Itself when nothing was refused. (The commands' figures use `for_figures`.)"""
        return self.for_figures({})

    def for_figures(self, unread: Unread) -> Portfolio:
        """The portfolio without the entities that had a value refused that a figure
        reads: `unread` names, per kind, the keys it never reads (as written: `kind` for
        a KPI's type). An entity with only such keys refused stays in (a KPI's refused
        baseline moves no initiative's score); an unknown key may be any field. Itself
        when nothing is left out. (docs/format.md, error tolerance: a mistake changes only what it touches.)"""
        key = frozenset(unread.items())
        made = self._figures.get(key)  # each command asks more than once (rank, track, hover)
        if made is None:
            kept = [e for e in self.entities if not reads_refused(e, unread)]
            made = self._figures[key] = self if len(kept) == len(self.entities) else Portfolio(
                self.root, self.config, self.files, kept, self.invalid_ids, self.invalid_initiatives,
                self.unreadable, self.rules, self.unsure_ids, self.unsure_mentions, self.lost_values,
                self.lost_elsewhere, self.lost_initiatives, self.config_refused, self.dotted, self.commented,
                self.idless, invalid_initiatives_in=self.invalid_initiatives_in)
        return made

    @cached_property
    def _figures(self) -> dict[frozenset[tuple[type, frozenset[str]]], Portfolio]:
        return {}

    @cached_property
    def by_id(self) -> dict[str, Entity]:
        """The definition of each id that rules and figures use. Of an id defined twice
        (CXP101), the one whose content comes first in a fixed order (`entity_content`), not
        the one in the file whose name sorts first: renaming or moving a file must change
        no finding and no figure (docs/ci.md, Fingerprints)."""
        index: dict[str, Entity] = {}
        for entity in self.entities:
            held = index.setdefault(entity.id, entity)
            if held is not entity and entity_content(entity) < entity_content(held):
                index[entity.id] = entity
        return index

    @cached_property
    def of_kind(self) -> dict[type[Entity], dict[str, Entity]]:
        """Each kind's definition of each id, chosen as `by_id` chooses among that kind's:
        an id given to an entity of another kind by mistake (`id: card-problem` on an
        initiative) leaves the journey of that id a journey, so references to it and the
        figures resting on it stay what they were; CXP101 says where (docs/format.md, error tolerance)."""
        kinds: dict[type[Entity], dict[str, Entity]] = {kind: {} for kind in ENTITY_KINDS.values()}
        for entity in self.entities:
            index = kinds[type(entity)]
            held = index.setdefault(entity.id, entity)
            if held is not entity and entity_content(entity) < entity_content(held):
                index[entity.id] = entity
        return kinds

    @cached_property
    def by_place(self) -> dict[tuple[str, Pointer], Entity]:
        """Each entity (duplicates included) by where its item is: (file, pointer of the
        item), which a finding's place begins with. Made when first asked."""
        return {(e.origin.file, e.origin.pointer): e for e in self.entities}

    def _of(self, kind: type[Entity]) -> list:
        return list(self.of_kind[kind].values())

    @cached_property
    def units(self) -> list[Unit]:
        return self._of(Unit)

    @cached_property
    def journeys(self) -> list[Journey]:
        return self._of(Journey)

    @cached_property
    def pain_points(self) -> list[PainPoint]:
        return self._of(PainPoint)

    @cached_property
    def kpis(self) -> list[Kpi]:
        return self._of(Kpi)

    @cached_property
    def initiatives(self) -> list[Initiative]:
        return self._of(Initiative)

    def get(self, ident: str, kind: type[Entity]) -> Entity | None:
        """The definition of `ident` as a `kind`, if any (`of_kind`)."""
        return self.of_kind[kind].get(ident)

    def name_hint(self, label: str, text: str, pointer: tuple[str | int, ...],
                  journey: str | None = None) -> str | None:
        """The hint for `text` written where the id of a `label` goes (at `pointer`, whose
        last part is the key, or an item's index) when it is the name or title of such an
        entity, compared without case and surrounding spaces (`unit: Customer service` for
        `customer-service`): that entity's id, which a made-up one (`Customer-service`)
        would not be. A stage's is looked for in `journey` when it is defined, else in
        every journey. None when no entity of the kind has it as its name."""
        scope = journey if label == "stage" and journey is not None and self.get(journey, Journey) else ""
        ids = self.named(label, text, scope)
        if not ids:
            return None
        what = "title" if label in (PainPoint.label, Initiative.label) else "name"
        where = f" of journey '{scope}'" if scope else ""
        key = next((str(part) for part in reversed(pointer) if isinstance(part, str)), "")
        example = ids[0] if isinstance(pointer[-1], int) else f"{key}: {ids[0]}"
        if len(ids) == 1:
            return f"that is the {what} of {label} '{ids[0]}'{where}: write its id, e.g. {example}"
        named = ", ".join(f"'{ident}'" for ident in ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        return (f"that is the {what} of {len(ids)} {label}s{where} ({named}): write the id of the one meant, "
                f"e.g. {example}")

    def own_unit(self, file: str) -> tuple[str, str] | None:
        """The unit `file` belongs to, and why: the likeliest of `file_units` that is
        defined. What a unit reference refused there most likely means."""
        return next((own for own in self.file_units.get(file, ()) if self.get(own[0], Unit) is not None), None)

    def ids_hint(self, label: str, text: str, pointer: tuple[str | int, ...],
                 journey: str | None = None, owner: str | None = None,
                 near: tuple[str, str] | None = None) -> str | None:
        """The hint for a number written where the id of a `label` goes (`unit: 7`), or
        nothing (`stage:`, an empty `- `): the ids of that kind whose number it is (`12`
        for `DIG-012`; a decimal such as `3.5` is no id's number), else the kind's ids;
        never `owner`, the entity that holds the reference (its own id in its `depends_on`
        is a cycle). When no id has the number,
        `near` (an id and why: the file's own unit) is named first and is the example. An
        id made from it (`unit-7`, `stage: stage`) would name nothing. None for a text
        that is no number."""
        if text and not re.fullmatch(r"[-+]?[0-9][0-9_]*(\.[0-9]*)?", text):
            return None
        scope = self.get(journey, Journey) if label == "stage" and journey is not None else None
        if isinstance(scope, Journey):
            ids = [stage.id for stage in scope.stages]  # in their order
            by_number = _by_number(ids)
        else:
            ids, by_number = self._ids_by_number.get(label, ([], {}))
        whole, _, fraction = text.partition(".")
        number = whole.lstrip("+-0").replace("_", "") or "0"
        # `3.5` is no id's number: told the kind's ids, never those with the number 3
        same = by_number.get(number, []) if text and not fraction.strip("0") else []
        # the first three and how many, the owner left out: no copy of a long list per mistake
        head = list(islice((ident for ident in same if ident != owner), 3))
        if not head:  # no other id has the number: the kind's ids, the one `near` first
            same = []
            first = [near[0]] if near is not None and near[0] != owner else []  # (an id of the kind)
            head = [*first, *islice((ident for ident in ids if ident != owner and ident not in first),
                                    3 - len(first))]
        pool = same or ids
        held = self.by_id.get(owner) if owner is not None and label != "stage" else None
        count = len(pool) - (held is not None and held.label == label
                             and (not same or number in _by_number([held.id])))
        empty_item = not text and isinstance(pointer[-1], int)
        lead = (f"write the {label}'s id in the empty item, or remove the item" if empty_item
                else f"write the {label}'s id" + (", not a number" if text else ""))
        if not head:  # the kind has no id but the owner's (or none at all)
            return f"{lead}: no {label} but '{owner}' itself is defined yet" if ids else None
        key = next((str(part) for part in reversed(pointer) if isinstance(part, str)), "")
        example = head[0] if isinstance(pointer[-1], int) else f"{key}: {head[0]}"
        why = f" ({near[1]})" if near is not None and not same and head[0] == near[0] else ""
        parts = [*(f"'{ident}'" + (why if n == 0 else "") for n, ident in enumerate(head)),
                 *([f"{count - 3} more"] if count > 3 else [])]
        named = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
        which = (f"{label} {named} has the number {number}" if same and count == 1 else
                 f"the {label}s with the number {number} are {named}" if same else f"the {label}s are {named}")
        return f"{lead}: {which}, e.g. {example}"

    def named(self, label: str, text: str, journey: str = "") -> list[str]:
        """The ids of the entities of kind `label` whose name or title is `text`, compared
        without case and surrounding spaces (a stage's in `journey`, or in any with '')."""
        return sorted(set(self._by_name.get((label, journey, _folded(text)), ())))

    @cached_property
    def _by_name(self) -> dict[tuple[str, str, str], list[str]]:
        """(label, journey or '' for a stage, name or title as `_folded`) → the ids of the
        entities (stages) so named: for `name_hint`, made when a hint first asks."""
        index: dict[tuple[str, str, str], list[str]] = {}
        for entity in self.by_id.values():
            text = getattr(entity, "title" if isinstance(entity, (PainPoint, Initiative)) else "name", None)
            if isinstance(text, str):
                index.setdefault((entity.label, "", _folded(text)), []).append(entity.id)
            if isinstance(entity, Journey):
                for stage in entity.stages:
                    if stage.name is None:  # refused (`stages.name`): it names nothing
                        continue
                    for scope in (entity.id, ""):
                        index.setdefault(("stage", scope, _folded(stage.name)), []).append(stage.id)
        return index

    @cached_property
    def mentioned(self) -> set[str]:
        """What refused values of initiatives, and values lost to a mistake whole, name (in
        `id_form`): a pain point so named may be addressed (`adresses: [PP-a]` is refused
        as an unknown key), so CXP502 makes no claim on it. Work whose id another
        definition took counts (`taken_work`), as CXP502 counts its links."""
        return self.unsure_mentions.union(*(i.mentions for i in chain(self.initiatives, self.taken_work)))

    @cached_property
    def unlinked_statuses(self) -> set[str | None]:
        """The statuses (None: refused) of the initiatives whose `addresses` was refused
        without naming a pain point (`addresses: null`, `addresses: 5`): they may have
        named any, so CXP502 makes no claim while such work counts. Work whose id another
        definition took is asked too (`taken_work`), as CXP502 counts it. Found once:
        `diff` asks for each finding that went."""
        pains = self.pain_forms
        return {i.status for i in chain(self.initiatives, self.taken_work)
                if i.is_partial("addresses") and not i.mentions & pains}

    def meant_by_unknown(self, statuses: Iterable[str] | None = None) -> frozenset[str]:
        """The pain points an unknown reference may mean (`pains_meant_by`), for the
        `addresses` of work of these `statuses` (or whose status was refused; None: any
        but dropped). CXP502 makes no claim on them: the references may be theirs,
        misspelled. Work whose id another definition took is read too (`taken_work`), as
        CXP502 counts its links. Found once for each `statuses`: CXP502 asks for each of
        its findings."""
        counted = None if statuses is None else frozenset(statuses)
        meant = self._meant.get(counted)
        if meant is None:
            meant = self._meant[counted] = frozenset().union(*(
                self.pains_meant_by(i) for i in chain(self.initiatives, self.taken_work)
                if (i.status != "dropped" if counted is None else i.status in counted or i.status is None)))
        return meant

    @cached_property
    def _meant(self) -> dict[frozenset[str] | None, frozenset[str]]:
        return {}

    def pains_meant_by(self, initiative: Initiative) -> set[str]:
        """The pain points the `addresses` items of `initiative` that name none may mean:
        for each, those most alike it (`most_alike`: a pain point renamed where it is
        defined but not where it is referenced). What CXP502 and `rank` read of a
        misspelt link; each distinct item is looked up once a portfolio (work linear in
        them, however many initiatives or commands ask)."""
        found: set[str] = set()
        for ref in initiative.addresses:
            alike = self._pains_alike.get(ref)
            if alike is None:
                alike = self._pains_alike[ref] = (
                    () if self.get(ref, PainPoint) is not None or not self._pain_ids
                    else tuple(most_alike(ref, self._pain_ids)))
            found.update(alike)
        return found

    @cached_property
    def _pains_alike(self) -> dict[str, tuple[str, ...]]:
        """An `addresses` item → the pain points it may mean (`pains_meant_by`)."""
        return {}

    @cached_property
    def _pain_ids(self) -> list[str]:
        return [pain.id for pain in self.pain_points]

    @cached_property
    def pain_forms(self) -> set[str]:
        """The pain points' ids in `id_form`, as mentions are."""
        return {id_form(pain.id) for pain in self.pain_points}

    @cached_property
    def _ids_by_number(self) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
        """Each kind's ids, sorted, and by each number written in them ('012' → '12'):
        `ids_hint` looks a number up here, so many such mistakes cost one pass. Stages:
        those of every journey."""
        ids: dict[str, set[str]] = {}
        for ident, entity in self.by_id.items():
            ids.setdefault(entity.label, set()).add(ident)
        ids["stage"] = {stage.id for journey in self.journeys for stage in journey.stages}
        return {label: (ordered, _by_number(ordered)) for label, found in ids.items() for ordered in [sorted(found)]}

    @cached_property
    def addressing(self) -> dict[str, list[Initiative]]:
        """Pain point id → the initiatives (not dropped) that address it, in file order."""
        index: dict[str, list[Initiative]] = {}
        for initiative in self.initiatives:
            if initiative.status != "dropped":
                for pain_id in dict.fromkeys(initiative.addresses):
                    index.setdefault(pain_id, []).append(initiative)
        return index

    @cached_property
    def addressing_twice(self) -> dict[str, list[Initiative]]:
        """Pain point id → the initiatives (not dropped) that address it and whose id
        another initiative's definition took (`of_kind`; CXP101 says where): work that is
        written, which `addressing` leaves out with the id's other definition. A rule
        claiming that nothing addresses a pain point counts it (CXP502)."""
        index: dict[str, list[Initiative]] = {}
        for entity in self.taken_work:
            for pain_id in dict.fromkeys(entity.addresses):
                index.setdefault(pain_id, []).append(entity)
        return index

    @cached_property
    def taken_work(self) -> list[Initiative]:
        """The initiatives (not dropped) whose id another initiative's definition took
        (`of_kind`; CXP101 says where), in file order: work that is written, which rules
        counting all the work on something count too (CXP304, CXP502)."""
        if len(self.by_id) == len(self.entities):  # no id written twice: nothing taken
            return []
        chosen = self.of_kind[Initiative]
        return [entity for entity in self.entities if isinstance(entity, Initiative)
                and chosen.get(entity.id) is not entity and entity.status != "dropped"]

    def work_on(self, pain: str) -> list[Initiative]:
        """The initiatives (not dropped) that address a pain point, in file order, with
        those whose id another's definition took (`addressing_twice`): all the work on it,
        as CXP502 and the editor's hover count it."""
        return [*self.addressing.get(pain, ()), *self.addressing_twice.get(pain, ())]

    @cached_property
    def effects_on(self) -> dict[str, list[tuple[Initiative, int]]]:
        """KPI id → (initiative, effect index) for every expected effect of work not dropped."""
        index: dict[str, list[tuple[Initiative, int]]] = {}
        for initiative in self.initiatives:
            if initiative.status != "dropped":
                for i, effect in enumerate(initiative.effects):
                    index.setdefault(effect.kpi, []).append((initiative, i))
        return index

    @cached_property
    def goals_on(self) -> dict[str, list[tuple[Unit, int]]]:
        """KPI id → (unit, goal index) for every unit goal."""
        index: dict[str, list[tuple[Unit, int]]] = {}
        for unit in self.units:
            for i, goal in enumerate(unit.goals):
                index.setdefault(goal.kpi, []).append((unit, i))
        return index

    @cached_property
    def dependency_edges(self) -> list[tuple[str, str]]:
        """(A, B) when initiative A depends on B (only between known initiatives)."""
        return [(i.id, dep) for i in self.initiatives for dep in i.depends_on
                if self.get(dep, Initiative) is not None]

    @cached_property
    def driver_edges(self) -> list[tuple[str, str]]:
        """(A, B) when KPI A drives KPI B."""
        return [(kpi.id, target) for kpi in self.kpis for target in kpi.drives
                if self.get(target, Kpi) is not None]

    @cached_property
    def dependency_graph(self) -> nx.DiGraph:
        """The dependency edges as a graph, every initiative a node."""
        import networkx as nx  # here: a check that needs no graph never loads networkx

        graph = nx.DiGraph()
        graph.add_nodes_from(i.id for i in self.initiatives)
        graph.add_edges_from(self.dependency_edges)
        return graph

    @cached_property
    def driver_graph(self) -> nx.DiGraph:
        """The driver edges as a graph, every KPI a node."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(kpi.id for kpi in self.kpis)
        graph.add_edges_from(self.driver_edges)
        return graph

    @property
    def year(self) -> int | None:
        return self.config.year if self.config else None


def build_portfolio(loaded: LoadedPortfolio, rule_options: Mapping[str, type[BaseModel]] | None = None,
                    memo: Memo | None = None) -> tuple[Portfolio, list[SchemaProblem]]:
    """Validate every readable file and assemble the portfolio; problems are CXP002.

    `rule_options` maps each rule code to its options model, for `rules:` in the
    configuration. With a `memo`, a document read from the same bytes as in the previous
    check (the same parsed object) keeps its validated entities: only what is set while
    validating (origin, refused fields) is ever written on them.
    """
    problems: list[SchemaProblem] = []
    config, settings = None, RuleSettings()
    if loaded.config.readable:
        # With a memo, the same objects while the file is unchanged: a change of them
        # means a change of the configuration (cxportfolio/changes.py).
        config_file = loaded.config
        validated = (validate_config(config_file.path, config_file.data, rule_options, config_file.parsed.written,
                                     config_file.parsed.overwritten)
                     if memo is None else memo.by_identity(
                         ("config", config_file.path), config_file.parsed, lambda: validate_config(
                             config_file.path, config_file.data, rule_options, config_file.parsed.written,
                             config_file.parsed.overwritten)))
        config, settings = validated.config, validated.rules
        problems.extend(rest_of_comments(validated.problems, config_file.data,
                                         lambda: _text_of(loaded, config_file)))
    portfolio = Portfolio(loaded.root, config, [loaded.config.path, *(f.path for f in loaded.documents)],
                          unreadable=loaded.unreadable, rules=settings)
    if loaded.config.readable:
        portfolio.config_refused = validated.refused
        if validated.lost is not None:  # a portfolio's list written in cxportfolio.yaml: lost, as in a document
            _take_lost(portfolio, loaded.config.path, validated.lost)
        portfolio.dotted.extend(dotted_numbers(loaded.config))
        portfolio.commented.extend(commented_values(loaded.config))
    for file in loaded.documents:
        if not file.readable:
            continue
        portfolio.dotted.extend(dotted_numbers(file))
        portfolio.commented.extend(commented_values(file))
        document = (validate_document(file.path, file.data, file.parsed.overwritten, file.parsed.written,
                                      file.parsed.aliased)
                    if memo is None else memo.by_identity(
                        ("validate", file.path), file.parsed, lambda file=file: validate_document(
                            file.path, file.data, file.parsed.overwritten, file.parsed.written,
                            file.parsed.aliased)))
        problems.extend(rest_of_comments(document.problems, file.data, lambda file=file: _text_of(loaded, file)))
        portfolio.entities.extend(document.entities)
        for ident, places in document.invalid_ids.items():
            portfolio.invalid_ids.setdefault(ident, []).extend(places)
        portfolio.invalid_initiatives += document.invalid_initiatives
        if document.invalid_initiatives:
            portfolio.invalid_initiatives_in[file.path] = document.invalid_initiatives
        _take_lost(portfolio, file.path, document)
        portfolio.idless.update((file.path, label) for label in document.idless)
        portfolio.documents[file.path] = file.data
        portfolio.numbers[file.path] = file.parsed.written
    if any(problem.names is not None for problem in problems):  # now that every name is known
        problems = [problem if problem.names is None else _named(portfolio, problem) for problem in problems]
    if any(problem.own_id is not None for problem in problems):  # now that every id is known
        # each looks at every id of its kind: the first MAX_OWN_ID_HINTS only (bounded work,
        # SECURITY.md), the others told without an example, as one with no ids around
        own = iter(range(MAX_OWN_ID_HINTS))
        problems = [problem if problem.own_id is None else _own_id(portfolio, problem, next(own, None) is not None)
                    for problem in problems]
    return portfolio, problems


def _take_lost(portfolio: Portfolio, file: str, document: ValidatedDocument) -> None:
    """What values of `file` lost to a mistake may have defined and named, in the portfolio."""
    for form, kinds in document.unsure_ids.items():
        portfolio.unsure_ids.setdefault(form, set()).update(kinds)
    portfolio.unsure_mentions |= document.unsure_mentions
    portfolio.lost_values.extend((file, *lost) for lost in document.lost_values)
    portfolio.lost_elsewhere += document.lost_elsewhere
    portfolio.lost_initiatives.extend(document.lost_initiatives)


MAX_OWN_ID_HINTS = 200


def _text_of(loaded: LoadedPortfolio, file: LoadedFile) -> str:
    """A file's text: a check keeps none (`read_yaml`'s keep_text), so the rare hint that
    reads the lines around a key reads the file again ("" when it is no longer readable)."""
    if file.parsed.text:
        return file.parsed.text
    again = read_file(loaded.root, loaded.root / file.path)
    return again.parsed.text if again.readable else ""


def _own_units(path: str, data: Any) -> list[tuple[str, str]]:
    """Whom a file may belong to, and why, the likeliest first: its `unit:` when that is an
    id, the one unit it defines, the unit its name is (`units/digital.yaml`)."""
    unit = data.get("unit") if isinstance(data, dict) else None
    found = [(unit, "this file's unit"), (the_unit_defined(data), "the unit this file defines"),
             (PurePath(path).stem, "the unit this file is named after")]
    return [(ident, why) for ident, why in found if is_id(ident)]


def _by_number(ids: list[str]) -> dict[str, list[str]]:
    """Ids by each number written in them, without leading zeros ('DIG-012' under '12'),
    in the order given."""
    found: dict[str, list[str]] = {}
    for ident in ids:
        for digits in dict.fromkeys(d.lstrip("0") or "0" for d in re.findall(r"[0-9]+", ident)):
            found.setdefault(digits, []).append(ident)
    return found


def _folded(text: str) -> str:
    """A name as `Portfolio.name_hint` compares it: without case, its spaces one each."""
    return " ".join(text.split()).casefold()


def _named(portfolio: Portfolio, problem: SchemaProblem) -> SchemaProblem:
    """A text refused where an id goes (`problem.names`) with the hint naming the id of
    the entity it is the name or title of, when there is one; a stage's, in the journey
    of its pain point."""
    label, text = problem.names  # type: ignore[misc]
    journey = None
    if label == "stage" and problem.entity is not None:
        pain = portfolio.get(problem.entity, PainPoint)
        if isinstance(pain, PainPoint) and pain.origin.file == problem.file and \
                problem.pointer[:len(pain.origin.pointer)] == pain.origin.pointer:
            journey = pain.journey
    near = portfolio.own_unit(problem.file) if label == Unit.label else None
    hint = portfolio.name_hint(label, text, problem.pointer, journey) or portfolio.ids_hint(
        label, text, problem.pointer, journey, problem.entity, near)
    if hint is None and not portfolio.complete and (label != "stage" or journey is None
                                                     or portfolio.get(journey, Journey) is None):
        # a file that does not parse may define what the name stands for: an id made from
        # the name (`Digital-channels`) would be followed into a CXP102
        unread = portfolio.unreadable
        which = f"{unread[0]}, which cannot" if len(unread) == 1 else f"{len(unread)} files, which cannot"
        hint = (f"write the {label}'s id here; if this is {a_label(label)}'s name, {which} be read (see "
                f"{'its' if len(unread) == 1 else 'their'} CXP001), may define it")
    return problem if hint is None else replace(problem, hint=hint)


def _own_id(portfolio: Portfolio, problem: SchemaProblem, look: bool = True) -> SchemaProblem:
    """A number written as an entity's own id (`- id: 002` after `- id: CS-001`), or a
    stage's, with the hint writing it as the ids of its kind nearest it are written
    (`CS-002`), when that id is free, else the next number free in that convention: an id
    made of the key and the number (`id-002`) follows no convention of the file, and the
    number alone is no id (docs/format.md)."""
    label, text = problem.own_id  # type: ignore[misc]
    digits = text.lstrip("+")
    around, taken, model = _ids_around(portfolio, label, problem) if look else ([], portfolio.by_id, None)
    numbered = [(ident, found) for ident in around if (found := _NUMBERED.fullmatch(ident)) is not None]
    # the nearest id's convention only: another unit's (`DIG-003` in retail.yaml) is not this file's
    for ident, found in numbered[:1] if digits.isdigit() else ():
        made = found.group(1) + digits.zfill(len(found.group(2)))
        if made not in taken and is_id(made):
            return replace(problem, hint=f"an id is text: write it as the {label}s' ids around it are written "
                                         f"('{ident}'), e.g. id: {made}")
    lead = "an id is text, not a number: write an id of its own"
    if numbered:  # `id: 001` next to `CS-001`: the id the number makes is taken; the next free one
        ident, found = numbered[0]
        prefix, width = found.group(1), len(found.group(2))
        used = [int(other.group(2)) for _, other in numbered if other.group(1) == prefix]
        made = next(made for n in range(max(used) + 1, max(used) + len(taken) + 2)
                    if (made := prefix + str(n).zfill(width)) not in taken)
        if is_id(made):
            return replace(problem, hint=f"{lead}, as the {label}s' ids around it are written ('{ident}'), "
                                         f"e.g. id: {made}")
    example = (model.model_fields["id"].examples or [None])[0] if model is not None else None
    unique = "unique in its journey" if label == "stage" else "unique across the portfolio"
    return replace(problem, hint=f"{lead}, {unique}" + (f", e.g. id: {example}" if example and example not in taken
                                                         else ""))


_NUMBERED = re.compile(r"(.*?[^0-9])([0-9]+)")  # `CS-001`: what comes before the number, and the number


def _ids_around(portfolio: Portfolio, label: str,
                problem: SchemaProblem) -> tuple[list[str], Collection[str], type[BaseModel] | None]:
    """The ids of the `label` entities (or stages, of the problem's journey) nearest the
    problem's item first (those of its list, then its file's, then the others), the ids an
    id made must not be (the portfolio's; a stage's journey's), and the kind's model."""
    pointer, file = problem.pointer, problem.file
    if label == "stage":
        journey = portfolio.get(problem.entity or "", Journey)
        first = journey.stage_places() if isinstance(journey, Journey) else {}  # each id's first place
        index = pointer[-2] if len(pointer) > 1 and isinstance(pointer[-2], int) else 0
        return sorted(first, key=lambda ident: abs(first[ident] - index)), first.keys(), Stage
    index = pointer[1] if len(pointer) > 1 and isinstance(pointer[1], int) else 0

    def distance(entity: Any) -> tuple[int, int]:
        where = entity.origin.pointer
        same = entity.origin.file == file and where[:1] == pointer[:1] and len(where) > 1 and isinstance(where[1], int)
        return (0, abs(where[1] - index)) if same else (1 if entity.origin.file == file else 2, 0)

    model = next((m for m in ENTITY_KINDS.values() if m.label == label), None)
    return ([e.id for e in sorted((e for e in portfolio.by_id.values() if e.label == label), key=distance)],
            portfolio.by_id, model)


# A number read as a decimal whose dot may separate thousands: 1–3 digits, the first not 0
# (`0.750` is no group), a dot and three digits (`1.500`, `42.000`, `-1.200`).
DOTTED = re.compile(r"[-+]?[1-9][0-9]{0,2}\.[0-9]{3}")


def dotted_numbers(file: LoadedFile) -> Iterator[tuple[str, Pointer, str, str]]:
    """The numbers of a file written with a dot that may separate thousands (`Portfolio.dotted`),
    from those the reader kept as written (`ParsedYaml.written`: usually none)."""
    for position, text in file.parsed.written.items():
        if DOTTED.fullmatch(text):
            pointer = pointer_at(file.data, position)
            value = value_at(file.data, pointer)  # not a key, nor a value a repeated key replaced
            if isinstance(value, float) and value == float(text):
                yield file.path, pointer, text, file_subject(file.path, file.data)


def commented_values(file: LoadedFile) -> Iterator[tuple[str, Pointer, str, str]]:
    """The values of a file left empty before a comment on their line (`Portfolio.commented`),
    from those the reader kept (`ParsedYaml.written`, whose numbers never begin with '#')."""
    for position, text in file.parsed.written.items():
        if text.startswith("#"):
            pointer = pointer_at(file.data, position)
            # a key's value, still null there (not one a repeated key replaced)
            if pointer and isinstance(pointer[-1], str) and value_at(file.data, pointer, absent=False) is None:
                yield file.path, pointer, text, file_subject(file.path, file.data)


def file_subject(path: str, data: Any) -> str:
    """What a file is about, for the identity of a finding in it that names no entity:
    its `unit:`, else the one unit it defines, else its path (identity.py)."""
    unit = data.get("unit") if isinstance(data, dict) else None
    if not isinstance(unit, str):  # no `unit:` (deleted, misspelt): the one unit the file defines names it still
        unit = the_unit_defined(data)
    return f"unit {unit}" if unit is not None else f"file {path}"


def iter_references(portfolio: Portfolio) -> Iterator[tuple[Entity, tuple[str | int, ...], str, type[Entity]]]:
    """Every reference in the portfolio: (entity, pointer within it, target id, target kind),
    each definition's: an id written twice (CXP101) keeps both definitions' references, so a
    misspelt one in the definition the rules do not read is still followed (CXP102).

    A refused required reference (None in a partial entity) refers to nothing.
    """
    for reference in _references(portfolio):
        if reference[2] is not None:
            yield reference


def _references(portfolio: Portfolio) -> Iterator[tuple[Entity, tuple[str | int, ...], str, type[Entity]]]:
    for kind in (Unit, Journey, PainPoint, Kpi, Initiative):
        for entity in portfolio.of_kind[kind].values():
            yield from references_of(entity)
    if len(portfolio.by_id) == len(portfolio.entities):
        return  # no id written twice: every definition is read above
    for entity in portfolio.entities:  # then the others of an id written twice, in file order
        # an item an alias repeats (`- *name`) is written once, at its anchor: its references too
        if portfolio.of_kind[type(entity)].get(entity.id) is not entity and entity.origin.alias_of is None:
            yield from references_of(entity)


def references_of(entity: Entity) -> Iterator[tuple[Entity, tuple[str | int, ...], str, type[Entity]]]:
    """One entity's references, as `iter_references` gives them (a refused one included, as
    None), and those well-formed in items of its lists refused whole, at their items' places
    as written (`Entity.refused_references`)."""
    if isinstance(entity, Unit):
        for i, goal in enumerate(entity.goals):
            yield entity, ("goals", i, "kpi"), goal.kpi, Kpi
    elif isinstance(entity, Journey):
        if entity.owner is not None:
            yield entity, ("owner",), entity.owner, Unit
    elif isinstance(entity, PainPoint):
        yield entity, ("journey",), entity.journey, Journey
    elif isinstance(entity, Kpi):
        if entity.journey is not None:
            yield entity, ("journey",), entity.journey, Journey
        if entity.owner is not None:
            yield entity, ("owner",), entity.owner, Unit
        for i, target in enumerate(entity.drives):
            yield entity, ("drives", i), target, Kpi
        for i, target in enumerate(entity.tradeoffs):
            yield entity, ("tradeoffs", i), target, Kpi
    elif isinstance(entity, Initiative):
        if entity.unit is not None:
            yield entity, ("unit",), entity.unit, Unit
        for i, pain_id in enumerate(entity.addresses):
            yield entity, ("addresses", i), pain_id, PainPoint
        for i, effect in enumerate(entity.effects):
            yield entity, ("effects", i, "kpi"), effect.kpi, Kpi
        for i, realized in enumerate(entity.realized):
            yield entity, ("realized", i, "kpi"), realized.kpi, Kpi
        for i, dep in enumerate(entity.depends_on):
            yield entity, ("depends_on", i), dep, Initiative
    # an item refused whole (`{kpi: nps-x, change: 2, confidence: 1.5}`) still names what it names
    for pointer, target, kind in entity.refused_references:
        yield entity, pointer, target, kind
