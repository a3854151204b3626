"""The current folder, which a shell keeps after it is removed (`cd x; rm -r ../x`).

os.getcwd() then raises FileNotFoundError: an absolute path still works, every use of the
current folder goes through here, and a relative path gets one line saying what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from cxportfolio.errors import CxpError

GONE = "the current folder no longer exists; cd to an existing folder or give an absolute path"


def current_folder() -> Path | None:
    """The current folder, or None when it was removed."""
    try:
        return Path(os.getcwd())
    except FileNotFoundError:
        return None


def current_folder_needed() -> Path:
    """The current folder, for a relative path or a search from it; a CxpError when removed."""
    folder = current_folder()
    if folder is None:
        raise CxpError(GONE)
    return folder


def shown_from_here(path: Path) -> str:
    """`path` relative to the current folder, as a message names it; absolute when there is
    no current folder."""
    return str(path) if current_folder() is None else os.path.relpath(path)


def relative_needs_folder(path: Path) -> None:
    """A relative `path` when the current folder was removed: a CxpError saying so, not
    "no such file" as if the name were mistyped."""
    if not path.is_absolute():
        current_folder_needed()


def reached(path: str | Path) -> str:
    """`path` made absolute as the system reaches it: os.path.abspath drops `link/..` as
    text, where the system goes up from the folder the link leads to, so `link/../p/x.yaml`
    was named `p/x.yaml`, a file that was not read. The part up to the last `..` is
    resolved (links in it too); the user's spelling of links is kept only after it."""
    parts = Path(path).parts
    if ".." not in parts:
        return os.path.abspath(path)
    after = len(parts) - parts[::-1].index("..")  # the parts after the last `..`
    return os.path.join(os.path.realpath(Path(*parts[:after])), *parts[after:])
