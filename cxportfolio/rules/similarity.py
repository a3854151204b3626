"""How alike two initiatives' texts are, in Norwegian, Danish, Swedish or English.

Each text becomes a TF-IDF vector over two kinds of terms:

- the *stem* of every word (Snowball's Norwegian stemmer: "søknaden", "søknader" →
  "søknad"; "kontoen" → "konto"), for whole-word agreement;
- the character 4-grams of each stem, padded ("<pen", "pens", … "ner>"), so that a
  compound matches its parts ("pensjonsberegner" / "beregningsverktøy for pensjon")
  whatever the inflection.

Title terms count twice, description terms once. The weights are TF-IDF over the
portfolio being checked, so words that most initiatives use ("Min side", "søknad", a
benefit's name that every title of a unit repeats) weigh little and the distinctive
ones decide. Similarity is the cosine of two vectors (0–1). Glue words of the four
languages and words under three letters are dropped.

Everything is computed once per distinct word (a portfolio repeats its vocabulary), so a
text costs a few dictionary look-ups. A small portfolio's vectors are dictionaries, scored
pair by pair with `math.fsum`; a large one's are sparse matrices (text_matrix.py: numpy,
scipy.sparse, imported only then), its texts read all at once and its pairs scored many
at once, with the same words, stems and sums (docs/duplicates.md, "How much work").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from operator import mul, neg, truediv
from typing import TYPE_CHECKING

from cxportfolio.model.types import MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS
from cxportfolio.records import record

if TYPE_CHECKING:
    from cxportfolio.rules.text_matrix import TextMatrix

# Texts are read up to MAX_TITLE_CHARS and MAX_DESCRIPTION_CHARS characters (SECURITY.md:
# bounded work whatever a file says).
TITLE_WEIGHT = 2  # a title term counts as two description terms
STEM_WEIGHT = 2.0  # a whole-word match is stronger evidence than one shared 4-gram
GRAM = 4
_WORD = re.compile(r"[^\W\d_]{3,}")
# Glue words of at least three letters, in the four languages: they say nothing about intent.
STOPWORDS = frozenset("""
and the for with from into onto that this than then when where which who whom what our your their
all any are was were has have been will can not out via per its also more most each every
och att det som för med till från den inte har kan ska vid hos när där eller efter över under
alla vår våra din dina sin sina min mina mitt
og til fra som det den der ikke har kan skal ved hos når hvor eller etter efter over under
alle vår våre din dine sin sine min mine mitt mit ditt dit deres jeg vil med mot mod uden uten
""".split())


def normalize(text: str) -> str:
    """NFKC, case-folded: 'Pensjons-KALKULATOR' → 'pensjons-kalkulator'."""
    if not text.isascii():  # NFKC leaves ASCII as it is, and costs more than the rest
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def words(text: str) -> list[str]:
    """The words that carry meaning: letters only, three or more, glue words dropped."""
    return [w for w in _WORD.findall(normalize(text)) if w not in STOPWORDS]


@lru_cache(maxsize=1)
def _stemmer():
    # PyStemmer, Snowball's own C binding: the same stems as the pure-Python port, five
    # times faster (a 100,000-initiative portfolio has some 64,000 distinct words). Loaded
    # only when texts are compared.
    import Stemmer

    return Stemmer.Stemmer("norwegian")


def warm_up() -> None:
    """Import what a large portfolio's index needs (numpy, scipy.sparse, the stemmer): a
    second process does it while the first reads the initiatives."""
    import numpy  # noqa: F401
    from scipy import sparse  # noqa: F401

    _stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem ('søknaden', 'søknader' → 'søknad'). Norwegian's suffixes cover
    Danish and Swedish inflection closely enough for agreement (the 4-grams carry the
    rest), and one stemmer costs a quarter of four: a portfolio's vocabulary is large."""
    return _stemmer().stemWord(word)


@lru_cache(maxsize=200_000)
def terms(word: str) -> tuple[tuple[str, float], ...]:
    """A word's weighted terms: its stem's (`stem_terms`)."""
    return stem_terms(stem(word))


def stem_terms(root: str) -> tuple[tuple[str, float], ...]:
    """A stem's weighted terms: the stem itself (as '=stem') and its padded 4-grams."""
    grams: dict[str, int] = {}  # a Counter costs more than the loop, for a dozen grams
    for gram in _grams(root):
        grams[gram] = grams.get(gram, 0) + 1
    return (("=" + root, STEM_WEIGHT), *grams.items())


def _grams(root: str) -> list[str]:
    """A stem's padded 4-grams in order, one that occurs twice twice ("<anna>": "anna"
    once, "<ana" and "ana>"…)."""
    padded = f"<{root}>"
    return [padded[k:k + GRAM] for k in range(max(1, len(padded) - GRAM + 1))]


@lru_cache(maxsize=200_000)
def term_names(word: str) -> tuple[str, ...]:
    """A word's terms, without their weights."""
    return tuple(term for term, _ in terms(word))


@lru_cache(maxsize=200_000)
def tally(word: str) -> tuple[str, ...]:
    """A word's terms, each as many times as it counts (its stem STEM_WEIGHT times): a
    text's term counts are a C-level Counter of these, the same whole numbers as summing
    `terms`' weights (they are whole, so any order of summing gives them exactly), the
    terms first met in the same order. Built from the stem directly: a third of the time
    of going through `terms`, for every distinct word of the portfolio."""
    root = stem(word)
    return ("=" + root,) * int(STEM_WEIGHT) + tuple(_grams(root))


if STEM_WEIGHT != int(STEM_WEIGHT) or TITLE_WEIGHT != int(TITLE_WEIGHT):
    raise TypeError("tally() counts terms by whole weights: STEM_WEIGHT and TITLE_WEIGHT must be whole")


class TextIndex:
    """TF-IDF vectors of a list of (title, description) texts, and their cosines.

    Each text has two vectors: its title with its description, and its description
    alone. Two texts are as alike as the better of the two cosines: the whole texts, or
    the descriptions when both have one (two descriptions can say the same thing under
    titles worded apart).

    A small portfolio keeps the vectors as dictionaries (numpy alone takes longer to
    import than the whole rule needs at 100 initiatives); a large one (`matrix`) keeps
    them as sparse matrices (numpy, scipy.sparse) and scores many pairs at once.
    """

    def __init__(self, texts: Sequence[tuple[str, str]], matrix: bool = False,
                 known: dict[str, list[str]] | None = None, previous: TextIndex | None = None) -> None:
        """`known`: the words of texts read before (a title or description → its words),
        for a language server whose edit changed a text or two: the others are not read
        again. `self.known` then holds the words of these texts (and, up to twice as many,
        of texts read before), for the next index.
        `previous`: the index of the texts before the edit, which a matrix is updated
        from (`TextMatrix.updated`), and dictionaries too when the texts are as many
        (`_updated_dictionaries`): the same arrays and floats as built anew."""
        self._texts = texts
        self._parts = _parts(texts)
        self._words: list[tuple[list[str], list[str]]] | None = None
        self.known = known
        self._matrix: TextMatrix | None = None
        if matrix:  # reads the texts in bulk, not word lists
            from cxportfolio.rules import text_matrix

            before = previous._matrix if previous is not None and known is not None else None
            self._matrix = ((text_matrix.TextMatrix.updated(before, self._parts, known) if before is not None else None)
                            or text_matrix.TextMatrix(self._parts, known))
        self._explained: dict[tuple[int, int, int], list[str]] = {}  # shared_words_many's answers
        if self._matrix is None:
            if (previous is not None and known is not None and previous._matrix is None
                    and len(previous) == len(texts)):
                self._updated_dictionaries(previous)
            else:
                self._dictionaries()
        if known is not None and len(known) > 2 * len(self._parts) + 64:
            # the words of texts gone: dropped once they outnumber the texts here (a long
            # session keeps no history), not on every edit
            self.known = {part: known[part] for part in self._parts if part in known}

    @property
    def words(self) -> list[tuple[list[str], list[str]]]:
        """Each text's (title words, description words)."""
        if self._words is None:
            known = self.known if self.known is not None else {}
            read = [known[part] if part in known else known.setdefault(part, words(part))
                    for part in self._parts]
            self._words = list(zip(read[::2], read[1::2]))
        return self._words

    def _dictionaries(self) -> None:
        # Every step is a C-level loop (Counter, map, compress): a check in pre-commit or
        # the editor spends its time here, and the weights come out as the plain formula
        # gives them (`_weighted`), each text's terms in the order the plain loops gave
        # them (its description's first, then its title's others).
        counts = [_counted(title_words, described) for title_words, described in self.words]
        df: Counter[str] = Counter()
        for _, full in counts:
            df.update(full.keys())
        n = len(counts)
        self._counts = counts
        self.df = df
        self.idf = dict(zip(df, idf_weights(n, df.values())))
        log = math.log
        tf_weight = {c: 1 + log(c) for c in set(chain.from_iterable(tf.values() for pair in counts for tf in pair))}
        self.descriptions = [self._weighted(alone, tf_weight) for alone, _ in counts]
        self.vectors = [self._weighted(full, tf_weight) for _, full in counts]
        self._ceilings = (_Ceilings(self.vectors, df, n), _Ceilings(self.descriptions, df, n))

    def _updated_dictionaries(self, previous: TextIndex) -> None:
        """`_dictionaries` from the index of as many texts before an edit (the language
        server's): the term counts of each text left as it was are taken again, and only
        the vectors of the texts edited, or with a term whose document frequency the edit
        changed, are weighed again — the same floats, each from the same counts and idf
        (tests/test_incremental_index.py)."""
        parts, before = self._parts, previous._parts
        known = self.known if self.known is not None else {}
        counts = list(previous._counts)
        df = previous.df.copy()
        edited, touched = [], set()  # the texts edited, the terms one of them gained or lost
        for k in range(len(counts)):
            if parts[2 * k] == before[2 * k] and parts[2 * k + 1] == before[2 * k + 1]:
                continue
            title, described = (known[part] if part in known else known.setdefault(part, words(part))
                                for part in parts[2 * k:2 * k + 2])
            text = _counted(title, described)
            if all(list(now.items()) == list(was.items()) for now, was in zip(text, counts[k])):
                continue  # a digit or glue word typed: the same terms in the same order, the same vectors
            old, counts[k] = counts[k][1], text
            df.subtract(old.keys())
            df.update(counts[k][1].keys())
            touched.update(old.keys() ^ counts[k][1].keys())
            edited.append(k)
        moved = {term for term in touched if df[term] != previous.df.get(term, 0)}
        for term in moved:
            if not df[term]:
                del df[term]
        n = len(counts)
        self._counts, self.df = counts, df
        self.idf = idf = previous.idf.copy()
        kept = [term for term in moved if term in df]
        idf.update(zip(kept, idf_weights(n, map(df.__getitem__, kept))))
        for term in moved.difference(kept):
            del idf[term]
        rows = sorted(set(edited).union(k for k, (_, full) in enumerate(counts) if not full.keys().isdisjoint(moved)))
        log = math.log
        tf_weight = {c: 1 + log(c) for k in rows for tf in counts[k] for c in tf.values()}
        self.descriptions, self.vectors = list(previous.descriptions), list(previous.vectors)
        for k in rows:
            alone, full = counts[k]
            self.descriptions[k] = self._weighted(alone, tf_weight)
            self.vectors[k] = self._weighted(full, tf_weight)
        self._ceilings = tuple(ceilings.updated(vectors, df, n, rows)  # type: ignore[assignment]
                               for ceilings, vectors in zip(previous._ceilings, (self.vectors, self.descriptions)))

    def _weighted(self, tf: dict[str, int], tf_weight: dict[int, float]) -> dict[str, float]:
        """(1 + log tf) × idf of each term, the vector scaled to length 1 (`tf_weight`:
        count → 1 + log count, the same float as computed term by term)."""
        idf = self.idf
        weights = [tf_weight[count] * idf[term] for term, count in tf.items()]
        norm = math.sqrt(math.fsum(map(mul, weights, weights))) or 1.0
        return dict(zip(tf, map(truediv, weights, repeat(norm))))

    def __len__(self) -> int:
        return len(self._texts)

    @property
    def matrix(self) -> bool:
        """Whether the vectors are sparse matrices (numpy, scipy) rather than dictionaries."""
        return self._matrix is not None

    def changed_rows(self, previous: TextIndex) -> set[int] | None:
        """The texts whose vectors (whole text or description: their terms or weights)
        differ from those of the texts of the same number in `previous`; None when the two
        cannot be compared row by row (another number of texts, or the other kind). A
        pair's cosine is a function of its two texts' vectors alone, so the language server
        scores again only the pairs with a text in here (rules/duplicates.py)."""
        if len(self) != len(previous) or self.matrix != previous.matrix:
            return None
        if self._matrix is not None and previous._matrix is not None:
            return self._matrix.changed_rows(previous._matrix)
        # an updated index shares the vectors it did not weigh again: `is` says so at once
        vectors, descriptions = previous.vectors, previous.descriptions
        return {k for k in range(len(self))
                if (self.vectors[k] is not vectors[k] and self.vectors[k] != vectors[k])
                or (self.descriptions[k] is not descriptions[k] and self.descriptions[k] != descriptions[k])}

    def adopt_explanations(self, previous: TextIndex, changed: set[int]) -> None:
        """`previous`'s shared words of the pairs whose texts are the same, with the same
        vectors (not in `changed`): what `shared_words` reads, so the same answers."""
        texts, before = self._texts, previous._texts
        for (i, j, most), found in previous._explained.items():
            if i not in changed and j not in changed and texts[i] == before[i] and texts[j] == before[j]:
                self._explained.setdefault((i, j, most), found)

    def vector(self, i: int) -> dict[str, float]:
        """Text i's whole-text vector, term → weight."""
        return self._matrix.vector(i) if self._matrix is not None else self.vectors[i]

    def cosine(self, i: int, j: int) -> float:
        """The better of the whole texts' and the descriptions' cosines (0–1)."""
        if self._matrix is not None:
            return float(self._matrix.alike([i], [j], 0.0)[2][0])
        return max(_cosine(self.vectors[i], self.vectors[j]), _cosine(self.descriptions[i], self.descriptions[j]))

    def alike(self, firsts: Sequence[int], seconds: Sequence[int], at_least: float) -> list[tuple[int, int, float]]:
        """(i, j, cosine) for the pairs (firsts[k], seconds[k]), i ≠ j, at least `at_least` alike."""
        return list(zip(*(column if isinstance(column, list) else column.tolist()
                          for column in self.alike_columns(firsts, seconds, at_least))))

    def alike_columns(self, firsts: Sequence[int], seconds: Sequence[int],
                      at_least: float) -> tuple[Sequence[int], Sequence[int], Sequence[float]]:
        """`alike` as three columns (i, j, cosine): numpy arrays from a `matrix` index, for
        the many pairs of a large portfolio to be weighed at once; lists from the other."""
        if self._matrix is not None:
            return self._matrix.alike(firsts, seconds, at_least)
        full, alone = self.vectors, self.descriptions
        full_may, alone_may = (ceilings.may_reach for ceilings in self._ceilings)
        below = at_least - _CEILING_SLACK
        found: tuple[list[int], list[int], list[float]] = ([], [], [])
        for i, j in zip(firsts, seconds):
            described = alone[i] and alone[j]
            # most pairs are far apart, and bounds cheaper than the cosine say so
            if not full_may(i, j, below) and not (described and alone_may(i, j, below)):
                continue
            score = _cosine(full[i], full[j])
            if described:
                score = max(score, _cosine(alone[i], alone[j]))
            if score >= at_least:
                found[0].append(i)
                found[1].append(j)
                found[2].append(score)
        return found

    def shared_words_many(self, firsts: Sequence[int], seconds: Sequence[int], most: int = 3) -> list[list[str]]:
        """`shared_words` for many pairs (a large portfolio's at once, with numpy); a pair
        asked about before is answered as before (an index the language server keeps)."""
        keys = [(i, j, most) for i, j in zip(firsts, seconds)]
        new = [key for key in dict.fromkeys(keys) if key not in self._explained]
        if new and self._matrix is not None:
            found = self._matrix.shared_words([i for i, _, _ in new], [j for _, j, _ in new], most)
        else:
            found = [self.shared_words(i, j, most) for i, j, _ in new]
        self._explained.update(zip(new, found))
        return [self._explained[key] for key in keys]

    def shared_words(self, i: int, j: int, most: int = 3) -> list[str]:
        """The words of text i that contribute most to its likeness to text j (title first).

        A word counts when text j has at least half of its terms (its stem and 4-grams):
        "pensjonsberegner" for "beregningsverktøy for pensjon", not "foreldrepenger" for
        "dagpenger" (two 4-grams of twelve), which is the one word where the texts differ."""
        a, b = self.vector(i), self.vector(j)
        common = a.keys() & b.keys()  # a few dozen terms, where text i has a few hundred
        title, described = self.words[i]
        scored: dict[str, float] = {}
        for word in dict.fromkeys(title + described):
            names = term_names(word)
            products = [a[t] * b[t] for t in names if t in common]
            if products and 2 * len(products) >= len(names):
                scored[word] = math.fsum(products)
        total = math.fsum(scored.values()) or 1.0
        best = sorted((w for w in scored if scored[w] >= 0.15 * total), key=lambda w: (-scored[w], w))
        return best[:most]


def idf_weights(texts: int, frequencies: Iterable[int]) -> list[float]:
    """The inverse document frequency of terms in that many of `texts` texts, smoothed
    (as scikit-learn's: log((1 + n) / (1 + df)) + 1), in bulk: a call per term would cost
    more than the formula, for the tens of thousands of terms of a portfolio."""
    log = math.log
    return [log((1 + texts) / (1 + k)) + 1 for k in frequencies]


def _products(a: dict[str, float], b: dict[str, float]) -> Iterable[float]:
    """The products of the weights of the terms both vectors have; map() keeps the loop
    in C (a small portfolio's every pair comes here)."""
    common = a.keys() & b.keys()
    return map(mul, map(a.__getitem__, common), map(b.__getitem__, common))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    # fsum is exactly rounded, so the same whichever text comes first
    return min(1.0, math.fsum(_products(a, b)))


# The bound's rounding errors are some 1e-14: a pair it leaves out is below at_least by far more.
_CEILING_SLACK = 1e-9


class _Ceilings:
    """Upper bounds of the cosines of pairs of (different) vectors, cheaper than the cosines.

    A cosine is the sum of its shared terms' products, all weights non-negative. The terms
    that more than a quarter of the texts use (a frequent 4-gram) are in most vectors, so
    most of a pair's shared terms, and they weigh little: their part of the sum is bounded
    by the product of their two norms (Cauchy–Schwarz). The other, rarer terms' part is
    bounded twice, cheapest and loosest first. The popcount of the AND of two bitsets of
    rare terms says how many, m, the two vectors share; the k-th heaviest of those is at
    most the k-th heaviest of each vector's rare weights, so the part is at most (1) the
    sum of one vector's m heaviest times the other's heaviest, and (2) exactly the shared
    terms' products. Each bound is at least the cosine, so a pair below at_least by a
    bound is below it by the cosine: the same pairs are kept as when every cosine is
    computed (tests/test_similarity_bound.py). (A bound between the two, the m heaviest
    of each paired heaviest with heaviest, left out one pair in nine of those it was
    asked about on generated portfolios and cost more than the exact sums it spared.)
    """

    __slots__ = ("rare", "norms", "bits", "sums", "tops", "bit")

    def __init__(self, vectors: list[dict[str, float]], df: Counter[str], texts: int) -> None:
        frequent = texts // 4
        # rare: of two texts up to a quarter of them (a term of one text is in no pair)
        self.bit = bit = {t: 1 << k for k, t in enumerate(t for t, c in df.items() if 1 < c <= frequent)}
        is_frequent = {t for t, c in df.items() if c > frequent}.__contains__
        self.rare, self.bits, self.sums, self.tops, self.norms = _bounds(vectors, bit, bit.__contains__, is_frequent)

    def updated(self, vectors: list[dict[str, float]], df: Counter[str], texts: int, rows: list[int]) -> _Ceilings:
        """These bounds for `vectors`, which differ from those they were made of only in
        `rows`, the texts as many: a term is rare or frequent by its document frequency,
        and only `rows` have a term whose frequency changed. A term that becomes rare gets
        a bit of its own (which bit does not matter: only how many two texts share); the
        bits are numbered afresh once the unused outnumber the used."""
        frequent = texts // 4
        bit = self.bit
        terms = dict.fromkeys(t for k in rows for t in vectors[k])  # the rows' terms, in order
        rare = dict.fromkeys(t for t in terms if 1 < df[t] <= frequent)
        if not rare.keys() <= bit.keys():
            bit = dict(bit)
            for t in rare:
                if t not in bit:
                    bit[t] = 1 << len(bit)
            if len(bit) > 2 * sum(1 for c in df.values() if 1 < c <= frequent) + 64:
                return _Ceilings(vectors, df, texts)
        new = object.__new__(_Ceilings)
        new.bit = bit
        new.rare, new.bits, new.sums = list(self.rare), list(self.bits), list(self.sums)
        new.tops, new.norms = list(self.tops), list(self.norms)
        # by the frequencies now (`bit` may keep a term no longer rare), for the rows only
        fresh = _bounds([vectors[k] for k in rows], bit, rare.__contains__,
                        {t for t in terms if df[t] > frequent}.__contains__)
        for kept, made in zip((new.rare, new.bits, new.sums, new.tops, new.norms), fresh):
            for k, value in zip(rows, made):
                kept[k] = value
        return new

    def may_reach(self, i: int, j: int, below: float) -> bool:
        """Whether the cosine of vectors i and j (i ≠ j) may be `below` or more."""
        frequent = self.norms[i] * self.norms[j]
        shared = (self.bits[i] & self.bits[j]).bit_count()
        if not shared:
            return frequent >= below
        if min(self.sums[i][shared] * self.tops[j], self.sums[j][shared] * self.tops[i]) + frequent < below:
            return False
        a, b = self.rare[i], self.rare[j]
        return sum(_products(a, b)) + frequent >= below

    def __call__(self, i: int, j: int) -> float:
        """The tightest bound of the cosine of vectors i and j, bound (2) (where
        `may_reach` ends)."""
        return sum(_products(self.rare[i], self.rare[j])) + self.norms[i] * self.norms[j]


def _bounds(vectors: list[dict[str, float]], bit: dict[str, int], is_rare: Callable[[str], bool],
            is_frequent: Callable[[str], bool]) -> tuple[list[dict[str, float]], list[int], list[list[float]],
                                                         list[float], list[float]]:
    """`_Ceilings`' columns for these vectors: each one's rare weights, their bitset, the
    sums of its m heaviest rare weights, its heaviest, and the norm of its frequent terms'
    weights. All the vectors in one call, each step a C-level loop (a check of 500
    initiatives has some 950 vectors: a call for each would cost more), by `is_rare` and
    `is_frequent` as `_Ceilings` tells them for every vector, `updated` for its rows."""
    rare = [dict(compress(v.items(), map(is_rare, v))) for v in vectors]
    bits = [sum(map(bit.__getitem__, weights)) for weights in rare]  # distinct powers of two: their OR
    heaviest = [sorted(weights.values(), reverse=True) for weights in rare]
    sums = [list(accumulate(weights, initial=0.0)) for weights in heaviest]  # of the m heaviest
    tops = [weights[0] if weights else 0.0 for weights in heaviest]
    norms = []
    for v in vectors:
        weights = list(compress(v.values(), map(is_frequent, v)))
        norms.append(math.sqrt(sum(map(mul, weights, weights))))
    return rare, bits, sums, tops, norms


def _counted(title_words: list[str], described: list[str]) -> tuple[Counter[str], Counter[str]]:
    """A text's term counts: its description's alone, and its whole text's (title terms
    TITLE_WEIGHT times), the description's terms first."""
    alone = Counter(chain.from_iterable(map(tally, described)))
    full = alone.copy()
    full.update(list(chain.from_iterable(map(tally, title_words))) * TITLE_WEIGHT)
    return alone, full


def _parts(texts: Sequence[tuple[str, str]]) -> list[str]:
    """Each text's title and description, as far as they are read."""
    return [part for title, description in texts
            for part in (title[:MAX_TITLE_CHARS], description[:MAX_DESCRIPTION_CHARS])]


@record
class Scored:
    """The pairs proposed (firsts, seconds: sorted by first, then second) and those of them
    at least `at_least` alike (`alike`: columns i, j, cosine, in the same order), as
    `index` scored them: what the language server hands on to the next check."""

    index: TextIndex
    at_least: float
    firsts: Sequence[int]
    seconds: Sequence[int]
    alike: tuple[Sequence[int], Sequence[int], Sequence[float]]


def scored(index: TextIndex, firsts: Sequence[int], seconds: Sequence[int], at_least: float,
           before: Scored | None = None) -> Scored:
    """`index.alike_columns` of the pairs, sorted as proposed. With the previous check's
    `before`, a pair proposed then too, whose two texts have the very same vectors now,
    keeps its answer — scored then, or below `at_least` then — and only the others are
    scored: a title typed changes one text and the weights of a few terms, so most pairs
    keep theirs. The answer is the same as scoring every pair (tests/test_rescoring.py)."""
    changed = (index.changed_rows(before.index) if before is not None and before.at_least == at_least
               else None)
    if before is None or changed is None:
        return Scored(index, at_least, firsts, seconds, index.alike_columns(firsts, seconds, at_least))
    index.adopt_explanations(before.index, changed)
    n = len(index)
    if not index.matrix:
        proposed_before = {i * n + j for i, j in zip(before.firsts, before.seconds)}
        fresh = [(i, j) for i, j in zip(firsts, seconds)
                 if i in changed or j in changed or i * n + j not in proposed_before]
        kept = {i * n + j: score for i, j, score in zip(*before.alike)}
        for i, j in fresh:  # scored again: their answer then does not count
            kept.pop(i * n + j, None)
        kept.update((i * n + j, score) for i, j, score in zip(*index.alike_columns(
            [i for i, _ in fresh], [j for _, j in fresh], at_least)))
        found = [(i, j, kept[i * n + j]) for i, j in zip(firsts, seconds) if i * n + j in kept]
        return Scored(index, at_least, firsts, seconds,
                      ([i for i, _, _ in found], [j for _, j, _ in found], [c for _, _, c in found]))
    import numpy as np

    codes = np.asarray(firsts, dtype=np.int64) * n + np.asarray(seconds, dtype=np.int64)
    moved = np.zeros(n, dtype=bool)
    moved[list(changed)] = True
    proposed_before = np.asarray(before.firsts, dtype=np.int64) * n + np.asarray(before.seconds, dtype=np.int64)
    fresh = moved[codes // n] | moved[codes % n] | ~_among(codes, proposed_before, np)
    i, j, score = index.alike_columns(codes[fresh] // n, codes[fresh] % n, at_least)
    old_i, old_j, old_score = (np.asarray(column) for column in before.alike)
    old = old_i.astype(np.int64) * n + old_j
    still = _among(old, codes[~fresh], np)  # proposed again, neither text changed
    both = np.concatenate([old[still], i * n + j])
    order = np.argsort(both, kind="stable")
    return Scored(index, at_least, firsts, seconds,
                  (both[order] // n, both[order] % n, np.concatenate([old_score[still], score])[order]))


def _among(values, ordered, np):
    """Whether each value is in `ordered` (sorted): np.isin hashes, fifty times slower."""
    at = np.minimum(np.searchsorted(ordered, values), max(len(ordered) - 1, 0))
    return ordered[at] == values if len(ordered) else np.zeros(len(values), dtype=bool)


def candidate_pairs(index: TextIndex, key_count: int, max_df: int, groups: Sequence[int]):
    """Pairs (i < j) of different groups (units) that share a distinctive term, as
    i × len(index) + j, sorted: a numpy array from a `matrix` index (distinct), a list
    from a dictionary one — the same pairs either way.

    Each text's keys are its `key_count` heaviest terms that at most `max_df` texts use
    and that some other group uses too (a term only one unit uses proposes nothing:
    a benefit's name in all its unit's titles). Each term's postings hold at most
    `max_df` texts, so the pairs are at most n × key_count × max_df: linear in the
    portfolio, whatever it holds.
    """
    if index._matrix is not None:
        return index._matrix.candidate_pairs(key_count, max_df, groups)
    return _candidate_pairs(index, key_count, max_df, groups)


def same_text_pairs(index: TextIndex, groups: Sequence[int], ids: Sequence[str], compared: int) -> list[int]:
    """Pairs (i < j, as i × len(index) + j, sorted) of the first `compared` texts, of
    different groups (units), that are the same once normalised: the same title words,
    or the same title and description words (as stems, in any order; glue words, case,
    punctuation and digits aside). They are proposed wherever they sit, whatever their
    words' frequency.

    Within each such bucket of texts, a star: its core — the text, of the group with
    fewest texts in the bucket, with the smallest id: the one comparing every pair would
    make the core (rules/duplicates.py `stars`) — paired with each text of another
    group. One pair per text and key at most: linear however crowded a pain point is."""
    n = len(index)
    if index._matrix is not None:
        import numpy as np

        buckets: list[list[int]] = []
        for keys in index._matrix.same_text_keys():
            keys = keys[:compared]
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else ordered
            sizes = np.diff(np.r_[starts, len(ordered)])
            for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
                if ordered[start]:  # 0: no title words, or no terms
                    buckets.append(order[start:start + size].tolist())
    else:
        found: dict[tuple, list[int]] = {}
        for row, (title, described) in enumerate(index.words[:compared]):
            title_stems = tuple(sorted(map(stem, title)))
            if title_stems:
                found.setdefault(title_stems, []).append(row)
            if title or described:
                found.setdefault((title_stems, tuple(sorted(map(stem, described)))), []).append(row)
        buckets = [rows for rows in found.values() if len(rows) > 1]
    codes: set[int] = set()
    for rows in buckets:
        sizes = Counter(groups[row] for row in rows)
        if len(sizes) < 2:
            continue
        core = min(rows, key=lambda row: (sizes[groups[row]], ids[row]))
        codes.update(min(row, core) * n + max(row, core) for row in rows if groups[row] != groups[core])
    return sorted(codes)


def _candidate_pairs(index: TextIndex, key_count: int, max_df: int, groups: Sequence[int]) -> list[int]:
    """`TextMatrix.candidate_pairs` with dictionaries: for a portfolio of a few thousand
    initiatives this takes less time than importing numpy and scipy."""
    df = index.df
    by_group: dict[int, list[dict[str, float]]] = {}
    for vector, group in zip(index.vectors, groups):
        by_group.setdefault(group, []).append(vector)
    units = Counter(chain.from_iterable(set().union(*vectors) for vectors in by_group.values()))
    # a key proposes pairs of different units: it is used by two units or more
    keys = {term for term, count in units.items() if count > 1 and df[term] <= max_df}.__contains__
    postings: dict[str, list[int]] = {}
    for row, vector in enumerate(index.vectors):
        # heaviest first, then by term: the matrix's order (its term ids are sorted terms)
        terms = list(compress(vector, map(keys, vector)))
        for _, term in sorted(zip(map(neg, map(vector.__getitem__, terms)), terms))[:key_count]:
            postings.setdefault(term, []).append(row)
    return sorted(set(pairs_within_blocks(postings.values(), groups)))


def pairs_within_blocks(blocks: Iterable[Sequence[int]], groups: Sequence[int]) -> list[int]:
    """The pairs i < j of different groups within each block of rows (each sorted), as
    i × len(groups) + j; a pair in two blocks comes twice."""
    n = len(groups)
    return [i * n + j for rows in blocks for x, i in enumerate(rows) for j in rows[x + 1:] if groups[i] != groups[j]]
