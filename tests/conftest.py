"""Shared helpers: write tiny portfolios to disk and check them."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from cxportfolio.engine import CheckRun, Selection, run_check

AS_OF = dt.date(2026, 6, 30)
CONFIG = "organization: Test\nyear: 2026\ntarget: {improvements: 10}\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output")


def write_portfolio(root: Path, files: dict[str, str | bytes], config: str | None = CONFIG) -> Path:
    """Write files (dedented text, or raw bytes) below root, with a default config."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None and "cxportfolio.yaml" not in files:
        (root / "cxportfolio.yaml").write_text(config, encoding="utf-8")
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def copy_of_example(factory: pytest.TempPathFactory, purpose: str, name: str = "nordbank") -> Path:
    """A copy of a shipped example, outside any git repository, for tests that edit it or
    whose output would name the repository's commit."""
    root = factory.mktemp(purpose) / name
    shutil.copytree(Path(__file__).resolve().parents[1] / "portfolios" / name, root)
    return root


def check(root: Path, as_of: dt.date = AS_OF, selection: Selection = Selection()) -> CheckRun:
    return run_check(root, as_of, selection)


def brief(run: CheckRun, code: str | None = None) -> list[str]:
    """Findings as 'file:line:col CODE: message', the shape fixture cases expect."""
    return [f"{f.location.file}:{f.location.line}:{f.location.column} {f.code}: {f.message}"
            for f in run.result.findings if code is None or f.code == code]


@pytest.fixture
def portfolio(tmp_path: Path):
    """`portfolio({...files})` writes a portfolio and returns its root."""

    def make(files: dict[str, str | bytes], config: str | None = CONFIG) -> Path:
        return write_portfolio(tmp_path / "p", files, config)

    return make
