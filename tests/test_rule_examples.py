"""Every finding a rule's documentation shows is what `check` prints for its example.

docs/rules.md is made from the rule docstrings (test_docs.py keeps it so); each shows an
example and the finding it produces, `file:line:col: CODE message` (and its help, in a
```text block). Here each example is a portfolio: the snippet the docs show, in a file
around it, and every finding the docstring shows must be printed as shown, position,
message and help. A rule without a portfolio here fails, so a new rule's example is
checked too.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_portfolio
from cxportfolio.cli import cli
from cxportfolio.rules import REGISTRY

CONFIG = "organization: Nordbank\nyear: 2026\ntarget: {improvements: 10}\n"
MORTGAGE = """\
journeys:
  - id: mortgage
    name: Get a mortgage
    stages: [{id: explore, name: Explore}, {id: apply, name: Apply}, {id: decision, name: Decision},
             {id: payout, name: Payout}]
"""
KPIS = """\
kpis:
  - {id: aht, name: Handling time, kind: operational, direction: decrease}
"""


def _items(text: str) -> str:
    """Items of a list, written below its key: indented by 2."""
    return textwrap.indent(textwrap.dedent(text), "  ")


def _pain_points(count: int) -> str:
    return "".join(f"  - {{id: PP-{n}, journey: mortgage, stage: apply, title: Pain {n}, severity: 1}}\n"
                   for n in range(count))


def _initiatives(first: int, count: int) -> str:
    return "".join(f"  - {{id: DIG-{n:03}, title: Work {n}, status: idea}}\n" for n in range(first, first + count))


# code: the portfolios (files; `base`: the files at the baseline commit) whose findings
# hold every one the rule's docstring shows. Each snippet stands where its finding says.
EXAMPLES: dict[str, list[dict[str, dict[str, str]]]] = {
    "CXP001": [{"files": {"units/digital.yaml": """\
        initiatives:
          - id: DIG-007
            title: Status tracker
           status: done        # indented one space too little
        """}}],
    "CXP002": [
        {"files": {"units/digital.yaml": """\
            initiatives:
              - id: DIG-007
                title: Status tracker
                status: in_progress
                effort: lots
            unit: digital
            units: [{id: digital, name: Digital}]
            """}},
        {"files": {"units/digital.yaml": "units:\n  - id: digital\n    name: Digital\n    capacity: 120\n"
                   + "# a deleted `unit:` line\n" * 7 + "initiatives:\n" + _initiatives(7, 14)}},
        {"files": {"units/digital.yaml": """\
            unit: digital
            units: [{id: digital, name: Digital}]
            initiatives:
              - id: DIG-007
                status: idea
                titel: Status tracker
            """}},
    ],
    "CXP003": [{"files": {"units/digital.yaml": """\
        initiatives:
          - id: DIG-007
            effort: 8
            effort: 12
            title: Status tracker
            status: idea
        unit: digital
        units: [{id: digital, name: Digital}]
        """}}],
    "CXP004": [{"base": {"cxportfolio.yaml": CONFIG}, "files": {"cxportfolio.yaml": textwrap.dedent("""\
        # cxportfolio.yaml in the pull request
        rules:
          CXP105: "off"     # error at the base
        """) + CONFIG}}],
    "CXP101": [{"files": {
        "units/digital.yaml": "# units/digital.yaml\ninitiatives:\n  - id: STATUS-1\n    title: T\n    status: idea\n"
                              "unit: digital\nunits: [{id: digital, name: Digital}]\n",
        "units/customer-service.yaml": "# units/customer-service.yaml\ninitiatives:\n  - id: STATUS-1\n    title: T\n"
                                       "    status: idea\nunit: cs\nunits: [{id: cs, name: Customer service}]\n"}}],
    "CXP102": [{"files": {
        "units/digital.yaml": """\
            unit: digital
            initiatives:
              - id: DIG-007
                addresses: [PP-blackhole]     # defined as PP-black-hole
                title: Status tracker
                status: idea
            units: [{id: digital, name: Digital}]
            """,
        "journeys.yaml": MORTGAGE + "pain_points:\n  - {id: PP-black-hole, journey: mortgage, stage: decision, "
                                    "title: Applicants hear nothing, severity: 4}\n"}}],
    "CXP103": [{"files": {"journeys.yaml": MORTGAGE, "pain_points.yaml": """\
        pain_points:
          - id: PP-black-hole
            journey: mortgage
            stage: decison
            title: Applicants hear nothing
            severity: 4
        """}}],
    "CXP104": [{"files": {"units/it.yaml": """\
        initiatives:
        - {id: A, depends_on: [B], title: Platform, status: idea}
        - {id: B, depends_on: [A], title: Migration, status: idea}
        unit: it
        units: [{id: it, name: IT}]
        """}}],
    "CXP105": [{"files": {"units/digital.yaml": """\
        unit: digital
        initiatives:
          - id: DIG-007
            title: Status tracker
            status: done          # but no completed: date
        units: [{id: digital, name: Digital}]
        """}}],
    "CXP106": [{"files": {"kpis.yaml": """\
        kpis:
        - {id: enps, drives: [nps], name: eNPS, kind: employee, direction: increase}
        - {id: nps, drives: [enps], name: NPS, kind: experience, direction: increase}
        """}}],
    "CXP107": [{"files": {"units/digital.yaml": """\
        initiatives:
        - id: DIG-007
          title: "Reports in C:\\new folder"
          status: idea
        unit: digital
        units: [{id: digital, name: Digital}]
        """}}],
    "CXP108": [{"files": {"journeys.yaml": """\
        journeys:
          - id: mortgage
            name: Get a mortgage
            volume: 1.200
            stages: [{id: apply, name: Apply}]
        """}}],
    "CXP109": [{"files": {"units/digital.yaml": """\
        initiatives:
          - id: DIG-007
            title: Status tracker
            status: approved
            effort: #6
        unit: digital
        units: [{id: digital, name: Digital}]
        """}}],
    "CXP201": [{"files": {
        "journeys.yaml": """\
            journeys:
              - {id: dagpenger-soknad, name: Søke dagpenger, volume: 1000, stages: [{id: vent-pa-vedtak, name: Vent på vedtak}]}
              - {id: sykepenger-soknad, name: Søke sykepenger, volume: 9000, stages: [{id: vent-pa-vedtak, name: Vent på vedtak}]}
            pain_points:
              - {id: PP-svart-hull-dagpenger, journey: dagpenger-soknad, stage: vent-pa-vedtak, severity: 4,
                 title: Søkere hører ingenting etter at søknaden er sendt}
              - {id: PP-svart-hull-sykepenger, journey: sykepenger-soknad, stage: vent-pa-vedtak, severity: 5,
                 title: Sykmeldte må ringe for å få vite om søknaden er behandlet}
            """,
        "units/dagpenger.yaml": """\
            # units/dagpenger.yaml
            unit: dagpenger

            units:
              - id: dagpenger
                name: Dagpenger
                capacity: 40

            initiatives:
              # one «Min side» per benefit
              - id: DAG-001
                title: Min side for dagpenger
                addresses: [PP-svart-hull-dagpenger]
                status: idea
            """,
        "units/sykepenger.yaml": """\
            # units/sykepenger.yaml
            unit: sykepenger
            units: [{id: sykepenger, name: Sykepenger}]
            initiatives:
              - id: SYK-001
                title: Min side for sykepenger
                addresses: [PP-svart-hull-sykepenger]
                status: idea
            """}}],
    "CXP202": [{"files": {
        "journeys.yaml": MORTGAGE,
        "pain_points.yaml": "pain_points:\n" + "".join(
            f"  - {{id: PP-{n}, journey: mortgage, stage: explore, title: Pain {n}, severity: 1}}\n"
            for n in range(1, 11)) + "  - id: PP-black-hole\n    journey: mortgage\n    stage: decision\n"
                                      "    title: Applicants hear nothing\n    severity: 2\n",
        "units.yaml": """\
            units: [{id: digital, name: Digital}, {id: customer-service, name: Customer service},
                    {id: retail, name: Retail}]
            initiatives:
              - {id: DIG-7, unit: digital, title: Status page, status: idea, addresses: [PP-black-hole]}
              - {id: CS-3, unit: customer-service, title: Call back, status: idea, addresses: [PP-black-hole]}
              - {id: RET-2, unit: retail, title: Branch letters, status: idea, addresses: [PP-black-hole]}
            """}}],
    "CXP203": [{"files": {"kpis.yaml": """\
        kpis:
          - {id: nps-mortgage, name: "NPS, mortgage customers", kind: experience, direction: increase}
          - {id: mortgage-nps, name: "Mortgage customers NPS", kind: experience, direction: increase}
        """}}],
    "CXP301": [{"files": {
        "kpis.yaml": KPIS,
        "units/customer-service.yaml": """\
            unit: customer-service
            units: [{id: customer-service, name: Customer service}]
            initiatives:
              - id: CS-1
                title: Shorter calls with a better script
                status: idea
                effects: [{kpi: aht, change: -30}]
            """,
        "units/advisory.yaml": """\
            unit: advisory
            units: [{id: advisory, name: Advisory}]
            initiatives:
              - {id: ADV-1, title: Pension calculator for advisers, status: idea}
              - id: ADV-2
                title: Video meetings with an adviser
                description: Customers who cannot come to a branch meet an adviser on video.
                status: idea
              - {id: ADV-4, title: Fewer forms at the first meeting, status: idea}
              - {id: ADV-5, title: Advice in the app, status: idea}
              - id: ADV-3
                title: Longer, better advice calls
                status: idea
                effects: [{kpi: aht, change: 60}]
            """}}],
    "CXP302": [{"files": {"kpis.yaml": KPIS, "units/advisory.yaml": """\
        units:
        - id: customer-service
          goals: [{kpi: aht, direction: decrease, target: 240, period: 2026}]
          name: Customer service
        - id: advisory
          goals: [{kpi: aht, direction: increase, period: 2026}]
          name: Advisory
        """}}],
    "CXP303": [{"files": {"units/digital.yaml": """\
        kpis: [{id: nps, kind: experience, direction: increase, name: NPS}]
        initiatives:
          - id: DIG-9
            effects: [{kpi: nps, change: -3}]
            title: Self-service without a call
            status: idea
        unit: digital
        units: [{id: digital, name: Digital}]
        """}}],
    "CXP304": [{"files": {
        "kpis.yaml": """\
            kpis:
              - {id: aht, direction: decrease, tradeoffs: [fcr], name: Handling time, kind: operational}
              - {id: fcr, name: First-contact resolution, kind: experience, direction: increase}
            units:
              - {id: quality, goals: [{kpi: fcr, direction: increase}], name: Quality}
            # customer-service: CS-1 effects [{kpi: aht, change: -30}]
            """,
        "units/customer-service.yaml": """\
            unit: customer-service
            units: [{id: customer-service, name: Customer service}]
            initiatives:
              - {id: CS-2, title: Chat on the card pages, status: idea}
              - id: CS-1
                title: Shorter calls
                description: A better script for the commonest questions.
                status: idea
                effects: [{kpi: aht, change: -30}]
            """}}],
    "CXP401": [{"files": {"units/it.yaml": """\
        unit: it
        units:
          - id: it
            name: IT
            capacity: 40
        initiatives:
          - id: IT-12
            title: Upgrade the CRM
            status: approved
        """}}],
    "CXP402": [{"files": {"kpis.yaml": KPIS, "units/customer-service.yaml": """\
        unit: customer-service
        units: [{id: customer-service, name: Customer service}]
        initiatives:
          - id: CS-3
            title: Chat on the card pages
            description: Customers ask in chat what they now call about.
            status: idea
          - id: CS-4
            effects: [{kpi: aht, change: -20}]     # aht is kind: operational
            title: Shorter calls
            status: idea
        """}}],
    "CXP403": [{"files": {"journeys.yaml": MORTGAGE, "pain_points.yaml": "pain_points:\n" + _pain_points(18) + _items("""\
          - id: PP-app-too-slow
            evidence: [{kind: assumption, note: "We think so"}]
            journey: mortgage
            stage: apply
            title: The app is too slow
            severity: 2
        """)}}],
    "CXP404": [{"files": {"kpis.yaml": "kpis:\n" + "".join(
        f"  - {{id: kpi-{n}, name: KPI {n}, kind: outcome, direction: increase}}\n" for n in range(10)) + _items("""\
          - {id: nps-cards, name: NPS cards, kind: experience, direction: increase}
        """)}}],
    "CXP405": [{"files": {"units/digital.yaml": textwrap.dedent("""\
        unit: digital
        units: [{id: digital, name: Digital}]
        initiatives:
        """) + _initiatives(1, 26) + _items("""\
          - id: DIG-3
            status: done
            completed: 2026-02-01     # and no realized: by 2026-05-02
            title: Status tracker
        """)}}],
    "CXP501": [{"files": {"units/digital.yaml": """\
        units:
          - id: digital
            name: Digital
            capacity: 120
        initiatives:
          - {id: DIG-1, title: Status tracker, status: approved, effort: 100, planned: 2026-Q3}
          - {id: DIG-2, title: New login, status: in_progress, effort: 50, planned: 2026}
        unit: digital
        """}}],
    "CXP502": [{"files": {
        "journeys.yaml": MORTGAGE,
        "pain_points.yaml": "pain_points:\n" + _pain_points(6) + _items("""\
              - id: PP-black-hole
                journey: mortgage
                stage: decision
                title: Applicants hear nothing
                severity: 4
            """),
        "units/digital.yaml": """\
            unit: digital
            units: [{id: digital, name: Digital}]
            initiatives:
              - {id: DIG-7, title: Status page, status: idea, addresses: [PP-black-hole]}
            """}}],
    "CXP503": [{"files": {"units/digital.yaml": """\
        unit: digital
        units: [{id: digital, name: Digital}]
        initiatives:
          - {id: DIG-1, status: idea, title: Status tracker}
          - {id: DIG-2, status: idea, title: New login}
          - {id: DIG-3, status: idea, title: Chat}
          - {id: DIG-4, status: idea, title: Video meetings}
          - {id: IT-3, status: dropped, title: New CRM}
          - {id: DIG-7, status: approved, depends_on: [IT-3], title: Status page}
        """}}],
}


def _shown(doc: str) -> list[str]:
    """The findings a docstring shows, `file:line:col: CODE message` with its help lines,
    each as one text: from ```text blocks, and from `…` spans, a line break read as a space."""
    shown = [block.rstrip("\n") for block in re.findall(r"```text\n(.*?)```", doc, flags=re.S)]
    for span in re.findall(r"`([\w./-]+\.yaml:\d+:\d+:\s+CXP\d{3}\s[^`]*)`", doc):
        shown.append(" ".join(span.split()))
    return shown


def _snippets(doc: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)


def _findings(tmp_path: Path, example: dict[str, dict[str, str]]) -> list[str]:
    """What `check` prints for one example portfolio: `file:line:col: CODE message`, and
    its help below it as the text format writes it."""
    files = {name: textwrap.dedent(text) for name, text in example["files"].items()}
    args = ["--as-of", "2026-06-30", "--format", "json"]
    if "base" in example:  # the files at a commit, then the change on top (CXP004)
        root = write_portfolio(tmp_path, example["base"], CONFIG)
        for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com",
                                                        "commit", "-qm", "base"]):
            subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)
        args += ["--baseline", "HEAD"]
    root = write_portfolio(tmp_path, files, CONFIG)
    done = CliRunner().invoke(cli, ["check", str(root), *args])
    assert done.exit_code in (0, 1), done.stderr
    return [f"{f['file']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
            + (f"\n    help: {f['hint']}" if f["hint"] else "") for f in json.loads(done.stdout)["findings"]]


def test_every_rule_has_an_example_portfolio() -> None:
    assert sorted(EXAMPLES) == sorted(REGISTRY)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_a_rules_documented_findings_are_what_check_prints(code: str, tmp_path: Path) -> None:
    """Found in an audit: CXP003's example said line 3 of a file whose line 3 is not the
    repeat, and the columns of eleven rules' findings had moved (CXP301, CXP304 and CXP402
    now point at the effect, CXP501 at the capacity, CXP502 at the severity) while their
    docs kept the old ones."""
    doc = REGISTRY[code].doc
    shown = _shown(doc)
    assert shown, f"{code}'s docstring shows no finding"
    printed = [line for n, example in enumerate(EXAMPLES[code]) for line in _findings(tmp_path / str(n), example)]
    for finding in shown:
        # a finding shown without its help is compared without it
        said = printed if "\n" in finding else [line.split("\n")[0] for line in printed]
        assert finding in said, f"{code} shows\n{finding}\nbut check prints\n" + "\n".join(
            line for line in said if code in line)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_a_rules_example_is_written_in_its_portfolio(code: str) -> None:
    """The snippet a rule's docs show is what its portfolio holds: each piece of each line
    (side-by-side files are pieces apart by 3 spaces or more; `...` elides the rest)."""
    written = "\n".join(textwrap.dedent(text) for example in EXAMPLES[code] for text in example["files"].values())
    for snippet in _snippets(REGISTRY[code].doc):
        for line in snippet.splitlines():
            for piece in re.split(r"\s{3,}", line.strip()):
                piece = piece.split("...")[0].rstrip(", ")
                assert piece in written, f"{code}: {piece!r} of its example is not in its portfolio"


_NO_UNIT = "initiatives:\n" + _initiatives(7, 14)
# Messages the docs quote in their prose, without a place ("…" elides a part), and a
# portfolio that prints each.
QUOTED = [
    ("CXP002", "unknown top-level key 'unti'; without `unit:`, 14 initiatives have no unit",
     {"units/digital.yaml": "unti: digital\nunits: [{id: digital, name: Digital}]\n" + _NO_UNIT}),
    ("CXP002", "unit must be text, got the number 7; without a valid `unit:`, 14 initiatives have no unit (…)",
     {"units/digital.yaml": "unit: 7\nunits: [{id: digital, name: Digital}]\n" + _NO_UNIT}),
    ("CXP002", "field 'by' of decided is written outside it (initiative DIG-008): decided is missing required "
               "field 'by'",
     {"units/digital.yaml": """\
        unit: digital
        units: [{id: digital, name: Digital}]
        initiatives:
          - id: DIG-008
            title: Status tracker
            status: approved
            decided:
              on: 2026-01-10
            by: steering
        """}),
    ("CXP003", "keys 'id', 'title', 'addresses' and 5 more of the item above are written again from here; … "
               "(`id: HR-002` replaces `id: HR-001`, which is lost): is this a second item without its `- `?",
     {"units/hr.yaml": """\
        unit: hr
        units: [{id: hr, name: HR}]
        initiatives:
          - id: HR-001
            title: Onboarding in one day
            addresses: [PP-1]
            effort: 3
            size: quick_win
            status: idea
            description: New staff get their access on the first day.
            planned: 2026-Q3
            id: HR-002
            title: Exit interviews
            addresses: [PP-1]
            effort: 2
            size: quick_win
            status: idea
            description: Ask leavers why.
            planned: 2026-Q4
        """}),
]


@pytest.mark.parametrize(("code", "quoted", "files"), QUOTED, ids=[f"{c}-{n}" for n, (c, _, _) in enumerate(QUOTED)])
def test_a_message_a_rules_docs_quote_is_what_check_prints(code: str, quoted: str, files: dict[str, str],
                                                          tmp_path: Path) -> None:
    assert quoted in " ".join(REGISTRY[code].doc.split()), f"{code}'s docs no longer quote it"
    pattern = ".*".join(map(re.escape, quoted.split("…")))
    printed = [line.split(f": {code} ", 1)[-1] for line in _findings(tmp_path, {"files": files}) if f" {code} " in line]
    assert any(re.search(pattern, line) for line in printed), printed
