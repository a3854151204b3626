"""A large portfolio's TF-IDF vectors as sparse matrices (numpy, scipy.sparse): the same
words, stems, terms and sums as similarity.py's dictionaries, computed for every text at
once, and a language server's update of them after an edit (`TextMatrix.updated`).

numpy and scipy are imported by the functions that use them (`np` is handed down): a
small portfolio never loads them.
"""

from __future__ import annotations

import math
import unicodedata
import weakref
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, count, repeat
from operator import ne
from typing import Any

from cxportfolio.rules.similarity import _WORD, GRAM, STEM_WEIGHT, STOPWORDS, TITLE_WEIGHT, _stemmer, idf_weights
from cxportfolio.rules.similarity import stem_terms as terms_of_stem  # apart from the stem × term matrices

# A large portfolio's texts are read as one string of UTF-8 bytes, not by one regex call
# per text: a 256-byte table folds A–Z (as casefold does) and makes every other ASCII byte
# that is no letter a space, so what is left are runs of a–z and of non-ASCII characters
# (whole ones: UTF-8 puts no ASCII byte inside a character); only a distinct run with a
# non-ASCII character is read by the word pattern (it may hold a dash, or a digit of
# another script). _END ends each text.
_END = b"\x00"
_RUNS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c >= 128 or c == 0 else 32 for c in range(256))


def _read_again(parts: list[str], known: dict[str, list[str]], np) -> tuple[list[str], Any, Any]:
    """`_read`, each part's words taken from `known` when it has them; the others are read
    (and added to `known`) as `_read` reads them: a part's words do not depend on the
    other parts."""
    _read_missing(parts, known, np)
    read = [known[part] for part in parts]
    ordered = sorted(set(chain.from_iterable(read)))
    word_id = dict(zip(ordered, range(len(ordered))))
    sizes = np.fromiter(map(len, read), np.int64, len(read))
    return (ordered, np.repeat(np.arange(len(read), dtype=np.int64), sizes),
            np.fromiter(map(word_id.__getitem__, chain.from_iterable(read)), np.int64, int(sizes.sum())))


def _read_missing(parts: list[str], known: dict[str, list[str]], np) -> None:
    """Adds to `known` the words of the parts it lacks, as `_read` reads them."""
    missing = [part for part in dict.fromkeys(parts) if part not in known]
    if missing:
        ordered, part, word = _read(missing, np)
        found: list[list[str]] = [[] for _ in missing]
        for k, w in zip(part.tolist(), word.tolist()):
            found[k].append(ordered[w])
        known.update(zip(missing, found))


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


def _find(ordered: Sequence[str], item: str) -> int:
    """Where `item` is in `ordered` (sorted), or -1."""
    at = bisect_left(ordered, item)
    return at if at < len(ordered) and ordered[at] == item else -1


def _vocabulary(old: list[str], uses, incoming: Iterable[str], np) -> tuple[list[str], Any, Any]:
    """`_relabel` of a sorted vocabulary (words, stems, terms) after an edit: `uses`
    counts, for each old item, what still uses it apart from the edited parts (an item at
    0 goes, unless `incoming` — what the edited parts bring — has it); the incoming items
    that are not old are added."""
    fresh = set()
    for item in incoming:
        at = _find(old, item)
        if at < 0:
            fresh.add(item)
        else:
            uses[at] += 1
    return _relabel(old, uses > 0, sorted(fresh), np)


def _entries(matrix, rows, np):
    """The entries of these rows of a CSR matrix: (each entry's place in `rows`, its place
    in the matrix's arrays)."""
    return _segments(matrix.indptr[rows], matrix.indptr[rows + 1], np)


def _relabel(old: list[str], keep, fresh: list[str], np) -> tuple[list[str], Any, Any]:
    """The sorted list of `old`'s items that `keep` keeps and of `fresh` (sorted, none in
    `old`): (the list; each old item's place in it, -1 if gone; the fresh items' places).
    Places of the items kept keep their order: ids translated through it stay sorted."""
    gone = np.flatnonzero(~keep).tolist()
    if not gone and not fresh:
        return old, np.arange(len(old)), np.zeros(0, np.int64)
    new = old + fresh
    for at in reversed(gone):  # an edit takes away a word or two
        del new[at]
    new.sort()  # two sorted runs: merged in linear time
    places = np.array([bisect_left(new, item) for item in fresh], np.int64)
    free = np.ones(len(new), dtype=bool)
    free[places] = False
    mapping = np.full(len(old), -1, np.int64)
    mapping[np.flatnonzero(keep)] = np.flatnonzero(free)
    return new, mapping, places


def _counted(part, stem, stem_terms, texts: int):
    """The text × term counts of the words (each word's part and stem) as one CSR matrix,
    indices sorted: text × stem counts times stem × term counts, whole numbers, exact
    whatever the order of summation. One product counts both the whole text and its
    description: a description's word counts 1 and a title's _TITLES, so each count is
    the description's + _TITLES × the title's, both read back exactly (`_vectors`). The
    descriptions' counts sit on the whole texts' terms, zero where a title has a term
    its description lacks."""
    import numpy as np
    from scipy import sparse

    both = sparse.csr_matrix((np.where(part & 1, 1.0, _TITLES), (part >> 1, stem)),
                             shape=(texts, stem_terms.shape[0])) @ stem_terms
    both.sum_duplicates()
    both.sort_indices()
    return both


def _vectors(both, idf, np):
    """The whole texts' and the descriptions' vectors from their counts (`_counted`), as
    two CSR matrices of L2-normalised TF-IDF weights."""
    from scipy import sparse

    described = np.fmod(both.data, _TITLES)
    counts = TITLE_WEIGHT * ((both.data - described) / _TITLES) + described
    full = sparse.csr_matrix((counts, both.indices, both.indptr), shape=both.shape)
    alone = sparse.csr_matrix((described, both.indices.copy(), both.indptr.copy()), shape=both.shape)
    # A weight of 0 (a term of the title alone) adds +0.0 to its row's norm, which
    # changes no bit; the zeros are dropped once weighed.
    full, alone = (TextMatrix._weighted(m, idf, np) for m in (full, alone))
    alone.eliminate_zeros()
    return full, alone


def _rows(matrix, rows, np):
    """`matrix[rows]` (CSR, `rows` sorted), cut by numpy: scipy's indexing costs more
    than the few rows an edit asks for."""
    from scipy import sparse

    _, at = _entries(matrix, rows, np)
    return sparse.csr_matrix((matrix.data[at], matrix.indices[at], np.r_[0, np.cumsum(np.diff(matrix.indptr)[rows])]),
                             shape=(len(rows), matrix.shape[1]))


def _spliced(old, term_map, rows_new, rows, width: int, np):
    """`old` (CSR) with its term ids translated by `term_map`, but the `rows` (sorted)
    taken from `rows_new` (one row each, in order): a few slices of arrays joined."""
    from scipy import sparse

    n = old.shape[0]
    translated, data = term_map[old.indices], old.data
    sizes = np.diff(old.indptr)
    sizes[rows] = np.diff(rows_new.indptr)
    if len(rows) > _ROWS_SLICED:  # many rows: one gather, from the old entries and the new after them
        starts = old.indptr[:-1].copy()
        starts[rows] = len(data) + rows_new.indptr[:-1]
        _, at = _segments(starts, starts + sizes, np)
        return sparse.csr_matrix((np.r_[data, rows_new.data][at], np.r_[translated, rows_new.indices][at],
                                  np.r_[0, np.cumsum(sizes)]), shape=(n, width))
    begins, new_begins = old.indptr.tolist(), rows_new.indptr.tolist()
    pieces: list[tuple[Any, Any]] = []
    at = 0
    for k, row in enumerate(rows.tolist() + [n]):
        pieces.append((translated[begins[at]:begins[row]], data[begins[at]:begins[row]]))
        if row < n:
            lo, hi = new_begins[k], new_begins[k + 1]
            pieces.append((rows_new.indices[lo:hi], rows_new.data[lo:hi]))
        at = row + 1
    return sparse.csr_matrix((np.concatenate([d for _, d in pieces]), np.concatenate([i for i, _ in pieces]),
                              np.r_[0, np.cumsum(sizes)]), shape=(n, width))


_ROWS_SLICED = 32  # rows replaced one slice at a time; more, by one gather

# Up to this many parts (or a fiftieth of them) edited, `TextMatrix.updated` builds on the
# previous matrix; more, and it costs as much as building anew.
_EDITED_AT_MOST = 16


# A title's word counts this many of a description's in the product that counts both at
# once: a description (600 characters, 18 at most from one by NFKC) holds far fewer term
# occurrences, and the sums stay whole numbers far below 2**53, so both read back exactly.
_TITLES = float(1 << 20)


class TextMatrix:
    """The vectors as two CSR matrices (whole texts, descriptions alone), rows L2-normalised.

    Term ids follow the terms' sorted order, so every row lists its terms in an order
    that does not depend on the order of the texts, and sums over a row (the norms, a
    pair's dot product) come out the same bits whatever order the files are read in.
    Word ids follow the words' sorted order too.
    """

    CHUNK = 20_000  # pairs scored at once (bounds the memory of the row copies)

    def __init__(self, parts: list[str], known: dict[str, list[str]] | None = None) -> None:
        """`parts`: each text's title and description (`_parts`). With `known` (a language
        server's words of texts read before), the matrix keeps what `updated` needs."""
        import numpy as np
        from scipy import sparse

        self.words, part, word = _read(parts, np) if known is None else _read_again(parts, known, np)
        # `terms` of every distinct stem at once: a stem × term matrix of counts.
        stem_of = _stemmer().stemWords(self.words)
        self._stems = sorted(set(stem_of))
        size = len(self._stems)
        stem_id = dict(zip(self._stems, range(size)))
        self._word_stem = np.fromiter(map(stem_id.__getitem__, stem_of), np.int64, len(stem_of))
        names, term, spans = _term_table(self._stems, np)
        stem_terms = sparse.csr_matrix(
            (np.r_[np.full(size, STEM_WEIGHT), np.ones(len(term) - size)],
             (np.r_[np.arange(size), np.repeat(np.arange(size), spans)], term)), shape=(size, len(names)))
        stem_terms.sum_duplicates()  # a gram twice in a stem counts two
        self._weigh(parts, names, stem_terms, part, word, _counted(part, self._word_stem[word], stem_terms, len(parts) // 2),
                    keep=known is not None)

    def _weigh(self, parts: list[str], names: list[str], stem_terms, part, word, both, keep: bool,
               edited: tuple[TextMatrix, list[int], Any] | None = None) -> None:
        """The vectors from `both`, the texts' counts (`_counted`); `keep`: hold on to what
        `updated` reads (a language server's matrix); `edited`: (the previous matrix, the
        texts edited since, its term ids' new ones), when updated from it."""
        import numpy as np

        n, width = both.shape
        self.names = np.array(names, dtype=object)
        self._stem_terms, self._part, self._word = stem_terms, part.astype(np.int32), word.astype(np.int32)
        # what `updated` reads; a large portfolio's `check` keeps none of it
        self._kept = (parts, names, both) if keep else None
        # (a weak reference to the previous matrix, the rows that may differ, its term ids'
        # new ones, the texts edited)
        self._origin: tuple[Any, Any, Any, Any] | None = None
        self._keys: tuple[Any, ...] | None = None  # candidate_pairs' work, for the next update
        self._vectors: dict[int, dict[str, float]] = {}
        self.df = np.bincount(both.indices, minlength=width)
        known = distinct(self.df, np)
        idf_of = np.array(idf_weights(n, map(int, known)))
        idf = idf_of[np.searchsorted(known, self.df)]
        if edited is None:
            self.full, self.alone = _vectors(both, idf, np)
            return
        # Updated: only the rows whose vectors may differ are weighed — the edited texts,
        # and those with a term whose document frequency (so weight) changed; the others
        # are the previous rows under the new term ids. changed_rows compares only these.
        previous, texts, term_map = edited
        old_df = np.zeros(width, np.int64)
        old_df[term_map[term_map >= 0]] = previous.df[term_map >= 0]
        moved = self.df != old_df
        row_of = np.repeat(np.arange(n), np.diff(both.indptr))
        maybe = distinct(np.r_[np.array(texts, np.int64), row_of[moved[both.indices]]], np)
        full, alone = _vectors(_rows(both, maybe, np), idf, np)
        self.full = _spliced(previous.full, term_map, full, maybe, width, np)
        self.alone = _spliced(previous.alone, term_map, alone, maybe, width, np)
        self._origin = (weakref.ref(previous), maybe, term_map, np.array(texts, np.int64))

    @classmethod
    def updated(cls, previous: TextMatrix, parts: list[str], known: dict[str, list[str]]) -> TextMatrix | None:
        """`TextMatrix(parts, known)`, built from `previous` where an edit changed a few
        parts: every array the same, to the bit (tests/test_text_matrix.py). The words,
        stems and terms of the parts left as they were are not looked up again; their
        counts are the previous ones under the new term ids (which keep the terms' order),
        and the others' are counted. None when `previous` kept nothing to build on, has
        another number of parts, or too many changed to gain."""
        import numpy as np
        from scipy import sparse

        if previous._kept is None or len(previous._kept[0]) != len(parts):
            return None
        before, old_names, old_both = previous._kept
        edited = [k for k, differ in enumerate(map(ne, parts, before)) if differ]
        if len(edited) > max(_EDITED_AT_MOST, len(parts) // 50):
            return None
        _read_missing([parts[k] for k in edited], known, np)
        fresh_read = [known[parts[k]] for k in edited]
        old_begins = np.r_[0, np.cumsum(np.bincount(previous._part, minlength=len(parts)))]
        old_word = previous._word.astype(np.int64)
        # Words: those no part uses any more go, those of the edited parts are looked up.
        gone_tokens = np.concatenate([np.zeros(0, np.int64)] + [old_word[old_begins[k]:old_begins[k + 1]] for k in edited])
        uses = np.bincount(old_word, minlength=len(previous.words)) - np.bincount(gone_tokens, minlength=len(previous.words))
        words, word_map, word_new = _vocabulary(previous.words, uses, chain.from_iterable(fresh_read), np)
        fresh_words = [words[k] for k in word_new.tolist()]
        # The parts' words as (part, word id), the unedited ones as they were.
        pieces: list[tuple[Any, Any]] = []
        at = 0
        for k, read in zip(edited + [len(parts)], fresh_read + [[]]):
            lo, hi = old_begins[at], old_begins[k]
            pieces.append((previous._part[lo:hi], word_map[old_word[lo:hi]]))
            if k < len(parts):
                pieces.append((np.full(len(read), k, np.int64), np.array([_find(words, w) for w in read], np.int64)))
            at = k + 1
        part = np.concatenate([p for p, _ in pieces]).astype(np.int64)
        word = np.concatenate([w for _, w in pieces]).astype(np.int64)
        # Stems: those of the words gone may go, those of the new words may come.
        old_word_stem = previous._word_stem
        stem_uses = (np.bincount(old_word_stem, minlength=len(previous._stems))
                     - np.bincount(old_word_stem[word_map < 0], minlength=len(previous._stems)))
        fresh_stem_of = _stemmer().stemWords(fresh_words) if fresh_words else []
        stems, stem_map, stem_new = _vocabulary(previous._stems, stem_uses, fresh_stem_of, np)
        word_stem = np.empty(len(words), np.int64)
        kept_words = np.flatnonzero(word_map >= 0)
        word_stem[word_map[kept_words]] = stem_map[old_word_stem[kept_words]]
        word_stem[word_new] = [_find(stems, root) for root in fresh_stem_of]
        # Terms: those of the stems gone may go, those of the new stems may come.
        old_terms = previous._stem_terms
        old_row = np.repeat(np.arange(old_terms.shape[0]), np.diff(old_terms.indptr))
        term_uses = (np.bincount(old_terms.indices, minlength=len(old_names))
                     - np.bincount(old_terms.indices[stem_map[old_row] < 0], minlength=len(old_names)))
        new_stem_terms = [terms_of_stem(stems[k]) for k in stem_new.tolist()]
        names, term_map, _ = _vocabulary(old_names, term_uses, (name for found in new_stem_terms for name, _ in found),
                                         np)
        kept = stem_map[old_row] >= 0
        rows = np.r_[stem_map[old_row[kept]], np.repeat(stem_new, [len(found) for found in new_stem_terms])]
        cols = np.r_[term_map[old_terms.indices[kept]],
                     np.array([_find(names, name) for found in new_stem_terms for name, _ in found], np.int64)]
        data = np.r_[old_terms.data[kept], np.array([w for found in new_stem_terms for _, w in found], np.float64)]
        order = np.argsort(rows * len(names) + cols, kind="stable")
        stem_terms = sparse.csr_matrix(
            (data[order], cols[order], np.r_[0, np.cumsum(np.bincount(rows, minlength=len(stems)))]),
            shape=(len(stems), len(names)))
        # Counts: the edited texts' counted again, the others' under the new term ids.
        texts = sorted({k >> 1 for k in edited})
        n = len(parts) // 2
        picked = np.zeros(n, dtype=bool)
        picked[texts] = True
        chosen = picked[part >> 1]
        rank = np.cumsum(picked) - 1
        counted = _counted(np.where(chosen, rank[part >> 1] * 2 + (part & 1), 0)[chosen], word_stem[word[chosen]],
                           stem_terms, len(texts))
        both = _spliced(old_both, term_map, counted, np.array(texts, np.int64), len(names), np)
        matrix = cls.__new__(cls)
        matrix.words, matrix._stems, matrix._word_stem = words, stems, word_stem
        matrix._weigh(parts, names, stem_terms, part, word, both, keep=True, edited=(previous, texts, term_map))
        return matrix

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

    def changed_rows(self, previous: TextMatrix) -> set[int]:
        """TextIndex.changed_rows, on matrices with as many rows. Term ids are the sorted
        terms' ranks in each matrix: the previous ids are translated first (-1 for a term
        gone), and as the order of terms is kept, two rows with as many entries are the
        same vector when they agree entry by entry, in place. A matrix `updated` from
        `previous` compares only the rows its update may have changed."""
        import numpy as np

        origin = self._origin
        if origin is not None and origin[0]() is previous:
            _, rows, translated, _ = origin
        else:
            term_id = dict(zip(self.names.tolist(), range(len(self.names))))
            translated = np.fromiter(map(term_id.get, previous.names.tolist(), repeat(-1)), np.int64,
                                     len(previous.names))
            rows = np.arange(self.full.shape[0])
        changed = np.zeros(self.full.shape[0], dtype=bool)
        for new, old in ((self.full, previous.full), (self.alone, previous.alone)):
            sizes = new.indptr[rows + 1] - new.indptr[rows]
            alike = sizes == old.indptr[rows + 1] - old.indptr[rows]
            changed[rows[~alike]] = True
            same = rows[alike]
            owner, at_new = _entries(new, same, np)
            _, at_old = _entries(old, same, np)
            differ = (new.indices[at_new] != translated[old.indices[at_old]]) | (new.data[at_new] != old.data[at_old])
            changed[same[owner[differ]]] = True
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
            # a word counts when text j has at least half of its terms (TextIndex.shared_words)
            found = np.bincount(entry_slot, weights=products > 0, minlength=len(slot_word))
            scored[2 * found < np.bincount(entry_slot, minlength=len(slot_word))] = 0.0
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

    def same_text_keys(self):
        """Two keys of each text (uint64 arrays), each equal for texts that are the same
        once normalised: the bag of its title's word stems, and the bags of its title's
        and its description's; 0 for a text without title words, or without words. They
        are hashes (sums of each stem's mixed id), so two texts that differ may share one
        (rarely): that proposes a pair more to score, no more."""
        import numpy as np

        n = self.full.shape[0]
        bags = np.zeros(2 * n, np.uint64)  # each part's
        np.add.at(bags, self._part.astype(np.int64), _mixed(self._word_stem[self._word].astype(np.uint64), np))
        titles, descriptions = bags[0::2], bags[1::2]
        wholes = _mixed(titles ^ _mixed(descriptions, np), np)
        wholes[(titles == 0) & (descriptions == 0)] = 0
        return titles, wholes

    def candidate_pairs(self, key_count: int, max_df: int, groups: Sequence[int]):
        """similarity.candidate_pairs, distinct and sorted. A matrix `updated` from one that
        answered it (the same key_count, max_df and groups) computes again only the keys of
        the rows they may have changed for — those whose weights may differ, and those with
        a term that some other unit now uses, or no longer uses — and the pairs of those
        rows; every other pair is as before (tests/test_text_matrix.py)."""
        import numpy as np

        group = np.asarray(groups, dtype=np.int64)
        params = (key_count, max_df)
        if self._keys is not None and self._keys[0] == params and np.array_equal(self._keys[1], group):
            return self._keys[5]  # asked again (the small blocks changed, not the texts)
        origin = self._origin
        previous = origin[0]() if origin is not None else None
        cached = previous._keys if previous is not None else None
        if cached is not None and cached[0] == params and np.array_equal(cached[1], group):
            multi, rows, cols, pairs = self._keys_again(cached, key_count, max_df, group, np)
        else:
            multi = self._multi_unit(None, group, np)
            rows, cols = self._keys_of(None, multi, key_count, max_df, np)
            pairs = distinct(_pairs_within(rows, cols, group, np), np)
        if self._kept is not None:  # a language server's matrix: the next update builds on it
            self._keys = (params, group, multi, rows, cols, pairs)
        return pairs

    def _multi_unit(self, terms, group, np):
        """Whether each term (of `terms`, a boolean mask; all when None) is used by texts of
        two groups or more."""
        full = self.full
        units = int(group.max(initial=0)) + 1
        # (term, unit) keys in 32 bits when they fit: half the memory of the largest arrays
        kind = np.int32 if full.shape[1] * units < 2**31 and full.shape[0] < 2**31 else np.int64
        if terms is None:  # every entry
            rows, cols = np.repeat(np.arange(full.shape[0], dtype=kind), np.diff(full.indptr)), full.indices
        else:
            entry = np.flatnonzero(terms[full.indices])
            rows, cols = np.searchsorted(full.indptr, entry, side="right") - 1, full.indices[entry]
        used = distinct(cols.astype(kind) * kind(units) + group.astype(kind)[rows], np) // units
        return np.bincount(used, minlength=full.shape[1]) >= 2

    def _keys_of(self, texts, multi, key_count: int, max_df: int, np):
        """Each text's (of `texts`, sorted; all when None) keys — its `key_count` heaviest
        terms that 2 to `max_df` texts use, and texts of two groups (`multi`) — as (rows,
        terms) sorted by term, then row."""
        full, df = self.full, self.df
        key_term = (df >= 2) & (df <= max_df) & multi  # per term: one mask, not one per entry
        if texts is None:
            usable = key_term[full.indices]
            rows = np.repeat(np.arange(full.shape[0]), np.diff(full.indptr))[usable]
            cols, weights = full.indices[usable].astype(np.int64), full.data[usable]
        else:
            owner, at = _entries(full, texts, np)
            rows, cols, weights = texts[owner], full.indices[at].astype(np.int64), full.data[at]
            usable = key_term[cols]
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
        return rows[order], cols[order]

    def _keys_again(self, cached, key_count: int, max_df: int, group, np):
        """`candidate_pairs`' (multi, rows, cols, pairs) from the previous matrix's."""
        _, _, old_multi, old_rows, old_cols, old_pairs = cached
        previous, maybe, term_map, texts = self._origin[0](), *self._origin[1:]  # type: ignore[index]
        n, width = self.full.shape
        # Which terms some other unit uses changes only for the terms of the edited texts.
        touched = np.zeros(width, dtype=bool)
        touched[self.full.indices[_entries(self.full, texts, np)[1]]] = True
        before = term_map[previous.full.indices[_entries(previous.full, texts, np)[1]]]
        touched[before[before >= 0]] = True
        was = np.zeros(width, dtype=bool)
        kept_terms = term_map >= 0
        was[term_map[kept_terms]] = old_multi[kept_terms]
        multi = was.copy()
        multi[touched] = self._multi_unit(touched, group, np)[touched]
        flipped = multi != was
        # The rows whose keys may change: weights changed, or a term's units did.
        redo = np.zeros(n, dtype=bool)
        redo[maybe] = True
        redo[np.searchsorted(self.full.indptr, np.flatnonzero(flipped[self.full.indices]), side="right") - 1] = True
        again = np.flatnonzero(redo)
        new_rows, new_cols = self._keys_of(again, multi, key_count, max_df, np)
        stay = ~redo[old_rows]
        rows, cols = np.r_[old_rows[stay], new_rows], np.r_[term_map[old_cols[stay]], new_cols]
        order = np.argsort(cols * n + rows, kind="stable")
        rows, cols = rows[order], cols[order]
        # Pairs of two rows whose keys stay are as before; those of a row redone, anew.
        mine = np.flatnonzero(redo[rows])
        begins, ends = np.searchsorted(cols, cols[mine], side="left"), np.searchsorted(cols, cols[mine], side="right")
        owner, at = _segments(begins, ends, np)
        one, two = rows[mine][owner], rows[at]
        keep = group[one] != group[two]
        one, two = one[keep], two[keep]
        fresh = np.minimum(one, two) * n + np.maximum(one, two)
        old_pairs = old_pairs[~redo[old_pairs // n] & ~redo[old_pairs % n]]
        return multi, rows, cols, distinct(np.r_[old_pairs, fresh], np)


def _mixed(values, np):
    """splitmix64's finaliser of uint64 values: each bit of a value moves every bit of its
    hash, so that sums of hashes tell bags of values apart (wrapping, as uint64 does)."""
    with np.errstate(over="ignore"):
        values = values + np.uint64(0x9E3779B97F4A7C15)
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


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
