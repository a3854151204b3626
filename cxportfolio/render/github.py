"""GitHub Actions workflow commands: one annotation per finding, safely escaped.

GitHub shows at most 10 annotations of each kind (error, warning, notice) per step and
drops the rest silently. So when findings are left out, a notice saying how many comes
first — it is one of the 10 notices, leaving 9 for infos — and mentions the job summary
only when the CLI writes one ($GITHUB_STEP_SUMMARY set: `RenderOptions.step_summary`).
"""

from __future__ import annotations

import re

from cxportfolio.model.finding import CheckResult, Finding, Severity
from cxportfolio.render.neutral import printable
from cxportfolio.render.options import RenderOptions
from cxportfolio.render.text import limits_line, plural, summary_line

ANNOTATION_LIMIT = 10
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: control, separator and bidi characters as visible escapes
    (`printable`: an ESC or U+202E in a file name or title must not reach the log raw),
    then %, CR and LF (GitHub's documented escaping)."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values: also ':' and ',' which would end the value.

    Escaped between the colons: percent-encoded, a `::` opens no command, and the backslash
    `printable` puts before a leading one would only make GitHub look up another file."""
    return "%3A".join(escape_data(part).replace(",", "%2C") for part in text.split(":"))


def file_property(path: str) -> str | None:
    """The `file=` value GitHub's unescaping turns back into `path` (a CR or LF in a POSIX
    file name is %0D / %0A), or None where no value can: `printable` would show a character
    of it as an escape (ESC, a bidi override, a byte that is not UTF-8) or put a backslash in
    a `##[`, and `a\\x1bb.yaml` names another file, one a pull request can add."""
    plain = re.sub("[\r\n:]", "_", path)  # what the percent-encoding below makes safe
    if printable(plain) != plain:
        return None
    for char, code in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")):
        path = path.replace(char, code)
    return path


def annotation(finding: Finding, options: RenderOptions) -> str:
    loc = finding.location
    path = options.ci_path(loc.file)
    file = file_property(path)
    where = [f"file={file}", f"line={loc.line}", f"col={loc.column}"] if file is not None else []
    properties = ",".join([*where, f"title={escape_property(f'{finding.code} {finding.rule}')}"])
    message = finding.message + (f" (help: {finding.hint})" if finding.hint else "")
    if file is None:  # an annotation of the run, which says where
        message = f"{path}:{loc.line}:{loc.column}: {message}"
    return f"::{_COMMAND[finding.severity]} {properties}::{escape_data(message)}"


def render_check(result: CheckResult, options: RenderOptions) -> str:
    active = [f for f in result.findings if not f.suppressed]
    groups = {severity: [f for f in active if f.severity is severity] for severity in _COMMAND}
    left_out = {severity: max(0, len(group) - ANNOTATION_LIMIT) for severity, group in groups.items()}
    if any(left_out.values()):  # the notice takes one of the 10 notices
        left_out[Severity.INFO] = max(0, len(groups[Severity.INFO]) - (ANNOTATION_LIMIT - 1))
    lines: list[str] = []
    if any(left_out.values()):
        lines.append(overflow_notice(left_out, options.step_summary))
    for severity, group in groups.items():
        lines.extend(annotation(f, options) for f in group[:len(group) - left_out[severity]])
    # -q: the annotations, and only what limits them, as the text says it
    last = limits_line(result.summary) if options.quiet else summary_line(result.summary)
    if last:
        lines.append(escape_data(last))
    return "".join(line + "\n" for line in lines)


def overflow_notice(left_out: dict[Severity, int], summary_written: bool) -> str:
    kinds = ", ".join(plural(n, severity.value) for severity in _COMMAND if (n := left_out[severity]))
    total = sum(left_out.values())
    more = "1 more finding is" if total == 1 else f"{total} more findings are"
    where = ("the job summary lists them all" if summary_written
             else "run `cxportfolio check` to list them all")
    return (f"::notice title=cxportfolio::{more} not annotated "
            f"({kinds}; GitHub shows {ANNOTATION_LIMIT} annotations of each kind per step): {where}")


def step_summary(result: CheckResult, options: RenderOptions, limit: int = 1024 * 1024) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: every finding, errors first, cut to stay under
    GitHub's 1 MiB.

    Portfolio text goes through `md_escape` (neutral.py): no HTML or table breakage, and no
    mention, issue reference or link that GitHub would act on."""
    from cxportfolio.render.neutral import md_escape, md_path

    head = f"### cxportfolio check\n\n{summary_line(result.summary)}\n\n"
    if not result.findings:
        return head
    head += "| location | code | severity | message |\n|---|---|---|---|\n"
    out = [head]
    size = len(head.encode())
    # What blocks first: errors, warnings, infos, then the suppressed; file order within each.
    findings = sorted(result.findings, key=lambda f: (f.suppressed, f.severity.rank))
    for n, f in enumerate(findings):
        severity = "suppressed" if f.suppressed else f.severity.value
        row = (f"| {md_path(options.ci_path(f.location.file))}:{f.location.line}:{f.location.column} "
               f"| {f.code} | {severity} | {md_escape(f.message)} |\n")
        if size + len(row.encode()) > limit - 200:
            out.append(f"\n{plural(len(findings) - n, 'more finding')} left out to stay under 1 MiB.\n")
            break
        out.append(row)
        size += len(row.encode())
    return "".join(out)
