"""Stumbles a newcomer hit in a portfolio made by `cxportfolio init`, with a second
initiative copied from the first: each finding must say the fix that works, where it is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import check, write_portfolio
from cxportfolio.load.yaml_reader import parse_text

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


def test_a_key_outdented_before_a_comment_or_the_next_item_is_said_at_that_key(tmp_path) -> None:
    """After a value ended by a comment the next key is "not in line" (libyaml: did not find
    expected key), and the first item's last key runs on into the next `- ` item: both
    got the hint to move the line below, not the key that left its item."""
    unit = UNIT.replace("\n    effort: 6\n    status: idea", "\neffort: 6  # weeks\n    status: idea")
    [(where, message, hint, related)] = findings(tmp_path, unit, "CXP001")
    assert where == "10:1"
    assert message.startswith("the key `effort:` at column 1 has left the item above it, whose keys are at column 5, "
                              "so YAML reads it as one of the top-level keys and `status:` below it, still at "
                              "column 5, as out of line (did not find expected key")
    assert hint == "indent `effort:` to column 5 like the other keys of this initiative (it starts at line 8)"
    unit = UNIT.replace("\n    planned: 2026-Q2", "\nplanned: 2026-Q2")
    [(where, message, hint, related)] = findings(tmp_path / "next", unit, "CXP001")
    assert where == "7:1"
    assert "and the item `- id: CS-002` below it as more of its value" in message
    assert hint == "indent `planned:` to column 5 like the other keys of this initiative (it starts at line 3)"


def test_a_key_indented_too_far_still_says_to_indent_it_back(tmp_path) -> None:
    """The hint the outdented key must not take from: `effort:` one space too far."""
    unit = UNIT.replace("\n    effort: 6\n    status: idea", "\n    effort: 6\n     status: idea")
    [(where, _, hint, _)] = findings(tmp_path, unit, "CXP001")
    assert where == "11:12"
    assert hint.startswith("indent `status:` to column 5 like the other keys of this initiative")


def test_a_number_as_an_id_is_quoted_as_written_and_hinted_by_the_ids_around_it(tmp_path) -> None:
    """`- id: 002` under `CS-001` was "got the number 2 … e.g. id: id-002": the number not
    as the file writes it, and an id against the file's own convention (docs/format.md:
    no id is made from a number)."""
    unit = UNIT.replace("- id: CS-002", "- id: 002")
    [(where, message, hint, _)] = findings(tmp_path, unit, "CXP002")
    assert where == "8:9"
    assert message == "id must be text, got the number 002"
    assert hint == "an id is text: write it as the initiatives' ids around it are written ('CS-001'), e.g. id: CS-002"


def test_a_number_as_an_id_makes_no_id_that_is_taken(tmp_path) -> None:
    unit = UNIT.replace("- id: CS-002", "- id: 001")
    [(_, message, hint, _)] = findings(tmp_path, unit, "CXP002")
    assert message == "id must be text, got the number 001"
    assert hint == ("an id is text, not a number: write an id of its own, as the initiatives' ids around it are "
                    "written ('CS-001'), e.g. id: CS-002")
    alone = UNIT.replace("- id: CS-002", "- id: 9").replace("- id: CS-001", "- id: 7")
    hints = {hint for _, _, hint, _ in findings(tmp_path / "alone", alone, "CXP002")}
    assert hints == {"an id is text, not a number: write an id of its own, unique across the portfolio, "
                     "e.g. id: DIG-007"}


UNITS = "units: [{id: a, name: A}, {id: b, name: B}]\njourneys: [{id: j, name: J, stages: [{id: s, name: S}]}]\n" \
    "pain_points: [{id: PP-1, journey: j, stage: s, title: T, severity: 4}]\n"


def _twins(allow: str) -> str:
    """Two units' initiatives alike: a CXP201 about A-1 and B-1, with `allow` on A-1."""
    item = "  - id: {}\n    unit: {}\n    title: Status tracker in the app\n    status: approved\n" \
        "    addresses: [PP-1]\n"
    return "initiatives:\n" + item.format("A-1", "a") + allow + item.format("B-1", "b")


def test_an_allow_naming_a_rule_like_the_finding_s_is_said_refused(tmp_path) -> None:
    """docs/format.md's own example: `rule: CXP210` for CXP201 is refused, and the hint of
    the CXP201 finding then says that the allow was refused. It said nothing of it."""
    root = write_portfolio(tmp_path / "p", {"base.yaml": UNITS, "units/u.yaml": _twins(
        '    allow: [{rule: CXP210, reason: "x"}]\n')})
    found = {f.code: f for f in check(root).result.findings}
    assert found["CXP002"].hint == "did you mean 'CXP201'?"
    assert not found["CXP201"].suppressed
    assert found["CXP201"].hint.endswith(
        "; an allow: on A-1 was refused (see its CXP002 or CXP003): if it was for this finding, correct it")


def test_an_allow_naming_another_rule_is_not_said_to_other_findings(tmp_path) -> None:
    root = write_portfolio(tmp_path / "p", {"base.yaml": UNITS, "units/u.yaml": _twins(
        '    allow: [{rule: CXP402, reason: "x", extra: 1}]\n')})
    [cluster] = [f for f in check(root).result.findings if f.code == "CXP201"]
    assert "refused" not in (cluster.hint or "")


def test_the_last_key_of_the_last_item_outdented_is_told_its_item(tmp_path) -> None:
    """`planned: 2026-Q3`, CS-002's last key, moved to column 1 parses: it was "unknown
    top-level key 'planned'" with the list of top-level keys, though it is an initiative's
    field and CS-002 above it has none."""
    unit = UNIT.replace("\n    planned: 2026-Q3", "\nplanned: 2026-Q3")
    [(where, message, hint, _)] = findings(tmp_path, unit, "CXP002")
    assert (where, message) == ("12:1", "unknown top-level key 'planned'")
    assert hint == ("'planned' is a field of an initiative, not a top-level key: if it belongs to the initiative "
                    "CS-002 above it, indent it to column 5, in line with its other keys (they start at line 8)")
    # CS-002 has a `planned:` already: the key is no field it lost, and the hint names the top-level keys
    doubled = UNIT + "planned: 2026-Q4\n"
    [(_, _, hint, _)] = findings(tmp_path / "doubled", doubled, "CXP002")
    assert hint.startswith("use unit, units, journeys")


def test_a_number_as_a_stage_id_is_hinted_by_the_stages_of_its_journey(tmp_path) -> None:
    """A stage's `id: 3` got `e.g. id: id-3`, as an initiative's did."""
    journeys = ("journeys:\n  - id: j\n    name: J\n    stages:\n      - {id: step-1, name: A}\n"
                "      - {id: step-2, name: B}\n      - {id: 3, name: C}\n")
    root = write_portfolio(tmp_path / "p", {"journeys.yaml": journeys})
    [(message, hint)] = [(f.message, f.hint) for f in check(root).result.findings if f.code == "CXP002"]
    assert message == "stages[2].id must be text, got the number 3 (journey j)"
    assert hint == "an id is text: write it as the stages' ids around it are written ('step-2'), e.g. id: step-3"
    named = journeys.replace("step-1", "discover").replace("step-2", "apply")
    [hint] = [f.hint for f in check(write_portfolio(tmp_path / "q", {"journeys.yaml": named})).result.findings
              if f.code == "CXP002"]
    assert hint == "an id is text, not a number: write an id of its own, unique in its journey"


# Found by a review of this session's hints: each case below was a hint whose fix the
# next check refused, or that named what was not meant.

_EXAMPLE = Path(__file__).resolve().parents[1] / "portfolios" / "nordbank"


def _retail(tmp_path: Path, edit: Callable[[list[str]], None]) -> list[str]:
    """The nordbank example with units/retail.yaml edited, checked: its text output."""
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = tmp_path / "nordbank"
    shutil.copytree(_EXAMPLE, root)
    retail = root / "units" / "retail.yaml"
    lines = retail.read_text(encoding="utf-8").splitlines()
    edit(lines)
    retail.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30"]).stdout.splitlines()


def test_an_item_moved_one_column_left_is_not_a_key_that_left_its_item(tmp_path: Path) -> None:
    """` - id: RET-001`, the `- ` one column too far left, was "the key `id:` at column 4 has
    left the item above it", with a unit's keys in another list as the column to go to."""
    def moved(lines: list[str]) -> None:
        assert lines[12] == "  - id: RET-001"
        lines[12] = " - id: RET-001"

    out = "\n".join(_retail(tmp_path, moved))
    assert "has left the item above it" not in out
    assert "CXP001 [error] `title:` is indented further than the keys above it" in out


def test_a_number_as_an_id_takes_the_convention_of_the_id_nearest_it(tmp_path: Path) -> None:
    """`- id: 3` in retail.yaml was hinted `DIG-003`, another unit's convention, because
    every numbered id of the portfolio was tried until one made a free id."""
    def numbered(lines: list[str]) -> None:
        assert lines[26] == "  - id: RET-002"
        lines[26] = "  - id: 3"

    out = "\n".join(_retail(tmp_path, numbered))
    assert ("help: an id is text, not a number: write an id of its own, as the initiatives' ids around it are "
            "written ('RET-001'), e.g. id: RET-011") in out


def test_a_key_after_a_flow_item_is_not_told_a_column_that_cannot_be(tmp_path: Path) -> None:
    """`planned:` at column 1 after `- {id: RET-099, …}` was told to go to column 6, in line
    with keys inside the braces: that file does not parse."""
    def flow(lines: list[str]) -> None:
        lines += ["  - {id: RET-099, title: Flow one, effort: 2, size: project, status: idea}", "planned: 2026-Q3"]

    out = _retail(tmp_path, flow)
    told = out[out.index(next(line for line in out if line.endswith("unknown top-level key 'planned'"))) + 1]
    assert "indent it to column" not in told and told.strip().startswith("help: use unit, units")


@pytest.mark.parametrize("lines", [
    ["    title: Mortgage tracker", "   effort 10"],  # a key without its ':', not more of the title
    ["    addresses:", "   PP-1"],  # a list key: `addresses: PP-1` is refused next
])
def test_a_line_below_a_key_is_not_joined_to_it_when_that_is_not_the_fix(lines: list[str]) -> None:
    text = "initiatives:\n  - id: I1\n" + "\n".join(lines) + "\n"
    problem = parse_text(text).problems[0]
    assert "join the two lines" not in (problem.hint or "") and "write it after" not in (problem.hint or "")


def test_a_minus_before_a_number_in_a_list_is_not_to_be_deleted() -> None:
    """`[1, - 2]` was told to delete the `-`, which makes -2 into 2."""
    problem = parse_text("unit: retail\nx: [1, - 2]\n").problems[0]
    assert "delete the `-`" not in (problem.hint or "")


@pytest.mark.parametrize("number", ["1e3", ".5", "2.5E1"])
def test_a_number_in_exponent_or_short_form_as_an_id_is_quoted_as_written(tmp_path, number: str) -> None:
    """Found by a helper: `- id: 1e3` was "got the number 1000.0", the float YAML read, not
    the text written (`- id: 002` is already quoted as written)."""
    unit = UNIT.replace("- id: CS-002", f"- id: {number}")
    [(where, message, hint, _)] = findings(tmp_path, unit, "CXP002")
    assert (where, message) == ("8:9", f"id must be text, got the number {number}")
    assert hint == ("an id is text, not a number: write an id of its own, as the initiatives' ids around it are "
                    "written ('CS-001'), e.g. id: CS-002")


def test_a_refused_number_is_quoted_as_written(tmp_path) -> None:
    """Found in review: a number refused where a number goes was named as YAML read it
    (`severity: 3e0` as "3.0", `effort: .inf` as "inf"), where text fields already quote
    it as written."""
    unit = UNIT.replace("    effort: 6\n", "    effort: .inf\n", 1)
    pains = "pain_points:\n  - {id: PP-a, journey: j, stage: s, title: Pain, severity: 3e0}\n"
    root = write_portfolio(tmp_path / "p", {"units/customer-service.yaml": unit, "pain_points.yaml": pains})
    messages = sorted(f.message for f in check(root).result.findings if f.code == "CXP002")
    assert messages == ["effort must be a finite number, got the number .inf (initiative CS-001)",
                        "severity must be a whole number, got the number 3e0 (pain point PP-a)"]


def test_an_unknown_key_in_a_list_item_names_the_item(tmp_path) -> None:
    """`note: after launch` in a block-style measurement was "unknown field 'note' (KPI
    nps-onboarding)", read as a KPI's field, where the same list's other mistakes say
    `measurements[0].period`; a stage's `nmae:` likewise named no stage before the "missing"
    part did. Said at the key still."""
    kpis = """\
        kpis:
          - id: nps-onboarding
            name: NPS, new customers
            kind: experience
            direction: increase
            measurements:
              - period: Q3
                value: 42
              - period: 2025
                value: 41
                note: after launch
        journeys:
          - id: onboarding
            name: Become a customer
            stages:
              - {id: discover, name: Find us}
              - {id: apply, nmae: Apply}
        """
    root = write_portfolio(tmp_path / "p", {"kpis.yaml": kpis})
    said = {(f.location.line, f.location.column): f.message for f in check(root).result.findings
            if f.code == "CXP002"}
    assert said == {
        (7, 17): "measurements[0].period 'Q3' is not valid (KPI nps-onboarding)",
        (11, 9): "unknown field 'note' in measurements[1] (KPI nps-onboarding)",
        (17, 21): "unknown field 'nmae' in stages[1] (journey onboarding); stages[1] is missing required field 'name'"}
    # an entity's own unknown field names no item
    root = write_portfolio(tmp_path / "q", {"kpis.yaml": kpis.replace("direction: increase\n",
                                                                      "direction: increase\n            note: x\n")})
    assert "unknown field 'note' (KPI nps-onboarding)" in [f.message for f in check(root).result.findings]


@pytest.mark.parametrize(("key", "example"), [("initiatives", "units/<unit>.yaml"), ("unit", "units/<unit>.yaml"),
                                              ("kpis", "kpis.yaml"), ("pain_points", "pain_points.yaml")])
def test_a_portfolio_list_in_the_configuration_is_told_to_move(tmp_path, key: str, example: str) -> None:
    """`initiatives: [{id: X-1, …}]` appended to cxportfolio.yaml was told "remove it, or
    prefix it with x-": a hint that throws the work away. It belongs in a document."""
    value = "customer-service" if key == "unit" else "[{id: X-1, title: T, status: idea}]"
    root = write_portfolio(tmp_path / "p", {"units/customer-service.yaml": UNIT},
                           f"year: 2026\n{key}: {value}\n")
    [said] = [f for f in check(root).result.findings if f.location.file == "cxportfolio.yaml"]
    assert (said.code, said.message, said.location.line, said.location.column) == (
        "CXP002", f"unknown field '{key}'", 2, 1)
    assert said.hint == (f"'{key}' belongs in a portfolio document, not in cxportfolio.yaml: move it to another "
                         f".yaml file of the portfolio, e.g. {example}")


def test_a_file_of_another_tool_in_the_folder_is_told_it_is_no_portfolio_document(tmp_path) -> None:
    """`mkdocs.yml` (`site_name: Docs`) in the portfolio's folder was told, key by key, to
    "use unit, units, journeys, …": advice for a portfolio document, which it is not."""
    mkdocs = "site_name: Docs\nnav:\n  - index.md\n"
    root = write_portfolio(tmp_path / "p", {"units/customer-service.yaml": UNIT, "mkdocs.yml": mkdocs})
    said = [(f.location.line, f.message, f.hint) for f in check(root).result.findings if f.location.file == "mkdocs.yml"]
    hint = ("this file does not look like a portfolio document (none of its top-level keys is unit, units, journeys, "
            "pain_points, kpis or initiatives): move it out of the portfolio's folder, or into a hidden folder (a "
            "name starting with `.`), which is not read")
    assert said == [(1, "unknown top-level key 'site_name'", hint), (2, "unknown top-level key 'nav'", hint)]
    # hidden, as docs/format.md says, it is not read
    (root / "mkdocs.yml").unlink()
    write_portfolio(root, {".site/mkdocs.yml": mkdocs}, config=None)
    assert [f for f in check(root).result.findings if "mkdocs" in f.location.file] == []
    # a document with a key of the format keeps the hint that names them
    root = write_portfolio(tmp_path / "q", {"units/customer-service.yaml": UNIT + "site_name: Docs\n"})
    [hint] = [f.hint for f in check(root).result.findings if f.message == "unknown top-level key 'site_name'"]
    assert hint == "use unit, units, journeys, pain_points, kpis, initiatives, or an extension key starting with x-"
