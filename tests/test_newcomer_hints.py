"""Stumbles a newcomer hit in a portfolio made by `cxportfolio init`, with a second
initiative copied from the first: each finding must say the fix that works, where it is."""

from __future__ import annotations

from conftest import check, write_portfolio

UNIT = """\
unit: customer-service
initiatives:
  - id: CS-001
    title: Prefill the form
    effort: 6
    status: approved
    planned: 2026-Q2
  - id: CS-002
    title: Call back
    effort: 6
    status: idea
    planned: 2026-Q3
"""


def findings(tmp_path, unit: str, code: str) -> list[tuple[str, str, str, list[tuple[int, int]]]]:
    root = write_portfolio(tmp_path / "p", {"units/customer-service.yaml": unit})
    return [(f"{f.location.line}:{f.location.column}", f.message, f.hint, [(r.line, r.column) for r in f.related])
            for f in check(root).result.findings if f.code == code]


def test_a_key_outdented_to_column_1_inside_an_item_is_said_at_that_key(tmp_path) -> None:
    """`status: idea` moved to column 1 got "indent `planned:` to column 1 like the other
    top-level keys", which left CS-002 without a status and two unknown top-level keys."""
    unit = UNIT.replace("\n    status: idea", "\nstatus: idea")
    [(where, message, hint, related)] = findings(tmp_path, unit, "CXP001")
    assert where == "11:1"
    assert message.startswith("the key `status:` at column 1 has left the item above it, whose keys are at column "
                              "5, so YAML reads it as one of the top-level keys and `planned:` below it as more of "
                              "its value (mapping values are not allowed")
    assert hint == "indent `status:` to column 5 like the other keys of this initiative (it starts at line 8)"
    assert related == [(8, 5), (12, 12)]
    fixed = unit.replace("\nstatus: idea", "\n    status: idea")
    assert findings(tmp_path / "fixed", fixed, "CXP001") == [] and fixed == UNIT


def test_a_key_indented_too_far_still_says_to_indent_it_back(tmp_path) -> None:
    """The hint the outdented key must not take from: `effort:` one space too far."""
    unit = UNIT.replace("\n    effort: 6\n    status: idea", "\n    effort: 6\n     status: idea")
    [(where, _, hint, _)] = findings(tmp_path, unit, "CXP001")
    assert where == "11:12"
    assert hint.startswith("indent `status:` to column 5 like the other keys of this initiative")
