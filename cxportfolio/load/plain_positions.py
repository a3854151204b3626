"""Positions read off plain block-style YAML text, without parsing it.

Composing YAML with positions costs about a fifth of a millisecond per initiative, and a
large portfolio has tens of thousands of findings in nested places (`effects/1/change`).
Portfolio files are almost always written in a few plain shapes — block mappings and
sequences, one-line flow lists and mappings of plain scalars — whose positions a few
regular expressions read straight off the text. For anything else (values that may
continue on later lines at any indentation, anchors, tags, quoted or complex keys, a
value that is missing) the answer is None and the caller composes the YAML instead.

The answers are PyYAML's marks: a node starts at its first character (a block mapping at
its first key, a block sequence at its first dash), and a pointer that runs past the
document stops at the deepest node that exists. `tests/test_source_map.py` holds the two
to each other on generated documents.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

# A non-blank line (after the newline that starts it): its indentation and first character.
# Patterns begin with the newline rather than `^`, so the regex engine jumps from newline
# to newline instead of trying every character.
_LINE = re.compile(r"\n( *)([^ \n])")
# A region is plain when it fully matches this: runs of ordinary characters, quoted
# scalars closed on their line, apostrophes inside words, flow collections whose line
# ends with a closer, and newlines that start no document marker. Tabs and carriage
# returns are left to the parser. Possessive loops keep the match linear.
_DOUBLE = r'"(?:[^"\\\r\n]|\\.)*+"'  # a quoted scalar closed on its own line
_SINGLE = r"'(?:[^'\r\n]|'')*+'"
_PLAIN_REGION = re.compile(rf"""(?:[^"'\[{{\r\t\n]++
    | {_DOUBLE}
    | {_SINGLE}
    | (?<=\w)'
    | [\[{{](?=[^\r\n]*[\]}}][ ]*(?:\#[^\r\n]*)?$)
    | \n(?!---|\.\.\.)
    )*+""", re.MULTILINE | re.VERBOSE)
_DOUBLE_QUOTED = re.compile(_DOUBLE)
_SINGLE_QUOTED = re.compile(_SINGLE)
# A one-line flow collection of plain scalars only.
_SIMPLE_FLOW = re.compile(r"""[\[{][^\[\]{}"'#&*!|>?\n]*[\]}]""")
_KEY_COLON = re.compile(r":(?:[ \t]|$)", re.MULTILINE)
_KEY_AFTER = re.compile(r"[ \t]*:(?:[ \t]|$)", re.MULTILINE)
_NOT_A_PLAIN_KEY = frozenset("#[]{}&*!|>'\"%@`?,")
_UNSURE = frozenset("&*!?%@`")  # anchors, aliases, tags, complex keys, reserved


def plain_enough(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` has no value that may continue on a later line.

    A multi-line quoted or flow value may put a line at any indentation, where it would
    be mistaken for a key or an item; such regions are left to the parser.
    """
    return _PLAIN_REGION.fullmatch(text, start, end) is not None


def locate_plain(text: str, node: int, end: int, pointer: Sequence[str | int], at_key: bool,
                 memo: dict[int, tuple[int, str, int] | None] | None = None) -> int | None:
    """Offset of the value at `pointer` (its key with `at_key`) below the node that starts
    at `text[node]`, reading no further than `end`; None when the text is not plain.

    The caller checks `plain_enough` for the region first. `memo` keeps what was read
    of each mapping, for callers that ask about one entity many times.
    """
    memo = {} if memo is None else memo
    here = node
    for step, part in enumerate(pointer):
        last = step == len(pointer) - 1
        char = text[here]
        if char in _UNSURE:
            return None
        if char in "[{":
            flow = _SIMPLE_FLOW.match(text, here, end)
            if flow is None or _KEY_AFTER.match(text, flow.end(), end):
                return None  # nested, quoted, or a flow collection used as a key
            found = _in_flow(text, here, flow.end() - 1, part, at_key and last)
        elif _is_dash(text, here):
            found = _in_block_sequence(text, here, end, part)
        elif char in "\"'":
            quoted = (_DOUBLE_QUOTED if char == '"' else _SINGLE_QUOTED).match(text, here, end)
            if quoted is None or _KEY_AFTER.match(text, quoted.end(), end):
                return None  # a quoted key
            return here  # a quoted scalar: the pointer runs past it
        elif char in _NOT_A_PLAIN_KEY or _plain_key(text, here) is None:
            return here  # a scalar: the pointer runs past it
        else:
            found = _in_block_mapping(text, here, end, str(part), at_key and last, memo)
        if found is None:
            return None
        if found < 0:
            return here  # no such key or index: the deepest node that exists
        here = found
    return here


def _in_flow(text: str, start: int, close: int, part: str | int, at_key: bool) -> int | None:
    """Child `part` of a one-line flow collection `text[start:close + 1]` of plain scalars."""
    is_mapping = text[start] == "{"
    entries: list[int] = []  # where each entry's text starts
    at = start + 1
    while at <= close:
        comma = text.find(",", at, close)
        entries.append(at)
        at = (comma if comma >= 0 else close) + 1
    spans = [(s, (entries[n + 1] - 1) if n + 1 < len(entries) else close) for n, s in enumerate(entries)]
    spans = [(_skip_blanks(text, s, e), e) for s, e in spans]
    if spans and spans[-1][0] == spans[-1][1]:  # `[a, b,]` and `[]`: no entry after the last comma
        spans.pop()
    if any(s == e for s, e in spans):
        return None  # an empty entry between commas
    if not is_mapping:
        if any(_KEY_COLON.search(text, s, e) for s, e in spans):
            return None  # single-pair mappings inside a list
        return spans[part][0] if isinstance(part, int) and 0 <= part < len(spans) else -1
    found = -1
    for s, e in spans:
        colon = _KEY_COLON.search(text, s, e)
        if colon is None:
            return None
        if text[s:colon.start()].rstrip() == str(part):
            value = _skip_blanks(text, colon.end(), e)
            if value == e:
                return None  # an empty value: PyYAML's mark for it is not worth guessing
            found = s if at_key else value
    return found


def _in_block_sequence(text: str, dash: int, end: int, part: str | int) -> int | None:
    """Item `part` of the block sequence whose first dash is at `text[dash]`."""
    if not isinstance(part, int) or part < 0:
        return -1
    column = _column(text, dash)
    index = 0
    if part > 0:
        for line in _shallow_lines(column).finditer(text, _line_end(text, dash), end):
            if len(line.group(1)) < column or not _is_dash(text, line.end(1)):
                break
            index += 1
            if index == part:
                dash = line.end(1)
                break
    if index != part:
        return -1
    return _value_after(text, dash + 1, end, column, after_key=False)


def _in_block_mapping(text: str, first_key: int, end: int, key: str, at_key: bool,
                      memo: dict[int, tuple[int, str, int] | None]) -> int | None:
    """The value of `key` (or the key) in the block mapping whose first key is at `text[first_key]`.

    Each lookup is one search for the key's own line, not a walk over every line: in a
    plain region, a line indented exactly as the mapping that starts with `key:` can only
    be one of its keys. `memo` keeps what `_block_mapping` found per mapping.
    """
    if first_key not in memo:
        memo[first_key] = _block_mapping(text, first_key, end)
    mapping = memo[first_key]
    if mapping is None:
        return None
    mapping_end, first_name, colon = mapping
    found = (first_key, colon) if first_name == key else None
    column = _column(text, first_key)
    for line in _key_line(column, key).finditer(text, _line_end(text, first_key), mapping_end):
        found = (line.start(1), line.end() - 1)  # the last occurrence wins, as when loaded
    if found is None:
        return -1
    key_at, colon = found
    return key_at if at_key else _value_after(text, colon + 1, end, column, after_key=True)


def _block_mapping(text: str, first_key: int, end: int) -> tuple[int, str, int] | None:
    """Where the block mapping whose first key is at `text[first_key]` ends, its first
    key and that key's colon; None if one of its keys is not plain (quoted, complex, or
    with a comment before the colon)."""
    colon = None if text[first_key] in _NOT_A_PLAIN_KEY else _plain_key(text, first_key)
    if colon is None:
        return None
    column = _column(text, first_key)
    after_first = _line_end(text, first_key)
    shallower = _shallow_lines(column - 1).search(text, after_first, end) if column else None
    mapping_end = shallower.start() if shallower else end
    if _odd_key_line(column).search(text, after_first, mapping_end):
        return None
    return mapping_end, text[first_key:colon].rstrip(), colon


# A plain key and its colon, as a line holding one starts (no comment before the colon).
_PLAIN_KEY = r"""[^\s#"'\[\]{}&*!|>%@`?,:-](?:[^\n#]|(?<! )\#)*?[ \t]*:(?=[ \t\n]|\Z)"""


@functools.lru_cache(maxsize=256)
def _key_line(column: int, key: str) -> re.Pattern[str]:
    """A line indented by `column` that starts with the plain key `key`; group 1 is the key."""
    return re.compile(rf"\n {{{column}}}({re.escape(key)})[ \t]*:(?=[ \t\n]|\Z)")


@functools.lru_cache(maxsize=64)
def _odd_key_line(column: int) -> re.Pattern[str]:
    """A line indented by `column` that holds neither a plain key, an item of an
    indentless sequence (`- `), a comment nor nothing."""
    return re.compile(rf"\n {{{column}}}(?=[^ \n#])(?!{_PLAIN_KEY}|-(?:[ \n]|\Z))")


@functools.lru_cache(maxsize=64)
def _shallow_lines(column: int) -> re.Pattern[str]:
    """Lines indented by at most `column` that are neither blank nor comments: the only
    lines that can hold an item of a sequence at `column`, or end a collection deeper in."""
    return re.compile(rf"\n( {{0,{column}}})(?=[^ \n#])")


def _plain_key(text: str, at: int) -> int | None:
    """Offset of the `:` ending the plain key that starts at `text[at]`, if one does."""
    line_end = _line_end(text, at)
    colon = _KEY_COLON.search(text, at, line_end)
    if colon is None:
        return None
    comment = text.find(" #", at, colon.start())
    return colon.start() if comment < 0 else None


def _value_after(text: str, at: int, end: int, column: int, after_key: bool) -> int | None:
    """Where the value after an indicator (`key:` or `-`) at `column` starts, or None if empty."""
    at = _skip_blanks(text, at, end)
    if at < end and text[at] not in "\n#":
        return at
    for line in _LINE.finditer(text, _line_end(text, at), end):
        indent, first = len(line.group(1)), line.group(2)
        if first == "#":
            continue
        if indent > column or (after_key and indent == column and _is_dash(text, line.start(2))):
            return line.start(2)
        return None
    return None


def item_node(text: str, dash: int, end: int) -> int | None:
    """Where the content of the block-sequence item whose dash is at `text[dash]` starts."""
    return _value_after(text, dash + 1, end, _column(text, dash), after_key=False)


def _is_dash(text: str, at: int) -> bool:
    return text[at] == "-" and text[at + 1:at + 2] in (" ", "\n", "")


def _skip_blanks(text: str, at: int, end: int) -> int:
    while at < end and text[at] in " \t":
        at += 1
    return at


def _line_end(text: str, at: int) -> int:
    newline = text.find("\n", at)
    return len(text) if newline < 0 else newline


def _column(text: str, at: int) -> int:
    return at - (text.rfind("\n", 0, at) + 1)
