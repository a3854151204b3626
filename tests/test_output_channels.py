"""The outputs of rank, track, report and diff, each read back by a real parser, on
portfolios whose titles, names and file names carry what a hostile pull request may write
(SECURITY.md, neutral outputs)."""

from __future__ import annotations

import json
import os
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from click.testing import CliRunner
from conftest import write_portfolio

from cxportfolio.cli import cli
from cxportfolio.render.neutral import printable

AS_OF = ["--as-of", "2026-06-30"]
UNIT = "units: [{id: z, name: Z, capacity: 10}]\n"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, *AS_OF])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_diff_json_names_a_base_file_that_is_not_utf8_as_the_text_does(tmp_path: Path) -> None:
    """The base could not read a file whose name is not UTF-8, and the head has its unit in a
    file it renamed: the unit is unread at the base, and JSON names the base's file as the
    text does (`\\xe9`), where it stopped with an internal error (a lone surrogate is no UTF-8)."""
    base = write_portfolio(tmp_path / "base", {})
    with open(os.fsencode(base) + b"/caf\xe9.yaml", "w", encoding="utf-8") as handle:
        handle.write(UNIT)
    head = write_portfolio(tmp_path / "head", {"cafe.yaml": UNIT})
    dirs = ["--base-dir", str(base), "--head-dir", str(head)]

    code, out, err = invoke("diff", *dirs, "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["entities"] == [{"kind": "unit", "id": "z", "change": "unread", "fields": [],
                                     "file": "cafe.yaml", "base_files": ["caf\\xe9.yaml"]}]
    _, text, _ = invoke("diff", *dirs)
    assert "which could not read " in text and "caf\\xe9.yaml)" in text


def test_diff_names_the_files_the_base_could_not_read_in_the_base(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the base could not read is the base's: named under the base's folder, where
    it is, not under the head's, where there is no such file."""
    write_portfolio(tmp_path / "base", {"b.yaml": "units: [{id: z, name: Z, capacity: 10}\n"})  # does not parse
    write_portfolio(tmp_path / "head", {"c.yaml": 'units: [{id: z, name: "Z\\tZ", capacity: 10}]\n'})  # CXP107
    monkeypatch.chdir(tmp_path)
    dirs = ["--base-dir", "base", "--head-dir", "head"]

    _, text, _ = invoke("diff", *dirs)
    assert "unread   unit z (in head/c.yaml, not at the base, which could not read base/b.yaml)\n" in text
    assert ("Not compared: 1 new finding in or about head/c.yaml, not at the base, which could not read "
            "base/b.yaml: the base may have had them.\n") in text
    _, markdown, _ = invoke("diff", *dirs, "--format", "markdown")
    assert "| unread at the base | unit | z | in head/c.yaml, not at the base, which could not read base/b.yaml |" in markdown


def test_the_details_of_the_report_stay_on_the_sheet_with_ids_of_the_longest_kind(tmp_path: Path) -> None:
    """Ids may have 64 characters. The details' tables kept every id on one line, and two
    long ones in a row (an initiative's and its unit's) pushed the table off the sheet, its
    flags cut off in print; an id too long to share a row may now wrap."""
    from test_report_print import report_html

    root = tmp_path / "nordbank"
    shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", root)
    long = {"DIG-014": "DIG-014-" + "x" * 56, "customer-service": "customer-service-" + "x" * 47}
    for file in root.rglob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        for short, longest in long.items():
            text = re.sub(rf"\b{short}\b", longest, text)
        file.write_text(text, encoding="utf-8")
    assert all(len(ident) == 64 for ident in long.values())
    html = report_html(root, "--as-of", "2026-12-01", "--period", "2026-Q3")
    assert long["DIG-014"] in html and long["customer-service"] in html
    assert off_the_sheet(html, tmp_path) == []


def off_the_sheet(html: str, tmp_path: Path) -> list[str]:
    """What of the whole page, details too, lies off the sheet's width or overflows its box,
    laid out at the printed width (as test_report_print measures the summary)."""
    from test_report_print import MEASURE, SHEET_WIDTH, _browser

    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace(
        "</body>", MEASURE.replace('document.getElementById("summary")', "document.body")
        % {"width": SHEET_WIDTH, "height": 1e9} + "</body>")
    page = tmp_path / "probe.html"
    page.write_text(probe, encoding="utf-8")
    dom = _browser(tmp_path, "--window-size=900,1400", "--dump-dom", page.as_uri()).stdout
    return json.loads(unescape(re.search(r'data-measured="([^"]*)"', dom).group(1)))["problems"]


# Characters Unicode has viewers show as nothing (default ignorable) that Python counts printable,
# and reserved ones of that kind: "Approve\u3164budget" read "Approve budget" in every output.
HIDDEN = ["\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0", "\u2065", "\ufff0",
          "\U000e0080", "\U000e01f0", "\U000e0fff", "\u180b"]


def test_every_output_shows_the_invisible_characters_python_calls_printable(tmp_path: Path) -> None:
    title = "Approve" + "".join(HIDDEN) + "budget"
    yaml_quoted = '"' + "".join(c if c.isascii() else f"\\U{ord(c):08x}" for c in title) + '"'
    root = write_portfolio(tmp_path / "p", {"p.yaml": f"""\
        units: [{{id: u, name: U, capacity: 10}}]
        journeys: [{{id: j, name: J, owner: u, volume: 100, stages: [{{id: s, name: S, completion: 0.5}}, {{id: e, name: E}}]}}]
        pain_points: [{{id: PP-1, journey: j, stage: s, title: P, severity: 3, evidence: [{{kind: analytics}}]}}]
        initiatives: [{{id: I-1, title: {yaml_quoted}, unit: u, addresses: [PP-1], effort: 2, status: approved}}]
        """})
    shown = ("Approve\\u034f\\u115f\\u1160\\u17b4\\u17b5\\u3164\\uffa0\\u2065\\ufff0\\U000e0080\\U000e01f0"
             "\\U000e0fff\\u180bbudget")
    _, text, _ = invoke("rank", str(root))
    assert shown in text
    _, markdown, _ = invoke("rank", str(root), "--format", "markdown")
    assert shown.replace("\\", "\\\\") in markdown
    _, csv_out, _ = invoke("rank", str(root), "--format", "csv")
    assert f",{shown}," in csv_out
    _, html, _ = invoke("report", str(root), "--format", "html")
    assert shown in html
    for out in (text, markdown, csv_out, html):
        assert not any(char in out for char in HIDDEN)
    # as a person writes them, kept: a Mongolian letter's variation selector, an ideograph's
    # variant, the soft hyphen, an emoji's presentation
    assert printable("\u1820\u180b \u845b\U000e0100 soft\u00adhyphen \u2764\ufe0f") == (
        "\u1820\u180b \u845b\U000e0100 soft\u00adhyphen \u2764\ufe0f")


def test_the_map_of_a_journey_of_many_stages_stays_on_the_sheet(tmp_path: Path) -> None:
    """A journey may have any number of stages: its map had a column for each, and 40 ran
    off the sheet. It shows 12 stages across, and continues below."""
    from test_report_print import report_html

    stages = ", ".join(f"{{id: s{n}, name: Stage {n} of the journey, completion: 0.9}}" for n in range(40))
    root = write_portfolio(tmp_path / "p", {"p.yaml": (
        "units: [{id: u, name: U, capacity: 100}]\n"
        f"journeys: [{{id: j, name: J, owner: u, volume: 1000, stages: [{stages}, {{id: end, name: End}}]}}]\n"
        "pain_points:\n" + "".join(f"  - {{id: PP-{n}, journey: j, stage: s{n}, title: P{n}, severity: 3, "
                                   "evidence: [{kind: analytics}]}\n" for n in range(40))
        + "initiatives:\n" + "".join(f"  - {{id: I-{n}, title: T{n}, unit: u, addresses: [PP-{n}], effort: 1, "
                                      "status: approved}\n" for n in range(40)))})
    html = report_html(root, "--as-of", "2026-06-30")
    maps = re.findall(r'<table class="map">.*?</table>', html, re.S)
    assert [len(re.findall("<th>Stage ", m)) + m.count("<th>End</th>") for m in maps] == [12, 12, 12, 5]
    assert off_the_sheet(html, tmp_path) == []


def _nordbank(tmp_path: Path) -> Path:
    root = tmp_path / "nordbank"
    shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / "nordbank", root)
    return root


def test_a_wide_name_and_a_wide_file_name_keep_the_summary_on_one_sheet(tmp_path: Path) -> None:
    """Texts on the first page are shortened by characters, which fits ordinary letters: an
    organization of W's took two lines, and the banner naming a file that does not parse, a
    name of W's, four: the summary took a second sheet. Each is held to two lines."""
    from test_report_print import assert_one_sheet, report_html

    root = _nordbank(tmp_path)
    (root / "cxportfolio.yaml").write_text(
        (root / "cxportfolio.yaml").read_text(encoding="utf-8").replace("organization: Nordbank",
                                                                        "organization: " + "W" * 300),
        encoding="utf-8")
    (root / "units" / ("W" * 200 + ".yaml")).write_text("units: [\n", encoding="utf-8")  # does not parse
    html = report_html(root, "--as-of", "2026-06-30")
    assert 'id="honesty"' in html
    assert_one_sheet(html, tmp_path, "wide")


def test_done_work_with_long_ids_and_no_dates_keeps_the_summary_on_one_sheet(tmp_path: Path) -> None:
    """The sentence naming done work without a `completed:` date names five ids, and an id
    may have 64 characters: five of W's took five lines and the summary a second sheet."""
    from test_report_print import assert_one_sheet, report_html

    root = _nordbank(tmp_path)
    for unit in (root / "units").glob("*.yaml"):
        text = re.sub(r"\n *completed: [0-9-]+", "", unit.read_text(encoding="utf-8"))
        for ident in re.findall(r"- id: ([A-Z]+-\d+)\n(?:(?!  - id:).*\n)*?    status: done", text):
            text = re.sub(rf"\b{ident}\b", ident + "-" + "W" * (63 - len(ident)), text)
        unit.write_text(text, encoding="utf-8")
    html = report_html(root, "--as-of", "2026-12-01", "--period", "2026-Q3")
    assert re.search(r'<p class="undated">\d+ done initiatives without a <code>completed:</code> date are not '
                     r"counted: ADV-003-W{56}, ", html)
    assert_one_sheet(html, tmp_path, "undated")


# What a CI log or a terminal acts on or hides, wherever it stands in a line
LOG_PAYLOADS = ["##vso[task.setvariable variable=x]1", "##[error]legacy", "##teamcity[setParameter name='x']",
                "\x9b31mcsi", "\u202egnp.exe", "Tag\U000e0049\U000e0047", "del\x7f"]
LOG_UNSAFE = re.compile("##(vso|teamcity)?\\[|[\x7f-\x9f\u202e\U000e0000-\U000e007f]", re.IGNORECASE)


def test_json_for_programs_is_inert_in_a_log_and_parses_to_the_values_as_written(tmp_path: Path) -> None:
    """rank, track, diff and --explain print JSON to CI logs too. A title `##vso[task.setvariable
    ...]` reached the log as it is, where Azure Pipelines acts on it anywhere in a line, and a
    raw CSI or bidi override went to the terminal. They are JSON escapes now (`##vso\\u005b`,
    `\\u009b`): the document parses to the titles exactly as written."""
    def yaml_quoted(text: str) -> str:
        return '"' + "".join(c if 0x20 <= ord(c) < 0x7f else f"\\U{ord(c):08x}" for c in text) + '"'

    items = "".join(f"  - {{id: I-{n}, title: {yaml_quoted(title)}, unit: u, addresses: [PP-1], effort: {n + 1}, "
                    "status: approved}\n" for n, title in enumerate(LOG_PAYLOADS))
    shared = ("units: [{id: u, name: U, capacity: 100}]\n"
              f"journeys: [{{id: j, name: {yaml_quoted(LOG_PAYLOADS[0])}, owner: u, volume: 100, "
              "stages: [{id: s, name: S, completion: 0.5}, {id: e, name: E}]}]\n"
              "pain_points: [{id: PP-1, journey: j, stage: s, title: P, severity: 3, evidence: [{kind: analytics}]}]\n")
    base = write_portfolio(tmp_path / "base", {"p.yaml": shared})
    head = write_portfolio(tmp_path / "head", {"p.yaml": shared + "initiatives:\n" + items})

    documents = {}
    for args in (["rank", str(head)], ["rank", str(head), "--by", "journey"], ["track", str(head)],
                 ["rank", str(head), "--explain", "I-0"], ["diff", "--base-dir", str(base), "--head-dir", str(head)]):
        code, out, err = invoke(*args, "--format", "json")
        assert code == 0, err
        assert not LOG_UNSAFE.search(out), (args, LOG_UNSAFE.search(out))
        documents[args[-1] if args[0] == "rank" and len(args) > 2 else args[0]] = json.loads(out)
    assert sorted(row["title"] for row in documents["rank"]["rows"]) == sorted(LOG_PAYLOADS)
    assert documents["journey"]["journeys"][0]["name"] == LOG_PAYLOADS[0]
    assert sorted(move["title"] for move in documents["diff"]["rank_moves"]) == sorted(LOG_PAYLOADS)


def test_json_writes_a_delete_as_an_escape_in_an_ascii_portfolio_too(tmp_path: Path) -> None:
    """Found in review: a title holding DEL (`"Prefill\\x7f the form"`) was written raw by
    `rank --format json` when every other text of the document was ASCII, and as `\\u007f`
    when a single `é` was anywhere: DEL is ASCII, and the check that skips the escaping let
    it through. It is an escape whatever else the document holds, as the text shows `\\x7f`."""
    shared = ("units: [{id: u, name: U, capacity: 100}]\n"
              "journeys: [{id: j, name: J, owner: u, volume: 100, stages: [{id: s, name: S}]}]\n"
              "pain_points: [{id: PP-1, journey: j, stage: s, title: P, severity: 3, evidence: [{kind: analytics}]}]\n"
              "initiatives:\n"
              '  - {id: I-1, title: "Prefill\\x7f the form", unit: u, addresses: [PP-1], effort: 2, status: approved}\n')
    for name, organization in (("ascii", "Test"), ("accented", "Tést")):
        root = write_portfolio(tmp_path / name, {"p.yaml": shared},
                               f"organization: {organization}\nyear: 2026\ntarget: {{improvements: 10}}\n")
        code, out, err = invoke("rank", str(root), "--format", "json")
        assert code == 0, err
        assert "\x7f" not in out and '"title": "Prefill\\u007f the form"' in out, name
        assert [row["title"] for row in json.loads(out)["rows"]] == ["Prefill\x7f the form"]
