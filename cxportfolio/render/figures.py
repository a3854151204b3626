"""How figures are written wherever people read them: `track`'s text and Markdown, the
report's Markdown and HTML. One place, so that the gap a steering group reads in the
report is the gap `track` prints (a tester found "-0.0" in one and "-0.04" in the other).
"""

from __future__ import annotations

import math


def needed(number: float) -> int:
    """The decimals that show `number` to two significant digits, and no more than it has
    (to 6): 0.016 → 3, 0.05 → 2, 0.5 → 1, 38 → 0. A large figure needs none."""
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number) or not number:
        return 0
    two = max(0, 1 - math.floor(math.log10(abs(number))))
    return min(two, next((d for d in range(6) if round(number, d) == round(number, 6)), 6))


def shown(number: float | None) -> int:
    """The decimals `%g` shows `number` with."""
    if number is None:
        return 0
    text = f"{abs(number):g}"
    return needed(number) if "e" in text else len(text.partition(".")[2])


def _rounded(number: float, decimals: int) -> float:
    # + 0.0 turns the -0.0 that rounding a small negative figure gives into 0.0: a gap
    # of -0.0 reads as behind by something
    return round(number, decimals) + 0.0


def figure(number: float, decimals: int = 1, beside: float | None = None) -> str:
    """A figure with `decimals`, more where it is small (`needed`: 0.29 is not 0.3), and
    at least as many as `beside` shows: a value and its change at the same precision."""
    places = max(decimals, needed(number), shown(beside))
    return f"{_rounded(number, places):,.{places}f}"


def change(number: float, other: float | None = None, decimals: int = 2) -> str:
    """A change, signed, with `decimals`, more where it or the figure it goes with in
    `other` is small: expected -0.016 and realized -0.015 are not -0.02 and -0.01."""
    places = max(decimals, needed(number), needed(other) if other is not None else 0)
    return f"{_rounded(number, places):+,.{places}f}"


def gap(done: float, expected: float) -> tuple[str, str]:
    """Expected-by-now and the gap to it, as `track` and the report both write them: with
    the same decimals, so that they add up on the page (a newcomer read "4.0 (gap
    +0.027)" beside 4 done): 3.973 (gap +0.027)."""
    difference = done - expected
    places = max(1, needed(expected), needed(difference))
    return figure(expected, places), change(difference, decimals=places)
