"""JSON Schemas (draft 2020-12) generated from the pydantic models.

`schemas/` in the repository holds these, written by `cxportfolio schema --write schemas/`;
a test fails when the committed files drift from the models.

Every property carries the `description` of its model field and a `markdownDescription`
made from it here (what yaml-language-server shows on hover and in completion): the
description, the allowed values read from the property's own schema, whether it is
required, and its first example as YAML. The examples live in the models
(`Field(examples=...)`) and are left out of the published files: the YAML language server
would print each a second time under the description, and offer invented ids and values
as completions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from cxportfolio.model.config import PROTECTED_RULES, Config
from cxportfolio.model.document import PortfolioDocument
from cxportfolio.model.hints import range_words
from cxportfolio.model.types import DATE_PATTERN, ID_PATTERN, PERIOD_PATTERN, RULE_CODE_PATTERN, YEAR_MAX, YEAR_MIN
from cxportfolio.errors import CxpError
from cxportfolio.writing import replaceable, safe_target, write_all

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS: dict[str, tuple[str, type, str]] = {
    "config": ("config.schema.json", Config, "cxportfolio configuration (cxportfolio.yaml)"),
    "portfolio": ("portfolio.schema.json", PortfolioDocument, "cxportfolio portfolio document"),
}


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, keeping the keys of each example in the order written.

    Its sort rebuilds every mapping but the examples, so the schema it returns shares no
    node with a model's configuration: `_explain` may add to it.
    """

    def sort(self, value: Any, parent_key: str | None = None) -> Any:
        # As pydantic sorts (every mapping's keys but a property list's and a default's),
        # except examples: `{kpi: aht, change: -3}` reads better than `{change: -3, kpi: aht}`.
        if parent_key == "examples":
            return value
        if isinstance(value, list):
            return [self.sort(item, parent_key) for item in value]
        if not isinstance(value, dict):
            return value
        keys = value if parent_key in ("properties", "default") else sorted(value)
        return {key: self.sort(value[key], key) for key in keys}


def json_schema(kind: str, examples: bool = False) -> dict[str, Any]:
    """The published schema; with `examples`, each property keeps its `examples` (for tests)."""
    filename, model, title = SCHEMAS[kind]
    body = model.model_json_schema(mode="validation", schema_generator=_Generator)  # fresh dicts: sorted
    body.pop("title", None)
    if kind == "config":
        _add_rule_options(body)
    _explain(body, body.get("$defs", {}), examples)
    return {"$schema": DRAFT, "$id": f"urn:cxportfolio:schema:{filename}", "title": title, **body}


def _add_rule_options(body: dict[str, Any]) -> None:
    """Spell out each rule's options under `rules:`, so editors complete and check them."""
    from cxportfolio.rules import REGISTRY

    rules = body["properties"]["rules"]
    severity = rules["patternProperties"]["^CXP[0-9]{3}$"]["anyOf"][0]
    properties: dict[str, Any] = {}
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        default = rule.severity.value
        protected = code in PROTECTED_RULES
        # an example that changes something (a protected rule has nothing else to be)
        changed = "error" if protected else "warning" if default == "error" else "error"
        off = ("it is always an error: it cannot be lowered or switched off" if protected
               else "`off` switches the rule off")
        # A protected rule is always an error (check refuses anything else): the editor says so too.
        levels = {**severity, "enum": ["error"]} if protected else severity
        own = {**levels, "description": f"This rule's severity, {default} by default; {off}.",
               "examples": [changed]}
        options = rule.options.model_json_schema(mode="validation", schema_generator=_Generator)
        options = options.get("properties", {})
        for option in options.values():
            option.setdefault("examples", [option["default"]])
        entry = {"type": "object", "additionalProperties": False, "properties": {"severity": own, **options}}
        example = {"severity": changed, **{name: o["default"] for name, o in options.items()}}
        properties[code] = {
            "description": f"{code} {rule.name}: {rule.summary}. Default severity: {default}; "
                           f"`cxportfolio rules {code}` explains it (docs/rules.md)",
            "anyOf": [levels, entry], "examples": [example if options else changed]}
    rules["properties"] = properties
    rules["additionalProperties"] = False
    rules.pop("patternProperties")
    body.get("$defs", {}).pop("RuleEntry", None)


# ------------------------------------------------------------------ markdownDescription

_NOT_SCHEMA = frozenset({"examples", "default", "enum", "const", "required"})  # values, not subschemas
_FEW_KEYS = 7  # a mapping with more keys is described by its required ones only
_CODE_WIDTH = 72  # a longer example is a YAML block rather than one line of code
_YAML11_BOOLEANS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false"})


def _explain(node: Any, defs: dict[str, Any], keep_examples: bool) -> None:
    """Give every property below `node` a markdownDescription (the YAML language server
    shows it on hover and in completion)."""
    if isinstance(node, list):
        for item in node:
            _explain(item, defs, keep_examples)
        return
    if not isinstance(node, dict):
        return
    required = node.get("required", [])
    for name, prop in node.get("properties", {}).items():
        prop.setdefault("markdownDescription", _markdown(name, prop, defs, name in required))
        if not keep_examples:
            prop.pop("examples", None)
    for key, value in node.items():
        if key == "properties":  # names, each of a schema
            _explain(list(value.values()), defs, keep_examples)
        elif key not in _NOT_SCHEMA:
            _explain(value, defs, keep_examples)


def _markdown(name: str, prop: dict[str, Any], defs: dict[str, Any], required: bool) -> str:
    allowed = _allowed(prop, defs)
    if required:
        presence = "Required."
    elif prop.get("default") is not None:
        presence = f"Optional, default `{_flow(prop['default'])}`."
    else:
        presence = "Optional."
    parts = [_sentence(prop.get("description", "")), f"{allowed[:1].upper()}{allowed[1:]}. {presence}"]
    if prop.get("examples"):
        parts.append(_example(name, prop["examples"][0]))
    return "\n\n".join(part for part in parts if part)


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?" and not re.search(r"https://\S+$", text):  # a period would join a link
        text += "."
    return text[:1].upper() + text[1:]


def _allowed(node: dict[str, Any], defs: dict[str, Any]) -> str:
    """What values the schema `node` takes, in words."""
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
    if any(option.get("pattern") == PERIOD_PATTERN for option in options):
        return f"a period: `YYYY`, `YYYY-Qn`, `YYYY-MM` or `YYYY-MM-DD`, in the years {YEAR_MIN}–{YEAR_MAX}"
    if options:
        return " or ".join(_allowed(option, defs) for option in options)
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type")
    if kind == "array":
        count = node.get("minItems"), node.get("maxItems")
        size = (f" of exactly {count[0]}" if count[0] is not None and count[0] == count[1] else
                f" of at least {count[0]}" if count[0] else "")
        return f"a list{size}, each item {_allowed(node.get('items', {}), defs)}"
    if kind == "object":
        return _mapping(node)
    if kind in ("integer", "number"):
        return ("a whole number" if kind == "integer" else "a number") + range_words(node, one_sided="of ")
    pattern = node.get("pattern")
    if pattern == ID_PATTERN:
        return "an id: an ASCII letter, then letters, digits, `_`, `.` or `-`"
    if pattern == DATE_PATTERN:
        return f"a date, `YYYY-MM-DD`, in the years {YEAR_MIN}–{YEAR_MAX}"
    if pattern == RULE_CODE_PATTERN:
        return "a rule code, `CXP` and three digits"
    return "text, not empty" if node.get("minLength") else "text"


def _mapping(node: dict[str, Any]) -> str:
    keys, required = list(node.get("properties", {})), node.get("required", [])
    named = ", ".join(f"`{key}`" for key in required)
    if keys and len(keys) <= _FEW_KEYS:
        listed = ", ".join(f"`{key}`" for key in keys)
        needed = " (all required)" if required == keys else f" ({named} required)" if required else ""
        return f"a mapping of {listed}{needed}"
    return f"a mapping ({named} required)" if required else "a mapping"


def _example(name: str, value: Any) -> str:
    """The example as a line of YAML, or a block when it is long: a list item per line."""
    line = f"{name}: {_flow(value)}"
    if len(line) <= _CODE_WIDTH:
        return f"Example: `{line}`"
    if isinstance(value, list):
        lines = [f"{name}:", *(f"  - {_flow(item)}" for item in value)]
    elif isinstance(value, dict):
        lines = [f"{name}:", *(f"  {key}: {_flow(item)}" for key, item in value.items())]
    else:
        lines = [line]
    return "Example:\n\n```yaml\n" + "\n".join(lines) + "\n```"


def _flow(value: Any) -> str:
    """A value as YAML flow style, as the portfolio files write it (`{kpi: aht, change: -0.3}`)."""
    from cxportfolio.load.yaml_reader import resolve_plain

    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    text = str(value)
    plain = (re.fullmatch(r"[A-Za-z0-9][\w .()/-]*", text) and not text.endswith(" ")
             and resolve_plain(text) == "str" and text.lower() not in _YAML11_BOOLEANS)
    return text if plain else json.dumps(text, ensure_ascii=False)


def render_schema(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path, trusted: Path | None = None) -> list[Path]:
    """Write both schemas into `directory`, all or nothing, never through a link.

    `trusted` is the folder from which on no link may be on the way (default: the
    current directory, for a directory below it; see `safe_target`).
    """
    files = schema_files(directory, trusted)
    write_all(files, trusted)
    return [target for target, _ in files]


def schema_files(directory: Path, trusted: Path | None = None) -> list[tuple[Path, str]]:
    """The schemas to write into `directory`, (path, text): a CxpError first when one of
    them may not be written (a link, or a file that is not a schema cxportfolio wrote)."""
    files = []
    for kind, (filename, _, _) in SCHEMAS.items():
        target = directory / filename
        if not replaceable(safe_target(target, trusted), "schema"):  # SECURITY.md: never a user's file
            raise CxpError(f"{target}: exists and is not a schema cxportfolio wrote; refusing to "
                           "overwrite it (move it away, or write the schemas to another folder)")
        files.append((target, render_schema(kind)))
    return files
