"""What a portfolio owner new to cxportfolio stumbled on in a first week, working from the
README alone: each test runs the command as documented, or checks the exact message."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cxportfolio.cli import cli
from conftest import CONFIG, check

UNIT = "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n  - {id: I-1, title: T, status: idea%s}\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------- a rule's name where its code goes

def test_rules_explains_a_rule_named_as_the_list_shows_it() -> None:
    """`cxportfolio rules` lists `CXP102  unknown-reference ...`: the name explains it too."""
    by_code = run("rules", "CXP102")
    assert run("rules", "unknown-reference") == by_code and by_code[0] == 0
    assert by_code[1].startswith("## CXP102 unknown-reference\n")
    code, _, err = run("rules", "unknown-refrence")
    assert code == 2 and err == ("cxportfolio: unknown rule code unknown-refrence; did you mean "
                                 "'unknown-reference'? `cxportfolio rules` lists them\n")


def test_a_rule_name_in_rules_config_is_told_its_code(portfolio) -> None:
    root = portfolio({"u.yaml": UNIT % ""}, CONFIG + "rules: {activity-only: error, duplicate-id: warning}\n")
    found = {f.message: f.hint for f in check(root).result.findings if f.code == "CXP002"}
    assert found == {
        "rules: unknown rule code activity-only": "activity-only is the name of CXP402: write its code, "
                                                  "e.g. CXP402: error",
        "rules: unknown rule code duplicate-id": "duplicate-id is the name of CXP101: write its code, "
                                                 "e.g. CXP101: error"}


def test_a_rule_name_in_an_allow_is_told_its_code(portfolio) -> None:
    """The hint said "a rule code looks like CXP201, e.g. rule: CXP201" whatever rule was named."""
    root = portfolio({"u.yaml": UNIT % ", allow: [{rule: activity-only, reason: agreed}]"})
    [finding] = [f for f in check(root).result.findings if f.code == "CXP002"]
    assert finding.message == "allow[0].rule 'activity-only' is not valid (initiative I-1)"
    assert finding.hint == "activity-only is the name of CXP402: write its code, e.g. rule: CXP402"


def test_a_rule_name_given_to_select_is_told_its_code(tmp_path: Path) -> None:
    code, out, err = run("check", str(tmp_path), "--select", "unknown-reference")
    assert (code, out) == (2, "")
    assert err == ("cxportfolio: invalid value for '--select': 'unknown-reference' is not a rule code prefix "
                   "such as CXP1 or CXP201; it is the name of CXP102: give --select CXP102 "
                   "(see `cxportfolio check --help`)\n")
