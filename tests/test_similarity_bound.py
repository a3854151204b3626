"""A small portfolio's pairs are first weighed by upper bounds of their cosine
(similarity._Ceilings): a pair a bound puts below `at_least` is never scored. The pairs
kept, and their scores to the bit, must be those of scoring every pair."""

from __future__ import annotations

import math
import random

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.rules import similarity
from cxportfolio.rules.similarity import TextIndex, _cosine

# Frequent words (in most texts, so in the bounded part) and rarer ones, Nordic and English.
_COMMON = "søknad min side status digital pensjon".split()
_RARE = ("pensjonsberegner beregningsverktøy kontoen kontoutskrift utskrift bilskador skadeanmälan "
         "hemförsäkringen callback chat portal mortgage price meeting signering tracker ærlig café").split()
# and a vocabulary as large as a portfolio's: made-up words of three syllables
_SYLLABLES = "ka ve lo mi strø sjon ber reg ning ut skrift kon to bil hem sä".split()
_RARE += [a + b + c for a in _SYLLABLES[:8] for b in _SYLLABLES[4:12] for c in _SYLLABLES[8:]]


def _texts(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)

    def some(k: int) -> str:
        return " ".join(rng.choice(_COMMON) if rng.random() < 0.5 else rng.choice(_RARE) for _ in range(k))

    return [(some(rng.randint(1, 5)), "" if k % 5 == 0 else some(rng.randint(2, 20))) for k in range(n)]


def _every_pair(index: TextIndex, at_least: float) -> list[tuple[int, int, float]]:
    full, alone = index.vectors, index.descriptions
    found = []
    for i in range(len(index)):
        for j in range(i + 1, len(index)):
            score = _cosine(full[i], full[j])
            if alone[i] and alone[j]:
                score = max(score, _cosine(alone[i], alone[j]))
            if score >= at_least:
                found.append((i, j, score))
    return found


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 60), seed=st.integers(0, 10_000), at_least=st.floats(0.0, 1.0))
def test_the_bound_keeps_exactly_the_pairs_every_cosine_keeps(n: int, seed: int, at_least: float) -> None:
    index = TextIndex(_texts(n, seed))
    firsts = [i for i in range(n) for _ in range(i + 1, n)]
    seconds = [j for i in range(n) for j in range(i + 1, n)]
    assert index.alike(firsts, seconds, at_least) == _every_pair(index, at_least)


def _bounds(ceilings, i: int, j: int) -> list[float]:
    """The two bounds `may_reach` tries, loosest first (similarity._Ceilings), the first
    from each vector's rare weights, sorted here afresh."""
    frequent = ceilings.norms[i] * ceilings.norms[j]
    m = (ceilings.bits[i] & ceilings.bits[j]).bit_count()
    heaviest_i, heaviest_j = (sorted(ceilings.rare[k].values(), reverse=True) for k in (i, j))
    return [min(sum(heaviest_i[:m]) * (heaviest_j[:1] or [0.0])[0],
                sum(heaviest_j[:m]) * (heaviest_i[:1] or [0.0])[0]) + frequent,
            ceilings(i, j)]


def test_each_bound_is_above_the_next_and_the_cosine_and_they_leave_most_pairs_out(monkeypatch) -> None:
    index = TextIndex(_texts(120, seed=1))
    full, alone = index._ceilings
    left_out = 0
    for i in range(len(index)):
        for j in range(i + 1, len(index)):
            for ceilings, vectors in ((full, index.vectors), (alone, index.descriptions)):
                if not (vectors[i] and vectors[j]):
                    continue
                cosine = _cosine(vectors[i], vectors[j])
                loose, exact = _bounds(ceilings, i, j)
                assert loose >= exact - 1e-12 and exact >= cosine - 1e-12
                assert ceilings.may_reach(i, j, cosine - 1e-9)
            left_out += full(i, j) < 0.3
    pairs = len(index) * (len(index) - 1) / 2
    assert left_out > 0.5 * pairs  # the exact bound spares work
    # and `may_reach` itself leaves pairs out before it sums a product: by the frequent
    # terms' part alone where the two share no rare term, and by the bitset bound
    exact_sums = []
    products = similarity._products
    monkeypatch.setattr(similarity, "_products", lambda a, b: exact_sums.append(1) or products(a, b))
    kept = sum(full.may_reach(i, j, 0.3) for i in range(len(index)) for j in range(i + 1, len(index)))
    sharing = sum(bool(full.bits[i] & full.bits[j]) for i in range(len(index)) for j in range(i + 1, len(index)))
    assert sharing < 0.75 * pairs
    assert kept < len(exact_sums) < 0.95 * sharing


@pytest.mark.parametrize("seed", range(30))
def test_a_pair_is_kept_at_its_own_score_and_left_out_just_above_it(seed: int) -> None:
    """The threshold on the very score: where the bound, a plain sum, may fall an ulp
    below the cosine's fsum (the slack keeps such a pair), and where a bound that drops
    terms would leave out a pair it must keep."""
    index = TextIndex(_texts(60, seed))
    for i, j, score in _every_pair(index, 0.0):
        assert index.alike([i], [j], score) == [(i, j, score)]
        assert index.alike([i], [j], math.nextafter(score, 2.0)) == []
