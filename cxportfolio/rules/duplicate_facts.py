"""CXP201's facts about the initiatives it compares, as arrays: a large portfolio's
hundreds of thousands of proposed pairs are weighed at once with numpy (same work?
parallel stages? shared KPIs?), in this process or another. The rule itself, and a
small portfolio's pair-by-pair weighing, are in duplicates.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, count
from operator import itemgetter
from typing import TYPE_CHECKING

from cxportfolio.rules.text_matrix import distinct

if TYPE_CHECKING:
    from cxportfolio.rules.duplicates import DuplicateInitiativeOptions, _Evidence


class Facts:
    """The fields CXP201 weighs, of every initiative of a large portfolio, read once into
    arrays and plain lists: its hundreds of thousands of pairs are weighed at once with
    numpy (a loop over pairs spends its time fetching models that lie apart in memory),
    in this process or another."""

    def __init__(self, rows: list[tuple], stage_of: dict[str, tuple[str, str, str]]) -> None:
        """`rows`: duplicates.py's `_row` of each initiative compared."""
        import numpy as np

        # Field by field, in loops that run in C: a language server does this on every edit.
        self.ids: Sequence[str] = list(map(itemgetter(3), rows))
        self.efforts = np.fromiter(map(itemgetter(4), rows), np.float64, len(rows))
        self.described = np.fromiter(map(itemgetter(5), rows), bool, len(rows))
        self.needs = list(map(itemgetter(6), rows))
        addresses, kpis = list(map(itemgetter(7), rows)), list(map(itemgetter(8), rows))
        self.pains = IdSets(list(chain.from_iterable(addresses)), addresses)
        self.kpis = IdSets(list(chain.from_iterable(kpis)), kpis)
        # each pain point's (journey, stage id, stage name) as codes, one per string; -1: none
        codes: dict[str, int] = {}
        places = [(-1, -1, -1)] * len(self.pains.names)
        for k, pain in enumerate(self.pains.names):
            if pain in stage_of:
                journey, stage, name = stage_of[pain]
                places[k] = (codes.setdefault(journey, len(codes)), codes.setdefault(stage, len(codes)),
                             codes.setdefault(name, len(codes)) if name else -1)
        self.places = np.array(places, dtype=np.int64).reshape(-1, 3)
        self.labels = list(codes)  # code → string: a stage id or name in the evidence

    def small_blocks(self, textless: list[tuple[str, ...]], most: int) -> tuple[tuple[int, ...], ...]:
        """`_small_blocks` from the arrays, those of two rows or more (the others propose
        no pair), by pain point in the order they first come: a pain point's size counts
        every initiative not dropped, also one without a text (not a row here: `textless`
        holds the distinct pain points of each); a small block has at most `most`."""
        import numpy as np

        pains, n = self.pains, len(self.ids)
        width = max(len(pains.names), 1)
        entry = distinct(np.repeat(np.arange(n), np.diff(pains.begins)) * width + pains.items, np)
        rows, codes = entry // width, entry % width  # each (row, pain point) once
        size = np.bincount(codes, minlength=len(pains.names))
        code = dict(zip(pains.names, count()))
        for pain in chain.from_iterable(textless):
            if pain in code:
                size[code[pain]] += 1
        small = np.flatnonzero((size >= 2) & (size <= most) & (np.bincount(codes, minlength=len(size)) >= 2))
        is_small = np.zeros(len(size), dtype=bool)
        is_small[small] = True
        kept = is_small[codes]
        order = np.argsort(codes[kept] * n + rows[kept], kind="stable")
        members, keys = rows[kept][order], codes[kept][order]
        cuts = np.flatnonzero(np.diff(keys)) + 1
        return tuple(tuple(block.tolist()) for block in np.split(members, cuts)) if len(members) else ()

    def same_work(self, alike: tuple[Sequence[int], Sequence[int], Sequence[float]],
                  options: DuplicateInitiativeOptions) -> list[tuple[int, int]]:
        """`_same_work`, on all the pairs at once."""
        import numpy as np

        firsts, seconds, texts = (np.asarray(column) for column in alike)
        bigger = np.maximum(self.efforts[firsts], self.efforts[seconds])
        smaller = np.minimum(self.efforts[firsts], self.efforts[seconds])
        # a platform or programme and a piece of work on it; work that builds on the other
        same = ~((smaller != 0) & (bigger >= options.scope_ratio * smaller)) & ~self._depend(firsts, seconds)
        # Titles alone are thin evidence (see _same_work): what corroborates a weaker agreement.
        weak = np.flatnonzero(same & (texts < options.similarity))
        owner, x, y = self._parallel(firsts[weak], seconds[weak])
        parallel = np.zeros(len(firsts), dtype=bool)
        parallel[weak[owner]] = True
        told = weak[~parallel[weak] & self.described[firsts[weak]] & self.described[seconds[weak]]]
        corroborated = self.pains.meet(firsts[told], seconds[told]) | self.kpis.meet(firsts[told], seconds[told])
        same[weak] = parallel[weak]
        same[told[corroborated]] = True
        return list(zip(firsts[same].tolist(), seconds[same].tolist()))

    def _depend(self, firsts, seconds):
        """Whether one of each pair depends on the other (by id, as `depends_on` names it)."""
        import numpy as np

        n = len(self.ids)
        named = {need for row in self.needs for need in row}
        rows_of: dict[str, list[int]] = {}
        for k, ident in enumerate(self.ids):
            if ident in named:
                rows_of.setdefault(ident, []).append(k)
        links = np.array([k * n + row for k, row_needs in enumerate(self.needs) for need in row_needs
                          for row in rows_of.get(need, ())], dtype=np.int64)
        return np.isin(firsts * n + seconds, links) | np.isin(seconds * n + firsts, links)

    def _parallel(self, firsts, seconds):
        """The (k, x, y) of `_combinations` over the pains of each pair in which the two
        pain points are at parallel stages: different journeys, the same stage id or name."""
        owner, x, y = _combinations(self.pains.begins, firsts, seconds)
        (jx, sx, nx), (jy, sy, ny) = self.places[self.pains.items[x]].T, self.places[self.pains.items[y]].T
        found = (jx >= 0) & (jy >= 0) & (jx != jy) & ((sx == sy) | ((nx == ny) & (nx >= 0)))
        return owner[found], x[found], y[found]

    def structure(self, clusters: list[int], pairs: list[tuple[int, int]], found: dict[int, _Evidence]) -> None:
        """Adds to each cluster's evidence the parallel stages and shared KPIs of its `pairs`."""
        import numpy as np

        if not pairs:
            return
        firsts, seconds = (np.array(side, dtype=np.int64) for side in zip(*pairs))
        cluster = np.array(clusters, dtype=np.int64)
        owner, x, y = self._parallel(firsts, seconds)
        (_, sx, nx), sy = self.places[self.pains.items[x]].T, self.places[self.pains.items[y], 1]
        label = np.where(sx == sy, sx, nx)  # the stage id where the ids agree, else the name
        for n, k in _distinct(cluster[owner], label):
            found[n][1].add(self.labels[k])
        kpis = self.kpis
        owner, x, y = _combinations(kpis.begins, firsts, seconds)
        same = kpis.items[x] == kpis.items[y]
        for n, k in _distinct(cluster[owner[same]], kpis.items[x[same]]):
            found[n][2].add(kpis.names[k])


def _distinct(left, right) -> list[tuple[int, int]]:
    """The distinct pairs (left[k], right[k]) of non-negative integers."""
    import numpy as np

    width = int(right.max(initial=0)) + 1
    both = distinct(left * width + right, np)
    return list(zip((both // width).tolist(), (both % width).tolist()))


class IdSets:
    """Each initiative's ids of one kind (pain points, KPIs) as codes, row after row:
    whether two share one is tested for many pairs at once."""

    def __init__(self, flat: list[str], rows: Sequence[Sequence[object]]) -> None:
        """`flat`: the ids of all `rows`, one row after the other (a row holds its ids or
        the objects they come from: only its length is read)."""
        import numpy as np

        self.names = list(dict.fromkeys(flat))  # code → id, in the order they first come
        code = dict(zip(self.names, count()))
        self.items = np.fromiter(map(code.__getitem__, flat), np.int64, len(flat))
        self.begins = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, rows), np.int64, len(rows)), out=self.begins[1:])

    def meet(self, firsts, seconds):
        """For each k: whether the rows firsts[k] and seconds[k] share an id."""
        import numpy as np

        owner, x, y = _combinations(self.begins, firsts, seconds)
        return np.bincount(owner[self.items[x] == self.items[y]], minlength=len(firsts)) > 0


def _combinations(begins, firsts, seconds):
    """Every (x, y) of an item x of row firsts[k] and an item y of row seconds[k] (row r
    holds items begins[r] to begins[r + 1]): (k, x, y) as three arrays."""
    import numpy as np

    across = begins[seconds + 1] - begins[seconds]
    size = (begins[firsts + 1] - begins[firsts]) * across
    owner = np.repeat(np.arange(len(firsts)), size)
    k = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    across = np.repeat(across, size)  # not 0 where a pair has combinations
    return owner, np.repeat(begins[firsts], size) + k // across, np.repeat(begins[seconds], size) + k % across
