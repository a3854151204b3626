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
pair by pair with `math.fsum`; a large one's are sparse matrices (numpy, scipy.sparse,
imported only then), its texts read all at once and its pairs scored many at once, with
the same words, stems and sums (docs/duplicates.md, "How much work").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, count, repeat
from operator import mul
from typing import Any

# Texts are read up to these many characters (SPEC §9: bounded work whatever a file says).
MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 600
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
    """A word's weighted terms: its stem (as '=stem') and the padded 4-grams of the stem."""
    root = stem(word)
    padded = f"<{root}>"
    grams: dict[str, int] = {}  # a Counter costs more than the loop, for a dozen grams
    for k in range(max(1, len(padded) - GRAM + 1)):
        gram = padded[k:k + GRAM]
        grams[gram] = grams.get(gram, 0) + 1
    return (("=" + root, STEM_WEIGHT), *grams.items())


@lru_cache(maxsize=200_000)
def term_names(word: str) -> tuple[str, ...]:
    """A word's terms, without their weights."""
    return tuple(term for term, _ in terms(word))


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
                 known: dict[str, list[str]] | None = None) -> None:
        """`known`: the words of texts read before (a title or description → its words),
        for a language server whose edit changed a text or two: the others are not read
        again. `self.known` then holds the words of these texts, for the next index."""
        self._texts = texts
        self._parts = _parts(texts)
        self._words: list[tuple[list[str], list[str]]] | None = None
        self.known = known
        self._matrix = _Matrix(self._parts, known) if matrix else None  # reads the texts in bulk, not word lists
        self._held: dict[int, dict[str, list[str]]] = {}
        self._explained: dict[tuple[int, int, int], list[str]] = {}  # shared_words_many's answers
        if self._matrix is None:
            self._dictionaries()
        if known is not None:
            self.known = {part: known[part] for part in self._parts}

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
        counts: list[tuple[dict[str, float], dict[str, float]]] = []
        df: Counter[str] = Counter()
        for title_words, described in self.words:
            alone: dict[str, float] = {}
            for word in described:
                for term, times in terms(word):
                    alone[term] = alone.get(term, 0.0) + times
            full = dict(alone)
            for word in title_words:
                for term, times in terms(word):
                    full[term] = full.get(term, 0.0) + TITLE_WEIGHT * times
            counts.append((alone, full))
            df.update(full.keys())
        n = len(counts)
        self.df = df
        self.idf = {term: math.log((1 + n) / (1 + k)) + 1 for term, k in df.items()}
        self.descriptions = [self._weighted(alone) for alone, _ in counts]
        self.vectors = [self._weighted(full) for _, full in counts]
        # Only terms of two texts or more can be shared: pairs are scored on those alone.
        self._shared = [{t: w for t, w in v.items() if df[t] > 1} for v in self.vectors]
        self._shared_descriptions = [{t: w for t, w in v.items() if df[t] > 1} for v in self.descriptions]

    def _weighted(self, tf: dict[str, float]) -> dict[str, float]:
        vector = {t: (1 + math.log(c)) * self.idf[t] for t, c in tf.items()}
        norm = math.sqrt(math.fsum(w * w for w in vector.values())) or 1.0
        return {t: w / norm for t, w in vector.items()}

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
        return {k for k in range(len(self)) if self.vectors[k] != previous.vectors[k]
                or self.descriptions[k] != previous.descriptions[k]}

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
        full, alone = self._shared, self._shared_descriptions
        found: tuple[list[int], list[int], list[float]] = ([], [], [])
        for i, j in zip(firsts, seconds):
            score = _cosine(full[i], full[j])
            if alone[i] and alone[j]:
                score = max(score, _cosine(alone[i], alone[j]))
            if score >= at_least:
                found[0].append(i)
                found[1].append(j)
                found[2].append(score)
        return found

    def _holders(self, i: int) -> dict[str, list[str]]:
        """Term → the distinct words of text i that have it (kept: a text is in many pairs)."""
        if i not in self._held:
            title, described = self.words[i]
            holders: dict[str, list[str]] = {}
            for word in dict.fromkeys(title + described):
                for t in term_names(word):
                    holders.setdefault(t, []).append(word)
            self._held[i] = holders
        return self._held[i]

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
        """The words of text i that contribute most to its likeness to text j (title first)."""
        a, b = self.vector(i), self.vector(j)
        holders = self._holders(i)
        parts: dict[str, list[float]] = {}
        for t in a.keys() & b.keys():  # a few dozen terms, where text i has a few hundred
            for word in holders[t]:
                parts.setdefault(word, []).append(a[t] * b[t])
        scored = {word: math.fsum(products) for word, products in parts.items()}
        total = math.fsum(scored.values()) or 1.0
        best = sorted((w for w in scored if scored[w] >= 0.15 * total), key=lambda w: (-scored[w], w))
        return best[:most]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    # fsum is exactly rounded, so the same whichever text comes first; map() keeps the
    # loop in C (a small portfolio's every pair comes here).
    common = a.keys() & b.keys()
    return min(1.0, math.fsum(map(mul, map(a.__getitem__, common), map(b.__getitem__, common))))


# A large portfolio's texts are read as one string of UTF-8 bytes, not by one regex call
# per text: a 256-byte table folds A–Z (as casefold does) and makes every other ASCII byte
# that is no letter a space, so what is left are runs of a–z and of non-ASCII characters
# (whole ones: UTF-8 puts no ASCII byte inside a character); only a distinct run with a
# non-ASCII character is read by the word pattern (it may hold a dash, or a digit of
# another script). _END ends each text.
_END = b"\x00"
_RUNS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c >= 128 or c == 0 else 32 for c in range(256))


def _parts(texts: Sequence[tuple[str, str]]) -> list[str]:
    """Each text's title and description, as far as they are read."""
    return [part for title, description in texts
            for part in (title[:MAX_TITLE_CHARS], description[:MAX_DESCRIPTION_CHARS])]


def _read_again(parts: list[str], known: dict[str, list[str]], np) -> tuple[list[str], Any, Any]:
    """`_read`, each part's words taken from `known` when it has them; the others are read
    (and added to `known`) as `_read` reads them: a part's words do not depend on the
    other parts."""
    missing = [part for part in dict.fromkeys(parts) if part not in known]
    if missing:
        ordered, part, word = _read(missing, np)
        found: list[list[str]] = [[] for _ in missing]
        for k, w in zip(part.tolist(), word.tolist()):
            found[k].append(ordered[w])
        known.update(zip(missing, found))
    read = [known[part] for part in parts]
    ordered = sorted(set(chain.from_iterable(read)))
    word_id = dict(zip(ordered, range(len(ordered))))
    sizes = np.fromiter(map(len, read), np.int64, len(read))
    return (ordered, np.repeat(np.arange(len(read), dtype=np.int64), sizes),
            np.fromiter(map(word_id.__getitem__, chain.from_iterable(read)), np.int64, int(sizes.sum())))


def _read(parts: list[str], np) -> tuple[list[str], Any, Any]:
    """`words` of every part at once: (the distinct words, sorted; each word's part; its
    word id, its rank in that order). Within a part the words keep their order."""
    if any("\x00" in part for part in parts):
        parts = [part.replace("\x00", " ") for part in parts]  # neither is a letter: the same words
    first: dict[bytes, int] = {}  # a run → where it first comes: one dictionary operation per run
    numbered = count()
    # A few thousand parts at a time: the runs of all of them at once, as bytes objects,
    # took 380 MiB at 100,000 initiatives; each run's place is still counted over all.
    at = np.concatenate([np.zeros(0, dtype=np.int64)] + [
        np.fromiter(map(first.setdefault, runs, numbered), np.int64, len(runs))
        for runs in _runs(parts)])
    read = {run: [w for w in (_WORD.findall(run.decode("utf-8", "surrogatepass")) if not run.isascii()
                              else [run.decode()] if len(run) >= 3 else []) if w not in STOPWORDS]
            for run in first}
    ordered = sorted({w for found in read.values() for w in found})
    word_id = dict(zip(ordered, range(len(ordered))))
    # each distinct run's word ids, one after the other, and where each run's begin
    sizes = [len(found) for found in read.values()]
    begins = np.zeros(len(read) + 1, dtype=np.int64)
    np.cumsum(sizes, out=begins[1:])
    flat = np.array([word_id[w] for found in read.values() for w in found], dtype=np.int64)
    run_of = np.empty(len(at), dtype=np.int64)
    run_of[list(first.values())] = np.arange(len(first))
    run_of = run_of[at]
    ends = np.zeros(len(first), dtype=bool)
    if _END in first:
        ends[list(first).index(_END)] = True
    part = np.cumsum(ends[run_of])  # the ends before a run: its part
    owner, where = _segments(begins[run_of], begins[run_of + 1], np)
    return ordered, part[owner], flat[where]


_RUNS_AT_ONCE = 4_096  # parts
_ROWS_AT_ONCE = 8_192  # texts


def _runs(parts: list[str]) -> Iterator[list[bytes]]:
    """The runs of letters of the parts, _END after each but the last, a slice of parts at
    a time. `normalize`, but ASCII is left to the table."""
    for lo in range(0, len(parts), _RUNS_AT_ONCE):
        blob = " \x00 ".join([part if part.isascii() else unicodedata.normalize("NFKC", part).casefold()
                              for part in parts[lo:lo + _RUNS_AT_ONCE]])
        if lo + _RUNS_AT_ONCE < len(parts):
            blob += " \x00 "
        yield blob.encode("utf-8", "surrogatepass").translate(_RUNS).split()


def distinct(values, np):
    """The distinct values, sorted, as np.unique gives them, by a sort: numpy 2's np.unique
    hashes, which takes fifty times longer on a few hundred thousand integers."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _segments(begins, ends, np):
    """For slices [begins[k], ends[k]) of one array: each position's k, and the positions."""
    lengths = ends - begins
    owner = np.repeat(np.arange(len(begins)), lengths)
    return owner, np.repeat(begins - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))


def _term_table(stems: list[str], np) -> tuple[list[str], Any, Any]:
    """`terms` of the distinct stems (sorted) at once: (the term names, sorted; the term id
    of each stem's '=stem', then of each stem's 4-grams in turn; each stem's count of
    4-grams). The grams are cut and sorted as fixed-width strings by numpy, not one
    Python string each: a 100,000-initiative portfolio has half a million."""
    size = len(stems)
    lengths = np.fromiter(map(len, stems), np.int64, size) + 3  # "<stem>" and a NUL after it
    begins = np.cumsum(lengths) - lengths
    spans = np.maximum(1, lengths - GRAM)  # a padded stem of three characters is one "gram"
    # The NUL after each stem (and GRAM more at the end) ends a short stem's one gram: a
    # fixed-width string's trailing NULs are no characters, and no stem holds one.
    codes = np.frombuffer(("\x00".join([f"<{root}>" for root in stems]) + "\x00" * GRAM)
                          .encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    _, at = _segments(begins, begins + spans, np)
    grams = np.lib.stride_tricks.sliding_window_view(codes, GRAM)[at].copy().view(f"<U{GRAM}").ravel()
    order = np.argsort(grams)
    ranked = grams[order]
    new = np.r_[True, ranked[1:] != ranked[:-1]] if len(ranked) else np.zeros(0, dtype=bool)
    rank = np.empty(len(grams), dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    distinct = ranked[new]
    # Sorted, the grams that begin with "<" come before every "=stem" (in the stems'
    # order), and those that begin with a letter after them.
    before = int(np.searchsorted(distinct, "="))
    names = distinct[:before].tolist() + ["=" + root for root in stems] + distinct[before:].tolist()
    return names, np.r_[np.arange(before, before + size), np.where(rank < before, rank, rank + size)], spans


# A title's word counts this many of a description's in the product that counts both at
# once: a description (600 characters, 18 at most from one by NFKC) holds far fewer term
# occurrences, and the sums stay whole numbers far below 2**53, so both read back exactly.
_TITLES = float(1 << 20)


class _Matrix:
    """The vectors as two CSR matrices (whole texts, descriptions alone), rows L2-normalised.

    Term ids follow the terms' sorted order, so every row lists its terms in an order
    that does not depend on the order of the texts, and sums over a row (the norms, a
    pair's dot product) come out the same bits whatever order the files are read in.
    Word ids follow the words' sorted order too.
    """

    CHUNK = 20_000  # pairs scored at once (bounds the memory of the row copies)

    def __init__(self, parts: list[str], known: dict[str, list[str]] | None = None) -> None:
        """`parts`: each text's title and description (`_parts`)."""
        import numpy as np
        from scipy import sparse

        n = len(parts) // 2
        self.words, part, word = _read(parts, np) if known is None else _read_again(parts, known, np)
        # `terms` of every distinct stem at once: a stem × term matrix of counts.
        stem_of = _stemmer().stemWords(self.words)
        stems = sorted(set(stem_of))
        stem_id = dict(zip(stems, range(len(stems))))
        self._word_stem = np.fromiter(map(stem_id.__getitem__, stem_of), np.int64, len(stem_of))
        names, term, spans = _term_table(stems, np)
        self.names = np.array(names, dtype=object)
        width, size = len(names), len(stems)
        stem_terms = sparse.csr_matrix(
            (np.r_[np.full(size, STEM_WEIGHT), np.ones(len(term) - size)],
             (np.r_[np.arange(size), np.repeat(np.arange(size), spans)], term)), shape=(size, width))
        stem_terms.sum_duplicates()  # a gram twice in a stem counts two
        # text × stem counts times stem × term counts: the text × term counts, whole
        # numbers, exact whatever the order of summation. One product gives both matrices:
        # a description's word counts 1 and a title's _TITLES, so each count is the
        # description's + _TITLES × the title's, both read back exactly. The descriptions'
        # counts sit on the whole texts' terms, zero where a title has a term its
        # description lacks.
        text, stem = part >> 1, self._word_stem[word]
        both = sparse.csr_matrix((np.where(part & 1, 1.0, _TITLES), (text, stem)), shape=(n, size)) @ stem_terms
        both.sum_duplicates()
        both.sort_indices()
        described = np.fmod(both.data, _TITLES)
        counts = TITLE_WEIGHT * ((both.data - described) / _TITLES) + described
        full = sparse.csr_matrix((counts, both.indices, both.indptr), shape=both.shape)
        alone = sparse.csr_matrix((described, both.indices.copy(), both.indptr.copy()), shape=both.shape)
        del both, counts, described
        self._stem_terms, self._part, self._word = stem_terms, part.astype(np.int32), word.astype(np.int32)
        self.df = np.bincount(full.indices, minlength=width)
        known = distinct(self.df, np)
        idf_of = np.array([math.log((1 + n) / (1 + int(k))) + 1 for k in known])
        idf = idf_of[np.searchsorted(known, self.df)]
        # A weight of 0 (a term of the title alone) adds +0.0 to its row's norm, which
        # changes no bit; the zeros are dropped once weighed.
        self.full, self.alone = (self._weighted(m, idf, np) for m in (full, alone))
        self.alone.eliminate_zeros()
        self._vectors: dict[int, dict[str, float]] = {}

    @staticmethod
    def _weighted(counts, idf, np):
        """The counts made TF-IDF weights, each row L2-normalised, in place (a large
        portfolio's counts are not needed again), some rows at a time: all at once, the
        temporary arrays took 300 MiB at 100,000 initiatives. A row's sum is the same
        either way (bincount adds in order)."""
        tf_of = np.array([0.0] + [1 + math.log(c) for c in range(1, int(counts.data.max(initial=0)) + 1)])
        data, indptr = counts.data, counts.indptr
        for lo in range(0, counts.shape[0], _ROWS_AT_ONCE):
            hi = min(lo + _ROWS_AT_ONCE, counts.shape[0])
            begin, end = indptr[lo], indptr[hi]
            weights = tf_of[data[begin:end].astype(np.int64)] * idf[counts.indices[begin:end]]
            rows = np.repeat(np.arange(hi - lo), np.diff(indptr[lo:hi + 1]))
            norm = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=hi - lo))
            norm[norm == 0] = 1.0
            data[begin:end] = weights / norm[rows]
        return counts

    def vector(self, i: int) -> dict[str, float]:
        if i not in self._vectors:
            begin, end = self.full.indptr[i], self.full.indptr[i + 1]
            self._vectors[i] = dict(zip(self.names[self.full.indices[begin:end]].tolist(),
                                        self.full.data[begin:end].tolist()))
        return self._vectors[i]

    def changed_rows(self, previous: _Matrix) -> set[int]:
        """TextIndex.changed_rows, on matrices with as many rows. Term ids are the sorted
        terms' ranks in each matrix: the previous ids are translated first (-1 for a term
        gone), and as the order of terms is kept, two rows with as many entries are the
        same vector when they agree entry by entry, in place."""
        import numpy as np

        term_id = dict(zip(self.names.tolist(), range(len(self.names))))
        translated = np.fromiter(map(term_id.get, previous.names.tolist(), repeat(-1)), np.int64, len(previous.names))
        rows = self.full.shape[0]
        changed = np.zeros(rows, dtype=bool)
        for new, old in ((self.full, previous.full), (self.alone, previous.alone)):
            sizes = np.diff(new.indptr)
            alike_sizes = sizes == np.diff(old.indptr)
            changed |= ~alike_sizes
            row = np.repeat(np.arange(rows), sizes)
            kept_new, kept_old = alike_sizes[row], alike_sizes[np.repeat(np.arange(rows), np.diff(old.indptr))]
            differ = ((new.indices[kept_new] != translated[old.indices[kept_old]])
                      | (new.data[kept_new] != old.data[kept_old]))
            changed[row[kept_new][differ]] = True
        return set(np.flatnonzero(changed).tolist())

    def _distinct(self, texts, np):
        """The distinct words of `texts` (the others get none), each text's in the order they
        first come, title first: (where each text's begin, as CSR row pointers; word ids)."""
        n = self.full.shape[0]
        wanted = np.zeros(n, dtype=bool)
        wanted[texts] = True
        kept = wanted[self._part >> 1]
        part, word = self._part[kept].astype(np.int64), self._word[kept].astype(np.int64)
        order = np.argsort(part, kind="stable")
        text, word = part[order] >> 1, word[order]
        _, first = np.unique(text * max(1, len(self.words)) + word, return_index=True)
        first.sort()
        text, word = text[first], word[first]
        return np.r_[0, np.cumsum(np.bincount(text, minlength=n))], word

    def shared_words(self, firsts: Sequence[int], seconds: Sequence[int], most: int) -> list[list[str]]:
        """TextIndex.shared_words for many pairs: each distinct word of text i scored by the
        products of its terms' weights in i and j, summed in term order (not fsum: the same
        bits whatever the order of the texts, but a tie may fall apart where fsum's would not)."""
        import numpy as np

        full, stem_terms, width = self.full, self._stem_terms, self.full.shape[1]
        firsts, seconds = np.asarray(firsts, dtype=np.int64), np.asarray(seconds, dtype=np.int64)
        begin, words_of = self._distinct(distinct(firsts, np), np)
        chosen: list[list[str]] = []
        for lo in range(0, len(firsts), self.CHUNK // 2):
            i, j = firsts[lo:lo + self.CHUNK // 2], seconds[lo:lo + self.CHUNK // 2]
            # a slot per pair and distinct word of its text i; an entry per slot and term of the word
            slot_pair, at = _segments(begin[i], begin[i + 1], np)
            slot_word = words_of[at]
            stem = self._word_stem[slot_word]
            entry_slot, at = _segments(stem_terms.indptr[stem], stem_terms.indptr[stem + 1], np)
            term = stem_terms.indices[at]  # sorted within each slot: its terms in term order
            # the products of the terms both texts use, looked up by (pair, term)
            both = full[i].multiply(full[j]).tocsr()
            both.sort_indices()
            keys = np.repeat(np.arange(len(i), dtype=np.int64), np.diff(both.indptr)) * width + both.indices
            wanted = slot_pair[entry_slot] * width + term
            if len(keys):
                at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
                products = np.where(keys[at] == wanted, both.data[at], 0.0)
            else:
                products = np.zeros(len(wanted))
            scored = np.bincount(entry_slot, weights=products, minlength=len(slot_word))
            total = np.bincount(slot_pair, weights=scored, minlength=len(i))
            total[total == 0] = 1.0
            keep = np.flatnonzero((scored > 0) & (scored >= 0.15 * total[slot_pair]))
            keep = keep[np.lexsort((slot_word[keep], -scored[keep], slot_pair[keep]))]  # ids are ranks
            picked: list[list[str]] = [[] for _ in range(len(i))]
            for k, w in zip(slot_pair[keep].tolist(), slot_word[keep].tolist()):
                if len(picked[k]) < most:
                    picked[k].append(self.words[w])
            chosen.extend(picked)
        return chosen

    def alike(self, firsts: Sequence[int], seconds: Sequence[int], at_least: float):
        """TextIndex.alike_columns, as numpy arrays."""
        import numpy as np

        firsts, seconds = np.asarray(firsts, dtype=np.int64), np.asarray(seconds, dtype=np.int64)
        found = []
        for lo in range(0, len(firsts), self.CHUNK):
            i, j = firsts[lo:lo + self.CHUNK], seconds[lo:lo + self.CHUNK]
            scores = np.maximum(*(np.minimum(1.0, np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel())
                                  for m in (self.full, self.alone)))
            keep = np.flatnonzero(scores >= at_least)
            found.append((i[keep], j[keep], scores[keep]))
        return tuple(np.concatenate([part[k] for part in found] or [np.zeros(0, dtype)])
                     for k, dtype in enumerate((np.int64, np.int64, np.float64)))

    def candidate_pairs(self, key_count: int, max_df: int, groups: Sequence[int]):
        import numpy as np

        full, df = self.full, self.df
        group = np.asarray(groups, dtype=np.int64)
        rows = np.repeat(np.arange(full.shape[0]), np.diff(full.indptr))
        cols, weights = full.indices.astype(np.int64), full.data
        usable = (df[cols] >= 2) & (df[cols] <= max_df)
        # a term only one unit uses proposes nothing: each term's distinct units, counted
        units = int(group.max(initial=0)) + 1
        used = distinct(cols[usable] * units + group[rows[usable]], np) // units
        usable &= (np.bincount(used, minlength=len(df)) >= 2)[cols]
        rows, cols, weights = rows[usable], cols[usable], weights[usable]
        # per row, heaviest first, then by term: rows are in order and each row's terms in
        # term order, so one stable sort by weight and one by row do it
        order = np.argsort(-weights, kind="stable")
        order = order[np.argsort(rows[order], kind="stable")]
        rows, cols = rows[order], cols[order]
        first = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, bool)
        place = np.arange(len(rows)) - np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))
        rows, cols = rows[place < key_count], cols[place < key_count]
        order = np.argsort(cols * full.shape[0] + rows)  # by term, then by row: each (row, term) once
        return _pairs_within(rows[order], cols[order], group, np)


def _pairs_within(members, keys, group, np):
    """Pairs (i < j, as i * n + j, unsorted, a pair sharing two keys twice) of members of
    different groups that share a key; `members` sorted by key, then by member."""
    n = len(group)
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    codes = [np.zeros(0, dtype=np.int64)]
    for size in distinct(sizes[sizes > 1], np).tolist():
        block = members[starts[sizes == size][:, None] + np.arange(size)]
        a, b = np.triu_indices(size, 1)
        i, j = block[:, a].ravel(), block[:, b].ravel()
        keep = group[i] != group[j]
        codes.append(i[keep] * n + j[keep])
    return np.concatenate(codes)


@dataclass(frozen=True)
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
    i × len(index) + j: a numpy array (unsorted, with repeats) from a `matrix` index, a
    sorted list from a dictionary one — the same pairs either way.

    Each text's keys are its `key_count` heaviest terms that at most `max_df` texts use
    and that some other group uses too (a term only one unit uses proposes nothing:
    a benefit's name in all its unit's titles). Each term's postings hold at most
    `max_df` texts, so the pairs are at most n × key_count × max_df: linear in the
    portfolio, whatever it holds.
    """
    if index._matrix is not None:
        return index._matrix.candidate_pairs(key_count, max_df, groups)
    return _candidate_pairs(index, key_count, max_df, groups)


def _candidate_pairs(index: TextIndex, key_count: int, max_df: int, groups: Sequence[int]) -> list[int]:
    """`_Matrix.candidate_pairs` with dictionaries: for a portfolio of a few thousand
    initiatives this takes less time than importing numpy and scipy."""
    multi = -1
    unit_of: dict[str, int] = {}  # term → the one group using it, or `multi`
    df = index.df
    for vector, group in zip(index.vectors, groups):
        for term in vector:
            if 2 <= df[term] <= max_df:
                seen = unit_of.setdefault(term, group)
                if seen != group:
                    unit_of[term] = multi
    postings: dict[str, list[int]] = {}
    for row, vector in enumerate(index.vectors):
        # heaviest first, then by term: the matrix's order (its term ids are sorted terms)
        keys = sorted((-weight, term) for term, weight in vector.items() if unit_of.get(term) == multi)
        for _, term in keys[:key_count]:
            postings.setdefault(term, []).append(row)
    return sorted(set(pairs_within_blocks(postings.values(), groups)))


def pairs_within_blocks(blocks: Iterable[Sequence[int]], groups: Sequence[int]) -> list[int]:
    """The pairs i < j of different groups within each block of rows (each sorted), as
    i × len(groups) + j; a pair in two blocks comes twice."""
    n = len(groups)
    return [i * n + j for rows in blocks for x, i in enumerate(rows) for j in rows[x + 1:] if groups[i] != groups[j]]
