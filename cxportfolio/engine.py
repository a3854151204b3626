"""Run a check in three stages with plain data between them.

1. **hits**: the loader's problems, the schema's problems and every enabled rule's
   `Hit`s (what and where, as a file and a JSON pointer);
2. **located**: each anchor becomes the parser's line and column (`load.positions`);
3. **policy**: severity from `rules:`, `--select`/`--ignore`, and `allow:` make the
   findings, sorted so that every renderer sees the same deterministic list.

A check leaves the interpreter as it found it: the cyclic garbage collector is paused
while a run builds its millions of long-lived objects (it would rescan them again and
again, for nothing: a portfolio has no cycles to collect) and is restored as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Generator, Iterable, Iterator, Mapping, Sequence
from itertools import chain, zip_longest
from pathlib import Path
from typing import Generic, TypeVar


from cxportfolio.changes import EVERYTHING, changed_fields
from cxportfolio.errors import CxpError
from cxportfolio.load import LoadedPortfolio, load_files
from cxportfolio.load.yaml_reader import ParsedYaml
from cxportfolio.memo import Memo
from cxportfolio.memory import paused_gc
from cxportfolio.model.entities import ENTITY_KINDS, Initiative
from cxportfolio.model.config import PROTECTED_RULES, RuleSettings
from cxportfolio.identity import Subjects
from cxportfolio.model.finding import (MAX_RELATED, VALUE_MISTAKES, BaselineState, CheckResult, CheckSummary, Finding,
                                       Location, Severity, number_repeats)
from cxportfolio.model.portfolio import Portfolio, build_portfolio
from cxportfolio.model.types import KNOWN_RULES, MAX_ID_LENGTH, id_excerpt, id_form, most_alike, reason_excerpt
from cxportfolio.model.validate import SchemaProblem
from cxportfolio.records import record
from cxportfolio.rules import REGISTRY, Anchor, Hit, Rule, RuleContext
from cxportfolio.rules.base import Pointer, named, options_in

T = TypeVar("T")


@record
class Selection:
    """Which rules run: `select`/`ignore` are code prefixes, as in ruff (`CXP1`, `CXP201`),
    in any case: they are kept upper-cased, and a refused one is named as written.
    The syntax, repeated-key, schema, id and configuration-change checks (CXP001–CXP004, CXP101)
    run whatever they say, as no `rules:` setting can switch them off either."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A prefix that matches no rule is a typo: silently selecting nothing (or
        # ignoring nothing) would pass a check that never ran.
        for option, prefixes in (("--select", self.select), ("--ignore", self.ignore)):
            for written in prefixes:
                prefix = written.upper()
                if not any(code.startswith(prefix) for code in REGISTRY):
                    # `CXP-201`, `CXP 201`: the code as written with its separator left out
                    meant = "".join(filter(str.isalnum, prefix))
                    nearest = (f"did you mean '{meant}'?" if meant != prefix and any(
                        code.startswith(meant) for code in REGISTRY) else _nearest_said(prefix))
                    raise CxpError(f"{option} {written}: no rule code starts with it; {nearest} "
                                   "(`cxportfolio rules` lists them)")
        object.__setattr__(self, "select", tuple(p.upper() for p in self.select))
        object.__setattr__(self, "ignore", tuple(p.upper() for p in self.ignore))

    @staticmethod
    def always_run(prefix: str) -> bool:
        """Whether every rule the prefix names is one that always runs (`--ignore CXP0`)."""
        codes = [code for code in REGISTRY if code.startswith(prefix)]
        return bool(codes) and all(code in PROTECTED_RULES for code in codes)

    def wants(self, code: str) -> bool:
        if code in PROTECTED_RULES:  # a file that does not parse never passes a narrowed check
            return True
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _nearest_said(prefix: str) -> str:
    """"nearest: CXP201, CXP202" for a prefix within a family; for one in none (CXP999), the
    families are no nearer than any other: "the rule families are CXP0–CXP5"."""
    named = nearest_codes(prefix)
    families = sorted({code[:4] for code in REGISTRY})
    if named != families:
        return f"nearest: {', '.join(named)}"
    digits = [int(family[3]) for family in families]
    span = (f"{families[0]}–{families[-1]}" if len(families) > 2 and digits == list(range(digits[0], digits[-1] + 1))
            else ", ".join(families))
    return f"the rule families are {span}"


def nearest_codes(prefix: str, most: int = 6) -> list[str]:
    """The rule codes under the longest part of `prefix` that matches any, named as
    finely as `most` names allow: CXP2011 → CXP201; CXP209 → CXP201, CXP202, CXP203;
    CXP9 → CXP0, CXP1, … (the families)."""
    end = next(end for end in range(len(prefix), -1, -1) if any(c.startswith(prefix[:end]) for c in REGISTRY))
    matching = [code for code in REGISTRY if code.startswith(prefix[:end])]
    groups = sorted({code[:end + 1] for code in matching})
    for depth in range(end + 2, max(map(len, matching)) + 1):
        finer = sorted({code[:depth] for code in matching})
        if len(finer) > most:
            break
        if len(finer) > len(groups):
            groups = finer
    return groups


@record(frozen=False)
class CheckRun:
    """Everything a check produced, for renderers and for later analyses."""

    loaded: LoadedPortfolio
    portfolio: Portfolio
    result: CheckResult
    as_of: dt.date


@record
class LocatedHit:
    """Stage 2's output: a hit with the parser's positions."""

    rule: Rule
    hit: Hit
    location: Location
    related: tuple[Location, ...]


def run_check(path: Path, as_of: dt.date, selection: Selection = Selection(),
              base_rules: RuleSettings | None = None, config_from_base: bool = False,
              overrides: Mapping[Path, ParsedYaml] | None = None, memo: Memo | None = None) -> CheckRun:
    """`base_rules`: the `rules:` at a baseline, to report what the change weakens
    (CXP004) — or, with `config_from_base`, to apply instead of the working tree's.
    `overrides`: unsaved editor buffers by absolute path, already read by `read_yaml`,
    taken instead of the files; `memo`: what the previous check computed from the same
    inputs, taken again (lsp, cxportfolio/memo.py)."""
    with paused_gc():
        loaded = load_files(path, overrides, memo.parse if memo is not None else None)
        portfolio, schema_problems = build_portfolio(loaded, {code: r.options for code, r in REGISTRY.items()}, memo)
        head_rules = portfolio.rules
        if base_rules is not None and config_from_base:
            portfolio.rules = base_rules
        policy = Policy(portfolio, selection)
        changed, moved = _changed_since_last_check(memo, loaded, portfolio, as_of)
        collected = collect_hits(loaded, portfolio, schema_problems, as_of, policy, memo, changed)
        hits: Iterable[tuple[Rule, Hit]] = collected
        # (not while cxportfolio.yaml cannot be used: its settings are unknown, not weakened;
        # its CXP001 gates the change)
        if base_rules is not None and policy.enabled(REGISTRY["CXP004"]) and portfolio.config is not None:
            hits = chain(collected, weakened_rules(loaded, base_rules, head_rules))
        try:
            findings = number_repeats(sorted(make_findings(loaded, hits, policy, memo, changed, moved),
                                             key=lambda f: f.sort_key))
        finally:  # a failure while locating stops a heavy rule's second process now, not at exit
            collected.close()
        result = CheckResult(findings, summarize(findings, portfolio), list(portfolio.files), head_rules,
                             list(portfolio.unreadable))
    return CheckRun(loaded, portfolio, result, as_of)


# -- stage 1: hits -----------------------------------------------------------------

def collect_hits(loaded: LoadedPortfolio, portfolio: Portfolio, schema_problems: Sequence[SchemaProblem],
                 as_of: dt.date, policy: Policy, memo: Memo | None = None,
                 changed: frozenset[str] | None = EVERYTHING) -> Generator[tuple[Rule, Hit], None, None]:
    """`changed`: the entity fields changed since the memo's previous check: a rule
    that reads none of them gives its previous hits again (cxportfolio/changes.py)."""
    subjects = Subjects(loaded, portfolio)  # what findings without entities are about
    for file, problem in loaded.problems:
        rule = REGISTRY[problem.code]
        if policy.enabled(rule):
            key = (subjects.of_position(file.path, problem.line, problem.column, problem.message)
                   if file.readable else subjects.of_unreadable(file.path))
            yield rule, Hit(Anchor(file.path, at=(problem.line, problem.column)), problem.message,
                            hint=problem.hint,
                            related=tuple(Anchor(file.path, at=place, label=label) for place, label
                                          in zip_longest(problem.related, problem.related_labels, fillvalue="")),
                            key=key, parties=())
    schema = REGISTRY["CXP002"]
    if policy.enabled(schema):
        for problem in schema_problems:
            entities = (problem.entity,) if problem.entity else problem.entities
            key = ((subjects.of_file(problem.file), "", problem.about) if problem.about else
                   None if entities else subjects.key(problem.file, problem.pointer, problem.message))
            yield schema, Hit(Anchor(problem.file, problem.pointer, problem.at_key), problem.message,
                              entities, tuple(Anchor(problem.file, p, True) for p in problem.related),
                              problem.hint, key, parties=None if entities else ())
        for entity in portfolio.entities:
            for n, allow in enumerate(getattr(entity, "allow", ())):
                if allow.rule in PROTECTED_RULES:
                    written = entity.origin.pointer_to("allow", n)[-1]  # its index as written
                    yield schema, Hit(Anchor.of(entity, "allow", n, "rule"),
                                      f"allow[{written}].rule {allow.rule} cannot be accepted: syntax, schema, id "
                                      "and configuration-change findings are always counted", (entity.id,),
                                      hint="fix what the finding says instead; remove this allow")
    context = RuleContext(portfolio, as_of, portfolio.rules.options, memo)
    rules = [rule for rule in REGISTRY.values() if rule.check is not None and policy.enabled(rule)]
    if memo is None:
        yield from _rule_hits(rules, context)
        return
    for rule, hits in zip(rules, _remembered_rule_hits(rules, context, memo, changed)):
        for hit in hits:
            yield rule, hit


def _changed_since_last_check(memo: Memo | None, loaded: LoadedPortfolio, portfolio: Portfolio,
                              as_of: dt.date) -> tuple[frozenset[str] | None, set[str]]:
    """With a memo: the entity fields changed since its previous check (changes.py), and
    the files not read from the same bytes (their positions may have moved)."""
    files = [loaded.config, *loaded.documents]
    if memo is None:
        return EVERYTHING, {f.path for f in files}
    before = memo.previous("check")
    memo.keep("check", (as_of, portfolio, {f.path: f.parsed for f in files}))
    if before is None:
        return EVERYTHING, {f.path for f in files}
    moved = {f.path for f in files if before[2].get(f.path) is not f.parsed}
    return (changed_fields(before[1], portfolio) if before[0] == as_of else EVERYTHING), moved


def _remembered_rule_hits(rules: list[Rule], context: RuleContext, memo: Memo,
                          changed: frozenset[str] | None) -> list[list[Hit]]:
    """Each rule's hits: the previous check's very objects for a rule that reads nothing
    that changed since (then make_findings can keep their findings too)."""
    before: dict[str, list[Hit]] = memo.previous("rule hits") or {}
    found: dict[str, list[Hit]] = {}
    resting: set[str] = set()
    for rule in rules:
        kept = before.get(rule.code)
        if kept is None or changed is EVERYTHING or rule.reads is None or not rule.reads.isdisjoint(changed):
            kept = list(rule.check(context)) if rule.check else []
        else:
            resting.add(rule.code)
        found[rule.code] = kept
    memo.keep("rule hits", found)
    memo.carry(resting)  # what a resting rule remembered (CXP201's vectors) waits for its next run
    return [found[rule.code] for rule in rules]


def _rule_hits(rules: list[Rule], context: RuleContext) -> Iterator[tuple[Rule, Hit]]:
    """Each rule's hits, as the caller takes them. The rules marked `heavy` are called
    first and their hits given last: such a rule may have a second process do its costly
    part meanwhile (CXP201 on a large portfolio, rules/duplicates.py), while this one runs
    the other rules and locates their hits. The findings come out the same: they are
    sorted, and only one rule's own hits can tie, which keep their order."""
    started = [(r, r.check(context)) for r in rules if r.heavy and r.check]
    try:
        for rule in rules:
            if not rule.heavy and rule.check:
                for hit in rule.check(context):
                    yield rule, hit
        for rule, hits in started:
            for hit in hits:
                yield rule, hit
    finally:
        for _, hits in started:
            close = getattr(hits, "close", None)  # stops a second process if another rule failed
            if close is not None:
                close()


_STRENGTH = {"off": 0, "info": 1, "warning": 2, "error": 3}


def weakened_rules(loaded: LoadedPortfolio, base: RuleSettings, head: RuleSettings) -> Iterator[tuple[Rule, Hit]]:
    """CXP004: each rule whose severity the working tree's configuration lowers."""
    gate = REGISTRY["CXP004"]
    # Not a way out: with --config-from-base the other findings take the base's rules, and this one still stands.
    hint = "keep the setting, or have the configuration change approved by whoever owns cxportfolio.yaml"
    for code, rule in sorted(REGISTRY.items()):
        was = base.severities.get(code, rule.severity.value)
        now = head.severities.get(code, rule.severity.value)
        pointer: tuple[str | int, ...] = ("rules", code) if code in head.severities or code in head.options else ("rules",)
        if _STRENGTH[now] < _STRENGTH[was]:
            yield gate, Hit(Anchor(loaded.config.path, pointer), f"rule {code} is weakened by this change: "
                            f"{was} at the base, {now} here", key=(code,), hint=hint)
        # Options can switch a rule off as surely as a severity (min_units: 1000), and
        # whether a change of them weakens it is the rule's business: every change counts.
        before = options_in(base.options, code).model_dump()
        after = options_in(head.options, code).model_dump()
        changed = [f"{name} {before[name]!r} → {after[name]!r}" for name in sorted(before) if before[name] != after[name]]
        if changed:
            yield gate, Hit(Anchor(loaded.config.path, pointer), f"rule {code}'s options are changed by this "
                            f"change: {'; '.join(changed)}"[:300], key=(code, "options"), hint=hint)


# -- stage 2: located ----------------------------------------------------------------

def locate(loaded: LoadedPortfolio, hits: Iterable[tuple[Rule, Hit]], memo: Memo | None = None) -> Iterator[LocatedHit]:
    return map(Locator(loaded, memo), hits)


class Locator:
    """(rule, hit) → LocatedHit: each anchor becomes the parser's line and column."""

    def __init__(self, loaded: LoadedPortfolio, memo: Memo | None = None) -> None:
        self.loaded, self.memo = loaded, memo
        self._cache: dict[Anchor, Location] = {}  # many findings point at one place (a KPI's direction)
        # Per file: pointer → position. A position depends on the parsed file alone, so with
        # a memo the table is kept while the file is unchanged.
        self._tables: dict[str, dict[tuple[Pointer, bool], tuple[int, int]]] = {}

    def __call__(self, ruled: tuple[Rule, Hit]) -> LocatedHit:
        rule, hit = ruled
        return LocatedHit(rule, hit, self.where(hit.anchor), tuple(self.where(a) for a in hit.related[:MAX_RELATED]))

    def where(self, anchor: Anchor) -> Location:
        location = self._cache.get(anchor)
        if location is None:
            line, column = anchor.at or self._position(anchor)
            location = self._cache[anchor] = Location(anchor.file, line, column)
        return location

    def _position(self, anchor: Anchor) -> tuple[int, int]:
        file = self.loaded.file(anchor.file)
        known = self._tables.get(anchor.file)
        if known is None:
            known = self._tables[anchor.file] = ({} if self.memo is None else
                                                 self.memo.by_identity(("positions", file.path), file.parsed, dict))
        found = known.get((anchor.pointer, anchor.at_key))
        if found is None:
            found = known[(anchor.pointer, anchor.at_key)] = file.locate(anchor.pointer, anchor.at_key)
        return found


def make_findings(loaded: LoadedPortfolio, hits: Iterable[tuple[Rule, Hit]], policy: Policy,
                  memo: Memo | None = None, changed: frozenset[str] | None = EVERYTHING,
                  moved: Collection[str] = ()) -> Iterator[Finding]:
    """Stages 2 and 3: each hit located and made a finding by the policy.

    With a memo, a hit the previous check made too (the very object: its rule read
    nothing that changed) keeps its finding while the files it points into are not
    among those `moved` and the policy is the same: no `allow:` changed, nor anything
    beyond entity fields.
    """
    locator = Locator(loaded, memo)
    if memo is None:
        yield from map(policy.finding, map(locator, hits))
        return
    made: dict[int, tuple[Hit, Finding]] = {}
    memo.keep("findings", made)
    before: dict[int, tuple[Hit, Finding]] = memo.previous("findings") or {}
    if changed is EVERYTHING or any(field.endswith(".allow") for field in changed):
        before = {}
    for ruled in hits:
        hit = ruled[1]
        kept = before.get(id(hit))  # the entry holds the hit: its id is no other object's
        if (kept is not None and kept[0] is hit and hit.anchor.file not in moved
                and not any(a.file in moved for a in hit.related[:MAX_RELATED])):
            finding = kept[1]
        else:
            finding = policy.finding(locator(ruled))
        made[id(hit)] = (hit, finding)
        yield finding


# -- stage 3: policy -----------------------------------------------------------------

def parties_of(hit: Hit, portfolio: Portfolio) -> list[str]:
    """Who must carry an allow for the hit's finding to be suppressed: the rule's
    parties, else its key, else its entities; the ids the portfolio defines (the
    editor's quick fix writes the allow on each)."""
    named = hit.parties if hit.parties is not None else hit.key or hit.entities
    return [i for i in dict.fromkeys(named) if i in portfolio.by_id]


class Policy:
    """Severity, selection and `allow:` — what turns a located hit into a finding.

    An `allow:` accepts a finding as it was accepted: only when *every* entity the
    finding is about that is defined in the portfolio carries an allow for the rule.
    So a cluster of three is accepted by an allow on each member (each unit agrees,
    in its own file), a fourth member joining makes the finding live again, and an
    allow on one entity never silences a finding about other entities as well.
    """

    def __init__(self, portfolio: Portfolio, selection: Selection) -> None:
        self.portfolio = portfolio
        self.selection = selection
        self.severities = portfolio.rules.severities
        # Rule code → entity id → reason; the definition of an id that counts (by_id). The gate
        # rules cannot be accepted (SECURITY.md): such an allow is a finding (collect_hits).
        self.allowances: dict[str, dict[str, str]] = {}
        # A rule's id_form → the ids whose allow: for it was refused (Entity.refused_rules).
        self.refused_allows: dict[str, set[str]] = {}
        for entity in portfolio.by_id.values():
            for form in entity.refused_rules:
                self.refused_allows.setdefault(form, set()).add(entity.id)
            for allow in getattr(entity, "allow", ()):
                if allow.rule not in PROTECTED_RULES:
                    # shown with each finding it accepts: cut once, here (SECURITY.md: short excerpts)
                    self.allowances.setdefault(allow.rule, {}).setdefault(entity.id, reason_excerpt(allow.reason))
        # A rule's id_form → the ids whose refused allow: names no rule but one like it
        # (`rule: CXP210`, whose CXP002 says "did you mean 'CXP201'"), or no rule at all.
        self.unsure_allows = _unsure_allows(self.refused_allows) if self.refused_allows else {}

    def enabled(self, rule: Rule) -> bool:
        return self.severities.get(rule.code) != "off" and self.selection.wants(rule.code)

    def finding(self, located: LocatedHit) -> Finding:
        rule, hit = located.rule, located.hit
        setting = self.severities.get(rule.code)
        severity = Severity(setting) if setting else rule.severity
        if rule.code == "CXP004" and severity.rank > rule.severity.rank:
            severity = rule.severity  # the change it reports must not be able to soften it
        reason, hint = self._accepted(rule.code, hit)
        # (an entity's id longer than any valid one is a pull request's: quoted short, SECURITY.md)
        entities = hit.entities if all(len(e) <= MAX_ID_LENGTH for e in hit.entities) else tuple(
            map(id_excerpt, hit.entities))
        return Finding(rule.code, rule.name, severity, hit.message, located.location,
                       json_pointer(hit.anchor.pointer), entities, located.related, hint,
                       suppressed=reason is not None, suppression_reason=reason, key=hit.key,
                       related_labels=tuple(self._label(a) for a in hit.related[:MAX_RELATED]))

    def _label(self, anchor: Anchor) -> str:
        """What a related place is: its own label, else the entity defined there, and the
        field if not its id."""
        if anchor.label:
            return anchor.label
        entity = self.portfolio.by_place.get((anchor.file, anchor.pointer[:2]))
        if entity is None:
            return ""
        field = ".".join(str(p) for p in anchor.pointer[2:] if not isinstance(p, int))
        return f"{entity.label} {entity.id}" + (f": {field}" if field and field != "id" else "")

    def _accepted(self, code: str, hit: Hit) -> tuple[str | None, str | None]:
        """The reason when every party accepted the finding (and its hint without how to
        accept it); else a hint, which says what is missing if some parties did."""
        allowed = self.allowances.get(code) or {}
        unaccepted = f"{hit.hint}; or {hit.acceptance}" if hit.hint and hit.acceptance else hit.hint
        # An allow for the rule that was refused (its reason missing, a key unknown) is not
        # said to be missing (docs/format.md); the gate rules take no allow.
        refused_for: Collection[str] = ()
        maybe: Collection[str] = ()
        # no id_form per finding while no allow is refused (`unsure_allows` is empty then too)
        if self.refused_allows and code not in PROTECTED_RULES:
            form = id_form(code)
            refused_for, maybe = self.refused_allows.get(form, ()), self.unsure_allows.get(form, ())
        if not allowed and not refused_for and not maybe:
            return None, unaccepted
        parties = parties_of(hit, self.portfolio)
        accepting = [i for i in parties if i in allowed]
        refused = [i for i in parties if i not in allowed and i in refused_for]
        if not accepting:
            # an allow refused whose rule is none but like this one (`rule: CXP210`) may be meant for it
            unsure = [i for i in parties if i not in refused_for and i in maybe]
            told = []
            if refused:
                told.append(f"the allow: for {code} on {named(refused)} was refused (see its CXP002 or CXP003): "
                            "correct it")
            if unsure:
                told.append(f"an allow: on {named(unsure)} was refused (see its CXP002 or CXP003): "
                            "if it was for this finding, correct it")
            if not told:
                return None, unaccepted
            said = "; ".join(told)
            return None, f"{unaccepted}; {said}" if unaccepted else said
        missing = [i for i in parties if i not in allowed]
        if not missing:
            return allowed[accepting[0]], hit.hint
        # an allow refused whose rule is another (`rule: CXP32`, a typo) may still be meant for it
        unsure = [i for i in missing if i not in refused and self.portfolio.by_id[i].refused_rules]
        absent = [i for i in missing if i not in refused and i not in unsure]
        why = []
        if absent:
            why.append(f"not on {named(absent)}, which joined since or did not agree: add the allow there too")
        if refused:
            why.append(f"the allow: on {named(refused)} was refused (see its CXP002 or CXP003): correct it")
        if unsure:
            why.append(f"an allow: on {named(unsure)} was refused (see its CXP002 or CXP003): "
                       "if it was for this finding, correct it")
        unread = self.portfolio.unreadable
        if unread:  # a member in a file that does not parse is gone from the finding meanwhile
            why.append(f"while {', '.join(unread[:3])}{' and more' if len(unread) > 3 else ''} "
                       f"{'does' if len(unread) == 1 else 'do'} not parse, the finding may have changed for that alone")
        return None, f"accepted with allow: on {named(accepting)}, but {'; and '.join(why)}; or resolve it"


def _unsure_allows(refused_allows: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """By the id_form of each rule an allow: may accept, the ids whose refused allow: may
    be meant for it: one naming no rule (`rule: 201`, '') or an unknown code most like it."""
    codes = {id_form(code) for code in KNOWN_RULES - PROTECTED_RULES}
    protected = {id_form(code) for code in PROTECTED_RULES}
    unsure: dict[str, set[str]] = {}
    for form, ids in refused_allows.items():
        if form in codes or form in protected:
            continue  # a rule's own code: its findings say so (`refused_allows`)
        for meant in (codes if not form else most_alike(form, sorted(codes))):
            unsure.setdefault(meant, set()).update(ids)
    return unsure


def summarize(findings: Sequence[Finding], portfolio: Portfolio) -> CheckSummary:
    summary = CheckSummary(files=len(portfolio.files),
                           initiatives=portfolio.invalid_initiatives
                           + sum(isinstance(e, Initiative) for e in portfolio.entities),
                           unreadable=len(portfolio.unreadable),
                           lost=len(portfolio.lost_values) + portfolio.lost_elsewhere,
                           config_unusable=portfolio.config is None)
    placed: set[tuple[str, tuple[str | int, ...]]] = set()  # where entities stand: read when first needed
    for finding in findings:
        if finding.suppressed:
            summary.suppressed += 1
            continue
        if finding.code in VALUE_MISTAKES:
            summary.mistaken += 1
            summary.mistaken_lost += _says_a_value_lost(finding, portfolio, placed)
        if finding.severity is Severity.ERROR:
            summary.errors += 1
        elif finding.severity is Severity.WARNING:
            summary.warnings += 1
        else:
            summary.infos += 1
    return summary


def _says_a_value_lost(finding: Finding, portfolio: Portfolio,
                       placed: set[tuple[str, tuple[str | int, ...]]]) -> bool:
    """Whether a finding is one that says a whole value is lost (`initiatves:` and the
    list under it; a file of items without their key; an item refused whole, `- id: 12`):
    counted among the values lost, so the summary does not name it again among the
    values refused (validate.py). `placed`: where the entities stand, filled once."""
    if finding.code != "CXP002":
        return False
    data = portfolio.documents.get(finding.location.file)
    if not finding.pointer:
        return isinstance(data, list) and bool(data)
    parts = finding.pointer.split("/")[1:]
    key = parts[0].replace("~1", "/").replace("~0", "~")
    if len(parts) > 1 and key in ENTITY_KINDS and parts[1].isdigit():
        # in an item of an entity list: lost when no entity stands there (refused whole)
        if not placed:
            placed.update((e.origin.file, e.origin.pointer) for e in portfolio.entities)
        return (finding.location.file, (key, int(parts[1]))) not in placed
    return (len(parts) == 1 and isinstance(data, dict) and key != "unit" and key not in ENTITY_KINDS
            and isinstance(data.get(key), (list, dict)))


def cluster_members(code: str, entities: Sequence[str]) -> frozenset[str] | None:
    """The members of a finding of a rule whose findings are clusters (`Rule.clusters`),
    else None."""
    rule = REGISTRY.get(code)
    return frozenset(entities) if rule is not None and rule.clusters and len(entities) > 1 else None


class Clusters(Generic[T]):
    """Findings of cluster rules, each with a value, by member: which hold a cluster."""

    def __init__(self) -> None:
        self._by_member: dict[tuple[str, str], list[tuple[frozenset[str], T]]] = {}

    def add(self, code: str, entities: Sequence[str], value: T) -> None:
        members = cluster_members(code, entities)
        if members is not None:
            for member in members:
                self._by_member.setdefault((code, member), []).append((members, value))

    def holding(self, code: str, entities: Sequence[str]) -> list[T]:
        """The values of the findings of `code` whose members include all of `entities`."""
        members = cluster_members(code, entities)
        if members is None:
            return []
        return [value for held, value in self._by_member.get((code, min(members)), ()) if members <= held]


@record
class Known:
    """What a baseline holds, for `only_new`: fingerprint → whether accepted there with
    `allow:`, and the clusters of cluster rules (members → the same)."""

    prints: dict[str, bool]
    clusters: Clusters[bool]
    # The files that did not parse at the base (a ref's; a saved run names none): it
    # knows nothing of what they hold, so a finding there cannot be known to be new.
    unreadable: tuple[str, ...] = ()
    # Every file there (a ref's; None for a saved run): a file since added may be one that
    # did not parse, renamed.
    files: frozenset[str] | None = None

    @classmethod
    def of(cls, findings: Iterable[tuple[str, str, Sequence[str], bool]], unreadable: Sequence[str] = (),
           files: Iterable[str] | None = None) -> Known:
        """From (fingerprint, code, entities, accepted) of each finding, the files that
        did not parse there, and all its files, when known. A fingerprint both live and
        accepted (never, but for a hand-edited file) counts as live."""
        prints: dict[str, bool] = {}
        clusters: Clusters[bool] = Clusters()
        for fingerprint, code, entities, accepted in findings:
            prints[fingerprint] = prints.get(fingerprint, True) and accepted
            clusters.add(code, entities, accepted)
        return cls(prints, clusters, tuple(unreadable), frozenset(files) if files is not None else None)

    def knows(self, finding: Finding) -> bool:
        """Whether the baseline has the finding (`state`): the gate passes it."""
        return self.state(finding) != "new"

    def state(self, finding: Finding) -> BaselineState:
        """What the baseline has of the finding: its fingerprint ("unchanged"), or, for a
        cluster, one holding all its members ("updated": one left, or it split: the same
        duplicate, smaller). One accepted there is known only while accepted here too:
        live here (its allow removed, or refused), it blocks for the first time ("new")."""
        accepted = self.prints.get(finding.fingerprint)
        if accepted is not None and (not accepted or finding.suppressed):
            return "unchanged"
        holding = self.clusters.holding(finding.code, finding.entities)  # each: accepted there
        return "updated" if any(not held or finding.suppressed for held in holding) else "new"


def only_new(run: CheckRun, known: Known, show_suppressed: bool = False) -> int:
    """Keep the findings the baseline lacks (`Known.state`), each finding's state kept
    for SARIF (`CheckResult.compared`); return how many of those it hid the check would
    have shown: one an `allow:` suppresses only with `show_suppressed`."""
    compared = [(finding, known.state(finding)) for finding in run.result.findings]
    kept = [finding for finding, state in compared if state == "new"]
    gone = [finding for finding, state in compared if state != "new"]
    dropped = sum(show_suppressed or not f.suppressed for f in gone)
    run.result.findings = kept
    run.result.compared = compared
    mistaken = run.result.summary.mistaken  # known or new, a mistake still limits what the rules see
    mistaken_lost = run.result.summary.mistaken_lost
    run.result.summary = summarize(kept, run.portfolio)
    run.result.summary.baseline_known = dropped
    run.result.summary.mistaken, run.result.summary.mistaken_lost = mistaken, mistaken_lost
    return dropped


def not_compared(findings: Iterable[Finding], portfolio: Portfolio, unreadable: Collection[str],
                 base_files: Collection[str] | None = None) -> dict[str, int]:
    """By each file the base could not read (`unreadable`), how many of the findings (new
    to the gate, or to diff) lie in it, point into it, or are about an entity it defines
    in `portfolio`: the base could not have had them, so they are new for want of a
    comparison, not known to be new. With the base's files, so is each file of `portfolio`
    not among them while one that did not parse is gone (`renamed_from`): it may be that
    one, renamed (by its name here)."""
    files = unread_at_base(unreadable, portfolio.files, base_files)
    if not files:
        return {}
    defined = {e.id: e.origin.file for e in portfolio.entities if e.origin.file in files}
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.suppressed:
            continue
        places = [finding.location.file, *(r.file for r in finding.related),
                  *(defined[i] for i in finding.entities if i in defined)]
        file = next((f for f in places if f in files), None)
        if file is not None:
            counts[file] = counts.get(file, 0) + 1
    return counts


def unread_at_base(unreadable: Collection[str], files: Collection[str],
                   base_files: Collection[str] | None) -> set[str]:
    """The files whose content the base may not have read: those that did not parse there
    (`unreadable`) and, with the base's files known while one of those is gone from `files`
    (the head's, `renamed_from`), each file of the head not at the base: it may be that
    one, renamed. What `diff` calls unread and the gate does not compare."""
    unread = set(unreadable)
    if base_files is not None and renamed_from(unreadable, files):
        at_base = frozenset(base_files)
        unread.update(file for file in files if file not in at_base)
    return unread


def renamed_from(unreadable: Iterable[str], files: Iterable[str]) -> tuple[str, ...]:
    """The files that did not parse at the base and are gone from `files` (the head's), in
    order: those a file added since may be, renamed. One still there under its name is
    no other file (a file added beside a repaired one is added)."""
    here = set(files)
    return tuple(sorted(file for file in unreadable if file not in here))


def json_pointer(pointer: Iterable[str | int]) -> str:
    """RFC 6901: '/initiatives/3/effort', with '~' and '/' escaped. A key longer than any
    of the format's is cut (SECURITY.md: a pull request's key of megabytes is quoted short)."""
    return "".join("/" + _cut(str(p)).replace("~", "~0").replace("/", "~1") for p in pointer)


def _cut(part: str, limit: int = 200) -> str:
    return part if len(part) <= limit else part[:limit - 1] + "…"
