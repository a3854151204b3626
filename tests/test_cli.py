"""End to end: the click commands through CliRunner, and the real executable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cxportfolio import __version__
from cxportfolio.cli import CHECK_FORMATS, cli
from cxportfolio.render import CHECK_RENDERERS

AS_OF = ["--as-of", "2026-06-30"]
BROKEN_UNIT = """\
unit: digital
units:
  - {id: digital, name: Digital, capacity: 10}
initiatives:
  - id: DIG-1
    title: Status tracker
    status: in_progress
    effort: lots
  - id: DIG-2
    title: Chat
    status: idea
    depends_on: [DIG-3]
    addresses: [PP-long-form]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_format_choices_are_the_renderers() -> None:
    assert set(CHECK_FORMATS) == set(CHECK_RENDERERS)


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("--help")
    assert code == 0 and "check" in out and "Exit codes" in out
    # `cxportfolio` alone asks what it can do: the same help, not a usage error (a
    # newcomer met the help on stderr and exit 2, which the README keeps for one line)
    assert run() == (0, out, "")


def test_init_scaffold_passes_check(tmp_path: Path) -> None:
    target = tmp_path / "new"
    code, out, _ = run("init", str(target), "--year", "2026", "--organization", "Ærø Kommune")
    assert code == 0 and "cxportfolio check" in out
    code, out, _ = run("check", str(target), *AS_OF)
    assert (code, out) == (0, "Checked 5 files, 1 initiative: no findings.\n")


@pytest.mark.parametrize("name", ["City of Oslo: Welfare", "- Team", "*Stars", "@home", "A # B", "yes", "2026",
                                  'The "best" bank', "two\nlines", "Nordbank ASA"])
def test_init_writes_any_organization_as_itself(name: str, tmp_path: Path) -> None:
    """Found by a newcomer: `--organization "City of Oslo: Welfare"` was written unquoted,
    so the scaffold that "passes check at once" was a CXP001 (and a `#` cut the name)."""
    code, _, _ = run("init", str(tmp_path / "new"), "--year", "2026", "--organization", name)
    assert code == 0
    assert yaml.safe_load((tmp_path / "new" / "cxportfolio.yaml").read_text(encoding="utf-8"))["organization"] == name
    code, out, _ = run("check", str(tmp_path / "new"), *AS_OF)
    assert (code, out) == (0, "Checked 5 files, 1 initiative: no findings.\n")
    if name == "Nordbank ASA":  # plain where YAML reads it as written
        assert "organization: Nordbank ASA\n" in (tmp_path / "new" / "cxportfolio.yaml").read_text(encoding="utf-8")


def test_init_refuses_an_empty_organization(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "new"), "--organization", " ")
    assert code == 2 and "give the organization's name" in err and not (tmp_path / "new").exists()


def test_rules_suggests_the_code_meant() -> None:
    code, _, err = run("rules", "CXP210")
    assert code == 2 and "did you mean 'CXP201'?" in err and err.count("\n") == 1


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    code, _, err = run("init", str(tmp_path))
    assert code == 2 and "already holds a portfolio" in err and err.count("\n") == 1


def test_check_missing_path_is_exit_2_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    code, out, err = run("check", str(missing))
    assert (code, out) == (2, "")
    assert err == f"cxportfolio: {missing}: no such file or directory\n"


def test_a_device_or_a_pipe_is_no_portfolio_and_no_lack_of_permission(tmp_path: Path) -> None:
    """`check /dev/null` was told "permission denied … check their permissions" (a device has
    no folder to enter): it is told what the path is and what to give instead."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for path in (Path("/dev/null"), pipe):
        for command in ("check", "rank", "report"):
            code, out, err = run(command, str(path))
            assert (code, out) == (2, ""), err
            assert err == (f"cxportfolio: {path}: is neither a file nor a folder (a device, a pipe or a socket); "
                           "give the portfolio directory (the one holding cxportfolio.yaml)\n")


def test_a_mistyped_portfolio_folder_is_told_the_one_meant(tmp_path: Path) -> None:
    """Found by a newcomer: `check my-portfolo` got no "did you mean", where a mistyped
    command or option does. Only a folder is proposed, and only one clearly meant."""
    (tmp_path / "my-portfolio").mkdir()
    (tmp_path / "my-portfolio.yaml").write_text("")
    for command in ("check", "rank", "track"):
        code, out, err = run(command, str(tmp_path / "my-portfolo"))
        assert (code, out) == (2, ""), err
        assert err == (f"cxportfolio: {tmp_path / 'my-portfolo'}: no such file or directory; "
                       f"did you mean '{tmp_path / 'my-portfolio'}'?\n")
    (tmp_path / "my-portfoloi").mkdir()  # two as alike: none is picked for the user
    assert run("check", str(tmp_path / "my-portfolo"))[2].endswith(": no such file or directory\n")


def test_the_folder_meant_is_named_with_a_line_break_shown(tmp_path: Path) -> None:
    """Found by a trust-boundary hunter: `check nordbank` beside a folder `nordban<LF>k` was
    asked "did you mean 'nordban k'?" (the one-line message folded the line break), another
    folder, one a pull request can add. It is named with the escape, as the text output names files."""
    (tmp_path / "nordban\nk").mkdir()
    code, _, err = run("check", str(tmp_path / "nordbank"))
    assert (code, err) == (2, f"cxportfolio: {tmp_path / 'nordbank'}: no such file or directory; "
                              f"did you mean '{tmp_path}/nordban\\nk'?\n")


def test_a_path_that_is_a_broken_link_says_where_it_leads(tmp_path: Path) -> None:
    """Found by a positions hunter: a link round to itself, given as PATH, was "no such file
    or directory" — there is one, the link."""
    loop, dead = tmp_path / "loop", tmp_path / "dead"
    loop.symlink_to(loop)
    dead.symlink_to(tmp_path / "gone")
    code, out, err = run("check", str(loop))
    assert (code, out, err) == (2, "", f"cxportfolio: {loop}: a link that leads to no file or folder (it leads into "
                                       "a loop of links): fix the link, or give the portfolio folder\n")
    chain = tmp_path / "chain"
    chain.symlink_to(dead)  # a link to a link to nothing: what is missing is at the chain's end
    for link in (dead, chain):
        code, _, err = run("check", str(link))
        assert code == 2 and f"(it leads to {(tmp_path / 'gone').resolve()}, which does not exist)" in err
        assert err.count("\n") == 1


def test_check_errors_exit_1_with_located_messages(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), *AS_OF)
    assert code == 1
    assert "units/digital.yaml:8:13: CXP002 [error] effort must be a number, got 'lots' (initiative DIG-1)" in out
    assert "units/digital.yaml:12:18: CXP102 [error] depends_on[0] names unknown initiative 'DIG-3'" in out
    # DIG-1 keeps its valid fields, so the rules that do not need `effort` still see it.
    assert "units/digital.yaml:5:9: CXP401 [warning] DIG-1 addresses no pain point" in out
    # and the summary says that what the two refused values hold is left out meanwhile
    assert out.endswith("Checked 6 files, 3 initiatives: 2 errors, 1 warning, 0 infos. Findings are limited by "
                        "2 mistakes in values (their findings say where): correcting one may bring up a finding "
                        "that needs it.\n")


def test_check_json_has_the_contract_shape(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--format", "json", *AS_OF)
    document = json.loads(out)
    assert code == 1 and document["version"] == 1
    assert {k: document["summary"][k] for k in ("errors", "warnings", "infos", "files", "initiatives")} == {
        "errors": 2, "warnings": 1, "infos": 0, "files": 6, "initiatives": 3}
    first = next(f for f in document["findings"] if f["code"] == "CXP002")
    assert {k: first[k] for k in ("code", "rule", "severity", "file", "line", "column", "entities")} == {
        "code": "CXP002", "rule": "schema", "severity": "error", "file": "units/digital.yaml",
        "line": 8, "column": 13, "entities": ["DIG-1"]}
    assert first["related"] == []


def test_select_ignore_and_rule_severity(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--select", "CXP1", *AS_OF)
    assert code == 1 and "CXP102" in out and "CXP401" not in out
    code, out, _ = run("check", str(tmp_path), "--ignore", "CXP102,CXP401", *AS_OF)
    assert code == 1 and "CXP102" not in out and "CXP401" not in out
    # Syntax, schema, id and configuration-change checks run whatever --select and --ignore
    # say: a narrowed check must not pass a file it could not read (found by a newcomer).
    for narrowed in (("--select", "CXP3"), ("--ignore", "CXP0"), ("--ignore", "CXP002,CXP102,CXP401")):
        code, out, _ = run("check", str(tmp_path), *narrowed, *AS_OF)
        assert code == 1 and "CXP002" in out, narrowed
    (tmp_path / "units" / "digital.yaml").write_text("initiatives:\n  - id: [unclosed\n", encoding="utf-8")
    code, out, err = run("check", str(tmp_path), "--select", "CXP3", "--ignore", "CXP001,CXP3", *AS_OF)
    assert code == 1 and "CXP001" in out
    assert err == ("cxportfolio: note: --ignore CXP001 changes nothing: the syntax, repeated-key, schema, id and "
                   "configuration-change checks always run\n")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    config = tmp_path / "cxportfolio.yaml"
    clean = config.read_text()
    config.write_text(clean.replace("rules: {}", "rules: {CXP102: warning, CXP401: 'off'}"))
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT.replace("effort: lots", "effort: 3"), encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), *AS_OF)
    assert code == 0 and "CXP102 [warning]" in out and "CXP401" not in out
    code, _, _ = run("check", str(tmp_path), "--strict", *AS_OF)
    assert code == 1
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    # Syntax, schema and id checks cannot be switched off from a pull request (SECURITY.md).
    config.write_text(clean.replace("rules: {}", "rules: {CXP002: 'off', CXP001: 'off', CXP101: 'off'}"))
    code, out, _ = run("check", str(tmp_path), *AS_OF)
    assert code == 1 and "effort must be a number" in out
    assert out.count("cannot be switched off") == 3


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path), "--as-of", "30.06.2026")
    assert code == 2 and "YYYY-MM-DD" in err
    # written right but no date: say what is wrong with it (found by a newcomer)
    code, _, err = run("check", str(tmp_path), "--as-of", "2026-13-01")
    assert code == 2 and "'2026-13-01' is written YYYY-MM-DD but is no date: month must be in 1..12" in err


@pytest.mark.parametrize(("written", "meant"), [
    ("30.06.2026", "2026-06-30"), ("1.7.2026", "2026-07-01"), ("2026/6/30", "2026-06-30"), ("20260630", "2026-06-30"),
    ("6/30/2026", "2026-06-30"), ("03/04/2026", None), ("31.02.2026", None), ("202661", None),
])
def test_a_date_written_otherwise_is_told_how_to_write_it(written: str, meant: str | None, tmp_path: Path) -> None:
    """Found by a user: `--as-of 30.06.2026` (as a Norwegian writes it) was told only "not a
    date written YYYY-MM-DD": the day it names is written out, when it names one day
    (`03/04/2026` may be March or April: no guess)."""
    code, out, err = run("check", str(tmp_path), "--as-of", written)
    write = f": write --as-of {meant}" if meant else ""
    assert (code, out, err) == (2, "", f"cxportfolio: invalid value for '--as-of': '{written}' is not a date written "
                                       f"YYYY-MM-DD{write} (see `cxportfolio check --help`)\n")


def test_a_bad_rule_prefix_names_its_option_and_echoes_what_was_written(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path), "--ignore", "CXP1,foo")
    assert code == 2 and "invalid value for '--ignore': 'foo' is not a rule code prefix" in err


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    run("init", str(tmp_path), "--year", "2026")
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    outputs = {run("check", str(tmp_path), "--format", fmt, *AS_OF)[1] for fmt in ["json"] * 3}
    assert len(outputs) == 1


def test_real_executable_in_a_subprocess(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "cxportfolio", "init", str(tmp_path), "--year", "2026"],
                   check=True, capture_output=True)
    (tmp_path / "units" / "digital.yaml").write_text(BROKEN_UNIT + "  - {id: DIG-4, title: [x\n",
                                                     encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cxportfolio", "check", str(tmp_path), *AS_OF],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "units/digital.yaml:15:" in done.stdout and "CXP001" in done.stdout


def test_internal_failure_is_one_line_exit_2(tmp_path: Path, monkeypatch) -> None:
    import cxportfolio.engine as engine

    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(engine, "run_check", explode)
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and err == "cxportfolio: internal error: RuntimeError: boom second line (please report this)\n"


# --- issue 17: the command line works from anywhere -----------------------------------------

def _portfolio_at(root: Path, broken: bool = True) -> Path:
    run("init", str(root), "--year", "2026")
    if broken:
        (root / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    return root


def test_usage_errors_are_one_line_on_stderr_exit_2() -> None:
    for args, expected in [
        (["check", "--bogus"], "cxportfolio: no such option '--bogus' (see `cxportfolio check --help`)\n"),
        (["--bogus"], "cxportfolio: no such option '--bogus' (see `cxportfolio --help`)\n"),
        # a value missing at the end: the command's help, not the program's (found by a tester)
        (["rank", "--capacity"], "cxportfolio: option '--capacity' requires an argument (see `cxportfolio rank --help`)\n"),
        (["check", ".", "--output"], "cxportfolio: option '--output' requires an argument "
                                     "(see `cxportfolio check --help`)\n"),
        (["rank", "--top", "0"], None),
        (["check", "--format", "xml"], None),
        (["chek"], None),
    ]:
        code, out, err = run(*args)
        assert (code, out) == (2, ""), args
        assert err.startswith("cxportfolio: ") and err.count("\n") == 1 and "--help`)" in err, err
        assert expected is None or err == expected


@pytest.mark.parametrize(("args", "meant"), [
    (["chek"], "no such command 'chek'; did you mean 'check'? (see `cxportfolio --help`)"),
    (["trak"], "no such command 'trak'; did you mean 'track'? (see `cxportfolio --help`)"),
    (["rnak"], "no such command 'rnak'; did you mean 'rank'? (see `cxportfolio --help`)"),
    (["xyzzy"], "no such command 'xyzzy' (see `cxportfolio --help`)"),
    (["check", "--strcit"], "no such option '--strcit'; did you mean '--strict'? (see `cxportfolio check --help`)"),
    (["check", "--formt", "json"], "no such option '--formt'; did you mean '--format'? "
                                   "(see `cxportfolio check --help`)"),
    (["check", "--out", "x"], "no such option '--out'; did you mean '--output'? (see `cxportfolio check --help`)"),
    (["rank", "--ecplain", "X"], "no such option '--ecplain'; did you mean '--explain'? "
                                 "(see `cxportfolio rank --help`)"),
    (["--verison"], "no such option '--verison'; did you mean '--version'? (see `cxportfolio --help`)"),
])
def test_a_mistyped_command_or_option_is_told_the_closest(args: list[str], meant: str) -> None:
    """Found by a user: `cxportfolio chek` was told "Did you mean one of: 'check', 'schema'?"
    (click names all difflib finds, alphabetically), `rank --ecplain` '--explain', '--lane'
    and '--plan': the closest only, in the words of every other "did you mean"."""
    assert run(*args) == (2, "", f"cxportfolio: {meant}\n")


@pytest.mark.parametrize(("args", "meant"), [
    (["rank", "--status", "in-progress"], "in_progress"), (["rank", "--by", "journy"], "journey"),
    (["rank", "--lane", "quickwin"], "quick-win"), (["check", "--format", "sarf"], "sarif"),
    (["check", "--color", "allways"], "always"), (["schema", "--kind", "portfolo"], "portfolio"),
    (["check", "--format", "xml"], None),
])
def test_a_mistyped_choice_is_told_the_one_meant(args: list[str], meant: str | None) -> None:
    """`rank --status in-progress` was told the six statuses, not which one was meant (the
    one letter, `_` for `-`): a value of a file is told it."""
    code, out, err = run(*args)
    assert (code, out) == (2, "") and err.count("\n") == 1 and " is not one of " in err
    assert err.endswith(f"; did you mean '{meant}'? (see `cxportfolio {args[0]} --help`)\n" if meant
                        else f"'junit' (see `cxportfolio {args[0]} --help`)\n"), err


@pytest.mark.parametrize(("args", "told"), [
    (["--format", "json", "check", "my portfolio"],
     "--format is an option of check, not of cxportfolio: write it after the command "
     "(`cxportfolio check --format json 'my portfolio'`)"),
    (["-q", "check"],
     "-q is an option of check, not of cxportfolio: write it after the command (`cxportfolio check -q`)"),
    (["--strict"], "--strict is an option of the commands check, rank, track, report: write it after the command"),
    (["--kind", "config", "rank"], "no such option '--kind'"),  # not rank's: nothing to move
])
def test_a_commands_option_before_the_command_is_told_where_it_goes(args: list[str], told: str) -> None:
    """Found by a user: `cxportfolio --format json check` was "no such option '--format'
    (see `cxportfolio --help`)", as if there were no such option at all."""
    assert run(*args) == (2, "", f"cxportfolio: {told} (see `cxportfolio --help`)\n")


def test_a_mistyped_command_is_told_the_closest_by_the_executable() -> None:
    done = subprocess.run([sys.executable, "-m", "cxportfolio", "chek"], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "cxportfolio: no such command 'chek'; did you mean 'check'? (see `cxportfolio --help`)\n")


def _locked(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """`folder` as a user who may not enter it meets it (chmod 000 does not stop root)."""
    import os

    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(str(folder) + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    import pathlib

    if hasattr(pathlib, "_NormalAccessor"):  # Python 3.10: Path.stat calls the os.stat it bound at import
        monkeypatch.setattr(pathlib._NormalAccessor, "stat", staticmethod(stat))


@pytest.mark.parametrize("args", [["check", "{locked}/p"], ["rank", "{locked}/p"], ["init", "{locked}/p"]])
def test_a_path_in_a_folder_that_cannot_be_entered_is_one_line(args: list[str], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a user: `check x/y` where x may not be entered (a colleague's folder) was
    "internal error: PermissionError: [Errno 13] Permission denied: 'x/y' (please report
    this)", as `init`, `diff`, `report --out` and `check --output` there were."""
    _locked(monkeypatch, tmp_path / "locked")
    code, out, err = run(*[a.format(locked=tmp_path / "locked") for a in args])
    assert (code, out, err) == (2, "", f"cxportfolio: {tmp_path}/locked/p: permission denied (to it, or to a "
                                       "folder on its way): check their permissions\n")


@pytest.mark.parametrize("args", [["check", "{p}"], ["track", "{p}"],
                                  ["diff", "--base-dir", "{p}", "--head-dir", "{p}"]])
def test_a_portfolio_folder_that_cannot_be_read_is_said_so(args: list[str], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH the user may not read was click's "invalid value for '[PATH]': Path 'p' is not
    readable (see `cxportfolio check --help`)", which the help does not explain; one they
    may read but not enter (mode 644) "not a portfolio root, cxportfolio.yaml is missing
    (run `cxportfolio init` to start one)": a second portfolio, over the first."""
    import os

    root = _portfolio_at(tmp_path / "p", broken=False)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if Path(path) == root
                        else real_access(path, mode, *a, **k))
    code, out, err = run(*[a.format(p=root) for a in args], *AS_OF)
    assert (code, out, err) == (2, "", f"cxportfolio: {root}: permission denied (to it, or to a folder on its way): "
                                       "check their permissions\n")


def test_a_name_too_long_is_one_line() -> None:
    code, out, err = run("check", "a" * 300)
    assert (code, out, err) == (2, "", f"cxportfolio: {'a' * 300}: file name too long\n")


def test_without_path_the_portfolio_is_found_upward(tmp_path: Path, monkeypatch) -> None:
    _portfolio_at(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p" / "units")
    code, out, err = run("check", *AS_OF)
    assert (code, err) == (1, "")
    # and paths are relative to here, so that an editor opens them
    # (by the shortest way: `digital.yaml`, not `../units/digital.yaml`)
    assert "\ndigital.yaml:8:13: CXP002 [error] effort must be a number" in out
    assert (Path.cwd() / "digital.yaml").is_file()
    code, out, _ = run("rank", "--explain", "DIG-2", *AS_OF)
    assert code == 0 and "DIG-2" in out
    assert run("track", *AS_OF)[0] == 0 and run("report", *AS_OF)[0] == 0


def test_explain_of_an_initiative_left_out_says_why_not_unknown(tmp_path: Path) -> None:
    """DIG-1's effort is refused, so the figures leave it out: `--explain DIG-1` says so
    and where, instead of calling it unknown and suggesting another id."""
    root = _portfolio_at(tmp_path / "bank")
    code, out, err = run("rank", str(root), "--explain", "DIG-1", *AS_OF)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("cxportfolio: initiative 'DIG-1' has no score: the figures leave it out "
                                    "(a value refused, units/digital.yaml); fix what `cxportfolio check` reports there")
    code, _, err = run("rank", str(root), "--explain", "DIG-9", *AS_OF)
    assert code == 2 and "no initiative 'DIG-9'" in err


def test_explain_of_an_id_an_unreadable_file_may_define_calls_it_not_unknown(tmp_path: Path) -> None:
    """Found by a metamorphic hunt: with units/retail.yaml made unparsable, `rank --explain
    RET-001` said "no initiative 'RET-001'; did you mean 'IT-001'?" — an id the unreadable
    file defines called unknown, and another initiative proposed. Nothing is missing while a
    file cannot be read (docs/format.md, error tolerance): it says which file may define it."""
    root = shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", tmp_path / "nordbank")
    retail = root / "units" / "retail.yaml"
    retail.write_text(retail.read_text(encoding="utf-8").replace(
        "    title: Plain-language first instalment letter\n",
        "    title: Plain-language first instalment letter\n   x: [\n"), encoding="utf-8")
    code, out, err = run("rank", str(root), "--explain", "RET-001", *AS_OF)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("cxportfolio: no initiative 'RET-001' in the files read: units/retail.yaml "
                                    "cannot be read and may define it; fix what `cxportfolio check` reports there")
    assert run("rank", str(root), "--explain", "DIG-007", *AS_OF)[0] == 0  # what was read is explained


def test_explain_of_a_typo_is_told_the_ids_like_it_while_a_mistake_may_define_it(tmp_path: Path) -> None:
    """Found in review: `rank --explain DIG-07` is told "did you mean one of 'DIG-007',
    'DIG-017'?", but while units/hr.yaml did not parse it was told only that the file may
    define it, and with hr.yaml's `initiatives:` misspelt (its work lost) it was "no
    initiative 'HR-004'; did you mean 'CRD-004'?", an id a mistake may define called unknown.
    Both say what may define it, and the ids like it among those read."""
    root = shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", tmp_path / "nordbank")
    hr = root / "units" / "hr.yaml"
    text = hr.read_text(encoding="utf-8")
    hr.write_text(text + ":::bad\n", encoding="utf-8")
    code, out, err = run("rank", str(root), "--explain", "DIG-07", *AS_OF)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("cxportfolio: no initiative 'DIG-07' in the files read: units/hr.yaml cannot be "
                                    "read and may define it; fix what `cxportfolio check` reports there; among the "
                                    "files read, did you mean one of 'DIG-007', 'DIG-017'? (2 are equally alike)")
    assert text.count("\ninitiatives:") == 1
    hr.write_text(text.replace("\ninitiatives:", "\ninitiativs:"), encoding="utf-8")
    code, out, err = run("rank", str(root), "--explain", "HR-004", *AS_OF)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("cxportfolio: no initiative 'HR-004' in the files read: a mistake may define it "
                                    "unseen (`cxportfolio check` says where)")  # CRD-004, another unit's, is not its typo


def test_explain_of_an_id_a_taken_one_may_be_says_so_in_the_plans_words(tmp_path: Path) -> None:
    """Found by a fixer: with IT-002's id written IT-001 (CXP101), `rank --explain IT-020`
    was told a mistake may define it "(an item refused, or values lost)": neither was so
    (IT-002 may be any id now). It is told what the plan tells of such a dependency: "a
    mistake may define it unseen (`cxportfolio check` says where)", true of each mistake."""
    root = shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", tmp_path / "nordbank")
    it = root / "units" / "it-platform.yaml"
    text = it.read_text(encoding="utf-8")
    assert text.count("  - id: IT-002\n") == 1
    it.write_text(text.replace("  - id: IT-002\n", "  - id: IT-001\n"), encoding="utf-8")
    code, out, err = run("rank", str(root), "--explain", "IT-020", *AS_OF)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == ("cxportfolio: no initiative 'IT-020' in the files read: a mistake may define it "
                                    "unseen (`cxportfolio check` says where)")


@pytest.mark.parametrize(("written", "told"), [
    ("IT-010", "did you mean 'IT-001'?"),  # 6 characters, two swapped: 83 alike by fuzz.ratio
    ("DIG-070", "did you mean one of 'DIG-007', 'DIG-010', 'DIG-020'? (3 are equally alike)"),  # 7: 86
    ("IT-01", "did you mean 'IT-001'?"),  # one left out
    ("it_001", "did you mean 'IT-001'?"),  # case and separator only
    ("IT-100", None),  # two slips from IT-001: another id, not its typo
    ("HR-001", None),  # another unit's of the same number
])
def test_an_id_one_slip_from_one_read_is_told_its_typo_whatever_its_length(
        tmp_path: Path, written: str, told: str | None) -> None:
    """Found by a fixer: while units/hr.yaml did not parse, `rank --explain IT-010` (IT-001
    with two digits swapped) was told no id like it, where `--explain DIG-070` was told
    DIG-007: "nearly the same" was 85 alike by fuzz.ratio, which one slip reaches in a
    7-character id and not in a 6-character one. One slip is the test now, at any length:
    one character left out, added or wrong, or two beside each other swapped."""
    root = shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", tmp_path / "nordbank")
    hr = root / "units" / "hr.yaml"
    hr.write_text(hr.read_text(encoding="utf-8") + ":::bad\n", encoding="utf-8")
    code, out, err = run("rank", str(root), "--explain", written, *AS_OF)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (f"cxportfolio: no initiative '{written}' in the files read: units/hr.yaml cannot be "
                                    "read and may define it; fix what `cxportfolio check` reports there"
                                    + (f"; among the files read, {told}" if told else ""))


def test_without_path_the_only_portfolio_below_is_used_and_named(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    _portfolio_at(repo / "portfolios" / "bank")
    # not portfolios: a hidden folder's, a virtual environment's, node_modules', one behind a link
    for ignored in (".git/p", ".venv/p", "node_modules/p"):
        _portfolio_at(repo / ignored)
    _portfolio_at(tmp_path / "elsewhere")
    (repo / "docs").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    monkeypatch.chdir(repo)
    code, out, err = run("check", *AS_OF)
    assert code == 1 and err == "cxportfolio: using the portfolio in portfolios/bank\n"
    lines = out.splitlines()
    assert "portfolios/bank/units/digital.yaml:8:13: CXP002 [error] effort must be a number, got 'lots' (initiative DIG-1)" in lines
    assert lines[-1].startswith("Checked 6 files")
    code, quiet, err = run("check", "-q", *AS_OF)  # -q: findings only, no note, no summary
    limits = out[out.index("Findings are limited by", out.rindex("\n\nChecked")):]
    assert (code, err) == (1, "") and quiet == out[:out.rindex("\n\nChecked")] + "\n\n" + limits
    code, out, err = run("rank", "--explain", "DIG-2", *AS_OF)
    assert code == 0 and "DIG-2" in out and "using the portfolio in portfolios/bank" in err


def test_without_path_several_or_no_portfolios_are_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("check")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith("cxportfolio: no portfolio here: no cxportfolio.yaml in this folder or above it")
    _portfolio_at(tmp_path / "b", broken=False)
    _portfolio_at(tmp_path / "a" / "x", broken=False)
    code, out, err = run("track")
    assert (code, out) == (2, "")
    assert err == "cxportfolio: 2 portfolios below this folder: b, a/x; give one as PATH\n"


def test_a_folder_above_one_portfolio_names_it_in_a_sentence(tmp_path: Path, monkeypatch) -> None:
    """Found by a newcomer: `check .` above `portfolio/` (the action's default path) said
    "the portfolio below it: portfolio: give one as PATH"; one is named as the folder to give."""
    _portfolio_at(tmp_path / "portfolio", broken=False)
    monkeypatch.chdir(tmp_path)
    for path, named in ((".", "portfolio/"), ("./", "portfolio/"), (str(tmp_path), f"{tmp_path}/portfolio/")):
        code, out, err = run("check", path)
        assert (code, out) == (2, "")
        assert err == (f"cxportfolio: {path.rstrip('/') or path}: not a portfolio root, cxportfolio.yaml is missing; "
                       f"the portfolio below it is {named}: give it as PATH\n"), err
    assert run("check", "portfolio", "--as-of", "2026-06-30")[0] in (0, 1)  # as it says


def test_portfolios_found_below_are_named_with_a_line_break_shown(tmp_path: Path, monkeypatch) -> None:
    """Found by a trust-boundary hunter: a folder `a<LF>b` holding a portfolio beside another
    was named `a b` (the one-line message folded its line break), another folder, one a pull
    request can add; and `d<TAB>e` as `d e`. Each is named with the escape, as in the text output."""
    for name in ("a\nb", "c", "d\te"):
        _portfolio_at(tmp_path / "p" / name, broken=False)
    monkeypatch.chdir(tmp_path / "p")
    code, _, err = run("check")
    assert (code, err) == (2, "cxportfolio: 3 portfolios below this folder: a\\nb, c, d\\te; give one as PATH\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("check", "p")
    assert code == 2 and err.endswith("the portfolios below it: p/a\\nb, p/c, p/d\\te: give one as PATH\n")


def test_a_path_inside_a_portfolio_names_the_portfolio(tmp_path: Path, monkeypatch) -> None:
    """Found by a newcomer: `check agency/units` said "not a portfolio root, cxportfolio.yaml
    is missing (run `cxportfolio init` to start one)", and following it made a portfolio
    inside the portfolio. A PATH inside one (a folder, a file) names it instead; and the
    message when none is found says how far below it was looked for (four levels)."""
    root = _portfolio_at(tmp_path / "agency")
    monkeypatch.chdir(tmp_path)
    for command in ("check", "rank", "track", "report"):
        code, out, err = run(command, "agency/units", *AS_OF)
        assert (code, out) == (2, "")
        assert err == (f"cxportfolio: agency/units is inside the portfolio agency: run `cxportfolio {command} "
                       "agency` (or with no PATH from inside it)\n")
    code, _, err = run("check", "agency/units/digital.yaml", *AS_OF)
    assert code == 2 and err == ("cxportfolio: agency/units/digital.yaml is a file inside the portfolio agency: "
                                 "run `cxportfolio check agency` (or with no PATH from inside it)\n")
    code, _, err = run("check", str(root / "units"), *AS_OF)
    assert code == 2 and err.startswith(f"cxportfolio: {root / 'units'} is inside the portfolio {root}: "
                                        f"run `cxportfolio check {root}`")
    code, _, err = run("diff", "agency/units", "--base", "HEAD", *AS_OF)
    assert code == 2 and err == ("cxportfolio: agency/units is inside the portfolio agency: give agency as PATH "
                                 "(or none, from inside it)\n")
    monkeypatch.chdir(root / "units")
    code, _, err = run("check", ".", *AS_OF)
    assert code == 2 and err == ("cxportfolio: . is inside the portfolio ..: run `cxportfolio check ..` "
                                 "(or with no PATH from inside it)\n")
    assert run("check", *AS_OF)[0] == 1 and run("check", "..", *AS_OF)[0] == 1  # as it says
    assert run("check", "../cxportfolio.yaml", *AS_OF)[0] == 1
    assert not (root / "units" / "cxportfolio.yaml").exists()
    (tmp_path / "empty").mkdir()
    code, _, err = run("check", str(tmp_path / "empty"), *AS_OF)  # no portfolio above: as before
    assert code == 2 and err.endswith("not a portfolio root, cxportfolio.yaml is missing (run `cxportfolio init` "
                                      "to start one)\n")
    monkeypatch.chdir(tmp_path / "empty")
    code, _, err = run("check", *AS_OF)
    assert code == 2 and err == ("cxportfolio: no portfolio here: no cxportfolio.yaml in this folder or above it, "
                                 "nor in the folders below it, up to 4 levels down; give the portfolio's folder as "
                                 "PATH, or start one with `cxportfolio init`\n")


def test_discovery_below_is_bounded(tmp_path: Path, monkeypatch) -> None:
    from cxportfolio.load import discovery

    _portfolio_at(tmp_path / "one" / "two" / "three" / "four" / "five", broken=False)  # too deep
    monkeypatch.chdir(tmp_path)
    code, _, err = run("check")
    assert code == 2 and "no portfolio here" in err
    _portfolio_at(tmp_path / "near", broken=False)
    monkeypatch.setattr(discovery, "MAX_ENTRIES", 2)  # a search that did not finish decides nothing
    code, _, err = run("check")
    assert code == 2 and err == ("cxportfolio: the search below this folder stopped after 2 entries, having "
                                 "found near; give the portfolio as PATH\n")


def test_paths_outside_the_working_directory_use_dotdot(tmp_path: Path, monkeypatch) -> None:
    _portfolio_at(tmp_path / "p")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    out = run("check", "../p", *AS_OF)[1]
    assert "\n../p/units/digital.yaml:8:13: CXP002 [error]" in out
    for fmt, expected in [("github", "file=../p/units/digital.yaml,"), ("gitlab", '"path":"../p/units/digital.yaml"'),
                          ("sarif", '"uri": "../p/units/digital.yaml"')]:
        assert expected in run("check", "../p", "--format", fmt, *AS_OF)[1].replace('"path": "', '"path":"'), fmt
    # JSON keeps its contract (docs/ci.md, JSON for programs): paths relative to the portfolio root
    assert '"file":"units/digital.yaml"' in run("check", "../p", "--format", "json", *AS_OF)[1]


def _in_here_with_a_link_beside_p(tmp_path: Path, monkeypatch) -> None:
    """In here/, whose `link` leads to elsewhere/deep, beside the portfolio elsewhere/p: `link/../p`
    is p to the system, and nothing to a reading of the text; outside CI."""
    _portfolio_at(tmp_path / "elsewhere" / "p")
    (tmp_path / "elsewhere" / "deep").mkdir()
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "link").symlink_to(tmp_path / "elsewhere" / "deep", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "here")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)


def test_a_path_going_up_from_a_link_names_the_files_read(tmp_path: Path, monkeypatch) -> None:
    # found by a determinism hunter: `link/../p` reads p beside the link's target, as the
    # system goes up, but findings named `p/units/...`, here: a file that was not read
    _in_here_with_a_link_beside_p(tmp_path, monkeypatch)
    read = tmp_path / "elsewhere" / "p" / "units" / "digital.yaml"
    line = next(x for x in run("check", "link/../p", *AS_OF)[1].splitlines() if ":8:13: CXP002 [error]" in x)
    assert (tmp_path / "here" / line.split(":")[0]).resolve() == read.resolve()
    github = run("check", "link/../p", "--format", "github", *AS_OF)[1]
    assert "file=../elsewhere/p/units/digital.yaml,line=8," in github


def test_a_folder_inside_a_portfolio_going_up_from_a_link_names_the_portfolio(tmp_path: Path, monkeypatch) -> None:
    # found by a determinism hunter: `link/../p/units` was looked up as text, found no
    # portfolio around it, and was told to run `cxportfolio init` inside the portfolio
    _in_here_with_a_link_beside_p(tmp_path, monkeypatch)
    code, out, err = run("check", "link/../p/units", *AS_OF)
    assert code == 2 and out == ""
    assert err == ("cxportfolio: link/../p/units is inside the portfolio ../elsewhere/p: run `cxportfolio check "
                   "../elsewhere/p` (or with no PATH from inside it)\n")


def test_what_is_written_through_link_dotdot_is_named_where_it_is(tmp_path: Path, monkeypatch) -> None:
    # found by a determinism hunter: writers take `link/..` as text (writing.safe_target,
    # never up from a link's target), but said `wrote link/../new/...` and `run cxportfolio
    # check link/../new`, which the system reads beside the link's target: no portfolio there
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "link").symlink_to(tmp_path / "elsewhere" / "deep", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "here")
    code, out, err = run("init", "link/../new")
    assert code == 0, err
    assert "wrote new/cxportfolio.yaml" in out and "then run `cxportfolio check new`." in out
    assert (tmp_path / "here" / "new" / "cxportfolio.yaml").is_file()
    assert run("check", "new")[0] == 0  # the command it says to run works
    out = run("report", "new", "--out", "link/../r.md", *AS_OF)[1]
    assert out == "wrote r.md\n" and (tmp_path / "here" / "r.md").is_file()
    assert run("schema", "--write", "link/../s")[1] == "wrote s/config.schema.json\nwrote s/portfolio.schema.json\n"
    assert not (tmp_path / "elsewhere" / "new").exists() and not (tmp_path / "elsewhere" / "r.md").exists()


def test_github_annotations_are_relative_to_the_workspace(tmp_path: Path, monkeypatch) -> None:
    _portfolio_at(tmp_path / "repo" / "cx")
    monkeypatch.chdir(tmp_path / "repo" / "cx")  # a job step with `working-directory: cx`
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = run("check", "--format", "github", *AS_OF)[1]
    assert "file=cx/units/digital.yaml,line=8," in out
    assert "\nunits/digital.yaml:8:13: CXP002" in run("check", *AS_OF)[1]  # text: from here


def test_each_ci_format_is_relative_to_the_checkout_on_stdout_or_in_a_file(tmp_path: Path, monkeypatch) -> None:
    # found by a CI hunter: --output files took the stdout format's paths (sarif and gitlab
    # relative to the step's folder unless stdout was github; --output github never
    # relative to the workspace), and a workspace reached through a link gave `../`
    _portfolio_at(tmp_path / "repo" / "cx")
    (tmp_path / "link").symlink_to(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "link" / "cx")  # `working-directory: cx`, through the link
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "link"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    out = run("check", *AS_OF, "--output", f"sarif={tmp_path / 'r.sarif'}", "--output", f"gitlab={tmp_path / 'g.json'}",
              "--output", f"github={tmp_path / 'a.txt'}", "--output", f"junit={tmp_path / 'j.xml'}")[1]
    assert "\nunits/digital.yaml:8:13: CXP002" in out  # text: from here, for the terminal
    assert '"uri": "cx/units/digital.yaml"' in (tmp_path / "r.sarif").read_text(encoding="utf-8")
    assert '"path": "cx/units/digital.yaml"' in (tmp_path / "g.json").read_text(encoding="utf-8")
    assert "file=cx/units/digital.yaml,line=8," in (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert 'name="cx/units/digital.yaml"' in (tmp_path / "j.xml").read_text(encoding="utf-8")
    assert "file=cx/units/digital.yaml,line=8," in run("check", "--format", "github", *AS_OF)[1]
    # GitLab's checkout, for its formats
    monkeypatch.delenv("GITHUB_WORKSPACE")
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path / "repo"))
    assert '"path": "cx/units/digital.yaml"' in run("check", "--format", "gitlab", *AS_OF)[1]
    assert "\nunits/digital.yaml:8:13: CXP002" in run("check", *AS_OF)[1]


def test_no_color_wins_over_color_always(tmp_path: Path) -> None:
    _portfolio_at(tmp_path)
    colored = CliRunner().invoke(cli, ["check", str(tmp_path), "--color", "always", *AS_OF], color=True).stdout
    assert "\x1b[" in colored
    plain = CliRunner().invoke(cli, ["check", str(tmp_path), "--color", "always", "--no-color", *AS_OF],
                               color=True).stdout
    assert "\x1b[" not in plain and plain == run("check", str(tmp_path), *AS_OF)[1]


GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]


def _bank_repo(tmp_path: Path) -> Path:
    """A repository whose origin/main holds a clean portfolios/bank; the working tree breaks it."""
    repo = tmp_path / "repo"
    _portfolio_at(repo / "portfolios" / "bank", broken=False)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"], ["update-ref", "refs/remotes/origin/main", "HEAD"]):
        subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)
    (repo / "portfolios" / "bank" / "units" / "digital.yaml").write_text(BROKEN_UNIT, encoding="utf-8")
    return repo


def test_diff_takes_path_like_every_command_and_refs_as_options(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(_bank_repo(tmp_path))
    code, out, err = run("diff", "portfolios/bank", "--base", "origin/main", *AS_OF, "--format", "json")
    assert code == 1, err
    assert {"kind": "initiative", "id": "DIG-2", "change": "added", "fields": []} in json.loads(out)["entities"]
    assert run("diff", "--base", "origin/main", *AS_OF, "--format", "json")[1] == out  # found below
    assert run("diff", "portfolios/bank", "--base", "origin/main", "--head", "HEAD", *AS_OF)[0] == 0
    # the spelling: the path read as a git ref; now a pointer to the form that works
    code, out, err = run("diff", "origin/main", "portfolios/bank", *AS_OF)
    assert (code, out) == (2, "")
    assert err == ("cxportfolio: 'portfolios/bank' is a portfolio folder, not a git ref: write "
                   "`cxportfolio diff portfolios/bank --base origin/main`\n")
    shutil.copytree("portfolios/bank", "portfolios/it's bank")  # the command suggested is one a shell runs
    err = run("diff", "origin/main", "portfolios/it's bank", *AS_OF)[2]
    assert err.endswith("write `cxportfolio diff 'portfolios/it'\"'\"'s bank' --base origin/main`\n"), err
    code, _, err = run("diff", "portfolios/bank", "other", "--base", "origin/main")
    assert code == 2 and err == "cxportfolio: diff takes one PATH; give the refs as --base REF and --head REF\n"


def test_diffs_note_on_a_head_at_a_ref_names_its_folder_and_ref(tmp_path: Path, monkeypatch) -> None:
    # found by a CI hunter: it said `cxportfolio check --as-of …`, which from the repository's
    # root finds no portfolio, or another
    repo = _bank_repo(tmp_path)
    for args in (["add", "-A"], ["commit", "-qm", "broken"]):
        subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "portfolios/bank", "--base", "origin/main", "--head", "HEAD", *AS_OF)
    assert code == 1 and err.endswith(
        "run `cxportfolio check portfolios/bank --as-of 2026-06-30` with HEAD checked out\n"), err


def test_diff_reads_a_folder_that_is_no_ref_as_path(tmp_path: Path, monkeypatch) -> None:
    """Found by a newcomer: `diff agency` (PATH, no --base) said "N portfolios below this
    folder ...; give one as PATH", with the PATH given; `diff agency --base-dir pilot` said
    "give BASE as a git ref or as --base-dir DIR, not both" (PATH read as the earlier form's
    BASE); and with one portfolio below, `diff pf` advised `--base-dir pf`, which compares
    the portfolio with itself. A folder that is no git ref is PATH; what is missing is said."""
    repo = _bank_repo(tmp_path)
    pilot = _portfolio_at(tmp_path / "pilot", broken=False)
    monkeypatch.chdir(repo)
    for args in (["portfolios/bank"], ["portfolios/bank/cxportfolio.yaml"], ["portfolios/bank", "--head-dir", "x"]):
        code, out, err = run("diff", *args, *AS_OF)
        assert (code, out) == (2, ""), args
        assert err == (f"cxportfolio: diff {args[0]}: give the base to compare with, as --base REF (a git ref) "
                       "or --base-dir DIR\n")
    code, out, err = run("diff", "portfolios/bank", "--base-dir", str(pilot), *AS_OF)
    assert code == 1 and "\nnew      portfolios/bank/units/digital.yaml:8:13: CXP002" in out, err
    # the head is the working tree at PATH: the note names it, to be checked from here (it
    # said `cxportfolio check`, which here finds no portfolio or another)
    assert err.endswith("run `cxportfolio check portfolios/bank --as-of 2026-06-30`\n")
    code, out, err = run("diff", "portfolios/bank", "--base", "origin/main", *AS_OF)
    assert err.endswith("run `cxportfolio check portfolios/bank --as-of 2026-06-30`\n")
    code, out, err = run("diff", "portfolios/bank", "--base", "HEAD~0", "--head", "origin/main", *AS_OF)
    assert code == 0 and err == ""
    code, out, err = run("diff", "portfolios/bank", "--base-dir", str(pilot), "--head-dir", str(pilot), *AS_OF)
    assert (code, out) == (2, "") and err == ("cxportfolio: diff portfolios/bank: PATH is not read when both sides "
                                              "are directories (--base-dir and --head-dir); leave it out\n")
    code, out, err = run("diff", str(pilot), "portfolios/bank", *AS_OF)
    assert (code, out) == (2, "") and err == (f"cxportfolio: '{pilot}' and 'portfolios/bank' are folders, not git "
                                              f"refs: write `cxportfolio diff --base-dir {pilot} --head-dir "
                                              "portfolios/bank`\n")
    monkeypatch.chdir(repo / "portfolios")  # the only portfolio below: no --base-dir bank, bank against itself
    code, out, err = run("diff", "bank", *AS_OF)
    assert (code, out) == (2, "") and err == ("cxportfolio: diff bank: give the base to compare with, as --base REF "
                                              "(a git ref) or --base-dir DIR\n")
    assert run("diff", "bank", "--base", "origin/main", *AS_OF)[0] == 1
    # the earlier form, with real refs, is read as before
    assert run("diff", "origin/main", "--path", "bank", *AS_OF)[0] == 1
    assert run("diff", "origin/main", "HEAD", "--path", "bank", *AS_OF)[0] == 0
    assert run("diff", "origin/main", *AS_OF)[0] == 1  # the portfolio found below


def test_diff_says_removed_for_an_initiative_gone_and_names_the_dir_option(tmp_path: Path, monkeypatch) -> None:
    """Found by a newcomer: with a unit's file deleted, `diff` said "CS-001: 1 -> - (left
    the top 10)", as if deprioritised, where it was removed; and `diff --base-dir /tmp
    --head-dir p` ended "give one as PATH", where the folder was given as --base-dir."""
    base, head = tmp_path / "base", tmp_path / "head"
    assert run("init", str(base), "--year", "2026")[0] == 0
    shutil.copytree(base, head)
    (head / "units" / "customer-service.yaml").unlink()
    code, out, err = run("diff", "--base-dir", str(base), "--head-dir", str(head), *AS_OF)
    assert "\nrank     CS-001: 1 -> - (removed)\n" in out, out
    # a folder of portfolios given for one side: the advice names that side's option
    monkeypatch.chdir(tmp_path)
    for option, other in (("--base-dir", "--head-dir"), ("--head-dir", "--base-dir")):
        code, out, err = run("diff", option, ".", other, "base", *AS_OF)
        assert code == 2 and err.startswith("cxportfolio: .: not a portfolio root"), err
        assert err.endswith(f"the portfolios below it: base, head: give one as {option}\n"), err


def test_paths_from_a_folder_of_the_portfolio_take_no_detour(tmp_path: Path, monkeypatch) -> None:
    """Found by a newcomer: from `units/`, `check` printed `../units/advisory.yaml:65:16`
    for `advisory.yaml:65:16`: the path went up to the root and back down (the root's
    prefix `../` and the file's path from the root, joined). The shortest path from where
    the command runs, in every format that names files so; JSON keeps root-relative paths."""
    for key in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(key, raising=False)
    root = tmp_path / "p"
    assert run("init", str(root), "--year", "2026")[0] == 0
    unit = root / "units" / "customer-service.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("effort: 6 ", "effort: lots "), encoding="utf-8")
    kpis = root / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("    unit: points\n", "    unit: points\n    zz: 1\n"),
                    encoding="utf-8")
    (root / "units" / "deep").mkdir()
    monkeypatch.chdir(root / "units")
    out = run("check", *AS_OF)[1]
    assert [line.split(": ")[0] for line in out.splitlines() if ": CXP" in line] == [
        "../kpis.yaml:8:5", "customer-service.yaml:15:13"]
    sarif = json.loads(run("check", *AS_OF, "--format", "sarif")[1])
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]] == [
        "../kpis.yaml", "customer-service.yaml"]
    document = json.loads(run("check", *AS_OF, "--format", "json")[1])
    assert [f["file"] for f in document["findings"]] == ["kpis.yaml", "units/customer-service.yaml"]
    monkeypatch.chdir(root / "units" / "deep")
    assert "\n::error file=../customer-service.yaml,line=15," in run("check", *AS_OF, "--format", "github")[1]
    # diff names them so too
    shutil.copytree(root, tmp_path / "old")
    unit.write_text(unit.read_text(encoding="utf-8").replace("planned: 2026-Q2", "planned: someday"), encoding="utf-8")
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("    zz: 1\n", ""), encoding="utf-8")
    monkeypatch.chdir(root / "units")
    out = run("diff", "--base-dir", "../../old", *AS_OF)[1]
    assert "\nnew      customer-service.yaml:18:14: CXP002" in out, out
    assert "\nresolved ../../old/kpis.yaml:8:5: CXP002" in out, out


def test_diff_names_files_as_check_does_from_where_it_runs(tmp_path: Path, monkeypatch) -> None:
    """Regression (issue 17 follow-up): diff printed `units/digital.yaml:8:13` from the
    repository root, where check prints `portfolios/bank/units/...`; JSON keeps paths
    relative to the portfolio root (docs/ci.md, JSON for programs)."""
    repo = _bank_repo(tmp_path)
    monkeypatch.chdir(repo)
    checked = [line.split(" ")[0] for line in run("check", "portfolios/bank", *AS_OF)[1].splitlines()
               if line.startswith("portfolios/")]
    assert "portfolios/bank/units/digital.yaml:8:13:" in checked
    code, out, err = run("diff", "portfolios/bank", "--base", "origin/main", *AS_OF)
    assert code == 1, err
    new = [line.split()[1] for line in out.splitlines() if line.startswith("new ")]
    assert new and new == checked  # every finding is new: the same places, named the same way
    markdown = run("diff", "portfolios/bank", "--base", "origin/main", *AS_OF, "--format", "markdown")[1]
    assert "| portfolios/bank/units/digital.yaml:8 | CXP002 |" in markdown
    document = json.loads(run("diff", "portfolios/bank", "--base", "origin/main", *AS_OF, "--format", "json")[1])
    assert {f["file"] for f in document["new_findings"]} == {"units/digital.yaml"}
    # A ref's tree is a temporary copy, named as the files at PATH are
    for args in (["add", "-A"], ["commit", "-qm", "break"]):
        subprocess.run([*GIT, *args], cwd=repo, check=True, capture_output=True)
    code, out, _ = run("diff", "portfolios/bank/cxportfolio.yaml", "--base", "origin/main", "--head", "HEAD", *AS_OF)
    assert [line.split()[1] for line in out.splitlines() if line.startswith("new ")] == checked
    monkeypatch.chdir(repo / "portfolios" / "bank")
    assert "\nnew      units/digital.yaml:8:13: CXP002" in run("diff", "--base", "origin/main", *AS_OF)[1]


def test_diffs_pr_comment_names_files_from_the_ci_checkout(tmp_path: Path, monkeypatch) -> None:
    """Found by a determinism hunter: from a step's `working-directory:` the Markdown (a PR
    comment) said `| units/digital.yaml:8 |`, where the job summary of the same workflow
    names `portfolios/bank/units/digital.yaml`; text stays relative to where it runs."""
    repo = _bank_repo(tmp_path)
    monkeypatch.chdir(repo / "portfolios" / "bank")
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo))
    markdown = run("diff", "--base", "origin/main", *AS_OF, "--format", "markdown")[1]
    assert "| portfolios/bank/units/digital.yaml:8 | CXP002 |" in markdown
    assert "\nnew      units/digital.yaml:8:13: CXP002" in run("diff", "--base", "origin/main", *AS_OF)[1]
    monkeypatch.delenv("GITHUB_WORKSPACE")
    monkeypatch.setenv("CI_PROJECT_DIR", str(repo))  # GitLab's merge request note
    markdown = run("diff", "--base", "origin/main", *AS_OF, "--format", "markdown")[1]
    assert "| portfolios/bank/units/digital.yaml:8 | CXP002 |" in markdown
    monkeypatch.delenv("CI_PROJECT_DIR")  # outside CI, from here, as check names them
    assert "| units/digital.yaml:8 | CXP002 |" in run("diff", "--base", "origin/main", *AS_OF, "--format", "markdown")[1]


def test_diff_names_resolved_findings_where_the_base_lies(tmp_path: Path, monkeypatch) -> None:
    """Directories: a new finding is in the head's files, a resolved one in the base's."""
    _portfolio_at(tmp_path / "old")
    _portfolio_at(tmp_path / "new", broken=False)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("diff", "--base-dir", "old", "--head-dir", "new", *AS_OF)
    resolved = [line.split()[1] for line in out.splitlines() if line.startswith("resolved ")]
    assert code == 0 and "old/units/digital.yaml:8:13:" in resolved
    assert all(r.startswith("old/units/") for r in resolved)
    code, out, err = run("diff", "--base-dir", "new", "--head-dir", "old", *AS_OF)
    assert code == 1 and "\nnew      old/units/digital.yaml:8:13: CXP002" in out
    # the head's forecast and ranks leave out what its errors hide, and diff says so as
    # rank and track do (found by a newcomer)
    assert err.startswith("cxportfolio: note: the portfolio has 2 errors; the figures leave out 1 initiative")


def test_diff_text_names_each_findings_severity_as_check_does(tmp_path: Path, monkeypatch) -> None:
    """Found by a newcomer: `diff` exited 1 for new errors, but its text lines
    (`new      units/digital.yaml:8:13: CXP002 effort must be …`) did not say which findings
    were errors and which warnings; the Markdown comment did. Each line now reads as check's."""
    _portfolio_at(tmp_path / "old")
    _portfolio_at(tmp_path / "new", broken=False)
    monkeypatch.chdir(tmp_path)
    checked = {line.split(" ", 1)[0]: line.split(" ", 1)[1]
               for line in run("check", "old", *AS_OF)[1].splitlines() if line.startswith("old/")}
    assert any(" [error] " in line for line in checked.values())
    assert any(" [warning] " in line for line in checked.values()), checked
    for args, label in ((["--base-dir", "new", "--head-dir", "old"], "new"),
                        (["--base-dir", "old", "--head-dir", "new"], "resolved")):
        out = run("diff", *args, *AS_OF)[1]
        rows = {line.split()[1]: line.split(" ", 1)[1].lstrip().split(" ", 1)[1]
                for line in out.splitlines() if line.startswith(label + " ")}
        assert rows == checked, out


def test_diff_without_a_change_says_so(tmp_path: Path, monkeypatch) -> None:
    """Regression: `diff --base origin/main` with nothing changed printed the forecast alone."""
    repo = _bank_repo(tmp_path)
    (repo / "portfolios" / "bank" / "units" / "digital.yaml").unlink()  # the change, undone
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "--base", "origin/main", *AS_OF)  # the portfolio found below
    assert (code, err) == (0, "cxportfolio: using the portfolio in portfolios/bank\n")
    assert out.splitlines()[1:] == ["No changes to entities or findings."] and out.startswith("Annual target 50:")
    code, out, _ = run("diff", "--base", "origin/main", *AS_OF, "--format", "markdown")
    assert out.endswith("\n\nNo changes to entities or findings.\n") and "**New findings**" not in out


def test_the_diff_that_adds_the_portfolio_has_no_empty_lines(tmp_path: Path, monkeypatch) -> None:
    """Regression: a first pull request (no portfolio at the base) started the text with an
    empty line and left blank lines in the Markdown where the forecast would be."""
    repo = _bank_repo(tmp_path)
    (repo / "README.md").write_text("x\n", encoding="utf-8")
    subprocess.run([*GIT, "add", "README.md"], cwd=repo, check=True, capture_output=True)
    subprocess.run([*GIT, "commit", "-qm", "readme only"], cwd=repo, check=True, capture_output=True)
    subprocess.run([*GIT, "rm", "-rq", "--cached", "portfolios"], cwd=repo, check=True, capture_output=True)
    subprocess.run([*GIT, "commit", "-qm", "no portfolio yet"], cwd=repo, check=True, capture_output=True)
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "portfolios/bank", "--base", "HEAD", *AS_OF)
    assert code == 1 and "does not exist at HEAD" in err
    assert out.startswith("Annual target 50: forecast ") and "\n\n" not in out
    assert "added    initiative DIG-1" in out
    code, out, _ = run("diff", "portfolios/bank", "--base", "HEAD", *AS_OF, "--format", "markdown")
    assert out.startswith("### cxportfolio diff\n\nAnnual target 50: forecast ")
    assert "\n\n\n" not in out and "**New findings**: " in out


def test_help_points_at_the_docs_command_not_at_files(tmp_path: Path) -> None:
    from cxportfolio.cli import cli as group

    for name in ["", *group.commands]:
        code, out, _ = run(*([name] if name else []), "--help")
        assert code == 0 and "docs/" not in out, name
    code, out, _ = run("rank", "--help")
    assert "cxportfolio docs ranking" in out
    run("init", str(tmp_path), "--year", "2026")
    assert "docs/" not in (tmp_path / "cxportfolio.yaml").read_text()


def test_docs_prints_the_pages_of_docs(tmp_path: Path) -> None:
    pages = sorted(p.stem for p in (Path(__file__).parents[1] / "docs").glob("*.md"))
    code, out, _ = run("docs")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == pages
    code, out, _ = run("docs", "ranking")
    assert code == 0 and out == (Path(__file__).parents[1] / "docs" / "ranking.md").read_text(encoding="utf-8")
    code, out, err = run("docs", "rankings")
    assert (code, out) == (2, "") and err.startswith("cxportfolio: no documentation page 'rankings'; did you mean 'ranking'? the topics are ")


def test_the_docs_pages_are_package_data() -> None:
    """An installed package has no docs/ folder: the pages travel as package data, through
    cxportfolio/docs_data, a link to docs/ (one copy in git). test_readme installs it for real."""
    repo = Path(__file__).parents[1]
    link = repo / "cxportfolio" / "docs_data"
    assert link.is_symlink() and link.resolve() == (repo / "docs").resolve()
    assert '"docs_data/*.md"' in (repo / "pyproject.toml").read_text(encoding="utf-8")


def test_the_security_policy_is_a_docs_topic() -> None:
    """Found by a user: `cxportfolio docs security` said there was no such page, though
    SECURITY.md is the trust contract CI users are sent to. docs/security.md is a link to
    it (one copy in git, where GitHub shows the policy), so the package carries it."""
    repo = Path(__file__).parents[1]
    link = repo / "docs" / "security.md"
    assert link.is_symlink() and link.resolve() == (repo / "SECURITY.md").resolve()
    code, out, _ = run("docs", "security")
    assert code == 0 and out == (repo / "SECURITY.md").read_text(encoding="utf-8")
    code, out, _ = run("docs")
    assert "security     Security policy\n" in out


def test_shell_completion_as_the_readme_documents_it(tmp_path: Path, monkeypatch) -> None:
    """Completing arguments parses the command line without running it: no portfolio is
    looked for, so nothing is printed to the shell from a folder without one."""
    monkeypatch.chdir(tmp_path)
    env = {"_CXPORTFOLIO_COMPLETE": "bash_complete", "COMP_WORDS": "cxportfolio check --format s",
           "COMP_CWORD": "3"}
    result = CliRunner().invoke(cli, [], prog_name="cxportfolio", env=env)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "plain,sarif\n", "")
    source = CliRunner().invoke(cli, [], prog_name="cxportfolio", env={"_CXPORTFOLIO_COMPLETE": "bash_source"})
    assert source.exit_code == 0 and "_cxportfolio_completion()" in source.stdout


def test_a_misspelt_docs_topic_gets_the_close_one_and_the_list() -> None:
    code, out, err = run("docs", "rankings")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert "did you mean 'ranking'?" in err and "the topics are ci, " in err
    code, _, err = run("docs", "xyz")
    assert code == 2 and "did you mean" not in err and "ranking" in err


def test_a_number_option_says_a_number_is_wanted(tmp_path: Path) -> None:
    """Found by a newcomer: `--capacity abc` said "'abc' is not a valid float range"."""
    code, _, err = run("rank", str(tmp_path), "--capacity", "abc")
    assert code == 2 and "invalid value for '--capacity': 'abc' is not a valid number" in err
    code, _, err = run("rank", str(tmp_path), "--top", "x")
    assert code == 2 and "invalid value for '--top': 'x' is not a valid whole number" in err


def test_a_reader_that_stops_early_is_no_internal_error() -> None:
    """Found by a newcomer: `cxportfolio rules | head -1` said "internal error:
    BrokenPipeError … (please report this)", exit 2, then exit 1. A closed pipe is the
    reader's choice: nothing on stderr. (The reader is gone before the first write, so the write fails
    whatever the timing.)"""
    import os

    read, write = os.pipe()
    os.close(read)
    process = subprocess.Popen([sys.executable, "-m", "cxportfolio", "rules"], stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    _, err = process.communicate(timeout=60)
    assert err == b"", err
    assert process.returncode == 141  # 128 + SIGPIPE, as a shell's own tools: never 1, a finding


def test_ci_formats_are_relative_to_a_repository_checked_out_in_a_folder_of_the_workspace(
        tmp_path: Path, monkeypatch) -> None:
    # found by a CI integrator: with `actions/checkout` given `path: portfolio-repo` (beside
    # another checkout), annotations and SARIF named `portfolio-repo/cx/...`, a file GitHub
    # does not find in the repository, whose root is that folder
    repository = tmp_path / "workspace" / "portfolio-repo"
    _portfolio_at(repository / "cx")
    (repository / ".git").mkdir()
    (repository / "cx" / ".git").write_text("gitdir: ../.git/modules/cx\n")  # a submodule's: not GitHub's root
    monkeypatch.chdir(tmp_path / "workspace")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    assert "file=cx/units/digital.yaml,line=8," in run("check", "portfolio-repo/cx", "--format", "github", *AS_OF)[1]
    sarif = run("check", "portfolio-repo/cx", "--format", "sarif", *AS_OF)[1]
    assert '"uri": "cx/units/digital.yaml"' in sarif
    # text stays relative to where the command runs, for the terminal
    assert "\nportfolio-repo/cx/units/digital.yaml:8:13: CXP002" in run("check", "portfolio-repo/cx", *AS_OF)[1]
    # the repository checked out at the workspace itself, as by default: paths from there
    (tmp_path / "workspace" / ".git").mkdir()
    (repository / ".git").rmdir()
    assert "file=portfolio-repo/cx/units/digital.yaml,line=8," in run(
        "check", "portfolio-repo/cx", "--format", "github", *AS_OF)[1]


def test_no_portfolio_here_names_the_one_the_repository_keeps(tmp_path: Path, monkeypatch) -> None:
    """Found by a CI integrator: a step run from `docs/` of a repository keeping its
    portfolio in `cx/portfolio` was told only that there is no portfolio here; the message
    now names the repository's portfolios, as paths from here, to give as PATH."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    _portfolio_at(tmp_path / "repo" / "cx" / "portfolio", broken=False)
    (tmp_path / "repo" / "docs" / "guide").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo" / "docs" / "guide")
    code, out, err = run("check", *AS_OF)
    assert (code, out) == (2, "") and err == (
        "cxportfolio: no portfolio here: no cxportfolio.yaml in this folder or above it, nor in the folders below "
        "it, up to 4 levels down; this repository keeps ../../cx/portfolio: give it as PATH\n")
    assert run("check", "../../cx/portfolio", *AS_OF)[0] == 0  # as it says
    _portfolio_at(tmp_path / "repo" / "other", broken=False)
    assert run("check", *AS_OF)[2].endswith(
        "; this repository keeps ../../other, ../../cx/portfolio: give one as PATH\n")


@pytest.mark.parametrize("absent, named", [(("pygls", "lsprotocol", "cattrs"), "pygls"), (("cattrs",), "cattrs")])
def test_lsp_without_its_extra_names_what_to_install(monkeypatch, absent: tuple[str, ...], named: str) -> None:
    """Found by a newcomer: without the `lsp` extra, `cxportfolio lsp` said "the language
    server needs pygls (cattrs is missing)", naming the first import that failed, not what
    to install. It names the extra and the package missing, pygls first."""
    monkeypatch.delitem(sys.modules, "cxportfolio.lsp.server", raising=False)
    for name in absent:
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed: the import fails
    code, out, err = run("lsp")
    assert (code, out) == (2, "")
    assert err == (f"cxportfolio: the language server needs cxportfolio's `lsp` extra ({named} is not installed): "
                   "pip install '.[lsp]' in a checkout, or 'cxportfolio[lsp] @ git+<repository>@<commit-or-tag>' "
                   "(cxportfolio docs editor)\n")
