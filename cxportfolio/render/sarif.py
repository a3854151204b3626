"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Exact to the OASIS schema with its formats: every `uri` is a percent-encoded relative
reference resolved against `%SRCROOT%` (the checkout in CI, elsewhere the directory the
check ran in), and columns are Unicode code points (`columnKind`). A run stays within what
code scanning accepts: past 25,000 results or 10 MB gzipped it keeps the most severe
findings and says in a run-level notification how many it left out. It only renders: the
exit code stays the full check's.

With a baseline the log still holds every finding, each with its `baselineState` (new,
unchanged, updated), where the other formats hold the new ones: code scanning takes each
upload for the whole state of the code and compares a pull request's with the base
branch's, so a log of the new findings alone would show every other one as fixed.
"""

from __future__ import annotations

import gzip
from typing import Any
from urllib.parse import quote

from cxportfolio import __version__
from cxportfolio.docs import rule_markdown, rule_text
from cxportfolio.model.finding import FINGERPRINT_VERSION, BaselineState, CheckResult, Finding, Location, Severity
from cxportfolio.render.json_format import indented
from cxportfolio.render.neutral import one_line
from cxportfolio.render.options import RenderOptions
from cxportfolio.render.text import limits_line

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
# Category "cxportfolio", no run id (GitHub reads `category/run-id`): a new upload replaces the last.
AUTOMATION_ID = "cxportfolio/"
# GitHub code scanning refuses a run with more results, or an upload larger once gzipped
# (10 MB: counted as 10,000,000 bytes, the smaller reading).
MAX_RESULTS = 25_000
MAX_GZIPPED_BYTES = 10_000_000

# Named by version: GitHub then never matches a fingerprint made another way.
FINGERPRINT_KEY = f"cxportfolioFingerprint/v{FINGERPRINT_VERSION}"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# A path segment keeps RFC 3986's unreserved characters (kept by `quote` itself), its
# sub-delims and '@'; everything else is percent-encoded: '%', '#', '?', spaces, controls,
# non-ASCII (as UTF-8) and ':' (a first segment holding ':' would read as a URI scheme).
_SEGMENT_SAFE = "!$&'()*+,;=@"


def artifact_uri(path: str) -> str:
    """A POSIX path as a relative URI reference. A file name that is not UTF-8 reaches
    Python as lone surrogates: surrogateescape gives its bytes back, encoded as they are."""
    segments = [quote(s, safe=_SEGMENT_SAFE, errors="surrogateescape") for s in path.split("/") if s]
    return ("/" if path.startswith("/") else "") + "/".join(segments)


def message_text(text: str) -> str:
    """Plain-text SARIF messages read `[text](target)` as a link to a location or any URI
    (SARIF §3.11.6): a space after `]` in portfolio text keeps it text. Control and bidi
    characters become escapes, as on a terminal (`one_line`): code scanning shows the text."""
    return one_line(text).replace("](", "] (")


def link_text(text: str) -> str:
    """The text of a link this renderer writes: brackets and backslashes escaped (SARIF §3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _rules() -> list[dict[str, Any]]:
    """Each rule with its documentation inline (its section of docs/rules.md, as `cxportfolio
    rules CODE` prints it), not a `helpUri`: the project has no public address to link to,
    and the help is there offline too. Rules are written once per run (about 70 KB)."""
    from cxportfolio.rules import REGISTRY

    return [{
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.split("\n\n")[0].replace("**Why**: ", "")},
        "help": {"text": rule_text(rule), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    } for rule in sorted(REGISTRY.values(), key=lambda r: r.code)]


def _location(loc: Location, options: RenderOptions) -> dict[str, Any]:
    # Only a start is known; SARIF then means "to the end of the line", which is right for
    # a YAML key or value.
    return {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(options.ci_path(loc.file)), "uriBaseId": SRCROOT},
        "region": {"startLine": loc.line, "startColumn": loc.column}}}


def related_labels(finding: Finding) -> list[str]:
    """What each related location is: the engine's label (the entity there), else its number."""
    given = finding.related_labels
    total = len(finding.related)
    return [one_line(given[n]) if n < len(given) and given[n] else f"related location {n + 1} of {total}"
            for n in range(total)]


def _result(finding: Finding, index: dict[str, int], options: RenderOptions,
            state: BaselineState | None) -> dict[str, Any]:
    text = message_text(finding.message + (f" (help: {finding.hint})" if finding.hint else ""))
    labels = related_labels(finding)
    if labels:  # GitHub shows related locations only as links embedded in the message
        text += " See " + ", ".join(f"[{link_text(label)}]({n + 1})" for n, label in enumerate(labels)) + "."
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [_location(finding.location, options)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if state is not None:
        result["baselineState"] = state
    if finding.related:
        result["relatedLocations"] = [dict(_location(r, options), id=n + 1, message={"text": message_text(label)})
                                      for n, (r, label) in enumerate(zip(finding.related, labels))]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": one_line(finding.suppression_reason or "")}]
    return result


def _document(rules: list[dict[str, Any]], results: list[dict[str, Any]],
              notifications: list[dict[str, Any]]) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "cxportfolio", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "automationDetails": {"id": AUTOMATION_ID},
            # No absolute uri: the file stays the same on every machine (SARIF §3.14.14 allows it).
            "originalUriBaseIds": {SRCROOT: {"description": {"text": (
                "The checkout in CI ($GITHUB_WORKSPACE, $CI_PROJECT_DIR), elsewhere the directory cxportfolio "
                "ran in; every uri is relative to it.")}}},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    }


def _left_out_notice(left_out: list[Finding], total: int, compared: bool) -> dict[str, Any]:
    active = [f.severity for f in left_out if not f.suppressed]
    counts = [(active.count(s), s.value, f"{s.value}s") for s in Severity]
    counts.append((len(left_out) - len(active), "suppressed", "suppressed"))
    kinds = ", ".join(f"{n:,} {one if n == 1 else many}" for n, one, many in counts if n)
    return {
        "descriptor": {"id": "results-left-out"},
        "level": "warning",
        "message": {"text": (
            f"{len(left_out):,} of {total:,} findings are left out ({kinds}) to stay within GitHub code "
            f"scanning's limits ({MAX_RESULTS:,} results per run, 10 MB gzipped); the "
            f"{'new, then the ' if compared else ''}most severe are kept. `cxportfolio check` lists them all.")},
        "properties": {"findingsLeftOut": len(left_out), "findingsTotal": total},
    }


def _limited_notice(result: CheckResult) -> list[dict[str, Any]]:
    """What limited the findings (an unreadable file, a value lost or refused…), as the
    text summary ends with it: a reader of the log alone must not take it for complete."""
    said = limits_line(result.summary)
    if not said:
        return []
    s = result.summary
    return [{"descriptor": {"id": "findings-limited"}, "level": "warning", "message": {"text": said},
             "properties": {"unreadableFiles": s.unreadable, "lostValues": s.lost, "valueMistakes": s.mistaken,
                            "configUnusable": s.config_unusable}}]


def render_within(result: CheckResult, options: RenderOptions, max_results: int = MAX_RESULTS,
                  max_gzipped: int = MAX_GZIPPED_BYTES) -> str:
    """The log, cut to `max_results` results and `max_gzipped` bytes once gzipped."""
    compared = result.compared
    findings = result.findings if compared is None else [finding for finding, _ in compared]
    states: list[BaselineState | None] = [None] * len(findings) if compared is None else [s for _, s in compared]
    rules = _rules()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    # Most severe first: active errors, warnings, infos, then suppressed; file order within
    # each. With a baseline, the new first: they are what the pull request is shown.
    priority = sorted(range(len(findings)), key=lambda n: (
        findings[n].suppressed, states[n] not in (None, "new"), findings[n].severity.rank, n))
    count = min(len(findings), max_results)
    limited = _limited_notice(result)
    rendered: dict[int, dict[str, Any]] = {}
    while True:
        kept = sorted(priority[:count])
        for n in kept:
            if n not in rendered:
                rendered[n] = _result(findings[n], index, options, states[n])
        left_out = [findings[n] for n in sorted(priority[count:])]
        notices = [*limited, *([_left_out_notice(left_out, len(findings), compared is not None)] if left_out else [])]
        text = indented(_document(rules, [rendered[n] for n in kept], notices))
        data = text.encode("utf-8")
        # gzip never grows text by more than its headers and 5 bytes per 16 KiB block.
        if len(data) + len(data) // 1000 + 64 <= max_gzipped or count == 0:
            return text
        # Level 6 is what the upload compresses with (zlib's default); the fast level 1
        # compresses less, so a text that fits at level 1 fits.
        if len(gzip.compress(data, 1, mtime=0)) <= max_gzipped:
            return text
        size = len(gzip.compress(data, 6, mtime=0))
        if size <= max_gzipped:
            return text
        count = min(count - 1, int(count * max_gzipped / size * 0.95))


def render_check(result: CheckResult, options: RenderOptions) -> str:
    return render_within(result, options, MAX_RESULTS, MAX_GZIPPED_BYTES)
