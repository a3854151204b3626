"""Filters that match nothing are mistakes: exit 2, one line, the nearest valid ids or codes.

`rank --unit/--journey` and `check --select/--ignore` once printed an empty result (or
silently ran every rule) for a typo; a real unit that has no open work is not a typo.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cxportfolio.cli import cli
from cxportfolio.engine import Selection, nearest_codes
from cxportfolio.errors import CxpError
from cxportfolio.rules import REGISTRY

FAMILIES = sorted({code[:4] for code in REGISTRY})  # CXP0, CXP1, …
FAMILY_SPAN = f"{FAMILIES[0]}–{FAMILIES[-1]}"  # CXP0–CXP5, each family between them one
RANKING = str(Path(__file__).parent / "golden" / "ranking" / "portfolio")
AS_OF = ["--as-of", "2026-06-30"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "100"}).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--unit", "retial", "cxportfolio: --unit retial: the portfolio has no unit of that id; "
                         "nearest: retail, digital\n"),
    ("--unit", "nosuch", "cxportfolio: --unit nosuch: the portfolio has no unit of that id; "),
    ("--journey", "mortage", "cxportfolio: --journey mortage: the portfolio has no journey of that id; "
                             "nearest: mortgage, cards\n"),
])
def test_rank_filter_naming_nothing_is_exit_2_one_line(option: str, value: str, expected: str) -> None:
    code, out, err = invoke("rank", RANKING, *AS_OF, option, value)
    assert code == 2 and out == ""
    assert err.startswith(expected) and err.count("\n") == 1


REGION = {"a.yaml": """\
    units: [{id: tandvard, name: Folktandvården}, {id: vc, name: Vårdcentralerna}]
    journeys:
      - {id: vard, name: Söka vård på vårdcentralen, stages: [{id: s, name: S}]}
      - {id: tand, name: Gå till tandläkaren, stages: [{id: s2, name: S}]}
    initiatives:
      - {id: TV-003, title: Sms-påminnelse före besöket, unit: tandvard, status: idea, effort: 2}
    """}


@pytest.mark.parametrize(("args", "expected"), [
    # a Swedish region's CX lead: a journey's name got "nearest: …" without its id `vard`
    (["--journey", "Söka vård på vårdcentralen"],
     "cxportfolio: --journey 'Söka vård på vårdcentralen': the portfolio has no journey of that id; "
     "that is the name of journey 'vard': write its id, --journey vard\n"),
    (["--journey", " söka VÅRD på vårdcentralen "],  # without case and surrounding spaces
     "cxportfolio: --journey ' söka VÅRD på vårdcentralen ': the portfolio has no journey of that id; "
     "that is the name of journey 'vard': write its id, --journey vard\n"),
    (["--unit", "Folktandvården"],
     "cxportfolio: --unit 'Folktandvården': the portfolio has no unit of that id; "
     "that is the name of unit 'tandvard': write its id, --unit tandvard\n"),
    (["--explain", "Sms-påminnelse före besöket"],
     "cxportfolio: no initiative 'Sms-påminnelse före besöket'; that is the title of initiative 'TV-003': "
     "write its id, --explain TV-003\n"),
    # a name of another kind, or of nothing, keeps the nearest ids
    (["--unit", "Söka vård på vårdcentralen"],
     "cxportfolio: --unit 'Söka vård på vårdcentralen': the portfolio has no unit of that id; nearest: "),
    (["--journey", "vardx"], "cxportfolio: --journey vardx: the portfolio has no journey of that id; nearest: vard"),
])
def test_a_name_given_where_an_id_goes_is_told_the_id(portfolio, args: list[str], expected: str) -> None:
    code, out, err = invoke("rank", str(portfolio(REGION)), *AS_OF, *args)
    assert code == 2 and out == ""
    assert err.startswith(expected) and err.count("\n") == 1, err


def test_one_unknown_value_among_known_ones_is_still_an_error() -> None:
    code, _, err = invoke("rank", RANKING, *AS_OF, "--unit", "retail", "--unit", "digtal")
    assert code == 2 and err.startswith("cxportfolio: --unit digtal:") and "nearest: digital" in err


def test_a_real_unit_without_open_initiatives_is_not_an_error(portfolio) -> None:
    root = portfolio({"units.yaml": """\
        units: [{id: cards, name: Cards}, {id: hr, name: HR}]
        initiatives:
          - {id: HR-1, title: Done long ago, unit: hr, status: done, completed: 2026-01-10}
          - {id: CRD-1, title: Open work, unit: cards, status: idea}
        """})
    for fmt, expected in (("text", "no open initiatives for unit hr (1 done or dropped: --all shows it)\n"),
                          ("json", '{\n  "version": 1,\n  "rows": [],\n  "excluded": {\n    "errors": 0,\n'
                                   '    "unreadable": [],\n    "entities": []\n  }\n}\n')):
        code, out, _ = invoke("rank", str(root), *AS_OF, "--unit", "hr", "--format", fmt)
        assert code == 0 and out == expected
    code, out, _ = invoke("rank", str(root), *AS_OF, "--unit", "hr", "--status", "approved")
    assert code == 0 and out == "no initiatives with status approved for unit hr\n"
    code, out, _ = invoke("rank", str(root), *AS_OF, "--unit", "hr", "--all")
    assert code == 0 and "HR-1" in out


def test_an_empty_table_says_that_all_shows_the_done_and_dropped(portfolio) -> None:
    """Found by a user: a portfolio whose work was all done or dropped ranked as "no open
    initiatives", and nothing said that `--all` shows them. The count is of those the
    other filters keep; a plan, which refuses --all, does not offer it."""
    root = portfolio({"units.yaml": """\
        units: [{id: cards, name: Cards}, {id: hr, name: HR}]
        initiatives:
          - {id: HR-1, title: Done long ago, unit: hr, status: done, completed: 2026-01-10}
          - {id: HR-2, title: Given up, unit: hr, status: dropped}
          - {id: CRD-1, title: Given up too, unit: cards, status: dropped, size: quick_win}
        """})
    for args, said in (([], "no open initiatives (3 done or dropped: --all shows them)"),
                       (["--unit", "cards"], "no open initiatives for unit cards (1 done or dropped: --all shows it)"),
                       (["--lane", "steering"], "no open initiatives in lane steering (2 done or dropped: --all shows "
                                                "them)"),
                       (["--status", "idea"], "no initiatives with status idea"),
                       (["--plan"], "no open initiatives")):
        code, out, _ = invoke("rank", str(root), *AS_OF, *args)
        assert code == 0 and out.split("\n")[0] == said, args
    code, out, _ = invoke("rank", str(root), *AS_OF, "--all")
    assert code == 0 and all(ident in out for ident in ("HR-1", "HR-2", "CRD-1"))
    # a Markdown table (a pull request's comment) was its header alone, nothing said
    code, out, _ = invoke("rank", str(root), *AS_OF, "--format", "markdown")
    assert code == 0 and out.split("\n")[2:] == ["", "no open initiatives (3 done or dropped: --all shows them)", ""]


def test_no_id_is_unknown_while_a_document_is_unreadable(portfolio) -> None:
    # The unreadable file may declare the unit: an empty table, not a claim that it does not exist.
    root = portfolio({"a.yaml": "units: [{id: cards, name: Cards}]\n", "b.yaml": "units: [oops\n"})
    code, out, _ = invoke("rank", str(root), *AS_OF, "--unit", "hr")
    assert code == 0 and out == "no open initiatives for unit hr\n"


MISSPELT = {"a.yaml": """\
    units: [{id: cards, name: Cards}, {id: hr, name: HR}]
    journeys: [{id: vard, name: V, stages: [{id: s, name: S}]}]
    initiatives:
      - {id: CRD-1, title: One, unit: cards, status: idea, effort: 2}
      - {id: CRD-2, title: Two, unit: cardz, status: idea, effort: 2}
    """}


@pytest.mark.parametrize("by", [[], ["--by", "cluster"]])
def test_a_unit_only_an_initiatives_typo_names_is_no_unit_to_filter_by(portfolio, by: list[str]) -> None:
    """Found by a demanding user: `rank --unit cardz`, the unit only CRD-2's typo names
    (CXP102), listed CRD-2 as if cardz were a unit (with `--by cluster`, "no duplicated
    open work"). It is no unit: exit 2, one line, the typo named and the units meant."""
    code, out, err = invoke("rank", str(portfolio(MISSPELT)), *AS_OF, *by, "--unit", "cardz")
    assert (code, out) == (2, "")
    assert err == ("cxportfolio: --unit cardz: the portfolio has no unit of that id (CRD-2 is written "
                   "`unit: cardz`, a CXP102 error); nearest: cards, hr\n")


def test_a_misspelt_unit_a_files_unit_line_gives_is_said_written_there(portfolio) -> None:
    """Found in issue 14: a file's top-level `unit: cardz` gave its work the unit, and
    `rank --unit cardz` said "CRD-2, CRD-3 are written `unit: cardz`", sending the reader to
    lines that are not there: the file's `unit:` line is the one to correct."""
    root = portfolio({"a.yaml": "units: [{id: cards, name: Cards}, {id: hr, name: HR}]\n",
                      "cardz.yaml": "unit: cardz\ninitiatives:\n  - {id: CRD-2, title: Two, status: idea, effort: 2}\n"
                                    "  - {id: CRD-3, title: Three, status: idea, effort: 2}\n",
                      "b.yaml": "initiatives:\n  - {id: HR-1, title: One, unit: cardz, status: idea, effort: 2}\n"})
    code, out, err = invoke("rank", str(root), *AS_OF, "--unit", "cardz")
    assert (code, out) == (2, "")
    assert err == ("cxportfolio: --unit cardz: the portfolio has no unit of that id (HR-1 is written `unit: cardz`; "
                   "cardz.yaml's top-level `unit: cardz` is the unit of CRD-2, CRD-3, CXP102 errors); "
                   "nearest: cards, hr\n")


def test_a_unit_or_journey_a_mistake_may_define_is_no_typo(portfolio) -> None:
    """Nothing a mistake may define unseen is refused (`Portfolio.may_define`, where CXP102
    is silent): a journey whose id was refused (`id: [oops]`), and the `cardz` CRD-2 names
    while a unit is written without an id (it may be cardz: CXP102 says nothing of it)."""
    root = portfolio({"a.yaml": """\
        units: [{id: cards, name: Cards}, {name: Cards too}]
        journeys: [{id: vard, name: V, stages: [{id: s, name: S}]}, {id: [oops], name: W, stages: [{id: t, name: T}]}]
        initiatives:
          - {id: CRD-1, title: One, unit: cards, status: idea, effort: 2}
          - {id: CRD-2, title: Two, unit: cardz, status: idea, effort: 2}
        """})
    code, out, err = invoke("rank", str(root), *AS_OF, "--journey", "oops")
    assert code == 0 and out == "no open initiatives on journey oops\n", err
    code, out, err = invoke("rank", str(root), *AS_OF, "--unit", "cardz")
    assert code == 0 and "CRD-2" in out and "CRD-1" not in out, err


def test_a_typo_is_still_one_while_a_unit_or_journey_id_is_defined_twice(portfolio) -> None:
    """Found by a re-read: while a unit id was defined twice (CXP101), `rank --unit cardz`
    and `--unit xyz` printed "no open initiatives for unit xyz" (exit 0), as did `--journey`
    for a journey's: any name might have been the copy's own id. The copy's id matters to a
    filter only as the name its work is written with; the id defined twice is still known."""
    root = portfolio({"a.yaml": """\
        units: [{id: cards, name: Cards}, {id: cards, name: Kards}, {id: hr, name: HR}]
        journeys: [{id: vard, name: V, stages: [{id: s, name: S}]}, {id: vard, name: W, stages: [{id: s, name: S}]}]
        pain_points: [{id: PP-1, title: P, journey: vard, stage: s, severity: 3, reach: 0.5}]
        initiatives:
          - {id: CRD-1, title: One, unit: cards, status: idea, effort: 2, addresses: [PP-1]}
          - {id: KRD-1, title: Two, unit: kards, status: idea, effort: 2}
        """})
    for option, value, nearest in (("--unit", "cardz", "cards, hr"), ("--unit", "xyz", "cards, hr"),
                                   ("--journey", "vardx", "vard")):
        code, out, err = invoke("rank", str(root), *AS_OF, option, value)
        assert (code, out) == (2, ""), (option, value)
        assert err == (f"cxportfolio: {option} {value}: the portfolio has no {option[2:]} of that id; "
                       f"nearest: {nearest}\n")
    for option, value, shown in (("--unit", "cards", "CRD-1"), ("--journey", "vard", "CRD-1"),
                                 ("--unit", "kards", "KRD-1")):  # the copy's work names it
        code, out, err = invoke("rank", str(root), *AS_OF, option, value)
        assert code == 0 and shown in out, (option, value, err)


@pytest.mark.parametrize(("option", "prefix", "nearest"), [
    # A newcomer: `--select CXP999` was told "nearest: CXP0, CXP1, …", every family, none nearer
    ("--select", "CXP9", f"the rule families are {FAMILY_SPAN}"),
    ("--ignore", "CXP999", f"the rule families are {FAMILY_SPAN}"),
    ("--select", "CXP2011", "nearest: CXP201"),
    ("--ignore", "cxp209", "nearest: " + ", ".join(sorted(c for c in REGISTRY if c.startswith("CXP20")))),
])
def test_check_select_or_ignore_matching_no_rule_is_exit_2_one_line(
        option: str, prefix: str, nearest: str) -> None:
    code, out, err = invoke("check", RANKING, *AS_OF, option, prefix)
    assert code == 2 and out == ""
    assert err == (f"cxportfolio: {option} {prefix}: no rule code starts with it; {nearest} "
                   "(`cxportfolio rules` lists them)\n")


@pytest.mark.parametrize("prefix", ["CXP-201", "cxp 201", "CXP_2"])
def test_a_rule_code_written_with_a_separator_is_told_the_code_meant(prefix: str) -> None:
    """Found by a helper: `--select CXP-201` was told the families (CXP0, CXP1, …), where
    `cxportfolio rules CXP-201` names 'CXP201'."""
    meant = "".join(filter(str.isalnum, prefix.upper()))
    code, out, err = invoke("check", RANKING, *AS_OF, "--select", prefix)
    assert (code, out) == (2, "")
    assert err == (f"cxportfolio: --select {prefix}: no rule code starts with it; did you mean '{meant}'? "
                   "(`cxportfolio rules` lists them)\n")


def test_check_prefixes_that_match_rules_still_run() -> None:
    code, _, err = invoke("check", RANKING, *AS_OF, "--select", "CXP1,CXP2", "--ignore", "CXP201")
    assert code in (0, 1), err


def test_the_rule_families_are_contiguous() -> None:
    # FAMILY_SPAN names them as a span: a gap (CXP0–CXP5 without CXP3) would be listed instead
    assert [int(f[3]) for f in FAMILIES] == list(range(int(FAMILIES[0][3]), int(FAMILIES[-1][3]) + 1))


def test_selection_refuses_a_prefix_of_no_rule_wherever_it_is_built() -> None:
    assert Selection(("CXP1",), ("CXP105",)).wants("CXP102")
    with pytest.raises(CxpError, match="--ignore CXP7"):
        Selection(ignore=("CXP7",))
    for typo in ("CXP1O", "CXP9", "CXP2011", "CX", "X"):
        names = nearest_codes(typo)
        # each suggestion selects some rule, and few enough are named to read
        assert names and len(names) <= 6
        assert all(any(code.startswith(name) for code in REGISTRY) for name in names)


def test_a_refused_rule_code_is_named_as_typed() -> None:
    """Found by a helper: `--select cxp201x` was told `--select CXP201X`, a code the user never
    wrote (`cxportfolio rules cxp201x` already names it as typed); the note on an --ignore
    that changes nothing names it as typed too, and a lower-case code still selects."""
    code, out, err = invoke("check", RANKING, *AS_OF, "--select", "cxp201x")
    assert (code, out) == (2, "")
    assert err == ("cxportfolio: --select cxp201x: no rule code starts with it; nearest: CXP201 "
                   "(`cxportfolio rules` lists them)\n")
    code, _, err = invoke("check", RANKING, *AS_OF, "--ignore", "cxp0")
    assert code in (0, 1) and err.startswith("cxportfolio: note: --ignore cxp0 changes nothing: ")
    assert Selection(("cxp1",), ("cxp105",)) == Selection(("CXP1",), ("CXP105",))
