"""Hints for refused values are right (docs/format.md, "Hints").

A hint comes from the refused field's own schema; "did you mean" names only a choice at
least `SIMILARITY` alike, otherwise the valid values or the nearest ids are listed; and
every value a hint shows passes validation when it is put back into the document.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cxportfolio.engine import CheckRun, Selection
from cxportfolio.model.types import SIMILARITY
from cxportfolio.schema import json_schema
from conftest import CONFIG, check, write_portfolio

SCHEMA_ONLY = Selection(select=("CXP002",))


def hints(run: CheckRun, code: str = "CXP002") -> dict[str, str | None]:
    return {f.pointer: f.hint for f in run.result.findings if f.code == code}


# ------------------------------------------------------------- the reported defects

INITIATIVE = "unit: u\ninitiatives:\n  - {id: I-1, title: T, status: idea, %s}\n"
PAIN_POINT = "pain_points:\n  - {id: P-1, journey: j, stage: s, title: T, severity: 3, %s}\n"


@pytest.mark.parametrize(("document", "pointer", "hint"), [
    (INITIATIVE % "planned: 2026-Q5", "/initiatives/0/planned",
     "a year has the quarters Q1–Q4, e.g. planned: 2026-Q4"),
    (INITIATIVE % "planned: Q3 2026", "/initiatives/0/planned",
     "write a period as YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD, e.g. planned: 2026-Q3"),
    (PAIN_POINT.replace("severity: 3, ", "") % "severity: high", "/pain_points/0/severity",
     "severity is a whole number from 1 to 5, e.g. severity: 3"),
    (PAIN_POINT % "reach: 60%", "/pain_points/0/reach",
     "write a share as a fraction from 0 to 1 (60% is 0.6), e.g. reach: 0.6"),
    (INITIATIVE % 'effects: [{kpi: k, change: 1, confidence: "0.7"}]', "/initiatives/0/effects/0/confidence",
     "write the number without quotes, e.g. confidence: 0.7"),
    (INITIATIVE.replace("status: idea, ", "") % "status: yes", "/initiatives/0/status",
     "use one of: idea, proposed, approved, in_progress, done, dropped"),
    (INITIATIVE % "completed: 2026-02-30", "/initiatives/0/completed",
     "February 2026 has 28 days, e.g. completed: 2026-02-28"),
    (INITIATIVE % "effort: lots", "/initiatives/0/effort",
     "write a plain number without quotes or units, e.g. effort: 8"),
    (PAIN_POINT.replace("severity: 3, ", "") % "severity: 7", "/pain_points/0/severity",
     "severity is a whole number from 1 to 5, e.g. severity: 5"),
    (PAIN_POINT % "reach: 60", "/pain_points/0/reach",
     "write a share as a fraction from 0 to 1 (60% is 0.6), e.g. reach: 0.6"),
    ("unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    addresses: PP-a, PP-b\n",
     "/initiatives/0/addresses",
     "write addresses as a list, e.g. addresses: [PP-a, PP-b]"),
    (INITIATIVE % "completed: 30.06.2026", "/initiatives/0/completed",
     "write a date as YYYY-MM-DD, e.g. completed: 2026-06-30"),
    # found by a newcomer: a mapping where a list of mappings goes is its one item (it
    # was taken for a mapping of ids, each key an item), and a text written where a
    # mapping goes is one of its values, not every one
    (INITIATIVE % "allow: {rule: CXP107, reason: ok}", "/initiatives/0/allow",
     "write allow as a list, e.g. allow: [{rule: CXP107, reason: ok}]"),
    (INITIATIVE % "allow: [CXP401]", "/initiatives/0/allow/0",
     'write it as a mapping (key: value), e.g. {rule: CXP401, reason: "…"}'),
    # found by a newcomer making one mistake at a time: the hint joined two ids into one
    # (both lost), and gave a sign-flipped example for a minus pasted from a word processor
    (INITIATIVE % "addresses: [PP-a PP-b]", "/initiatives/0/addresses/0",
     "2 ids written as one: make each its own item (PP-a, PP-b in […], or a `- ` line each), e.g. PP-a"),
    (INITIATIVE % "effects: [{kpi: k, change: −0.6}]", "/initiatives/0/effects/0/change",
     "write the minus as a plain '-': a − or – pasted from a word processor is text, not a sign, e.g. change: -0.6"),
    (INITIATIVE % "effort: –4", "/initiatives/0/effort",
     "write the minus as a plain '-': a − or – pasted from a word processor is text, not a sign; "
     "effort is a number from 0 to 1,000,000,000, e.g. effort: 4"),  # the minus a slip, not the least (0)
    (INITIATIVE % "effort: -4", "/initiatives/0/effort", "effort is a number from 0 to 1,000,000,000, e.g. effort: 4"),
    (INITIATIVE % "effects: [{kpi: k, change: 1, confidence: -0.6}]", "/initiatives/0/effects/0/confidence",
     "confidence is a number from 0 to 1, e.g. confidence: 0.6"),  # not its default, 1: the minus a slip
])
def test_the_hint_is_derived_from_the_fields_own_type_and_range(portfolio, document: str, pointer: str,
                                                               hint: str) -> None:
    run = check(portfolio({"a.yaml": document}), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}


def test_did_you_mean_only_for_a_close_choice(portfolio) -> None:
    document = INITIATIVE.replace("status: idea, ", "")
    close = check(portfolio({"a.yaml": document % "status: in-progress"}), selection=SCHEMA_ONLY)
    assert hints(close) == {"/initiatives/0/status": "did you mean 'in_progress'?"}
    # 'yes' has nothing in common with any status: the valid values are listed instead.
    far = check(portfolio({"a.yaml": document % "status: yes"}), selection=SCHEMA_ONLY)
    assert "did you mean" not in (far.result.findings[0].hint or "")


COMMENTED = "unit: u\ninitiatives:\n  - id: I-1\n    title: {title}\n    status: idea\n    description: # TBD\n"
READ_AS_COMMENT = "YAML read `{}` as a comment (a '#' after a space begins one), so nothing is written: "
QUOTE = READ_AS_COMMENT.format("#1 Ny portal") + "put the text in quotes (or remove the `#`), e.g. title: "


@pytest.mark.parametrize(("document", "hint"), [
    # a title beginning with '#' is a comment: the title is empty, and the hint said
    # `title: "…"` (found by a hunter migrating a spreadsheet's "#1 …" priorities)
    (COMMENTED.format(title="#1 Ny portal"), QUOTE + '"#1 Ny portal"'),
    ("\ufeff" + COMMENTED.format(title="#1 Ny portal").replace("\n", "\r\n"), QUOTE + '"#1 Ny portal"'),
    (COMMENTED.format(title="\t#1 \"Ny\" portal   "),
     QUOTE.replace("#1 Ny portal", '#1 "Ny" portal') + '"#1 \\"Ny\\" portal"'),
    (COMMENTED.format(title="# " + "x" * 60),
     QUOTE.replace("#1 Ny portal", "# " + "x" * 37 + "…") + '"# ' + "x" * 37 + '…"'),
])
def test_a_text_read_as_a_comment_is_told_to_be_quoted(portfolio, document: str, hint: str) -> None:
    # an optional text left empty before a comment (`description: # TBD`) is no CXP002:
    # nothing refuses it (CXP109 warns, below)
    run = check(portfolio({"a.yaml": document}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/initiatives/0/title": hint}


@pytest.mark.parametrize(("document", "pointer", "hint"), [
    # `status: #approved` got the plain list of statuses, as if nothing had been
    # written, and `kpi: #nps` the rules of an id
    (COMMENTED.format(title="T").replace("status: idea", "status: #approved"), "/initiatives/0/status",
     READ_AS_COMMENT.format("#approved") + "remove the `#`, e.g. status: approved"),
    (COMMENTED.format(title="T").replace("status: idea", "status: #aproved"), "/initiatives/0/status",
     READ_AS_COMMENT.format("#aproved") + "remove the `#`; did you mean 'approved'?"),
    (COMMENTED.format(title="T") + "    effects:\n      - kpi: #nps\n        change: 2\n",
     "/initiatives/0/effects/0/kpi", READ_AS_COMMENT.format("#nps") + "remove the `#`, e.g. kpi: nps"),
    (COMMENTED.format(title="T") + "    effects:\n      - kpi: k\n        change: #2 points\n",
     "/initiatives/0/effects/0/change",
     READ_AS_COMMENT.format("#2 points") + "remove the `#`; write the number without units, e.g. change: 2"),
])
def test_a_required_value_read_as_a_comment_is_told_to_remove_the_hash(portfolio, document: str, pointer: str,
                                                                      hint: str) -> None:
    run = check(portfolio({"a.yaml": document}), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}


def test_a_rule_severity_read_as_a_comment_is_told_to_remove_the_hash(portfolio) -> None:
    config = CONFIG + "rules:\n  CXP405: #info\n  CXP001: #warning\n"
    run = check(portfolio({"a.yaml": "units: [{id: u, name: U}]\n"}, config), selection=SCHEMA_ONLY)
    assert hints(run) == {
        "/rules/CXP405": READ_AS_COMMENT.format("#info") + "remove the `#`, e.g. CXP405: info",
        "/rules/CXP001": READ_AS_COMMENT.format("#warning") + "write a severity, e.g. CXP001: error"}


def test_an_optional_value_read_as_a_comment_is_a_warning_not_silence(portfolio) -> None:
    """`effort: #6` passed as an initiative without an effort (its
    priority computed with `missing_effort`), silently, while `title: #1` was an error.
    An optional value may be empty, so it is refused nowhere: CXP109 warns, at the
    value, and says what to write either way."""
    document = COMMENTED.format(title="T") + "    effort: #6\n    size: # quick_win\n"
    run = check(portfolio({"a.yaml": document}))
    assert not [f for f in run.result.findings if f.code == "CXP002"]  # (unit u is not defined: CXP102)
    found = {f.pointer: (f.location.line, f.location.column, f.severity.value, f.message, f.hint)
             for f in run.result.findings if f.code == "CXP109"}
    assert found == {
        "/initiatives/0/effort": (7, 12, "warning",
                                  "`effort: #6` is read as empty: YAML reads `#6` as a comment (initiative I-1)",
                                  "if `#6` is the value, remove the `#`, e.g. effort: 6; if it is a note, put it "
                                  "on a line of its own (effort is optional)"),
        "/initiatives/0/size": (8, 10, "warning",
                                "`size: # quick_win` is read as empty: YAML reads `# quick_win` as a comment "
                                "(initiative I-1)",
                                "if `# quick_win` is the value, remove the `#`, e.g. size: quick_win; if it is a "
                                "note, put it on a line of its own (size is optional)"),
        "/initiatives/0/description": (6, 17, "warning",
                                       "`description: # TBD` is read as empty: YAML reads `# TBD` as a comment "
                                       "(initiative I-1)",
                                       'if `# TBD` is the value, put the text in quotes (or remove the `#`), e.g. '
                                       'description: "# TBD"; if it is a note, put it on a line of its own '
                                       "(description is optional)")}
    # each example, put in place of the comment, is read as written and warns no more
    fixed = document.replace("effort: #6", "effort: 6").replace("size: # quick_win", "size: quick_win") \
        .replace("description: # TBD", 'description: "# TBD"')
    again = check(portfolio({"a.yaml": fixed}))
    assert not [f for f in again.result.findings if f.code in ("CXP002", "CXP109")]
    [initiative] = again.portfolio.initiatives
    assert (initiative.effort, initiative.size, initiative.description) == (6, "quick_win", "# TBD")


def test_every_field_read_as_a_comment_is_said_once(portfolio) -> None:
    """Each field of each kind, written `key: #x` in turn: a required one is a CXP002 whose
    hint names the comment, one that may be empty a CXP109 — never both, never neither."""
    from cxportfolio.model.entities import Initiative, Journey, Kpi, PainPoint, Unit

    base = {Unit: "units:\n  - id: u\n    name: U\n",
            Journey: "journeys:\n  - id: j\n    name: J\n    stages: [{id: s, name: S}]\n",
            PainPoint: "pain_points:\n  - id: P\n    journey: j\n    stage: s\n    title: T\n    severity: 3\n",
            Kpi: "kpis:\n  - id: k\n    name: K\n    kind: outcome\n    direction: increase\n",
            Initiative: "initiatives:\n  - id: I\n    unit: u\n    title: T\n    status: idea\n"}
    for kind, text in base.items():
        for name, field in kind.model_fields.items():
            key = field.alias or name
            if key == "id":
                continue
            lines = [line for line in text.splitlines() if not line.startswith(f"    {key}:")]
            document = "\n".join(lines) + f"\n    {key}: #x\n"
            run = check(portfolio({"a.yaml": document}))
            said = [f for f in run.result.findings if f.code in ("CXP002", "CXP109")
                    and f.pointer.endswith(f"/{key}")]
            assert len(said) == 1, (kind.__name__, key, [(f.code, f.message) for f in run.result.findings])
            assert "`#x`" in (said[0].hint or ""), (kind.__name__, key, said[0].hint)
            assert said[0].code == "CXP002" or not field.is_required(), (kind.__name__, key)  # (a list refuses null)


ENGLISH = " (the values are the file format's English words)"


@pytest.mark.parametrize(("files", "config", "pointer", "hint"), [
    # a Norwegian, Danish or Swedish word for a choice is told the choice, where spelling
    # alone found nothing alike ("use one of: …" before)
    ({"a.yaml": INITIATIVE.replace("status: idea, ", "") % "status: pågår"}, CONFIG,
     "/initiatives/0/status", "did you mean 'in_progress'?" + ENGLISH),
    ({"a.yaml": INITIATIVE.replace("status: idea, ", "") % "status: Ferdig"}, CONFIG,
     "/initiatives/0/status", "did you mean 'done'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: rask gevinst"}, CONFIG, "/initiatives/0/size", "did you mean 'quick_win'?" + ENGLISH),
    ({"a.yaml": "kpis:\n  - {id: k, name: K, kind: upplevelse, direction: increase}\n"}, CONFIG,
     "/kpis/0/kind", "did you mean 'experience'?" + ENGLISH),
    ({"a.yaml": "kpis:\n  - {id: k, name: K, kind: outcome, direction: øke}\n"}, CONFIG,
     "/kpis/0/direction", "did you mean 'increase'?" + ENGLISH),
    # and the English word a writer reaches for first (a newcomer's `direction: down`)
    ({"a.yaml": "kpis:\n  - {id: k, name: K, kind: outcome, direction: down}\n"}, CONFIG,
     "/kpis/0/direction", "did you mean 'decrease'?" + ENGLISH),
    ({"a.yaml": "kpis:\n  - {id: k, name: K, kind: outcome, direction: Higher is better}\n"}, CONFIG,
     "/kpis/0/direction", "did you mean 'increase'?" + ENGLISH),
    ({"a.yaml": PAIN_POINT % "evidence: [{kind: klage, count: 3}]"}, CONFIG,
     "/pain_points/0/evidence/0/kind", "did you mean 'complaint'?" + ENGLISH),
    ({}, CONFIG + "rules:\n  CXP402: advarsel\n", "/rules/CXP402", "did you mean 'warning'?" + ENGLISH),
    # found by a Norwegian newcomer: `size: liten` only listed the choices; the sizes run
    # small (a quick win) to big (a programme)
    ({"a.yaml": INITIATIVE % "size: liten"}, CONFIG, "/initiatives/0/size", "did you mean 'quick_win'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: små"}, CONFIG, "/initiatives/0/size", "did you mean 'quick_win'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: lille"}, CONFIG, "/initiatives/0/size", "did you mean 'quick_win'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: Middels"}, CONFIG, "/initiatives/0/size", "did you mean 'project'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: mellanstor"}, CONFIG, "/initiatives/0/size", "did you mean 'project'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: stor"}, CONFIG, "/initiatives/0/size", "did you mean 'program'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: større"}, CONFIG, "/initiatives/0/size", "did you mean 'program'?" + ENGLISH),
    ({"a.yaml": INITIATIVE % "size: stora"}, CONFIG, "/initiatives/0/size", "did you mean 'program'?" + ENGLISH),
    # a word for a choice the field does not have names none of its own
    ({"a.yaml": INITIATIVE % "size: ferdig"}, CONFIG, "/initiatives/0/size",
     "use one of: quick_win, project, program"),
    # a word that means two things (Swedish "klar" is done, Norwegian "klar" ready) names none
    ({"a.yaml": INITIATIVE.replace("status: idea, ", "") % "status: klar"}, CONFIG, "/initiatives/0/status",
     "use one of: idea, proposed, approved, in_progress, done, dropped"),
])
def test_a_choice_written_in_a_nordic_language_is_named(portfolio, files, config, pointer, hint) -> None:
    run = check(portfolio(files, config), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}


def test_no_nordic_word_means_two_choices() -> None:
    from cxportfolio.model import nordic_words

    words = [word for spelled in nordic_words._WORDS.values() for word in spelled]
    assert len(words) == len(set(words)) == len(nordic_words._MEANING)


UNITS = """\
    units: [{id: u, name: U}]
    journeys: [{id: j, name: J, stages: [{id: s, name: S}]}]
    pain_points:
      - {id: PP-new-card-slow, journey: j, stage: s, title: A, severity: 2}
      - {id: PP-black-hole, journey: j, stage: s, title: B, severity: 2}
      - {id: PP-jargon, journey: j, stage: s, title: C, severity: 2}
      - {id: PP-fees, journey: j, stage: s, title: D, severity: 2}
    initiatives:
      - {id: I-1, title: T, unit: u, status: idea, addresses: [%s]}
"""


def test_an_unknown_id_with_nothing_in_common_gets_the_nearest_ids_not_a_guess(portfolio) -> None:
    run = check(portfolio({"a.yaml": UNITS % "PP-nope"}), selection=Selection(select=("CXP102",)))
    assert hints(run, "CXP102") == {"/initiatives/0/addresses/0": (
        "define the pain point or correct the id; no id is alike, the nearest are "
        "PP-fees, PP-black-hole, PP-jargon")}


def test_an_unknown_id_with_a_typo_gets_did_you_mean(portfolio) -> None:
    run = check(portfolio({"a.yaml": UNITS % "PP-blackhole"}), selection=Selection(select=("CXP102",)))
    assert hints(run, "CXP102") == {"/initiatives/0/addresses/0": "did you mean 'PP-black-hole'?"}


LOOKALIKE_IDS = """\
    units: [{id: u, name: U}]
    initiatives:
      - {id: CS-001, title: A, unit: u, status: idea}
      - {id: CS-002, title: B, unit: u, status: idea}
      - {id: CS-010, title: C, unit: u, status: idea}
      - {id: I-1, title: T, unit: u, status: idea, depends_on: [%s]}
"""


@pytest.mark.parametrize(("written", "hint"), [
    ("CS-OO1", "did you mean 'CS-001'?"),  # letter O for zero: 67% alike, no hint before
    ("CS-00l", "did you mean 'CS-001'?"),  # l for one: CS-001 and CS-002 were named alike
    ("cs-0I0", "did you mean 'CS-010'?"),  # I for one, and the case
    ("CS-O03", "define the initiative or correct the id; no id is alike, the nearest are CS-001, CS-002, "
               "CS-010"),  # no look-alike defined: as before
])
def test_an_unknown_id_written_with_look_alike_characters_gets_the_id(portfolio, written, hint) -> None:
    """Found by a user: `CS-OO1` (letter O) where CS-001 is defined got "no id is alike".
    O and 0, and I, l and 1, are read as each other; between look-alikes, fuzz.ratio decides."""
    run = check(portfolio({"a.yaml": LOOKALIKE_IDS % written}), selection=Selection(select=("CXP102",)))
    assert hints(run, "CXP102") == {"/initiatives/3/depends_on/0": hint}


def test_the_similarity_threshold_is_documented() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "format.md").read_text(encoding="utf-8")
    assert f"at least {SIMILARITY}% alike" in " ".join(docs.replace("*", "").split())


# ------------------------------------------------ every field, typical wrong values

# A portfolio document with every field of the schema, each valid (a field it lacks is
# listed in MISSING, which a test below asserts empty: a new field must be added here).
ALLOW = [{"rule": "CXP201", "reason": "agreed"}]
DOCUMENT: dict[str, Any] = {
    "unit": "u",
    "units": [{"id": "u", "name": "U", "description": "d", "capacity": 10, "allow": ALLOW,
               "goals": [{"kpi": "k", "direction": "increase", "target": 5, "period": 2026}]}],
    "journeys": [{"id": "j", "name": "J", "description": "d", "owner": "u", "volume": 1000, "allow": ALLOW,
                  "stages": [{"id": "s", "name": "S", "completion": 0.9}]}],
    "pain_points": [{"id": "p", "journey": "j", "stage": "s", "title": "T", "description": "d", "severity": 3,
                     "reach": 0.5, "allow": ALLOW, "evidence": [
                         {"kind": "survey", "count": 10, "period": "2026-Q1", "source": "s", "note": "n"}]}],
    "kpis": [{"id": "k", "name": "K", "description": "d", "kind": "outcome", "direction": "increase",
              "unit": "points", "journey": "j", "owner": "u", "baseline": {"period": "2025", "value": 1},
              "target": {"period": "2026", "value": 2}, "measurements": [{"period": "2026-01", "value": 1.5}],
              "drives": ["k"], "tradeoffs": ["k"], "allow": ALLOW}],
    "initiatives": [{"id": "i", "title": "T", "description": "d", "unit": "u", "addresses": ["p"],
                     "effects": [{"kpi": "k", "change": 1, "confidence": 0.5}], "effort": 4, "size": "project",
                     "status": "done", "planned": "2026-Q2", "completed": "2026-03-01",
                     "decided": {"by": "board", "on": "2026-01-15"}, "depends_on": ["i"],
                     "realized": [{"kpi": "k", "change": 1, "period": "2026-05"}], "tags": ["t"],
                     "allow": ALLOW}],
}


def _configuration() -> dict[str, Any]:
    """Every field of the configuration schema, each valid: every rule with its options
    at their defaults, or as a bare severity when it has none."""
    config: dict[str, Any] = {"organization": "O", "year": 2026, "target": {"improvements": 10}, "scoring": {
        "kind_weights": {"outcome": 1.0, "experience": 0.75, "employee": 0.5, "operational": 0.35},
        "unlinked_weight": 0.25, "severity_weights": [0.2, 0.4, 0.6, 0.8, 1.0], "downstream_weight": 1.0,
        "driver_factor": 0.8, "effort_floor": 1.0, "missing_effort": 8.0}}
    rules = json_schema("config")["properties"]["rules"]["properties"]
    config["rules"] = {}
    for code, entry in rules.items():
        options = {name: prop["default"] for name, prop in entry["anyOf"][1]["properties"].items()
                   if name != "severity"}
        config["rules"][code] = {"severity": "warning", **options} if options else "warning"
    return config


CONFIGURATION = _configuration()
Path_ = tuple[str | int, ...]


def _fields(schema: dict[str, Any], node: dict[str, Any], data: Any, path: Path_ = ()) -> list[Path_]:
    """Every field below `node` (a JSON Schema) as a path into `data`; a field that
    `data` lacks is listed in MISSING."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
    node = next((o for o in options if o.get("type") == "object"), options[0]) if isinstance(data, dict) else node
    found: list[Path_] = []
    for name, prop in node.get("properties", {}).items():
        if name not in data:
            MISSING.append(path + (name,))
            continue
        found += [path + (name,), *_fields(schema, prop, data[name], path + (name,))]
    if node.get("type") == "array" and data:
        found += [path + (0,), *_fields(schema, node["items"], data[0], path + (0,))]
    return found


MISSING: list[Path_] = []
DOCUMENT_FIELDS = _fields(json_schema("portfolio"), json_schema("portfolio"), DOCUMENT)
CONFIG_FIELDS = _fields(json_schema("config"), json_schema("config"), CONFIGURATION)

# Typical mistakes: words, percentages, quoted numbers, numbers with units or separators,
# out-of-range numbers, dates and quarters written otherwise, booleans, nothing, lists
# where one value belongs and the other way round, text that is no id.
WRONG_VALUES: list[Any] = [
    "high", "60%", "0.9", "8", "8 weeks", "1,000", "0,5", -1, 0, 7, 1.5, 99999, 10**13,
    "10 000", "12\u00a0500,5", "10k", "1.2M", "€80000", "10 000 kr",
    "2026-Q5", "Q3 2026", "30.06.2026", "2026-02-30", "June 2026", True, None, [1, 2], ["x"],
    "PP nope", "Æble", "", "-",
    "2026-W38", "v. 38 2026", "2025-W53", "2026-T3", "2026-T4", "2026-H2", 20260901,
]


def _set(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _pointer(path: Path_) -> str:
    return "".join(f"/{part}" for part in path)


def _example(hint: str | None, pointer: str, alternative: int = 0) -> str:
    """The value a hint names, as YAML text: 'did you mean', 'use one of' or 'e.g.'; of
    two readings it names (`e.g. effort: 1250 or 1.25`), the `alternative`-th."""
    assert hint, f"{pointer}: no hint"
    if match := re.fullmatch(r"did you mean '(.+)'\?", hint):
        return match.group(1)
    if match := re.search(r"use one of: ([^,]+)", hint):
        return match.group(1)
    match = re.search(r"(?:^|, )e\.g\. (.+)$", hint)
    assert match, f"{pointer}: the hint names no value: {hint!r}"
    example, last = match.group(1), pointer.rsplit("/", 1)[-1]
    if not last.isdigit():  # an item of a list: the example is the item
        name, _, example = example.partition(": ")
        assert name == last, f"{pointer}: the hint's example is for another field: {hint!r}"
    readings = re.fullmatch(r"(\S+) or (\S+)", example)
    return readings.group(1 + alternative) if readings else example


def _refused(run: CheckRun, file: str, pointers: dict[str, Any]) -> dict[str, list[tuple[str, str | None]]]:
    """The CXP002 findings at or below each field's pointer, by field."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    for finding in run.result.findings:
        if finding.code != "CXP002" or finding.location.file != file:
            continue
        for pointer in pointers:
            if finding.pointer == pointer or finding.pointer.startswith(pointer + "/"):
                found.setdefault(pointer, []).append((finding.pointer, finding.hint))
    return found


def _dump(data: Any, examples: dict[str, str]) -> str:
    """YAML of `data`, each placeholder replaced by the example's own text."""
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=10**6)
    for placeholder, example in examples.items():
        text = text.replace(placeholder, example)
    return text


def _document_cases(value: Any) -> tuple[dict[str, Any], dict[str, Path_]]:
    """One copy of an entity per field of its kind, that field holding `value`."""
    data: dict[str, Any] = {"unit": value}
    where: dict[str, Path_] = {"/unit": ("unit",)}
    for path in DOCUMENT_FIELDS:
        if len(path) < 3 or not isinstance(path[1], int):
            continue  # `unit`, and the lists of entities themselves
        kind, field = str(path[0]), path[2:]
        entity = copy.deepcopy(DOCUMENT[kind][0])
        entity["id"] = f"{entity['id']}-{len(data.setdefault(kind, []))}"
        _set(entity, field, copy.deepcopy(value))
        data[kind].append(entity)
        full = (kind, len(data[kind]) - 1, *field)
        where[_pointer(full)] = full
    return data, where


def _nested_apart(paths: list[Path_]) -> list[list[Path_]]:
    """The paths in groups where none lies inside another (each can be set at once)."""
    groups: list[list[Path_]] = []
    for path in sorted(paths, key=len):
        group = next((g for g in groups if not any(path[:len(p)] == p for p in g)), None)
        if group is None:
            groups.append(group := [])
        group.append(path)
    return groups


def _check_examples(root: Path, file: str, data: dict[str, Any], where: dict[str, Path_]) -> int:
    """Check `data` written as `file`, put each hint's example where the value was
    refused, check again: every field must pass — with each of two readings a hint
    names. Returns how many fields refused it."""
    config = None if file == "cxportfolio.yaml" else CONFIG
    run = check(write_portfolio(root, {file: _dump(data, {})}, config), selection=SCHEMA_ONLY)
    refused = _refused(run, file, where)
    for alternative in (0, 1):
        examples: dict[str, str] = {}
        fixed = copy.deepcopy(data)
        two = False  # whether a hint names two readings
        for findings in refused.values():
            pointers = [pointer for pointer, _ in findings]
            for pointer, hint in findings:
                if any(pointer.startswith(outer + "/") for outer in pointers):
                    continue  # the example for the whole list or mapping replaces this one
                placeholder = f"HINT-EXAMPLE-{len(examples)}-END"
                examples[placeholder] = _example(hint, pointer, alternative)
                two = two or examples[placeholder] != _example(hint, pointer, 1 - alternative)
                _set(fixed, tuple(int(p) if p.isdigit() else p for p in pointer.split("/")[1:]), placeholder)
        if alternative and not two:
            break
        again = check(write_portfolio(root, {file: _dump(fixed, examples)}, config), selection=SCHEMA_ONLY)
        # each example is one value's: two measurements given the same example period (`[1,
        # 2]` → `{period: 2026, value: 1}`, `{period: 2026, value: 2}`) are refused together
        # for one value a period, a finding about the list (its hint says to correct one)
        again.result.findings[:] = [f for f in again.result.findings if "repeats the period of" not in f.message]
        still = _refused(again, file, dict.fromkeys(refused))
        assert not still, "\n".join(f"{field}: {refused[field]} → still refused: {findings}"
                                    for field, findings in still.items())
    return len(refused)


@pytest.mark.parametrize("value", WRONG_VALUES, ids=repr)
def test_every_hint_names_a_value_that_passes_validation(tmp_path: Path, value: Any) -> None:
    data, where = _document_cases(value)
    refused = _check_examples(tmp_path / "documents", "p.yaml", data, where)
    for n, group in enumerate(_nested_apart(CONFIG_FIELDS)):
        config = copy.deepcopy(CONFIGURATION)
        for path in group:
            _set(config, path, copy.deepcopy(value))
        refused += _check_examples(tmp_path / f"config{n}", "cxportfolio.yaml", config,
                                   {_pointer(p): p for p in group})
    assert refused >= 10  # the value is wrong for many fields: the test is not vacuous


def test_the_property_covers_every_field_of_both_schemas() -> None:
    assert MISSING == []  # a field new in the schema: add it to DOCUMENT or CONFIGURATION
    assert ("initiatives", 0, "effects", 0, "confidence") in DOCUMENT_FIELDS
    assert ("rules", "CXP405", "days") in CONFIG_FIELDS
    assert len(DOCUMENT_FIELDS) > 80 and len(CONFIG_FIELDS) > 30


@pytest.mark.parametrize(("field", "pointer", "example"), [
    ("status: done# agreed", "/initiatives/0/status", "status: done"),
    ("size: project#big", "/initiatives/0/size", "size: project"),
    ("planned: 2026-Q4#maybe", "/initiatives/0/planned", "planned: 2026-Q4"),
    ("completed: 2026-04-30#roughly", "/initiatives/0/completed", "completed: 2026-04-30"),
    ("depends_on: [I-2#first]", "/initiatives/0/depends_on/0", "I-2"),
])
def test_a_comment_glued_to_any_value_is_named(portfolio, field: str, pointer: str, example: str) -> None:
    """Found by a metamorphic hunt: a comment glued to a number was named (`effort: 12#
    weeks`), but not to a choice, a period, a date or an id: `status: done# agreed` got the
    list of statuses, and `depends_on: [I-2#first]` the id `I-2-first`, which names nothing."""
    document = ("unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: done\n    completed: 2026-01-02\n"
                "    %s\n  - {id: I-2, title: U, status: idea}\n")
    key = field.split(":")[0]
    if key in ("status", "completed"):
        document = document.replace(f"    {key}: ", f"    x-{key}: ", 1)
    run = check(portfolio({"a.yaml": document % field}), selection=SCHEMA_ONLY)
    assert hints(run)[pointer] == f"put a space before the `#`: YAML begins a comment only after a space, e.g. {example}"


@pytest.mark.parametrize(("document", "pointer", "hint"), [
    # found in review: one id written with spaces is not split into words that are no ids
    (INITIATIVE % "addresses: [PP long form]", "/initiatives/0/addresses/0",
     "ids start with an ASCII letter, then ASCII letters, digits, '_', '.' or '-' (no spaces, no æ, ø, å), "
     "e.g. PP-long-form"),
    # a pasted minus with a decimal comma: the example has both the sign and the point
    ("unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    effects:\n      - kpi: k\n"
     "        change: −0,6\n", "/initiatives/0/effects/0/change",
     "write the minus as a plain '-': a − or – pasted from a word processor is text, not a sign, e.g. change: -0.6"),
    # a comment glued to the number is part of the value (was "write the number without units")
    (INITIATIVE.replace("{id: I-1, title: T, status: idea, %s}", "id: I-1\n    title: T\n    status: idea\n    %s")
     % "effort: 12# person-weeks", "/initiatives/0/effort",
     "put a space before the `#`: YAML begins a comment only after a space, e.g. effort: 12"),
])
def test_review_of_the_slip_hints(portfolio, document: str, pointer: str, hint: str) -> None:
    """Found by a newcomer and in review of the session's hints."""
    run = check(portfolio({"a.yaml": document}), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}


_PERIODS = "(a period is YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD)"


@pytest.mark.parametrize(("written", "pointer", "hint"), [
    # a Swedish region's CX lead: a week got "a year has the months 01–12, e.g. planned:
    # 2026-12", a tertial 2026-03, a half-year 2026-02, 20260901 the date 2026-01-01
    ("planned: 2026-W38", "planned", "a week is not a period here: week 38 of 2026 falls in September (by its "
     f"Thursday, as ISO weeks do); write that month {_PERIODS}, e.g. planned: 2026-09"),
    ("planned: v. 38 2026", "planned", "a week is not a period here: week 38 of 2026 falls in September (by its "
     f"Thursday, as ISO weeks do); write that month {_PERIODS}, e.g. planned: 2026-09"),
    ("planned: 2027-W01", "planned", "a week is not a period here: week 1 of 2027 falls in January (by its "
     f"Thursday, as ISO weeks do); write that month {_PERIODS}, e.g. planned: 2027-01"),
    ("planned: 2026-T3", "planned", "a tertial is not a period here: 2026-T3 is September–December, so write the "
     f"month it ends in, so that the period ends when the tertial does {_PERIODS}, e.g. planned: 2026-12"),
    ("planned: 2026-T1", "planned", "a tertial is not a period here: 2026-T1 is January–April, so write the "
     f"month it ends in, so that the period ends when the tertial does {_PERIODS}, e.g. planned: 2026-04"),
    ("planned: T2 2026", "planned", "a tertial is not a period here: 2026-T2 is May–August, so write the "
     f"month it ends in, so that the period ends when the tertial does {_PERIODS}, e.g. planned: 2026-08"),
    ("planned: 2026-H2", "planned", "a half-year is not a period here: 2026-H2 is July–December, so write the "
     f"month it ends in, so that the period ends when the half-year does {_PERIODS}, e.g. planned: 2026-12"),
    ("planned: 2026-H1", "planned", "a half-year is not a period here: 2026-H1 is January–June, so write the "
     f"month it ends in, so that the period ends when the half-year does {_PERIODS}, e.g. planned: 2026-06"),
    ("completed: 20260901", "completed", "write a date as YYYY-MM-DD, e.g. completed: 2026-09-01"),
    ("completed: 2026-W38", "completed",
     "a week is not a date: week 38 of 2026 is 2026-09-14 to 2026-09-20; write the day, e.g. completed: 2026-09-17"),
    ("completed: 2026-T3", "completed",
     "a tertial is not a date: 2026-T3 is September–December; write the day (here its last), "
     "e.g. completed: 2026-12-31"),
    # not a week, tertial or half: a time after the date, a month's name with a v in it
    ("planned: 2026-09-01T10:00", "planned",
     "write a period as YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD, e.g. planned: 2026-09-01"),
    ("planned: Nov 2026", "planned", "write a period as YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD, e.g. planned: 2026-11"),
])
def test_a_week_tertial_or_half_year_is_told_the_month_that_stands_for_it(portfolio, written: str, pointer: str,
                                                                         hint: str) -> None:
    run = check(portfolio({"a.yaml": INITIATIVE % written}), selection=SCHEMA_ONLY)
    assert hints(run) == {f"/initiatives/0/{pointer}": hint}


_PERIOD_HINT = "write a period as YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"


@pytest.mark.parametrize(("written", "example", "first", "last"), [
    # found by a Norwegian newcomer: `2026-K4` was hinted `2026-04` (April, accepted once
    # applied), `4. kvartal 2026` and `1. juli 2027` the year alone
    ("2026-K4", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("K4 2026", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("kvartal 4 2026", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("4. kvartal 2026", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("4. kv. 2026", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("1. juli 2027", "2027-07-01", "2027-07-01", "2027-07-01"),
    ("juli 2027", "2027-07", "2027-07-01", "2027-07-31"),
    ("juni 2027", "2027-06", "2027-06-01", "2027-06-30"),
    ("januari 2027", "2027-01", "2027-01-01", "2027-01-31"),
    ("maj 2027", "2027-05", "2027-05-01", "2027-05-31"),
    ("mai 2027", "2027-05", "2027-05-01", "2027-05-31"),
    ("oktober 2026", "2026-10", "2026-10-01", "2026-10-31"),
    ("desember 2026", "2026-12", "2026-12-01", "2026-12-31"),
    ("december 2026", "2026-12", "2026-12-01", "2026-12-31"),
    ("16. mars 2027", "2027-03-16", "2027-03-16", "2027-03-16"),
    # read right before, and still
    ("1.7.2026", "2026-07-01", "2026-07-01", "2026-07-01"),
    ("Q4 2026", "2026-Q4", "2026-10-01", "2026-12-31"),
])
def test_a_nordic_quarter_or_month_is_told_the_same_period(portfolio, written: str, example: str, first: str,
                                                          last: str) -> None:
    from cxportfolio.analysis.tracking import period_range

    run = check(portfolio({"a.yaml": INITIATIVE % f"planned: {written}"}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/initiatives/0/planned": f"{_PERIOD_HINT}, e.g. planned: {example}"}
    assert tuple(d.isoformat() for d in period_range(example)) == (first, last)  # the period meant
    fixed = check(portfolio({"a.yaml": INITIATIVE % f"planned: {example}"}), selection=SCHEMA_ONLY)
    assert hints(fixed) == {}


@pytest.mark.parametrize(("written", "word", "year"), [
    ("høst 2026", "høst", 2026), ("Vår 2027", "Vår", 2027), ("ca. juli 2027", "ca", 2027),
])
def test_a_period_with_a_word_not_read_gets_no_lossy_example(portfolio, written: str, word: str,
                                                             year: int) -> None:
    run = check(portfolio({"a.yaml": INITIATIVE % f"planned: {written}"}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/initiatives/0/planned":
                          f"{_PERIOD_HINT} (`{word}` is not read here: write the part of {year} it means)"}


@pytest.mark.parametrize("written", ["Q3-Q4 2026", "1.-2. kvartal 2026", "juni–juli 2027", "1.-15. juli 2027",
                                     "2026-2027"])
def test_a_range_gets_no_example_of_one_end(portfolio, written: str) -> None:
    """`Q3-Q4 2026` was hinted `2026-Q3`: either end alone plans another period."""
    run = check(portfolio({"a.yaml": INITIATIVE % f"planned: {written}"}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/initiatives/0/planned":
                          f"{_PERIOD_HINT} (`{written}` names more than one period: write the one meant)"}


ALLOW = "unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    allow:\n      - %s\n"


@pytest.mark.parametrize(("reason", "opening", "closing"), [
    ("“Gemensam leverans, beslutad 2026-03”", "“", "”"),
    ("„Fælles levering, besluttet 2026-03“", "„", "“"),
    # a Swedish region's CX lead: Swedish (”…”, ’…’) and Danish (»…«) quotes got "unknown
    # field … prefix it with x-"
    ("”Gemensam leverans, beslutad 2026-03”", "”", "”"),
    ("»Fælles levering, besluttet 2026-03«", "»", "«"),
    ("«Fælles levering, besluttet 2026-03»", "«", "»"),
    ("’Gemensam leverans, beslutad 2026-03’", "’", "’"),
])
def test_a_text_in_any_nordic_curly_quotes_split_by_a_comma_is_told_to_use_straight_quotes(
        portfolio, reason: str, opening: str, closing: str) -> None:
    run = check(portfolio({"a.yaml": ALLOW % f"{{rule: CXP401, reason: {reason}}}"}), selection=SCHEMA_ONLY)
    both = f"both {opening}" if opening == closing else f"{opening} and {closing}"
    assert hints(run) == {"/initiatives/0/allow/0/reason":
                          f'replace {both} with straight quotes ("), as YAML writes them'}


@pytest.mark.parametrize(("item", "pointer", "hint"), [
    # a Swedish region's CX lead: "unknown field 'tandvårdspatienter'", naming neither the
    # comma nor the value it split
    ("{kpi: NPS, tandvårdspatienter, change: 1}", "/initiatives/0/effects/0/tandvårdspatienter",
     "in {…} a comma ends a value: the text of effects[0].kpi ended at the comma after 'NPS', and the rest "
     'became a key; if it is one text, quote it whole: `kpi: "NPS, tandvårdspatienter"`'),
    ("{kpi: NPS, tandvård, vuxna, change: 1}", "/initiatives/0/effects/0/tandvård",
     "in {…} a comma ends a value: the text of effects[0].kpi ended at the comma after 'NPS', and the rest "
     'became keys; if it is one text, quote it whole: `kpi: "NPS, tandvård, vuxna"`'),
    # a key like a field is a misspelt field, as before
    ("{kpi: k, change: 1, confidnce}", "/initiatives/0/effects/0/confidnce", "did you mean 'confidence'?"),
    # a key after a number, or on a line of its own, is no piece of a text
    ("{kpi: k, change: 1, tandvård}", "/initiatives/0/effects/0/tandvård",
     "remove it, or prefix it with x- to keep it as an extension"),
    ("{kpi: k,\n         tandvård, change: 1}", "/initiatives/0/effects/0/tandvård",
     "remove it, or prefix it with x- to keep it as an extension"),
])
def test_a_comma_that_split_a_text_in_braces_is_named_with_the_text_quoted(portfolio, item: str, pointer: str,
                                                                          hint: str) -> None:
    document = "unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    effects:\n      - %s\n"
    run = check(portfolio({"a.yaml": document % item}), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}


JOURNEY = "journeys:\n  - id: j\n    name: J\n    stages: [{id: s, name: S}]\n    %s\n"


@pytest.mark.parametrize(("written", "example"), [
    ("10 000", "10000"), ("80 000", "80000"), ("12 500", "12500"), ("1 200 000", "1200000"),
    ("10\u00a0000", "10000"), ("10\u202f000", "10000"), ("10\u2009000", "10000"), ("80,000,000", "80000000"),
])
def test_thousands_grouped_by_spaces_keep_their_magnitude(portfolio, written: str, example: str) -> None:
    """Found by a newcomer: `volume: 10 000` (also with a no-break or thin space) got "write a
    plain number without quotes or units, e.g. volume: 8", where `80,000` got the thousands
    separators and its own number; spaces between digit groups are separators too."""
    run = check(portfolio({"a.yaml": JOURNEY % f"volume: {written}"}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/journeys/0/volume": "write the number without thousands separators (or with _), "
                                                f"e.g. volume: {example}"}


@pytest.mark.parametrize(("written", "hint"), [
    ("10k", "write the number in full, without a k or M, e.g. volume: 10000"),
    ("1.2M", "write the number in full, without a k or M, e.g. volume: 1200000"),
    ("€80000", "write the number without units, e.g. volume: 80000"),
    ("80000 €", "write the number without units, e.g. volume: 80000"),
    ("10 000 kr", "write the number without units, e.g. volume: 10000"),
    ("8 weeks", "write the number without units, e.g. volume: 8"),
])
def test_a_k_suffix_or_a_currency_sign_keeps_the_number(portfolio, written: str, hint: str) -> None:
    """Found by a newcomer: `volume: 10k` got "e.g. volume: 10" (the k read as a unit) and
    `€80000` "e.g. volume: 8"; k and M multiply, a currency sign is a unit around the number."""
    run = check(portfolio({"a.yaml": JOURNEY % f"volume: {written}"}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/journeys/0/volume": hint}


_BASE = """\
units: [{id: a, name: A}]
journeys:
  - {id: j, name: J, stages: [{id: s, name: S}]}
pain_points:
  - {id: PP-1, journey: j, stage: s, title: P, severity: 3, evidence: [{kind: survey}]}
kpis:
  - {id: nps, name: NPS, kind: experience, direction: increase}
initiatives:
  - {id: A-0, unit: a, title: Zero, status: idea, addresses: [PP-1]}
"""


@pytest.mark.parametrize("item, key", [
    ("kpis:\n  - {id: k2, name: K, direction: increase§}", "kind"),
    ("kpis:\n  - {id: k2, name: K, kind: outcome§}", "direction"),
    ("kpis:\n  - {id: k2, kind: outcome, direction: increase§}", "name"),
    ("initiatives:\n  - {id: A-1, unit: a, title: One, addresses: [PP-1]§}", "status"),
    ("initiatives:\n  - {id: A-1, unit: a, status: idea, addresses: [PP-1]§}", "title"),
    ("initiatives:\n  - {id: A-1, unit: a, title: One, status: idea, effects: [{kpi: nps§}]}", "change"),
    ("initiatives:\n  - {id: A-1, unit: a, title: One, status: idea, allow: [{rule: CXP401§}]}", "reason"),
    ("pain_points:\n  - {id: PP-2, journey: j, stage: s, title: Q, evidence: [{kind: survey}]§}", "severity"),
])
def test_a_missing_key_hint_gives_a_value_that_passes_where_it_is_added(portfolio, item: str, key: str) -> None:
    """Found by a newcomer: "add `status:`" taken literally is `status:` (null, a second
    CXP002) or, in `{…}`, a key without a value that does not parse (CXP001). § marks
    where the key goes."""
    kind, line = item.split("\n")
    text = _BASE.replace(kind + "\n", kind + "\n" + line + "\n") if kind + "\n" in _BASE else _BASE + item + "\n"
    missing = [f for f in check(portfolio({"base.yaml": text.replace("§", "")})).result.findings
               if f.code == "CXP002" and f"missing required field '{key}'" in f.message]
    assert len(missing) == 1
    added = re.fullmatch(r"add `(\w+): ([^`]+)`(?: \(or [^)]*\))?", missing[0].hint or "")
    assert added and added[1] == key, missing[0].hint
    fixed = text.replace("§", f", {key}: {added[2]}")
    assert [(f.code, f.message) for f in check(portfolio({"base.yaml": fixed})).result.findings
            if f.code in ("CXP001", "CXP002")] == []


def test_a_missing_status_beside_a_completed_date_is_hinted_done(portfolio) -> None:
    """Found by a newcomer: with `completed:` written and `status:` left out, the hint
    said `status: idea` (the first choice), which CXP105 then refused beside the date."""
    item = "  - {id: A-1, unit: a, title: One, addresses: [PP-1], completed: 2026-03-01}\n"
    findings = check(portfolio({"base.yaml": _BASE + item})).result.findings
    [missing] = [f for f in findings if "missing required field 'status'" in f.message]
    assert missing.hint == "add `status: done` (it has a completed date)"
    fixed = _BASE + item.replace("}", ", status: done}")
    assert not [f for f in check(portfolio({"base.yaml": fixed})).result.findings if f.code in ("CXP002", "CXP105")]


# A Norwegian municipality's portfolio, as a spreadsheet's names would be written into it.
_KOMMUNE = """\
unit: oppvekst
units:
  - id: oppvekst
    name: Oppvekst og utdanning
  - id: kultur
    name: Kultur
journeys:
  - id: sfo
    name: Søke SFO-plass
    stages:
      - {id: soke, name: Søke}
      - {id: tilbud, name: Få tilbud}
pain_points:
  - id: PP-venter-svar
    journey: sfo
    stage: tilbud
    title: Foreldre hører ingenting om søknaden
    severity: 4
    evidence: [{kind: complaint, count: 12}]
kpis:
  - id: tilfredshet
    name: Innbyggertilfredshet (prosent fornøyde)
    kind: experience
    direction: increase
  - id: ventetid
    name: Ventetid
    kind: operational
    direction: decrease
initiatives:
  - id: OPP-001
    title: Statusside for søknader
    status: approved
    addresses: [PP-venter-svar]
    effects:
      - kpi: tilfredshet
        change: 5
      - kpi: ventetid
        change: -3
"""


@pytest.mark.parametrize(("written", "pointer", "hint", "example"), [
    ("unit: Oppvekst og utdanning\n", "/unit",
     "that is the name of unit 'oppvekst': write its id, e.g. unit: oppvekst", "unit: oppvekst\n"),
    ("addresses: [Foreldre hører ingenting om søknaden]", "/initiatives/0/addresses/0",
     "that is the title of pain point 'PP-venter-svar': write its id, e.g. PP-venter-svar",
     "addresses: [PP-venter-svar]"),
    ("stage: Få tilbud", "/pain_points/0/stage",
     "that is the name of stage 'tilbud' of journey 'sfo': write its id, e.g. stage: tilbud", "stage: tilbud"),
    ("kpi: innbyggertilfredshet (prosent fornøyde) ", "/initiatives/0/effects/0/kpi",
     "that is the name of KPI 'tilfredshet': write its id, e.g. kpi: tilfredshet", "kpi: tilfredshet"),
    # a name that is a valid id in form is an unknown reference (CXP102, CXP103): told its id too
    ("kpi: Ventetid", "/initiatives/0/effects/1/kpi",
     "that is the name of KPI 'ventetid': write its id, e.g. kpi: ventetid", "kpi: ventetid"),
    ("unit: Kultur\n", "/unit", "that is the name of unit 'kultur': write its id, e.g. unit: kultur",
     "unit: kultur\n"),
    ("stage: Søke", "/pain_points/0/stage",
     "that is the name of stage 'soke' of journey 'sfo': write its id, e.g. stage: soke", "stage: soke"),
])
def test_a_name_written_where_an_id_goes_is_told_the_id_it_names(portfolio, written: str, pointer: str,
                                                                 hint: str, example: str) -> None:
    """Found by a user migrating a spreadsheet: a unit's name, a pain point's title, a
    stage's or a KPI's name written as the reference got a made-up id as the hint
    (`unit: Oppvekst-og-utdanning`), which the next run called unknown (CXP102). The id
    of the entity so named is the hint, and following it leaves nothing refused."""
    original = {"unit: Oppvekst": "unit: oppvekst\n", "addresses:": "addresses: [PP-venter-svar]",
                "stage: ": "stage: tilbud", "kpi: i": "kpi: tilfredshet", "kpi: V": "kpi: ventetid",
                "unit: K": "unit: oppvekst\n", "stage: S": "stage: tilbud"}
    before = next(text for start, text in original.items() if written.startswith(start))
    assert before in _KOMMUNE
    findings = check(portfolio({"oppvekst.yaml": _KOMMUNE.replace(before, written, 1)})).result.findings
    assert [f.hint for f in findings if f.code in ("CXP002", "CXP102", "CXP103") and f.pointer == pointer] == [hint]
    fixed = check(portfolio({"oppvekst.yaml": _KOMMUNE.replace(before, example, 1)})).result.findings
    assert [f.message for f in fixed if f.code in ("CXP001", "CXP002", "CXP102", "CXP103")] == []


@pytest.mark.parametrize(("before", "written", "pointer", "hint"), [
    # the file's own unit first, never the alphabetically first one (found by the last session)
    ("unit: oppvekst\n", "unit: 7\n", "/unit",
     "write the unit's id, not a number: the units are 'oppvekst' (the unit this file is named after) "
     "and 'kultur', e.g. unit: oppvekst"),
    ("    title: Statusside", "    unit: 7\n    title: Statusside", "/initiatives/0/unit",
     "write the unit's id, not a number: the units are 'oppvekst' (this file's unit) and 'kultur', "
     "e.g. unit: oppvekst"),
    ("stage: tilbud", "stage: 2", "/pain_points/0/stage",
     "write the stage's id, not a number: the stages are 'soke' and 'tilbud', e.g. stage: soke"),
    ("kpi: ventetid", "kpi: 2.5", "/initiatives/0/effects/1/kpi",
     "write the KPI's id, not a number: the KPIs are 'tilfredshet' and 'ventetid', e.g. kpi: tilfredshet"),
    # never the initiative's own id (found by a review: following it made a CXP104 cycle)
    ("  - id: OPP-001\n", "  - id: OPP-001\n    depends_on: [1]\n", "/initiatives/0/depends_on/0",
     "write the initiative's id, not a number: no initiative but 'OPP-001' itself is defined yet"),
    ("        change: -3\n", "        change: -3\n  - {id: OPP-011, title: T, status: idea, depends_on: [1]}\n",
     "/initiatives/1/depends_on/0",
     "write the initiative's id, not a number: initiative 'OPP-001' has the number 1, e.g. OPP-001"),
    # a decimal is no id's number: 3.5 was looked up as 3 and hinted OPP-003 (found by the last session)
    ("        change: -3\n", "        change: -3\n  - {id: OPP-003, title: T, status: idea}\n"
     "  - {id: OPP-011, title: T, status: idea, depends_on: [3.5]}\n", "/initiatives/2/depends_on/0",
     "write the initiative's id, not a number: the initiatives are 'OPP-001' and 'OPP-003', e.g. OPP-001"),
    ("        change: -3\n", "        change: -3\n  - {id: OPP-003, title: T, status: idea}\n"
     "  - {id: OPP-011, title: T, status: idea, depends_on: [\"3.50\"]}\n", "/initiatives/2/depends_on/0",
     "write the initiative's id, not a number: the initiatives are 'OPP-001' and 'OPP-003', e.g. OPP-001"),
    ("        change: -3\n", "        change: -3\n  - {id: OPP-003, title: T, status: idea}\n"
     "  - {id: OPP-011, title: T, status: idea, depends_on: [3.0]}\n", "/initiatives/2/depends_on/0",
     "write the initiative's id, not a number: initiative 'OPP-003' has the number 3, e.g. OPP-003"),
])
def test_a_number_written_where_an_id_goes_is_told_the_ids_there_are(portfolio, before: str, written: str,
                                                                     pointer: str, hint: str) -> None:
    """Found by a metamorphic hunt: `unit: 7` was hinted `e.g. unit: unit-7`, an id made
    from the number that names no unit (the next run's CXP102). A number is no name to
    make an id from: the hint names the ids of that kind, those with its number first."""
    assert _KOMMUNE.count(before) == 1
    run = check(portfolio({"oppvekst.yaml": _KOMMUNE.replace(before, written)}), selection=SCHEMA_ONLY)
    assert hints(run)[pointer] == hint


def test_a_number_where_a_files_unit_goes_is_told_the_unit_the_file_defines(portfolio) -> None:
    """`unit: 7` atop units/digital.yaml, which defines the unit digital, was hinted the
    alphabetically first unit (`e.g. unit: advisory`): the unit the file defines is the
    example, named first, the others after it."""
    files = {"tjenester.yaml": "unit: 7\nunits:\n  - {id: kultur, name: Kultur}\n",
             "andre.yaml": "units:\n  - {id: bibliotek, name: Bibliotek}\n  - {id: arkiv, name: Arkiv}\n"}
    assert hints(check(portfolio(files), selection=SCHEMA_ONLY))["/unit"] == (
        "write the unit's id, not a number: the units are 'kultur' (the unit this file defines), 'arkiv' "
        "and 'bibliotek', e.g. unit: kultur")


def test_a_name_that_is_no_entitys_keeps_the_id_made_from_it(portfolio) -> None:
    """A text that names nothing of the kind (a KPI's name where a unit goes) keeps the
    hint made from the text, as before."""
    run = check(portfolio({"oppvekst.yaml": _KOMMUNE.replace("unit: oppvekst\n", "unit: Søke SFO-plass\n", 1)}),
                selection=SCHEMA_ONLY)
    assert hints(run)["/unit"].endswith("e.g. unit: Soke-SFO-plass")


def test_a_name_of_nothing_read_while_a_file_does_not_parse_gets_no_made_up_id(portfolio) -> None:
    """Found by a newcomer: `unit: Digital channels` while the file defining that unit had
    an open quote was told `e.g. unit: Digital-channels`, which the next run called an
    unknown unit; once the file read, the hint named the unit's id."""
    files = {"oppvekst.yaml": _KOMMUNE.replace("unit: oppvekst\n", "unit: Skole og barnehage\n", 1),
             "skole.yaml": 'units:\n  - {id: skole, name: "Skole og barnehage}\n'}
    assert hints(check(portfolio(files), selection=SCHEMA_ONLY))["/unit"] == (
        "write the unit's id here; if this is a unit's name, skole.yaml, which cannot be read (see its CXP001), "
        "may define it")
    initiative = {**files, "oppvekst.yaml": _KOMMUNE.replace("    status: approved\n",
                                                             "    status: approved\n    depends_on: [Ny søkeportal]\n", 1)}
    assert hints(check(portfolio(initiative), selection=SCHEMA_ONLY))["/initiatives/0/depends_on/0"].startswith(
        "write the initiative's id here; if this is an initiative's name, skole.yaml")  # was "a initiative's"
    files["skole.yaml"] = files["skole.yaml"].replace('"Skole og barnehage}', '"Skole og barnehage"}')
    assert hints(check(portfolio(files), selection=SCHEMA_ONLY))["/unit"] == (
        "that is the name of unit 'skole': write its id, e.g. unit: skole")


def test_the_fields_a_name_hint_knows_are_the_references_the_rules_follow(portfolio) -> None:
    """validate.REFERENCE_FIELDS, by which a refused text is looked up as a name, lists
    every reference `iter_references` follows (and the file's `unit:` and a stage)."""
    from cxportfolio.model.document import PortfolioDocument
    from cxportfolio.model.entities import PainPoint
    from cxportfolio.model.portfolio import iter_references
    from cxportfolio.model.validate import REFERENCE_FIELDS

    every = """\
        units: [{id: u, name: U, goals: [{kpi: k, direction: increase}]}]
        journeys: [{id: j, name: J, owner: u, stages: [{id: s, name: S}]}]
        pain_points: [{id: P, journey: j, stage: s, title: T, severity: 3}]
        kpis:
          - {id: k, name: K, kind: outcome, direction: increase, journey: j, owner: u, drives: [k2], tradeoffs: [k2]}
          - {id: k2, name: K2, kind: outcome, direction: increase}
        initiatives:
          - {id: A, unit: u, title: T, status: done, completed: 2026-01-01, addresses: [P],
             effects: [{kpi: k, change: 1}], realized: [{kpi: k, change: 1}], depends_on: [B]}
          - {id: B, unit: u, title: T2, status: idea}
    """
    run = check(portfolio({"all.yaml": every}))
    followed = {(type(entity), tuple(p for p in pointer if isinstance(p, str))): kind.label
                for entity, pointer, _, kind in iter_references(run.portfolio)}
    assert {**followed, (PortfolioDocument, ("unit",)): "unit", (PainPoint, ("stage",)): "stage"} == REFERENCE_FIELDS


@pytest.mark.parametrize(("before", "written", "pointer", "hint"), [
    ("id: OPP-001", "id: OPP–001", "/initiatives/0/id",
     "write the dash as a plain '-': a dash pasted from a word processor (– U+2013) is not '-', e.g. id: OPP-001"),
    ("addresses: [PP-venter-svar]", "addresses: [PP‐venter‐svar]", "/initiatives/0/addresses/0",
     "write each dash as a plain '-': a dash pasted from a word processor (‐ U+2010) is not '-', "
     "e.g. PP-venter-svar"),
    ("kpi: vente-tid", "kpi: vente—tid ", "/initiatives/0/effects/1/kpi",
     "write the dash as a plain '-': a dash pasted from a word processor (— U+2014) is not '-', e.g. kpi: vente-tid"),
    ("addresses: [PP-venter-svar]", "addresses: [PP‐venter svar]", "/initiatives/0/addresses/0",
     "write the dash as a plain '-': a dash pasted from a word processor (‐ U+2010) is not '-'; ids start with an "
     "ASCII letter, then ASCII letters, digits, '_', '.' or '-' (no spaces, no æ, ø, å), e.g. PP-venter-svar"),
])
def test_a_dash_pasted_from_a_word_processor_in_an_id_becomes_a_hyphen(portfolio, before: str, written: str,
                                                                     pointer: str, hint: str) -> None:
    """Found by a user migrating a spreadsheet: `id: OPP–001` (an en dash) got 'e.g. id:
    OPP001' and `[PP‐venter‐svar]` (U+2010) 'e.g. PPventersvar', the dashes dropped, so
    that following the hint gave CXP102. Each dash is '-' in the example, and the hint
    says why the id was refused; the example passes."""
    text = _KOMMUNE.replace("ventetid", "vente-tid")
    assert before in text
    findings = check(portfolio({"oppvekst.yaml": text.replace(before, written, 1)})).result.findings
    assert [f.hint for f in findings if f.code == "CXP002" and f.pointer == pointer] == [hint]
    example = hint.rsplit("e.g. ", 1)[1]
    fixed = text.replace(before, f"addresses: [{example}]" if "addresses" in pointer else example, 1)
    assert [f.message for f in check(portfolio({"oppvekst.yaml": fixed})).result.findings
            if f.code in ("CXP001", "CXP002", "CXP102")] == []


@pytest.mark.parametrize(("written", "pointer", "hint"), [
    # `effort:<NBSP>4` with a ':' added after it, as the syntax error's hint once said
    ("    effort:\u00a04:\n", "/initiatives/0/effort:\u00a04",
     "the key holds a no-break space (U+00A0), which YAML does not read as a space: write normal spaces instead "
     "(`effort: 4`)"),
    ("    effects: [{kpi: tilfredshet, change:\u00a05}]\n", "/initiatives/0/effects/0/change:\u00a05",
     "the key holds a no-break space (U+00A0), which YAML does not read as a space: write normal spaces instead "
     "(`change: 5`)"),
])
def test_a_key_holding_a_no_break_space_says_so_not_did_you_mean(portfolio, written: str, pointer: str,
                                                                 hint: str) -> None:
    """Found by a user migrating a spreadsheet: `effort:<NBSP>4:` got "unknown field
    'effort:\\xa04' … did you mean 'effort'?", and following that left `effort:` empty,
    which passed with the default effort. The no-break space is named, and the key and
    value the hint writes are read as meant."""
    text = _KOMMUNE.replace("    effects:\n      - kpi: tilfredshet\n        change: 5\n      - kpi: ventetid\n"
                            "        change: -3\n", "    effort: 4\n    effects: [{kpi: tilfredshet, change: 5}]\n")
    before = "    effort: 4\n" if "effort" in written else "    effects: [{kpi: tilfredshet, change: 5}]\n"
    assert before in text
    findings = check(portfolio({"oppvekst.yaml": text.replace(before, written)})).result.findings
    assert [f.hint for f in findings if f.code == "CXP002" and f.pointer == pointer] == [hint]
    example = hint.rsplit("(`", 1)[1].rstrip("`)")
    fixed = text.replace(before, written.replace(example.replace(" ", "\u00a0") + (":" if "effort" in written else ""),
                                                 example))
    run = check(portfolio({"oppvekst.yaml": fixed}))
    assert [f.message for f in run.result.findings if f.code in ("CXP001", "CXP002")] == []
    [initiative] = run.portfolio.initiatives
    assert (initiative.effort, initiative.effects[0].change) == (4, 5)


@pytest.mark.parametrize(("written", "pointer", "hint", "fixed"), [
    ("{kpi: tilfredshet, change: 5, confidence: -}", "/initiatives/0/effects/0/confidence",
     "`-` is not a value: if it is not known, remove `confidence:` (it is optional); else write one, "
     "e.g. confidence: 1", "{kpi: tilfredshet, change: 5}"),
    ("{kpi: tilfredshet, change: -}", "/initiatives/0/effects/0/change",
     "`-` is not a value: write the change, e.g. change: 8", "{kpi: tilfredshet, change: 8}"),
])
def test_a_dash_in_braces_is_not_a_value(portfolio, written: str, pointer: str, hint: str,
                                                         fixed: str) -> None:
    """In `{…}` a `-` alone parses, as the text '-' (on a line of its own, or a `?`, it does
    not: CXP001 says so): a field that may be left out is told so, and either fix passes."""
    text = _KOMMUNE.replace("    effects:\n      - kpi: tilfredshet\n        change: 5\n", "    effects:\n      - §\n")
    findings = check(portfolio({"oppvekst.yaml": text.replace("§", written)})).result.findings
    assert [f.hint for f in findings if f.code == "CXP002" and f.pointer == pointer] == [hint]
    assert [f.message for f in check(portfolio({"oppvekst.yaml": text.replace("§", fixed)})).result.findings
            if f.code in ("CXP001", "CXP002")] == []


# ------------------------------------- numbers from a Norwegian spreadsheet, as written

BLOCK = "unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    %s\n"
EVIDENCE = "pain_points:\n  - id: P-1\n    journey: j\n    stage: s\n    title: T\n    severity: 3\n    evidence:\n" \
           "      - kind: complaint\n        count: %s\n"
BASELINE = "kpis:\n  - id: k\n    name: K\n    kind: outcome\n    direction: increase\n    baseline:\n" \
           "      period: 2025\n      value: %s\n"
EFFECT = "unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    effects:\n      - kpi: k\n" \
         "        change: %s\n        confidence: %s\n"


def _followed(text: str, written: str, hint: str | None, pointer: str, alternative: int = 0) -> str:
    """`text` with the value written replaced by the hint's example, as a user following
    the hint literally writes it (of two readings it names, the `alternative`-th: the one
    meant)."""
    example = _example(hint, pointer, alternative)
    assert written in text
    return text.replace(written, example, 1)


def test_a_number_where_text_goes_is_quoted_as_written(portfolio) -> None:
    """Found migrating a Norwegian spreadsheet: `tags: [0301, 1.10]` (a municipality
    number, a version) got `quote the value, e.g. "301"` and `"1.1"`: following the hint
    changed the value. YAML reads them as the numbers 301 and 1.1; the reader keeps how
    they were written, and the hint quotes that."""
    document = BLOCK % "tags: [0301, 1.10]"
    found = hints(check(portfolio({"a.yaml": document}), selection=SCHEMA_ONLY))
    assert found == {"/initiatives/0/tags/0": 'quote the value, e.g. "0301"',
                     "/initiatives/0/tags/1": 'quote the value, e.g. "1.10"'}
    fixed = _followed(document, "0301", found["/initiatives/0/tags/0"], "/initiatives/0/tags/0")
    fixed = _followed(fixed, "1.10", found["/initiatives/0/tags/1"], "/initiatives/0/tags/1")
    again = check(portfolio({"a.yaml": fixed}), selection=SCHEMA_ONLY)
    assert hints(again) == {} and again.portfolio.initiatives[0].tags == ["0301", "1.10"]


def _count(run: CheckRun) -> Any:
    return run.portfolio.pain_points[0].evidence[0].count


def _baseline(run: CheckRun) -> Any:
    return run.portfolio.kpis[0].baseline.value


def _effort(run: CheckRun) -> Any:
    return run.portfolio.initiatives[0].effort


def _change(run: CheckRun) -> Any:
    return run.portfolio.initiatives[0].effects[0].change


def _confidence(run: CheckRun) -> Any:
    return run.portfolio.initiatives[0].effects[0].confidence


def _improvements(run: CheckRun) -> Any:
    assert run.portfolio.config is not None and run.portfolio.config.target is not None
    return run.portfolio.config.target.improvements


@pytest.mark.parametrize(("file", "text", "written", "pointer", "hint", "alternative", "read", "meant"), [
    # a dot before three digits, where a whole number goes: the thousands it separates
    # (was "count: 1" and "improvements: 2"), or both readings when both are whole
    ("a.yaml", EVIDENCE % "1.500", "1.500", "/pain_points/0/evidence/0/count",
     "YAML reads a dot as a decimal point: write the number without thousands separators (or with _), "
     "e.g. count: 1500", 0, _count, 1500),
    ("a.yaml", EVIDENCE % "1.000", "1.000", "/pain_points/0/evidence/0/count",
     "YAML reads a dot as a decimal point: write the number without it if it separates thousands, "
     "e.g. count: 1000 or 1", 0, _count, 1000),
    ("cxportfolio.yaml", "year: 2026\ntarget: {improvements: 1.500}\n", "1.500", "/target/improvements",
     "YAML reads a dot as a decimal point: write the number without thousands separators (or with _), "
     "e.g. improvements: 1500", 0, _improvements, 1500),
    # a decimal comma before three digits (was read as thousands: `effort: 1250`,
    # `change: 1500`, and `confidence: 0,750` got "without thousands separators … e.g. 1")
    ("a.yaml", BLOCK % "effort: 1,250", "1,250", "/initiatives/0/effort",
     "a comma before three digits may separate thousands or decimals: write the number without it, "
     "or with a decimal point, e.g. effort: 1250 or 1.25", 1, _effort, 1.25),
    ("a.yaml", EFFECT % ("1,500", "0.5"), "1,500", "/initiatives/0/effects/0/change",
     "a comma before three digits may separate thousands or decimals: write the number without it, "
     "or with a decimal point, e.g. change: 1500 or 1.5", 1, _change, 1.5),
    ("a.yaml", EFFECT % ("2", "0,750"), "0,750", "/initiatives/0/effects/0/confidence",
     "write decimals with a point, e.g. confidence: 0.75", 0, _confidence, 0.75),
    ("a.yaml", EVIDENCE % "1,500", "1,500", "/pain_points/0/evidence/0/count",
     "write the number without thousands separators (or with _), e.g. count: 1500", 0, _count, 1500),
    # the number written, kept (each was "e.g. …: 8")
    ("a.yaml", BASELINE % "kr 80 000", "kr 80 000", "/kpis/0/baseline/value",
     "write the number without units, e.g. value: 80000", 0, _baseline, 80000),
    ("a.yaml", BASELINE % "NOK 75000", "NOK 75000", "/kpis/0/baseline/value",
     "write the number without units, e.g. value: 75000", 0, _baseline, 75000),
    ("a.yaml", BASELINE % "kr 70.000", "kr 70.000", "/kpis/0/baseline/value",
     "write the number without units, and without the dot if it separates thousands, e.g. value: 70000 or 70",
     0, _baseline, 70000),
    ("a.yaml", JOURNEY % "volume: 1.200.000", "1.200.000", "/journeys/0/volume",
     "write the number without thousands separators (or with _), e.g. volume: 1200000",
     0, lambda run: run.portfolio.journeys[0].volume, 1200000),
    ("a.yaml", BLOCK % "effort: “4”", "“4”", "/initiatives/0/effort",
     "write the number without quotes, e.g. effort: 4", 0, _effort, 4),
    ("a.yaml", BLOCK % "effort: 4,", "4,", "/initiatives/0/effort",
     "write the number without the comma after it, e.g. effort: 4", 0, _effort, 4),
])
def test_a_number_hint_keeps_the_number_written(portfolio, file: str, text: str, written: str, pointer: str,
                                                hint: str, alternative: int, read: Any, meant: Any) -> None:
    """Found migrating a Norwegian spreadsheet: hints that read `1.500` as 1.5 where a
    whole number goes, `1,250` as 1250 where a Norwegian means 1.25, or dropped the number
    written (`kr 80 000`, `1.200.000`, `“4”`, `4,` all got "e.g. …: 8"). Following the
    hint literally — of two readings, the one meant — gives the number meant."""
    config = None if file == "cxportfolio.yaml" else CONFIG
    run = check(portfolio({file: text}, config), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}
    fixed = _followed(text, written, hint, pointer, alternative)
    again = check(portfolio({file: fixed}, config), selection=SCHEMA_ONLY)
    assert hints(again) == {}
    assert read(again) == meant


@pytest.mark.parametrize(("text", "pointer", "hint"), [
    (BLOCK % "effort: ''", "/initiatives/0/effort",
     "effort is empty: remove it (it is optional), or write a number, e.g. effort: 8"),
    (PAIN_POINT % "reach: ''", "/pain_points/0/reach",
     "reach is empty: remove it (the default is 1), or write a number from 0 to 1, e.g. reach: 1"),
    (PAIN_POINT.replace("severity: 3, ", "") % "severity: ''", "/pain_points/0/severity",
     "severity is empty: write a whole number from 1 to 5, e.g. severity: 3"),
    (EFFECT.replace("change: %s", "change:") % "0.5", "/initiatives/0/effects/0/change",
     "change is empty: write a number, e.g. change: 8"),
])
def test_an_empty_number_is_said_to_be_empty(portfolio, text: str, pointer: str, hint: str) -> None:
    """Found migrating a Norwegian spreadsheet: `effort: ''` got "write a plain number
    without quotes or units, e.g. effort: 8", a number it never held, as if read there.
    An empty value is said to be empty, as an empty title is; an optional one may go."""
    run = check(portfolio({"a.yaml": text}), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}
    if "remove it" in hint:  # removed, the key is its default
        key = pointer.rsplit("/", 1)[-1]
        removed = re.sub(rf"(, )?{key}: ''", "", text)
        assert hints(check(portfolio({"a.yaml": removed}), selection=SCHEMA_ONLY)) == {}


@pytest.mark.parametrize("written", ["kr 80 000", "NOK 75000", "€80000", "80 000 kr"])
def test_money_where_effort_goes_is_not_turned_into_person_weeks(written: str) -> None:
    """Found by a newcomer: `capacity: kr 80 000` was hinted `capacity: 80000`, which
    passes as 80,000 person-weeks. A budget is no effort: the hint says what the field is."""
    from cxportfolio.model.entities import Initiative, Unit
    from cxportfolio.model.hints import value_hint

    assert value_hint(Unit, ("capacity",), written) == (
        "capacity counts person-weeks, not money: write the person-weeks, e.g. capacity: 8")
    assert value_hint(Initiative, ("effort",), written).startswith("effort counts person-weeks, not money")


@pytest.mark.parametrize(("before", "written", "pointer", "hint"), [
    ("stage: tilbud", "stage:", "/pain_points/0/stage",
     "write the stage's id: the stages are 'soke' and 'tilbud', e.g. stage: soke"),
    ("stage: tilbud", "stage: ''", "/pain_points/0/stage",
     "write the stage's id: the stages are 'soke' and 'tilbud', e.g. stage: soke"),
    ("    addresses: [PP-venter-svar]\n", "    addresses:\n      -\n      - PP-venter-svar\n",
     "/initiatives/0/addresses/0",
     "write the pain point's id in the empty item, or remove the item: the pain points are 'PP-venter-svar', "
     "e.g. PP-venter-svar"),
])
def test_an_empty_reference_is_told_the_ids_there_are(portfolio, before: str, written: str, pointer: str,
                                                      hint: str) -> None:
    """Found by a metamorphic hunt: an empty `- ` item of `addresses:` was hinted `e.g.
    addresses`, and an empty `stage:` `e.g. stage: stage`: ids made from the field's name,
    which name nothing. The hint names the ids of the kind the field takes."""
    assert _KOMMUNE.count(before) == 1
    run = check(portfolio({"oppvekst.yaml": _KOMMUNE.replace(before, written)}), selection=SCHEMA_ONLY)
    assert hints(run)[pointer] == hint


@pytest.mark.parametrize(("files", "config", "hint"), [
    ({}, "year: 2026\ntarget:\nimprovements: 50\n",
     "'improvements' is a field of `target:`: indent it under `target:`"),
    ({"a.yaml": "initiatives:\n  - {id: I-1, unit: u, title: T, status: idea, effects: [{kpi: k, change: 2}], "
                "confidence: 0.7}\n"},
     None, "'confidence' is a field of each item of `effects:`: write it in the item it belongs to"),
])
def test_a_key_written_out_of_the_mapping_it_belongs_to_is_told_where(portfolio, files, config, hint) -> None:
    """Found by a metamorphic hunt: `improvements: 50` written at column 1 under an empty
    `target:` was told "remove it, or prefix it with x- to keep it as an extension"; it
    is a field of `target:`, which it belongs under."""
    root = portfolio(files, config) if config else portfolio(files)
    [said] = [f for f in check(root, selection=SCHEMA_ONLY).result.findings if "unknown field" in f.message]
    assert said.hint == hint


@pytest.mark.parametrize(("decided", "line"), [
    ("    decided: {on: 2026-01-15}\n    by: styret\n", 34),
    ("    decided:\n      on: 2026-01-15\n    by: styret\n", 35),
    ("    by: styret\n    decided:\n      on: 2026-01-15\n", 33),
])
def test_a_required_key_written_beside_its_mapping_is_one_finding(portfolio, decided: str, line: int) -> None:
    """Found by the last session: `by:` dedented out of `decided:` was two findings, one
    mistake: `decided is missing required field 'by'` and `unknown field 'by'`. One now,
    at the key as written (what to move), saying both."""
    text = _KOMMUNE.replace("    status: approved\n", "    status: approved\n" + decided, 1)
    said = [(f.location.line, f.location.column, f.message, f.hint)
            for f in check(portfolio({"oppvekst.yaml": text}), selection=SCHEMA_ONLY).result.findings]
    assert said == [(line, 5, "field 'by' of decided is written outside it (initiative OPP-001): decided is missing "
                              "required field 'by'", "'by' is a field of `decided:`: indent it under `decided:`")]


@pytest.mark.parametrize(("config", "hint"), [
    ("year: 2026\nrules:\n  CXP402: false\n", 'to switch the rule off, write `off`, e.g. CXP402: "off"'),
    ("year: 2026\nrules:\n  CXP402: error\nCXP405: {days: 90}\n",
     "'CXP405' is a rule: its setting goes under `rules:`, indented"),
])
def test_a_rule_setting_written_as_another_value_is_told_the_one_meant(portfolio, config: str, hint: str) -> None:
    """Found by a metamorphic hunt: `CXP402: false` (YAML 1.1's off) was hinted `e.g.
    CXP402: warning`, and a rule's entry written at column 1, out of `rules:`, "remove it,
    or prefix it with x- to keep it as an extension"."""
    [said] = [f for f in check(portfolio({}, config), selection=SCHEMA_ONLY).result.findings if f.code == "CXP002"]
    assert said.hint == hint


def test_the_required_keys_a_merge_key_holds_are_one_finding_with_it(portfolio) -> None:
    """Found by a metamorphic hunt: `- {<<: *k, id: k2}` (YAML 1.1's merge key, which YAML
    1.2 does not have) was four findings, the unknown `<<` and each required key it holds
    as missing; one mistake, one finding, at the `<<`."""
    text = ("kpis:\n  - &k {id: k, name: K, kind: outcome, direction: increase}\n"
            "  - {<<: *k, id: k2}\n  - {<<: *k, id: k3, name: K3, kind: outcome}\n")
    said = [(f.location.line, f.message) for f in check(portfolio({"a.yaml": text}), selection=SCHEMA_ONLY).result.findings]
    assert said == [(3, "unknown field '<<' (KPI k2); required fields 'name', 'kind', 'direction' it holds are missing"),
                    (4, "unknown field '<<' (KPI k3); required field 'direction' it holds is missing")]


def test_a_merge_key_hint_names_only_the_keys_the_item_does_not_set(portfolio) -> None:
    """Found by a newcomer: `- {<<: *base, id: CS-003, title: Third}` was told "e.g. id:
    CS-010 and title: Second and status: idea": following it gave CS-003 a second id and
    title (CXP003). YAML 1.1 would merge only the keys the item does not set itself."""
    text = ("unit: u\ninitiatives:\n  - &base {id: CS-010, title: Second, status: idea}\n"
            "  - {<<: *base, id: CS-003, title: Third}\n  - {<<: *base, id: CS-004, title: Fourth, status: idea}\n")
    said = [(f.location.line, f.location.column, f.hint) for f in
            check(portfolio({"a.yaml": text}), selection=SCHEMA_ONLY).result.findings]
    assert said == [
        (4, 6, "YAML 1.2 has no merge key: write the keys it would merge in the item itself, e.g. status: idea"),
        (5, 6, "YAML 1.2 has no merge key, and the item sets each key it holds itself: remove the `<<:`")]


@pytest.mark.parametrize(("written", "pointer", "hint"), [
    ("depends_on: I-2 I-3", "/initiatives/0/depends_on",
     "write depends_on as a list, e.g. depends_on: [I-2, I-3]"),
    ("depends_on: [I-2; I-3]", "/initiatives/0/depends_on/0",
     "2 ids written as one: make each its own item (I-2, I-3 in […], or a `- ` line each), e.g. I-2"),
])
def test_ids_written_without_commas_are_told_apart(portfolio, written: str, pointer: str, hint: str) -> None:
    """Found by a metamorphic hunt: `depends_on: IT-003 IT-004` was hinted `e.g. depends_on:
    [IT-003-IT-004]`, and `[IT-003; IT-004]` `e.g. IT-003-IT-004`: one id made of two, which
    names nothing."""
    document = ("unit: u\ninitiatives:\n  - id: I-1\n    title: T\n    status: idea\n    %s\n"
                "  - {id: I-2, title: U, status: idea}\n  - {id: I-3, title: V, status: idea}\n")
    run = check(portfolio({"a.yaml": document % written}), selection=SCHEMA_ONLY)
    assert hints(run)[pointer] == hint


def test_an_item_with_a_key_written_twice_keeps_the_hints_that_read_its_layout(portfolio) -> None:
    """Found in review of the repeated-key change: an item holding a key written twice was
    validated as a copy without the positions that tell `{…}` from block style, so a text
    split at its comma in the same item got "remove it, or prefix it with x-" instead of
    the hint to quote it."""
    text = ("units:\n  - {id: a, name: A}\ninitiatives:\n"
            "  - {id: I1, unit: a, title: Ny portal, for alle, status: idea, status: done}\n")
    run = check(portfolio({"a.yaml": text}), selection=SCHEMA_ONLY)
    assert hints(run)["/initiatives/0/for alle"].startswith("in {…} a comma ends a value: the text of title ended")


WRAPPED = """\
unit: u
initiatives:
  - id: I-1
%s
    title: T
    status: idea
"""
REST = "; if it is the rest of the comment on line 4, put a `#` before it"


@pytest.mark.parametrize(("lines", "pointer", "hint"), [
    # found by a Norwegian newcomer: a comment wrapped so that its second part, holding a
    # colon, is the next line was told only "remove it, or prefix it with x-"
    ("    # Merk: tiltaket ble godkjent etter høringen, se styringsgruppens\n    vedtak: 2026-11-20",
     "/initiatives/0/vedtak", "remove it, or prefix it with x- to keep it as an extension" + REST),
    # not at the comment's column: another block
    ("  # Merk: se styringsgruppens\n    vedtak: 2026-11-20",
     "/initiatives/0/vedtak", "remove it, or prefix it with x- to keep it as an extension"),
    # not right below it
    ("    # Merk: se styringsgruppens\n    effort: 3\n    vedtak: 2026-11-20",
     "/initiatives/0/vedtak", "remove it, or prefix it with x- to keep it as an extension"),
    # a field misspelt below a comment is that field
    ("    # Merk: se planen\n    planed: 2026-Q4", "/initiatives/0/planed", "did you mean 'planned'?"),
])
def test_a_key_right_below_a_comment_may_be_its_rest(portfolio, lines: str, pointer: str, hint: str) -> None:
    run = check(portfolio({"a.yaml": WRAPPED % lines}), selection=SCHEMA_ONLY)
    assert hints(run) == {pointer: hint}


def test_a_top_level_key_right_below_a_comment_may_be_its_rest(portfolio) -> None:
    run = check(portfolio({"a.yaml": "unit: u\n# Vi venter på\nbeslutning: i styret\n"}), selection=SCHEMA_ONLY)
    assert hints(run) == {"/beslutning": "use unit, units, journeys, pain_points, kpis, initiatives, or an "
                                         "extension key starting with x-; if it is the rest of the comment on "
                                         "line 2, put a `#` before it"}


def test_a_setting_right_below_a_comment_may_be_its_rest(portfolio) -> None:
    run = check(portfolio({}, CONFIG + "# Mål satt av\nstyringsgruppen: 2026\n"), selection=SCHEMA_ONLY)
    line = (CONFIG + "# Mål satt av\n").count("\n")
    assert hints(run) == {"/styringsgruppen": "remove it, or prefix it with x- to keep it as an extension; if it is "
                                              f"the rest of the comment on line {line}, put a `#` before it"}


@pytest.mark.parametrize(("value", "hint"), [
    ("[u]", "write one id as text, not a list, e.g. unit: u"),
    ("{u: 1}", "write one id as text, not a mapping, e.g. unit: u"),
    ("[møre lån]", "write one id as text, not a list, e.g. unit: more-lan"),
    ("[]", "write one id as text, not a list, e.g. unit: unit-1"),
])
def test_one_id_written_as_a_list_or_a_mapping_is_told_so(portfolio, value: str, hint: str) -> None:
    """Found by a newcomer: `journey: [mortgage]` was told how ids are spelled ("ids start
    with an ASCII letter…"), though `mortgage` is one, and `{mortgage: 1}` the example
    `journey: journey`. What is wrong is the brackets: one id is wanted, as text."""
    run = check(portfolio({"a.yaml": f"units: [{{id: u, name: U}}]\ninitiatives:\n"
                                     f"  - {{id: I-1, title: T, status: idea, unit: {value}}}\n"}),
                selection=SCHEMA_ONLY)
    assert hints(run) == {"/initiatives/0/unit": hint}
