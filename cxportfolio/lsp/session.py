"""One portfolio as the editor sees it: the files on disk with the open buffers over them."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

from cxportfolio.engine import CheckRun, run_check
from cxportfolio.load.discovery import portfolio_above
from cxportfolio.load.portfolio_files import read_file
from cxportfolio.load.yaml_reader import ParsedYaml, YamlProblem, decode
from cxportfolio.lsp.diagnostics import shown_message
from cxportfolio.lsp.index import IdIndex
from cxportfolio.memo import Memo
from cxportfolio.lsp.text import lines_of
from cxportfolio.model.finding import Finding, Location
from cxportfolio.rules import REGISTRY

if TYPE_CHECKING:
    from cxportfolio.analysis.ranking import Score
    from cxportfolio.rules.base import Hit


def portfolio_root(file: Path) -> Path | None:
    """The folder holding `cxportfolio.yaml` nearest above `file`, as `check` finds it
    from a working directory; None outside any portfolio. Only upward: a file outside a
    portfolio never adopts one found below it."""
    return portfolio_above(Path(os.path.abspath(file)).parent)


class Session:
    """The portfolio under `root`; `buffers` holds the open files' text by absolute path."""

    def __init__(self, root: Path, as_of: dt.date | None = None) -> None:
        self.root = root
        self.as_of = as_of
        self.buffers: dict[Path, str] = {}
        self.last_readable: dict[Path, str] = {}
        self.snapshot: Snapshot | None = None
        self.memo = Memo()  # what the previous check computed, for what has not changed
        self._on_disk: dict[Path, tuple[tuple[int, int], YamlProblem | None]] = {}

    def check(self, today: dt.date | None = None) -> Snapshot:
        """Check the portfolio as the buffers have it, except that a buffer which is not
        readable YAML (half typed) counts as its last readable text (else the file on
        disk) for every other file: what rests on its entities stays put while a person
        types. The buffer's own syntax problems are reported in it. The date is the
        session's `as_of`, else `today` (the server's clock), else the system's."""
        overrides: dict[Path, ParsedYaml] = {}  # each buffer read once, by the one reader
        unreadable: dict[str, ParsedYaml] = {}
        for path, text in self.buffers.items():
            parsed = self.memo.parse(_encoded(text))
            if parsed.usable:
                self.last_readable[path] = text
                overrides[path] = parsed
            else:
                unreadable[self.relative(path)] = parsed
                if path in self.last_readable:
                    overrides[path] = self.memo.parse(_encoded(self.last_readable[path]))
        run = run_check(self.root, self.as_of or today or dt.date.today(), overrides=overrides, memo=self.memo)
        self.memo.end_check()
        # Each rule's hits, as the engine hands them to the next check (engine.py,
        # _remembered_rule_hits): who must accept a finding is said there, not in it.
        hits = self.memo.previous("rule hits") or {}
        if unreadable:
            _report_unreadable(run, unreadable)
        self._report_bytes_on_disk(run)
        self.snapshot = Snapshot(self.root, run, dict(self.buffers), self.memo, set(unreadable), hits)
        return self.snapshot

    def close(self, path: Path) -> None:
        self.buffers.pop(path, None)
        self.last_readable.pop(path, None)
        self._on_disk.pop(path, None)

    def _report_bytes_on_disk(self, run: CheckRun) -> None:
        """An open file whose bytes on disk are not UTF-8 (Latin-1, UTF-16) is shown to
        the server decoded, as valid text; but the file on disk is what `check` reads, in
        CI too, and the editor saves it in that encoding again. So the buffer's file gets
        the CXP001 `check` gives the file on disk, saying so, until it is saved as UTF-8."""
        files, added = set(run.result.files), []
        for path, text in self.buffers.items():
            file = self.relative(path)
            problem = self._disk_encoding(path) if file in files else None
            if problem is not None and not isinstance(decode(_encoded(text)), YamlProblem):  # else said in the buffer
                added.append(Finding(
                    problem.code, REGISTRY[problem.code].name, REGISTRY[problem.code].severity,
                    f"the file on disk: {problem.message}, which `check` reports (as in CI): the editor shows "
                    "it decoded", Location(file, problem.line, problem.column),
                    hint="save it as UTF-8 (set the editor's encoding for this file to UTF-8, then save)"))
        if added:  # a new list: the engine may hand the one it made to the next check
            run.result.findings = sorted([*run.result.findings, *added], key=lambda f: f.sort_key)

    def _disk_encoding(self, path: Path) -> YamlProblem | None:
        """The encoding problem of the file's bytes on disk, if any (read again only
        when its size or time changed)."""
        try:
            status = os.stat(path)
        except OSError:
            return None
        stamp = (status.st_mtime_ns, status.st_size)
        known = self._on_disk.get(path)
        if known is None or known[0] != stamp:
            read = read_file(self.root, path, _encoding_problem).parsed
            known = self._on_disk[path] = (stamp, read.problems[0] if read.problems else None)
        return known[1]

    def relative(self, path: Path) -> str:
        return relative(self.root, path)


def relative(root: Path, path: Path | str) -> str:
    """A path as the check names files: POSIX, relative to the portfolio's root."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _encoding_problem(raw: bytes) -> ParsedYaml:
    """Only whether the bytes are UTF-8 (`decode`): for a file on disk under a buffer."""
    found = decode(raw)
    return ParsedYaml(None, "", [found] if isinstance(found, YamlProblem) else [])


def _surrogates(err: UnicodeError) -> tuple[bytes, int]:
    """A lone surrogate sent by the editor as the bytes it stands for: U+DC80–U+DCFF is
    how Python and editors keep a byte that is not UTF-8 (surrogateescape), so the reader
    names that byte, the one in the file; any other as its own (invalid) UTF-8 bytes."""
    assert isinstance(err, UnicodeEncodeError)
    chars = err.object[err.start:err.end]
    return b"".join(bytes([ord(c) - 0xDC00]) if 0xDC80 <= ord(c) <= 0xDCFF else c.encode("utf-8", "surrogatepass")
                    for c in chars), err.end


codecs.register_error("cxportfolio-surrogates", _surrogates)


def _encoded(text: str) -> bytes:
    # Never an exception here: a lone surrogate becomes bytes that are not UTF-8,
    # reported as such by the reader (CXP001).
    return text.encode("utf-8", "cxportfolio-surrogates")


def _report_unreadable(run: CheckRun, unreadable: dict[str, ParsedYaml]) -> None:
    """In each half-typed file, why it cannot be read, as the loader says it (CXP001: a
    protected rule, always counted at its own severity), instead of the findings about
    the text that stood in for it. Elsewhere, a finding's related places in a half-typed
    file are left out: they are lines of the text that stood in, not of the buffer."""
    files = set(run.result.files)
    findings = [_without_places_in(f, unreadable) for f in run.result.findings if f.location.file not in unreadable]
    for file, parsed in unreadable.items():
        if file in files:
            findings.extend(Finding(p.code, REGISTRY[p.code].name, REGISTRY[p.code].severity, p.message,
                                    Location(file, p.line, p.column),
                                    related=tuple(Location(file, line, column) for line, column in p.related),
                                    hint=p.hint, related_labels=p.related_labels) for p in parsed.problems)
    run.result.findings = sorted(findings, key=lambda f: f.sort_key)


def _without_places_in(finding: Finding, files: Mapping[str, object]) -> Finding:
    if not any(place.file in files for place in finding.related):
        return finding
    kept = [(place, label) for place, label in zip_longest(finding.related, finding.related_labels)
            if place is not None and place.file not in files]
    return replace(finding, related=tuple(p for p, _ in kept),
                   related_labels=tuple(label or "" for _, label in kept) if finding.related_labels else ())


class Snapshot:
    """What one check saw and found; navigation and hover answer from the latest one."""

    def __init__(self, root: Path, run: CheckRun, buffers: dict[Path, str], memo: Memo | None = None,
                 unreadable_buffers: set[str] | None = None, hits: Mapping[str, list[Hit]] | None = None) -> None:
        self.root, self.run, self.memo = root, run, memo
        self._unreadable_buffers = unreadable_buffers or set()
        self._hits = hits or {}
        self._buffers = {relative(root, p): text for p, text in buffers.items()}
        self._lines: dict[str, list[str]] = {}

    def lines(self, file: str) -> list[str]:
        """The file's lines as checked: the buffer when open, else what was read."""
        found = self._lines.get(file)
        if found is None:
            text = self.text(file)
            # An unchanged file's text is the very object of the previous check: its
            # lines are kept with it.
            found = self._lines[file] = (lines_of(text) if self.memo is None else
                                         self.memo.by_identity(("lines", file), text, lambda: lines_of(text)))
        return found

    def text(self, file: str) -> str:
        """The file's text as checked: the buffer when open, else what was read."""
        text = self._buffers.get(file)
        if text is None:
            try:
                text = self.run.loaded.file(file).parsed.text
            except KeyError:
                text = ""
        return text

    @cached_property
    def index(self) -> IdIndex:
        return IdIndex(self.run.loaded, self.run.portfolio, self.lines)

    @cached_property
    def ranks(self) -> dict[str, tuple[int, int, Score]]:
        """Initiative id → (rank, of how many, score) among the open ones, as `rank` lists
        them; computed only when a hover asks."""
        from cxportfolio.analysis.ranking import RankingModel

        model = RankingModel(self.run.portfolio)
        ranked = model.ranked([i for i in model.portfolio.initiatives if i.is_open])
        return {score.id: (n, len(ranked), score) for n, score in enumerate(ranked, 1)}

    @property
    def unreadable(self) -> list[str]:
        """The portfolio's files whose ids are unknown: those that cannot be read on disk
        and the open buffers that do not parse (their last readable text stands in for
        them in the check, but its ids are not where the buffer has them)."""
        read = {f.path for f in self.run.loaded.documents}
        return sorted(set(self.run.loaded.unreadable) | (self._unreadable_buffers & read))

    def parties(self, code: str, entities: Sequence[str], message: str) -> list[str] | None:
        """Who must carry an allow for the finding (its code, entities and message as the
        editor shows it) to be suppressed, as the engine's Policy decides it: the hit's
        parties, else its key, else its entities; the ids the portfolio defines. None when
        the latest check made no such finding (a diagnostic of an older one)."""
        from cxportfolio.engine import parties_of

        for hit in self._hits.get(code, ()):
            if list(hit.entities) == list(entities) and message.startswith(shown_message(hit.message)):
                return parties_of(hit, self.run.portfolio)
        return None

    def buffer(self, file: str) -> str | None:
        """The open buffer's text as checked, or None for a file read from disk."""
        return self._buffers.get(file)

    @property
    def buffered(self) -> list[str]:
        """The files checked as open buffers."""
        return list(self._buffers)

    def relative(self, path: Path) -> str:
        return relative(self.root, path)

    def path(self, file: str) -> Path:
        return self.root / file
