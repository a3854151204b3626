"""GitHub Actions workflow commands: one annotation per finding, safely escaped.

GitHub shows at most 10 error and 10 warning annotations per step and drops the rest
silently, so errors come first and a closing notice says how many were not annotated;
the CLI writes the full list to $GITHUB_STEP_SUMMARY when it is set.
"""

from __future__ import annotations

from cxportfolio.model.finding import CheckResult, Finding, Severity
from cxportfolio.render.options import RenderOptions
from cxportfolio.render.text import summary_line

ANNOTATION_LIMIT = 10
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: %, CR and LF (GitHub's documented escaping)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values: also ':' and ',' which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, options: RenderOptions) -> str:
    loc = finding.location
    properties = ",".join([
        f"file={escape_property(options.ci_path(loc.file))}",
        f"line={loc.line}",
        f"col={loc.column}",
        f"title={escape_property(f'{finding.code} {finding.rule}')}",
    ])
    message = finding.message + (f" (help: {finding.hint})" if finding.hint else "")
    return f"::{_COMMAND[finding.severity]} {properties}::{escape_data(message)}"


def render_check(result: CheckResult, options: RenderOptions) -> str:
    active = [f for f in result.findings if not f.suppressed]
    lines: list[str] = []
    left_out = 0
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in active if f.severity is severity]
        lines.extend(annotation(f, options) for f in group[:ANNOTATION_LIMIT])
        left_out += max(0, len(group) - ANNOTATION_LIMIT)
    if left_out:
        lines.append(f"::notice title=cxportfolio::{left_out} more findings are not annotated "
                     "(GitHub shows 10 per kind); the job summary lists them all")
    lines.append(escape_data(summary_line(result.summary)))
    return "\n".join(lines) + "\n"


def step_summary(result: CheckResult, options: RenderOptions, limit: int = 1024 * 1024) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: every finding, cut to stay under GitHub's 1 MiB.

    Portfolio text goes through `md_escape` (neutral.py): no HTML or table breakage, and no
    mention, issue reference or link that GitHub would act on."""
    from cxportfolio.render.neutral import md_escape

    head = f"### cxportfolio check\n\n{summary_line(result.summary)}\n\n"
    if not result.findings:
        return head
    head += "| location | code | severity | message |\n|---|---|---|---|\n"
    out = [head]
    size = len(head.encode())
    for n, f in enumerate(result.findings):
        severity = "suppressed" if f.suppressed else f.severity.value
        row = (f"| {md_escape(options.ci_path(f.location.file))}:{f.location.line}:{f.location.column} "
               f"| {f.code} | {severity} | {md_escape(f.message)} |\n")
        if size + len(row.encode()) > limit - 200:
            out.append(f"\n{len(result.findings) - n} more findings left out to stay under 1 MiB.\n")
            break
        out.append(row)
        size += len(row.encode())
    return "".join(out)
