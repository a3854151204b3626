"""Rule documentation lives with the rules; docs/rules.md is generated and never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxportfolio.docs import rules_markdown
from cxportfolio.rules import REGISTRY
from cxportfolio.rules.base import Rule, Severity, register

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_rules_md_is_up_to_date() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `cxportfolio rules --markdown > docs/rules.md`")


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_rule_documents_why_example_and_fix(code: str) -> None:
    doc = REGISTRY[code].doc
    for section in ("**Why**", "**Example**", "**Fix**"):
        assert section in doc, f"{code} lacks {section}"
    assert code in doc, f"{code}'s example should show the finding it produces"


def test_spec_catalogue_codes_are_registered_with_spec_names() -> None:
    expected = {"CXP001": "yaml-syntax", "CXP002": "schema", "CXP003": "duplicate-key",
                "CXP101": "duplicate-id", "CXP102": "unknown-reference", "CXP103": "unknown-stage",
                "CXP104": "dependency-cycle", "CXP105": "status-date", "CXP106": "driver-cycle"}
    assert {code: REGISTRY[code].name for code in expected} == expected


def test_registry_refuses_malformed_and_repeated_codes() -> None:
    with pytest.raises(ValueError, match="malformed"):
        register(Rule("CX1", "bad-code", Severity.ERROR, "x", ""))
    with pytest.raises(ValueError, match="twice"):
        register(Rule("CXP101", "another-name", Severity.ERROR, "x", ""))
