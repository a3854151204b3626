"""Rule documentation lives with the rules; docs/rules.md is generated and never stale."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from cxportfolio.docs import rules_markdown
from cxportfolio.rules import REGISTRY
from cxportfolio.rules.base import Rule, Severity, register

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


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


def _tracked_texts() -> dict[str, str]:
    """Every text file of the checkout that git tracks, but the vendored third-party data."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True)
    if listing.returncode != 0:
        pytest.skip("not a git checkout: the files to read are the repository's")
    texts = {}
    for name in listing.stdout.decode().split("\0"):
        path = REPO / name
        if not name or name.startswith("tests/data/") or not path.is_file() or path.is_symlink():
            continue
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def test_nothing_cites_a_specification_the_repository_does_not_ship() -> None:
    """The docs, the rules' documentation, messages and comments cited "SPEC §9", "the
    spec's format" and the like: a clone has no such document. Each cites the page of the
    repository that says it (SECURITY.md, docs/format.md, docs/ci.md …) instead. SARIF's
    own sections (`SARIF §3.14.14`) are a published standard's."""
    cited = re.compile(r"(?<!SARIF )§\s*\d|\bSPEC\b|(?i:\bthe spec\b|\bspec's\b|\bthe specification\b|"
                       r"\bproduct contract\b)")
    hits = [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
            for name, text in _tracked_texts().items() if name != "tests/test_docs.py"
            for m in cited.finditer(text)]
    assert not hits


def test_no_link_names_a_home_the_project_does_not_have() -> None:
    """The project has no public address yet (pyproject.toml leaves out [project.urls];
    docs/ci.md writes `<org>/cxportfolio` for the reader to fill in). A link naming one
    (SARIF's helpUri, the config schema's rule documentation: github.com/cxportfolio/
    cxportfolio, which does not exist) is a false claim that 404s."""
    made_up = re.compile(r"github\.com/(?!<org>/)[^/\s\"'`)]+/cxportfolio\b")
    hits = [f"{name}: {m.group(0)}" for name, text in _tracked_texts().items() for m in made_up.finditer(text)]
    assert not hits
