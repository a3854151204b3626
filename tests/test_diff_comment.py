"""`diff --format markdown` fits a GitHub PR comment whatever the change."""

from __future__ import annotations

import datetime as dt
import json
import re

from cxportfolio.analysis.change import EntityChange, PortfolioChange, RankMove
from cxportfolio.analysis.tracking import TargetStatus
from cxportfolio.model.finding import Finding, Location, Severity
from cxportfolio.render.diff import COMMENT_LIMIT, DiffPaths, json_text, markdown, text

SEVERITIES = [Severity.ERROR, Severity.WARNING, Severity.INFO]


def findings(count: int, tag: str, text: str = "looks like a duplicate of an initiative in another unit") -> list[Finding]:
    return [Finding("CXP201", "duplicate-initiative", SEVERITIES[n % 3], f"{tag}-{n} {text}",
                    Location(f"units/unit-{n}.yaml", n + 1, 3), entities=(f"{tag}-{n}",)) for n in range(count)]


def github_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # JavaScript's length, as GitHub counts


def big_change(new: int = 900, resolved: int = 900, text: str = "looks like a duplicate") -> PortfolioChange:
    return PortfolioChange(
        entities=[EntityChange("initiative", f"DIG-{n}", "changed", ("title", "effort")) for n in range(900)],
        new_findings=findings(new, "NEW", text), resolved_findings=findings(resolved, "OLD", text),
        rank_moves=[RankMove(f"DIG-{n}", f"Initiative {n}", n + 1, n + 4, "moved down 3") for n in range(10)])


def rows(out: str, tag: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("| ") and f"{tag}-" in line]


def test_900_new_and_900_resolved_fit_a_comment_with_errors_warnings_and_moves_first() -> None:
    out = markdown(big_change())
    assert github_length(out) < COMMENT_LIMIT
    shown = rows(out, "NEW")
    assert [line.split(" | ")[2] for line in shown[:600]] == ["error"] * 300 + ["warning"] * 300
    assert sum("moved down 3" in line for line in out.splitlines()) == 10
    cut = re.search(r"\*\*Cut to fit a comment\*\* .*: left out (.*)\. `cxportfolio diff", out)
    assert cut, out[:500]
    assert f"{900 - len(shown)} of 900 new findings (" in cut.group(1) and "900 of 900 resolved findings" in cut.group(1)
    assert "_" + f"{900 - len(shown)} more left out._" in out


def test_when_errors_alone_overflow_the_first_errors_stay_and_the_note_counts_the_rest() -> None:
    out = markdown(big_change(new=6000, resolved=0, text="x" * 250))
    assert github_length(out) < COMMENT_LIMIT
    shown = [line.split(" | ")[2] for line in rows(out, "NEW")]
    assert shown and set(shown) == {"error"}
    assert f"left out {6000 - len(shown)} of 6000 new findings ({2000 - len(shown)} errors, 2000 warnings" in out
    assert ", 10 of 10 rank moves," in out  # below the errors in importance: all cut


def test_huge_cells_and_wide_characters_stay_within_the_limit() -> None:
    out = markdown(big_change(new=300, resolved=300, text="😀|" * 50_000))
    assert github_length(out) < COMMENT_LIMIT and rows(out, "NEW")
    assert max(len(line) for line in out.splitlines()) < 1_000  # a cell is cut, the row kept


def test_a_small_change_is_shown_whole_without_a_note() -> None:
    change = big_change(new=3, resolved=2)
    change.entities = change.entities[:4]
    out = markdown(change)
    assert "Cut to fit" not in out and "more left out" not in out
    assert len(rows(out, "NEW")) == 3 and len(rows(out, "OLD")) == 2 and len(rows(out, "DIG")) == 4 + 10


def test_counts_are_worded_in_the_singular_for_one() -> None:
    """Regression: the comment said `1 errors, 0 warnings`, and `1 of 1 rank moves` when cut."""
    change = PortfolioChange(new_findings=findings(2, "NEW"))
    assert "**New findings**: 2 (1 error, 1 warning, 0 infos)" in markdown(change)
    change.rank_moves = [RankMove("DIG-1", "Initiative", 1, 5, "moved down 4")]
    out = markdown(change, limit=2_000)  # room for the fixed text alone: every row is cut
    assert "left out 2 of 2 new findings (1 error, 1 warning), 1 of 1 rank move." in out


def test_without_a_change_the_comment_says_so_without_empty_tables() -> None:
    out = markdown(PortfolioChange())
    assert out == "### cxportfolio diff\n\nNo changes to entities or findings.\n"
    moved = PortfolioChange(rank_moves=[RankMove("DIG-1", "Initiative", 1, 5, "moved down 4")])
    out = markdown(moved)  # a change of weights moves ranks and nothing else
    assert "No changes to entities or findings." in out and "| DIG-1 | Initiative | 1 | 5 | moved down 4 |" in out
    assert "**New findings**" not in out and "**Entities**" not in out


def test_the_comment_that_adds_the_portfolio_has_no_blank_forecast() -> None:
    """Regression: with no portfolio at the base, blank lines stood where the forecast was."""
    after = TargetStatus(2026, dt.date(2026, 6, 30), 50, 3, 24.8, 10.34, "behind")
    out = markdown(PortfolioChange(entities=[EntityChange("initiative", "DIG-1", "added")], after=after))
    assert out.startswith("### cxportfolio diff\n\nAnnual target 50: forecast 10.3, status behind.\n\n**New findings**")
    assert "\n\n\n" not in out
    assert text(PortfolioChange(entities=[EntityChange("initiative", "DIG-1", "added")])) == \
        "added    initiative DIG-1\n"


def test_new_findings_are_named_from_the_head_and_resolved_ones_from_the_base() -> None:
    change = PortfolioChange(new_findings=findings(1, "NEW"), resolved_findings=findings(1, "OLD"))
    paths = DiffPaths(head="portfolios/bank/", base="../old/")
    out = markdown(change, paths)
    assert "| portfolios/bank/units/unit-0.yaml:1 | CXP201 |" in out and "| ../old/units/unit-0.yaml:1 |" in out
    assert text(change, paths).splitlines()[:2] == [
        "new      portfolios/bank/units/unit-0.yaml:1:3: CXP201 [error] NEW-0 looks like a duplicate of an initiative in another unit",
        "resolved ../old/units/unit-0.yaml:1:3: CXP201 [error] OLD-0 looks like a duplicate of an initiative in another unit"]
    assert '"file": "units/unit-0.yaml"' in json_text(change, paths)  # JSON: from the portfolio root


def test_accepted_findings_fit_too_after_new_errors_and_warnings_and_before_moves() -> None:
    """A change that silences hundreds of findings (`allow:` reasons of any length and
    content: untrusted) still fits; what it accepts comes right after what it adds."""
    from dataclasses import replace

    change = big_change(new=30, resolved=30)
    change.accepted_findings = [replace(f, suppressed=True, suppression_reason="ok | `x` " * 400)
                                for f in findings(900, "ACC")]
    out = markdown(change)
    assert github_length(out) < COMMENT_LIMIT
    lines = out.splitlines()
    accepted = rows(out, "ACC")
    assert accepted and all(line.count(" | ") == 4 for line in accepted)  # the reason's `|` escaped
    assert lines.index(accepted[0]) > lines.index(rows(out, "NEW")[19])  # after the 20 errors and warnings
    assert f"{900 - len(accepted)} of 900 accepted findings" in out
    assert "**Accepted findings** (an `allow:` added, or the rule switched off): 900" in out


def test_a_member_uncompared_in_one_rule_s_cluster_left_another_rule_s() -> None:
    """Why the head does not compare a member is the rule's: a KPI sharing an initiative's
    id (CXP101 across kinds) in a CXP203 cluster says nothing of the CXP201 cluster X left."""
    def cluster(code: str, members: tuple[str, ...]) -> Finding:
        return Finding(code, "duplicate", Severity.WARNING, " and ".join(members) + " are alike",
                       Location("units/a.yaml", 3, 5), entities=members)

    change = PortfolioChange(
        changed_findings=[(cluster("CXP201", ("A", "B", "X")), cluster("CXP201", ("A", "B"))),
                          (cluster("CXP203", ("K", "L", "X")), cluster("CXP203", ("K", "L")))],
        uncompared_members={("CXP203", "X"): "not compared while its name is refused (CXP002)"})
    said = text(change)
    assert "(smaller than at the base: X no longer in it)" in said
    assert "(smaller than at the base: X not compared while its name is refused (CXP002))" in said
    assert "X no longer in it" in markdown(change) and "X not compared while" in markdown(change)
    assert [(c["left"], c["uncompared"]) for c in json.loads(json_text(change))["changed_findings"]] == [
        (["X"], []), ([], [{"id": "X", "why": "not compared while its name is refused (CXP002)"}])]
