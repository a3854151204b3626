"""rank and track keep an entity whose refused values are ones they never read.

A figure computes with `Portfolio.for_figures(unread)`: an entity with a value refused
(CXP002) stays in when every refused key is one the command never reads (RANK_UNREAD,
TRACK_UNREAD), so a mistake changes only the figures about what it touches (docs/format.md, error tolerance). The
first test holds the declared sets to what the commands read, field by field, on the
shipped examples; the others are the cases that made a figure move.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import check, copy_of_example
from cxportfolio.analysis.rank_table import RankFilter, journey_table, rank_table
from cxportfolio.analysis.ranking import RANK_NOWHERE, RANK_UNREAD, RankingModel
from cxportfolio.analysis.report_data import REPORT_UNREAD, build_report
from cxportfolio.analysis.tracking import (COUNT_UNREAD, TRACK_UNREAD, TREND_UNREAD, count_done, kpi_trends, track,
                                           track_target)
from cxportfolio.cli import cli
from cxportfolio.load import load_files
from cxportfolio.model.entities import Entity, Journey, Stage
from cxportfolio.model.portfolio import build_portfolio
from cxportfolio.render import explain
from cxportfolio.render import rank as rank_render
from cxportfolio.render import report as report_render
from cxportfolio.render import track as track_render
from cxportfolio.rules import REGISTRY

AS_OF = dt.date(2026, 11, 24)
EXAMPLES = Path(__file__).resolve().parents[1] / "portfolios"


def _written(model: type, name: str) -> str:
    info = model.model_fields[name]
    return info.alias or name


def _ranked(portfolio, run) -> None:
    findings = run.result.findings
    model = RankingModel(portfolio)
    for plan in (False, True):
        table = rank_table(model, findings, RankFilter(include_closed=True), plan=plan)
        for render in (rank_render.text, rank_render.markdown, rank_render.csv_text, rank_render.json_text):
            render(table)
    rank_table(model, findings, RankFilter(lanes=("quick-win",)))
    journey_table(model)
    for score in model.scores.values():
        why = {pain_id: model.why_unvalued(pain_id) for pain_id in score.unvalued}
        explain.explain_text(score, why)
        explain.explain_json(score, None, why)


def _tracked(portfolio, run) -> None:
    tracking = track(portfolio, AS_OF)
    for render in (track_render.text, track_render.markdown, track_render.csv_text, track_render.json_text):
        render(tracking)


def _counted(portfolio, run) -> None:
    """track's done count, its breakdowns and the forecast (the report's target and done counts)."""
    status = track_target(portfolio, AS_OF)
    count_done(portfolio, status.year, AS_OF)


def _trended(portfolio, run) -> None:
    """track's KPI trends with their reasons: measurements and done work, never a KPI's kind."""
    kpi_trends(portfolio, AS_OF.year, AS_OF)


def _reported(portfolio, run) -> None:
    """The report: its lanes read as rank's, the rest as track's, and what it shows beside
    them (REPORT_SHOWN): nothing any of them leaves unread (REPORT_UNREAD)."""
    run = replace(run, portfolio=portfolio)
    for period in (None, "2026-Q3", "2026-06"):
        data = build_report(run, AS_OF, period)
        report_render.markdown(data)
        report_render.html(data)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir() if (p / "cxportfolio.yaml").is_file()))
@pytest.mark.parametrize(("figures", "unread"), [(_ranked, RANK_NOWHERE), (_tracked, TRACK_UNREAD),
                                                 (_counted, COUNT_UNREAD), (_trended, TREND_UNREAD),
                                                 (_reported, REPORT_UNREAD)],
                         ids=["rank", "track", "track-count", "track-trends", "report"])
def test_a_command_reads_nothing_it_declares_unread(name: str, figures, unread, monkeypatch) -> None:
    run = check(EXAMPLES / name, AS_OF)
    # a portfolio of its own: its indexes (who addresses what, the KPI drivers) are built
    # while the reads are recorded, so what they read counts
    portfolio, _ = build_portfolio(load_files(EXAMPLES / name), {c: r.options for c, r in REGISTRY.items()})
    seen: set[tuple[type, str]] = set()
    plain = object.__getattribute__

    def recording(self: Entity, attribute: str) -> object:
        if attribute in type(self).model_fields:
            seen.add((type(self), _written(type(self), attribute)))
        return plain(self, attribute)

    def stage_recording(self: Stage, attribute: str) -> object:  # a stage's field is its journey's `stages.…`
        if attribute in Stage.model_fields:
            seen.add((Journey, f"stages.{attribute}"))
        return plain(self, attribute)

    with monkeypatch.context() as patch:
        patch.setattr(Entity, "__getattribute__", recording)
        patch.setattr(Stage, "__getattribute__", stage_recording)
        figures(portfolio, run)
    read_unread = sorted(f"{kind.__name__}.{key}" for kind, key in seen if key in unread.get(kind, ()))
    assert not read_unread, f"{figures.__name__} reads what it declares unread: {read_unread}"
    # and the sets name real keys (a misspelt one would keep nothing in): a field, or one
    # of a stage's (`stages.name`)
    for kind, keys in unread.items():
        assert keys <= {_written(kind, n) for n in kind.model_fields} | (
            {f"stages.{n}" for n in Stage.model_fields} if kind is Journey else set()), kind


def _mutated(tmp_path_factory, file: str, old: str, new: str) -> Path:
    root = copy_of_example(tmp_path_factory, "figures")
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root


def _json(args: list[str]) -> dict:
    result = CliRunner().invoke(cli, [*args, "--as-of", AS_OF.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_refused_kpi_baseline_moves_no_score_and_no_track_figure(tmp_path_factory) -> None:
    """Found by a re-read: `baseline: {value: "34%"}` on one KPI left the KPI out of the
    figures, so every effect on it weighed nothing: a dozen initiatives, some on other
    journeys, moved in rank."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "kpis.yaml", "baseline: {period: 2025, value: 34}",
                    'baseline: {period: 2025, value: "34%"}')
    assert any(f.code == "CXP002" and "baseline" in f.message for f in check(root, AS_OF).result.findings)
    for command in (["rank", "--all"], ["track"]):
        before, after = _json([command[0], str(clean), *command[1:]]), _json([command[0], str(root), *command[1:]])
        # no note either: the one error is a value the command never reads
        assert after.pop("excluded") == {"errors": 0, "unreadable": [], "entities": []}
        before.pop("excluded")
        assert after == before, command


@pytest.mark.parametrize(("old", "new"), [
    ("{kpi: card-ces, change: -0.2, period: 2026-Q2}", "{kpi: card-ces, change: -0.2, period: 2026-Q7}"),
    ("{kpi: card-ces, change: -0.2, period: 2026-Q2}", "{kpi: card-ces, change: lots, period: 2026-Q2}"),
    ("{kpi: retention-12m, change: 0.1, confidence: 0.4}", "{kpi: retention-12m, change: 0.1, confidence: 1.4}"),
], ids=["realized-period", "realized-change", "effect-confidence"])
def test_done_work_whose_effects_are_refused_stays_in_every_count(tmp_path_factory, old: str, new: str) -> None:
    """Left alone by the seventeenth session: one refused value in CRD-004's effects or
    realized effects (`period: 2026-Q7`) took it out of every figure of track's — done 38 →
    37, cards 6 → 5, Q2, May, card-problem and quick wins one fewer each, the forecast 48.2
    → 47.2 — though the count reads no effect. It is done: only the effect figures (its
    follow-up, the KPI trends' reasons) leave it out, and every output says so."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/cards.yaml", old, new)
    before, after = _json(["track", str(clean)]), _json(["track", str(root)])
    assert after["excluded"]["entities"] == [{"kind": "initiative", "id": "CRD-004", "file": "units/cards.yaml",
                                              "why": "a value refused",
                                              "where": "from the effects and the KPI trends only"}]
    counts = ("done", "forecast", "status", "gap", "by_unit", "by_quarter", "by_month", "by_journey", "by_size")
    assert {k: after[k] for k in counts} == {k: before[k] for k in counts}
    assert (before["done"], before["by_unit"]["cards"]) == (38, 6)
    assert after["effect"]["done_effects_unread"] == ["CRD-004"] and before["effect"]["done_effects_unread"] == []
    assert [f for f in before["effect"]["initiatives"] if f["id"] != "CRD-004"] == after["effect"]["initiatives"]
    reasons = [r for k in after["kpis"] for m in k["measurements"] for r in m["reasons"]]
    assert "CRD-004" not in reasons and "CRD-004" in [r for k in before["kpis"] for m in k["measurements"]
                                                      for r in m["reasons"]]
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert "Done 38," in result.stdout
    assert "of 1 it cannot tell (a value refused in their effects or in a KPI they moved: CRD-004)." in result.stdout
    # the report's HTML tile says it as the text does, not "effects refused" of one refused period
    page = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat(), "--format", "html"]).stdout
    assert "of the 38 done with a measured gain (1 not known)" in page
    assert "; the effects and the KPI trends leave out 1 initiative (CRD-004);" in result.stderr
    assert "target,done_effects_unread,1,CRD-004\n" in CliRunner().invoke(
        cli, ["track", str(root), "--as-of", AS_OF.isoformat(), "--format", "csv"]).stdout
    # the report counts it as track does: its target, and the lanes' done in the year
    edition = build_report(check(root, AS_OF), AS_OF, None)
    assert edition.tracking.target.done == 38 == sum(lane.done_in_year for lane in edition.lanes)
    (left,) = edition.excluded.left_out
    # the lanes rank open work (rank reads an effect's confidence, but this work is done,
    # and named by no decision): only the KPIs' figures lose it, in every format
    assert left.where == "from the KPIs' figures and the effects only"
    report = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat()])
    assert "; the KPIs' figures and the effects leave out 1 initiative (CRD-004);" in report.stderr
    assert "; the KPIs' figures and the effects leave out 1 initiative (CRD-004) (see" in report.stdout
    assert "(units/cards.yaml): a value refused, from the KPIs' figures and the effects only" in report.stdout
    assert "the lanes" not in report.stderr and "the KPIs&#39; figures and the effects leave out 1 initiative (CRD-004)" in page
    assert "the lanes and" not in page


@pytest.mark.parametrize(("file", "old", "new", "ident", "its_year", "tracked"), [
    ("units/cards.yaml", "{kpi: card-ces, change: -0.2, period: 2026-Q2}",
     "{kpi: card-ces, change: lots, period: 2026-Q2}", "CRD-004", "2026", "2025"),
    ("units/cards.yaml", "    size: quick_win\n    status: done\n    completed: 2026-05-20\n",
     "    size: huge\n    status: done\n    completed: 2026-05-20\n", "CRD-004", "2026", "2025"),
    ("units/cards.yaml", "    size: quick_win\n    status: done\n    completed: 2026-05-20\n",
     "    size: huge\n    status: done\n    completed: 2026-05-20\n", "CRD-004", "2026", "2027"),
    ("units/customer-service.yaml", "    completed: 2025-11-10\n    realized:\n      - {kpi: card-ces, change: -0.1,",
     "    completed: 2025-11-10\n    realized:\n      - {kpi: card-ces, change: lots,", "CS-009", "2025", "2026"),
    ("units/cards.yaml", "    size: project\n    status: approved\n    planned: 2027-Q1\n",
     "    size: huge\n    status: approved\n    planned: 2027-Q1\n", "CRD-002", "2027", "2026"),
    ("units/cards.yaml", "    size: quick_win\n    status: done\n    completed: 2026-05-20\n",
     "    size: quick_win\n    status: done\n    planned: 2026-Q7\n    completed: 2026-05-20\n", "CRD-004", "2026",
     "2025"),  # a plan done work no longer needs: its date says its year
], ids=["2026-realized-in-2025", "2026-size-in-2025", "2026-size-in-2027", "2025-realized-in-2026",
        "planned-2027-size-in-2026", "2026-plan-in-2025"])
def test_track_of_a_year_says_nothing_of_a_refused_value_of_another_years_work(
        tmp_path_factory, file: str, old: str, new: str, ident: str, its_year: str, tracked: str) -> None:
    """Found by a re-read: `track --year 2025` as of 2026-11-24 with CRD-004's realized
    change refused (done 2026-05-20) said "the effects and the KPI trends leave out 1
    initiative (CRD-004)", and with its size refused "the figures leave out" it, though no
    figure of 2025 holds work done in 2026 (nor of 2027); `track` of 2026 said the same of
    CS-009, done in 2025, whose effect measured in 2026 is in none of 2026's, and of
    CRD-002, open and planned in 2027, which only 2027's forecast weighs. The note and
    `excluded` say what the year's figures leave out; the work's own year still says it."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, file, old, new)
    after = _json(["track", str(root), "--year", tracked])
    assert after.pop("excluded") == {"errors": 0, "unreadable": [], "entities": []}
    before = _json(["track", str(clean), "--year", tracked])
    before.pop("excluded")
    assert after == before
    result = CliRunner().invoke(cli, ["track", str(root), "--year", tracked, "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and "note:" not in result.stderr
    assert [e["id"] for e in _json(["track", str(root), "--year", its_year])["excluded"]["entities"]] == [ident]
    result = CliRunner().invoke(cli, ["track", str(root), "--year", its_year, "--as-of", AS_OF.isoformat()])
    assert f"leave out 1 initiative ({ident});" in result.stderr


def test_diff_says_no_figure_leaves_out_done_work_whose_realized_effect_is_refused(tmp_path_factory) -> None:
    """Found by a hunt: with CRD-004's realized period refused, diff's forecast stayed 48.2
    (track's count keeps it) and rank never reads a realized effect, yet its target line
    said "The head's figures leave out 1 initiative", JSON `after_leaves_out` counted it
    and stderr noted it: diff read it as the effect figures do, which it does not show."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/cards.yaml", "{kpi: card-ces, change: -0.2, period: 2026-Q2}",
                    "{kpi: card-ces, change: -0.2, period: 2026-Q7}")
    args = ["diff", "--base-dir", str(clean), "--head-dir", str(root), "--as-of", AS_OF.isoformat()]
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 1  # the refused value is a new error all the same
    assert "forecast 48.2 → 48.2 (+0.0), status at-risk.\n" in text.stdout
    assert "leave out" not in text.stdout and "leave out" not in text.stderr
    document = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    assert document["target"]["after_leaves_out"] == {"entities": {}, "other_values": 0, "unreadable_files": 0}
    # a refused completion date is one the forecast reads: still said
    root = _mutated(tmp_path_factory, "units/cards.yaml", "    completed: 2026-05-20\n", "    completed: 2026-05-40\n")
    text = CliRunner().invoke(cli, ["diff", "--base-dir", str(clean), "--head-dir", str(root),
                                    "--as-of", AS_OF.isoformat()])
    assert "forecast 48.2 → 47.2 (-1.0), status at-risk. The head's figures leave out 1 initiative" in text.stdout


def test_parts_that_leave_out_different_work_are_each_named(tmp_path_factory) -> None:
    """Where the report's parts leave out different entities (DIG-018's refused effort:
    the lanes, which rank it, open; CRD-004's refused realized period: the KPIs' figures),
    the banner names them all and says which only some parts leave out, in the parts' order."""
    root = _mutated(tmp_path_factory, "units/cards.yaml", "{kpi: card-ces, change: -0.2, period: 2026-Q2}",
                    "{kpi: card-ces, change: -0.2, period: 2026-Q7}")
    digital = root / "units" / "digital.yaml"
    text = digital.read_text(encoding="utf-8")
    old = "    effort: 40\n    size: program\n    status: approved\n"
    assert text.count(old) == 1
    digital.write_text(text.replace(old, old.replace("40", "lots")), encoding="utf-8")
    left = build_report(check(root, AS_OF), AS_OF, None).excluded
    assert left.summary() == ("the portfolio has 2 errors; the figures leave out 2 initiatives (CRD-004, DIG-018); "
                              "only the lanes leave out DIG-018; only the KPIs' figures and the effects leave out CRD-004")


def test_done_work_the_lanes_do_not_hold_is_nothing_they_leave_out(tmp_path_factory) -> None:
    """Left by the last session: done CRD-004 with a refused effect was left out "from the
    lanes and the KPIs' figures", though the lanes hold no work done by the state date. The
    report names the parts that hold the work: the lanes while it was open on the state date,
    the decisions' stakes where a decision weighs it (CRD-006 on PP-block-at-night's CXP202),
    never a part that has nothing of it; rank, which ranks done work too, still names it."""
    root = _mutated(tmp_path_factory, "units/cards.yaml", "{kpi: card-ces, change: -0.1, confidence: 0.8}",
                    "{kpi: card-ces, change: little, confidence: 0.8}")
    run = check(root, AS_OF)
    (left,) = build_report(run, AS_OF, None).excluded.left_out
    assert (left.id, left.where) == ("CRD-006", "from the decisions' stakes, the KPIs' figures and the effects only")
    # before its completion date it was open work, in a lane, and in no KPI's figures as
    # of that date (issue 14: they were said to leave it out); nothing of track's reads it
    early = dt.date(2026, 3, 31)
    (left,) = build_report(check(root, early), early, None).excluded.left_out
    assert (left.id, left.where) == ("CRD-006", "from the lanes and the decisions' stakes only")
    tracked = CliRunner().invoke(cli, ["track", str(root), "--as-of", early.isoformat()])
    assert tracked.exit_code == 0 and tracked.stderr == ""
    ranked = CliRunner().invoke(cli, ["rank", str(root), "--as-of", AS_OF.isoformat()])
    assert "; the figures leave out 1 initiative (CRD-006);" in ranked.stderr


def test_open_work_whose_effect_is_refused_is_nothing_to_tracks_figures(tmp_path_factory) -> None:
    """Found in review: CRD-001 (approved) with `confidence: 1.7` was named by track's note
    as left out "from the effects and the KPI reasons only", though those read done work's
    effects alone and the forecast counts CRD-001 as before: a false alarm. Track says
    nothing of it (no error its figures rest on); the report's lanes, which rank it, do."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/cards.yaml", "{kpi: card-ces, change: -0.3, confidence: 0.7}",
                    "{kpi: card-ces, change: -0.3, confidence: 1.7}")
    before, after = _json(["track", str(clean)]), _json(["track", str(root)])
    assert after == before and after["excluded"] == {"errors": 0, "unreadable": [], "entities": []}
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and result.stderr == ""
    (left,) = build_report(check(root, AS_OF), AS_OF, None).excluded.left_out
    # (a decision weighs it too: the CXP202 of PP-block-at-night, whose stake orders it)
    assert (left.id, left.where) == ("CRD-001", "from the lanes and the decisions' stakes only")


# CRD-004 written twice, the copy's realized period refused: its content sorts first, so
# the count keeps the copy and the effect figures (which cannot read it) the original
CRD_004_COPY = ("  - id: CRD-005\n", "  - id: CRD-004\n    title: Automatic refund of small disputed amounts\n"
                "    addresses: [PP-dispute-form]\n    effects:\n      - {kpi: card-ces, change: -0.3, confidence: 0.6}\n"
                "      - {kpi: retention-12m, change: 0.1, confidence: 0.4}\n    effort: 8\n    size: quick_win\n"
                "    status: done\n    completed: 2026-05-20\n    realized:\n"
                "      - {kpi: card-ces, change: -0.2, period: 2026-Q7}\n  - id: CRD-005\n")


def test_an_id_defined_twice_has_the_effects_of_the_definition_the_effect_figures_read(tmp_path_factory) -> None:
    """Found by a hunt: with CRD-004 copied and the copy's realized period refused, track
    said "the effects of 1 cannot be read (a value refused: CRD-004)" and showed no
    follow-up for it (19 of 38 with a positive effect), while its KPI reasons named
    CRD-004 from the definition they read: the effect figures asked whether the count's
    definition was theirs, not whether they had one of the id."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/cards.yaml", *CRD_004_COPY)
    before, after = _json(["track", str(clean)]), _json(["track", str(root)])
    assert after["done"] == before["done"] == 38
    assert after["effect"] == before["effect"]  # 20 with a positive effect, none unread
    assert after["kpis"] == before["kpis"]
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert "it cannot tell" not in result.stdout


def test_of_an_id_defined_twice_the_definition_the_figures_keep_is_not_said_left_out(tmp_path_factory) -> None:
    """Found by a hunt: with CRD-004 copied and the copy's realized period refused, track
    and the report said "the figures leave out 2 initiatives (CRD-004 in
    units/cards.yaml, CRD-004)": the copy, refused, and the original "id defined twice",
    though the figures keep the original (its follow-up, its KPI reasons). Whether
    another definition is the one was asked of the whole portfolio, which chose the copy."""
    root = _mutated(tmp_path_factory, "units/cards.yaml", *CRD_004_COPY)
    refused = {"kind": "initiative", "id": "CRD-004", "file": "units/cards.yaml", "why": "a value refused"}
    assert _json(["track", str(root)])["excluded"]["entities"] == [refused]
    for command in ("track", "report"):
        result = CliRunner().invoke(cli, [command, str(root), "--as-of", AS_OF.isoformat()])
        assert "the figures leave out 1 initiative (CRD-004);" in result.stderr, command
    edition = build_report(check(root, AS_OF), AS_OF, None)
    assert [(i.id, i.why) for i in edition.excluded.left_out] == [("CRD-004", "a value refused")]


def test_a_refused_kpi_direction_leaves_the_gains_on_it_unknown_not_absent(tmp_path_factory) -> None:
    """Found by a hunt: `direction: down` on card-ces (refused) left the KPI out of the effect
    figures, and every done initiative whose realized gain was on it alone read
    `positive_outcome: false`: "12 of 38 done initiatives show a realized positive effect",
    said as if known, for 20. Whether those eight moved it the better way is not known:
    they are said of, as done work whose own effect is refused is."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "kpis.yaml", "    kind: experience\n    direction: decrease\n    unit: points (1-7)\n",
                    "    kind: experience\n    direction: down\n    unit: points (1-7)\n")
    before, after = _json(["track", str(clean)]), _json(["track", str(root)])
    unknown = ["CRD-003", "CRD-004", "CRD-005", "CRD-006", "CS-004", "DIG-011", "DIG-016", "IT-005"]
    assert after["effect"]["done_effects_unread"] == unknown
    # both lose it: the effects whether a gain on it was one, the KPI trends its trend
    assert [e["where"] for e in after["excluded"]["entities"]] == ["from the effects and the KPI trends only"]
    assert after["effect"]["initiatives"] == [f for f in before["effect"]["initiatives"] if f["id"] not in unknown]
    assert not any(f["realized"].get("card-ces") for f in after["effect"]["initiatives"])
    assert (before["effect"]["done_with_positive_effect"], after["effect"]["done_with_positive_effect"]) == (20, 12)
    assert after["done"] == 38
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert ("12 of 38 done initiatives show a realized positive effect on an outcome or experience KPI; "
            "of 8 it cannot tell (a value refused in their effects or in a KPI they moved: "
            "CRD-003, CRD-004, CRD-005, CRD-006, CS-004 and 3 more)."
            in result.stdout)


@pytest.mark.parametrize(("old", "new"), [
    ("    name: Customer effort score, card problems\n", "    name: [effort]\n"),
    ("      - {period: 2026-Q2, value: 4.1}", "      - {period: 2026-Q2, value: lots}"),
    ("      - {period: 2026-Q2, value: 4.1}", "      - {period: 2026-Q5, value: 4.1}"),
], ids=["name", "measurement", "measurement-period"])
def test_a_kpis_refused_name_or_measurement_leaves_the_gains_on_it_known(tmp_path_factory, old: str, new: str) -> None:
    """Found by a hunt: a refused name or measurement of card-ces took the KPI out of every
    effect figure, so the eight done initiatives whose gain was on it were "not known"
    (before that, silently no gain: 12 of 38). Whether an effect was a gain needs the
    KPI's kind and direction alone: the follow-ups stay as they were, only its trend goes.
    Left by the last session: the note still said "the effects and the KPI reasons leave
    out 1 KPI (card-ces)", the effects that keep it named; it names the KPI trends alone."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "kpis.yaml", old, new)
    before, after = _json(["track", str(clean)]), _json(["track", str(root)])
    assert after["effect"] == before["effect"]  # 20 of 38 with a gain, none unread
    assert [k["id"] for k in after["kpis"]] == [k["id"] for k in before["kpis"] if k["id"] != "card-ces"]
    assert after["excluded"]["entities"] == [{"kind": "KPI", "id": "card-ces", "file": "kpis.yaml",
                                              "why": "a value refused", "where": "from the KPI trends only"}]
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert "; the KPI trends leave out 1 KPI (card-ces);" in result.stderr
    assert "20 of 38 done initiatives show a realized positive effect on an outcome or experience KPI.\n" in result.stdout


def test_a_kpis_refused_kind_leaves_it_its_trend(tmp_path_factory) -> None:
    """Found by a hunt (issue 14): `kind: experiance` on mortgage-conversion took the KPI
    out of track's KPI trends ("the effects and the KPI trends leave out 1 KPI"), though a
    trend shows measurements, direction and the done work naming it, never the kind. Only
    the effects, which need the kind to tell a gain, leave it out."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "kpis.yaml", "  - id: mortgage-conversion\n    name: Mortgage applications "
                    "that end in a payout\n    kind: outcome\n", "  - id: mortgage-conversion\n    name: Mortgage "
                    "applications that end in a payout\n    kind: experiance\n")
    before, after = _json(["track", str(clean)]), _json(["track", str(root)])
    assert after["kpis"] == before["kpis"]
    assert after["excluded"]["entities"] == [{"kind": "KPI", "id": "mortgage-conversion", "file": "kpis.yaml",
                                              "why": "a value refused", "where": "from the effects only"}]
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert "; the effects leave out 1 KPI (mortgage-conversion);" in result.stderr
    # the report's KPI cards read as the trends do: its card stays, with its rows and reasons
    cards = {k.id: k for k in build_report(check(clean, AS_OF), AS_OF, None).kpis}
    edition = build_report(check(root, AS_OF), AS_OF, None)
    card = next(k for k in edition.kpis if k.id == "mortgage-conversion")
    assert (card.points, card.rows, card.reasons) == (cards[card.id].points, cards[card.id].rows, cards[card.id].reasons)
    (left,) = edition.excluded.left_out
    assert (left.id, left.where) == ("mortgage-conversion", "from the lanes, the decisions' stakes and the effects only")


def test_done_work_whose_size_is_refused_is_left_out_of_the_counts(tmp_path_factory) -> None:
    """The counts read a done initiative's size (by size, the report's lanes): one refused is
    left out of all of track's figures, said without an "only"."""
    root = _mutated(tmp_path_factory, "units/cards.yaml", "    effort: 8\n    size: quick_win\n    status: done\n"
                    "    completed: 2026-05-20\n", "    effort: 8\n    size: tiny\n    status: done\n"
                    "    completed: 2026-05-20\n")
    after = _json(["track", str(root)])
    assert after["done"] == 37 and after["effect"]["done_effects_unread"] == []
    assert after["excluded"]["entities"] == [{"kind": "initiative", "id": "CRD-004", "file": "units/cards.yaml",
                                              "why": "a value refused"}]


def test_a_refused_effort_leaves_done_work_done_and_other_shares_as_they_were(tmp_path_factory) -> None:
    """Found by a re-read: `effort: lots` on a done initiative took it out of track's done
    count (38 → 37, the target's headline), and on open work its pain points' value went
    to the others addressing them (their impact rose)."""
    clean = copy_of_example(tmp_path_factory, "clean")
    done = _mutated(tmp_path_factory, "units/digital.yaml", "    effort: 12\n    size: project\n    status: done\n",
                    "    effort: lots\n    size: project\n    status: done\n")
    before, after = _json(["track", str(clean)]), _json(["track", str(done)])
    assert after.pop("excluded")["entities"] == [] and before.pop("excluded")["entities"] == []
    assert after == before
    # open work: unranked itself, the others' figures unchanged
    ranked = {row["id"]: row for row in _json(["rank", str(clean)])["rows"]}
    shared = [i for i in RankingModel(check(clean, AS_OF).portfolio).scores.values()
              if i.initiative.is_open and any(p.sharers > 1 for p in i.pains)]
    target = shared[0].id
    file = next(p for p in sorted((clean / "units").glob("*.yaml")) if f"id: {target}\n" in p.read_text("utf-8"))
    text = file.read_text(encoding="utf-8")
    start = text.index(f"id: {target}\n")
    effort = text.index("    effort: ", start)
    line = text[effort:text.index("\n", effort)]
    root = _mutated(tmp_path_factory, str(file.relative_to(clean)), text[start:effort] + line,
                    text[start:effort] + "    effort: lots")
    document = _json(["rank", str(root)])
    assert [e["id"] for e in document["excluded"]["entities"]] == [target]
    rows = {row["id"]: row for row in document["rows"]}
    assert target not in rows and target in ranked
    for ident, row in rows.items():
        assert (row["impact"], row["effort"], row["priority"]) == (
            ranked[ident]["impact"], ranked[ident]["effort"], ranked[ident]["priority"]), ident


def test_a_refused_value_a_figure_reads_still_leaves_the_entity_out(tmp_path_factory) -> None:
    """The other side of the contract: a KPI whose `kind` is refused cannot be weighed,
    and rank says it leaves it out."""
    root = _mutated(tmp_path_factory, "kpis.yaml", "  - id: mortgage-conversion\n    name: Mortgage applications "
                    "that end in a payout\n    kind: outcome\n", "  - id: mortgage-conversion\n    name: Mortgage "
                    "applications that end in a payout\n    kind: outcomes\n")
    excluded = _json(["rank", str(root)])["excluded"]["entities"]
    assert [(e["kind"], e["id"]) for e in excluded] == [("KPI", "mortgage-conversion")]
    # track reads the kind too (a realized effect counts on outcome and experience KPIs)
    assert [e["id"] for e in _json(["track", str(root)])["excluded"]["entities"]] == ["mortgage-conversion"]


def test_the_report_reads_its_lanes_as_rank_and_the_rest_as_track(tmp_path_factory) -> None:
    """Found by an analyst: with card-ces's baseline refused (`value: "about 4.6"`), `rank
    --lane steering` gave CRD-002 1,282.50 and the report 712.50: the report left the KPI
    out of every figure (each effect on it weighing as unlinked) and said its figures were
    incomplete. Its lanes are rank's and the rest track's, a portfolio with errors included."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "kpis.yaml", "baseline: {period: 2025, value: 4.6}",
                    'baseline: {period: 2025, value: "about 4.6"}')
    run = check(root, AS_OF)
    assert any(f.code == "CXP002" and "baseline" in f.message for f in run.result.findings)
    edition = build_report(run, AS_OF, None)
    for lane in edition.lanes:
        rows = _json(["rank", str(root), "--lane", lane.id])["rows"]
        assert [(r.id, r.priority) for r in lane.top] == [
            (r["id"], pytest.approx(r["priority"], abs=0.005)) for r in rows[:10]], lane.id
    steering = {r.id: r.priority for r in edition.lanes[0].top}
    assert round(steering["CRD-002"], 2) == 1282.50
    # a value no part of the report reads: no banner, the same report as the clean one's
    assert edition.excluded.honest
    result = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and result.stderr == "" and "Figures incomplete" not in result.stdout
    assert result.stdout == CliRunner().invoke(cli, ["report", str(clean), "--as-of", AS_OF.isoformat()]).stdout


def test_the_reports_target_is_tracks_beside_a_value_only_rank_reads(tmp_path_factory) -> None:
    """The other reading: an open initiative whose effort is refused is in track's forecast
    (it reads no effort) and so in the report's target, while its lanes leave it out as rank
    does; the banner says which part leaves it out. Done, its refused effort is nothing to
    the report (its lanes rank open work, and it still shares its pain point): no banner."""
    root = _mutated(tmp_path_factory, "units/digital.yaml", "    effort: 40\n    size: program\n    status: approved\n",
                    "    effort: lots\n    size: program\n    status: approved\n")
    run = check(root, AS_OF)
    tracked = _json(["track", str(root)])
    edition = build_report(run, AS_OF, None)
    s = edition.tracking.target
    assert (s.done, round(s.forecast, 4), s.status) == (tracked["done"], tracked["forecast"], tracked["status"])
    assert sum(lane.done_in_year for lane in edition.lanes) == tracked["done"]
    assert {k.id: k.rows for k in edition.kpis if k.rows} == {
        k["id"]: tuple((m["period"], m["value"], tuple(m["reasons"])) for m in k["measurements"])
        for k in tracked["kpis"] if k["measurements"]}
    (left,) = [e for e in edition.excluded.left_out]
    assert left.where.startswith("from the lanes only")
    result = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat()])
    assert f"; the lanes leave out 1 initiative ({left.id});" in result.stderr
    assert f"; the lanes leave out 1 initiative ({left.id}) (see" in result.stdout.split("\n## ", 2)[0]
    assert f"initiative {left.id} (units/digital.yaml): a value refused, from the lanes only" in result.stdout
    clean = copy_of_example(tmp_path_factory, "clean")
    done = _mutated(tmp_path_factory, "units/digital.yaml", "    effort: 12\n    size: project\n    status: done\n",
                    "    effort: lots\n    size: project\n    status: done\n")
    assert build_report(check(done, AS_OF), AS_OF, None).excluded.honest
    result = CliRunner().invoke(cli, ["report", str(done), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == CliRunner().invoke(cli, ["report", str(clean), "--as-of", AS_OF.isoformat()]).stdout


def test_a_refused_value_the_report_only_shows_is_absent_and_counted(tmp_path_factory) -> None:
    """A KPI's target is read by neither rank nor track, but the report shows it: refused,
    the KPI keeps its trend and reasons (track's), its card has no target, and the banner
    counts the error without leaving anything out."""
    root = _mutated(tmp_path_factory, "kpis.yaml", "target: {period: 2026, value: 40}",
                    'target: {period: 2026, value: "40%"}')
    run = check(root, AS_OF)
    edition = build_report(run, AS_OF, None)
    card = next(k for k in edition.kpis if k.id == "mortgage-conversion")
    assert card.target is None and card.rows and card.reasons
    assert edition.excluded.errors == 1 and not edition.excluded.left_out
    result = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0
    assert "the figures leave out no entity, but may be wrong where the errors are" in result.stderr
    for command in ("rank", "track"):  # neither reads it: no note
        assert _json([command, str(root)])["excluded"] == {"errors": 0, "unreadable": [], "entities": []}


def test_done_work_without_a_completed_date_is_named_as_left_out(tmp_path_factory) -> None:
    """Found by a steering group's tester: RET-002 done with no `completed:` (CXP105) was
    counted in no year while track's note said the figures left out no entity. Track and
    the report name it; rank, which never reads `completed`, does not."""
    root = _mutated(tmp_path_factory, "units/retail.yaml", "    status: done\n    completed: 2026-02-20\n",
                    "    status: done\n")
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    assert "the figures leave out 1 initiative (RET-002)" in result.stderr
    document = json.loads(CliRunner().invoke(cli, ["track", str(root), "--as-of", AS_OF.isoformat(),
                                                   "--format", "json"]).stdout)
    assert document["excluded"]["entities"] == [
        {"kind": "initiative", "id": "RET-002", "file": "units/retail.yaml",
         "why": "done without a `completed:` date"}]
    # rank reads no completion date: nothing left out, no error its figures rest on
    assert _json(["rank", str(root), "--all"])["excluded"] == {"errors": 0, "unreadable": [], "entities": []}
    report = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat(), "--format", "markdown"])
    assert "- initiative RET-002 (units/retail.yaml): done without a `completed:` date" in report.stdout


_ADV_001 = "    addresses: [PP-estimate-unclear]\n    effects:\n      - {kpi: adviser-customer-time, change: 2, confidence: 0.6}\n    effort: 8\n    size: quick_win\n    status: approved\n"


@pytest.mark.parametrize(("old", "new", "shown"), [
    ("    owner: arbeidsavklaringspenger\n", "    owner: [arbeidsavklaringspenger]\n",
     {"name": "Få arbeidsavklaringspenger", "owner": ""}),
    ("    name: Få arbeidsavklaringspenger\n", "    name:\n", {"name": "", "owner": "arbeidsavklaringspenger"})],
    ids=["owner", "name"])
def test_a_journeys_refused_name_or_owner_moves_no_score(tmp_path_factory, old: str, new: str, shown: dict) -> None:
    """Found by mutation: aap-soknad's `owner: [arbeidsavklaringspenger]` (or `name:` left
    empty, a CXP002) left the journey out of rank, so AAP-001, on its one pain point, went
    from 6,350 to 0 and out of the top five: rank values a journey by its volume and
    stages, and shows its name and owner only in `rank --by journey`, absent where refused
    (counted among the errors, as the report shows what it does not read)."""
    clean = copy_of_example(tmp_path_factory, "clean", "welfare-agency")
    root = copy_of_example(tmp_path_factory, "journey", "welfare-agency")
    path = root / "journeys.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert [f.code for f in check(root, AS_OF).result.findings if f.code == "CXP002"] == ["CXP002"]
    before = _json(["rank", str(clean), "--all"])
    after = _json(["rank", str(root), "--all"])
    assert after["rows"] == before["rows"]
    assert after["excluded"] == {"errors": 1, "unreadable": [], "entities": []}
    journeys = {row["id"]: row for row in _json(["rank", str(root), "--by", "journey"])["journeys"]}
    assert {key: journeys["aap-soknad"][key] for key in shown} == shown
    assert journeys["aap-soknad"]["total_value"] == 21168.0



_APPLY = "{id: apply, name: Apply online or with an adviser, completion: 0.70}"


@pytest.mark.parametrize(("new", "said", "errors"), [
    ("{id: apply, name: [Apply online], completion: 0.70}",
     "9:27: CXP002 stages[1].name must be text, got a list (journey mortgage)", 0),
    ("{id: apply, completion: 0.70}", "9:9: CXP002 stages[1] is missing required field 'name' (journey mortgage)", 0),
    ("{id: apply, nmae: Apply online, completion: 0.70}",
     "9:21: CXP002 unknown field 'nmae' in stages[1] (journey mortgage); stages[1] is missing required field 'name'", 0),
    # the reader's CXP003 is about no entity: the figures' note counts it (they are right)
    ("{id: apply, name: Apply online, name: Apply, completion: 0.70}",
     "9:41: CXP003 key 'name' is repeated; YAML would silently keep only the last value", 1),
    # a key like the name beside it: which text is the name is not known, as when written twice
    ("{id: apply, nmae: Apply, name: Apply online, completion: 0.70}",
     "9:21: CXP002 unknown field 'nmae' in stages[1] (journey mortgage)", 0),
], ids=["list", "missing", "misspelt", "twice", "misspelt-beside"])
def test_a_stages_refused_name_leaves_its_journey_in_every_figure(tmp_path_factory, new: str, said: str,
                                                                   errors: int) -> None:
    """Issue 14: mortgage's apply stage written `name: [Apply online]` (a CXP002) refused
    the whole stage, and with it the journey's stages, so rank left the journey out: every
    initiative on a mortgage pain point valued 0 and `rests-on-refused`, though no figure
    reads a stage's name. The stage stays with its id and completion: rank and track give
    the clean run's figures, and the report maps the stage by its id, counting the error.
    So with its name misspelt (`nmae:`) or written twice, which still took it out after."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "journeys.yaml", _APPLY, new)
    run = check(root, AS_OF)
    assert [f"{f.location.line}:{f.location.column}: {f.code} {f.message}" for f in run.result.findings
            if f.code in ("CXP002", "CXP003")] == [said]
    for command in (["rank", "--all"], ["rank", "--by", "journey"], ["track"]):
        before, after = _json([command[0], str(clean), *command[1:]]), _json([command[0], str(root), *command[1:]])
        # no note for a CXP002: the one error is a value the command never reads
        assert after.pop("excluded") == {"errors": errors, "unreadable": [], "entities": []}
        before.pop("excluded")
        assert after == before, command
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0 and (result.stderr == "") is (errors == 0)
    edition, whole = build_report(run, AS_OF, None), build_report(check(clean, AS_OF), AS_OF, None)
    mortgage, was = (next(j for j in e.journeys if j.id == "mortgage") for e in (edition, whole))
    assert mortgage.stage_ids == was.stage_ids == ("explore", "apply", "decision", "sign", "payout")
    assert mortgage.pains_by_stage == was.pains_by_stage and mortgage.cells == was.cells
    # the name is not known: the stage is shown by its id, never by a name it was not given
    assert mortgage.stages[1] == "apply" and was.stages[1] == "Apply online or with an adviser"
    assert mortgage.stages[:1] + mortgage.stages[2:] == was.stages[:1] + was.stages[2:]
    assert [lane.top for lane in edition.lanes] == [lane.top for lane in whole.lanes]
    assert edition.excluded.errors == 1 and not edition.excluded.left_out


def test_a_stages_refused_completion_still_leaves_its_journey_out(tmp_path_factory) -> None:
    """The other side of issue 14: a refused completion is one rank reads (never counted at
    the default 1.0): the stage is refused whole, and the journey is left out as before."""
    root = _mutated(tmp_path_factory, "journeys.yaml", _APPLY,
                    "{id: apply, name: Apply online or with an adviser, completion: high}")
    excluded = _json(["rank", str(root)])["excluded"]["entities"]
    assert [(e["kind"], e["id"], e["why"]) for e in excluded] == [("journey", "mortgage", "a value refused")]
    # a name refused beside it changes nothing of that
    root = _mutated(tmp_path_factory, "journeys.yaml", _APPLY, "{id: apply, name: [Apply], completion: high}")
    assert [e["id"] for e in _json(["rank", str(root)])["excluded"]["entities"]] == ["mortgage"]


@pytest.mark.parametrize("old, new", [
    ("status: approved\n", 'status: "zzz"\n'),
    ("addresses: [PP-estimate-unclear]", "addresses: [PP-estimate-unclear, 3]"),
    ("confidence: 0.6}", 'confidence: "zzz"}'),
    ("- {kpi: adviser-customer-time, change: 2, confidence: 0.6}\n", "- lots\n"),
], ids=["status", "addresses", "confidence", "effect"])
def test_a_sharers_refused_value_marks_the_others_figures_instead_of_moving_them(
        tmp_path_factory, old: str, new: str) -> None:
    """Found by a hunter: ADV-001's `status: "zzz"` (or a refused effect or `addresses`
    item) dropped it out of sharing PP-estimate-unclear, and CS-003's impact jumped from
    3,508 to 5,084, DIG-012's from 4,491 to 6,508, with nothing said. The others' figures
    rest on the refused value: a refused status or `addresses` item leaves what is known
    of the sharer sharing (their figures as before); a refused effect leaves its weight
    unknown. Either way their rows say so, and no figure elsewhere moves."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/advisory.yaml", _ADV_001, _ADV_001.replace(old, new))
    before = {row["id"]: row for row in _json(["rank", str(clean), "--all"])["rows"]}
    document = _json(["rank", str(root), "--all"])
    assert [e["id"] for e in document["excluded"]["entities"]] == ["ADV-001"]
    rows = {row["id"]: row for row in document["rows"]}
    marked = {ident for ident, row in rows.items() if "rests-on-refused" in row["flags"]}
    assert marked == {"CS-003", "DIG-012", "ADV-008"}
    for ident, row in rows.items():
        if ident not in marked:
            assert row == {**before[ident], "rank": row["rank"]}, ident
        elif old.startswith(("status", "addresses")):  # what is known of ADV-001 shares as before
            assert row["impact"] == before[ident]["impact"], ident
    explained = CliRunner().invoke(cli, ["rank", str(root), "--explain", "CS-003", "--as-of", AS_OF.isoformat()])
    assert ("(rests on a status, effect or addresses of ADV-001 refused or naming nothing, or on their effect on a KPI"
            " whose weight is not known: fix it to know the figure)") in explained.stdout


def test_a_sharers_effect_on_an_unknown_kpi_marks_the_others_figures_instead_of_moving_them(tmp_path_factory) -> None:
    """Found by a hunter: ADV-001's effect misspelt `kpi: adviser-custmer-time` (a
    CXP102) weighed nothing, so ADV-001 fell to the weight of stating no effect and
    CS-003, DIG-012 and ADV-008, sharing PP-estimate-unclear with it, took more of its
    value (CS-003: 3,508 to 3,934) with nothing said, where a refused effect marks
    them `rests-on-refused`. An effect rank cannot weigh leaves the sharer's weight as
    unknown as a refused one does."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/advisory.yaml", _ADV_001,
                    _ADV_001.replace("kpi: adviser-customer-time", "kpi: adviser-custmer-time"))
    assert [f.code for f in check(root, AS_OF).result.findings if f.code in ("CXP002", "CXP102")] == ["CXP102"]
    before = {row["id"]: row for row in _json(["rank", str(clean), "--all"])["rows"]}
    rows = {row["id"]: row for row in _json(["rank", str(root), "--all"])["rows"]}
    marked = {ident for ident, row in rows.items() if "rests-on-refused" in row["flags"]}
    assert marked == {"CS-003", "DIG-012", "ADV-008", "ADV-001"}  # ADV-001's own weight is not known either
    for ident, row in rows.items():
        if ident not in marked:
            assert row == {**before[ident], "rank": row["rank"]}, ident
    explained = CliRunner().invoke(cli, ["rank", str(root), "--explain", "CS-003", "--as-of", AS_OF.isoformat()])
    assert "(rests on a status, effect or addresses of ADV-001 refused or naming nothing" in explained.stdout


def test_work_on_a_kpi_driving_one_left_out_marks_the_others_figures_instead_of_moving_them(tmp_path_factory) -> None:
    """Found by mutation: nps-mortgage's `kind: feeling` (a CXP002) leaves the KPI out of
    rank, and with it the weight it lent adviser-customer-time, which drives it (driver
    graph): HR-003's effect on adviser-customer-time fell from 0.6 to 0.5, and ADV-004,
    sharing PP-jargon with HR-003, went 8,640 to 9,320 with nothing said. A KPI driving
    one rank cannot weigh has no known weight either, so work on it marks the others as
    an effect on a KPI left out does."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "kpis.yaml", "  - id: nps-mortgage\n    name: NPS, mortgage customers\n    kind: experience\n",
                    "  - id: nps-mortgage\n    name: NPS, mortgage customers\n    kind: feeling\n")
    assert [f.code for f in check(root, AS_OF).result.findings if f.code in ("CXP002", "CXP102")] == ["CXP002"]
    before = {row["id"]: row for row in _json(["rank", str(clean), "--all"])["rows"]}
    rows = {row["id"]: row for row in _json(["rank", str(root), "--all"])["rows"]}
    assert "rests-on-refused" in rows["ADV-004"]["flags"] and rows["ADV-004"]["impact"] != before["ADV-004"]["impact"]
    # what moved is marked, the work whose own effect is on the KPI left out or one driving it too
    for ident, row in rows.items():
        if "rests-on-refused" not in row["flags"]:
            assert row == {**before[ident], "rank": row["rank"]}, ident
    explained = CliRunner().invoke(cli, ["rank", str(root), "--explain", "ADV-004", "--as-of", AS_OF.isoformat()])
    # HR-003's effect is neither refused nor naming nothing (found by a newcomer, who went
    # looking for one): its KPI's weight is what is not known
    assert ("(rests on a status, effect or addresses of HR-003 refused or naming nothing, or on their effect on a KPI"
            " whose weight is not known: fix it to know the figure)") in explained.stdout


@pytest.mark.parametrize("kpi_line, refused", [("    kind: experience\n", "    kind: feeling\n"),
                                                ("    direction: increase\n", "    direction: up\n")])
def test_work_whose_own_effect_is_on_a_kpi_left_out_is_marked_in_every_format(tmp_path_factory, kpi_line: str,
                                                                              refused: str) -> None:
    """Found by a user: nps-mortgage's kind or direction refused (a CXP002) left the KPI
    out of rank, and RET-004, whose one effect is on it, went 1,544 to 603 (the weight of
    stating no effect) in a row that said nothing: only --explain's "no effect counts"
    and stderr's note naming the KPI. Its own weight is as unknown as a sharer's, so its
    row is flagged `rests-on-refused` in every format, and --explain says why."""
    head = "  - id: nps-mortgage\n    name: NPS, mortgage customers\n    kind: experience\n    direction: increase\n"
    root = _mutated(tmp_path_factory, "kpis.yaml", head, head.replace(kpi_line, refused))
    assert [f.code for f in check(root, AS_OF).result.findings if f.code in ("CXP002", "CXP102")] == ["CXP002"]
    rows = {row["id"]: row for row in _json(["rank", str(root), "--all"])["rows"]}
    assert rows["RET-004"]["impact"] < 1000 and "rests-on-refused" in rows["RET-004"]["flags"]
    runner, args = CliRunner(), ["rank", str(root), "--all", "--as-of", AS_OF.isoformat()]
    for fmt in ("text", "markdown", "csv"):
        line = next(x for x in runner.invoke(cli, [*args, "--format", fmt]).stdout.splitlines() if "RET-004" in x)
        assert "rests-on-refused" in line, fmt
    explained = runner.invoke(cli, ["rank", str(root), "--explain", "RET-004", "--as-of", AS_OF.isoformat()]).stdout
    assert "nps-mortgage: not weighed" in explained
    assert "(rests on its effect on nps-mortgage, whose weight is not known" in explained
    as_json = json.loads(runner.invoke(cli, ["rank", str(root), "--explain", "RET-004", "--format", "json",
                                             "--as-of", AS_OF.isoformat()]).stdout)
    assert as_json["unweighed_kpis"] == ["nps-mortgage"]


def test_explain_marks_an_effect_weighed_on_a_weight_that_is_not_known(tmp_path_factory) -> None:
    """Found hunting: with nps `drives: [retention-12n]` (a CXP102), --explain RET-001
    listed "nps-mortgage (experience): weight 0.8 × confidence 0.5" as a known term while
    its impact line said nps-mortgage's weight is not known (it drives nps, which drives
    the misspelt KPI): the term says so where it stands."""
    root = _mutated(tmp_path_factory, "kpis.yaml", "    drives: [retention-12m]\n", "    drives: [retention-12n]\n")
    explained = CliRunner().invoke(cli, ["rank", str(root), "--explain", "RET-001", "--as-of", AS_OF.isoformat()]).stdout
    terms = {line.split(":")[0].strip(): line for line in explained.splitlines() if "× confidence" in line}
    assert terms["nps-mortgage (experience)"].endswith(
        "= 0.4  [its weight is not known: it drives a KPI rank cannot weigh, directly or through others]"), explained
    assert terms["decision-visibility (experience)"].endswith("= 0.525  [best]"), explained


@pytest.mark.parametrize("file, old, new", [
    ("pain_points.yaml", "    stage: decision\n", "    stage: decison\n"),
    ("journeys.yaml", "{id: decision, name: Get a decision", "{id: apply, name: Get a decision"),
    ("pain_points.yaml", "    journey: mortgage\n    stage: decision\n", "    journey: mortgag\n    stage: decision\n"),
], ids=["misspelt-stage", "stage-renamed-to-a-taken-id", "misspelt-journey"])
def test_a_pain_point_off_its_journeys_stages_is_named_as_left_out(tmp_path_factory, file: str, old: str,
                                                                   new: str) -> None:
    """Found by a hunter: PP-black-hole's `stage: decison` (a CXP103), mortgage's
    `decision` stage renamed `apply` by mistake (a CXP101), or `journey: mortgag` (a
    CXP102), left PP-black-hole worth
    nothing in rank: DIG-007, CS-002 and ADV-006 went to an impact of 0 and mortgage lost
    12,630 of its value, with the pain point named nowhere in what the figures leave out
    — as it is when its stage is refused (`stage: 5`). Track reads no stage: it leaves
    nothing out for one; a journey not known it names too (it counted done work on
    `mortgag` as a journey of its own, and counts it on none now)."""
    root = _mutated(tmp_path_factory, file, old, new)
    said = {"kind": "pain point", "id": "PP-black-hole", "file": "pain_points.yaml",
            "why": "a journey that is not known" if "mortgag\n" in new else "a stage its journey does not have"}
    for command in (["rank", "--all"], ["rank", "--by", "journey"]):
        assert _json([command[0], str(root), *command[1:]])["excluded"]["entities"] == [said], command
    assert _json(["track", str(root)])["excluded"]["entities"] == ([said] if "mortgag\n" in new else [])
    note = CliRunner().invoke(cli, ["rank", str(root), "--as-of", AS_OF.isoformat()]).stderr
    assert "the figures leave out 1 pain point (PP-black-hole)" in note


def test_a_sharers_misspelt_link_marks_the_others_figures_instead_of_moving_them(tmp_path_factory) -> None:
    """Found by a hunter: DIG-007's `addresses: [PP-blak-hole]` (a CXP102) took it out of
    sharing PP-black-hole, and ADV-006, CS-002, HR-002, IT-003, RET-001 and RET-009 rose by
    a fifth with nothing said. A link naming no pain point may mean those most alike it,
    as CXP502 reads it: rows sharing those rest on it, and say so; none elsewhere moves."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/digital.yaml", "[PP-black-hole]", "[PP-blak-hole]")
    before = {row["id"]: row for row in _json(["rank", str(clean), "--all"])["rows"]}
    rows = {row["id"]: row for row in _json(["rank", str(root), "--all"])["rows"]}
    moved = {ident for ident, row in rows.items() if row["impact"] != before[ident]["impact"]} - {"DIG-007"}
    marked = {ident for ident, row in rows.items() if "rests-on-refused" in row["flags"]}
    assert moved and moved == marked - {"DIG-007"}
    assert "rests-on-refused" in rows["DIG-007"]["flags"]  # its own link names nothing: its own share not known
    explained = CliRunner().invoke(cli, ["rank", str(root), "--explain", "CS-002", "--as-of", AS_OF.isoformat()])
    assert "naming nothing" in explained.stdout and "DIG-007" in explained.stdout
    # `--by journey`: approved work's misspelt link leaves the pain point counted open, flagged
    root = _mutated(tmp_path_factory, "units/digital.yaml", "[PP-signing-paper]", "[PP-signing-papr]")
    journeys = {row["id"]: row for row in _json(["rank", str(root), "--by", "journey"])["journeys"]}
    clean_journeys = {row["id"]: row for row in _json(["rank", str(clean), "--by", "journey"])["journeys"]}
    assert journeys["mortgage"]["unaddressed"] == clean_journeys["mortgage"]["unaddressed"] + 1
    assert [ident for ident, row in journeys.items() if row["flags"]] == ["mortgage"]


def test_work_unranked_for_a_refused_effort_still_addresses_its_pain_points_by_journey(tmp_path_factory) -> None:
    """Found by a re-read: DIG-013's `effort: "zzz"` made PP-signing-paper, which only
    DIG-013 (approved) addresses, open work in `rank --by journey` (mortgage: 0 → 1 open
    pain point, 0.0 → 7,197.1 open value). The journeys' view reads no effort."""
    clean = copy_of_example(tmp_path_factory, "clean")
    root = _mutated(tmp_path_factory, "units/digital.yaml", "    effort: 16\n    size: project\n    status: approved\n",
                    '    effort: "zzz"\n    size: project\n    status: approved\n')
    before = _json(["rank", str(clean), "--by", "journey"])
    after = _json(["rank", str(root), "--by", "journey"])
    assert [e["id"] for e in after.pop("excluded")["entities"]] == ["DIG-013"]
    before.pop("excluded")
    assert after == before


@pytest.mark.parametrize("old, new, flagged", [
    ("status: approved\n", 'status: "zzz"\n', {"mortgage"}),
    ("addresses: [PP-signing-paper]\n", "addresses: PP-signing-paper\n", {"mortgage"}),
    ("addresses: [PP-signing-paper]\n", "addresses: 3\n", {"mortgage", "card-problem"}),
    ("status: approved\n", "status: idea\n", set()),
], ids=["status", "addresses", "addresses-anywhere", "idea"])
def test_work_whose_status_was_refused_marks_its_journey_as_the_initiatives_table_does(
        tmp_path_factory, old: str, new: str, flagged: set[str]) -> None:
    """Found in review: DIG-013's `status: "zzz"` made PP-signing-paper, which only
    DIG-013 (approved) addresses, unaddressed in `rank --by journey` (mortgage: 0 → 1 open
    pain point) with nothing said, where the initiatives' table flags the rows resting on
    such work `rests-on-refused`. The journey's row is flagged so too; so is every journey
    with open value while a refused `addresses` names no pain point (it may be on any)."""
    work = ("    addresses: [PP-signing-paper]\n    effects:\n      - {kpi: mortgage-conversion, change: 1.5, "
            "confidence: 0.7}\n    effort: 16\n    size: project\n    status: approved\n")
    root = _mutated(tmp_path_factory, "units/digital.yaml", work, work.replace(old, new))
    rows = _json(["rank", str(root), "--by", "journey"])["journeys"]
    assert {r["id"] for r in rows if r["flags"] == ["rests-on-refused"]} == flagged
    assert all(r["flags"] == [] for r in rows if r["id"] not in flagged)
    if flagged:
        text = CliRunner().invoke(cli, ["rank", str(root), "--by", "journey", "--as-of", AS_OF.isoformat()])
        assert [line.split()[1] for line in text.stdout.splitlines()[2:] if line.endswith("rests-on-refused")] == [
            r["id"] for r in rows if r["flags"]]


def test_the_report_note_says_the_one_part_that_leaves_work_out_in_good_grammar(tmp_path: Path) -> None:
    """Found by hand: done CS-002 with its title refused is left out by one part of the
    report alone, whose name stood for "the figures": "the decisions' order leave out 1
    initiative". Every part's name is plural, so the sentence's verb fits each."""
    from cxportfolio.analysis.report_data import report_readings

    import shutil

    from cxportfolio.engine import run_check

    root = shutil.copytree(EXAMPLES / "nordbank", tmp_path / "p")
    unit = root / "units" / "customer-service.yaml"
    text = unit.read_text(encoding="utf-8")
    title = "    title: Call mortgage applicants before they call us\n"
    unit.write_text(text.replace(title, title.replace("title: ", "title: [").rstrip("\n") + "]\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(root), "--format", "markdown", "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    note = next(line for line in result.stderr.splitlines() if "leave" in line)
    assert "the decisions' stakes leave out 1 initiative (CS-002)" in note, note
    for name, _, _ in report_readings(run_check(root, dt.date(2026, 12, 1)), dt.date(2026, 12, 1)):
        assert name.endswith("s"), f"{name!r} takes 'leave out' as a plural"


@pytest.mark.parametrize(("file", "old", "new", "kind", "ident"), [
    ("journeys.yaml", _APPLY, "{id: apply, name: Apply online or with an adviser, completion: 70%}",
     "journey", "mortgage"),
    ("pain_points.yaml", "    stage: apply\n", "    stage: aply\n", "pain point", "PP-long-application"),
], ids=["refused-completion", "unknown-stage"])
def test_the_reports_journey_maps_say_what_they_leave_out(tmp_path_factory, file: str, old: str, new: str,
                                                          kind: str, ident: str) -> None:
    """Found by a newcomer: with a stage's `completion: 80%` refused, the report's journey map
    showed the journey without that stage, its pain points and the work on them gone, while
    the report said the journey was left out "from the lanes and the decisions' stakes
    only" (a pain point on a misspelt stage, likewise: off the map, said nowhere). The maps
    read the stages and pain points' stages they place the work by: what they leave out is
    left out of them whole and said of them."""
    root = _mutated(tmp_path_factory, file, old, new)
    edition = build_report(check(root, AS_OF), AS_OF, None)
    said = [(item.kind, item.id, item.where) for item in edition.excluded.left_out]
    assert said == [(kind, ident, "from the lanes, the decisions' stakes and the journey maps only")]
    shown = {pain for j in edition.journeys for pains in j.pains_by_stage.values() for pain, *_ in pains}
    assert "PP-long-application" not in shown  # (mortgage's, on its apply stage)
    # the journey left out whole, with every pain point on it; a pain point alone, the rest shown
    assert ("mortgage" in [j.id for j in edition.journeys]) is ("PP-black-hole" in shown) is (kind != "journey")
    # track's count, which reads no stage, keeps the journey and the pain point
    assert _json(["track", str(root)])["excluded"]["entities"] == []


def test_a_report_with_no_journey_to_map_says_so(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    journeys = root / "journeys.yaml"
    journeys.write_text(journeys.read_text(encoding="utf-8").replace("completion: 0.8}", "completion: 80%}"),
                        encoding="utf-8")
    out = CliRunner().invoke(cli, ["report", str(root), "--as-of", AS_OF.isoformat(), "--out", "-"]).stdout
    assert "## Journey map\n\nNo journey is mapped: see *What the figures leave out*.\n\n## KPI" in out
    assert "- journey onboarding (journeys.yaml): a value refused, from the lanes, the decisions' stakes and " \
           "the journey maps only\n" in out
