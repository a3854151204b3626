"""`check --baseline REF` and `--baseline-file`: only what a change introduced fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import cli
from conftest import CONFIG, write_portfolio

BASE = {
    "journeys.yaml": """\
        journeys: [{id: j, name: J, volume: 1000, stages: [{id: s, name: S}]}]
        pain_points: [{id: p, journey: j, stage: s, title: T, severity: 2, evidence: [{kind: survey}]}]
        """,
    "units/a.yaml": """\
        unit: a
        units: [{id: a, name: A}]
        initiatives:
          - {id: A-1, title: Status tracker, status: idea, addresses: [p]}
          - {id: A-2, title: Old thing, status: idea}
        """,
    "units/b.yaml": "unit: b\nunits: [{id: b, name: B}]\n",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=cwd, check=True, capture_output=True)


def committed_base_with_change(tmp_path: Path, commit_change: bool) -> Path:
    """A repository whose HEAD is BASE, then a change that fixes A-2 (now linked to p)
    and adds B-1, a duplicate of A-1 in unit b (committed, or left in the working tree)."""
    repo = tmp_path / "repo"
    root = write_portfolio(repo / "portfolio", BASE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (root / "units" / "a.yaml").write_text((root / "units" / "a.yaml").read_text().replace(
        "title: Old thing, status: idea}", "title: Old thing, status: idea, addresses: [p]}"))
    (root / "units" / "b.yaml").write_text(
        "unit: b\nunits: [{id: b, name: B}]\n"
        "initiatives:\n  - {id: B-1, title: Status tracker, status: idea, addresses: [p], effort: 1}\n")
    if commit_change:
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "change")
    return root


def test_baseline_ref_reports_only_new_findings(tmp_path: Path) -> None:
    root = committed_base_with_change(tmp_path, commit_change=False)
    runner = CliRunner()
    before = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline-file", "/dev/null"])
    assert before.exit_code == 2  # an empty file is not a baseline
    new = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD",
                              "--format", "json", "--strict"])
    codes = [(f["code"], f["entities"]) for f in json.loads(new.stdout)["findings"]]
    assert codes == [("CXP201", ["A-1", "B-1"])]
    assert new.exit_code == 1  # --strict: the new warning fails
    text = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD"])
    assert "units/a.yaml:4:10: CXP201 [warning] A-1 (a) and B-1 (b) both address p" in text.stdout
    assert text.exit_code == 0  # warnings only, without --strict


def test_baseline_file_from_a_saved_run(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "p", BASE)
    runner = CliRunner()
    saved = tmp_path / "baseline.json"
    saved.write_text(runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"]).stdout)
    again = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline-file", str(saved), "--strict"])
    assert again.exit_code == 0
    assert again.stdout.endswith("no findings; 1 already in the baseline not shown.\n")


def test_a_finding_accepted_by_allow_is_not_counted_as_hidden_by_the_baseline(tmp_path: Path) -> None:
    """Found by a newcomer: the nordbank example's `check --baseline` said "36 already in
    the baseline not shown" where `check` shows 35, and one suppressed by allow:, which is
    not shown either way."""
    accepted = {**BASE, "units/a.yaml": BASE["units/a.yaml"].replace(
        "status: idea}", "status: idea, allow: [{rule: CXP401, reason: Kept on purpose}]}", 1)}
    accepted["units/b.yaml"] += "initiatives: [{id: B-1, title: Other thing, status: idea}]\n"
    root = write_portfolio(tmp_path / "p", accepted)
    runner = CliRunner()
    plain = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30"]).stdout
    assert plain.endswith("0 errors, 1 warning, 0 infos (1 suppressed by allow:).\n"), plain
    saved = tmp_path / "baseline.json"
    saved.write_text(runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"]).stdout)
    again = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline-file", str(saved)])
    assert again.exit_code == 0, again.output
    assert again.stdout.endswith("no findings; 1 already in the baseline not shown.\n"), again.stdout
    shown = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline-file", str(saved),
                                "--show-suppressed"])
    assert shown.stdout.endswith("no findings; 2 already in the baseline not shown.\n"), shown.stdout


def test_baseline_file_reports_what_the_change_weakens_as_a_ref_does(tmp_path: Path) -> None:
    """Found in review: `--baseline-file` could not see a change that switches a rule off
    or changes its options (CXP004), which `--baseline REF` reports, so a gate on a saved
    run passed it. A saved run keeps its `rules:` ("rules" in the JSON), and an older file
    without them says that CXP004 is not checked."""
    base = write_portfolio(tmp_path / "base", dict(BASE, **{"cxportfolio.yaml": "rules: {CXP201: {similarity: 0.6}}\n"}))
    head = write_portfolio(tmp_path / "head", dict(BASE, **{
        "cxportfolio.yaml": "rules: {CXP401: \"off\", CXP201: {similarity: 0.9}}\n"}))
    runner = CliRunner()
    saved = json.loads(runner.invoke(cli, ["check", str(base), "--as-of", "2026-06-30", "--format", "json"]).stdout)
    assert list(saved["rules"]) == ["CXP201"] and saved["rules"]["CXP201"]["similarity"] == 0.6  # and its defaults
    (tmp_path / "base.json").write_text(json.dumps(saved))
    gate = runner.invoke(cli, ["check", str(head), "--as-of", "2026-06-30", "--baseline-file",
                               str(tmp_path / "base.json"), "--format", "json"])
    assert gate.exit_code == 1
    weakened = sorted(f["message"] for f in json.loads(gate.stdout)["findings"] if f["code"] == "CXP004")
    assert weakened == ["rule CXP201's options are changed by this change: similarity 0.6 → 0.9",
                        "rule CXP401 is weakened by this change: warning at the base, off here"]
    # --config-from-base takes the saved rules: CXP401 is on again for A-2, and known
    judged = runner.invoke(cli, ["check", str(head), "--as-of", "2026-06-30", "--baseline-file",
                                 str(tmp_path / "base.json"), "--config-from-base", "--format", "json"])
    assert json.loads(judged.stdout)["summary"]["errors"] == 2 and judged.exit_code == 1
    # an older file: the gate works as before, and says what it cannot check
    del saved["rules"]
    (tmp_path / "old.json").write_text(json.dumps(saved))
    old = runner.invoke(cli, ["check", str(head), "--as-of", "2026-06-30", "--baseline-file", str(tmp_path / "old.json")])
    assert old.exit_code == 0 and "holds no `rules:`" in old.stderr and "CXP004" in old.stderr
    refused = runner.invoke(cli, ["check", str(head), "--as-of", "2026-06-30", "--baseline-file",
                                  str(tmp_path / "old.json"), "--config-from-base"])
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    # settings that do not validate are not trusted
    saved["rules"] = {"CXP201": {"similarity": "high"}}
    (tmp_path / "bad.json").write_text(json.dumps(saved))
    bad = runner.invoke(cli, ["check", str(head), "--as-of", "2026-06-30", "--baseline-file", str(tmp_path / "bad.json")])
    assert bad.exit_code == 2 and "its `rules` cannot be read" in bad.stderr and bad.stderr.count("\n") == 1


def test_baseline_errors_are_one_line(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "p", BASE)
    runner = CliRunner()
    bad = runner.invoke(cli, ["check", str(root), "--baseline", "HEAD"])
    assert bad.exit_code == 2 and bad.stderr.startswith(f"cxportfolio: {root} is not in a git repository") and bad.stderr.count("\n") == 1
    (tmp_path / "junk.json").write_text("{}")
    bad = runner.invoke(cli, ["check", str(root), "--baseline-file", str(tmp_path / "junk.json")])
    assert bad.exit_code == 2 and "not a `cxportfolio check --format json` output" in bad.stderr


def test_diff_between_refs_names_added_entities_findings_and_moves(tmp_path: Path) -> None:
    root = committed_base_with_change(tmp_path, commit_change=True)
    result = CliRunner().invoke(cli, ["diff", "HEAD~1", "HEAD", "--path", str(root), "--as-of", "2026-06-30",
                                      "--format", "json", "--top", "1"])
    assert result.exit_code == 0, result.stderr
    change = json.loads(result.stdout)
    assert {"kind": "initiative", "id": "B-1", "change": "added", "fields": []} in change["entities"]
    assert {"kind": "initiative", "id": "A-2", "change": "changed", "fields": ["addresses"]} in change["entities"]
    assert [(f["code"], f["entities"]) for f in change["new_findings"]] == [("CXP201", ["A-1", "B-1"])]
    assert [(f["code"], f["entities"]) for f in change["resolved_findings"]] == [("CXP401", ["A-2"])]
    assert change["rank_moves"][0]["id"] == "B-1" and change["rank_moves"][0]["move"] == "entered the top 1"
    markdown = CliRunner().invoke(cli, ["diff", "HEAD~1", "HEAD", "--path", str(root), "--as-of", "2026-06-30",
                                        "--format", "markdown"]).stdout
    assert markdown.startswith("### cxportfolio diff") and "| added | initiative | B-1 |" in markdown


def test_diff_says_accepted_not_resolved_for_a_finding_a_change_silences(tmp_path: Path) -> None:
    """Found in a review of the CI gate: a pull request that adds an `allow:` for a finding,
    or switches its rule off, had `diff` call the finding "resolved", as if the work were
    done. It is *accepted*: listed apart, with the allow's reason or the rule that is off,
    so that a reviewer sees what the change silences."""
    old = write_portfolio(tmp_path / "old", BASE)
    allowed = write_portfolio(tmp_path / "allowed", dict(BASE, **{"units/a.yaml": BASE["units/a.yaml"].replace(
        "title: Old thing, status: idea}", "title: Old thing, status: idea, allow: [{rule: CXP401, reason: on purpose}]}")}))
    switched_off = write_portfolio(tmp_path / "off", dict(BASE, **{"cxportfolio.yaml": "rules: {CXP401: \"off\"}\n"}))
    runner = CliRunner()

    def diff(head: Path, *options: str) -> str:
        return runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(head),
                                   "--as-of", "2026-06-30", *options]).stdout

    for head, how in ((allowed, {"reason": "on purpose"}), (switched_off, {"rule_off": True})):
        change = json.loads(diff(head, "--format", "json"))
        assert [(f["code"], f["entities"]) for f in change["accepted_findings"]] == [("CXP401", ["A-2"])]
        assert how.items() <= change["accepted_findings"][0].items()
        assert change["resolved_findings"] == [] and change["unchecked_findings"] == []
    assert "/allowed/units/a.yaml:5:10: CXP401 [warning] A-2 addresses no pain point (allow: on purpose)" in diff(allowed)
    assert "(CXP401 is off at the head)" in diff(switched_off) and "resolved" not in diff(switched_off)
    markdown = diff(allowed, "--format", "markdown")
    assert "**Accepted findings** (an `allow:` added, or the rule switched off): 1" in markdown
    assert "| A-2 addresses no pain point | allow: on purpose |" in markdown
    # the work done is still resolved
    fixed = write_portfolio(tmp_path / "fixed", dict(BASE, **{"units/a.yaml": BASE["units/a.yaml"].replace(
        "title: Old thing, status: idea}", "title: Old thing, status: idea, addresses: [p]}")}))
    change = json.loads(diff(fixed, "--format", "json"))
    assert [f["code"] for f in change["resolved_findings"]] == ["CXP401"] and change["accepted_findings"] == []


@pytest.mark.skipif(sys.platform != "linux", reason="a folder name that is not UTF-8")
def test_a_repository_in_a_folder_named_in_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """Found in review: `diff` and `check --baseline` stopped with "internal error:
    UnicodeDecodeError" in a repository whose folder's name is not UTF-8 (a Latin-1 name,
    `/srv/r\\xe9pos`), read back from `git rev-parse --show-toplevel` as UTF-8."""
    root = committed_base_with_change(tmp_path / os.fsdecode(b"r\xe9pos"), commit_change=True)
    new = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD~1",
                                   "--format", "json"])
    assert new.exit_code == 0, new.stderr
    assert [(f["code"], f["entities"]) for f in json.loads(new.stdout)["findings"]] == [("CXP201", ["A-1", "B-1"])]
    change = CliRunner().invoke(cli, ["diff", "HEAD~1", "HEAD", "--path", str(root), "--as-of", "2026-06-30",
                                      "--format", "json"])
    assert change.exit_code == 0, change.stderr
    assert {"kind": "initiative", "id": "B-1", "change": "added", "fields": []} in json.loads(change.stdout)["entities"]


def test_diff_between_directories(tmp_path: Path) -> None:
    old = write_portfolio(tmp_path / "old", BASE)
    new = write_portfolio(tmp_path / "new", dict(BASE, **{"units/b.yaml": "unit: b\nunits: [{id: b, name: Bee}]\n"}))
    result = CliRunner().invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new), "--as-of", "2026-06-30"])
    assert result.exit_code == 0 and "changed  unit b (name)" in result.stdout


def test_diff_compares_entities_by_kind_and_id(tmp_path: Path) -> None:
    """Found by a tester: with a journey and a unit sharing an id (CXP101), renaming the
    journey showed the unit "changed" in the journey's fields, and the journey never removed."""
    journeys = """\
        journeys: [{id: tandvard, name: Tandvård, owner: care, volume: 1000, stages: [{id: s, name: S}]}]
        """
    units = "units: [{id: care, name: Care}, {id: tandvard, name: Tandvård, capacity: 10}]\n"
    old = write_portfolio(tmp_path / "old", {"journeys.yaml": journeys, "units/care.yaml": units})
    new = write_portfolio(tmp_path / "new", {"journeys.yaml": journeys.replace("id: tandvard,", "id: tandvardsbesok,"),
                                             "units/care.yaml": units})
    runner = CliRunner()
    shown = runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new), "--as-of", "2026-09-30"])
    assert "removed  journey tandvard\nadded    journey tandvardsbesok\n" in shown.stdout
    assert "unit" not in shown.stdout.split("resolved")[0].split("\n", 1)[1]
    change = json.loads(runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new),
                                            "--as-of", "2026-09-30", "--format", "json"]).stdout)
    assert [(e["change"], e["kind"], e["id"]) for e in change["entities"]] == [
        ("removed", "journey", "tandvard"), ("added", "journey", "tandvardsbesok")]
    comment = runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new), "--as-of", "2026-09-30",
                                  "--format", "markdown"]).stdout
    assert "| removed | journey | tandvard |  |" in comment and "| changed |" not in comment


def test_diff_names_changed_fields_as_the_files_write_them(tmp_path: Path) -> None:
    """Found by a tester: a KPI's `kind` changed was shown as "(type)", the model's name."""
    kpis = "kpis: [{id: nki, name: NKI, kind: experience, direction: increase}]\n"
    old = write_portfolio(tmp_path / "old", dict(BASE, **{"kpis.yaml": kpis}))
    new = write_portfolio(tmp_path / "new", dict(BASE, **{"kpis.yaml": kpis.replace("experience", "outcome")}))
    runner = CliRunner()
    shown = runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new), "--as-of", "2026-09-30"])
    assert "changed  KPI nki (kind)\n" in shown.stdout
    change = json.loads(runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new),
                                            "--as-of", "2026-09-30", "--format", "json"]).stdout)
    assert change["entities"] == [{"kind": "KPI", "id": "nki", "change": "changed", "fields": ["kind"]}]


@pytest.mark.parametrize("written", ["tags: 5", "description: [a, b]"])
def test_diff_names_a_field_whose_head_value_is_refused_though_its_default_is_as_the_base(tmp_path: Path,
                                                                                          written: str) -> None:
    """Found by a reviewer: `tags: 5` added where the base wrote no tags was refused
    (CXP002) and held the default the base had, so diff listed no changed entity, where
    `effort: six` is "changed (effort)"; the refusal changes the field either way, and
    correcting it again at a later head is a change back."""
    line = "          - {id: A-1, title: Status tracker, status: idea, addresses: [p]}\n"
    refused = dict(BASE, **{"units/a.yaml": BASE["units/a.yaml"].replace(
        line, line.replace("addresses: [p]}", "addresses: [p], " + written + "}"))})
    old = write_portfolio(tmp_path / "old", BASE)
    new = write_portfolio(tmp_path / "new", refused)
    field = written.split(":")[0]
    runner = CliRunner()
    for base, head in ((old, new), (new, old)):
        args = ["diff", "--base-dir", str(base), "--head-dir", str(head), "--as-of", "2026-09-30"]
        shown = runner.invoke(cli, args)
        assert f"changed  initiative A-1 ({field})\n" in shown.stdout, shown.output
        change = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
        assert change["entities"] == [{"kind": "initiative", "id": "A-1", "change": "changed", "fields": [field]}]
    assert "CXP002" in runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new),
                                           "--as-of", "2026-09-30"]).stdout


@pytest.mark.parametrize(("before", "after"), [
    ("effort: lots", "effort: heaps"),
    ("tags: 5", "tags: 6"),
    ("effects: [{kpi: k, change: lots}]", "effects: [{kpi: k, change: heaps}]"),
])
def test_diff_names_a_field_refused_on_both_sides_whose_text_changed(tmp_path: Path, before: str,
                                                                     after: str) -> None:
    """Found by a reviewer of a pull request: `effort: lots` made `effort: heaps`, refused
    (CXP002) on both sides, was "No changes to entities or findings" (each side holds the
    default, and the finding's fingerprint is the same): the text written changed, so the
    field did. The same refused text on both sides is no change."""
    line = "          - {id: A-1, title: Status tracker, status: idea, addresses: [p]}\n"

    def written(value: str) -> dict[str, str]:
        files = dict(BASE, **{"units/a.yaml": BASE["units/a.yaml"].replace(
            line, line.replace("addresses: [p]}", "addresses: [p], " + value + "}"))})
        files["kpis.yaml"] = "kpis: [{id: k, name: K, kind: outcome, unit: percent, direction: increase}]\n"
        return files

    old = write_portfolio(tmp_path / "old", written(before))
    new = write_portfolio(tmp_path / "new", written(after))
    same = write_portfolio(tmp_path / "same", written(before))
    field = before.split(":")[0]
    args = ["diff", "--base-dir", str(old), "--head-dir", str(new), "--as-of", "2026-09-30"]
    shown = CliRunner().invoke(cli, args)
    assert f"changed  initiative A-1 ({field})\n" in shown.stdout, shown.output
    change = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert change["entities"] == [{"kind": "initiative", "id": "A-1", "change": "changed", "fields": [field]}]
    unchanged = CliRunner().invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(same), "--as-of",
                                         "2026-09-30", "--format", "json"]).stdout
    assert json.loads(unchanged)["entities"] == []


def test_a_change_that_weakens_a_rule_is_a_finding_of_its_own(tmp_path: Path) -> None:
    """A pull request switching rules off (and trying to soften the finding about it) is
    seen with --baseline (CXP004), and --config-from-base keeps the base's rules."""
    root = committed_base_with_change(tmp_path, commit_change=False)
    (root / "units" / "a.yaml").write_text(
        (root / "units" / "a.yaml").read_text() + "  - {id: A-3, title: Done, status: done}\n")  # a new CXP105
    config = root / "cxportfolio.yaml"
    config.write_text(config.read_text() + "rules: {CXP105: 'off', CXP201: info, CXP004: info}\n")
    runner = CliRunner()
    plain = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    plain_codes = {f["code"] for f in json.loads(plain.output)["findings"]}
    assert "CXP004" not in plain_codes and "CXP105" not in plain_codes  # unseen without a base
    gated = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD",
                                "--format", "json"])
    found = json.loads(gated.output)["findings"]
    weakened = sorted((f["message"], f["severity"], f["file"]) for f in found if f["code"] == "CXP004")
    assert weakened == [
        ("rule CXP105 is weakened by this change: error at the base, off here", "error", "cxportfolio.yaml"),
        ("rule CXP201 is weakened by this change: warning at the base, info here", "error", "cxportfolio.yaml"),
    ]
    # CXP004 itself cannot be lowered: the setting is refused, and it stays an error
    assert [(f["message"], f["severity"]) for f in found if "rules.CXP004" in f["message"]] == [
        ("rules.CXP004 cannot be lowered: the syntax, repeated-key, schema, id and configuration-change checks "
         "always run, as errors", "error")]
    assert gated.exit_code == 1
    from_base = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD",
                                    "--config-from-base", "--format", "json"])
    codes = [f["code"] for f in json.loads(from_base.output)["findings"]]
    assert "CXP105" in codes and codes.count("CXP004") == 2 and from_base.exit_code == 1
    usage = runner.invoke(cli, ["check", str(root), "--config-from-base"])
    assert usage.exit_code == 2


def test_diff_reports_a_weakened_rule_as_a_new_finding(tmp_path: Path) -> None:
    root = committed_base_with_change(tmp_path, commit_change=False)
    config = root / "cxportfolio.yaml"
    config.write_text(config.read_text() + "rules: {CXP401: 'off'}\n")
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--path", str(root), "--as-of", "2026-06-30",
                                      "--format", "json"])
    new = [f for f in json.loads(result.stdout)["new_findings"] if f["code"] == "CXP004"]
    assert [f["message"] for f in new] == ["rule CXP401 is weakened by this change: warning at the base, off here"]
    assert result.exit_code == 1


def test_a_change_of_rule_options_is_a_finding_too(tmp_path: Path) -> None:
    """`min_units: 1000` switches CXP202 off as surely as `off` would."""
    root = committed_base_with_change(tmp_path, commit_change=False)
    config = root / "cxportfolio.yaml"
    config.write_text(config.read_text() + "rules: {CXP202: {min_units: 1000}}\n")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD",
                                      "--format", "json"])
    messages = [f["message"] for f in json.loads(result.output)["findings"] if f["code"] == "CXP004"]
    assert messages == ["rule CXP202's options are changed by this change: min_units 3 → 1000"]
    assert result.exit_code == 1


def test_the_pull_request_that_adds_the_portfolio_finds_everything_new(tmp_path: Path) -> None:
    """First adoption: the base has no portfolio there yet, so nothing is known; the
    exit follows the findings, as without a baseline."""
    repo = tmp_path / "repo"
    write_portfolio(repo / "old", BASE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    root = write_portfolio(repo / "other", dict(BASE, **{"units/c.yaml": "unit: c\nunits: [{id: c, name: C}]\n"
                                                         "initiatives: [{id: C-1, title: T, status: done}]\n"}))
    runner = CliRunner()
    plain = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    checked = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD",
                                  "--format", "json"])
    assert checked.stdout == plain.stdout and checked.exit_code == plain.exit_code == 1  # C-1: CXP105
    assert checked.stderr == ("cxportfolio: note: the portfolio does not exist at HEAD "
                              "(other/cxportfolio.yaml is missing): every finding is new\n")
    diffed = runner.invoke(cli, ["diff", "HEAD", "--path", str(root), "--as-of", "2026-06-30", "--format", "json"])
    change = json.loads(diffed.stdout)
    assert {(e["id"], e["change"]) for e in change["entities"]} >= {("A-1", "added"), ("C-1", "added")}
    assert len(change["new_findings"]) == len(json.loads(plain.stdout)["findings"])
    assert change["resolved_findings"] == [] and change["target"]["before"] is None
    assert diffed.exit_code == 1 and "every" not in diffed.stdout and "does not exist at HEAD" in diffed.stderr
    # The head must hold the portfolio, though: a diff to a ref without it is a mistake.
    missing = runner.invoke(cli, ["diff", "HEAD", "HEAD", "--path", str(root), "--as-of", "2026-06-30"])
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1 and "does not exist at HEAD" in missing.stderr


def test_a_ref_that_names_no_commit_says_why_in_gits_words(tmp_path: Path) -> None:
    root = committed_base_with_change(tmp_path, commit_change=False)
    runner = CliRunner()
    for ref, said in [("origin/master", "bad revision 'origin/master'"), ("", "the ref is empty"),
                      ("HEAD:portfolio", "names a tree, not a commit")]:
        for command in (["check", str(root), "--baseline", ref], ["diff", ref, "--path", str(root)]):
            result = runner.invoke(cli, command)
            assert result.exit_code == 2 and result.stderr.count("\n") == 1, (command, result.stderr)
            assert result.stderr.startswith("cxportfolio: ") and said in result.stderr, (command, result.stderr)


def test_a_shallow_clone_says_how_to_fetch_the_base(tmp_path: Path) -> None:
    """What a CI checkout looks like (actions/checkout fetches one commit of one branch):
    the advice in the message is a command that works."""
    origin = committed_base_with_change(tmp_path, commit_change=True).parent
    git(origin, "branch", "-m", "main")
    git(origin, "switch", "-q", "-c", "feature")
    git(origin, "commit", "-q", "--allow-empty", "-m", "feature")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin}", str(clone))
    root = clone / "portfolio"
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "origin/main"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "bad revision 'origin/main'" in result.stderr
    advice = result.stderr.split("fetch it first: ")[1].split(" (")[0].strip()
    assert advice == "git fetch --depth=1 origin +main:refs/remotes/origin/main"
    deeper = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD~1"])
    assert deeper.exit_code == 2 and "shallow" in deeper.stderr and "fetch-depth: 0" in deeper.stderr
    # Found by a CI engineer: for `origin/main~1` the advice was a refspec git refuses
    # (`+main~1:refs/remotes/origin/main~1`): the branch is fetched, with history
    before = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "origin/main~1"])
    assert before.exit_code == 2 and before.stderr.count("\n") == 1
    branch_advice = before.stderr.split("fetch its branch first: ")[1].split(" (")[0].strip()
    assert branch_advice == "git fetch --depth=100 origin +main:refs/remotes/origin/main"
    git(clone, *branch_advice.split()[1:])  # the advice, as given
    assert runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "origin/main~1"]
                         ).exit_code in (0, 1)
    git(clone, *advice.split()[1:])  # the advice, as given
    fetched = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "origin/main"])
    assert fetched.exit_code == 0 and "already in the baseline" in fetched.stdout


def test_a_finding_accepted_at_the_base_blocks_when_the_change_removes_the_allow(tmp_path: Path) -> None:
    """Found by a newcomer: with an allow: removed from one member of an accepted
    cluster, `check --baseline` said "no findings; … already in the baseline" and passed,
    while `diff` called the finding new and a plain check counted one error more. A
    finding accepted at the base is not in the baseline, by ref or by file."""
    allow = ', allow: [{rule: CXP201, reason: "Joint delivery"}]}'
    accepted = dict(BASE, **{
        "units/a.yaml": BASE["units/a.yaml"].replace("addresses: [p]}", "addresses: [p]" + allow),
        "units/b.yaml": "unit: b\nunits: [{id: b, name: B}]\n"
                        "initiatives:\n  - {id: B-1, title: Status tracker, status: idea, addresses: [p], effort: 1"
                        + allow + "\n",
        "cxportfolio.yaml": "year: 2026\nrules:\n  CXP201: error\n"})
    repo = tmp_path / "repo"
    root = write_portfolio(repo / "portfolio", accepted, None)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    runner = CliRunner()
    saved = tmp_path / "base.json"
    saved.write_text(runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"]).stdout)
    assert any(f["suppressed"] for f in json.loads(saved.read_text())["findings"])
    b = root / "units" / "b.yaml"
    b.write_text(b.read_text().replace(allow, "}"))
    for baseline in (["--baseline", "HEAD"], ["--baseline-file", str(saved)]):
        gate = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", *baseline, "--format", "json"])
        assert [(f["code"], f["entities"]) for f in json.loads(gate.stdout)["findings"]] == [
            ("CXP201", ["A-1", "B-1"])], baseline
        assert gate.exit_code == 1, baseline
    both = runner.invoke(cli, ["check", str(root), "--baseline", "HEAD", "--baseline-file", str(saved)])
    assert both.exit_code == 2 and "not both" in both.stderr


def _three_units(allow: str = "") -> dict[str, str]:
    """A-1, B-1 and C-1 of three units: one duplicate cluster (CXP201), with `allow` on each."""
    files = dict(BASE)
    for unit in "abc":
        files[f"units/{unit}.yaml"] = (f"unit: {unit}\nunits: [{{id: {unit}, name: {unit.upper()}}}]\ninitiatives:\n"
                                       f"  - {{id: {unit.upper()}-1, title: Status tracker, status: idea, "
                                       f"addresses: [p]{allow}}}\n")
    return files


def _gate(root: Path, saved: Path) -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """`check --strict` against HEAD and against the saved base: (exit code, findings)."""
    runner, out = CliRunner(), []
    for baseline in (["--baseline", "HEAD"], ["--baseline-file", str(saved)]):
        gate = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", *baseline, "--strict",
                                   "--format", "json"])
        out.append((gate.exit_code, [(f["code"], f["entities"]) for f in json.loads(gate.stdout)["findings"]]))
    return out


def _committed(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    """A repository whose HEAD holds `files`, and the base's `check --format json` saved."""
    repo = tmp_path / "repo"
    root = write_portfolio(repo / "portfolio", files)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    saved = tmp_path / "base.json"
    saved.write_text(CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"]).stdout)
    return root, saved


def test_a_duplicate_cluster_that_loses_a_member_is_known_not_new(tmp_path: Path) -> None:
    """Found by a tester: when one initiative of a known three-member CXP201 cluster left
    it, the gate failed on the two left ("new") and `diff` said new + resolved. A cluster
    whose members all were in one cluster at the base is that duplicate, smaller."""
    root, saved = _committed(tmp_path, _three_units())
    assert [f["entities"] for f in json.loads(saved.read_text())["findings"] if f["code"] == "CXP201"] == [
        ["A-1", "B-1", "C-1"]]
    c = root / "units" / "c.yaml"
    c.write_text(c.read_text().replace("title: Status tracker", "title: Quarterly budget review"))
    assert _gate(root, saved) == [(0, []), (0, [])]
    head = root.parent / "head"
    shutil.copytree(root, head)
    git(root.parent, "stash", "-q")  # the base, back in the working tree, for diff --base-dir
    runner = CliRunner()
    shown = runner.invoke(cli, ["diff", "--base-dir", str(root), "--head-dir", str(head), "--as-of", "2026-06-30"])
    assert shown.exit_code == 0 and "new " not in shown.stdout and "resolved " not in shown.stdout
    assert "C-1 no longer in it" in shown.stdout and "\nchanged  " in shown.stdout
    change = json.loads(runner.invoke(cli, ["diff", "--base-dir", str(root), "--head-dir", str(head),
                                            "--as-of", "2026-06-30", "--format", "json"]).stdout)
    assert change["new_findings"] == change["resolved_findings"] == []
    assert [(c["before"]["entities"], c["after"]["entities"], c["left"]) for c in change["changed_findings"]] == [
        (["A-1", "B-1", "C-1"], ["A-1", "B-1"], ["C-1"])]
    comment = runner.invoke(cli, ["diff", "--base-dir", str(root), "--head-dir", str(head), "--as-of", "2026-06-30",
                                  "--format", "markdown"]).stdout
    assert "**Changed findings**" in comment and "**New findings**: 0" in comment


@pytest.mark.parametrize("mistake, why", [
    (("title: Status tracker", "title: [Status tracker]"), "not compared while its title is refused (CXP002)"),
    # its `title:` valid: the stray key is what is refused, not the title the user reads
    (("title: Status tracker", "title: Status tracker, titel: Status trackr"),
     "not compared while another key may be its title (CXP002)"),
    (("unit: c\n", "unit: cc\n"), "not compared while its unit 'cc' is not known (CXP102)"),
    (("{id: C-1,", "{id: [C-1],"), "not read at the head, for a mistake there (its CXP001–CXP003 findings say where)")])
def test_a_cluster_member_not_compared_for_a_mistake_is_not_said_to_have_left(
        tmp_path: Path, mistake: tuple[str, str], why: str) -> None:
    """Found by a tester: with C-1's title refused (or its unit misspelt, or its id) at the head,
    CXP201 compares it with nothing until the mistake is corrected, and `diff` said the cluster was
    "smaller than at the base: C-1 no longer in it", as of D-1, really retitled."""
    files = {**_three_units(), "units/d.yaml": "unit: d\nunits: [{id: d, name: D}]\ninitiatives:\n"
             "  - {id: D-1, title: Status tracker, status: idea, addresses: [p]}\n"}
    base = write_portfolio(tmp_path / "base", files)
    head = write_portfolio(tmp_path / "head", {**files, "units/c.yaml": files["units/c.yaml"].replace(*mistake),
                                                "units/d.yaml": files["units/d.yaml"].replace(
                                                    "title: Status tracker", "title: Quarterly budget review")})
    _smaller_in_every_format(base, head, f"smaller than at the base: D-1 no longer in it; C-1 {why}",
                             (["A-1", "B-1", "C-1", "D-1"], ["A-1", "B-1"], ["D-1"], [{"id": "C-1", "why": why}]))


def _smaller_in_every_format(base: Path, head: Path, how: str, cluster: tuple[list[str], ...]) -> None:
    """`diff` says how the one changed cluster is smaller in text and the comment, and the
    JSON has it as (entities before, after, left, uncompared)."""
    runner, run = CliRunner(), ["diff", "--base-dir", str(base), "--head-dir", str(head), "--as-of", "2026-06-30"]
    assert f"({how})" in runner.invoke(cli, run).stdout
    assert f"| {how} |" in runner.invoke(cli, [*run, "--format", "markdown"]).stdout
    change = json.loads(runner.invoke(cli, [*run, "--format", "json"]).stdout)
    assert [(c["before"]["entities"], c["after"]["entities"], c["left"], c["uncompared"])
            for c in change["changed_findings"]] == [cluster]


def test_a_cluster_member_whose_id_is_taken_is_not_said_to_have_left(tmp_path: Path) -> None:
    """Found in review: C-1 unchanged, but a new initiative of unit e written `id: C-1` too
    (CXP101), the rules read that one, and `diff` said the cluster was "smaller than at the
    base: C-1 no longer in it", though C-1 is there as it was, only read by no rule."""
    files = _three_units()
    base = write_portfolio(tmp_path / "base", files)
    head = write_portfolio(tmp_path / "head", {**files, "units/e.yaml": "unit: e\nunits: [{id: e, name: E}]\n"
                                                "initiatives:\n  - {id: C-1, title: Quarterly budget review, "
                                                "status: idea, addresses: [p]}\n"})
    runner, run = CliRunner(), ["diff", "--base-dir", str(base), "--head-dir", str(head), "--as-of", "2026-06-30"]
    why = "not compared while its id is defined 2 times (CXP101)"
    assert f"(smaller than at the base: C-1 {why})" in runner.invoke(cli, run).stdout
    change = json.loads(runner.invoke(cli, [*run, "--format", "json"]).stdout)
    assert [(c["left"], c["uncompared"]) for c in change["changed_findings"]] == [([], [{"id": "C-1", "why": why}])]


@pytest.mark.parametrize("mistake, why", [
    (('name: "Mortgage customers NPS"', 'name: ["Mortgage customers NPS"]'),
     "not compared while its name is refused (CXP002)"),
    (("kind: experience, direction: increase, journey: j}\n  - {id: nps-2",
      "kind: [experience], direction: [increase], journey: j}\n  - {id: nps-2"),
     "not compared while its kind and direction are refused (CXP002)"),
    (("journey: j}\n  - {id: nps-2", "journey: jj}\n  - {id: nps-2"),
     "not compared while its journey 'jj' is not known (CXP102)")])
def test_a_duplicate_kpi_not_compared_for_a_mistake_is_not_said_to_have_left(
        tmp_path: Path, mistake: tuple[str, str], why: str) -> None:
    """Found in review: with mortgage-nps's name refused (or its kind, or its journey misspelt)
    at the head, CXP203 compares it with nothing, and `diff` said the cluster was "smaller
    than at the base: mortgage-nps no longer in it", as CXP201's was before."""
    kpis = ("kpis:\n"
            '  - {id: nps-1, name: "NPS, mortgage customers", kind: experience, direction: increase, journey: j}\n'
            '  - {id: mortgage-nps, name: "Mortgage customers NPS", kind: experience, direction: increase, journey: j}\n'
            '  - {id: nps-2, name: "NPS mortgage customers", kind: experience, direction: increase, journey: j}\n')
    base = write_portfolio(tmp_path / "base", {**BASE, "kpis.yaml": kpis})
    head = write_portfolio(tmp_path / "head", {**BASE, "kpis.yaml": kpis.replace(*mistake)})
    _smaller_in_every_format(base, head, f"smaller than at the base: mortgage-nps {why}",
                             (["mortgage-nps", "nps-1", "nps-2"], ["nps-1", "nps-2"], [],
                              [{"id": "mortgage-nps", "why": why}]))


def test_a_duplicate_cluster_that_gains_a_member_is_new(tmp_path: Path) -> None:
    root, saved = _committed(tmp_path, _three_units())
    write_portfolio(root, {"units/d.yaml": "unit: d\nunits: [{id: d, name: D}]\ninitiatives:\n"
                                           "  - {id: D-1, title: Status tracker, status: idea, addresses: [p]}\n"}, None)
    assert _gate(root, saved) == [(1, [("CXP201", ["A-1", "B-1", "C-1", "D-1"])])] * 2


def test_a_smaller_cluster_accepted_at_the_base_is_known_only_while_accepted(tmp_path: Path) -> None:
    allow = ', allow: [{rule: CXP201, reason: "Joint delivery"}]'
    root, saved = _committed(tmp_path, _three_units(allow))
    c = root / "units" / "c.yaml"
    c.write_text(c.read_text().replace("title: Status tracker", "title: Quarterly budget review"))
    assert _gate(root, saved) == [(0, []), (0, [])]  # A-1 and B-1 accept it still
    a = root / "units" / "a.yaml"
    a.write_text(a.read_text().replace(allow, ""))
    assert _gate(root, saved) == [(1, [("CXP201", ["A-1", "B-1"])])] * 2


def test_diff_calls_a_cluster_a_newcomer_left_accepted_not_resolved(tmp_path: Path) -> None:
    """Found by a newcomer: a fourth initiative joined a cluster three units had accepted
    with `allow:` (live again, as format.md says); the change that took it out again had
    `diff` call the duplicate "resolved", while SARIF called it `updated` and `check`
    lists it suppressed: the three are still duplicates, accepted. It is *accepted*, with
    the allow's reason, as for a change that adds the allow."""
    allow = ', allow: [{rule: CXP201, reason: "Joint delivery"}]'
    files = _three_units(allow)
    files["units/d.yaml"] = ("unit: d\nunits: [{id: d, name: D}]\ninitiatives:\n"
                             "  - {id: D-1, title: Status tracker, status: idea, addresses: [p]}\n")
    old = write_portfolio(tmp_path / "old", files)
    new = write_portfolio(tmp_path / "new", dict(files, **{"units/d.yaml": "unit: d\nunits: [{id: d, name: D}]\n"}))
    runner = CliRunner()

    def diff(*options: str) -> str:
        return runner.invoke(cli, ["diff", "--base-dir", str(old), "--head-dir", str(new),
                                   "--as-of", "2026-06-30", *options]).stdout

    change = json.loads(diff("--format", "json"))
    assert change["resolved_findings"] == [] and change["new_findings"] == []
    assert [(f["code"], f["entities"], f["reason"]) for f in change["accepted_findings"]] == [
        ("CXP201", ["A-1", "B-1", "C-1"], "Joint delivery")]
    assert "resolved" not in diff() and "(allow: Joint delivery)" in diff()


def test_only_clusters_are_known_by_their_members(tmp_path: Path) -> None:
    """A finding about one entity is never "within" another: a CXP002 on A-1 about
    another field than the base's is new."""
    files = _three_units()
    files["units/a.yaml"] = files["units/a.yaml"].replace("status: idea", "status: idea, effort: lots")
    root, saved = _committed(tmp_path, files)
    a = root / "units" / "a.yaml"
    a.write_text(a.read_text().replace("status: idea", "status: ideas"))
    gates = _gate(root, saved)
    assert [code for code, _ in gates[0][1]] == ["CXP002"] and gates[0] == gates[1] and gates[0][0] == 1


def test_a_duplicate_kpi_group_that_loses_a_kpi_is_known_not_new(tmp_path: Path) -> None:
    kpis = ("kpis:\n" + "".join(f"  - {{id: {i}, name: Customer satisfaction score, kind: experience, "
                                 "direction: increase}\n" for i in ("csat", "kundnojdhet", "satisfaction")))
    root, saved = _committed(tmp_path, dict(BASE, **{"kpis.yaml": kpis}))
    assert [f["entities"] for f in json.loads(saved.read_text())["findings"] if f["code"] == "CXP203"] == [
        ["csat", "kundnojdhet", "satisfaction"]]
    k = root / "kpis.yaml"
    k.write_text(k.read_text().replace("id: satisfaction, name: Customer satisfaction score",
                                       "id: satisfaction, name: Average handling time"))
    assert _gate(root, saved) == [(0, []), (0, [])]


def _broken_at_base(tmp_path: Path) -> Path:
    """Found by a newcomer: units/b.yaml committed with a key one space off (it does not
    parse at HEAD), then fixed in the working tree, where B-1 duplicates A-1 (CXP201, in
    a.yaml) and B-2 addresses nothing (CXP401, in b.yaml) — both there before the break,
    for all the base can tell — and A-3, in a readable file, is new (CXP401)."""
    broken = {**BASE, "units/b.yaml": ("unit: b\nunits: [{id: b, name: B}]\ninitiatives:\n"
                                       "  - id: B-1\n    title: Status tracker\n    status: idea\n"
                                       "    addresses: [p]\n  - id: B-2\n    title: Other thing\n"
                                       "     status: idea\n")}
    root, _ = _committed(tmp_path, broken)
    (root / "units" / "b.yaml").write_text(broken["units/b.yaml"].replace("     status", "    status"))
    (root / "units" / "a.yaml").write_text((root / "units" / "a.yaml").read_text()
                                           + "  - {id: A-3, title: Brand new, status: idea}\n")
    return root


def test_findings_of_a_file_the_base_could_not_read_are_said_not_compared(tmp_path: Path) -> None:
    """They count as new, as all do when the portfolio is missing at the base (a finding
    the base cannot vouch for never passes unseen), and a note says why, per file."""
    root = _broken_at_base(tmp_path)
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD",
                                    "--strict", "--format", "json"])
    found = sorted((f["code"], f["entities"]) for f in json.loads(gate.stdout)["findings"])
    assert found == [("CXP201", ["A-1", "B-1"]), ("CXP401", ["A-3"]), ("CXP401", ["B-2"])]
    assert gate.exit_code == 1
    assert gate.stderr == ("cxportfolio: note: units/b.yaml did not parse at HEAD: 2 findings in it or about "
                           "what it defines are not compared with the base, and count as new (to see which "
                           "are, compare with a commit where it parsed)\n")


def test_diff_calls_entities_of_a_file_the_base_could_not_read_unread(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The same repair: unit b, B-1 and B-2 were in units/b.yaml, which the base could not
    read; they may have been there all along, so `diff` does not call them added, and says
    which new findings it could not compare. A-3 is added: its file parsed at the base."""
    monkeypatch.chdir(_broken_at_base(tmp_path))  # paths as written, relative to the portfolio
    runner = CliRunner()
    args = ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]
    text = runner.invoke(cli, args).stdout.splitlines()
    assert [line for line in text if not line.startswith(("new ", "resolved ", "rank ", "Annual"))] == [
        "added    initiative A-3",
        "unread   initiative B-1 (in units/b.yaml, which the base could not read)",
        "unread   initiative B-2 (in units/b.yaml, which the base could not read)",
        "unread   unit b (in units/b.yaml, which the base could not read)",
        "Not compared: 2 new findings in or about units/b.yaml, which the base could not read "
        "(it did not parse there): the base may have had them."]
    change = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    assert [(e["id"], e["change"], e.get("file")) for e in change["entities"]] == [
        ("A-3", "added", None), ("B-1", "unread", "units/b.yaml"), ("B-2", "unread", "units/b.yaml"),
        ("b", "unread", "units/b.yaml")]
    assert change["not_compared"] == {"units/b.yaml": 2}
    comment = runner.invoke(cli, [*args, "--format", "markdown"]).stdout
    assert "**Entities**: 1 added, 0 removed, 0 changed, 3 in a file the base could not read (not known to be added)." \
        in comment
    assert "| unread at the base | unit | b | in units/b.yaml, which the base could not read |" in comment
    assert comment.endswith("\n\nNot compared: 2 new findings in or about units/b.yaml, which the base could not "
                            "read (it did not parse there): the base may have had them.\n")


def test_diff_calls_entities_of_a_file_unreadable_at_the_base_and_renamed_since_unread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a helper: the same repair with units/b.yaml renamed to units/c.yaml called
    unit b, B-1 and B-2 added, though the base could not read the file they may have been in."""
    root = _broken_at_base(tmp_path)
    (root / "units" / "b.yaml").rename(root / "units" / "c.yaml")
    monkeypatch.chdir(root)
    runner = CliRunner()
    args = ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]
    text = runner.invoke(cli, args).stdout.splitlines()
    assert [line for line in text if line.startswith(("added ", "unread "))] == [
        "added    initiative A-3",
        "unread   initiative B-1 (in units/c.yaml, not at the base, which could not read units/b.yaml)",
        "unread   initiative B-2 (in units/c.yaml, not at the base, which could not read units/b.yaml)",
        "unread   unit b (in units/c.yaml, not at the base, which could not read units/b.yaml)"]
    change = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    assert [(e["id"], e["change"], e.get("file"), e.get("base_files")) for e in change["entities"]] == [
        ("A-3", "added", None, None), ("B-1", "unread", "units/c.yaml", ["units/b.yaml"]),
        ("B-2", "unread", "units/c.yaml", ["units/b.yaml"]), ("b", "unread", "units/c.yaml", ["units/b.yaml"])]


def test_a_saved_run_names_the_files_that_did_not_parse_and_the_gate_says_so(tmp_path: Path) -> None:
    """Found by a helper: against the same repair, `--baseline-file` (a run saved while
    units/b.yaml did not parse) counted its findings as new without the note `--baseline
    HEAD` gives. The saved run names the file (`unreadable`), and the note says it."""
    root = _broken_at_base(tmp_path)
    saved = tmp_path / "base.json"
    assert json.loads(saved.read_text())["unreadable"] == ["units/b.yaml"]
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline-file", str(saved),
                                    "--strict", "--format", "json"])
    found = sorted((f["code"], f["entities"]) for f in json.loads(gate.stdout)["findings"])
    assert found == [("CXP201", ["A-1", "B-1"]), ("CXP401", ["A-3"]), ("CXP401", ["B-2"])]
    assert gate.exit_code == 1
    assert gate.stderr == (f"cxportfolio: note: units/b.yaml did not parse when {saved} was saved: 2 findings in "
                           "it or about what it defines are not compared with the base, and count as new (to see "
                           "which are, compare with a commit where it parsed)\n")


def test_findings_of_a_file_unreadable_at_the_base_and_renamed_since_are_said_not_compared(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a helper: with units/b.yaml repaired and renamed to units/c.yaml, the gate
    counted B-2's CXP401 (in c.yaml) and the CXP201 about B-1 (defined there) as new
    without a note, and diff's `not_compared` left them out, though the base could not
    read the file c.yaml may be."""
    root = _broken_at_base(tmp_path)
    (root / "units" / "b.yaml").rename(root / "units" / "c.yaml")
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD", "--strict"])
    assert gate.exit_code == 1
    assert gate.stderr == ("cxportfolio: note: units/c.yaml is not at HEAD, where units/b.yaml did not parse (it may "
                           "be that file, renamed): 2 findings in it or about what it defines are not compared with "
                           "the base, and count as new (to see which are, compare with a commit where it parsed)\n")
    monkeypatch.chdir(root)
    runner = CliRunner()
    args = ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]
    assert runner.invoke(cli, args).stdout.splitlines()[-1] == (
        "Not compared: 2 new findings in or about units/c.yaml, not at the base, which could not read "
        "units/b.yaml: the base may have had them.")
    assert json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)["not_compared"] == {"units/c.yaml": 2}


def test_one_finding_not_compared_is_said_in_the_singular(tmp_path: Path) -> None:
    """Found by a helper: one such finding "is not compared with the base, and count as new
    (to see which are, …)"."""
    root = _broken_at_base(tmp_path)
    b = root / "units" / "b.yaml"
    b.write_text(b.read_text() + "    addresses: [p]\n")  # B-2 addresses a pain point: only B-1's CXP201 is left
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD"])
    assert gate.stderr == ("cxportfolio: note: units/b.yaml did not parse at HEAD: 1 finding in it or about what it "
                           "defines is not compared with the base, and counts as new (to see which it is, compare "
                           "with a commit where it parsed)\n")


def test_a_branch_the_remote_lacks_in_a_whole_clone_names_the_one_it_may_mean(tmp_path: Path) -> None:
    """Found by a newcomer: `--baseline origin/master` in a clone whose remote has only
    `main` advised `git fetch origin +master:refs/remotes/origin/master`, which fails. A
    clone that fetches all of the remote's branches names the branch meant, as the local
    case does; a one-branch or shallow clone (CI's) keeps the fetch advice."""
    origin = committed_base_with_change(tmp_path, commit_change=True).parent
    git(origin, "branch", "-m", "main")
    git(origin, "branch", "release-2026")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{origin}", str(clone))
    root = clone / "portfolio"
    runner = CliRunner()
    for ref, meant in [("origin/master", "origin/main"), ("origin/relase-2026~1", "origin/release-2026~1"),
                       ("origin/trunk", "origin/main")]:  # like none: the remote's default
        for command in (["check", str(root), "--baseline", ref], ["diff", ref, "--path", str(root)]):
            result = runner.invoke(cli, command)
            assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
            assert result.stderr.endswith(f"(git: bad revision '{ref}'); origin had no branch '{ref[7:].split('~')[0]}' "
                                          f"when this clone last fetched it: did you mean '{meant}'?\n"), result.stderr
    assert runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline",
                               "origin/main"]).exit_code == 0  # as it says
    one = tmp_path / "one"
    git(tmp_path, "clone", "-q", "--single-branch", "--branch", "release-2026", f"file://{origin}", str(one))
    result = runner.invoke(cli, ["check", str(one / "portfolio"), "--baseline", "origin/main"])
    assert result.exit_code == 2 and result.stderr.endswith(
        "; fetch it first: git fetch origin +main:refs/remotes/origin/main\n"), result.stderr


def test_a_base_commit_id_missing_from_a_shallow_clone_says_how_to_fetch_it(tmp_path: Path) -> None:
    """Found by a CI integrator: GitLab gives the base as a full commit id
    ($CI_MERGE_REQUEST_DIFF_BASE_SHA), which git "verifies" without having it; a shallow
    clone that lacked it was told the id "names a git object, not a commit"."""
    origin = committed_base_with_change(tmp_path, commit_change=True).parent
    base = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=origin, capture_output=True, text=True,
                          check=True).stdout.strip()
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    root = clone / "portfolio"
    runner = CliRunner()
    for command in (["check", str(root), "--baseline", base], ["diff", base, "--path", str(root)]):
        result = runner.invoke(cli, [*command, "--as-of", "2026-06-30"])
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert f"'{base}' is not in this repository (no such commit in this clone)" in result.stderr
        assert "fetch-depth: 0 (GitLab: GIT_DEPTH: 0)" in result.stderr
    advice = result.stderr.split("fetch it first: ")[1].split(" (")[0]
    assert advice == f"git fetch --depth=1 origin {base}"
    git(clone, *advice.split()[1:])  # the advice, as given, makes the base there
    fetched = runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", base])
    assert fetched.exit_code == 0 and fetched.stderr == "", fetched.stderr


def test_a_base_ref_whose_branch_variable_is_empty_says_so(tmp_path: Path) -> None:
    """Found by a CI integrator: `baseline: origin/${{ github.base_ref }}` in a workflow that
    also runs `on: push`, where github.base_ref is empty, gave only git's "bad revision
    'origin/'", as if the remote were wrong."""
    root = committed_base_with_change(tmp_path, commit_change=False)
    for command in (["check", str(root), "--baseline", "origin/"], ["diff", "origin/", "--path", str(root)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.endswith(
            "'origin/' is not a git ref (a commit, branch or tag) in this repository (git: bad revision "
            "'origin/'; no branch follows 'origin/': is the variable that names the base branch set? "
            "github.base_ref is empty outside pull_request events)\n"), result.stderr


def test_a_moved_portfolio_is_named_where_the_base_kept_it(tmp_path: Path) -> None:
    """Found by a CI integrator: after `git mv cx/portfolio portfolio` the gate said only that
    the portfolio does not exist at the base, and failed on every finding, with nothing
    linking it to the move. The note names where the base kept it and how to gate a move;
    a portfolio added beside one that stays (the first pull request) gets no such note."""
    repo = tmp_path / "repo"
    write_portfolio(repo / "cx" / "portfolio", BASE)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "mv", "cx/portfolio", "portfolio")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(repo / "portfolio"), "--baseline", "HEAD", "--as-of", "2026-06-30"])
    assert result.stderr == (
        "cxportfolio: note: the portfolio does not exist at HEAD (portfolio/cxportfolio.yaml is missing; HEAD has "
        "cx/portfolio/cxportfolio.yaml, gone since: to gate a move, give --baseline-file a run saved before it, "
        "as docs/ci.md says): every finding is new\n")
    diffed = runner.invoke(cli, ["diff", "HEAD", "--path", str(repo / "portfolio"), "--as-of", "2026-06-30"])
    assert "HEAD has cx/portfolio/cxportfolio.yaml, gone since" in diffed.stderr


def test_a_baseline_in_a_repository_without_commits_says_so(tmp_path: Path) -> None:
    """Found by a CI integrator: `--baseline HEAD` (a pre-commit hook's args) at a new
    repository's first commit gave only git's "bad revision 'HEAD'"."""
    repo = tmp_path / "repo"
    write_portfolio(repo, BASE)
    git(repo, "init", "-q")
    for command in (["check", str(repo), "--baseline", "HEAD"], ["diff", "HEAD", "--path", str(repo)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.endswith("(git: bad revision 'HEAD'); this repository has no commit yet: check the "
                                      "first one without a baseline\n"), result.stderr


def test_a_saved_run_and_a_ref_given_to_each_others_option_are_said_so(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a CI integrator: `--baseline base.json` said only "bad revision", and
    `--baseline-file origin/main` "no such file"; each now names the option meant."""
    root = committed_base_with_change(tmp_path, commit_change=False)
    monkeypatch.chdir(root)
    runner = CliRunner()
    saved = runner.invoke(cli, ["check", "--as-of", "2026-06-30", "--format", "json", "--exit-zero"]).stdout
    (tmp_path / "base.json").write_text(saved, encoding="utf-8")
    run = runner.invoke(cli, ["check", "--baseline", str(tmp_path / "base.json")])
    assert run.exit_code == 2 and run.stderr == (
        f"cxportfolio: '{tmp_path / 'base.json'}' is a file, not a git ref: give a saved `check --format json` run "
        f"as --baseline-file {tmp_path / 'base.json'}\n")
    ref = runner.invoke(cli, ["check", "--baseline-file", "HEAD"])
    assert ref.exit_code == 2 and ref.stderr == "cxportfolio: HEAD: no such file, but a git ref: give a ref as " \
                                                "--baseline HEAD\n"
    # the file as --baseline-file, as it says: saved from this tree, nothing is new
    assert runner.invoke(cli, ["check", "--as-of", "2026-06-30", "--baseline-file", str(tmp_path / "base.json")]
                         ).exit_code == 0
    missing = runner.invoke(cli, ["check", "--baseline-file", "nope.json"])
    assert missing.stderr == "cxportfolio: nope.json: cannot read the baseline file: No such file or directory\n"


def test_a_baseline_outside_git_or_in_a_checkout_another_user_owns_says_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a CI integrator: a copy without .git (a container image) and a checkout
    git refuses as another user's (a CI container's) both gave "git rev-parse
    --show-toplevel failed: ...", which says nothing of what to do."""
    root = write_portfolio(tmp_path / "copy", BASE)
    runner = CliRunner()
    for command in (["check", str(root), "--baseline", "main"], ["diff", "main", "--path", str(root)]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2 and result.stderr == (
            f"cxportfolio: {root} is not in a git repository, where a git ref's portfolio is read from: run in a "
            "git checkout (a copy without .git has none), or compare with a saved run (check --baseline-file, "
            "diff --base-dir)\n"), result.stderr
    repo = committed_base_with_change(tmp_path, commit_change=False)
    # git's own words for a checkout another user owns (its safe.directory check), as it says them
    refused = subprocess.CompletedProcess([], 128, b"", (
        f"fatal: detected dubious ownership in repository at '{repo.parent}'\n"
        "To add an exception for this directory, call:\n\n"
        f"\tgit config --global --add safe.directory {repo.parent}\n").encode())
    from cxportfolio import baseline
    real_run = baseline._run
    monkeypatch.setattr(baseline, "_run", lambda cwd, *args: refused if args[:2] == ("rev-parse", "--show-toplevel")
                        else real_run(cwd, *args))
    result = runner.invoke(cli, ["check", str(repo), "--baseline", "HEAD"])
    assert result.exit_code == 2 and result.stderr == (
        f"cxportfolio: git refuses the repository at {repo.parent}, which another user owns (dubious ownership): "
        f"trust it first with git config --global --add safe.directory {repo.parent} (a CI container's checkout "
        "often is another user's)\n"), result.stderr


def test_a_bare_branch_name_that_a_clone_holds_as_remote_tracking_names_it(tmp_path: Path) -> None:
    """Found by a CI integrator: `baseline: ${{ github.base_ref }}` gives `main`, which a
    pull request's checkout (fetch-depth: 0, detached) holds only as origin/main; git's
    "bad revision 'main'" came with no hint in a full clone."""
    origin = committed_base_with_change(tmp_path, commit_change=True).parent
    git(origin, "branch", "-m", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{origin}", str(clone))
    git(clone, "checkout", "-q", "--detach")
    git(clone, "branch", "-q", "-D", "main")
    runner = CliRunner()
    for command in (["check", str(clone / "portfolio"), "--baseline", "main"],
                    ["diff", "main", "--path", str(clone / "portfolio")]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.endswith("(git: bad revision 'main'); did you mean 'origin/main'? a clone holds the "
                                      "other branches as origin/<name>\n"), result.stderr
    assert runner.invoke(cli, ["check", str(clone / "portfolio"), "--as-of", "2026-06-30", "--baseline",
                               "origin/main"]).exit_code == 0  # as it says


def test_a_remote_branch_in_a_repository_without_that_remote_names_the_local_branch(tmp_path: Path) -> None:
    """Found by a newcomer: `check --baseline origin/main`, as docs/ci.md's examples write
    it, in a repository with no remote said "'origin/main' is not a git ref … (git: bad
    revision 'origin/main')" and no next step; it names the local branch the ref may mean."""
    repo = committed_base_with_change(tmp_path, commit_change=True).parent
    git(repo, "branch", "-m", "main")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(repo / "portfolio"), "--baseline", "origin/main"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.endswith("; this repository has no remote 'origin': did you mean the local branch "
                                  "'main'?\n"), result.stderr
    git(repo, "remote", "add", "upstream", "https://example.invalid/x.git")
    result = runner.invoke(cli, ["diff", "origin/trunk", "--path", str(repo / "portfolio")])
    assert result.exit_code == 2 and result.stderr.endswith(
        "; this repository has no remote 'origin' (its remotes: upstream)\n"), result.stderr
    assert runner.invoke(cli, ["check", str(repo / "portfolio"), "--as-of", "2026-06-30", "--baseline",
                               "main"]).exit_code == 0  # as it says


def test_a_full_ref_or_a_branch_with_a_slash_is_not_told_of_a_remote_it_never_named(tmp_path: Path) -> None:
    """Found in review: `--baseline refs/remotes/origin/main` (or `feature/login`) in
    actions/checkout's shallow clone was told "this repository has no remote 'refs'" ('feature'),
    a remote it never named, in place of the shallow clone's advice; `refs/heads/mian` in a
    repository without remotes so too. They keep what they were told before."""
    origin = committed_base_with_change(tmp_path, commit_change=True).parent
    git(origin, "branch", "-m", "main")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    runner = CliRunner()
    for ref in ("refs/remotes/origin/other", "feature/login"):
        result = runner.invoke(cli, ["check", str(clone / "portfolio"), "--baseline", ref])
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "no remote" not in result.stderr and "this clone is shallow" in result.stderr, result.stderr
    result = runner.invoke(cli, ["check", str(origin / "portfolio"), "--baseline", "refs/heads/mian"])
    assert result.exit_code == 2 and result.stderr.endswith("(git: bad revision 'refs/heads/mian')\n"), result.stderr


def test_a_file_added_beside_the_repaired_one_is_not_taken_for_it_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: with units/b.yaml repaired under its own name and units/c.yaml
    added beside it, the gate said "units/c.yaml is not at HEAD, where units/b.yaml did not
    parse (it may be that file, renamed)" and diff called unit c and C-1 unread, though
    b.yaml is still there: c.yaml is no renamed b.yaml, and what it defines is added."""
    root = _broken_at_base(tmp_path)
    (root / "units" / "c.yaml").write_text("unit: c\nunits: [{id: c, name: C}]\n"
                                           "initiatives:\n  - {id: C-1, title: Fresh idea, status: idea}\n")
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD"])
    assert gate.stderr.startswith("cxportfolio: note: units/b.yaml did not parse at HEAD: ")
    assert "units/c.yaml" not in gate.stderr and gate.stderr.count("\n") == 1
    monkeypatch.chdir(root)
    runner = CliRunner()
    args = ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]
    text = runner.invoke(cli, args).stdout.splitlines()
    assert [line for line in text if line.startswith(("added ", "unread "))
            and ("C-1" in line or "unit c" in line)] == ["added    initiative C-1", "added    unit c"]
    assert list(json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)["not_compared"]) == ["units/b.yaml"]


def test_a_renamed_file_is_said_to_be_one_of_the_unreadable_files_gone_since(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: with units/b.yaml renamed to units/c.yaml and units/d.yaml, which
    did not parse either, still there (and still broken), the note said c.yaml "may be one
    of them" naming d.yaml too, which is still there under its own name."""
    root = _broken_at_base(tmp_path)
    d = root / "units" / "d.yaml"
    d.write_text("unit: d\nunits: [{id: d, name: D}\n")  # unclosed at the base, and still
    git(root.parent, "add", "portfolio/units/d.yaml")  # (b.yaml's repair left in the working tree)
    git(root.parent, "commit", "-qm", "d")
    (root / "units" / "b.yaml").rename(root / "units" / "c.yaml")
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD"])
    assert ("cxportfolio: note: units/c.yaml is not at HEAD, where units/b.yaml did not parse (it may be that "
            "file, renamed): 1 finding") in gate.stderr
    monkeypatch.chdir(root)
    args = ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]
    text = CliRunner().invoke(cli, args).stdout.splitlines()
    assert "unread   unit b (in units/c.yaml, not at the base, which could not read units/b.yaml)" in text
    assert ("Not compared: 1 new finding in or about units/c.yaml, not at the base, which could not "
            "read units/b.yaml: the base may have had them.") in text


def test_the_files_a_renamed_file_may_be_are_named_up_to_six(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: each file added and each entity in it named every file that did not
    parse at the base and is gone: a change that repairs and renames thousands of files
    wrote thousands of names per line, for each of them. A line names six, and how many
    more; JSON's `base_files` keep them all (SECURITY.md: a message names the first 6)."""
    root = _broken_at_base(tmp_path)
    gone = [root / "units" / f"f{n}.yaml" for n in range(1, 9)]
    for f in gone:
        f.write_text("unit: f\nunits: [{id: f, name: F}\n")  # unclosed
    git(root.parent, "add", *(f"portfolio/units/{f.name}" for f in gone))  # (b.yaml's repair left out)
    git(root.parent, "commit", "-qm", "more")
    for f in gone:
        f.unlink()
    (root / "units" / "b.yaml").rename(root / "units" / "c.yaml")
    names = ("units/b.yaml, units/f1.yaml, units/f2.yaml, units/f3.yaml, units/f4.yaml, units/f5.yaml "
             "and 3 more")
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD"])
    assert f"units/c.yaml is not at HEAD, where {names} did not parse (it may be one of them, renamed)" in gate.stderr
    monkeypatch.chdir(root)
    args = ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]
    text = CliRunner().invoke(cli, args).stdout.splitlines()
    assert f"unread   unit b (in units/c.yaml, not at the base, which could not read {names})" in text
    assert ("Not compared: 2 new findings in or about units/c.yaml, not at the base, which could not read "
            f"{names}: the base may have had them.") in text
    change = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert [e["base_files"] for e in change["entities"] if e["id"] == "b"] == [
        ["units/b.yaml", *(f"units/f{n}.yaml" for n in range(1, 9))]]


def test_two_files_a_renamed_file_may_be_are_joined_by_and(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: "where units/b.yaml, units/d.yaml did not parse (it may be one of
    them, renamed)" read as a list cut short; two are "units/b.yaml and units/d.yaml"."""
    root = _broken_at_base(tmp_path)
    d = root / "units" / "d.yaml"
    d.write_text("unit: d\nunits: [{id: d, name: D}\n")  # unclosed
    git(root.parent, "add", "portfolio/units/d.yaml")
    git(root.parent, "commit", "-qm", "d")
    d.unlink()
    (root / "units" / "b.yaml").rename(root / "units" / "c.yaml")
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD"])
    assert ("units/c.yaml is not at HEAD, where units/b.yaml and units/d.yaml did not parse (it may be one of "
            "them, renamed)") in gate.stderr
    monkeypatch.chdir(root)
    text = CliRunner().invoke(cli, ["diff", "--base", "HEAD", "--as-of", "2026-06-30"]).stdout.splitlines()
    assert "unread   unit b (in units/c.yaml, not at the base, which could not read units/b.yaml and units/d.yaml)" \
        in text


def _sarif_results(path: Path) -> list[dict]:
    from test_sarif import VALIDATOR  # the OASIS schema, formats checked

    document = json.loads(path.read_text(encoding="utf-8"))
    VALIDATOR.validate(document)
    return document["runs"][0]["results"]


def test_the_sarif_of_a_baseline_run_keeps_every_finding_with_its_baseline_state(tmp_path: Path) -> None:
    """Found by a reviewer: the action uploads the SARIF of its --baseline run, which held
    the new findings only, and code scanning, which takes an upload for the whole state of
    the code, then showed every finding the base branch has as fixed by the pull request.
    SARIF now holds them all, each with its baselineState; the other formats, the counts
    and the exit code keep to the new ones."""
    files = dict(BASE, **{"units/a.yaml": BASE["units/a.yaml"] + (
        "  - {id: A-3, title: Kept thing, status: idea, allow: [{rule: CXP401, reason: On hold}]}\n")})
    root, _ = _committed(tmp_path, files)
    write_portfolio(root, {"units/b.yaml": "unit: b\nunits: [{id: b, name: B}]\ninitiatives:\n"
                                           "  - {id: B-1, title: Status tracker, status: idea, addresses: [p]}\n"},
                    None)
    runner = CliRunner()
    args = ["check", str(root), "--as-of", "2026-06-30", "--strict", "--format", "json"]
    gate = runner.invoke(cli, [*args, "--baseline", "HEAD", "--output", f"sarif={tmp_path / 'gate.sarif'}"])
    assert gate.exit_code == 1, gate.output  # --strict: the new warning fails, as before
    shown = json.loads(gate.stdout)
    assert [(f["code"], f["entities"]) for f in shown["findings"]] == [("CXP201", ["A-1", "B-1"])]
    assert (shown["summary"]["warnings"], shown["summary"]["suppressed"]) == (1, 0)
    results = _sarif_results(tmp_path / "gate.sarif")
    assert [(r["ruleId"], r["baselineState"], "suppressions" in r) for r in results] == [
        ("CXP201", "new", False), ("CXP401", "unchanged", False), ("CXP401", "unchanged", True)]
    assert results[2]["suppressions"] == [{"kind": "inSource", "justification": "On hold"}]
    plain = runner.invoke(cli, [*args, "--output", f"sarif={tmp_path / 'plain.sarif'}"])
    assert plain.exit_code == 1
    everything = _sarif_results(tmp_path / "plain.sarif")
    assert "baselineState" not in (tmp_path / "plain.sarif").read_text(encoding="utf-8")
    assert [{k: v for k, v in r.items() if k != "baselineState"} for r in results] == everything


def test_the_sarif_of_a_baseline_run_calls_a_known_cluster_smaller_updated(tmp_path: Path) -> None:
    root, saved = _committed(tmp_path, _three_units())
    c = root / "units" / "c.yaml"
    c.write_text(c.read_text().replace("title: Status tracker", "title: Quarterly budget review"))
    for baseline in (["--baseline", "HEAD"], ["--baseline-file", str(saved)]):
        gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", *baseline, "--strict",
                                        "--format", "sarif"])
        assert gate.exit_code == 0, gate.output
        (tmp_path / "gate.sarif").write_text(gate.stdout, encoding="utf-8")
        assert [(r["ruleId"], r["baselineState"]) for r in _sarif_results(tmp_path / "gate.sarif")] == [
            ("CXP202", "unchanged"), ("CXP201", "updated")]  # A-1 and B-1, of the three at the base


def test_quiet_keeps_the_note_that_says_why_findings_count_as_new(tmp_path: Path) -> None:
    """Found by a CI integrator: `-q`'s help promised no note on stderr, yet the note on a
    file that did not parse at the base is printed: it is why the gate fails, and stays;
    the help and README now say so. The summary line is still left out."""
    root = _broken_at_base(tmp_path)
    gate = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--baseline", "HEAD", "-q"])
    assert gate.stderr.startswith("cxportfolio: note: units/b.yaml did not parse at HEAD: ")
    assert "Checked" not in gate.stdout
    help_text = " ".join(CliRunner().invoke(cli, ["check", "--help"]).stdout.split())
    assert "no note on stderr but one that says why findings count as new against a baseline" in help_text


def test_the_safe_directory_command_for_a_folder_named_with_a_space_or_quote_can_be_pasted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: a CI workspace named with a space (`/__w/my repo`) was told to run
    `git config --global --add safe.directory /__w/my repo`, which a shell reads as two
    folders, and a name with a quote was cut at it. The folder is whole, quoted for a shell."""
    repo = committed_base_with_change(tmp_path, commit_change=False)
    folder = "/__w/it's my repo"
    refused = subprocess.CompletedProcess([], 128, b"", (
        f"fatal: detected dubious ownership in repository at '{folder}'\n"
        "To add an exception for this directory, call:\n\n"
        "\tgit config --global --add safe.directory '/__w/it'\\''s my repo'\n").encode())
    from cxportfolio import baseline
    real_run = baseline._run
    monkeypatch.setattr(baseline, "_run", lambda cwd, *args: refused if args[:2] == ("rev-parse", "--show-toplevel")
                        else real_run(cwd, *args))
    result = CliRunner().invoke(cli, ["check", str(repo), "--baseline", "HEAD"])
    assert result.exit_code == 2 and result.stderr == (
        f"cxportfolio: git refuses the repository at {folder}, which another user owns (dubious ownership): "
        "trust it first with git config --global --add safe.directory '/__w/it'\"'\"'s my repo' (a CI container's "
        "checkout often is another user's)\n"), result.stderr


def test_the_option_a_mixed_up_saved_run_is_sent_to_is_a_command_a_shell_reads_as_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: `--baseline "base run.json"` was told to give the file as
    `--baseline-file base run.json`, two arguments to a shell, and a file named `-b.json`
    as an option. The file is quoted as other commands in messages quote a path."""
    root = committed_base_with_change(tmp_path, commit_change=False)
    monkeypatch.chdir(root)
    runner = CliRunner()
    saved = runner.invoke(cli, ["check", "--as-of", "2026-06-30", "--format", "json", "--exit-zero"]).stdout
    for name, shown in (("base run.json", "'base run.json'"), ("-b.json", "./-b.json")):
        (root / name).write_text(saved, encoding="utf-8")
        run = runner.invoke(cli, ["check", f"--baseline={name}"])
        assert run.exit_code == 2 and run.stderr == (
            f"cxportfolio: '{name}' is a file, not a git ref: give a saved `check --format json` run "
            f"as --baseline-file {shown}\n"), run.stderr


def test_git_s_null_id_as_the_base_is_said_to_name_no_commit(tmp_path: Path) -> None:
    """Found in review: github.event.before and $CI_COMMIT_BEFORE_SHA are forty zeros on a
    branch's first push, and were told to "fetch it from the repository that has it",
    which none has. The null id is named as such, with what to compare with instead."""
    root = committed_base_with_change(tmp_path, commit_change=True)
    null = "0" * 40
    for command in (["check", str(root), "--baseline", null], ["diff", null, "--path", str(root)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.endswith(
            f"'{null}' is git's null id, which names no commit: a CI gives it as the commit before a branch's "
            "first push (github.event.before, $CI_COMMIT_BEFORE_SHA); compare with the base branch there "
            "(origin/main), or check without a baseline\n"), result.stderr


def test_a_base_branch_named_with_a_bidi_character_is_escaped_in_the_note_on_a_missing_portfolio(
        tmp_path: Path) -> None:
    """Found in review: the note that the portfolio does not exist at the base wrote the ref
    as typed, so a branch named `x\u202eniam` (git allows it) reordered the CI log's line; the
    ref is escaped as every other name in output is."""
    root = committed_base_with_change(tmp_path, commit_change=True)
    repo = root.parent
    branch = subprocess.run(["git", "branch", "--show-current"], cwd=repo, capture_output=True, text=True).stdout.strip()
    git(repo, "checkout", "-q", "--orphan", "empty")
    git(repo, "rm", "-rqf", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty")
    git(repo, "branch", "x\u202eniam")
    git(repo, "checkout", "-q", "-f", branch)
    for command, after in ((["check", str(root), "--as-of", "2026-06-30", "--baseline", "x\u202eniam"],
                            "every finding is new"),
                           (["diff", "x\u202eniam", "--path", str(root), "--as-of", "2026-06-30"],
                            "everything in it is new")):
        result = CliRunner().invoke(cli, command)
        assert "\u202e" not in result.stderr
        assert ("cxportfolio: note: the portfolio does not exist at x\\u202eniam (portfolio/cxportfolio.yaml is "
                f"missing): {after}\n") in result.stderr, result.stderr


def test_an_empty_or_unfinished_base_ref_in_a_shallow_clone_gets_no_fetch_advice(tmp_path: Path) -> None:
    """Found in review: in actions/checkout's default shallow clone, a push run's
    `origin/${{ github.base_ref }}` ('origin/') and an empty ref were told after the reason
    that the clone "may lack it: git fetch --deepen=100, or check out with fetch-depth: 0",
    which no fetch brings; the message ends with the unset variable."""
    origin = committed_base_with_change(tmp_path, commit_change=True).parent
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{origin}", str(clone))
    for ref, reason in (("origin/", "no branch follows 'origin/': is the variable that names the base branch set? "
                                    "github.base_ref is empty outside pull_request events"),
                        ("", "the ref is empty: is the variable that names the base branch set?")):
        result = CliRunner().invoke(cli, ["check", str(clone / "portfolio"), "--baseline", ref])
        assert result.exit_code == 2 and result.stderr == (
            f"cxportfolio: '{ref}' is not a git ref (a commit, branch or tag) in this repository (git: bad "
            f"revision '{ref}'; {reason})\n"), result.stderr


FAKE_GIT = '''#!{python}
"""git as a German user's: the real git, its messages translated unless the C locale is asked
for (GNU gettext: LC_ALL, then LC_MESSAGES, then LANG; a C locale turns LANGUAGE off)."""
import os, subprocess, sys

GERMAN = {{"fatal: ": "Schwerwiegend: ", "not a git repository (or any of the parent directories)":
          "Kein Git-Repository (oder irgendeines der Elternverzeichnisse)",
          "detected dubious ownership in repository at": "unsicherer Besitz im Repository erkannt bei"}}


def english() -> bool:
    locale = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "C")
    return locale in ("C", "POSIX") or locale.startswith("C.")


args = sys.argv[1:]
if os.environ.get("FAKE_DUBIOUS") and args[-2:] == ["rev-parse", "--show-toplevel"]:
    said = f"fatal: detected dubious ownership in repository at '{{os.getcwd()}}'\\n".encode()
    code = 128
else:  # stdin and stdout are the real git's own (cat-file --batch talks through them)
    done = subprocess.run([{git!r}, *args], stderr=subprocess.PIPE)
    said, code = done.stderr, done.returncode
if not english():
    for words, translated in GERMAN.items():
        said = said.replace(words.encode(), translated.encode())
sys.stderr.buffer.write(said)
sys.exit(code)
'''


def test_git_advice_survives_a_user_whose_git_speaks_german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in review: the advice for a copy without .git, and for a checkout git refuses
    as another user's, recognises git's English words; with `LANG=de_DE.UTF-8` git says
    them in German and the advice was gone ("git rev-parse --show-toplevel failed: Kein
    Git-Repository …"). Git runs with its messages in English (LC_ALL=C), whatever the
    user's locale; a folder's non-ASCII name comes through as it is."""
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(FAKE_GIT.format(python=sys.executable, git=shutil.which("git")))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    for name, value in (("LANG", "de_DE.UTF-8"), ("LC_ALL", "de_DE.UTF-8"), ("LC_MESSAGES", "de_DE.UTF-8"),
                        ("LANGUAGE", "de")):
        monkeypatch.setenv(name, value)
    assert b"Kein Git-Repository" in subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).stderr
    runner = CliRunner()
    root = write_portfolio(tmp_path / "Kopie-ærø", BASE)
    result = runner.invoke(cli, ["check", str(root), "--baseline", "main"])
    assert result.exit_code == 2 and result.stderr.startswith(
        f"cxportfolio: {root} is not in a git repository, where a git ref's portfolio is read from"), result.stderr
    repo = committed_base_with_change(tmp_path / "Geschäft", commit_change=True)
    read = runner.invoke(cli, ["check", str(repo), "--as-of", "2026-06-30", "--baseline", "HEAD~1"])
    assert "CXP201 [warning] A-1 (a) and B-1 (b) both address p" in read.stdout, read.stderr  # the base was read
    monkeypatch.setenv("FAKE_DUBIOUS", "1")
    result = runner.invoke(cli, ["check", str(repo), "--baseline", "HEAD"])
    assert result.exit_code == 2 and result.stderr.startswith(
        f"cxportfolio: git refuses the repository at {repo}, which another user owns (dubious ownership): "
        f"trust it first with git config --global --add safe.directory "), result.stderr


def test_every_process_the_tool_starts_is_git_started_by_one_helper() -> None:
    """The locale fix above holds for every call of git only if each goes through
    git_command (baseline.py ran git twice its own way, report_data.py once)."""
    package = Path(__file__).parent.parent / "cxportfolio"
    starting = sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py")
                      if "subprocess.run(" in path.read_text() or "subprocess.Popen(" in path.read_text())
    assert starting == ["git_command.py"]


def test_diff_does_not_call_the_figures_in_doubt_for_a_weakened_rule(tmp_path: Path) -> None:
    """Found by a newcomer: `CXP401: "off"` added to cxportfolio.yaml, `diff --base HEAD` said
    on stderr "the portfolio has 1 error; the figures … may be wrong where the errors are; run
    `cxportfolio check`", which then reported no error: the one error was the head's CXP004
    against its base, which puts no value of the head in doubt. The diff still says it."""
    base = write_portfolio(tmp_path / "base", BASE)
    head = write_portfolio(tmp_path / "head", BASE, CONFIG + "rules: {CXP401: 'off'}\n")
    result = CliRunner().invoke(cli, ["diff", "--base-dir", str(base), "--head-dir", str(head), "--as-of", "2026-06-30"])
    assert "CXP004 [error] rule CXP401 is weakened by this change" in result.stdout
    assert result.stderr == ""
    # a refused value at the head is still noted (its CXP002 may change the figures)
    head = write_portfolio(tmp_path / "head2", {**BASE, "units/a.yaml": BASE["units/a.yaml"].replace(
        "status: idea", "status: ide", 1)}, CONFIG + "rules: {CXP401: 'off'}\n")
    result = CliRunner().invoke(cli, ["diff", "--base-dir", str(base), "--head-dir", str(head), "--as-of", "2026-06-30"])
    assert "the portfolio has 1 error" in result.stderr
