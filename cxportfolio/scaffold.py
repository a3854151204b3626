"""`cxportfolio init`: a small portfolio that passes `check` at once, ready to edit."""

from __future__ import annotations

from pathlib import Path

from cxportfolio.errors import CxpError
from cxportfolio.schema import write_schemas

_MODELINE = "# yaml-language-server: $schema={prefix}schemas/{name}.schema.json\n"

_FILES = {
    "cxportfolio.yaml": ("config", """\
organization: {organization}
year: {year}
target:
  improvements: 50        # implemented improvements in {year}
scoring: {{}}               # ranking weights; defaults are documented in docs/ranking.md
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


def scaffold(directory: Path, organization: str, year: int, force: bool = False) -> list[Path]:
    if (directory / "cxportfolio.yaml").exists() and not force:
        raise CxpError(f"{directory}: already holds a portfolio (cxportfolio.yaml); use --force to overwrite")
    if directory.exists() and not directory.is_dir():
        raise CxpError(f"{directory}: exists and is not a directory")
    written: list[Path] = []
    for relative, (schema, template) in _FILES.items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = "../" * relative.count("/")
        text = _MODELINE.format(prefix=prefix, name=schema) + template.format(
            organization=organization, year=year, prev=year - 1)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    written.extend(write_schemas(directory / "schemas"))
    return written
