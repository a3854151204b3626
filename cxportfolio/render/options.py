"""Options every renderer may honour."""

import os
from pathlib import Path

from cxportfolio.records import record


@record
class RenderOptions:
    """How a check result is rendered: color, suppressed findings, paths, quiet."""

    color: bool = False
    show_suppressed: bool = False
    # How to reach the portfolio root from where paths are resolved (prefix_from): the
    # working directory, or for GitHub annotations the workspace. "" when they are the same.
    path_prefix: str = ""
    quiet: bool = False  # findings only: no summary line
    step_summary: bool = False  # the CLI writes $GITHUB_STEP_SUMMARY: annotations may point to it
    strict: bool = False  # --strict: warnings fail the check too (JUnit makes them failures)

    def ci_path(self, file: str) -> str:
        """A finding's file (relative to the portfolio root) as every renderer prints it:
        relative to where the command runs, so that a terminal or editor opens it."""
        return f"{self.path_prefix}{file}"


def prefix_from(root: Path, base: Path) -> str:
    """The prefix that turns a path relative to `root` into one relative to `base`: `..`
    where the root lies outside it, and absolute where no relative path exists (another
    drive on Windows). The user's spelling of the root is kept (no links resolved)."""
    try:
        relative = Path(os.path.relpath(os.path.abspath(root), os.path.abspath(base))).as_posix()
    except ValueError:
        relative = Path(os.path.abspath(root)).as_posix()
    return "" if relative == "." else relative.rstrip("/") + "/"
