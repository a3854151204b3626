"""The CI formats against their published schemas: JUnit against a JUnit XSD (vendored,
tests/data/README.md), GitLab Code Quality against its documented field set."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

JUNIT_XSD = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "junit-10.xsd")))
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def assert_junit_valid(text: str | bytes) -> etree._Element:
    document = etree.fromstring(text.encode() if isinstance(text, str) else text)
    assert JUNIT_XSD.validate(document), JUNIT_XSD.error_log
    return document


def assert_gitlab_valid(text: str) -> list[dict]:
    """GitLab's documented Code Quality fields, each of the documented type."""
    issues = json.loads(text)
    assert isinstance(issues, list)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str) and issue["location"]["path"]
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
    return issues
