"""Quoted values: a quote left open (running on to a later quote, to a `---` line or to
the end of the file), a quote inside a value in those quotes, and text after a value's
closing quote; each with where the closing quote goes, or, before a number, that the
opening one goes instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

import yaml

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, KEY_AT_MARK, KEY_BEFORE,
                                                  NUMBER, Position, STOPPED, item_text, line_text, quoted_example,
                                                  read_lines)
from cxportfolio.load.syntax_hints.replay import Scalar, Stop, innermost
from cxportfolio.load.syntax_hints.vocabulary import LIST_KEYS, NUMBER_KEYS


# A line of the file a quoted value ran on over, that begins as a key or an item's key does.
_SWALLOWED_KEY = re.compile(r"[ \t]*(?:-[ \t]+\{?[ \t]*)?[A-Za-z_][\w-]*:(?:[ \t]|$)")  # `- {kind:` too


def quote_run_on(text: str, at: Position, said: str, stop: Stop | None, excerpt: Excerpt) -> Explained | None:
    """`title: "Status tracker` without its closing quote, and a later quote in the file:
    the value ran on over the lines between, to that quote, and the parser stopped just
    after it. Reported where the value begins, which is where the quote is missing."""
    scalar = stop.scalar if stop is not None else None
    if scalar is None or not scalar.quote or scalar.end_line != at[0] or scalar.at[0] >= at[0]:
        return None
    # A line it ran over begins as a key or an item does: a value written over lines on
    # purpose ("Customers say: it crashes ...") then text after its quote is another mistake.
    if not any(_SWALLOWED_KEY.match(line) for line in read_lines(text, scalar.at[0] + 1, at[0], most=1000)):
        return None
    return Explained(f"{_scalar_what(scalar, excerpt)} runs on from here to line {at[0]}: its closing quote is "
                     f"missing ({said})",
                     *scalar.at, _closing_hint(line_text(text, scalar.at[0]), scalar.at, scalar.quote, stop,
                                               on_purpose=False, key=scalar.key),
                     (at,), (STOPPED,))


def quote_inside(text: str, at: Position, said: str, stop: Stop | None, excerpt: Excerpt) -> Explained | None:
    """`title: 'Barnas' hus'`: a quote inside a value in those quotes ends it there, and the
    parser stops at the text after it. Said where the value begins, when its line ends
    with the same quote; the value meant is the text between the first and last quote."""
    scalar = stop.scalar if stop is not None else None
    if scalar is None or not scalar.quote or scalar.at[0] != at[0] or scalar.end_line != at[0]:
        return None
    line = line_text(text, at[0])
    written = COMMENT.split(line[scalar.at[1] - 1:], 1)[0].rstrip()
    inner = innermost(stop)
    if inner is not None and inner.flow:  # in {…} or […]: up to the item's end
        written = item_text(written[1:])
        written = scalar.quote + written.rstrip()
    quote = scalar.quote
    if len(written) < 3 or not written.endswith(quote) or written[1:-1].count(quote) == 0:
        return None
    meant = written[1:-1]
    if quote == "'" and "''" in meant:
        return None  # an apostrophe already doubled: another mistake
    key = scalar.key if isinstance(scalar.key, str) else None
    what = f"the value of `{excerpt(key, 30)}`" if key is not None else "a value"
    lead = f"{key}: " if key is not None else ""
    other = quoted_example(key, meant, excerpt)  # in the other quotes
    if quote == "'":
        written_so = f"{lead}'{meant.replace(chr(39), chr(39) * 2)}'"
        hint = (f"inside single quotes write each ' as '' (`{excerpt(written_so, EXAMPLE_LIMIT)}`), or put the "
                f"value in double quotes (`{other}`)")
    else:
        written_so = lead + '"' + meant.replace("\\", "\\\\").replace('"', '\\"') + '"'
        hint = (f'inside double quotes write each " as \\" (`{excerpt(written_so, EXAMPLE_LIMIT)}`), or put the '
                f"value in single quotes (`{other}`)")
    return Explained(f"{what} is in {'single' if quote == chr(39) else 'double'} quotes and holds a {quote}, which "
                     f"ends it there ({said})", *scalar.at, hint, (at,), (STOPPED,))


def text_after_quote(text: str, at: Position, said: str, stop: Stop | None, parser: Callable[[str], Any],
                      excerpt: Excerpt) -> Explained | None:
    """`title: "Application status" tracker`: the value ends at its closing quote, and the
    parser stops at the text after it (its mark), on the line the quoted value is on."""
    scalar = stop.scalar if stop is not None else None
    if scalar is None or not scalar.quote or not scalar.at[0] == scalar.end_line == at[0]:
        return None
    line = line_text(text, at[0])
    if scalar.end_column > at[1] or line[scalar.end_column - 1:at[1] - 1].strip(" \t"):
        return None  # something other than blanks between the quote and the mark
    flow = stop is not None and bool(stop.open) and stop.open[-1].flow
    rest = COMMENT.split(line[at[1] - 1:], 1)[0]
    after = (item_text(rest) if flow else rest).rstrip()
    if not after or KEY_AT_MARK.match(after):
        return None  # `{period: "2026-Q2," value: 1}`: a key after the value, a comma missing (said elsewhere)
    if _SWALLOWED_PAIR.search(scalar.value):
        return None  # `{kind: "nps, count: 2, note: "Top"}`: a quote left open, closed by the next value's quote
    written = line[scalar.at[1] - 1:at[1] - 1] + after  # the quoted part, the blanks and the text after it
    key = scalar.key if isinstance(scalar.key, str) else None
    what = _scalar_what(scalar, excerpt)
    lead = f"{key}: " if key is not None else ""
    if scalar.quote == "'" and at[1] == scalar.end_column and after[0].isalpha():
        # `'Payout's and first instalment`: the closing quote may be an apostrophe
        meant = written[1:]
        doubled = excerpt(f"{lead}'{meant.replace(chr(39), chr(39) * 2)}'", EXAMPLE_LIMIT)
        other = quoted_example(key, meant, excerpt)
        return Explained(f"the text after the closing quote, `{excerpt(after, 30)}`, is outside {what} ({said})",
                         *at, f"if the ' before it is an apostrophe, write it as '' (`{doubled}`), or put the value "
                         f"in double quotes (`{other}`)", (scalar.at,), ("where the quoted value begins",))
    if key in NUMBER_KEYS or key in LIST_KEYS:  # no text either way: the value the field takes
        number = scalar.value.strip()
        items = ", ".join([number, *re.findall(r"[^\s,]+", after)])
        hint = ("write the number alone, without quotes or a unit"
                + (f" (`{key}: {number}`)" if NUMBER.fullmatch(number) else "") if key in NUMBER_KEYS else
                f"write its ids as a list, without quotes (`{excerpt(f'{key}: [{items}]', EXAMPLE_LIMIT)}`)")
        return Explained(f"the text after the closing quote, `{excerpt(after, 30)}`, is outside {what} ({said})",
                         *at, hint, (scalar.at,), ("where the quoted value begins",))
    example = quoted_example(key, written, excerpt)
    hint = f"put the whole {'value' if key is not None else 'item'} in quotes (`{example}`)"
    bare = written[1:scalar.end_column - scalar.at[1] - 1] + written[scalar.end_column - scalar.at[1]:]
    if _reads_plain(bare, flow, parser):
        hint += f", or remove the quotes (`{excerpt(lead + bare, EXAMPLE_LIMIT)}`)"
    return Explained(f"the text after the closing quote, `{excerpt(after, 30)}`, is outside {what} ({said})",
                     *at, hint, (scalar.at,), ("where the quoted value begins",))


_SWALLOWED_PAIR = re.compile(r",[ \t]*[A-Za-z_][\w-]*:[ \t]")  # `, note: ` inside a quoted value
_ENDS_WITH_KEY = re.compile(r",[ \t]*([A-Za-z_][\w-]*):[ \t]*$")  # `…, note: ` at the end of one


def quote_closed_by_next(text: str, at: Position, said: str, stop: Stop | None,
                          excerpt: Excerpt) -> Explained | None:
    """`{kind: "nps, count: 2, note: "Top"}`: the quote after `kind:` is left open and the
    one that opens `note:`'s value closes it, so the value ends with `, note: ` (its end
    mark on the line where it begins). Said where the value begins."""
    scalar = stop.scalar if stop is not None else None
    inner = innermost(stop)
    if scalar is None or not scalar.quote or inner is None or not inner.flow or scalar.at[0] != at[0] \
            or scalar.end_line != at[0]:
        return None
    swallowed = _ENDS_WITH_KEY.search(scalar.value)
    if swallowed is None:
        return None
    line = line_text(text, at[0])
    what = (f"the quoted value of `{excerpt(scalar.key, 30)}`" if isinstance(scalar.key, str)
            else _quoted_what(line, scalar.at, stop, excerpt))
    return Explained(f"{what} runs on to `{excerpt(swallowed.group(1), 30)}:`, whose opening quote closes it: its "
                     f"closing quote is missing ({said})", *scalar.at,
                     _closing_hint(line, scalar.at, scalar.quote, stop, on_purpose=False, key=scalar.key),
                     (at,), (STOPPED,))


def _scalar_what(scalar: Scalar, excerpt: Excerpt) -> str:
    """'the quoted value of `title`', 'a quoted item of `addresses`', or 'a quoted value',
    as the value read last says it is."""
    if scalar.key is not None:
        return f"the quoted value of `{excerpt(scalar.key, 30)}`"
    return f"a quoted item of `{excerpt(scalar.item_of, 30)}`" if scalar.item_of is not None else "a quoted value"


def _reads_plain(value: str, flow: bool, parser: Callable[[str], Any]) -> bool:
    """Whether `value`, written without quotes as a key's value, reads back as that text."""
    if not value or flow and set(value) & set(",[]{}"):
        return False
    try:
        events = iter(parser(f"k: {value}\n").get_event, None)
        scalars = [e for e in islice(events, 8) if isinstance(e, yaml.ScalarEvent)]
    except yaml.YAMLError:
        return False
    return len(scalars) == 2 and scalars[1].value == value and not scalars[1].style and \
        yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


def quote_unclosed(text: str, at: Position, start: Position, said: str, stop: Stop | None,
                    excerpt: Excerpt) -> Explained:
    """A quote opened and never closed, with no quote after it: libyaml notices at the end
    of the file, but the quote is missing where the value begins (its context mark), and
    that is where the message goes, as for a value that runs on to a later quote."""
    line = line_text(text, start[0])
    quote = line[start[1] - 1:start[1]] or '"'
    # written over lines on purpose when no line after the first begins as a key does
    lines = [line for line in read_lines(text, start[0] + 1, at[0], most=1000) if line.strip()]
    on_purpose = bool(lines) and not any(map(_SWALLOWED_KEY.match, lines))
    key = _quoted_key(line, start, stop)
    return Explained(f"{_quoted_what(line, start, stop, excerpt)} runs on from here to the end of the file: "
                     f"its closing quote is missing ({said})", *start,
                     _closing_hint(line, start, quote, stop, on_purpose, key), (at,),
                     (f"{STOPPED}: the end of the file",))


def document_marker_in_quotes(text: str, at: Position, start: Position, said: str, stop: Stop | None,
                               excerpt: Excerpt) -> Explained:
    """`---` or `...` at the start of a line inside a quoted value: it ends the document
    there, whether the quote was left open or the value is written over lines and closed
    further down, so both fixes are offered, where the parser stopped."""
    marker = line_text(text, at[0])[:3]
    what = _quoted_what(line_text(text, start[0]), start, stop, excerpt)
    return Explained(f"`{marker}` at the start of a line ends a YAML document, but it is inside {what}, "
                     f"which begins at line {start[0]} ({said})", *at,
                     f"if the line belongs to the value, indent it; if not, close the value's quote before "
                     f"line {at[0]} (a portfolio file holds one document)",
                     (start,), ("where the quoted value begins",))


def _quoted_what(line: str, start: Position, stop: Stop | None, excerpt: Excerpt) -> str:
    """'the quoted value of `title`', 'a quoted item of `addresses`', or 'a quoted value'
    when the parser's events do not say: libyaml holds back a `{` or `[` that may begin a
    key until the key ends, so the events may stop short of the collection the quote is
    in, which the text before the quote on its `line` then shows."""
    key = _quoted_key(line, start, stop)
    if key is not None:
        return f"the quoted value of `{excerpt(key, 30)}`"
    inner = innermost(stop)
    before = line[:start[1] - 1]
    if inner is not None and not inner.is_map and inner.key is not None and (
            (not inner.flow and before.strip() == "-")
            or (inner.flow and inner.at[0] == start[0] and not set(before[inner.at[1]:]) & set("{["))):
        return f"a quoted item of `{excerpt(inner.key, 30)}`"
    return "a quoted value"


def _quoted_key(line: str, start: Position, stop: Stop | None) -> Any:
    """The key whose value the quote at `start` opens, when the parser's events and the
    `line` agree that it is one (see _quoted_what)."""
    inner = innermost(stop)
    if inner is None or not inner.is_map or not inner.expects_value or inner.pending_key is None:
        return None
    key_mark = inner.pending_mark
    if key_mark is None or key_mark.line + 1 != start[0] or set(line[key_mark.column:start[1] - 1]) & set("{[,"):
        return None
    return inner.pending_key


def _closing_hint(line: str, start: Position, quote: str, stop: Stop | None, on_purpose: bool,
                  key: Any = None) -> str:
    """Where the missing closing quote goes: after an escaped quote the line seems to end
    with, before the `,` or bracket that ends an item of `[...]` or `{...}`, where a value
    written over lines ends, or at the end of `line`, the one it opens on. For a number
    (`change: "5}`), that the opening quote goes instead."""
    written = line[start[1]:].rstrip()
    if key is None:  # libyaml holds back a `{` after `- `: the line says whose value it is
        written_key = KEY_BEFORE.search(line[:start[1] - 1])
        key = written_key.group(1) if written_key else None
    if isinstance(key, str) and key in NUMBER_KEYS and not on_purpose:
        item = item_text(written)
        number = COMMENT.split(item, 1)[0].strip()  # `effort: "8 # weeks`: the comment stays one
        if NUMBER.fullmatch(number):
            return f"a number needs no quotes: remove the opening {quote} (`{key}: {number}`)"
    if quote == '"' and written.endswith('"'):
        backslashes = len(written[:-1]) - len(written[:-1].rstrip("\\"))
        if backslashes % 2:
            return ('inside double quotes \\" is a quote character, not the end of the value: write \\\\ for a '
                    'backslash at the end (or put the value in single quotes), or add the closing "')
    if quote == "'" and written.endswith("''"):
        return "inside single quotes '' is one apostrophe, not the end of the value: add the closing ' after it"
    closer = _flow_closer(line[:start[1] - 1], stop)
    if closer is not None:
        return f"add the closing {quote} where the item ends, before the next , or {closer}"
    if on_purpose:
        return f"add the closing {quote} where the value ends (it runs over the lines after this one)"
    return f"add the closing {quote} at the end of the value on this line"


def _flow_closer(before: str, stop: Stop | None) -> str | None:
    """The bracket that closes the `[...]` or `{...}` a quote on this line is inside, if any:
    the parser's open collection, or one the text before the quote opens (see _quoted_what)."""
    opened: list[str] = []
    for char in before:
        if char in "[{":
            opened.append("]" if char == "[" else "}")
        elif char in "]}" and opened:
            opened.pop()
    if opened:
        return opened[-1]
    inner = innermost(stop)
    if inner is not None and inner.flow:
        return "}" if inner.is_map else "]"
    return None
