"""What a check reports: findings with severities and locations."""

from __future__ import annotations

import hashlib
import json
from dataclasses import field, replace
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from cxportfolio.records import record

if TYPE_CHECKING:
    from cxportfolio.model.config import RuleSettings


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


# A finding points at no more than this many related places (a pain point addressed by a
# thousand initiatives names them all in `entities`, but links to the first 20): the
# rules' findings and the loader's grouped problems alike.
MAX_RELATED = 20


@record
class Location:
    """A place in a file: POSIX path relative to the portfolio root, 1-based line/column."""

    file: str
    line: int
    column: int


@record
class Finding:
    """One problem found: the rule, its severity, where it is, what it concerns and
    how to fix it."""

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
    # What the finding is about (docs/ci.md, Fingerprints); default: its entities and the
    # field it points at. Findings without entities get one from the engine.
    key: tuple[str, ...] | None = None
    # 0, or n for the (n+1)-th finding about the very same thing in one run (a duplicated
    # id's two definitions): fingerprints stay unique, as GitLab and SARIF need.
    occurrence: int = 0
    # What each related location is ("initiative ADV-2", "KPI nps: direction"), for
    # viewers that show them apart from the message (SARIF); "" where nothing names it.
    related_labels: tuple[str, ...] = ()

    @cached_property  # asked on every check of the language server, of findings it hands on
    def identity(self) -> tuple[str, ...]:
        """What the finding is about: never a path, line, column or list position.

        The key the rule or the engine gave, else the entity ids and the pointer
        without list positions (`/initiatives/3/effort` → `initiatives/effort`), so a
        finding keeps its identity when files are renamed or entities move or reorder.
        """
        if self.key is not None:
            return self.key
        where = "/".join(part for part in self.pointer.split("/")[1:] if not part.isdigit())
        if self.entities:
            return (*sorted(self.entities), where)
        return (self.location.file, where, self.message)  # only a finding made outside the engine

    @cached_property  # a frozen dataclass still has a __dict__ to cache in
    def fingerprint(self) -> str:
        """Rule code, identity and occurrence, hashed (version FINGERPRINT_VERSION)."""
        return _digest([self.code, *self.identity, str(self.occurrence)])

    def fails(self, strict: bool = False) -> bool:
        """Whether the finding fails the check: an error, or with --strict a warning, not
        accepted by `allow:` (the exit code's rule, `CheckResult.failed`; JUnit's failures;
        what `--errors-only` lists)."""
        return not self.suppressed and (self.severity is Severity.ERROR
                                         or (strict and self.severity is Severity.WARNING))

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)


# The findings of a value that the rules then leave out: refused (CXP002), an id written
# twice (CXP101), a reference or stage naming nothing (CXP102, CXP103). A rule that needs
# such a value skips what holds it, so correcting one may bring up another finding: the
# summary says so (docs/format.md, error tolerance). A key written twice (CXP003) loses
# its value, which the summary counts among the values lost.
VALUE_MISTAKES = frozenset({"CXP002", "CXP101", "CXP102", "CXP103"})

# Bumped whenever the same finding would get another fingerprint: a baseline saved by
# another version cannot be compared (SARIF names it `cxportfolioFingerprint/v2`).
FINGERPRINT_VERSION = 2


def _digest(subject: list[str]) -> str:
    # JSON: a part holding the separator cannot pose as two parts; its ASCII escapes
    # also carry a name that is not UTF-8 (lone surrogates) through.
    return hashlib.sha256(json.dumps(subject).encode("ascii")).hexdigest()[:32]


def number_repeats(findings: list[Finding]) -> list[Finding]:
    """The findings, each repeat of the same code and identity numbered 1, 2, …"""
    seen: dict[tuple[str, ...], int] = {}
    numbered = []
    for finding in findings:
        subject = (finding.code, *finding.identity)
        n = seen[subject] = seen.get(subject, -1) + 1
        numbered.append(replace(finding, occurrence=n) if n else finding)
    return numbered


@record(frozen=False)
class CheckSummary:
    """The counts a check ends with: findings by severity, files, initiatives, and
    what limited it."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files: int = 0
    initiatives: int = 0
    suppressed: int = 0
    baseline_known: int = 0  # findings hidden because the baseline already had them
    unreadable: int = 0  # documents that could not be read: findings are limited by them
    lost: int = 0  # values lost to a mistake (a list under a misspelled key, …): likewise
    mistaken: int = 0  # values refused, unknown or written twice (VALUE_MISTAKES): rules leave them out
    mistaken_lost: int = 0  # of those, the findings of values lost whole (`initiatves:`, an item refused
    #                         whole), which `lost` counts
    config_unusable: bool = False  # cxportfolio.yaml does not parse: every rule setting is its default


# What a baseline has of a finding, as SARIF §3.27.24 names it: nothing ("new"), its
# fingerprint ("unchanged"), or a duplicate cluster holding all its members ("updated": the
# same duplicate, smaller).
BaselineState = Literal["new", "unchanged", "updated"]


@record(frozen=False)
class CheckResult:
    """A check's findings, sorted, with their summary and the files read."""

    findings: list[Finding]
    summary: CheckSummary = field(default_factory=CheckSummary)
    files: list[str] = field(default_factory=list)  # every file read, relative to the root
    # The `rules:` of cxportfolio.yaml as validated (a RuleSettings: the JSON writes them,
    # `as_written`); None when not known (a result not made by a check).
    rules: RuleSettings | None = None
    # The documents that did not parse: a saved run names them, so that `--baseline-file`
    # says what it could not compare, as `--baseline REF` does.
    unreadable: list[str] = field(default_factory=list)
    # With a baseline: every finding of the check, in order, each with its state there,
    # where `findings` keeps the new ones (engine.only_new). SARIF lists them all: code
    # scanning takes an upload for the whole state of the code, and would call a known
    # finding left out fixed. None without a baseline.
    compared: list[tuple[Finding, BaselineState]] | None = None

    def failed(self, strict: bool = False) -> bool:
        return self.summary.errors > 0 or (strict and self.summary.warnings > 0)
