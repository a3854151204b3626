"""A check of a small portfolio imports only what it needs (issue 14: pre-commit and the
editor start it on every commit and save): not the array libraries of a large
portfolio's duplicate rule, nor those of other commands."""

from __future__ import annotations

import json
import os
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


# The console command's own process: what it imports, reported as it exits.
_CONSOLE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
from cxportfolio.cli import main
sys.argv = ["cxportfolio", "check", sys.argv[1], "--format", "json", "--as-of", "2026-06-30"]
main()
"""


def _without_plugin_setting() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}


def test_the_console_command_does_not_import_importlib_metadata() -> None:
    """pydantic's plugin loader imports importlib.metadata (with email, zipfile, csv…)
    even while plugins are disabled; the console command disables them and leaves the
    loader out (plugin_lookup.py), with the same findings."""
    done = subprocess.run([sys.executable, "-c", _CONSOLE, str(EXAMPLE)], capture_output=True, text=True,
                          env=_without_plugin_setting())
    assert done.returncode == 1, done.stderr
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    assert "pydantic" in modules and "cxportfolio.model.entities" in modules  # models were built
    assert [m for m in ("importlib.metadata", "email", "zipfile") if m in modules] == []
    in_process = subprocess.run([sys.executable, "-c", _RUN, str(EXAMPLE)], capture_output=True, text=True,
                                check=True, env=_without_plugin_setting())
    assert "pydantic.plugin._loader" in json.loads(in_process.stdout)["modules"]  # click's runner: left as it was
    assert json.loads(done.stdout)["findings"] == json.loads(_check_json(EXAMPLE))["findings"]


def _check_json(portfolio: Path) -> str:
    from click.testing import CliRunner

    from cxportfolio.cli import cli

    return CliRunner().invoke(cli, ["check", str(portfolio), "--format", "json", "--as-of", "2026-06-30"]).stdout


# skip_plugin_lookup in a fresh process (this one has imported the real loader long ago).
_LOOKUP = """
import json, os, sys
from cxportfolio.plugin_lookup import skip_plugin_lookup
steps = {}
skip_plugin_lookup()
from pydantic import BaseModel
class One(BaseModel):
    id: str
steps["model"] = One(id="a").id
from pydantic.plugin._loader import get_plugins
steps["disabled"] = list(get_plugins())
steps["metadata_imported"] = "importlib.metadata" in sys.modules
steps["stand_in"] = type(sys.modules["pydantic.plugin._loader"]).__name__
os.environ["PYDANTIC_DISABLE_PLUGINS"] = sys.argv[1]
steps["enabled"] = list(get_plugins())
steps["after"] = type(sys.modules["pydantic.plugin._loader"]).__name__
steps["group"] = sys.modules["pydantic.plugin._loader"].PYDANTIC_ENTRY_POINT_GROUP
print(json.dumps(steps))
"""


def _lookup(disabled: str, then: str) -> dict[str, object]:
    env = {**_without_plugin_setting(), "PYDANTIC_DISABLE_PLUGINS": disabled}
    done = subprocess.run([sys.executable, "-c", _LOOKUP, then], capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout)


def test_the_stand_in_loader_answers_as_pydantics_while_plugins_are_disabled() -> None:
    steps = _lookup("1", "true")
    assert steps == {"model": "a", "disabled": [], "metadata_imported": False, "stand_in": "_DisabledLoader",
                     "enabled": [], "after": "_DisabledLoader", "group": "pydantic"}


def test_plugins_enabled_again_are_looked_up_by_pydantics_own_loader() -> None:
    steps = _lookup("__all__", "")  # "": no plugin disabled; none is installed here
    assert (steps["disabled"], steps["metadata_imported"], steps["stand_in"]) == ([], False, "_DisabledLoader")
    assert (steps["enabled"], steps["after"], steps["group"]) == ([], "module", "pydantic")


def test_a_list_of_disabled_plugins_keeps_pydantics_loader() -> None:
    """Naming plugins disables those alone: the others are looked up as pydantic does."""
    steps = _lookup("some-plugin", "some-plugin")
    assert (steps["stand_in"], steps["metadata_imported"]) == ("module", True)
