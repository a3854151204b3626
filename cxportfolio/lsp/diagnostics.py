"""Findings → the protocol's diagnostics, each published to the file it concerns."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

from lsprotocol import types

from cxportfolio.lsp.text import Span, to_client, token_at, unquoted
from cxportfolio.memo import Memo
from cxportfolio.model.finding import Finding, Location, Severity
from cxportfolio.render.neutral import one_line, printable
from cxportfolio.docs import installed_page, rule_anchor

# The rules page installed with the package (docs/rules.md in a checkout): the editor
# opens it offline, wherever the project's repository is published.
RULES_PAGE = installed_page("rules")


def rule_doc_uri(code: str, name: str) -> str:
    """The rule's section of the installed rules page, as a file URI."""
    return f"{RULES_PAGE.as_uri()}#{rule_anchor(code, name)}"

_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}
# What a related place without an entity is, by the finding's code (a syntax problem's).
_RELATED = {"CXP001": "where the part that does not parse begins", "CXP003": "the key's first occurrence"}
# A hint naming one id, key or choice (its Nordic word's note too): the quick fix writes it
# in place of the value or key the finding is at (an unknown id, a misspelt key or choice).
_DID_YOU_MEAN = re.compile(r"did you mean '([A-Za-z][A-Za-z0-9_.-]*)'\?( \(the values are the file format's English words\))?")
_REPLACEABLE = ("CXP002", "CXP102")
_RENAME_KEY = re.compile(r"rename '([^'\n]+)' to '([A-Za-z_][A-Za-z0-9_]*)'")  # a misspelt key (CXP002)

Lines = Callable[[str], list[str]]
Uri = Callable[[str], str]


def to_range(lines: list[str], span: Span, encoding: str) -> types.Range:
    text = lines[span.line] if 0 <= span.line < len(lines) else ""
    return types.Range(types.Position(span.line, to_client(text, span.start, encoding)),
                       types.Position(span.line, to_client(text, span.end, encoding)))


def location_range(lines: Lines, location: Location, encoding: str) -> types.Range:
    """A finding's place (1-based, code points) as a range over the token starting there."""
    file_lines = lines(location.file)
    return to_range(file_lines, token_at(file_lines, location.line - 1, location.column - 1), encoding)


def diagnostic(finding: Finding, lines: Lines, uri: Uri, encoding: str) -> types.Diagnostic:
    # Portfolio text reaches the editor's UI: made printable as on a terminal (SECURITY.md),
    # on one line as every output of `check` shows it (a tab or line break in a quoted value);
    # its advice under `help:`, the word of check's text, GitHub and SARIF outputs.
    message = shown_message(finding.message) + (f"\nhelp: {one_line(finding.hint)}" if finding.hint else "")
    related = [types.DiagnosticRelatedInformation(
        types.Location(uri(place.file), location_range(lines, place, encoding)),
        printable(label) if label else _RELATED.get(finding.code, "related"))
        for place, label in zip(finding.related, (*finding.related_labels, *[""] * len(finding.related)))]
    suggestion = _DID_YOU_MEAN.fullmatch(finding.hint or "") if finding.code in _REPLACEABLE else None
    renamed = _RENAME_KEY.fullmatch(finding.hint or "") if finding.code == "CXP002" else None
    # What the fix replaces, as the check read it: the quick fix edits only where the text
    # still holds it (the editor may send this diagnostic after the buffer changed).
    replace = ({"replace": suggestion.group(1), "replacing": _written(lines, finding.location)} if suggestion else
               {"replace": renamed.group(2), "replacing": renamed.group(1)} if renamed else {})
    return types.Diagnostic(
        range=location_range(lines, finding.location, encoding), message=message,
        severity=_SEVERITY[finding.severity], code=finding.code, source="cxportfolio",
        code_description=types.CodeDescription(href=rule_doc_uri(finding.code, finding.rule)),
        related_information=related or None,
        data={"entities": list(finding.entities), **replace})


def shown_message(message: str) -> str:
    """A finding's message as its diagnostic shows it (and `check --format json` prints it)."""
    return one_line(message)


def _written(lines: Lines, location: Location) -> str:
    """The value or key written at a finding's place, without its quotes."""
    file_lines = lines(location.file)
    return unquoted(file_lines, token_at(file_lines, location.line - 1, location.column - 1))


def by_file(findings: list[Finding], files: list[str], lines: Lines, uri: Uri,
            encoding: str, memo: Memo | None = None) -> dict[str, list[types.Diagnostic]]:
    """Every file's diagnostics (empty lists included: they clear what was shown). With
    a `memo`, a finding found again on the same lines is the same diagnostic as before
    (`uri` must be the same function of the file for every check: one root's)."""
    shown: dict[str, list[Finding]] = {file: [] for file in files}
    for finding in findings:
        if not finding.suppressed:  # accepted with an allow: nothing for the editor to flag
            shown.setdefault(finding.location.file, []).append(finding)
    if memo is None:
        return {file: [diagnostic(f, lines, uri, encoding) for f in found] for file, found in shown.items()}
    return {file: _remembered(found, lines, uri, encoding, memo) for file, found in shown.items()}


def _remembered(findings: list[Finding], lines: Lines, uri: Uri, encoding: str,
                memo: Memo) -> list[types.Diagnostic]:
    """One file's diagnostics through the memo. A diagnostic reads its finding and the
    lines it points at, nothing else. The engine hands on the very finding objects of
    unchanged work, and an unchanged file's lines are the very list of the previous
    check (session.py): a file whose findings and the lines they point into are all the
    same objects keeps its list whole; else each finding kept is found by identity, one
    made anew by its content (hashed)."""
    texts = {place.file: lines(place.file) for f in findings for place in (f.location, *f.related)}
    read = tuple(texts.values())  # held by the entry: no other object can take their ids
    key = ("diagnostics", encoding, tuple(map(id, findings)), tuple((name, id(text)) for name, text in texts.items()))
    _, _, made, entries = memo.remember(key, lambda: (findings, read, *_each(findings, lines, uri, encoding, memo)))
    memo.keep_all(entries)  # each finding's own entries too: the next change in the file needs them
    return made  # type: ignore[no-any-return]


def _each(findings: list[Finding], lines: Lines, uri: Uri, encoding: str,
          memo: Memo) -> tuple[list[types.Diagnostic], list[tuple[Hashable, Any]]]:
    """Each finding's diagnostic, found by the finding's identity or made anew by its
    content; and the memo's entries that hold them."""
    made, entries = [], []
    for finding in findings:
        shown = (encoding, _line(lines, finding.location), tuple(_line(lines, place) for place in finding.related))
        by_content = ("diagnostic", finding, shown)
        by_identity = ("diagnostic of", id(finding), shown)
        held = memo.remember(by_identity, lambda finding=finding, by_content=by_content: (
            finding, memo.remember(by_content, lambda: diagnostic(finding, lines, uri, encoding))))
        made.append(held[1])
        entries.append((by_identity, held))  # (by its content: found again only if made anew, as before)
    return made, entries


def _line(lines: Lines, location: Location) -> str | None:
    file_lines = lines(location.file)
    return file_lines[location.line - 1] if 0 < location.line <= len(file_lines) else None
