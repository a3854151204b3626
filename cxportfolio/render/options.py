"""Options every renderer may honour."""

import os
from pathlib import Path

from cxportfolio.records import record
from cxportfolio.workdir import reached


@record
class RenderOptions:
    """How a check result is rendered: color, suppressed findings, paths, quiet."""

    color: bool = False
    show_suppressed: bool = False
    # How to reach the portfolio root from where paths are resolved (prefix_from): the
    # working directory, or for the CI formats in CI the checkout. "" when they are the same.
    path_prefix: str = ""
    # Where they are resolved from, relative to the root, when it lies inside it (`units`):
    # a path from there is `advisory.yaml`, not `../units/advisory.yaml` (from_inside).
    path_inside: str = ""
    quiet: bool = False  # findings only: no summary line
    step_summary: bool = False  # the CLI writes $GITHUB_STEP_SUMMARY: annotations may point to it
    strict: bool = False  # --strict: warnings fail the check too (JUnit makes them failures)
    errors_only: bool = False  # text: only the findings that fail the check (a pre-commit hook's)

    def ci_path(self, file: str) -> str:
        """A finding's file (relative to the portfolio root) as every renderer prints it:
        relative to where the command runs, so that a terminal or editor opens it."""
        return "".join(from_inside(self.path_prefix, file, self.path_inside))


def from_inside(prefix: str, file: str, inside: str) -> tuple[str, str]:
    """The prefix and the rest of a path relative to the root (`file`) as the shortest path
    from `inside`, a folder of the root (inside_from) that `prefix` (all `../`) climbs out
    of: from `units`, `units/advisory.yaml` is ("", "advisory.yaml") and `kpis.yaml`
    ("../", "kpis.yaml"). Two parts, so that each is escaped on its own as before."""
    if not inside:
        return prefix, file
    here, parts = inside.split("/"), file.split("/")
    shared = 0
    while shared < min(len(here), len(parts) - 1) and here[shared] == parts[shared]:
        shared += 1
    return "../" * (len(here) - shared), "/".join(parts[shared:])


def inside_from(root: Path, base: Path, resolve: bool = False) -> str:
    """`base` relative to `root` when it lies inside it (`units`), else "": where the paths
    prefix_from(root, base) makes are resolved from, so that none goes out and back in."""
    where = os.path.realpath if resolve else reached
    try:
        relative = Path(os.path.relpath(where(base), where(root))).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." or relative == ".." or relative.startswith("../") else relative


def prefix_from(root: Path, base: Path, resolve: bool = False) -> str:
    """The prefix that turns a path relative to `root` into one relative to `base`: `..`
    where the root lies outside it, and absolute where no relative path exists (another
    drive on Windows). The user's spelling of the root is kept (no links resolved), unless
    `resolve`: a CI checkout reached through a link (a self-hosted runner's workspace) is
    the same folder as the root the link leads to."""
    where = os.path.realpath if resolve else reached
    try:
        relative = Path(os.path.relpath(where(root), where(base))).as_posix()
    except ValueError:
        relative = Path(where(root)).as_posix()
    return "" if relative == "." else relative.rstrip("/") + "/"
