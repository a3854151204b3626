"""Every git process cxportfolio starts, started here: with git's messages in English.

The tool reads some of git's messages ("not a git repository", "dubious ownership") to
say what to do, and quotes git's last line in its own English messages. Git translates
its messages into the user's language (`LANG=nb_NO.UTF-8`, `LANGUAGE=de`), and the
advice vanished. `LC_ALL=C` is what turns translation off: it overrides LC_MESSAGES and
LANG (a user's `LC_ALL` would override an `LC_MESSAGES=C`), and GNU gettext ignores
LANGUAGE once the messages' locale is C. LANGUAGE is dropped all the same, for a gettext
that does not. Git's output is read as bytes, or written with -z / --porcelain, which no
locale changes: paths with non-ASCII names are read as before.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

_ENGLISH = {"LC_ALL": "C"}


def git_environment() -> dict[str, str]:
    """This process's environment, with git's messages untranslated."""
    env = {name: value for name, value in os.environ.items() if name != "LANGUAGE"}
    env.update(_ENGLISH)
    return env


def run_git(cwd: Path, *args: str, text: bool = False) -> subprocess.CompletedProcess[Any]:
    """`git ARGS` in `cwd`, its output captured; FileNotFoundError when git is missing."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=text, check=False,
                          env=git_environment())


def start_git(cwd: Path, *args: str) -> subprocess.Popen[bytes]:
    """`git ARGS` in `cwd` as a process to talk to (stdin and stdout piped, stderr dropped)."""
    return subprocess.Popen(["git", *args], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=git_environment())
