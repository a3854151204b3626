"""Which portfolio a command means when it is given no PATH, found as git and ruff find theirs.

Upward first: the working directory or the nearest folder above it that holds
`cxportfolio.yaml` (so every command works from any folder inside a portfolio). Failing
that, downward: a repository that keeps exactly one portfolio somewhere below is used from
its root. The downward search is bounded — hidden folders, virtual environments and
node_modules skipped, links never followed, a portfolio's own folders not entered, at most
MAX_DEPTH levels and MAX_ENTRIES directory entries — so that it stays instant in a big
checkout and cannot be led anywhere by a link.
"""

from __future__ import annotations

import os
from pathlib import Path

from cxportfolio.errors import CxpError
from cxportfolio.load.portfolio_files import CONFIG_NAME
from cxportfolio.records import record
from cxportfolio.workdir import reached

MAX_DEPTH = 4  # portfolios/nordbank is 2; a monorepo's cx/portfolios/<org> is 3
MAX_ENTRIES = 20_000
SKIPPED = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})  # and every hidden folder
LISTED = 5  # portfolios named when several are found


@record
class Discovered:
    """The root as a path relative to the start folder, and whether it was found below."""

    root: Path
    below: bool


def find_portfolio(start: Path) -> Discovered:
    """The portfolio `start` is in (or above), else the only one below it; a one-line CxpError
    listing what was found otherwise."""
    start = Path(os.path.abspath(start))
    above = portfolio_above(start)
    if above is not None:
        return Discovered(Path(os.path.relpath(above, start)), below=False)
    found, complete = portfolios_below(start)
    if len(found) == 1 and complete:
        return Discovered(found[0], below=True)
    if not found:
        unfinished = "" if complete else f" (searched the first {MAX_ENTRIES:,} entries)"
        raise CxpError(f"no portfolio here: no {CONFIG_NAME} in this folder or above it, nor in the folders "
                       f"below it, up to {MAX_DEPTH} levels down{unfinished}; {_in_repository(start)}")
    names = listed(found)
    if not complete:  # what is found first need not be the only one
        raise CxpError(f"the search below this folder stopped after {MAX_ENTRIES:,} entries, having found "
                       f"{names}; give the portfolio as PATH")
    raise CxpError(f"{len(found)} portfolios below this folder: {names}; give one as PATH")


def _in_repository(start: Path) -> str:
    """What to do when nothing is found: the portfolios the git repository around `start`
    keeps elsewhere (a step run from `docs/` beside `cx/portfolio`), else how to start one."""
    repository = next((f for f in start.parents if os.path.lexists(f / ".git")), None)
    found = portfolios_below(repository)[0] if repository is not None else []
    if not found:
        return "give the portfolio's folder as PATH, or start one with `cxportfolio init`"
    names = listed([Path(os.path.relpath(repository / p, start)) for p in found])
    return f"this repository keeps {names}: give {'it' if len(found) == 1 else 'one'} as PATH"


def listed(found: list[Path], most: int = LISTED) -> str:
    """Portfolio folders as a message names them: the first `most`, and how many more; each
    as `printable` shows it, a line break or tab in a name as an escape (the message is
    folded to one line, where `a b` would name another folder, one a pull request can add)."""
    from cxportfolio.render.neutral import printable

    return ", ".join(printable(p.as_posix()) for p in found[:most]) + (
        f" and {len(found) - most} more" if len(found) > most else "")


def portfolio_above(start: Path) -> Path | None:
    """The nearest folder holding `cxportfolio.yaml`: `start` itself or one above it (absolute).
    A `..` in `start` goes up as the system goes (workdir.reached): `link/../p/units` is
    inside the portfolio beside the link's target, the one the command would read."""
    start = Path(reached(start))
    return next((folder for folder in (start, *start.parents) if os.path.lexists(folder / CONFIG_NAME)), None)


def portfolios_below(start: Path) -> tuple[list[Path], bool]:
    """Portfolio roots below `start` (relative; the shallower first, then by name), and whether the search
    finished within its bounds."""
    found: list[Path] = []
    level, entries = [start], 0
    for _ in range(MAX_DEPTH):
        deeper: list[Path] = []
        for folder in level:
            try:
                with os.scandir(folder) as listing:
                    children = sorted(listing, key=lambda e: e.name)
            except OSError:
                continue  # an unreadable folder holds nothing we could check anyway
            entries += len(children)
            if entries > MAX_ENTRIES:
                return found, False
            for child in children:
                if child.name.startswith(".") or child.name in SKIPPED:
                    continue
                if not child.is_dir(follow_symlinks=False):
                    continue
                path = Path(child.path)
                if os.path.lexists(path / CONFIG_NAME):
                    found.append(path.relative_to(start))
                else:
                    deeper.append(path)
        level = deeper
    return found, True
