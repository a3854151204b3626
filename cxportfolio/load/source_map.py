"""JSON pointer → (line, column) in a file, computed only when a finding asks.

Re-parsing a whole file with positions costs more than reading it, and a large portfolio
has findings in every file. Most findings point into one entity, so the map first finds
where each item of a top-level block list starts (one regular-expression pass over the
text, checked against the number of items actually loaded), reads the position off the
item's text when it is written plainly (`plain_positions`), and otherwise parses only
that item's lines. Anything else — flow-style lists, anchors across items, pointers
outside a list item, or an index that does not add up — composes the whole file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
import yaml

from cxportfolio.load.plain_positions import item_node, locate_plain, plain_enough
from cxportfolio.load.yaml_reader import compose

Pointer = Sequence[str | int]
# Patterns that begin with a newline rather than `^`: the regex engine then jumps from
# newline to newline instead of trying every character (five times faster on big files).
_KEY_LINE = r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(?:#[^\n]*)?(?=\n|\Z)"  # `initiatives:  # comment`
_TOP_LEVEL_KEY = re.compile(_KEY_LINE)  # on the first line
_NEXT_TOP_LEVEL_KEY = re.compile(r"\n" + _KEY_LINE)
_TOP_LEVEL_LINE = re.compile(r"\n[^\s#-]")
_FIRST_ITEM = re.compile(r"^( *)-(?:[ \t]|$)", re.MULTILINE)
# `  - id: X` (block style): group 2 is where the item's mapping starts, the match ends at X.
_ITEM_HEAD = re.compile(r"( *)- +(id: *)(?=[^\s#])")


class SourceMap:
    """Positions of the values (or keys) of one file's document."""

    def __init__(self, text: str, item_counts: dict[str, int] | None = None) -> None:
        self._text = text
        self._counts = item_counts or {}
        self._root: yaml.Node | None = None
        self._composed = False
        self._items: dict[str, list[int]] | None = None
        self._item_nodes: dict[tuple[str, int], yaml.Node | None] = {}
        self._plain_items: dict[tuple[str, int], int | None] = {}  # where a plain item's node starts
        self._mappings: dict[int, tuple[int, str, int] | None] = {}  # block mappings read so far
        self._newlines: list[int] | None = None

    def locate(self, pointer: Pointer, at_key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at `pointer` (its key with `at_key`).

        A pointer that runs past the document (a missing field) resolves to the deepest
        node that exists: the mapping that should have held it.
        """
        if len(pointer) >= 2 and isinstance(pointer[0], str) and isinstance(pointer[1], int):
            found = self._locate_in_item(pointer[0], pointer[1], pointer[2:], at_key)
            if found is not None:
                return found
        return _walk(self._tree(), pointer, at_key, 0)

    def _locate_in_item(self, key: str, index: int, rest: Pointer, at_key: bool) -> tuple[int, int] | None:
        starts = self._item_starts().get(key)
        if starts is None or index >= len(starts) - 1:
            return None
        start, end = starts[index], starts[index + 1]
        if len(rest) <= 1 and tuple(rest) in ((), ("id",)):
            # Most findings point at an entity, whose id is almost always written first:
            # `- id: X` gives the position without reading further (unless `id` repeats).
            head = _ITEM_HEAD.match(self._text, start)
            if head is not None and (not rest or self._text.find(
                    "\n" + " " * (len(head.group(1)) + 2) + "id:", head.end(), end) < 0):
                return self._position(head.start(2) if at_key or not rest else head.end())
        cache_key = (key, index)
        if cache_key not in self._plain_items:
            plain = plain_enough(self._text, start, end)
            self._plain_items[cache_key] = item_node(self._text, self._text.index("-", start), end) if plain else None
        node = self._plain_items[cache_key]
        if node is not None:
            # Most findings point into one entity of a plainly written file: read it off the text.
            found = locate_plain(self._text, node, end, rest, at_key, self._mappings)
            if found is not None:
                return self._position(found)
        if cache_key not in self._item_nodes:
            try:
                node_tree = compose(self._text[start:end], positions_only=True)
            except (yaml.YAMLError, RecursionError):
                node_tree = None
            ok = isinstance(node_tree, yaml.SequenceNode) and len(node_tree.value) == 1
            self._item_nodes[cache_key] = node_tree.value[0] if ok else None  # type: ignore[union-attr]
        item = self._item_nodes[cache_key]
        if item is None:
            return None
        return _walk(item, rest, at_key, self._line_of(start) - 1)

    def _item_starts(self) -> dict[str, list[int]]:
        """Top-level key → offsets where its block-list items start (plus the section end)."""
        if self._items is not None:
            return self._items
        self._items = {}
        text = self._text
        first_key = _TOP_LEVEL_KEY.match(text)
        for match in ([first_key] if first_key else []) + list(_NEXT_TOP_LEVEL_KEY.finditer(text)):
            key = match.group(1)
            count = self._counts.get(key, 0)
            if not count:
                continue
            first = _FIRST_ITEM.search(text, match.end())
            if first is None:
                continue
            indent = first.group(1)
            section_end = _section_end(text, first.end())
            item_re = re.compile(rf"\n{indent}-(?=[ \t\n]|\Z)")
            starts = [m.start() + 1 for m in item_re.finditer(text, first.start() - 1, section_end)]
            if len(starts) == count:  # the index adds up, or it is not used at all
                self._items[key] = [*starts, section_end]
        return self._items

    def _line_of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = _newline_offsets(self._text)
        return bisect.bisect_left(self._newlines, offset) + 1

    def _position(self, offset: int) -> tuple[int, int]:
        return self._line_of(offset), offset - self._text.rfind("\n", 0, offset)

    def _tree(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = compose(self._text, positions_only=True)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root


def _newline_offsets(text: str) -> list[int]:
    """Offsets of every newline: UTF-32 makes character offsets byte offsets / 4, and
    numpy finds them (three times faster than splitting lines, thirty than a regex)."""
    import numpy as np  # lazily: loading a portfolio without findings never needs it

    return np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == 10).tolist()


def _section_end(text: str, after: int) -> int:
    """Where a top-level list ends: the next line at column 0 that is neither an item
    ('-'), a comment nor blank."""
    match = _TOP_LEVEL_LINE.search(text, after)
    return match.start() + 1 if match else len(text)


def _walk(node: yaml.Node | None, pointer: Pointer, at_key: bool, line_offset: int) -> tuple[int, int]:
    if node is None:
        return 1, 1
    mark = node.start_mark
    for i, part in enumerate(pointer):
        child, key_node = _child(node, part)
        if child is None:
            break
        node = child
        last = i == len(pointer) - 1
        mark = key_node.start_mark if (last and at_key and key_node is not None) else child.start_mark
    return mark.line + 1 + line_offset, mark.column + 1


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        found: tuple[yaml.Node | None, yaml.Node | None] = (None, None)
        for key_node, value_node in node.value:
            # The last occurrence wins, as it does in the loaded data.
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                found = (value_node, key_node)
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], None
    return None, None
