"""The language server updates a small portfolio's index from the one before the edit
(similarity.TextIndex `previous`, `_updated_dictionaries`): only the vectors of texts
edited or with a term whose document frequency changed are weighed again. After any
edits, every field is what building the index afresh gives — the same terms in the same
order, the same floats to the last bit — so the server reports what `check` reports."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.rules.similarity import TextIndex
from tests.test_rescoring import _edited, change, text


def _fields(index: TextIndex) -> dict:
    """What the index's answers are made of, order included (a dict's order is its
    terms' order, which `shared_words` and the sums over them follow)."""
    ceilings = [{"rare": [list(rare.items()) for rare in c.rare], "sums": c.sums, "tops": c.tops, "norms": c.norms,
                 # which bit a rare term has does not matter, only how many two texts share
                 "shared": [[(a & b).bit_count() for b in c.bits] for a in c.bits]} for c in index._ceilings]
    return {"counts": [(list(alone.items()), list(full.items())) for alone, full in index._counts],
            "df": dict(index.df), "idf": index.idf,
            "vectors": [list(v.items()) for v in index.vectors],
            "descriptions": [list(v.items()) for v in index.descriptions], "ceilings": ceilings}


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(text, min_size=2, max_size=30),
       rounds=st.lists(st.lists(change, min_size=1, max_size=3), min_size=1, max_size=5))
def test_an_index_updated_edit_by_edit_is_the_index_built_afresh(texts, rounds) -> None:
    known: dict[str, list[str]] = {}
    index = TextIndex(texts, known=known)
    for edits in rounds:
        before, before_fields = index, _fields(index)
        texts = _edited(texts, edits)
        index = TextIndex(texts, known=index.known, previous=index)
        assert _fields(index) == _fields(TextIndex(texts))
        assert _fields(before) == before_fields  # the previous index is left as it was (the memo may hand it back)
        assert index.changed_rows(before) == TextIndex(texts).changed_rows(before)


def test_a_word_typed_in_one_title_weighs_again_only_the_texts_with_its_terms() -> None:
    texts = [("Pensjon beregning", "Beregn pensjon"), ("Dagpenger søknad", "Søknad om dagpenger"),
             ("Varsel vedtak", "Varsler om vedtak"), ("Chat app", "Chat i appen")]
    index = TextIndex(texts, known={})
    edited = [("Pensjon beregning", "Beregn pensjon"), ("Dagpenger søknad kontoutskrift", "Søknad om dagpenger"),
              *texts[2:]]
    updated = TextIndex(edited, known=index.known, previous=index)
    assert [updated.vectors[k] is index.vectors[k] for k in range(4)] == [True, False, True, True]
    assert _fields(updated) == _fields(TextIndex(edited))


def test_a_description_whose_words_are_reordered_is_weighed_again_in_its_new_order() -> None:
    # the same terms and counts, another order: a fresh build lists them (and sums over
    # them) in the new order, so the updated index must not keep the old vectors
    texts = [("Pensjon beregning", "Beregn pensjon enkelt raskt"), ("Dagpenger søknad", "Søknad om dagpenger"),
             ("Varsel vedtak", "Varsler om vedtak"), ("Chat app", "Chat i appen")]
    index = TextIndex(texts, known={})
    edited = [("Pensjon beregning", "raskt enkelt pensjon Beregn"), *texts[1:]]
    updated = TextIndex(edited, known=index.known, previous=index)
    assert list(updated.vectors[0])[0] == "=raskt"
    assert _fields(updated) == _fields(TextIndex(edited))


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(text, min_size=2, max_size=30), at=st.integers(0, 10**6), rounds=st.integers(1, 3))
def test_an_index_updated_after_words_are_reordered_is_the_index_built_afresh(texts, at, rounds) -> None:
    # the edits above only type or clear words: here a text's words change places, its
    # terms and counts left as they were
    index = TextIndex(texts, known={})
    for _ in range(rounds):
        k = at % len(texts)
        title, description = texts[k]
        texts = [*texts[:k], (" ".join(title.split()[::-1]), " ".join(description.split()[::-1])), *texts[k + 1:]]
        index = TextIndex(texts, known=index.known, previous=index)
        assert _fields(index) == _fields(TextIndex(texts))
        at = at * 7 + 3


_CARDS = [("Kortsperre i appen", "Sperr kortet selv"), ("Kortsperre på telefon", "Ring for å sperre"),
          ("Pensjon beregning", "Beregn pensjon"), ("Dagpenger søknad", "Søknad om dagpenger"),
          ("Varsel vedtak", "Varsler om vedtak"), ("Chat app", "Chat i appen"),
          ("Flytting adresse", "Ny adresse"), ("Lånesøknad", "Søk lån")]


def test_idf_is_one_smoothed_formula_for_dictionaries_updates_and_matrices() -> None:
    """`idf_weights` is the one idf: log((1 + n) / (1 + df)) + 1, which the dictionaries,
    their update after an edit and a large portfolio's matrices all weigh with."""
    import math

    from cxportfolio.rules.similarity import idf_weights

    assert idf_weights(3, [1, 2, 3]) == [math.log(4 / 2) + 1, math.log(4 / 3) + 1, 1.0]
    index = TextIndex(_CARDS)
    assert index.idf == dict(zip(index.df, idf_weights(len(_CARDS), index.df.values())))
    edited = [*_CARDS[:2], ("Pensjon og kortsperre", "Beregn pensjon"), *_CARDS[3:]]
    updated = TextIndex(edited, known={}, previous=TextIndex(_CARDS, known={}))
    assert updated.idf == dict(zip(updated.df, idf_weights(len(edited), updated.df.values())))
    matrix = TextIndex(edited, matrix=True)  # its norms are summed in another order: the last bits may differ
    for k in range(len(edited)):
        weighed, expected = matrix.vector(k), updated.vector(k)
        assert weighed.keys() == expected.keys()
        assert all(math.isclose(weighed[t], expected[t], rel_tol=1e-12) for t in expected)


def test_a_term_no_longer_rare_after_an_edit_leaves_each_rows_bounds_as_built_afresh() -> None:
    """`_Ceilings.updated` weighs the rows an edit touched with `_bounds`, as `_Ceilings`
    weighs every row, by the frequencies after the edit: "kortsperre", in two texts of
    eight (rare), is in three once a third is edited (frequent: more than a quarter),
    and keeps its bit, which no row uses."""
    from cxportfolio.rules.similarity import _bounds

    edited = [*_CARDS[:2], ("Pensjon og kortsperre", "Beregn pensjon"), *_CARDS[3:]]
    before = TextIndex(_CARDS, known={})
    updated = TextIndex(edited, known=before.known, previous=before)
    assert _fields(updated) == _fields(TextIndex(edited))
    full = updated._ceilings[0]
    assert before.df["=kortsperr"] == 2 and updated.df["=kortsperr"] == 3 and "=kortsperr" in full.bit
    assert all("=kortsperr" not in rare for rare in full.rare)
    frequent = {t for t, c in updated.df.items() if c > len(edited) // 4}
    rare = {t for t, c in updated.df.items() if 1 < c <= len(edited) // 4}
    columns = _bounds(updated.vectors, full.bit, rare.__contains__, frequent.__contains__)
    assert [list(r.items()) for r in columns[0]] == [list(r.items()) for r in full.rare]
    assert list(columns[1:]) == [full.bits, full.sums, full.tops, full.norms]
