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
