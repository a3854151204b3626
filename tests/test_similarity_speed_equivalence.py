"""A large portfolio's text vectors (sparse matrices, docs/duplicates.md "How much work")
hold the exact bits the rule's findings rest on: each weight as the dictionaries count it,
normalised by a sum in term order, and each pair's score as the element-wise product of
its rows summed by scipy. A faster construction must keep every bit, whatever the order
of the texts (the same input gives the same bytes)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from cxportfolio.rules.similarity import TextIndex, candidate_pairs

_VOCABULARY = ("søknad søknaden søknader pensjon pensjonsberegner beregningsverktøy kontoen konto "
               "bilskador skadeanmälan hemförsäkringen ærlig øre år straße café naïve status tracker "
               "mortgage price page meeting callback chat portal app min side the and for with "
               "digital signering e-signing ΣΊΣΥΦΟΣ σίσυφος ﬁnance re–design").split()


def _texts(n: int, seed: int) -> list[tuple[str, str]]:
    """Titles and descriptions of every awkward kind: Nordic letters, capitals, repeated
    words, glue words, empty descriptions, NUL, texts past the length read."""
    rng = random.Random(seed)

    def some(k: int) -> str:
        return " ".join(rng.choice(_VOCABULARY) for _ in range(k))

    texts = []
    for k in range(n):
        title = some(rng.randint(1, 6)).capitalize()
        kind = k % 7
        description = ("" if kind == 0 else some(rng.randint(3, 30)) + " status status status" if kind == 1
                       else some(150) if kind == 2 else title.upper() + "\x00" + some(4) if kind == 3 else some(12))
        texts.append((title, description))
    return texts


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    return _texts(800, seed=7)


def _expected_scores(index: TextIndex, firsts, seconds) -> np.ndarray:
    """The better of the two cosines, as the matrices were first scored: the element-wise
    product of the two rows (nonzero products, term order), summed by scipy."""
    matrix = index._matrix
    i, j = np.asarray(firsts), np.asarray(seconds)
    return np.maximum(*(np.minimum(1.0, np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel())
                        for m in (matrix.full, matrix.alone)))


def test_each_weight_is_the_dictionaries_count_normalised_in_term_order(texts) -> None:
    large, small = TextIndex(texts, matrix=True), TextIndex(texts)
    matrix = large._matrix
    assert dict(zip(matrix.names.tolist(), matrix.df.tolist())) == dict(small.df)
    n = len(texts)
    for i in range(n):
        title, described = small.words[i]
        counts: dict[str, float] = {}
        for word, times in [(w, 1.0) for w in described] + [(w, 2.0) for w in title]:
            for term, weight in _terms(word):
                counts[term] = counts.get(term, 0.0) + times * weight
        weights = [(1 + math.log(c)) * (math.log((1 + n) / (1 + small.df[t])) + 1) for t, c in sorted(counts.items())]
        squares = 0.0
        for w in weights:  # one after the other, in term order, from 0.0
            squares += w * w
        norm = math.sqrt(squares) or 1.0
        assert list(large.vector(i).items()) == [(t, w / norm) for t, w in zip(sorted(counts), weights)], texts[i]


def _terms(word: str):
    from cxportfolio.rules.similarity import terms

    return terms(word)


def test_each_score_is_the_element_wise_product_summed_as_scipy_sums_it(texts) -> None:
    index = TextIndex(texts, matrix=True)
    n = len(texts)
    groups = [k % 9 for k in range(n)]
    codes = np.unique(candidate_pairs(index, 6, 400, groups))  # a small vocabulary: common terms
    firsts, seconds = (codes // n).tolist(), (codes % n).tolist()
    firsts += [i for i in range(80) for j in range(80)]  # a pair with itself, both ways round
    seconds += [j for i in range(80) for j in range(80)]
    found = index.alike_columns(firsts, seconds, 0.0)
    assert found[0].tolist() == firsts and found[1].tolist() == seconds
    assert found[2].tobytes() == _expected_scores(index, firsts, seconds).tobytes()
    assert len(firsts) > 5_000 and (found[2] > 0.3).sum() > 50  # many pairs, many alike

    # In any order of the texts, the very same bits for the same pairs.
    order = list(range(n))
    random.Random(3).shuffle(order)
    where = {k: m for m, k in enumerate(order)}
    shuffled = TextIndex([texts[k] for k in order], matrix=True)
    again = shuffled.alike_columns([where[i] for i in firsts], [where[j] for j in seconds], 0.0)
    assert again[2].tobytes() == found[2].tobytes()


def test_the_descriptions_matrix_holds_no_zeros_and_sorted_terms(texts) -> None:
    """The element-wise product skips a zero, and the sums run in term order."""
    matrix = TextIndex(texts, matrix=True)._matrix
    for m in (matrix.full, matrix.alone):
        assert m.has_canonical_format and (m.data > 0).all()
        assert all((np.diff(m.indices[m.indptr[r]:m.indptr[r + 1]]) > 0).all() for r in range(m.shape[0]))
    assert matrix.alone.nnz < matrix.full.nnz  # titles add terms their descriptions lack


@pytest.mark.parametrize("word", [*_VOCABULARY, "anna", "aaaaaaa", "abababab", "xy", "søknadsøknad"])
def test_a_words_tally_counts_its_terms_weights_in_their_order(word: str) -> None:
    """The dictionaries count a text's terms from `tally` (C-level Counter), built from the
    stem directly: the counts, and the order terms are first met in, are `terms`' own — a
    4-gram twice in a stem ("abababab") counts two."""
    from collections import Counter

    from cxportfolio.rules.similarity import tally, terms

    assert list(Counter(tally(word)).items()) == [(term, int(weight)) for term, weight in terms(word)]
