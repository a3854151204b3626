"""The README runs verbatim: its install command and its tour, in order, from a fresh copy of
the repository's root, each exiting as the README says (`# exit 1` where errors are planted).

The copy holds what a clone holds once the work is committed: the files git tracks and the
untracked ones it does not ignore (a real `git clone` would miss work in progress). It gets a
commit and an `origin/main` ref, as a clone of the project has.

The install command is run as written by its own test, which checks that it leaves a
working `cxportfolio` (its documentation pages included) on the PATH of the commands after
it; `pip` is told not to fetch the dependencies (PIP_NO_DEPS), which the new environment
then borrows from the Python running the tests, so that it stays offline. The tour then runs
with the `cxportfolio` of the Python running the tests in place of that install (creating a
virtual environment and building a wheel take most of a minute on a busy machine).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INSTALL = "python3 -m venv .venv && .venv/bin/pip install -q . && . .venv/bin/activate"
# Shell blocks of the README that this test does not run, and why.
NOT_RUN = {
    "bash .ci/run": "it runs the whole test suite, this test included",
    ".venv/bin/pip install -q '.[bench]' && .venv/bin/python benchmarks/bench_check.py":
        "the benchmark: minutes, and check-jsonschema from the network",
}
EXPECTED_EXIT = re.compile(r"exit (\d)\b")  # at the start of the trailing comment


def readme_commands() -> list[tuple[str, int]]:
    """Every line of every ```sh block, with the exit code its comment announces (default 0)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        for line in block.splitlines():
            if line.strip() and line.strip() not in NOT_RUN:
                announced = EXPECTED_EXIT.match(line.partition(" #")[2].strip())
                commands.append((line, int(announced.group(1)) if announced else 0))
    return commands


def test_the_readme_commands_are_found_and_the_install_is_the_documented_one() -> None:
    commands = [command for command, _ in readme_commands()]
    assert commands[0] == INSTALL
    assert sum(c.startswith("cxportfolio ") for c in commands) >= 17  # the tour is there
    assert not any(c.startswith("cxportfolio diff origin") for c in commands)  # refs are options now


def _copy_of_the_repository(into: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source, target = REPO / name, into / name
        if not os.path.lexists(source):
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "clone"],
                 ["update-ref", "refs/remotes/origin/main", "HEAD"]):
        subprocess.run([*git, *args], cwd=into, check=True, capture_output=True)


def _dependencies_view(into: Path) -> Path:
    """The running Python's installed packages, without cxportfolio itself: the new virtual
    environment must run the copy it installed, not the one under test here."""
    into.mkdir()
    for site in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        for entry in Path(site).iterdir():
            if "cxportfolio" not in entry.name and not (into / entry.name).exists():
                os.symlink(entry, into / entry.name)
    return into


def _run(commands: list[str], clone: Path, tmp_path: Path, install: str) -> tuple[list[int], str]:
    """One shell runs the commands in order, so that `cd` and `activate` carry on; the README's
    install command is replaced by `install`. Each exit code goes to a file (descriptor 3) and a
    failing command does not stop the next. Returns the codes and the end of the output."""
    status = tmp_path / "status"
    lines = [f"exec 3>{str(status)!r}"]
    for index, command in enumerate(commands):
        lines += [install if command == INSTALL else command, f'echo "{index} $?" >&3']
    shims = tmp_path / "bin"
    shims.mkdir(exist_ok=True)
    if not (shims / "python3").exists():
        os.symlink(sys.executable, shims / "python3")  # the Python whose packages are borrowed
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "GITHUB_"))}
    env.update(PATH=f"{shims}{os.pathsep}{env.get('PATH', '')}", PIP_NO_DEPS="1", PIP_NO_INPUT="1",
               NO_COLOR="1")
    done = subprocess.run(["bash", "-c", "\n".join(lines) + "\n"], cwd=clone, env=env, capture_output=True,
                          text=True, timeout=600)
    codes = dict(line.split() for line in status.read_text().splitlines())
    return [int(codes.get(str(i), -1)) for i in range(len(commands))], (done.stdout + done.stderr)[-3000:]


needs_git = pytest.mark.skipif(not (REPO / ".git").exists() or shutil.which("git") is None,
                               reason="needs the repository's git checkout")


@needs_git
def test_the_install_command_leaves_a_working_cxportfolio_on_the_path(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _copy_of_the_repository(clone)
    borrow = f'echo {str(_dependencies_view(tmp_path / "deps"))!r} > "$(echo .venv/lib/python3*/site-packages)/deps.pth"'
    commands = [INSTALL, 'test "$(command -v cxportfolio)" = "$PWD/.venv/bin/cxportfolio"',
                "cxportfolio docs ranking | grep -q 'whole-journey impact'", "cxportfolio --version",
                "cxportfolio docs security | grep -q '^## Threat model'"]  # SECURITY.md, through docs/'s link
    codes, log = _run(commands, clone, tmp_path, f"{INSTALL} && {borrow}")
    assert codes == [0, 0, 0, 0, 0], log
    # the package installed from the clone, not a link to the sources (an editable install)
    assert not list((clone / ".venv").glob("lib/python3*/site-packages/__editable__*"))


@needs_git
def test_the_readme_runs_verbatim_from_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _copy_of_the_repository(clone)
    commands = readme_commands()
    scripts = sysconfig.get_paths()["scripts"]
    codes, log = _run([c for c, _ in commands], clone, tmp_path, f"export PATH={scripts!r}:$PATH")
    assert list(zip([c for c, _ in commands], codes)) == commands, log
    assert (clone / "q3.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (clone / "my-portfolio" / "cxportfolio.yaml").is_file()
    # Found by a newcomer: the tour left `my-portfolio/` and `q3.html` untracked in the
    # checkout. What it writes is ignored (.gitignore), and nothing tracked changes.
    left = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=clone, check=True,
                          capture_output=True, text=True).stdout
    assert left == "", left


def test_the_tour_says_what_each_command_does_with_work_completed_after_as_of() -> None:
    """Found by an analyst: the tour said `track`, `rank` and `report` all count work done
    after `--as-of 2026-06-30` as in progress on that date, but `rank` lists the work as the
    files stand (CS-010, done in October, is not among its open work), as tracking.md says."""
    import datetime as dt
    import json

    from click.testing import CliRunner

    from cxportfolio.analysis.report_data import build_report
    from cxportfolio.cli import cli
    from cxportfolio.engine import run_check

    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert ("(`track` and `report` count such work as in progress on that date, while `rank` lists the work as "
            "the files stand, where it is done; none of them calls its figures incomplete for it)") in text
    nordbank, day = REPO / "portfolios" / "nordbank", dt.date(2026, 6, 30)
    ranked = CliRunner().invoke(cli, ["rank", str(nordbank), "--as-of", day.isoformat(), "--format", "json"])
    assert ranked.exit_code == 0 and ranked.stderr == ""  # not called incomplete
    assert "CS-010" not in {row["id"] for row in json.loads(ranked.stdout)["rows"]}
    run = run_check(nordbank, day)
    cs010 = next(i for i in run.portfolio.initiatives if i.id == "CS-010")
    assert cs010.done_after(day)  # done in October: in progress on 30 June for track and report
    quick = build_report(run, day, "2026-Q2").lanes[1]
    assert "CS-010" in {r.id for r in quick.top}
    for command in ("track", "report"):
        result = CliRunner().invoke(cli, [command, str(nordbank), "--as-of", day.isoformat()])
        assert result.exit_code == 0 and result.stderr == "", command


def test_the_readmes_sample_of_check_is_what_check_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by two newcomers: the sample showed positions and a summary no portfolio gives
    (14:13 before 16:17, "12 files, 68 initiatives"). It is now the example with the two
    mistakes the README names, and this test plants them and compares, byte for byte."""
    from click.testing import CliRunner

    from cxportfolio.cli import cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lead = "without\n`--select` its 28 warnings follow, and infos that depend on the day it runs):\n\n```\n"
    sample = readme[readme.index(lead) + len(lead):]
    sample = sample[:sample.index("```\n")]
    root = tmp_path / "nordbank"
    shutil.copytree(REPO / "portfolios" / "nordbank", root)
    units = root / "units" / "digital.yaml"
    text = units.read_text(encoding="utf-8")
    dig = text.index("  - id: DIG-007\n")
    head, rest = text[:dig], text[dig:]
    assert rest.count("    effort: 8\n") and rest.count("    addresses: [PP-black-hole]\n")
    rest = rest.replace("    effort: 8\n", "    effort: lots\n", 1)
    rest = rest.replace("    addresses: [PP-black-hole]\n", "    addresses: [PP-blackhole]\n", 1)
    units.write_text(head + rest, encoding="utf-8")
    monkeypatch.chdir(root)
    # (a fixed date: the README's command takes today's, the same for any day after the
    # example's last completion)
    result = CliRunner().invoke(cli, ["check", "--select", "CXP0,CXP1", "--color", "never", "--as-of", "2026-12-04"])
    assert result.exit_code == 1
    assert result.stdout == sample
    # and without --select, the warnings the README says follow
    assert "2 errors, 28 warnings" in CliRunner().invoke(cli, ["check", "--color", "never",
                                                             "--as-of", "2026-12-04"]).stdout
