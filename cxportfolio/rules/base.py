"""What a rule is: metadata that doubles as its documentation, and a check function.

A rule's `check(context)` yields `Hit`s: where (an `Anchor`: file and JSON pointer) and
what (a one-line message). The engine adds code, severity and line/column, so rules
stay pure functions of the portfolio and never format output.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import field
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from cxportfolio.model.entities import Entity, Initiative
from cxportfolio.model.finding import Finding, Severity
from cxportfolio.model.portfolio import Portfolio
from cxportfolio.model.types import KNOWN_RULES, RULE_CODES_BY_NAME
from cxportfolio.memo import Memo, remember
from cxportfolio.records import record

T = TypeVar("T")

Pointer = tuple[str | int, ...]

# A message names at most this many ids, then how many more: a pull request can put
# thousands in one cycle, cluster or pain point, and the message is one line in every
# format (SECURITY.md). The finding's `entities` keep them all: that is data, not a message.
MAX_NAMED = 6


def named(items: Sequence[str], total: int | None = None, most: int = MAX_NAMED, and_last: bool = False) -> str:
    """The first `most` items, then how many more there are of `total` (default: all of
    them): "A, B, C, D, E, F and 1995 more". `and_last`: a list shown whole ends "B and C"."""
    total = len(items) if total is None else total
    if total > most:
        return ", ".join(items[:most]) + f" and {total - most} more"
    if and_last and len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return ", ".join(items)


def of_unknown_unit(portfolio: Portfolio, ids: Iterable[str]) -> bool:
    """Whether one of these initiatives is of a unit that is not known (CXP102: `unit:
    digitl`): it may be the unit it misspells, so whether a finding's units differ is not
    known either (the `silent_on` of CXP201, CXP301 and CXP304)."""
    return any(isinstance(i := portfolio.by_id.get(ident), Initiative) and i.unit
               and not portfolio.unit_known(i.unit) for ident in ids)


@record
class Anchor:
    """A place to point at: a file and a JSON pointer into its document."""

    file: str
    pointer: Pointer = ()
    at_key: bool = False
    # A position the reader already knows (a syntax error has no pointer): 1-based.
    at: tuple[int, int] | None = None
    # What the place is, as a related location of a finding (a syntax error's: "where the
    # parser stopped"); without it, the entity defined there says.
    label: str = ""

    @classmethod
    def of(cls, entity: Entity, *parts: str | int, at_key: bool = False) -> "Anchor":
        return cls(entity.origin.file, entity.origin.pointer_to(*parts), at_key)


@record
class Hit:
    """What a rule yields: a message at an anchor, before it is located and made a finding."""

    anchor: Anchor
    message: str
    entities: tuple[str, ...] = ()
    related: tuple[Anchor, ...] = ()
    hint: str | None = None
    # What the finding is *about*, for its fingerprint, when that is fewer ids than
    # `entities`: a fragmented pain point stays the same finding when a fourth unit joins.
    key: tuple[str, ...] | None = None
    # Who must accept it with `allow:` for it to be suppressed (default: `key`, else
    # `entities`): the members of a cluster or conflict, not the KPI they meet on.
    parties: tuple[str, ...] | None = None
    # How to accept it ("accept with allow: on each of them"): the end of the hint while
    # it is not accepted, and not said once it is.
    acceptance: str | None = None


class RuleOptions(BaseModel):
    """Base of a rule's options: each field's default and description are documented."""

    # Built when first validated (a configuration that sets the rule's options), not at
    # import: most checks use every rule's defaults, and nothing then needs the models
    # built (about a millisecond of start-up for the six).
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def defaults(cls) -> "RuleOptions":
        """The options when the configuration sets none: every field's default, as
        validating `{}` gives them (a default is not validated), without building the
        model."""
        return cls.model_construct()


@record(frozen=False)
class RuleContext:
    """What a rule reads: the portfolio, the date it is checked as of, and the rules' options."""

    portfolio: Portfolio
    as_of: dt.date
    # Validated options per rule code (defaults where the configuration says nothing).
    options: dict[str, Any] = field(default_factory=dict)
    # A long-lived process's memo (the language server's): a rule may keep the costly,
    # pure part of its work there, keyed by everything that part reads (memo.py).
    memo: Memo | None = None

    def options_for(self, code: str) -> Any:
        return options_in(self.options, code)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or its answer from the previous check for the same key."""
        return remember(self.memo, key, compute)


CheckFn = Callable[[RuleContext], Iterable[Hit]]


@record
class Rule:
    """One rule: stable code, kebab-case name, default severity, docs and check.

    `doc` is markdown with the sections **Why**, **Example** and **Fix**; it is the
    rule's page in docs/rules.md. Rules the loader reports (CXP001–CXP003) have no
    `check`: their findings come from reading and validating files.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: CheckFn | None = field(default=None, compare=False)
    options: type[RuleOptions] = field(default=RuleOptions, compare=False)
    # The rule reports an *absence* (nothing defines this id, nothing addresses this pain
    # point): while a document cannot be read it stays silent on what that document could
    # change, and the summary says the findings are limited (docs/format.md, error tolerance).
    absence: bool = field(default=False, compare=False)
    # Whether the rule keeps silent, in a portfolio, on what a finding of it is about,
    # because a mistake leaves something unread there: a rule that reports an absence
    # (nothing defines this id, nothing addresses this pain point) says nothing of what the
    # unread part could change (docs/format.md, error tolerance), and one that weighs each entity
    # against all the others (CXP201's TF-IDF) weighs fewer. `diff` calls such a finding,
    # gone at the head, unchecked rather than resolved. None: the rule is never silent so.
    silent_on: Callable[[Portfolio, Finding], bool] | None = field(default=None, compare=False)
    # `silent_on` itself weighs the refused values that may hide a finding (CXP102: one
    # that names its target), so `diff` does not call every finding about an entity with
    # a refused value the rule reads unchecked (analysis/change.py, `_read_refused`).
    weighs_refused: bool = field(default=False, compare=False)
    # The rule dominates the time of a large check: the engine calls it first and takes
    # its hits last, so that it may have a second process do its costly part while this
    # one runs the other rules and locates their hits.
    heavy: bool = field(default=False, compare=False)
    # The entity fields the rule's hits depend on, as "Kind.field" ("Initiative.effort"),
    # beyond what every rule may read: which entities exist, their kinds, ids and places,
    # the configuration, `as_of`, what could not be read. The language server reruns the
    # rule only when one of them changed (cxportfolio/changes.py); None: after every edit.
    # tests/test_rule_reads.py holds each rule to what it declares.
    reads: frozenset[str] | None = field(default=None, compare=False)
    # Each finding is a cluster of one problem whose members are its entities (duplicate
    # initiatives, duplicate KPIs): one whose members are a subset of a finding of the rule
    # at a baseline is that problem, smaller, not a new one (engine.Known, `diff`).
    clusters: bool = field(default=False, compare=False)


REGISTRY: dict[str, Rule] = {}


def options_in(options: dict[str, Any], code: str) -> Any:
    """A rule's options as `options` (validated `rules:`) set them, else its defaults."""
    return options.get(code) or REGISTRY[code].options.defaults()


def register(rule: Rule) -> Rule:
    # CXP and three digits; kebab-case (string tests: every rule is registered at every
    # start, and compiling two patterns for it takes longer than the tests)
    if not (rule.code.startswith("CXP") and len(rule.code) == 6 and rule.code[3:].isascii()
            and rule.code[3:].isdigit()):
        raise ValueError(f"malformed rule code {rule.code!r}")
    if not (rule.name.isascii() and all(part.isalpha() and part.islower() for part in rule.name.split("-"))):
        raise ValueError(f"malformed rule name {rule.name!r}")
    if rule.code in REGISTRY:
        raise ValueError(f"rule code {rule.code} registered twice")
    if any(r.name == rule.name for r in REGISTRY.values()):
        raise ValueError(f"rule name {rule.name} registered twice")
    REGISTRY[rule.code] = rule
    KNOWN_RULES.add(rule.code)
    RULE_CODES_BY_NAME[rule.name] = rule.code
    return rule


def rule(code: str, name: str, severity: Severity, summary: str, options: type[RuleOptions] = RuleOptions,
         absence: bool = False, heavy: bool = False, reads: Iterable[str] | None = None,
         silent_on: Callable[[Portfolio, Finding], bool] | None = None, weighs_refused: bool = False,
         clusters: bool = False) -> Callable[[CheckFn], CheckFn]:
    """Register a check function; its docstring is the rule's documentation."""

    def decorate(fn: CheckFn) -> CheckFn:
        register(Rule(code, name, severity, summary, inspect.cleandoc(fn.__doc__ or ""), fn, options,
                      absence=absence, silent_on=silent_on, weighs_refused=weighs_refused, heavy=heavy,
                      reads=None if reads is None else frozenset(reads), clusters=clusters))
        return fn

    return decorate


def loader_rule(code: str, name: str, severity: Severity, summary: str, doc: str) -> Rule:
    """Register a rule whose findings the loader produces."""
    return register(Rule(code, name, severity, summary, inspect.cleandoc(doc)))
