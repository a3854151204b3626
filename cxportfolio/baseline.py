"""Only what a change introduced: findings compared with a baseline by fingerprint.

The baseline is the portfolio at a git ref (read from git's object database, the working
tree is never touched) or a saved `check --format json` run.

A tree at a ref is as untrusted as a pull request (SECURITY.md): `diff BASE HEAD` reads the
pull request's own commit. So the portfolio is copied out of git by listing the tree
(`git ls-tree`) and reading each blob (`git cat-file`), not with `git archive`, which
obeys `.gitattributes` in the tree it archives (`export-ignore` would hide a file from
the comparison, `export-subst` would rewrite one). Only regular files named `*.yaml` /
`*.yml` are written, each below the temporary directory under its own name: symbolic
links (to anywhere), submodules and names with `..` or an absolute path are never
created, and nothing is written through a link, because the copy holds none. A blob
over the reader's size limit is not read from git: its copy is a sparse file one byte
over the limit, which the reader reports as too large, as it would the original.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from cxportfolio.errors import CxpError
from cxportfolio.git_command import run_git, start_git
from cxportfolio.model.config import RuleSettings
from cxportfolio.model.finding import FINGERPRINT_VERSION

if TYPE_CHECKING:
    from cxportfolio.engine import Known

_REGULAR_MODES = (b"100644", b"100755")
_SUFFIXES = (".yaml", ".yml")  # = load.portfolio_files.DOCUMENT_SUFFIXES (and the config)


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if not cwd.is_dir():
        raise CxpError(f"{cwd}: no such directory")
    try:
        return run_git(cwd, "--literal-pathspecs", *args)
    except FileNotFoundError:
        raise CxpError("git is not installed; use --baseline-file instead") from None


def _git(cwd: Path, *args: str) -> bytes:
    done = _run(cwd, *args)
    if done.returncode != 0:
        raise CxpError(f"git {' '.join(args[:2])} failed: {_said(done)}")
    return done.stdout


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """Git's own words on a failure: its last line on stderr, without `fatal: `."""
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    if not lines:
        return f"exit status {done.returncode}, nothing said"
    return lines[-1].removeprefix("fatal: ").removeprefix("error: ")


def _toplevel(root: Path) -> Path:
    """The root of the git repository holding `root`, or a CxpError saying what to do: a
    container's or an archive's copy has no `.git`, and git refuses a checkout another user
    owns (a CI container's, often) until it is trusted."""
    done = _run(root, "rev-parse", "--show-toplevel")
    if done.returncode == 0:
        # the path's bytes as the file system has them: a folder name need not be UTF-8
        return Path(os.fsdecode(done.stdout.rstrip(b"\n")))
    said = done.stderr.decode(errors="replace")
    # the path to the line's last quote: a folder may be named with a quote in it
    owned = re.search(r"dubious ownership in repository at '(.*)'$", said, re.MULTILINE)
    if owned:
        import shlex

        from cxportfolio.render.neutral import printable

        folder = printable(owned.group(1))
        raise CxpError(f"git refuses the repository at {folder}, which another user owns (dubious "
                       f"ownership): trust it first with git config --global --add safe.directory "
                       f"{shlex.quote(folder)} (a CI container's checkout often is another user's)")
    if "not a git repository" in said:
        raise CxpError(f"{root} is not in a git repository, where a git ref's portfolio is read from: run in a "
                       "git checkout (a copy without .git has none), or compare with a saved run "
                       "(check --baseline-file, diff --base-dir)")
    raise CxpError(f"git rev-parse --show-toplevel failed: {_said(done)}")


def resolve_commit(ref: str, root: Path) -> str | None:
    """The commit a git ref names in the repository holding `root`, or None.

    A ref is only ever a ref: it is never read as an option (a leading '-') or a path.
    Raises a CxpError when `root` is not inside a git repository (or git is missing).
    """
    _toplevel(root)
    if not ref or ref.startswith("-") or "\0" in ref:
        return None
    done = _run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    commit = done.stdout.decode(errors="replace").strip()
    return commit if done.returncode == 0 and commit else None


_WHOLE_HISTORY = "check out with fetch-depth: 0 (GitLab: GIT_DEPTH: 0)"


def not_a_commit(ref: str, root: Path) -> str:
    """Why `ref` names no commit, in git's words, and how to fetch it when it may be missing.

    A CI checkout is often shallow or holds one branch (actions/checkout fetches one
    commit, GitLab 20 and no target branch): the base is then absent, not wrong.
    """
    if ref.startswith("-") or "\0" in ref:
        return f"'{ref}' is not a git ref: a ref never starts with '-' or holds a NUL character"
    found = _run(root, "rev-parse", "--verify", "--quiet", ref)
    if found.returncode == 0:
        kind = _run(root, "cat-file", "-t", found.stdout.decode().strip()).stdout.decode().strip()
        if kind:
            return f"'{ref}' names a {kind}, not a commit"
        return _commit_absent(ref, root)  # a full commit id is "verified" without its object
    reason = _said(_run(root, "rev-parse", ref, "--"))  # `--`: never read as a path
    if not ref:
        reason += "; the ref is empty: is the variable that names the base branch set?"
    elif ref.endswith("/"):
        # `origin/${{ github.base_ref }}` in a run that is no pull request's (`on: push`)
        reason += (f"; no branch follows '{ref}': is the variable that names the base branch set? "
                   "github.base_ref is empty outside pull_request events")
    if not ref or ref.endswith("/"):  # unfinished: no fetch or deeper clone brings it
        return f"'{ref}' is not a git ref (a commit, branch or tag) in this repository (git: {reason})"
    shallow = _run(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    remote, _, branch = ref.partition("/")
    # `origin/main~1`, `origin/main^`: the branch is `main`, and what the suffix reaches
    # needs history before it (a refspec holds no suffix: git refuses it)
    name = re.split(r"[~^@:]", branch, maxsplit=1)[0]
    remotes = _run(root, "remote").stdout.decode(errors="replace").split()
    tracking = _tracking_branch(ref, remotes, root)
    if tracking:
        # `baseline: ${{ github.base_ref }}`: the bare branch name, which a clone has only
        # as a remote-tracking branch
        hint = f"; did you mean '{tracking}'? a clone holds the other branches as {tracking.split('/')[0]}/<name>"
    elif name and remote in remotes and not shallow and (meant := _known_branch(remote, name, root)):
        # A clone that fetches all of the remote's branches, lacking this one: a fetch would
        # not bring it (`origin/master` where the remote has only `main`)
        hint = (f"; {remote} had no branch '{name}' when this clone last fetched it: did you mean "
                f"'{remote}/{meant}{branch[len(name):]}'?")
    elif name and remote in remotes:
        # The refspec names the tracking branch: a one-branch clone would not update it.
        depth = (" --depth=100" if name != branch else " --depth=1") if shallow else ""
        hint = (f"; fetch {'its branch' if name != branch else 'it'} first: git fetch{depth} {remote} "
                f"+{name}:refs/remotes/{remote}/{name}")
    elif name and remote not in remotes and remote != "refs" and not shallow:
        # `--baseline origin/main` (the docs' CI example) in a repository with no remote
        # of that name, a local one: its branch may be local. A full ref (`refs/heads/x`)
        # names no remote, and a shallow clone (CI's) may lack a local `feature/x` too
        local = _run(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}^{{commit}}").returncode == 0
        hint = (f"; this repository has no remote '{remote}'"
                + (f" (its remotes: {', '.join(remotes)})" if remotes else "")
                + (f": did you mean the local branch '{name}'?" if local else ""))
    elif shallow:
        hint = f"; this clone is shallow and may lack it: git fetch --deepen=100, or {_WHOLE_HISTORY}"
    elif not _run(root, "rev-list", "-n", "1", "--all").stdout.strip():
        # `--baseline HEAD` in a pre-commit hook, at a new repository's first commit
        hint = "; this repository has no commit yet: check the first one without a baseline"
    else:
        hint = ""
    return f"'{ref}' is not a git ref (a commit, branch or tag) in this repository (git: {reason}){hint}"


def _known_branch(remote: str, name: str, root: Path) -> str | None:
    """The branch of `remote` that `name` may mean, when this clone fetches all of the
    remote's branches (`refs/heads/*`) and knows them (its default, `<remote>/HEAD`, or more
    than one): the one most alike, `main` for `master` and back, else the remote's default.
    None in a one-branch clone (a CI checkout), where the branch may only be unfetched."""
    fetches = _run(root, "config", "--get-all", f"remote.{remote}.fetch").stdout.decode(errors="replace").split()
    if f"refs/heads/*:refs/remotes/{remote}/*" not in [spec.removeprefix("+") for spec in fetches]:
        return None
    prefix = f"refs/remotes/{remote}/"
    listed = _run(root, "for-each-ref", "--format=%(refname)", prefix).stdout.decode(errors="replace").split()
    branches = [ref.removeprefix(prefix) for ref in listed if ref != f"{prefix}HEAD"]
    head = _run(root, "symbolic-ref", "-q", f"{prefix}HEAD").stdout.decode(errors="replace").strip()
    default = head.removeprefix(prefix) if head.startswith(prefix) else None
    if not branches or (default is None and len(branches) < 2):
        return None
    from cxportfolio.model.types import most_alike

    other = {"main": "master", "master": "main"}.get(name)
    alike = [other] if other in branches else most_alike(name, branches)
    return alike[0] if alike else default


def _tracking_branch(ref: str, remotes: list[str], root: Path) -> str | None:
    """`origin/<ref>` (or another remote's) when that names a commit and `ref` does not."""
    if not ref or ref.startswith("-"):
        return None
    for remote in sorted(remotes, key=lambda r: r != "origin"):  # origin first
        found = _run(root, "rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{ref}^{{commit}}")
        if found.returncode == 0:
            return f"{remote}/{ref}"
    return None


def _commit_absent(sha: str, root: Path) -> str:
    """A full commit id whose object this clone lacks: the base SHA a CI gives
    ($CI_MERGE_REQUEST_DIFF_BASE_SHA) in a shallow clone that never fetched it."""
    if not sha.strip("0"):
        # git's null id, which no repository has: the commit "before" a branch's first push
        return (f"'{sha}' is git's null id, which names no commit: a CI gives it as the commit before a "
                "branch's first push (github.event.before, $CI_COMMIT_BEFORE_SHA); compare with the base "
                "branch there (origin/main), or check without a baseline")
    remotes = _run(root, "remote").stdout.decode(errors="replace").split()
    remote = "origin" if "origin" in remotes else (remotes[0] if len(remotes) == 1 else "")
    shallow = _run(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    fetch = f"git fetch --depth=1 {remote} {sha}" if shallow else f"git fetch {remote} {sha}"
    hint = f"fetch it first: {fetch}" if remote else "fetch it from the repository that has it"
    if shallow:
        hint += f" (this clone is shallow), or {_WHOLE_HISTORY}"
    return f"'{sha}' is not in this repository (no such commit in this clone); {hint}"


class PortfolioAbsent(CxpError):
    """The portfolio did not exist at the ref: a change that adds it (its first pull request)."""


def checkout_at(ref: str, root: Path, into: Path) -> Path:
    """Copy the portfolio directory as it was at `ref` into `into`; return its root there.

    Raises PortfolioAbsent when the ref holds no `cxportfolio.yaml` where the portfolio
    is now, and a CxpError when `ref` names no commit.
    """
    from cxportfolio.load.portfolio_files import MAX_FOLDER_DEPTH
    from cxportfolio.load.yaml_reader import MAX_FILE_BYTES

    root = root.resolve()
    toplevel = _toplevel(root)
    relative = root.relative_to(toplevel).as_posix()
    commit = resolve_commit(ref, root)
    if commit is None:
        raise CxpError(not_a_commit(ref, root))
    listing = _git(toplevel, "ls-tree", "-r", "-l", "-z", commit, "--", relative)
    into.mkdir(parents=True, exist_ok=True)
    wanted: list[tuple[Path, str]] = []
    # A folder deeper than the reader's cap is made empty, without what is below it: the
    # reader reports it as it would in the working tree, and nothing makes thousands of
    # nested folders (pathlib's mkdir recurses once per level).
    deepest = (0 if relative == "." else len(PurePosixPath(relative).parts)) + MAX_FOLDER_DEPTH + 1
    too_deep: set[Path] = set()
    for entry in listing.split(b"\0"):
        head, _, name = entry.partition(b"\t")
        fields = head.split()
        target = _inside(into, os.fsdecode(name))
        if target is not None and len(PurePosixPath(os.fsdecode(name)).parts) > deepest:
            too_deep.add(into.joinpath(*PurePosixPath(os.fsdecode(name)).parts[:deepest]))
            continue
        if len(fields) != 4 or fields[0] not in _REGULAR_MODES or fields[1] != b"blob":
            continue  # links, submodules: never created
        if target is None or not target.name.endswith(_SUFFIXES):
            continue
        size = int(fields[3])
        if size > MAX_FILE_BYTES:
            try:
                with _create(target) as out:
                    out.truncate(MAX_FILE_BYTES + 1)
            except _CLASH:
                pass
        else:
            wanted.append((target, fields[2].decode("ascii")))
    _copy_blobs(toplevel, wanted)
    for folder in sorted(too_deep):
        try:
            os.makedirs(folder, exist_ok=True)
        except _CLASH:
            pass
    portfolio = into / relative
    if not (portfolio / "cxportfolio.yaml").is_file():
        from cxportfolio.render.neutral import printable  # said as a note: a ref may hold bidi characters

        config = "cxportfolio.yaml" if relative == "." else f"{relative}/cxportfolio.yaml"
        raise PortfolioAbsent(f"the portfolio does not exist at {printable(ref)} ({printable(config)} is missing"
                              f"{_elsewhere_at(toplevel, commit, ref)})")
    return portfolio


def _elsewhere_at(toplevel: Path, commit: str, ref: str) -> str:
    """Where the ref kept a portfolio that the working tree has no more: a change that
    moved the portfolio finds every finding new, and docs/ci.md says how to gate a move."""
    from cxportfolio.render.neutral import printable  # a name from the tree: no escapes

    names = _git(toplevel, "ls-tree", "-r", "--name-only", "-z", commit).split(b"\0")
    gone = sorted(os.fsdecode(n) for n in names
                  if (n == b"cxportfolio.yaml" or n.endswith(b"/cxportfolio.yaml"))
                  and not (toplevel / os.fsdecode(n)).exists())
    if not gone:
        return ""
    more = f" and {len(gone) - 1} more" if len(gone) > 1 else ""
    return (f"; {printable(ref)} has {printable(gone[0])}{more}, gone since: to gate a move, give --baseline-file "
            "a run saved before it, as docs/ci.md says")


def _inside(into: Path, name: str) -> Path | None:
    """Where a tree entry's copy goes, or None for a name that could leave `into`."""
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        return None
    return into.joinpath(*parts)


# Two names for one file (or a file and a folder) on a case-insensitive file system: the
# first written stays.
_CLASH = (FileExistsError, NotADirectoryError)


def _create(target: Path) -> BinaryIO:
    """A new file (never an existing one, never through a link), its folders made."""
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    return os.fdopen(os.open(target, flags, 0o644), "wb")


def _copy_blobs(toplevel: Path, wanted: list[tuple[Path, str]]) -> None:
    """Write each blob's raw content (no filters, no attributes) with one `git cat-file`."""
    if not wanted:
        return
    process = start_git(toplevel, "cat-file", "--batch")
    assert process.stdin is not None and process.stdout is not None
    try:
        for target, blob in wanted:
            process.stdin.write(blob.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise CxpError(f"git cat-file: cannot read the blob {blob}")
            try:
                out: BinaryIO | None = _create(target)
            except _CLASH:
                out = None
            try:
                left = int(header[2])
                while left:
                    chunk = process.stdout.read(min(left, 1 << 20))
                    if not chunk:
                        raise CxpError("git cat-file: the output ended early")
                    if out is not None:
                        out.write(chunk)
                    left -= len(chunk)
            finally:
                if out is not None:
                    out.close()
            process.stdout.read(1)  # the newline after each object
    finally:
        process.stdin.close()
        process.stdout.close()
        process.wait()


def base_at_ref(ref: str, root: Path, as_of: dt.date) -> tuple[Known, RuleSettings]:
    """The findings at `ref` (`engine.Known`: each fingerprint, and each cluster, with
    whether accepted there with `allow:`), and the `rules:` its configuration sets.

    Raises PortfolioAbsent when the portfolio did not exist at `ref`.
    """
    from cxportfolio.engine import Known, run_check

    with tempfile.TemporaryDirectory(prefix="cxportfolio-baseline-") as tmp:
        old_root = checkout_at(ref, root, Path(tmp))
        run = run_check(old_root, as_of)
        return (Known.of(((f.fingerprint, f.code, f.entities, f.suppressed) for f in run.result.findings),
                         run.portfolio.unreadable, run.portfolio.files), run.portfolio.rules)


def fingerprints_from_file(path: Path) -> tuple[Known, RuleSettings | None]:
    """The findings of a saved `check --format json` (`engine.Known`, as at a ref), if
    this version made them, and the `rules:` its configuration set (None in a file saved
    before a check's JSON kept them)."""
    from cxportfolio.engine import Known
    from cxportfolio.workdir import relative_needs_folder

    relative_needs_folder(path)  # the current folder removed: said so, not "no such file"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        prints = Known.of(((f["fingerprint"], f["code"], _texts(f.get("entities")), f.get("suppressed") is True)
                           for f in document["findings"]), _texts(document.get("unreadable")))
        version = document.get("fingerprint_version", 1)
        written = document.get("rules")
    except OSError as err:
        raise CxpError(f"{path}: cannot read the baseline file: {err.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CxpError(f"{path}: not a `cxportfolio check --format json` output with fingerprints") from None
    if prints.prints and version != FINGERPRINT_VERSION:
        # Compared anyway, every finding would look new (or, worse, some old one new).
        raise CxpError(f"{path}: its fingerprints are version {version!r}, this cxportfolio's are "
                       f"version {FINGERPRINT_VERSION}: save the baseline again with this version "
                       "(check --format json at the base)")
    if written is None:
        return prints, None
    from cxportfolio.model.validate import validate_rules
    from cxportfolio.rules import REGISTRY

    rules, problems = validate_rules(path.name, written, {code: rule.options for code, rule in REGISTRY.items()})
    if problems:  # written by another version, or by hand: its settings cannot be trusted
        raise CxpError(f"{path}: its `rules` cannot be read ({problems[0].message}): save the baseline "
                       "again with this version (check --format json at the base)")
    return prints, rules


def _texts(values: object) -> tuple[str, ...]:
    """A saved list of texts (a finding's entity ids, the files that did not parse); none
    when the file holds something else there."""
    return tuple(values) if isinstance(values, list) and all(isinstance(v, str) for v in values) else ()
