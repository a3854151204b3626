"""What a check reports: findings with severities and locations."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Location:
    """A place in a file: POSIX path relative to the portfolio root, 1-based line/column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    severity: Severity
    message: str
    location: Location
    pointer: str = ""
    entities: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    hint: str | None = None
    suppressed: bool = False
    suppression_reason: str | None = None
    key: tuple[str, ...] | None = None  # identity for the fingerprint; default: entities

    @cached_property  # a frozen dataclass still has a __dict__ to cache in
    def fingerprint(self) -> str:
        """Stable across edits that move text: never the line number or an entity's index.

        Rule code, file, the entity ids and the pointer without the entity's position in
        its list (`/initiatives/3/effort` → `/initiatives/effort`), so a baseline still
        matches after entities are added above or lines move.
        """
        if self.key:
            subject = [self.code, *self.key]
            return _digest(subject)
        parts = self.pointer.split("/")
        if self.entities and len(parts) > 2 and parts[2].isdigit():
            del parts[2]
        subject = [self.code, self.location.file, *sorted(self.entities), "/".join(parts)]
        if not self.entities:
            subject.append(self.message)
        return _digest(subject)

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)


def _digest(subject: list[str]) -> str:
    # surrogateescape: a file name that is not UTF-8 reaches Python as lone surrogates.
    return hashlib.sha256("\x1f".join(subject).encode("utf-8", "surrogateescape")).hexdigest()[:32]


@dataclass
class CheckSummary:
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files: int = 0
    initiatives: int = 0
    suppressed: int = 0
    baseline_known: int = 0  # findings hidden because the baseline already had them
    unreadable: int = 0  # documents that could not be read: findings are limited by them


@dataclass
class CheckResult:
    findings: list[Finding]
    summary: CheckSummary = field(default_factory=CheckSummary)
    files: list[str] = field(default_factory=list)  # every file read, relative to the root

    def failed(self, strict: bool = False) -> bool:
        return self.summary.errors > 0 or (strict and self.summary.warnings > 0)
