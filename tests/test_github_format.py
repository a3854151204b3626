"""GitHub annotations within GitHub's limits, and the step summary that lists the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import cli
from cxportfolio.model.finding import CheckResult, CheckSummary, Finding, Location, Severity
from cxportfolio.render import RenderOptions
from cxportfolio.render.github import render_check, step_summary

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


def result(*groups: tuple[Severity, int], suppressed: int = 0) -> CheckResult:
    findings = [Finding("CXP401", "no-pain-point", severity, f"{severity.value} {n}", Location("a.yaml", n + 1, 1))
                for severity, count in groups for n in range(count)]
    findings += [Finding("CXP401", "no-pain-point", W, f"accepted {n}", Location("a.yaml", 99, 1), suppressed=True,
                         suppression_reason="agreed") for n in range(suppressed)]
    return CheckResult(findings, CheckSummary(errors=sum(c for s, c in groups if s is E)))


def kinds(out: str) -> dict[str, int]:
    lines = out.splitlines()
    return {kind: sum(line.startswith(f"::{kind} ") for line in lines) for kind in ("error", "warning", "notice")}


def test_fourteen_infos_give_ten_notices_with_the_overflow_notice_first() -> None:
    out = render_check(result((I, 14)), RenderOptions())
    notices = [line for line in out.splitlines() if line.startswith("::notice ")]
    assert len(notices) == 10
    assert notices[0].startswith("::notice title=cxportfolio::5 more findings are not annotated (5 infos;")
    assert all(n.startswith("::notice file=") for n in notices[1:])


@pytest.mark.parametrize("groups, expected", [
    ([(I, 10)], {"error": 0, "warning": 0, "notice": 10}),  # fits: no overflow notice
    ([(E, 11), (I, 10)], {"error": 10, "warning": 0, "notice": 10}),  # the notice costs one info
    ([(E, 30), (W, 30), (I, 30)], {"error": 10, "warning": 10, "notice": 10}),
    ([(E, 11)], {"error": 10, "warning": 0, "notice": 1}),
])
def test_at_most_ten_annotations_of_each_kind_including_the_notice(groups: list, expected: dict) -> None:
    out = render_check(result(*groups), RenderOptions())
    assert kinds(out) == expected
    overflow = [line for line in out.splitlines() if line.startswith("::notice title=cxportfolio::")]
    total = sum(count for _, count in groups)
    if overflow:
        shown = sum(expected.values()) - 1
        more = "1 more finding is" if total - shown == 1 else f"{total - shown} more findings are"
        assert overflow[0].split("::")[2].startswith(f"{more} not annotated")
        assert out.startswith("::notice title=cxportfolio::")


def test_the_notice_names_the_job_summary_only_when_it_is_written() -> None:
    findings = result((W, 12))
    assert "the job summary lists them all" in render_check(findings, RenderOptions(step_summary=True))
    without = render_check(findings, RenderOptions())
    assert "job summary" not in without and "run `cxportfolio check` to list them all" in without


def test_the_cli_says_whether_it_writes_the_job_summary(portfolio, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    initiatives = "".join(f"  - {{id: I{n}, title: Thing {n} alpha{n}, status: idea}}\n" for n in range(12))
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n" + initiatives})
    args = ["check", str(root), "--format", "github", "--as-of", "2026-06-30"]
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    unset = CliRunner().invoke(cli, args).output
    assert "more findings are not annotated" in unset and "job summary" not in unset
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert "the job summary lists them all" in CliRunner().invoke(cli, args).output
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").count("| CXP401 |") == 12


def test_the_step_summary_lists_errors_first() -> None:
    findings = result((I, 2), (W, 2), (E, 2), suppressed=1)
    findings.findings.reverse()  # whatever order the check found them in
    rows = [line.split(" | ")[2] for line in step_summary(findings, RenderOptions()).splitlines()
            if line.startswith("| a.yaml")]
    assert rows == ["error", "error", "warning", "warning", "info", "info", "suppressed"]


def test_the_overflow_notice_counts_one_in_the_singular() -> None:
    """Regression: `19 more findings are not annotated (1 errors, 18 warnings; ...`."""
    out = render_check(result((E, 11), (W, 28)), RenderOptions())
    assert "::19 more findings are not annotated (1 error, 18 warnings; GitHub shows" in out
    out = render_check(result((E, 11)), RenderOptions())
    assert "::1 more finding is not annotated (1 error; GitHub shows" in out


def test_the_step_summary_counts_what_it_leaves_out() -> None:
    findings = result((E, 3))
    whole = step_summary(findings, RenderOptions()).encode()
    row = len("| a.yaml:3:1 | CXP401 | error | error 2 |\n")
    out = step_summary(findings, RenderOptions(), limit=len(whole) - row + 200)  # 200: kept for the note
    assert out.count("| error |") == 2 and out.endswith("\n1 more finding left out to stay under 1 MiB.\n")


@pytest.mark.parametrize("name", ["::error file=x::pwn.yaml", " ::x.yaml", "a:b,c%d.yaml", "units/::x.yaml",
                                  "a\nb.yaml", "a\r\n::error::b.yaml", "a%0Ab.yaml"])
def test_the_file_property_gives_githubs_unescaping_the_file_name_back(name: str) -> None:
    """Found by a positions hunter: a file name starting with `::` got the backslash that stops a
    value from opening a workflow command, as well as its `:` percent-encoded: GitHub read the
    file `\\::error file=…` and the annotation pointed at no file. Percent-encoded, `::` opens
    nothing."""
    finding = Finding("CXP002", "schema", E, "m", Location(name, 3, 7))
    line = render_check(CheckResult([finding], CheckSummary(errors=1)), RenderOptions()).splitlines()[0]
    written = line[len("::error file="):].split(",line=")[0]
    assert "::" not in written and "," not in written
    unescaped = written.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n")
    assert unescaped.replace("%25", "%") == name


@pytest.mark.parametrize(("name", "shown"), [
    ("a\x1b[31mb.yaml", "a\\x1b[31mb.yaml"), ("\u202eevil.yaml", "\\u202eevil.yaml"),
    ("caf\udce9.yaml", "caf\\xe9.yaml"), ("a\tb.yaml", "a\\tb.yaml"), ("x##[error]y.yaml", "x##\\[error]y.yaml"),
])
def test_a_file_name_no_file_property_can_hold_annotates_the_run_and_says_where(name: str, shown: str) -> None:
    """A file name GitHub's unescaping cannot give back (an ESC or a bidi override cannot go
    into the log raw, and no percent-escape stands for one) was written escaped: `file=a\\x1b…`
    names another file, one a pull request can add beside it. Such a finding is an annotation
    of the run, its message starting with where it is, as the text output shows it."""
    finding = Finding("CXP002", "schema", E, "m", Location(name, 3, 7))
    line = render_check(CheckResult([finding], CheckSummary(errors=1)), RenderOptions()).splitlines()[0]
    assert line == f"::error title=CXP002 schema::{shown}:3:7: m"


def test_quiet_annotations_end_with_what_limits_them_not_the_summary() -> None:
    """Found by a CI integrator: `check -q --format github` still ended with the summary
    line ("Checked 11 files, ..."), which -q promises to leave out; what limits the
    findings is still said, as the text says it."""
    limited = CheckResult(result((E, 1)).findings, CheckSummary(errors=1, mistaken=1))
    out = render_check(limited, RenderOptions(quiet=True))
    assert out.splitlines() == [
        "::error file=a.yaml,line=1,col=1,title=CXP401 no-pain-point::error 0",
        "Findings are limited by 1 mistake in a value (its finding says where): correcting it may bring up a "
        "finding that needs it."]
    assert render_check(result((E, 1)), RenderOptions(quiet=True)) == (
        "::error file=a.yaml,line=1,col=1,title=CXP401 no-pain-point::error 0\n")
    assert render_check(result(), RenderOptions(quiet=True)) == ""
    assert render_check(result(), RenderOptions()).startswith("Checked 0 files")
