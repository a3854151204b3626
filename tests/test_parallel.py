"""A large check reads files in a forked second process and has another compute the
costly part of the duplicate rule (standard library); the findings must be byte for
byte those of one process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import AS_OF
from cxportfolio import engine, processes
from cxportfolio.load import portfolio_files
from cxportfolio.rules import duplicates
from cxportfolio.render import CHECK_RENDERERS, RenderOptions

EXAMPLES = Path(__file__).resolve().parent.parent / "portfolios"


def _json(root: Path) -> str:
    run = engine.run_check(root, AS_OF)
    return CHECK_RENDERERS["json"](run.result, RenderOptions())


@pytest.mark.skipif(sys.platform != "linux", reason="the second process is forked")
@pytest.mark.parametrize("example", ["nordbank", "welfare-agency"])
def test_two_processes_find_what_one_finds(example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "MATRIX_INITIATIVES", 1)  # a large portfolio's way, both times
    one = _json(EXAMPLES / example)
    monkeypatch.setattr(portfolio_files, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(duplicates, "ASIDE_FROM", 1)
    monkeypatch.setattr(processes.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(processes, "_CONSOLE_COMMAND", True)  # as under the console command
    import concurrent.futures

    submitted: list[str] = []

    class Counting(concurrent.futures.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    two = _json(EXAMPLES / example)
    assert submitted == ["_read_some", "warm_up", "_clusters"]  # both stages did use a second process
    assert two == one and '"code":"CXP201"' in two


UNGUARDED = """
import sys
from pathlib import Path
from cxportfolio import engine, processes
from cxportfolio.rules import duplicates

duplicates.MATRIX_INITIATIVES = duplicates.ASIDE_FROM = 1  # a large portfolio's way, with a second process
processes.os.cpu_count = lambda: 2
print("the script ran")
run = engine.run_check(Path(sys.argv[1]), __import__("datetime").date(2026, 6, 30))
print(sum(f.code == "CXP201" for f in run.result.findings), "CXP201")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the second process is forked")
def test_a_library_callers_unguarded_script_runs_once_and_its_check_completes(tmp_path: Path) -> None:
    """A script without `if __name__ == "__main__":` would be run again by a process
    started afresh (multiprocessing's spawn), and the check fail: a library call runs
    the duplicate rule in its own process; the console command has the second one."""
    import subprocess

    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(EXAMPLES / "welfare-agency")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "the script ran" and len(lines) == 2 and lines[1] != "0 CXP201"
