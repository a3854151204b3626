"""The published JSON Schemas: generated from the models, never drifting, agreeing with them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from cxportfolio.load.yaml_reader import read_yaml
from cxportfolio.model.config import Config
from cxportfolio.model.document import PortfolioDocument
from cxportfolio.schema import SCHEMAS, json_schema, render_schema

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "schemas"


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_matches_models(kind: str) -> None:
    committed = (SCHEMA_DIR / SCHEMAS[kind][0]).read_text(encoding="utf-8")
    assert committed == render_schema(kind), (
        "schemas/ is stale: run `cxportfolio schema --write schemas/`")


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema(kind))


def _examples() -> list[Path]:
    return sorted(p for p in (REPO / "portfolios").rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


@pytest.mark.parametrize("path", _examples(), ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_files_validate_and_declare_their_schema(path: Path) -> None:
    kind = "config" if path.name == "cxportfolio.yaml" else "portfolio"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema_path = (path.parent / first.split("=", 1)[1]).resolve()
    assert schema_path == (SCHEMA_DIR / SCHEMAS[kind][0]).resolve()
    validator = jsonschema.Draft202012Validator(json_schema(kind),
                                                format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(read_yaml(text.encode()).data)]
    assert errors == []


@pytest.mark.parametrize("example", ["nordbank", "welfare-agency"])
def test_a_copy_of_an_example_elsewhere_gets_its_schemas_in_the_step_the_docs_give(tmp_path: Path,
                                                                                  example: str) -> None:
    """Found by a re-read: a copy of an example outside the repository keeps first lines
    pointing at the repository's schemas/, two folders above the copy, so the editor
    checks nothing. docs/editor.md and docs/format.md give the step: `schema --write
    schemas/` at the copy's root and two `../` fewer on each first line. Each line then
    names the copy's own schema, and check reads the copy as before."""
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    copy = tmp_path / example
    shutil.copytree(REPO / "portfolios" / example, copy)
    runner = CliRunner()
    before = runner.invoke(cli, ["check", str(copy), "--as-of", "2026-11-24", "--format", "json"])
    assert runner.invoke(cli, ["schema", "--write", str(copy / "schemas")]).exit_code == 0
    files = sorted(p for p in copy.rglob("*.yaml"))
    assert len(files) > 5
    for path in files:
        first, rest = path.read_text(encoding="utf-8").split("\n", 1)
        assert first.startswith("# yaml-language-server: $schema=../../"), path
        first = first.replace("$schema=../../", "$schema=", 1)
        path.write_text(f"{first}\n{rest}", encoding="utf-8")
        kind = "config" if path.name == "cxportfolio.yaml" else "portfolio"
        target = path.parent / first.split("=", 1)[1]
        assert target.resolve() == (copy / "schemas" / SCHEMAS[kind][0]).resolve(), path
        assert target.read_text(encoding="utf-8") == render_schema(kind)
    after = runner.invoke(cli, ["check", str(copy), "--as-of", "2026-11-24", "--format", "json"])
    assert (after.exit_code, after.stdout) == (before.exit_code, before.stdout)


# Documents generated around the valid shape, with a few typical mistakes mixed in:
# jsonschema (what editors use) and pydantic (what `check` uses) must agree on each.
_ids = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_.-]{0,6}\Z") | st.sampled_from(["9lives", "has space", ""])
_numbers = st.integers(-5, 200) | st.floats(-5, 200, allow_nan=False) | st.sampled_from(["8", True, None])
_share = st.floats(-0.5, 1.5, allow_nan=False) | st.sampled_from([0, 1, "0.5"])
_period = st.sampled_from([2026, "2026", "2026-Q2", "2026-05", "2026-05-14", "2026-Q5", "26", 20260])
_status = st.sampled_from(["idea", "proposed", "approved", "in_progress", "done", "dropped", "Done"])


def _maybe(d: dict[str, Any], optional: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    return st.fixed_dictionaries(d, optional=optional)


_effect = _maybe({"kpi": _ids, "change": _numbers}, {"confidence": _share, "x-note": st.text(max_size=3)})
_initiative = _maybe(
    {"id": _ids, "title": st.text(max_size=5) | st.just(False), "status": _status},
    {"unit": _ids, "addresses": st.lists(_ids, max_size=2), "effects": st.lists(_effect, max_size=2),
     "effort": _numbers, "size": st.sampled_from(["quick_win", "project", "program", "big"]),
     "planned": _period, "completed": st.sampled_from(["2026-05-14", "2026-02-30", 2026, "14.05.2026"]),
     "depends_on": st.lists(_ids, max_size=2), "tags": st.lists(st.text(max_size=3), max_size=2),
     "allow": st.lists(_maybe({"rule": st.sampled_from(["CXP201", "CX1"]), "reason": st.text(max_size=3)}, {}),
                       max_size=1),
     "statuss": st.just("typo")})
_stage = _maybe({"id": _ids, "name": st.text(min_size=1, max_size=3)}, {"completion": _share})
_journey = _maybe({"id": _ids, "name": st.text(max_size=3), "stages": st.lists(_stage, max_size=2)},
                  {"volume": _numbers, "owner": _ids})
_pain = _maybe({"id": _ids, "journey": _ids, "stage": _ids, "title": st.text(max_size=3),
                "severity": st.integers(0, 6) | st.just(2.5)},
               {"reach": _share, "evidence": st.lists(_maybe(
                   {"kind": st.sampled_from(["survey", "nps", "assumption", "gut"])},
                   {"count": st.integers(-1, 5), "period": _period}), max_size=2)})
_measure = _maybe({"period": _period, "value": _numbers}, {})
_kpi = _maybe({"id": _ids, "name": st.text(max_size=3),
               "kind": st.sampled_from(["outcome", "experience", "operational", "employee", "vanity"]),
               "direction": st.sampled_from(["increase", "decrease", "up"])},
              {"baseline": _measure, "measurements": st.lists(_measure, max_size=2),
               "drives": st.lists(_ids, max_size=2)})
_document = _maybe({}, {"unit": _ids, "units": st.lists(_maybe(
    {"id": _ids, "name": st.text(max_size=3)}, {"capacity": _numbers}), max_size=2),
    "journeys": st.lists(_journey, max_size=2), "pain_points": st.lists(_pain, max_size=2),
    "kpis": st.lists(_kpi, max_size=2), "initiatives": st.lists(_initiative, max_size=3),
    "x-anything": st.integers()})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document)
def test_schema_and_model_agree(document: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(json_schema("portfolio"),
                                                format_checker=jsonschema.FormatChecker())
    schema_ok = validator.is_valid(json.loads(json.dumps(document)))
    try:
        PortfolioDocument.model_validate(document)
        model_ok = True
    except ValidationError:
        model_ok = False
    if schema_ok and _repeats_a_period(document):
        # one value a period (Kpi._one_value_a_period) is a check JSON Schema cannot state
        # (no uniqueness by a key): the model refuses it alone (docs/format.md says so)
        assert not model_ok, document
        return
    assert schema_ok == model_ok, document


def _repeats_a_period(document: dict[str, Any]) -> bool:
    """Whether a KPI gives two measurements one period (`2026` and "2026" are one)."""
    for kpi in document.get("kpis", []):
        periods = [str(m["period"]) for m in kpi.get("measurements", [])]
        if len(set(periods)) < len(periods):
            return True
    return False


# Every property explained for editors without the language server: the YAML language
# server shows `markdownDescription` on hover and in completion, `description` elsewhere.

def _properties(node: Any, path: str = "") -> list[tuple[str, str, dict[str, Any]]]:
    """(path, name, schema) of every property anywhere in a schema, `$defs` and rules' options included."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    if isinstance(node, list):
        for item in node:
            found += _properties(item, path)
    elif isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((f"{path}/{name}", name, prop))
        for key, value in node.items():
            if key not in ("examples", "default", "enum"):
                found += _properties(value, f"{path}/{key}" if key != "properties" else path)
    return found


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_property_has_a_description_and_markdown_with_an_example(kind: str) -> None:
    properties = _properties(json_schema(kind))
    assert len(properties) > 70  # the walk reaches $defs and every rule's options
    lacking = [path for path, _, prop in properties
               if not prop.get("description") or not prop.get("markdownDescription")]
    assert lacking == []
    no_example = [path for path, name, prop in properties if f"{name}:" not in prop["markdownDescription"]]
    assert no_example == []
    extension = json_schema(kind)["patternProperties"]["^x-"]
    assert extension["description"] and "`x-" in extension["markdownDescription"]


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_published_schema_leaves_examples_to_the_markdown(kind: str) -> None:
    # yaml-language-server would print `examples` a second time on hover and offer their
    # made-up ids as completions.
    assert [path for path, _, prop in _properties(json_schema(kind)) if "examples" in prop] == []


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_example_is_valid_for_its_property(kind: str) -> None:
    schema = json_schema(kind, examples=True)
    invalid, missing = [], []
    for path, _, prop in _properties(schema):
        if not prop.get("examples"):
            missing.append(path)
        validator = jsonschema.Draft202012Validator({**prop, "$defs": schema.get("$defs", {})},
                                                    format_checker=jsonschema.FormatChecker())
        invalid += [f"{path}: {example!r}" for example in prop.get("examples", [])
                    if not validator.is_valid(example)]
    assert missing == [] and invalid == []


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_markdown_example_is_the_yaml_of_the_example(kind: str) -> None:
    """The snippet an editor shows reads back, with cxportfolio's own reader, as the example."""
    wrong = []
    for path, name, prop in _properties(json_schema(kind, examples=True)):
        markdown = prop["markdownDescription"]
        block = re.search(r"```yaml\n(.*?)\n```", markdown, re.S)
        text = block.group(1) if block else re.search(r"Example: `([^`]*)`", markdown).group(1)
        parsed = read_yaml(text.encode())
        if parsed.problems or parsed.data != {name: prop["examples"][0]}:
            wrong.append(f"{path}: {text!r}")
    assert wrong == []


def _models(model: type[BaseModel], seen: dict[type, None]) -> dict[type, None]:
    """`model` and every model its fields hold, in order."""
    seen[model] = None
    for field in model.model_fields.values():
        for inner in _types(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                _models(inner, seen)
    return seen


def _types(annotation: Any) -> list[Any]:
    return [annotation, *(t for arg in get_args(annotation) for t in _types(arg))]


@pytest.mark.parametrize("root", [PortfolioDocument, Config], ids=["portfolio", "config"])
def test_every_example_passes_the_model(root: type[BaseModel]) -> None:
    """What `check` accepts, cross-field checks included (`experience` at most `outcome`)."""
    refused = []
    for model in _models(root, {}):
        for name, field in model.model_fields.items():
            for example in field.examples or []:
                try:
                    model.__pydantic_validator__.validate_assignment(model.model_construct(), name, example)
                except ValidationError as err:
                    refused.append(f"{model.__name__}.{name}: {example!r}: {err.errors()[0]['msg']}")
    assert refused == []


def test_markdown_spells_out_allowed_values_and_presence() -> None:
    initiative = json_schema("portfolio")["$defs"]["Initiative"]["properties"]
    assert initiative["status"]["markdownDescription"].split("\n\n")[1] == (
        "One of `idea`, `proposed`, `approved`, `in_progress`, `done`, `dropped`. Required.")
    assert "A number from 0 to 1,000,000,000. Optional." in initiative["effort"]["markdownDescription"]
    assert initiative["effort"]["markdownDescription"].endswith("Example: `effort: 8`")
    stage = json_schema("portfolio")["$defs"]["Stage"]["properties"]["completion"]["markdownDescription"]
    assert "A number from 0 to 1. Optional, default `1.0`." in stage
    rules = json_schema("config")["properties"]["rules"]["properties"]
    protected = rules["CXP001"]["anyOf"][1]["properties"]["severity"]
    assert "cannot be lowered or switched off" in protected["description"] and protected["enum"] == ["error"]
    assert rules["CXP001"]["anyOf"][0]["enum"] == ["error"] and "off" in rules["CXP201"]["anyOf"][0]["enum"]
    assert "min_units" in rules["CXP202"]["markdownDescription"]
