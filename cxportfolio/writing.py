"""Writing files: what `init`, `report --out`, `--output` and `schema --write` share.

SECURITY.md, no overwriting: never overwrite a user's file. A pull request controls what lies in the
repository, links included, so nothing is written through a symbolic link; every file is
written whole to a temporary file beside it and moved into place (os.replace), so an
interrupted command leaves the old file or the new one, never half of one. Kept apart
from the schemas, so that a command writing a report loads no schema generator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cxportfolio.errors import CxpError

# How each output of `check --output` and `report --out` begins: an existing file is
# replaced only when it is an earlier output of the same format (or empty), so that a
# slip such as `--output json=README.md` never costs the user a file. Compiled on first
# use (re's cache): a check that writes no file does not pay for them at every start.
_BEGINNINGS = {
    "text": r"[^\n]*:\d+:\d+: CXP\d{3} |Checked [\d,]+ files?, ",  # read without its colors
    "json": r'\{\s*"version": \d+,\s*"fingerprint_version"',
    "sarif": r'\{\s*"\$schema": "[^"]*sarif[^"]*",[^\0]*?"name": "cxportfolio"',
    "gitlab": r'\[\s*(?:\]|\{\s*"description": "CXP\d{3} )',
    "junit": r'<\?xml [^>]*\?>\s*<testsuites name="cxportfolio"',
    "github": r"::(?:error|warning|notice) [^\n]*title=(?:CXP\d{3}|cxportfolio)|Checked [\d,]+ files?, ",
    # `schema --write`: a JSON Schema this tool wrote (its $id names it)
    "schema": r'\{\s*"\$schema": "[^"]*",\s*"\$id": "urn:cxportfolio:schema:',
    "markdown": r"# [^\n]*\n\nAs of [^\n]* · cxportfolio ",
    # the generator names itself since 0.1's later reports; the earlier ones by their title
    "html": r'<!DOCTYPE html>\s*<html[^>]*>\s*<head>\s*<meta charset="utf-8">\s*'
            r'(?:<meta name="generator" content="cxportfolio|[^<]*(?:<meta [^>]*>\s*)*'
            r'<title>[^<]* — improvement report )',
}
_READ_BEGINNING = 65536  # a report's title line holds the organization's name, of any length
_COLORS = r"\x1b\[[0-9;]*m"


def replaceable(target: Path, output_format: str) -> bool:
    """Whether writing `output_format` to `target` loses nothing: no such file, an empty
    one, or an earlier output of that format (recognised by how it begins; a report, by
    its seal: unchanged since it was written)."""
    return why_not_replaced(target, output_format) is None


def why_not_replaced(target: Path, output_format: str) -> str | None:
    """None when `target` may be replaced by `output_format` (see `replaceable`); else what
    the refusal says of the file, after its name."""
    try:
        with open(target, "rb") as existing:
            beginning = existing.read(_READ_BEGINNING)
            intact = _sealed(existing, beginning) if output_format in SEALED_FORMATS else None
    except FileNotFoundError:
        return None
    except OSError as err:
        return f"cannot be read ({err.strerror}); refusing to replace it"
    if not beginning:
        return None
    text = beginning.decode("utf-8", "replace").replace("\r\n", "\n")  # a Windows checkout's line endings
    if output_format == "text":  # `--color always` written to a file by the shell
        text = re.sub(_COLORS, "", text)
    shaped = re.match(_BEGINNINGS[output_format], text) is not None
    if intact is False:  # a report of ours, edited anywhere (its title too)
        return ("was changed since cxportfolio wrote it (the seal on its last line no longer matches what is "
                "above it); refusing to replace it (remove it, or choose another --out)")
    if intact:  # a report of ours as written, in either format: nothing of the user's is lost
        return None
    if shaped and output_format not in SEALED_FORMATS:
        return None
    if shaped:
        return ("is a report without a seal at its end (written by an earlier version, or something was added "
                "after the seal), so whether it was changed since cannot be told; refusing to replace it "
                "(remove it, or choose another --out: the reports written from now on are sealed)")
    return (f"exists and is not an earlier {output_format} output of cxportfolio; refusing to replace it "
            "(name another file, or remove this one first)")


def _sealed(existing: BinaryIO, beginning: bytes) -> bool | None:
    """`seal_intact` of the open file, read whole only when it ends with a seal."""
    size = existing.seek(0, os.SEEK_END)
    existing.seek(max(size - _SEAL_TAIL, 0))
    if _SEAL.search(existing.read()) is None:
        return None
    existing.seek(len(beginning))
    return seal_intact(beginning + existing.read())


# The reports people annotate (Markdown and HTML): each ends with a seal, an HTML comment
# holding the SHA-256 of everything above it, so that an earlier report is replaced only
# when it is as written. Machine formats are recognised by how they begin.
SEALED_FORMATS = ("markdown", "html")
_SEAL = re.compile(rb"<!-- cxportfolio sha256:([0-9a-f]{64}) -->\s*\Z")  # blank lines after it are no edit
_SEAL_TAIL = 128  # the seal's line and more


def seal(text: str) -> str:
    """`text` with its seal as the last line, after a blank one (in Markdown, a line
    apart, so that it ends no table): the same text, the same seal."""
    body = (text if text.endswith("\n") else text + "\n") + "\n"
    return body + f"<!-- cxportfolio sha256:{_digest(body.encode('utf-8'))} -->\n"


def _digest(content: bytes) -> str:
    """The SHA-256 of `content` with each line's trailing spaces, tabs and CR taken off:
    an editor or a hook that trims trailing whitespace on save (pre-commit's
    trailing-whitespace), or a checkout's CRLF line endings (git's core.autocrlf), edits
    nothing of the user's, and a report re-run next week must still replace it."""
    import hashlib

    lines = content.split(b"\n")
    return hashlib.sha256(b"\n".join(line.rstrip(b" \t\r") for line in lines).rstrip(b"\n")).hexdigest()


def seal_intact(content: bytes) -> bool | None:
    """True: `content` ends with a seal matching what is above it; False: a seal that does
    not (changed since written); None: no seal."""
    found = _SEAL.search(content)
    if found is None:
        return None
    return found.group(1).decode("ascii") == _digest(content[:found.start()])


STANDARD_OUTPUT = "-"  # `report --out -`: the Unix convention


def missing_folder(given: str, folder: Path) -> CxpError:
    """An output into a folder that does not exist: refused (a mistyped path is not made
    into folders), saying the one command that makes it, quoted for a POSIX shell."""
    import shlex

    from cxportfolio.render.neutral import printable

    shown = printable(str(folder))
    argument = f"./{shown}" if shown.startswith("-") else shown  # `mkdir -p -r` reads an option
    return CxpError(f"{given}: the folder {shown} does not exist; create it first (mkdir -p {shlex.quote(argument)})")


def named_file(raw: str, option: str, example: str) -> Path:
    """The file `raw` names, as typed after `option`; a one-line CxpError when it names none:
    empty, or a folder (a trailing slash, or a folder that exists). `example`: a file
    name the message proposes (`report.html`)."""
    from cxportfolio.workdir import current_folder_needed

    if not raw:
        raise CxpError(f"{option} '' names no file; give a file name such as {example}")
    if not os.path.isabs(raw):  # said before anything is read
        current_folder_needed()
    if raw.endswith(("/", os.sep)) or os.path.isdir(raw):
        inside = raw if raw.endswith(("/", os.sep)) else raw + "/"
        raise CxpError(f"{raw}: is a folder; give a file name such as {inside}{example}")
    return Path(raw)


def as_written(path: Path) -> Path:
    """`path` with its `..` taken as text, as safe_target writes it (never up from where a
    link leads), so that what a command says it wrote, and the command it says to run
    next, name that file: `lnk/../r.md` is ./r.md here, where the system takes `lnk/..` to
    the parent of the folder `lnk` leads to. Any other spelling is kept as typed."""
    return Path(os.path.normpath(path)) if ".." in path.parts else path


def safe_target(target: Path, trusted: Path | None = None) -> Path:
    """The absolute path to write `target` at; a one-line CxpError when it, or a folder
    on the way to it below `trusted`, is a symbolic link, or when it exists and is not a
    regular file. Write to the path returned: `..` is resolved in it as checked here,
    never through a link (`reports/../q3.html` with `reports` a link).

    `trusted` defaults to the current directory when the target lies below it (what a
    pull request controls in CI), and to the target's own folder otherwise (a path the
    user typed outside the repository, such as /tmp, may pass through system links).
    """
    from cxportfolio.workdir import current_folder, current_folder_needed

    here = current_folder() if target.is_absolute() else current_folder_needed()
    absolute = Path(os.path.abspath(target))
    base = Path(os.path.abspath(trusted)) if trusted is not None else here or absolute.parent
    shown_from = base
    if trusted is None and not _below(absolute, base):
        base = absolute.parent
    if _below(absolute, base):
        step = base
        for part in absolute.relative_to(base).parts[:-1]:
            step = step / part
            if step.is_symlink():
                raise CxpError(f"{target}: the path goes through a symbolic link ({_shown(step, base)}); "
                               "refusing to write through it")
    elif os.path.realpath(absolute.parent) != os.path.realpath(base):
        raise CxpError(f"{target}: lies outside {trusted}; refusing to write it")
    for folder in reversed(absolute.parents):  # `mine.txt/q3.md`: said as such, not as a failed write
        if folder.exists() and not folder.is_dir():
            raise CxpError(f"{target}: {_shown(folder, shown_from)} is a file, not a folder")
        if not folder.exists():
            break
    if absolute.is_symlink():
        # /dev/stdout is a link to a stream, not a file of the user's to remove
        advice = ("it leads to a stream: leave the option out to write to standard output"
                  if str(absolute).startswith("/dev/") else "remove the link first")
        raise CxpError(f"{target}: is a symbolic link; refusing to write through it ({advice})")
    if absolute.exists() and not absolute.is_file():
        raise CxpError(f"{target}: exists and is not a regular file; refusing to replace it")
    return absolute


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to a temporary file in the target's folder, then move it into place."""
    temporary = _temporary(target, text)
    with _removed_on_failure(temporary, target):
        os.replace(temporary, target)


@contextmanager
def _removed_on_failure(temporary: str, target: Path) -> Iterator[None]:
    """Nothing is left of `temporary` when the block fails; an OSError is one line."""
    try:
        yield
    except OSError as err:
        _remove(temporary)
        raise CxpError(f"{target}: cannot write: {err.strerror}") from None
    except BaseException:
        _remove(temporary)
        raise


def write_all(files: Sequence[tuple[Path, str]], trusted: Path | None = None) -> None:
    """Write several files all or nothing (`init`, `schema --write`): each is written whole
    to a temporary file beside it, creating the folders it needs (never through a link,
    see `make_folder`), and only when every one is written are they moved into place. A
    failure on the way (a full disk) removes the temporary files and the folders created,
    leaving nothing half-written: no new portfolio missing half its files."""
    created: list[Path] = []
    temporaries: list[tuple[str, Path]] = []
    moved: list[Path] = []  # the new files moved into place (files replaced are whole)
    try:
        for given, text in files:
            created.extend(make_folder(given.parent, trusted))
            target = safe_target(given, trusted)
            temporaries.append((_temporary(target, text), target))
        for temporary, target in temporaries:
            new = not os.path.lexists(target)
            with _removed_on_failure(temporary, target):  # as write_atomically moves one file
                os.replace(temporary, target)
            if new:
                moved.append(target)
    except BaseException:
        for temporary, _ in temporaries:
            _remove(temporary)
        for target in moved:
            _remove(str(target))
        _remove_folders(created)
        raise


def _temporary(target: Path, text: str) -> str:
    """`text` written whole to a new temporary file beside `target`, with the permissions
    the target will have; a one-line CxpError when it cannot be (nothing is left of it)."""
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise CxpError(f"{target}: cannot write: {err.strerror}") from None
    with _removed_on_failure(temporary, target):
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, _mode_for(target))
    return temporary


def make_folder(directory: Path, trusted: Path | None = None) -> list[Path]:
    """Create `directory` (and its parents) after checking no link is on the way; returns
    the folders created, outermost first."""
    folder = safe_target(directory / "x", trusted).parent
    named = trusted is not None and folder == Path(os.path.abspath(trusted))  # the user's own choice
    if (folder.is_symlink() and not named) or (folder.exists() and not folder.is_dir()):
        raise CxpError(f"{directory}: is not a folder (or is a symbolic link); refusing to write into it")
    missing = [f for f in (folder, *folder.parents) if not os.path.lexists(f)][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        _remove_folders(missing)  # those made before the one that failed
        raise CxpError(f"{directory}: cannot create the folder: {err.strerror}") from None
    return missing


def _remove_folders(folders: list[Path]) -> None:
    """Remove the folders this command made (`folders` outermost first), when empty."""
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:
            pass


def _mode_for(target: Path) -> int:
    """An existing file keeps its permissions; a new one gets what the umask allows."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _below(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def _shown(step: Path, base: Path) -> str:
    try:
        return step.relative_to(base).as_posix()
    except ValueError:
        return str(step)
