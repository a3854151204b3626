"""The report's first page, printed by a real browser: one A4 sheet, nothing cut or spilling.

Headless Chromium prints the summary alone (the HTML without its details) to PDF, and the
pages are counted; a copy of the page with a measuring script injected (the shipped HTML
has no script and a policy forbidding them) reports any element off the sheet or any text
overflowing its box, laid out at the printed width.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "portfolios").iterdir() if (p / "cxportfolio.yaml").is_file())
# A4 with the report's 12 mm margins, in CSS pixels (96 per inch).
SHEET_WIDTH, SHEET_HEIGHT = 186 / 25.4 * 96, 273 / 25.4 * 96

MEASURE = """
<script>
(() => {
  const summary = document.getElementById("summary"), box = summary.getBoundingClientRect();
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " +
                       (el.textContent || "").trim().slice(0, 40);
  for (const el of summary.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 0.5 || r.right > box.left + %(width)f + 0.5)
      problems.push("off the sheet's width: " + name(el));
    if (r.bottom > box.top + %(height)f) problems.push("below the sheet: " + name(el));
    // Table rows and groups span their cells (rowspan): their own boxes are not text boxes.
    // A box that clips with a visible ellipsis keeps its text in, by design.
    const style = getComputedStyle(el), display = style.display;
    const clipped = style.overflow === "hidden" &&
                    (style.textOverflow === "ellipsis" || style.webkitLineClamp !== "none");
    const textBox = !(el instanceof SVGElement) && display !== "inline" &&
                    !/^table-(row|column|header|footer)/.test(display);
    if (textBox && !clipped && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      problems.push("text overflows its box: " + name(el));
  }
  const scales = [...summary.querySelectorAll("svg")].map(
    (svg) => svg.getBoundingClientRect().width / (parseFloat(svg.getAttribute("width")) * 4 / 3));
  document.body.setAttribute("data-measured", JSON.stringify(
    {problems, scales, width: box.width, height: box.height}));
})();
</script>
"""


def _chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (bash .ci/run installs it)")
    return browser


def _browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    done = subprocess.run([*flags, *args], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def summary_only(html: str) -> str:
    """The report without its details: what prints on the first sheet."""
    cut = re.sub(r'<section id="details">.*</body>', "</body>", html, flags=re.S)
    assert cut != html and 'id="summary"' in cut
    return cut


def printed_pages(html: str, tmp_path: Path, name: str) -> int:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    _browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf.read_bytes()))


def measured(page_html: str, tmp_path: Path, name: str) -> dict:
    """Geometry of the summary laid out at the sheet's width (the CSS is in mm, alike on screen)."""
    probe = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_html)
    probe = probe.replace("</body>", MEASURE % {"width": SHEET_WIDTH, "height": SHEET_HEIGHT} + "</body>")
    page = tmp_path / f"{name}-probe.html"
    page.write_text(probe, encoding="utf-8")
    dom = _browser(tmp_path, "--window-size=900,1400", "--dump-dom", page.as_uri()).stdout
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, "the measuring script did not run"
    return json.loads(unescape(found.group(1)))


def assert_one_sheet(html: str, tmp_path: Path, name: str) -> None:
    assert printed_pages(summary_only(html), tmp_path, name) == 1
    geometry = measured(html, tmp_path, name)
    assert geometry["problems"] == []
    assert abs(geometry["width"] - SHEET_WIDTH) < 1  # laid out at the printed width
    assert geometry["scales"] and min(geometry["scales"]) > 0.95  # charts print at their drawn size


def report_html(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", str(root), "--format", "html", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_prints_its_summary_on_one_sheet(example: Path, tmp_path: Path) -> None:
    assert_one_sheet(report_html(example, "--as-of", "2026-12-01", "--period", "2026-Q3"), tmp_path, example.name)


def test_the_details_follow_on_their_own_sheets(tmp_path: Path) -> None:
    html = report_html(ROOT / "portfolios" / "nordbank", "--as-of", "2026-12-01", "--period", "2026-Q3")
    assert "#details { break-before: page; }" in html and '<section id="details">\n<h2>Details</h2>' in html
    assert printed_pages(summary_only(html), tmp_path, "summary") == 1
    assert printed_pages(html, tmp_path, "full") >= 3


@pytest.mark.parametrize(("period", "as_of"), [("2026-09", "2026-12-01"), ("2026", "2026-12-01"),
                                               ("2026", "2027-01-15")])  # the last: the year over
def test_monthly_and_annual_editions_print_on_one_sheet(period: str, as_of: str, tmp_path: Path) -> None:
    assert_one_sheet(report_html(ROOT / "portfolios" / "nordbank", "--as-of", as_of, "--period", period),
                     tmp_path, f"{period}-{as_of}")


def test_a_thousand_initiatives_with_errors_print_on_one_sheet(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(tmp_path / "big", 1000)
    # errors the figures rest on (completion dates after --as-of are none): unknown references
    (tmp_path / "big" / "zz-errors.yaml").write_text(
        "initiatives:\n" + "".join(f"  - {{id: ERR-{n}, title: E, status: idea, unit: nobody, addresses: [PP-nope]}}\n"
                                   for n in range(20)), encoding="utf-8")
    html = report_html(tmp_path / "big", "--as-of", "2026-09-30", "--period", "2026-Q3")
    assert 'id="honesty"' in html  # its errors take room on the sheet too
    assert_one_sheet(html, tmp_path, "big")


def test_long_hostile_text_stays_inside_the_sheet(tmp_path: Path) -> None:
    root = tmp_path / "nordbank"
    shutil.copytree(ROOT / "portfolios" / "nordbank", root)
    cards = root / "units" / "cards.yaml"
    long_word = "Dispute" + "x" * 300
    cards.write_text(cards.read_text(encoding="utf-8").replace(
        "title: Dispute card payments online without a PDF",
        f"title: \"{long_word} {'very long title ' * 40}\u202eevil\""), encoding="utf-8")
    kpis = root / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace(
        "name: Mortgage applications that end in a payout", "name: " + "Mortgage" * 60), encoding="utf-8")

    html = report_html(root, "--as-of", "2026-12-01", "--period", "2026-Q3")
    assert "\u202e" not in html and "\\u202e" in html  # the bidi override is shown, not obeyed
    assert_one_sheet(html, tmp_path, "hostile")


def test_an_organizations_long_name_keeps_the_summary_on_one_sheet(tmp_path: Path) -> None:
    """Found by a newcomer: an organization's name of 110 characters wrapped the title onto
    three lines and pushed "Unaddressed severe pain" onto a second sheet (June's edition,
    whose sheet is fullest). The first page shortens it, as it does every long text (this
    name of 180 characters takes a second sheet unshortened)."""
    root = tmp_path / "nordbank"
    shutil.copytree(ROOT / "portfolios" / "nordbank", root)
    config = root / "cxportfolio.yaml"
    name = ("Nordbank Savings and Mortgage Cooperative Society of the Northern Counties, the Islands and the "
            "Fjords, with its Subsidiaries in Pensions, Insurance, Leasing and Card Payments")
    config.write_text(config.read_text(encoding="utf-8").replace("organization: Nordbank", f"organization: {name}"),
                      encoding="utf-8")
    html = report_html(root, "--as-of", "2026-06-30")
    assert f"<title>{name} — improvement report 2026</title>" in html  # whole where it has room
    assert_one_sheet(html, tmp_path, "long-name")


def test_done_work_without_completion_dates_keeps_the_summary_on_one_sheet(tmp_path: Path) -> None:
    """The sentence naming done work without a `completed:` date (the first five, and how
    many more) sits under the target: with every done initiative's date gone, and the
    banner their errors bring, the summary still prints on one sheet."""
    root = tmp_path / "nordbank"
    shutil.copytree(ROOT / "portfolios" / "nordbank", root)
    for unit in (root / "units").glob("*.yaml"):
        unit.write_text(re.sub(r"\n *completed: [0-9-]+", "", unit.read_text(encoding="utf-8")), encoding="utf-8")
    html = report_html(root, "--as-of", "2026-12-01", "--period", "2026-Q3")
    assert re.search(r'<p class="undated">\d+ done initiatives without a <code>completed:</code> date are not counted: '
                     r'[^<]* and \d+ more\.</p>', html)
    assert_one_sheet(html, tmp_path, "undated")


def test_done_work_whose_effects_cannot_be_read_keeps_the_summary_on_one_sheet(tmp_path: Path) -> None:
    """The effect tile says of how many done initiatives it cannot tell (a realized period
    refused): with every realized period refused, and the banner their errors bring, the
    summary still prints on one sheet."""
    root = tmp_path / "nordbank"
    shutil.copytree(ROOT / "portfolios" / "nordbank", root)
    for unit in (root / "units").glob("*.yaml"):
        unit.write_text(re.sub(r"period: 2026-Q(\d)\}", r"period: 2026-Q\g<1>9}", unit.read_text(encoding="utf-8")),
                        encoding="utf-8")
    html = report_html(root, "--as-of", "2026-12-01", "--period", "2026-Q3")
    assert re.search(r"done with a measured gain \(\d\d not known\)</div>", html)
    assert_one_sheet(html, tmp_path, "effects-unread")
