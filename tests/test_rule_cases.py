"""One runner for every rule's fixture cases (tests/fixtures/rules/<CODE>.yaml).

A case is a tiny portfolio (files), an optional `as_of` and the findings of that rule it
must produce, each as 'file:line:col CODE: message fragment'. An empty `expect` is a
negative case; negative cases must also be free of load and schema errors, so they
cannot pass merely because the fixture failed to load.
"""

from __future__ import annotations

import datetime as dt
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
                          "side", "app", "søknad", "digital", "callback", "chat", "portal", "the"])
_TITLES = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TITLES, st.integers(0, 2), st.one_of(st.just(""), _TITLES)), min_size=2, max_size=12),
       st.sampled_from([0.1, 0.5, 0.7, 0.9]))
def test_small_blocks_are_scored_like_the_matrix(block: list[tuple[str, int, str]], cutoff: float) -> None:
    """CXP201 scores a small block pair by pair instead of loading numpy; the pairs and
    their scores must be exactly the matrix's."""
    from cxportfolio.rules import duplicates

    titles = [duplicates.normalize(t) for t, _, _ in block]
    groups = [g for _, g, _ in block]
    texts = [duplicates.normalize(d) for _, _, d in block]

    def pairs(pairwise: bool | None) -> list[tuple[int, int, float, float | None]]:
        found = duplicates.similar_pairs(titles, cutoff, groups, lambda ks: [texts[k] for k in ks],
                                         pairwise=pairwise)
        return sorted(found, key=lambda p: (p[0], p[1]))

    original = duplicates.SMALL_BLOCK
    duplicates.SMALL_BLOCK = 0  # pairwise=None: every block through the matrix
    try:
        matrix = pairs(None)
    finally:
        duplicates.SMALL_BLOCK = original
    assert pairs(True) == matrix
