"""Fingerprints say what a finding is about, never where it is (docs/ci.md, Fingerprints).

The metamorphic test builds a git history from the shipped example: edits that move text
and files but change nothing a finding is about must leave `check --baseline` and `diff`
with nothing new and nothing resolved; one real mistake on top must be exactly one new
finding.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.cli import cli
from conftest import check, write_portfolio

NORDBANK = Path(__file__).parent.parent / "portfolios" / "nordbank"
AS_OF = ["--as-of", "2026-06-30"]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def repository(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose branch main holds the example portfolio in `portfolio/`; the
    branch `change` is checked out, for a pull request's commits."""
    repo = tmp_path / "repo"
    shutil.copytree(NORDBANK, repo / "portfolio")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "switch", "-q", "-c", "change")
    return repo, repo / "portfolio"


# -- edits that change nothing a finding is about ------------------------------------

def _sections(text: str, section: str) -> tuple[str, list[str], str]:
    """A file split around one top-level list: text before its items, the items, after."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"{section}:\n") + 1
    end = next((n for n in range(start, len(lines)) if re.match(r"[a-z_]", lines[n])), len(lines))
    items: list[str] = []
    for line in lines[start:end]:
        if line.startswith("  - "):
            items.append(line)
        elif items:
            items[-1] += line
        else:
            lines[start - 1] += line  # a comment before the first item stays in front
    trailing = "".join(lines[end:])
    return "".join(lines[:start]), items, trailing


def rename_files(root: Path) -> None:
    git(root, "mv", "units/advisory.yaml", "units/advice.yaml")
    git(root, "mv", "pain_points.yaml", "customer-pain.yaml")  # a file without unit: too


def move_initiatives(root: Path) -> None:
    """DIG-013 to a new file of its unit; RET-006 into another unit's file, naming its unit."""
    digital = root / "units" / "digital.yaml"
    head, items, tail = _sections(digital.read_text(), "initiatives")
    moved = next(i for i in items if i.startswith("  - id: DIG-013\n"))
    digital.write_text(head + "".join(i for i in items if i is not moved) + tail)
    (root / "units" / "digital-backlog.yaml").write_text(f"unit: digital\ninitiatives:\n{moved}")
    retail, cards = root / "units" / "retail.yaml", root / "units" / "cards.yaml"
    head, items, tail = _sections(retail.read_text(), "initiatives")
    moved = next(i for i in items if i.startswith("  - id: RET-006\n"))
    retail.write_text(head + "".join(i for i in items if i is not moved) + tail)
    cards.write_text(cards.read_text().rstrip("\n") + "\n" + moved.replace("\n", "\n    unit: retail\n", 1))


def reorder_items(root: Path) -> None:
    for path in sorted(root.rglob("*.yaml")):
        for section in ("initiatives", "pain_points", "kpis", "journeys"):
            if f"\n{section}:\n" in "\n" + path.read_text():
                head, items, tail = _sections(path.read_text(), section)
                items = [i if i.endswith("\n") else i + "\n" for i in items]
                path.write_text(head + "".join(reversed(items)) + tail)


def add_comments(root: Path) -> None:
    for path in sorted(root.rglob("*.yaml")):
        text = re.sub(r"(?m)^  - id:", "\n  # reviewed in the steering group\n\n  - id:", path.read_text())
        path.write_text("# owner: the portfolio office\n\n\n" + text)


def everything(root: Path) -> None:
    for edit in (rename_files, move_initiatives, reorder_items, add_comments):
        edit(root)


EDITS: list[Callable[[Path], None]] = [rename_files, move_initiatives, reorder_items, add_comments, everything]


def _after(tmp_path: Path, edit: Callable[[Path], None]) -> tuple[Path, Path]:
    repo, root = repository(tmp_path)
    edit(root)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    return repo, root


def _check_json(root: Path, *options: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["check", str(root), *AS_OF, "--baseline", "main", "--format", "json",
                                      *options])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def _diff_json(root: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["diff", "main", "HEAD", "--path", str(root), *AS_OF, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_moving_text_and_files_changes_no_finding(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    repo, root = _after(tmp_path, edit)
    assert check(root).result.summary.errors == 11  # the example's own errors are all still there
    code, checked = _check_json(root)
    assert checked["findings"] == [] and checked["summary"]["errors"] == 0 and code == 0
    code, diffed = _diff_json(root)
    assert (diffed["new_findings"], diffed["resolved_findings"], diffed["entities"]) == ([], [], [])
    assert code == 0


def test_one_real_mistake_is_exactly_one_new_finding(tmp_path: Path) -> None:
    repo, root = repository(tmp_path)
    everything(root)
    advice = root / "units" / "advice.yaml"  # ADV-001's title repeated: data a reader would lose
    advice.write_text(advice.read_text().replace(
        "    title: Pension calculator for advisers\n",
        "    title: Pension calculator for advisers\n    title: Pension calculator for advisers\n"))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")
    code, checked = _check_json(root)
    assert [(f["code"], f["file"]) for f in checked["findings"]] == [("CXP003", "units/advice.yaml")]
    assert code == 1
    code, diffed = _diff_json(root)
    assert [f["code"] for f in diffed["new_findings"]] == ["CXP003"] and diffed["resolved_findings"] == []
    assert code == 1


@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_any_shuffle_rename_and_comment_keeps_every_fingerprint(tmp_path_factory: pytest.TempPathFactory,
                                                                data: st.DataObject) -> None:
    """The same property without git, over random orders, names and folders."""
    root = tmp_path_factory.mktemp("shuffled") / "portfolio"
    shutil.copytree(NORDBANK, root)
    for n, path in enumerate(sorted(root.rglob("*.yaml"))):
        for section in ("initiatives", "pain_points", "kpis", "journeys", "units"):
            if f"\n{section}:\n" in "\n" + path.read_text():
                head, items, tail = _sections(path.read_text(), section)
                items = [i if i.endswith("\n") else i + "\n" for i in items]
                path.write_text(head + "".join(data.draw(st.permutations(items))) + tail)
        if data.draw(st.booleans()):
            path.write_text("# a note\n\n" + path.read_text().replace("\n  - ", "\n\n  # a note\n  - "))
        if path.name != "cxportfolio.yaml" and data.draw(st.booleans()):
            target = root / data.draw(st.sampled_from(["", "more/", "deep/er/"])) / f"renamed-{n}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
    assert sorted(f.fingerprint for f in check(root).result.findings) == _example_prints()


def _example_prints() -> list[str]:
    return sorted(f.fingerprint for f in check(NORDBANK).result.findings)


# -- identity of findings without entities, and of repeats ----------------------------

UNIT_FILE = textwrap.dedent("""\
    unit: a
    units: [{id: a, name: A}]
    initiatives:
      - {id: A-1, title: One, status: idea, addresses: [p]}
      - id: A-2
        title: Two
        title: Two again
        status: idea
        addresses: [p]
      - {title: No id at all, status: idea}
    """)
PAINS = "pain_points: [{id: p, journey: j, stage: s, title: T, severity: 2, evidence: [{kind: survey}]}]\n"
JOURNEYS = "journeys: [{id: j, name: J, volume: 1000, stages: [{id: s, name: S}]}]\n"


def _prints(root: Path, code: str) -> list[str]:
    return [f.fingerprint for f in check(root).result.findings if f.code == code]


def test_a_repeated_key_and_an_item_without_id_keep_their_fingerprints_when_their_file_moves(tmp_path: Path) -> None:
    before = write_portfolio(tmp_path / "before", {"units/a.yaml": UNIT_FILE, "pains.yaml": PAINS,
                                                   "journeys.yaml": JOURNEYS})
    moved = "# a comment\n\n" + UNIT_FILE.replace("  - {id: A-1", "  # first\n\n  - {id: A-1")
    after = write_portfolio(tmp_path / "after", {"work/unit-a.yaml": moved, "pains.yaml": PAINS,
                                                 "journeys.yaml": JOURNEYS})
    for code in ("CXP002", "CXP003"):
        assert len(_prints(before, code)) == 1 and _prints(before, code) == _prints(after, code)
    lines = [f.location.line for run in (check(before), check(after)) for f in run.result.findings
             if f.code == "CXP003"]
    assert lines == [7, 11]  # the text moved; the message names no line


def test_a_repeated_key_elsewhere_in_the_same_entity_is_another_finding(tmp_path: Path) -> None:
    one = write_portfolio(tmp_path / "one", {"units/a.yaml": UNIT_FILE})
    other = write_portfolio(tmp_path / "other", {"units/a.yaml": UNIT_FILE.replace(
        "title: Two again", "status: idea")})
    assert _prints(one, "CXP003") != _prints(other, "CXP003")


def test_a_duplicated_id_gives_each_definition_its_own_fingerprint(tmp_path: Path) -> None:
    files = {"units/a.yaml": "unit: a\nunits: [{id: a, name: A}]\ninitiatives: [{id: X-1, title: One}]\n",
             "units/b.yaml": "unit: b\nunits: [{id: b, name: B}]\ninitiatives: [{id: X-1, title: Two}]\n"}
    root = write_portfolio(tmp_path / "p", files)
    prints = _prints(root, "CXP101")
    assert len(prints) == 2 and len(set(prints)) == 2
    gitlab = CliRunner().invoke(cli, ["check", str(root), *AS_OF, "--format", "gitlab"])
    issues = json.loads(gitlab.stdout)
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab shows each of them
    renamed = write_portfolio(tmp_path / "q", {"units/z.yaml": files["units/a.yaml"],
                                               "units/b.yaml": files["units/b.yaml"]})
    assert sorted(_prints(renamed, "CXP101")) == sorted(prints)


def test_which_definition_of_a_duplicated_id_counts_does_not_follow_file_names(tmp_path: Path) -> None:
    """Found by a CI engineer: with CRD-003 defined in cards.yaml and again in retail.yaml,
    renaming retail.yaml to a-retail.yaml made its definition the one that counted: a new
    CXP202, `diff` calling CRD-003 changed, a rank move and the forecast down by one."""
    base = tmp_path / "base" / "nordbank"
    shutil.copytree(NORDBANK, base)
    retail = base / "units" / "retail.yaml"
    retail.write_text(retail.read_text(encoding="utf-8") + (
        "  - id: CRD-003\n    title: A second CRD-003, written by retail\n    addresses: [PP-new-card-slow]\n"
        "    status: in_progress\n    planned: 2026-Q4\n"), encoding="utf-8")
    assert not [f for f in check(base).result.findings if f.code == "CXP001"]
    head = tmp_path / "head" / "nordbank"
    shutil.copytree(base, head)
    (head / "units" / "retail.yaml").rename(head / "units" / "a-retail.yaml")
    before, after = check(base), check(head)
    assert sorted(f.fingerprint for f in after.result.findings) == sorted(f.fingerprint for f in before.result.findings)
    result = CliRunner().invoke(cli, ["diff", "--base-dir", str(base), "--head-dir", str(head), *AS_OF,
                                      "--format", "json"])
    change = json.loads(result.stdout)
    assert (change["entities"], change["new_findings"], change["resolved_findings"], change["rank_moves"]) == (
        [], [], [], []), change
    assert change["target"]["before"]["forecast"] == change["target"]["after"]["forecast"]


def test_an_unreadable_file_is_one_finding_wherever_its_error_moves(tmp_path: Path) -> None:
    broken = "unit: a\ninitiatives:\n  - {id: A-1, title: [unclosed\n"
    root = write_portfolio(tmp_path / "p", {"units/a.yaml": broken})
    moved = write_portfolio(tmp_path / "q", {"units/a.yaml": "# notes\n\n" + broken.replace("A-1", "A-100")})
    assert len(_prints(root, "CXP001")) == 1 and _prints(root, "CXP001") == _prints(moved, "CXP001")
    # Its unit cannot be read either: only the path names it, so a renamed broken file is new
    # (as documented in docs/ci.md).
    renamed = write_portfolio(tmp_path / "r", {"units/b.yaml": broken})
    assert _prints(renamed, "CXP001") != _prints(root, "CXP001")


def test_the_files_unknown_unit_is_one_finding_whatever_initiative_comes_first(tmp_path: Path) -> None:
    text = "unit: nobody\ninitiatives:\n  - {id: A-1, title: One}\n  - {id: A-2, title: Two}\n"
    first = write_portfolio(tmp_path / "p", {"units/a.yaml": text})
    swapped = write_portfolio(tmp_path / "q", {"units/a.yaml": text.replace("A-1", "A-3").replace("A-2", "A-1")
                                               .replace("A-3", "A-2")})
    assert len(_prints(first, "CXP102")) == 1 and _prints(first, "CXP102") == _prints(swapped, "CXP102")


def test_a_baseline_file_from_another_fingerprint_version_is_refused(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "p", {"units/a.yaml": UNIT_FILE})
    saved = CliRunner().invoke(cli, ["check", str(root), *AS_OF, "--format", "json"]).stdout
    assert json.loads(saved)["fingerprint_version"] == 2
    old = json.loads(saved)
    del old["fingerprint_version"]  # as the first version wrote it
    (tmp_path / "old.json").write_text(json.dumps(old))
    result = CliRunner().invoke(cli, ["check", str(root), *AS_OF, "--baseline-file", str(tmp_path / "old.json")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "fingerprints are version 1" in result.stderr and "save the baseline again" in result.stderr


def test_an_unknown_reference_names_its_holder_and_keeps_its_fingerprint(tmp_path: Path) -> None:
    """CXP102 did not say whose reference names nothing (`addresses[0] names unknown pain
    point 'PP-blackhole'`): now its initiative, as CXP002 does. The message is no part of
    a rule's fingerprint: a baseline saved before keeps matching, and says the same
    finding in the new words."""
    broken = Path(__file__).parent / "golden" / "broken" / "portfolio"
    [said] = [f for f in check(broken).result.findings if f.code == "CXP102"]
    assert said.message == "addresses[0] names unknown pain point 'PP-blackhole' (initiative RET-1)"
    assert said.fingerprint == "af8dffce7c800443da03d638d2c9dca1"  # as a baseline saved before holds it
    saved = json.loads(CliRunner().invoke(cli, ["check", str(broken), *AS_OF, "--format", "json"]).stdout)
    for finding in saved["findings"]:  # the baseline as the version before wrote it
        finding["message"] = finding["message"].replace(" (initiative RET-1)", "")
    (tmp_path / "base.json").write_text(json.dumps(saved), encoding="utf-8")
    again = CliRunner().invoke(cli, ["check", str(broken), *AS_OF, "--format", "json",
                                     "--baseline-file", str(tmp_path / "base.json")])
    assert [f["code"] for f in json.loads(again.stdout)["findings"]] == []
