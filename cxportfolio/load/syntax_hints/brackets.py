"""Flow collections, `[…]` and `{…}`: a bracket left open (at the end of the file, before
the next `- ` item or a key back at its line's indent, or with its closer hidden in a
comment), a comma left out before a key, a `}` with no `{` open, text (or a ':') after
the `]` or `}` that ends a value, a bracket typed inside a value or a key, a character typed where
an item begins (a `,`, `:`, bracket or `- `) or right after a key's ':' (`{days:{ 90}`), a `[` opened in braces that the
`}` does not close (`{completion: [0.90}`), a `{` or `}` that moves where braces close
(`{kpi: nps, {change: 2}`, `{period}: 2024`, `[{PP-1]`), and a ': ' inside a plain value in braces.
"""

from __future__ import annotations

import re

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, ITEM_DASH, KEY_AT_MARK,
                                                  KEY_BEFORE, NUMBER, Position, STOPPED, item_text, line_text,
                                                  quoted_example)
from cxportfolio.load.syntax_hints.indentation import reads_past, replaced
from cxportfolio.load.syntax_hints.replay import Collection, Replay, Scalar, Stop, brackets_of, innermost
from cxportfolio.load.syntax_hints.vocabulary import LIST_KEYS, NUMBER_KEYS


def flow_unclosed(text: str, at: Position, said: str, replayed: Replay, excerpt: Excerpt) -> Explained | None:
    """A `[` or `{` still open at the end of the file: libyaml stops there, with no mark of
    where it opened, which the events replayed give. The innermost whose bracket is
    written: `[b: ` holds a one-pair mapping libyaml opened without a `{`."""
    stop = replayed.stop
    if stop is None or not stop.open or not stop.open[-1].flow:
        return None
    inner = _innermost_written(replayed)
    if inner is None:
        return None
    # `{id: x, name: Set #up}` last in the file: the `}` is in a comment
    return _not_closed_before(text, inner, at, said, stop, excerpt, "the end of the file",
                              f"{STOPPED}: the end of the file")


def _not_closed_before(text: str, inner: Collection, at: Position, said: str, stop: Stop, excerpt: Excerpt,
                       before: str, label: str = STOPPED) -> Explained:
    """The `[` or `{` of `inner` left open before `before`: said where it opens, or, when a
    comment hides its closer, at the comment."""
    opener, closer = brackets_of(inner)
    return _hidden_closer(text, inner, at, said, stop, excerpt, before) or Explained(
        f"the `{opener}` here is not closed before {before} ({said})", *inner.at,
        f"close it with `{closer}` after its last item", (at,), (label,))


def _innermost_written(replayed: Replay) -> Collection | None:
    """The innermost `[` or `{` open where the parser stopped whose bracket is written, or None."""
    written = replayed.written_brackets
    return written[-1] if written else None


def key_in_flow(text: str, at: Position, said: str, replayed: Replay, excerpt: Excerpt) -> Explained | None:
    """In `{…}` or `[…]`, a key met where a ',' or the closing bracket was due: after a
    value on its line, a comma left out (`change: 4 confidence: 0.8`); at the start of a
    later line, the bracket above left open (`addresses: [PP-1` and `effects:` below)."""
    stop = replayed.stop
    line = line_text(text, at[0])
    key = (_KEY_BEFORE_COLON.search(line[:at[1] - 1]) if line[at[1] - 1:at[1]] == ":" else
           KEY_AT_MARK.match(line, at[1] - 1))  # the last value ended by a comment: stopped at the key
    if key is None:
        return None
    before = line[:key.start(1)]
    if before.strip():
        if not before[-1:].isspace() or before.rstrip()[-1:] in ",{[:":
            return None  # `title: Mortgage: status`: a ':' inside a value, said elsewhere
        name = key.group(1)
        return Explained(f"a comma is missing before `{name}:` ({said})", at[0], key.start(1) + 1,
                         f"if `{name}:` is a key, write `, {name}:` (in {{…}} and […] items are separated by "
                         "commas); if the ':' belongs to the text before it, quote that text", (at,), (STOPPED,))
    inner = _innermost_written(replayed)
    if inner is None or inner.at[0] >= at[0]:
        return None
    opened_on = line_text(text, inner.at[0])
    indent = len(opened_on) - len(opened_on.lstrip(" "))
    # a key back at the bracket line's indentation on a line between (`scoring: {`, then
    # `rules:` and `  CXP405: …` below it): the bracket was left open before that key
    for number in range(inner.at[0] + 1, at[0]):
        between = line_text(text, number)
        outer = _KEY_AT_START.match(between)
        if outer is not None and len(between) - len(between.lstrip(" ")) <= indent:
            return _not_closed_before(text, inner, at, said, stop, excerpt,  # type: ignore[arg-type]
                                      f"`{outer.group(1)}:` on line {number}")
    if key.start(1) > indent:
        # indented under the bracket's line: inside it still, written over lines (`{kpi: k,
        # change: 4` and `confidence: 0.5}` below): the comma at the end of the line above
        name = key.group(1)
        return Explained(f"a comma is missing before `{name}:`, at the end of the line above ({said})",
                         at[0], key.start(1) + 1, f"end the line above with `,` (in {{…}} and […] items are "
                         f"separated by commas, over lines too)", (at,), (STOPPED,))
    return _not_closed_before(text, inner, at, said, stop, excerpt,  # type: ignore[arg-type]
                              f"`{key.group(1)}:` on line {at[0]}")


def unclosed_before_item(text: str, at: Position, said: str, replayed: Replay,
                          excerpt: Excerpt) -> Explained | None:
    """`- {kpi: k, change: 4` and `- {kpi: o}` below it: the `{` is still open where the
    next `- ` item begins. libyaml stops at that `-`, or, when the last value is plain, at
    what follows it (the value ran on over the line break and took the `-`: `4 -`). Said
    just after the last value the parser read (and its `,`), where the `}` is missing."""
    stop = replayed.stop
    line = line_text(text, at[0])
    dash = ITEM_DASH.match(line)
    opened = replayed.written_brackets
    if stop is None or dash is None or len(opened) != 1 or opened[0].at[0] >= at[0]:
        return None  # two brackets open, or none: not one place and one bracket to tell
    bracket_line = line_text(text, opened[0].at[0])
    if dash.end() > len(bracket_line) - len(bracket_line.lstrip(" ")) + 1:
        return None  # indented under the bracket's line: perhaps meant inside it (`note: plan` and `- step`)
    scalar = stop.scalar
    took_dash = (scalar is not None and scalar.plain and scalar.at[0] < at[0] == scalar.end_line
                 and scalar.end_column <= at[1])  # a plain value ran on into the `- ` line (`0.7 -`)
    if at[1] != dash.end() and not took_dash:
        return None
    end = _end_before(text, at, stop, opened[0], took_dash)
    if end is None:
        return None
    opener, closer = brackets_of(opened[0])
    hidden = _comment_hiding(text, end, closer, opened[0], at, said, stop, excerpt)
    if hidden is not None:  # `name: Explore #options, completion: 0.8}`: the `}` is in a comment
        return hidden
    return Explained(f"the `{opener}` opened at line {opened[0].at[0]}, column {opened[0].at[1]} is not closed "
                     f"before the next item on line {at[0]} ({said})", *end,
                     f"add `{closer}` here, where the item ends", (opened[0].at, at),
                     (f"where the `{opener}` opens", STOPPED))


def _hidden_closer(text: str, inner: Collection, at: Position, said: str, stop: Stop, excerpt: Excerpt,
                   before: str) -> Explained | None:
    """_comment_hiding after the last thing read inside `inner` (a bracket left open before
    `before`): the end mark of a collection closed last, or of the last value."""
    scalar = stop.scalar
    last = stop.closed[-1].end if stop.closed else (
        (scalar.end_line, scalar.end_column) if scalar is not None and scalar.at > inner.at else None)
    return _comment_hiding(text, last, brackets_of(inner)[1], inner, at, said, stop, excerpt, before) if last else None


def _comment_hiding(text: str, end: Position, closer: str, bracket: Collection, at: Position, said: str,
                    stop: Stop, excerpt: Excerpt, before: str = "") -> Explained | None:
    """A ` #` right after the last value read (at `end`) begins a comment that holds the
    bracket's `closer`: the `}` is written, but in the comment. Said at the `#`."""
    line = line_text(text, end[0])
    comment = re.compile(r"[ \t]+#").match(line, end[1] - 1)
    if comment is None or closer not in line[comment.end():]:
        return None
    scalar = stop.scalar
    opener = brackets_of(bracket)[0]
    hint = "put the `#` in a quoted value, or remove the space before it"
    if scalar is not None and scalar.plain and scalar.at[0] == end[0] and not stop.closed:
        example = quoted_example(scalar.key, item_text(line[scalar.at[1] - 1:]).rstrip(), excerpt)
        hint = f"quote the value with the `#` in it (`{example}`), or remove the space before the `#`"
    return Explained(f"` #` begins a comment, so the rest of the line, its `{closer}` too, is not read: the "
                     f"`{opener}` opened at line {bracket.at[0]}, column {bracket.at[1]} is not closed before "
                     f"{before or f'the next item on line {at[0]}'} ({said})", end[0], comment.end(), hint,
                     (bracket.at, at), (f"where the `{opener}` opens", f"{STOPPED}: {before}" if before else STOPPED))


def _end_before(text: str, at: Position, stop: Stop, bracket: Collection, took_dash: bool) -> Position | None:
    """Just after the last thing the parser read inside `bracket` before the `- ` line at
    `at`: the end mark of a collection it closed, or of the last value, and a `,` after it;
    for a plain value that took the `-`, the end of its text on the last line before that
    holds any (a comment ends a plain value: only the line it begins on may hold one)."""
    scalar = stop.scalar
    if stop.closed:
        end = stop.closed[-1].end
    elif scalar is None or scalar.at < bracket.at:
        return None
    elif not took_dash:
        end = (scalar.end_line, scalar.end_column)
    else:
        for number in range(at[0] - 1, scalar.at[0] - 1, -1):
            start = scalar.at[1] - 1 if number == scalar.at[0] else 0
            written = COMMENT.split(line_text(text, number)[start:], 1)[0].rstrip()
            if written.strip():
                return number, start + len(written) + 1
        return None
    if end is None or end[0] >= at[0]:
        return None
    # after the value, the parser read only blanks, a comment and perhaps a `,` on its line:
    # the bracket goes after that comma (`PP-2,]`; `PP-2],` is a comma too many)
    comma = re.match(r"[ \t]*,", line_text(text, end[0])[end[1] - 1:])
    return (end[0], end[1] + comma.end()) if comma else end


def colon_in_flow_value(text: str, at: Position, said: str, stop: Stop | None,
                         excerpt: Excerpt) -> Explained | None:
    """`{id: explore, name: Explore: options}`: in braces, a ': ' right after a plain value
    (the parser's mark is at the ':', where the value's end mark is) reads as another key."""
    scalar = stop.scalar if stop is not None else None
    inner = innermost(stop)
    if scalar is None or inner is None or not inner.flow or not inner.is_map or not scalar.plain:
        return None
    line = line_text(text, at[0])
    if not isinstance(scalar.key, str) or (scalar.end_line, scalar.end_column) != at or scalar.at[0] != at[0] \
            or line[at[1] - 1:at[1]] != ":":
        return None
    written = COMMENT.split(line[scalar.at[1] - 1:], 1)[0]
    item = item_text(written).rstrip()
    key = excerpt(scalar.key, 20)
    return Explained(f"the value of `{key}` holds ': ', which YAML reads as another key ({said})", *at,
                     f"quote the value, e.g. `{quoted_example(scalar.key, item, excerpt)}`")


_KEY_BEFORE_COLON = re.compile(r"([A-Za-z_][\w-]*)$")
_KEY_AT_START = re.compile(r" *([A-Za-z_][\w-]*):(?: |$)")


def text_after_bracket(line: str, at: Position, said: str, stop: Stop | None, excerpt: Excerpt) -> Explained | None:
    """`addresses: [PP-1]"`: text after the `]` or `}` that ends a value or an item on its
    line, where the parser stopped (its mark; the bracket's end mark before it)."""
    closed = stop.closed[-1] if stop is not None and stop.closed else None
    if closed is None or not closed.flow or closed.end is None or closed.end[0] != at[0] or \
            closed.end[1] > at[1] or line[closed.end[1] - 1:at[1] - 1].strip():
        return None
    token = COMMENT.split(line[at[1] - 1:], 1)[0].rstrip()
    opener, closer = brackets_of(closed)
    key = f"`{excerpt(closed.key, 30)}`" if isinstance(closed.key, str) else ""
    what = (f"an item of {key}" if closed.is_item else f"the value of {key}") if key else "the value"
    hint = "delete it" if token in ('"', "'") else f"write it inside the `{opener}…{closer}`, or delete it"
    return Explained(f"`{excerpt(token, 30)}` after the `{closer}` that ends {what} ({said})", *at, hint)


def closer_unopened(line: str, at: Position, said: str) -> Explained:
    """`scoring: }`: in a block, no `{` is open for the `}` (or `]`) at the parser's mark to close."""
    closer = line[at[1] - 1]
    opener = "{" if closer == "}" else "["
    return Explained(f"a `{closer}` with no `{opener}` before it to close ({said})", *at,
                     f"write the `{opener}` where the {'braces' if opener == '{' else 'brackets'} begin, "
                     f"or delete the `{closer}`")


def bracket_in_flow_value(text: str, at: Position, said: str, replayed: Replay,
                          excerpt: Excerpt) -> Explained | None:
    """`{id: choose, name: Choose Nordba{nk, completion: 0.6}`, `[PP-agree}ment]`: inside
    `{…}` or `[…]` a bracket ends a plain value, so the parser stops at it, where a `,` or
    the closing bracket was due (its mark is the value's end mark). Said at the bracket,
    for one that is not the closer of a bracket open around the value (`[x, y}`: a `]`
    left out, not a `}` too many) nor, apart or last on its line, the closer mistyped."""
    stop = replayed.stop
    scalar = stop.scalar if stop is not None else None
    inner = innermost(stop)
    line = line_text(text, at[0])
    char = line[at[1] - 1:at[1]]
    if scalar is None or inner is None or not inner.flow or not scalar.plain or not char or char not in "[]{}" \
            or not scalar.at[0] == at[0] == scalar.end_line or scalar.end_column > at[1] \
            or line[scalar.end_column - 1:at[1] - 1].strip(" \t"):
        return None
    if any(brackets_of(c)[1] == char for c in replayed.written_brackets):
        return None
    if not scalar.value:  # `{confi]dence: 0.6}`: a key cut short, its value an empty one
        return _bracket_in_flow_key(line, at, char, scalar, said, excerpt)
    glued = char == "]" and line[at[1]:at[1] + 1].isalnum()  # `Explore ]prices`, no `[` open: no closer
    if char in "]}" and not glued and (scalar.end_column != at[1] or not COMMENT.split(line[at[1]:], 1)[0].strip()):
        return None  # `[1, 2 }`, `[a, b}` at the line's end: the wrong closer, more likely than a stray one
    # the value as written: through the bracket, to the `,` or the bracket that ends the item
    ends = re.match(f"[^,{re.escape(brackets_of(inner)[1])}]*", line[at[1]:]).group()  # type: ignore[union-attr]
    value = line[scalar.at[1] - 1:at[1]] + ends.rstrip()
    number = line[scalar.at[1] - 1:at[1] - 1] + ends.rstrip()
    if scalar.key in NUMBER_KEYS and NUMBER.fullmatch(number):  # `{value: 52]}`
        return Explained(f"a `{char}` inside the value of `{scalar.key}`, a number ({said})", *at,
                         f"delete the `{char}` (`{scalar.key}: {number}`)", (scalar.at,), ("where the value begins",))
    if scalar.key is not None:
        what, example = f"the value of `{excerpt(scalar.key, 30)}`", quoted_example(scalar.key, value, excerpt)
    elif scalar.item_of is not None:
        what, example = f"an item of `{excerpt(scalar.item_of, 30)}`", quoted_example(None, value, excerpt)
    else:
        return None  # a key: `{day[s: 90}`
    return Explained(f"a `{char}` inside {what}, where YAML reads it as a bracket: inside `{{…}}` or `[…]` a value "
                     f"without quotes ends at one ({said})", *at,
                     f"if the `{char}` belongs to the value, quote the value (`{example}`); if not, delete the "
                     f"`{char}`",
                     (scalar.at,), ("where the value begins",))


def _bracket_in_flow_key(line: str, at: Position, char: str, key: Scalar, said: str,
                         excerpt: Excerpt) -> Explained | None:
    """`{id: kyc, completion]: 0.75}`, `{day[s: 90}`: a bracket right after a key's text in
    `{…}` ends the key there, which YAML reads as a key without a value (`key`, the empty
    value it gave it). Said at the bracket, when the rest of the key and its ':' follow it."""
    rest = re.match(r"([\w-]*):(?:[ \t]|$)", line[at[1]:])
    if rest is None or not isinstance(key.key, str) or key.key_at is None or key.key_at[0] != at[0] \
            or key.key_at[1] + len(key.key) != at[1] or char not in "[]{}":
        return None
    meant = key.key + rest.group(1)
    value = item_text(line[at[1] + rest.end():]).strip()
    return Explained(f"a `{char}` inside the key `{excerpt(meant, 30)}:`, where YAML reads it as a bracket: inside "
                     f"`{{…}}` or `[…]` a key without quotes ends at one ({said})", *at,
                     f"delete the `{char}` (`{excerpt(f'{meant}: {value}'.rstrip(), EXAMPLE_LIMIT)}`)",
                     (key.key_at,), ("where the key begins",))


def stray_in_flow(text: str, at: Position, said: str, replayed: Replay) -> Explained | None:
    """`{period: 2026-Q2, ,value: 2.3}`, `{id: ]explore}`, `{name: :Decide}`: a character typed
    where a key or value of `{…}` or `[…]` begins (after its `{`, `,` or ':'), where the
    parser stopped (its mark); `name,: x`, a `,` typed before a key's ':' (the mark at the
    ':'). Said at the character, when the file, without it, reads past the line."""
    line = line_text(text, at[0])
    char = line[at[1] - 1:at[1]]
    where_it_is = "where a key or value of `{…}` or `[…]` begins"
    tries = [(at, char, where_it_is)]
    if char == ":" and line[at[1] - 2:at[1] - 1] == ",":  # `name,: x`: the `,` is the slip, or the ':' (`4,: c`)
        tries.insert(0, ((at[0], at[1] - 1), ",", "between a key and its ':'"))
    elif not char or char not in ",:[]{}-" or not line[:at[1] - 1].rstrip()[-1:] in ("{", "[", ",", ":") \
            or char == "-" and (line[at[1]:at[1] + 1] not in (" ", "\t", "")  # `-0.2` is a value, and
                                or line[:at[1] - 1].rstrip().endswith(":")  # `change: - 150` a space too many,
                                or re.match(r"[ \t]+[0-9.]", line[at[1]:])):  # as `[1, - 2]`: not the sign to go
        return None
    if char in "]}" and {"]": "[", "}": "{"}[char] in _open_before(line[:at[1] - 1]):
        return None  # `{[}`: it closes what is open around it; the slip is before it
    for place, typed, where_it_is in tries:
        if reads_past(replaced(text, *place), replayed.parser, place[0]):
            return Explained(f"a `{typed}` {where_it_is} ({said})", *place, f"delete the `{typed}`")
    return None


def _open_before(written: str) -> list[str]:
    """The brackets `written` leaves open, outermost first (quotes aside: a hint's guard)."""
    still: list[str] = []
    for char in written:
        if char in "[{":
            still.append(char)
        elif char in "]}" and still and still[-1] == {"]": "[", "}": "{"}[char]:
            still.pop()
    return still


def stray_after_flow_key(text: str, at: Position, key_at: Position, said: str, replayed: Replay,
                         excerpt: Excerpt) -> Explained | None:
    """`{days:{ 90}`, `{change:, -0.2}`, `{name:] Payout}`: a bracket or ',' typed right
    after a key's ':' in `{…}`, where YAML reads the ':' as part of the key's text (libyaml:
    "found unexpected ':'", its mark at the ':', its context mark where the key begins).
    Said at the character, with the fix tried that reads the file past the line: the
    character deleted or, before text, replaced with a space."""
    line = line_text(text, at[0])
    char = line[at[1]:at[1] + 1]
    before = line[:key_at[1] - 1]  # a `{` open before the key on its line (libyaml holds one after `- ` back)
    if key_at[0] != at[0] or line[at[1] - 1:at[1]] != ":" or not char or char not in ",[]{}" \
            or not before.rstrip().endswith(("{", ",")) or before.count("{") <= before.count("}"):
        return None
    key = line[key_at[1] - 1:at[1] - 1]
    if not re.fullmatch(r"[A-Za-z_][\w-]*", key):
        return None
    # before a blank the character is one too many; before text it took the blank's place
    fixed, hint = ((replaced(text, at[0], at[1] + 1), f"delete the `{char}`") if line[at[1] + 1:at[1] + 2] in " \t"
                   else (replaced(text, at[0], at[1] + 1, " "), f"replace the `{char}` with a space"))
    if not reads_past(fixed, replayed.parser, at[0]):
        return None
    written = item_text(line_text(fixed, at[0])[key_at[1] - 1:]).strip()
    return Explained(f"a `{char}` right after the ':' of `{excerpt(key, 30)}`, where its value begins ({said})",
                     at[0], at[1] + 1, f"{hint} (`{excerpt(written, EXAMPLE_LIMIT)}`)", (at,), (STOPPED,))


def list_opened_in_braces(text: str, at: Position, said: str, replayed: Replay,
                          excerpt: Excerpt) -> Explained | None:
    """`{kpi: nps, [change: 0.2}`, `{completion: [0.90}`: a `[` typed inside `{…}`, where a
    key or a value of a key that takes no list begins, opens a list that the `}` ending the
    braces does not close (libyaml stops at that `}`: "did not find expected ',' or ']'").
    Said at the `[`, when the file without it reads past the line; a `[` before the value
    of a key that takes a list (`addresses: [PP-1}`) may be one whose `]` is left out."""
    written = replayed.written_brackets
    line = line_text(text, at[0])
    if len(written) < 2 or written[-1].is_map or not written[-2].is_map or line[at[1] - 1:at[1]] != "}" \
            or written[-1].at[0] != at[0]:
        return None
    opened = written[-1].at
    before = line[:opened[1] - 1].rstrip()
    key = KEY_BEFORE.search(line[:opened[1] - 1])
    if before.endswith(("{", ",")):
        begins = opened[1]  # where the item begins: at the `[`, a key's place
        where = "where a key begins"
    elif key is not None and before.endswith(":") and key.group(1) not in LIST_KEYS:
        begins = key.start(1) + 1
        where = f"before the value of `{excerpt(key.group(1), 30)}`, which takes no list"
    else:
        return None
    fixed = replaced(text, at[0], opened[1])
    if not reads_past(fixed, replayed.parser, at[0]):
        return None
    item = item_text(line_text(fixed, at[0])[begins - 1:]).strip()
    return Explained(f"a `[` inside `{{…}}`, {where}: YAML reads it as the start of a list, which the `}}` at column "
                     f"{at[1]} does not close ({said})", *opened, f"delete the `[` (`{excerpt(item, EXAMPLE_LIMIT)}`)",
                     (at,), (STOPPED,))


def braces_opened_in_braces(text: str, at: Position, said: str, replayed: Replay,
                            excerpt: Excerpt) -> Explained | None:
    """`{id: block, name: Block, {completion: 0.9}`: a `{` typed inside `{…}` where a key
    begins opens braces of their own, which take the `}` that was to close the outer ones:
    those stay open, and libyaml stops where the next item or key begins ("did not find
    expected ',' or '}'"). Said at that `{`, the one such on the outer braces' line, when
    the file without it reads past where the parser stopped."""
    written = replayed.written_brackets
    if not written or not written[-1].is_map or written[-1].at[0] >= at[0]:
        return None
    outer = written[-1].at
    line = line_text(text, outer[0])
    inner = [n for n in range(outer[1], len(line)) if line[n] == "{" and line[:n].rstrip()[-1:] in (",", "{")]
    if len(inner) != 1 or COMMENT.search(line[:inner[0]]):
        return None
    column = inner[0] + 1
    fixed = replaced(text, outer[0], column)
    if not reads_past(fixed, replayed.parser, at[0]):
        return None
    item = item_text(line_text(fixed, outer[0])[inner[0]:]).strip()
    return Explained(f"a `{{` inside `{{…}}`, where a key begins: YAML reads it as braces of their own, which take "
                     f"the `}}` meant for the `{{` at column {outer[1]}, so that one is not closed ({said})",
                     outer[0], column, f"delete the `{{` (`{excerpt(item, EXAMPLE_LIMIT)}`)", (at,), (STOPPED,))


_CLOSER_BEFORE_COLON = re.compile(r"([A-Za-z_][\w-]*)\}:(?=[ \t])")


def closer_before_colon(text: str, at: Position, said: str, replayed: Replay, excerpt: Excerpt) -> Explained | None:
    """`{period}: 2024, value: 69}`: a `}` typed between a key and its ':' closes the braces
    there, and what follows reads as a value that runs on into the next key (libyaml:
    "mapping values are not allowed in this context" at that key's ':'). Said at the `}`,
    the one such before the mark on its line, when the file without it reads past the line."""
    line = line_text(text, at[0])
    found = [m for m in _CLOSER_BEFORE_COLON.finditer(line) if m.end() <= at[1] and "{" in line[:m.start()]]
    if len(found) != 1 or COMMENT.search(line[:found[0].end()]):
        return None
    closer = found[0].end(1)  # 0-based column of the `}`
    fixed = replaced(text, at[0], closer + 1)
    if not reads_past(fixed, replayed.parser, at[0]):
        return None
    key = found[0].group(1)
    item = item_text(line_text(fixed, at[0])[found[0].start():]).strip()
    return Explained(f"a `}}` between the key `{excerpt(key, 30)}` and its ':', which closes the braces there "
                     f"({said})", at[0], closer + 1, f"delete the `}}` (`{excerpt(item, EXAMPLE_LIMIT)}`)",
                     (at,), (STOPPED,))


def colon_after_bracket(text: str, at: Position, line: str, said: str, replayed: Replay,
                        excerpt: Excerpt) -> Explained | None:
    """`scoring: {}   :`, `addresses: [PP-1]:`: a ':' after the `}` or `]` that ends a
    value, which YAML reads as making that value a key (libyaml: "mapping values are not
    allowed in this context" at the ':'). Said there, when the file without it reads on."""
    if line[at[1] - 1:at[1]] != ":":
        return None
    after = text_after_bracket(line, at, said, replayed.stop, excerpt)
    if after is None or not reads_past(replaced(text, *at), replayed.parser, at[0]):
        return None
    return Explained(after.message, *at, "delete the `:`")


def braces_opened_in_list(text: str, at: Position, said: str, replayed: Replay,
                          excerpt: Excerpt) -> Explained | None:
    """`addresses: [{PP-1]`: a `{` typed where an item of `[…]` begins opens braces that the
    `]` ending the list does not close (libyaml stops at that `]`: "did not find expected
    ',' or '}'"). Said at the `{`, when the file without it reads past the line."""
    written = replayed.written_brackets
    line = line_text(text, at[0])
    if len(written) < 2 or not written[-1].is_map or written[-2].is_map or line[at[1] - 1:at[1]] != "]" \
            or written[-1].at[0] != at[0] or not line[:written[-1].at[1] - 1].rstrip().endswith(("[", ",")):
        return None
    opened = written[-1].at
    fixed = replaced(text, at[0], opened[1])
    if not reads_past(fixed, replayed.parser, at[0]):
        return None
    item = item_text(line_text(fixed, at[0])[opened[1] - 1:]).strip()
    return Explained(f"a `{{` inside `[…]`, where an item begins: YAML reads it as the start of braces, which the "
                     f"`]` at column {at[1]} does not close ({said})", *opened,
                     f"delete the `{{` (`{excerpt(item, EXAMPLE_LIMIT)}`)", (at,), (STOPPED,))
