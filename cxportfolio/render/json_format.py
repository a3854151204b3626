"""`check --format json`: a versioned contract (docs/ci.md, JSON for programs: fields may be added, never renamed)."""

from __future__ import annotations

import json
from typing import Any

import orjson

from cxportfolio.model.finding import FINGERPRINT_VERSION, CheckResult, Finding
from cxportfolio.render.neutral import inert_json, json_inert, one_line, path_text
from cxportfolio.render.options import RenderOptions

VERSION = 1


def render_check(result: CheckResult, options: RenderOptions) -> str:
    """One finding per line: easy to grep and diff, and written by orjson (Rust), twice as
    fast as json's C encoder (indenting every field would take json's pure-Python one)."""
    s = result.summary
    head = json.dumps({
        "version": VERSION,
        "fingerprint_version": FINGERPRINT_VERSION,  # what --baseline-file compares: docs/ci.md
        "summary": {"errors": s.errors, "warnings": s.warnings, "infos": s.infos,
                    "files": s.files, "initiatives": s.initiatives, "suppressed": s.suppressed,
                    "unreadable_files": s.unreadable, "lost_values": s.lost,
                    "value_mistakes": s.mistaken, "config_unusable": s.config_unusable},
        # what a later --baseline-file compares the configuration with (CXP004): docs/ci.md
        **({"rules": result.rules.as_written()} if result.rules is not None else {}),
        # the files that did not parse, when any: what a later --baseline-file cannot compare
        **({"unreadable": [path_text(file) for file in result.unreadable]} if result.unreadable else {}),
    }, ensure_ascii=False, indent=2)
    head = inert_json(head)
    if not result.findings:
        return head[:-2] + ',\n  "findings": []\n}\n'
    lines = [orjson.dumps(finding_json(f)) for f in result.findings]
    # A finding's message, hint and reason are neutral already (one_line); its data (file,
    # pointer, entities) is kept as written, so a finding whose data may hold what a CI
    # log acts on is made inert, alone: the whole document's text is 100 times as long.
    for k, finding in enumerate(result.findings):
        if not _plain(finding):
            lines[k] = inert_json(lines[k].decode()).encode()
    joined = b",\n    ".join(lines).decode()
    return f'{head[:-2]},\n  "findings": [\n    {joined}\n  ]\n}}\n'


def _plain(finding: Finding) -> bool:
    """Whether the finding's data holds nothing `inert_json` would escape (`json_inert`)."""
    data = "\n".join((finding.location.file, finding.pointer or "", *finding.entities,
                      *(r.file for r in finding.related)))
    return json_inert(data)


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding. Its message, hint and reason are text for people, neutral as on a terminal
    (`one_line`): a JSON reader prints them to logs and PR comments, where a decoded ESC or a
    bidi override would act, and a message may quote an invalid id or a title. `entities`,
    `file` and `pointer` are data, kept as they are (a file name's bytes that are not UTF-8
    as `\\xNN`: JSON holds only UTF-8)."""
    loc = finding.location
    out: dict[str, Any] = {
        "code": finding.code,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": one_line(finding.message),
        "file": path_text(loc.file),
        "line": loc.line,
        "column": loc.column,
        "entities": list(finding.entities),
        "related": [{"file": path_text(r.file), "line": r.line, "column": r.column} for r in finding.related],
        "pointer": finding.pointer,
        "hint": one_line(finding.hint) if finding.hint is not None else None,
        "suppressed": finding.suppressed,
        "fingerprint": finding.fingerprint,
    }
    if finding.suppressed:
        reason = finding.suppression_reason
        out["reason"] = one_line(reason) if reason is not None else None  # an allow's reason: text for people
    return out


def indented(document: Any) -> str:
    """A document of text, whole numbers and booleans as JSON indented by two spaces,
    byte for byte as `json.dumps(indent=2, ensure_ascii=False)` writes it, by orjson:
    ten times faster, which a SARIF log of tens of thousands of findings notices; what a
    CI log would act on written as JSON escapes (`inert_json`), as every JSON output."""
    return inert_json(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")
