"""The shipped pre-commit hook and GitHub Action are wired to the real command safely."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_pre_commit_hook_checks_the_whole_portfolio() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "cxportfolio-check" and hook["entry"] == "cxportfolio check"
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    assert re.search(hook["files"], "units/digital.yaml") and not re.search(hook["files"], "README.md")


def test_action_never_pastes_inputs_into_shell_lines() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]
        assert all(k.isupper() for k in step.get("env", {}))


def test_pre_commit_runs_the_hook_from_a_local_repo(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                       cwd=tmp_path, check=True, capture_output=True)

    CliRunner().invoke(cli, ["init", str(tmp_path), "--year", "2026"])
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "portfolio")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path.parent / "pre-commit-home"))
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "cxportfolio-check", "--all-files"]
    ok = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "cxportfolio check" in ok.stdout and "Passed" in ok.stdout
    unit = tmp_path / "units" / "customer-service.yaml"
    unit.write_text(unit.read_text().replace("effort: 6", "effort: lots"))
    bad = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "CXP002" in bad.stdout and "effort must be a number" in bad.stdout
