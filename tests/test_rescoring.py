"""The language server scores again only the pairs whose texts changed (similarity.scored):
after any edit of the texts, the pairs it finds alike, in their order and with their
cosines to the last bit, are those that scoring every pair afresh finds — with
dictionaries (a small portfolio) and with sparse matrices (a large one)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.rules.similarity import TextIndex, candidate_pairs, scored

WORDS = ["pensjon", "pensjonsberegner", "beregning", "søknad", "søknaden", "min", "side", "dagpenger",
         "sykepenger", "varsel", "varsler", "kontoutskrift", "utskrift", "kontoen", "chat", "app", "netbank",
         "registrering", "vedtak", "ventetid", "Straße", "café", "ﬁnance", "e‑signing"]
text = st.tuples(st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
                 st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
# An edit of one text: a word typed at the end of its title or description, its title
# replaced, or its description emptied.
change = st.tuples(st.integers(0, 10**6), st.sampled_from(["title+", "description+", "title", "description"]),
                   st.sampled_from(WORDS))


def _edited(texts: list[tuple[str, str]], edits: list[tuple[int, str, str]]) -> list[tuple[str, str]]:
    texts = list(texts)
    for at, how, word in edits:
        k = at % len(texts)
        title, description = texts[k]
        texts[k] = {"title+": (f"{title} {word}", description), "description+": (title, f"{description} {word}"),
                    "title": (word, description), "description": (title, "")}[how]
    return texts


def _proposed(index: TextIndex, groups: list[int], every_pair: bool):
    n = len(index)
    if every_pair:
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if groups[i] != groups[j]]
        return [i for i, _ in pairs], [j for _, j in pairs]
    codes = candidate_pairs(index, 3, 8, groups)
    codes = sorted(set(np.asarray(codes).tolist()))
    if index.matrix:
        codes = np.array(codes, dtype=np.int64)
        return codes // n, codes % n
    return [c // n for c in codes], [c % n for c in codes]


def _columns(found) -> tuple[list, list, list]:
    return tuple(np.asarray(column).tolist() for column in found)  # type: ignore[return-value]


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(text, min_size=2, max_size=30), rounds=st.lists(st.lists(change, min_size=1, max_size=3),
                                                                        min_size=1, max_size=4),
       matrix=st.booleans(), every_pair=st.booleans(), at_least=st.sampled_from([0.0, 0.28, 0.5]))
def test_scoring_again_only_what_changed_finds_what_scoring_everything_finds(
        texts, rounds, matrix: bool, every_pair: bool, at_least: float) -> None:
    groups = [k % 3 for k in range(len(texts))]
    index = TextIndex(texts, matrix=matrix)
    before = scored(index, *_proposed(index, groups, every_pair), at_least)
    every = [(i, j) for i in range(len(texts)) for j in range(len(texts)) if i != j]
    index.shared_words_many([i for i, _ in every], [j for _, j in every])  # what the evidence asks
    for edits in rounds:
        texts = _edited(texts, edits)
        index = TextIndex(texts, matrix=matrix)
        firsts, seconds = _proposed(index, groups, every_pair)
        again = scored(index, firsts, seconds, at_least, before)
        afresh = index.alike_columns(firsts, seconds, at_least)
        assert _columns(again.alike) == _columns(afresh)
        assert type(again.alike[0]) is type(afresh[0])  # lists from dictionaries, arrays from matrices
        # The shared words it took over are those a fresh index finds.
        explained = index.shared_words_many([i for i, _ in every], [j for _, j in every])
        assert explained == TextIndex(texts, matrix=matrix).shared_words_many([i for i, _ in every],
                                                                                [j for _, j in every])
        before = again


def test_only_the_texts_whose_vectors_changed_are_told_apart() -> None:
    """A word typed into one title changes that text's vector and, through the word's
    weight, the vectors of the texts that use it; the others compare equal."""
    texts = [("Min side for dagpenger", "søknad om dagpenger"), ("Min side for sykepenger", "søknad"),
             ("Kontoutskrift i appen", "utskrift av kontoen"), ("Varsel om vedtak", "")] * 3
    for matrix in (False, True):
        index = TextIndex(texts, matrix=matrix)
        assert index.changed_rows(TextIndex(list(texts), matrix=matrix)) == set()
        typed = list(texts)
        typed[2] = ("Kontoutskrift i appen pensjon", texts[2][1])
        assert index.changed_rows(TextIndex(typed, matrix=matrix)) == {2}  # a word no other text has
        typed[2] = ("Kontoutskrift i appen vedtak", texts[2][1])
        assert index.changed_rows(TextIndex(typed, matrix=matrix)) == {2, 3, 7, 11}  # "vedtak" weighs less everywhere
        assert index.changed_rows(TextIndex(texts[:-1], matrix=matrix)) is None  # not row by row
        assert index.changed_rows(TextIndex(texts, matrix=not matrix)) is None


def test_a_word_inflected_keeps_the_vector_but_not_the_shared_words() -> None:
    """"søknad" → "søknaden" has the same stem and terms, so the same vector: the pair's
    score may be kept, its shared words may not (the message quotes the words)."""
    for matrix in (False, True):
        before = TextIndex([("Min side for dagpenger", "søknad om dagpenger"), ("Min side for sykepenger", "søknad")],
                           matrix=matrix)
        # not "dagpenger": two of its 4-grams are in "sykepenger"
        assert before.shared_words_many([0], [1]) == [["side", "søknad"]]
        found = scored(before, [0], [1], 0.0)
        after = TextIndex([("Min side for dagpenger", "søknaden om dagpenger"), ("Min side for sykepenger", "søknad")],
                          matrix=matrix)
        assert after.changed_rows(before) == set()
        again = scored(after, [0], [1], 0.0, found)
        assert _columns(again.alike) == _columns(found.alike)
        assert after.shared_words_many([0], [1]) == [["side", "søknaden"]]


def test_the_shared_words_are_those_the_other_text_has_most_of() -> None:
    """A word is evidence when the other text has at least half of its terms: a compound
    matched by its parts is; a benefit's name matched by two 4-grams of another's is not.
    The dictionaries and the matrices say the same."""
    texts = [("Pensjonsberegner for dagpenger", "Kontoutskrift på nett"),
             ("Beregningsverktøy for pensjon og sykepenger", "Utskrift av kontoen")]
    for matrix in (False, True):
        index = TextIndex(texts, matrix=matrix)
        assert index.shared_words_many([0], [1], most=5) == [["pensjonsberegner", "kontoutskrift"]]


def test_the_duplicate_rule_keeps_its_work_through_checks_that_did_not_need_it(tmp_path_factory, monkeypatch) -> None:
    """A KPI renamed runs CXP203, not CXP201 (Rule.reads): CXP201's words, vectors and
    scored pairs wait for its next run, so a title typed afterwards reads only that title
    again, not every text (memo.carry)."""
    from conftest import AS_OF, copy_of_example
    from cxportfolio.lsp.session import Session
    from cxportfolio.rules import similarity

    root = copy_of_example(tmp_path_factory, "resting-rule")
    unit, kpis = root / "units" / "digital.yaml", root / "kpis.yaml"
    session = Session(root, AS_OF)
    session.buffers[unit], session.buffers[kpis] = unit.read_text(encoding="utf-8"), kpis.read_text(encoding="utf-8")
    session.check()
    session.buffers[kpis] = session.buffers[kpis].replace("name: Customers still with the bank",
                                                          "name: Clients still with the bank")
    session.check()
    read: list[str] = []
    words = similarity.words
    monkeypatch.setattr(similarity, "words", lambda part: read.append(part) or words(part))
    session.buffers[unit] = session.buffers[unit].replace("title: Application status tracker in the online bank",
                                                          "title: Application status tracker in the online bank app")
    session.check()
    assert read == ["Application status tracker in the online bank app"]
