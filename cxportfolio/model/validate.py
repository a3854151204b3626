"""Raw documents → typed entities, and every schema problem as a located message.

Validation runs a whole list of entities in one pydantic call (fast); only when that
fails are the entities validated one by one, so that one bad initiative neither hides
the other problems in its file nor drops its valid neighbours from the cross-checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from cxportfolio.model.config import Config
from cxportfolio.model.document import PortfolioDocument
from cxportfolio.model.entities import ENTITY_KINDS, EXTENSION_PREFIX, Entity, Initiative, Origin
from cxportfolio.model.types import describe, did_you_mean, field_path

Pointer = tuple[str | int, ...]
_LIST_ADAPTERS = {key: TypeAdapter(list[model]) for key, model in ENTITY_KINDS.items()}
_TOP_LEVEL_KEYS = ("unit", *ENTITY_KINDS)


@dataclass(frozen=True)
class SchemaProblem:
    """A CXP002 finding before it has a position: file, pointer and message."""

    file: str
    pointer: Pointer
    message: str
    hint: str | None = None
    at_key: bool = False
    entity: str | None = None


@dataclass
class ValidatedDocument:
    entities: list[Entity]
    problems: list[SchemaProblem]
    # Entities that failed validation, by id: references to them are not "unknown", and
    # a second definition of the id is still a duplicate.
    invalid_ids: dict[str, list[tuple[str, Origin]]]
    invalid_initiatives: int = 0


def validate_config(file: str, data: Any) -> tuple[Config | None, list[SchemaProblem]]:
    if not isinstance(data, dict):
        return None, [SchemaProblem(file, (), f"the configuration must be a mapping, got {describe(data)}",
                                    "start from `cxportfolio init` or see docs/format.md")]
    try:
        return Config.model_validate(data), []
    except ValidationError as err:
        return None, [_problem(file, (), e, Config) for e in err.errors()]


def validate_document(file: str, data: Any) -> ValidatedDocument:
    result = ValidatedDocument([], [], {})
    if data is None:  # an empty file holds nothing, which is fine
        return result
    if not isinstance(data, dict):
        result.problems.append(SchemaProblem(
            file, (), f"a portfolio file must be a mapping, got {describe(data)}",
            f"use top-level keys: {', '.join(_TOP_LEVEL_KEYS)}"))
        return result
    for key in data:
        if key in _TOP_LEVEL_KEYS or (isinstance(key, str) and key.startswith(EXTENSION_PREFIX)):
            continue
        result.problems.append(SchemaProblem(
            file, (key,), f"unknown top-level key '{key}'", did_you_mean(key, _TOP_LEVEL_KEYS)
            or f"use {', '.join(_TOP_LEVEL_KEYS)}, or an extension key starting with x-",
            at_key=True))
    file_unit = data.get("unit")
    if file_unit is not None:
        try:
            PortfolioDocument.model_validate({"unit": file_unit})
        except ValidationError as err:
            result.problems.extend(_problem(file, (), e, PortfolioDocument) for e in err.errors())
            file_unit = None
    for key, model in ENTITY_KINDS.items():
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            result.problems.append(SchemaProblem(
                file, (key,), f"'{key}' must be a list of {model.label}s, got {describe(items)}",
                f"write each {model.label} as a list item starting with '- id: …'"))
            continue
        _validate_list(file, key, model, items, file_unit, result)
    return result


def _validate_list(file: str, key: str, model: type[Entity], items: list[Any],
                   file_unit: str | None, result: ValidatedDocument) -> None:
    inherited: set[int] = set()
    if model is Initiative:
        items = list(items)  # the file's own data stays as it was read
        for i, item in enumerate(items):
            if isinstance(item, dict) and "unit" not in item:
                if file_unit is None:
                    result.problems.append(SchemaProblem(
                        file, (key, i), f"initiative {_id_of(item) or f'#{i + 1}'} has no unit",
                        "add `unit: <unit id>` to it, or a top-level `unit:` to the file",
                        entity=_id_of(item)))
                else:
                    inherited.add(i)
                    items[i] = dict(item, unit=file_unit)
    try:
        entities = _LIST_ADAPTERS[key].validate_python(items)
        valid = list(enumerate(entities))
    except ValidationError:
        valid = []
        for i, item in enumerate(items):
            try:
                valid.append((i, model.model_validate(item)))
            except ValidationError as err:
                result.invalid_initiatives += model is Initiative
                ident = _id_of(item)
                if ident:
                    result.invalid_ids.setdefault(ident, []).append((model.label, Origin(file, (key, i))))
                result.problems.extend(
                    _problem(file, (key, i), e, model, ident) for e in err.errors())
    for i, entity in valid:
        entity.place(Origin(file, (key, i)))
        if i in inherited and isinstance(entity, Initiative):
            entity.inherit_unit()
        result.entities.append(entity)


def _id_of(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return item["id"]
    return None


def _problem(file: str, base: Pointer, error: Any, model: type, entity: str | None = None) -> SchemaProblem:
    loc: Pointer = tuple(error["loc"])
    pointer = base + loc
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    field = field_path(loc)
    owner = f" ({getattr(model, 'label', 'configuration')} {entity})" if entity else ""
    hint: str | None = None
    at_key = False
    if kind == "missing":
        parent = field_path(loc[:-1])
        label = getattr(model, "label", "the configuration")
        subject = f"{parent}" if parent else f"{label} {entity or ''}".strip()
        message = f"{subject} is missing required field '{loc[-1]}'" + (owner if parent else "")
        return SchemaProblem(file, base + loc[:-1], message, f"add `{loc[-1]}:`", entity=entity)
    if kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'{owner}"
        hint = did_you_mean(str(loc[-1]), _allowed_fields(model, loc[:-1])) or "remove it, or prefix it with x- to keep it as an extension"
        at_key = True
    elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        message = f"{field} must be {what}, got {describe(value)}{owner}"
        name = field.rsplit(".", 1)[-1].split("[")[0]
        hint = f"write a plain number without quotes or units, e.g. {name}: 8"
        if isinstance(value, str) and ":" in value:
            hint = "YAML 1.1 tools read 1:20 as a sexagesimal number; write the plain number"
    elif kind == "finite_number":
        message = f"{field} must be a finite number, got {describe(value)}{owner}"
    elif kind in ("string_type", "bool_type"):
        message = f"{field} must be text, got {describe(value)}{owner}"
        if isinstance(value, (bool, int, float)) and value is not None:
            hint = f"quote the value, e.g. {field.split('.')[-1].split('[')[0]}: \"{_as_written(value)}\""
    elif kind == "literal_error":
        expected = ctx.get("expected", "")
        message = f"{field} must be one of {expected.replace(' or ', ', ')}, got {describe(value)}{owner}"
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value), options) if isinstance(value, str) else None
    elif kind == "string_pattern_mismatch":
        message = f"{field} {describe(value)} is not valid{owner}"
        hint = _pattern_hint(field)
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        op = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        message = f"{field} must be {op} {bound}, got {describe(value)}{owner}"
    elif kind == "list_type":
        message = f"{field} must be a list, got {describe(value)}{owner}"
        hint = f"write it as [{_as_written(value)}]" if isinstance(value, (str, int, float)) else None
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"{field} must be a mapping (key: value), got {describe(value)}{owner}"
    elif kind == "too_short":
        message = f"{field} must have at least {ctx.get('min_length', 1)} item(s){owner}"
    elif kind == "string_too_short":
        message = f"{field} must not be empty{owner}"
    elif kind == "value_error":
        message = f"{field} {str(ctx.get('error', error['msg']))}{owner}"
    else:
        message = f"{field}: {error['msg']}{owner}"
    return SchemaProblem(file, pointer, message, hint, at_key, entity)


def _as_written(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _pattern_hint(field: str) -> str:
    last = field.rsplit(".", 1)[-1]
    if "period" in last:
        return "write a period as YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
    if last == "rule" or field.startswith("rules"):
        return "a rule code looks like CXP201"
    return "ids start with an ASCII letter, then ASCII letters, digits, '_', '.' or '-' (no spaces, no æ, ø, å)"


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


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    for arg in (annotation, *get_args(annotation)):
        if hasattr(arg, "model_fields"):
            return arg
        for inner in get_args(arg):
            if hasattr(inner, "model_fields"):
                return inner
    return None
