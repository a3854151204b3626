"""JSON Schemas (draft 2020-12) generated from the pydantic models.

`schemas/` in the repository holds these, written by `cxportfolio schema --write schemas/`;
a test fails when the committed files drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxportfolio.model.config import Config
from cxportfolio.model.document import PortfolioDocument

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS: dict[str, tuple[str, type, str]] = {
    "config": ("config.schema.json", Config, "cxportfolio configuration (cxportfolio.yaml)"),
    "portfolio": ("portfolio.schema.json", PortfolioDocument, "cxportfolio portfolio document"),
}


def json_schema(kind: str) -> dict[str, Any]:
    filename, model, title = SCHEMAS[kind]
    body = model.model_json_schema(mode="validation")
    body.pop("title", None)
    if kind == "config":
        _add_rule_options(body)
    return {"$schema": DRAFT, "$id": f"urn:cxportfolio:schema:{filename}", "title": title, **body}


def _add_rule_options(body: dict[str, Any]) -> None:
    """Spell out each rule's options under `rules:`, so editors complete and check them."""
    from cxportfolio.rules import REGISTRY

    rules = body["properties"]["rules"]
    severity = rules["patternProperties"]["^CXP[0-9]{3}$"]["anyOf"][0]
    properties: dict[str, Any] = {}
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        options = rule.options.model_json_schema(mode="validation")
        entry = {"type": "object", "additionalProperties": False,
                 "properties": {"severity": severity, **options.get("properties", {})}}
        properties[code] = {"description": f"{rule.name}: {rule.summary}",
                            "anyOf": [severity, entry]}
    rules["properties"] = properties
    rules["additionalProperties"] = False
    rules.pop("patternProperties")
    body.get("$defs", {}).pop("RuleEntry", None)


def render_schema(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (filename, _, _) in SCHEMAS.items():
        target = directory / filename
        target.write_text(render_schema(kind), encoding="utf-8")
        written.append(target)
    return written
