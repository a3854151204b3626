"""CXP107's message names what the text holds, and its hint the ways that gets there.

The rule sees the text as read, not how it was written: a hint may not blame a backslash
for a typed tab or a blank line, nor a block for an escape (found by a newcomer and a
reviewer: one hint for every case told users in single quotes to use single quotes).
"""

from __future__ import annotations

import pytest

from cxportfolio.rules.integrity import _BREAK_HINT, _ESCAPE_HINT, _LAST_BREAK_HINT, _TAB_HINT, _not_one_line


@pytest.mark.parametrize(("text", "said", "hint"), [
    ("Status tracker\n", "ends with a line break", _LAST_BREAK_HINT),  # `|` or `>`, or "…\n"
    ("Status\n\n", "ends with a line break", _LAST_BREAK_HINT),
    ("Applicants wait\nfor weeks", "holds a line break (\\n)", _BREAK_HINT),  # a blank line, a block, \n
    ("Customer\tservice", "holds a tab (\\t)", _TAB_HINT),  # typed, or \t
    ("C:\new\temp", "holds a line break (\\n) and a tab (\\t)", _ESCAPE_HINT),  # a path's escapes
    ("NPS\a", "holds a bell (\\a)", _ESCAPE_HINT),
    ("C:\x85ordbank", "holds a next-line character (\\N, U+0085)", _ESCAPE_HINT),
    ("a\u2028b\u2029c", "holds a line separator (\\L, U+2028) and a paragraph separator (\\P, U+2029)", _ESCAPE_HINT),
    ("a\x01b", "holds a control character (U+0001)", _ESCAPE_HINT),
    ("\n\t\a\b\f", "holds a line break (\\n), a tab (\\t), a bell (\\a) and 2 more", _ESCAPE_HINT),
])
def test_what_a_text_holds_and_the_hint_for_it(text: str, said: str, hint: str) -> None:
    assert _not_one_line(text) == (said, hint)


@pytest.mark.parametrize("text", [
    "Kundeservice\u00a0Øst",  # a no-break space
    "Family 👨\u200d👩\u200d👧 pages",  # a zero-width joiner
    "Soft\u00adhyphen", "\u200fRTL mark",
])
def test_text_that_isprintable_refuses_but_is_one_line_is_not_flagged(text: str) -> None:
    assert not text.isprintable()  # the rule's first, cheap test lets it through
    assert _not_one_line(text) is None
