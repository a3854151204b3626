"""One runner for every rule's fixture cases (tests/fixtures/rules/<CODE>.yaml).

A case is a tiny portfolio (files), an optional `as_of` and the findings of that rule it
must produce, each as 'file:line:col CODE: message fragment'. An empty `expect` is a
negative case; negative cases must also be free of load and schema errors, so they
cannot pass merely because the fixture failed to load.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.rules import REGISTRY
from conftest import brief, check, write_portfolio

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases() -> list:
    params = []
    for path in sorted(FIXTURES.glob("CXP*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(tmp_path: Path, code: str, case: dict) -> None:
    files = {name: (text.encode("latin-1") if case.get("latin1") else text)
             for name, text in case["files"].items()}
    root = write_portfolio(tmp_path / "p", files, case.get("config", "year: 2026\n"))
    as_of = dt.date.fromisoformat(str(case.get("as_of", "2026-06-30")))
    got = brief(check(root, as_of), code)
    expected = case.get("expect") or []
    assert len(got) == len(expected), "\n".join(got)
    for line, want in zip(got, expected):
        where, _, fragment = want.partition(": ")
        assert line.startswith(where + ":"), f"{line!r} is not at {where}"
        assert fragment in line, f"{line!r} lacks {fragment!r}"
    if not expected and code not in ("CXP001", "CXP002", "CXP003"):
        errors = brief(check(root, as_of))
        assert not [e for e in errors if e.split(" ")[1].startswith(("CXP001", "CXP002"))], errors


def test_every_rule_has_positive_and_negative_cases() -> None:
    covered: dict[str, tuple[int, int]] = {}
    for param in _cases():
        code, case = param.values
        pos, neg = covered.get(code, (0, 0))
        covered[code] = (pos + bool(case.get("expect")), neg + (not case.get("expect")))
    for code in REGISTRY:
        if code == "CXP004":
            continue  # compares with a baseline: tests/test_baseline.py, with a git repository
        pos, neg = covered.get(code, (0, 0))
        assert pos >= 1, f"{code} has no positive fixture case"
        assert neg >= 1 or code in ("CXP001", "CXP003"), f"{code} has no negative fixture case"


_WORDS = st.sampled_from(["status", "tracker", "pension", "pensjons", "kalkulator", "calculator", "min",
                          "side", "app", "søknad", "søknaden", "digital", "callback", "chat", "portal", "the"])
_TEXTS = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_TEXTS, st.one_of(st.just(""), _TEXTS)), min_size=2, max_size=10), st.randoms())
def test_text_similarity_is_symmetric_bounded_and_order_free(texts: list[tuple[str, str]], rng) -> None:
    """CXP201's findings must not depend on the order of files or entities."""
    from cxportfolio.rules.similarity import TextIndex

    index = TextIndex(texts)
    order = list(range(len(texts)))
    rng.shuffle(order)
    shuffled = TextIndex([texts[k] for k in order])
    where = {k: n for n, k in enumerate(order)}
    for i in range(len(texts)):
        for j in range(len(texts)):
            score = index.cosine(i, j)
            assert 0 <= score <= 1 and score == index.cosine(j, i)
            assert abs(score - shuffled.cosine(where[i], where[j])) < 1e-9
            if texts[i] == texts[j] and index.vectors[i]:
                assert abs(score - 1) < 1e-9


def test_duplicate_clusters_do_not_chain_and_do_not_depend_on_the_order_of_pairs() -> None:
    """A cluster of CXP201 is work alike to one core member, not a chain A≈B≈C≈D≈E whose
    ends share nothing; a component that is already a star stays one cluster."""
    from cxportfolio.rules.duplicates import stars

    chain = [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")]
    assert stars(chain) == [{"A", "B", "C"}, {"D", "E"}]
    assert stars([(b, a) for a, b in reversed(chain)]) == stars(chain)
    hub = [("H", m) for m in "ABCDE"] + [("A", "B")]
    assert stars(hub) == [set("ABCDEH")]


def test_the_index_of_a_large_portfolio_finds_what_comparing_every_pair_finds(monkeypatch) -> None:
    """Above PAIRWISE_BUDGET pairs, CXP201 compares only pairs proposed by the inverted
    index of distinctive terms and small pain points; on the example portfolios that
    loses no cluster."""
    from cxportfolio.rules import duplicates

    portfolios = Path(__file__).resolve().parent.parent / "portfolios"
    for name in ("welfare-agency", "nordbank"):
        def clusters() -> list[tuple[str, ...]]:
            run = check(portfolios / name, dt.date(2026, 11, 24))
            return [f.entities for f in run.result.findings if f.code == "CXP201"]

        everything = clusters()
        monkeypatch.setattr(duplicates, "PAIRWISE_BUDGET", 0)
        assert clusters() == everything and everything  # the index, with dictionaries
        monkeypatch.setattr(duplicates, "MATRIX_INITIATIVES", 0)
        assert clusters() == everything  # the index, with sparse matrices
        monkeypatch.undo()


def test_following_the_hint_of_a_dot_that_may_separate_thousands(tmp_path: Path) -> None:
    """Found migrating a Norwegian spreadsheet: `volume: 1.200` was read as 1.2 without a
    word (the ranking computed with 1.2 customers). CXP108 says so, and each way its hint
    offers gives the number meant, without the warning."""
    text = "journeys:\n  - id: j\n    name: J\n    volume: 1.200\n    stages: [{id: s, name: S}]\n"
    run = check(write_portfolio(tmp_path / "p", {"j.yaml": text}))
    [found] = [f for f in run.result.findings if f.code == "CXP108"]
    assert (found.location.line, found.location.column, found.severity.value) == (4, 13, "warning")
    assert found.hint == "if the dot separates thousands, write 1200 (or write 1.2 if 1.2 is meant)"
    assert run.portfolio.journeys[0].volume == 1.2
    ways = re.fullmatch(r"if the dot separates thousands, write (\S+) \(or write (\S+) if \S+ is meant\)", found.hint)
    assert ways is not None
    for written, meant in zip(ways.groups(), (1200, 1.2)):
        again = check(write_portfolio(tmp_path / written, {"j.yaml": text.replace("1.200", written)}))
        assert again.portfolio.journeys[0].volume == meant
        assert not [f for f in again.result.findings if f.code in ("CXP002", "CXP108")]
