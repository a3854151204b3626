"""Bytes → plain Python data, safely, with every problem located by line and column.

Two readers share one meaning of YAML (the 1.2 core schema: `no`, `on`, `2026-05-14` and
`1:20` stay text; only `true`/`false` are booleans):

* the **fast path**, `yaml_rs` (Rust), builds plain data about ten times faster than
  PyYAML and refuses duplicate keys and alias bombs itself. It is used for ordinary files.
* the **exact path**, PyYAML's libyaml composer, keeps a position on every node. It runs
  when the fast path fails or the text holds something the fast path would silently
  accept (tags, several documents), and it is what says *where* and *why*.

Nothing here constructs objects from tags: tags other than the core ones are reported.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml_rs

# Limits that keep hostile input bounded in time and memory. Real portfolio files are
# a few hundred kilobytes; 10,000 initiatives in one file are about 5 MB.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES_FROM_ALIASES = 200_000

_ALIAS_LIMITS = yaml_rs.AliasLimits(
    max_total_replayed_events=MAX_NODES_FROM_ALIASES,
    max_replay_stack_depth=MAX_DEPTH,
)
# Markers the fast reader accepts silently but we must report: tags ("!") and document
# markers. Anchored on the newline, not `^`: with `^` the regex engine tries every
# character, which took half of all parsing time on large files.
_DOCUMENT_MARKER = re.compile(r"\n(?:---|\.\.\.)(?=[ \t\r\n]|\Z)")

TAG_PREFIX = "tag:yaml.org,2002:"
CORE_TAGS = {TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


@dataclass(frozen=True)
class YamlProblem:
    """A file-level problem: CXP001 (not readable as YAML) or CXP003 (duplicate key)."""

    code: str
    message: str
    line: int
    column: int
    hint: str | None = None
    related: tuple[tuple[int, int], ...] = ()


@dataclass
class ParsedYaml:
    """What a file holds: its data (None when unusable), its text and its problems."""

    data: Any
    text: str
    problems: list[YamlProblem] = field(default_factory=list)
    usable: bool = True


class CoreLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml composer that resolves plain scalars as the fast reader does.

    That is the YAML 1.2 core schema (`no`, `on`, dates and `1:20` are text), plus what
    the Rust reader also accepts: `_` digit separators and signed or upper-case
    `0x`/`0o`/`0b` numbers. A property test keeps the two readers in agreement.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return TAG_PREFIX + resolve_plain(value)
        return super().resolve(kind, value, implicit)


_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true", "True", "TRUE", "false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(?:[0-9]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?i:inf)|\.(?i:nan)")


def resolve_plain(value: str) -> str:
    """The core tag name of a plain (unquoted) scalar."""
    if value in _NULLS:
        return "null"
    if value in _BOOLS:
        return "bool"
    digits = value.replace("_", "")
    if _INT.fullmatch(digits):
        return "int"
    if _FLOAT.fullmatch(digits) or _SPECIAL_FLOAT.fullmatch(value):
        return "float"
    return "str"


def read_yaml(raw: bytes) -> ParsedYaml:
    """Decode and parse one file's bytes; never raises for bad input."""
    if len(raw) > MAX_FILE_BYTES:
        return too_large(len(raw))
    text_or_problem = decode(raw)
    if isinstance(text_or_problem, YamlProblem):
        return ParsedYaml(None, "", [text_or_problem], usable=False)
    text = text_or_problem
    if not _needs_exact_path(text):
        try:
            data = yaml_rs.loads(
                text,
                parse_datetime=False,
                alias_limits=_ALIAS_LIMITS,
                duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
            )
        except Exception:  # noqa: BLE001 - any refusal is explained by the exact path
            pass
        else:
            if not _deeper_than(data, MAX_DEPTH):
                return ParsedYaml(data, text)
    return read_exact(text)


def _needs_exact_path(text: str) -> bool:
    """A tag or a document marker (on the first line too) anywhere in the text."""
    return ("!" in text or _DOCUMENT_MARKER.match("\n" + text[:4]) is not None
            or _DOCUMENT_MARKER.search(text) is not None)


def _deeper_than(root: Any, limit: int) -> bool:
    """Iterative, so hostile depth cannot overflow the stack (about 2% of a parse)."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if type(node) is dict else node if type(node) is list else ()
        for child in children:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


def too_large(size: int) -> ParsedYaml:
    """Refuse a file before reading it: huge scalars and files are not worth parsing."""
    return _unusable(
        f"file is {size / 1048576:.1f} MiB, over the {MAX_FILE_BYTES // 1048576} MiB limit",
        hint="split it into several files (one per unit is the usual layout)",
    )


def decode(raw: bytes) -> str | YamlProblem:
    """UTF-8 (a byte-order mark is accepted); anything else is a located problem."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom) and not raw.startswith(codecs.BOM_UTF8):
            return YamlProblem("CXP001", f"file is encoded as {name}", 1, 1,
                               hint="save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return YamlProblem(
            "CXP001",
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8",
            line,
            column,
            hint="save the file as UTF-8 (it looks like Latin-1 or Windows-1252)",
        )
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        return YamlProblem("CXP001", "file contains a NUL character: is it binary?", line,
                           offset - (text.rfind("\n", 0, offset) + 1) + 1)
    return text


class _PositionLoader(CoreLoader):
    """For positions only: scalars need no type, which saves a third of the time."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        return TAG_PREFIX + "str" if kind is yaml.ScalarNode else super().resolve(kind, value, implicit)


def compose(text: str, positions_only: bool = False) -> yaml.Node | None:
    """The node tree of a single-document text (raises yaml.YAMLError)."""
    loader = (_PositionLoader if positions_only else CoreLoader)(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def read_exact(text: str) -> ParsedYaml:
    """Parse with positions; report syntax errors, tags, duplicate keys, depth, aliases."""
    try:
        root = compose(text)
    except yaml.MarkedYAMLError as err:
        return _syntax_problem(text, err)
    except yaml.YAMLError as err:  # an unmarked libyaml error: rare, still one line
        return _unusable(str(err).splitlines()[0], text=text)
    except RecursionError:
        return _unusable(f"nesting is deeper than {MAX_DEPTH} levels", text=text)
    if root is None:
        return ParsedYaml(None, text)
    converter = _Converter()
    try:
        data = converter.convert(root, 0)
    except _TooDeep as err:
        return _unusable(f"nesting is deeper than {MAX_DEPTH} levels", text=text,
                         line=err.line, column=err.column)
    except _TooManyNodes:
        return _unusable(
            f"aliases expand to more than {MAX_NODES_FROM_ALIASES:,} values (an alias bomb?)",
            text=text,
            hint="write the values out instead of repeating anchors",
        )
    usable = not any(p.code == "CXP001" for p in converter.problems)
    return ParsedYaml(data, text, converter.problems, usable=usable)


class _TooDeep(Exception):
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class _TooManyNodes(Exception):
    pass


class _Converter:
    """Node tree → plain data, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[YamlProblem] = []
        self.budget = MAX_NODES_FROM_ALIASES
        self.seen_nodes: set[int] = set()

    def convert(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(node.start_mark.line + 1, node.start_mark.column + 1)
        # Aliases share node objects; counting revisits bounds the expansion.
        if id(node) in self.seen_nodes:
            self.budget -= 1
            if self.budget < 0:
                raise _TooManyNodes
        self.seen_nodes.add(id(node))
        if node.tag not in CORE_TAGS:
            self._problem(node, f"tag '{_short_tag(node.tag)}' is not allowed",
                          "remove the tag: portfolio files hold plain values only")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.convert(key_node, depth + 1)
            if isinstance(key, (list, dict)):
                self._problem(key_node, "a mapping key must be a plain value, not a collection",
                              "use a plain text key")
                continue
            hashable = (type(key), key)
            if hashable in first_seen:
                first = first_seen[hashable].start_mark
                self.problems.append(YamlProblem(
                    "CXP003",
                    f"key '{key}' is repeated (first at line {first.line + 1}); "
                    "YAML would silently keep only the last value",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    hint="merge the two entries or rename one of them",
                    related=((first.line + 1, first.column + 1),),
                ))
            else:
                first_seen[hashable] = key_node
            result[key] = self.convert(value_node, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value: str = node.value
        tag = node.tag
        try:
            if tag == TAG_PREFIX + "null":
                return None
            if tag == TAG_PREFIX + "bool":
                return value.lower() == "true"
            if tag == TAG_PREFIX + "int":
                return _core_int(value)
            if tag == TAG_PREFIX + "float":
                return _core_float(value)
        except ValueError:
            self._problem(node, f"'{value}' cannot be read as {_short_tag(tag)}",
                          "remove the tag or fix the value")
        return value

    def _problem(self, node: yaml.Node, message: str, hint: str) -> None:
        mark = node.start_mark
        self.problems.append(YamlProblem("CXP001", message, mark.line + 1, mark.column + 1, hint))


def _core_int(value: str) -> int:
    digits = value.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    body = digits.lstrip("+-")
    base = {"0x": 16, "0o": 8, "0b": 2}.get(body[:2].lower())
    return sign * (int(body[2:], base) if base else int(body, 10))


def _core_float(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith("inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value.replace("_", ""))


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(TAG_PREFIX):] if tag.startswith(TAG_PREFIX) else tag


def _syntax_problem(text: str, err: yaml.MarkedYAMLError) -> ParsedYaml:
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (err.problem or err.context or "invalid YAML").strip()
    hint = "fix the YAML syntax (check indentation and quotes)"
    if "expected a single document" in str(err):
        problem = "file holds more than one YAML document"
        hint = "keep one document per file: remove the '---' separator or split the file"
    elif "\t" in problem or "tab" in problem:
        hint = "indent with spaces, not tabs"
    elif "exceeded maximum nesting depth" in problem:
        problem = "nesting is too deep"
        hint = "portfolio files need only a few levels of nesting"
    elif err.context:
        problem = f"{problem} ({err.context.strip()})"
    return ParsedYaml(None, text, [YamlProblem("CXP001", problem, line, column, hint)], usable=False)


def _unusable(message: str, *, text: str = "", line: int = 1, column: int = 1,
              hint: str | None = None) -> ParsedYaml:
    return ParsedYaml(None, text, [YamlProblem("CXP001", message, line, column, hint)], usable=False)
