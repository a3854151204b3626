"""`report`: one page in Markdown and self-contained HTML, escaped, traceable, and seen in a browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import cli

NORDBANK = Path(__file__).resolve().parent.parent / "portfolios" / "nordbank"
GOLDEN = Path(__file__).parent / "golden" / "report"
ARGS = ["--as-of", "2026-09-30", "--period", "2026-Q3"]


@pytest.fixture(scope="module")
def outside_git(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example outside any git repository, so provenance is stable."""
    root = tmp_path_factory.mktemp("report") / "nordbank"
    shutil.copytree(NORDBANK, root)
    return root


def report(root: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["report", str(root), *ARGS, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_markdown_report_matches_golden(outside_git: Path, request: pytest.FixtureRequest) -> None:
    out = report(outside_git)
    golden = GOLDEN / "nordbank-2026-Q3.md"
    if request.config.getoption("--update-golden"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_report_figures_match_track_json(outside_git: Path) -> None:
    tracked = json.loads(CliRunner().invoke(cli, ["track", str(outside_git), "--as-of", "2026-09-30",
                                                  "--format", "json"]).stdout)
    markdown = report(outside_git)
    assert f"**{tracked['done']} of {tracked['target']}** improvements done" in markdown
    assert f"forecast **{tracked['forecast']:.1f}**: **{tracked['status']}**" in markdown
    html = report(outside_git, "--format", "html")
    assert f"<b>{tracked['done']} / {tracked['target']}</b>done" in html


def test_provenance_names_as_of_commit_and_version(outside_git: Path, tmp_path: Path) -> None:
    from cxportfolio import __version__

    assert f"As of 2026-09-30 · portfolio commit not in git · cxportfolio {__version__}" in report(outside_git)
    repo = tmp_path / "repo"
    shutil.copytree(outside_git, repo)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True)
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert f"portfolio commit {commit}" in report(repo)


def test_html_is_self_contained_and_escapes_portfolio_text(outside_git: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil"
    shutil.copytree(outside_git, evil)
    unit = evil / "units" / "cards.yaml"  # CRD-002 is the top priority, so its title is on the page
    unit.write_text(unit.read_text().replace("title: Dispute card payments online without a PDF",
                                             "title: \"<script>alert('x')</script> & <img src=x>\""))
    html = report(evil, "--format", "html")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x&gt;" in html
    # No request to any host: no src/href attribute except in-page "#fragment" links inside
    # the SVG, and a content security policy that forbids loading anything anyway.
    assert not re.search(r"<[^>]*\b(?:src|href)\s*=\s*\"(?!#)", html)
    assert "default-src 'none'" in html
    markdown = report(evil)
    assert "<script>" not in markdown and "&lt;script&gt;alert('x')&lt;/script&gt;" in markdown


def test_html_report_is_deterministic(outside_git: Path) -> None:
    assert report(outside_git, "--format", "html") == report(outside_git, "--format", "html")


def test_report_to_file_and_bad_period(outside_git: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", str(outside_git), *ARGS, "--format", "html", "--out", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = CliRunner().invoke(cli, ["report", str(outside_git), "--as-of", "2026-09-30", "--period", "Q3"])
    assert bad.exit_code == 2 and "--period 'Q3'" in bad.stderr


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_report_in_a_real_browser(outside_git: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (bash .ci/run installs it)")
    page = tmp_path / "report.html"
    page.write_text(report(outside_git, "--format", "html"), encoding="utf-8")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section in ("target", "burn-up", "priorities", "journey-map", "unaddressed", "silos", "kpi-trends", "effects"):
        assert f'id="{section}"' in dom.stdout, section
    assert dom.stdout.count("<svg") >= 5  # the burn-up and the KPI sparklines rendered inline
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    shot = GOLDEN.parent.parent / "artifacts" / "report-nordbank-2026-Q3.png"
    shot.parent.mkdir(exist_ok=True)
    done = subprocess.run([*flags, "--window-size=1280,2400", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and shot.stat().st_size > 50_000  # a page with content, not a blank one
