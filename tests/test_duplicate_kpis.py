"""CXP203's work is linear in memory and fast on large blocks, with the same findings.

Found by a hostile pull request: 4 blocks (kind × direction) of 2,000 near-identical KPI
names took 33 s and 1.2 GB — every alike pair of every block was kept in one dictionary,
scored by a pure-Python double loop — and the KPIs past MAX_KPI_BLOCK were skipped without
a word. Now the pairs are merged into components as they are found (each keeps its best
score), a large block is scored by rapidfuzz's cdist, and a cut block says so."""

from __future__ import annotations

import random
import tracemalloc
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import check, write_portfolio
from cxportfolio.rules import duplicates

WORDS = ("customer", "customers", "satisfaction", "pension", "mortgage", "calls", "share", "complaints",
         "onboarding", "kundetilfredshet", "kunde", "tilfredshet", "nps", "time", "answer", "application")

def _before(names: list[str], journeys: list[str | None], similarity: float) -> list[tuple[list[int], float]]:
    """CXP203's comparison as it was: every pair, both scores, every alike pair kept."""
    from rapidfuzz import fuzz

    scores: dict[tuple[int, int], float] = {}
    cut = similarity * 100
    compact = [n.replace(" ", "") for n in names]
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            if journeys[a] is not None and journeys[b] is not None and journeys[a] != journeys[b]:
                continue
            score = (fuzz.ratio(compact[a], compact[b]) + fuzz.token_set_ratio(names[a], names[b])) / 2
            if score >= cut:
                scores[(a, b)] = score / 100
    parent = list(range(len(names)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b in scores:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for node in sorted({k for pair in scores for k in pair}):
        groups[root(node)].append(node)
    return [(members, max(s for (a, _), s in scores.items() if a in members)) for _, members in sorted(groups.items())]

def _now(names: list[str], journeys: list[str | None], similarity: float) -> list[tuple[list[int], float]]:
    found = duplicates._Components()
    # rows as ids that sort as numbers do
    duplicates.kpi_pairs(names, journeys, similarity, lambda a, b, s: found.join(f"{a:05}", f"{b:05}", s))
    return [([int(m) for m in members], best) for members, best in found.components()]

def _names(rng: random.Random, n: int) -> list[str]:
    def one() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    names = [one() for _ in range(n)]
    for k in range(n // 4):  # near-copies: a letter changed, words swapped, a number added
        name = rng.choice(names)
        how = rng.randrange(3)
        if how == 0 and name:
            at = rng.randrange(len(name))
            name = name[:at] + rng.choice("aeiou") + name[at + 1:]
        elif how == 1:
            name = " ".join(reversed(name.split()))
        else:
            name = f"{name} {rng.randint(1, 9)}"
        names[rng.randrange(n)] = name
    return names

@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(0, 60),
       similarity=st.sampled_from([0.0, 0.4, 0.5, 0.7, 0.85, 0.9, 1.0]),
       way=st.sampled_from(["counted", "extract", "matrix"]))
def test_the_same_components_and_scores_as_comparing_every_pair(seed: int, n: int, similarity: float,
                                                               way: str) -> None:
    rng = random.Random(seed)
    names = _names(rng, n)
    if rng.random() < 0.2:  # names of no letters, and names written twice
        names = [rng.choice(["", "nps", "calls share", "share calls", "æøå"]) for _ in range(n)]
    journeys = [rng.choice([None, "j1", "j2"]) for _ in range(n)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "KPI_MATRIX_FROM", 2 if way == "matrix" else 10**9)
        patch.setattr(duplicates, "_KPI_COUNTED_UP_TO", 10**9 if way == "counted" else 0)
        patch.setattr(duplicates, "_KPI_COUNTED_LETTERS", 10**9)
        patch.setattr(duplicates, "_KPI_ROWS", rng.choice([1, 7, 256]))  # chunks of cdist rows
        assert _now(names, journeys, similarity) == _before(names, journeys, similarity)

@pytest.mark.parametrize("matrix", [False, True])
def test_the_same_on_a_generated_block_at_the_default_threshold(matrix: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(203)
    names = _names(rng, 450)
    journeys = [rng.choice([None, None, "j1", "j2", "j3"]) for _ in names]
    monkeypatch.setattr(duplicates, "KPI_MATRIX_FROM", 2 if matrix else 10**9)
    expected = _before(names, journeys, 0.85)
    assert len(expected) > 10
    assert _now(names, journeys, 0.85) == expected

def test_a_block_of_near_identical_names_costs_memory_by_the_names_not_the_pairs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """1,500 names alike to each other: 1.1 million alike pairs, which were all kept (a
    dictionary of some 150 MB). Now the components are kept as the pairs are found: a
    couple of joins per name, and a few MB."""
    names = [f"share of customers who complete the online application form {n}" for n in range(1_500)]
    journeys: list[str | None] = [None] * len(names)
    joins = []
    tracemalloc.start()
    try:
        found = duplicates._Components()
        duplicates.kpi_pairs(names, journeys, 0.85, lambda a, b, s: joins.append(1) or found.join(str(a), str(b), s))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [(members, best)] = found.components()
    assert len(members) == 1_500 and best > 0.95
    assert len(joins) <= 2 * len(names)
    assert peak < 16 * 2**20, f"{peak / 2**20:.1f} MiB"

@settings(max_examples=300, deadline=None)
@given(a=st.text(alphabet="abcæ ß\U0001f600", max_size=80), b=st.text(alphabet="abcæ ß\U0001f600", max_size=80))
def test_the_longest_common_subsequence_is_counted_as_rapidfuzz_counts_it(a: str, b: str) -> None:
    from rapidfuzz.distance import LCSseq

    assert duplicates._lcs_length(duplicates._letter_masks(a), len(a), b) == LCSseq.similarity(a, b)


@pytest.mark.parametrize("names, imported, alike", [
    (["started onboardings completed within week", "customers still with bank after months",
      "promoter score customers", "mortgage customers", "average handling time calls",
      "calls mortgage application"], False, 0),  # the example's closest: no pair reaches the floor
    (["sick leave", "sick leave", "products customer", "products customer"], False, 2),  # the same names
    (["pension customers", "pension customer"], True, 1),  # alike: rapidfuzz scores the pair
    # 17 names of some 180 letters: counting their LCS in Python costs more than the import
    # (8 s, not 1.3, for 40 names of 10,000 letters): rapidfuzz scores the block in C at once
    ([f"{word} " * 20 for word in ("customers", "mortgages", "pensions", "complaints", "sickleave", "onboarding",
                                   "applications", "answered", "waiting", "promoters", "detractors",
                                   "satisfaction", "payments", "transfers", "branches", "advisers", "renewals")],
     True, 0),
])
def test_a_small_block_imports_rapidfuzz_only_for_a_pair_that_may_be_alike(names: list[str], imported: bool,
                                                                          alike: int) -> None:
    """Importing rapidfuzz loads every metric it has (~10 ms of a check of 100
    initiatives): a small block's pairs under the floor are ruled out by their longest
    common subsequence, and the same name twice is scored without it."""
    import subprocess
    import sys

    code = ("import sys; from cxportfolio.rules.duplicates import kpi_pairs; found = []; "
            f"kpi_pairs({names!r}, [None] * {len(names)}, 0.85, lambda *a: found.append(a)); "
            "print('rapidfuzz' in sys.modules, len(found))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(imported), str(alike)]


def test_a_small_block_imports_no_numpy() -> None:
    import subprocess
    import sys

    code = ("import sys; from cxportfolio.rules.duplicates import kpi_pairs; "
            "kpi_pairs(['nps pension'] * 300, [None] * 300, 0.85, lambda *a: None); "
            "print('numpy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"

def test_a_cut_block_says_so_and_pairs_the_same_names_beyond_the_cap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_KPI_BLOCK the KPIs were skipped silently. Now a finding says how many
    were compared only by name, and those whose normalised names are the same are
    paired wherever they sit (here: beyond the cap, and across it)."""
    monkeypatch.setattr(duplicates, "MAX_KPI_BLOCK", 4)
    kpis = [("k1", "Calls per customer", None), ("k2", "Customer complaints", None),
            ("k3", "Time to answer", None), ("k4", "Onboarding share", None),
            ("k5", "calls, per customer", None),  # beyond the cap, the name of k1
            ("k6", "Pension satisfaction", "j1"), ("k7", "Pension satisfaction!", "j1"),
            ("k8", "Pension satisfaction", "j2"),  # another journey: another measure
            ("k9", "Time to answr", None)]  # alike to k3, not the same: not compared
    lines = ["journeys: [{id: j1, name: J, stages: [{id: s, name: S}]}, {id: j2, name: K, stages: [{id: s, name: S}]}]",
             "kpis:"]
    lines += [f"  - {{id: {i}, name: \"{name}\", kind: experience, direction: increase"
              + (f", journey: {journey}}}" if journey else "}") for i, name, journey in kpis]
    root = write_portfolio(tmp_path / "p", {"k.yaml": "\n".join(lines) + "\n"})
    found = [f for f in check(root).result.findings if f.code == "CXP203"]
    assert [f.message for f in found] == [
        "KPIs k1 and k5 look like the same measure (names 100% alike)",
        "5 KPIs of kind experience and direction increase, from k5 on, were compared only with KPIs of the same "
        "name: the rule compares the first 4 of a kind and direction by similarity",
        "KPIs k6 and k7 look like the same measure (names 100% alike)"]
    assert found[1].location.line == 7 and found[1].entities == ("k5",)

def test_the_rule_on_a_block_of_near_identical_names_holds_no_pairs(tmp_path: Path) -> None:
    """The rule end to end, on the portfolio's models: 1,200 near-identical names in one
    block made 720,000 alike pairs, all kept until the end (some 100 MB)."""
    import datetime as dt

    from cxportfolio.rules.base import RuleContext
    from cxportfolio.rules.duplicates import duplicate_kpi

    lines = ["kpis:"] + [f"  - {{id: k{n:04}, name: \"Share of customers who complete the online application "
                         f"form {n}\", kind: outcome, direction: increase}}" for n in range(1_200)]
    run = check(write_portfolio(tmp_path / "p", {"k.yaml": "\n".join(lines) + "\n"}))
    tracemalloc.start()
    try:
        hits = list(duplicate_kpi(RuleContext(run.portfolio, dt.date(2026, 6, 30))))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [len(hit.entities) for hit in hits] == [1_200]
    assert peak < 16 * 2**20, f"{peak / 2**20:.1f} MiB"
