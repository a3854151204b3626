"""JUnit XML: one test case per checked file; error-level findings are its failures (with
--strict, warnings too: they fail the check, and a CI system that shows the tests must not
show them passed).

ElementTree escapes markup but writes any character it is given, and XML 1.0 forbids most
C0 controls, U+FFFE/U+FFFF and lone surrogates: one in a title would make the whole report
unreadable to the CI system. Every value from the portfolio or a file name therefore goes
through `printable` (neutral.py), which shows those (and the other controls) as `\\xNN` text.

A test case's name is its identity to a CI system (its history, its place in a list), so
no two files may share one: a backslash in a file name is doubled before `printable`, and the
file `a\\nb.yaml` (a backslash and an n) is not the test case of `a<LF>b.yaml`
(`case_name`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from cxportfolio.model.finding import CheckResult
from cxportfolio.render.neutral import one_line, printable
from cxportfolio.render.options import RenderOptions
from cxportfolio.render.text import plural


def case_name(path: str) -> str:
    """The file as a test case name: as `printable` shows it, with a backslash of the name
    itself doubled, so that the escapes are told from the name's own text, one name a file.
    A C1 control is `\\u0085`, not `printable`'s `\\x85`: that is the byte 0x85 of a name
    that is not UTF-8."""
    path = re.sub("[\x80-\x9f]", lambda c: f"\\u{ord(c.group()):04x}", path.replace("\\", "\\\\"))
    return printable(path)


def render_check(result: CheckResult, options: RenderOptions) -> str:
    by_file: dict[str, list] = {}
    for finding in result.findings:
        if not finding.suppressed:
            by_file.setdefault(finding.location.file, []).append(finding)
    names = sorted(set(result.files) | set(by_file))
    failures = sum(any(f.fails(options.strict) for f in by_file.get(n, [])) for n in names)
    suites = ET.Element("testsuites", name="cxportfolio", tests=str(len(names)), failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="cxportfolio check", tests=str(len(names)),
                          failures=str(failures), errors="0", skipped="0")
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="cxportfolio.check",
                             name=case_name(options.ci_path(name)))
        found = by_file.get(name, [])
        # the most severe first: the failure's headline is an error while the file has one
        errors = sorted((f for f in found if f.fails(options.strict)), key=lambda f: f.severity.rank)
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
