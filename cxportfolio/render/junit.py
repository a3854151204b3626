"""JUnit XML: one test case per checked file; error-level findings are its failures (with
--strict, warnings too: they fail the check, and a CI system that shows the tests must not
show them passed).

ElementTree escapes markup but writes any character it is given, and XML 1.0 forbids most
C0 controls, U+FFFE/U+FFFF and lone surrogates: one in a title would make the whole report
unreadable to the CI system. Every value from the portfolio or a file name therefore goes
through `printable` (neutral.py), which shows those (and the other controls) as `\\xNN` text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cxportfolio.model.finding import CheckResult, Severity
from cxportfolio.render.neutral import one_line, printable
from cxportfolio.render.options import RenderOptions
from cxportfolio.render.text import plural


def render_check(result: CheckResult, options: RenderOptions) -> str:
    by_file: dict[str, list] = {}
    for finding in result.findings:
        if not finding.suppressed:
            by_file.setdefault(finding.location.file, []).append(finding)
    names = sorted(set(result.files) | set(by_file))
    failing = {Severity.ERROR, Severity.WARNING} if options.strict else {Severity.ERROR}
    failures = sum(any(f.severity in failing for f in by_file.get(n, [])) for n in names)
    suites = ET.Element("testsuites", name="cxportfolio", tests=str(len(names)), failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="cxportfolio check", tests=str(len(names)),
                          failures=str(failures), errors="0", skipped="0")
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="cxportfolio.check",
                             name=printable(options.ci_path(name)))
        found = by_file.get(name, [])
        # the most severe first: the failure's headline is an error while the file has one
        errors = sorted((f for f in found if f.severity in failing), key=lambda f: f.severity.rank)
        lines = [f"{f.location.line}:{f.location.column} {printable(f.code)} [{f.severity.value}] "
                 f"{one_line(f.message)}" for f in found]
        if errors:
            failure = ET.SubElement(case, "failure", type=printable(errors[0].code),
                                    message=f"{plural(len(errors), 'finding' if options.strict else 'error')}: "
                                            f"{one_line(errors[0].message)}")
            failure.text = "\n".join(lines)
        elif lines:
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
