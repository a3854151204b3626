"""What an edit changed between two checks of one portfolio, field by field.

The language server checks the whole portfolio after every edit, and an edit usually
changes one value of one entity (an effort, a title). A rule that declares what it reads
(`Rule.reads`) and reads none of what changed finds what it found before: the server
takes its previous hits, and their findings, instead of running it again
(engine.py). Anything beyond entity fields — which entities exist, their kinds, ids or
places, the configuration, what could not be read, and any field of an entity whose id
is defined twice (which definition the rules read is chosen by content) — counts as
changing everything.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cxportfolio.model.entities import Initiative, top_field
from cxportfolio.model.portfolio import Portfolio

# Everything changed: every rule runs again.
EVERYTHING = None


def changed_fields(before: Portfolio, after: Portfolio) -> frozenset[str] | None:
    """The entity fields whose value differs, as "Kind.field" ("Initiative.effort"), or
    None when more than field values differs.

    A field also changes when its value is refused or accepted again (CXP002), or is
    refused and written otherwise (CXP201 weighs a refused title's words as written), and
    "Kind.mentions" when the text of a refused value changes (what CXP502 reads);
    "Portfolio.dotted" when the numbers written with a dot that may separate thousands
    do (`volume: 1.200` made `1.2`: the same number, written otherwise; CXP108), and
    "Portfolio.commented" when the values left empty before a comment do (CXP109).
    Documents read from the same bytes keep their entity objects (memo.py), so only the
    edited file's entities are compared.
    """
    if (before.config is not after.config or before.rules is not after.rules or before.files != after.files
            or before.unreadable != after.unreadable or before.invalid_initiatives != after.invalid_initiatives
            or before.unsure_ids != after.unsure_ids or before.unsure_mentions != after.unsure_mentions
            or before.lost_initiatives != after.lost_initiatives or before.idless != after.idless
            or len(before.entities) != len(after.entities) or _places(before) != _places(after)):
        return EVERYTHING
    changed: set[str] = {"Portfolio.dotted"} if before.dotted != after.dotted else set()
    if before.commented != after.commented:
        changed.add("Portfolio.commented")
    repeated: Counter[str] | None = None  # how many entities have each id, counted at the first edited one
    for old, new in zip(before.entities, after.entities):
        if old is new:
            continue
        if (type(old) is not type(new) or old.id != new.id or old.origin.file != new.origin.file
                or old.origin.pointer != new.origin.pointer or old.origin.alias_of != new.origin.alias_of):
            return EVERYTHING
        if repeated is None:
            repeated = Counter(e.id for e in after.entities)
        if repeated[new.id] > 1:
            # Which of an id's definitions the rules read is chosen by content (CXP101), and
            # whether they are copies is its hint: any field of one may change what every
            # rule says of that id.
            return EVERYTHING
        kind = type(new).__name__
        values = old.__dict__
        changed.update(f"{kind}.{name}" for name, value in new.__dict__.items() if values.get(name) != value)
        # (a stage's refused name, `stages.name`, is a change of `stages`, which the rules read)
        changed.update(f"{kind}.{top_field(name)}" for name in old.invalid_fields ^ new.invalid_fields)
        # a value refused on both sides, written otherwise (`title: [Beta app]` made
        # `[Beta apps]`): what CXP201 weighs of a refused title is its words as written.
        # The items are compared first: an edit of a file of thousands of refused values
        # reads the misspelt keys of the item it changed alone.
        refused = {top_field(name) for name in old.invalid_fields & new.invalid_fields}
        if refused and before.item(old) != after.item(new):
            changed.update(f"{kind}.{name}" for name in refused
                           if before.written(old, name) != after.written(new, name))
        if old.mentions != new.mentions:
            changed.add(f"{kind}.mentions")
        if old.refused_references != new.refused_references:  # what CXP102 follows in an item refused whole
            changed.update(f"{kind}.{pointer[0]}" for pointer, _, _ in
                           set(old.refused_references) ^ set(new.refused_references))
        if old.refused_rules != new.refused_rules:  # what a finding's hint says of its allow (engine.Policy)
            changed.add(f"{kind}.allow")
        if old.origin.written != new.origin.written:  # where an item of a list is: where its findings go
            was, now = old.origin.written or {}, new.origin.written or {}
            changed.update(f"{kind}.{name}" for name in was.keys() | now.keys() if was.get(name) != now.get(name))
        if isinstance(new, Initiative) and old.unit_inherited != new.unit_inherited:  # type: ignore[attr-defined]
            changed.add(f"{kind}.unit")
    return frozenset(changed)


def _places(portfolio: Portfolio) -> dict[str, list[tuple[Any, ...]]]:
    """The ids that failed validation, and where: a plain value to compare."""
    return {ident: [(label, origin.file, origin.pointer, origin.alias_of) for label, origin in places]
            for ident, places in portfolio.invalid_ids.items()}
