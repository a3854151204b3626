"""A check of a small portfolio imports only what it needs (issue 14: pre-commit and the
editor start it on every commit and save): not the array libraries of a large
portfolio's duplicate rule, nor those of other commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "portfolios" / "nordbank"

# numpy and scipy: the duplicate rule's matrices, from 750 initiatives; networkx: rank and
# plan; jsonschema: `schema --check`; Jinja2: reports.
NOT_FOR_A_SMALL_CHECK = ("numpy", "scipy", "networkx", "jsonschema", "jinja2",
                         "cxportfolio.rules.text_matrix", "cxportfolio.rules.duplicate_facts")

_RUN = """
import json, sys
from click.testing import CliRunner
from cxportfolio.cli import cli
result = CliRunner().invoke(cli, ["check", sys.argv[1], "--format", "json", "--as-of", "2026-06-30"])
print(json.dumps({"exit": result.exit_code, "modules": sorted(sys.modules)}))
"""


def test_a_small_check_leaves_the_large_portfolio_modules_unimported() -> None:
    done = subprocess.run([sys.executable, "-c", _RUN, str(EXAMPLE)], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["exit"] == 1  # as of 2026-06-30 its later completions are CXP105 errors: the whole check ran
    assert "cxportfolio.rules.duplicates" in report["modules"]  # CXP201 ran, on dictionaries
    loaded = [name for name in NOT_FOR_A_SMALL_CHECK
              if name in report["modules"] or any(m.startswith(name + ".") for m in report["modules"])]
    assert loaded == []


def test_rule_options_defaults_are_what_validating_nothing_gives() -> None:
    """A check with no `rules:` options takes each rule's defaults without building its
    options model (RuleOptions.defaults); they must be the very options validation gives."""
    from cxportfolio.rules import REGISTRY

    with_options = [rule for rule in REGISTRY.values() if rule.options.model_fields]
    assert len(with_options) >= 6
    for rule in with_options:
        defaults = rule.options.defaults()
        assert defaults == rule.options.model_validate({})
        assert defaults.model_dump() == rule.options.model_validate({}).model_dump()
        assert defaults.model_fields_set == set()


_BUILT = """
import datetime as dt, json, sys
from pathlib import Path
from cxportfolio.engine import run_check
from cxportfolio.rules import REGISTRY
run_check(Path(sys.argv[1]), dt.date(2026, 6, 30))
print(json.dumps(sorted(c for c, r in REGISTRY.items() if r.options.model_fields and r.options.__pydantic_complete__)))
"""


def test_a_check_without_rule_options_builds_no_options_model() -> None:
    done = subprocess.run([sys.executable, "-c", _BUILT, str(EXAMPLE)], capture_output=True, text=True, check=True)
    # the example's cxportfolio.yaml sets CXP405's options: validating them builds its model
    assert json.loads(done.stdout) == ["CXP405"]
