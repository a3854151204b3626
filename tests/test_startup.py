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
