"""SARIF as GitHub code scanning and the OASIS schema (formats checked) require it."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rfc3986_validator import validate_rfc3986

from cxportfolio.cli import cli
from cxportfolio.engine import run_check
from cxportfolio.model.finding import CheckResult, CheckSummary, Finding, Location, Severity
from cxportfolio.render import RenderOptions, sarif

HERE = Path(__file__).parent
BROKEN = HERE / "golden" / "broken" / "portfolio"
SCHEMA = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
HOSTILE_NAMES = ["cards 100% ø#.yaml", "k:pis.yaml", "units/a?b c.yaml", "tab\there.yaml", "new\nline.yaml",
                 "units/[x].yaml", "😀.yaml", os.fsdecode(b"units/r\xe6tail.yaml")]


def render(result: CheckResult, options: RenderOptions = RenderOptions()) -> dict:
    document = json.loads(sarif.render_check(result, options))
    VALIDATOR.validate(document)
    return document


def finding(file: str, severity: Severity = Severity.ERROR, message: str = "m", n: int = 0,
            related: tuple[Location, ...] = (), suppressed: bool = False) -> Finding:
    return Finding("CXP102", "unknown-reference", severity, message, Location(file, n + 1, 3),
                   entities=(f"E{n}",), related=related, suppressed=suppressed)


def test_the_format_checker_really_checks_uri_references() -> None:
    """Without rfc3986-validator (or rfc3987) jsonschema skips the format silently."""
    checker = jsonschema.FormatChecker()
    assert "uri-reference" in checker.checkers and "uri" in checker.checkers
    assert not checker.conforms("cards 100% ø#.yaml", "uri-reference")
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
            {"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b"}}}]}]}]})


def test_file_names_become_relative_uri_references_that_give_the_name_back() -> None:
    document = render(CheckResult([finding(name, n=n) for n, name in enumerate(HOSTILE_NAMES)]))
    run = document["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert uris[:3] == ["cards%20100%25%20%C3%B8%23.yaml", "k%3Apis.yaml", "units/a%3Fb%20c.yaml"]
    for name, uri in zip(HOSTILE_NAMES, uris):
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.netloc and not parts.query and not parts.fragment, uri
        assert unquote(uri, errors="surrogateescape") == name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1), min_size=1, max_size=4).map("/".join))
def test_any_path_is_a_valid_relative_reference(path: str) -> None:
    uri = sarif.artifact_uri(path)
    assert validate_rfc3986(uri, rule="URI_reference") and not urlsplit(uri).scheme
    segments = "/".join(s for s in path.split("/") if s)  # "a//b" is "a/b" to a file system
    assert unquote(uri, errors="surrogateescape") == ("/" if path.startswith("/") else "") + segments


def test_uris_are_relative_to_srcroot_which_is_declared_without_a_machine_path() -> None:
    run = render(CheckResult([finding("a.yaml", related=(Location("b.yaml", 2, 1),))]))["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]
    assert "uri" not in base and base["description"]["text"]  # SARIF §3.14.14: the absolute uri may be omitted
    places = [run["results"][0]["locations"][0], *run["results"][0]["relatedLocations"]]
    assert all(p["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%" for p in places)


def test_the_run_declares_columns_automation_and_each_rules_documentation_inline() -> None:
    """The project has no public address yet: a `helpUri` or `informationUri` naming one
    (it named a repository at github.com that does not exist) is a link that
    404s. Each rule carries its documentation instead: its section of docs/rules.md (what
    `cxportfolio rules CODE` prints) as Markdown, and the same in plain text."""
    run = render(CheckResult([finding("a.yaml")]))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["automationDetails"]["id"] == "cxportfolio/"
    driver = run["tool"]["driver"]
    assert "informationUri" not in driver and "://" not in json.dumps(driver["rules"])
    sections = {s.split(" ", 1)[0]: "## " + s for s in
                (HERE.parent / "docs" / "rules.md").read_text("utf-8").split("\n## ")[1:]}
    assert [rule["id"] for rule in driver["rules"]] == sorted(sections)
    for rule in driver["rules"]:
        assert "helpUri" not in rule
        markdown, text = rule["help"]["markdown"], rule["help"]["text"]
        assert sections[rule["id"]].startswith(markdown.rstrip("\n")), rule["id"]
        assert text.startswith(f"{rule['id']} {rule['name']}\n\nDefault severity: ")
        assert "**" not in text and "```" not in text and "|---" not in text, rule["id"]
        assert "\nWhy: " in text and "\nExample:" in text and "\nFix: " in text, rule["id"]
    options = next(r["help"]["text"] for r in driver["rules"] if r["id"] == "CXP202")
    assert "\n- min_units (default 3): how many units" in options


def test_columns_count_code_points(portfolio) -> None:
    """What `columnKind` declares: a character outside the BMP is one column, not two."""
    root = portfolio({"a.yaml": 'unit: u\nunits: [{id: u, name: "😀😀", bogus: 1}]\n'})
    line = (root / "a.yaml").read_text(encoding="utf-8").splitlines()[1]
    results = render(run_check(root, dt.date(2026, 6, 30)).result)["runs"][0]["results"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results if "bogus" in r["message"]["text"]]
    assert regions == [{"startLine": 2, "startColumn": line.index("bogus") + 1}]


def test_related_locations_say_what_they_are_and_are_linked_from_the_message() -> None:
    related = (Location("b.yaml", 2, 1), Location("c.yaml", 3, 1))
    result = render(CheckResult([finding("a.yaml", related=related)]))["runs"][0]["results"][0]
    labels = [r["message"]["text"] for r in result["relatedLocations"]]
    assert len(set(labels)) == 2 and "related" not in labels
    assert [r["id"] for r in result["relatedLocations"]] == [1, 2]
    assert re.findall(r"\]\((\d+)\)", result["message"]["text"]) == ["1", "2"]


def test_related_locations_of_a_real_check_name_the_entity_there() -> None:
    run = render(run_check(BROKEN, dt.date(2026, 6, 30)).result)["runs"][0]
    labels = {r["ruleId"]: [loc["message"]["text"] for loc in r["relatedLocations"]]
              for r in run["results"] if "relatedLocations" in r}
    assert labels["CXP103"] == ["journey mortgage: stage decision"] and labels["CXP101"] == ["initiative RET-3"]
    assert labels["CXP003"] == ["related location 1 of 1"]  # a place the reader found: no entity names it


def test_portfolio_text_cannot_add_a_link_to_the_message() -> None:
    hostile = "see [here](https://evil.example/x) and [there](1)"
    text = render(CheckResult([finding("a.yaml", message=hostile)]))["runs"][0]["results"][0]["message"]["text"]
    assert "](" not in text and "evil.example" in text


def test_at_githubs_result_limit_the_most_severe_are_kept_and_the_rest_counted() -> None:
    findings = [finding("a.yaml", Severity.INFO, n=n) for n in range(sarif.MAX_RESULTS)]
    findings.append(finding("z.yaml", Severity.ERROR, n=sarif.MAX_RESULTS))
    findings.append(finding("z.yaml", Severity.WARNING, n=sarif.MAX_RESULTS + 1, suppressed=True))
    run = json.loads(sarif.render_check(CheckResult(findings), RenderOptions()))["runs"][0]
    assert len(run["results"]) == sarif.MAX_RESULTS
    assert run["results"][-1]["level"] == "error" and not any("suppressions" in r for r in run["results"])
    notice = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notice["properties"] == {"findingsLeftOut": 2, "findingsTotal": sarif.MAX_RESULTS + 2}
    assert "2 of 25,002 findings are left out (1 info, 1 suppressed)" in notice["message"]["text"]


def test_at_the_upload_size_limit_the_most_severe_are_kept() -> None:
    findings = [finding(f"units/u{n}.yaml", [Severity.INFO, Severity.WARNING, Severity.ERROR][n % 3],
                        message=f"problem {n} " * 20, n=n) for n in range(3000)]
    limit = 40_000
    text = sarif.render_within(CheckResult(findings), RenderOptions(), max_gzipped=limit)
    document = json.loads(text)
    VALIDATOR.validate(document)
    assert len(gzip.compress(text.encode("utf-8"), 6, mtime=0)) <= limit
    run = document["runs"][0]
    kept = {r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in run["results"]}
    rank = {"error": 0, "warning": 1, "note": 2}
    kept_ranks = [f.severity.rank for f in findings if f.fingerprint in kept]
    left_ranks = [f.severity.rank for f in findings if f.fingerprint not in kept]
    assert kept and left_ranks and max(kept_ranks) <= min(left_ranks)
    assert [rank[r["level"]] for r in run["results"]] == kept_ranks  # the file order is kept
    left = run["invocations"][0]["toolExecutionNotifications"][0]["properties"]["findingsLeftOut"]
    assert left == len(left_ranks)


def test_a_cut_sarif_exits_as_the_full_check(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["check", str(BROKEN), "--as-of", "2026-06-30", "--strict"]
    full = CliRunner().invoke(cli, args)
    monkeypatch.setattr(sarif, "MAX_RESULTS", 1)
    cut = CliRunner().invoke(cli, [*args, "--format", "sarif"])
    run = json.loads(cut.output)["runs"][0]
    assert len(run["results"]) == 1 and run["invocations"][0]["toolExecutionNotifications"]
    assert full.exit_code == cut.exit_code == 1


def test_an_empty_run_is_valid() -> None:
    run = render(CheckResult([], CheckSummary()))["runs"][0]
    assert run["results"] == [] and run["invocations"] == [{"executionSuccessful": True}]


def test_a_file_name_that_is_not_utf8_is_its_bytes_percent_encoded(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a formats hunter: the loader named such a file by its display text
    (`units/\\xff.yaml`), and SARIF percent-encoded that text (`units/%5Cxff.yaml`), a
    file that does not exist; the uri is the name's bytes (`%FF`), as for a folder."""
    root = tmp_path / "p"
    (root / "units").mkdir(parents=True)
    (root / "cxportfolio.yaml").write_text("organization: Test\nyear: 2026\n", encoding="utf-8")
    (root / os.fsdecode(b"units/\xff.yaml")).write_bytes(b"unit: u\n")
    (root / "units" / "\\xfe.yaml").write_bytes(b"unit: [\n")  # a name shown the same way, but UTF-8
    monkeypatch.chdir(root)
    args = ["check", ".", "--as-of", "2026-06-30", "--format"]
    document = json.loads(CliRunner().invoke(cli, [*args, "sarif"]).output)
    VALIDATOR.validate(document)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]]
    assert sorted(uris) == ["units/%5Cxfe.yaml", "units/%FF.yaml"]
    shown = next(f for f in json.loads(CliRunner().invoke(cli, [*args, "json"]).output)["findings"]
                 if "UTF-8" in f["message"])
    # JSON and the text outputs still show the byte as \xff, and its fingerprint is the one it had
    assert shown["file"] == "units/\\xff.yaml" and shown["fingerprint"] == "161fa311e3361b31d5a945bd0961479e"


def test_a_run_whose_findings_a_mistake_limits_says_so_in_a_notification(tmp_path: Path) -> None:
    """A newcomer found that SARIF said nothing of what the text summary ends with: with
    `severity: "5"` refused, CXP502 cannot say whether the pain point is severe until it
    is corrected. The run carries the summary's sentence and its counts."""
    import shutil

    root = tmp_path / "nordbank"
    shutil.copytree(HERE.parent / "portfolios" / "nordbank", root)
    as_of = dt.date(2026, 6, 30)
    assert "toolExecutionNotifications" not in render(run_check(root, as_of).result)["runs"][0]["invocations"][0]
    pains = root / "pain_points.yaml"
    text = pains.read_text(encoding="utf-8")
    pains.write_text(text.replace("severity: 5", 'severity: "5"', 1), encoding="utf-8")
    [notice] = render(run_check(root, as_of).result)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notice["descriptor"]["id"] == "findings-limited" and notice["level"] == "warning"
    assert notice["message"]["text"].startswith("Findings are limited by 1 mistake in a value (its finding says where)")
    assert notice["properties"] == {"unreadableFiles": 0, "lostValues": 0, "valueMistakes": 1, "configUnusable": False}


def test_at_githubs_result_limit_a_baseline_runs_new_findings_are_kept_first() -> None:
    """With a baseline, every finding is in the log (the known ones as unchanged), and the
    new ones, which the pull request is shown, are the last to be left out."""
    known = [finding("a.yaml", Severity.ERROR, n=n) for n in range(sarif.MAX_RESULTS)]
    new = finding("z.yaml", Severity.INFO, n=sarif.MAX_RESULTS)
    compared = [*((f, "unchanged") for f in known), (new, "new")]
    run = json.loads(sarif.render_check(CheckResult([new], compared=compared), RenderOptions()))["runs"][0]
    assert len(run["results"]) == sarif.MAX_RESULTS
    assert run["results"][-1]["baselineState"] == "new" and run["results"][-1]["level"] == "note"
    assert {r["baselineState"] for r in run["results"][:-1]} == {"unchanged"}
    notice = run["invocations"][0]["toolExecutionNotifications"][0]
    assert "1 of 25,001 findings are left out (1 error)" in notice["message"]["text"]
    assert "the new, then the most severe are kept" in notice["message"]["text"]
