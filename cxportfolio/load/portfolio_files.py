"""Find a portfolio's files and read each of them once, safely.

A pull request is untrusted input (SECURITY.md): only regular files inside the root are
read, each at most MAX_FILE_BYTES (plus one byte to tell it is too large). A link that
leads outside the root, a device, a FIFO or a file name that is not UTF-8 becomes a
CXP001 finding that quotes nothing of what lies behind it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import cast

from cxportfolio.errors import CxpError, permission_denied
from cxportfolio.load.positions import Pointer, locate
from cxportfolio.load.yaml_reader import MAX_FILE_BYTES, ParsedYaml, YamlProblem, read_yaml, too_large
from cxportfolio.processes import forked_worker, second_process_pays
from cxportfolio.records import record

CONFIG_NAME = "cxportfolio.yaml"
DOCUMENT_SUFFIXES = (".yaml", ".yml")


@record(frozen=False)
class LoadedFile:
    """One file: its POSIX path relative to the root, its data and its problems."""

    path: str
    parsed: ParsedYaml

    @property
    def data(self) -> object:
        return self.parsed.data

    @property
    def readable(self) -> bool:
        """Whether its content could be used (False: a syntax error, not UTF-8, not read)."""
        return self.parsed.usable

    def locate(self, pointer: Pointer, at_key: bool = False) -> tuple[int, int]:
        return locate(self.parsed, pointer, at_key)


@record(frozen=False)
class LoadedPortfolio:
    """Every file of a portfolio as read: the configuration and the documents, with
    their data and positions."""

    root: Path
    config: LoadedFile
    documents: list[LoadedFile]

    def __post_init__(self) -> None:
        self._by_path = {f.path: f for f in self.documents}

    def file(self, path: str) -> LoadedFile:
        if path == self.config.path:
            return self.config
        return self._by_path[path]

    @property
    def problems(self) -> list[tuple[LoadedFile, YamlProblem]]:
        return [(f, p) for f in [self.config, *self.documents] for p in f.parsed.problems]

    @property
    def unreadable(self) -> list[str]:
        """Documents whose content is unknown: what they define may be missing anywhere."""
        return [f.path for f in self.documents if not f.readable]


def _dead_end(link: Path) -> str:
    """Why a link leads nowhere: into a loop of links, or to a path that does not exist
    (through however many links)."""
    try:
        os.path.realpath(link, strict=True)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "it leads into a loop of links"
    return f"it leads to {os.path.realpath(link)}, which does not exist"


def _sibling_hint(path: Path, most: int = 1000) -> str:
    """"; did you mean 'portfolios/nordbank'?" when the folder above holds a folder named
    almost so (a typo in the last part, as `cxportfolio chek` is told its command); the
    first `most` entries are looked at (bounded work in a folder of thousands)."""
    from itertools import islice

    from cxportfolio.model.types import closest

    try:
        with os.scandir(path.parent) as entries:
            folders = [e.name for e in islice(entries, most) if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        return ""
    found = closest(path.name, sorted(folders))  # none when several are as alike: none is picked
    if found is None:
        return ""
    from cxportfolio.render.neutral import printable  # a line break in the name shown, not folded to a space

    return f"; did you mean '{printable(str(path.parent / found))}'?"


def resolve_root(path: Path, given_as: str = "PATH") -> Path:
    """The portfolio root for a PATH argument, or a one-line CxpError; `given_as`: how the
    command takes the folder (`--base-dir`), for the advice to give another."""
    from cxportfolio.workdir import relative_needs_folder

    relative_needs_folder(path)  # the current folder removed: said so, not "no such file"
    if not path.exists():
        if os.path.islink(path):  # a link to nothing, or round to itself: `exists` cannot tell
            raise CxpError(f"{path}: a link that leads to no file or folder ({_dead_end(path)}): fix the link, or give the "
                           "portfolio folder")
        raise CxpError(f"{path}: no such file or directory" + _sibling_hint(path))
    if path.is_file():
        if path.name == CONFIG_NAME:
            return path.parent
        raise CxpError(f"{path}: is a file; give the portfolio directory (the one holding {CONFIG_NAME})")
    if not path.is_dir():  # a device or a pipe: no folder to enter, not a permission to lack
        raise CxpError(f"{path}: is neither a file nor a folder (a device, a pipe or a socket); give the portfolio "
                       f"directory (the one holding {CONFIG_NAME})")
    if not os.access(path, os.R_OK | os.X_OK):  # its cxportfolio.yaml would seem missing
        raise CxpError(permission_denied(path))
    config = path / CONFIG_NAME
    if not os.path.lexists(config):
        from cxportfolio.load.discovery import listed, portfolios_below

        below, _ = portfolios_below(Path(os.path.abspath(path)))  # portfolios in it: one of them is meant, not a new one
        if len(below) == 1:  # "the portfolio below it: portfolio: give one" read as a list of one
            raise CxpError(f"{path}: not a portfolio root, {CONFIG_NAME} is missing; the portfolio below it is "
                           f"{listed([path / below[0]])}/: give it as {given_as}")
        if below:
            raise CxpError(f"{path}: not a portfolio root, {CONFIG_NAME} is missing; the portfolios below it: "
                           f"{listed([path / p for p in below], 3)}: give one as {given_as}")
        raise CxpError(
            f"{path}: not a portfolio root, {CONFIG_NAME} is missing "
            "(run `cxportfolio init` to start one)"
        )
    return path


# Below this many bytes of YAML (about 10,000 initiatives' worth at half of it), a second
# process costs more than it saves; above, it parses part of the files (benchmarked in
# docs/performance.md).
PARALLEL_FROM_BYTES = 2_000_000


# Caps on the whole portfolio, so that a pull request cannot make a check read without
# bound (SECURITY.md, caps): a real portfolio is a few hundred files and megabytes; the 100,000-
# initiative benchmark is 104 files and 47 MB. Past a cap, no file is read: the first is one
# CXP001 finding that says how many more there are.
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
# How many names (files and folders of any kind, hidden ones too) the walk below the
# portfolio folder lists before it stops: its time and memory grow with every name, YAML
# or not (a pull request can add a million folders or files, each a few bytes in git).
# Ten times MAX_FILES, so that a portfolio of YAML files meets that cap first.
MAX_WALK_ENTRIES = 200_000


Parse = Callable[[bytes], ParsedYaml]


def load_files(path: Path, overrides: Mapping[Path, ParsedYaml] | None = None,
               parse: Parse | None = None) -> LoadedPortfolio:
    """`overrides`: an editor's unsaved buffers, each already read by `read_yaml` (so
    under its limits), by absolute path, taken instead of the file's content on disk.
    Only a file the trust rules accept is overridden: a buffer never adds a file, nor
    stands in for a link leading out or a device. `parse`: what turns a file's bytes
    into data — by default `read_yaml` without the texts (the check needs none), or a
    memo of it that gives the same answer for the same bytes (the language server's,
    which re-reads a portfolio on every edit and shows the texts)."""
    root = resolve_root(path)
    unsaved = _unsaved(root, overrides or {})
    reader = parse or _read_for_check
    config = _read_config(root, unsaved, reader)
    sizes: dict[Path, int] = {}
    found = _within_caps(root, discover(root), sizes)
    paths: list[Path] = []  # read from disk
    buffered: list[Path] = []  # read from the editor's buffer
    for p in found:
        if not isinstance(p, LoadedFile):
            (buffered if unsaved and _relative(root, p) in unsaved else paths).append(p)
    read = dict(zip(map(str, paths), _read_all(root, paths, [sizes.get(p, 0) for p in paths], reader)))
    read.update((str(p), _overridden(root, p, unsaved, reader)) for p in buffered)
    documents = [f if isinstance(f, LoadedFile) else read[str(f)] for f in found]
    return LoadedPortfolio(root, config, documents)


def _unsaved(root: Path, overrides: Mapping[Path, ParsedYaml]) -> dict[str, ParsedYaml]:
    """The overrides by path relative to the root (those outside it are ignored)."""
    real_root = os.path.abspath(root)
    by_relative: dict[str, ParsedYaml] = {}
    for full, text in overrides.items():
        rel = os.path.relpath(os.path.abspath(full), real_root)
        if not rel.startswith(".."):
            by_relative[Path(rel).as_posix()] = text
    return by_relative


def _overridden(root: Path, full: Path, unsaved: Mapping[str, ParsedYaml], parse: Parse) -> LoadedFile:
    """An unsaved buffer in place of the file; a path that is not a regular file on disk
    is read (and refused) as usual."""
    if not os.path.isfile(full):
        return read_file(root, full, parse)
    return LoadedFile(_relative(root, full), unsaved[_relative(root, full)])


def _read_config(root: Path, unsaved: Mapping[str, ParsedYaml] | None = None, parse: Parse = read_yaml) -> LoadedFile:
    """`cxportfolio.yaml`, read under the same rules as every document: a link leading out
    of the portfolio, or into a hidden folder, is not followed (its content is never
    quoted), and a FIFO or a device is not read."""
    refusal = _link_refusal(os.path.realpath(root / CONFIG_NAME), os.path.realpath(root))
    if refusal:
        return _unread(CONFIG_NAME, refusal, "keep cxportfolio.yaml a regular file in the portfolio folder")
    if unsaved and CONFIG_NAME in unsaved:
        return _overridden(root, root / CONFIG_NAME, unsaved, parse)
    return read_file(root, root / CONFIG_NAME, parse)


def _link_refusal(real_file: str, real_root: str) -> str | None:
    """Why a file reached through links must not be read, or None."""
    if not _inside(real_file, real_root):
        return "a link to a file outside the portfolio: not read"
    if any(part.startswith(".") for part in Path(os.path.relpath(real_file, real_root)).parts):
        return "a link to a hidden file or folder (such as .git): not read"
    return None


def _within_caps(root: Path, found: list[Path | LoadedFile], sizes: dict[Path, int]) -> list[Path | LoadedFile]:
    """The files in order; from the first past MAX_FILES or MAX_TOTAL_BYTES on, none is read.
    That first file is one CXP001 finding naming the cap and how many files it leaves unread
    (a finding each would make a pull request of 200,000 tiny files 180,000 findings); the
    others are unreadable without a finding of their own, so that the summary and the
    figures count them. `sizes` receives the size of each file up to the cap (what the
    second process's share is measured by); none is asked past it."""
    kept: list[Path | LoadedFile] = []
    past: list[int] = []  # where in `kept` the files past a cap are
    count, total = 0, 0
    what = ""
    for entry in found:
        if isinstance(entry, LoadedFile):
            kept.append(entry)
            continue
        count += 1
        if not what:
            try:
                sizes[entry] = os.stat(entry).st_size
            except OSError:
                sizes[entry] = 0
            total += min(sizes[entry], MAX_FILE_BYTES + 1)
            what = (f"more than {MAX_FILES:,} YAML files" if count > MAX_FILES
                    else f"more than {MAX_TOTAL_BYTES // 1048576} MiB of YAML in all" if total > MAX_TOTAL_BYTES
                    else "")
        if what:
            past.append(len(kept))
        kept.append(entry)
    if past:
        first, *others = past
        nor = ("" if not others else ", nor the file after it by name" if len(others) == 1
               else f", nor the {len(others):,} files after it by name")
        kept[first] = _unread(_relative(root, cast(Path, kept[first])), f"not read{nor}: the portfolio holds {what}",
                              "split the portfolio, or check what was added to it")
        for n in others:
            kept[n] = LoadedFile(_relative(root, cast(Path, kept[n])), _PAST_A_CAP)
    return kept


# What a file past a cap holds, shared by them all (never changed): nothing, and no problem
# of its own, as the first such file's finding speaks for them.
_PAST_A_CAP = ParsedYaml(None, "", [], usable=False)


def _read_for_check(raw: bytes) -> ParsedYaml:
    return read_yaml(raw, keep_text=False)


def _read_all(root: Path, paths: list[Path], sizes: list[int], parse: Parse = _read_for_check) -> list[LoadedFile]:
    """Every file read and parsed, in order; on a large portfolio a forked second process
    (the standard library's ProcessPoolExecutor) parses the later files while this one
    parses the first. Parsing is Python-bound (libyaml's events become data here), so
    threads would not help; what the child returns is pickled, which costs about a third
    of what it parsed, so it takes the smaller share. A memo `parse` (the language
    server's) stays in this process: it makes re-reading cheap already."""
    total = sum(sizes)
    if parse is not _read_for_check or total < PARALLEL_FROM_BYTES or len(paths) < 2 or not second_process_pays():
        return [read_file(root, p, parse) for p in paths]
    split, taken = len(paths), 0
    while split > 1 and taken + sizes[split - 1] <= total * _CHILD_SHARE:
        split -= 1
        taken += sizes[split]
    with forked_worker() as pool:
        later = pool.submit(_read_some, root, paths[split:])
        first = [read_file(root, p, _read_for_check) for p in paths[:split]]
        return first + later.result()


_CHILD_SHARE = 0.42  # of the bytes: the child also pickles what it parsed


def _read_some(root: Path, paths: list[Path]) -> list[LoadedFile]:
    return [read_file(root, p, _read_for_check) for p in paths]


def discover(root: Path) -> list[Path | LoadedFile]:
    """Every *.yaml / *.yml below root except the config, hidden entries skipped.

    Directory links are followed while they stay inside the root, each real directory
    and file once (a link back up the tree cannot loop). What cannot be read — a folder without
    permission, a link leading outside, a name that is not UTF-8, folders deeper than
    MAX_FOLDER_DEPTH, the folder in which the walk has listed more than MAX_WALK_ENTRIES
    names (it stops there) — is returned as a LoadedFile holding its CXP001 problem, so that
    it is counted and reported.
    """
    real_root = os.path.realpath(root)
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()  # a file linked from elsewhere in the portfolio is read once
    found: dict[str, Path | LoadedFile] = {}
    too_deep: list[str] = []

    def refused(rel: str, message: str, hint: str) -> None:
        # Named as it is (a name that is not UTF-8 holds lone surrogates): each output
        # writes it as its format can (render.neutral.path_text, SARIF's %XX of the bytes).
        found[rel] = LoadedFile(rel, ParsedYaml(None, "", [YamlProblem("CXP001", message, 1, 1, hint)],
                                                usable=False))

    def unreadable_dir(err: OSError) -> None:
        rel = _relative(root, Path(err.filename or root))
        refused(rel, f"cannot read folder: {err.strerror or 'unreadable'}", "check the folder's permissions")

    def too_many(dirpath: str) -> None:  # one finding: the walk stops there
        refused(_relative(root, Path(dirpath)),
                f"the portfolio folder holds more than {MAX_WALK_ENTRIES:,} files and folders: the reading stopped "
                "in this folder, and nothing in it, or in the folders after it by name, is read",
                "keep only the portfolio in its folder, or check what was added to it")

    for dirpath, depth, dirnames, filenames in _walk(str(root), unreadable_dir, MAX_WALK_ENTRIES, too_many):
        real = os.path.realpath(dirpath)
        if real in seen_dirs or not _inside(real, real_root):
            if not _inside(real, real_root):
                refused(_relative(root, Path(dirpath)), "a link to a folder outside the portfolio: not read",
                        "keep portfolio files inside the portfolio folder")
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # What holds for the folder holds for each file in it that is not a link: its real
        # path is the folder's and its name (resolving it again is most of the walk's time).
        folder = _relative(root, Path(dirpath))
        if depth == MAX_FOLDER_DEPTH and dirnames:  # not entered: the walk's work stays bounded
            too_deep += (d if folder == "." else f"{folder}/{d}" for d in dirnames)
            dirnames[:] = []
        hidden = _link_refusal(real, real_root) is not None
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(DOCUMENT_SUFFIXES):
                continue
            if real == real_root and name == CONFIG_NAME:
                continue
            full = Path(dirpath, name)
            rel = name if folder == "." else f"{folder}/{name}"
            if not _utf8(rel):
                refused(rel, "the file name is not valid UTF-8: not read",
                        "rename the file (UTF-8 names only)")
                continue
            linked = os.path.islink(full)
            real_file = os.path.realpath(full) if linked else os.path.join(real, name)
            refusal = _link_refusal(real_file, real_root) if linked or hidden else None
            if refusal:
                refused(rel, refusal, "keep portfolio files inside the portfolio folder: copy the file in rather than "
                        "link to it" if not _inside(real_file, real_root) else
                        "keep portfolio files in the portfolio's own folders, not in a hidden one (such as .git)")
            elif real_file not in seen_files:
                seen_files.add(real_file)
                found[rel] = full
    if too_deep:  # one finding, at the first such folder: a thousand of them say nothing more
        first = min(too_deep)
        more = f" (and {len(too_deep) - 1:,} more such folder{'s' if len(too_deep) > 2 else ''})" \
            if len(too_deep) > 1 else ""
        refused(first, f"a folder more than {MAX_FOLDER_DEPTH} levels below the portfolio "
                f"folder: nothing in it read{more}", "keep the portfolio's folders shallower")
    return [found[rel] for rel in sorted(found)]


# How deep the portfolio's folders are read: a real portfolio is two or three levels deep
# (units/<unit>/...); a pull request can nest thousands, and deeper folders are a CXP001
# finding, not read.
MAX_FOLDER_DEPTH = 32


def _walk(top: str, onerror: Callable[[OSError], None], max_entries: int,
          on_full: Callable[[str], None]) -> Iterator[tuple[str, int, list[str], list[str]]]:
    """os.walk(top, followlinks=True) top-down, with each folder's depth below `top` (0 for
    `top`), without recursion: os.walk recurses once per level before Python 3.12, and a pull
    request can nest folders deeper than the interpreter's recursion limit. As with os.walk,
    the caller prunes `dirnames` in place to choose what is entered, in that order.

    At most `max_entries` names are listed in all: the folder whose listing goes past them
    is given to `on_full`, unlisted (which of its names came first depends on the file
    system), and the walk ends, so that its time and memory stay bounded however many
    files or folders there are, and which folder it is does not depend on the file system."""
    stack: list[tuple[str, int]] = [(top, 0)]
    listed = 0
    while stack:
        path, depth = stack.pop()
        dirnames: list[str] = []
        filenames: list[str] = []
        try:
            with os.scandir(path) as listing:
                for entry in listing:
                    listed += 1
                    if listed > max_entries:
                        on_full(path)
                        return
                    try:
                        is_dir = entry.is_dir()  # follows links, as os.walk(followlinks=True)
                    except OSError:
                        is_dir = False
                    (dirnames if is_dir else filenames).append(entry.name)
        except OSError as err:
            onerror(err)
            continue
        yield path, depth, dirnames, filenames
        stack.extend((os.path.join(path, d), depth + 1) for d in reversed(dirnames))


def read_file(root: Path, full: Path, parse: Parse = read_yaml) -> LoadedFile:
    """Read one regular file, at most the size limit plus one byte, never blocking."""
    rel = _relative(root, full)
    try:
        fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        return _unread(rel, f"cannot read file: {err.strerror or 'unreadable'}", "check the file's permissions")
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):  # only cxportfolio.yaml is opened without a walk saying what it is
            return _unread(rel, "a folder, not a file: not read", f"make {rel} an ordinary text file")
        if not stat.S_ISREG(status.st_mode):
            return _unread(rel, "not a regular file (a device, a FIFO or a socket): not read",
                           "portfolio files are ordinary text files")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        return _unread(rel, f"cannot read file: {err.strerror or 'unreadable'}", "check the file's permissions")
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:  # read to the cap and a byte only: its size says how far over
        return LoadedFile(rel, too_large(max(size, status.st_size)))
    return LoadedFile(rel, parse(b"".join(chunks)))


def display_path(path: str) -> str:
    """A path as it can be printed anywhere: bytes that are not UTF-8 as \\xNN."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _unread(rel: str, message: str, hint: str) -> LoadedFile:
    return LoadedFile(rel, ParsedYaml(None, "", [YamlProblem("CXP001", message, 1, 1, hint)], usable=False))


def _relative(root: Path, full: Path) -> str:
    """`full.relative_to(root)` as POSIX, on the paths' strings (pathlib's takes most of
    the time of a language server's re-reading of unchanged files); `full` when it is
    not below `root`."""
    whole, base = str(full), str(root)
    if whole == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not whole.startswith(prefix):
        return full.as_posix()
    return whole[len(prefix):] if os.sep == "/" else whole[len(prefix):].replace(os.sep, "/")


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
