"""GitLab Code Quality report: a JSON array, UTF-8 without BOM."""

from __future__ import annotations


from cxportfolio.model.finding import CheckResult, Severity
from cxportfolio.render.json_format import indented
from cxportfolio.render.neutral import one_line, path_text
from cxportfolio.render.options import RenderOptions

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render_check(result: CheckResult, options: RenderOptions) -> str:
    issues = [{
        "description": f"{f.code} {one_line(f.message)}",  # shown in merge requests: neutral text
        "check_name": f"{f.code} {f.rule}",
        "fingerprint": f.fingerprint,
        "severity": _SEVERITY[f.severity],
        "location": {"path": path_text(options.ci_path(f.location.file)), "lines": {"begin": f.location.line}},
    } for f in result.findings if not f.suppressed]
    return indented(issues)
