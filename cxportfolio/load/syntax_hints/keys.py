"""A key's ':' and an item's '-': a key without its ':' or without the space after it
(`title:x`, `- id mortgage`), a dash without its space (`-id:`, `-mobile`), an item that
lost its `- `, a value wrapped onto a line of its key's indent, a spreadsheet's row
pasted as a line, and more keys after a `...` line.
"""

from __future__ import annotations

import re

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, KEY, Position, STOPPED,
                                                  line_text, quoted_example, read_lines)
from cxportfolio.load.syntax_hints.replay import Replay, Scalar, innermost
from cxportfolio.load.syntax_hints.vocabulary import FORMAT_KEYS


# A key glued to its value (`title:Status`, `effort:3`): YAML needs a space after the ':'.
_GLUED_KEY = re.compile(r"([A-Za-z_][\w-]*):[^\s:]")
# A key and a plain value on a line of their own (`    title: Continue onboarding`, not a
# list item's first line, whose value is an id): the indent and the key.
_PLAIN_VALUE_LINE = re.compile(r"( *)([A-Za-z_][\w-]*): +[^\s\"'\[{|>&*!#][^#]*")
# A key that begins with a '-' glued to it (`-id:`): a list item's dash without its space.
DASH_GLUED = re.compile(r"-[A-Za-z_{\[]")  # `-{id: x}` too
# A list item's start inside a plain value (`DIG-1 - id`): the line break before it lost.
# Only the keys that items begin with: `Mortgage - status: tracker` is a title to quote.
NEXT_ITEM = re.compile(r"\s-\s+(id|kpi|rule)$")
# Keys of the portfolio format written in a row after a value (`DIG-1, title`), as in braces.
KEYS_IN_A_ROW = re.compile(r",\s*(id|title|unit|name|kpi|change|effort|status|addresses|description|journey|"
                            r"stage|direction|target|period|rule|reason|severity|reach)$")
# A row of values pasted from a spreadsheet: cells separated by ',' or ';' without a space
# after it (prose puts one there), or by tabs (cells copied and pasted), and no `key: `.
_ROW_CELLS = 3  # at least


def spreadsheet_row(rest: str, where: Position, said: str, excerpt: Excerpt, at: Position) -> Explained | None:
    """`OPP-004,Digital søknad om SFO,oppvekst,approved,4,2026-Q3` where a key was due: a
    spreadsheet's row pasted as it was exported, which YAML reads as one key without its
    ':'. Said where it begins (the parser's mark), with the item it would be, written out."""
    row = COMMENT.split(rest, 1)[0].strip()
    if ": " in row or row.endswith(":"):
        return None
    for separator in ",;\t":  # a tab: cells copied from a spreadsheet and pasted as text
        cells = row.split(separator)
        glued = sum(1 for cell in cells[1:] if cell[:1] not in (" ", "\t", ""))
        if len(cells) >= _ROW_CELLS and glued >= _ROW_CELLS - 1:
            break
    else:
        return None
    first = cells[0].strip()
    ident = excerpt(first, 30) if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", first) and first not in FORMAT_KEYS \
        else "…"
    between = "tabs" if separator == "\t" else f"'{separator}'"
    return Explained(f"this line looks like a row of a spreadsheet, its values separated by {between} "
                     f"({said})", *where,
                     f"write each value under its key, as a list item: `- id: {ident}`, then `title: …`, "
                     f"`status: …` and the others each on a line of its own below it, in line with `id:`",
                     (at,), (STOPPED,))


def item_key_glued(text: str, scalar: Scalar, at: Position, said: str, excerpt: Excerpt,
                    top: bool = False) -> Explained | None:
    """`- id:DIG-2` with `title: x` below it: an item's first key without the space after
    its ':' makes the item one plain value, which the next line's key cannot continue —
    libyaml stops there, a line below the mistake. Likewise a file's first key (`top`: the
    value is the document itself, `unit:digital` above `initiatives:`)."""
    glued = _GLUED_KEY.match(scalar.value) if scalar.plain and (scalar.item_of is not None or top) else None
    if glued is None or scalar.at[0] >= at[0] or scalar.value.startswith("//", glued.end(1) + 1):
        return None  # `- https://…`: an address, which a list of evidence may hold, not a key
    # the value ran on into the line where the parser stopped, or a comment ended it (`kpis:"  # KPIs`)
    reads = "it and the line below" if scalar.end_line == at[0] else "the line"
    return _glued(line_text(text, scalar.at[0])[scalar.at[1] - 1:], glued, scalar.at, reads, said, excerpt, at)


def _glued(written: str, glued: re.Match[str], where: Position, reads: str, said: str, excerpt: Excerpt,
           at: Position) -> Explained:
    """A key without the space after its ':' (`title:Status`), said where it begins. A quote
    glued to the ':' and not closed is one to delete when a blank or nothing follows it
    (`kpis:"`, `year:' 2026`, a key typed with a quote too many), else one to close
    (`title:"Status tracker`)."""
    key = excerpt(glued.group(1), 30)
    value = COMMENT.split(written, 1)[0].rstrip().partition(":")[2]
    quote = value[:1] if value[:1] in ("'", '"') else ""
    closed = len(value) > 1 and value.endswith(quote)
    if quote and not closed and value[1:2] in ("", " ", "\t"):
        meant = excerpt(f"{glued.group(1)}: {value[1:].strip()}".rstrip(), EXAMPLE_LIMIT)
        return Explained(f"`{key}:` has a `{quote}` right after its ':', so YAML reads {reads} as one value, not a "
                         f"key ({said})", *where, f"delete the `{quote}` (`{meant}`)", (at,), (STOPPED,))
    if quote and not closed and (quote in value[1:] or quote == '"' and "\\" in value[1:]):
        # closing it would end the value at the quote inside (`title:"Say "hi"`), or read a
        # `\` as an escape: the text after the quote, quoted so that it reads as written
        hint = (f"put a space after the ':' and quote the value as a whole "
                f"(`{quoted_example(glued.group(1), value[1:], excerpt)}`)")
    elif quote and not closed:
        hint = (f"put a space after the ':' and close the quote at the end of the value "
                f"(`{excerpt(f'{glued.group(1)}: {value}{quote}', EXAMPLE_LIMIT)}`)")
    else:
        hint = f"put a space after the ':' (`{_spaced(written, excerpt)}`)"
    return Explained(f"`{key}:` has no space after its ':', so YAML reads {reads} as one value, not a key ({said})",
                     *where, hint, (at,), (STOPPED,))


def _spaced(written: str, excerpt: Excerpt) -> str:
    """`title:Status tracker  # x` as it was meant: `title: Status tracker`."""
    key, _, value = COMMENT.split(written, 1)[0].rstrip().partition(":")
    return excerpt(f"{key}: {value}", EXAMPLE_LIMIT)


def first_key_without_colon(text: str, scalar: Scalar, at: Position, said: str, excerpt: Excerpt,
                             top: bool) -> Explained | None:
    """`- id mortgage` with `name: Mortgage` below it: an item's first key (or a file's,
    `top`) without its ':' makes the item one plain value, which the next line's key cannot
    continue: libyaml stops at that key's ':', or, when a comment ended the value, at the
    key itself, in line with the value. Only for a key of the format followed by a value
    on the line where the value begins (`- mobile` above a key out of line is an item)."""
    if not scalar.plain or scalar.item_of is None and not top or scalar.at[0] >= at[0]:
        return None
    if scalar.end_line != at[0] and (at[1] != scalar.at[1] or not KEY.match(line_text(text, at[0])[at[1] - 1:])):
        return None
    words = COMMENT.split(line_text(text, scalar.at[0])[scalar.at[1] - 1:], 1)[0].split(maxsplit=1)
    if len(words) != 2 or words[0] not in FORMAT_KEYS:
        return None
    key = excerpt(words[0], 30)
    below = "the line below" if at[0] == scalar.at[0] + 1 else f"the lines below it, up to line {at[0]},"
    read = (f"this line and {below} as one value, not keys" if scalar.end_line == at[0] else
            "this line as one value, not a key")  # a comment ended it
    return Explained(f"`{key}` has no ':' after it, so YAML reads {read} ({said})", *scalar.at,
                     f"add ':' after the key (`{key}: {excerpt(words[1].rstrip(), 30)}`)", (at,), (STOPPED,))


def _item_dash_glued(text: str, key_at: Position, said: str, replayed: Replay, excerpt: Excerpt,
                     at: Position) -> Explained | None:
    """`-mobile` in line with the `- ` of the items of a list open there: without a space
    after it, the `-` is part of a plain value, which libyaml takes for a key."""
    rest = line_text(text, key_at[0])[key_at[1] - 1:]
    if not DASH_GLUED.match(rest):
        return None
    stop = replayed.stop
    inner = innermost(stop)
    if inner is None or inner.is_map or inner.flow or inner.at[1] != key_at[1]:
        return None
    token = excerpt(COMMENT.split(rest, 1)[0].rstrip(), 30)
    return Explained(f"`{token}` has no space after its '-', so YAML does not read it as a list item ({said})",
                     *key_at, f"put a space after the '-' (`- {excerpt(token[1:], 30)}`)", (at,), (STOPPED,))


def dash_glued(key: str, key_at: Position, at: Position, said: str, excerpt: Excerpt) -> Explained:
    """`-id: DIG-1`: without a space after it, the `-` is part of the key, not a list item."""
    token = excerpt(key, 30)
    related, labels = ((at,), (STOPPED,)) if at != key_at else ((), ())
    return Explained(f"`{token}:` has no space after its '-', so YAML reads `{token}` as a key, not as a list "
                     f"item ({said})", *key_at, f"put a space after the '-' (`- {excerpt(key[1:], 30)}:`)",
                     related, labels)


def _document_end_above(text: str, at: Position) -> int | None:
    """The last line above `at` that is YAML's document end marker, `...`, if any."""
    lines = read_lines(text, 1, at[0] - 1, at[0])
    return next((n for n in range(len(lines), 0, -1) if COMMENT.split(lines[n - 1], 1)[0].rstrip() == "..."), None)


def _item_above(text: str, at: Position) -> int | None:
    """The line of the list item that the line at `at` would be the next of, when the
    nearest line above it not indented further (blank and comment lines aside) is an item
    (`- `) at its column; else None."""
    lines = read_lines(text, 1, at[0] - 1, at[0])
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        body = line.lstrip(" ")
        if not body or body.startswith("#") or len(line) - len(body) > at[1] - 1:
            continue
        return number if len(line) - len(body) == at[1] - 1 and body[:2] in ("- ", "-") else None
    return None


def key_without_colon(text: str, at: Position, key_at: Position, said: str, replayed: Replay,
                      excerpt: Excerpt) -> Explained:
    """libyaml notices a missing ':' on the line after the key, which began at its context
    mark (`key_at`): said there, as the slip the line shows (a spreadsheet's row, a dash or
    key without its space, a value wrapped onto a line of its key's indent, an item that
    lost its `- `), or as a key without ':'."""
    written = line_text(text, key_at[0])[key_at[1] - 1:]
    row = spreadsheet_row(written, key_at, said, excerpt, at)
    if row is not None:  # `OPP-004,Digital søknad om SFO,oppvekst,approved,4,2026-Q3`
        return row
    dash = _item_dash_glued(text, key_at, said, replayed, excerpt, at)
    if dash is not None:  # `-mobile` among the `- ` items of `tags:`
        return dash
    glued = _GLUED_KEY.match(written)
    if glued is not None:  # `title:Status`: one plain value, as YAML reads it
        return _glued(written, glued, key_at, "the line", said, excerpt, at)
    column = key_at[1] - 1
    above = _PLAIN_VALUE_LINE.fullmatch(line_text(text, key_at[0] - 1)) if key_at[0] > 1 else None
    first = written.split(maxsplit=1)
    wrapped = above is not None and (len(above.group(1)) == column or len(above.group(1)) > column
                                     and first and first[0][0] not in "{[")  # less: not `{id: b}`, an item
    if above is not None and wrapped and not (first and first[0] in FORMAT_KEYS):
        # `title: Continue onboarding` and, under it, `where BankID is`: a value wrapped
        # onto a line of the key's own indent (or less), which YAML reads as a new key
        key = excerpt(above.group(2), 30)
        where = "at its indent" if len(above.group(1)) == column else "indented less than it"
        return Explained(f"a line without ':' under `{key}:`, {where} ({said})", *key_at,
                         f"if it goes on with `{key}:`'s value, indent it further than `{key}:` (or join the "
                         "two lines); if it is a key, add ':' after it", (at,), (STOPPED,))
    # `-5` may have lost its sign or its space, not its `- `: the parser's words
    item = None if re.match(r"-[0-9.]", first[0] if first else "") else _item_above(text, key_at)
    if item is not None:  # `- {id: a}` and, under it, `{id: b}`: an item whose `- ` was lost
        return Explained(f"a list item without its `- ` ({said})", *key_at,
                         f"start it with `- `, in line with the item at line {item}", (at,), (STOPPED,))
    return Explained(f"a key without ':' ({said})", *key_at, "add ':' after the key" + _as_meant(written, excerpt),
                     (at,), (STOPPED,))


def _as_meant(written: str, excerpt: Excerpt) -> str:
    """` (`size: quick_win`)` for `size quick_win`, a key of the format and its value, or
    ` (`effects:`)` for a key alone: the line as meant, so that the ':' goes after the key,
    not after a word of the value."""
    words = COMMENT.split(written, 1)[0].split(maxsplit=1)
    if not words or words[0] not in FORMAT_KEYS:
        return ""
    return f" (`{excerpt(words[0], 30)}:{' ' + excerpt(words[1].rstrip(), 30) if len(words) == 2 else ''}`)"


def more_after_document_end(text: str, at: Position, said: str) -> Explained | None:
    """`...` (YAML's end of a document) on a line of its own, then more keys."""
    ended = _document_end_above(text, at)
    if ended is None:
        return None
    return Explained(f"a `...` line ends the YAML document, and more is written after it ({said})", *at,
                     f"delete the `...` at line {ended}: a file holds one document", ((ended, 1),),
                     ("the `...` that ends the document",))

