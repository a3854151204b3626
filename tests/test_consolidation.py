"""The consolidation proposal of a CXP201 cluster: one owner, the journeys it serves, the
effort one solution saves; in the finding, in `rank --by cluster`, and as data for the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from cxportfolio.analysis.consolidation import opportunities
from cxportfolio.cli import cli
from conftest import check, write_portfolio

WELFARE = Path(__file__).resolve().parent.parent / "portfolios" / "welfare-agency"
AS_OF = dt.date(2026, 11, 24)

BASE = """units: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]
journeys:
  - {id: small, name: S, volume: 100, stages: [{id: wait, name: Wait}]}
  - {id: big, name: B, volume: 9000, stages: [{id: wait, name: Wait}]}
pain_points:
  - {id: p-small, journey: small, stage: wait, title: T, severity: 3}
  - {id: p-big, journey: big, stage: wait, title: T, severity: 3}
"""


def _initiative(ident: str, unit: str, pain: str, effort: str, allow: str = "") -> str:
    return (f"  - id: {ident}\n    unit: {unit}\n    title: Status tracker for applicants\n"
            f"    description: Show each applicant where the application stands.\n"
            f"    addresses: [{pain}]\n    effort: {effort}\n    status: idea\n{allow}")


def test_the_welfare_agency_gets_one_page_owned_by_the_unit_with_the_most_value() -> None:
    run = check(WELFARE, AS_OF)
    [pages, trackers] = opportunities(run.portfolio, run.result.findings)
    assert pages.members == ("AAP-001", "DAG-001", "FOR-001", "SYK-001")
    assert pages.owner == "sykepenger"  # the journey with the most customers waiting
    # DAG-001 and FOR-001 are done: their effort is spent, only the two plans left can be one
    assert pages.open_members == ("AAP-001", "SYK-001")
    assert (pages.separate_effort, pages.shared_effort, pages.saved) == (26, 14, 12)
    assert len(pages.journeys) == 4 and (trackers.saved, trackers.members) > (pages.saved, pages.members)
    [finding] = [f for f in run.result.findings if f.entities == pages.members]
    assert finding.message.endswith("consolidate under sykepenger")
    assert "effort 14 instead of 26 person-weeks for the members still open (AAP-001, SYK-001)" in (finding.hint or "")


def test_a_refused_effort_is_named_not_guessed_and_the_member_stays(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "p", {"base.yaml": BASE + "initiatives:\n"
                                            + _initiative("A-1", "a", "p-small", "5")
                                            + _initiative("B-1", "b", "p-big", "lots")})
    run = check(root, AS_OF)
    [proposal] = opportunities(run.portfolio, run.result.findings)
    assert proposal.members == ("A-1", "B-1") and proposal.without_effort == ("B-1",)
    assert proposal.owner == "b" and proposal.saved == 0  # b's journey has the customers


def test_no_owner_is_guessed_from_a_refused_value(tmp_path: Path) -> None:
    """Found by the last session: `volume: lots` on the big journey was weighed as no
    customers, and the cluster was told to consolidate under a, whose journey has 100.
    A refused value holds a default, no figure: no owner is proposed while the value rests
    on one (an effort only where it decides between units of equal value), and the finding
    and the tables say which."""
    members = _initiative("A-1", "a", "p-small", "5") + _initiative("B-1", "b", "p-big", "3")
    root = write_portfolio(tmp_path / "p", {"base.yaml": BASE.replace("volume: 9000", "volume: lots")
                                            + "initiatives:\n" + members})
    run = check(root, AS_OF)
    [proposal] = opportunities(run.portfolio, run.result.findings)
    assert (proposal.owner, proposal.refused, proposal.no_owner) == (
        None, ("the volume of journey big",), "(a value it rests on is refused)")
    [finding] = [f for f in run.result.findings if f.code == "CXP201"]
    assert finding.message.endswith(": pick one owner (refused: the volume of journey big)")
    table = CliRunner().invoke(cli, ["rank", str(root), "--by", "cluster", "--as-of", "2026-11-24"]).output
    assert "(a value it rests on is refused)" in table
    # an effort decides between equal values only: refused there, it is unknown
    tied = _initiative("A-1", "a", "p-big", "5") + _initiative("B-1", "b", "p-big", "lots")
    run = check(write_portfolio(tmp_path / "q", {"base.yaml": BASE + "initiatives:\n" + tied}), AS_OF)
    [proposal] = opportunities(run.portfolio, run.result.findings)
    assert (proposal.owner, proposal.refused) == (None, ("the effort of initiative B-1",))


def test_rank_by_cluster_lists_live_clusters_by_effort_saved_in_every_format(tmp_path: Path) -> None:
    allow = '    allow: [{rule: CXP201, reason: "Joint delivery"}]\n'
    root = write_portfolio(tmp_path / "p", {"base.yaml": BASE + "initiatives:\n"
                                            + _initiative("A-1", "a", "p-small", "5")
                                            + _initiative("B-1", "b", "p-big", "8")
                                            + _initiative("C-1", "c", "p-big", "3")})
    runner = CliRunner()
    args = ["rank", str(root), "--as-of", "2026-11-24", "--by", "cluster"]
    document = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    assert [(c["members"], c["owner"], c["saved"]) for c in document["clusters"]] == [
        (["A-1", "B-1", "C-1"], "b", 8)]
    for fmt in ("text", "markdown", "csv"):
        result = runner.invoke(cli, [*args, "--format", fmt])
        assert result.exit_code == 0 and "A-1, B-1, C-1" in result.stdout
    accepted = write_portfolio(tmp_path / "q", {"base.yaml": BASE + "initiatives:\n"
                                                + _initiative("A-1", "a", "p-small", "5", allow)
                                                + _initiative("B-1", "b", "p-big", "8", allow)})
    text = runner.invoke(cli, ["rank", str(accepted), "--as-of", "2026-11-24", "--by", "cluster"]).stdout
    assert text == "no duplicated open work to consolidate\n"


def test_finished_work_is_no_opportunity_to_consolidate() -> None:
    """A cluster of delivered initiatives is history: `rank --by cluster` offers no saving."""
    run = check(Path(__file__).parent.parent / "portfolios" / "nordbank", AS_OF)
    clustered = {f.entities for f in run.result.findings if f.code == "CXP201" and not f.suppressed}
    listed = {p.members for p in opportunities(run.portfolio, run.result.findings)}
    closed = {members for members in clustered
              if sum(run.portfolio.by_id[m].is_open for m in members) < 2}
    assert closed, "nordbank keeps a cluster of delivered work (ADV-007, DIG-017)"
    assert listed and not listed & closed


def test_the_message_says_all_or_both_address_only_when_each_member_addresses_them_all(tmp_path: Path) -> None:
    """Parallel work on each unit's own pain point (the headline case) addresses them
    between them; "all address" is kept for members that each address the same ones."""
    apart = write_portfolio(tmp_path / "apart", {"base.yaml": BASE + "initiatives:\n"
                                                 + _initiative("A-1", "a", "p-small", "5")
                                                 + _initiative("B-1", "b", "p-big", "5")})
    [finding] = [f for f in check(apart, AS_OF).result.findings if f.code == "CXP201"]
    assert "A-1 (a) and B-1 (b) address p-big, p-small between them with similar initiatives" in finding.message
    together = write_portfolio(tmp_path / "together", {"base.yaml": BASE + "initiatives:\n"
                                                       + _initiative("A-1", "a", "p-small", "5")
                                                       + _initiative("B-1", "b", "p-small", "5")})
    [finding] = [f for f in check(together, AS_OF).result.findings if f.code == "CXP201"]
    assert "A-1 (a) and B-1 (b) both address p-small with similar initiatives" in finding.message
    three = write_portfolio(tmp_path / "three", {"base.yaml": BASE + "initiatives:\n"
                                                 + _initiative("A-1", "a", "p-small", "5")
                                                 + _initiative("B-1", "b", "p-small", "5")
                                                 + _initiative("C-1", "c", "p-small", "5")})
    [finding] = [f for f in check(three, AS_OF).result.findings if f.code == "CXP201"]
    assert "A-1 (a), B-1 (b) and C-1 (c) all address p-small with similar initiatives" in finding.message


def test_the_alike_words_name_each_stem_once() -> None:
    """«utbetalinger» and «utbetalingene» are one piece of evidence: the shortest is named."""
    run = check(WELFARE, AS_OF)
    [pages] = [f for f in run.result.findings if f.entities == ("AAP-001", "DAG-001", "FOR-001", "SYK-001")]
    assert "«utbetalinger»" in pages.message and "utbetalingene" not in pages.message


def test_the_proposal_names_the_members_whose_effort_is_unknown(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "p", {"base.yaml": BASE + "initiatives:\n"
                                            + _initiative("A-1", "a", "p-small", "5")
                                            + _initiative("B-1", "b", "p-big", "lots")})
    [finding] = [f for f in check(root, AS_OF).result.findings if f.code == "CXP201"]
    # more than the known 5 apart: "at least" (a newcomer read "5 instead of 5" as no saving)
    assert "effort 5 instead of at least 5 person-weeks, with no effort given for B-1" in (finding.hint or "")
    # no effort known at all: no figures to compare (it said "effort 0 instead of 0 person-weeks")
    (root / "base.yaml").write_text((root / "base.yaml").read_text(encoding="utf-8").replace("effort: 5", "effort: x"),
                                    encoding="utf-8")
    [finding] = [f for f in check(root, AS_OF).result.findings if f.code == "CXP201"]
    assert "instead of" not in (finding.hint or "")
    assert "(no effort is given for A-1, B-1)" in (finding.hint or "")


def test_rank_by_cluster_and_journey_apply_top_unit_and_journey_and_refuse_the_rest() -> None:
    """Found by a newcomer: --top, --unit and --journey were accepted and changed nothing."""
    runner = CliRunner()

    def rank(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["rank", str(WELFARE), "--as-of", "2026-11-24", "--format", "json", *args])
        return result.exit_code, result.stdout, result.stderr

    def members(*args: str) -> list[list[str]]:
        code, out, err = rank("--by", "cluster", *args)
        assert code == 0, err
        return [c["members"] for c in json.loads(out)["clusters"]]

    pages, trackers = ["AAP-001", "DAG-001", "FOR-001", "SYK-001"], ["DAG-002", "DIG-002", "SYK-002"]
    assert sorted(members()) == [pages, trackers]
    assert members("--top", "1") == members()[:1]
    assert members("--unit", "digital") == [trackers]  # no digital member in the pages' cluster
    assert members("--journey", "aap-soknad") == [pages]  # the trackers serve no AAP journey
    assert members("--unit", "digital", "--journey", "aap-soknad") == []
    code, out, _ = rank("--by", "cluster", "--journey", "aap-soknad")
    [cluster] = json.loads(out)["clusters"]
    assert cluster["open_members"] == ["AAP-001", "SYK-001"] and cluster["separate_effort"] == 26  # the done: spent
    code, out, _ = rank("--by", "journey", "--journey", "sykepenger-soknad", "--journey", "aap-soknad")
    journeys = json.loads(out)["journeys"]
    assert code == 0 and sorted(j["id"] for j in journeys) == ["aap-soknad", "sykepenger-soknad"]
    assert [j["rank"] for j in journeys] == [1, 2]
    code, out, _ = rank("--by", "journey", "--top", "1")
    assert code == 0 and len(json.loads(out)["journeys"]) == 1
    for by, option in [("cluster", ["--capacity", "20"]), ("cluster", ["--status", "idea"]), ("cluster", ["--all"]),
                       ("journey", ["--unit", "digital"]), ("journey", ["--plan"]), ("cluster", ["--lane", "steering"]),
                       ("cluster", ["--explain", "AAP-001"])]:
        code, out, err = rank("--by", by, *option)
        assert code == 2 and not out and f"{option[0]} applies to the initiatives' table, not to --by {by}" in err
        assert err.count("\n") == 1  # refused before the portfolio is read: no note on its errors first


def test_one_plan_beside_delivered_work_is_told_to_build_on_it_not_to_merge(tmp_path: Path) -> None:
    """Found by a newcomer: with one member open, "merge them … effort 14 instead of 14"
    saved nothing and could name as owner a unit whose work was finished."""
    done = _initiative("A-1", "a", "p-small", "5").replace("status: idea", "status: done\n    done_on: 2026-03-01")
    root = write_portfolio(tmp_path / "p", {"base.yaml": BASE + "initiatives:\n" + done
                                            + _initiative("B-1", "b", "p-big", "8")})
    run = check(root, AS_OF)
    [finding] = [f for f in run.result.findings if f.code == "CXP201"]
    assert finding.message.endswith(": build on A-1, done already")
    assert finding.hint == ("B-1 repeats work done already in A-1: build on it rather than anew; "
                            "or accept with allow: on each of them")
    assert opportunities(run.portfolio, run.result.findings) == []  # and rank offers no saving


def test_a_narrow_cluster_table_keeps_every_member_id_whole() -> None:
    """Found by a newcomer: at 100 columns the members read "AAP-001, DAG-00…", losing two
    ids; the lists of units, journeys and pain points shorten, the members never do."""
    result = CliRunner(env={"COLUMNS": "100"}).invoke(
        cli, ["rank", str(WELFARE), "--as-of", "2026-11-24", "--by", "cluster"])
    assert result.exit_code == 0
    assert "AAP-001, DAG-001 (done), FOR-001 (done), SYK-001" in result.stdout
    assert "DAG-002, DIG-002, SYK-002" in result.stdout
    assert "…" in result.stdout  # the other lists did shorten


def test_the_report_row_names_a_member_whose_effort_is_unknown(tmp_path: Path) -> None:
    """Found by a newcomer: the report's table dropped what `rank --by cluster` shows in its
    "effort missing for" column, so its saving read as complete."""
    root = write_portfolio(tmp_path / "p", {"base.yaml": BASE + "initiatives:\n"
                                            + _initiative("A-1", "a", "p-small", "5")
                                            + _initiative("B-1", "b", "p-big", "lots")
                                            + _initiative("C-1", "c", "p-big", "3")})
    for fmt, row in [("markdown", "| A-1, B-1, C-1 (no effort given for B-1) |"),
                     ("html", "<tr><td>A-1, B-1, C-1 (no effort given for B-1)</td>")]:
        result = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2026-11-24", "--format", fmt])
        assert result.exit_code == 0, result.stderr
        assert row in result.stdout
