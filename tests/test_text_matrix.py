"""A language server's matrices are updated after an edit (TextMatrix.updated), not built
anew: every array the update gives is the one a fresh build gives, to the bit, whatever
words, stems and terms the edit adds or leaves unused — and the rows it says changed are
those that did."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.rules.similarity import TextIndex, _parts, candidate_pairs
from cxportfolio.rules import text_matrix
from cxportfolio.rules.text_matrix import TextMatrix

WORDS = ["pensjon", "pensjonsberegner", "beregning", "søknad", "søknaden", "min", "side", "dagpenger",
         "varsel", "varsler", "kontoutskrift", "utskrift", "vedtak", "Straße", "café", "ﬁnance"]
# Words never seen before: new words, stems and 4-grams, as a person typing makes them.
new_word = st.text(alphabet="aeinoprstøå", min_size=1, max_size=9)
word = st.one_of(st.sampled_from(WORDS), new_word)
text = st.tuples(st.lists(word, max_size=5).map(" ".join), st.lists(word, max_size=8).map(" ".join))
# An edit: text k's title or description replaced, or a word typed at its end.
edit = st.tuples(st.integers(0, 10**6), st.sampled_from(["title", "description", "title+", "description+"]), word)


def _edited(texts: list[tuple[str, str]], edits: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
    texts = list(texts)
    for at, how, typed in edits:
        k = at % len(texts)
        title, description = texts[k]
        texts[k] = {"title": (typed, description), "description": (title, typed),
                    "title+": (f"{title} {typed}", description), "description+": (title, f"{description}{typed}")}[how]
    return texts


def _same_arrays(updated: TextMatrix, fresh: TextMatrix) -> None:
    assert updated.words == fresh.words
    assert updated._stems == fresh._stems
    assert updated.names.tolist() == fresh.names.tolist()
    for name in ("_word_stem", "_part", "_word", "df"):
        assert np.array_equal(getattr(updated, name), getattr(fresh, name)), name
    for name in ("_stem_terms", "full", "alone"):
        mine, theirs = getattr(updated, name), getattr(fresh, name)
        assert mine.shape == theirs.shape, name
        assert mine.indptr.tolist() == theirs.indptr.tolist(), name
        assert mine.indices.tolist() == theirs.indices.tolist(), name
        # the weights as bits: -0.0 == 0.0 would pass a comparison of floats
        assert mine.data.dtype == theirs.data.dtype == np.float64, name
        assert mine.data.view(np.uint64).tolist() == theirs.data.view(np.uint64).tolist(), name


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(text, min_size=1, max_size=25),
       rounds=st.lists(st.lists(edit, min_size=1, max_size=3), min_size=1, max_size=4),
       units=st.integers(1, 4), keys=st.integers(1, 4), max_df=st.integers(2, 6), gathered=st.booleans())
def test_an_updated_matrix_is_the_matrix_built_anew(texts, rounds, units: int, keys: int, max_df: int,
                                                    gathered: bool) -> None:
    # `gathered`: rows replaced by one gather (as when many change) rather than slice by slice
    sliced = text_matrix._ROWS_SLICED
    text_matrix._ROWS_SLICED = -1 if gathered else sliced
    try:
        _updates_as_fresh_builds(texts, rounds, units, keys, max_df)
    finally:
        text_matrix._ROWS_SLICED = sliced


def _updates_as_fresh_builds(texts, rounds, units: int, keys: int, max_df: int) -> None:
    groups = [k % units for k in range(len(texts))]
    known: dict[str, list[str]] = {}
    previous = TextIndex(texts, matrix=True, known=known)
    assert previous._matrix is not None
    previous._matrix.candidate_pairs(keys, max_df, groups)
    for edits in rounds:
        texts = _edited(texts, edits)
        index = TextIndex(texts, matrix=True, known=known, previous=previous)
        fresh = TextMatrix(_parts(texts), {})
        assert index._matrix is not None and index._matrix._origin is not None  # built on the previous one
        _same_arrays(index._matrix, fresh)
        # The rows it says changed are those whose vectors differ (compared in full).
        full = TextIndex(texts, matrix=True)
        assert index.changed_rows(previous) == full.changed_rows(previous)
        # The pairs it proposes, from the previous ones, are those proposed afresh.
        proposed = index._matrix.candidate_pairs(keys, max_df, groups)
        assert proposed.tolist() == fresh.candidate_pairs(keys, max_df, groups).tolist()
        assert proposed.tolist() == sorted(set(candidate_pairs(TextIndex(texts), keys, max_df, groups)))
        known, previous = index.known or {}, index


def test_an_edit_of_one_title_updates_the_matrix() -> None:
    """One title edited in a portfolio of many: built on the previous matrix, with new
    words and stems, and the words no text uses any more dropped."""
    texts = [(f"Søknad om {w} nummer", f"Beskrivelse av {w} og vedtak") for w in WORDS * 4]
    known: dict[str, list[str]] = {}
    before = TextIndex(texts, matrix=True, known=known)
    edited = list(texts)
    edited[5] = ("Pensjonskalkulator for alle", edited[5][1])
    after = TextIndex(edited, matrix=True, known=before.known, previous=before)
    assert after._matrix is not None and after._matrix._origin is not None
    _same_arrays(after._matrix, TextMatrix(_parts(edited), {}))
    assert "pensjonskalkulator" in after._matrix.words and "nummer" in after._matrix.words
    assert 5 in after.changed_rows(before)


def test_a_check_on_the_command_line_keeps_nothing_to_update_from() -> None:
    """Without `known` (one run of `check`), a matrix holds no counts to update from."""
    index = TextIndex([("Min side", "for dagpenger"), ("Min side", "for sykepenger")], matrix=True)
    assert index._matrix is not None and index._matrix._kept is None


def test_a_word_passed_from_one_unit_to_another_makes_its_terms_keys_elsewhere() -> None:
    """One edit takes a word out of a unit's text and puts it into another unit's: as
    many texts use its terms as before (so no weight changes), but now two units do — a
    third text, not edited, gets them as keys and its pair with the second."""
    groups = [0, 1, 0, 1]
    texts = [("Kontoutskrift", "vedtak"), ("Chat", "dagpenger"), ("Kontoutskrift", "varsel"), ("App", "café")]
    known: dict[str, list[str]] = {}
    before = TextIndex(texts, matrix=True, known=known)
    assert before._matrix is not None
    assert 0 * 4 + 1 not in before._matrix.candidate_pairs(2, 4, groups).tolist()
    edited = [texts[0], ("Kontoutskrift", "dagpenger"), ("Chat", "varsel"), texts[3]]
    after = TextIndex(edited, matrix=True, known=before.known, previous=before)
    assert after._matrix is not None and after._matrix._origin is not None
    proposed = after._matrix.candidate_pairs(2, 4, groups).tolist()
    assert 0 * 4 + 1 in proposed  # text 0, not edited, and text 1 share the word now
    assert proposed == TextMatrix(_parts(edited), {}).candidate_pairs(2, 4, groups).tolist()


def test_the_units_of_each_term_are_the_same_in_32_and_64_bits() -> None:
    """`_multi_unit` keys (term, unit) in 32 bits when they fit (half the memory of a
    100,000-initiative check's largest arrays) and in 64 bits when they do not: numbering
    the units apart, so that they do not fit, gives the same terms used by two units or
    more, and so the same candidate pairs."""
    texts = [("Min side for dagpenger", "Se søknaden"), ("Min side for sykepenger", "Se vedtaket"),
             ("Statussporing", "Se søknaden og vedtaket"), ("Pensjonsberegner", "Beregn pensjonen")]
    matrix = TextMatrix(_parts(texts))
    compact = np.array([0, 1, 1, 2], dtype=np.int64)
    spread = compact * (2**31 // matrix.full.shape[1] + 1)  # width × units ≥ 2³¹: 64 bits
    assert matrix.full.shape[1] * (int(spread.max()) + 1) >= 2**31
    assert np.array_equal(matrix._multi_unit(None, compact, np), matrix._multi_unit(None, spread, np))
    assert matrix._multi_unit(None, compact, np).any()
