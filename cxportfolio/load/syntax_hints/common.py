"""What every explanation shares: the Explained record a hint becomes, the file's lines as
the parser ends them, the shapes of a key and a comment on a line, and a quoted example
to copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from cxportfolio.records import record


Position = tuple[int, int]
Excerpt = Callable[[str, int], str]
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A block key at the start of what is left of a line: plain or quoted, then ': ' or ':' at the end.
KEY = re.compile(r"""("[^"]*"|'[^']*'|[^\s#'"\-:,\[\]{}][^#]*?|-[^\s#][^#]*?):(?:[ \t]|$)""")
COMMENT = re.compile(r"[ \t]#")
EXAMPLE_LIMIT = 60  # characters of a quoted example echoed from the file
KEY_BEFORE = re.compile(r"(?:^|[\s{,])([A-Za-z_][\w-]*):[ \t]+$")  # `change: ` right before a quote
NUMBER = re.compile(r"[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?")  # as YAML writes one, roughly
ITEM_DASH = re.compile(r"[ \t]*-(?=[ \t])")  # the `-` of a block list item beginning a line
# A key where the parser's mark is, `:` and a blank or the line's end after it.
KEY_AT_MARK = re.compile(r"([A-Za-z_][\w-]*):(?=[ \t]|$)")
# What a related place of a syntax error is, where it is not where the broken part begins.
STOPPED = "where the parser stopped"


@record
class Explained:
    """What CXP001 says about a syntax error: message, where, hint, related places."""

    message: str
    line: int
    column: int
    hint: str
    related: tuple[Position, ...] = ()
    # what each related place is, where it is not where the broken part begins (the default)
    labels: tuple[str, ...] = ()


def quoted_example(key: str | None, value: str, excerpt: Excerpt) -> str:
    """`key: "value"` to copy (`"value"` alone, an item, for no key), at most EXAMPLE_LIMIT
    characters (a long value is cut with …, a key longer than half of them too); the
    quotes are chosen from the value as written, before it is escaped for display."""
    quote = '"' if '"' not in value and "\\" not in value else "'" if "'" not in value else '"'
    if quote == '"' and ('"' in value or "\\" in value):
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    if key is not None:  # cut too: a pull request's key may be longer than any value
        key = excerpt(key, EXAMPLE_LIMIT // 2)
    lead = f"{key}: " if key is not None else ""
    return f"{lead}{quote}{excerpt(value, max(EXAMPLE_LIMIT - len(key or '') - 4, 8))}{quote}"


_ITEM_END = re.compile(r"[^,\]}]*")


def item_text(written: str) -> str:
    """`written` up to the `,`, `]` or `}` that ends an item of `[…]` or `{…}`."""
    return _ITEM_END.match(written).group()  # type: ignore[union-attr]  # it matches, if only ""


def position_of(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


def read_lines(text: str, first: int, last: int, most: int) -> list[str]:
    """Lines `first` to `last` (1-based, ended as the parser ends lines), at most `most`."""
    start, line = 0, 1
    while line < first:
        found = LINE_BREAK.search(text, start)
        if found is None:
            return []
        start, line = found.end(), line + 1
    lines = []
    while line <= min(last, first + most - 1):
        end = LINE_BREAK.search(text, start)
        lines.append(text[start:end.start() if end else len(text)])
        if end is None:
            break
        start, line = end.end(), line + 1
    return lines


def line_text(text: str, line: int) -> str:
    """The text of one line (1-based, ended as the parser ends lines), without its break."""
    return (read_lines(text, line, line, 1) or [""])[0]


def line_start(text: str, line: int) -> int:
    """The offset in `text` where its line `line` (1-based) begins."""
    return next(islice(LINE_BREAK.finditer(text), line - 2, None)).end() if line > 1 else 0


def lines_replaced(text: str, first: int, last: int, by: str) -> str:
    """`text` with its lines `first` to `last` (1-based; the last's break kept) replaced
    `by`: a fix to try (`reads_past`)."""
    end = line_start(text, last)
    found = LINE_BREAK.search(text, end)
    return text[:line_start(text, first)] + by + text[found.start() if found else len(text):]
