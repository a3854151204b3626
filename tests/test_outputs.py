"""One run, every format: `check --output FORMAT=PATH`, `--exit-zero`, `--statistics`; and each
CI format against its published schema (JUnit XSD, GitLab Code Quality's documented fields)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from ci_schemas import assert_gitlab_valid, assert_junit_valid
from click.testing import CliRunner

from cxportfolio.cli import CHECK_FORMATS, cli

HERE = Path(__file__).parent
BROKEN = HERE / "golden" / "broken" / "portfolio"
AS_OF = ["--as-of", "2026-06-30"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository-like working directory holding a copy of the broken portfolio."""
    shutil.copytree(BROKEN, tmp_path / "portfolio")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, ["check", *args, *AS_OF])


def test_one_run_writes_every_format_as_each_would_print_it(workdir: Path) -> None:
    outputs = [f"--output={name}=reports/out.{name}" for name in CHECK_FORMATS]
    (workdir / "reports").mkdir()
    one = run("portfolio", "--format", "text", *outputs)
    assert one.exit_code == 1, one.output
    assert one.output == run("portfolio").output  # the main format still goes to stdout
    for name in CHECK_FORMATS:
        alone = run("portfolio", "--format", name)
        written = (workdir / "reports" / f"out.{name}").read_text(encoding="utf-8")
        assert written == alone.output, name
    assert_junit_valid((workdir / "reports" / "out.junit").read_text(encoding="utf-8"))
    issues = assert_gitlab_valid((workdir / "reports" / "out.gitlab").read_text(encoding="utf-8"))
    assert issues and all(i["location"]["path"].startswith("portfolio/") for i in issues)


def test_output_replaces_an_earlier_report_atomically(workdir: Path) -> None:
    (workdir / "gl.json").write_text("[]\n", encoding="utf-8")  # an earlier run that found nothing
    assert run("portfolio", "--output", "gitlab=gl.json").exit_code == 1
    assert_gitlab_valid((workdir / "gl.json").read_text(encoding="utf-8"))
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".gl.json")] == []  # no temporary left


@pytest.mark.parametrize("spec, says", [
    ("nosuch=x", "'nosuch' is not a check format"),
    ("sarif", "'sarif' is not FORMAT=PATH"),
    ("sarif=", "names no file"),
])
def test_a_bad_output_spec_is_a_one_line_usage_error(workdir: Path, spec: str, says: str) -> None:
    result = run("portfolio", "--output", spec)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("cxportfolio: ") and says in result.stderr
    assert result.stdout == ""


def test_two_outputs_into_one_file_are_refused(workdir: Path) -> None:
    result = run("portfolio", "--output", "sarif=r.out", "--output", "junit=./r.out")
    assert result.exit_code == 2 and "more than one --output" in result.stderr
    assert not (workdir / "r.out").exists()


@pytest.mark.parametrize("target", ["portfolio/units/new.yaml", "portfolio/cxportfolio.yaml"])
def test_output_never_writes_a_yaml_file_of_the_portfolio(workdir: Path, target: str) -> None:
    before = (workdir / "portfolio" / "cxportfolio.yaml").read_bytes()
    result = run("portfolio", "--output", "sarif=ok.sarif", "--output", f"json={target}")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "refusing" in result.stderr
    assert not (workdir / "ok.sarif").exists()  # refused before anything was written
    assert not (workdir / "portfolio" / "units" / "new.yaml").exists()
    assert (workdir / "portfolio" / "cxportfolio.yaml").read_bytes() == before


def test_output_into_a_missing_folder_is_refused_before_the_check(workdir: Path) -> None:
    result = run("portfolio", "--output", "sarif=ok.sarif", "--output", "junit=nowhere/r.xml")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "does not exist" in result.stderr
    assert not (workdir / "ok.sarif").exists()


def test_output_never_writes_through_a_symbolic_link(workdir: Path) -> None:
    secret = workdir / "secret.txt"
    secret.write_text("keep", encoding="utf-8")
    os.symlink(secret, workdir / "report.sarif")
    os.symlink(workdir / "portfolio", workdir / "linked")
    for target in ("report.sarif", "linked/out.sarif"):
        result = run("portfolio", "--output", f"sarif={target}")
        assert result.exit_code == 2 and "symbolic link" in result.stderr, target
    assert secret.read_text(encoding="utf-8") == "keep" and not (workdir / "portfolio" / "out.sarif").exists()


def test_exit_zero_passes_error_findings_but_never_a_failure(workdir: Path) -> None:
    assert run("portfolio").exit_code == 1
    assert run("portfolio", "--exit-zero").exit_code == 0
    assert run("portfolio", "--exit-zero", "--strict").exit_code == 0
    failure = run("nowhere", "--exit-zero")
    assert failure.exit_code == 2 and failure.stderr.startswith("cxportfolio: ")


def test_statistics_count_findings_per_code_most_frequent_first(workdir: Path) -> None:
    result = run("portfolio", "--statistics", "--output", "junit=r.xml")
    assert result.exit_code == 1  # the exit code is the check's
    findings = json.loads(run("portfolio", "--format", "json").output)["findings"]
    expected: dict[str, int] = {}
    for finding in findings:
        if not finding["suppressed"]:
            expected[finding["code"]] = expected.get(finding["code"], 0) + 1
    rows = [line.split() for line in result.stdout.splitlines()]
    assert {code: int(count) for count, code, *_ in rows} == expected
    assert [(-int(r[0]), r[1]) for r in rows] == sorted((-int(r[0]), r[1]) for r in rows)
    assert "   3  CXP401  [warning] no-pain-point" in result.stdout.splitlines()
    assert ".yaml" not in result.stdout  # the table only, not the findings
    assert_junit_valid((workdir / "r.xml").read_bytes())  # --output still writes the findings
    document = json.loads(run("portfolio", "--statistics", "--format", "json").output)
    assert document["version"] == 1
    as_json = document["statistics"]
    assert [(r["count"], r["code"]) for r in as_json] == [(int(r[0]), r[1]) for r in rows]
    assert {"name", "severity"} <= set(as_json[0])


def test_statistics_is_text_or_json(workdir: Path) -> None:
    result = run("portfolio", "--statistics", "--format", "sarif")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--output" in result.stderr


def test_junit_validates_against_the_junit_xsd_clean_broken_and_hostile(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["init", str(tmp_path / "clean"), "--year", "2026"])
    clean = runner.invoke(cli, ["check", str(tmp_path / "clean"), "--format", "junit", *AS_OF])
    assert clean.exit_code == 0
    assert assert_junit_valid(clean.stdout).find("testsuite").get("failures") == "0"
    broken = run(str(BROKEN), "--format", "junit")
    document = assert_junit_valid(broken.stdout)
    assert int(document.find("testsuite").get("failures")) == len(document.findall(".//failure")) > 0
    hostile = shutil.copytree(BROKEN, tmp_path / "hostile")
    (hostile / "units" / "digital.yaml").rename(hostile / "units" / "a\x1b[31m\x07 <&'\"> ø.yaml")
    assert_junit_valid(run(str(hostile), "--format", "junit").stdout)


def test_gitlab_code_quality_has_the_documented_fields() -> None:
    issues = assert_gitlab_valid(run(str(BROKEN), "--format", "gitlab").stdout)
    assert {i["severity"] for i in issues} == {"major", "minor"}  # errors and warnings


def test_output_into_a_missing_folder_says_how_to_make_it(workdir: Path) -> None:
    """Found by a CI integrator: `--output sarif=reports/cx.sarif` in a fresh checkout said
    the folder (as an absolute path) does not exist, not what to do: the folder is named
    as written, with the command that makes it, quoted for the shell."""
    result = run("portfolio", "--output", "sarif=my reports/cx.sarif")
    assert result.stderr == ("cxportfolio: --output sarif=my reports/cx.sarif: the folder my reports does not "
                             "exist; create it first (mkdir -p 'my reports')\n")
    assert result.exit_code == 2


def test_the_command_that_makes_a_missing_folder_named_with_a_leading_dash_makes_it(workdir: Path) -> None:
    """Found in review: `--output sarif=-out/cx.sarif` was told to run `mkdir -p -out`,
    which mkdir reads as options; the folder is given as ./-out."""
    result = run("portfolio", "--output", "sarif=-out/cx.sarif")
    assert result.stderr == ("cxportfolio: --output sarif=-out/cx.sarif: the folder -out does not exist; "
                             "create it first (mkdir -p ./-out)\n")
    assert result.exit_code == 2
