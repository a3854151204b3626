"""Run a check: load → validate → rules → located, configured, sorted findings.

This is the one place that turns hits into findings: it resolves positions (lazily,
per file), applies the configured severities, `--select`/`--ignore`, and `allow:`
suppressions, and sorts, so every renderer sees the same deterministic list. On a large
portfolio the rules run in two processes (`beside.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from cxportfolio.beside import Beside, Tickets
from cxportfolio.load import LoadedPortfolio, load_files
from cxportfolio.model.entities import Initiative
from cxportfolio.model.finding import CheckResult, CheckSummary, Finding, Location, Severity
from cxportfolio.model.portfolio import Portfolio, build_portfolio
from cxportfolio.model.validate import SchemaProblem
from cxportfolio.rules import REGISTRY, Anchor, Hit, Rule, RuleContext
from cxportfolio.rules.base import MAX_RELATED


# Below this, a second process costs more than it saves (fork, pickling the findings back).
PARALLEL_FROM_INITIATIVES = 5_000


@dataclass(frozen=True)
class Selection:
    """Which rules run: `select`/`ignore` are code prefixes, as in ruff (`CXP1`, `CXP201`)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(p) for p in self.select):
            return False
        return not any(code.startswith(p) for p in self.ignore)


@dataclass
class CheckRun:
    """Everything a check produced, for renderers and for later analyses."""

    loaded: LoadedPortfolio
    portfolio: Portfolio
    result: CheckResult
    as_of: dt.date


def run_check(path: Path, as_of: dt.date, selection: Selection = Selection()) -> CheckRun:
    loaded = load_files(path)
    portfolio, schema_problems = build_portfolio(loaded)
    loaded.release_data()  # positions need only the text from here on: halves peak memory
    config = portfolio.config
    settings = {code: config.severity_of(code) for code in config.rules} if config else {}
    settings = {code: value for code, value in settings.items() if value is not None}
    options, option_problems = _rule_options(loaded, portfolio)
    findings = _Findings(loaded, portfolio, settings, selection)
    for file, problem in loaded.problems:
        findings.add(REGISTRY[problem.code], Location(file.path, problem.line, problem.column),
                     problem.message, hint=problem.hint,
                     related=tuple(Location(file.path, ln, col) for ln, col in problem.related))
    for schema_problem in [*schema_problems, *option_problems]:
        findings.add_hit(REGISTRY["CXP002"], _hit_from_schema(schema_problem))
    context = RuleContext(portfolio, as_of, options)
    rules = [rule for rule in REGISTRY.values() if rule.check is not None and findings.enabled(rule)]
    large = len(portfolio.initiatives) >= PARALLEL_FROM_INITIATIVES
    findings.items.extend(_run_rules(findings, rules, context, in_two_processes=large))
    ordered = sorted(findings.items, key=lambda f: f.sort_key)
    result = CheckResult(ordered, _summary(ordered, portfolio), list(portfolio.files))
    return CheckRun(loaded, portfolio, result, as_of)


def _run_rules(findings: _Findings, rules: list[Rule], context: RuleContext,
               in_two_processes: bool) -> list[Finding]:
    """Every rule's findings, in rule order: the same list whoever ran which rule.

    In two processes, a forked child runs the costliest rule, then joins this process in
    taking the others, costliest first, each once, from a shared counter (`Tickets`).
    """
    by_cost = sorted(rules, key=lambda rule: -rule.cost)
    aside, shared = by_cost[:1], by_cost[1:]
    with Tickets(len(shared), shared=in_two_processes and len(rules) > 1) as tickets:
        if tickets.shared:
            context.portfolio.addressing  # noqa: B018 - an index both processes use: built before the fork

        def elsewhere() -> dict[str, list[Finding]]:
            apart = findings.apart()
            # Lazily: the next shared rule is taken only when the previous one is done.
            return {rule.code: apart.run(rule, context) for rule in chain(aside, (shared[n] for n in tickets))}

        with Beside(elsewhere, fork=tickets.shared) as child:
            found = {shared[n].code: findings.run(shared[n], context) for n in tickets}
            found.update(child.result())
    # A rule the child took but did not answer for (it died: killed, out of memory) runs here.
    return [finding for rule in rules
            for finding in (found[rule.code] if rule.code in found else findings.run(rule, context))]


class _Findings:
    def __init__(self, loaded: LoadedPortfolio, portfolio: Portfolio, settings: dict[str, str],
                 selection: Selection, allowances: dict[str, dict[str, str]] | None = None) -> None:
        self.loaded = loaded
        self.portfolio = portfolio
        self.settings = settings
        self.selection = selection
        self.items: list[Finding] = []
        self.located: dict[Anchor, Location] = {}
        # Rule code → entity id → reason, from every `allow:` in the portfolio (a few at
        # most): a finding naming a thousand entities is then checked in one lookup each.
        if allowances is None:
            allowances = {}
            for entity in portfolio.by_id.values():  # the first definition of each id
                for allow in getattr(entity, "allow", ()):
                    allowances.setdefault(allow.rule, {}).setdefault(entity.id, allow.reason)
        self.allowances = allowances

    def apart(self) -> _Findings:
        """An empty collector with the same settings, for rules run elsewhere."""
        return _Findings(self.loaded, self.portfolio, self.settings, self.selection, self.allowances)

    def run(self, rule: Rule, context: RuleContext) -> list[Finding]:
        """One rule's findings, returned rather than kept, so they can be put in rule order."""
        start = len(self.items)
        for hit in rule.check(context) if rule.check else ():
            self.add_hit(rule, hit)
        found = self.items[start:]
        del self.items[start:]
        return found

    def enabled(self, rule: Rule) -> bool:
        return self.settings.get(rule.code) != "off" and self.selection.wants(rule.code)

    def add(self, rule: Rule, location: Location, message: str, *, pointer: str = "",
            entities: tuple[str, ...] = (), related: tuple[Location, ...] = (),
            hint: str | None = None, key: tuple[str, ...] | None = None) -> None:
        if not self.enabled(rule):
            return
        setting = self.settings.get(rule.code)
        severity = Severity(setting) if setting else rule.severity
        reason = self._allowed(rule.code, entities)
        finding = Finding(rule.code, rule.name, severity, message, location, pointer, entities, related,
                          hint, suppressed=reason is not None, suppression_reason=reason, key=key)
        finding.fingerprint  # noqa: B018 - hashed here, in whichever process found it, not all at render
        self.items.append(finding)

    def add_hit(self, rule: Rule, hit: Hit) -> None:
        if not self.enabled(rule):
            return
        related = tuple(self.locate(a) for a in hit.related[:MAX_RELATED])
        self.add(rule, self.locate(hit.anchor), hit.message, pointer=json_pointer(hit.anchor.pointer),
                 entities=hit.entities, related=related, hint=hit.hint, key=hit.key)

    def locate(self, anchor: Anchor) -> Location:
        # Many findings point at one place (a KPI's direction, a pain point's initiatives).
        location = self.located.get(anchor)
        if location is None:
            line, column = self.loaded.file(anchor.file).locate(anchor.pointer, anchor.at_key)
            location = self.located[anchor] = Location(anchor.file, line, column)
        return location

    def _allowed(self, code: str, entities: Iterable[str]) -> str | None:
        """The reason of the first `allow:` for this rule on an entity the finding names."""
        allowed = self.allowances.get(code)
        if allowed:
            for ident in entities:
                if ident in allowed:
                    return allowed[ident]
        return None


def _hit_from_schema(problem: SchemaProblem) -> Hit:
    entities = (problem.entity,) if problem.entity else ()
    return Hit(Anchor(problem.file, problem.pointer, problem.at_key), problem.message,
               entities, (), problem.hint)


def _rule_options(loaded: LoadedPortfolio, portfolio: Portfolio) -> tuple[dict[str, Any], list[SchemaProblem]]:
    """Each configured rule's options, validated by that rule's own options model."""
    from pydantic import ValidationError

    from cxportfolio.model.types import did_you_mean, field_path

    options: dict[str, Any] = {}
    problems: list[SchemaProblem] = []
    path = loaded.config.path
    for code in (portfolio.config.rules if portfolio.config else {}):
        rule = REGISTRY.get(code)
        if rule is None:
            problems.append(SchemaProblem(path, ("rules", code), f"rules: unknown rule code {code}",
                                          did_you_mean(code, REGISTRY, 80) or "see docs/rules.md",
                                          at_key=True))
            continue
        try:
            options[code] = rule.options.model_validate(portfolio.config.options_of(code))
        except ValidationError as err:
            for error in err.errors():
                loc = ("rules", code, *error["loc"])
                known = ", ".join(rule.options.model_fields) or "none"
                problems.append(SchemaProblem(
                    path, loc, f"{field_path(loc)}: {error['msg']}",
                    f"{code} options: {known} (see docs/rules.md)",
                    at_key=error["type"] == "extra_forbidden"))
    return options, problems


def only_new(run: CheckRun, known: set[str]) -> int:
    """Keep the findings whose fingerprint the baseline lacks; return how many were dropped."""
    kept = [f for f in run.result.findings if f.fingerprint not in known]
    dropped = len(run.result.findings) - len(kept)
    run.result.findings = kept
    run.result.summary = _summary(kept, run.portfolio)
    run.result.summary.baseline_known = dropped
    return dropped


def _summary(findings: Sequence[Finding], portfolio: Portfolio) -> CheckSummary:
    summary = CheckSummary(files=len(portfolio.files),
                           initiatives=portfolio.invalid_initiatives
                           + sum(isinstance(e, Initiative) for e in portfolio.entities))
    for finding in findings:
        if finding.suppressed:
            summary.suppressed += 1
        elif finding.severity is Severity.ERROR:
            summary.errors += 1
        elif finding.severity is Severity.WARNING:
            summary.warnings += 1
        else:
            summary.infos += 1
    return summary


def json_pointer(pointer: Iterable[str | int]) -> str:
    """RFC 6901: '/initiatives/3/effort', with '~' and '/' escaped."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
