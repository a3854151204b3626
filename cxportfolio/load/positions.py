"""JSON pointer → the parser's line and column for the value (or key) it names."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from cxportfolio.load.yaml_reader import ParsedYaml, YamlList, YamlMap, unpack

Pointer = Sequence[str | int]


def locate(parsed: ParsedYaml, pointer: Pointer, at_key: bool = False) -> tuple[int, int]:
    """1-based line and column of the value at `pointer` (its key with `at_key`).

    A pointer that runs past the document (a missing field) stops at the deepest node
    that exists: the mapping that should have held it. A file without usable data
    points at its first character.
    """
    return unpack(position_in(parsed.data, parsed.root, pointer, at_key))


def position_in(data: Any, root: int, pointer: Pointer, at_key: bool = False) -> int:
    """`locate`'s answer, packed (`yaml_reader.pack`), in the data as read (`root`: where
    it starts)."""
    node, position = data, root
    for i, part in enumerate(pointer):
        last = i == len(pointer) - 1
        if type(node) is YamlMap:
            found = _slot(node, part)
            if found is None:
                break
            slot, key = found
            position = node.marks[2 * slot if last and at_key else 2 * slot + 1]
            node = node[key]
        elif type(node) is YamlList and isinstance(part, int) and 0 <= part < len(node):
            position = node.marks[part]
            node = node[part]
        else:
            break
    return position


def _slot(mapping: YamlMap, part: str | int) -> tuple[int, object] | None:
    """The index of a key in the mapping's order, and the key: the key equal to `part`,
    else a key read as a number (or `true`, `null`) that `part` names by its text, as
    `pointer_at` does, or a text key that a number `part` names."""
    slot = mapping.slot(part)
    if slot is not None:
        return slot, part
    if type(part) is str:
        return mapping.slot_named(part)
    slot = mapping.slot(str(part))
    return None if slot is None else (slot, str(part))


def value_at(data: Any, pointer: Sequence[Any], absent: Any = None) -> Any:
    """The value at `pointer` in the data as read, or `absent` where there is none."""
    for part in pointer:
        if isinstance(data, dict) and part in data or (
                isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)):
            data = data[part]
        else:
            return absent
    return data


def pointer_at(data: Any, position: int) -> tuple[str | int, ...]:
    """The pointer of the key or value that starts at `position` (packed), or of the
    innermost container around it: a walk down the containers whose start precedes it."""
    path: list[str | int] = []
    node = data
    while True:
        if type(node) is YamlList:
            index = bisect_right(node.marks, position) - 1  # items are in the text's order
            if index < 0:
                break
            path.append(index)
            node = node[index]
        elif type(node) is YamlMap:
            found = node.key_from(position)
            if found is None:
                break
            start, key = found
            path.append(str(key))  # a key read as a number is still a key, not a list position
            if start == position:
                break
            node = node[key]
        else:
            break
    return tuple(path)
