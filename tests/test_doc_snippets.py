"""Every shell snippet of the guides runs as written, from the repository's root.

README.md (test_readme.py) and docs/ci.md (test_integrations.py) have tests of their own;
docs/performance.md runs benchmarks (minutes, check-jsonschema), which is what CI must not
spend. Every other ```sh block of docs/ is run here, line by line in one bash session (so a
`cd` carries over), with the `cxportfolio` of the Python running the tests, and each line
must exit 0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OWN_TESTS = {"ci.md": "test_integrations.py", "performance.md": "benchmarks, not run in CI"}


def snippets() -> list[tuple[str, str]]:
    found = []
    for page in sorted((REPO / "docs").glob("*.md")):
        if page.name in OWN_TESTS:
            continue
        for block in re.findall(r"^```(?:sh|bash)\n(.*?)^```", page.read_text(encoding="utf-8"), flags=re.M | re.S):
            found.append((page.name, block))
    return found


def test_the_guides_have_snippets_to_run() -> None:
    assert any(page == "ranking.md" for page, _ in snippets())


@pytest.mark.parametrize(("page", "block"), snippets(), ids=[f"{p}#{n}" for n, (p, _) in enumerate(snippets())])
def test_every_line_of_a_guides_snippet_exits_0(page: str, block: str) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", NO_COLOR="1")
    # Each line must succeed on its own: `set -e` stops at the first that does not, and
    # the trace on stderr names it.
    script = "set -e -x\n" + block
    done = subprocess.run(["bash", "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{page}: {done.stderr[-2000:]}"
    assert done.stdout.strip(), "the snippet printed nothing"


def outputs_shown() -> list[tuple[str, str, str]]:
    """(page, command, output) for each output block the guides introduce with the command
    that prints it ("`cxportfolio rank … --explain DIG-007`:" and a ``` block)."""
    found = []
    for page in sorted((REPO / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"`(cxportfolio [^`]*)`[^\n`]*:\n\n```\n(.*?)^```", text, flags=re.M | re.S):
            found.append((page.name, match.group(1), match.group(2)))
    return found


@pytest.mark.parametrize(("page", "command", "shown"), outputs_shown(), ids=[c for _, c, _ in outputs_shown()])
def test_every_output_a_guide_shows_is_what_its_command_prints(page: str, command: str, shown: str) -> None:
    """Found by a newcomer: ranking.md's plan showed 12 initiatives and 54569.6 where the
    command printed 13 and 55481.0, and its prose credited the weight 0.6 to the wrong
    initiative. An output shown under its command is that command's output, or its end."""
    assert len(outputs_shown()) >= 2  # the plan and --explain in ranking.md
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", NO_COLOR="1",
               COLUMNS="200")
    done = subprocess.run(["bash", "-c", command], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.endswith(shown), f"{page}: `{command}` printed:\n{done.stdout[-3000:]}"
