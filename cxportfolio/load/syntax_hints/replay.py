"""The file parsed a second time up to the error, once (Replay), to learn which mappings
and lists were open where the parser stopped, where they began and ended, under which key,
and the last value it read: the marks every explanation places its words with.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

import yaml

from cxportfolio.load.syntax_hints.common import Excerpt, KEY, Position, line_text, position_of
from cxportfolio.load.syntax_hints.vocabulary import ITEM_NAMES
from cxportfolio.records import record


@record(frozen=False)
class Collection:
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
    first_item: Collection | None = None  # lists: the first item, when it is a mapping or list
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
            name = ITEM_NAMES.get(self.key)
            return f"the other keys of this {name or 'item of `' + excerpt(self.key, 30) + '`'}"
        return f"the other keys of `{excerpt(self.key, 30)}`" if self.key is not None else "the other keys here"

    def items(self, excerpt: Excerpt) -> str:
        if self.key is not None and not self.is_item:
            return f"the other items of `{excerpt(self.key, 30)}`"
        return "the other items of this list"


@record
class Scalar:
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
class Stop:
    """The parser's state where it stopped: open collections (outermost first), those it
    closed just before stopping (innermost first), and the last scalar it read."""

    open: list[Collection]
    closed: list[Collection]
    scalar: Scalar | None
    # the document's own keys read before it stopped (its items' keys, when the document
    # is a list: a `- ` written before the first key makes it one)
    top_keys: frozenset[str] = frozenset()
    # those closed before the last read, when `closed` is empty: the initiative an
    # outdented `status: idea` left, below which the parser read on
    before: tuple[Collection, ...] = ()


def open_lists(stop: Stop) -> list[Collection]:
    """The block lists open where the parser stopped, innermost first."""
    return [c for c in reversed(stop.open) if not c.is_map and not c.flow]


def item_shape(rest: str) -> tuple[bool, str | None]:
    """What the `- ` item a line begins with is: a mapping and its first key, or not a mapping."""
    body = rest[1:].lstrip(" \t")
    if body.startswith("{"):
        return True, None
    key = KEY.match(body)
    return (True, key.group(1)) if key is not None else (False, None)


def alike(lists: list[Collection], item: tuple[bool, str | None]) -> list[Collection]:
    """Of the lists an item may belong to, those whose items are like it: all of them when
    all or none are (`- id: X` is an initiative, not an item of the `realized` list above)."""
    like = [c for c in lists if c.is_like(item)]
    return like or lists


def brackets_of(collection: Collection) -> tuple[str, str]:
    return ("{", "}") if collection.is_map else ("[", "]")


def innermost(stop: Stop | None) -> Collection | None:
    """The collection the parser was reading when it stopped, if any."""
    return stop.open[-1] if stop is not None and stop.open else None


class Replay:
    """The file parsed a second time up to the error, once: the first explanation that
    asks for where the parser stopped pays for it, the others are handed the same Stop."""

    def __init__(self, text: str, parser: Callable[[str], Any]) -> None:
        self.text, self.parser = text, parser

    @cached_property
    def stop(self) -> Stop | None:
        return _replay(self.text, self.parser)

    @cached_property
    def written_brackets(self) -> list[Collection]:
        """The `[…]` and `{…}` open where the parser stopped whose bracket is written, outermost
        first (libyaml opens a one-pair mapping for `[b: ` without a `{`): several explanations
        of one error ask, and each bracket's line is found from the file's start."""
        stop = self.stop
        return [c for c in (stop.open if stop is not None else ()) if c.flow
                and line_text(self.text, c.at[0])[c.at[1] - 1:c.at[1]] in "[{"]


def _replay(text: str, parser: Callable[[str], Any]) -> Stop | None:  # noqa: C901 - one loop
    """Parse again up to the error, keeping the collections open when the parser stopped.

    Only a file with a syntax error pays for this, but that can be a large file: the loop
    keeps its state in locals and builds nothing per scalar."""
    opened: list[Collection] = []
    closed: list[Collection] = []
    # the last scalar event, its key and the key's mark (a value), or the key of its list (an item)
    last: tuple[Any, str | None, Any, str | None] | None = None
    get = parser(text).get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    inner: Collection | None = None
    before: list[Collection] = []  # the last non-empty `closed`
    top_keys: set[str] = set()
    try:
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event or kind is alias_event or kind is map_start or kind is seq_start:
                if closed:
                    before, closed = closed, []
                last = None
                if kind is map_start or kind is seq_start:
                    is_item = inner is not None and not inner.is_map
                    key = (inner.key if is_item else inner.pending_key if inner and inner.expects_value
                           else None)
                    collection = Collection(kind is map_start, bool(event.flow_style),
                                             position_of(event.start_mark), key, is_item, inner is None)
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
                closed[-1].end = position_of(event.end_mark)
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
            scalar = Scalar(event.value, bool(event.implicit[0]) and not event.style,
                             position_of(event.start_mark), key, None if key_mark is None else position_of(key_mark),
                             event.style if event.style in ('"', "'") else "", event.end_mark.line + 1, item_of,
                             event.end_mark.column + 1)
        return Stop(opened, closed, scalar, frozenset(top_keys), tuple(before))
