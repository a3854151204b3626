"""Only what a change introduced: findings compared with a baseline by fingerprint.

The baseline is the portfolio at a git ref (read with `git archive`, the working tree is
never touched) or a saved `check --format json` run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cxportfolio.errors import CxpError


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise CxpError("git is not installed; use --baseline-file instead") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise CxpError(f"git {' '.join(args[:2])} failed: {reason[-1] if reason else 'unknown error'}")
    return done.stdout


def checkout_at(ref: str, root: Path, into: Path) -> Path:
    """Extract the portfolio directory as it was at `ref` into `into`; return its root there."""
    root = root.resolve()
    toplevel = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    relative = root.relative_to(toplevel).as_posix()
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    archive = _git(toplevel, "archive", "--format=tar", ref, "--", relative if relative != "." else ".")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    target = into / relative
    if not (target / "cxportfolio.yaml").is_file():
        raise CxpError(f"{ref}: the portfolio did not exist at that ref ({relative}/cxportfolio.yaml is missing)")
    return target


def fingerprints_at_ref(ref: str, root: Path, as_of: dt.date) -> set[str]:
    from cxportfolio.engine import run_check

    with tempfile.TemporaryDirectory(prefix="cxportfolio-baseline-") as tmp:
        old_root = checkout_at(ref, root, Path(tmp))
        return {f.fingerprint for f in run_check(old_root, as_of).result.findings}


def fingerprints_from_file(path: Path) -> set[str]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {f["fingerprint"] for f in document["findings"]}
    except OSError as err:
        raise CxpError(f"{path}: cannot read the baseline file: {err.strerror}") from None
    except (ValueError, KeyError, TypeError):
        raise CxpError(f"{path}: not a `cxportfolio check --format json` output with fingerprints") from None
