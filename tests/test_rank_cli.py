"""`rank` end to end: golden tables in every format, explain, capacity, journeys."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import RANK_FORMATS, cli
from cxportfolio.render.rank import RANK_RENDERERS, md_escape
from cxportfolio.render.rank import columns_of as width_of

GOLDEN = Path(__file__).parent / "golden" / "ranking"
EXAMPLE = Path(__file__).resolve().parents[1] / "portfolios" / "nordbank"
ROOT = str(GOLDEN / "portfolio")
AS_OF = ["--as-of", "2026-06-30"]
EXT = {"text": "txt", "markdown": "md", "csv": "csv", "json": "json"}


def run(*args: str, columns: int = 100) -> tuple[int, str, str]:
    # Text tables fit COLUMNS (else the terminal): fixed here for the same bytes anywhere.
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(cli, ["rank", ROOT, *AS_OF, *args])
    return result.exit_code, result.stdout, result.stderr


def test_rank_formats_are_the_renderers() -> None:
    assert set(RANK_FORMATS) == set(RANK_RENDERERS) == set(EXT)


@pytest.mark.parametrize("fmt", sorted(EXT))
@pytest.mark.parametrize("variant", [[], ["--all"], ["--capacity", "30"]], ids=["open", "all", "capacity"])
def test_rank_output_matches_golden(fmt: str, variant: list[str], request: pytest.FixtureRequest) -> None:
    code, out, err = run("--format", fmt, *variant)
    assert code == 0, err
    name = "_".join(["rank", *[v.strip("-") for v in variant]]) + "." + EXT[fmt]
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_open_initiatives_by_default_and_filters() -> None:
    rows = json.loads(run("--format", "json")[1])["rows"]
    assert [r["id"] for r in rows] == ["DIG-2", "RET-2", "RET-1", "DIG-1", "DIG-3"]
    assert all(r["status"] not in ("done", "dropped") for r in rows)
    only = json.loads(run("--format", "json", "--unit", "retail", "--top", "1")[1])["rows"]
    assert [(r["rank"], r["id"]) for r in only] == [(1, "RET-2")]
    cards = json.loads(run("--format", "json", "--journey", "cards")[1])["rows"]
    assert {r["id"] for r in cards} == {"DIG-2", "DIG-3"}


def test_capacity_selection_includes_dependencies_and_fits() -> None:
    document = json.loads(run("--format", "json", "--capacity", "30")[1])
    selected = {r["id"] for r in document["rows"] if r["selected"]}
    assert "DIG-2" not in selected or "DIG-3" in selected
    efforts = {r["id"]: r["effort"] for r in document["rows"]}
    assert sum(efforts[i] for i in selected) <= 30
    assert document["selection"]["method"] == "optimal"  # DIG-2 depends on open DIG-3: solved exactly too


def test_explain_shows_every_term() -> None:
    code, out, _ = run("--explain", "RET-1")
    assert code == 0
    for term in ("customers at stage = volume 42000 × upstream completion 0.56 = 23520.0",
                 "severity 4 weight 0.8", "share = value", "nps-mortgage (experience): weight 0.8",
                 "effort = 8 person-weeks", "priority = impact / effort"):
        assert term in out, term


def test_explain_shows_the_downstream_weight_as_every_other_term(tmp_path: Path) -> None:
    """A newcomer: `downstream = weight × (1 − completion 0.9) …` gave every factor's value
    but the weight's (scoring's `downstream_weight`, 1 unless set)."""
    code, out, _ = run("--explain", "RET-1")
    assert code == 0 and "    downstream = weight 1 × (1 − completion " in out
    root = tmp_path / "portfolio"
    shutil.copytree(GOLDEN / "portfolio", root)
    with (root / "cxportfolio.yaml").open("a", encoding="utf-8") as config:
        config.write("scoring: {downstream_weight: 2.5}\n")
    result = CliRunner().invoke(cli, ["rank", str(root), *AS_OF, "--explain", "RET-1"])
    assert result.exit_code == 0, result.stderr
    assert "    downstream = weight 2.5 × (1 − completion " in result.stdout


def test_explain_says_when_the_unlinked_weight_is_the_floor(tmp_path) -> None:
    from click.testing import CliRunner

    from cxportfolio.cli import cli

    nordbank = Path(__file__).resolve().parent.parent / "portfolios" / "nordbank"
    out = CliRunner().invoke(cli, ["rank", str(nordbank), "--as-of", "2026-06-30", "--explain", "DIG-018"]).stdout
    assert ("  nps (experience): weight 0.8 × confidence 0.3 = 0.24  [best]\n"
            "  the best is below the unlinked weight: unlinked weight 0.25\n"
            "  outcome weight = 0.25\n") in out


def test_explain_unknown_id_is_a_one_line_usage_error() -> None:
    code, _, err = run("--explain", "RET-11")
    assert code == 2 and err == "cxportfolio: no initiative 'RET-11'; did you mean 'RET-1'?\n"
    # several equally alike: named as such, none picked
    code, _, err = run("--explain", "RET-9")
    assert code == 2 and err == ("cxportfolio: no initiative 'RET-9'; did you mean one of 'RET-1', 'RET-2', "
                                 "'RET-3'? (3 are equally alike)\n")
    # nothing alike enough: the nearest ids still, as --unit gives them (found by a newcomer)
    code, _, err = run("--explain", "NOPE-77")
    assert code == 2 and err.startswith("cxportfolio: no initiative 'NOPE-77'; nearest: ")


def test_journeys_by_unaddressed_value() -> None:
    rows = json.loads(run("--by", "journey", "--format", "json")[1])["journeys"]
    # nothing unaddressed in either: the larger journey first (was by id, found by a newcomer:
    # nordbank's mortgage, onboarding, pension, whose totals are 60k, 46k, 58k)
    assert [(r["id"], r["unaddressed_value"]) for r in rows] == [("mortgage", 0), ("cards", 0)]
    assert rows[0]["total_value"] > rows[1]["total_value"]
    assert all(r["unaddressed_value"] <= r["total_value"] for r in rows)


def test_markdown_cells_cannot_break_the_table_or_inject_html() -> None:
    assert md_escape("a | b <script>x</script>\nnext") == "a \\| b &lt;script&gt;x&lt;/script&gt; next"
    out = run("--format", "markdown")[1]
    assert "<b>" not in out and "Status tracker &lt;b&gt;now&lt;/b&gt; \\| with pipes" in out


TITLES = ["Block the card in the app, day and night", "Shorter application form",
          "Status tracker <b>now</b> | with pipes", "Application status tracker in the app",
          "Card API upgrade"]


def widest(out: str) -> int:
    return max(map(len, out.splitlines()))


@pytest.mark.parametrize("columns", [60, 80, 100, 110])
def test_text_table_fits_the_width_shortening_titles(columns: int) -> None:
    full, narrowest = widest(run("--all", columns=500)[1]), widest(run("--all", columns=1)[1])
    assert narrowest < 110 < full  # the case: a table wider than the terminal, that can fit
    out = run("--all", columns=columns)[1]
    # Exactly the width where it can fit; below the narrowest (titles of 12 characters), it runs over.
    assert widest(out) == max(columns, narrowest)
    assert "…" in out and not any(title in out for title in TITLES if len(title) > 24)
    assert "Old letter" in out  # a short title stays whole


def test_wide_terminal_shows_whole_titles_and_other_formats_never_truncate() -> None:
    wide = run("--all", columns=200)[1]
    assert "…" not in wide and all(title in wide for title in TITLES)
    for fmt in ("markdown", "csv", "json"):
        out = run("--all", "--format", fmt, columns=40)[1]
        assert "…" not in out and "Block the card in the app, day and night" in out, fmt


def test_number_columns_are_right_aligned() -> None:
    lines = run("--all", columns=200)[1].splitlines()
    header, rows = lines[0], lines[2:]
    for column in ("rank", "impact", "effort", "priority"):
        end = header.index(column) + len(column)
        # every value ends where its header ends, and is a number
        assert all(row[end - 1] != " " and row[end] == " " for row in rows), column
        # (an effort none states reads "8 (assumed)")
        assert all(row[:end].replace(" (assumed)", "").split()[-1].replace(".", "").isdigit() for row in rows), column
    markdown = run("--all", "--format", "markdown")[1].splitlines()[1]
    assert markdown.split("|")[1].endswith(":") and markdown.split("|")[2].startswith(":")


def test_journey_table_fits_and_aligns_too() -> None:
    out = run("--by", "journey", columns=60)[1]
    assert widest(out) < widest(run("--by", "journey", columns=500)[1]) and "…" in out
    header, first = out.splitlines()[0], out.splitlines()[2]
    end = header.index("total value") + len("total value")
    assert len(first) == end and first[end - 1].isdigit()


def test_piped_without_columns_keeps_whole_titles() -> None:
    # A CI log or `| grep`: no terminal, no COLUMNS, so no width to fit and nothing cut.
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run([sys.executable, "-m", "cxportfolio", "rank", ROOT, *AS_OF, "--all"],
                          capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout and "Block the card in the app, day and night" in done.stdout


def test_rank_and_track_json_say_what_the_figures_leave_out(tmp_path: Path) -> None:
    """The note on stderr says what the figures leave out; a JSON reader (a dashboard, a
    CI step) does not see it, so the JSON says it too (`excluded`)."""
    import shutil

    root = tmp_path / "nordbank"
    shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", root)
    unit = root / "units" / "digital.yaml"
    text = unit.read_text(encoding="utf-8").replace("effort: 8\n", 'effort: "lots"\n', 1)
    unit.write_text(text.replace("planned: 2026-Q3\n", "planned: Q3\n", 1), encoding="utf-8")
    refused = {"rank": {"DIG-007"}, "track": {"DIG-019"}}  # rank reads the effort, track the plan
    for command in ("rank", "track"):
        result = CliRunner().invoke(cli, [command, str(root), *AS_OF, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        excluded = json.loads(result.stdout)["excluded"]
        assert {e["id"] for e in excluded["entities"]} == refused[command]
        assert {"kind": "initiative", "id": min(refused[command]), "file": "units/digital.yaml",
                "why": "a value refused"} in excluded["entities"]
        # each command's figures rest on the one refused value it reads (the other it never reads)
        assert excluded["errors"] == 1 and excluded["unreadable"] == []
        assert min(refused[command]) in result.stderr  # the note, as before
    clean = json.loads(CliRunner().invoke(cli, ["rank", ROOT, *AS_OF, "--format", "json"]).stdout)
    assert clean["excluded"] == {"errors": 0, "unreadable": [], "entities": []}


def test_the_table_says_no_row_is_flagged_duplicate_while_a_file_cannot_be_read(tmp_path: Path) -> None:
    """Found by a tester: with units/cards.yaml unparsable, CXP201 reports nothing, and the
    table showed CS-003, ADV-001 and DIG-012 (duplicates of one another, in other files)
    without their `duplicate` flag, as if none were a duplicate; the stderr note said only
    that the figures leave out what the file defines."""
    root = tmp_path / "nordbank"
    shutil.copytree(EXAMPLE, root)

    def rank(fmt: str) -> tuple[str, str]:
        result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--format", fmt])
        assert result.exit_code == 0, result.output
        return result.stdout, result.stderr

    said = ("Duplicated work (CXP201) is not checked while units/cards.yaml cannot be read: no row is flagged "
            "duplicate until it can be.")
    rows = {row["id"]: row["flags"] for row in json.loads(rank("json")[0])["rows"]}
    assert "duplicate" in rows["CS-003"] and "duplicates_unchecked" not in json.loads(rank("json")[0])
    assert said not in rank("text")[0] and "CXP201" not in rank("csv")[1]
    cards = root / "units" / "cards.yaml"
    text = cards.read_text(encoding="utf-8")
    cards.write_text(text.replace("    title: Freeze the card", '    title: "Freeze the card', 1), encoding="utf-8")
    document = json.loads(rank("json")[0])
    assert not any("duplicate" in row["flags"] for row in document["rows"])
    assert document["duplicates_unchecked"] == ["units/cards.yaml"]
    assert said in rank("text")[0] and said in rank("markdown")[0]
    assert "note: d" + said[1:] in rank("csv")[1]


@pytest.mark.parametrize("args, refused", [
    (["--capacity", "20", "--lane", "quick-win"], "--lane cannot be combined with --capacity"),
    (["--capacity", "30", "--unit", "cards"], "--unit cannot be combined with --capacity"),
    (["--plan", "--status", "idea"], "--status cannot be combined with --plan"),
    (["--explain", "DIG-007", "--format", "csv"], "--format csv cannot be combined with --explain"),
    (["--explain", "DIG-007", "--capacity", "20"], "--capacity cannot be combined with --explain"),
    (["--explain", "DIG-007", "--unit", "cards"], "--unit cannot be combined with --explain"),  # review
    (["--capacity", "20", "--top", "3"], "--top cannot be combined with --capacity"),  # a part of the plan shown
    (["--capacity", "nan"], "'nan' is not a finite number"),
    (["--capacity", "inf"], "'inf' is not a finite number"),
    # a Swedish region's CX lead: "is not a valid number", without the hint a file gets
    (["--capacity", "100,5"], "'100,5' is not a valid number; write decimals with a point: 100.5"),
    (["--capacity", "100 000"], "write the number without thousands separators (or with _): 100000"),
    # Python would read 1.000 as 1, where a Norwegian or a Dane means 1000
    (["--capacity", "1.000"], "a dot before three digits may separate thousands or decimals: write 1000 or 1"),
    (["--no-unit-capacity"], "--no-unit-capacity needs --capacity N"),
    # found by a tester: "write the number without units: 0"
    (["--capacity", "0x10"], "'0x10' is not a valid number; write the number in decimal: 16"),
    (["--top", "0x10"], "'0x10' is not a valid whole number; write the number in decimal: 16"),
    (["--capacity", "0o17"], "write the number in decimal: 15"),
    (["--capacity", "0b101"], "write the number in decimal: 5"),
])
def test_options_that_would_be_ignored_or_crash_are_one_line_before_the_portfolio_is_read(
        args: list[str], refused: str) -> None:
    """Found by a newcomer preparing steering-group material: the plan was chosen among
    all open initiatives while --lane/--unit/--status showed a part of them (a 14-week
    project funded, unseen, in a "quick-win" plan), --explain printed text for --format
    csv, --capacity nan was an internal error and inf was taken, and some usage errors
    came after the portfolio's note (two lines)."""
    result = CliRunner().invoke(cli, ["rank", str(EXAMPLE), "--as-of", "2026-06-30", *args])
    assert result.exit_code == 2 and refused in result.stderr and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize("written", ["2026-W26-2", "20260630", "2026-6-30"])
def test_as_of_is_read_as_yyyy_mm_dd_on_every_python(written: str) -> None:
    """Python 3.11's date.fromisoformat took 20260630 and 2026-W26-2 (3.10 refused them):
    one date is read one way on every supported Python."""
    result = CliRunner().invoke(cli, ["track", str(EXAMPLE), "--as-of", written])
    assert result.exit_code == 2 and "is not a date written YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize("args", [["--explain", "DIG-007"], ["--by", "journey"], ["--by", "cluster"], []])
def test_every_json_of_rank_says_what_the_figures_leave_out(args: list[str]) -> None:
    """Found by a newcomer: docs/tracking.md says rank's JSON has `excluded`, always, but
    --explain, --by journey and --by cluster had none (a dashboard reading them could not
    tell that errors may make its figures wrong). (The example's 11 errors at 2026-06-30
    are completion dates after it, which the figures count as work in progress then: none
    the figures rest on.)"""
    result = CliRunner().invoke(cli, ["rank", str(EXAMPLE), "--as-of", "2026-06-30", "--format", "json", *args])
    assert json.loads(result.stdout)["excluded"] == {"errors": 0, "unreadable": [], "entities": []}


def test_completion_dates_after_as_of_make_no_figure_incomplete(tmp_path: Path) -> None:
    """Found by a newcomer: `report --period 2026-Q3 --as-of 2026-09-30` carried a banner
    "Figures incomplete: 3 errors" for work completed after 30 September (CXP105), which
    its figures count right, as in progress then; `track` said so on stderr, and --strict
    refused. Another error is still said."""
    for command in (["track"], ["rank"], ["report", "--period", "2026-Q3"]):
        result = CliRunner().invoke(cli, [*command, str(EXAMPLE), "--as-of", "2026-09-30", "--strict"])
        assert result.exit_code == 0 and result.stderr == "" and "Figures incomplete" not in result.stdout, command
    import shutil

    root = tmp_path / "nordbank"
    shutil.copytree(EXAMPLE, root)
    unit = root / "units" / "digital.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("addresses: [PP-black-hole]", "addresses: [PP-blackhole]", 1),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["track", str(root), "--as-of", "2026-09-30"])
    assert "the portfolio has 4 errors (1 that these figures may rest on);" in result.stderr  # 3 CXP105 beside


def test_the_plan_does_not_fund_again_work_done_already(tmp_path: Path) -> None:
    """Found by a newcomer: with DIG-014 done, `rank --capacity 120` funded its duplicate
    CRD-002, which CXP201 says repeats work done already in DIG-014."""
    import shutil

    root = tmp_path / "nordbank"
    shutil.copytree(EXAMPLE, root)
    unit = root / "units" / "digital.yaml"
    text = unit.read_text(encoding="utf-8")
    old = "    status: in_progress\n    planned: 2026-Q4\n    decided: {by: steering-group, on: 2026-04-02}\n  - id: DIG-015"
    assert text.count(old) == 1
    unit.write_text(text.replace(old, old.replace("status: in_progress", "status: done\n    completed: 2026-05-02")),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-06-30", "--capacity", "120",
                                      "--format", "json"])
    selection = json.loads(result.stdout)["selection"]
    assert "CRD-002" not in selection["initiatives"]
    assert selection["left_out"]["CRD-002"] == "repeats work done already: DIG-014 (duplicated work, CXP201)"


@pytest.mark.parametrize("args, said", [(["--unit", "digtal"], "digtal"), (["--explain", "NOPE-1"], "no initiative 'NOPE-1'")])
def test_an_unknown_unit_or_initiative_is_one_line_with_no_note_before_it(args: list[str], said: str) -> None:
    """Found by a newcomer: on a portfolio with errors the figures' note came first, so
    these usage errors were two lines on stderr."""
    result = CliRunner().invoke(cli, ["rank", str(EXAMPLE), "--as-of", "2026-06-30", *args])
    assert result.exit_code == 2 and said in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_an_assumed_effort_is_marked_wherever_it_is_shown(tmp_path_factory) -> None:
    """Found by a steering group's tester: DIG-014 stating no effort was ranked with
    scoring.missing_effort (8) and every table showed "8" as if its unit had said so."""
    import re

    from conftest import copy_of_example

    root = copy_of_example(tmp_path_factory, "assumed")
    units = root / "units" / "digital.yaml"
    text = units.read_text(encoding="utf-8")
    assert text.count("    effort: 14\n") == 1
    units.write_text(text.replace("    effort: 14\n", ""), encoding="utf-8")

    def ranked(*args: str) -> str:
        result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, ["rank", str(root), *AS_OF, *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert re.search(r"DIG-014 .* 8 \(assumed\) ", ranked())
    assert re.search(r"\| DIG-014 \|.*\| 8 \(assumed\) \|", ranked("--format", "markdown"))
    rows = {row["id"]: row for row in json.loads(ranked("--format", "json"))["rows"]}
    assert (rows["DIG-014"]["effort"], rows["DIG-014"]["effort_assumed"]) == (8, True)
    assert not any(row["effort_assumed"] for ident, row in rows.items() if ident != "DIG-014")
    csv_lines = ranked("--format", "csv").splitlines()
    assert csv_lines[0].endswith(",flags,effort_assumed")
    dig = next(line for line in csv_lines if line.split(",")[1] == "DIG-014")
    assert ",8," in dig and dig.endswith(",yes")
    html = CliRunner().invoke(cli, ["report", str(root), *AS_OF, "--format", "html"]).stdout
    assert re.search(r'DIG-014</td>.*?<td class="num">8 \(assumed\)</td>', html)


def _wide_titles(tmp_path: Path) -> Path:
    root = tmp_path / "wide"
    shutil.copytree(GOLDEN / "portfolio", root)
    digital = root / "units" / "digital.yaml"
    text = digital.read_text(encoding="utf-8")
    text = text.replace("Block the card in the app, day and night", "在应用中冻结银行卡 🎉")
    digital.write_text(text.replace("Card API upgrade", "Kort-API ✅ oppgradert"), encoding="utf-8")
    return root



def _column_of(line: str, cell: str) -> int:
    """The terminal column where `cell` starts on the line (a CJK letter or emoji takes two)."""
    return width_of(line[:line.index(f" {cell} ") + 1])


@pytest.mark.parametrize("columns", [200, 110])
def test_a_title_in_chinese_or_with_an_emoji_keeps_the_columns_in_line(columns: int, tmp_path: Path) -> None:
    """Found by a user: tabulate counted 在 or 🎉 as one column, where a terminal gives it
    two (it counts them so only with the optional `wcwidth` installed), so every column
    after such a title was pushed out of line; fitted to the terminal, such a title was
    cut by characters and the table ran over the width."""
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
        cli, ["rank", str(_wide_titles(tmp_path)), *AS_OF, "--all"])
    assert result.exit_code == 0, result.stderr
    header, rule, *lines = result.stdout.splitlines()
    rows = {line.split()[1]: line + " " for line in lines}
    assert "在应用中" in rows["DIG-2"] and "✅" in rows["DIG-3"]
    assert ("…" in rows["DIG-2"]) == (columns == 110)  # cut by the columns it takes
    for ident, unit in (("DIG-2", "digital"), ("DIG-3", "digital"), ("RET-1", "retail")):
        assert _column_of(rows[ident], unit) == _column_of(header + " ", "unit"), rows[ident]
        assert width_of(rows[ident].rstrip()) <= width_of(rule)
    assert width_of(rule) <= columns


def test_a_title_of_emoji_with_selectors_is_cut_to_the_terminal() -> None:
    """Found by a review: cut by summing each character's columns, "❤️" (a heart and its
    variation selector, two columns) counted one, so a title of hearts kept twice its room
    and the table ran over the terminal."""
    from cxportfolio.render.rank import _shortened

    for title in ("❤️" * 40, "👨‍👩‍👧 family" * 8, "在应用中冻结银行卡" * 5, "plain title " * 8):
        for room in (12, 24, 25):
            cut = _shortened(title, room)
            assert width_of(cut) <= room and cut.endswith("…"), (title, room, cut)
            assert width_of(cut) >= room - 3  # not shorter than a wide character needs


def test_a_row_whose_own_pain_point_rank_cannot_value_is_marked(tmp_path: Path) -> None:
    """Found by a metamorphic hunt: with PP-dispute-form's journey misspelt (CXP102),
    CRD-002 and DIG-014, first and second, dropped to 0.0 unflagged, and `diff` told a
    reviewer "CRD-002: 1 -> 22 (left the top 10)" as if deprioritised, while the rows
    sharing a refused value elsewhere are marked `rests-on-refused`. Their own pain point
    is out of reach until the mistake is corrected: marked, and `--explain` names it."""
    clean = EXAMPLE
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    pains = root / "pain_points.yaml"
    pains.write_text(pains.read_text(encoding="utf-8").replace(
        "  - id: PP-dispute-form\n    journey: card-problem\n", "  - id: PP-dispute-form\n    journey: card-problen\n"),
        encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--format", "json"])
    flags = {row["id"]: row["flags"] for row in json.loads(result.stdout)["rows"]}
    assert "rests-on-refused" in flags["CRD-002"] and "rests-on-refused" in flags["DIG-014"]
    assert "rests-on-refused" not in flags["CRD-001"]  # on another pain point of the journey
    result = runner.invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--explain", "CRD-002"])
    assert ("impact = sum of shares = 0.0 (rests on PP-dispute-form, which it addresses and rank cannot value "
            "(misspelt, or left out for a mistake there or in its journey): fix it to know the figure)") in result.stdout
    result = runner.invoke(cli, ["diff", "--base-dir", str(clean), "--head-dir", str(root), "--as-of", "2026-12-01"])
    assert ("CRD-002: 1 -> 22 (left the top 10, resting on a mistake at the head: `cxportfolio check` says "
            "where)") in result.stdout


def test_rows_sharing_a_pain_point_with_the_unread_definition_of_an_id_are_marked(tmp_path: Path) -> None:
    """Found by a metamorphic hunt: KS-002 written `id: DAG-003` by mistake (a CXP101: rank
    reads dagpenger's DAG-003) dropped out of the sharing of PP-svart-hull-sykepenger, and
    DIG-001, DIG-002, SYK-001 and SYK-002 rose unmarked (DIG-001 19445.2 → 20197.3), though
    a sharer dropping out for a refused value marks them. Work an id written twice hides is
    still work (docs/format.md): their rows are marked, and `--explain` says why."""
    root = shutil.copytree(EXAMPLE.parent / "welfare-agency", tmp_path / "welfare")
    unit = root / "units" / "kontaktsenter.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("  - id: KS-002\n", "  - id: DAG-003\n"),
                    encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--format", "json"])
    flags = {row["id"]: row["flags"] for row in json.loads(result.stdout)["rows"]}
    assert [i for i, f in sorted(flags.items()) if "rests-on-refused" in f] == ["DIG-001", "DIG-002", "SYK-001",
                                                                                 "SYK-002"]
    result = runner.invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--explain", "DIG-001"])
    assert ("impact = sum of shares = 20197.3 (rests on the other definition of DAG-003, an id defined twice "
            "(CXP101), which rank does not read: fix it to know the figure)") in result.stdout


def test_a_row_is_blocked_exactly_when_the_plan_says_so(tmp_path: Path) -> None:
    """Found in review: with DIG-007 written `depends_on: [IT-066]` (an id nothing defines,
    CXP102) `rank --plan` left it out "blocked: depends on IT-066, which is not in the
    portfolio", while its row was flagged `blocked` only for a CXP503 (a dropped dependency):
    the table showed it, and RET-001 depending on it, as fundable, and `--all` flagged the
    dropped IT-006 itself `blocked`. The rows flag what the plan calls blocked, in every format."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    digital, retail = root / "units" / "digital.yaml", root / "units" / "retail.yaml"
    digital.write_text(digital.read_text(encoding="utf-8").replace("depends_on: [IT-003]", "depends_on: [IT-066]"),
                       encoding="utf-8")
    text = retail.read_text(encoding="utf-8")
    old = "    decided: {by: steering-group, on: 2026-03-10}\n"
    assert text.count(old) == 1
    retail.write_text(text.replace(old, old + "    depends_on: [DIG-007]\n"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "json"])
    document = json.loads(result.stdout)
    blocked = sorted(row["id"] for row in document["rows"] if "blocked" in row["flags"])
    assert blocked == ["DIG-007", "DIG-013", "RET-001"]
    assert blocked == sorted(i for i, why in document["selection"]["left_out"].items() if why.startswith("blocked"))
    assert document["selection"]["left_out"]["RET-001"] == "blocked: depends on DIG-007, which is blocked"
    result = runner.invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--all", "--format", "csv"])
    flags = {line.split(",")[1]: line for line in result.stdout.splitlines()}
    assert "blocked" in flags["DIG-007"] and "blocked" in flags["RET-001"]
    assert "blocked" not in flags["IT-006"]  # dropped: it blocks work, it is not blocked


def test_a_journey_owner_naming_no_unit_is_told_so_in_every_format(tmp_path: Path) -> None:
    """Found in review: with card-problem written `owner: kards` (a CXP102), `rank --by
    journey` showed "kards" as its owner in every format, while the report files the journey
    under "(owner: none; 'kards' is not a unit, CXP102)". The tables say the same; JSON and
    CSV keep `owner` a unit's id or empty, as for none, and name what is written beside it."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    journeys = root / "journeys.yaml"
    text = journeys.read_text(encoding="utf-8")
    assert text.count("    owner: cards\n") == 1
    journeys.write_text(text.replace("    owner: cards\n", "    owner: kards\n"), encoding="utf-8")

    def rank(fmt: str) -> str:
        return CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--by", "journey",
                                        "--format", fmt]).stdout

    said = "none ('kards' is not a unit, CXP102)"
    for fmt in ("text", "markdown"):
        row = next(line for line in rank(fmt).splitlines() if "card-problem" in line)
        assert said in row and " kards " not in row, row
    rows = {r["id"]: r for r in json.loads(rank("json"))["journeys"]}
    assert (rows["card-problem"]["owner"], rows["card-problem"]["owner_not_a_unit"]) == ("", "kards")
    assert (rows["mortgage"]["owner"], rows["mortgage"]["owner_not_a_unit"]) == ("retail", None)
    lines = rank("csv").splitlines()
    assert lines[0].endswith(",flags,owner_not_a_unit")
    assert lines[1] == "1,card-problem,Solve a card problem,,6,1,9324.0,296247.6,,kards"
    assert lines[2].startswith("2,mortgage,Get a mortgage,retail,") and lines[2].endswith(",")


def test_explain_says_why_a_pain_point_it_addresses_has_no_value(tmp_path: Path) -> None:
    """Found in review: with a stage of onboarding given `name: [Answer]` (a CXP002 that
    then left the journey out of the figures; now a refused `completion`, as a refused name
    leaves the stage in), `rank --explain IT-004` said its pain points were
    "none with a known journey and stage", sending the reader after a misspelt journey that
    is there. It says which pain point has no value and why, as the files stand; work that
    addresses none is told so."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    journeys = root / "journeys.yaml"
    text = journeys.read_text(encoding="utf-8")
    old = "name: Answer know-your-customer questions, completion: 0.75}"
    assert text.count(old) == 1
    journeys.write_text(text.replace(old, "name: Answer know-your-customer questions, completion: high}"),
                        encoding="utf-8")

    def explain(ident: str, *args: str) -> str:
        return CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--explain", ident, *args]).stdout

    out = explain("IT-004")
    assert "known journey" not in out
    assert ("  PP-kyc-manual-wait: no value as the files stand: its journey onboarding is left out for a refused "
            "value in it (its stages; journeys.yaml)\n") in out
    assert json.loads(explain("IT-004", "--format", "json"))["unvalued_why"] == {
        "PP-kyc-manual-wait": "its journey onboarding is left out for a refused value in it (its stages; journeys.yaml)"}
    assert "  none: it addresses no pain point: value 0\n" in explain("IT-001")


def test_a_blocked_dependency_is_said_as_it_is(tmp_path: Path) -> None:
    """Found in review: `rank --plan` left DIG-007 out "blocked: depends on IT-003, which is
    not in the portfolio, or could not be read" where IT-003 is in the portfolio, its effort
    refused (`effort: lots`), and said "or could not be read" of IT-066, an id nothing
    defines, with every file read. Each dependency is said as it is."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    it = root / "units" / "it-platform.yaml"
    text = it.read_text(encoding="utf-8")
    old = "    effort: 12\n    size: project\n    status: in_progress\n    planned: 2026-Q3\n"
    assert text.count(old) == 1
    it.write_text(text.replace(old, old.replace("effort: 12", "effort: lots")), encoding="utf-8")

    def left_out() -> dict[str, str]:
        result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "json"])
        return json.loads(result.stdout)["selection"]["left_out"]

    assert left_out()["DIG-007"] == ("blocked: depends on IT-003, which is left out of the figures for a refused "
                                     "value (its effort; units/it-platform.yaml)")
    it.write_text(text, encoding="utf-8")
    digital = root / "units" / "digital.yaml"
    digital.write_text(digital.read_text(encoding="utf-8").replace("depends_on: [IT-003]", "depends_on: [IT-066]"),
                       encoding="utf-8")
    assert left_out()["DIG-007"] == "blocked: depends on IT-066, which is not an initiative of the portfolio (CXP102)"
    hr = root / "units" / "hr.yaml"
    hr.write_text(hr.read_text(encoding="utf-8") + ":::bad\n", encoding="utf-8")
    assert left_out()["DIG-007"] == ("blocked: depends on IT-066, which is not in the files read: units/hr.yaml "
                                     "cannot be read and may define it")


def test_done_or_dropped_work_with_a_refused_value_is_said_as_written(tmp_path: Path) -> None:
    """Found in review: the plan read its dependencies from the figures, which leave out
    work with a refused effort. Done IT-003 with `effort: lots` blocked DIG-007 ("which is
    left out of the figures"), though done work blocks nothing, and dropped IT-006 with
    `effort: lots` was no longer "dropped" to DIG-013."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    it = root / "units" / "it-platform.yaml"
    text = it.read_text(encoding="utf-8")
    old = "    effort: 12\n    size: project\n    status: in_progress\n    planned: 2026-Q3\n"
    assert text.count(old) == 1
    done = "    effort: lots\n    size: project\n    status: done\n    completed: 2026-05-01\n"
    it.write_text(text.replace(old, done), encoding="utf-8")
    dropped = it.read_text(encoding="utf-8").split("  - id: IT-006\n")
    dropped[1] = re.sub(r"    effort: \d+\n", "    effort: lots\n", dropped[1], count=1)
    it.write_text("  - id: IT-006\n".join(dropped), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "json"])
    document = json.loads(result.stdout)
    left_out = document["selection"]["left_out"]
    assert "DIG-007" not in left_out or not left_out["DIG-007"].startswith("blocked")
    assert left_out["DIG-013"] == "blocked: depends on IT-006, which is dropped"
    flags = {row["id"]: row["flags"] for row in document["rows"]}
    assert "blocked" not in flags["DIG-007"] and "blocked" in flags["DIG-013"]


def test_an_id_defined_twice_is_read_by_the_plan_as_the_figures_read_it(tmp_path: Path) -> None:
    """Found in review of the last fix: IT-003 written done with `effort: lots`, and again in
    retail.yaml open and depending on dropped IT-006 (CXP101). The plan weighs the open copy
    and blocks it, yet DIG-007, resting on it, was funded: the refused done copy counted
    IT-003 as done. Work the figures read as open is open to the plan, whatever a copy says."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    it = root / "units" / "it-platform.yaml"
    text = it.read_text(encoding="utf-8")
    old = "    effort: 12\n    size: project\n    status: in_progress\n    planned: 2026-Q3\n"
    assert text.count(old) == 1
    it.write_text(text.replace(old, "    effort: lots\n    size: project\n    status: done\n"
                               "    completed: 2026-05-01\n"), encoding="utf-8")
    retail = root / "units" / "retail.yaml"
    copy = ("initiatives:\n  - id: IT-003\n    title: Loan status events, retail's copy\n    depends_on: [IT-006]\n"
            "    addresses: [PP-black-hole]\n    effort: 5\n    size: project\n    status: in_progress\n")
    retail.write_text(retail.read_text(encoding="utf-8").replace("initiatives:\n", copy, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "json"])
    document = json.loads(result.stdout)
    left_out = document["selection"]["left_out"]
    assert left_out["IT-003"] == "blocked: depends on IT-006, which is dropped"
    assert left_out["DIG-007"] == "blocked: depends on IT-003, which is blocked"
    flags = {row["id"]: row["flags"] for row in document["rows"]}
    assert "blocked" in flags["DIG-007"]


def test_open_work_repeating_done_work_with_a_refused_value_is_not_funded(tmp_path: Path) -> None:
    """Found in review: DIG-017 reopened beside done ADV-007 (one CXP201 cluster: "build on
    ADV-007, done already") is left out of the plan as repeating it; with ADV-007 written
    `effort: lots` the plan read its status from the figures, which leave it out, and funded
    DIG-017. Done work is done as written, as for a dependency."""
    root = shutil.copytree(EXAMPLE, tmp_path / "nordbank")
    digital = root / "units" / "digital.yaml"
    before, after = digital.read_text(encoding="utf-8").split("  - id: DIG-017\n")
    assert "    status: done\n    completed: 2026-05-06\n" in after.split("  - id:")[0]
    after = after.replace("    status: done\n    completed: 2026-05-06\n", "    status: approved\n", 1)
    digital.write_text(before + "  - id: DIG-017\n" + after, encoding="utf-8")
    advisory = root / "units" / "advisory.yaml"
    before, after = advisory.read_text(encoding="utf-8").split("  - id: ADV-007\n")
    advisory.write_text(before + "  - id: ADV-007\n" + re.sub(r"    effort: \d+\n", "    effort: lots\n", after, count=1),
                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["rank", str(root), "--as-of", "2026-12-01", "--plan", "--format", "json"])
    selection = json.loads(result.stdout)["selection"]
    assert "DIG-017" not in selection["initiatives"]
    assert selection["left_out"]["DIG-017"] == "repeats work done already: ADV-007 (duplicated work, CXP201)"
