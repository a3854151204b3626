"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

from typing import Any

from cxportfolio import __version__
from cxportfolio.model.finding import CheckResult, Finding, Location, Severity
from cxportfolio.render.json_format import indented
from cxportfolio.render.options import RenderOptions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rules() -> list[dict[str, Any]]:
    from cxportfolio.rules import REGISTRY

    return [{
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.split("\n\n")[0].replace("**Why**: ", "")},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    } for rule in sorted(REGISTRY.values(), key=lambda r: r.code)]


def _location(loc: Location, options: RenderOptions, message: str | None = None) -> dict[str, Any]:
    physical = {"artifactLocation": {"uri": options.ci_path(loc.file)},
                "region": {"startLine": loc.line, "startColumn": loc.column}}
    out: dict[str, Any] = {"physicalLocation": physical}
    if message:
        out["message"] = {"text": message}
    return out


def _result(finding: Finding, index: dict[str, int], options: RenderOptions) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message + (f" (help: {finding.hint})" if finding.hint else "")},
        "locations": [_location(finding.location, options)],
        "partialFingerprints": {"cxportfolioFingerprint/v1": finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [dict(_location(r, options, "related"), id=n + 1)
                                      for n, r in enumerate(finding.related)]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppression_reason or ""}]
    return result


def render_check(result: CheckResult, options: RenderOptions) -> str:
    rules = _rules()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "cxportfolio", "version": __version__,
                                "informationUri": "https://pypi.org/project/cxportfolio/",
                                "rules": rules}},
            "results": [_result(f, index, options) for f in result.findings],
        }],
    }
    return indented(document)
