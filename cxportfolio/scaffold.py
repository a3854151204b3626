"""`cxportfolio init`: a small portfolio that passes `check` at once, ready to edit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cxportfolio.errors import CxpError
from cxportfolio.render.neutral import shell_argument
from cxportfolio.schema import SCHEMAS, schema_files
from cxportfolio.writing import safe_target, write_all

_MODELINE = "# yaml-language-server: $schema={prefix}schemas/{name}.schema.json\n"

_FILES = {
    "cxportfolio.yaml": ("config", """\
organization: {organization}
year: {year}
target:
  improvements: 50        # implemented improvements in {year}
scoring: {{}}               # ranking weights; `cxportfolio docs ranking` documents the defaults
rules: {{}}                 # per-rule severity, e.g. CXP402: error
"""),
    "journeys.yaml": ("portfolio", """\
journeys:
  - id: onboarding
    name: Become a customer
    owner: customer-service
    volume: 10000         # customers entering the journey per year
    stages:
      - {{id: discover, name: Find us, completion: 0.6}}
      - {{id: apply, name: Apply, completion: 0.8}}
      - {{id: start, name: Get started}}
"""),
    "kpis.yaml": ("portfolio", """\
kpis:
  - id: nps-onboarding
    name: NPS, new customers
    kind: experience
    direction: increase
    unit: points
    journey: onboarding
    owner: customer-service
    baseline: {{period: {prev}, value: 40}}
    target: {{period: {year}, value: 50}}
"""),
    "pain_points.yaml": ("portfolio", """\
pain_points:
  - id: PP-long-form
    journey: onboarding
    stage: apply
    title: The application form asks for the same data twice
    severity: 3           # 1 = annoyance … 5 = stops the customer
    reach: 0.7            # share of customers at this stage who hit it
    evidence:
      - {{kind: survey, count: 120, period: {prev}-Q4}}
"""),
    "units/customer-service.yaml": ("portfolio", """\
unit: customer-service

units:
  - id: customer-service
    name: Customer service
    capacity: 40          # person-weeks available in {year}

initiatives:
  - id: CS-001
    title: Prefill the application form from what we already know
    addresses: [PP-long-form]
    effects:
      - {{kpi: nps-onboarding, change: 5, confidence: 0.6}}
    effort: 6             # person-weeks
    size: quick_win
    status: approved
    planned: {year}-Q2
"""),
}


def yaml_scalar(text: str) -> str:
    """`text` as a YAML value that reads back as itself: plain where it can be ("Nordbank
    ASA"), double-quoted where YAML would read it otherwise ("City of Oslo: Welfare", a `#`
    that would start a comment, `- x`, `yes`, `2026`). A JSON string is a YAML one."""
    import json

    import yaml

    try:
        plain = yaml.safe_load(f"value: {text}\n") == {"value": text}
    except yaml.YAMLError:
        plain = False
    return text if plain and "\n" not in text else json.dumps(text, ensure_ascii=False)


def scaffold(directory: Path, organization: str, year: int, force: bool = False) -> list[Path]:
    """Write a new portfolio into `directory`, which must be empty unless `force`.

    Nothing is written through a symbolic link, even with `force`: a `journeys.yaml` or a
    `units` folder that is a link is refused (the directory itself may be one: it is what
    the user named). Nor is a file replaced, even with `force`: one the scaffold would
    write that exists with other content (an owner's `cxportfolio.yaml`) is refused, as
    SECURITY.md promises. The files are written all or nothing (writing.write_all). A
    `.git` folder alone does not make the directory non-empty: a fresh repository is where
    a portfolio starts.
    """
    if directory.exists() and not directory.is_dir():
        raise CxpError(f"{directory}: exists and is not a directory")
    for step in reversed(directory.parents):  # `mine.txt/p`: said as such, not "cannot read the directory"
        if step.exists() and not step.is_dir():
            raise CxpError(f"{directory}: {step} is a file, not a folder")
    present = _entries(directory)
    if present and not force:
        if "cxportfolio.yaml" in present:
            raise CxpError(f"{directory}: already holds a portfolio ({_listed(present)}); "
                           f"`cxportfolio check {shell_argument(directory)}` checks it, and a new one starts in an empty folder")
        raise CxpError(f"{directory}: is not empty (holds {_listed(present)}); "
                       "use --force to write the portfolio's files into it")
    files = {relative: _MODELINE.format(prefix="../" * relative.count("/"), name=schema) + template.format(
        organization=yaml_scalar(organization), year=year, prev=year - 1)
        for relative, (schema, template) in _FILES.items()}
    schemas = [directory / "schemas" / filename for filename, _, _ in SCHEMAS.values()]
    for target in [*(directory / relative for relative in files), *schemas]:  # refuse before writing anything
        safe_target(target, trusted=directory)
    writes = [(directory / relative, text) for relative, text in files.items()]
    writes.extend(schema_files(directory / "schemas", trusted=directory))
    taken = [target for target, text in writes if _other_content(target, text)]
    if taken:
        names = [target.relative_to(directory).as_posix() for target in taken]
        raise CxpError(f"{directory}: init replaces no file, even with --force, and {_listed(names)} "
                       f"{'exists' if len(names) == 1 else 'exist'} with other content; move "
                       f"{'it' if len(names) == 1 else 'them'} aside, or start the portfolio in an empty folder")
    write_all(writes, trusted=directory)  # all or nothing: never half a portfolio
    return [target for target, _ in writes]


def _other_content(target: Path, text: str) -> bool:
    """Whether a file other than `text` lies at `target` (the scaffold's own, written
    before, may be written again)."""
    content = text.encode()
    try:
        if not stat.S_ISREG(os.stat(target).st_mode):  # a folder or a FIFO (which would block a read)
            return True
        with open(target, "rb") as existing:
            return existing.read(len(content) + 1) != content
    except FileNotFoundError:
        return False
    except OSError:  # unreadable: not replaced either
        return True


def _entries(directory: Path) -> list[str]:
    try:
        return sorted(name for name in os.listdir(directory) if name != ".git")
    except FileNotFoundError:
        return []
    except OSError as err:
        raise CxpError(f"{directory}: cannot read the directory: {err.strerror}") from None


def _listed(names: list[str], shown: int = 3) -> str:
    """'a, b and c' or 'a, b, c and 4 more' (names only: file names are the user's)."""
    head = [repr(n) if not n.isprintable() else n for n in names[:shown]]
    more = len(names) - len(head)
    if more:
        return f"{', '.join(head)} and {more} more"
    return head[0] if len(head) == 1 else f"{', '.join(head[:-1])} and {head[-1]}"
