"""Hints for refused values, derived from the refused field's own schema.

What a hint says comes from the JSON Schema of *that* field — its type, range, pattern
or choices, and its default — and from what was written (a percentage, a quoted number,
a quarter written backwards). A hint that shows a value ends with an example that is
itself valid for the field (`severity is a whole number from 1 to 5, e.g. severity: 3`),
written as `name: value`, or as the value alone for an item of a list.
`tests/test_hints.py` puts each example back into the document and checks it passes.
"""

from __future__ import annotations

import calendar
import datetime
import json
import math
import re
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from cxportfolio.load.yaml_reader import resolve_plain
from cxportfolio.model.config import PROTECTED_RULES
from cxportfolio.model.nordic_words import nordic_hint
from cxportfolio.model.types import (
    CURLY_QUOTES,
    DASH_LOOKALIKES,
    DATE_PATTERN,
    ID_PATTERN,
    KNOWN_RULES,
    MINUS_LOOKALIKES,
    PERIOD_PATTERN,
    RULE_CODE_PATTERN,
    YEAR_MAX,
    YEAR_MIN,
    closest,
    cut,
    rule_named,
)

if TYPE_CHECKING:
    from collections.abc import Collection

    from jsonschema import Draft202012Validator

Loc = tuple[str | int, ...]
# The year of an example when the written value names none: a constant, never today's
# year, so that the same input always gets the same hint.
EXAMPLE_YEAR = 2026
_NONE = object()  # no default
_SEED_MAX = 40  # longer written text is not echoed into an example
_ID_RULE = "ids start with an ASCII letter, then ASCII letters, digits, '_', '.' or '-' (no spaces, no æ, ø, å)"
_PERIOD_FORMAT = "write a period as YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"
_YEARS = f"within the years {YEAR_MIN}–{YEAR_MAX}"


def value_hint(model: type, loc: Loc, value: Any, written: str | None = None) -> str | None:
    """The hint for `value`, refused at `loc` of `model`; None when the schema says
    nothing that fits (a cross-field check, a location the schema does not know).
    `written`: the text of a number as it was written, when it does not read back as
    written (`0301`, `1.10`, `1.500`: `ParsedYaml.written`)."""
    found = _field(model, loc) if loc else None
    if found is None:
        return None
    node, default, validator = found
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    kind = _kind(node) or ""
    explain = _EXPLAIN.get(kind)
    if explain is None:
        return None
    if kind == "mapping" and isinstance(value, dict) or (
            kind == "list" and isinstance(value, list) and len(value) >= node.get("minItems", 0)):
        return None  # the shape is right: what is wrong is inside it, or between its values
    if isinstance(value, list) and len(value) == 1 and kind not in ("list", "text", "id"):
        value = value[0]  # `severity: [3]`: one value in brackets (an id's: `_id`, which says so)
        written = None
    if kind == "id" and isinstance(loc[-1], int) and _ids_written_as_one(value):
        # `[PP-a PP-b]`, `[PP-a; PP-b]`: a comma left out (joined, both would be lost), when each
        # part is written as ids are (`PP-a`, `DIG-007`), not as words (`PP long form`: one id, spaced)
        parts = _ID_SEPARATORS.split(value.strip())
        # the first few, as rules name ids (rules.base.named): a value can hold thousands
        shown = ", ".join(parts[:6]) + (f" and {len(parts) - 6} more" if len(parts) > 6 else "")
        return (f"{len(parts)} ids written as one: make each its own item ({shown} in […], "
                f"or a `- ` line each), e.g. {parts[0]}")
    if value is None and written is not None and written.startswith("#"):
        # `status: #approved`: the value YAML read as a comment (`ParsedYaml.written`)
        fix, example = _comment_fix(node, validator, name, default, written)
        return f"{comment_lead(written)}: {_with_example(fix, example, name)}"
    glued = _before_glued_comment(value, validator)
    if glued is not _NONE:  # `status: done# agreed`, `planned: 2026-Q3#maybe`: no space, no comment
        return f"{_ADVICE['comment']}, e.g. {_yaml(glued) if isinstance(loc[-1], int) else f'{name}: {_yaml(glued)}'}"
    lead, candidates = explain(node, value, name, default, written)
    example = _first_valid(validator, candidates)
    if isinstance(value, str) and value.strip().casefold() in _NOT_KNOWN and isinstance(loc[-1], str) and kind not in (
            "list", "mapping"):  # `{effort: -}` or `planned: TBD` for "not known", read as text
        said = f"`{value.strip()}` is not a value: " + (
            f"if it is not known, remove `{name}:` (it is optional); else write one" if default is not _NONE
            else f"write the {name}")
        lead = f"{said} ({lead})" if example is _NONE else said
    if example is _NONE:  # "did you mean" and "use one of" name their values themselves
        return lead
    shown = " or ".join(map(_yaml, example)) if isinstance(example, _Either) else _yaml(example)
    return f"{lead}, e.g. {shown if isinstance(loc[-1], int) else f'{name}: {shown}'}"


# What people write for "not known yet", in English and the Nordic languages: where the
# field is optional, leaving it out says so (an example would invent a plan or a figure).
_NOT_KNOWN = frozenset({"-", "?", "??", "???", "tbd", "tba", "n/a", "unknown", "ukjent", "ikke kjent", "ukendt",
                        "okänd", "okänt", "vet ikke", "vet ej", "ved ikke"})


def _before_glued_comment(value: Any, validator: Draft202012Validator) -> Any:
    """The valid value before a '#' glued to it (YAML begins a comment only after a
    space, so `done# agreed` is all text), as YAML reads it; else _NONE."""
    if not isinstance(value, str) or "#" not in value[:_SEED_MAX] or value.startswith("#"):
        return _NONE
    before = _plain(value.split("#", 1)[0].strip())
    return before if before is not _NONE and before is not None and validator.is_valid(before) else _NONE


_ID_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+")


def _ids_written_as_one(value: Any) -> bool:
    """Whether a text holds two ids or more, each written as ids are (`PP-a`, `DIG-007`),
    separated by spaces, ';' or ',' (`PP long form` is one id written with spaces)."""
    parts = _ID_SEPARATORS.split(value.strip()) if isinstance(value, str) else []
    return len(parts) > 1 and all(
        re.fullmatch(ID_PATTERN, part) and any(c == "-" or c.isdigit() for c in part) for part in parts)


def comment_hint(model: type, loc: Loc, comment: str) -> str | None:
    """The hint for an optional value left empty before a comment on its line (`effort: #6`,
    CXP109): how to write it if the comment is the value, and where a note goes; None
    when `loc` is no field the schema knows (an unknown key: its CXP002 says so)."""
    found = _field(model, loc) if loc else None
    if found is None:
        return None
    node, default, validator = found
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    fix, example = _comment_fix(node, validator, name, default, comment)
    return (f"if `{_comment_excerpt(comment)}` is the value, {_with_example(fix, example, name)}; "
            f"if it is a note, put it on a line of its own ({name} is optional)")


def takes_nothing(model: type, loc: Loc) -> bool | None:
    """Whether the field at `loc` of `model` accepts an empty value (null: an optional
    field), or None when the schema knows no such field."""
    found = _raw_field(model, loc) if loc else None
    if found is None:
        return None
    return any(o.get("type") == "null" for o in _alternatives(found[0]))


def _comment_fix(node: dict[str, Any], validator: Draft202012Validator, name: str, default: Any,
                 comment: str) -> tuple[str, Any]:
    """What to write when YAML read the value as a comment (`title: #1 Ny portal`,
    `status: #approved`): a text is quoted with its '#'; any other value loses the '#', and
    when what follows it is no valid value either, the field's own hint for it follows."""
    kind = _kind(node) or ""
    if kind == "text":
        own = _comment_excerpt(comment)
        return "put the text in quotes (or remove the `#`)", (own if validator.is_valid(own) else _NONE)
    rest = comment[1:].strip()
    plain = _plain(rest) if rest else None
    if plain is not None and plain is not _NONE and validator.is_valid(plain):
        return "remove the `#`", plain
    explain = _EXPLAIN.get(kind)
    if explain is None:
        return "remove the `#`", _NONE
    lead, candidates = explain(node, rest if plain is _NONE else plain, name, default, None)
    return f"remove the `#`; {lead}", _first_valid(validator, candidates)


def _plain(text: str) -> Any:
    """`text` read as YAML reads a plain value (`6` is the number 6, `approved` a text), or
    _NONE when it is no single value (`a: b`, `[x`)."""
    from cxportfolio.load.yaml_reader import parse_text

    parsed = parse_text(text)
    if not parsed.usable or parsed.problems or isinstance(parsed.data, (dict, list)):
        return _NONE
    return parsed.data


def comment_lead(comment: str) -> str:
    """What YAML did with a value written after a key as `#…` (`ParsedYaml.written`)."""
    return (f"YAML read `{_comment_excerpt(comment)}` as a comment (a '#' after a space begins one), "
            "so nothing is written")


def _comment_excerpt(comment: str) -> str:
    return cut(comment, _SEED_MAX)


def _with_example(lead: str, example: Any, name: str) -> str:
    if example is _NONE:
        return lead
    shown = " or ".join(map(_yaml, example)) if isinstance(example, _Either) else _yaml(example)
    return f"{lead}, e.g. {name}: {shown}"


def option_number_hint(text: str) -> str | None:
    """How to write a number given on the command line as it is in a file's hint
    (`--capacity 100,5`: "write decimals with a point: 100.5"), or None when what was
    written is no number read otherwise. A comma or dot before three digits (`1,000`,
    `1.000`) may separate thousands or decimals: both readings are named. A number in
    another base (`0x10`, as a programmer might) is given in decimal."""
    if re.fullmatch(r"\s*[+-]?0(?:[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)\s*", text):
        try:
            return f"write the number in decimal: {int(text.strip(), 0)}"
        except ValueError:  # a misplaced `_`
            pass
    read, how, grouped = _read_number(text)
    if read is None or not math.isfinite(read):
        return None
    if grouped is not None:
        thousands, mark = grouped
        return (f"a {'comma' if mark == ',' else 'dot'} before three digits may separate thousands or "
                f"decimals: write {_yaml(thousands)} or {_yaml(read)}")
    if how is None or how not in _ADVICE:
        return None
    return f"{_ADVICE[how]}: {_yaml(read)}"


def missing_hint(model: type, loc: Loc) -> str:
    """The hint for a required key left out: the key with a value valid there, since a
    key alone (`status:`) reads as null and, in `{…}`, does not parse; a choice's others
    are named ("add `direction: increase` (or decrease)")."""
    name = str(loc[-1])
    found = _field(model, loc)
    if name == "id":  # not a word made up to fit the pattern (`id: id`): the kind's own example
        examples = (found[0].get("examples") or [None]) if found is not None else [None]
        unique = "unique across the portfolio" if len(loc) == 1 else "unique in its list"  # a stage's: its journey's
        return f"add `id:` with an id of its own, {unique}" + (
            f" (e.g. `id: {examples[0]}`)" if isinstance(examples[0], str) else "")
    example = _example_of(found[0], None, name) if found is not None else _NONE
    if found is None or example is _NONE:
        return f"add `{name}:` with its value"
    others = [str(c) for c in found[0].get("enum", ()) if c != example] if _kind(found[0]) == "choice" else []
    return f"add `{name}: {_yaml(example)}`" + (f" (or {', '.join(others)})" if 0 < len(others) <= 5 else "")


# ------------------------------------------------------------------ the field's schema

@cache
def _root(model: type) -> dict[str, Any]:
    """The model's JSON Schema with every $ref written out (the format has no recursion)."""
    schema = model.model_json_schema(mode="validation")  # type: ignore[attr-defined]
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**inline(defs[node["$ref"].rsplit("/", 1)[-1]]), **inline(rest)}
        return {k: inline(v) for k, v in node.items()}

    return inline(schema)  # type: ignore[no-any-return]


def takes_either(model: type, loc: Loc, decimal: float, thousands: float) -> bool:
    """Whether a number written like `1.500` at `loc` of `model` may mean either reading
    there (CXP108): a field that takes both numbers, or no field the schema knows (an
    unknown key: nothing says which). Not a whole-number field, which refuses 1.5, nor a
    share, where 1500 is no value: each says so itself."""
    found = _field(model, loc, with_validator=False)
    if found is None:
        return True
    node = found[0]
    return (_kind(node) == "number" and node.get("type") != "integer"
            and _within(node, decimal) and _within(node, thousands))


@lru_cache(maxsize=4096)
def _field(model: type, loc: Loc,
           with_validator: bool = True) -> tuple[dict[str, Any], Any, Draft202012Validator] | None:
    """The schema of what `loc` points at (null left out), its default, and a validator
    for examples (None without `with_validator`)."""
    found = _raw_field(model, loc)
    if found is None:
        return None
    node, default = found
    described = node.get("description")
    node = _present(node)
    if described and "description" not in node:  # `anyOf: [number, null]`: what the field is, kept
        node = {**node, "description": described}
    return node, default, _validator(node) if with_validator else None  # type: ignore[return-value]


def _raw_field(model: type, loc: Loc) -> tuple[dict[str, Any], Any] | None:
    """The schema of what `loc` points at as the model declares it (null kept), and its default."""
    node: dict[str, Any] = _root(model)
    default: Any = _NONE
    for part in loc:
        node = _present(node)
        if isinstance(part, int):
            if node.get("type") != "array":
                return None
            default = default[part] if isinstance(default, list) and part < len(default) else _NONE
            node = node.get("items", {})
        else:
            prop = node.get("properties", {}).get(part)
            if prop is None:
                return None
            node, default = prop, prop.get("default", _NONE)
    return node, default


def _validator(node: dict[str, Any]) -> Draft202012Validator:
    """A validator per schema node, made once (jsonschema is imported only when a value
    was refused: a clean check does not pay for it)."""
    from jsonschema import Draft202012Validator

    found = _VALIDATORS.get(id(node))
    if found is None or found[0] is not node:
        found = _VALIDATORS[id(node)] = (node, Draft202012Validator(node))
    return found[1]


_VALIDATORS: dict[int, tuple[dict[str, Any], Draft202012Validator]] = {}


def _present(node: dict[str, Any]) -> dict[str, Any]:
    """The schema of a value that is there: `X | None` is X; nested anyOf flattened
    (once per node: the nodes live as long as the cached schemas)."""
    if "anyOf" not in node:
        return node
    found = _PRESENT.get(id(node))
    if found is None or found[0] is not node:
        options = [o for o in _alternatives(node) if o.get("type") != "null"]
        found = _PRESENT[id(node)] = (node, options[0] if len(options) == 1 else {"anyOf": options})
    return found[1]


_PRESENT: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _alternatives(node: dict[str, Any]) -> list[dict[str, Any]]:
    if "anyOf" not in node:
        return [node]
    return [alt for option in node["anyOf"] for alt in _alternatives(option)]


def _kind(node: dict[str, Any]) -> str | None:
    options = node.get("anyOf", [node])
    patterns = {o.get("pattern") for o in options}
    for pattern, kind in ((PERIOD_PATTERN, "period"), (DATE_PATTERN, "date"),
                          (ID_PATTERN, "id"), (RULE_CODE_PATTERN, "rule")):
        if pattern in patterns:
            return kind
    if "enum" in node:
        return "choice"
    return {"integer": "number", "number": "number", "string": "text",
            "array": "list", "object": "mapping"}.get(node.get("type", ""))


# ------------------------------------------------------------------ one kind each

Explained = tuple[str, list[Any]]  # the hint's lead, and candidate examples in order


def _choice(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    choices = node["enum"]
    if isinstance(value, str):
        quoted = [c for c in choices if not isinstance(c, str) and str(c) == value.strip()]
        if quoted:  # a quoted 4 among the severities 1–5
            return "write it without quotes", quoted
        if all(isinstance(c, str) for c in choices):
            # `status: pågår`: the word, not its spelling, is near
            best = closest(value, choices)
            said = nordic_hint(value, choices) or (f"did you mean '{best}'?" if best is not None else None)
            if said is not None:
                return said, []
    return f"use one of: {', '.join(map(str, choices))}", []


def _number(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    integer = node.get("type") == "integer"
    if value is None or isinstance(value, str) and not value.strip():
        return _empty(node, name, default, integer)
    plain = written is not None and isinstance(value, (int, float)) and not isinstance(value, bool)
    if not plain and _money(value) and "person-weeks" in node.get("description", ""):
        # `capacity: kr 80 000`: a budget where effort goes; its number is no effort
        return f"{name} counts person-weeks, not money: write the person-weeks", [default,
                                                                                        _typical(node, integer)]
    read, how, grouped = _read_number(written if plain else value)
    if plain:  # a number as YAML read it (`1.000` is 1.0): its text says how it may be meant
        read, how = value, None
    low, high = node.get("minimum", node.get("exclusiveMinimum")), node.get("maximum")
    if grouped is not None and read is not None:
        # `1,250` or `1.500`: the comma or dot may separate thousands or decimals; each
        # reading the field can take is named, the thousands first (docs/format.md, Hints)
        thousands, mark = grouped
        fits = [n for n in (thousands, read) if _within(node, n) and (not integer or float(n).is_integer())]
        if len(fits) == 2:
            if mark == ",":
                lead = (f"{_ADVICE[how]}; " if how not in (None, "comma") else "") + _BOTH_COMMA
            else:
                lead = f"{_ADVICE[how]}, and without the dot if it separates thousands" if how else _BOTH_DOT
            either = _Either((_number_of(thousands, integer), _number_of(read, integer)))
            return lead, [either, default, _typical(node, integer)]
        if fits == [thousands]:
            read, how = thousands, "dotted" if how is None else "separators"
    share = low == 0 and high == 1
    if read is not None and share and 1 < read <= 100 and (how == "percent" or float(read).is_integer()):
        read, how = read / 100, "percent"  # `reach: 60%` or `reach: 60` for 0.6
    if read is not None and integer and math.isfinite(read) and not float(read).is_integer():
        read = round(read)
    outside = read is not None and not _within(node, read)
    telling = low is not None and high is not None and high - low <= 10_000  # not just a safety bound
    what = f"{name} is {'a whole number' if integer else 'a number'}{range_words(node) if telling or outside else ''}"
    if how == "percent" and share:
        lead = f"write a share as a fraction from 0 to 1 ({number_words(round(read * 100, 6))}% is {number_words(read)})"
    elif how == "sexagesimal":
        lead = "YAML 1.1 tools read 1:20 as a sexagesimal number; write the plain number"
    elif how is not None:
        lead = _ADVICE[how] + (f"; {what}" if outside else "")
    elif read is None and not telling and not integer:
        lead = "write a plain number without quotes or units"
    else:
        lead = what
    clamped: Any = _NONE
    if (low, high) == (YEAR_MIN, YEAR_MAX):
        pass  # `year: 26` is not meant as 1900
    elif read is not None and high is not None and read > high:
        clamped = high
    elif read is not None and "minimum" in node and read < node["minimum"]:
        clamped = node["minimum"]
    own = _NONE if read is None or not math.isfinite(read) else _number_of(read, integer)
    # `volume: -95000`: a minus typed by mistake, rather than the least the field takes (0)
    unsigned = (_number_of(-read, integer) if read is not None and math.isfinite(read) and read < 0
                and _within(node, -read) else _NONE)
    return lead, [own, unsigned, default, clamped, _typical(node, integer)]


def _empty(node: dict[str, Any], name: str, default: Any, integer: bool) -> Explained:
    """Nothing written (`effort: ''`): said so, and that an optional key may go, with an
    example that is one (never a number made up as if it were read)."""
    low, high = node.get("minimum", node.get("exclusiveMinimum")), node.get("maximum")
    telling = low is not None and high is not None and high - low <= 10_000  # as `_number` says it
    what = f"{'a whole number' if integer else 'a number'}{range_words(node) if telling else ''}"
    if default is None:
        return f"{name} is empty: remove it (it is optional), or write {what}", [_typical(node, integer)]
    if default is not _NONE:
        return (f"{name} is empty: remove it (the default is {number_words(default)}), or write {what}",
                [default, _typical(node, integer)])
    return f"{name} is empty: write {what}", [_typical(node, integer)]


class _Either(tuple):  # type: ignore[type-arg]
    """Two examples, each valid, of which the user knows the one meant: `1250 or 1.25`."""

    __slots__ = ()


_ADVICE = {
    "quoted": "write the number without quotes",
    "units": "write the number without units",
    "separators": "write the number without thousands separators (or with _)",
    "spaced": "write the number without thousands separators (or with _)",
    "dotted": "YAML reads a dot as a decimal point: write the number without thousands separators (or with _)",
    "suffix": "write the number in full, without a k or M",
    "comma": "write decimals with a point",
    "trailing": "write the number without the comma after it",
    "percent": "write the number without %",
    "minus": "write the minus as a plain '-': a − or – pasted from a word processor is text, not a sign",
    "comment": "put a space before the `#`: YAML begins a comment only after a space",
}
# The lead when a comma or a dot before three digits may separate thousands (English `1,250`,
# Norwegian `1.500`) or decimals (Norwegian `1,250` is 1.25; YAML reads `1.500` as 1.5).
_BOTH_COMMA = ("a comma before three digits may separate thousands or decimals: write the number without it, "
               "or with a decimal point")
_BOTH_DOT = "YAML reads a dot as a decimal point: write the number without it if it separates thousands"

# Digits grouped by thousands with a space, as many languages write them: a plain, no-break,
# figure, thin or narrow no-break space (`10 000`, `12 500`); the decimals after a comma.
_SPACES = " \u00a0\u2007\u2009\u202f"
_SPACED = rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+"
_MULTIPLIERS = {"k": 1_000, "K": 1_000, "M": 1_000_000}
# One group: which of the two, the field decides (`_number`); a leading 0 is no group (`0,750`).
_GROUPED_ONCE = re.compile(r"([+-]?[1-9]\d{0,2})([.,])(\d{3})")

_NUMBER_SHAPES = [
    (re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*%"), "percent"),
    (re.compile(r"([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"), "quoted"),
    (re.compile(r"([+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?)"), "separators"),
    # dots between groups, Norwegian style: `1.200.000`, `1.200,50`
    (re.compile(r"([+-]?[1-9]\d{0,2}(?:(?:\.\d{3}){2,}(?:,\d+)?|\.\d{3},\d+))"), "dots"),
    (re.compile(rf"([+-]?{_SPACED}(?:[.,]\d+)?)"), "spaced"),
    (re.compile(r"([+-]?\d+,\d+)"), "comma"),
    (re.compile(r"([+-]?\d+(?:\.\d+)?),"), "trailing"),  # `effort: 4,`: a comma left from a list
    (re.compile(r"(\d+:[0-5]?\d(?::[0-5]?\d)*)"), "sexagesimal"),
    (re.compile(r"([+-]?\d+(?:\.\d+)?)#.*"), "comment"),  # `12# person-weeks`: no space, no comment
    (re.compile(r"([+-]?\d+(?:\.\d+)?) ?([kKM])"), "suffix"),  # `10k`, `1.2M`
    # a prefix: `8 weeks`, `10 000 kr`, `1,000 users`, `70.000 kr`
    (re.compile(rf"([+-]?(?:{_SPACED}|[1-9]\d{{0,2}}(?:[.,]\d{{3}})+|\d+)(?:[.,]\d+)?)\s*[^\d\s.,:%_-]"), "units"),
]
# A short word before the number: a currency written first, Norwegian style (`kr 80 000`, `NOK 75000`),
# or an estimate's mark (`ca. 6`, `~6`, `≈6`), which the number, as a unit, does without.
_WORD_FIRST = re.compile(r"(?:[^\W\d_]{2,3}\.?|[~≈])\s*(?=[+-]?\d)")

Reading = tuple[float | None, str | None, tuple[float, str] | None]


def _read_number(value: Any) -> Reading:
    """A number in what was written, how it was written if not plainly, and — when a comma
    or a dot before three digits may also separate thousands (`1,250`, `1.500`) — that
    reading and the mark: (1.25, "comma", (1250, ","))."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return None, None, None
        return value if abs(value) < 1e300 else (math.inf if value > 0 else -math.inf), None, None  # no overflow below
    if not isinstance(value, str) or len(value) > _SEED_MAX:
        return None, None, None
    text = value.strip()
    if text[:1] in MINUS_LOOKALIKES:  # `−0,6` too: the example shows the point as well as the sign
        read, how, grouped = _read_number("-" + text[1:])
        return (read, "minus", grouped) if read is not None else (None, None, None)
    if len(text) > 2 and text[0] in CURLY_QUOTES and text[-1] in CURLY_QUOTES:  # `“4”`: quotes all the same
        read, how, grouped = _read_number(text[1:-1])
        return (read, "quoted" if how is None else how, grouped) if read is not None else (None, None, None)
    bare = text.strip("".join(c for c in text if unicodedata.category(c) == "Sc") + _SPACES)
    if bare == text and (word := _WORD_FIRST.match(text)):  # `kr 80 000`, `NOK 75000`: a word is a unit too
        bare = text[word.end():]
    if bare != text and bare:  # `€80000`, `80 000 €`, `kr 70.000`: the currency is a unit, the number stays
        read, how, grouped = _read_number(bare)
        return (read, _unit(how), grouped) if read is not None else (None, None, None)
    once = _GROUPED_ONCE.fullmatch(text)
    if once:  # `1,250`: 1.25 or 1250; `"1.500"`: 1.5 or 1500
        whole, mark, group = once.groups()
        return float(f"{whole}.{group}"), "comma" if mark == "," else "quoted", (int(whole + group), mark)
    for pattern, how in _NUMBER_SHAPES:
        match = pattern.match(text) if how == "units" else pattern.fullmatch(text)
        if match is None:
            continue
        if how == "sexagesimal":
            return None, how, None
        if how == "units":  # the number before the unit, read as any other (`1.500 kr`)
            read, inner, grouped = _read_number(match.group(1))
            return (read, _unit(inner), grouped) if read is not None else (None, None, None)
        digits = re.sub(f"[_{_SPACES}]", "", match.group(1))
        if how == "dots":  # the dots separate thousands, a comma decimals
            return float(digits.replace(".", "").replace(",", ".")), "separators", None
        digits = digits.replace(",", "." if how in ("comma", "percent", "spaced") else "")  # `12 500,5`
        if how == "suffix":  # in decimal: 1.1M is 1100000, not 1100000.0000000002
            return float(Decimal(digits) * _MULTIPLIERS[match.group(2)]), how, None
        return float(digits), how, None
    return None, None, None


_CURRENCY_WORDS = frozenset({"kr", "kr.", "nok", "sek", "dkk", "eur", "usd", "gbp"})


def _money(value: Any) -> bool:
    """Whether a value is written as an amount of money: a currency sign or word."""
    if not isinstance(value, str) or len(value) > _SEED_MAX:
        return False
    return any(unicodedata.category(c) == "Sc" for c in value) or any(
        word.casefold() in _CURRENCY_WORDS for word in re.findall(r"[^\W\d_]+\.?", value))


def _unit(how: str | None) -> str | None:
    """How a number written with a unit or currency was written: with a unit, unless the
    number itself says more (a decimal comma, a pasted minus)."""
    return "units" if how in (None, "quoted", "spaced", "separators") else how


def range_words(node: dict[str, Any], one_sided: str = "") -> str:
    """A number schema's bounds in words (' from 1 to 5'); `one_sided` leads a lone bound
    (the schemas' hover text says ' of at most 5', a hint ' at most 5')."""
    low, high, above = node.get("minimum"), node.get("maximum"), node.get("exclusiveMinimum")
    if above is not None:  # the stricter bound where a field has both (above 0, not from 0)
        return f" above {number_words(above)}" + (f", at most {number_words(high)}" if high is not None else "")
    if low is not None and high is not None:
        return f" from {number_words(low)} to {number_words(high)}"
    if high is not None:
        return f" {one_sided}at most {number_words(high)}"
    return f" {one_sided}at least {number_words(low)}" if low is not None else ""


def _within(node: dict[str, Any], number: float) -> bool:
    return (node.get("minimum", -math.inf) <= number <= node.get("maximum", math.inf)
            and number > node.get("exclusiveMinimum", -math.inf))


def _typical(node: dict[str, Any], integer: bool) -> float:
    """A number for an example when nothing written or defaulted fits."""
    low = node.get("minimum", node.get("exclusiveMinimum", 0))
    high = node.get("maximum", 10**9)
    if (low, high) == (YEAR_MIN, YEAR_MAX):
        return EXAMPLE_YEAR
    if high - low <= 10:  # severity 1–5: the middle; a share: 0.5
        return (low + high) // 2 if integer else (low + high) / 2
    return min(max(8, low + 1), high)


def _number_of(number: float, integer: bool) -> float:
    return int(number) if integer or float(number).is_integer() else number


def number_words(number: float) -> str:
    """A number as prose writes it: 1,000,000 but 2026 (a year), 0.5."""
    if float(number).is_integer():
        return f"{int(number):,}" if abs(number) >= 10_000 else str(int(number))
    return repr(float(number))


def _period(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    year, quarter, month, day, lead = _date_parts(value, _PERIOD_FORMAT)
    if (span := _span(value, year)) is not None:
        return span.period_lead, [f"{span.year}-{span.month:02d}", default]
    if unread := _unread_word(value):  # `høst 2026`: 2026 alone would plan a wider period than meant
        return f"{lead} (`{unread}` is not read here: write the part of {year} it means)", []
    if _several(value):  # `Q3-Q4 2026`: either quarter alone is another period
        return f"{lead} (`{value}` names more than one period: write the one meant)", []
    if quarter is not None:
        if not 1 <= quarter <= 4:
            lead = "a year has the quarters Q1–Q4"
        return lead, [f"{year}-Q{min(max(quarter, 1), 4)}", default]
    if month is not None and day is not None:
        text, lead = _day(year, month, day, lead)
        return lead, [text, default]
    return lead, [f"{year}-{month:02d}" if month is not None else year, default]


def _date(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    year, quarter, month, day, lead = _date_parts(value, "write a date as YYYY-MM-DD")
    if (span := _span(value, year)) is not None:
        return span.date_lead, [span.day.isoformat(), default]
    if unread := _unread_word(value):
        return f"{lead} (`{unread}` is not read here: write the day of {year} it means)", []
    if _several(value):
        return f"{lead} (`{value}` names more than one day: write the one meant)", []
    if quarter is not None:  # the quarter's last day
        month = 3 * min(max(quarter, 1), 4)
        day = calendar.monthrange(year, month)[1]
    text, lead = _day(year, month or 1, day or 1, lead)
    return lead, [text, default]


class _Span(NamedTuple):
    """A week, tertial or half-year written where a period or a date goes: not one of the
    format's periods, so the hint names the month (and the day) that stands for it."""

    year: int
    month: int
    day: datetime.date
    period_lead: str
    date_lead: str


# `2026-W38`, `W38 2026`, Swedish `v. 38` and `vecka 38`, Norwegian `uke 38`, Danish `uge 38`
_WEEK = re.compile(r"(?<![^\W\d_])(?:week|wk|vecka|vk|uke|uge|w|v)\.?\s*(\d{1,2})(?!\d)", re.IGNORECASE)
# `2026-T3` (a tertial: Swedish regions report by them), `2026-H2`; not the T of `2026-09-01T10:00`
_PART = re.compile(r"(?<![^\W_])(?:(tertial\s*|t)|(halvår\s*|halvar\s*|h))(\d)(?!\d)", re.IGNORECASE)
_PERIOD_SHAPES = "a period is YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"


def _span(value: Any, year: int) -> _Span | None:
    """A week (its month is its Thursday's, as ISO counts weeks), a tertial or a half-year
    (the month it ends: a period then ends when it does) in what was written."""
    text = _written(value) if isinstance(value, str) else None
    if not text:
        return None
    if week := _WEEK.search(text):
        weeks = datetime.date(year, 12, 28).isocalendar()[1]  # 28 December is in the year's last week
        number = min(max(int(week.group(1)), 1), weeks)
        monday, thursday = (datetime.date.fromisocalendar(year, number, d) for d in (1, 4))
        sunday = monday + datetime.timedelta(days=6)
        said = "" if number == int(week.group(1)) else f"{year} has the weeks 1–{weeks}; "
        month_name = calendar.month_name[thursday.month]
        return _Span(year, thursday.month, thursday,
                     f"{said}a week is not a period here: week {number} of {year} falls in {month_name} "
                     f"(by its Thursday, as ISO weeks do); write that month ({_PERIOD_SHAPES})",
                     f"{said}a week is not a date: week {number} of {year} is {monday.isoformat()} to "
                     f"{sunday.isoformat()}; write the day")
    if part := _PART.search(text):
        tertial = part.group(1) is not None
        kind, size, count = ("tertial", 4, 3) if tertial else ("half-year", 6, 2)
        number = min(max(int(part.group(3)), 1), count)
        said = "" if number == int(part.group(3)) else (
            f"a year has the {kind}s {'T' if tertial else 'H'}1–{'T3' if tertial else 'H2'}; ")
        first, last = size * (number - 1) + 1, size * number
        spelt = f"{year}-{'T' if tertial else 'H'}{number}"
        months = f"{calendar.month_name[first]}–{calendar.month_name[last]}"
        day = datetime.date(year, last, calendar.monthrange(year, last)[1])
        return _Span(year, last, day,
                     f"{said}a {kind} is not a period here: {spelt} is {months}, so write the month it ends "
                     f"in, so that the period ends when the {kind} does ({_PERIOD_SHAPES})",
                     f"{said}a {kind} is not a date: {spelt} is {months}; write the day (here its last)")
    return None


# the separators between a date's numbers are no letters: in `2026-K4` the 4 is no month
_YEAR_FIRST = re.compile(r"(\d{4})[^\w]{1,3}(\d{1,2})(?:[^\w]{1,3}(\d{1,2}))?(?!\d)")
_YEAR_LAST = re.compile(r"(?<![\dA-Za-z])(\d{1,2})[^\w]{1,3}(?:(\d{1,2})[^\w]{1,3})?(\d{4})")
# the months by name in English, Norwegian, Danish and Swedish (`juli 2027`, `1. desember 2026`)
_MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
           for number, name in enumerate(names) if name} | {
    "januar": 1, "januari": 1, "februar": 2, "februari": 2, "mars": 3, "marts": 3, "mai": 5, "maj": 5,
    "juni": 6, "juli": 7, "augusti": 8, "sept": 9, "okt": 10, "oktober": 10, "des": 12, "desember": 12, "december": 12}
_MONTH_NAMED = re.compile(r"(?:(?<!\d)(\d{1,2})\.?\s*)?\b([^\W\d_]{3,})\b\.?(?:\s*(\d{1,2})(?!\d))?")
# `2026-Q4`, Norwegian, Danish and Swedish `2026-K4`, `kvartal 4`, `4. kvartal`, `4. kv.`
_QUARTER = re.compile(r"(?<![^\W\d_])(?:q|k|kv|kvartal)\.?\s*(\d)(?!\d)"
                      r"|(?<!\d)(\d)\.?\s*(?:q|kv|kvartal)(?![^\W\d_])", re.IGNORECASE)
# the words a period hint reads; any other word may narrow the period (`høst 2026`, `uke 38`
# is read before), so a hint that dropped it would change the period's meaning
_READ_WORDS = re.compile(r"(?:q|k|kv|kvartal|t)\.?$", re.IGNORECASE)


def _date_parts(value: Any, lead: str) -> tuple[int, int | None, int | None, int | None, str]:
    """Year, quarter, month and day in what was written, in whichever order it came."""
    text = (_written(value) or "") if not isinstance(value, bool) else ""
    if re.fullmatch(r"\d{8}", text) and (day := _compact_date(text)) is not None:  # 20260901
        return day.year, None, day.month, day.day, lead
    years = re.findall(r"(?<!\d)\d{4}(?!\d)", text)
    year = int(years[0]) if years else EXAMPLE_YEAR
    if not YEAR_MIN <= year <= YEAR_MAX:
        year, lead = EXAMPLE_YEAR, f"{lead}, {_YEARS}"
    quarter = _QUARTER.search(text)
    if quarter:
        return year, int(quarter.group(1) or quarter.group(2)), None, None, lead
    month: int | None = None
    day: int | None = None
    if match := _YEAR_FIRST.search(text):  # 2026-6-30, 2026/06/30
        month, day = int(match.group(2)), int(match.group(3)) if match.group(3) else None
    elif named := [m for m in _MONTH_NAMED.finditer(text) if m.group(2).lower() in _MONTHS]:
        month = _MONTHS[named[0].group(2).lower()]  # June 2026, juli 2027
        days = named[0].group(1) or named[0].group(3)  # 1. juli 2027, June 30 2026
        day = int(days) if days else None
    elif match := _YEAR_LAST.search(text):  # 30.06.2026 and 06/2026; 06/30/2026 only when unambiguous
        first, second = int(match.group(1)), match.group(2)
        month, day = (first, None) if second is None else (int(second), first)
        if day is not None and month > 12 >= day:
            month, day = day, month
    if month is not None and not 1 <= month <= 12:
        month, lead = min(max(month, 1), 12), "a year has the months 01–12"
    return year, None, month, day, lead


def _unread_word(value: Any) -> str | None:
    """The first word the period and date hints do not read in what names a year
    (`høst 2026`, `ca. juli 2027`): a hint that dropped it could change the period meant,
    so none is proposed. Without a year (`8 weeks`, `high`) the example is plainly one."""
    text = _written(value) if isinstance(value, str) else None
    if not text or not re.search(r"(?<!\d)\d{4}(?!\d)", text):
        return None
    words = re.findall(r"[^\W\d_]+\.?", text)
    return next((w.rstrip(".") for w in words
                 if not _READ_WORDS.match(w) and w.rstrip(".").lower() not in _MONTHS), None)


def _several(value: Any) -> bool:
    """Whether what was written names a range (`Q3-Q4 2026`, `1.-2. kvartal 2026`, `juni–juli
    2027`, `2026-2027`): two quarters, months or years, or a number beside a quarter or a
    month's name that is none of its own, where reading one would change the period meant."""
    text = _written(value) if isinstance(value, str) else None
    if not text:
        return False
    years = set(re.findall(r"(?<!\d)\d{4}(?!\d)", text))
    quarters = list(_QUARTER.finditer(text))
    months = [m for m in _MONTH_NAMED.finditer(text) if m.group(2).lower() in _MONTHS]
    if len(years) > 1 or len(quarters) > 1 or len(months) > 1:
        return True
    read = quarters or months
    if not read:
        return False
    rest = text[:read[0].start()] + " " + text[read[0].end():]
    return bool(re.search(r"\d", re.sub(r"(?<!\d)\d{4}(?!\d)", " ", rest)))


def _compact_date(text: str) -> datetime.date | None:
    """`20260901`: a date written YYYYMMDD, when it is one within the years allowed."""
    try:
        day = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None


def _day(year: int, month: int, day: int, lead: str) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    if day > last:
        lead = f"{calendar.month_name[month]} {year} has {last} days"
    return f"{year}-{month:02d}-{min(max(day, 1), last):02d}", lead


def _id(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    if isinstance(value, (list, dict)):  # `journey: [mortgage]`, `{mortgage: 1}`: one id is wanted, as text
        one = next((held for held in value if isinstance(held, (str, int, float)) and not isinstance(held, bool)),
                   None)  # (a mapping's keys)
        ident = _id(node, one, name, default)[1][0] if one is not None else f"{name or 'id'}-1"
        return f"write one id as text, not {'a list' if isinstance(value, list) else 'a mapping'}", [ident]
    text = written or _written(value) or ""
    dashed = text.translate(_DASHES)  # `OPP–001`: the dash meant is '-', not nothing
    ident = unicodedata.normalize("NFKD", dashed.translate(_LETTERS)).encode("ascii", "ignore").decode()
    ident = re.sub(r"[^A-Za-z0-9_.-]+", "-", ident).strip("-")
    if not ident[:1].isalpha():
        ident = f"{name or 'id'}-{ident}".rstrip("-")
    if ident == text and not isinstance(value, str):  # `id: false`, read as a boolean
        return "quote the value", [ident]
    if dashed != text:
        pasted = ", ".join(f"{c} U+{ord(c):04X}" for c in dict.fromkeys(c for c in text if c in DASH_LOOKALIKES))
        several = sum(c in DASH_LOOKALIKES for c in text) > 1
        lead = (f"write {'each dash' if several else 'the dash'} as a plain '-': a dash pasted from a word "
                f"processor ({pasted}) is not '-'")
        return lead if re.fullmatch(ID_PATTERN, dashed) else f"{lead}; {_ID_RULE}", [ident]
    return _ID_RULE, [ident]


_LETTERS = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "þ": "th", "ð": "d"})
_DASHES = str.maketrans(dict.fromkeys(DASH_LOOKALIKES, "-"))


def _rule(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    # A code written otherwise (`cxp 201`) is kept; anything else gets an example that an
    # `allow:` may name (never a gate rule, which cannot be accepted).
    code = re.sub(r"[^0-9A-Za-z]", "", value).upper() if isinstance(value, str) else ""
    own = code if re.fullmatch(r"CXP\d{3}", code) and code not in PROTECTED_RULES else _NONE
    named = rule_named(value)  # `rule: duplicate-initiative`, the name `cxportfolio rules` shows
    if named is not None and named not in PROTECTED_RULES:
        return f"{value.strip()} is the name of {named}: write its code", [named]
    if own is not _NONE and (not KNOWN_RULES or own in KNOWN_RULES):  # `cxp401`: that rule, written otherwise
        return "write the code as `cxportfolio rules` lists it", [own]
    return "a rule code looks like CXP201", ["CXP201"]


def _text(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    if isinstance(value, (bool, int, float)):  # as written: `0301` quoted is "0301", not "301"
        return "quote the value", [written or _written(value) or _NONE, "…"]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        joined = ", ".join(map(str, value))
        return "write it as one text", [joined if len(joined) <= _SEED_MAX else _NONE, "…"]
    own = value if isinstance(value, str) and len(value) <= _SEED_MAX else _NONE
    return "write it as text", [own, "…"]


def _list(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    items = node.get("items", {})
    if isinstance(value, list) or value is None:
        pieces = value or []
    elif isinstance(value, dict) and _kind(_present(items)) == "mapping":  # `allow: {rule: …}`: one item
        pieces = [value]
    elif isinstance(value, dict):  # `addresses: {PP-a: 1}`: the ids are the keys
        pieces = [k for k in value if isinstance(k, str)]
    elif isinstance(value, str) and len(value) <= _SEED_MAX and not re.fullmatch(r"[\d\s,.%+-]*", value):
        # `addresses: PP-a, PP-b`, without brackets; `depends_on: IT-3 IT-4`, ids without commas
        ids = _kind(_present(items)) == "id" and _ids_written_as_one(value)
        pieces = _ID_SEPARATORS.split(value.strip()) if ids else [p.strip() for p in value.split(",")]
    else:
        pieces = [value]
    own = [m for m in (_example_of(items, piece, name) for piece in pieces) if m is not _NONE]
    lead = f"write at least {node['minItems']} in {name}" if isinstance(value, list) else f"write {name} as a list"
    return lead, [own or _NONE, default, [], [_example_of(items, None, name)]]


def _mapping(node: dict[str, Any], value: Any, name: str, default: Any, written: str | None = None) -> Explained:
    # Each required key gets an example: the written value for the first it fits as it is
    # (`allow: [CXP401]` → {rule: CXP401, reason: …}), and a mapping written keeps its own.
    pairs = value if isinstance(value, dict) else {}
    example = {}
    for key in node.get("required", []):
        prop = node["properties"][key]
        if key in pairs:
            own = _example_of(prop, pairs[key], key)
            example[key] = own if own == pairs[key] else _example_of(prop, None, key)
            continue
        own = _example_of(prop, value, key) if value is not None and not pairs else _NONE
        fits = own is not _NONE and own == value and type(own) is type(value)
        example[key] = own if fits else _example_of(prop, None, key)
        value = None if fits else value  # one value written is one key's
    return "write it as a mapping (key: value)", [default, example]


def _example_of(node: dict[str, Any], value: Any, name: str) -> Any:
    """An example of a value inside a list or mapping, from what was written where it fits."""
    node = _present(node)
    kind = _kind(node)
    if kind == "choice":
        choices = node["enum"]
        best = closest(value, [str(c) for c in choices]) if isinstance(value, str) else None
        return next((c for c in choices if str(c) == best), choices[0])
    explain = _EXPLAIN.get(kind or "")
    if explain is None:
        return _NONE
    _, candidates = explain(node, value, name, _NONE)
    found = _first_valid(_validator(node), candidates)
    return found[0] if isinstance(found, _Either) else found  # a value inside another shows one


def _first_valid(validator: Draft202012Validator, candidates: list[Any]) -> Any:
    return next((c for c in candidates if c is not _NONE and (
        all(map(validator.is_valid, c)) if isinstance(c, _Either) else validator.is_valid(c))), _NONE)


def _written(value: Any) -> str | None:
    """A scalar as it was written, if short enough to echo (a number may have 4,300
    digits, a text megabytes)."""
    if isinstance(value, str):
        return value if len(value) <= _SEED_MAX else None
    if isinstance(value, bool) or isinstance(value, float) and math.isfinite(value):
        return _yaml(value) if len(_yaml(value)) <= _SEED_MAX else None
    if isinstance(value, int):
        return str(value) if abs(value) < 10**_SEED_MAX else None
    return None


_EXPLAIN = {"choice": _choice, "number": _number, "period": _period, "date": _date, "id": _id, "rule": _rule,
            "text": _text, "list": _list, "mapping": _mapping}


def merge_key_hint(value: Any, own: Collection[Any] = ()) -> str:
    """`<<: *defaults`, YAML 1.1's merge key: YAML 1.2 reads it as one more key, so removing
    it, or an x- before it, would lose the values it was written to share. `own`: the keys
    the item sets itself, which YAML 1.1 would not merge: written again, they would be
    repeated keys (CXP003), so they are not named."""
    lead = "YAML 1.2 has no merge key: write the keys it would merge in the item itself"
    if not isinstance(value, dict):
        return lead
    left = [(key, one) for key, one in value.items() if key not in own]
    if value and not left:
        return "YAML 1.2 has no merge key, and the item sets each key it holds itself: remove the `<<:`"
    shown = [f"{key}: {_yaml(one)}" for key, one in left[:3] if isinstance(key, str) and len(_yaml(one)) <= _SEED_MAX]
    return f"{lead}, e.g. {' and '.join(shown)}" if shown else lead


def _yaml(value: Any) -> str:
    """The value as it is written in a portfolio file (YAML flow style)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value) if isinstance(value, int) or not float(value).is_integer() else str(int(value))
    if isinstance(value, list):
        return f"[{', '.join(map(_yaml, value))}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text) and resolve_plain(text) == "str":
        return text
    return json.dumps(text, ensure_ascii=False)
