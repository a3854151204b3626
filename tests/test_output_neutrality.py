"""Safe on a hostile pull request: every output channel is neutral to what a title, id,
reason, key or file name contains (SECURITY.md, neutral outputs; cxportfolio/render/neutral.py).

One portfolio carries every payload in titles, names, descriptions, allow reasons, unknown
keys and file names; the real CLI renders it in every format, and each channel is held to
its rule: CSV has no formulas and no row split by a bare CR, text has no control or bidi
characters and no workflow command, Markdown mentions, references and links nothing, JUnit
parses as XML, and JSON parses strictly.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_portfolio

from cxportfolio.cli import cli
from cxportfolio.model.finding import CheckResult, CheckSummary, Finding, Location, Severity
from cxportfolio.render import RenderOptions
from cxportfolio.render.neutral import Num, csv_cell, dumps_json, md_code, md_escape, one_line, printable

AS_OF = ["--as-of", "2026-06-30"]
GOLDEN_RANKING = Path(__file__).parent / "golden" / "ranking" / "portfolio"

PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "a\rb",
    "a\nb",
    "::stop-commands::pwn",
    "::error file=x::pwn",
    "  ::warning::indented",
    "##vso[task.setvariable variable=x]1",
    "##[error]legacy",
    "\x1b]0;title\x07",
    "\x1b[31mred\x1b[0m",
    "\x07bell",
    "\x9b31mcsi",
    "\x85nel\u2028ls",
    "@admins please",
    "fixes #1 and GH-2 and org/repo#3",
    "see https://evil.example/x or www.evil.example",
    "\u202egnp.exe",
    "\u2066isolate\u2069",
    "\x00nul",
    "\ufffe\uffff",
    "ok\r\n ::add-mask::after a line break",
    # a cell of its own after a tab (tab-delimited import, paste) or a semicolon (Excel's list
    # separator under nb/da/sv locales) unless the field is quoted
    "Prefill form\t=HYPERLINK(A1)\t@SUM(1)",
    "Prefill form;=cmd|' /C calc'!A0;+1+1",
    # bidi marks and invisible characters: they move `-`/digits across a word, or hide where it ends
    "DIG\u200e-\u200f7\u061c invisible\u200bsplit\u2060joined\ufeffmark",
    # text in tag characters shows as nothing ("ASCII smuggling"); other invisible format characters
    "Tag\U000e0049\U000e0047\U000e004e smuggle\u180e\u206a\ufff9note\ufffb\U0001d173",
    # a TeamCity service message anywhere in a line: setParameter sets what later steps read
    "##teamcity[setParameter name='env.PWN' value='1']",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Raw characters no text line may carry: C0 controls (but LF, the line end), DEL, C1,
# separators, bidi embeddings/overrides/isolates, and what XML 1.0 forbids.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\U0001d173-\U0001d17a\U000e0000-\U000e007f]")


def yq(text: str) -> str:
    """A YAML double-quoted scalar: YAML refuses raw control characters, escapes make them."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code > 0xFFFF:
            out.append(f"\\U{code:08x}")
        else:
            out.append(f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def file_name(n: int, payload: str) -> str:
    """The payload as a file name, where the OS allows one ('/' and NUL never)."""
    return payload.replace("/", "_").replace("\x00", "") + f" {n}.yaml"


def unit_file(n: int, payload: str, allow_key: bool = True) -> str:
    p = yq(payload)
    return "\n".join([
        "units:",
        f"  - {{id: u{n}, name: {p}, capacity: 100}}",
        # an unknown key is a CXP002 error that names the key
        f"  - {{id: x{n}, name: {p}, {p}: 1}}" if allow_key else f"  - {{id: x{n}, name: {p}}}",
        "pain_points:",
        # defined in every file: CXP101 with related locations in the other (hostile) files
        "  - {id: dup, journey: j0, stage: s1, title: Dup, severity: 1, evidence: [{kind: analytics}]}",
        "initiatives:",
        f"  - id: I-{n}",
        f"    title: {p}",
        f"    description: {p}",
        f"    unit: u{n}",
        f"    addresses: [pp{n}]",
        "    effects: [{kpi: calls, change: -0.5}]",
        f"    effort: {n + 1}",
        "    status: approved",
        "    planned: 2026-Q3",
        f"    allow: [{{rule: CXP402, reason: {p}}}]",
        f"  - id: J-{n}",
        f"    title: {p}",
        f"    unit: u{n}",
        f"    addresses: [pp{n}]",
        "    effects: [{kpi: calls, change: -0.25}]",
        f"    effort: {2 * n + 3}",
        "    status: proposed",
        "",
    ])


def shared_files() -> dict[str, str]:
    journeys = ["journeys:"]
    pains = ["pain_points:"]
    for n, payload in enumerate(PAYLOADS):
        p = yq(payload)
        journeys += [f"  - id: j{n}", f"    name: {p}", f"    owner: u{n}", "    volume: 1000",
                     f"    stages: [{{id: s1, name: {p}, completion: 0.5}}, {{id: s2, name: End}}]"]
        pains.append(f"  - {{id: pp{n}, journey: j{n}, stage: s1, title: {p}, description: {p}, severity: 3, "
                     "reach: 0.5, evidence: [{kind: analytics}]}")
    pains.append(f"  - {{id: pp-severe, journey: j0, stage: s1, title: {yq(PAYLOADS[0])}, severity: 5, "
                 "evidence: [{kind: analytics}]}")
    kpis = "\n".join([
        "kpis:",
        "  - id: calls",
        f"    name: {yq(PAYLOADS[0])}",
        f"    description: {yq(PAYLOADS[8])}",
        "    kind: operational",
        "    direction: decrease",
        "    baseline: {period: 2025, value: 3}",
        "    target: {period: 2026, value: 2}",
        "    measurements: [{period: 2026-Q1, value: -5}, {period: 2026-Q2, value: -2.5}]",
        "",
    ])
    organization = yq("::stop-commands::pwn @admins fixes #1 https://evil.example/x \x1b[31m\u202e")
    return {
        "cxportfolio.yaml": f"organization: {organization}\nyear: 2026\ntarget: {{improvements: 10}}\n",
        "journeys.yaml": "\n".join(journeys) + "\n",
        "pain_points.yaml": "\n".join(pains) + "\n",
        "kpis.yaml": kpis,
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_portfolio(root, shared_files(), config=None)
    for n, payload in enumerate(PAYLOADS):
        content = unit_file(n, payload)
        try:
            (root / file_name(n, payload)).write_text(content, encoding="utf-8")
        except (OSError, ValueError):  # a file system that refuses the name: a plain one
            (root / f"plain {n}.yaml").write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same portfolio before the pull request: plain file names, no unknown keys, half the work."""
    root = tmp_path_factory.mktemp("base")
    write_portfolio(root, shared_files(), config=None)
    for n, payload in enumerate(PAYLOADS[: len(PAYLOADS) // 2]):
        (root / f"unit {n}.yaml").write_text(unit_file(n, payload, allow_key=False), encoding="utf-8")
    return root


def cli_out(*args: str) -> str:
    # color=True: click would otherwise strip ANSI sequences itself and hide what we emit
    result = CliRunner().invoke(cli, [*args, *AS_OF], color=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


# ---------------------------------------------------------------------- assertions


def assert_neutral_text(out: str) -> None:
    assert out, "no output"
    for number, line in enumerate(out.split("\n"), 1):
        assert not RAW_CONTROL.search(line), f"line {number} carries a raw control character: {line!r}"
        assert not line.lstrip().startswith("::"), f"line {number} is a workflow command: {line!r}"
        assert "##vso[" not in line.lower() and "##[" not in line and "##teamcity[" not in line.lower(), (
            f"line {number}: {line!r}")


def strict_json(out: str) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"non-finite number {constant} in JSON")

    return json.loads(out, parse_constant=refuse)


CODE_SPAN = re.compile(r"`[^`\n]*`")
# What GitHub links to a commit (`a5c3785`, a 40-digit id), wherever letters or digits end
COMMIT = r"(?<![0-9A-Za-z.])[0-9a-f]{7,40}(?![0-9A-Za-z]|\.[0-9])"


def assert_neutral_markdown(out: str) -> None:
    assert_neutral_text(out)  # Markdown is printed to terminals and logs too
    outside = CODE_SPAN.sub("", out)  # GitHub neither links nor mentions inside code spans
    for pattern in (r"@[A-Za-z0-9]", r"#[0-9]", r"\bGH-[0-9]", r"://", r"\bwww\.", r"<[A-Za-z/!]", COMMIT):
        found = re.search(pattern, outside, re.IGNORECASE)
        assert not found, f"{pattern} outside a code span: {outside[max(0, found.start() - 40):found.end() + 40]!r}"


def csv_rows(out: str) -> list[list[str]]:
    # tabs and CR are data inside quotes; nothing else unprintable is written as it is
    assert not RAW_CONTROL.search(out.replace("\t", " ").replace("\r", " ")), "a raw control or bidi character"
    for line in re.split(r"\r\n|\r|\n", out):  # as a CI runner reads it, quoted line breaks too
        assert not line.lstrip().startswith("::") and "##vso[" not in line.lower(), line
        assert "##teamcity[" not in line.lower(), line
    # As Excel under a Nordic locale (`;`) or a tab-delimited import or paste reads it: quotes
    # count only at the start of a field, so a row is split at every `;`, tab and line break.
    for delimiter in ";\t":
        for row in csv.reader(io.StringIO(out, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE):
            for cell in row:
                if cell.startswith(FORMULA_START):
                    float(cell.split(",")[0])  # a row starting with a negative number
    rows = list(csv.reader(io.StringIO(out, newline="")))
    width = len(rows[0])
    assert all(len(row) == width for row in rows), "a row was split (a bare CR or LF outside quotes?)"
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                float(cell)  # only a number may start like a formula
    return rows


# --------------------------------------------------------------------------- check


def test_the_payloads_reach_the_portfolio(hostile: Path) -> None:
    """The portfolio really carries the payloads, so the channel tests below test something."""
    document = strict_json(cli_out("check", str(hostile), "--format", "json"))
    files = {f["file"] for f in document["findings"]}
    assert any(f.startswith("::stop-commands::") for f in files)
    assert any("\x1b[31m" in f for f in files)
    reasons = {f.get("reason") for f in document["findings"]}
    assert "\\x1b]0;title\\x07" in reasons and "\\u202egnp.exe" in reasons  # text for people: escaped
    related = {r["file"] for f in document["findings"] for r in f["related"]}
    assert any(r.startswith("::error") for r in related)


@pytest.mark.parametrize("color", ["never", "always"])
def test_check_text_is_neutral(hostile: Path, color: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(hostile)  # paths are relative to the working directory: bare names here
    out = cli_out("check", "--show-suppressed", "--color", color)
    styles = re.compile(r"\x1b\[[0-9;]*m")
    if color == "always":
        assert styles.search(out), "the renderer's own colors must still work"
    assert_neutral_text(styles.sub("", out))
    assert "\\::stop-commands::pwn 8.yaml:" in out
    assert "\\x1b[31mred\\x1b[0m" in out and "\\u202egnp.exe" in out and "##vso\\[task" in out
    assert "[suppressed: \\x1b]0;title\\x07]" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_check_json_formats_parse_strictly(hostile: Path, fmt: str) -> None:
    strict_json(cli_out("check", str(hostile), "--format", fmt))


def people_texts(fmt: str, document: object) -> list[str]:
    """What a JSON, SARIF or GitLab report says to people (its messages, hints and reasons),
    as opposed to its data (ids, paths, pointers)."""
    if fmt == "json":
        return [f[key] for f in document["findings"] for key in ("message", "hint", "reason") if f.get(key)]
    if fmt == "gitlab":
        return [issue["description"] for issue in document]
    texts = []
    for result in document["runs"][0]["results"]:
        texts.append(result["message"]["text"])
        texts += [r["message"]["text"] for r in result.get("relatedLocations", [])]
        texts += [s["justification"] for s in result.get("suppressions", [])]
    return texts


def assert_neutral_texts(texts: list[str]) -> None:
    assert texts
    for text in texts:
        assert not RAW_CONTROL.search(text) and "\n" not in text, text
        assert not text.lstrip().startswith("::") and "##vso[" not in text.lower() and "##[" not in text, text
        assert "##teamcity[" not in text.lower(), text


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_check_json_formats_say_neutral_text(hostile: Path, fmt: str) -> None:
    assert_neutral_texts(people_texts(fmt, strict_json(cli_out("check", str(hostile), "--show-suppressed",
                                                                "--format", fmt))))


def test_a_hostile_id_is_neutral_in_every_message(tmp_path: Path) -> None:
    """An invalid id is refused (CXP002) but named in its own and other findings' labels
    ("(initiative Y-…)"): the quoted value was escaped, the label raw in JSON, SARIF and
    GitLab messages (a decoded ESC or U+202E reaches whoever prints them)."""
    hostile_id = yq("Y-\x1b[31m\u202e::x")
    unit = "\n".join([
        "units: [{id: u, name: U}]",
        "initiatives:",
        f"  - {{id: {hostile_id}, title: T, unit: u, effort: 2, status: proposed,",
        f"     depends_on: [{yq('Z-' + chr(0x1b) + ']8;;http://x' + chr(7) + chr(0x2066))}]}}", ""])
    root = write_portfolio(tmp_path / "p", {"units/a.yaml": unit, "units/b.yaml": unit})
    for fmt in ("json", "sarif", "gitlab"):
        document = strict_json(cli_out("check", str(root), "--format", fmt))
        texts = people_texts(fmt, document)
        assert any("(initiative Y-\\x1b[31m\\u202e::x)" in t for t in texts), texts
        assert_neutral_texts(texts)
    findings = strict_json(cli_out("check", str(root), "--format", "json"))["findings"]
    assert any("Y-\x1b[31m\u202e::x" in f["entities"] for f in findings)  # data: as written


def test_an_allow_reason_is_neutral_and_short_in_every_format(tmp_path: Path) -> None:
    """allow: reasons reached JSON `reason`, SARIF `justification` and text `[suppressed: …]`
    raw (U+202E, U+2028, NEL, `##vso[`) and whole (3,000 characters on every line)."""
    from cxportfolio.model.types import MAX_REASON_LENGTH

    payload = "\u202e\u2028\x85##vso[task.complete]" + "x" * 3000
    root = write_portfolio(tmp_path / "p", {**shared_files(), "u.yaml": unit_file(0, payload, allow_key=False)}, config=None)
    text = cli_out("check", str(root), "--show-suppressed")
    [line] = [line for line in text.split("\n") if "[suppressed: " in line]
    assert "[suppressed: \\u202e\\u2028\\x85##vso\\[task.complete]xxx" in line
    assert "x" * (MAX_REASON_LENGTH - 25) + "…]" in line and "x" * MAX_REASON_LENGTH not in line
    assert_neutral_text(text)
    for fmt in ("json", "sarif"):
        document = strict_json(cli_out("check", str(root), "--format", fmt))
        texts = people_texts(fmt, document)
        reasons = [t for t in texts if t.startswith("\\u202e")]
        assert reasons and all(t.endswith("x…") and len(t) < MAX_REASON_LENGTH + 30 for t in reasons), reasons
        assert_neutral_texts(texts)


def test_junit_parses_as_xml(hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(hostile)  # paths are relative to the working directory: bare names here
    out = cli_out("check", "--format", "junit")
    suites = ET.fromstring(out.encode("utf-8"))
    names = [case.get("name") for case in suites.iter("testcase")]
    assert "nul 23.yaml" in names  # NUL cannot be in a file name; the other payloads can
    assert "\\ufffe\\uffff 24.yaml" in names and "\\x1b[31mred\\x1b[0m 14.yaml" in names
    assert not RAW_CONTROL.search(out.replace("\n", " "))


def test_github_step_summary_is_neutral_markdown(hostile: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli_out("check", str(hostile), "--format", "github")
    text = summary.read_text(encoding="utf-8")
    assert "`@admins`" in text
    assert_neutral_markdown(text)


# ---------------------------------------------------------------------------- rank


def test_rank_csv_has_no_formula_and_no_split_row(hostile: Path) -> None:
    rows = csv_rows(cli_out("rank", str(hostile), "--format", "csv", "--all"))
    header, body = rows[0], rows[1:]
    assert len(body) == 2 * len(PAYLOADS)
    title = {row[header.index("id")]: row[header.index("title")] for row in body}
    assert title["I-0"] == "'" + PAYLOADS[0]
    assert title["I-4"] == "'\t'=1" and title["I-5"] == "'\r'=1"
    assert title["I-6"] == "a\rb" and title["I-7"] == "a\nb"  # quoted: the text survives
    assert title["I-18"] == "'@admins please" and title["I-19"] == PAYLOADS[19]
    assert title["I-11"] == "##vso\\[task.setvariable variable=x]1"
    assert title["I-25"].endswith("\n \\::add-mask::after a line break")  # a line of its own to a runner
    # a cell of its own to a reader splitting at tabs or `;`: quoted, and no formula there either
    assert title["I-26"] == "Prefill form\t'=HYPERLINK(A1)\t'@SUM(1)"
    assert title["I-27"] == "Prefill form;'=cmd|' /C calc'!A0;'+1+1"
    assert title["I-28"] == "DIG\\u200e-\\u200f7\\u061c invisible\\u200bsplit\\u2060joined\\ufeffmark"


def test_rank_csv_by_journey(hostile: Path) -> None:
    rows = csv_rows(cli_out("rank", str(hostile), "--format", "csv", "--by", "journey"))
    names = {row[1]: row[2] for row in rows[1:]}
    assert names["j1"] == "'+1+1" and names["j2"] == "'-2+3"


def test_a_negative_number_stays_a_number_in_csv(hostile: Path) -> None:
    rows = csv_rows(cli_out("track", str(hostile), "--format", "csv"))
    trend = [row for row in rows if row[0] == "kpi:calls"]
    assert [row[1:3] for row in trend] == [["2026-Q1", "-5"], ["2026-Q2", "-2.5"]]


@pytest.mark.parametrize("args", [["rank", "--all"], ["rank", "--by", "journey"], ["rank", "--explain", "I-13"],
                                  ["rank", "--explain", "J-21"], ["track"]],
                         ids=["rank", "journeys", "explain", "explain-bidi", "track"])
def test_text_renderers_are_neutral(hostile: Path, args: list[str]) -> None:
    out = cli_out(*args[:1], str(hostile), *args[1:])
    assert_neutral_text(out)


def test_rank_text_shows_the_escapes(hostile: Path) -> None:
    out = cli_out("rank", str(hostile), "--all")
    for shown in ("\\x1b]0;title\\x07", "\\::stop-commands::pwn", "\\u202egnp.exe", "\\x9b31mcsi",
                  "\\x85nel\\u2028ls", "\\ufffe\\uffff", "##\\[error]legacy", "\\::warning::indented"):
        assert shown in out, shown


@pytest.mark.parametrize("args", [["rank", "--all"], ["rank", "--by", "journey"], ["track"]],
                         ids=["rank", "journeys", "track"])
def test_markdown_renderers_are_neutral(hostile: Path, args: list[str]) -> None:
    assert_neutral_markdown(cli_out(*args[:1], str(hostile), *args[1:], "--format", "markdown"))


@pytest.mark.parametrize("args", [["rank", "--all"], ["rank", "--by", "journey"], ["rank", "--explain", "I-0"],
                                  ["rank", "--capacity", "30"], ["track"]],
                         ids=["rank", "journeys", "explain", "capacity", "track"])
def test_json_renderers_parse_strictly(hostile: Path, args: list[str]) -> None:
    strict_json(cli_out(*args[:1], str(hostile), *args[1:], "--format", "json"))


# ---------------------------------------------------------------------- diff, report


def test_diff_is_neutral_in_every_format(hostile: Path, base: Path) -> None:
    dirs = ["--base-dir", str(base), "--head-dir", str(hostile)]
    text = cli_out("diff", *dirs, "--top", "50")
    assert "\\::stop-commands::pwn 8.yaml" in text
    assert_neutral_text(text)
    markdown = cli_out("diff", *dirs, "--top", "50", "--format", "markdown")
    assert "`@admins` please" in markdown
    assert_neutral_markdown(markdown)
    strict_json(cli_out("diff", *dirs, "--format", "json"))


def test_report_markdown_is_neutral(hostile: Path) -> None:
    out = cli_out("report", str(hostile), "--period", "2026-Q2")
    assert "`@admins`" in out and "`https://evil.example/x`" in out
    # the one piece of HTML is the seal the report ends with (writing.seal), of our making
    body, seal = out[:out.rindex("<!-- cxportfolio sha256:")], out[out.rindex("<!-- cxportfolio sha256:"):]
    assert re.fullmatch(r"<!-- cxportfolio sha256:[0-9a-f]{64} -->\n", seal)
    assert_neutral_markdown(body)


def test_an_id_like_a_commit_links_to_nothing_in_any_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An id may be 40 hex digits, or 7 (`ffffff0`): Markdown wrote it as text, and GitHub links
    such a word to the commit, one a pull request can push to a fork and name. In every
    Markdown output (rank, its journeys and selection, track, report, diff and the step
    summary) it is in a code span now, as a mention is."""
    sha = "a5c3785ed8d6a35868bc169f07e40e889087fd2e"
    shared = f"""\
        units: [{{id: {sha[:7]}, name: U, capacity: 10}}]
        journeys: [{{id: {sha[:8]}, name: J, owner: {sha[:7]}, volume: 100,
                     stages: [{{id: s, name: S, completion: 0.5}}, {{id: e, name: E}}]}}]
        kpis:
          - {{id: {sha[:10]}, name: K, kind: operational, direction: decrease, baseline: {{period: 2025, value: 3}},
              target: {{period: 2026, value: 2}}, measurements: [{{period: 2026-Q1, value: 2.5}}]}}
        pain_points: [{{id: {sha[:12]}, journey: {sha[:8]}, stage: s, title: P, severity: 3, evidence: [{{kind: analytics}}]}}]
        initiatives:
          - {{id: {sha}, title: T, unit: {sha[:7]}, addresses: [{sha[:12]}], effects: [{{kpi: {sha[:10]}, change: -0.5}}],
              effort: 2, status: approved}}
          - {{id: I-{sha[:7]}, title: D, unit: {sha[:7]}, addresses: [{sha[:12]}], effort: 3, status: done, completed: 2026-05-01}}
        """
    base = write_portfolio(tmp_path / "base", {"p.yaml": shared})
    head = write_portfolio(tmp_path / "head", {"p.yaml": shared + (
        "  - {id: ffffff0, title: N, unit: " + sha[:7] + ", addresses: [deadbeef9], effort: 1, status: approved,"
        " depends_on: [ccccccc]}\n")})
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli_out("check", str(head), "--format", "github")
    outputs = {"summary": summary.read_text(encoding="utf-8"),
               "report": cli_out("report", str(head)).rsplit("<!-- cxportfolio sha256:", 1)[0],
               "diff": cli_out("diff", "--base-dir", str(base), "--head-dir", str(head), "--format", "markdown")}
    for args in (["rank", "--all"], ["rank", "--by", "journey"], ["rank", "--capacity", "5"], ["track"]):
        outputs[" ".join(args)] = cli_out(args[0], str(head), *args[1:], "--format", "markdown")
    for name, out in outputs.items():
        assert re.search("`[0-9a-f]{7,40}`", out), name
        assert_neutral_markdown(out)
    assert f"| `{sha}` |" in outputs["rank --all"] and "(initiative `ffffff0`)" in outputs["summary"]


# -------------------------------------------------------------- non-finite numbers


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A configuration the model accepts whose effort floor is so small that a priority
    (impact / effort) overflows to Infinity: DIG-2 states effort 0, so it counts as the floor.
    (Weights are capped at 1,000,000, so they alone no longer reach Infinity.)"""
    root = tmp_path_factory.mktemp("huge")
    for source in GOLDEN_RANKING.rglob("*.yaml"):
        target = root / source.relative_to(GOLDEN_RANKING)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8").replace("effort: 4\n", "effort: 0\n"),
                          encoding="utf-8")
    (root / "cxportfolio.yaml").write_text(
        "organization: Huge\nyear: 2026\ntarget: {improvements: 5}\nscoring: {effort_floor: 1e-320}\n",
        encoding="utf-8")
    return root


@pytest.mark.parametrize("args", [[], ["--all"], ["--by", "journey"], ["--capacity", "30"],
                                  ["--explain", "DIG-2"]],
                         ids=["open", "all", "journeys", "capacity", "explain"])
def test_rank_json_never_writes_infinity(huge: Path, args: list[str]) -> None:
    out = cli_out("rank", str(huge), "--format", "json", *args)
    strict_json(out)
    assert "Infinity" not in out and "NaN" not in out


def test_an_effort_floor_that_makes_a_priority_infinite_is_refused(huge: Path) -> None:
    """Found by a hostile pull request: `effort_floor: 1e-308` (then accepted: it only had
    to be above 0) and `effort: 0` put its initiative first with an infinite priority. The
    floor is at least 0.01; the refused value falls back to its default alone."""
    assert "scoring.effort_floor must be between 0.01 and 1,000,000,000, got the number 1e-320" in cli_out("check", str(huge))
    rows = strict_json(cli_out("rank", str(huge), "--format", "json"))["rows"]
    assert all(isinstance(row["priority"], float) and math.isfinite(row["priority"]) for row in rows)
    assert "inf" not in [row[7] for row in csv_rows(cli_out("rank", str(huge), "--format", "csv"))]
    assert_neutral_text(cli_out("rank", str(huge)))


def test_rank_renderers_write_non_finite_numbers_as_null() -> None:
    """Whatever the model computes: the renderers never write NaN or Infinity as JSON."""
    from cxportfolio.analysis.rank_table import JourneyRow, RankRow, RankTable
    from cxportfolio.analysis.selection import Selection
    from cxportfolio.render import rank as rank_render

    inf, nan = float("inf"), float("nan")
    table = RankTable([RankRow(1, "A-1", "=1", "u", ("j",), inf, 1.0, nan, "approved", (), True),
                       RankRow(2, "A-2", "-1", "u", ("j",), -inf, 2.0, -inf, "approved", (), False)],
                      Selection(frozenset({"A-1"}), 1.0, inf, inf, "greedy"))
    document = strict_json(rank_render.json_text(table))
    assert [(r["impact"], r["priority"]) for r in document["rows"]] == [(None, None), (None, None)]
    assert document["selection"]["capacity"] is None and document["selection"]["impact"] is None
    journeys = strict_json(rank_render.journeys([JourneyRow(1, "j", "J", "u", 1, 1, inf, nan)], "json"))
    assert journeys["journeys"][0]["total_value"] is None
    rows = csv_rows(rank_render.csv_text(table))
    assert [row[2] for row in rows[1:]] == ["'=1", "'-1"] and rows[2][5] == "-inf"


# ------------------------------------------------------------------------ helpers


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[31mred", "\\x1b[31mred"),
    ("a\rb\tc\nd", "a\\rb\\tc\\nd"),
    ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),
    ("\u202e\u2066\u2069\u2028\u2029", "\\u202e\\u2066\\u2069\\u2028\\u2029"),
    ("\ud800\ufffe", "\\ud800\\ufffe"),
    ("a\u200eb\u200fc\u061cd", "a\\u200eb\\u200fc\\u061cd"),  # bidi marks
    ("a\u200bb\u2060c\ufeffd", "a\\u200bb\\u2060c\\ufeffd"),  # invisible
    ("emoji \U0001f469\u200d\U0001f4bb", "emoji \U0001f469\u200d\U0001f4bb"),  # ZWJ: part of the text
    ("a\u180eb\u206ac\u206fd", "a\\u180eb\\u206ac\\u206fd"),  # invisible format characters
    ("\ufff9shown\ufffahidden\ufffb", "\\ufff9shown\\ufffahidden\\ufffb"),  # interlinear annotation
    ("ok\U000e0070\U000e0077\U000e006e", "ok\\U000e0070\\U000e0077\\U000e006e"),  # text in tags
    # the tags of a subdivision flag are the flag; a made-up one shows its tags
    ("\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
     "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"),
    ("\U0001f3f4\U000e0067\U000e0062\U000e007f", "\U0001f3f4\\U000e0067\\U000e0062\\U000e007f"),
    # bytes hidden in a run of variation selectors after an emoji; one selector is the emoji's own
    ("ok \U0001f600\U000e0158\U000e0159\ufe01 x", "ok \U0001f600\\U000e0158\\U000e0159\\ufe01 x"),
    ("\u2764\ufe0f \u845b\U000e0100", "\u2764\ufe0f \u845b\U000e0100"),
    # one selector a byte, after letters that have no variants (found by a review): each shown
    ("H\U000e0150e\U000e0157llo", "H\\U000e0150e\\U000e0157llo"),
    ("a\ufe00b \ufe0fstart", "a\\ufe00b \\ufe0fstart"),
    # the selectors people write: a keycap's, a math sign's variant
    ("1\ufe0f\u20e3 \u2269\ufe00", "1\ufe0f\u20e3 \u2269\ufe00"),
    ("::error::x", "\\::error::x"),
    ("\u3000 ::error::x", "\u3000 \\::error::x"),
    ("a ::b", "a ::b"),  # only at the start can `::` open a command
    ("x ##vso[task.complete]y ##[error]z", "x ##vso\\[task.complete]y ##\\[error]z"),
    ("##VSO[task]", "##VSO\\[task]"),
    # a TeamCity service message sets what later steps read
    ("x ##teamcity[setParameter name='env.X' value='1']", "x ##teamcity\\[setParameter name='env.X' value='1']"),
    ("Ærø – 42 %", "Ærø – 42 %"),
])
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


def test_a_quoted_value_shows_a_flag_emoji_as_the_title_does(tmp_path: Path) -> None:
    """A key or value holding the Scotland flag was quoted with its tags as escapes
    (`'🏴\\U000e0067\\U000e0062…'`, as repr writes them) where a title shows the flag; it
    reads as the flag in every message now. Tags that make no flag are hidden text: still
    escapes, and so is a zero-width joiner in a key, which is why the key is unknown."""
    made_up = "\U0001f3f4\U000e0067\U000e0062\U000e007f"
    root = write_portfolio(tmp_path / "p", {"p.yaml": f"""\
        units:
          - {{id: u, name: {yq("U " + SCOTLAND)}, capacity: 10, {yq("key " + SCOTLAND)}: 1, {yq("ti" + chr(0x200d) + "tle")}: 2}}
          - {{id: v, name: V, capacity: {yq(SCOTLAND + " " + made_up)}}}
        """})
    text = cli_out("check", str(root))
    assert f"unknown field 'key {SCOTLAND}' (unit u)" in text
    assert "unknown field 'ti\\u200dtle' (unit u)" in text
    assert f"got '{SCOTLAND} \U0001f3f4\\U000e0067\\U000e0062\\U000e007f' (unit v)" in text
    messages = [f["message"] for f in strict_json(cli_out("check", str(root), "--format", "json"))["findings"]]
    assert f"unknown field 'key {SCOTLAND}' (unit u)" in messages


def test_one_line_folds_what_people_write_and_shows_the_rest() -> None:
    assert one_line("  a\n\tb   c\u00a0d\n") == "a b c d"
    assert one_line("a\rb\x0bc\u2028d") == "a\\rb\\x0bc\\u2028d"
    assert one_line("\n ::error::x") == "\\::error::x"


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a | b <script>x</script>\nnext", "a \\| b &lt;script&gt;x&lt;/script&gt; next"),
    ("@admins please", "`@admins` please"),
    ("ping @org/team-a now", "ping `@org/team-a` now"),
    ("fixes #1, GH-2 and org/repo#3", "fixes `#1`, `GH-2` and `org/repo#3`"),
    ("see https://evil.example/a_b?x=1&y=2.", "see `https://evil.example/a_b?x=1&y=2.`"),
    ("www.evil.example|x", "`www.evil.example`\\|x"),
    ("mail a.b@evil.example", "mail `a.b@evil.example`"),
    ("\x1b[1m*x*", "\\\\x1b\\[1m\\*x\\*"),
    ("plain DIG-7 text_with_underscore", "plain DIG-7 text\\_with\\_underscore"),
    # a commit id (7 to 40 hex digits standing alone) links to the commit, a fork's too
    ("DIG-a5c3785 or deadbeef9, not 2026-Q3 or a5c3785x", "DIG-`a5c3785` or `deadbeef9`, not 2026-Q3 or a5c3785x"),
    # but a number with decimals is a number (a rank table's impact), and a hex after a `.` no commit
    ("impact 750000000.0 in v2.10.aba315b", "impact 750000000.0 in v2.10.aba315b"),
    # GitHub draws math between dollars (large, coloured, saying anything): never a delimiter
    ("$\\Huge\\color{green}\\text{passed}$", "&#36;\\\\Huge\\\\color{green}\\\\text{passed}&#36;"),
    ("costs $5 ~~struck~~", "costs &#36;5 \\~\\~struck\\~\\~"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


@pytest.mark.parametrize(("raw", "span"), [
    ("DIG_007", "`DIG_007`"), ("a `b` c", "``a `b` c``"), ("`x``", "``` `x`` ```"), ("", "` `"),
    ("@org #1 <b>", "`@org #1 <b>`"), ("x\x1b[1m\r", "`x\\x1b[1m\\r`"),
])
def test_md_code_shows_the_text_as_written(raw: str, span: str) -> None:
    assert md_code(raw) == span


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "\"'\t'=1\""),
    ("a\t=1", "\"a\t'=1\""), ("a;=1", "\"a;'=1\""), ("a; -1", '"a; -1"'), ("a\n@x", "\"a\n'@x\""),
    ("\r=1", "\"'\r'=1\""), ("a\rb", '"a\rb"'), ('say "hi", ok', '"say ""hi"", ok"'), ("plain", "plain"),
    ("x\n ::error::y", '"x\n \\::error::y"'), ("a ##vso[task]b", "a ##vso\\[task]b"), ("::x", "::x"),
    ("a\U000e0041\u180e\ufff9b", "a\\U000e0041\\u180e\\ufff9b"),
    ("\U0001f600\ufe00\ufe01;x", '"\U0001f600\\ufe00\\ufe01;x"'),
    (Num("-2.50"), "-2.50"), (-3, "-3"), (-0.5, "-0.5"), (None, ""), ("", ""),
])
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_dumps_json_writes_null_for_non_finite_numbers() -> None:
    out = dumps_json({"a": float("inf"), "b": [float("-inf"), float("nan"), 1.5], "c": (2, "x")})
    assert strict_json(out) == {"a": None, "b": [None, None, 1.5], "c": [2, "x"]}


# A line break is legal in a POSIX file name: folded to a space, as in a title, `a\nb.yaml` read
# `a b.yaml`, another file (one a pull request can add beside it).
FILE_WITH_BREAK = "units/a\nb\tc.yaml"


def test_markdown_shows_a_line_break_in_a_file_name_as_an_escape() -> None:
    from cxportfolio.render.diff import _finding_row
    from cxportfolio.render.github import step_summary
    from cxportfolio.render.neutral import md_path

    assert md_path(FILE_WITH_BREAK) == "units/a\\\\nb\\\\tc.yaml"
    finding = Finding("CXP401", "no-pain-point", Severity.ERROR, "m", Location(FILE_WITH_BREAK, 3, 7))
    summary = step_summary(CheckResult([finding], CheckSummary(errors=1)), RenderOptions())
    assert "| units/a\\\\nb\\\\tc.yaml:3:7 | CXP401 | error | m |" in summary
    assert _finding_row(finding, "head/") == "| head/units/a\\\\nb\\\\tc.yaml:3 | CXP401 | error | m |"


def test_the_note_on_an_id_defined_twice_shows_a_line_break_in_its_file_as_an_escape() -> None:
    from cxportfolio.analysis.exclusions import LeftOut

    assert LeftOut("initiative", "I-1", FILE_WITH_BREAK, "id defined twice").named == "I-1 in units/a\\nb\\tc.yaml"


def test_the_report_shows_line_breaks_in_the_file_names_it_leaves_out_as_escapes(tmp_path: Path) -> None:
    """Found by a trust-boundary hunter: the report and the note on stderr folded a line break
    or a tab in the name of an unreadable file, or of a file defining an id twice, to a space,
    naming `bad file.yaml`, another file."""
    import shutil

    root = tmp_path / "p"
    shutil.copytree(Path(__file__).parent.parent / "portfolios" / "nordbank", root)
    (root / "bad\nfile.yaml").write_text("initiatives: [\n", encoding="utf-8")
    (root / "dup\tfile.yaml").write_text(
        "initiatives:\n  - {id: CRD-001, title: again, unit: cards, status: idea, effort: 1}\n", encoding="utf-8")
    shown = {}
    for fmt in ("markdown", "html"):
        result = CliRunner().invoke(cli, ["report", str(root), "--format", fmt, *AS_OF])
        assert result.exit_code == 0, result.output
        shown[fmt] = result.stdout
        assert ("(CRD-001 in dup\\tfile.yaml) and whatever the unreadable file bad\\nfile.yaml defines"
                in result.stderr)
    assert "- the file bad\\\\nfile.yaml, which could not be read" in shown["markdown"]
    assert "- initiative CRD-001 (dup\\\\tfile.yaml): id defined twice" in shown["markdown"]
    assert "<li>the file bad\\nfile.yaml, which could not be read" in shown["html"]
    assert "<li>initiative CRD-001 (dup\\tfile.yaml): id defined twice" in shown["html"]


def test_cxp101_names_the_other_file_as_the_text_output_shows_it(tmp_path: Path) -> None:
    """Found by a trust-boundary hunter: CXP101 wrote the other definition's file into its
    message as it is, and every format but `github` folds a message's line breaks to a space:
    `initiative in dup file.yaml`, another file."""
    body = "initiatives:\n  - {id: I-1, title: T, unit: u, status: idea, effort: 1}\n"
    root = write_portfolio(tmp_path / "p", {"a.yaml": body, "dup\nfile.yaml": body})
    outputs = {fmt: CliRunner().invoke(cli, ["check", str(root), "--format", fmt, *AS_OF]).stdout
               for fmt in ("text", "junit", "gitlab")}
    assert "CXP101 [error] id 'I-1' is defined 2 times (initiative here, initiative in dup\\nfile.yaml)" in outputs["text"]
    assert "(initiative here, initiative in dup\\nfile.yaml)" in outputs["junit"]
    assert [f["description"] for f in json.loads(outputs["gitlab"])
            if f["check_name"] == "CXP101 duplicate-id" and f["location"]["path"].endswith("a.yaml")] == [
        "CXP101 id 'I-1' is defined 2 times (initiative here, initiative in dup\\nfile.yaml)"]


def test_rank_explain_names_the_file_of_a_left_out_initiative_as_the_text_output_does(tmp_path: Path) -> None:
    """Found by a trust-boundary hunter: the refusal folded a line break in the file's name
    with the message's white space, naming `bad unit.yaml`, another file."""
    root = write_portfolio(tmp_path / "p", {
        "bad\nunit.yaml": "initiatives:\n  - {id: X-1, title: T, unit: u, status: bogus, effort: 1}\n"})
    result = CliRunner().invoke(cli, ["rank", str(root), "--explain", "X-1", *AS_OF])
    assert result.exit_code == 2
    assert result.stderr.endswith("cxportfolio: initiative 'X-1' has no score: the figures leave it out "
                                  "(a value refused, bad\\nunit.yaml); fix what `cxportfolio check` reports there\n")
