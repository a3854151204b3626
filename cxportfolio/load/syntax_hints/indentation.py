"""Indentation and the spaces YAML needs: a tab used as indentation (with how many spaces
line it up, each tried), a no-break space as indentation or after a '-' or a key's ':', a
key or item at a column where nothing of its own starts, a bracket, ':' or quote typed in the
indentation before one, a key left of the file's first key, a list item under a key that
has a value or whose `-` was deleted (its space left), and a `- ` item after other text
on its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, ITEM_DASH, KEY,
                                                  LINE_BREAK, Position, STOPPED, line_start, line_text,
                                                  lines_replaced, position_of, quoted_example, read_lines)
from cxportfolio.load.syntax_hints.keys import DASH_GLUED, dash_glued
from cxportfolio.load.syntax_hints.replay import Collection, Replay, Stop, alike, innermost, item_shape, open_lists
from cxportfolio.load.syntax_hints.vocabulary import CONFIG_KEYS, LIST_KEYS, PORTFOLIO_KEYS, TEXT_KEYS
from cxportfolio.load.yaml_reader import LISTS_WITH_IDS, SPACE_LIKE, space_like_name


def _tab_hint(text: str, at: Position, line: str, replayed: Replay, excerpt: Excerpt) -> str | None:
    """How many spaces a key indented with a tab takes: those of a mapping open where the
    parser stopped (the keys above it in line), or those under a key whose value it may
    be; for a `- ` item, those of a list open there whose items are like it. Each is
    tried: the line indented so, the file parsed again; the ones read furthest are said,
    the innermost first (two at most). None when the tab does not indent a key or item, or
    no indentation reads past the line."""
    indent = len(line) - len(line.lstrip(" \t"))
    rest = line[indent:]
    item = rest.startswith("-") and rest[1:2] in ("", " ", "\t")
    key = KEY.match(rest)
    if at[1] > indent or (key is None or rest.startswith("-")) and not item:
        return None
    stop, parser = replayed.stop, replayed.parser
    if stop is None or not stop.open:
        return None
    options: list[tuple[int, str]] = []  # the spaces, and what they line the key up with
    if item:  # `\t- id: X`: in line with the items of a list open there, those like it
        options = [(c.at[1] - 1, f"to line up with {c.items(excerpt)}")
                   for c in alike(open_lists(stop), item_shape(rest))]
        return _tried(text, at, line, indent, options, parser)
    name = key.group(1)
    top_keys = PORTFOLIO_KEYS | CONFIG_KEYS
    inner = stop.open[-1]
    if inner.is_map and not inner.flow and inner.expects_value and inner.pending_mark is not None and \
            isinstance(inner.pending_key, str):  # `baseline:` above, its value not begun
        options.append((inner.pending_mark.column + 2, f"to indent it under `{excerpt(inner.pending_key, 30)}:` "
                                                       f"on line {inner.pending_mark.line + 1}"))
    for mapping in reversed(stop.open):
        if not mapping.is_map or mapping.flow or mapping.top and name not in top_keys:
            continue
        mark = mapping.pending_mark
        sibling = (f"`{excerpt(mapping.pending_key, 30)}:` on line {mark.line + 1}"
                   if isinstance(mapping.pending_key, str) and mark is not None else mapping.keys(excerpt))
        options.append((mapping.at[1] - 1, f"to line up with {sibling}"))
    return _tried(text, at, line, indent, options, parser)


def _tried(text: str, at: Position, line: str, indent: int, options: list[tuple[int, str]],
           parser: Callable[[str], Any]) -> str | None:
    """The hint for the indentations of `options` that read the file furthest, each tried."""
    del options[_TAB_OPTIONS:]  # each is a parse of the file up to the line: a few, the innermost
    start = line_start(text, at[0])
    reach = [_reach(text[:start] + " " * spaces + text[start + indent:], parser, at[0] + _TAB_LOOKAHEAD)
             for spaces, _ in options]
    furthest = max(reach, default=(0, 0))
    best = [option for option, got in zip(options, reach) if got == furthest]
    if furthest[0] <= at[0] or not best:
        return None
    what = "the tab" if line[:indent] == "\t" else "the tabs" if set(line[:indent]) == {"\t"} else "the indentation"
    (spaces, why), *others = best
    hint = f"remove {what}, {why}" if spaces == 0 else f"replace {what} with {_spaces(spaces)}, {why}"
    if others:
        spaces, why = others[0]
        hint += f" (or with {_spaces(spaces)}, {why})" if spaces else f" (or remove it, {why})"
    return hint


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


_TAB_LOOKAHEAD = 200  # lines read past a tab to learn whether an indentation fits: enough to tell
_TAB_OPTIONS = 4  # indentations tried (a portfolio's keys are at most four mappings deep)


def _reach(text: str, parser: Callable[[str], Any], until: int) -> tuple[int, int]:
    """Where the parser stops reading `text`: its error's (line, column), or (until + 1, 0)
    when that is past line `until` or it reads to the end. libyaml's raw_parse reads every
    event without making it a Python object (a few milliseconds a megabyte)."""
    reader = parser(text)
    try:
        if hasattr(reader, "raw_parse"):
            reader.raw_parse()
        else:  # a parser written in Python: its events, up to the line
            while (event := reader.get_event()) is not None and type(event) is not yaml.StreamEndEvent:
                if event.start_mark.line >= until:
                    break
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return min((mark.line + 1, mark.column + 1), (until + 1, 0)) if mark is not None else (0, 0)
    except yaml.YAMLError:
        return 0, 0
    return until + 1, 0


SPACE_LIKE_FIRST = re.compile(f"-?[{SPACE_LIKE}]")
# Where YAML needs a space: indentation, after an item's '-', after a key's ':'. The
# groups: the indentation, the dash, the key; the last group the space itself.
_SPACE_LIKE_AS_SPACE = re.compile(
    rf"([{SPACE_LIKE}]+)(?=\S)|-([{SPACE_LIKE}])|([^\s#:'\"\[\]{{}},][^#:]*?):([{SPACE_LIKE}])")


def odd_space(token: str, where: Position, said: str, excerpt: Excerpt, related: tuple[Position, ...] = (),
               labels: tuple[str, ...] = ()) -> Explained | None:
    """A space that is not YAML's (a no-break space) where YAML needs one, at the start of
    `token` — the text from a scalar's start, `where` (the parser's mark): indenting it,
    after an item's '-' or after a key's ':'. None when there is none."""
    found = _SPACE_LIKE_AS_SPACE.match(token)
    if found is None:
        return None
    char = (found.group(1) or found.group(2) or found.group(4))[0]
    what = space_like_name(char)
    body = COMMENT.split(token, 1)[0].rstrip()
    fixed = re.sub(f"[{SPACE_LIKE}]", " ", body).strip()
    if found.group(1) is not None:
        key = excerpt(re.match(r"[^:]*", fixed).group(), 30)  # type: ignore[union-attr]
        count = len(found.group(1))
        if count > 1:
            what = space_like_name(char, count) if set(found.group(1)) == {char} else \
                f"{count} spaces that are not YAML's"
        return Explained(f"`{key}:` is indented with {what}, which YAML does not read as "
                         f"{'spaces' if count > 1 else 'a space'}, so {'they are' if count > 1 else 'it is'} part "
                         f"of the key ({said})", *where,
                         f"replace {'them' if count > 1 else 'it'} with {count} normal space{'s' if count > 1 else ''}",
                         related, labels)
    if found.group(2) is not None:
        return Explained(f"{what} after the '-', which YAML does not read as a space, so the line is not a list "
                         f"item ({said})", *where, f"replace it with a normal space (`{excerpt(fixed, 40)}`)",
                         related, labels)
    key = excerpt(found.group(3), 30)
    return Explained(f"{what} after `{key}:`, which YAML does not read as a space, so `{key}:` is not a key "
                     f"there ({said})", *where,
                     f"replace it with a normal space (`{excerpt(fixed.rstrip(':'), 40)}`)", related, labels)


def misindented(line: str, at: Position, said: str, stop: Stop | None, excerpt: Excerpt) -> Explained | None:
    """A key or list item at a column where no mapping or list of its own starts: say
    where the keys (items) of the collections it can belong to start."""
    if stop is None or not stop.open:
        return None
    enclosing = stop.open[-1]  # the collection the parser was reading: libyaml's context mark
    rest = line[at[1] - 1:]
    options: list[tuple[Collection, str]] = []
    in_list = ""  # a key at a list's column: that list's items, as the message names them
    if rest.startswith("-") and rest[1:2] in ("", " ", "\t"):
        token = excerpt(COMMENT.split(rest, 1)[0].rstrip(), 30)
        kind = "list item"
        lists = [c for c in stop.closed if not c.is_map and not c.flow] + (
            [enclosing] if not enclosing.is_map and not enclosing.flow else [])
        # The list closed last and the list the parser was in are the two homes an item can
        # have; when the items of only one of them are like it, that one.
        homes = lists[-1:] + [c for c in open_lists(stop)[:1] if c not in lists[-1:]]
        options = [(c, c.items(excerpt)) for c in alike(homes, item_shape(rest))]
    elif rest.startswith(","):  # `- {id: A}, {id: B}`: a flow list's comma in a block list
        return Explained(f"a `,` after the list item on this line ({said})", *at,
                         "a list written with `- ` has one item per line: delete the `,` and start the next item "
                         "on a line of its own with `- `")
    else:
        key = KEY.match(rest)
        if key is None:
            return None
        token = f"{excerpt(key.group(1), 30)}:"
        kind = "key"
        if DASH_GLUED.match(key.group(1)):
            return dash_glued(key.group(1), at, at, said, excerpt)
        if line[:at[1] - 1].strip():  # `- {kpi: x, change: 1}  effort: 2`: a line break lost
            return Explained(f"the key `{token}` follows other text on its line ({said})", *at,
                             f"start `{token}` on a line of its own, in line with the keys of the mapping "
                             "it belongs to")
        # The mapping closed here, nearest to the key's column (the outermost of them), and
        # the mapping the parser was in: the two homes the key can have.
        nearest = [c for c in stop.closed if c.is_map and not c.flow][-1:]
        outer = [enclosing] if enclosing.is_map and not enclosing.flow else []
        options = [(c, c.keys(excerpt)) for c in nearest + outer]
        holder = _list_holder(stop, at)
        if holder is not None:  # `effort:` at the column of the `- ` of the `effects:` items above it
            if not holder.top or key.group(1) in PORTFOLIO_KEYS | CONFIG_KEYS:  # `name:` is no top-level key
                options.append((holder, holder.keys(excerpt)))
            in_list = (f"the `- ` of the items of `{excerpt(enclosing.key, 30)}`" if enclosing.key is not None
                       else "the `- ` of the list's items")
        if not options:  # under `- {kpi: k, change: 1}` items: the mapping that holds their list
            options = [(c, c.keys(excerpt)) for c in [c for c in stop.open if c.is_map and not c.flow][-1:]]
        top = stop.open[0]
        if key.group(1) in LISTS_WITH_IDS and top.is_map and not top.flow and top.at[1] < at[1]:
            # `  initiatives:` indented: a list of a document's own, never an entity's field
            options = [(top, "the file's top-level keys")]
    # A list item in line with the top-level keys is more likely the first of a list whose
    # key was lost (`initiatives:` deleted) than an item of the list above: that fix first.
    at_top = kind == "list item" and enclosing is stop.open[0] and enclosing.is_map and enclosing.at[1] == at[1]
    in_config = (not stop.top_keys.isdisjoint(CONFIG_KEYS) and stop.top_keys.isdisjoint(PORTFOLIO_KEYS)
                 and "id" not in stop.top_keys)  # items with ids (a list of KPIs, with `target:`): no config
    top = stop.open[0]
    if kind == "key" and in_config and enclosing is top and not top.is_map and not top.flow and top.at[1] == at[1]:
        # `- organization: …` on the first line: the settings became a list's first item
        return Explained(f"the key `{token}` at column {at[1]} is in line with a list item, but cxportfolio.yaml "
                         f"holds settings, not a list ({said})", *at,
                         f"delete the `- ` at line {top.at[0]}, so that every setting starts at column 1",
                         (top.at,), ("the `- ` that makes the settings a list",))
    if at_top and in_config:  # cxportfolio.yaml: keys only
        return Explained(f"the list item `{token}` at column {at[1]} is in line with the top-level keys of "
                         f"cxportfolio.yaml, which has no lists ({said})", *at,
                         f"write it as a setting under one of its keys ({', '.join(sorted(CONFIG_KEYS))}; a rule's "
                         "severity goes under `rules:`, e.g. `CXP402: warning`), or delete the line")
    lost_key = at_top
    if not options and not lost_key:
        return None
    hint = ", or ".join(f"to column {c.at[1]} like {which} (it starts at line {c.at[0]})" for c, which in options)
    hint = f"indent `{token}` {hint}" if options else ""
    if lost_key:
        hint = ("if it starts a list of its own, write the list's key (`initiatives:`, …) on the line before it"
                + (f"; else {hint}" if hint else ""))
    where = (f"is in line with {in_list}, where only a list item can go" if in_list else
             f"is not in line with the {kind}s around it" if options else
             "is in line with the top-level keys, where a key is expected")
    return Explained(f"the {kind} `{token}` at column {at[1]} {where} ({said})",
                     *at, hint, tuple(c.at for c, _ in options), tuple(f"where {which} start" for _, which in options))


def item_under_value(text: str, at: Position, line: str, said: str, replayed: Replay,
                     excerpt: Excerpt) -> Explained | None:
    """`addresses: PP-1` (or `[PP-1]`) and `- PP-2` under it: a key with a value on its
    line cannot take list items too. Said at the `- `, the parser's mark, for an item that
    is not a mapping (`- id: B` is more likely an initiative out of line, said elsewhere),
    below a key that is not a top-level one (there, the list's key may be lost)."""
    rest = line[at[1] - 1:]
    stop, replayed_parser = replayed.stop, replayed.parser
    mapping = innermost(stop)
    if stop is None or mapping is None or not ITEM_DASH.match(rest) or line[:at[1] - 1].strip():
        return None
    if not mapping.is_map or mapping.flow or mapping.top or mapping.expects_value or mapping.pending_mark is None \
            or not isinstance(mapping.pending_key, str) or mapping.pending_mark.column + 1 > at[1]:
        return None  # not a block mapping's key, its value read, at or left of the `- `
    key_at = position_of(mapping.pending_mark)
    scalar = stop.scalar
    if stop.closed and stop.closed[-1].flow and not stop.closed[-1].is_map:
        value, ends = stop.closed[-1].at, stop.closed[-1].end
    elif not stop.closed and scalar is not None and scalar.key_at == key_at:
        value, ends = scalar.at, (scalar.end_line, scalar.end_column)
    else:
        return None
    if value[0] != key_at[0] or ends is None or ends[0] >= at[0] or item_shape(rest)[0]:
        return None
    between = read_lines(text, ends[0] + 1, at[0] - 1, most=1000)
    if any(written.strip() and not written.lstrip().startswith("#") for written in between):
        return None
    key, token = excerpt(mapping.pending_key, 30), excerpt(COMMENT.split(rest, 1)[0].rstrip(), 30)
    if not stop.closed and mapping.pending_key in TEXT_KEYS and scalar.plain and ends[0] == at[0] - 1:
        # `title: Min side … over` and `- søknader, vedtak …` below, wrapped: one text, not a list
        example = text_joined(text, key_at, at[0], f"{scalar.value} {COMMENT.split(rest, 1)[0].strip()}",
                              mapping.pending_key, replayed_parser, excerpt)
        if example is not None:
            return Explained(f"the text of `{key}` runs on to line {at[0]}, where YAML reads `{token}` as a list "
                             f"item, though `{key}:` holds one text ({said})", *at,
                             f"write the whole text on one line, quoted: `{example}`", (key_at,),
                             (f"where `{key}:` and its value are",))
    if stop.closed:
        hint = (f"write the item inside the `[…]` on line {key_at[0]}, or write each item on a `- ` line under "
                f"`{key}:` and nothing after its ':'")
    else:
        hint = (f"for a list, leave nothing after `{key}:` on line {key_at[0]} and write each item on a `- ` line "
                f"under it, `{excerpt(scalar.value, 30)}` too")  # type: ignore[union-attr]
    return Explained(f"the list item `{token}` is under `{key}:`, which already has a value on its line ({said})",
                     *at, hint, (key_at,), (f"where `{key}:` and its value are",))


def text_joined(text: str, key_at: Position, last: int, value: str, key: str, parser: Callable[[str], Any],
                excerpt: Excerpt) -> str | None:
    """`key: "value"` as a hint writes it, when the file with lines `key_at[0]` to `last`
    replaced by the key and its whole text on one line, quoted, is tried and reads past
    them (the text kept as written, the line break undone); else None."""
    lead = line_text(text, key_at[0])[:key_at[1] - 1]  # the indentation, and a `- ` before an item's first key
    fixed = lines_replaced(text, key_at[0], last, lead + quoted_example(key, value, lambda whole, _: whole))
    if not reads_past(fixed, parser, key_at[0] + _TAB_LOOKAHEAD):  # to the end, or an error far on
        return None
    return quoted_example(key, value, lambda whole, limit: _ends_of(whole, limit, excerpt))


def _ends_of(value: str, limit: int, excerpt: Excerpt) -> str:
    """A long text as a hint quotes it: its first words and its end, where the line break
    was undone (`Min side … over søknader: vedtak og utbetalinger`)."""
    if len(value) <= limit:
        return excerpt(value, limit)
    head = " ".join(value[:limit // 3].split(" ")[:-1]) or value[:limit // 3]
    tail = value[-(limit - len(head) - 3):]
    tail = tail.split(" ", 1)[-1] if " " in tail else tail
    return f"{excerpt(head, limit)} … {excerpt(tail, limit)}"


def left_of_first_key(text: str, at: Position, line: str, said: str, stop: Stop | None,
                       excerpt: Excerpt) -> Explained | None:
    """` organization: O` indented, `year: 2026` at column 1 below it: the file's mapping
    began at the first key's column, so a key left of it ends the document, and libyaml
    expects another. Said at that key (its mark), for a key at column 1."""
    top = stop.closed[-1] if stop is not None and stop.closed and not stop.open else None
    key = KEY.match(line)
    if top is None or not top.top or not top.is_map or top.flow or at[1] != 1 or top.at[1] <= 1 or key is None:
        return None
    token = f"{excerpt(key.group(1), 30)}:"
    return Explained(f"the key `{token}` at column 1 is left of the file's first key, at column {top.at[1]} on line "
                     f"{top.at[0]}, so YAML reads the file as ended before it ({said})", *at,
                     f"start the top-level keys at column 1: remove the indentation before the first key on line "
                     f"{top.at[0]}", (top.at,), ("where the file's first key is",))


def _list_holder(stop: Stop, at: Position) -> Collection | None:
    """The block mapping holding the block list the parser was in, when a key sits at that
    list's column (in line with its `- `), where only another item can go; else None."""
    inner = stop.open[-1]
    if inner.is_map or inner.flow or inner.at[1] != at[1] or inner.is_item or len(stop.open) < 2:
        return None
    holder = stop.open[-2]
    return holder if holder.is_map and not holder.flow and holder.at[1] < at[1] else None


def tab_indent(text: str, at: Position, line: str, said: str, replayed: Replay, excerpt: Excerpt) -> Explained:
    """A tab where YAML reads indentation, said at the tab (the parser's mark)."""
    return Explained(f"a tab cannot indent YAML: use spaces ({said})", *at,
                     _tab_hint(text, at, line, replayed, excerpt)
                     or "replace the tab with spaces (editors can insert spaces for the Tab key)")


_KEY_ONLY = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*):[ \t]+")  # `    title: ` and nothing else


def item_after_text(line: str, at: Position, said: str, excerpt: Excerpt) -> Explained:
    """`effort: 3 - id: B`: a `- ` item after other text on its line, a line break lost; or
    right after a key, `title: - faster answers` (a text that begins with a dash) or
    `addresses: - PP-a` (a list begun on its key's line)."""
    key = _KEY_ONLY.fullmatch(line[:at[1] - 1])
    name = key.group(1) if key is not None else ""
    value = COMMENT.split(line[at[1] - 1:], 1)[0].rstrip()
    if name in TEXT_KEYS:
        return Explained(f"the value of `{name}` begins with '- ', which YAML reads as a list item ({said})", *at,
                         f"quote the value, e.g. `{quoted_example(name, value, excerpt)}`")
    if name in LIST_KEYS:
        item = excerpt(value[1:].strip(), EXAMPLE_LIMIT)
        return Explained(f"a list item follows `{name}:` on its line ({said})", *at,
                         f"write the list in brackets, `{name}: [{item}]`, or put the `- ` item on the line below "
                         f"`{name}:`, indented further")
    return Explained(f"a new list item follows other text on its line ({said})", *at,
                     "start the `- ` item on a line of its own, in line with the `- ` of the item above")


_NAME = re.compile(r"[A-Za-z_][\w-]*")  # a field's name, as a key is written
_STRAY = "[]{}:,\"'"  # characters a key's line may begin with by a slip of the keyboard


def stray_in_indent(text: str, at: Position, line: str, said: str, replayed: Replay,
                    excerpt: Excerpt) -> Explained | None:
    """`]    volume: 1`, `   : stage: u`, `      }- {id: apply}`, ` "   severity: 3`: a character typed in the
    indentation before a key or a `- ` item, where the parser stopped (its mark). Said
    there, with the fix that reads the file past the line, tried: the character deleted,
    or, failing that, replaced with a space."""
    char = line[at[1] - 1:at[1]]
    rest = line[at[1]:].lstrip(" ")
    if not char or char not in _STRAY or line[:at[1] - 1].strip(" ") or (
            KEY.match(rest) is None and not ITEM_DASH.match(rest)):
        return None
    if char in "\"'" and char in rest.partition(":")[0]:
        return None  # `"title": x`: a quoted key, its quotes both written
    for fixed, hint in ((replaced(text, *at), f"delete the `{char}`"),
                        (replaced(text, *at, " "), f"replace the `{char}` with a space")):
        if reads_past(fixed, replayed.parser, at[0]):
            token = excerpt(COMMENT.split(rest, 1)[0].rstrip(), 30)
            what = f"the key `{KEY.match(rest).group(1)}:`" if KEY.match(rest) else f"the list item `{token}`"
            return Explained(f"a `{char}` before {what}, in its indentation, where only spaces go ({said})", *at,
                             hint)
    return None


def replaced(text: str, line: int, column: int, by: str = "") -> str:
    """`text` with the character at `line`:`column` (1-based) deleted, or replaced `by`: a
    fix to try (`reads_past`)."""
    where = line_start(text, line) + column - 1
    return text[:where] + by + text[where + 1:]


def reads_past(text: str, parser: Callable[[str], Any], line: int) -> bool:
    """Whether the parser reads `text`, a fix tried, past its line `line`."""
    return _reach(text, parser, line + _TAB_LOOKAHEAD)[0] > line


def item_dash_lost(text: str, at: Position, line: str, said: str, replayed: Replay,
                   excerpt: Excerpt) -> Explained | None:
    """`       {id: payout}` under `      - {id: sign}`: an item whose `-` was deleted, its
    space left, one column right of the `- ` of the items of the list open there (libyaml:
    "did not find expected '-' indicator", its mark at the item). Said where the `-` goes,
    when the file with it written back reads past the line."""
    inner = innermost(replayed.stop)
    dash = at[1] - 1  # the column of the `-` lost
    if inner is None or inner.is_map or inner.flow or inner.at[1] != dash or line[dash - 1:dash] != " " \
            or line[:dash - 1].strip(" ") or inner.at[0] >= at[0]:
        return None
    if line[at[1] - 1:at[1]] not in ("{", "[") and KEY.match(line[at[1] - 1:]) is None:
        return None  # `   " reach: 0.6`: a quote typed in the indentation, which a `-` would open
    start = line_start(text, at[0]) + dash - 1
    if not reads_past(text[:start] + "-" + text[start:], replayed.parser, at[0]):  # `-` and the space kept
        return None
    written = COMMENT.split(line[at[1] - 1:], 1)[0].rstrip()
    items = [c for c in replayed.stop.closed if c.is_item and c.key == inner.key]  # type: ignore[union-attr]
    above = items[-1].at[0] if items else inner.at[0]  # the item just closed, or the list's first
    return Explained(f"a list item without its `-`, one column right of the `- ` of the items above ({said})",
                     at[0], dash, f"write the `-` back (`- {excerpt(written, EXAMPLE_LIMIT - 2)}`), in line with the "
                     f"`- ` at line {above}", (at,), (STOPPED,))


def outdented_key(text: str, at: Position, line: str, said: str, replayed: Replay, excerpt: Excerpt,
                  continued: bool) -> Explained | None:
    """`    status: idea` moved to column 1 inside an initiative: YAML reads `status:` as a
    key of the mapping around the list (a top-level key), so what follows it is out of
    place: the next key reads as more of its value (`continued`, libyaml stops at its
    ':'), or, after a comment or a `[…]`, as a key indented into nothing. The slip is the
    key that left the item: said at it (its mark), with the column of the item's keys, when
    the file so fixed is tried and reads past the line. Indenting the line below to the
    outer column instead would leave the item without `status:`."""
    stop = replayed.stop
    outer = stop.open[-1] if stop is not None and stop.open else None
    if stop is None or outer is None or not outer.is_map or outer.flow or outer.expects_value \
            or not isinstance(outer.pending_key, str) or outer.pending_mark is None \
            or outer.pending_mark.line + 1 >= at[0] or not _NAME.fullmatch(outer.pending_key):
        return None  # no `key: value` of a block mapping above the line (`\xa0effort:`: another slip)
    key_at = position_of(outer.pending_mark)
    if ITEM_DASH.match(line_text(text, key_at[0])):
        return None  # ` - id: RET-001`, an item's first key: the item moved, no key left it
    indent = len(line) - len(line.lstrip(" "))
    rest = line[indent:]
    below = KEY.match(rest)
    homes = [c for c in (*stop.closed, *stop.before) if c.is_map and not c.flow and c.at[1] > key_at[1]
             and c.end is not None and c.end[0] <= key_at[0]]
    if below is not None:  # the key below is in line with the item's keys: the item it left
        home = next((c for c in homes if c.at[1] == indent + 1), None)
        token = f"`{excerpt(below.group(1), 30)}:`"
    elif ITEM_DASH.match(rest):  # the next item: the key was its list's last item's
        home = min((c for c in homes if c.at[1] > indent + 1), key=lambda c: c.at[1], default=None)
        token = f"the item `{excerpt(COMMENT.split(rest, 1)[0].rstrip(), 30)}`"
    else:
        return None
    if home is None:
        return None
    start = line_start(text, key_at[0]) + key_at[1] - 1
    if not reads_past(text[:start] + " " * (home.at[1] - key_at[1]) + text[start:], replayed.parser, at[0]):
        return None
    name = f"{excerpt(outer.pending_key, 30)}:"
    reads = "one of the top-level keys" if outer.top else f"a key of `{excerpt(outer.key, 30)}`" \
        if outer.key is not None else "a key of the mapping around the item"
    then = (f"{token} below it as more of its value" if continued
            else f"{token} below it, still at column {indent + 1}, as out of line")
    return Explained(f"the key `{name}` at column {key_at[1]} has left the item above it, whose keys are at column "
                     f"{home.at[1]}, so YAML reads it as {reads} and {then} ({said})", *key_at,
                     f"indent `{name}` to column {home.at[1]} like {home.keys(excerpt)} (it starts at line "
                     f"{home.at[0]})", (home.at, at), (f"where {home.keys(excerpt)} start", STOPPED))
