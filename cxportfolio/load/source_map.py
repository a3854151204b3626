"""JSON pointer → (line, column) in a file, computed only when a finding asks.

Composing a file with positions costs about as much as parsing it again, so it is done
once per file and only for files that have something to report.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from cxportfolio.load.yaml_reader import compose

Pointer = Sequence[str | int]


class SourceMap:
    """Positions of the values (or keys) of one file's document."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False

    def locate(self, pointer: Pointer, at_key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at `pointer` (its key with `at_key`).

        A pointer that runs past the document (a missing field) resolves to the deepest
        node that exists: the mapping that should have held it.
        """
        node = self._tree()
        if node is None:
            return 1, 1
        mark = node.start_mark
        for i, part in enumerate(pointer):
            last = i == len(pointer) - 1
            child, key_node = _child(node, part)
            if child is None:
                break
            node = child
            mark = key_node.start_mark if (last and at_key and key_node is not None) else child.start_mark
        return mark.line + 1, mark.column + 1

    def _tree(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = compose(self._text, positions_only=True)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root


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
