"""The shipped integrations run as documented: every snippet of docs/ci.md is executed here,
the action's steps run in bash as a runner runs them, and the YAML of the action, the
workflow and the GitLab job validates against the public schemas check-jsonschema ships."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from ci_schemas import assert_gitlab_valid, assert_junit_valid
from click.testing import CliRunner

from cxportfolio.cli import cli

REPO = Path(__file__).resolve().parent.parent
CI_DOC = REPO / "docs" / "ci.md"
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
[HOOK] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
VENV_BIN = Path(sys.executable).parent
AS_OF = "2026-06-30"
INSTALL = re.compile(r'^pip install "git\+https://github\.com/<org>/cxportfolio@<commit-or-tag>"$')


# --- the docs' snippets ---------------------------------------------------------------

def snippets() -> dict[str, list[str]]:
    """Each fenced block of docs/ci.md, by the heading it sits under."""
    found: dict[str, list[str]] = {}
    heading = "(intro)"
    for match in re.finditer(r"^## ([^\n]+)$|^```\w*\n(.*?)^```$", CI_DOC.read_text(encoding="utf-8"), re.M | re.S):
        if match.group(1):
            heading = match.group(1)
        else:
            found.setdefault(heading, []).append(match.group(2))
    return found


def test_every_snippet_of_ci_md_is_executed_by_a_test() -> None:
    """A snippet added to the page without a test here makes this fail."""
    assert {heading: len(blocks) for heading, blocks in snippets().items()} == {
        "(intro)": 1, "One run, every format": 1, "JSON for programs: a versioned contract": 1,
        "Installing": 1, "GitHub Actions": 1, "GitLab CI": 1, "pre-commit": 2}


def test_docs_name_only_what_exists() -> None:
    """No release or tag exists yet: installs come from the repository at a revision the user
    picks, spelled as a placeholder, never `pip install cxportfolio` or a made-up tag."""
    docs = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for doc in docs:
        text = doc.read_text(encoding="utf-8")
        assert not re.search(r"pip install (-\S+ )*cxportfolio\b", text), doc
        assert not re.search(r"rev: v\d|cxportfolio@v\d", text), doc
    [install] = snippets()["Installing"]
    assert INSTALL.match(install.strip())


# --- a shell that plays the runner ----------------------------------------------------

@dataclass
class Shell:
    """A bin folder ahead of PATH: `cxportfolio` pinned to one date (tests never depend on
    today's) and logged, and a `python3` that records `-m pip` instead of installing."""

    home: Path
    bin: Path = field(init=False)

    def __post_init__(self) -> None:
        self.bin = self.home / "bin"
        self.bin.mkdir(parents=True)
        self._script("cxportfolio", f'printf "%s\\n" "$*" >> "{self.home}/cxportfolio.log"\n'
                                    f'exec {shlex.quote(str(VENV_BIN / "cxportfolio"))} "$1" --as-of {AS_OF} "${{@:2}}"')
        self._script("python3", f'if [ "$1 $2" = "-m pip" ]; then printf "%s\\n" "$*" >> "{self.home}/pip.log"; exit 0; fi\n'
                                f'exec {shlex.quote(sys.executable)} "$@"')

    def _script(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        path.chmod(0o755)

    def env(self, **extra: str) -> dict[str, str]:
        return dict(os.environ, PATH=f"{self.bin}{os.pathsep}{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
                    PRE_COMMIT_HOME=str(self.home / "pre-commit"), **extra)

    def log(self, name: str) -> list[str]:
        path = self.home / f"{name}.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def run(self, script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        # As GitHub runs `shell: bash` and GitLab a job's script: stop at the first failure.
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                              cwd=cwd, env=self.env(**env), capture_output=True, text=True)


@pytest.fixture
def shell(tmp_path: Path) -> Shell:
    return Shell(tmp_path / "shell")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
                           "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def portfolio_repo(root: Path, sub: str = ".") -> Path:
    """A git repository holding a fresh portfolio at `sub`, committed on main."""
    root.mkdir(parents=True, exist_ok=True)
    assert CliRunner().invoke(cli, ["init", str(root / sub), "--year", "2026"]).exit_code == 0
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "portfolio")
    return root


def break_effort(unit: Path) -> None:
    """One real new mistake: an effort that is not a number (CXP002, an error)."""
    unit.write_text(unit.read_text(encoding="utf-8").replace("effort: 6", "effort: lots"), encoding="utf-8")


# --- the GitHub Action ----------------------------------------------------------------

@dataclass
class ActionRun:
    codes: dict[str, int | None]  # step name -> exit code, None when skipped
    outputs: dict[str, str]
    summary: str
    steps: list[subprocess.CompletedProcess[str]]


def _expression(text: str, inputs: dict[str, str], failed: bool) -> str:
    """The few expressions action.yml uses, as the runner evaluates them."""
    python = re.sub(r"inputs\.([\w-]+)", lambda m: repr(inputs[m.group(1)]), text.strip())
    python = python.replace("always()", "True").replace("success()", str(not failed))
    python = python.replace("&&", " and ").replace("||", " or ")
    return eval(python, {"__builtins__": {}})  # noqa: S307 - our own action.yml, a fixed vocabulary


def _substituted(value: str, inputs: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "github.action_path":
            return str(REPO)
        assert name.startswith("inputs."), name
        return inputs[name.removeprefix("inputs.")]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", one, value)


def run_action(shell: Shell, cwd: Path, given: dict[str, str]) -> ActionRun:
    assert set(given) <= set(ACTION["inputs"]), "an input the action does not declare"
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | given
    output_file, summary_file = shell.home / "github_output", shell.home / "step_summary"
    output_file.write_text("", encoding="utf-8")
    summary_file.write_text("", encoding="utf-8")
    codes: dict[str, int | None] = {}
    steps = []
    failed = False
    for step in ACTION["runs"]["steps"]:
        condition = re.sub(r"^\$\{\{(.*)\}\}$", r"\1", step.get("if", "success()").strip())
        if not _expression(condition, inputs, failed):
            codes[step["name"]] = None
            continue
        env = {key: _substituted(str(value), inputs) for key, value in step.get("env", {}).items()}
        done = shell.run(step["run"], cwd, GITHUB_OUTPUT=str(output_file), GITHUB_STEP_SUMMARY=str(summary_file),
                         GITHUB_WORKSPACE=str(cwd), RUNNER_TEMP=str(shell.home), **env)
        codes[step["name"]] = done.returncode
        steps.append(done)
        failed = failed or done.returncode != 0
    outputs = dict(line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines())
    return ActionRun(codes, outputs, summary_file.read_text(encoding="utf-8"), steps)


INSTALL_STEP, CHECK_STEP, DIFF_STEP = (step["name"] for step in ACTION["runs"]["steps"])


def test_action_validates_against_githubs_schema() -> None:
    check_jsonschema("vendor.github-actions", REPO / "action.yml")


def test_action_never_pastes_inputs_into_shell_lines() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]
        assert all(k.isupper() for k in step.get("env", {}))


def test_action_never_hides_a_failure() -> None:
    for step in ACTION["runs"]["steps"]:
        assert "|| true" not in step["run"] and "set +e" not in step["run"], step["name"]


def test_action_installs_its_own_revision_and_checks_once(tmp_path: Path, shell: Shell) -> None:
    repo = portfolio_repo(tmp_path / "repo")
    result = run_action(shell, repo, {"sarif": "cxportfolio.sarif"})
    assert result.codes == {INSTALL_STEP: 0, CHECK_STEP: 0, DIFF_STEP: None}, result.steps
    assert shell.log("pip") == [f"-m pip install --quiet {REPO}"]
    assert [line.split()[0] for line in shell.log("cxportfolio")] == ["check"]  # one run, every format
    assert result.outputs["errors"] == "0" and result.outputs["warnings"].isdigit()
    assert result.outputs["sarif"] == "cxportfolio.sarif" and result.outputs["exit-code"] == "0"
    assert json.loads((repo / "cxportfolio.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert result.summary  # the job summary, written by the github format


def test_action_fails_on_new_errors_and_summarises_the_change(tmp_path: Path, shell: Shell) -> None:
    repo = portfolio_repo(tmp_path / "repo")
    break_effort(repo / "units" / "customer-service.yaml")
    result = run_action(shell, repo, {"baseline": "main", "sarif": "cxportfolio.sarif"})
    assert result.codes == {INSTALL_STEP: 0, CHECK_STEP: 1, DIFF_STEP: 0}, result.steps
    assert result.outputs["errors"] == "1" and result.outputs["exit-code"] == "1"
    assert "::error file=units/customer-service.yaml" in result.steps[1].stdout
    assert "effort" in result.summary and [line.split()[0] for line in shell.log("cxportfolio")] == ["check", "diff"]


def test_action_reports_findings_without_failing_when_asked(tmp_path: Path, shell: Shell) -> None:
    repo = portfolio_repo(tmp_path / "repo")
    break_effort(repo / "units" / "customer-service.yaml")
    result = run_action(shell, repo, {"fail-on-findings": "false"})
    assert result.codes[CHECK_STEP] == 0 and result.outputs["errors"] == "1"
    assert result.outputs["sarif"] == ""


def test_action_fails_on_exit_2_whatever_the_inputs(tmp_path: Path, shell: Shell) -> None:
    repo = portfolio_repo(tmp_path / "repo")
    result = run_action(shell, repo, {"baseline": "no-such-ref", "fail-on-findings": "false"})
    assert result.codes == {INSTALL_STEP: 0, CHECK_STEP: 2, DIFF_STEP: 2}, result.steps
    assert result.outputs["exit-code"] == "2" and "no-such-ref" in result.steps[1].stderr
    bad_input = run_action(shell, repo, {"strict": "yes"})
    assert bad_input.codes[CHECK_STEP] == 2 and "strict=yes" in bad_input.steps[1].stderr


def test_the_documented_workflow_runs_the_action(tmp_path: Path, shell: Shell) -> None:
    [text] = snippets()["GitHub Actions"]
    workflow_file = tmp_path / "portfolio.yml"
    workflow_file.write_text(text, encoding="utf-8")
    check_jsonschema("vendor.github-workflows", workflow_file)
    steps = yaml.safe_load(text)["jobs"]["check"]["steps"]
    [ours] = [s for s in steps if "cxportfolio@" in s.get("uses", "")]
    assert ours["uses"] == "<org>/cxportfolio@<commit-or-tag>"  # a placeholder the user fills in
    [upload] = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == ours["with"]["sarif"]
    referenced = re.findall(rf"steps\.{ours['id']}\.outputs\.([\w-]+)", upload["if"])
    assert referenced and set(referenced) <= set(ACTION["outputs"])
    # A pull request's checkout: the base branch fetched as origin/main, a new mistake on top.
    origin = portfolio_repo(tmp_path / "origin")
    git(tmp_path, "clone", "-q", str(origin), "work")
    break_effort(tmp_path / "work" / "units" / "customer-service.yaml")
    given = {key: str(value).replace("${{ github.base_ref }}", "main") for key, value in ours["with"].items()}
    result = run_action(shell, tmp_path / "work", given)
    assert result.codes[CHECK_STEP] == 1 and result.outputs["errors"] == "1"
    assert (tmp_path / "work" / upload["with"]["sarif_file"]).is_file()


def check_jsonschema(schema: str, instance: Path) -> None:
    """check-jsonschema's vendored copy of the schema: no network."""
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(instance)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- GitLab CI --------------------------------------------------------------------------

@pytest.mark.parametrize("broken", [False, True])
def test_the_gitlab_job_writes_every_report_it_declares(tmp_path: Path, shell: Shell, broken: bool) -> None:
    [text] = snippets()["GitLab CI"]
    ci_file = tmp_path / ".gitlab-ci.yml"
    ci_file.write_text(text, encoding="utf-8")
    check_jsonschema("vendor.gitlab-ci", ci_file)
    job = yaml.safe_load(text)["portfolio"]
    assert job["artifacts"]["when"] == "always"  # uploaded when the check fails too
    install, *script = job["script"]
    assert INSTALL.match(install)  # needs the network and a revision the user picks: not run here
    repo = portfolio_repo(tmp_path / "repo")
    if broken:
        break_effort(repo / "units" / "customer-service.yaml")
    done = shell.run("\n".join(script), repo)
    assert done.returncode == (1 if broken else 0), done.stdout + done.stderr
    assert [line.split()[0] for line in shell.log("cxportfolio")] == ["check"]  # one run
    reports = job["artifacts"]["reports"]
    assert set(reports) == {"codequality", "junit"}
    issues = assert_gitlab_valid((repo / reports["codequality"]).read_text(encoding="utf-8"))
    assert [i["severity"] for i in issues if i["severity"] == "major"] == (["major"] if broken else [])
    junit = assert_junit_valid((repo / reports["junit"]).read_bytes())
    assert len(junit.findall(".//failure")) == (1 if broken else 0)


# --- shell snippets -----------------------------------------------------------------------

def test_the_one_run_snippet_writes_every_file(tmp_path: Path, shell: Shell) -> None:
    [text] = snippets()["One run, every format"]
    repo = portfolio_repo(tmp_path / "repo")
    break_effort(repo / "units" / "customer-service.yaml")
    first, second = text.strip().splitlines()
    assert shell.run(first, repo).returncode == 1
    for name in re.findall(r"--output \w+=(\S+)", first):
        assert (repo / name).is_file(), name
    assert_junit_valid((repo / "cxportfolio-junit.xml").read_bytes())
    statistics = shell.run(second, repo)
    assert statistics.returncode == 0 and statistics.stdout.split()[1:3] == ["CXP002", "[error]"]


def test_the_json_contract_snippet_has_the_fields_check_writes() -> None:
    """The page's `check --format json` document names every field a real run writes, at
    every level, and no other; paths in it are relative to the portfolio root."""
    [text] = snippets()["JSON for programs: a versioned contract"]
    documented = json.loads(text)
    example = REPO / "portfolios" / "nordbank"
    done = CliRunner().invoke(cli, ["check", str(example), "--as-of", AS_OF, "--format", "json"])
    real = json.loads(done.output)
    assert done.exit_code == 1 and real["version"] == documented["version"] == 1
    assert list(real) == list(documented) and list(real["summary"]) == list(documented["summary"])
    [finding] = documented["findings"]
    [related] = finding["related"]
    with_related = next(f for f in real["findings"] if f["related"])
    assert list(with_related) == list(finding) and list(with_related["related"][0]) == list(related)
    assert with_related["file"] == "pain_points.yaml" and all("/" not in f["file"] or f["file"].startswith("units/")
                                                            for f in real["findings"])


def test_the_diff_snippet_runs(tmp_path: Path, shell: Shell) -> None:
    [text] = snippets()["(intro)"]
    lines = [line.split("#")[0].strip() for line in text.strip().splitlines()]
    at_root = portfolio_repo(tmp_path / "origin-root")
    in_folder = portfolio_repo(tmp_path / "origin-folder", "portfolio")
    for origin, name in ((at_root, "root"), (in_folder, "folder")):
        git(tmp_path, "clone", "-q", str(origin), name)
    break_effort(tmp_path / "root" / "units" / "customer-service.yaml")
    break_effort(tmp_path / "folder" / "portfolio" / "units" / "customer-service.yaml")
    git(tmp_path / "folder", "commit", "-qam", "a change")
    portfolio_repo(tmp_path / "dirs" / "old")
    portfolio_repo(tmp_path / "dirs" / "new")
    break_effort(tmp_path / "dirs" / "new" / "units" / "customer-service.yaml")
    where = {"cxportfolio diff origin/main": "root", "--path portfolio/": "folder", "--base-dir old/": "dirs"}
    assert len(lines) == len(where)
    for line in lines:
        [cwd] = [tmp_path / folder for key, folder in where.items() if key in line and
                 (key != "cxportfolio diff origin/main" or line == key)]
        done = shell.run(line, cwd)
        said = (cwd / "comment.md").read_text(encoding="utf-8") if "> comment.md" in line else done.stdout
        assert done.returncode == 1 and "effort" in said, (line, done.stdout, done.stderr)


# --- pre-commit ------------------------------------------------------------------------------

def test_pre_commit_manifest_is_valid_and_runs_on_every_commit() -> None:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert HOOK["id"] == "cxportfolio-check" and HOOK["entry"] == "cxportfolio check --errors-only"
    assert HOOK["pass_filenames"] is False and HOOK["language"] == "python"
    assert HOOK["always_run"] is True  # a commit that only deletes files matches no file
    # What a portfolio at the repository root reads (YAML outside hidden folders); nothing else.
    for path in ("cxportfolio.yaml", "units/digital.yaml", "units/retail/branch.yml"):
        assert re.search(HOOK["files"], path), path
    for path in ("README.md", ".pre-commit-config.yaml", ".github/workflows/ci.yml", "units/.hidden/x.yaml",
                 "units/notes.yaml.txt"):
        assert not re.search(HOOK["files"], path), path


def pre_commit_config(snippet: str) -> str:
    """The documented config, with the hook taken from this checkout's manifest (a local
    repository, language: system, so that it runs the code under test without the network)."""
    [repo] = yaml.safe_load(snippet)["repos"]
    assert repo["repo"] == "https://github.com/<org>/cxportfolio" and repo["rev"] == "<commit-or-tag>"
    [documented] = repo["hooks"]
    hook = {**HOOK, "language": "system", **{k: v for k, v in documented.items() if k != "id"}}
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]})


def pre_commit(shell: Shell, repo: Path) -> subprocess.CompletedProcess[str]:
    return shell.run(f"{shlex.quote(sys.executable)} -m pre_commit run", repo)


def test_the_pre_commit_hook_runs_on_a_deletion(tmp_path: Path, shell: Shell) -> None:
    first = snippets()["pre-commit"][0]
    repo = portfolio_repo(tmp_path / "repo")
    (repo / ".pre-commit-config.yaml").write_text(pre_commit_config(first), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    git(repo, "rm", "-q", "pain_points.yaml")  # the initiative's pain point is gone
    done = pre_commit(shell, repo)
    assert done.returncode == 1 and "Failed" in done.stdout and "CXP102" in done.stdout, done.stdout + done.stderr


def test_the_pre_commit_hook_for_a_portfolio_in_a_folder(tmp_path: Path, shell: Shell) -> None:
    second = snippets()["pre-commit"][1]
    repo = portfolio_repo(tmp_path / "repo", "portfolios/nordbank")
    (repo / ".pre-commit-config.yaml").write_text(pre_commit_config(second), encoding="utf-8")
    (repo / ".github").mkdir()
    (repo / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    (repo / ".github" / "ci.yml").write_text("on: [push]\n", encoding="utf-8")
    git(repo, "add", "-A")
    skipped = pre_commit(shell, repo)
    assert skipped.returncode == 0 and "Skipped" in skipped.stdout and shell.log("cxportfolio") == []
    break_effort(repo / "portfolios" / "nordbank" / "units" / "customer-service.yaml")
    git(repo, "add", "-A")
    done = pre_commit(shell, repo)
    assert done.returncode == 1 and "CXP002" in done.stdout, done.stdout + done.stderr
    assert shell.log("cxportfolio") == ["check --errors-only portfolios/nordbank"]


def test_pre_commit_runs_the_hook_from_a_local_repo(tmp_path: Path) -> None:
    """The real thing: pre-commit installs this repository (committed files only) and runs it."""
    CliRunner().invoke(cli, ["init", str(tmp_path), "--year", "2026"])
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "portfolio")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path.parent / "pre-commit-home"))
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "cxportfolio-check", "--all-files"]
    ok = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "cxportfolio check" in ok.stdout and "Passed" in ok.stdout
    unit = tmp_path / "units" / "customer-service.yaml"
    unit.write_text(unit.read_text().replace("effort: 6", "effort: lots"))
    bad = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "CXP002" in bad.stdout and "effort must be a number" in bad.stdout


# --- package metadata ------------------------------------------------------------------------

def test_the_package_has_a_license_file_and_complete_metadata() -> None:
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest's own dependency
        import tomli as tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    classifiers = project["classifiers"]
    assert "Programming Language :: Python :: 3.10" in classifiers  # requires-python's floor
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the SPDX field says it
    for pinned in ("lxml", "check-jsonschema"):  # what these tests need, in the test extra
        assert any(re.match(rf"{pinned}>=[\d.]+,<\d", d) for d in project["optional-dependencies"]["test"])
