"""Plain values YAML reads as something else: a ':' inside one (or keys and items written
in a row on one line, a key indented so far that it continues the value above; in `{…}`
or `[…]`, a ':' right before a `,`, `]` or `}`), a value beginning with a character YAML
reserves (`@`, `%`, `*`, …) or with a `,` outside brackets (`title: ,Status`), a number
with a space after its '-' in braces (`change: - 150`), and a `-` or `?` alone as a value,
written for "not known".
"""

from __future__ import annotations

from typing import Any

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, KEY_BEFORE, NUMBER,
                                                  Position, STOPPED, item_text, line_start, line_text, position_of,
                                                  quoted_example)
from cxportfolio.load.syntax_hints.indentation import SPACE_LIKE_FIRST, odd_space, reads_past, replaced, text_joined
from cxportfolio.load.syntax_hints.keys import (DASH_GLUED, KEYS_IN_A_ROW, NEXT_ITEM, dash_glued,
                                                first_key_without_colon, item_key_glued, spreadsheet_row)
from cxportfolio.load.syntax_hints.replay import Replay, Stop, innermost
from cxportfolio.load.syntax_hints.vocabulary import FORMAT_KEYS, NUMBER_KEYS, REQUIRED_KEYS, TEXT_KEYS


def indicator_alone(text: str, at: Position, line: str, said: str, replayed: Replay,
                     excerpt: Excerpt) -> Explained | None:
    """`effort: -` or `effort: ?`, written for "not known": alone, YAML reads the `-` as
    a list item's and the `?` as a key's, neither allowed after a key on its line. Said
    at the indicator, with whether the key may be left out (REQUIRED_KEYS)."""
    char = line[at[1] - 1:at[1]]
    after = COMMENT.split(" " + line[at[1]:], 1)[0].strip()
    if char not in "-?" or after and after[0] not in ",}]":
        return None  # more after it: `- id: B` after a value is a lost line break, said below
    stop = replayed.stop
    inner = innermost(stop)
    if inner is None or not inner.is_map or inner.flow != bool(after) and not inner.flow or \
            not inner.expects_value or not isinstance(inner.pending_key, str) or inner.pending_mark is None or \
            inner.pending_mark.line + 1 != at[0]:
        return None
    key = excerpt(inner.pending_key, 30)
    required = REQUIRED_KEYS.get(None if inner.top else inner.key)
    what = "a list item" if char == "-" else "a mapping key"
    line_of = f"`{key}: {char}`" if inner.flow else f"the `{key}:` line"
    if required is None:
        hint = (f"write the value of `{key}:` in place of the `{char}`; if it is not known and `{key}:` may be "
                f"left out, remove {line_of}")
    elif inner.pending_key in required:
        hint = f"write the value of `{key}:` in place of the `{char}` (`{key}:` is required)"
    else:
        hint = f"if it is not known, remove {line_of} (it is optional); else write its value in place of the `{char}`"
    return Explained(f"`{char}` alone is not a value: YAML reads it as the start of {what} ({said})", *at, hint)


# What YAML reads a plain value beginning with each of these as, when it refuses it.
_RESERVED_STARTS = {"@": "`@`, which YAML reserves", "`": "a backtick (`), which YAML reserves",
                    "%": "`%`, which YAML reserves for directives",
                    "*": "`*`, which YAML reads as an alias, a value repeated from an `&name`",
                    "&": "`&`, which YAML reads as an anchor, a name for the value",
                    "|": "`|`, which YAML reads as the start of a text on the lines below",
                    ">": "`>`, which YAML reads as the start of a text on the lines below"}


def reserved_start(text: str, at: Position, began: Any, problem: str, context: str, said: str,
                   replayed: Replay, excerpt: Excerpt) -> Explained | None:
    """`title: @kommunen`, ``title: `SFO` portal``, `title: % of applications`, `title: * New
    portal`, `title: | New`: a plain value cannot begin with these characters. Said at the
    parser's mark of the character (the problem mark where no token can start there, the
    context mark where it began an alias, anchor or block of text), with the value quoted."""
    if problem == "found character that cannot start any token":
        where = at
    elif context in ("while scanning an alias", "while scanning an anchor", "while scanning a block scalar") \
            and began is not None:
        where = position_of(began)
    else:
        return None
    line = line_text(text, where[0])
    char = line[where[1] - 1:where[1]]
    if char not in _RESERVED_STARTS:
        return None
    whose = _whose(text, where, replayed.stop, excerpt)
    if whose is None:
        return None
    what, example = whose
    return Explained(f"{what} begins with {_RESERVED_STARTS[char]} ({said})", *where,
                     f"quote the value, e.g. `{example}`")


def colon_before_flow_indicator(text: str, at: Position, began: Any, said: str, replayed: Replay,
                                excerpt: Excerpt) -> Explained | None:
    """`{id: explore, name: Explore:, completion: 0.8}`: inside `{…}` or `[…]` a plain value
    cannot hold a ':' right before a `,`, `]` or `}` (libyaml: "found unexpected ':'", its
    mark at the ':', its context mark where the value begins). Said at the ':', with the
    value quoted, or the ':' deleted, a slip of the keyboard."""
    start = position_of(began)
    line = line_text(text, at[0])
    after = line[at[1]:at[1] + 1]
    if start[0] != at[0] or line[at[1] - 1:at[1]] != ":" or after not in (",", "]", "}"):
        return None  # a value over lines: the parser's words
    head = line[:start[1] - 1]
    key = KEY_BEFORE.search(head)
    if not head[:key.start(1) if key else len(head)].rstrip().endswith(("{", "[", ",")):
        return None  # after another ': ' (`name: Explore: now:,`): whose value is unsure
    whose = _whose(text, start, replayed.stop, excerpt)
    if whose is None:
        return None
    what, example = whose
    number = line[start[1] - 1:at[1] - 1].rstrip(":")
    if key is not None and key.group(1) in NUMBER_KEYS and NUMBER.fullmatch(number):
        hint = f"delete the ':', a number holds none (`{excerpt(key.group(1), 30)}: {number}`)"  # `change: 4:,`
    else:
        hint = f"if the ':' belongs to the value, quote it (`{example}`); if not, delete the ':'"
    return Explained(f"{what} has a ':' right before `{after}`, which YAML does not read in a value inside "
                     f"`{{…}}` or `[…]` unless it is quoted ({said})", *at, hint)


def _whose(text: str, where: Position, stop: Stop | None, excerpt: Excerpt) -> tuple[str, str] | None:
    """What the plain value beginning at `where` is ('the value of `title`', 'an item of
    `addresses`') and that value written quoted, or None for a key, or a place the events
    do not tell."""
    line = line_text(text, where[0])
    inner = innermost(stop)
    value = COMMENT.split(line[where[1] - 1:], 1)[0].rstrip()
    if inner is not None and inner.flow:
        value = item_text(value).rstrip()
    before = line[:where[1] - 1]
    written_key = KEY_BEFORE.search(before)  # libyaml holds back a `{` after `- `: the line says whose value
    if inner is not None and inner.is_map and inner.expects_value and isinstance(inner.pending_key, str) and \
            inner.pending_mark is not None and inner.pending_mark.line + 1 == where[0]:
        key = excerpt(inner.pending_key, 30)
        return f"the value of `{key}`", quoted_example(inner.pending_key, value, excerpt)
    if written_key is not None and "{" in before:
        value = item_text(value).rstrip()
        key = excerpt(written_key.group(1), 30)
        return f"the value of `{key}`", quoted_example(written_key.group(1), value, excerpt)
    if inner is not None and not inner.is_map and (inner.flow or before.strip() == "-"):
        of = f" of `{excerpt(inner.key, 30)}`" if isinstance(inner.key, str) else ""
        return f"an item{of}", ("- " if not inner.flow else "") + quoted_example(None, value, excerpt)
    return None


def colon_in_value(text: str, at: Position, line: str, said: str, replayed: Replay,
                   excerpt: Excerpt) -> Explained | None:
    """`title: Mortgage: status tracker`, or a key indented so far that it continues the
    value above it (`effort:` under `title: x`, one space too far), or a text wrapped onto
    a line where its ': ' reads as a key (`søknader: vedtak …` under `title: Min side …`)."""
    stop = replayed.stop
    scalar = stop.scalar if stop else None
    if stop is None or scalar is None:
        return None
    if scalar.key is None:
        return (item_key_glued(text, scalar, at, said, excerpt, top=not stop.open)
                or first_key_without_colon(text, scalar, at, said, excerpt, top=not stop.open))
    key = excerpt(scalar.key, 20)
    if scalar.key_at is not None and SPACE_LIKE_FIRST.match(scalar.key):
        # `\xa0\xa0effort: 4` or `-\xa0id: B`: the key begins with a no-break space, which
        # YAML reads as part of it, and the lines below it read as more of its value
        odd = odd_space(scalar.key + ":", scalar.key_at, said, excerpt, (at,) if at != scalar.key_at else (),
                         (STOPPED,) if at != scalar.key_at else ())
        if odd is not None:
            return odd
    if DASH_GLUED.match(scalar.key) and scalar.key_at is not None:
        return dash_glued(scalar.key, scalar.key_at, at, said, excerpt)
    if scalar.at[0] == at[0]:
        if not scalar.plain:
            return Explained(f"text after the quoted value of `{key}` ({said})", *at,
                             "put the whole value inside the quotes, or end the line after the closing quote")
        value = COMMENT.split(line[scalar.at[1] - 1:], 1)[0].rstrip()
        keys = KEYS_IN_A_ROW.search(line[scalar.at[1] - 1:at[1] - 1])
        if keys is not None:  # `- id: DIG-1, title: Chat`: keys in a row, without braces
            return Explained(f"the value of `{key}` runs on into `{keys.group(1)}:` after a ',' ({said})", *at,
                             f"to write several keys on one line, put them in braces (`- {{{key}: …, "
                             f"{keys.group(1)}: …}}`), or give each key a line of its own; if the ',' is part of "
                             f"the value, quote it, e.g. `{quoted_example(key, value, excerpt)}`")
        item = NEXT_ITEM.search(line[scalar.at[1] - 1:at[1] - 1])
        if item is not None:  # `- id: DIG-1 - id: DIG-2`: a line break lost, not a value to quote
            token = f"- {excerpt(item.group(1), 30)}:"
            return Explained(f"a new item `{token}` follows the value of `{key}` on the same line ({said})", *at,
                             f"start `{token}` on a line of its own, in line with the `- ` of the item above")
        holds = "ends with ':'" if not COMMENT.split(line[at[1]:], 1)[0].strip() else "holds ': '"
        return Explained(f"the value of `{key}` {holds}, which YAML reads as another key ({said})",
                         *at, f"quote the value, e.g. `{quoted_example(key, value, excerpt)}`")
    if scalar.plain and scalar.key_at is not None and scalar.key_at[0] < scalar.at[0]:
        # the value begins on a line of its own: a spreadsheet's row under `initiatives:`
        row = spreadsheet_row(line_text(text, scalar.at[0])[scalar.at[1] - 1:], scalar.at, said, excerpt, at)
        if row is not None:
            return row
    own = line[:at[1] - 1].strip()
    if scalar.key_at is None or scalar.key_at[0] != scalar.at[0] or not own or own.startswith("-"):
        return None  # the value began on a line of its own: more likely a ':' missing there
    token = f"{excerpt(own, 30)}:"
    if scalar.plain and scalar.key in TEXT_KEYS and own not in FORMAT_KEYS:
        # `title: Min side … over` and `søknader: vedtak og …` wrapped below it: one text, not a key
        whole = scalar.value + COMMENT.split(line[at[1] - 1:], 1)[0].rstrip()
        example = text_joined(text, scalar.key_at, at[0], whole, scalar.key, replayed.parser, excerpt)
        if example is not None:
            return Explained(f"the text of `{key}` runs on to line {at[0]}, where `{token}` reads as a key, though "
                             f"`{key}:` holds one text ({said})", *at,
                             f"write the whole text on one line, quoted: `{example}`", (scalar.key_at,),
                             (f"where `{key}:` and its text begin",))
    mapping = next((c for c in reversed(stop.open) if c.is_map and not c.flow), None)
    if mapping is None or mapping.at[1] >= at[1]:
        return None
    hint = (f"indent `{token}` to column {mapping.at[1]} like {mapping.keys(excerpt)} (it starts at line "
            f"{mapping.at[0]})")
    if mapping.is_item and scalar.key_at == mapping.at:
        # the item's first key, on its `- ` line: that line moved left is the likelier
        # mistake when the keys below it are all in line (one fix, not one per key)
        hint += (f"; or, if the keys below it are in place, indent line {mapping.at[0]} further, "
                 f"until `{key}:` is in line with `{token}`")
    return Explained(
        f"`{token}` is indented further than the keys above it, so YAML reads it as more of the value "
        f"of `{key}` ({said})", *at, hint, (mapping.at,), (f"where {mapping.keys(excerpt)} start",))


def comma_starts_value(text: str, at: Position, line: str, said: str, replayed: Replay,
                       excerpt: Excerpt) -> Explained | None:
    """`title: ,Customers fear…`, `- ,{id: understand}`, `- id: ,DIG-1`: outside `{…}` and
    `[…]` a ',' cannot begin a value (libyaml: "did not find expected node content", its
    mark at the ','). Said there, when the file without it reads past the line."""
    if line[at[1] - 1:at[1]] != ",":
        return None
    before = line[:at[1] - 1]
    key = KEY_BEFORE.search(before)
    if key is not None and not before[:key.start(1)].strip(" -"):
        what = f"where the value of `{excerpt(key.group(1), 30)}` begins"
    elif before.strip(" ") and not before.strip(" -"):
        what = "where a list item begins"
    elif not before.strip(" ") and COMMENT.split(" " + line[at[1]:], 1)[0].strip() == "":
        what = "before a comment" if "#" in line else "on a line of its own"
    else:
        return None
    if not reads_past(replaced(text, *at), replayed.parser, at[0]):
        return None
    written = COMMENT.split(before + line[at[1]:], 1)[0].strip()
    example = f" (`{excerpt(written, EXAMPLE_LIMIT)}`)" if written else ""
    return Explained(f"a `,` {what}: outside `{{…}}` and `[…]` a value cannot begin with one ({said})", *at,
                     f"delete the `,`{example}")


def space_after_minus(text: str, at: Position, line: str, said: str, replayed: Replay,
                      excerpt: Excerpt) -> Explained | None:
    """`{kpi: nps, change: - 150}`: a space typed between a number's '-' and its digits
    makes the '-' a list item's, which `{…}` does not allow (libyaml: "did not find
    expected node content" at the '-'). Said at the space, when the file without it reads on."""
    if line[at[1] - 1:at[1]] != "-" or not line[:at[1] - 1].rstrip().endswith(":"):
        return None
    spaces = len(line[at[1]:]) - len(line[at[1]:].lstrip(" \t"))
    number = NUMBER.match(line, at[1] + spaces)
    key = KEY_BEFORE.search(line[:at[1] - 1])
    if not spaces or number is None or key is None or line[number.end():number.end() + 1] not in (",", "}", "]", ""):
        return None
    offset = line_start(text, at[0]) + at[1]
    if not reads_past(text[:offset] + text[offset + spaces:], replayed.parser, at[0]):
        return None
    return Explained(f"a space between the '-' and the number after it, which makes the '-' a list item's ({said})",
                     at[0], at[1] + 1, f"delete the space (`{excerpt(key.group(1), 30)}: -{number.group()}`)",
                     (at,), (STOPPED,))
