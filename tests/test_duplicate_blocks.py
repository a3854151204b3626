"""A large portfolio's small pain-point blocks (rules/duplicates.py) are read from the
arrays CXP201 builds anyway, not from the portfolio's index of who addresses what: the
same blocks, whatever the initiatives repeat, drop or leave without a text, and whatever
initiatives a mistake lost (they count in a pain point's size, as before the mistake)."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.model.portfolio import Portfolio
from cxportfolio.rules.duplicate_facts import Facts
from cxportfolio.rules.duplicates import SMALL_BLOCK, _lost_pains, _row, _small_blocks

initiative = st.fixed_dictionaries({
    "status": st.sampled_from(["proposed", "approved", "done", "dropped"]),
    "title": st.sampled_from(["", "Min side"]),
    "description": st.sampled_from(["", "Søknad om dagpenger"]),
    # a few pain points, repeated within one initiative too
    "addresses": st.lists(st.sampled_from([f"PP-{k}" for k in range(6)]), max_size=4),
})


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(initiative, max_size=3 * SMALL_BLOCK), many=st.integers(0, SMALL_BLOCK),
       lost=st.lists(st.lists(st.sampled_from([f"PP-{k}" for k in range(6)]), max_size=3), max_size=SMALL_BLOCK))
def test_blocks_from_the_arrays_are_the_portfolios_blocks(rows, many: int, lost: list[list[str]]) -> None:
    # `many` more initiatives on one pain point: blocks around the size limit
    rows = rows + [{"status": "proposed", "title": "Chat", "description": "", "addresses": ["PP-0"]}] * many
    initiatives = [SimpleNamespace(id=f"I-{k}", unit="digital", effort=None, depends_on=[], effects=[],
                                   is_partial=lambda *fields: False, **row)
                   for k, row in enumerate(rows)]
    portfolio = SimpleNamespace(initiatives=initiatives, lost_initiatives=[("", "", "", tuple(p)) for p in lost])
    portfolio.addressing = Portfolio.addressing.func(portfolio)  # type: ignore[attr-defined]
    work = [i for i in initiatives if i.status != "dropped" and (i.title or i.description)]
    expected = sorted(block for block in _small_blocks(portfolio, work) if len(block) >= 2)
    rows = [_row(i) for i in initiatives]
    assert [i for i, row in zip(initiatives, rows) if row[0]] == work
    facts = Facts([row for row in rows if row[0]], {})
    textless = [row[9] for row in rows if row[9]] + _lost_pains(portfolio)  # as _Work.of passes them
    assert sorted(facts.small_blocks(textless, SMALL_BLOCK)) == expected
