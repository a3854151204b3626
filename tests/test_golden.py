"""Golden files: every check renderer's output for a scenario, compared byte for byte.

Refresh with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cxportfolio.engine import run_check
from cxportfolio.render import CHECK_RENDERERS, RenderOptions

GOLDEN = Path(__file__).parent / "golden"
EXTENSIONS = {"text": "txt", "json": "json", "github": "github", "sarif": "sarif",
              "gitlab": "gitlab.json", "junit": "junit.xml"}


@pytest.mark.parametrize("fmt", sorted(CHECK_RENDERERS))
@pytest.mark.parametrize("scenario", ["broken"])
def test_check_output_matches_golden(scenario: str, fmt: str, request: pytest.FixtureRequest) -> None:
    run = run_check(GOLDEN / scenario / "portfolio", dt.date(2026, 6, 30))
    output = CHECK_RENDERERS[fmt](run.result, RenderOptions())
    expected = GOLDEN / scenario / f"expected.{EXTENSIONS[fmt]}"
    if request.config.getoption("--update-golden"):
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")


def test_every_format_has_a_golden_file() -> None:
    assert set(EXTENSIONS) == set(CHECK_RENDERERS)
