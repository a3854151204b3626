"""Positions: every key and value is located exactly where libyaml's composer puts it.

`read_yaml` and `locate` must agree, node for node, with the start marks of the node
tree that PyYAML's libyaml composer builds on its own (`yaml.compose` with
`CSafeLoader`), over generated documents that mix block and flow collections, every
scalar style, comments full of `:` and `- `, tabs, emoji, Nordic letters, CRLF and
lone-CR line ends and a byte-order mark. Every reported position must also lie inside
the file, with lines counted as editors count them (LF, CRLF and lone CR) and columns
in code points. Regression tests pin the cases that once went wrong.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
import pytest
import yaml
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from cxportfolio.load.positions import locate
from cxportfolio.load.yaml_reader import MAX_FILE_BYTES, ParsedYaml, pack, read_yaml, unpack

Pointer = tuple[str | int, ...]
Position = tuple[int, int]

_LINE_END = re.compile(r"\r\n|\r|\n")

# ---------------------------------------------------------------------------------------
# Helpers shared by the property and the regression tests
# ---------------------------------------------------------------------------------------


def file_lines(text: str) -> list[str]:
    """The file's lines as an editor shows them (LF, CRLF and lone CR each end one)."""
    return _LINE_END.split(text)


def assert_inside(text: str, position: Position) -> None:
    """A 1-based position lies in the file: on an existing line, at most one past its end."""
    lines = file_lines(text)
    line, column = position
    assert 1 <= line <= len(lines), f"line {line} outside a file of {len(lines)} lines"
    assert 1 <= column <= len(lines[line - 1]) + 1, (
        f"column {column} outside line {line} of length {len(lines[line - 1])}")


def mark_of(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def composed_marks(text: str) -> Iterator[tuple[Pointer, Position, Position]]:
    """(path, value mark, key mark) of every node libyaml's composer builds; a sequence
    item's "key" mark is its own."""
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None, "the generated document is empty"
    pending: list[tuple[Pointer, yaml.Node, Position]] = [((), root, mark_of(root))]
    while pending:
        path, node, key_mark = pending.pop()
        yield path, mark_of(node), key_mark
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                assert isinstance(key, yaml.ScalarNode)
                pending.append(((*path, key.value), value, mark_of(key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                pending.append(((*path, index), item, mark_of(item)))


def parse(text: str) -> ParsedYaml:
    return read_yaml(text.encode("utf-8"))


def problem_at(parsed: ParsedYaml) -> Position:
    assert parsed.problems, "expected a problem"
    return parsed.problems[0].line, parsed.problems[0].column


# ---------------------------------------------------------------------------------------
# Generated documents
# ---------------------------------------------------------------------------------------

NORDIC = "æøåÆØÅ"
EMOJI = "😀🎉👍🏽🇳🇴"
WORD_CHARS = "abcdefghijkmnopqrstuvwxyzABCXYZ0123456789" + NORDIC + EMOJI
# Characters that are fine inside quotes, block scalars and comments (no line breaks,
# no control characters other than tab).
RICH_CHARS = WORD_CHARS + " \t:-#,[]{}'\"\\!&*%@`|>?."


@dataclass(frozen=True)
class Scalar:
    style: str  # plain, single, double, plain_multi, single_multi, double_multi, literal, folded
    lines: tuple[str, ...]  # one line, or the lines of a multi-line scalar


@dataclass(frozen=True)
class Mapping:
    flow: bool
    items: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Sequence:
    flow: bool
    items: tuple[Node, ...]


Node = Scalar | Mapping | Sequence

SINGLE_LINE = ("plain", "single", "double")
MULTI_LINE = ("plain_multi", "single_multi", "double_multi", "literal", "folded")

words = st.text(alphabet=WORD_CHARS, min_size=1, max_size=6)
plain_lines = st.lists(words, min_size=1, max_size=3).flatmap(
    lambda ws: st.lists(st.sampled_from([" ", "\t", " - "]), min_size=len(ws) - 1,
                        max_size=len(ws) - 1).map(
        lambda seps: ws[0] + "".join(s + w for s, w in zip(seps, ws[1:]))))
rich_lines = st.builds(lambda first, rest: first + rest, st.sampled_from(WORD_CHARS),
                       st.text(alphabet=RICH_CHARS, max_size=12))
keys = st.builds(lambda head, tail: head + tail,
                 st.sampled_from(["k", "id", "title", "æ", "ø", "å", "😀"]),
                 st.text(alphabet="abc123æøå", max_size=3))
comment_texts = st.lists(st.one_of(words, st.sampled_from([": ", "- ", "\t", " ", "key: value",
                                                          "- item", "#"])),
                         max_size=5).map("".join)


def scalars(flow: bool) -> st.SearchStrategy[Scalar]:
    styles = st.sampled_from(SINGLE_LINE + (("single_multi", "double_multi") if flow else MULTI_LINE))

    def build(style: str) -> st.SearchStrategy[Scalar]:
        if style.startswith("plain"):
            lines = st.lists(plain_lines, min_size=2 if style.endswith("multi") else 1,
                             max_size=3 if style.endswith("multi") else 1)
        elif style in ("literal", "folded"):
            # An empty line inside a block scalar is kept as content.
            lines = st.lists(st.one_of(rich_lines, st.just("")), min_size=1, max_size=4).filter(
                lambda ls: ls[0] != "")
        else:
            lines = st.lists(rich_lines, min_size=2 if style.endswith("multi") else 1,
                             max_size=3 if style.endswith("multi") else 1)
        return lines.map(lambda ls: Scalar(style, tuple(ls)))

    return styles.flatmap(build)


def nodes(depth: int, flow: bool) -> st.SearchStrategy[Node]:
    """A node of at most `depth` more levels; inside a flow collection, only flow."""
    if depth == 0:
        return scalars(flow)
    child = st.deferred(lambda: nodes(depth - 1, flow))
    flow_child = st.deferred(lambda: nodes(depth - 1, True))

    def mapping(is_flow: bool) -> st.SearchStrategy[Node]:
        values = flow_child if is_flow else child
        return st.lists(keys, unique=True, min_size=0 if is_flow else 1, max_size=4).flatmap(
            lambda ks: st.tuples(*[values for _ in ks]).map(
                lambda vs: Mapping(is_flow, tuple(zip(ks, vs)))))

    def sequence(is_flow: bool) -> st.SearchStrategy[Node]:
        values = flow_child if is_flow else child
        return st.lists(values, min_size=0 if is_flow else 1, max_size=4).map(
            lambda vs: Sequence(is_flow, tuple(vs)))

    # Block collections are the common case of a real file (and the only home of block
    # scalars and multi-line plain scalars): prefer them where they are allowed.
    flows = st.just(True) if flow else st.sampled_from([False, False, False, True])
    return st.one_of(scalars(flow), flows.flatmap(mapping), flows.flatmap(sequence))


@dataclass
class Document:
    raw: bytes
    text: str  # decoded, without the byte-order mark
    features: set[str] = field(default_factory=set)


class _Renderer:
    """Writes a node tree as YAML text (LF line ends), drawing layout choices."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.features: set[str] = set()

    # Scalars ---------------------------------------------------------------------------

    def note_text(self, text: str) -> None:
        if any(c in NORDIC for c in text):
            self.features.add("nordic")
        if any(c in EMOJI for c in text):
            self.features.add("emoji")
        if "\t" in text:
            self.features.add("tab")

    def quote(self, line: str, style: str) -> str:
        self.note_text(line)
        if style.startswith("single"):
            return line.replace("'", "''")
        return line.replace("\\", "\\\\").replace('"', '\\"')

    def scalar_lines(self, scalar: Scalar, indent: int) -> list[str]:
        """The scalar's text: its first line (to follow `key: ` or `- `) and any
        continuation lines, indented by at least `indent` spaces."""
        style = scalar.style
        if style.startswith("plain"):
            for line in scalar.lines:
                self.note_text(line)
            first, rest = scalar.lines[0], scalar.lines[1:]
        elif style.startswith(("single", "double")):
            mark = "'" if style.startswith("single") else '"'
            quoted = [self.quote(line, style) for line in scalar.lines]
            quoted[0] = mark + quoted[0]
            quoted[-1] += mark
            first, rest = quoted[0], tuple(quoted[1:])
        else:  # literal or folded: a header, then the content more indented
            self.features.add("block_scalar")
            for line in scalar.lines:
                self.note_text(line)
            header = ("|" if style == "literal" else ">") + self.draw(st.sampled_from(["", "-", "+"]))
            return [header + self.trailing_comment()] + [
                " " * indent + line if line else "" for line in scalar.lines]
        if rest:
            self.features.add("multi_line_" + ("plain" if style.startswith("plain") else "quoted"))
        return [first] + [" " * (indent + self.draw(st.integers(0, 2))) + line for line in rest]

    # Comments --------------------------------------------------------------------------

    def trailing_comment(self) -> str:
        if self.draw(st.integers(0, 3)) != 0:
            return ""
        self.features.add("comment")
        text = self.draw(comment_texts)
        self.note_text(text)
        return " #" + text

    def between_lines(self, indent: int) -> list[str]:
        """Blank lines and full-line comments that may sit between two entries."""
        lines = []
        for _ in range(self.draw(st.integers(0, 2))):
            if self.draw(st.booleans()):
                lines.append("")
            else:
                self.features.add("comment")
                text = self.draw(comment_texts)
                self.note_text(text)
                lines.append(" " * self.draw(st.sampled_from([0, indent])) + "#" + text)
        return lines

    # Flow collections ------------------------------------------------------------------

    def flow(self, node: Node, indent: int) -> str:
        """A flow node as text; line breaks inside it are indented past `indent`."""
        if isinstance(node, Scalar):
            lines = self.scalar_lines(node, indent + 1)
            return "\n".join(lines)
        self.features.add("flow")
        opening, closing = ("{", "}") if isinstance(node, Mapping) else ("[", "]")
        if isinstance(node, Mapping):
            parts = [f"{key}: {self.flow(value, indent)}" for key, value in node.items]
        else:
            parts = [self.flow(item, indent) for item in node.items]
        out = opening
        for i, part in enumerate(parts):
            if i:
                out += ","
            if self.draw(st.integers(0, 3)) == 0:
                self.features.add("flow_multi_line")
                out += "\n" + " " * (indent + 1 + self.draw(st.integers(0, 3)))
            elif i:
                out += " "
            out += part
        return out + closing

    # Block collections -----------------------------------------------------------------

    def block(self, node: Mapping | Sequence, indent: int) -> list[str]:
        """A non-empty block collection whose entries start at column `indent`."""
        lines: list[str] = []
        entries = node.items if isinstance(node, Mapping) else [(None, item) for item in node.items]
        for i, (key, value) in enumerate(entries):
            if i:
                lines += self.between_lines(indent)
            prefix = " " * indent + (f"{key}:" if key is not None else "-")
            lines += self.entry(prefix, value, indent, in_sequence=key is None)
        return lines

    def entry(self, prefix: str, value: Node, indent: int, in_sequence: bool) -> list[str]:
        if isinstance(value, (Mapping, Sequence)) and not value.flow and value.items:
            if in_sequence and self.draw(st.booleans()):
                # Compact: `- key: value` / `- - item`, the child starting after `- `.
                child = self.block(value, indent + 2)
                return [prefix + " " + child[0][indent + 2:]] + child[1:]
            if not in_sequence and isinstance(value, Sequence) and self.draw(st.booleans()):
                child_indent = indent  # `key:` then `- item` at the key's own indent
            else:
                child_indent = indent + self.draw(st.sampled_from([1, 2, 4]))
            return [prefix + self.trailing_comment()] + self.block(value, child_indent)
        if isinstance(value, Scalar):
            body = self.scalar_lines(value, indent + 2)
        else:
            body = self.flow(value, indent).split("\n")
        if not (isinstance(value, Scalar) and value.style in ("literal", "folded")):
            body[-1] += self.trailing_comment()  # (a block scalar's last line is content)
        return [prefix + " " + body[0]] + body[1:]


@st.composite
def documents(draw: st.DrawFn) -> Document:
    root = draw(nodes(3, False).filter(lambda node: not isinstance(node, Scalar)))
    assert isinstance(root, (Mapping, Sequence))
    renderer = _Renderer(draw)
    lines: list[str] = renderer.between_lines(0)
    if draw(st.booleans()):
        lines.append("---" + renderer.trailing_comment())
    if root.flow or not root.items:
        lines += (renderer.flow(root, -1) + renderer.trailing_comment()).split("\n")
    else:
        lines += renderer.block(root, 0)
    lines += renderer.between_lines(0)
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = text.replace("\n", end)
    features = renderer.features
    if "\r\n" in text:
        features.add("crlf")
    elif "\r" in text:
        features.add("cr")
    bom = draw(st.booleans())
    if bom:
        features.add("bom")
    raw = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    return Document(raw, text, features)


FEATURES = ["flow", "flow_multi_line", "block_scalar", "multi_line_quoted", "multi_line_plain",
            "comment", "tab", "crlf", "cr", "bom", "emoji", "nordic"]


@pytest.mark.parametrize("feature", FEATURES)
def test_generator_produces(feature: str) -> None:
    """The document strategy really reaches each feature the property test relies on."""
    quick = settings(max_examples=2000, database=None, deadline=None, phases=[Phase.generate],
                     suppress_health_check=list(HealthCheck))
    document = find(documents(), lambda d: feature in d.features, settings=quick)
    assert feature in document.features


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_node_is_located_at_the_composer_mark(document: Document) -> None:
    try:
        expected = list(composed_marks(document.text))
    except yaml.YAMLError as err:  # the generator's fault, not the reader's
        pytest.fail(f"generated document is not valid YAML: {err}\n{document.text!r}")
    parsed = read_yaml(document.raw)
    assert parsed.usable, (parsed.problems, document.text)
    assert parsed.problems == []
    assert parsed.text == document.text
    for path, value_mark, key_mark in expected:
        assert locate(parsed, path) == value_mark, (path, document.text)
        assert locate(parsed, path, at_key=True) == key_mark, (path, document.text)
        assert_inside(document.text, value_mark)
        assert_inside(document.text, key_mark)


# ---------------------------------------------------------------------------------------
# Regression tests
# ---------------------------------------------------------------------------------------

AMBIGUOUS_BREAK_FILE = (
    "initiatives:\n"
    "  - id: a\n"
    "    title: \"😀 x{char}y\"\n"
    "  - id: b\n"
    "    title: {other}\n"
)


@pytest.mark.parametrize("char", ["\u2028", "\x85", "\u2029"])
def test_ambiguous_line_break_is_refused_at_its_position(char: str) -> None:
    verdicts = []
    for other in ("Plain title", "Wow!", "\"Wow!\"", "!!str tagged"):
        parsed = parse(AMBIGUOUS_BREAK_FILE.format(char=char, other=other))
        assert not parsed.usable
        assert [p.code for p in parsed.problems] == ["CXP001"]
        # `    title: "😀 x` is 15 code points: the character is the 16th.
        assert problem_at(parsed) == (3, 16)
        verdicts.append((parsed.usable, [(p.code, p.line, p.column) for p in parsed.problems]))
        # Without the character the same file is fine: the verdict is the character's.
        assert parse(AMBIGUOUS_BREAK_FILE.format(char="", other=other)).usable
    assert all(verdict == verdicts[0] for verdict in verdicts)


@pytest.mark.parametrize("where, expected", [
    ("# note\u2028\na: 1\n", (1, 7)),
    ("a: plain\x85text\n", (1, 9)),
    ("a: |\n  block\u2029text\n", (2, 8)),
])
def test_ambiguous_line_break_is_refused_wherever_it_is(where: str, expected: Position) -> None:
    parsed = parse(where)
    assert not parsed.usable
    assert parsed.problems[0].code == "CXP001"
    assert problem_at(parsed) == expected


def test_lone_cr_ends_a_line() -> None:
    parsed = read_yaml(b"a: 1\rb: 2\rc: 3\r")
    assert parsed.usable
    assert locate(parsed, ("c",), at_key=True) == (3, 1)
    assert locate(parsed, ("c",)) == (3, 4)
    assert locate(parsed, ("b",)) == (2, 4)


def test_mixed_line_ends_count_like_an_editor() -> None:
    parsed = read_yaml(b"a: 1\r\nb: 2\rc: 3\nd: 4")
    assert [locate(parsed, (key,), at_key=True) for key in "abcd"] == [(1, 1), (2, 1), (3, 1), (4, 1)]


@pytest.mark.parametrize("text", ["tags: [a:, b]\n", "tags: [a:, b]", "id: x\ntags: [a:, b]\n"])
def test_flow_colon_problem_is_at_the_parser_mark(text: str) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    mark = raised.value.problem_mark or raised.value.context_mark
    assert mark is not None
    parsed = parse(text)
    assert not parsed.usable
    assert parsed.problems[0].code == "CXP001"
    assert problem_at(parsed) == (mark.line + 1, mark.column + 1)
    tags_line = text.count("\n", 0, text.index("tags")) + 1
    assert problem_at(parsed) == (tags_line, 9)


MULTI_LINE_TITLE = (
    "initiatives:\n"
    "  - id: one\n"
    "    title: \"first line\n"
    "  - x continues\"\n"
    "    effort: 5\n"
    "  - id: two\n"
    "    effort: 8\n"
)


def test_quoted_continuation_that_looks_like_an_item() -> None:
    parsed = parse(MULTI_LINE_TITLE)
    assert parsed.usable, parsed.problems
    assert parsed.data["initiatives"][0]["title"] == "first line - x continues"
    assert len(parsed.data["initiatives"]) == 2
    assert locate(parsed, ("initiatives", 0, "effort")) == (5, 13)
    assert locate(parsed, ("initiatives", 0, "effort"), at_key=True) == (5, 5)
    assert locate(parsed, ("initiatives", 1, "id")) == (6, 9)
    assert locate(parsed, ("initiatives", 1, "id"), at_key=True) == (6, 5)
    assert locate(parsed, ("initiatives", 1)) == (6, 5)
    for path, value_mark, key_mark in composed_marks(MULTI_LINE_TITLE):
        assert locate(parsed, path) == value_mark
        assert locate(parsed, path, at_key=True) == key_mark


@pytest.mark.parametrize("raw, expected", [
    (b"a: 1\nb: [1, 2", (2, 4)),  # at the bracket left open (the end is related)
    (b"a: 1\nb: {c: 1", (2, 4)),
    (b"a: 1\r\nb: \"open", (2, 4)),  # at the quote left open (the end is related)
    (b"a: 1\rb: 'open", (2, 4)),
    (b"a: 1\nb: [x,\n  y", (2, 4)),
    (b"a: 1\nb: - x", (2, 4)),  # at the `-`, not at the end
    ("a: 1\nb: [😀, [😀".encode(), (2, 8)),  # 7 code points before it (UTF-16 would say 9)
])
def test_syntax_error_at_end_without_final_newline_is_inside_the_file(
        raw: bytes, expected: Position) -> None:
    parsed = read_yaml(raw)
    assert not parsed.usable
    assert parsed.problems[0].code == "CXP001"
    position = problem_at(parsed)
    assert_inside(parsed.text, position)
    assert position == expected
    for related in parsed.problems[0].related:
        assert_inside(parsed.text, related)


def test_emoji_count_as_one_column() -> None:
    parsed = parse("a: 😀😀\nb: x\n")
    assert locate(parsed, ("a",)) == (1, 4)
    assert locate(parsed, ("b",)) == (2, 4)
    parsed = parse("- {t: 😀, e: 5}\n- {t: 👍🏽😀, e: 6}\n")
    assert locate(parsed, (0, "e"), at_key=True) == (1, 10)
    assert locate(parsed, (0, "e")) == (1, 13)
    # 👍🏽 is two code points (the thumb and its skin tone).
    assert locate(parsed, (1, "e")) == (2, 15)
    parsed = parse("x: 😀😀 here\ny: [😀, æøå, z]\n")
    assert locate(parsed, ("y", 2)) == (2, 13)


def test_bom_file_starts_at_one_one() -> None:
    parsed = read_yaml(codecs.BOM_UTF8 + "a: 1\nb: 2\n".encode())
    assert parsed.usable
    assert locate(parsed, ()) == (1, 1)
    assert locate(parsed, ("a",), at_key=True) == (1, 1)
    assert locate(parsed, ("a",)) == (1, 4)
    assert locate(parsed, ("b",), at_key=True) == (2, 1)


def test_bom_file_problem_column_ignores_the_bom() -> None:
    parsed = read_yaml(codecs.BOM_UTF8 + b"a: [1, 2")
    assert problem_at(parsed) == (1, 4) and parsed.problems[0].related == ((1, 9),)


def test_pointer_past_the_document_stops_at_the_deepest_node() -> None:
    parsed = parse("initiatives:\n  - id: a\n    effects: {kpi: k}\n")
    assert locate(parsed, ("initiatives", 0, "effort")) == (2, 5)
    assert locate(parsed, ("initiatives", 0, "effects", "change")) == (3, 14)
    assert locate(parsed, ("initiatives", 3, "id")) == (2, 3)
    assert locate(parsed, ("missing",)) == (1, 1)


def test_a_position_at_the_end_of_a_one_line_file_at_the_size_limit_keeps_its_column() -> None:
    """Found by a positions hunter: a position packs its column into 24 bits, but a file of
    MAX_FILE_BYTES on one line has columns up to 2**24 + 1 (its end): the unclosed `[`'s
    related place, the end of the file, came out as 1:1."""
    raw = b"[a," + b" " * (MAX_FILE_BYTES - 4) + b"b"
    assert len(raw) == MAX_FILE_BYTES
    parsed = read_yaml(raw, keep_text=False)
    assert problem_at(parsed) == (1, 1) and parsed.problems[0].related == ((1, MAX_FILE_BYTES + 1),)
    assert unpack(pack(1, MAX_FILE_BYTES + 1)) == (1, MAX_FILE_BYTES + 1)


def test_a_pointer_names_the_key_it_equals_before_one_of_another_type_with_its_text() -> None:
    """A mapping may hold `2026:` (a number) and `"2026":` (a text): each pointer finds
    its own key, and a text part still finds a key read as a number, or `true`, when no
    text key is written so (pointers built from the text, `pointer_at`)."""
    parsed = read_yaml(b'm:\n  2026: a\n  "2026": b\n  true: c\n')
    assert locate(parsed, ("m", 2026)) == (2, 9)
    assert locate(parsed, ("m", "2026")) == (3, 11)
    assert locate(parsed, ("m", "True")) == (4, 9)
    assert locate(read_yaml(b"m:\n  2026: a\n"), ("m", "2026"), at_key=True) == (2, 3)
    assert locate(read_yaml(b"m:\n  '7': a\n"), ("m", 7)) == (2, 8)
    assert locate(parsed, ("m", "absent")) == (2, 3)  # stops at the mapping that should hold it
