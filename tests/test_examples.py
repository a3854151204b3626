"""The shipped example portfolios check clean of errors and tell the stories their READMEs tell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from cxportfolio.cli import cli
from cxportfolio.engine import run_check

PORTFOLIOS = Path(__file__).resolve().parent.parent / "portfolios"
AS_OF = dt.date(2026, 11, 24)


def stories(name: str) -> set[tuple[str, tuple[str, ...], bool]]:
    run = run_check(PORTFOLIOS / name, AS_OF)
    assert run.result.summary.errors == 0
    return {(f.code, f.entities, f.suppressed) for f in run.result.findings}


def test_nordbank_stories() -> None:
    found = stories("nordbank")
    expected = {
        # Three units each building a pension calculator; the status trackers accepted on purpose.
        ("CXP201", ("ADV-001", "CS-003", "DIG-012"), False),
        ("CXP201", ("DIG-007", "RET-001"), True),
        ("CXP201", ("CRD-002", "DIG-014"), False),
        # The applicants' black hole is worked on by six units.
        ("CXP202", ("PP-black-hole", "ADV-006", "CS-002", "DIG-007", "HR-002", "IT-003", "RET-001", "RET-009"), False),
        # Handling time: customer service pushes it down, advisory up, on goals and in effects.
        ("CXP301", ("aht", "ADV-002", "CS-001", "CS-008", "IT-001"), False),
        ("CXP302", ("aht", "advisory", "customer-service"), False),
        ("CXP304", ("CS-001", "aht", "first-contact-resolution"), False),
        ("CXP401", ("IT-001",), False),
        ("CXP402", ("CS-001",), False),
        ("CXP403", ("PP-empty-first-login",), False),
        ("CXP404", ("manual-kyc-cases",), False),
        ("CXP405", ("RET-009",), False),
        ("CXP501", ("digital",), False),
        ("CXP502", ("PP-fraud-call-hold", "CRD-007", "CS-005"), False),
        ("CXP503", ("DIG-013", "IT-006"), False),
    }
    assert expected <= found, sorted(expected - found)


def test_welfare_agency_stories() -> None:
    found = stories("welfare-agency")
    expected = {
        # One «Min side» per benefit, each on its own journey's pain point: people have one
        # life, not fifteen.
        ("CXP201", ("AAP-001", "DAG-001", "FOR-001", "SYK-001"), False),
        ("CXP201", ("DAG-002", "DIG-002", "SYK-002"), False),
        ("CXP202", ("PP-mange-innganger", "AAP-002", "DAG-004", "DIG-001"), False),
        ("CXP302", ("tid-til-vedtak", "dagpenger", "foreldrepenger", "sykepenger"), False),
        ("CXP403", ("PP-planlegging-vanskelig",), False),
    }
    assert expected <= found, sorted(expected - found)


def test_norwegian_text_survives_every_output() -> None:
    runner = CliRunner()
    root = str(PORTFOLIOS / "welfare-agency")
    text = runner.invoke(cli, ["check", root, "--as-of", "2026-11-24", "--format", "json"]).stdout
    messages = " ".join(f["message"] for f in json.loads(text)["findings"])
    assert "PP-mange-innganger" in messages
    ranked = runner.invoke(cli, ["rank", root, "--as-of", "2026-11-24", "--format", "markdown", "--all"]).stdout
    assert "Forhåndsutfylt søknad om foreldrepenger" in ranked and "Én felles Min side for alle ytelser" in ranked


def test_readme_main_command_on_nordbank_exits_clean() -> None:
    result = CliRunner().invoke(cli, ["check", str(PORTFOLIOS / "nordbank"), "--as-of", "2026-11-24"])
    assert result.exit_code == 0
    assert result.stdout.endswith("Checked 11 files, 67 initiatives: 0 errors, 28 warnings, 6 infos (1 suppressed by allow:).\n")
