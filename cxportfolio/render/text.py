"""Compiler-style text: `path:line:col: CODE [severity] message`, grouped by file; the path
relative to where the command runs (RenderOptions.ci_path), so a terminal or editor opens it."""

from __future__ import annotations

import click

from cxportfolio.model.finding import CheckResult, CheckSummary, Finding, Severity
from cxportfolio.render.neutral import one_line, printable
from cxportfolio.render.options import RenderOptions

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render_check(result: CheckResult, options: RenderOptions) -> str:
    lines: list[str] = []
    previous_file: str | None = None
    for finding in result.findings:
        if finding.suppressed and not options.show_suppressed or options.errors_only and not finding.fails(options.strict):
            continue
        if previous_file is not None and finding.location.file != previous_file:
            lines.append("")
        previous_file = finding.location.file
        lines.extend(_finding_lines(finding, options))
    if options.quiet:
        # Findings only, and what limits them: without it the check would read as complete.
        limits = limits_line(result.summary)
        if limits:
            lines.extend(["", limits] if lines else [limits])
        return "".join(line + "\n" for line in lines)
    if lines:
        lines.append("")
    lines.append(summary_line(result.summary, _not_shown(result.summary, options)))
    return "\n".join(lines) + "\n"


def _not_shown(summary: CheckSummary, options: RenderOptions) -> str:
    """`--errors-only`: the counted findings left out, as the summary names them."""
    if not options.errors_only:
        return ""
    warnings = 0 if options.strict else summary.warnings  # with --strict, warnings fail and show
    if not warnings + summary.infos:
        return ""
    if warnings and summary.infos:
        return f"{warnings + summary.infos} warnings and infos not shown (--errors-only)"
    return f"{plural(warnings, 'warning') if warnings else plural(summary.infos, 'info')} not shown (--errors-only)"


def _finding_lines(finding: Finding, options: RenderOptions) -> list[str]:
    """Every value from the portfolio or a file name is neutralised (neutral.py) before the
    renderer adds its own styling, so a file named `::error::x.yaml` cannot start a
    workflow command and a title cannot carry a terminal escape."""
    loc = finding.location
    color = options.color
    where = f"{printable(options.ci_path(loc.file))}:{loc.line}:{loc.column}:"
    code = printable(finding.code)
    severity = f"[{finding.severity.value}]"
    if finding.suppressed:
        severity = f"[suppressed: {one_line(finding.suppression_reason)}]"
    if color:
        where = click.style(where, bold=True)
        code = click.style(code, fg=_COLORS[finding.severity], bold=True)
    lines = [f"{where} {code} {severity} {one_line(finding.message)}"]
    for rel in finding.related:
        lines.append(f"    related: {printable(options.ci_path(rel.file))}:{rel.line}:{rel.column}")
    if finding.hint:
        lines.append(f"    help: {one_line(finding.hint)}")
    return lines


def summary_line(summary: CheckSummary, not_shown: str = "") -> str:
    counts = [plural(summary.errors, "error"), plural(summary.warnings, "warning"),
              plural(summary.infos, "info")]
    found = ", ".join(counts) if (summary.errors or summary.warnings or summary.infos) else "no findings"
    if summary.suppressed:
        found += f" ({summary.suppressed} suppressed by allow:)"
    if summary.baseline_known:
        found += f"; {summary.baseline_known} already in the baseline not shown"
    if not_shown:
        found += f"; {not_shown}"
    limited = limits_line(summary)
    return (f"Checked {plural(summary.files, 'file')}, "
            f"{plural(summary.initiatives, 'initiative')}: {found}.{' ' + limited if limited else ''}")


def limits_line(summary: CheckSummary) -> str:
    """What limited the findings (unreadable files, values lost to a mistake, mistakes in
    values that rules then leave out, a configuration that cannot be used), as the summary
    line ends with it and `check -q` prints it alone; "" when nothing did."""
    limited: list[str] = []
    if summary.unreadable:
        limited.append(f"Findings are limited by {plural(summary.unreadable, 'unreadable file')}: "
                       f"what {'it defines' if summary.unreadable == 1 else 'they define'} is missing, so findings "
                       "that need it (a fragmented pain point, a unit's capacity) show once "
                       f"{'it reads' if summary.unreadable == 1 else 'they read'}, and unknown references, unaddressed "
                       "pain points and duplicated initiatives are not reported until then.")
    if summary.lost:  # with mistakes in values too, one sentence: a value lost is one of them
        limited.append(f"Findings are limited by {plural(summary.lost, 'value')} lost to a mistake ("
                       f"{'its CXP002 or CXP003 says' if summary.lost == 1 else 'their CXP002 or CXP003 say'} where): what {'it holds' if summary.lost == 1 else 'they hold'} is missing "
                       "until corrected" + ("; and by values refused or unknown (CXP002, CXP101–CXP103 say where): "
                                            "correcting one may bring up a finding that needs it."
                                            if summary.mistaken > summary.mistaken_lost else "."))
    elif summary.mistaken:
        limited.append(f"Findings are limited by {summary.mistaken} "
                       f"{'mistake in a value' if summary.mistaken == 1 else 'mistakes in values'} "
                       f"({'its finding says' if summary.mistaken == 1 else 'their findings say'} where): correcting "
                       f"{'it' if summary.mistaken == 1 else 'one'} may bring up a finding that needs it.")
    if summary.config_unusable:
        limited.append("Rule settings are the defaults while cxportfolio.yaml cannot be used (its CXP001 or "
                       "CXP002 says why): severities, rules turned off and options set there do not apply.")
    return " ".join(limited)


def plural(n: int, word: str) -> str:
    """`1 error`, `2 errors`: the count and its noun, for every renderer's counts."""
    return f"{n} {noun(n, word)}"


def noun(n: int, word: str) -> str:
    return word if n == 1 else word + "s"
