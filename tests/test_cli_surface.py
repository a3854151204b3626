"""The CLI surface a newcomer reaches from the README and the pre-commit hook: options that
change nothing say so, and dates written as periods are told the date meant."""

from __future__ import annotations

from click.testing import CliRunner

from cxportfolio.cli import cli

UNIT = "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n  - {id: I-1, title: T, status: idea, effort: lots}\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_errors_only_says_when_it_changes_nothing(portfolio) -> None:
    """--errors-only shapes the text list only: with --format json, --statistics or
    --show-suppressed it was silently without effect (a hook given `args: [--format, json]`)."""
    root = str(portfolio({"u.yaml": UNIT}))
    code, out, err = run("check", root, "--as-of", "2026-06-30", "--errors-only", "--format", "json")
    assert code == 1 and '"CXP401"' in out
    assert err == ("cxportfolio: note: --errors-only changes nothing with --format json, which lists "
                   "every finding (it shapes the text output)\n")
    _, _, err = run("check", root, "--as-of", "2026-06-30", "--errors-only", "--statistics")
    assert err == "cxportfolio: note: --errors-only changes nothing with --statistics, which counts every finding\n"
    _, _, err = run("check", root, "--as-of", "2026-06-30", "--errors-only", "--show-suppressed")
    assert err == ("cxportfolio: note: --show-suppressed shows nothing with --errors-only: a finding "
                   "accepted by allow: never fails the check\n")
    assert run("check", root, "--as-of", "2026-06-30", "--errors-only", "-q", "--format", "json")[2] == ""
    assert run("check", root, "--as-of", "2026-06-30", "--errors-only")[2] == ""


def test_as_of_a_year_is_told_its_last_day(portfolio) -> None:
    """report --period takes 2026 as it takes 2026-Q3: --as-of 2026 got no hint where
    --as-of 2026-Q3 was told its last day."""
    root = str(portfolio({"u.yaml": UNIT}))
    code, _, err = run("check", root, "--as-of", "2026")
    assert code == 2 and "'2026' is not a date written YYYY-MM-DD: for the end of 2026, write --as-of 2026-12-31" in err
    assert "write --as-of 2026-09-30" in run("check", root, "--as-of", "2026-q3")[2]


def test_shell_completion_offers_the_rule_names_rules_takes() -> None:
    """`cxportfolio rules unknown-reference` explains CXP102, but Tab after `rules unknown-`
    completed nothing: only the codes were offered."""
    def completed(words: str) -> list[str]:
        env = {"_CXPORTFOLIO_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "2"}
        result = CliRunner().invoke(cli, [], prog_name="cxportfolio", env=env)
        return [line.split(",", 1)[1] for line in result.output.splitlines()]

    assert completed("cxportfolio rules unknown-") == ["unknown-reference", "unknown-stage"]
    assert completed("cxportfolio rules dup") == ["duplicate-id", "duplicate-initiative", "duplicate-key",
                                                  "duplicate-kpi"]
    assert completed("cxportfolio rules co") == ["comment-as-value", "conflicting-goals"]
    assert completed("cxportfolio rules cxp10") == [f"CXP10{n}" for n in range(1, 10)]


def test_a_command_written_in_capitals_is_told_the_command() -> None:
    """`Lint` was told 'check' (the words are matched in any case), but `CHECK` itself, or
    `Rank`, was told nothing: the spelling was matched against lower-case commands as written."""
    assert run("CHECK")[2] == "cxportfolio: no such command 'CHECK'; did you mean 'check'? (see `cxportfolio --help`)\n"
    assert "no such command 'Rank'; did you mean 'rank'?" in run("Rank")[2]
    assert "no such command 'CHEK'; did you mean 'check'?" in run("CHEK")[2]


def test_rules_given_a_code_prefix_lists_the_rules_it_names() -> None:
    """`--select CXP4` takes a prefix and README completes `rules CXP4`, but `rules CXP4` was
    told "did you mean one of 'CXP004', 'CXP104', 'CXP304' or 5 more?": it lists CXP401–CXP405."""
    code, out, err = run("rules", "cxp40")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == ["CXP401", "CXP402", "CXP403", "CXP404", "CXP405"]
    assert out.splitlines()[0] == "CXP401  no-pain-point          warning  an initiative addresses no pain point"
    code, _, err = run("rules", "CXP9")
    assert code == 2 and "unknown rule code CXP9; did you mean 'CXP109'?" in err
