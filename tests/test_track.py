"""`track`: the annual target, breakdowns, effect follow-up and KPI trends with reasons."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.analysis.tracking import period_range, track, track_target
from cxportfolio.cli import cli
from cxportfolio.engine import run_check
from cxportfolio.render.track import TRACK_RENDERERS

NORDBANK = Path(__file__).resolve().parent.parent / "portfolios" / "nordbank"
GOLDEN = Path(__file__).parent / "golden" / "tracking"
EXT = {"text": "txt", "markdown": "md", "json": "json", "csv": "csv"}


@pytest.mark.parametrize("fmt", sorted(EXT))
def test_track_output_matches_golden(fmt: str, request: pytest.FixtureRequest) -> None:
    result = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-09-30", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"nordbank.{EXT[fmt]}"
    if request.config.getoption("--update-golden"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
    assert set(TRACK_RENDERERS) == set(EXT)


def test_track_lists_its_formats_as_rank_does() -> None:
    """A newcomer: `rank --help` listed [text|markdown|csv|json], `track --help`
    [text|markdown|json|csv], the same choices in another order."""
    from cxportfolio.cli import RANK_FORMATS, TRACK_FORMATS

    assert TRACK_FORMATS == tuple(TRACK_RENDERERS) == RANK_FORMATS
    for command in ("rank", "track"):
        shown = CliRunner().invoke(cli, [command, "--help"]).stdout
        assert "--format [text|markdown|csv|json]" in shown, command


def test_track_json_matches_the_portfolio() -> None:
    as_of = dt.date(2026, 9, 30)
    document = json.loads(CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-09-30",
                                                   "--format", "json"]).stdout)
    portfolio = run_check(NORDBANK, as_of).portfolio
    done = [i for i in portfolio.initiatives
            if i.status == "done" and i.completed and i.completed.year == 2026 and i.completed <= as_of]
    assert document["done"] == len(done) == sum(document["by_unit"].values()) == sum(document["by_quarter"].values())
    assert document["target"] == 50 and document["year"] == 2026 and document["as_of"] == "2026-09-30"
    assert document["expected_by_now"] == pytest.approx(50 * 273 / 365, abs=1e-3)
    nps = next(k for k in document["kpis"] if k["id"] == "card-ces")
    q1 = next(m for m in nps["measurements"] if m["period"] == "2026-Q1")
    # Card initiatives completed in Q1 2026 that target the effort score are its reasons.
    assert q1["reasons"] == ["CRD-003", "CS-004", "DIG-011", "IT-005"]


def test_period_ranges() -> None:
    assert period_range("2026") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert period_range("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_range("2026-Q1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert period_range("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_range("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert period_range("2026-05-14") == (dt.date(2026, 5, 14), dt.date(2026, 5, 14))


@pytest.mark.parametrize(("pending", "status"), [(10, "on-track"), (6, "at-risk"), (0, "behind")])
def test_status_thresholds(portfolio, pending: int, status: str) -> None:
    items = [f"  - {{id: D{n}, title: T, status: done, completed: 2026-03-0{n % 9 + 1}}}" for n in range(4)]
    items += [f"  - {{id: P{n}, title: T, status: in_progress, planned: 2026-Q4}}" for n in range(pending)]
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n" + "\n".join(items) + "\n"},
                     config="year: 2026\ntarget: {improvements: 10}\n")
    result = track_target(run_check(root, dt.date(2026, 6, 30)).portfolio, dt.date(2026, 6, 30))
    assert result.done == 4 and result.forecast == pytest.approx(4 + 0.8 * pending)
    assert result.status == status


def invoke_track(*args: str) -> str:
    result = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-09-30", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_another_year_has_no_target_rather_than_the_portfolio_years() -> None:
    # cxportfolio.yaml declares one target, for its `year` (2026): 2025 has none.
    document = json.loads(invoke_track("--year", "2025", "--format", "json"))
    assert document["year"] == 2025 and document["target"] is None and document["status"] == "no-target"
    assert document["expected_by_now"] is None and document["gap"] is None
    assert document["done"] == sum(document["by_quarter"].values()) and set(document["by_quarter"]) == {
        f"2025-Q{q}" for q in range(1, 5)}
    text = invoke_track("--year", "2025")
    assert text.startswith("Target 2025: not set (cxportfolio.yaml sets `target:` for its `year` only). Done ")
    assert "50" not in text.splitlines()[0]
    csv = invoke_track("--year", "2025", "--format", "csv")
    assert "target,target,,\n" in csv and "target,status,no-target,\n" in csv
    # The portfolio year, named or not, keeps its target.
    assert json.loads(invoke_track("--year", "2026", "--format", "json"))["target"] == 50


def test_a_portfolio_without_a_target_is_not_on_track(portfolio) -> None:
    root = portfolio({"a.yaml": "units: [{id: u, name: U}]\n"}, config="year: 2026\n")
    run = run_check(root, dt.date(2026, 6, 30))
    result = track_target(run.portfolio, dt.date(2026, 6, 30))
    assert result.status == "no-target" and not result.target_set
    # the report says so rather than "0 of 0 improvements done" under "#  — improvement report"
    # (found by a newcomer); without an organization the title is the report's alone
    from cxportfolio.analysis.report_data import build_report
    from cxportfolio.render.report import markdown

    report = markdown(build_report(run, dt.date(2026, 6, 30), None))
    assert report.startswith("# Improvement report 2026\n")
    assert "**0** improvements done; forecast **0.0**; the 2026 target is not set." in report


def test_track_number_columns_are_right_aligned() -> None:
    lines = invoke_track().splitlines()
    start = lines.index("Done by unit:")
    header, rows = lines[start + 1], lines[start + 3:lines.index("", start)]
    assert header.endswith("done") and all(len(row) == len(header) and row[-1].isdigit() for row in rows)
    trends = lines[lines.index("KPI trends (reasons: initiatives completed in the period that target the KPI):") + 1:]
    end = trends[0].index("value") + len("value")
    assert all(row[end - 1].isdigit() and row[end:end + 1] in (" ", "") for row in trends[2:])


def test_a_past_year_is_shown_as_it_ended_with_no_forecast_left() -> None:
    # As of December 2026, 2025 is over: its state is at its end, not "by 2026-12-01".
    result = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-12-01", "--year", "2025"])
    assert result.exit_code == 0, result.stderr
    headline = result.stdout.splitlines()[0]
    assert headline.endswith(" Done 2 in 2025 (the year is over).")
    assert "forecast" not in headline and "2026-12-01" not in headline
    document = json.loads(CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-12-01",
                                                   "--year", "2025", "--format", "json"]).stdout)
    assert document["done"] == 2 and document["forecast"] == document["done"]


def test_a_year_not_begun_has_nothing_done() -> None:
    result = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-12-01", "--year", "2027"])
    assert result.exit_code == 0, result.stderr
    assert "Nothing done yet (2027 begins after 2026-12-01), forecast " in result.stdout.splitlines()[0]
    document = json.loads(CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-12-01",
                                                   "--year", "2027", "--format", "json"]).stdout)
    assert document["done"] == 0 and not any(document["by_quarter"].values())


@pytest.mark.parametrize("year", [2025, 2026])
def test_kpi_trends_show_only_the_tracked_years_measurements(year: int) -> None:
    document = json.loads(CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2026-12-01",
                                                   "--year", str(year), "--format", "json"]).stdout)
    periods = {m["period"] for k in document["kpis"] for m in k["measurements"]}
    assert periods and all(period_range(p)[0].year == period_range(p)[1].year == year for p in periods)
    nps = next(k for k in document["kpis"] if k["id"] == "nps")["measurements"]
    # nps is measured yearly in 2024 and 2025, then by quarter.
    assert [m["period"] for m in nps] == (["2025"] if year == 2025 else [f"2026-Q{q}" for q in (1, 2, 3)])
    text = invoke_track("--year", str(year))
    trends = text[text.index("KPI trends"):]
    assert ("2024" not in trends) and (("2026-Q" in trends) == (year == 2026))


def test_the_target_year_once_over_is_judged_on_what_was_done(portfolio) -> None:
    items = [f"  - {{id: D{n}, title: T, status: done, completed: 2026-03-0{n + 1}}}" for n in range(4)]
    items += [f"  - {{id: P{n}, title: T, status: in_progress, planned: 2026-Q4}}" for n in range(9)]
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n" + "\n".join(items) + "\n"},
                     config="year: 2026\ntarget: {improvements: 10}\n")
    as_of = dt.date(2027, 2, 1)
    tracking = track(run_check(root, as_of).portfolio, as_of, 2026)
    # Work still open when the year ended no longer counts: forecast = done, so behind.
    assert tracking.target.forecast == tracking.target.done == 4 and tracking.target.status == "behind"
    # and said as met or missed: it can no longer be at risk (a steering group's tester)
    assert TRACK_RENDERERS["text"](tracking).splitlines()[0] == (
        "Target 2026: 10 improvements. Done 4 in 2026 (the year is over): missed.")
    assert tracking.target.outcome == "missed"


@pytest.mark.parametrize(("target", "outcome"), [(3, "met"), (4, "met"), (5, "missed")])
def test_a_finished_year_is_met_or_missed_whatever_its_forecast_status(portfolio, target: int, outcome: str) -> None:
    """Found by a steering group's tester: 4 done of a target of 5 read "at-risk" (4 ≥ 85%
    of 5) for a year over, which no work can change any more."""
    items = [f"  - {{id: D{n}, title: T, status: done, completed: 2026-03-0{n + 1}}}" for n in range(4)]
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n" + "\n".join(items) + "\n"},
                     config=f"year: 2026\ntarget: {{improvements: {target}}}\n")
    as_of = dt.date(2027, 1, 5)
    tracking = track(run_check(root, as_of).portfolio, as_of, 2026)
    assert tracking.target.outcome == outcome
    assert TRACK_RENDERERS["text"](tracking).splitlines()[0].endswith(f"(the year is over): {outcome}.")
    assert json.loads(TRACK_RENDERERS["json"](tracking))["outcome"] == outcome
    running = track(run_check(root, dt.date(2026, 6, 1)).portfolio, dt.date(2026, 6, 1), 2026)
    assert running.target.outcome is None


def test_kpi_trends_are_as_of_the_date_like_the_report() -> None:
    """Found by a newcomer: `track --as-of 2026-06-30` showed 2026-Q3 measurements and
    named CS-008 (completed 2026-08-21) as a reason, while its done counts and the report
    stopped at the date."""
    from cxportfolio.analysis.report_data import build_report

    as_of = dt.date(2026, 6, 30)
    run = run_check(NORDBANK, as_of)
    trends = track(run.portfolio, as_of).kpis
    completed = {i.id: i.completed for i in run.portfolio.initiatives}
    assert trends and all(period_range(p)[0] <= as_of for k in trends for p, _, _ in k.measurements)
    assert all(completed[r] <= as_of for k in trends for _, _, reasons in k.measurements for r in reasons)
    later = {k.id: k.measurements for k in track(run.portfolio, dt.date(2026, 12, 31)).kpis}
    assert any(len(later[k.id]) > len(k.measurements) for k in trends)  # the example has later ones
    report = {card.id: card.rows for card in build_report(run, as_of, "2026").kpis}
    assert {k.id: k.measurements for k in trends if k.measurements} == {
        kpi: rows for kpi, rows in report.items() if rows}


def test_work_done_after_the_date_shown_counts_as_open_then() -> None:
    """Found by a newcomer: `track --as-of 2026-09-30` (and the Q3 report run in December)
    counted ADV-005, CS-010 and CRD-008, done in October, neither as done nor in the
    forecast (45.2): on 30 September they were still to be delivered, in progress as far
    as the files say (+3 × 0.8)."""
    import datetime as dt

    from cxportfolio.analysis.tracking import track_target
    from cxportfolio.engine import run_check

    day = dt.date(2026, 9, 30)
    run = run_check(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", day)
    later = sorted(i.id for i in run.portfolio.initiatives if i.done_after(day))
    assert later == ["ADV-005", "CRD-008", "CS-010"]
    status = track_target(run.portfolio, day)
    assert status.done == 35 and round(status.forecast, 4) == 47.6  # 35 + 10.2 open + 2.4 done later


def test_moving_a_journey_to_another_file_changes_no_byte_of_track_json(tmp_path: Path) -> None:
    """Found by a CI engineer: by_journey (and by_unit) followed where things are defined,
    so moving a journey to another file changed the JSON (text and CSV did not)."""
    import shutil

    from click.testing import CliRunner

    from cxportfolio.cli import cli

    root = tmp_path / "nordbank"
    shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", root)
    lines = (root / "journeys.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line == "  - id: pension\n")
    (root / "journeys.yaml").write_text("".join(lines[:start]), encoding="utf-8")
    (root / "a-journeys.yaml").write_text("journeys:\n" + "".join(lines[start:]), encoding="utf-8")

    def tracked(path: Path) -> str:
        result = CliRunner().invoke(cli, ["track", str(path), "--as-of", "2026-09-30", "--format", "json"])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert tracked(root) == tracked(Path(__file__).parent.parent / "portfolios" / "nordbank")


def test_the_year_is_over_at_the_end_of_31_december(portfolio) -> None:
    """Found by an analyst: `track --as-of 2028-12-31` added open work to the forecast (on
    track, while "expected by now" already counted the whole year elapsed) and 2029-01-01
    said behind. On 31 December the state is the year's end, as on any later day."""
    items = ["  - {id: D0, title: T, status: done, completed: 2028-03-01}",
             "  - {id: D1, title: T, status: done, completed: 2028-12-31}",
             "  - {id: P0, title: T, status: in_progress, planned: 2028-Q4}",
             "  - {id: P1, title: T, status: in_progress, planned: 2028-12}",
             "  - {id: P2, title: T, status: approved, planned: 2028}"]
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n" + "\n".join(items) + "\n"},
                     config="year: 2028\ntarget: {improvements: 4}\n")

    def tracked(day: str) -> tuple[dict, str]:
        runner = CliRunner()
        document = json.loads(runner.invoke(cli, ["track", str(root), "--as-of", day, "--format", "json"]).stdout)
        return document, runner.invoke(cli, ["track", str(root), "--as-of", day]).stdout.splitlines()[0]

    eve, eve_text = tracked("2028-12-30")
    assert eve["done"] == 1 and eve["forecast"] == pytest.approx(1 + 0.8 * 2 + 0.5 + 0.8)  # D1 done later
    last, last_text = tracked("2028-12-31")
    after, after_text = tracked("2029-01-01")
    assert last["done"] == after["done"] == 2
    assert last["forecast"] == after["forecast"] == 2 and last["status"] == after["status"] == "behind"
    assert last["expected_by_now"] == after["expected_by_now"] == 4
    assert last["outcome"] == after["outcome"] == "missed" and eve["outcome"] is None
    assert last_text == after_text == "Target 2028: 4 improvements. Done 2 in 2028 (the year is over): missed."


@pytest.mark.parametrize("as_of", ["2026-03-31", "2026-06-30", "2026-09-30"])
def test_realized_effects_measured_after_the_date_are_not_counted(as_of: str) -> None:
    """Found by an analyst: every `realized:` entry counted whatever its period, so the Q1
    report run in December said 10 of 15 done initiatives showed a realized positive effect
    where only 6 had one measured in a period begun by 31 March. Like KPI measurements, a
    realized effect counts once its period has begun."""
    from cxportfolio.model.entities import Kpi

    day = dt.date.fromisoformat(as_of)
    run = run_check(NORDBANK, day)
    document = json.loads(CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", as_of,
                                                   "--format", "json"]).stdout)
    done = {i.id: i for i in run.portfolio.initiatives
            if i.status == "done" and i.completed and i.completed.year == 2026 and i.completed <= day}
    positive = 0
    for row in document["effect"]["initiatives"]:
        measured: dict[str, float] = {}
        for r in done[row["id"]].realized:
            if period_range(r.period)[0] <= day:
                measured[r.kpi] = measured.get(r.kpi, 0.0) + r.change
        assert row["realized"] == pytest.approx(measured), row["id"]
        kpis = {k: run.portfolio.get(k, Kpi) for k in measured}
        better = any(kpi.type in ("outcome", "experience") and (v > 0 if kpi.direction == "increase" else v < 0)
                     for k, v in measured.items() if (kpi := kpis[k]) is not None)
        assert row["positive_outcome"] is better, row["id"]
        positive += better
    assert document["effect"]["done_with_positive_effect"] == positive
    later = [i for i in done.values() if any(period_range(r.period)[0] > day for r in i.realized)]
    assert bool(later) is (as_of != "2026-09-30")  # the example measures effects after the first two
    if as_of == "2026-03-31":
        assert positive == 6 and len(done) == 15


def test_realized_entries_of_one_kpi_are_added_and_undated_ones_count_from_completion(portfolio) -> None:
    """Two entries on one KPI are two parts of the effect: the follow-up adds them (it kept
    the last alone), and whether the effect was positive is said of their sum. An entry
    without a period counts from the initiative's completion."""
    kpis = ("kpis:\n  - {id: k, name: K, kind: outcome, direction: increase}\n"
            "  - {id: ops, name: O, kind: operational, direction: increase}\n")
    items = ["  - id: A\n    title: T\n    status: done\n    completed: 2026-02-01\n    realized:\n"
             "      - {kpi: k, change: 1.0, period: 2026-Q1}\n      - {kpi: k, change: -1.5, period: 2026-Q2}\n"
             "      - {kpi: ops, change: 3}",
             "  - id: B\n    title: T\n    status: done\n    completed: 2026-02-01\n    realized:\n"
             "      - {kpi: k, change: 0.5}\n      - {kpi: k, change: 0.25, period: 2026-Q3}"]
    root = portfolio({"k.yaml": kpis, "a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n"
                      + "\n".join(items) + "\n"}, config="year: 2026\ntarget: {improvements: 10}\n")

    def follow_ups(day: str) -> dict[str, tuple[dict[str, float], bool]]:
        as_of = dt.date.fromisoformat(day)
        return {f.id: (f.realized, f.positive_outcome) for f in track(run_check(root, as_of).portfolio, as_of).follow_ups}

    assert follow_ups("2026-03-31") == {"A": ({"k": 1.0, "ops": 3}, True), "B": ({"k": 0.5}, True)}
    # A's effect on k is -0.5 in all once Q2's entry is in: not a gain
    assert follow_ups("2026-09-30") == {"A": ({"k": -0.5, "ops": 3}, False), "B": ({"k": 0.75}, True)}


def test_expected_effects_of_one_kpi_are_added_as_realized_ones_are(portfolio) -> None:
    """Found in review: two expected effects on one KPI kept the last alone in the
    follow-up (its realized side adds its entries up)."""
    kpis = "kpis:\n  - {id: k, name: K, kind: outcome, direction: increase}\n"
    item = ("  - id: A\n    title: T\n    status: done\n    completed: 2026-02-01\n    effects:\n"
            "      - {kpi: k, change: 2, confidence: 0.5}\n      - {kpi: k, change: 1, confidence: 1}\n")
    root = portfolio({"k.yaml": kpis, "a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n" + item},
                     config="year: 2026\ntarget: {improvements: 10}\n")
    as_of = dt.date(2026, 6, 30)
    [follow_up] = track(run_check(root, as_of).portfolio, as_of).follow_ups
    assert follow_up.expected == {"k": 2.0}


def _tracked(root: Path, fmt: str) -> str:
    """`track` of a portfolio as of 2026-06-30, in `fmt`: its output, which must succeed."""
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", "2026-06-30", "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_done_work_on_no_journey_is_accounted_for_in_the_journey_breakdown(portfolio) -> None:
    """"Done by journey" left out done work that addresses no pain point, silently: its
    rows came to 1 of 3 done. Every format says how many are on no journey: a `(no
    journey)` row in the text and Markdown tables (as `(no unit)`), an empty key in CSV
    (as an empty unit), and `done_without_journey` beside JSON's `by_journey`, whose keys
    stay journey ids."""
    base = ("units: [{id: u, name: U}]\njourneys: [{id: j, name: J, stages: [{id: s, name: S}]}]\n"
            "pain_points: [{id: PP-1, journey: j, stage: s, title: T, severity: 2, evidence: [{kind: nps}]}]\n")
    items = ["  - {id: A, title: T, status: done, completed: 2026-02-01, addresses: [PP-1]}",
             "  - {id: B, title: T, status: done, completed: 2026-03-01}",
             "  - {id: C, title: T, status: done, completed: 2026-04-01, addresses: []}",
             "  - {id: D, title: T, status: in_progress, planned: 2026-Q4}"]
    root = portfolio({"base.yaml": base, "a.yaml": "unit: u\ninitiatives:\n" + "\n".join(items) + "\n"},
                     config="year: 2026\ntarget: {improvements: 10}\n")

    text = _tracked(root, "text")
    table = text[text.index("Done by journey:"):text.index("Done by size:")]
    assert table.splitlines()[3:5] == ["(no journey)       2", "j                  1"]
    assert "| (no journey) |      2 |\n| j            |      1 |" in _tracked(root, "markdown")
    assert "by_journey,,2,\nby_journey,j,1,\n" in _tracked(root, "csv")
    document = json.loads(_tracked(root, "json"))
    assert (document["done"], document["by_journey"], document["done_without_journey"]) == (3, {"j": 1}, 2)
    # work on journeys only: no row, and 0
    assert json.loads(invoke_track("--format", "json"))["done_without_journey"] == 0
    assert "(no journey)" not in invoke_track()


def test_done_work_under_a_unit_or_journey_not_known_gets_no_row_of_its_own(portfolio) -> None:
    """Found by a hunter: a pain point's `journey: mortgag` (CXP102) made track count its
    done work under a journey "mortgag" beside "mortgage", and a file's `unit: digitl` its
    initiatives under a unit "digitl" beside "digital: 0", with nothing said. A name that
    names no journey or unit is none: its work counts on no journey (as `rank` leaves the
    pain point out, and track's `excluded` says so) and under `(no unit)`, totals unchanged,
    and every format says which names it was. A name a file that does not parse may define
    keeps its row."""
    base = ("units: [{id: u, name: U}]\n"
            "journeys: [{id: mortgage, name: M, stages: [{id: s, name: S}]}]\n"
            "pain_points:\n"
            "  - {id: PP-1, journey: mortgage, stage: s, title: T, severity: 2, evidence: [{kind: nps}]}\n"
            "  - {id: PP-2, journey: mortgag, stage: s, title: T, severity: 2, evidence: [{kind: nps}]}\n")
    items = ["  - {id: A, title: T, status: done, completed: 2026-02-01, addresses: [PP-1]}",
             "  - {id: B, title: T, status: done, completed: 2026-03-01, addresses: [PP-2]}",
             "  - {id: C, title: T, status: done, completed: 2026-04-01, addresses: [PP-1, PP-2]}"]
    root = portfolio({"base.yaml": base, "a.yaml": "unit: uu\ninitiatives:\n" + "\n".join(items) + "\n"},
                     config="year: 2026\ntarget: {improvements: 10}\n")

    document = json.loads(_tracked(root, "json"))
    assert (document["done"], document["by_journey"], document["done_without_journey"]) == (3, {"mortgage": 2}, 1)
    assert document["by_unit"] == {"": 3, "u": 0}
    assert (document["done_unknown_unit"], document["done_unknown_journey"]) == ({"uu": 3}, {"mortgag": 2})
    assert document["excluded"]["entities"] == [{"kind": "pain point", "id": "PP-2", "file": "base.yaml",
                                                 "why": "a journey that is not known"}]
    said = ["3 done initiatives of a unit that is not known ('uu', CXP102) are counted under (no unit).",
            "2 done initiatives on pain points of no known journey ('mortgag', CXP102) are counted on no "
            "journey for those pain points."]
    text = _tracked(root, "text")
    assert all(line in text.splitlines() for line in said)
    assert "mortgag " not in text and "uu " not in text  # no row under either
    assert all(line in _tracked(root, "markdown").splitlines() for line in said)
    csv = _tracked(root, "csv")
    assert "target,done_unknown_unit,3,uu\ntarget,done_unknown_journey,2,mortgag\n" in csv
    assert "by_journey,,1,\nby_journey,mortgage,2,\n" in csv and "by_unit,,3,\n" in csv
    # a file that does not parse may define both: their rows stand, and nothing is said
    (root / "broken.yaml").write_text("units: [\n", encoding="utf-8")
    document = json.loads(_tracked(root, "json"))
    assert document["by_journey"] == {"mortgag": 2, "mortgage": 2} and document["by_unit"] == {"u": 0, "uu": 3}
    assert (document["done_unknown_unit"], document["done_unknown_journey"]) == ({}, {})
    assert "CXP102" not in _tracked(root, "text")


def test_a_journey_a_renamed_definition_may_be_keeps_its_row_and_rank_still_names_its_pain_point(
        portfolio) -> None:
    """A journey renamed to an id another journey has (CXP101) may be the one a pain point
    names, so CXP102 is silent and track counts its done work under that name; rank values
    the pain point at nothing all the same (no journey of that id reaches it) and names it
    among what its figures leave out, as before track's rows were checked (2026-12-05)."""
    base = ("units: [{id: u, name: U}]\n"
            "journeys:\n"
            "  - {id: mortgage, name: M, volume: 100, stages: [{id: s, name: S}]}\n"
            "  - {id: mortgage, name: O, volume: 100, stages: [{id: s, name: S}]}\n"  # was onboarding
            "pain_points:\n"
            "  - {id: PP-1, journey: onboarding, stage: s, title: T, severity: 2, evidence: [{kind: nps}]}\n")
    work = "unit: u\ninitiatives:\n  - {id: A, title: T, status: done, completed: 2026-02-01, addresses: [PP-1]}\n"
    root = portfolio({"base.yaml": base, "a.yaml": work}, config="year: 2026\ntarget: {improvements: 10}\n")

    def document(*args: str) -> dict:
        result = CliRunner().invoke(cli, [*args, str(root), "--as-of", "2026-06-30", "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    tracked = document("track")
    assert (tracked["by_journey"], tracked["done_unknown_journey"]) == ({"mortgage": 0, "onboarding": 1}, {})
    assert "PP-1" not in [e["id"] for e in tracked["excluded"]["entities"]]
    assert {"kind": "pain point", "id": "PP-1", "file": "base.yaml",
            "why": "a journey that is not known"} in document("rank", "--all")["excluded"]["entities"]


def test_an_empty_kpi_table_says_there_is_none(portfolio) -> None:
    """A portfolio without KPIs printed the KPI trends' header alone, a table that reads
    as cut off; a KPI measured in no period of the year, the same. Each says so instead
    (CSV has no such table, and JSON's `kpis` is a list)."""
    items = "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n  - {id: A, title: T, status: done, completed: 2026-02-01}\n"
    root = portfolio({"a.yaml": items}, config="year: 2026\ntarget: {improvements: 10}\n")

    def tracked(*args: str) -> str:
        result = CliRunner().invoke(cli, ["track", str(root), "--as-of", "2026-06-30", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert tracked().endswith("\n\nKPI trends (reasons: initiatives completed in the period that target the KPI):\n"
                              "No KPIs.\n")
    assert tracked("--format", "markdown").endswith("\n\n### KPI trends and their reasons\n\nNo KPIs.\n")
    (root / "k.yaml").write_text("kpis:\n  - {id: k, name: K, kind: outcome, direction: increase,\n"
                                 "     measurements: [{period: 2025-Q4, value: 3}, {period: 2026-Q3, value: 4}]}\n",
                                 encoding="utf-8")
    assert tracked().endswith(":\nNo KPI has a measurement in 2026 up to 2026-06-30.\n")
    assert tracked("--format", "markdown").endswith("\n\nNo KPI has a measurement in 2026 up to 2026-06-30.\n")
    assert tracked("--year", "2025").endswith(":\nkpi    period      value  reasons\n"
                                              "-----  --------  -------  ---------\nk      2025-Q4         3\n")
    assert tracked("--as-of", "2027-01-15").endswith(":\nkpi    period      value  reasons\n"
                                                     "-----  --------  -------  ---------\nk      2026-Q3         4\n")
    assert tracked("--year", "2024").endswith(":\nNo KPI has a measurement in 2024.\n")


@pytest.mark.parametrize("as_of", ["2026-01-01", "2026-01-02", "2026-01-22", "2026-01-29", "2026-02-10", "2026-06-30",
                                   "2026-11-24"])
def test_track_and_the_report_write_expected_and_gap_alike(as_of: str) -> None:
    """Found by a steering group's tester: track printed the gap to one decimal ("-0.0",
    "0.1 expected") where the report, beside it in the same meeting, printed "-0.04" and
    "0.14": one formatter (render/figures.py) now writes both."""
    import re

    runner = CliRunner()
    headline = runner.invoke(cli, ["track", str(NORDBANK), "--as-of", as_of]).stdout.splitlines()[0]
    report = runner.invoke(cli, ["report", str(NORDBANK), "--as-of", as_of, "--format", "markdown"]).stdout
    tracked = re.search(rf"expected by {as_of} (\S+) \(gap (\S+)\)", headline)
    reported = re.search(r"; (\S+) expected by now \(gap (\S+)\)", report)
    assert tracked and reported, (headline, report)
    assert tracked.groups() == reported.groups()
    assert not re.fullmatch(r"[+-]0(\.0*)?", tracked.group(2)), tracked.group(2)
    # and they add up beside what was done, as written (a newcomer: "4.0 (gap +0.027)")
    done = int(re.search(r"Done (\d+),", headline).group(1))  # type: ignore[union-attr]
    expected, gap = tracked.groups()
    assert len(expected.partition(".")[2]) == len(gap.partition(".")[2])
    assert abs(float(expected.replace(",", "")) + float(gap.replace(",", "")) - done) < 1e-9


@pytest.mark.parametrize(("number", "other", "written"), [(-0.04, 0.04, "-0.04"), (-1e-9, 38.0, "+0.0"),
                                                          (-0.0, 12.0, "+0.0"), (2.2, 24.8, "+2.2")])
def test_a_gap_is_never_written_as_minus_zero(number: float, other: float, written: str) -> None:
    from cxportfolio.render.figures import change

    assert change(number, other, 1) == written


def test_counts_of_one_read_in_the_singular(portfolio) -> None:
    """Found by a steering group's tester: "Target 2026: 1 improvements." and "the
    portfolio has 1 error(s)"."""
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n"
                                "  - {id: D1, title: T, status: done, completed: 2026-03-01}\n"
                                "  - {id: D2, title: T, status: dun}\n"},
                     config="year: 2026\ntarget: {improvements: 1}\n")
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", "2026-06-30"])
    assert result.stdout.startswith("Target 2026: 1 improvement. Done 1,")
    assert "the portfolio has 1 error;" in result.stderr
    report = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2026-06-30"]).stdout
    assert "The portfolio has 1 error." in report and "error(s)" not in report
    html = CliRunner().invoke(cli, ["report", str(root), "--as-of", "2026-06-30", "--format", "html"]).stdout
    assert "Target 2026: 1 improvement</h2>" in html and "error(s)" not in html


def test_done_work_without_a_completed_date_is_said_to_be_uncounted_even_when_accepted(portfolio) -> None:
    """Found by a tester recomputing a steering group's year: an initiative done with no
    `completed:` date is counted in no year. With its CXP105 accepted (allow:), the figures
    had no note at all and read as the whole portfolio's. track's headline and the report's
    target say which done work is not counted, and JSON lists it (`done_undated`)."""
    items = ("unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n"
             "  - {id: A, title: T, status: done, completed: 2026-02-01}\n"
             "  - {id: B, title: T, status: done, allow: [{rule: CXP105, reason: date lost}]}\n")
    root = portfolio({"a.yaml": items}, config="year: 2026\ntarget: {improvements: 10}\n")

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, [*args[:1], str(root), "--as-of", "2026-06-30", *args[1:]])
        assert result.exit_code == 0, result.output
        return result.stdout

    said = "1 done initiative without a `completed:` date is not counted: B."
    assert said in run("track").splitlines()
    assert said in run("track", "--format", "markdown").splitlines()
    assert json.loads(run("track", "--format", "json"))["done_undated"] == ["B"]
    assert "target,done_undated,1,B\n" in run("track", "--format", "csv")
    assert said.replace("`", "\\`") in run("report", "--format", "markdown") or said in run("report", "--format", "markdown")
    assert "1 done initiative without a <code>completed:</code> date is not counted: B." in run("report", "--format", "html") \
        or "1 done initiative without a `completed:` date is not counted: B." in run("report", "--format", "html")
    # none: no sentence, and an empty list
    (root / "a.yaml").write_text(items.replace(", allow: [{rule: CXP105, reason: date lost}]", ", completed: 2026-03-01"),
                                 encoding="utf-8")
    assert "not counted" not in run("track") and json.loads(run("track", "--format", "json"))["done_undated"] == []


@pytest.mark.parametrize("as_of", ["2026-01-01", "2026-06-30", "2026-09-30"])
def test_track_csv_has_the_gap_beside_expected_by_now(as_of: str) -> None:
    """track's CSV had expected_by_now and no gap, which a reader computed with other
    rounding than the text's: a `target,gap` row now follows it, `done` minus the
    expected as written (two decimals), never -0.00; without a target both are empty."""
    import csv as csv_module
    import io

    out = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", as_of, "--format", "csv"]).stdout
    rows = {key: value for section, key, value, _ in csv_module.reader(io.StringIO(out)) if section == "target"}
    keys = [key for section, key, *_ in csv_module.reader(io.StringIO(out)) if section == "target"]
    assert keys.index("gap") == keys.index("expected_by_now") + 1
    assert float(rows["gap"]) == pytest.approx(int(rows["done"]) - float(rows["expected_by_now"]), abs=1e-9)
    assert rows["gap"] == f"{float(rows['gap']):.2f}" and rows["gap"] != "-0.00"
    other = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", as_of, "--year", "2025", "--format", "csv"]).stdout
    assert "target,expected_by_now,,\ntarget,gap,,\n" in other


def test_one_is_written_in_the_singular(portfolio) -> None:
    """A tester found "1 improvements" and "1 done initiatives show" in track and the
    report: a count of one takes the singular, of its noun and of its verb."""
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n"
                                "  - {id: A, title: T, status: done, completed: 2026-02-01}\n"},
                     config="year: 2026\ntarget: {improvements: 1}\n")

    def out(*args: str) -> str:
        result = CliRunner().invoke(cli, [*args, "--as-of", "2026-06-30"])
        assert result.exit_code == 0, result.output
        return result.stdout

    text = out("track", str(root))
    assert text.startswith("Target 2026: 1 improvement. Done 1,")
    assert "Effect, not activity: 0 of 1 done initiative shows a realized positive effect" in text
    markdown = out("report", str(root), "--format", "markdown")
    assert "**1 of 1** improvement done;" in markdown
    assert "Effect, not activity: 0 of 1 done initiative shows a realized positive effect" in markdown
    assert "<h2>Target 2026: 1 improvement</h2>" in out("report", str(root), "--format", "html")
    (root / "cxportfolio.yaml").write_text("year: 2026\n", encoding="utf-8")
    assert "**1** improvement done; forecast" in out("report", str(root), "--format", "markdown")


def test_diff_of_a_finished_year_says_done_and_one_outcome(tmp_path: Path) -> None:
    """A tester found diff printing "forecast 38.0 → 38.0 (+0.0), status at-risk → at-risk"
    of a year over: it says the one state when it did not change (met or missed once the
    year is over), and of a finished year what was done, not a forecast (there is none left)."""
    import shutil

    head = tmp_path / "head"
    shutil.copytree(NORDBANK, head)
    runner = CliRunner()

    def line(*extra: str) -> str:
        result = runner.invoke(cli, ["diff", "--base-dir", str(NORDBANK), "--head-dir", str(head), *extra])
        return result.stdout.splitlines()[0]

    assert line("--as-of", "2027-01-15") == "Annual target 50: done 38, missed."
    assert line("--as-of", "2026-06-30") == "Annual target 50: forecast 46.0 → 46.0 (+0.0), status at-risk."
    unit = head / "units" / "retail.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("    status: in_progress\n", "    status: done\n"
                                                             "    completed: 2026-11-02\n", 1), encoding="utf-8")
    assert line("--as-of", "2027-01-15") == "Annual target 50: done 38 → 39 (+1), missed."


def test_a_year_not_begun_says_so_rather_than_a_status() -> None:
    """A newcomer: `track --as-of 2025-12-01` of a 2026 portfolio ended its headline
    "forecast 40.6: behind", a verdict on a year that has not started. It says that the year
    has not started; the JSON keeps the status computed from the forecast."""
    result = CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2025-12-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("Target 2026: 50 improvements. Nothing done yet (2026 begins after "
                                             "2025-12-01), forecast 40.6: the year has not started.")
    document = json.loads(CliRunner().invoke(cli, ["track", str(NORDBANK), "--as-of", "2025-12-01",
                                                   "--format", "json"]).stdout)
    assert (document["done"], document["status"]) == (0, "behind")


def test_the_config_years_target_not_set_says_how_to_set_one(portfolio) -> None:
    """A newcomer: `year: 2026` and no `target:` made track say "(cxportfolio.yaml sets
    `target:` for its `year` only)", which is for `--year` another year; for the file's own
    year it says how to set one."""
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n"
                                "  - {id: A, title: T, status: done, completed: 2026-02-01}\n"},
                     config="year: 2026\n")

    def first(*args: str) -> str:
        result = CliRunner().invoke(cli, ["track", str(root), "--as-of", "2026-06-30", *args])
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[0]

    assert first() == ("Target 2026: not set (add one to cxportfolio.yaml, e.g. `target: {improvements: 50}` "
                       "for 50 improvements in 2026). Done 1 by 2026-06-30, forecast 1.0.")
    assert first("--year", "2025").startswith(
        "Target 2025: not set (cxportfolio.yaml sets `target:` for its `year` only). ")


def test_a_target_not_set_is_said_in_one_phrase_everywhere(portfolio) -> None:
    """A tester found three phrases for one fact: track said "none set", the report "not
    set in cxportfolio.yaml", diff "none set". Each says "not set"."""
    root = portfolio({"a.yaml": "unit: u\nunits: [{id: u, name: U}]\ninitiatives:\n"
                                "  - {id: A, title: T, status: done, completed: 2026-02-01}\n"},
                     config="year: 2026\n")
    runner = CliRunner()

    def out(*args: str) -> str:
        result = runner.invoke(cli, [*args, "--as-of", "2026-06-30"])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert out("track", str(root)).startswith("Target 2026: not set (add one to cxportfolio.yaml, e.g. ")
    assert "the 2026 target is not set." in out("report", str(root), "--format", "markdown")
    assert "<h2>Target 2026: not set</h2>" in out("report", str(root), "--format", "html")
    assert "Annual target not set:" in out("diff", "--base-dir", str(root), "--head-dir", str(root))
    for said in ("none set", "not set in"):
        assert said not in out("track", str(root)) + out("report", str(root), "--format", "markdown")


def test_two_values_for_one_period_are_no_trend(tmp_path: Path) -> None:
    """Found by a newcomer: a measurement line copied and edited (`{period: 2026-Q1, value:
    1100}` then `{period: 2026-Q1, value: 1000}`) passed check, and the report showed the
    KPI's latest value 1100.0 (2026-Q1) with a change of +100 within one quarter. Which value
    is the quarter's is not known: the measurements are refused (CXP002, at the second), and
    the KPI trends leave the KPI out, saying so; the other figures keep it."""
    root = tmp_path / "p"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    kpis = root / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8") + "    measurements:\n"
                    "      - {period: 2026-Q1, value: 1100}\n      - {period: 2026-Q1, value: 1000}\n", encoding="utf-8")
    checked = json.loads(runner.invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"]).stdout)
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in checked["findings"]] == [
        ("CXP002", 14, 18, "measurements[1].period '2026-Q1' repeats the period of measurements[0]: a KPI has one "
                           "value a period (KPI nps-onboarding)")]
    tracked = runner.invoke(cli, ["track", str(root), "--as-of", "2026-06-30", "--format", "json"])
    assert json.loads(tracked.stdout)["excluded"]["entities"] == [
        {"kind": "KPI", "id": "nps-onboarding", "file": "kpis.yaml", "why": "a value refused",
         "where": "from the KPI trends only"}]
    report = runner.invoke(cli, ["report", str(root), "--as-of", "2026-06-30", "--out", "-"]).stdout
    assert "+100" not in report and "1100" not in report
    assert "the KPIs' figures leave out 1 KPI (nps-onboarding)" in report
    # found by a newcomer: with its one KPI left out, track and the report said "No KPIs."
    assert "No KPIs." not in report and report.count("No KPI is shown: see *What the figures leave out*.") == 2
    text = runner.invoke(cli, ["track", str(root), "--as-of", "2026-06-30"]).stdout
    assert text.rstrip().endswith("No KPI trend to show: 1 KPI left out for a refused value (the note says which; "
                                  "`cxportfolio check` says where).")
