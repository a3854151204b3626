"""CI formats: SARIF validates, GitHub commands cannot be injected, JUnit parses, GitLab fields."""

from __future__ import annotations

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import check, copy_of_example, write_portfolio
from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.cli import cli
from cxportfolio.engine import run_check
from cxportfolio.model.finding import CheckResult, CheckSummary, Finding, Location, Severity
from cxportfolio.render import CHECK_RENDERERS, RenderOptions
from cxportfolio.render.github import escape_data
from cxportfolio.render.github import render_check as github
from cxportfolio.render.json_format import indented
from cxportfolio.render.neutral import inert_json
from cxportfolio.render.sarif import FINGERPRINT_KEY


HERE = Path(__file__).parent
BROKEN = HERE / "golden" / "broken" / "portfolio"


def broken_result() -> CheckResult:
    return run_check(BROKEN, dt.date(2026, 6, 30)).result


def test_sarif_validates_against_the_official_schema_with_formats_checked() -> None:
    """More in test_sarif.py (uri encoding, limits, related locations)."""
    schema = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    document = json.loads(CHECK_RENDERERS["sarif"](broken_result(), RenderOptions(path_prefix="p/")))
    assert "uri-reference" in jsonschema.FormatChecker().checkers  # else the format is not checked
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    run = document["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(r["ruleId"] in rule_ids and rule_ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "p/journeys.yaml", "uriBaseId": "%SRCROOT%"}
    assert first["region"]["startLine"] >= 1
    assert all(len(r["partialFingerprints"][FINGERPRINT_KEY]) == 32 for r in run["results"])


def test_fingerprints_ignore_line_numbers(portfolio) -> None:
    unit = "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n  - {id: I1, title: T, status: idea}\n"
    root = portfolio({"a.yaml": unit})
    before = {f.fingerprint for f in run_check(root, dt.date(2026, 6, 30)).result.findings}
    (root / "a.yaml").write_text("# a comment moves everything down\n\n" + unit, encoding="utf-8")
    after = run_check(root, dt.date(2026, 6, 30)).result
    assert before == {f.fingerprint for f in after.findings} and after.findings[0].location.line == 6


def test_gitlab_code_quality_fields() -> None:
    text = CHECK_RENDERERS["gitlab"](broken_result(), RenderOptions())
    assert not text.startswith("\ufeff")
    issues = json.loads(text)
    assert issues and all(set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
                          for i in issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert all(i["location"]["lines"]["begin"] >= 1 and i["location"]["path"] for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)


_JSON_LEAVES = st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.text()
_JSON_DOCUMENTS = st.recursive(_JSON_LEAVES, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                               max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_JSON_DOCUMENTS)
def test_sarif_and_gitlab_json_is_written_as_the_standard_library_would(document: object) -> None:
    """As json.dumps writes it, but what a CI log acts on (`##vso[`, a bidi override) as
    JSON escapes: it parses to the very same document."""
    text = indented(document)
    assert text == inert_json(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    assert json.loads(text) == document


def test_check_json_sarif_and_gitlab_are_inert_in_a_log_whatever_a_file_is_named(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Found in review: rank, track and diff wrote their JSON inert in a CI log, but check's
    JSON, SARIF and GitLab formats wrote a file named `##vso[task.setvariable ...]` as it
    is, in "file" (and SARIF's uri, GitLab's path): Azure Pipelines acts on `##vso[`
    anywhere in a line of a log a step prints. The name is written `##vso\\u005b…` and
    parses to the name as it is."""
    import shutil

    root = copy_of_example(tmp_path_factory, "vso")
    name = "##vso[task.setvariable variable=x]1.yaml"
    shutil.copy(root / "units" / "hr.yaml", root / "units" / name)
    result = check(root).result
    texts = {fmt: CHECK_RENDERERS[fmt](result, RenderOptions()) for fmt in ("json", "sarif", "gitlab")}
    assert not [fmt for fmt, text in texts.items() if "##vso[" in text]
    # the data parses to the name as it is (SARIF's uri is percent-encoded: %5B)
    assert f"units/{name}" in {f["file"] for f in json.loads(texts["json"])["findings"]}
    assert f"units/{name}" in {i["location"]["path"] for i in json.loads(texts["gitlab"])}


def test_a_file_name_that_is_not_utf8_still_has_a_fingerprint() -> None:
    name = os.fsdecode(b"units/r\xe6tail.yaml")  # Latin-1 on disk: a lone surrogate in Python
    fingerprint = _finding("x", name).fingerprint
    assert len(fingerprint) == 32 and fingerprint != _finding("x", "units/retail.yaml").fingerprint


def test_junit_parses_with_a_case_per_file() -> None:
    root = ET.fromstring(CHECK_RENDERERS["junit"](broken_result(), RenderOptions()))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["cxportfolio.yaml", "journeys.yaml", "units/digital.yaml",
                                               "units/retail.yaml"]
    assert root.get("failures") == "3" and cases[0].find("failure") is None
    assert cases[1].find("failure").get("type") == "CXP103"


def test_junit_with_strict_fails_the_files_with_warnings() -> None:
    """Found by a CI engineer: `check --strict --format junit` exited 1 on warnings while
    its XML had no failure (warnings went to system-out): a CI system showing the tests
    showed a failed job's tests passed."""
    result = CheckResult([_finding("a warning", "units/a.yaml", Severity.WARNING)], CheckSummary(warnings=1, files=1))
    plain = ET.fromstring(CHECK_RENDERERS["junit"](result, RenderOptions()))
    strict = ET.fromstring(CHECK_RENDERERS["junit"](result, RenderOptions(strict=True)))
    assert plain.get("failures") == "0" and plain.find("./testsuite/testcase/failure") is None
    assert strict.get("failures") == "1"
    failure = strict.find("./testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "1 finding: a warning"


def test_junit_strict_failure_is_headed_by_the_files_first_error() -> None:
    # found by a CI hunter: the headline was the file's first finding by line, a warning
    # above the error that fails it
    result = CheckResult([_finding("a warning", "units/a.yaml", Severity.WARNING),
                          _finding("an error", "units/a.yaml")], CheckSummary(errors=1, warnings=1, files=1))
    failure = ET.fromstring(CHECK_RENDERERS["junit"](result, RenderOptions(strict=True))).find(
        "./testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "2 findings: an error"


def test_junit_gives_files_that_read_alike_after_escaping_their_own_test_cases() -> None:
    """Found by a trust-boundary hunter: a line break, an invisible character or a byte that is
    not UTF-8 in a (legal) file name is shown as an escape, and the file beside it named with
    that escape's text got the same test case name: a pull request could put a passing file
    `a\\nb.yaml` beside the failing `a<LF>b.yaml`, and a CI system keys test cases by name."""
    pairs = [("a\nb.yaml", "a\\nb.yaml"), ("x\u200b.yaml", "x\\u200b.yaml"), ("::y.yaml", "\\::y.yaml"),
             ("caf\udc89.yaml", "caf\x89.yaml"), ("##vso[z].yaml", "##vso\\[z].yaml")]
    files = [name for pair in pairs for name in pair]
    result = CheckResult([_finding("fails", bad) for bad, _ in pairs], CheckSummary(errors=5), files=files)
    cases = ET.fromstring(CHECK_RENDERERS["junit"](result, RenderOptions())).findall("./testsuite/testcase")
    names = {case.get("name"): case.find("failure") is not None for case in cases}
    assert names == {"a\\nb.yaml": True, "a\\\\nb.yaml": False, "x\\u200b.yaml": True, "x\\\\u200b.yaml": False,
                     "\\::y.yaml": True, "\\\\::y.yaml": False, "caf\\x89.yaml": True, "caf\\u0089.yaml": False,
                     "##vso\\[z].yaml": True, "##vso\\\\[z].yaml": False}


def _finding(message: str, file: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding("CXP002", "schema", severity, message, Location(file, 3, 7))


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(min_size=1))
def test_github_annotation_cannot_be_injected(message: str, file: str) -> None:
    result = CheckResult([_finding(message, file)], CheckSummary(errors=1, files=1))
    lines = github(result, RenderOptions()).split("\n")
    assert lines[-1] == ""
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 1 and len(lines) == 3  # the annotation, the summary, the final newline
    head, _, body = annotations[0][2:].partition("::")
    assert "\n" not in body and "\r" not in body
    props = dict(p.split("=", 1) for p in head[len("error "):].split(","))
    # the file as GitHub's unescaping gives it back, or no file where none can be written
    if "file" in props:
        assert list(props) == ["file", "line", "col", "title"]
        unescaped = props["file"]
        for char, code in ((",", "%2C"), (":", "%3A"), ("\n", "%0A"), ("\r", "%0D"), ("%", "%25")):
            unescaped = unescaped.replace(code, char)
        assert unescaped == file
    else:
        assert list(props) == ["title"] and body.startswith(escape_data(file))


def test_github_annotations_are_limited_with_a_notice() -> None:
    findings = [_finding(f"problem {n}", "a.yaml") for n in range(13)]
    findings += [_finding(f"warn {n}", "a.yaml", Severity.WARNING) for n in range(2)]
    out = github(CheckResult(findings, CheckSummary(errors=13, warnings=2)), RenderOptions())
    lines = out.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 2
    assert "::notice title=cxportfolio::3 more findings are not annotated" in out


def test_github_format_writes_the_step_summary(tmp_path: Path, monkeypatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(cli, ["check", str(BROKEN), "--format", "github", "--as-of", "2026-06-30"])
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### cxportfolio check") and text.count("\n| ") == len(broken_result().findings) + 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "gitlab", "junit", "github"])
def test_a_link_to_a_folder_outside_with_a_name_that_is_not_utf8_is_reported_in_every_format(
        fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a positions hunter: the refusal named the link as Python holds it (a lone
    surrogate), and `--format json` and `gitlab` stopped with an internal error."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    root = write_portfolio(tmp_path / "p", {"units/a.yaml": "unit: u\nunits: [{id: u, name: U}]\n"})
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", os.fsdecode(bytes(root / "units") + b"/r\xe6tail"))
    result = CliRunner().invoke(cli, ["check", str(root), "--format", fmt, "--as-of", "2026-06-30"])
    assert result.exit_code == 1 and "internal error" not in result.output
    shown = result.output.replace("\\\\", "\\")  # JSON doubles the backslash
    assert ("units/r%E6tail" if fmt == "sarif" else "units/r\\xe6tail") in shown  # as a file named so is


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "gitlab", "junit", "github"])
def test_a_portfolio_in_a_folder_whose_name_is_not_utf8_is_checked_in_every_format(
        fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a positions hunter: the folder's name starts every path the CI formats print,
    and `--format gitlab` stopped with an internal error on it; text, JUnit and GitHub wrote
    its byte as \\udce6, where the name of a file that is not UTF-8 is written \\xe6."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    folder = os.fsdecode(b"r\xe6tail")
    write_portfolio(tmp_path / folder, {"a.yaml": "unit: u\nunits: [{id: u, name: U, capacity: -1}]\n"})
    result = CliRunner().invoke(cli, ["check", folder, "--format", fmt, "--as-of", "2026-06-30"])
    assert result.exit_code == 1 and "internal error" not in result.output
    if fmt != "json":  # JSON's paths are relative to the portfolio root
        shown = result.output.replace("\\\\", "\\")  # JSON doubles the backslash
        assert ("r%E6tail/a.yaml" if fmt == "sarif" else "r\\xe6tail/a.yaml") in shown
