"""The console command's entry point (`cxportfolio`, `python -m cxportfolio`).

Kept apart from cli.py so that Ctrl-C while the modules load (click, then what a command
imports) is one line and exit 130, the shell's code for it, never a traceback: nothing
here but the standard library's `sys`, already loaded.
"""

import sys


def main() -> None:
    try:
        from cxportfolio.cli import main as run
    except KeyboardInterrupt:
        _interrupted()
    try:
        run()
    except KeyboardInterrupt:  # after the command's own handling: its exit, or the last flush
        _interrupted()


def _interrupted() -> None:
    try:
        sys.stderr.write("cxportfolio: interrupted\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or full: the code says it
        pass
    sys.exit(130)  # 128 + SIGINT
