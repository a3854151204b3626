"""The fast locators (item by item, read off plain text) agree with composing the whole file."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cxportfolio.load.plain_positions import item_node, locate_plain, plain_enough
from cxportfolio.load.source_map import SourceMap, _walk
from cxportfolio.load.yaml_reader import compose, read_yaml

# Scalars as written after `key:` or `-`: plain, quoted, with commas, colons and Unicode.
_PLAIN = ["x", "12", "-3.5", "http://a.b/c", "two words", "Ærlig ønske på å", "a-b"]
_SCALARS = [*_PLAIN, "'quoted: yes'", '"dq, [text]"', "'it''s'"]
_KEYS = ["id", "kpi", "change", "note", "a b", "12"]

Node = tuple[str, Any]


def _nodes(depth: int) -> st.SearchStrategy[Node]:
    scalar = st.tuples(st.just("scalar"), st.sampled_from(_SCALARS))
    if depth >= 3:
        return scalar
    child = st.deferred(lambda: _nodes(depth + 1))
    mapping = st.tuples(st.just("map"), st.lists(st.tuples(st.sampled_from(_KEYS), child), min_size=1,
                                                  max_size=3, unique_by=lambda kv: kv[0]))
    sequence = st.tuples(st.just("seq"), st.lists(child, max_size=3))
    return st.one_of(scalar, mapping, sequence)


def _simple(node: Node) -> bool:
    return node[0] == "scalar" and node[1] in _PLAIN


def _value(draw: st.DrawFn, node: Node, col: int, after_key: bool) -> str:
    """The text after an indicator (`key:` or `-`) at column `col`, in a drawn style."""
    kind, content = node
    pad = " " * (col + 2)
    if kind == "scalar":
        style = draw(st.sampled_from(["same line", "comment", "next line", "multi-line", "block"]))
        if style == "comment":
            return f" {content}  # note: [x"
        if style == "next line":
            return f"\n{pad}{content}"
        if style == "multi-line" and content in _PLAIN:
            return f" {content}\n{pad}  more words"
        if style == "block":
            return f" |\n{pad}  - not an item\n{pad}  key: not a key"
        return f" {content}"
    if kind == "map":
        if all(_simple(v) for _, v in content) and draw(st.booleans()):
            return " {" + ", ".join(f"{k}: {v[1]}" for k, v in content) + "}"
        compact = not after_key and draw(st.booleans())  # `- key: v` with the other keys below
        lines = []
        for key, value in content:
            if (lines or not compact) and draw(st.booleans()):
                lines.append(" " * draw(st.integers(0, col + 4)) + "# a comment")
            lines.append(f"{pad}{key}:{_value(draw, value, col + 2, True)}")
        return " " + "\n".join(lines)[col + 2:] if compact else "\n" + "\n".join(lines)
    if not content or (all(_simple(v) for v in content) and draw(st.booleans())):
        trailing = "," if content and draw(st.booleans()) else ""
        return " [" + ", ".join(v[1] for v in content) + trailing + "]"
    dash_col = col if after_key and draw(st.booleans()) else col + 2  # indentless under a key
    items = [" " * dash_col + "-" + _value(draw, v, dash_col, False) for v in content]
    return "\n" + "\n".join(items)


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = ["# yaml-language-server: $schema=x.json"] if draw(st.booleans()) else []
    for key in draw(st.lists(st.sampled_from(["units", "kpis", "initiatives"]), min_size=1, max_size=3, unique=True)):
        lines.append(f"{key}:")
        indent = draw(st.sampled_from([0, 2]))
        for n in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                lines.append(" " * indent + f"# comment {n}")
            fields = draw(st.lists(st.tuples(st.sampled_from(_KEYS[1:]), _nodes(1)), max_size=4,
                                   unique_by=lambda kv: kv[0]))
            lines.append(" " * indent + f"- id: e{n}")
            for field, value in fields:
                lines.append(" " * (indent + 2) + f"{field}:{_value(draw, value, indent + 2, True)}")
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


def _pointers(value: Any, prefix: tuple) -> list[tuple]:
    """Every path into the data, and one step past each end (a missing key or index)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, (*prefix, str(key)))
        found.append((*prefix, "missing"))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, (*prefix, index))
        found.append((*prefix, len(value)))
    else:
        found.append((*prefix, "past"))
    return found


@settings(max_examples=200, deadline=None)
@given(documents())
def test_fast_locators_match_whole_file_compose(text: str) -> None:
    parsed = read_yaml(text.encode())
    assert parsed.usable, text
    fast = SourceMap(text, {k: len(v) for k, v in parsed.data.items()})
    whole = compose(text, positions_only=True)
    for pointer in _pointers(parsed.data, ())[1:]:
        for at_key in (False, True):
            assert fast.locate(pointer, at_key) == _walk(whole, pointer, at_key, 0), (text, pointer, at_key)


_TYPICAL = """\
initiatives:
  # the digital unit's work
  - id: DIG-1
    title: "Pension calculator: in the app"
    addresses: [PP-1, PP-2]
    effects:
      - {kpi: NPS, change: 4, confidence: 0.7}  # from the pilot
      - kpi: CALLS
        change: -2.5
    depends_on:
    - DIG-0
    notes: |
      Two lines
      of text.
    tags: []
"""


def test_plain_text_is_read_without_parsing() -> None:
    """The shapes portfolio files are written in take the fast path, not the parser."""
    end = len(_TYPICAL)
    start = _TYPICAL.index("  - id")
    assert plain_enough(_TYPICAL, start, end)
    node = item_node(_TYPICAL, _TYPICAL.index("-", start), end)
    whole = compose(_TYPICAL, positions_only=True)
    for pointer in _pointers(read_yaml(_TYPICAL.encode()).data["initiatives"][0], ()):
        for at_key in (False, True):
            offset = locate_plain(_TYPICAL, node, end, pointer, at_key)
            assert offset is not None, pointer
            line = _TYPICAL.count("\n", 0, offset) + 1
            column = offset - _TYPICAL.rfind("\n", 0, offset)
            assert (line, column) == _walk(whole, ("initiatives", 0, *pointer), at_key, 0), pointer


def test_values_that_may_span_lines_are_left_to_the_parser() -> None:
    for risky in ['  - id: a\n    title: "open\n  quote"\n', "  - id: a\n    tags: [a,\n  b]\n",
                  "  - id: a\r\n    x: 1\r\n", "  - id: a\n\tx: 1\n"]:
        assert not plain_enough(risky, 0, len(risky)), risky


_AWKWARD = [
    # a quoted key among plain ones: the plain reader must give up, not miss it
    'items:\n  - id: a\n    "kpi": K1\n    change: 2\n',
    # a line that looks like a key inside a block scalar
    "items:\n  - id: a\n    note: |\n      kpi: K9\n    kpi: K1\n",
    # a key written twice: the last one wins, as when the file is loaded
    "items:\n  - id: a\n    kpi: K1\n    change: 1\n    kpi: K2\n",
    # one key the prefix of another, and space before a colon
    "items:\n  - id: a\n    kpi2: K9\n    kpi : K1\n",
    # a nested mapping that ends at a shallower line, then the same key one level up
    "items:\n  - id: a\n    effect:\n      kpi: K1\n      change: 3\n    kpi: K0\n",
    # an indentless sequence under a key, then more keys
    "items:\n  - id: a\n    tags:\n    - x\n    - y\n    kpi: K1\n",
    # a complex key
    "items:\n  - id: a\n    ? kpi\n    : K1\n",
]


def test_awkward_keys_agree_with_the_parser() -> None:
    for text in _AWKWARD:
        parsed = read_yaml(text.encode())
        fast = SourceMap(text, {k: len(v) for k, v in parsed.data.items()})
        whole = compose(text, positions_only=True)
        for pointer in _pointers(parsed.data, ())[1:]:
            for at_key in (False, True):
                assert fast.locate(pointer, at_key) == _walk(whole, pointer, at_key, 0), (text, pointer, at_key)
