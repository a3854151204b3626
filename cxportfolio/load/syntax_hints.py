"""CXP001 in plain words for the YAML mistakes people make most.

libyaml's messages describe its own state ("mapping values are not allowed in this
context"); a business user editing a portfolio needs to hear what to change. For a tab
used as indentation, a no-break space where YAML needs a space (after a key's ':' or an
item's '-', as indentation), a ':' inside an unquoted value, a key or item indented to
the wrong column, a key without its ':' or without the space after it (`title:x`,
`-id:`, `-mobile`, `- id mortgage`), a `-` or `?` alone as a value (`effort: -` for "not
known"), a value beginning with a character YAML reserves (`@`, `%`, `*`, …: to be
quoted), a quote inside a value in those quotes (`'Barnas' hus'`), text after a value's
closing quote (`"Status" tracker`) or after the `]` that ends it, a `}` with no `{` open,
a list item under a key with a value, a spreadsheet's row pasted as a line, items or keys
written in a row on one line, and a quote left open (reported where it opens, with where
the closing quote goes, or, before a number, that the opening one goes; a `[` or `{` open
at the end of the file, likewise, or before the next `- ` item, where it closes),
`explain` turns the parser's error into a message and a hint that say it, and keeps the
parser's own words in parentheses.

Every position is one of the parser's marks, or the start or end mark of an event it
emitted before stopping: the file is parsed a second time up to the error (only when
there is one) to learn which mappings and lists were open, where they began and ended and
under which key. The text is read to quote what the line says (a key, a value), and for
a position only from such a mark: a `,` right after an end mark, or where a plain value
that ran on into the next `- ` item's line (a `}` left out) ends on the lines before it,
since a plain value's text is exactly what its lines hold before a comment.
A key indented with a tab is told how many spaces line it up with the keys of a mapping
open there: each is tried, the line so indented and the file parsed again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

import yaml

from cxportfolio.load.yaml_reader import LISTS_WITH_IDS, SPACE_LIKE, space_like_name
from cxportfolio.records import record

Position = tuple[int, int]
Excerpt = Callable[[str, int], str]

# What an item of each list of the portfolio format is called in a hint.
_ITEM_NAMES = {
    "units": "unit", "journeys": "journey", "pain_points": "pain point", "kpis": "KPI",
    "initiatives": "initiative", "goals": "goal", "stages": "stage", "evidence": "evidence entry",
    "measurements": "measurement", "effects": "effect", "realized": "realized entry",
    "allow": "allow entry",
}
# The keys of cxportfolio.yaml, which has no lists: where they are, no list lost its key
# (tests/test_syntax_hints.py keeps them those of model.config.Config).
CONFIG_KEYS = frozenset({"organization", "year", "target", "scoring", "rules"})
_PORTFOLIO_KEYS = LISTS_WITH_IDS | {"unit"}  # a portfolio document's own keys
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A block key at the start of what is left of a line: plain or quoted, then ': ' or ':' at the end.
_KEY = re.compile(r"""("[^"]*"|'[^']*'|[^\s#'"\-:,\[\]{}][^#]*?|-[^\s#][^#]*?):(?:[ \t]|$)""")
_COMMENT = re.compile(r"[ \t]#")
EXAMPLE_LIMIT = 60  # characters of a quoted example echoed from the file
# A key glued to its value (`title:Status`, `effort:3`): YAML needs a space after the ':'.
_GLUED_KEY = re.compile(r"([A-Za-z_][\w-]*):[^\s:]")
# A key and a plain value on a line of their own (`    title: Continue onboarding`, not a
# list item's first line, whose value is an id): the indent and the key.
_PLAIN_VALUE_LINE = re.compile(r"( *)([A-Za-z_][\w-]*): +[^\s\"'\[{|>&*!#][^#]*")
# A key that begins with a '-' glued to it (`-id:`): a list item's dash without its space.
_DASH_GLUED = re.compile(r"-[A-Za-z_{\[]")  # `-{id: x}` too
# A list item's start inside a plain value (`DIG-1 - id`): the line break before it lost.
# Only the keys that items begin with: `Mortgage - status: tracker` is a title to quote.
_NEXT_ITEM = re.compile(r"\s-\s+(id|kpi|rule)$")
# Keys of the portfolio format written in a row after a value (`DIG-1, title`), as in braces.
_KEYS_IN_A_ROW = re.compile(r",\s*(id|title|unit|name|kpi|change|effort|status|addresses|description|journey|"
                            r"stage|direction|target|period|rule|reason|severity|reach)$")
# Keys of the portfolio format whose value is a number (tests/test_syntax_hints.py keeps
# them the models' number fields): a quote left open before a number is to be removed, not
# closed, which would make the number text that validation then refuses.
NUMBER_KEYS = frozenset({"change", "effort", "capacity", "volume", "severity", "reach", "count", "value",
                         "completion", "confidence", "year"})
# Keys of the format whose value is a list of ids: text after a quoted id is more ids.
LIST_KEYS = frozenset({"addresses", "depends_on", "drives", "tradeoffs", "tags"})
# Every key of the format (tests/test_syntax_hints.py keeps them the models' fields and the
# top-level keys): a line that begins with one at a key's indent is a key without its ':'
# (`size quick_win`), not a value wrapped from the line above.
FORMAT_KEYS = frozenset({"addresses", "allow", "baseline", "by", "capacity", "change", "completed", "completion",
                         "confidence", "count", "decided", "depends_on", "description", "direction",
                         "downstream_weight", "driver_factor", "drives", "effects", "effort", "effort_floor",
                         "employee", "evidence", "experience", "goals", "id", "improvements", "initiatives",
                         "journey", "journeys", "kind", "kind_weights", "kpi", "kpis", "measurements",
                         "missing_effort", "name", "note", "on", "operational", "organization", "outcome", "owner",
                         "pain_points", "period", "planned", "reach", "realized", "reason", "rule", "rules",
                         "scoring", "severity", "severity_weights", "size", "source", "stage", "stages", "status",
                         "tags", "target", "title", "tradeoffs", "unit", "units", "unlinked_weight", "value",
                         "volume", "year"})
# The keys each mapping of the format must have, by the key of its list or its own key
# (None: a file's top level, where only cxportfolio.yaml has one): a key among them is not
# told it may be left out. `target` is a KPI's {period, value} or the configuration's
# {improvements}: left out, as unsure. tests/test_syntax_hints.py keeps them the models'.
REQUIRED_KEYS: dict[str | None, frozenset[str]] = {
    None: frozenset({"year"}),
    "units": frozenset({"id", "name"}), "journeys": frozenset({"id", "name", "stages"}),
    "stages": frozenset({"id", "name"}), "pain_points": frozenset({"id", "journey", "stage", "title", "severity"}),
    "kpis": frozenset({"id", "name", "kind", "direction"}), "initiatives": frozenset({"id", "title", "status"}),
    "goals": frozenset({"kpi", "direction"}), "evidence": frozenset({"kind"}),
    "measurements": frozenset({"period", "value"}), "baseline": frozenset({"period", "value"}),
    "effects": frozenset({"kpi", "change"}), "realized": frozenset({"kpi", "change"}),
    "allow": frozenset({"rule", "reason"}), "decided": frozenset({"by", "on"}),
    "scoring": frozenset(), "kind_weights": frozenset(), "rules": frozenset(),
}
_KEY_BEFORE = re.compile(r"(?:^|[\s{,])([A-Za-z_][\w-]*):[ \t]+$")  # `change: ` right before a quote
_NUMBER = re.compile(r"[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?")  # as YAML writes one, roughly
# A line of the file a quoted value ran on over, that begins as a key or an item's key does.
_SWALLOWED_KEY = re.compile(r"[ \t]*(?:-[ \t]+\{?[ \t]*)?[A-Za-z_][\w-]*:(?:[ \t]|$)")  # `- {kind:` too


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


@record(frozen=False)
class _Collection:
    """A block or flow mapping or list the parser had opened."""

    is_map: bool
    flow: bool
    at: Position
    key: str | None  # the key it is the value of, or the key of the list it is an item of
    is_item: bool
    top: bool
    pending_key: str | None = None  # mappings: a key read, its value not yet
    pending_mark: Any = None
    expects_value: bool = False
    first_key: str | None = None  # mappings: the first key read
    first_item: _Collection | None = None  # lists: the first item, when it is a mapping or list
    scalar_first: bool = False  # lists: the first item is a scalar
    end: Position | None = None  # where it ends, once closed

    def is_like(self, item: tuple[bool, str | None]) -> bool:
        """A list: whether its first item is like `item` (a mapping, and its first key, or not)."""
        if self.first_item is None and not self.scalar_first:
            return False
        is_map, key = item
        if self.first_item is None or not self.first_item.is_map:
            return not is_map
        return is_map and (key is None or self.first_item.first_key in (None, key))

    def keys(self, excerpt: Excerpt) -> str:
        """'the other keys of this initiative', as a hint says it."""
        if self.top:
            return "the other top-level keys"
        if self.is_item and self.key is not None:
            name = _ITEM_NAMES.get(self.key)
            return f"the other keys of this {name or 'item of `' + excerpt(self.key, 30) + '`'}"
        return f"the other keys of `{excerpt(self.key, 30)}`" if self.key is not None else "the other keys here"

    def items(self, excerpt: Excerpt) -> str:
        if self.key is not None and not self.is_item:
            return f"the other items of `{excerpt(self.key, 30)}`"
        return "the other items of this list"


@record
class _Scalar:
    value: str
    plain: bool
    at: Position
    key: str | None  # the key it is the value of; None when it is itself a key or an item
    key_at: Position | None
    quote: str = ""  # the quote it is written in, if any
    end_line: int = 0  # the line it ends on
    item_of: str | None = None  # the key of the list it is an item of
    end_column: int = 0  # the column just after it, on end_line


@record(frozen=False)
class _Stop:
    """The parser's state where it stopped: open collections (outermost first), those it
    closed just before stopping (innermost first), and the last scalar it read."""

    open: list[_Collection]
    closed: list[_Collection]
    scalar: _Scalar | None
    # the document's own keys read before it stopped (its items' keys, when the document
    # is a list: a `- ` written before the first key makes it one)
    top_keys: frozenset[str] = frozenset()


def explain(text: str, err: yaml.MarkedYAMLError, parser: Callable[[str], Any],
            excerpt: Excerpt) -> Explained | None:
    """Plain words for a common mistake, or None to keep the parser's own message."""
    problem, context = (err.problem or "").strip(), (err.context or "").strip()
    mark, began = err.problem_mark, err.context_mark
    if mark is None:
        return None
    at = (mark.line + 1, mark.column + 1)
    line = _line_text(text, at[0])
    said = f"{problem}, {context}" if context else problem
    if line[at[1] - 1:at[1]] == "\t" and ("cannot start any token" in problem or "tab" in problem):
        return Explained(f"a tab cannot indent YAML: use spaces ({said})", *at,
                         _tab_hint(text, at, line, parser, excerpt)
                         or "replace the tab with spaces (editors can insert spaces for the Tab key)")
    reserved = _reserved_start(text, at, began, problem, context, said, parser, excerpt)
    if reserved is not None:  # `title: @kommunen`, `title: * New portal`
        return reserved
    if problem == "could not find expected ':'" and began is not None and began.line < mark.line:
        # libyaml notices a missing ':' on the next line; the key began at the context mark.
        key_at = (began.line + 1, began.column + 1)
        odd = _odd_space(_line_text(text, key_at[0])[began.column:], key_at, said, excerpt, (at,), (STOPPED,))
        if odd is not None:  # `effort:\xa04`: a no-break space after the ':'
            return odd
        row = _spreadsheet_row(_line_text(text, key_at[0])[began.column:], key_at, said, excerpt, at)
        if row is not None:  # `OPP-004,Digital søknad om SFO,oppvekst,approved,4,2026-Q3`
            return row
        dash = _item_dash_glued(text, key_at, said, parser, excerpt, at)
        if dash is not None:  # `-mobile` among the `- ` items of `tags:`
            return dash
        glued = _GLUED_KEY.match(_line_text(text, key_at[0])[began.column:])
        if glued is not None:  # `title:Status`: one plain value, as YAML reads it
            key = excerpt(glued.group(1), 30)
            return Explained(f"`{key}:` has no space after its ':', so YAML reads the line as one value, not a "
                             f"key ({said})", *key_at, "put a space after the ':' "
                             f"(`{_spaced(_line_text(text, key_at[0])[began.column:], excerpt)}`)", (at,), (STOPPED,))
        above = _PLAIN_VALUE_LINE.fullmatch(_line_text(text, key_at[0] - 1)) if key_at[0] > 1 else None
        first = _line_text(text, key_at[0])[began.column:].split(maxsplit=1)
        wrapped = above is not None and (len(above.group(1)) == began.column or len(above.group(1)) > began.column
                                         and first and first[0][0] not in "{[")  # less: not `{id: b}`, an item
        if wrapped and not (first and first[0] in FORMAT_KEYS):
            # `title: Continue onboarding` and, under it, `where BankID is`: a value wrapped
            # onto a line of the key's own indent (or less), which YAML reads as a new key
            key = excerpt(above.group(2), 30)
            where = "at its indent" if len(above.group(1)) == began.column else "indented less than it"
            return Explained(f"a line without ':' under `{key}:`, {where} ({said})", *key_at,
                             f"if it goes on with `{key}:`'s value, indent it further than `{key}:` (or join the "
                             "two lines); if it is a key, add ':' after it", (at,), (STOPPED,))
        # `-5` may have lost its sign or its space, not its `- `: the parser's words
        item = None if re.match(r"-[0-9.]", first[0] if first else "") else _item_above(text, key_at)
        if item is not None:  # `- {id: a}` and, under it, `{id: b}`: an item whose `- ` was lost
            return Explained(f"a list item without its `- ` ({said})", *key_at,
                             f"start it with `- `, in line with the item at line {item}", (at,), (STOPPED,))
        return Explained(f"a key without ':' ({said})", *key_at, "add ':' after the key", (at,), (STOPPED,))
    if problem == "did not find expected <document start>":
        ended = _document_end_above(text, at)
        if ended is not None:  # `...` (YAML's end of a document) on a line of its own, then more keys
            return Explained(f"a `...` line ends the YAML document, and more is written after it ({said})", *at,
                             f"delete the `...` at line {ended}: a file holds one document", ((ended, 1),),
                             ("the `...` that ends the document",))
    if problem == "mapping values are not allowed in this context":
        return _colon_in_value(text, at, line, said, _replay(text, parser), excerpt)
    if problem == "found unexpected end of stream" and "quoted scalar" in context and began is not None:
        return _quote_unclosed(text, at, _position(began), said, _replay(text, parser), excerpt)
    if problem == "found unexpected document indicator" and "quoted scalar" in context and began is not None:
        return _document_marker_in_quotes(text, at, _position(began), said, _replay(text, parser), excerpt)
    if problem in ("did not find expected key", "did not find expected '-' indicator") and began is not None:
        odd = _odd_space(line[at[1] - 1:], at, said, excerpt)
        if odd is not None:  # `-\xa0id: B` where an item was due: a no-break space after the '-'
            return odd
        stop = _replay(text, parser)
        return (_quote_run_on(text, at, said, stop, excerpt) or _quote_inside(text, at, said, stop, excerpt)
                or _text_after_quote(text, at, said, stop, parser, excerpt)
                or _item_under_value(text, at, line, said, stop, excerpt)
                or (_first_key_without_colon(text, stop.scalar, at, said, excerpt, top=False)
                    if stop is not None and stop.scalar is not None else None)
                or _misindented(line, at, said, stop, excerpt) or _text_after_bracket(line, at, said, stop, excerpt))
    at_end = not "".join(_LINE_BREAK.split(text)[at[0] - 1:]).strip()  # nothing but blank lines from here
    if problem == "did not find expected node content" and at_end:  # `id: [` as the file's last word
        stop = _replay(text, parser)
        return _quote_run_on(text, at, said, stop, excerpt) or _flow_unclosed(text, at, said, stop, excerpt)
    if problem in ("did not find expected ',' or ']'", "did not find expected ',' or '}'") and began is not None:
        stop = _replay(text, parser)  # `["PP-1, PP-2]`, a quote later; `{id: x` and no `}`
        return (_quote_run_on(text, at, said, stop, excerpt) or _quote_inside(text, at, said, stop, excerpt)
                or _text_after_quote(text, at, said, stop, parser, excerpt)
                or _quote_closed_by_next(text, at, said, stop, excerpt)
                or _unclosed_before_item(text, at, said, stop, excerpt)
                or (_flow_unclosed(text, at, said, stop, excerpt) if at_end
                    else _key_in_flow(text, at, said, stop, excerpt))
                or _colon_in_flow_value(text, at, said, stop, excerpt))
    if problem in ("block sequence entries are not allowed in this context",
                   "mapping keys are not allowed in this context") and line[:at[1] - 1].strip():
        alone = _indicator_alone(text, at, line, said, parser, excerpt)
        if alone is not None:  # `effort: -` for "not known"
            return alone
    if problem == "did not find expected node content" and "flow" in context and not at_end:
        unclosed = _unclosed_before_item(text, at, said, _replay(text, parser), excerpt)
        if unclosed is not None:  # `[PP-1,` and `- id: B` below: a `,` then no item, no `]`
            return unclosed
    if problem == "did not find expected <document start>":
        stop = _replay(text, parser)
        scalar = stop.scalar if stop is not None else None
        return _left_of_first_key(text, at, line, said, stop, excerpt) or (
            _first_key_without_colon(text, scalar, at, said, excerpt, top=True) if scalar is not None else None)
    if problem == "did not find expected node content" and context == "while parsing a block node" and \
            line[at[1] - 1:at[1]] in ("]", "}"):  # `scoring: }`: in a block, no `{` is open to close
        closer = line[at[1] - 1]
        opener = "{" if closer == "}" else "["
        return Explained(f"a `{closer}` with no `{opener}` before it to close ({said})", *at,
                         f"write the `{opener}` where the {'braces' if opener == '{' else 'brackets'} begin, "
                         f"or delete the `{closer}`")
    if problem == "did not find expected node content" and line[at[1] - 1:at[1]] == "?":
        alone = _indicator_alone(text, at, line, said, parser, excerpt)
        if alone is not None:  # `{kpi: nps, change: ?}`
            return alone
    if problem == "block sequence entries are not allowed in this context" and line[:at[1] - 1].strip():
        return Explained(f"a new list item follows other text on its line ({said})", *at,
                         "start the `- ` item on a line of its own, in line with the `- ` of the item above")
    return None


# A row of values pasted from a spreadsheet: cells separated by ',' or ';' without a space
# after it (prose puts one there), or by tabs (cells copied and pasted), and no `key: `.
_ROW_CELLS = 3  # at least


def _spreadsheet_row(rest: str, where: Position, said: str, excerpt: Excerpt, at: Position) -> Explained | None:
    """`OPP-004,Digital søknad om SFO,oppvekst,approved,4,2026-Q3` where a key was due: a
    spreadsheet's row pasted as it was exported, which YAML reads as one key without its
    ':'. Said where it begins (the parser's mark), with the item it would be, written out."""
    row = _COMMENT.split(rest, 1)[0].strip()
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


def _indicator_alone(text: str, at: Position, line: str, said: str, parser: Callable[[str], Any],
                     excerpt: Excerpt) -> Explained | None:
    """`effort: -` or `effort: ?`, written for "not known": alone, YAML reads the `-` as
    a list item's and the `?` as a key's, neither allowed after a key on its line. Said
    at the indicator, with whether the key may be left out (REQUIRED_KEYS)."""
    char = line[at[1] - 1:at[1]]
    after = _COMMENT.split(" " + line[at[1]:], 1)[0].strip()
    if char not in "-?" or after and after[0] not in ",}]":
        return None  # more after it: `- id: B` after a value is a lost line break, said below
    stop = _replay(text, parser)
    inner = stop.open[-1] if stop is not None and stop.open else None
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


def _tab_hint(text: str, at: Position, line: str, parser: Callable[[str], Any], excerpt: Excerpt) -> str | None:
    """How many spaces a key indented with a tab takes: those of a mapping open where the
    parser stopped (the keys above it in line), or those under a key whose value it may
    be; for a `- ` item, those of a list open there whose items are like it. Each is
    tried: the line indented so, the file parsed again; the ones read furthest are said,
    the innermost first (two at most). None when the tab does not indent a key or item, or
    no indentation reads past the line."""
    indent = len(line) - len(line.lstrip(" \t"))
    rest = line[indent:]
    item = rest.startswith("-") and rest[1:2] in ("", " ", "\t")
    key = _KEY.match(rest)
    if at[1] > indent or (key is None or rest.startswith("-")) and not item:
        return None
    stop = _replay(text, parser)
    if stop is None or not stop.open:
        return None
    options: list[tuple[int, str]] = []  # the spaces, and what they line the key up with
    if item:  # `\t- id: X`: in line with the items of a list open there, those like it
        options = [(c.at[1] - 1, f"to line up with {c.items(excerpt)}")
                   for c in _like(_open_lists(stop), _item_shape(rest))]
        return _tried(text, at, line, indent, options, parser)
    name = key.group(1)
    top_keys = _PORTFOLIO_KEYS | CONFIG_KEYS
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
    start = next(islice(_LINE_BREAK.finditer(text), at[0] - 2, None)).end() if at[0] > 1 else 0
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


def _open_lists(stop: _Stop) -> list[_Collection]:
    """The block lists open where the parser stopped, innermost first."""
    return [c for c in reversed(stop.open) if not c.is_map and not c.flow]


def _item_shape(rest: str) -> tuple[bool, str | None]:
    """What the `- ` item a line begins with is: a mapping and its first key, or not a mapping."""
    body = rest[1:].lstrip(" \t")
    if body.startswith("{"):
        return True, None
    key = _KEY.match(body)
    return (True, key.group(1)) if key is not None else (False, None)


def _like(lists: list[_Collection], item: tuple[bool, str | None]) -> list[_Collection]:
    """Of the lists an item may belong to, those whose items are like it: all of them when
    all or none are (`- id: X` is an initiative, not an item of the `realized` list above)."""
    alike = [c for c in lists if c.is_like(item)]
    return alike or lists


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


def _quote_run_on(text: str, at: Position, said: str, stop: _Stop | None, excerpt: Excerpt) -> Explained | None:
    """`title: "Status tracker` without its closing quote, and a later quote in the file:
    the value ran on over the lines between, to that quote, and the parser stopped just
    after it. Reported where the value begins, which is where the quote is missing."""
    scalar = stop.scalar if stop is not None else None
    if scalar is None or not scalar.quote or scalar.end_line != at[0] or scalar.at[0] >= at[0]:
        return None
    # A line it ran over begins as a key or an item does: a value written over lines on
    # purpose ("Customers say: it crashes ...") then text after its quote is another mistake.
    if not any(_SWALLOWED_KEY.match(line) for line in _lines(text, scalar.at[0] + 1, at[0], most=1000)):
        return None
    what = (f"the quoted value of `{excerpt(scalar.key, 30)}`" if scalar.key is not None else
            f"a quoted item of `{excerpt(scalar.item_of, 30)}`" if scalar.item_of is not None else "a quoted value")
    return Explained(f"{what} runs on from here to line {at[0]}: its closing quote is missing ({said})",
                     *scalar.at, _closing_hint(_line_text(text, scalar.at[0]), scalar.at, scalar.quote, stop,
                                               on_purpose=False, key=scalar.key),
                     (at,), (STOPPED,))


def _quote_inside(text: str, at: Position, said: str, stop: _Stop | None, excerpt: Excerpt) -> Explained | None:
    """`title: 'Barnas' hus'`: a quote inside a value in those quotes ends it there, and the
    parser stops at the text after it. Said where the value begins, when its line ends
    with the same quote; the value meant is the text between the first and last quote."""
    scalar = stop.scalar if stop is not None else None
    if scalar is None or not scalar.quote or scalar.at[0] != at[0] or scalar.end_line != at[0]:
        return None
    line = _line_text(text, at[0])
    written = _COMMENT.split(line[scalar.at[1] - 1:], 1)[0].rstrip()
    inner = stop.open[-1] if stop is not None and stop.open else None
    if inner is not None and inner.flow:  # in {…} or […]: up to the item's end
        written = re.match(r"[^,\]}]*", written[1:]).group()  # type: ignore[union-attr]
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
    other = _quoted_example(key or "", meant, excerpt)[0 if key is not None else 2:]  # in the other quotes
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


# What YAML reads a plain value beginning with each of these as, when it refuses it.
_RESERVED_STARTS = {"@": "`@`, which YAML reserves", "`": "a backtick (`), which YAML reserves",
                    "%": "`%`, which YAML reserves for directives",
                    "*": "`*`, which YAML reads as an alias, a value repeated from an `&name`",
                    "&": "`&`, which YAML reads as an anchor, a name for the value",
                    "|": "`|`, which YAML reads as the start of a text on the lines below",
                    ">": "`>`, which YAML reads as the start of a text on the lines below"}


def _reserved_start(text: str, at: Position, began: Any, problem: str, context: str, said: str,
                    parser: Callable[[str], Any], excerpt: Excerpt) -> Explained | None:
    """`title: @kommunen`, ``title: `SFO` portal``, `title: % of applications`, `title: * New
    portal`, `title: | New`: a plain value cannot begin with these characters. Said at the
    parser's mark of the character (the problem mark where no token can start there, the
    context mark where it began an alias, anchor or block of text), with the value quoted."""
    if problem == "found character that cannot start any token":
        where = at
    elif context in ("while scanning an alias", "while scanning an anchor", "while scanning a block scalar") \
            and began is not None:
        where = _position(began)
    else:
        return None
    line = _line_text(text, where[0])
    char = line[where[1] - 1:where[1]]
    if char not in _RESERVED_STARTS:
        return None
    stop = _replay(text, parser)
    inner = stop.open[-1] if stop is not None and stop.open else None
    value = _COMMENT.split(line[where[1] - 1:], 1)[0].rstrip()
    if inner is not None and inner.flow:
        value = re.match(r"[^,\]}]*", value).group().rstrip()  # type: ignore[union-attr]
    before = line[:where[1] - 1]
    written_key = _KEY_BEFORE.search(before)  # libyaml holds back a `{` after `- `: the line says whose value
    if inner is not None and inner.is_map and inner.expects_value and isinstance(inner.pending_key, str) and \
            inner.pending_mark is not None and inner.pending_mark.line + 1 == where[0]:
        key = excerpt(inner.pending_key, 30)
        what, example = f"the value of `{key}`", _quoted_example(inner.pending_key, value, excerpt)
    elif written_key is not None and "{" in before:
        value = re.match(r"[^,\]}]*", value).group().rstrip()  # type: ignore[union-attr]
        key = excerpt(written_key.group(1), 30)
        what, example = f"the value of `{key}`", _quoted_example(written_key.group(1), value, excerpt)
    elif inner is not None and not inner.is_map and (inner.flow or before.strip() == "-"):
        of = f" of `{excerpt(inner.key, 30)}`" if isinstance(inner.key, str) else ""
        what, example = f"an item{of}", ("- " if not inner.flow else "") + _quoted_example("", value, excerpt)[2:]
    else:
        return None  # a key, or a place the events do not tell
    return Explained(f"{what} begins with {_RESERVED_STARTS[char]} ({said})", *where,
                     f"quote the value, e.g. `{example}`")


def _flow_unclosed(text: str, at: Position, said: str, stop: _Stop | None, excerpt: Excerpt) -> Explained | None:
    """A `[` or `{` still open at the end of the file: libyaml stops there, with no mark of
    where it opened, which the events replayed give. The innermost whose bracket is
    written: `[b: ` holds a one-pair mapping libyaml opened without a `{`."""
    if stop is None or not stop.open or not stop.open[-1].flow:
        return None
    inner = _innermost_written(text, stop)
    if inner is None:
        return None
    opener, closer = _brackets(inner)
    hidden = _hidden_closer(text, inner, at, said, stop, excerpt, "the end of the file")
    if hidden is not None:  # `{id: x, name: Set #up}` last in the file: the `}` is in a comment
        return hidden
    return Explained(f"the `{opener}` here is not closed before the end of the file ({said})", *inner.at,
                     f"close it with `{closer}` after its last item", (at,), (f"{STOPPED}: the end of the file",))


def _innermost_written(text: str, stop: _Stop | None) -> _Collection | None:
    """The innermost `[` or `{` open where the parser stopped whose bracket is written
    (libyaml opens a one-pair mapping for `[b: ` without a `{`), or None."""
    written = [c for c in (stop.open if stop is not None else ()) if c.flow
               and _line_text(text, c.at[0])[c.at[1] - 1:c.at[1]] in "[{"]
    return written[-1] if written else None


def _brackets(collection: _Collection) -> tuple[str, str]:
    return ("{", "}") if collection.is_map else ("[", "]")


def _key_in_flow(text: str, at: Position, said: str, stop: _Stop | None, excerpt: Excerpt) -> Explained | None:
    """In `{…}` or `[…]`, a key met where a ',' or the closing bracket was due: after a
    value on its line, a comma left out (`change: 4 confidence: 0.8`); at the start of a
    later line, the bracket above left open (`addresses: [PP-1` and `effects:` below)."""
    line = _line_text(text, at[0])
    key = (_KEY_BEFORE_COLON.search(line[:at[1] - 1]) if line[at[1] - 1:at[1]] == ":" else
           _KEY_AT_MARK.match(line, at[1] - 1))  # the last value ended by a comment: stopped at the key
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
    inner = _innermost_written(text, stop)
    if inner is None or inner.at[0] >= at[0]:
        return None
    opened_on = _line_text(text, inner.at[0])
    indent = len(opened_on) - len(opened_on.lstrip(" "))
    # a key back at the bracket line's indentation on a line between (`scoring: {`, then
    # `rules:` and `  CXP405: …` below it): the bracket was left open before that key
    for number in range(inner.at[0] + 1, at[0]):
        between = _line_text(text, number)
        outer = _KEY_AT_START.match(between)
        if outer is not None and len(between) - len(between.lstrip(" ")) <= indent:
            opener, closer = _brackets(inner)
            before = f"`{outer.group(1)}:` on line {number}"
            return _hidden_closer(text, inner, at, said, stop, excerpt, before) or Explained(
                f"the `{opener}` here is not closed before {before} ({said})", *inner.at,
                f"close it with `{closer}` after its last item", (at,), (STOPPED,))
    if key.start(1) > indent:
        # indented under the bracket's line: inside it still, written over lines (`{kpi: k,
        # change: 4` and `confidence: 0.5}` below): the comma at the end of the line above
        name = key.group(1)
        return Explained(f"a comma is missing before `{name}:`, at the end of the line above ({said})",
                         at[0], key.start(1) + 1, f"end the line above with `,` (in {{…}} and […] items are "
                         f"separated by commas, over lines too)", (at,), (STOPPED,))
    opener, closer = _brackets(inner)
    before = f"`{key.group(1)}:` on line {at[0]}"
    return _hidden_closer(text, inner, at, said, stop, excerpt, before) or Explained(
        f"the `{opener}` here is not closed before {before} ({said})", *inner.at,
        f"close it with `{closer}` after its last item", (at,), (STOPPED,))


def _unclosed_before_item(text: str, at: Position, said: str, stop: _Stop | None,
                          excerpt: Excerpt) -> Explained | None:
    """`- {kpi: k, change: 4` and `- {kpi: o}` below it: the `{` is still open where the
    next `- ` item begins. libyaml stops at that `-`, or, when the last value is plain, at
    what follows it (the value ran on over the line break and took the `-`: `4 -`). Said
    just after the last value the parser read (and its `,`), where the `}` is missing."""
    line = _line_text(text, at[0])
    dash = _ITEM_DASH.match(line)
    opened = [c for c in (stop.open if stop is not None else ()) if c.flow
              and _line_text(text, c.at[0])[c.at[1] - 1:c.at[1]] in "[{"]
    if stop is None or dash is None or len(opened) != 1 or opened[0].at[0] >= at[0]:
        return None  # two brackets open, or none: not one place and one bracket to tell
    bracket_line = _line_text(text, opened[0].at[0])
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
    opener, closer = _brackets(opened[0])
    hidden = _comment_hiding(text, end, closer, opened[0], at, said, stop, excerpt)
    if hidden is not None:  # `name: Explore #options, completion: 0.8}`: the `}` is in a comment
        return hidden
    return Explained(f"the `{opener}` opened at line {opened[0].at[0]}, column {opened[0].at[1]} is not closed "
                     f"before the next item on line {at[0]} ({said})", *end,
                     f"add `{closer}` here, where the item ends", (opened[0].at, at),
                     (f"where the `{opener}` opens", STOPPED))


def _hidden_closer(text: str, inner: _Collection, at: Position, said: str, stop: _Stop, excerpt: Excerpt,
                   before: str) -> Explained | None:
    """_comment_hiding after the last thing read inside `inner` (a bracket left open before
    `before`): the end mark of a collection closed last, or of the last value."""
    scalar = stop.scalar
    last = stop.closed[-1].end if stop.closed else (
        (scalar.end_line, scalar.end_column) if scalar is not None and scalar.at > inner.at else None)
    return _comment_hiding(text, last, _brackets(inner)[1], inner, at, said, stop, excerpt, before) if last else None


def _comment_hiding(text: str, end: Position, closer: str, bracket: _Collection, at: Position, said: str,
                    stop: _Stop, excerpt: Excerpt, before: str = "") -> Explained | None:
    """A ` #` right after the last value read (at `end`) begins a comment that holds the
    bracket's `closer`: the `}` is written, but in the comment. Said at the `#`."""
    line = _line_text(text, end[0])
    comment = re.compile(r"[ \t]+#").match(line, end[1] - 1)
    if comment is None or closer not in line[comment.end():]:
        return None
    scalar = stop.scalar
    opener = _brackets(bracket)[0]
    hint = "put the `#` in a quoted value, or remove the space before it"
    if scalar is not None and scalar.plain and scalar.at[0] == end[0] and not stop.closed:
        value = re.match(r"[^,\]}]*", line[scalar.at[1] - 1:]).group().rstrip()  # type: ignore[union-attr]
        example = (_quoted_example(scalar.key, value, excerpt) if isinstance(scalar.key, str)
                   else _quoted_example("", value, excerpt)[2:])
        hint = f"quote the value with the `#` in it (`{example}`), or remove the space before the `#`"
    return Explained(f"` #` begins a comment, so the rest of the line, its `{closer}` too, is not read: the "
                     f"`{opener}` opened at line {bracket.at[0]}, column {bracket.at[1]} is not closed before "
                     f"{before or f'the next item on line {at[0]}'} ({said})", end[0], comment.end(), hint,
                     (bracket.at, at), (f"where the `{opener}` opens", f"{STOPPED}: {before}" if before else STOPPED))


def _end_before(text: str, at: Position, stop: _Stop, bracket: _Collection, took_dash: bool) -> Position | None:
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
            written = _COMMENT.split(_line_text(text, number)[start:], 1)[0].rstrip()
            if written.strip():
                return number, start + len(written) + 1
        return None
    if end is None or end[0] >= at[0]:
        return None
    # after the value, the parser read only blanks, a comment and perhaps a `,` on its line:
    # the bracket goes after that comma (`PP-2,]`; `PP-2],` is a comma too many)
    comma = re.match(r"[ \t]*,", _line_text(text, end[0])[end[1] - 1:])
    return (end[0], end[1] + comma.end()) if comma else end


_ITEM_DASH = re.compile(r"[ \t]*-(?=[ \t])")  # the `-` of a block list item beginning a line


def _colon_in_flow_value(text: str, at: Position, said: str, stop: _Stop | None,
                         excerpt: Excerpt) -> Explained | None:
    """`{id: explore, name: Explore: options}`: in braces, a ': ' right after a plain value
    (the parser's mark is at the ':', where the value's end mark is) reads as another key."""
    scalar = stop.scalar if stop is not None else None
    inner = stop.open[-1] if stop is not None and stop.open else None
    if scalar is None or inner is None or not inner.flow or not inner.is_map or not scalar.plain:
        return None
    line = _line_text(text, at[0])
    if not isinstance(scalar.key, str) or (scalar.end_line, scalar.end_column) != at or scalar.at[0] != at[0] \
            or line[at[1] - 1:at[1]] != ":":
        return None
    written = _COMMENT.split(line[scalar.at[1] - 1:], 1)[0]
    item = re.match(r"[^,\]}]*", written).group().rstrip()  # type: ignore[union-attr]  # up to the item's end
    key = excerpt(scalar.key, 20)
    return Explained(f"the value of `{key}` holds ': ', which YAML reads as another key ({said})", *at,
                     f"quote the value, e.g. `{_quoted_example(scalar.key, item, excerpt)}`")


_KEY_BEFORE_COLON = re.compile(r"([A-Za-z_][\w-]*)$")
_KEY_AT_MARK = re.compile(r"([A-Za-z_][\w-]*):(?=[ \t]|$)")
_KEY_AT_START = re.compile(r" *([A-Za-z_][\w-]*):(?: |$)")


def _text_after_quote(text: str, at: Position, said: str, stop: _Stop | None, parser: Callable[[str], Any],
                      excerpt: Excerpt) -> Explained | None:
    """`title: "Application status" tracker`: the value ends at its closing quote, and the
    parser stops at the text after it (its mark), on the line the quoted value is on."""
    scalar = stop.scalar if stop is not None else None
    if scalar is None or not scalar.quote or not scalar.at[0] == scalar.end_line == at[0]:
        return None
    line = _line_text(text, at[0])
    if scalar.end_column > at[1] or line[scalar.end_column - 1:at[1] - 1].strip(" \t"):
        return None  # something other than blanks between the quote and the mark
    flow = stop is not None and bool(stop.open) and stop.open[-1].flow
    rest = _COMMENT.split(line[at[1] - 1:], 1)[0]
    after = (re.match(r"[^,\]}]*", rest).group() if flow else rest).rstrip()  # type: ignore[union-attr]
    if not after or _KEY_AT_MARK.match(after):
        return None  # `{period: "2026-Q2," value: 1}`: a key after the value, a comma missing (said elsewhere)
    if _SWALLOWED_PAIR.search(scalar.value):
        return None  # `{kind: "nps, count: 2, note: "Top"}`: a quote left open, closed by the next value's quote
    written = line[scalar.at[1] - 1:at[1] - 1] + after  # the quoted part, the blanks and the text after it
    key = scalar.key if isinstance(scalar.key, str) else None
    what = (f"the quoted value of `{excerpt(key, 30)}`" if key is not None else
            f"a quoted item of `{excerpt(scalar.item_of, 30)}`" if scalar.item_of is not None else "a quoted value")
    lead = f"{key}: " if key is not None else ""
    if scalar.quote == "'" and at[1] == scalar.end_column and after[0].isalpha():
        # `'Payout's and first instalment`: the closing quote may be an apostrophe
        meant = written[1:]
        doubled = excerpt(f"{lead}'{meant.replace(chr(39), chr(39) * 2)}'", EXAMPLE_LIMIT)
        other = _quoted_example(key or "", meant, excerpt)[0 if key is not None else 2:]
        return Explained(f"the text after the closing quote, `{excerpt(after, 30)}`, is outside {what} ({said})",
                         *at, f"if the ' before it is an apostrophe, write it as '' (`{doubled}`), or put the value "
                         f"in double quotes (`{other}`)", (scalar.at,), ("where the quoted value begins",))
    if key in NUMBER_KEYS or key in LIST_KEYS:  # no text either way: the value the field takes
        number = scalar.value.strip()
        items = ", ".join([number, *re.findall(r"[^\s,]+", after)])
        hint = ("write the number alone, without quotes or a unit"
                + (f" (`{key}: {number}`)" if _NUMBER.fullmatch(number) else "") if key in NUMBER_KEYS else
                f"write its ids as a list, without quotes (`{excerpt(f'{key}: [{items}]', EXAMPLE_LIMIT)}`)")
        return Explained(f"the text after the closing quote, `{excerpt(after, 30)}`, is outside {what} ({said})",
                         *at, hint, (scalar.at,), ("where the quoted value begins",))
    example = _quoted_example(key, written, excerpt) if key is not None else _quoted_example("", written, excerpt)[2:]
    hint = f"put the whole {'value' if key is not None else 'item'} in quotes (`{example}`)"
    bare = written[1:scalar.end_column - scalar.at[1] - 1] + written[scalar.end_column - scalar.at[1]:]
    if _reads_plain(bare, flow, parser):
        hint += f", or remove the quotes (`{excerpt(lead + bare, EXAMPLE_LIMIT)}`)"
    return Explained(f"the text after the closing quote, `{excerpt(after, 30)}`, is outside {what} ({said})",
                     *at, hint, (scalar.at,), ("where the quoted value begins",))


_SWALLOWED_PAIR = re.compile(r",[ \t]*[A-Za-z_][\w-]*:[ \t]")  # `, note: ` inside a quoted value
_ENDS_WITH_KEY = re.compile(r",[ \t]*([A-Za-z_][\w-]*):[ \t]*$")  # `…, note: ` at the end of one


def _quote_closed_by_next(text: str, at: Position, said: str, stop: _Stop | None,
                          excerpt: Excerpt) -> Explained | None:
    """`{kind: "nps, count: 2, note: "Top"}`: the quote after `kind:` is left open and the
    one that opens `note:`'s value closes it, so the value ends with `, note: ` (its end
    mark on the line where it begins). Said where the value begins."""
    scalar = stop.scalar if stop is not None else None
    inner = stop.open[-1] if stop is not None and stop.open else None
    if scalar is None or not scalar.quote or inner is None or not inner.flow or scalar.at[0] != at[0] \
            or scalar.end_line != at[0]:
        return None
    swallowed = _ENDS_WITH_KEY.search(scalar.value)
    if swallowed is None:
        return None
    line = _line_text(text, at[0])
    what = (f"the quoted value of `{excerpt(scalar.key, 30)}`" if isinstance(scalar.key, str)
            else _quoted_what(line, scalar.at, stop, excerpt))
    return Explained(f"{what} runs on to `{excerpt(swallowed.group(1), 30)}:`, whose opening quote closes it: its "
                     f"closing quote is missing ({said})", *scalar.at,
                     _closing_hint(line, scalar.at, scalar.quote, stop, on_purpose=False, key=scalar.key),
                     (at,), (STOPPED,))


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


# What a related place of a syntax error is, where it is not where the broken part begins.
STOPPED = "where the parser stopped"


def _quote_unclosed(text: str, at: Position, start: Position, said: str, stop: _Stop | None,
                    excerpt: Excerpt) -> Explained:
    """A quote opened and never closed, with no quote after it: libyaml notices at the end
    of the file, but the quote is missing where the value begins (its context mark), and
    that is where the message goes, as for a value that runs on to a later quote."""
    line = _line_text(text, start[0])
    quote = line[start[1] - 1:start[1]] or '"'
    # written over lines on purpose when no line after the first begins as a key does
    lines = [line for line in _lines(text, start[0] + 1, at[0], most=1000) if line.strip()]
    on_purpose = bool(lines) and not any(map(_SWALLOWED_KEY.match, lines))
    key = _quoted_key(line, start, stop)
    return Explained(f"{_quoted_what(line, start, stop, excerpt)} runs on from here to the end of the file: "
                     f"its closing quote is missing ({said})", *start,
                     _closing_hint(line, start, quote, stop, on_purpose, key), (at,),
                     (f"{STOPPED}: the end of the file",))


def _document_marker_in_quotes(text: str, at: Position, start: Position, said: str, stop: _Stop | None,
                               excerpt: Excerpt) -> Explained:
    """`---` or `...` at the start of a line inside a quoted value: it ends the document
    there, whether the quote was left open or the value is written over lines and closed
    further down, so both fixes are offered, where the parser stopped."""
    marker = _line_text(text, at[0])[:3]
    what = _quoted_what(_line_text(text, start[0]), start, stop, excerpt)
    return Explained(f"`{marker}` at the start of a line ends a YAML document, but it is inside {what}, "
                     f"which begins at line {start[0]} ({said})", *at,
                     f"if the line belongs to the value, indent it; if not, close the value's quote before "
                     f"line {at[0]} (a portfolio file holds one document)",
                     (start,), ("where the quoted value begins",))


def _quoted_what(line: str, start: Position, stop: _Stop | None, excerpt: Excerpt) -> str:
    """'the quoted value of `title`', 'a quoted item of `addresses`', or 'a quoted value'
    when the parser's events do not say: libyaml holds back a `{` or `[` that may begin a
    key until the key ends, so the events may stop short of the collection the quote is
    in, which the text before the quote on its `line` then shows."""
    key = _quoted_key(line, start, stop)
    if key is not None:
        return f"the quoted value of `{excerpt(key, 30)}`"
    inner = stop.open[-1] if stop is not None and stop.open else None
    before = line[:start[1] - 1]
    if inner is not None and not inner.is_map and inner.key is not None and (
            (not inner.flow and before.strip() == "-")
            or (inner.flow and inner.at[0] == start[0] and not set(before[inner.at[1]:]) & set("{["))):
        return f"a quoted item of `{excerpt(inner.key, 30)}`"
    return "a quoted value"


def _quoted_key(line: str, start: Position, stop: _Stop | None) -> Any:
    """The key whose value the quote at `start` opens, when the parser's events and the
    `line` agree that it is one (see _quoted_what)."""
    inner = stop.open[-1] if stop is not None and stop.open else None
    if inner is None or not inner.is_map or not inner.expects_value or inner.pending_key is None:
        return None
    key_mark = inner.pending_mark
    if key_mark is None or key_mark.line + 1 != start[0] or set(line[key_mark.column:start[1] - 1]) & set("{[,"):
        return None
    return inner.pending_key


def _closing_hint(line: str, start: Position, quote: str, stop: _Stop | None, on_purpose: bool,
                  key: Any = None) -> str:
    """Where the missing closing quote goes: after an escaped quote the line seems to end
    with, before the `,` or bracket that ends an item of `[...]` or `{...}`, where a value
    written over lines ends, or at the end of `line`, the one it opens on. For a number
    (`change: "5}`), that the opening quote goes instead."""
    written = line[start[1]:].rstrip()
    if key is None:  # libyaml holds back a `{` after `- `: the line says whose value it is
        written_key = _KEY_BEFORE.search(line[:start[1] - 1])
        key = written_key.group(1) if written_key else None
    if isinstance(key, str) and key in NUMBER_KEYS and not on_purpose:
        item = re.match(r"[^,\]}]*", written).group()  # up to the , ] or } that ends an item
        number = _COMMENT.split(item, 1)[0].strip()  # `effort: "8 # weeks`: the comment stays one
        if _NUMBER.fullmatch(number):
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


def _flow_closer(before: str, stop: _Stop | None) -> str | None:
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
    inner = stop.open[-1] if stop is not None and stop.open else None
    if inner is not None and inner.flow:
        return "}" if inner.is_map else "]"
    return None


def _colon_in_value(text: str, at: Position, line: str, said: str, stop: _Stop | None,
                    excerpt: Excerpt) -> Explained | None:
    """`title: Mortgage: status tracker`, or a key indented so far that it continues the
    value above it (`effort:` under `title: x`, one space too far)."""
    scalar = stop.scalar if stop else None
    if stop is None or scalar is None:
        return None
    if scalar.key is None:
        return (_item_key_glued(text, scalar, at, said, excerpt, top=not stop.open)
                or _first_key_without_colon(text, scalar, at, said, excerpt, top=not stop.open))
    key = excerpt(scalar.key, 20)
    if scalar.key_at is not None and _SPACE_LIKE_FIRST.match(scalar.key):
        # `\xa0\xa0effort: 4` or `-\xa0id: B`: the key begins with a no-break space, which
        # YAML reads as part of it, and the lines below it read as more of its value
        odd = _odd_space(scalar.key + ":", scalar.key_at, said, excerpt, (at,) if at != scalar.key_at else (),
                         (STOPPED,) if at != scalar.key_at else ())
        if odd is not None:
            return odd
    if _DASH_GLUED.match(scalar.key) and scalar.key_at is not None:
        return _dash_glued(scalar.key, scalar.key_at, at, said, excerpt)
    if scalar.at[0] == at[0]:
        if not scalar.plain:
            return Explained(f"text after the quoted value of `{key}` ({said})", *at,
                             "put the whole value inside the quotes, or end the line after the closing quote")
        value = _COMMENT.split(line[scalar.at[1] - 1:], 1)[0].rstrip()
        keys = _KEYS_IN_A_ROW.search(line[scalar.at[1] - 1:at[1] - 1])
        if keys is not None:  # `- id: DIG-1, title: Chat`: keys in a row, without braces
            return Explained(f"the value of `{key}` runs on into `{keys.group(1)}:` after a ',' ({said})", *at,
                             f"to write several keys on one line, put them in braces (`- {{{key}: …, "
                             f"{keys.group(1)}: …}}`), or give each key a line of its own; if the ',' is part of "
                             f"the value, quote it, e.g. `{_quoted_example(key, value, excerpt)}`")
        item = _NEXT_ITEM.search(line[scalar.at[1] - 1:at[1] - 1])
        if item is not None:  # `- id: DIG-1 - id: DIG-2`: a line break lost, not a value to quote
            token = f"- {excerpt(item.group(1), 30)}:"
            return Explained(f"a new item `{token}` follows the value of `{key}` on the same line ({said})", *at,
                             f"start `{token}` on a line of its own, in line with the `- ` of the item above")
        holds = "ends with ':'" if not _COMMENT.split(line[at[1]:], 1)[0].strip() else "holds ': '"
        return Explained(f"the value of `{key}` {holds}, which YAML reads as another key ({said})",
                         *at, f"quote the value, e.g. `{_quoted_example(key, value, excerpt)}`")
    if scalar.plain and scalar.key_at is not None and scalar.key_at[0] < scalar.at[0]:
        # the value begins on a line of its own: a spreadsheet's row under `initiatives:`
        row = _spreadsheet_row(_line_text(text, scalar.at[0])[scalar.at[1] - 1:], scalar.at, said, excerpt, at)
        if row is not None:
            return row
    own = line[:at[1] - 1].strip()
    if scalar.key_at is None or scalar.key_at[0] != scalar.at[0] or not own or own.startswith("-"):
        return None  # the value began on a line of its own: more likely a ':' missing there
    mapping = next((c for c in reversed(stop.open) if c.is_map and not c.flow), None)
    token = f"{excerpt(own, 30)}:"
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


def _item_key_glued(text: str, scalar: _Scalar, at: Position, said: str, excerpt: Excerpt,
                    top: bool = False) -> Explained | None:
    """`- id:DIG-2` with `title: x` below it: an item's first key without the space after
    its ':' makes the item one plain value, which the next line's key cannot continue —
    libyaml stops there, a line below the mistake. Likewise a file's first key (`top`: the
    value is the document itself, `unit:digital` above `initiatives:`)."""
    glued = _GLUED_KEY.match(scalar.value) if scalar.plain and (scalar.item_of is not None or top) else None
    if glued is None or scalar.at[0] >= at[0] or scalar.value.startswith("//", glued.end(1) + 1):
        return None  # `- https://…`: an address, which a list of evidence may hold, not a key
    key = excerpt(glued.group(1), 30)
    return Explained(f"`{key}:` has no space after its ':', so YAML reads it and the line below as one value, not "
                     f"a key ({said})", *scalar.at, "put a space after the ':' "
                     f"(`{_spaced(_line_text(text, scalar.at[0])[scalar.at[1] - 1:], excerpt)}`)", (at,), (STOPPED,))


def _spaced(written: str, excerpt: Excerpt) -> str:
    """`title:Status tracker  # x` as it was meant: `title: Status tracker`."""
    key, _, value = _COMMENT.split(written, 1)[0].rstrip().partition(":")
    return excerpt(f"{key}: {value}", EXAMPLE_LIMIT)


def _first_key_without_colon(text: str, scalar: _Scalar, at: Position, said: str, excerpt: Excerpt,
                             top: bool) -> Explained | None:
    """`- id mortgage` with `name: Mortgage` below it: an item's first key (or a file's,
    `top`) without its ':' makes the item one plain value, which the next line's key cannot
    continue: libyaml stops at that key's ':', or, when a comment ended the value, at the
    key itself, in line with the value. Only for a key of the format followed by a value
    on the line where the value begins (`- mobile` above a key out of line is an item)."""
    if not scalar.plain or scalar.item_of is None and not top or scalar.at[0] >= at[0]:
        return None
    if scalar.end_line != at[0] and (at[1] != scalar.at[1] or not _KEY.match(_line_text(text, at[0])[at[1] - 1:])):
        return None
    words = _COMMENT.split(_line_text(text, scalar.at[0])[scalar.at[1] - 1:], 1)[0].split(maxsplit=1)
    if len(words) != 2 or words[0] not in FORMAT_KEYS:
        return None
    key = excerpt(words[0], 30)
    below = "the line below" if at[0] == scalar.at[0] + 1 else f"the lines below it, up to line {at[0]},"
    read = (f"this line and {below} as one value, not keys" if scalar.end_line == at[0] else
            "this line as one value, not a key")  # a comment ended it
    return Explained(f"`{key}` has no ':' after it, so YAML reads {read} ({said})", *scalar.at,
                     f"add ':' after the key (`{key}: {excerpt(words[1].rstrip(), 30)}`)", (at,), (STOPPED,))


_SPACE_LIKE_FIRST = re.compile(f"-?[{SPACE_LIKE}]")
# Where YAML needs a space: indentation, after an item's '-', after a key's ':'. The
# groups: the indentation, the dash, the key; the last group the space itself.
_SPACE_LIKE_AS_SPACE = re.compile(
    rf"([{SPACE_LIKE}]+)(?=\S)|-([{SPACE_LIKE}])|([^\s#:'\"\[\]{{}},][^#:]*?):([{SPACE_LIKE}])")


def _odd_space(token: str, where: Position, said: str, excerpt: Excerpt, related: tuple[Position, ...] = (),
               labels: tuple[str, ...] = ()) -> Explained | None:
    """A space that is not YAML's (a no-break space) where YAML needs one, at the start of
    `token` — the text from a scalar's start, `where` (the parser's mark): indenting it,
    after an item's '-' or after a key's ':'. None when there is none."""
    found = _SPACE_LIKE_AS_SPACE.match(token)
    if found is None:
        return None
    char = (found.group(1) or found.group(2) or found.group(4))[0]
    what = space_like_name(char)
    body = _COMMENT.split(token, 1)[0].rstrip()
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


def _item_dash_glued(text: str, key_at: Position, said: str, parser: Callable[[str], Any], excerpt: Excerpt,
                     at: Position) -> Explained | None:
    """`-mobile` in line with the `- ` of the items of a list open there: without a space
    after it, the `-` is part of a plain value, which libyaml takes for a key."""
    rest = _line_text(text, key_at[0])[key_at[1] - 1:]
    if not _DASH_GLUED.match(rest):
        return None
    stop = _replay(text, parser)
    inner = stop.open[-1] if stop is not None and stop.open else None
    if inner is None or inner.is_map or inner.flow or inner.at[1] != key_at[1]:
        return None
    token = excerpt(_COMMENT.split(rest, 1)[0].rstrip(), 30)
    return Explained(f"`{token}` has no space after its '-', so YAML does not read it as a list item ({said})",
                     *key_at, f"put a space after the '-' (`- {excerpt(token[1:], 30)}`)", (at,), (STOPPED,))


def _dash_glued(key: str, key_at: Position, at: Position, said: str, excerpt: Excerpt) -> Explained:
    """`-id: DIG-1`: without a space after it, the `-` is part of the key, not a list item."""
    token = excerpt(key, 30)
    related, labels = ((at,), (STOPPED,)) if at != key_at else ((), ())
    return Explained(f"`{token}:` has no space after its '-', so YAML reads `{token}` as a key, not as a list "
                     f"item ({said})", *key_at, f"put a space after the '-' (`- {excerpt(key[1:], 30)}:`)",
                     related, labels)


def _misindented(line: str, at: Position, said: str, stop: _Stop | None, excerpt: Excerpt) -> Explained | None:
    """A key or list item at a column where no mapping or list of its own starts: say
    where the keys (items) of the collections it can belong to start."""
    if stop is None or not stop.open:
        return None
    enclosing = stop.open[-1]  # the collection the parser was reading: libyaml's context mark
    rest = line[at[1] - 1:]
    options: list[tuple[_Collection, str]] = []
    in_list = ""  # a key at a list's column: that list's items, as the message names them
    if rest.startswith("-") and rest[1:2] in ("", " ", "\t"):
        token = excerpt(_COMMENT.split(rest, 1)[0].rstrip(), 30)
        kind = "list item"
        lists = [c for c in stop.closed if not c.is_map and not c.flow] + (
            [enclosing] if not enclosing.is_map and not enclosing.flow else [])
        # The list closed last and the list the parser was in are the two homes an item can
        # have; when the items of only one of them are like it, that one.
        homes = lists[-1:] + [c for c in _open_lists(stop)[:1] if c not in lists[-1:]]
        options = [(c, c.items(excerpt)) for c in _like(homes, _item_shape(rest))]
    elif rest.startswith(","):  # `- {id: A}, {id: B}`: a flow list's comma in a block list
        return Explained(f"a `,` after the list item on this line ({said})", *at,
                         "a list written with `- ` has one item per line: delete the `,` and start the next item "
                         "on a line of its own with `- `")
    else:
        key = _KEY.match(rest)
        if key is None:
            return None
        token = f"{excerpt(key.group(1), 30)}:"
        kind = "key"
        if _DASH_GLUED.match(key.group(1)):
            return _dash_glued(key.group(1), at, at, said, excerpt)
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
            if not holder.top or key.group(1) in _PORTFOLIO_KEYS | CONFIG_KEYS:  # `name:` is no top-level key
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
    in_config = (not stop.top_keys.isdisjoint(CONFIG_KEYS) and stop.top_keys.isdisjoint(_PORTFOLIO_KEYS)
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


def _item_under_value(text: str, at: Position, line: str, said: str, stop: _Stop | None,
                      excerpt: Excerpt) -> Explained | None:
    """`addresses: PP-1` (or `[PP-1]`) and `- PP-2` under it: a key with a value on its
    line cannot take list items too. Said at the `- `, the parser's mark, for an item that
    is not a mapping (`- id: B` is more likely an initiative out of line, said elsewhere),
    below a key that is not a top-level one (there, the list's key may be lost)."""
    rest = line[at[1] - 1:]
    mapping = stop.open[-1] if stop is not None and stop.open else None
    if stop is None or mapping is None or not _ITEM_DASH.match(rest) or line[:at[1] - 1].strip():
        return None
    if not mapping.is_map or mapping.flow or mapping.top or mapping.expects_value or mapping.pending_mark is None \
            or not isinstance(mapping.pending_key, str) or mapping.pending_mark.column + 1 > at[1]:
        return None  # not a block mapping's key, its value read, at or left of the `- `
    key_at = _position(mapping.pending_mark)
    scalar = stop.scalar
    if stop.closed and stop.closed[-1].flow and not stop.closed[-1].is_map:
        value, ends = stop.closed[-1].at, stop.closed[-1].end
    elif not stop.closed and scalar is not None and scalar.key_at == key_at:
        value, ends = scalar.at, (scalar.end_line, scalar.end_column)
    else:
        return None
    if value[0] != key_at[0] or ends is None or ends[0] >= at[0] or _item_shape(rest)[0]:
        return None
    between = _lines(text, ends[0] + 1, at[0] - 1, most=1000)
    if any(written.strip() and not written.lstrip().startswith("#") for written in between):
        return None
    key, token = excerpt(mapping.pending_key, 30), excerpt(_COMMENT.split(rest, 1)[0].rstrip(), 30)
    if stop.closed:
        hint = (f"write the item inside the `[…]` on line {key_at[0]}, or write each item on a `- ` line under "
                f"`{key}:` and nothing after its ':'")
    else:
        hint = (f"for a list, leave nothing after `{key}:` on line {key_at[0]} and write each item on a `- ` line "
                f"under it, `{excerpt(scalar.value, 30)}` too")  # type: ignore[union-attr]
    return Explained(f"the list item `{token}` is under `{key}:`, which already has a value on its line ({said})",
                     *at, hint, (key_at,), (f"where `{key}:` and its value are",))


def _left_of_first_key(text: str, at: Position, line: str, said: str, stop: _Stop | None,
                       excerpt: Excerpt) -> Explained | None:
    """` organization: O` indented, `year: 2026` at column 1 below it: the file's mapping
    began at the first key's column, so a key left of it ends the document, and libyaml
    expects another. Said at that key (its mark), for a key at column 1."""
    top = stop.closed[-1] if stop is not None and stop.closed and not stop.open else None
    key = _KEY.match(line)
    if top is None or not top.top or not top.is_map or top.flow or at[1] != 1 or top.at[1] <= 1 or key is None:
        return None
    token = f"{excerpt(key.group(1), 30)}:"
    return Explained(f"the key `{token}` at column 1 is left of the file's first key, at column {top.at[1]} on line "
                     f"{top.at[0]}, so YAML reads the file as ended before it ({said})", *at,
                     f"start the top-level keys at column 1: remove the indentation before the first key on line "
                     f"{top.at[0]}", (top.at,), ("where the file's first key is",))


def _text_after_bracket(line: str, at: Position, said: str, stop: _Stop | None, excerpt: Excerpt) -> Explained | None:
    """`addresses: [PP-1]"`: text after the `]` or `}` that ends a value or an item on its
    line, where the parser stopped (its mark; the bracket's end mark before it)."""
    closed = stop.closed[-1] if stop is not None and stop.closed else None
    if closed is None or not closed.flow or closed.end is None or closed.end[0] != at[0] or \
            closed.end[1] > at[1] or line[closed.end[1] - 1:at[1] - 1].strip():
        return None
    token = _COMMENT.split(line[at[1] - 1:], 1)[0].rstrip()
    opener, closer = _brackets(closed)
    key = f"`{excerpt(closed.key, 30)}`" if isinstance(closed.key, str) else ""
    what = (f"an item of {key}" if closed.is_item else f"the value of {key}") if key else "the value"
    hint = "delete it" if token in ('"', "'") else f"write it inside the `{opener}…{closer}`, or delete it"
    return Explained(f"`{excerpt(token, 30)}` after the `{closer}` that ends {what} ({said})", *at, hint)


def _list_holder(stop: _Stop, at: Position) -> _Collection | None:
    """The block mapping holding the block list the parser was in, when a key sits at that
    list's column (in line with its `- `), where only another item can go; else None."""
    inner = stop.open[-1]
    if inner.is_map or inner.flow or inner.at[1] != at[1] or inner.is_item or len(stop.open) < 2:
        return None
    holder = stop.open[-2]
    return holder if holder.is_map and not holder.flow and holder.at[1] < at[1] else None


def _quoted_example(key: str, value: str, excerpt: Excerpt) -> str:
    """`key: "value"` to copy, at most EXAMPLE_LIMIT characters (a long value is cut with …);
    the quotes are chosen from the value as written, before it is escaped for display."""
    quote = '"' if '"' not in value and "\\" not in value else "'" if "'" not in value else '"'
    if quote == '"' and ('"' in value or "\\" in value):
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f"{key}: {quote}{excerpt(value, max(EXAMPLE_LIMIT - len(key) - 4, 8))}{quote}"


def _replay(text: str, parser: Callable[[str], Any]) -> _Stop | None:  # noqa: C901 - one loop
    """Parse again up to the error, keeping the collections open when the parser stopped.

    Only a file with a syntax error pays for this, but that can be a large file: the loop
    keeps its state in locals and builds nothing per scalar."""
    opened: list[_Collection] = []
    closed: list[_Collection] = []
    # the last scalar event, its key and the key's mark (a value), or the key of its list (an item)
    last: tuple[Any, str | None, Any, str | None] | None = None
    get = parser(text).get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    inner: _Collection | None = None
    top_keys: set[str] = set()
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event or kind is alias_event or kind is map_start or kind is seq_start:
                if closed:
                    closed = []
                last = None
                if kind is map_start or kind is seq_start:
                    is_item = inner is not None and not inner.is_map
                    key = (inner.key if is_item else inner.pending_key if inner and inner.expects_value
                           else None)
                    collection = _Collection(kind is map_start, bool(event.flow_style),
                                             _position(event.start_mark), key, is_item, inner is None)
                    if is_item and inner.first_item is None and not inner.scalar_first:
                        inner.first_item = collection
                    inner = collection
                    opened.append(inner)
                    continue
                if inner is not None and inner.is_map:
                    if inner.expects_value:
                        inner.expects_value = False
                        if kind is scalar_event:
                            last = (event, inner.pending_key, inner.pending_mark, None)
                    else:
                        inner.expects_value = True
                        inner.pending_key = event.value if kind is scalar_event else None
                        inner.pending_mark = event.start_mark
                        if inner.first_key is None and kind is scalar_event:
                            inner.first_key = event.value
                        if kind is scalar_event and (inner.top or (
                                inner.is_item and len(opened) == 2 and not opened[0].is_map)):
                            top_keys.add(event.value)
                elif inner is not None and kind is scalar_event:  # an item of a list
                    last = (event, None, None, inner.key)
                    if inner.first_item is None:
                        inner.scalar_first = True
                elif kind is scalar_event:  # the document itself: `unit:digital` on the first line
                    last = (event, None, None, None)
            elif kind is map_end or kind is seq_end:
                closed.append(opened.pop())
                closed[-1].end = _position(event.end_mark)
                last = None
                inner = opened[-1] if opened else None
                if inner is not None and inner.is_map:  # the collection was this mapping's key or value
                    inner.expects_value = not inner.expects_value
                    if inner.expects_value:
                        inner.pending_key = None
            elif kind is yaml.StreamEndEvent:
                return None  # no error the second time: nothing to explain
    except yaml.YAMLError:
        scalar = None
        if last is not None:
            event, key, key_mark, item_of = last
            scalar = _Scalar(event.value, bool(event.implicit[0]) and not event.style,
                             _position(event.start_mark), key, None if key_mark is None else _position(key_mark),
                             event.style if event.style in ('"', "'") else "", event.end_mark.line + 1, item_of,
                             event.end_mark.column + 1)
        return _Stop(opened, closed, scalar, frozenset(top_keys))


def _position(mark: Any) -> Position:
    return mark.line + 1, mark.column + 1


def _lines(text: str, first: int, last: int, most: int) -> list[str]:
    """Lines `first` to `last` (1-based, ended as the parser ends lines), at most `most`."""
    start, line = 0, 1
    while line < first:
        found = _LINE_BREAK.search(text, start)
        if found is None:
            return []
        start, line = found.end(), line + 1
    lines = []
    while line <= min(last, first + most - 1):
        end = _LINE_BREAK.search(text, start)
        lines.append(text[start:end.start() if end else len(text)])
        if end is None:
            break
        start, line = end.end(), line + 1
    return lines


def _document_end_above(text: str, at: Position) -> int | None:
    """The last line above `at` that is YAML's document end marker, `...`, if any."""
    lines = _lines(text, 1, at[0] - 1, at[0])
    return next((n for n in range(len(lines), 0, -1) if _COMMENT.split(lines[n - 1], 1)[0].rstrip() == "..."), None)


def _item_above(text: str, at: Position) -> int | None:
    """The line of the list item that the line at `at` would be the next of, when the
    nearest line above it not indented further (blank and comment lines aside) is an item
    (`- `) at its column; else None."""
    lines = _lines(text, 1, at[0] - 1, at[0])
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        body = line.lstrip(" ")
        if not body or body.startswith("#") or len(line) - len(body) > at[1] - 1:
            continue
        return number if len(line) - len(body) == at[1] - 1 and body[:2] in ("- ", "-") else None
    return None


def _line_text(text: str, line: int) -> str:
    """The text of one line (1-based, ended as the parser ends lines), without its break."""
    return (_lines(text, line, line, 1) or [""])[0]