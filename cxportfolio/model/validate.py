"""Raw documents → typed entities, and every schema problem as a located message.

Validation runs the entities of a list through their model's validator in one C-level
loop (a list adapter would cost more to build at every start than it saves: nothing,
even at 10,000 initiatives); only when that fails are the entities looked at one by
one. An entity with refused values is then *salvaged* (docs/format.md, error tolerance): the
refused values are pruned — a field, or one item of a list — and the rest validated
again, so the entity stays in the portfolio with every valid field and the rules that
do not need the bad one still see it. The configuration is salvaged the same way: one
bad value falls back to its default alone.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import field, replace
from functools import cache
from typing import Any, Optional, TypeVar, get_args

from pydantic import BaseModel, Field, ValidationError, create_model

from cxportfolio.load.positions import pointer_at, position_in, value_at
from cxportfolio.load.yaml_reader import (SPACE_LIKE, Replaced, Unread, YamlMap, _excerpt, is_extension,
                                          space_like_name, unpack)
from cxportfolio.model.config import PROTECTED_RULES, Config, RuleSettings, RuleSetting
from cxportfolio.model.document import PortfolioDocument
from cxportfolio.model.entities import (ENTITY_KINDS, LIST_KEY_OF_LABEL, Entity, Initiative, Journey, Kpi, Origin,
                                         PainPoint, RefusedReference, Unit, WrittenIndex)
from cxportfolio.model.finding import MAX_RELATED
from cxportfolio.model.types import (CURLY_QUOTES, KNOWN_RULES, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS,
                                      MINUS_LOOKALIKES, NOT_BLANK, choice_hint, closest, describe, did_you_mean, field_path,
                                      id_excerpt, id_form, is_id, most_alike, rule_named)
from cxportfolio.records import record

Pointer = tuple[str | int, ...]
LostInitiative = tuple[str, str, str, tuple[str, ...]]  # see ValidatedDocument.lost_initiatives
_TOP_LEVEL_KEYS = ("unit", *ENTITY_KINDS)
_NONE: frozenset[str] = frozenset()
# Why an entity is lost whose item repeats `id:` (ValidatedDocument.lost_values).
MERGED_ITEM = "its item repeats `id:`"
# The fields that name another entity by its id, by model and field (list indexes left
# out), and the label of what they name ("stage": a stage of the pain point's journey).
# A refused value there may be that entity's name or title (`unit: Customer service`),
# which the portfolio, once built, tells the id of (portfolio.name_hint).
# tests/test_hints.py keeps them the references `portfolio.iter_references` follows.
REFERENCE_FIELDS: dict[tuple[type, tuple[str, ...]], str] = {
    (PortfolioDocument, ("unit",)): Unit.label,
    (Unit, ("goals", "kpi")): Kpi.label,
    (Journey, ("owner",)): Unit.label,
    (PainPoint, ("journey",)): Journey.label,
    (PainPoint, ("stage",)): "stage",
    (Kpi, ("journey",)): Journey.label,
    (Kpi, ("owner",)): Unit.label,
    (Kpi, ("drives",)): Kpi.label,
    (Kpi, ("tradeoffs",)): Kpi.label,
    (Initiative, ("unit",)): Unit.label,
    (Initiative, ("addresses",)): PainPoint.label,
    (Initiative, ("effects", "kpi")): Kpi.label,
    (Initiative, ("realized", "kpi")): Kpi.label,
    (Initiative, ("depends_on",)): Initiative.label,
}


@record
class SchemaProblem:
    """A CXP002 finding before it has a position: file, pointer and message."""

    file: str
    pointer: Pointer
    message: str
    hint: str | None = None
    at_key: bool = False
    entity: str | None = None
    related: tuple[Pointer, ...] = ()  # keys to point at too (at the key)
    # The entities of a problem that groups several (`entity` is then None): the
    # initiatives a missing `unit:` leaves without one (`_no_unit`).
    entities: tuple[str, ...] = ()
    # What the problem is about when that is its file, not its entities or message: its
    # fingerprint's key, with the file's subject (identity.py), so that it stays the same
    # finding while the initiatives it names are fixed one by one ("no unit").
    about: str | None = None
    # A text refused where an id of another entity goes: (the label of what the field
    # names, the text). The portfolio, once built, may know it as a name or title: the
    # hint then names that entity's id (portfolio.name_hint).
    names: tuple[str, str] | None = None
    # A number written where an entity's own id goes (`- id: 002`): (its label, the number
    # as written). The portfolio, once built, knows the ids around it: the hint writes the
    # number as they are written (`CS-002`, portfolio._own_id).
    own_id: tuple[str, str] | None = None


@record(frozen=False)
class ValidatedDocument:
    """One document's entities, its schema problems, and what its mistakes may have lost."""

    entities: list[Entity]
    problems: list[SchemaProblem]
    # Items that could not be made entities at all (no valid id), by id when they have
    # one: references to them are not "unknown", and a second definition is a duplicate.
    invalid_ids: dict[str, list[tuple[str, Origin]]]
    invalid_initiatives: int = 0
    # What values lost to a mistake may have defined and named (`lost`): items refused
    # whole, lists under a misspelled top-level key, values a repeated key replaced.
    unsure_ids: dict[str, set[str]] = field(default_factory=dict)  # id_form → kind labels, or ANY_KIND
    unsure_mentions: set[str] = field(default_factory=set)
    lost_budget: list[int] = field(default_factory=lambda: [MAX_LOST_CHARS], repr=False)
    # How the file's numbers were written (`ParsedYaml.written`): a lost initiative's words
    # are read with them (`words_under`)
    numbers: Mapping[int, str] = field(default_factory=dict, repr=False)
    # Those of them that held entities, as (kind, name, why): ("list", "'kpi'", "under
    # an unknown top-level key"): what the figures of rank, track and report leave out.
    lost_values: list[tuple[str, str, str]] = field(default_factory=list)
    # The values lost that `lost_values` does not list (rank and report name them apart):
    # items refused whole with an id, initiatives refused whole, values a repeated key
    # replaced inside an item. The check's summary counts both.
    lost_elsewhere: int = 0
    # Each initiative lost whole and not dropped, as CXP201 reads it: (title, description,
    # unit, pain points addressed). Its words still weigh, it still counts in its unit and
    # its pain points, so that which pairs the others form stays as it was.
    lost_initiatives: list[LostInitiative] = field(default_factory=list)
    # The kinds of the items refused whole without a usable id (their `id:` line deleted,
    # or their id refused): such an item may have defined any id of its kind
    # (`Portfolio.idless`).
    idless: set[str] = field(default_factory=set)


@record(frozen=False)
class ValidatedConfig:
    """The configuration as validated (each bad value back at its default) and its problems."""

    config: Config | None
    rules: RuleSettings = field(default_factory=RuleSettings)
    problems: list[SchemaProblem] = field(default_factory=list)
    refused: frozenset[str] = frozenset()  # the settings refused, at their defaults (`year`, `target`…)
    # What a portfolio document's lists written in it (`initiatives:` pasted into
    # cxportfolio.yaml, a CXP002 that says to move them) may define and name: lost, as
    # under a document's unknown top-level key, so that no rule calls a pain point they
    # address unaddressed, and the figures say they leave them out (`_lost_in_config`)
    lost: ValidatedDocument | None = None


def validate_config(file: str, data: Any, rule_options: Mapping[str, type[BaseModel]] | None = None,
                    written: Mapping[int, str] | None = None,
                    overwritten: list[Replaced] | None = None) -> ValidatedConfig:
    """The configuration, each refused value reported and replaced by its default.

    `rules:` is validated entry by entry against each rule's own options model
    (`rule_options`, code → model), with the same messages as every other field.
    `written`: how the file's numbers were written (`ParsedYaml.written`), for the hints.
    `overwritten`: the values a repeated key replaced (CXP003): a setting written twice
    (`year: 2026` … `year: 2027`) is not known, so it counts as refused and falls back
    alone, as a refused value does — YAML's "the last one wins" is a guess.
    """
    if not isinstance(data, dict):
        return ValidatedConfig(None, problems=[SchemaProblem(
            file, (), f"the configuration must be a mapping, got {describe(data)}",
            "start from `cxportfolio init` or see docs/format.md")])
    problems: list[SchemaProblem] = []
    as_written = AsWritten(data, written) if written else None
    rules = _validate_rules(file, data.get("rules"), rule_options or {}, problems, as_written)
    body = {k: v for k, v in data.items() if k != "rules"}
    config, refused = _salvage(Config, body, lambda e: problems.append(_problem(file, (), e, Config,
                                                                                as_written=as_written)),
                               partial_ok=True)
    _forget_repeated_rules(rules, overwritten or ())
    repeated = {key for key, _, _, top_level, _, _ in overwritten or () if top_level and key in Config.model_fields}
    # a key written twice inside one (`scoring: {downstream_weight: 1, downstream_weight: 3}`,
    # `target: {improvements: 50, improvements: 60}`): as unknown as the setting written twice
    inside = [(*around, key) for key, _, around, top_level, _, _ in overwritten or ()
              if not top_level and around[:1] in (("scoring",), ("target",))]
    repeated |= {path[0] for path in inside if path[0] == "target"}
    for path in inside if config is not None else ():
        if path[0] == "scoring":
            config = _reset(config, path)
    if config is not None and repeated:
        config = config.model_copy(update={key: _fallback(Config, key) for key in repeated})
        refused = frozenset(refused) | repeated
    return ValidatedConfig(config, rules, problems, frozenset(refused), _lost_in_config(data))


def _lost_in_config(data: dict[Any, Any]) -> ValidatedDocument | None:
    """The portfolio's lists written in the configuration, each lost as a value of its kind
    (`lost`), and listed as lost (`lost_values`): the configuration defines no entity."""
    keys = [key for key in data if key in ENTITY_KINDS]
    if not keys:
        return None
    result = ValidatedDocument([], [], {})
    for key in keys:
        lost(data[key], ENTITY_KINDS[key].label, result)
        if isinstance(data[key], (list, dict)):
            result.lost_values.append((_container(data[key]), _key(key) + _held(data[key]),
                                       "in the configuration, not in a portfolio document"))
        else:
            result.lost_elsewhere += 1
    return result


def _forget_repeated_rules(rules: RuleSettings, overwritten: Iterable[Replaced]) -> None:
    """A rule written twice under `rules:` (`CXP405: {days: 90}` … `CXP405: {days: 30}`),
    or its severity or an option written twice in its entry, is not known, as a setting
    written twice is not: the rule's defaults, or that option's, stand (CXP003 says
    where), not the last one YAML keeps."""
    for key, _, around, _, _, _ in overwritten:
        if around == ("rules",):
            rules.severities.pop(key, None)
            rules.options.pop(key, None)
        elif len(around) == 2 and around[0] == "rules":
            code = around[1]
            if key == "severity":
                rules.severities.pop(code, None)
            elif code in rules.options and key in type(rules.options[code]).model_fields:
                options = rules.options[code]
                rules.options[code] = options.model_copy(update={key: _fallback(type(options), key)})


def _reset(model: Any, path: tuple[Any, ...]) -> Any:
    """`model` with the field at `path` (through nested models) at its default: the
    innermost model validated again without it, so that a default bounded by its siblings
    keeps to them (a kind weight's, at most the weight above it: model/scoring.py)."""
    head, rest = path[0], path[1:]
    if not isinstance(model, BaseModel) or head not in type(model).model_fields:
        return model
    if rest:
        return model.model_copy(update={head: _reset(getattr(model, head), rest)})
    try:
        return type(model).model_validate(model.model_dump(by_alias=True, exclude={head}))
    except ValidationError:
        return model.model_copy(update={head: _fallback(type(model), head)})


def _fallback(model: type[BaseModel], key: str) -> Any:
    """A field's default, or None for a required one (what a refused value leaves)."""
    from pydantic_core import PydanticUndefined

    default = model.model_fields[key].get_default(call_default_factory=True)
    return None if default is PydanticUndefined else default


def validate_rules(file: str, raw: Any, rule_options: Mapping[str, type[BaseModel]]
                   ) -> tuple[RuleSettings, list[SchemaProblem]]:
    """`rules:` alone, as the configuration's are validated (a saved check's, read back)."""
    problems: list[SchemaProblem] = []
    return _validate_rules(file, raw, rule_options, problems), problems


def _name_hint(key: Any, entry: Any) -> str | None:
    """`unknown-reference: warning`: a rule's name, as `cxportfolio rules` lists it beside
    its code, where `rules:` takes the code."""
    code = rule_named(key)
    if code is None:
        return None
    if isinstance(entry, dict):  # `no-follow-up: {days: 60}`: "CXP405: warning" would drop the options
        return (f"{_excerpt(key)} is the name of {code}: write its code in its place, `{code}:`, "
                "the options as they are")
    severities = RuleSetting.__args__  # type: ignore[attr-defined]
    example = "error" if code in PROTECTED_RULES else entry if entry in severities else "warning"
    return f"{_excerpt(key)} is the name of {code}: write its code, e.g. {code}: {example}"


def _validate_rules(file: str, raw: Any, rule_options: Mapping[str, type[BaseModel]],
                    problems: list[SchemaProblem], as_written: AsWritten | None = None) -> RuleSettings:
    settings = RuleSettings()
    if raw is None:
        return settings
    if not isinstance(raw, dict):
        problems.append(SchemaProblem(file, ("rules",), f"rules must be a mapping (key: value), got {describe(raw)}",
                                      "write it as a mapping of rule codes, e.g. rules: {CXP402: error}"))
        return settings
    for code, entry in raw.items():
        where: Pointer = ("rules", code)
        options_model = rule_options.get(code) if isinstance(code, str) else None
        if options_model is None:
            # options written name the rule meant (`CXP450: {days: 90}`: CXP405 has days)
            named = set(entry) - {"severity"} if isinstance(entry, dict) else set()
            having = [c for c in sorted(rule_options) if named <= set(rule_options[c].model_fields)]
            problems.append(SchemaProblem(
                file, where, f"rules: unknown rule code {_excerpt(code) if isinstance(code, str) else describe(code)}",
                _name_hint(code, entry) or did_you_mean(code, having if named and having else sorted(rule_options))
                or "`cxportfolio rules` lists the codes", at_key=True))
            continue
        if isinstance(entry, str):
            entry = {"severity": entry}
            where_severity: Pointer = where
        elif isinstance(entry, dict):
            where_severity = (*where, "severity")
        else:
            example = "error" if code in PROTECTED_RULES else "warning"
            hint = (f"to switch the rule off, write `off`, e.g. {code}: \"off\"" if entry is False
                    and code not in PROTECTED_RULES else f"e.g. {code}: {example}")  # `CXP402: false`
            comment = as_written(where, entry) if as_written is not None and entry is None else None
            if comment is not None and comment.startswith("#"):  # `CXP405: #info`: YAML read a comment
                from cxportfolio.model.hints import comment_lead

                meant = comment[1:].strip()
                levels = ("error",) if code in PROTECTED_RULES else RuleSetting.__args__  # type: ignore[attr-defined]
                fits = meant in levels
                hint = (f"{comment_lead(comment)}: remove the `#`, e.g. {code}: {meant}" if fits
                        else f"{comment_lead(comment)}: write a severity, e.g. {code}: {example}")
            problems.append(SchemaProblem(
                file, where, f"rules.{code} must be a severity (error, warning, info, off) or a mapping "
                f"of severity and options, got {describe(entry)}", hint))
            continue
        entry = dict(entry)
        severity = entry.pop("severity", None)
        if severity is not None:
            if severity not in RuleSetting.__args__:  # type: ignore[attr-defined]
                # a protected rule takes `error` alone: an example of another would be refused too
                levels = ("error",) if code in PROTECTED_RULES else RuleSetting.__args__  # type: ignore[attr-defined]
                problems.append(SchemaProblem(
                    file, where_severity, f"rules.{code} severity must be one of error, warning, info, off, "
                    f"got {describe(severity)}", choice_hint(severity, levels)
                    or (f"e.g. {code}: {levels[-1] if len(levels) == 1 else 'warning'}" if where_severity == where
                        else f"e.g. severity: {levels[-1] if len(levels) == 1 else 'warning'}")))
            elif severity != "error" and code in PROTECTED_RULES:
                # lowered, such a finding would stop blocking: a pull request could pass
                # broken YAML, refused values or duplicate ids through a gate with no baseline
                problems.append(SchemaProblem(
                    file, where_severity, f"rules.{code} cannot be {'switched off' if severity == 'off' else 'lowered'}"
                    ": the syntax, repeated-key, schema, id and configuration-change checks always run, as errors",
                    "remove this entry (these rules are always errors)"))
            else:
                settings.severities[code] = severity
        if entry:
            options, refused = _salvage(options_model, entry, lambda e: problems.append(
                _problem(file, where, e, options_model, prefix=where, as_written=as_written)))
            if options is not None and refused:
                # A refused option falls back to its default whole: a list keeps none of
                # its items (`statuses: [approved, finished]` is not `[approved]`).
                options = _without(options_model, entry, refused) or options
            if options is not None:
                settings.options[code] = options
    return settings


def validate_document(file: str, data: Any, overwritten: list[Replaced] | None = None,
                      written: Mapping[int, str] | None = None,
                      aliased: Mapping[int, int] | None = None) -> ValidatedDocument:
    """`overwritten`: the values a repeated key replaced in the file (CXP003); `written`:
    how its numbers were written (`ParsedYaml.written`), for the hints; `aliased`: the
    plain values an alias repeats (`ParsedYaml.aliased`), each said once."""
    result = ValidatedDocument([], [], {}, numbers=written or {})
    as_written = AsWritten(data, written) if written else None
    merged: list[tuple[str, str, Any]] = []  # (list key, the first id, the item) of items whose `id:` repeats
    # the items and values of entity fields (by id) a repeated key made unsure → the keys repeated
    repeated_items: dict[int, set[Any]] = {}
    repeated_fields: dict[int, set[Any]] = {}  # an entity's item (by id) → its fields a repeated key made unsure
    for key, value, around, top_level, shared, holder in overwritten or ():
        if is_extension(key) or (not shared and any(map(is_extension, around))):
            continue  # an x- value, or inside one no alias reads elsewhere: never read
        if len(around) == 2 and around[0] in ENTITY_KINDS:
            # `{rule: CXP402, rule: CXP201, …}`, `{kpi: nps, change: 4, change: -4}`: which
            # was meant is unknown, so the item is refused whole, as an item with an error
            repeated_items.setdefault(id(holder), set()).add(key)
        elif len(around) == 1 and around[0] in ENTITY_KINDS and key not in _KEPT_WHEN_REPEATED:
            # an entity's own field written twice (`journey: a`, `journey: b`): refused, as a
            # setting written twice is (unless its item repeats `id:` too: see `merged`)
            repeated_fields.setdefault(id(holder), set()).add(key)
        if top_level:  # a whole list: its items' own ids, of the kind the key holds
            kind = ENTITY_KINDS.get(key)
            lost(value, kind.label if kind else ANY_KIND, result)
            if isinstance(value, (list, dict)):
                result.lost_values.append((_container(value), _key(key) + _held(value), "replaced by a repeated key"))
            continue
        lost({key: value}, ANY_KIND, result)  # inside an item: `id: A` then `id: B` leaves A unknown
        if key == "id" and len(around) == 1 and around[0] in ENTITY_KINDS and not shared and isinstance(value, str):
            # A list item's `id:` written again: most often the next item lost its `- `
            # and merged into this one, so the entity of the first id is gone: named, so
            # that what the figures leave out says so (analysis/exclusions.py), once the
            # item's kind is known (an initiative under `units:` is an initiative).
            merged.append((around[0], value, holder))
        # Counted, but not again under a misspelled top-level key or in a file of items
        # without their key: their whole value counts (unless an alias reads it elsewhere).
        elif shared or (around and around[0] in _TOP_LEVEL_KEYS):
            result.lost_elsewhere += 1
    for _, _, item in merged:  # two items merged by a lost `- `: the last values are the second item's
        repeated_fields.pop(id(item), None)
    if data is None:  # an empty file holds nothing, which is fine
        return result
    if not isinstance(data, dict):
        result.problems.append(SchemaProblem(
            file, (), f"a portfolio file must be a mapping, got {describe(data)}",
            f"use top-level keys: {', '.join(_TOP_LEVEL_KEYS)}"))
        if isinstance(data, list) and data:  # items written without their key: what they define is lost
            lost(data, ANY_KIND, result)
            result.lost_values.append(("list", "in place of the top-level keys", "the file is not a mapping"))
        return result
    misspelt_unit: int | None = None  # the problem of `unti: digital`, which the unit-less initiatives are
    refused_unit: int | None = None  # the problem of `unit: 7`, likewise
    unhinted: list[int] = []  # the problems of unknown top-level keys like none of the format's
    known = 0  # the top-level keys of the format (or extensions) it has
    for key in data:
        if key in _TOP_LEVEL_KEYS or is_extension(key):
            known += 1
            continue
        # `kpi:` for `kpis:` defines KPIs still: the kind of the key it is nearest to, if any
        near = closest(key, list(ENTITY_KINDS)) if isinstance(key, str) else None
        lost(data[key], ENTITY_KINDS[near].label if near else ANY_KIND, result)
        if isinstance(data[key], (list, dict)):
            result.lost_values.append((_container(data[key]), _key(key) + _held(data[key]),
                                       "under an unknown top-level key"))
        if "unit" not in data and isinstance(data[key], str) and closest(key, _TOP_LEVEL_KEYS) == "unit":
            misspelt_unit = len(result.problems)
        hint = _space_like_hint(key) or did_you_mean(key, _TOP_LEVEL_KEYS) or _left_its_item(data, key)
        if hint is None:
            unhinted.append(len(result.problems))
        result.problems.append(SchemaProblem(
            file, (key,), f"unknown top-level key {_key(key)}", hint or _NO_TOP_LEVEL_KEY_HINT, at_key=True))
    if not known and len(unhinted) == len(data):  # `site_name: Docs`: nothing of the format at all
        for at in unhinted:
            result.problems[at] = replace(result.problems[at], hint=_NOT_A_DOCUMENT_HINT)
    file_unit = data.get("unit")
    if file_unit is not None:
        try:
            PortfolioDocument.model_validate({"unit": file_unit})
        except ValidationError as err:
            errors = err.errors()
            if len(errors) == 1:  # `unit: 7`: the problem the unit-less initiatives are
                refused_unit = len(result.problems)
            result.problems.extend(_problem(file, (), e, PortfolioDocument, as_written=as_written)
                                   for e in errors)
            file_unit = None
    unitless: list[tuple[str, int, str | None, bool]] = []  # initiatives without a unit, of every list
    for key, model in ENTITY_KINDS.items():
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            result.problems.append(SchemaProblem(
                file, (key,), f"'{key}' must be a list of {model.label}s, got {describe(items)}",
                f"write each {model.label} as a list item starting with '- id: …'"))
            continue
        if repeated_items or repeated_fields:
            items = _unsure_items(items, repeated_items, repeated_fields)
        _validate_list(file, key, model, items, file_unit, result, data, unitless, as_written)
    if unitless:
        order = {key: n for n, key in enumerate(data)}
        no_unit = _no_unit(file, sorted(unitless, key=lambda u: (order[u[0]], u[1])), data)
        at = misspelt_unit if misspelt_unit is not None else refused_unit
        if at is None:
            result.problems.append(no_unit)
        else:  # one mistake, one finding: at the misspelt key or refused unit, saying what it leaves without one
            said = result.problems[at]
            result.problems[at] = replace(
                said, message=f"{said.message}; without {'`unit:`' if at == misspelt_unit else 'a valid `unit:`'}, "
                              f"{no_unit.message[:1].lower()}{no_unit.message[1:]}",
                hint=f"rename {_key(said.pointer[-1])} to 'unit'" if at == misspelt_unit else said.hint,
                related=(no_unit.pointer, *no_unit.related)[:MAX_RELATED], entities=no_unit.entities,
                about=no_unit.about)
    if file_unit and result.lost_initiatives:  # lost initiatives without their own `unit:` are the file's
        result.lost_initiatives = [(t, d, u or file_unit, a) for t, d, u, a in result.lost_initiatives]
    if merged:  # each item's kind: that of the entity (or refused one) its last id is
        kinds = {ident: places[0][0] for ident, places in result.invalid_ids.items()}
        kinds.update((entity.id, entity.label) for entity in result.entities)
        # (an item of a list a repeated key replaced is counted with that list)
        present = {id(item) for list_key in {k for k, _, _ in merged}
                   if isinstance(data.get(list_key), list) for item in data[list_key]}
        for list_key, first, item in merged:
            if id(item) not in present:
                continue
            now = item.get("id") if isinstance(item, dict) else None
            label = (kinds.get(now) if isinstance(now, str) else None) or ENTITY_KINDS[list_key].label
            result.lost_values.append((label, id_excerpt(first), MERGED_ITEM))
    if len(result.problems) > 1:
        result.problems = _said_once(result.problems, data, aliased or {})
    return result


# An entity's fields that keep their last value when written twice: `id` (two items merged
# by a lost `- `: the last values are the second item's) and its texts, which no rule reads
# for a meaning, while CXP201 weighs every initiative's words: without one, the others'
# clusters would move (docs/format.md, error tolerance).
_KEPT_WHEN_REPEATED = frozenset({"id", "title", "name", "description"})


def _left_its_item(data: dict[Any, Any], key: Any) -> str | None:
    """`planned: 2026-Q3`, the last key of the last initiative, moved to column 1: the hint
    for an unknown top-level key that is a field of the kind of the list right above it,
    which its last item does not have: indent it under that item, at its keys' column."""
    at = data.slot(key) if type(data) is YamlMap and isinstance(key, str) else None
    if not at:  # (a key first in its file has no list above it)
        return None
    above = data.key_at(at - 1)
    model = ENTITY_KINDS.get(above) if isinstance(above, str) else None
    items = data.get(above)
    last = items[-1] if isinstance(items, list) and items else None
    if model is None or key not in model.model_fields or not isinstance(last, dict) or not last or key in last:
        return None
    first_key = position_in(data, 0, (above, len(items) - 1, next(iter(last))), at_key=True)
    if first_key != position_in(data, 0, (above, len(items) - 1)):
        return None  # `- {id: …}`: a key goes inside its braces, not under them
    line, column = unpack(first_key)
    ident = last.get("id")
    which = f"{model.label} {id_excerpt(ident)}" if isinstance(ident, str) else model.label
    return (f"{_key(key)} is a field of {a_label(model.label)}, not a top-level key: if it belongs to the {which} "
            f"above it, indent it to column {column}, in line with its other keys (they start at line {line})")


_NO_FIELD_HINT = "remove it, or prefix it with x- to keep it as an extension"
# where a portfolio document's top-level key goes, as `cxportfolio init` lays them out
_DOCUMENT_OF = {"unit": "units/<unit>.yaml", "units": "units/<unit>.yaml", "initiatives": "units/<unit>.yaml"}


def _in_a_document(model: type, loc: Pointer) -> str | None:
    """`initiatives: [...]` in cxportfolio.yaml: a portfolio document's top-level key, not a
    setting; the hint moves it, where "remove it" would throw the work away."""
    key = loc[-1]
    if model is not Config or len(loc) != 1 or key not in _TOP_LEVEL_KEYS:
        return None
    return (f"{_key(key)} belongs in a portfolio document, not in cxportfolio.yaml: move it to another .yaml "
            f"file of the portfolio, e.g. {_DOCUMENT_OF.get(key, f'{key}.yaml')}")


_NO_TOP_LEVEL_KEY_HINT = f"use {', '.join(_TOP_LEVEL_KEYS)}, or an extension key starting with x-"
# a file of another tool's (`mkdocs.yml`) in the portfolio's folder: every other .yaml file is read (docs/format.md)
_NOT_A_DOCUMENT_HINT = (f"this file does not look like a portfolio document (none of its top-level keys is "
                        f"{', '.join(_TOP_LEVEL_KEYS[:-1])} or {_TOP_LEVEL_KEYS[-1]}): move it out of the "
                        "portfolio's folder, or into a hidden folder (a name starting with `.`), which is not read")
_LIKE_NO_KEY = (_NO_FIELD_HINT, _NO_TOP_LEVEL_KEY_HINT, _NOT_A_DOCUMENT_HINT)  # the hints of a key like none
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as libyaml counts lines (yaml_reader)


def rest_of_comments(problems: list[SchemaProblem], data: Any, text: Callable[[], str]) -> list[SchemaProblem]:
    """`problems` with the hint of an unknown key that is no field at all (nothing alike)
    and stands right below a comment line, at its column, saying it may be the comment's
    rest: `# Merk: … se styringsgruppens` wrapped so that `vedtak: 2026-11-20` is the next
    line is half a comment read as data. `text`: the file's text, asked for only then."""
    if not any(p.hint in _LIKE_NO_KEY for p in problems):
        return problems
    lines = _LINE_BREAK.split(text())
    return [replace(p, hint=f"{p.hint}; if it is the rest of the comment on line {above}, put a `#` before it")
            if p.hint in _LIKE_NO_KEY and p.pointer
            and (above := _comment_above(lines, data, p.pointer)) else p for p in problems]


def _comment_above(lines: list[str], data: Any, pointer: Pointer) -> int | None:
    """The line of the comment right above the key at `pointer`, begun at the key's column."""
    line, column = unpack(position_in(data, 0, pointer, at_key=True))
    if not 2 <= line <= len(lines) or str(pointer[-1]) not in lines[line - 1][column - 1:]:
        return None  # (a file changed since it was read)
    above = lines[line - 2]
    starts = len(above) - len(above.lstrip(" "))
    return line - 1 if above[starts:starts + 1] == "#" and starts == column - 1 else None


def _said_once(problems: list[SchemaProblem], data: Any, aliased: Mapping[int, int]) -> list[SchemaProblem]:
    """A refused value that aliases (`*name`) bring into several entities is one mistake,
    where its anchor writes it: one finding, naming each entity that reads it (their
    pointers lead to one object of the data as read, or to a plain value `aliased` says
    an alias repeats: only an alias shares one)."""
    groups: dict[tuple[Any, ...], list[SchemaProblem]] = {}
    holders: dict[tuple[Any, ...], set[tuple[Any, ...]]] = {}  # per group, its entities and items: linear
    for n, problem in enumerate(problems):
        place = _place(problem, data, aliased)
        key = (n,) if place is None else (*place, problem.hint, problem.at_key)
        holder = (problem.entity, *problem.pointer[:2])
        if holder in holders.get(key, ()):
            key = (n,)  # one entity's own problems stay apart (a list's index may have moved)
        groups.setdefault(key, []).append(problem)
        holders.setdefault(key, set()).add(holder)
    if len(groups) == len(problems):
        return problems
    return [_at_anchor(_named_too(group, data), data, key[1]) if key[0] == "anchor" and len(group) > 1
            else _named_too(group, data) for key, group in groups.items()]


def _at_anchor(said: SchemaProblem, data: Any, anchor: int) -> SchemaProblem:
    """A plain value aliased from an `x-` key (`x-defaults: {effort: &e lots}`) is said
    where the anchor writes it, as a mapping aliased from there is: the first reader
    holds only an alias. (Anchored in an entity that reads it, that entity is the first.)"""
    pointer = pointer_at(data, anchor)
    if not any(isinstance(part, str) and is_extension(part) for part in pointer):
        return said
    return replace(said, pointer=pointer)


def _place(problem: SchemaProblem, data: Any, aliased: Mapping[int, int]) -> tuple[Any, Any] | None:
    """The object a problem of an entity is at (its container, with the key or index,
    for a scalar; a scalar an alias repeats, its anchor's position): the same for each
    entity an alias brings the value into."""
    if problem.entity is None or not problem.pointer:
        return None
    node = None if problem.at_key else value_at(data, problem.pointer)  # a key is its mapping's own
    if isinstance(node, (dict, list)):
        return id(node), None
    if aliased and not problem.at_key:
        anchor = aliased.get(position_in(data, 0, problem.pointer))
        if anchor is not None:
            return "anchor", anchor
    holder = value_at(data, problem.pointer[:-1])
    return (id(holder), problem.pointer[-1]) if isinstance(holder, (dict, list)) else None


def _named_too(group: list[SchemaProblem], data: Any) -> SchemaProblem:
    """The first of one value's problems, naming the entities the others are in; an item
    an alias repeats whole (`- *name`: the same object) is said as a repeat, related at
    it, and another item of the same id that an alias brings the value into as that."""
    said = group[0]
    others = list(dict.fromkeys(str(p.entity) for p in group[1:] if p.entity != said.entity))
    items = dict.fromkeys(p.pointer[:2] for p in group[1:] if p.entity == said.entity)
    aliased = _repeated((at, value_at(data, at)) for at in (said.pointer[:2], *items))
    repeats = [at for at in items if at in aliased]  # the same object as an item before it: aliased whole
    again = [at for at in items if at not in aliased]  # written out, with the same id (CXP101 says so)
    if not others and not items:
        return said
    label = ENTITY_KINDS[said.pointer[0]].label if said.pointer[0] in ENTITY_KINDS else "entity"
    shown = [*map(id_excerpt, others[:3]), *([f"{len(others) - 3} more"] if len(others) > 3 else [])]
    named = " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
    message = said.message + (f"; an alias brings it into {label}{'s' if len(others) > 1 else ''} {named} too"
                              if others else "")
    own = f"{label} {id_excerpt(str(said.entity))}"
    if again:
        message += f"; an alias brings it into {own} again"
    if repeats:
        message += f"; an alias repeats {own}{' again' if others or again else ''}"
    return replace(said, message=message, entity=None, entities=(str(said.entity), *others),
                   related=(*said.related, *again, *repeats)[:MAX_RELATED])


def _with_unit(item: dict[Any, Any], unit: str) -> dict[Any, Any]:
    """An initiative with its file's `unit:`, keeping the positions of what it wrote (a
    read mapping's marks, the unit's none): the hints that tell `{…}` from block style
    (a decimal comma, a text split at a comma) read them."""
    marks = getattr(item, "marks", None)
    if marks is None:
        return dict(item, unit=unit)
    merged = YamlMap(item)
    merged["unit"] = unit
    merged.marks = array("q", marks)
    if "unit" not in item:  # (an empty `unit:` keeps its key's place)
        merged.marks.extend((0, 0))  # written at the top of the file, not in the item
    return merged


def _validate_list(file: str, key: str, model: type[Entity], items: list[Any], file_unit: str | None,
                   result: ValidatedDocument, document: dict[Any, Any],
                   unitless: list[tuple[str, int, str | None, bool]], as_written: AsWritten | None) -> None:
    """Validate the items of list `key`; the initiatives without a unit, where the file
    has none to give, go into `unitless` as (list key, item, id, whether a stray)."""
    inherited: set[int] = set()
    written = items  # as read: whose fields an item has is asked of these (`_strays`)
    alias_of = _aliases(key, written)
    without_unit: list[int] = []
    if model is Initiative:
        items = list(items)  # the file's own data stays as it was read
        for i, item in enumerate(items):
            if isinstance(item, dict) and item.get("unit") is None:  # `unit:` left empty names none either
                if file_unit is None:
                    without_unit.append(i)
                else:
                    inherited.add(i)
                    items[i] = _with_unit(item, file_unit)
    # item → refused fields, their texts, where its lists' items are, the rules of refused allows,
    # the references in refused items
    refusals: dict[int, tuple[frozenset[str], frozenset[str], dict[str, tuple[int, ...]] | None, frozenset[str],
                              tuple[RefusedReference, ...]]] = {}
    strays: dict[int, type[Entity]] = {}
    try:
        entities = list(map(model.__pydantic_validator__.validate_python, items))
        valid = list(enumerate(entities))
    except ValidationError:
        valid = []
        strays = _strays(model, written)
        for i, item in enumerate(items):
            ident = _id_of(item)
            if i in strays:  # another kind's item: one finding for the run, and the item lost
                if strays.get(i - 1) is not strays[i]:
                    result.problems.append(_stray_run(file, key, model, written, i, strays, document))
                model_of_item = strays[i]
                # its own mistakes too, as its kind's list would report them: moving it
                # there must not reveal another (the item stays lost meanwhile)
                # (keyed by their messages, not the id: the run's finding has that)
                own = written[i]
                if model_of_item is Initiative and own.get("unit") is None:
                    if file_unit:
                        own = _with_unit(own, file_unit)
                    else:
                        unitless.append((key, i, ident, True))
                _salvage(model_of_item, own, lambda e, m=model_of_item, n=ident: result.problems.append(
                    replace(_problem(file, (key, i), e, m, n, as_written=as_written), entity=None)), partial_ok=True)
                result.invalid_initiatives += model_of_item is Initiative
                lost([written[i]], model_of_item.label, result)
                if _without_id(written[i]):
                    result.idless.add(model_of_item.label)
                if ident:
                    result.invalid_ids.setdefault(ident, []).append(
                        (model_of_item.label, Origin(file, (key, i), alias_of=alias_of.get(i))))
                if not ident:  # named by where it stood (an initiative is also counted above)
                    result.lost_values.append((model_of_item.label, "without an id", f"under '{key}'"))
                else:
                    result.lost_elsewhere += 1
                continue
            kept_at: dict[str, list[int]] = {}
            entity, refused = _salvage(model, item, lambda e: result.problems.append(
                _problem(file, (key, i), e, model, ident, as_written=as_written)), partial_ok=True, written=kept_at)
            if entity is not None:
                refusals[i] = (refused, frozenset(named(_refused_values(model, item, refused), result.lost_budget))
                               | _idless_refused(model, item, refused),
                               {name: tuple(at) for name, at in kept_at.items()},
                               _refused_rules(item.get("allow"), kept_at.get("allow")) if "allow" in refused else _NONE,
                               _refused_references(model, item, kept_at))
                valid.append((i, entity))
                continue
            result.invalid_initiatives += model is Initiative
            lost([item], model.label, result)
            if _without_id(item):
                result.idless.add(model.label)
            if not ident and model is not Initiative:  # initiatives are counted, with or without id
                result.lost_values.append((model.label, "without an id", "refused"))
            else:
                result.lost_elsewhere += 1
            if ident:
                result.invalid_ids.setdefault(ident, []).append((model.label, Origin(file, (key, i),
                                                                                    alias_of=alias_of.get(i))))
    unitless.extend((key, i, _id_of(items[i]), False) for i in without_unit if i not in strays)
    for i, entity in valid:
        refused, mentions, places, refused_rules, references = refusals.get(i, (_NONE, _NONE, None, _NONE, ()))
        entity.place(Origin(file, (key, i), places, alias_of.get(i)), refused, mentions, refused_rules, references)
        if i in inherited and isinstance(entity, Initiative):
            entity.inherit_unit()
        result.entities.append(entity)


def _aliases(key: str, items: list[Any]) -> dict[int, tuple[str, int]]:
    """The items an alias (`- *name`) repeats: index → the pointer of the item first
    written."""
    repeated = _repeated((i, item) for i, item in enumerate(items) if isinstance(item, dict))
    return {i: (key, first) for i, first in repeated.items()}


P = TypeVar("P", bound=Hashable)  # a place in the data: an index, a pointer


def _repeated(items: Iterable[tuple[P, Any]]) -> dict[P, P]:
    """Of the items given with their places, those an alias repeats whole (the same object
    of the data as read as an item before them: only an alias shares one): place → the
    place of the item first written."""
    first: dict[int, P] = {}
    repeats: dict[P, P] = {}
    for place, item in items:
        held = first.setdefault(id(item), place)
        if held != place:
            repeats[place] = held
    return repeats


# Each kind's fields as written (a KPI's `type`, not its Python name `kind`).
_FIELDS = {model: frozenset(f.alias or name for name, f in model.model_fields.items())
           for model in ENTITY_KINDS.values()}
_REQUIRED = {model: frozenset(f.alias or name for name, f in model.model_fields.items() if f.is_required())
             for model in ENTITY_KINDS.values()}


def _strays(model: type[Entity], items: list[Any]) -> dict[int, type[Entity]]:
    """The items that are another kind's, by index: two or more fields this kind does not
    have, and every field (but one, when three or more misfit) one other kind's, for an
    item not complete as its own kind (docs/format.md) — an `initiatives:` line deleted makes the
    initiatives below it more items of `units:`. Their own kind's missing `name` and
    unknown `title`, `effort`, … would be one mistake said many times, and the items
    taken for units would make every reference to them wrong (docs/format.md, error tolerance)."""
    found: dict[int, type[Entity]] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        written = {"id" if _id_like(k) else k for k in item if isinstance(k, str) and not is_extension(k)}
        misfit = len(written - _FIELDS[model])
        if misfit < 2:
            continue  # a misspelled field is this kind's own mistake
        # The kinds that have all its fields but one at most (a stray initiative may have
        # a typo of its own), and two more than this kind has: the fewest left over wins,
        # then the kind whose required fields it has (a unit's `name` and `capacity` with
        # an `owner:`: a unit, not a KPI).
        fits = sorted((len(written - _FIELDS[other]), not _REQUIRED[other] <= written, n)
                      for n, other in enumerate(ENTITY_KINDS.values())
                      if other is not model and len(written - _FIELDS[other]) <= min(1, misfit - 2))
        if not fits or len(fits) > 1 and fits[0][:2] == fits[1][:2]:
            continue  # no kind, or two alike: the fields do not say which kind it is
        other = list(ENTITY_KINDS.values())[fits[0][2]]
        # not an item complete as its own kind (a unit with an `owner:` and a `target:`
        # is a unit with two unknown fields, not a KPI)
        if not _REQUIRED[model] <= written or _REQUIRED[other] <= written:
            found[i] = other
    return found


def _stray_run(file: str, key: str, model: type[Entity], items: list[Any], first: int,
               strays: dict[int, type[Entity]], document: dict[Any, Any]) -> SchemaProblem:
    """The finding for a run of another kind's items, at the first of them."""
    other = strays[first]
    last = first
    while strays.get(last + 1) is other:
        last += 1
    ident = _id_of(items[first])
    name = f"item {describe(ident)}" if ident else f"item #{first + 1}"
    own = sorted(k for k in items[first] if isinstance(k, str) and k not in _FIELDS[model]
                 and not is_extension(k) and not _id_like(k))
    fields = ", ".join(own[:3]) + (", …" if len(own) > 3 else "")
    other_key = LIST_KEY_OF_LABEL[other.label]
    to_the_end = last == len(items) - 1  # else items of this list follow: the key cannot go above them
    if last == first:
        subject, have, them = f"{name} of '{key}' has", f"{a_label(other.label)}'s fields", "it"
        not_own = f"{a_label(model.label)}'s"
    else:
        subject = f"{name} of '{key}' and the {last - first} after it have"
        have, them, not_own = f"{other.label}s' fields", "them", f"{model.label}s'"
    belong = f"{'does it' if them == 'it' else 'do they'} belong under `{other_key}:`?"
    if other_key in document:
        question, hint = belong, f"move {them} under `{other_key}:`"
    elif to_the_end and first == 0:  # the whole list: its key is the mistake (the related location)
        question, hint = f"is `{key}:` meant to be `{other_key}:`?", \
            f"rename `{key}:` to `{other_key}:` (the related location: the key of this list)"
    elif to_the_end:
        question, hint = f"is `{other_key}:` missing above {them}?", \
            f"write `{other_key}:` on a line of its own before {them}, in line with `{key}:`"
    else:
        question, hint = belong, f"move {them} out of `{key}:` into a `{other_key}:` list of {them == 'it' and 'its' or 'their'} own"
    return SchemaProblem(file, (key, first), f"{subject} {have} ({fields}), not {not_own}: {question}",
                         hint, entity=ident, related=((key,),))


def _no_unit(file: str, unitless: list[tuple[str, int, str | None, bool]],
             document: dict[Any, Any]) -> SchemaProblem:
    """The file's initiatives without a unit (list key, item, id, whether a stray: another
    list's, lost), in a file with none to give: one finding for all of them, at the first
    — a deleted or misspelled `unit:` line leaves each of the file's initiatives without
    one, and is one mistake. It is about the file (`about`): the same finding while its
    initiatives are fixed one by one. The hint names the file's one unit when it defines
    exactly one."""
    one = the_unit_defined(document)
    if not is_id(one):
        one = None  # a hint does not propose an id that is not one
    (key, first, ident, stray), *others = unitless
    whom = "the initiative" if not others else "each of them"
    if "unit" in document and document["unit"] is None:  # `unit:` left empty: no finding of its own
        hint = ("write the unit's id after the file's top-level `unit:`, which is empty"
                + (f", e.g. `unit: {one}` (the unit the file defines)" if one is not None else ""))
    elif "unit" in document:  # written, and refused (its CXP002 says why): adding one would repeat the key
        hint = "correct the file's top-level `unit:` (its finding says why)" + (
            f", e.g. `unit: {one}` (the unit the file defines)" if one is not None else "")
    elif one is not None:
        hint = f"add a top-level `unit: {one}` to the file (the unit it defines), or `unit: <unit id>` to {whom}"
    elif not others:
        hint = "add `unit: <unit id>` to it, or a top-level `unit:` to the file"
    else:
        hint = "add a top-level `unit: <unit id>` to the file, or `unit: <unit id>` to each of them"
    if not others:
        return SchemaProblem(file, (key, first), f"initiative {id_excerpt(ident) if ident else f'#{first + 1}'} "
                             "has no unit", hint, entity=None if stray else ident, about=_NO_UNIT)
    names = [id_excerpt(i) for _, _, i, _ in unitless if i]
    named = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return SchemaProblem(file, (key, first), f"{len(unitless)} initiatives have no unit"
                         + (f" ({named})" if names else ""), hint,
                         related=tuple((k, i) for k, i, _, _ in others[:MAX_RELATED]),
                         entities=tuple(i for _, _, i, stray in unitless if i and not stray), about=_NO_UNIT)


_NO_UNIT = "initiatives without a unit"


def the_unit_defined(document: Any) -> str | None:
    """The id of the one unit a file defines, if it defines exactly one: whom a file
    without `unit:` (deleted, misspelt) most likely belongs to. Items with a title are
    initiatives under `units:` (their `initiatives:` line gone), not units."""
    units = document.get("units") if isinstance(document, dict) else None
    if not isinstance(units, list):
        return None
    ids = [u.get("id") for u in units if isinstance(u, dict) and "title" not in u]
    return ids[0] if len(ids) == 1 and isinstance(ids[0], str) else None


def a_label(label: str) -> str:
    """'a unit', 'a KPI', 'an initiative': no label starts with a vowel sound but for a, e, i, o."""
    return ("an " if label[0] in "aeioAEIO" else "a ") + label


_MAX_ROUNDS = 8  # pruning rounds: nesting in the format is at most four levels deep


# A number wanted where the reader refused one (`Unread`): its CXP001 says it all. A text
# it keeps is still checked as text (an id's form, a status's choices): those say more.
_NUMBER_WANTED = frozenset({"int_type", "float_type", "int_parsing", "float_parsing", "bool_type"})


def _said_by_reader(error: Any) -> bool:
    return (error["type"] in _NUMBER_WANTED and isinstance(error.get("input"), Unread)
            or isinstance(error.get("input"), _RepeatedKey))


class _RepeatedKey:
    """An item of an entity's list (an effect, an `allow:` entry) or a field's mapping (a
    baseline) in which a key is written twice (its CXP003 says so): refused, so that it
    counts for nothing — which value was meant is not known — and said once."""

    __slots__ = ("entry", "keys")

    def __init__(self, entry: Any, keys: frozenset[Any] = _NONE) -> None:
        self.entry = entry
        self.keys = keys  # those written twice in it, when known: what was meant of the others is known


def _unsure_items(items: list[Any], entries: dict[int, set[Any]], fields_of: dict[int, set[Any]]) -> list[Any]:
    """The list with each item's field values, and items of its fields' lists, that repeat
    a key marked `_RepeatedKey`, and so are its fields written twice (`fields_of`)."""
    marked = list(items)
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        twice = fields_of.get(id(item), ())
        fields = {key: _RepeatedKey(value) if key in twice else _marked(value, entries) for key, value in item.items()}
        if any(fields[key] is not value for key, value in item.items()):
            marked[n] = _with_marks(fields, item)
    return marked


def _with_marks(fields: dict[Any, Any], item: dict[Any, Any]) -> dict[Any, Any]:
    """`fields`, the same keys as `item` in its order, with the positions `item` was read
    at (a read mapping's marks): the hints that tell `{…}` from block style read them."""
    marks = getattr(item, "marks", None)
    if marks is None:
        return fields
    copy = YamlMap(fields)
    copy.marks = array("q", marks)
    return copy


def _marked(value: Any, entries: dict[int, set[Any]]) -> Any:
    if id(value) in entries:
        return _RepeatedKey(value, frozenset(entries[id(value)]))
    if isinstance(value, list) and any(id(entry) in entries for entry in value):
        return [_RepeatedKey(e, frozenset(entries[id(e)])) if id(e) in entries else e for e in value]
    return value


def _salvage(model: type[BaseModel], data: Any, report: Callable[[Any], None],
             partial_ok: bool = False, written: dict[str, list[int]] | None = None) -> tuple[Any, frozenset[str]]:
    """Validate `data`; on refusal, report each error once, prune what was refused and
    validate again, until what is left is valid.

    Returns the model (None when nothing usable is left) and the top-level fields that
    were refused. With `partial_ok`, required fields that were refused or missing are
    left None (lists empty) in an instance made without validation from the validated
    rest — only for entities, whose rules check `invalid_fields`. `written` receives, for
    each list some items of which were dropped, the index in `data` of each item kept
    (`Origin.written`).
    """
    try:
        return model.model_validate(data), frozenset()
    except ValidationError as err:
        errors = err.errors()
    if not isinstance(data, dict):
        for error in errors:
            if not _said_by_reader(error):
                report(error)
        return None, frozenset()
    written_data, data = data, _copy(data)
    refused: set[str] = set()
    pruned: list[tuple[Any, ...]] = []  # errors below what was pruned are its echo
    stand_ins: dict[int, tuple[dict[Any, Any], str, tuple[str, ...]]] = {}  # `_ITEM_FIELDS_KEPT`: id → (item, list, fields)
    kept_at: dict[str, list[int]] = written if written is not None else {}  # `_note_written`
    for _ in range(_MAX_ROUNDS):
        missing: set[str] = set()
        echoes = tuple(pruned)  # what earlier rounds pruned: this round's errors are each real
        renamed = (_misspelt(errors) | _out_of_place(errors) | _merge_held(errors, data)
                   | _split_values(errors, data, model, written_data))
        for error in errors:
            loc = _error_loc(error)
            if error["type"] == "cx_repeated" and loc and loc[0] in kept_at:  # its items' places as written
                places = kept_at[loc[0]]
                error["ctx"] = {**error["ctx"], "index": places[error["ctx"]["index"]],
                                "before": places[error["ctx"]["before"]],
                                "repeats": tuple((places[n], places[b], p) for n, b, p in error["ctx"]["repeats"])}
            # a list long enough as written, too short once its refused items are pruned: their refusal said it
            shortened = (error["type"] == "too_short" and any(p[:len(loc)] == loc and len(p) > len(loc) for p in echoes)
                         and len(_as_list(value_at(written_data, loc))) >= (error.get("ctx") or {}).get("min_length", 0))
            # out of order with a sibling an earlier round refused (`outcome: high`, then
            # `experience: 1.2` against outcome's default): compared with the default, not
            # with what was meant; it falls back with it, the sibling's refusal its one finding
            unordered = error["type"] == "cx_order" and any(len(p) == len(loc) and p[:-1] == loc[:-1] for p in echoes)
            if (not any(loc[:len(p)] == p for p in echoes) and not _said_by_reader(error)
                    and id(error) not in renamed and not shortened and not unordered):
                for each in _each_repeat(error, written_data):  # every repeated period, not the first alone
                    report(each)
            if not loc:
                return None, frozenset()
            if error["type"] == "missing" and len(loc) == 1:
                missing.add(str(loc[0]))
                continue
            entry, fields = _kept_item(model, data, loc, error)
            if entry is not None:  # the item stays, the fields at a stand-in until it is valid
                for name in fields:
                    entry[name] = _STAND_IN
                if error["type"] == "extra_forbidden":  # `nmae:`, its `cx_required` a kept field
                    entry.pop(loc[2], None)
                stand_ins[id(entry)] = (entry, loc[0], (*stand_ins.get(id(entry), ((), (), ()))[2], *fields))
                continue
            refused.add(_field_meant(model, loc[0]) if error["type"] == "extra_forbidden" and len(loc) == 1
                        else str(loc[0]))
            target = loc[:-1] if error["type"] == "missing" else loc
            # Inside a list, the whole item goes: an effect with a refused confidence or
            # an allow with an unknown key must not count at a default's strength (but for
            # a field no figure reads, `_ITEM_FIELDS_KEPT`, above).
            item = next((n for n, part in enumerate(target) if isinstance(part, int)), None)
            pruned.append(_prune(data, target if item is None else target[:item + 1]))
        _note_written(data, kept_at)
        _compact(data)
        try:
            made = _with_missing(model, data, missing, partial_ok)
            return made, frozenset(refused | missing | _without_stand_ins(made, data, stand_ins))
        except ValidationError as err:
            errors = err.errors()
        except _Unsalvageable:
            return None, frozenset()
    return None, frozenset()


def _each_repeat(error: Any, written: Any) -> list[Any]:
    """The error, or for a list's repeated periods (`cx_repeated`: Kpi._one_value_a_period)
    one error for each repeat, so that one run says them all (two copied lines, a third
    copy): their indexes as written (`_salvage`'s `kept_at` placed them). A repeat that is
    the earlier item itself (`- *m`, an alias of `- &m {period: …}`) is said at the alias,
    not at the period its anchor writes (`whole`)."""
    if error["type"] != "cx_repeated":
        return [error]
    ctx, loc = error["ctx"], _error_loc(error)
    items = written.get(loc[0]) if isinstance(written, dict) and loc else None

    def whole(index: int, before: int) -> bool:
        return isinstance(items, list) and max(index, before) < len(items) and items[index] is items[before]

    return [{**error, "ctx": {**ctx, "index": index, "before": before, "period": period,
                              "whole": whole(index, before)}}
            for index, before, period in ctx.get("repeats", ((ctx["index"], ctx["before"], ctx["period"]),))]


# The fields of a list's items whose refusal leaves the item in, that field None: a stage's
# `name`, which no figure reads, while rank and track compute with its id and completion.
# Dropping the stage would take its journey out of the figures (a refused `stages`) for a
# mistake in a text they never read (docs/format.md, error tolerance). The entity's refused
# field is then `stages.name` (Entity.invalid_fields), which the figures name as unread
# (RANK_UNREAD), and what shows a stage's name shows its id. Any other refused value of a
# stage (its `completion`: never counted at the default 1.0) still takes the item out.
_ITEM_FIELDS_KEPT: dict[type[BaseModel], dict[str, frozenset[str]]] = {Journey: {"stages": frozenset({"name"})}}
_STAND_IN = "refused"  # a valid text in place of the refused one, None once validated


def _kept_item(model: type[BaseModel], data: dict[Any, Any], loc: tuple[Any, ...],
               error: Any) -> tuple[dict[Any, Any] | None, tuple[str, ...]]:
    """The item of a list in `data` whose refused fields leave it in (`_ITEM_FIELDS_KEPT`),
    and those fields, or (None, ()). The error may be at the field (`stages`, 1, `name`), at
    an unknown key that misspells only it (`nmae:`, whose `cx_required` is `name`:
    `_misspelt`, or beside `name:`, a second name: refused, as one written twice; a key like
    no field may mean `completion`, which is read), or at the item
    when the keys it writes twice are all such fields (`name: A, name: B`: `_RepeatedKey`)."""
    kept = _ITEM_FIELDS_KEPT.get(model, {}).get(loc[0], _NONE) if loc else _NONE
    if not kept or len(loc) not in (2, 3) or not isinstance(loc[1], int):
        return None, ()
    items = data.get(loc[0])
    entry = items[loc[1]] if isinstance(items, list) and 0 <= loc[1] < len(items) else None
    if len(loc) == 2:
        if not isinstance(entry, _RepeatedKey) or not entry.keys or not entry.keys <= kept \
                or not isinstance(entry.entry, dict):
            return None, ()
        keys = entry.keys
        items[loc[1]] = entry = dict(entry.entry)  # its own copy: the stand-ins go in it
        return entry, tuple(sorted(keys))
    name = error.get("cx_required") if error["type"] == "extra_forbidden" else loc[2]
    second = False  # a key like a kept field beside it, or beside its misspelling (`nmae: X`, `name: A`)
    if name is None and isinstance(entry, dict) and isinstance(loc[2], str):
        item_model = next(iter(get_args(model.model_fields[loc[0]].annotation)), None)
        near = closest(loc[2], list(item_model.model_fields)) if isinstance(item_model, type) else None
        name, second = (near, True) if near in kept else (None, False)
    if name not in kept or not isinstance(entry, dict):  # not one pruned already
        return None, ()
    # which text is the name is not known then: refused, as one written twice (shown by its id)
    return entry, (name,) if error["type"] != "extra_forbidden" or second else ()


def _without_stand_ins(made: Any, data: dict[Any, Any],
                       stand_ins: dict[int, tuple[dict[Any, Any], str, tuple[str, ...]]]) -> set[str]:
    """The stand-ins of the items kept in `made` set to None, and the refused fields they
    stood for, as `list.field` (`stages.name`). `data` holds the items validated, in order."""
    fields: set[str] = set()
    for name in {name for _, name, _ in stand_ins.values()}:
        for entry, kept in zip(data.get(name) or (), getattr(made, name, None) or ()):
            stood = stand_ins.get(id(entry))
            if stood is not None and stood[0] is entry:
                for refused in stood[2]:
                    kept.__dict__[refused] = None
                    fields.add(f"{name}.{refused}")
    return fields


def _error_loc(error: Any) -> tuple[Any, ...]:
    """pydantic's location of an error, with a key that is not text as the data holds it:
    pydantic names `null:` 'None' (and `true:` 1), so pruning would find nothing to remove
    and the whole entity would go for one key."""
    loc = tuple(error["loc"])
    return (*loc[:-1], error.get("input")) if error["type"] == "invalid_key" and loc else loc


def _field_meant(model: type[BaseModel], key: Any) -> str:
    """The field an unknown key misspells (`Description:`), as its hint names it, so that
    only what reads that field is unsure of it; the key itself when it is like no field
    or like two (it may be any). A field's own key means itself, without a fuzzy match:
    every key of every entity with a refused value is asked (3 s of 10,000 refused efforts)."""
    if not isinstance(key, str):
        return str(key)
    fields = _field_names(model)
    return key if key in fields else closest(key, fields) or key


@cache
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """`_allowed_fields(model, ())`, once per model."""
    return tuple(_allowed_fields(model, ()))


def _refused_values(model: type[BaseModel], item: dict[Any, Any], refused: frozenset[str]) -> list[Any]:
    """The values written under the refused fields' keys, misspelt ones (`adresses:`) too."""
    return [value for key, value in item.items() if key in refused or _field_meant(model, key) in refused]


def written_under(model: type[BaseModel], item: Any, name: str) -> list[Any]:
    """What an item as read holds under the field `name`, misspelt keys (`titel:`) too:
    a refused value as written."""
    return _refused_values(model, item, frozenset({name})) if isinstance(item, dict) else []


def words_under(model: type[BaseModel], item: Any, name: str, most: int, numbers: Mapping[int, str]) -> str:
    """The words an item as read holds under the field `name`, misspelt keys (`titel:`)
    too, whatever their type (`title: 2024`, `title: [Beta] app`): its scalars as one
    text, keys too, each container once (aliases repeat one), `most` characters at most.
    A number is its text as written where the reader kept it (`numbers`:
    `ParsedYaml.written`): `title: [1.500]` is «1.500», as `title: "1.500"` would be, not 1.5.
    More than `most` would be kept for nothing, once per initiative: an alias repeats one
    large value in as many refused titles as the reader's alias budget allows."""
    if not isinstance(item, dict):
        return ""
    marks = _marks(item)
    todo = [(value, marks[2 * item.slot(key) + 1] if marks is not None else None)
            for key, value in reversed(item.items()) if key == name or _field_meant(model, key) == name]
    parts: list[str] = []
    seen: set[int] = set()
    budget = most
    while todo and budget > 0:
        node, at = todo.pop()
        if isinstance(node, (dict, list)):
            if id(node) not in seen:
                seen.add(id(node))
                marks = _marks(node)
                held = ([*node.keys(), *node.values()] if isinstance(node, dict) else node)
                # a mapping's marks pair each key with its value; the keys come first here
                places = (None,) * len(held) if marks is None else (
                    [*marks[0::2], *marks[1::2]] if isinstance(node, dict) else marks)
                todo.extend(reversed(list(zip(held, places))))
        elif node is not None:
            written = numbers.get(at) if at is not None and isinstance(node, (int, float)) else None
            text = (written or str(node))[:budget]
            parts.append(text)
            budget -= len(text)
    return " ".join(parts)[:most]


def _marks(node: dict[Any, Any] | list[Any]) -> Any:
    """The positions of a container as read (`YamlMap.marks`, `YamlList.marks`), None for
    one made or changed since (its marks would name other values)."""
    marks = getattr(node, "marks", None)
    return marks if marks is not None and len(marks) == (2 if isinstance(node, dict) else 1) * len(node) else None


def _idless_refused(model: type[BaseModel], item: dict[Any, Any], refused: frozenset[str]) -> frozenset[str]:
    """ANY_KIND when a refused list of items with ids (a journey's `stages`) holds one
    without a usable id (`id: 5`, its `id:` line deleted), or no item at all (`stages: []`,
    `stages:` left empty, `stages: 5`): it may have been, or held, any of them, so no
    reference to one is called unknown (CXP103), as a refused `addresses` naming nothing
    may have named any pain point."""
    for key in refused & _ID_LISTS.get(model, frozenset()):
        value = item.get(key)
        if not (value and isinstance(value, (list, dict, str))) or any(map(_without_id, _as_list(value))):
            return frozenset({ANY_KIND})
    return _NONE


# The fields whose items have ids of their own, by model.
_ID_LISTS: dict[type[BaseModel], frozenset[str]] = {Journey: frozenset({"stages"})}


# The lists whose items name an entity by a key (`effects: [{kpi: …}]`), by model: (list,
# key, the kind named), as REFERENCE_FIELDS has them.
_ITEM_REFERENCES: dict[type[BaseModel], list[tuple[str, str, type[Entity]]]] = {}
for (_holder, _path), _label in REFERENCE_FIELDS.items():
    if len(_path) == 2:
        _ITEM_REFERENCES.setdefault(_holder, []).append((_path[0], _path[1], ENTITY_KINDS[LIST_KEY_OF_LABEL[_label]]))


def _refused_references(model: type[BaseModel], item: dict[Any, Any],
                        kept: Mapping[str, list[int]]) -> tuple[RefusedReference, ...]:
    """The references written well-formed in the items of `item`'s lists refused whole
    (those `kept` leaves out): `{kpi: nps-x, change: 2, confidence: 1.5}` names the KPI
    `nps-x` still (Entity.refused_references). None where the reference is itself what
    was refused: not an id, a key written twice (`kpi: a, kpi: b`), a text a comma split
    (`kpi: NPS, tandvårdspatienter`) — told by validating the item alone."""
    found: list[RefusedReference] = []
    for name, key, kind in _ITEM_REFERENCES.get(model, ()):
        entries = item.get(name)
        if name not in kept or not isinstance(entries, list):
            continue
        left = set(kept[name])
        item_model = get_args(model.model_fields[name].annotation)[0]
        for n, entry in enumerate(entries):
            twice: frozenset[Any] = _NONE
            if isinstance(entry, _RepeatedKey):
                entry, twice = entry.entry, entry.keys
            if n in left or not isinstance(entry, dict) or key in twice or not is_id(entry.get(key)):
                continue
            if key not in _keys_refused(item_model, entry):
                found.append(((name, WrittenIndex(n), key), entry[key], kind))
    return tuple(found)


def _keys_refused(model: type[BaseModel], entry: dict[Any, Any]) -> set[Any]:
    """The keys of an item whose values its own validation refuses, as `_salvage` says
    them: a value a comma split is said at a piece of it, with the key it was written
    under; an unknown key may be the field it is like."""
    keys: set[Any] = set()

    def note(error: Any) -> None:
        loc = _error_loc(error)
        if loc:
            keys.add(_field_meant(model, loc[0]) if error["type"] == "extra_forbidden" else loc[0])
        keys.update(error[mark][0] for mark in ("cx_comma", "cx_curly", "cx_decimal") if mark in error)

    _salvage(model, entry, note)
    return keys


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _without(model: type[BaseModel], data: dict[str, Any], refused: frozenset[str]) -> BaseModel | None:
    """`data` validated without the fields refused (each at its default), or None."""
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in refused})
    except ValidationError:
        return None


class _Unsalvageable(Exception):
    pass


def _split_values(errors: list[Any], data: Any, model: type[BaseModel], written: Any) -> set[int]:
    """A comma inside a value of `{…}` ends it there, and what follows becomes a key:
    after a whole number, a decimal comma (`confidence: 0,8`: the key 8); after a text in
    curly quotes, which YAML does not take for quotes (`reason: “Joint, agreed”`: the key
    `agreed”`); after a plain text, keys without a value on its line (`kpi: NPS,
    tandvårdspatienter`), unless a key is like a field (a misspelt one is more likely).
    The key's error learns the value before it (`_problem` says so), where pydantic knows
    only "Keys should be strings" or an unknown field. Returned (by `id`): the errors of
    the keys between (`“Joint, agreed, signed”`: `agreed`), said with it. `written`: the
    data as read, with positions (`data` is a copy that pruning changes)."""
    unknown = {tuple(e["loc"]): e for e in errors if e["type"] == "extra_forbidden"}
    said: set[int] = set()
    orders = _Orders()
    by_place: dict[tuple[Any, ...], list[Any]] | None = None  # the errors at each place, when asked
    for error in errors:
        *parent, key = _error_loc(error)
        decimal = (error["type"] == "invalid_key" and isinstance(key, int) and not isinstance(key, bool)
                   and _split_off(key, parent, data, written, orders))
        curly = error["type"] == "extra_forbidden" and isinstance(key, str) and key[-1:] in CURLY_QUOTES
        if not decimal and not curly:
            if error["type"] == "extra_forbidden" and isinstance(key, str) and "cx_required" not in error:
                _split_text(error, unknown, data, model, written, said, orders)
            continue
        mapping = data
        for part in parent:  # down to the mapping the key is in (an item of a list, a field)
            if isinstance(mapping, dict) and part in mapping or (
                    isinstance(mapping, list) and isinstance(part, int) and part < len(mapping)):
                mapping = mapping[part]
            else:
                mapping = None
        keys, index = orders.keys(mapping) if isinstance(mapping, dict) else ([], {})
        at = index.get(key, 0)
        first = orders.run_start(mapping, tuple(parent), at, unknown) if curly and keys else at
        # in curly quotes, the keys other commas began (no value of their own) are keys[first:at]
        before = keys[first - 1] if first > 0 else None
        value = mapping[before] if before is not None else None
        if not isinstance(before, str) or (*parent, before) in unknown:
            continue  # said only after a field of the model: an unknown key is a text of any length (SECURITY.md: short excerpts)
        if decimal and (isinstance(value, int) and not isinstance(value, bool) or isinstance(value, str) and (
                value[:1] in MINUS_LOOKALIKES | {"-", "+"} and value[1:].isdigit())):
            error["cx_decimal"] = (before, value)
            if isinstance(value, str):  # `−0,6`: the pasted minus made the whole number text; said here, once
                if by_place is None:
                    by_place = {}
                    for e in errors:
                        by_place.setdefault(tuple(e["loc"]), []).append(e)
                said.update(map(id, by_place.get((*parent, before), ())))
        elif curly and isinstance(value, str) and value[:1] in CURLY_QUOTES:
            error["cx_curly"] = (before, value)
            said.update(id(unknown[(*parent, k)]) for k in orders.not_yet_said(mapping, tuple(parent), first, at))
    return said


class _Orders:
    """Each mapping's keys in order, and each key's index, listed once for all the errors
    of one validation: a mapping of 20,000 keys with an error on each is listed once, not
    once per error (SECURITY.md: work near-linear in what a file holds)."""

    def __init__(self) -> None:
        self._keys: dict[int, tuple[Any, list[Any], dict[Any, int]]] = {}
        self._same: dict[tuple[int, int], bool] = {}
        self._runs: dict[tuple[int, tuple[Any, ...]], list[int]] = {}
        self._said: dict[tuple[int, tuple[Any, ...], int], int] = {}

    def keys(self, mapping: dict[Any, Any]) -> tuple[list[Any], dict[Any, int]]:
        found = self._keys.get(id(mapping))
        if found is None:  # (the mapping is kept with them: its id stays its own)
            keys = list(mapping)
            found = self._keys[id(mapping)] = (mapping, keys, {k: n for n, k in enumerate(keys)})
        return found[1], found[2]

    def same(self, as_read: dict[Any, Any], mapping: dict[Any, Any]) -> bool:
        """Whether `mapping` has the keys of the mapping as read, in its order (not pruned since)."""
        pair = (id(as_read), id(mapping))
        if pair not in self._same:
            self._same[pair] = self.keys(as_read)[0] == self.keys(mapping)[0]
        return self._same[pair]

    def run_start(self, mapping: dict[Any, Any], parent: tuple[Any, ...], at: int,
                  unknown: dict[Pointer, Any]) -> int:
        """The first of the keys before the `at`-th, back to the second key, that are
        unknown and hold nothing (pieces of a text that commas split), or `at`."""
        runs = self._runs.get((id(mapping), parent))
        if runs is None:
            keys = self.keys(mapping)[0]
            runs = self._runs[(id(mapping), parent)] = list(range(min(len(keys), 2)))
            for n in range(2, len(keys)):
                split = (*parent, keys[n - 1]) in unknown and mapping[keys[n - 1]] is None
                runs.append(runs[n - 1] if split else n)
        return runs[at] if at < len(runs) else at

    def not_yet_said(self, mapping: dict[Any, Any], parent: tuple[Any, ...], first: int, at: int) -> list[Any]:
        """The keys first…at-1 of a run not returned before for the run: each key of it is
        said once, however many keys of the run end in a curly quote."""
        run = (id(mapping), parent, first)
        done = self._said.get(run, first)
        self._said[run] = max(done, at)
        return self.keys(mapping)[0][done:at]


def _split_off(key: Any, parent: list[Any], data: Any, written: Any, orders: _Orders) -> bool:
    """Whether a number key may be digits a comma of `{…}` split off the value before it
    (`confidence: 0,8`: the key 8, without a value, on that value's line) — not a key
    written as such (`2026: 5` on a line of its own)."""
    mapping, as_read = value_at(data, parent), value_at(written, parent)
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] is not None:
        return False
    marks = getattr(as_read, "marks", None)
    if marks is None or not orders.same(as_read, mapping):
        return True  # its positions are not known here (pruned): the value says enough
    at = orders.keys(mapping)[1][key]
    return at > 0 and _line(marks[2 * at]) == _line(marks[2 * at - 1])


def _split_text(error: Any, unknown: dict[Pointer, Any], data: Any, model: type[BaseModel],
                written: Any, said: set[int], orders: _Orders) -> None:
    """`{kpi: NPS, tandvårdspatienter, change: 1}`: the comma ended the text `NPS`, and
    the rest became keys without a value. Only on the text's own line (in a block mapping
    a key cannot follow a value there, so this is `{…}`), said at the last such key."""
    *parent, key = error["loc"]
    mapping, as_read = value_at(data, parent), value_at(written, parent)
    if not isinstance(mapping, dict) or key not in mapping or mapping[key] is not None:
        return
    marks = getattr(as_read, "marks", None)
    if marks is None or not orders.same(as_read, mapping):  # pruned since it was read: its positions no longer match
        return
    keys, index = orders.keys(mapping)
    at = index[key]

    def split_off(n: int) -> bool:  # the n-th key holds nothing and is unknown: a piece of text
        return (*parent, keys[n]) in unknown and mapping[keys[n]] is None and isinstance(keys[n], str)

    if at + 1 < len(keys) and split_off(at + 1) and _line(marks[2 * at + 2]) == _line(marks[2 * at]):
        return  # the key after it says the run
    first = at
    # back along the keys on its line: a run that crosses a line is none (below), and a
    # block mapping of 20,000 keys without a value is not walked back 20,000 times
    while first > 1 and split_off(first - 1) and _line(marks[2 * first - 2]) == _line(marks[2 * at]):
        first -= 1
    before = keys[first - 1] if first > 0 else None
    value = mapping[before] if before is not None else None
    if not isinstance(before, str) or (*parent, before) in unknown or not isinstance(value, str) or not value:
        return
    line = _line(marks[2 * (first - 1) + 1])
    run = keys[first:at + 1]
    fields = _allowed_fields(model, tuple(parent))
    if any(_line(marks[2 * n]) != line for n in range(first, at + 1)) or any(
            closest(k, fields) is not None for k in run):
        return
    error["cx_comma"] = (before, value, run)
    said.update(id(unknown[(*parent, k)]) for k in run[:-1])


def _got(value: Any, pointer: Pointer, as_written: AsWritten | None) -> str:
    """A refused value as the message names it: a number as it was written when YAML
    reads it back otherwise (`002`, `3e0`, `.inf`), not as the 2, 3.0 or inf read."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    written = as_written(pointer, value) if as_written is not None and number else None
    return f"the number {written}" if written is not None else describe(value)


def _line(position: int) -> int:
    return unpack(position)[0]


def _misspelt(errors: list[Any]) -> set[int]:
    """A required key written misspelt (`titel:`) is one mistake, which pydantic says
    twice: the key is missing, and the key written is unknown. The unknown key's error
    says both (`_problem`, at the key as written: what to rename), and the missing
    key's, returned here (by `id`), is not reported. The model is salvaged as before."""
    unknown = {tuple(e["loc"]): e for e in errors if e["type"] == "extra_forbidden"}
    said: set[int] = set()
    for error in errors:
        written = error.get("input")
        if error["type"] != "missing" or not unknown or not isinstance(written, dict):
            continue
        *parent, name = error["loc"]
        # the keys written here that are unknown and misspell no other missing key yet
        keys = [k for k in written if "cx_required" not in unknown.get((*parent, k), {"cx_required": None})]
        # `{id:s1}`: the key glued to its value (no space after the ':') names it exactly
        near = next((k for k in keys if _glued_field(k) == name), None)
        near = near if near is not None else closest(str(name), keys) if keys else None
        if near is not None:
            unknown[(*parent, near)]["cx_required"] = str(name)
            said.add(id(error))
    return said


def _out_of_place(errors: list[Any]) -> set[int]:
    """A required key of a mapping written beside it (`by:` dedented out of `decided:`) is
    one mistake, which pydantic says twice: the mapping misses the key, and the key is
    unknown where it stands. The unknown key's error says both (`cx_home`, at the key as
    written: what to move); the missing key's, returned here (by `id`), is not reported."""
    unknown = {tuple(e["loc"]): e for e in errors if e["type"] == "extra_forbidden" and "cx_required" not in e}
    said: set[int] = set()
    for error in errors if unknown else ():
        *parent, home, name = error["loc"] if len(error["loc"]) >= 2 else (None, None)
        beside = unknown.get((*parent, name)) if error["type"] == "missing" and isinstance(home, str) else None
        if beside is not None and "cx_home" not in beside:
            beside["cx_home"] = home
            said.add(id(error))
    return said


def _merge_held(errors: list[Any], data: Any) -> set[int]:
    """A required key that a YAML 1.1 merge key holds (`<<: *defaults` with `name:`) is
    missing because YAML 1.2 merges nothing: one mistake, the `<<`, whose error names the
    fields (`cx_merged`); the missing keys' errors, returned here (by `id`), are not reported.
    Each `<<` error is given the keys its item sets itself (`cx_own`), which it would not
    merge: its hint leaves them out."""
    merges = {tuple(e["loc"][:-1]): e for e in errors if e["type"] == "extra_forbidden" and e["loc"][-1:] == ("<<",)}
    for parent, merge in merges.items():
        item = value_at(data, parent)
        merge["cx_own"] = frozenset(key for key in item if key != "<<") if isinstance(item, dict) else frozenset()
    said: set[int] = set()
    for error in errors if merges else ():
        *parent, name = error["loc"]
        merge = merges.get(tuple(parent))
        held = merge.get("input") if merge is not None and error["type"] == "missing" else None
        if any(isinstance(one, dict) and name in one for one in (held if isinstance(held, list) else [held])):
            merge.setdefault("cx_merged", []).append(str(name))
            said.add(id(error))
    return said


def _with_missing(model: type[BaseModel], data: dict[Any, Any], missing: set[str], partial_ok: bool) -> Any:
    if not missing:
        return model.model_validate(data)
    if not partial_ok or "id" in missing and "id" in model.model_fields:
        raise _Unsalvageable
    lenient = _lenient(model).model_validate(data)
    values = {name: getattr(lenient, name) for name in model.model_fields}
    return model.model_construct(_fields_set=lenient.model_fields_set, **values)


_LENIENT: dict[type[BaseModel], type[BaseModel]] = {}


def _lenient(model: type[BaseModel]) -> type[BaseModel]:
    """The model with every required field optional (None, or an empty list)."""
    if model not in _LENIENT:
        fields: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            if info.is_required() and name != "id":
                is_list = getattr(info.annotation, "__origin__", None) is list
                fields[name] = (Optional[info.annotation],  # noqa: UP007 - a runtime type
                                Field(default_factory=list) if is_list else Field(default=None, alias=info.alias))
        _LENIENT[model] = create_model(f"Partial{model.__name__}", __base__=model, **fields)
    return _LENIENT[model]


_ID_TOKEN = r"[A-Za-z][A-Za-z0-9_.-]*"  # compiled on first use (re's cache): only for a mistake


_ID_TEXT = 64  # a text this short may be one id mistyped whole


def named(value: Any, budget: list[int]) -> set[str]:
    """Every id-shaped word inside a value, keys too, in its `id_form`: the ids a refused
    or lost value may have meant (`addresses: PP-a, PP-b` written without brackets is
    one text naming two, and `addresses: {PP-a: 1}` names one). Each object is read once
    (aliases repeat the same one), and `budget[0]` characters at most, spent as read: a
    document's refused and lost values together cost no more than MAX_LOST_CHARS."""
    words: set[str] = set()
    seen: set[int] = set()
    todo = [value]
    while todo and budget[0] > 0:  # a loop, not recursion: a refused value may be nested deep
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            todo.extend(node.keys())
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, _RepeatedKey):
            todo.append(node.entry)
        elif isinstance(node, str):
            words.update(map(id_form, re.findall(_ID_TOKEN, node[:budget[0]])))
            if len(node) <= _ID_TEXT:  # `PP estimate-unclear`: one id with a space, as ids are compared
                words.add(id_form(node))
            budget[0] -= len(node)
    return words


def _container(value: Any) -> str:
    return "list" if isinstance(value, list) else "mapping"


def _held(value: Any) -> str:
    """How much a lost list or mapping held, as rank and report name it: "'initiatves' of
    5 items" says more than "'initiatves'" of what the figures leave out."""
    n = len(value)
    return f" of {n} {'item' if isinstance(value, list) else 'key'}{'' if n == 1 else 's'}"


def _id_like(key: Any) -> bool:
    """`id` as a mistake may have spelled it: "Id", "ID", " id", "id_", "iid", "idd", "di"."""
    return isinstance(key, str) and id_form(key) in _ID_SPELLINGS


_ID_SPELLINGS = frozenset({"id", "iid", "idd", "di"})


def _without_id(item: Any) -> bool:
    """Whether an item names no usable id: none however spelt (its line deleted), or one
    refused (`id: nps score` may have been meant for nps, `id: 12` for DIG-012). Such an
    item may have defined any id of its kind; `Id: nps`, a key misspelt, says which."""
    if not isinstance(item, dict):
        return False
    if "id" in item:
        return not is_id(item["id"])
    return not any(_id_like(key) or _glued_id(key) is not None for key in item)


# Any kind of entity: what a value lost without saying its kind may have defined.
ANY_KIND = "*"
# Characters of refused and lost values read for the ids they name, per file: a value
# that aliases repeat, or a huge one, costs no more than this (bounded work: SECURITY.md).
MAX_LOST_CHARS = 1_000_000


def lost(value: Any, kind: str, result: ValidatedDocument) -> None:
    """What a value lost to a mistake may have defined and named, in their `id_form`:
    the ids of its items — each item's own `id`-like key, as an entity of `kind`, else
    an item written as an id alone or as `{id: name}` — in
    `result.unsure_ids`, and every id-shaped word anywhere in it (`named`) in
    `result.unsure_mentions`. No rule calls a reference to those ids unknown, or a pain
    point so named unaddressed, and `diff` does not call such an entity removed (docs/format.md, error tolerance).
    An initiative's fields that CXP201 reads go to `result.lost_initiatives`."""
    items = isinstance(value, list)
    for item in value if items else [value]:
        if items and isinstance(item, (str, int, float)) and not isinstance(item, bool):
            # `units: [oppvekst]`: the item written as its id alone; `- id:nps`, the space
            # after an item's only key left out: the id glued to it
            result.unsure_ids.setdefault(id_form((_glued_id(item) or str(item))[:200]), set()).add(kind)
        elif isinstance(item, dict):
            if items and len(item) == 1 and not any(map(_id_like, item)):
                # `{oppvekst: Oppvekst og utdanning}`: an id and a name written as a key and its value
                [key] = item
                if isinstance(key, str):
                    result.unsure_ids.setdefault(id_form(key[:200]), set()).add(kind)
            for key, ident in item.items():
                glued = _glued_id(key)
                if glued is not None:  # `{id:nps}`: the id glued to its key
                    key, ident = "id", glued
                if not _id_like(key):
                    continue
                # `id: [CRD-002]` and `id: {CRD-002}` are the id in brackets: each value or key
                # may be the id meant (a few: the item's id, not a list's worth)
                for one in (ident[:8] if isinstance(ident, list) else list(ident)[:8] if isinstance(ident, dict)
                            else [ident]):
                    if isinstance(one, (str, int, float)) and not isinstance(one, bool):
                        result.unsure_ids.setdefault(id_form(str(one)[:200]), set()).add(kind)
            if kind == Initiative.label and item.get("status") != "dropped":
                unit, addresses = item.get("unit"), item.get("addresses")
                # its words as written, as those of one with a refused title weigh (`titel:`,
                # `title: [Beta] app`): whatever was refused, one mistake weighs alike
                result.lost_initiatives.append((
                    words_under(Initiative, item, "title", MAX_TITLE_CHARS, result.numbers),
                    words_under(Initiative, item, "description", MAX_DESCRIPTION_CHARS, result.numbers),
                    unit if isinstance(unit, str) else "",  # the file's `unit:` is filled in when known
                    tuple(a for a in addresses if isinstance(a, str)) if isinstance(addresses, list) else ()))
    result.unsure_mentions |= named(value, result.lost_budget)


def _copy(value: Any) -> Any:
    """A copy of the containers (pruning must not change the data as read)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _prune(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Remove the deepest value on `loc` that exists in the data (a field or a list
    item, marked here and dropped by `_compact`, so that the other errors' indexes
    still hold); returns the location removed.

    pydantic adds names of union members and validators to a location; the walk stops
    at the first part the data does not have, and removes what it reached.
    """
    parent, part = None, None
    node = data
    depth = 0
    for step in loc:
        if isinstance(node, dict) and step in node:
            parent, part, node = node, step, node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            parent, part, node = node, step, node[step]
        else:
            break
        depth += 1
    if parent is not None:
        parent[part] = _PRUNED
    return loc[:depth]


def _refused_rules(allow: Any, kept: list[int] | None) -> frozenset[str]:
    """The rules (`id_form`) that the refused entries of an `allow:` name: all its entries
    when it was refused whole (not a list), else those `kept` leaves out."""
    entries = allow if isinstance(allow, list) else [allow]
    if isinstance(allow, list) and kept is not None:
        left = set(kept)
        entries = [entry for k, entry in enumerate(allow) if k not in left]
    entries = [entry.entry if isinstance(entry, _RepeatedKey) else entry for entry in entries]
    rules = (entry.get("rule") if isinstance(entry, dict) else entry for entry in entries)
    # `rule: [CXP201]` names its rule too; an entry naming none (`{reason: …}`, `rule: 201`)
    # is '', which no rule is: the finding's hint says an allow was refused, not missing
    return frozenset(form for rule in rules for form in (
        [id_form(rule)] if isinstance(rule, str) else
        [id_form(r) for r in rule if isinstance(r, str)] or [""] if isinstance(rule, list) else [""]))


def _note_written(data: dict[Any, Any], written: dict[str, list[int]]) -> None:
    """Before `_compact` drops this round's pruned items: for each list of the entity
    holding some, the index as first read of each item kept (earlier rounds' included)."""
    for name, value in data.items():
        if isinstance(value, list) and any(item is _PRUNED for item in value):
            before = written[name] if name in written else range(len(value))
            written[name] = [before[k] for k, item in enumerate(value) if item is not _PRUNED]


def _compact(node: Any) -> None:
    if isinstance(node, dict):
        for key in [k for k, v in node.items() if v is _PRUNED]:
            del node[key]
        for value in node.values():
            _compact(value)
    elif isinstance(node, list):
        node[:] = [v for v in node if v is not _PRUNED]
        for value in node:
            _compact(value)


_PRUNED = object()


def _id_of(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return item["id"]
    return None


def _problem(file: str, base: Pointer, error: Any, model: type, entity: str | None = None,
             prefix: Pointer = (), as_written: AsWritten | None = None) -> SchemaProblem:
    """A pydantic error as a located message; `prefix` starts the field's name; `as_written`:
    how the file's numbers were written, for the hint."""
    loc: Pointer = tuple(error["loc"])
    pointer = base + loc
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    field = field_path(prefix + loc)
    owner = f" ({getattr(model, 'label', 'configuration')} {id_excerpt(entity)})" if entity else ""
    hint: str | None = None
    at_key = False
    if kind == "missing":
        parent = field_path(loc[:-1])
        label = getattr(model, "label", "the configuration")
        subject = f"{parent}" if parent else f"{label} {id_excerpt(entity or '')}".strip()
        message = f"{subject} is missing required field '{loc[-1]}'" + (owner if parent else "")
        # `Id: nps` for `id: nps`: the fix is the rename the other finding hints at, not a second id
        # (of keys equally alike, `tite` and `titl`, none is picked for the user: `most_alike`)
        near = (most_alike(str(loc[-1]), [k for k in value if isinstance(k, str) and k != loc[-1]])
                if isinstance(value, dict) else [])
        named = (" or ".join(map(_key, near)) if len(near) <= 2 else "one of " + ", ".join(map(_key, near[:3]))
                 + (f" ({len(near) - 3} more {'is' if len(near) == 4 else 'are'} as alike)" if len(near) > 3 else ""))
        if not near:
            from cxportfolio.model.hints import missing_hint  # its tables: only for a mistake
        hint = (f"rename {named} to '{loc[-1]}'" if near else
                # work with a completion date is done (`idea`, the first choice, would be CXP105)
                "add `status: done` (it has a completed date)" if loc[-1] == "status" and isinstance(value, dict)
                and value.get("completed") is not None else missing_hint(model, loc))
        return SchemaProblem(file, base + loc[:-1], message, hint, entity=entity)
    if kind == "extra_forbidden":
        # the mapping it is in, unless the entity's or configuration's own: `… in measurements[0]`
        where = f" in {field_path(prefix + loc[:-1])}" if prefix + loc[:-1] else ""
        message = f"unknown field {_key(loc[-1])}{where}{owner}"
        required = error.get("cx_required")
        if error.get("cx_curly"):  # `_split_values`: said at the value the curly quote opens
            before, text = error["cx_curly"]
            return SchemaProblem(
                file, base + loc[:-1] + (before,),
                f"{field_path(prefix + loc[:-1] + (before,))} is in curly quotes ({text[0]}…{loc[-1][-1]}), which "
                f"YAML does not take for quotes: a comma inside ended the value, and the rest became unknown "
                f"fields, up to {_key(loc[-1])}{owner}",
                (f"replace both {text[0]}" if text[0] == loc[-1][-1] else f"replace {text[0]} and {loc[-1][-1]}")
                + ' with straight quotes ("), as YAML writes them', False, entity)
        if error.get("cx_comma"):  # `_split_text`: the comma ended a text, the rest became keys
            before, text, run = error["cx_comma"]
            whole = ", ".join([text, *run]).replace("\\", "\\\\").replace('"', '\\"')
            if len(run) > 1:
                named = ", ".join(map(_key, run[:3])) + (f" and {len(run) - 3} more" if len(run) > 3 else "")
                message = f"unknown fields {named}{where}{owner}"
            return SchemaProblem(  # at the first key the comma began
                file, base + loc[:-1] + (run[0],), message,
                f"in {{…}} a comma ends a value: the text of {field_path(prefix + loc[:-1] + (before,))} ended at "
                f"the comma after {_key(text)}, and the rest became {'keys' if len(run) > 1 else 'a key'}; if it is "
                f'one text, quote it whole: `{before}: "{_excerpt(whole, 60)}"`', True, entity)
        if error.get("cx_home"):  # and the mapping it belongs in is missing it (`_out_of_place`): one finding
            home = field_path(prefix + loc[:-1] + (error["cx_home"],))
            message = (f"field {_key(loc[-1])} of {home} is written outside it{owner}: {home} is missing "
                       f"required field {_key(loc[-1])}")
            hint = f"{_key(loc[-1])} is a field of `{error['cx_home']}:`: indent it under `{error['cx_home']}:`"
        elif required:  # and the required key it misspells is missing (`_misspelt`): one finding
            parent = field_path(loc[:-1]) or ("" if entity else getattr(model, "label", ""))
            message += (f"; {parent} is missing required field '{required}'" if parent
                        else f"; required field '{required}' is missing")
            hint = (_space_like_hint(loc[-1]) or _glued_hint(loc[-1], [required])
                    or f"rename {_key(loc[-1])} to '{required}'")
        elif loc[-1] == "<<":  # YAML 1.1's merge key (`<<: *defaults`), which YAML 1.2 does not have
            from cxportfolio.model.hints import merge_key_hint  # its tables: only for a mistake

            hint = merge_key_hint(value, error.get("cx_own", ()))
            merged = error.get("cx_merged")
            if merged:  # and the required keys it holds are missing (`_merge_held`): one finding
                parent = field_path(loc[:-1]) or ("" if entity else getattr(model, "label", ""))
                fields = ", ".join(f"'{name}'" for name in merged)
                several = len(merged) > 1
                missing = (f"required field{'s' if several else ''} {fields} it holds "
                           f"{'are' if several else 'is'} missing")
                message += f"; {parent} {missing}" if parent else f"; {missing}"
        else:
            allowed = _allowed_fields(model, loc[:-1])
            hint = (_space_like_hint(loc[-1]) or _in_a_document(model, loc) or _glued_hint(loc[-1], allowed)
                    or did_you_mean(str(loc[-1]), allowed)
                    # `    initiatives:` indented under a unit: a document's own list
                    or (f"{_key(loc[-1])} is a list of the file: write it at column 1, in line with its other "
                        "top-level keys" if entity and loc[-1] in ENTITY_KINDS and len(loc) == 1 else None)
                    or _nested_home(model, loc)
                    or (f"{_key(loc[-1])} is a rule: its setting goes under `rules:`, indented"
                        if model is Config and loc[-1] in KNOWN_RULES and len(loc) == 1 else None)
                    or _NO_FIELD_HINT)
        at_key = True
    elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        message = f"{field} must be {what}, got {_got(value, pointer, as_written)}{owner}"
    elif kind == "cx_range":  # model/types.py's bounds: the number as written, not as read
        message = f"{field} must be {ctx['what']}, got {_got(value, pointer, as_written)}{owner}"
    elif kind == "finite_number":
        message = f"{field} must be a finite number, got {_got(value, pointer, as_written)}{owner}"
    elif kind in ("string_type", "bool_type"):
        got = _got(value, pointer, as_written) if kind == "string_type" else describe(value)
        message = f"{field} must be text, got {got}{owner}"  # `id: 002` as written, not "the number 2"
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        got = _got(value, pointer, as_written)  # `severities: [0x6]` as written, not "the number 6"
        message = f"{field} must be one of {expected.replace(' or ', ', ')}, got {got}{owner}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == NOT_BLANK:  # `Reason`: spaces alone
        message = f"{field} is blank{owner}"
        hint = "say why the finding is accepted: it is shown beside the finding (`check --show-suppressed`, `diff`, JSON)"
    elif kind == "string_pattern_mismatch":
        message = f"{field} {describe(value)} is not valid{owner}"
    elif kind == "string_too_long":
        message = f"{field} {describe(value)} is too long: at most {ctx.get('max_length')} characters{owner}"
        hint = f"shorten it to {ctx.get('max_length')} characters or fewer"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        op = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        message = f"{field} must be {op} {bound}, got {_got(value, pointer, as_written)}{owner}"
    elif kind == "list_type":
        message = f"{field} must be a list, got {describe(value)}{owner}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        if not field and base and isinstance(base[-1], int):  # an item of `units:` itself: `- oppvekst`
            label = getattr(model, "label", "item")
            field = f"each item of `{base[-2]}`" if len(base) >= 2 else f"each {label}"
            cell = re.split(r"[\t,;]", value, maxsplit=1)[0].strip() if isinstance(value, str) else ""
            first = "id: " + (cell if is_id(cell) else "…")  # `- OPP-2`, or a row's first cell
            required = [name for name, spec in getattr(model, "model_fields", {}).items()
                        if spec.is_required() and name != "id"]
            hint = (f"write the {label} as keys and values: `- {first}`, then "
                    + ", ".join(f"`{name}: …`" for name in required[:3])
                    + " on lines of their own, in line with `id:`" if required else
                    f"write the {label} as keys and values: `- {first}`")
        message = f"{field} must be a mapping (key: value), got {describe(value)}{owner}"
    elif kind == "too_short":
        least = ctx.get("min_length", 1)
        message = f"{field} must have at least {least} item{'' if least == 1 else 's'}{owner}"
    elif kind == "string_too_short":
        message = f"{field} must not be empty{owner}"
    elif kind == "invalid_key" and error.get("cx_decimal"):  # `_split_values`
        before, written = error["cx_decimal"]
        # (no number rebuilt from what YAML read: `1,05` gives the key 5, and a sign or a
        # pasted minus may sit before the comma; the user's digits are in the file)
        message = (f"a number key after `{before}:` looks like a decimal comma: in {{…}} a comma ends a value, "
                   f"so the digits after it became a key{owner}")
        hint = f"write the decimal of `{before}:` with a point where the comma is" + (
            " and its minus as a plain '-' (a pasted − or – is text, not a sign)"
            if isinstance(written, str) and written[:1] not in "-+" else "")
        at_key = True
    elif kind == "invalid_key":
        # the key as read (pydantic's location has `true` as 1 and `null` as 'None')
        message = f"a key must be text, got {describe(value)}{owner}"
        hint = "remove it, or quote it if it is meant as text"
        at_key = True
    elif kind == "unknown_rule":  # an allow's rule (types.KNOWN_RULES)
        message = f"{field} {describe(value)} names no rule{owner}"
        hint = (did_you_mean(value, sorted(KNOWN_RULES - PROTECTED_RULES))  # which no allow: accepts
                or "`cxportfolio rules` lists the codes")
    elif kind == "value_error":
        message = f"{field} {str(ctx.get('error', error['msg']))}{owner}"
    elif kind == "cx_order":  # a value out of order with another (model/scoring.py): its hint says how
        message, hint = f"{field} {error['msg']}{owner}", ctx.get("hint")
    elif kind == "cx_repeated":  # a KPI's second value for one period (Kpi._one_value_a_period): said at it
        at = loc + (ctx["index"], "period")
        before = field_path(prefix + loc + (ctx["before"],))
        said = (f"{field_path(prefix + loc + (ctx['index'],))} repeats {before} through an alias (period "
                f"'{ctx['period']}')" if ctx.get("whole") else f"{field_path(prefix + at)} '{ctx['period']}' "
                f"repeats the period of {before}")  # quoted, as "period '2026-Q5' is not valid" is
        return SchemaProblem(
            file, base + (loc + (ctx["index"],) if ctx.get("whole") else at),
            f"{said}: a KPI has one value a period{owner}",
            "keep the value measured for that period and delete the other, or correct its period",
            entity=entity)
    else:
        message = f"{field}: {error['msg']}{owner}"
    if not at_key and hint is None:  # from the field's own schema: type, range, pattern or choices
        from cxportfolio.model.hints import value_hint  # its tables: only for a mistake

        hint = value_hint(model, loc, value, as_written(pointer, value) if as_written is not None else None)
    names = own_id = None
    if kind in ("string_pattern_mismatch", "string_too_long") and isinstance(value, str) or (
            kind == "string_type" and (value is None or isinstance(value, (int, float))
                                       and not isinstance(value, bool))):
        # a number where an id goes (`unit: 7`), or nothing (`- `), is told the ids there
        # are, not `unit-7` or `stage: stage`
        refers = REFERENCE_FIELDS.get((model, tuple(p for p in loc if isinstance(p, str))))
        text = value if isinstance(value, str) else "" if value is None else (
            as_written and as_written(pointer, value)) or str(value)
        names = (refers, text) if refers is not None else None
        label = "stage" if model is Journey and len(loc) == 3 and loc[0] == "stages" else getattr(model, "label", None)
        if loc[-1:] == ("id",) and len(loc) in (1, 3) and isinstance(label, str) and text and \
                not isinstance(value, str):  # its own id, or a stage's
            own_id = (label, text)
    return SchemaProblem(file, pointer, message, hint, at_key, entity, names=names, own_id=own_id)


def _glued(key: Any) -> tuple[str, str] | None:
    """`id:s1` as YAML reads it inside `{…}`: one key, a field and its value glued by a
    ':' without the space after it; (field, value), or None."""
    match = _GLUED.fullmatch(key) if isinstance(key, str) else None
    return (match.group(1), match.group(2)) if match else None


_GLUED = re.compile(r"([A-Za-z_][\w-]*):(\S.*)", re.DOTALL)


def _glued_field(key: Any) -> str | None:
    """The field of a key glued to its value (`id:s1`: 'id'), or None."""
    glued = _glued(key)
    return glued[0] if glued is not None else None


def _glued_id(key: Any) -> str | None:
    """The id glued to an id-like key (`id:nps`, the space after the ':' left out: 'nps'),
    or None."""
    glued = _glued(key)
    return glued[1] if glued is not None and _id_like(glued[0]) else None


def _glued_hint(key: Any, fields: list[str]) -> str | None:
    """The space to put back when an unknown key is a field glued to its value."""
    glued = _glued(key)
    if glued is None or glued[0] not in fields:
        return None
    return f"put a space after the ':' (`{glued[0]}: {_excerpt(glued[1], 40)}`)"


def _space_like_hint(key: Any) -> str | None:
    """A key holding a no-break space (or another space that is not YAML's): pasted where
    YAML needs a space, it made a key of what was meant as `effort: 4` (`effort:\xa04`,
    followed by a ':' to make it parse) or of an indentation (`\xa0\xa0effort`)."""
    odd = [c for c in key if c in SPACE_LIKE] if isinstance(key, str) else []
    if not odd:
        return None
    fixed = re.sub(f"[{SPACE_LIKE}]", " ", key).strip()
    fixed = fixed if ":" in fixed else f"{fixed}:"
    return (f"the key holds {space_like_name(odd[0], len(odd))}, which YAML does not read as "
            f"{'spaces' if len(odd) > 1 else 'a space'}: write normal spaces instead (`{_excerpt(fixed, 40)}`)")


class AsWritten:
    """How the numbers of one file were written (`ParsedYaml.written`), by pointer: a hint
    about a refused number quotes it as written (`tags: [0301]` is "0301", not "301"), and
    one about a value left empty names the comment after it (`title: #1 …`)."""

    __slots__ = ("data", "texts")

    def __init__(self, data: Any, texts: Mapping[int, str]) -> None:
        self.data, self.texts = data, texts

    def __call__(self, pointer: Pointer, value: Any) -> str | None:
        """The text of the number `value` at `pointer`, or the comment after it when it
        is empty (None), if the reader kept it."""
        if isinstance(value, bool) or not isinstance(value, (int, float, type(None))):
            return None
        node = value_at(self.data, pointer)  # the value there must be this one (not a list's item moved up)
        if type(node) is not type(value) or node != value:
            return None
        return self.texts.get(position_in(self.data, 0, pointer))


def _key(key: Any) -> str:
    """A key as a message quotes it: a short excerpt (a pull request may write a key of
    megabytes), in quotes; a key that is not text as YAML writes it (`~:` is null, not 'None')."""
    if isinstance(key, str):
        return describe(key)
    return describe("null" if key is None else str(key).lower() if isinstance(key, bool) else str(key))


def _allowed_fields(model: type, loc: Pointer) -> list[str]:
    """Field names of the (nested) model a location points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _nested_home(model: type, loc: Pointer) -> str | None:
    """The hint for an unknown key that is a field of one value of its mapping (`improvements:`
    written at column 1, out of `target:`): indent it under that key. None when no field,
    or several, hold such a key."""
    key, parent = loc[-1], _allowed_fields(model, loc[:-1])
    homes = [name for name in parent if key in _allowed_fields(model, (*loc[:-1], name))]
    if len(homes) != 1:
        return None
    if _is_list(_field_at(model, (*loc[:-1], homes[0]))):
        return f"{_key(key)} is a field of each item of `{homes[0]}:`: write it in the item it belongs to"
    return f"{_key(key)} is a field of `{homes[0]}:`: indent it under `{homes[0]}:`"


def _is_list(annotation: Any) -> bool:
    from typing import get_args, get_origin

    return get_origin(annotation) is list or any(map(_is_list, get_args(annotation)))


def _field_at(model: type, loc: Pointer) -> Any:
    """The annotation of the (nested) field at `loc` (list indexes left out), or None."""
    current: Any = model
    annotation = None
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        annotation, current = field.annotation, _inner_model(field.annotation)
    return annotation


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    for arg in (annotation, *get_args(annotation)):
        if hasattr(arg, "model_fields"):
            return arg
        for inner in get_args(arg):
            if hasattr(inner, "model_fields"):
                return inner
    return None
