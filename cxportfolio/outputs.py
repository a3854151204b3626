"""`check --output FORMAT=PATH` and `--statistics`: every format from one run.

CI checks the portfolio once and writes SARIF, JUnit and GitLab Code Quality together
(one run means one set of findings, and half the time of two runs). The CLI checks each
target before the run (`cli._report_target`: never a portfolio document, never over a file
that is not an earlier output of its format, never through a
symbolic link); this module parses the specs, renders and writes atomically.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from cxportfolio.errors import CxpError
from cxportfolio.model.finding import CheckResult
from cxportfolio.records import record
from cxportfolio.render import CHECK_RENDERERS, RenderOptions
from cxportfolio.render.json_format import VERSION, indented
from cxportfolio.render.neutral import printable
from cxportfolio.writing import STANDARD_OUTPUT, missing_folder, named_file, write_atomically

_SUFFIXES = {"text": "txt", "github": "txt", "gitlab": "json", "junit": "xml"}  # a file name a message proposes
STATISTICS_FORMATS = ("text", "json")  # the table, or the same rows for a program


@record
class Output:
    """One extra output: a `check` format and the file it goes to."""

    format: str
    path: Path


def parse_output(spec: str) -> Output:
    """`sarif=reports/cxportfolio.sarif` → Output; a ValueError whose text says what is wrong."""
    name, equals, path = spec.partition("=")
    example = "e.g. --output sarif=cxportfolio.sarif"
    if not equals:
        raise ValueError(f"'{printable(spec)}' is not FORMAT=PATH ({example})")
    if name not in CHECK_RENDERERS:
        raise ValueError(f"'{printable(name)}' is not a check format; choose from {', '.join(CHECK_RENDERERS)}")
    if not path:
        raise ValueError(f"'{printable(spec)}' names no file ({example})")
    if path == STANDARD_OUTPUT:
        raise ValueError(f"'{printable(spec)}': --output writes a file; standard output is what --format is for "
                         f"(--format {name})")
    try:
        return Output(name, named_file(path, f"--output {name}=", f"cxportfolio.{_SUFFIXES.get(name, name)}"))
    except CxpError as err:
        raise ValueError(str(err)) from None


def distinct(outputs: Sequence[Output]) -> None:
    """Two formats into one file would leave only the last: refused (ValueError)."""
    seen: set[str] = set()
    for output in outputs:
        key = os.path.abspath(output.path)  # `a`, `./a` and `x/../a` are one file
        if key in seen:
            raise ValueError(f"'{printable(str(output.path))}' is named by more than one --output")
        seen.add(key)


def ready(target: Path, spec: Output) -> Path:
    """The checked target, once its folder is known to exist: found before the run, a missing
    folder costs no check and leaves no other output written."""
    if not target.parent.is_dir():
        raise missing_folder(f"--output {spec.format}={spec.path}", spec.path.parent)
    return target


def write_outputs(result: CheckResult, options: Callable[[str], RenderOptions],
                  targets: Sequence[tuple[str, Path]]) -> None:
    """Render each format of the one run (with `options(format)`) and write it atomically to
    its checked target. Every format is rendered before any file is written: a renderer's
    failure writes none."""
    rendered = [(target, CHECK_RENDERERS[name](result, options(name))) for name, target in targets]
    for target, text in rendered:
        write_atomically(target, text)


def statistics(result: CheckResult, output_format: str) -> str:
    """Counts per rule code, as `ruff --statistics` prints them: most frequent first, then
    by code. Findings accepted with `allow:` are not counted, as they are not reported."""
    counts = Counter((f.code, f.rule, f.severity) for f in result.findings if not f.suppressed)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][2].rank))
    if output_format == "json":  # versioned like `check --format json`, so it can grow
        return indented({"version": VERSION, "statistics": [
            {"code": code, "name": rule, "severity": severity.value, "count": count}
            for (code, rule, severity), count in rows]})
    width = max([4, *(len(str(count)) for count in counts.values())])
    return "".join(f"{count:>{width}}  {printable(code)}  [{severity.value}] {printable(rule)}\n"
                   for (code, rule, severity), count in rows)

