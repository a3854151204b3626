"""Bytes → plain Python data and the position of every value, from one YAML parser.

libyaml (through PyYAML's C parser) is the only reader: it decides what is valid, and
every line and column comes from the marks on its events. Building the data from the
event stream here, rather than through PyYAML's constructors, lets one pass record
positions, resolve plain scalars by the YAML 1.2 core schema (`no`, `on`, `2026-05-14`
and `1:20` stay text; only `true`/`false` are booleans), count alias expansion and
collect every duplicate key and refused tag instead of stopping at the first.

Lines are counted as editors and the Language Server Protocol count them: LF, CRLF and
a lone CR end a line. libyaml also ends a line at U+0085, U+2028 and U+2029 (YAML 1.1),
where YAML 1.2 and editors do not; such characters are refused up front, wherever they
are, so that one rule decides for every file (write `\\u2028` in a double-quoted string).
"""

from __future__ import annotations

import codecs
import math
import re
from array import array
from bisect import bisect_right
from dataclasses import field, replace
from itertools import islice, zip_longest
from typing import Any

import yaml

from cxportfolio.errors import CxpError
from cxportfolio.records import record

try:
    from yaml._yaml import CParser  # libyaml: PyYAML's C extension
except ImportError:  # a PyYAML built without libyaml: say so, once, instead of misreading
    CParser = None

# Limits that keep hostile input bounded in time and memory. Real portfolio files are
# a few hundred kilobytes; 10,000 initiatives in one file are about 5 MB.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES_FROM_ALIASES = 200_000

TAG_PREFIX = "tag:yaml.org,2002:"
CORE_TAGS = {TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
# Characters libyaml takes for line breaks but YAML 1.2 and editors do not.
_AMBIGUOUS_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "U+0085 (next line)", "\u2028": "U+2028 (line separator)",
                "\u2029": "U+2029 (paragraph separator)"}
# A position is packed into one int: line and column, both 1-based. A file is at most
# 16 MiB (2**24 bytes), so a column is at most 2**24 + 1 (the end of a one-line file at
# the limit): 25 bits.
_COLUMN_BITS = 25
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1


def pack(line: int, column: int) -> int:
    return (line << _COLUMN_BITS) | column


def unpack(position: int) -> tuple[int, int]:
    return position >> _COLUMN_BITS, position & _COLUMN_MASK


def _at(mark: Any) -> int:
    return pack(mark.line + 1, mark.column + 1)


class YamlMap(dict):  # type: ignore[type-arg]
    """A mapping as read, with `marks[2i]`/`marks[2i+1]` the positions of the i-th key
    and its value, in the dict's own order."""

    __slots__ = ("marks", "_slots", "_starts")

    def slot(self, key: Any) -> int | None:
        """The index of `key` in the mapping's order (`marks`' pair), or None. Tables are
        made at the first look-up and kept, so that a finding on each of 20,000 keys of
        one mapping is placed in linear time, not by a scan of the keys for each."""
        return self._tables()[0].get(key)

    def slot_named(self, text: str) -> tuple[int, Any] | None:
        """The index of the first key that is not text (`2026`, `true`) written `text`, and the key."""
        return self._tables()[1].get(text)

    def key_at(self, slot: int) -> Any:
        """The key at that index of the mapping's order."""
        return self._tables()[2][slot]

    def key_from(self, position: int) -> tuple[int, Any] | None:
        """The key that starts last at or before `position` (packed), and where it starts.
        The starts are sorted once: a key written again holds its last place, so they
        are not in the dict's order."""
        keys = self._tables()[2]
        starts = getattr(self, "_starts", None)
        if starts is None or len(starts) != len(keys):
            starts = self._starts = sorted((self.marks[2 * n], n) for n in range(len(keys)))
        at = bisect_right(starts, (position, len(keys))) - 1
        return None if at < 0 else (starts[at][0], keys[starts[at][1]])

    def _tables(self) -> tuple[dict[Any, int], dict[str, tuple[int, Any]], list[Any]]:
        tables = getattr(self, "_slots", None)
        if tables is None or len(tables[2]) != len(self):  # (a mapping added to after it was read)
            keys = list(self)
            named: dict[str, tuple[int, Any]] = {}
            for n, key in enumerate(keys):
                if type(key) is not str:
                    named.setdefault(str(key), (n, key))
            tables = self._slots = ({key: n for n, key in enumerate(keys)}, named, keys)
        return tables


class YamlList(list):  # type: ignore[type-arg]
    """A sequence as read, with `marks[i]` the position of the i-th item."""

    __slots__ = ("marks",)


EXTENSION_PREFIX = "x-"  # an extension key's: its value is kept aside for other tools, never read


def is_extension(key: Any) -> bool:
    """Whether a key is an `x-` extension key (the reader's, the models' and validation's test)."""
    return isinstance(key, str) and key.startswith(EXTENSION_PREFIX)


# Spaces that are not YAML's: YAML separates and indents with the space (and a tab) only,
# so a no-break space pasted from a word processor or a web page is part of the text
# around it (`effort:\xa04` is one plain value, `\xa0\xa0effort` a key beginning with two).
# What each is called in a message.
SPACE_LIKE_NAMES = {"\u00a0": "no-break space", "\u2002": "en space", "\u2003": "em space",
                    "\u2007": "figure space", "\u2009": "thin space", "\u202f": "narrow no-break space",
                    "\u3000": "ideographic space"}
SPACE_LIKE = "".join(SPACE_LIKE_NAMES)


def space_like_name(char: str, count: int = 1) -> str:
    """'a no-break space (U+00A0)', '4 no-break spaces (U+00A0)'."""
    name = SPACE_LIKE_NAMES[char]
    return (f"{'an' if name[0] in 'aeio' else 'a'} {name}" if count == 1 else f"{count} {name}s") + \
        f" (U+{ord(char):04X})"


class Unread(str):
    """A value the reader refused as what it looked like (a number of more than 4,300
    digits, a tagged value that is not what its tag says, a value under a tag that is
    not allowed: `effort: !New 8`), kept as its text. Its CXP001
    says where and why; validation refuses it where a number is wanted without saying
    it again (one finding for one mistake)."""

    __slots__ = ()


@record
class YamlProblem:
    """A file-level problem: CXP001 (not readable as YAML) or CXP003 (duplicate key)."""

    code: str
    message: str
    line: int
    column: int
    hint: str | None = None
    related: tuple[tuple[int, int], ...] = ()
    related_labels: tuple[str, ...] = ()  # what each related place is ("" or none: the default)


# A value a repeated key replaced: (key, value, the keys of the mappings around it —
# outermost first, None for a mapping that is a key —, whether it was in the document's
# own mapping, whether an alias reads it elsewhere too, through the anchor of a value
# around it, the mapping that held it: an item whose `id:` is written again is the
# entity of its last id).
Replaced = tuple[Any, Any, tuple[Any, ...], bool, bool, Any]


@record(frozen=False)
class ParsedYaml:
    """What a file holds: its data (None when unusable), its text and its problems.

    `root` is where the document's top node starts; positions below it live on the
    `YamlMap`/`YamlList` containers of `data`.
    """

    data: Any
    text: str
    problems: list[YamlProblem] = field(default_factory=list)
    usable: bool = True
    root: int = pack(1, 1)
    end: int = pack(1, 1)  # where the file ends: no position lies beyond it
    # Values a repeated key replaced (CXP003): lost to the data, but what they may have
    # defined or named is not called unknown or unaddressed (model/validate.py), and the
    # figures say they leave them out.
    overwritten: list[Replaced] = field(default_factory=list)
    # Position → text of the plain scalars read as numbers whose text the number may not
    # give back (`0301` is 301, `1.10` is 1.1, `1.500` is 1.5: `_Builder._scalar` says
    # which): what a hint quotes, and where CXP108 finds a dot that may separate
    # thousands; and of a key's value left empty before a comment on its line, the comment
    # (`title: #1 Ny portal`: "#1 Ny portal", what the hint says to quote). Usually empty.
    written: dict[int, str] = field(default_factory=dict)
    # Position → the anchor's position, of each plain value (a text, a number) an alias
    # (`effort: *e`) repeats, and of its anchor: a scalar carries no identity of its own
    # (equal texts may be one object, and an alias's are not told apart), so what an
    # alias shares is known by where it stands. Usually empty.
    aliased: dict[int, int] = field(default_factory=dict)


_NULLS = {"", "~", "null", "Null", "NULL"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as libyaml counts lines (the breaks it disagrees on are refused)
_COMMENT_AFTER = re.compile(r"[ \t]+(#[^\r\n]*)")  # the rest of the line, from the '#'
_COMMENT_KEPT = 200  # characters of it read: a hint quotes a short excerpt
_BOOLS = {"true", "True", "TRUE", "false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(?:[0-9]+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# Python refuses to convert more digits than this (and a portfolio never needs them).
_MAX_DIGITS = 4300


def resolve_plain(value: str) -> str:
    """The core tag name of a plain (unquoted) scalar."""
    if value in _NULLS:
        return "null"
    if value in _BOOLS:
        return "bool"
    digits = value.replace("_", "") if "_" in value else value
    if _INT.fullmatch(digits):
        return "int"
    if _FLOAT.fullmatch(digits) or _SPECIAL_FLOAT.fullmatch(value):
        return "float"
    return "str"


def read_yaml(raw: bytes, keep_text: bool = True) -> ParsedYaml:
    """Decode and parse one file's bytes; never raises for bad input. Without
    `keep_text`, a usable file's text is not kept: a check needs only the data and its
    positions, and the text of a large portfolio is tens of megabytes."""
    if len(raw) > MAX_FILE_BYTES:
        return too_large(len(raw))
    text_or_problem = decode(raw)
    if isinstance(text_or_problem, YamlProblem):
        return ParsedYaml(None, "", [text_or_problem], usable=False)
    parsed = parse_text(text_or_problem)
    if not keep_text and parsed.usable:
        parsed.text = ""
    return parsed


def parse_text(text: str) -> ParsedYaml:
    """Parse decoded text: data with positions, or the problems that make it unusable."""
    end = _end_of(text)
    # Looked for with `in` first: a file almost never holds one, and the pattern's scan of
    # every character took 0.6% of a check's instructions at 500 initiatives (str's own
    # search is a memchr, or nothing at all for U+2028/U+2029 in a Latin-1 text).
    ambiguous = ([m.start() for m in _AMBIGUOUS_BREAKS.finditer(text)]
                 if "\x85" in text or "\u2028" in text or "\u2029" in text else [])
    if ambiguous:
        first = ambiguous[0]
        line, column = line_column(text, first)
        more = f" (and {len(ambiguous) - 1} more)" if len(ambiguous) > 1 else ""
        return ParsedYaml(None, text, [YamlProblem(
            "CXP001", f"the character {_BREAK_NAMES[text[first]]} is not allowed{more}: "
            "YAML readers disagree on whether it ends a line", line, column,
            f"remove it, or write it as the escape \\u{ord(text[first]):04x} inside a double-quoted string")],
            usable=False, end=end)
    if CParser is None:
        raise CxpError("PyYAML is installed without its libyaml extension, which cxportfolio reads YAML with: "
                       "reinstall it from a binary wheel (pip install --force-reinstall --only-binary :all: pyyaml)")
    builder = _Builder(text)
    try:
        builder.run(CParser(text))
    except yaml.MarkedYAMLError as err:
        return _syntax_problem(text, err, end)
    except yaml.reader.ReaderError as err:
        # libyaml reads the text as UTF-8: its position counts bytes, not characters.
        offset = len(text.encode("utf-8")[: err.position].decode("utf-8", "ignore"))
        line, column = line_column(text, offset)
        return _unusable(f"the character U+{err.character:04X} is not allowed in YAML"
                         if isinstance(err.character, int) else "unreadable character",
                         text, line, column, "remove the control character", end=end)
    except yaml.YAMLError as err:  # an unmarked libyaml error: rare, still one line
        return _unusable(str(err).splitlines()[0] if str(err) else "invalid YAML", text, end=end)
    except _Refused as refused:
        return _unusable(refused.message, text, *unpack(refused.position), refused.hint, end=end)
    # A refused tag, key or number is reported where it is and the rest of the file is
    # used: one bad value must not take the file's other entities with it.
    return ParsedYaml(builder.data, text, builder.problems, True, builder.root, end, builder.overwritten,
                      builder.written, builder.aliased_scalars)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, lines ended by LF, CRLF or CR."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, offset - start + 1


def _end_of(text: str) -> int:
    """Where the file ends, as an editor places the cursor there (after a final newline:
    the start of the empty last line)."""
    return pack(*line_column(text, len(text)))


class _Refused(Exception):
    """The document cannot be used at all (too deep, an alias bomb, several documents)."""

    def __init__(self, message: str, position: int, hint: str | None = None) -> None:
        self.message, self.position, self.hint = message, position, hint


class _Builder:
    """libyaml events → YamlMap/YamlList/scalars, with positions and problems.

    One tight loop over the events (this is the hot path of every check): stacks of
    open containers replace recursion, so hostile depth costs no stack either.
    """

    def __init__(self, text: str = "") -> None:
        self.text = text  # read only after a value left empty (`title: #1 …`: what its comment says)
        self._line_starts: list[int] | None = None
        self.problems: list[YamlProblem] = []
        self.overwritten: list[Replaced] = []
        self.written: dict[int, str] = {}  # ParsedYaml.written
        # as `Replaced`, but with the anchors it may be read through: whether an alias used
        # one is known at the end of the file
        self.replaced: list[tuple[Any, Any, tuple[Any, ...], bool, set[str], Any]] = []
        self.data: Any = None
        self.root = pack(1, 1)
        self.anchors: dict[str, Any] = {}
        self.aliased: set[str] = set()  # the anchors an alias used
        self.scalar_anchors: dict[str, int] = {}  # a plain value's anchor → its position
        self.aliased_scalars: dict[int, int] = {}  # ParsedYaml.aliased
        self.text_anchors: list[tuple[str, str, int]] = []  # (anchor, plain text, position)
        self.budget = MAX_NODES_FROM_ALIASES
        # per mapping with a repeated key (by id: it lives as long as the data): each key's
        # slot and first spelling, brought up to date at each repeat (linear, not n²)
        self.slots: dict[int, dict[Any, tuple[int, Any]]] = {}
        # per list item with a repeated key (by id, until it ends): where it starts, its list's
        # key and (key, problem, value replaced, value now) for each repeat, said as one
        # finding when several keys repeat
        self.repeats: dict[int, tuple[tuple[int, int], Any, list[tuple[Any, YamlProblem, Any, Any]]]] = {}
        # per mapping (by id) whose first key was a collection with nothing after its ':'
        # (`- {kpi: k, change: 2}:`): that collection, which stands for the mapping if no
        # other key follows, and the index of its CXP001
        self.colon_after: dict[int, tuple[Any, int]] = {}

    def run(self, parser: CParser) -> None:  # noqa: C901 - one loop, on purpose
        get = parser.get_event
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        # The innermost open container and its state live in locals (this loop runs once
        # per event); the outer ones wait on the stack: (container, is_list, pending key,
        # its position, the inner container's start, the inner container's anchor).
        top: Any = None
        is_list = False
        key: Any = _NO_KEY
        key_at = 0
        stack: list[tuple[Any, bool, Any, int, int, str | None]] = []
        documents = 0
        bad_key: Any = None  # the collection written as a key (`key` is then _BAD_KEY), and its CXP001
        bad_said = 0
        resolve = self._scalar
        repeats = self.repeats
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event:
                mark = event.start_mark
                position = (mark.line + 1) << _COLUMN_BITS | (mark.column + 1)
                value = event.value
                if event.tag is not None or (event.implicit[0] and (not value or value[0] in _MAYBE_NOT_TEXT)):
                    if value.isdigit() and value.isascii() and len(value) < 19 and event.tag is None:
                        if value[0] == "0" and len(value) > 1:  # `0301`: 301, its zero kept for a hint
                            self.written[position] = value
                        value = int(value)  # the commonest number: a plain decimal
                    else:
                        value = resolve(event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = value
                    self.scalar_anchors[event.anchor] = position
                    if event.implicit[0] and isinstance(value, str):  # `title: &Ny portal`?
                        self.text_anchors.append((event.anchor, value, position))
            elif kind is map_start or kind is seq_start:
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(f"nesting is deeper than {MAX_DEPTH} levels", _at(event.start_mark),
                                   "portfolio files need only a few levels of nesting")
                if event.tag is not None:
                    self._check_tag(event.tag, "map" if kind is map_start else "seq", event.start_mark)
                mark = event.start_mark
                stack.append((top, is_list, key, key_at,
                               (mark.line + 1) << _COLUMN_BITS | (mark.column + 1), event.anchor))
                is_list = kind is seq_start
                top = YamlList() if is_list else YamlMap()
                top.marks = array("q")
                key = _NO_KEY
                continue
            elif kind is map_end or kind is seq_end:
                value = top
                if repeats and id(value) in repeats:
                    self._say_repeats(*repeats.pop(id(value)))
                if self.colon_after and id(value) in self.colon_after:
                    meant, said = self.colon_after.pop(id(value))
                    if not value:  # `- {kpi: k, change: 2}:` alone: the collection, as meant, not
                        # an empty mapping missing every field; its CXP001 says to delete the ':'
                        closing = "}" if isinstance(meant, dict) else "]"
                        self.problems[said] = replace(self.problems[said], hint=f"delete the ':' after the `{closing}`")
                        value = meant
                top, is_list, key, key_at, position, anchor = stack.pop()
                if anchor is not None:
                    self.anchors[anchor] = value
                    self.scalar_anchors.pop(anchor, None)  # (an anchor named again names the last)
            elif kind is alias_event:
                if event.anchor not in self.anchors:
                    raise _Refused(f"alias *{_excerpt(event.anchor)} names no anchor", _at(event.start_mark),
                                   "a value beginning with `*` repeats the one marked `&name`: if it is text "
                                   f"(`*{_excerpt(event.anchor)} …`), put it in quotes")
                value = self.anchors[event.anchor]
                self.aliased.add(event.anchor)
                self._spend(value, event.start_mark)
                position = _at(event.start_mark)
                if not isinstance(value, (dict, list)):
                    anchored = self.scalar_anchors[event.anchor]
                    self.aliased_scalars[anchored] = self.aliased_scalars[position] = anchored
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused("file holds more than one YAML document", _at(event.start_mark),
                                   "keep one document per file: remove the '---' separator or split the file")
                continue
            elif kind is yaml.StreamEndEvent:
                self._unused_text_anchors()
                self.overwritten = [(k, v, around, top_level, not self.aliased.isdisjoint(anchors), holder)
                                    for k, v, around, top_level, anchors, holder in self.replaced]
                self.slots.clear()
                return
            else:
                continue
            # A node is complete: it is the document, an item, a key or a key's value.
            if is_list:
                top.append(value)
                top.marks.append(position)
            elif top is None:
                self.data, self.root = value, position
            elif key is _NO_KEY:
                if isinstance(value, (list, dict)):
                    self._problem("a mapping key must be a plain value, not a collection", position,
                                  "use a plain text key")
                    key, bad_key, bad_said = _BAD_KEY, value, len(self.problems) - 1
                else:
                    key, key_at = value, position
            else:
                if key is _BAD_KEY and value is None and not top:  # nothing after the ':' of a collection
                    self.colon_after[id(top)] = (bad_key, bad_said)
                elif value is None and kind is scalar_event and not event.value and event.implicit[0]:
                    self._comment_after(position)
                if key is not _BAD_KEY:
                    if key in top:
                        self._repeated(top, key, key_at, value, position, stack)
                    else:
                        top[key] = value
                        marks = top.marks
                        marks.append(key_at)
                        marks.append(position)
                key = _NO_KEY

    def _unused_text_anchors(self) -> None:
        """`title: &Ny portal` is the title 'portal' with the anchor `&Ny`: text begun
        with '&' loses its first word, without a word, unless an alias uses the anchor
        (a portfolio has no other use for one on a text)."""
        for anchor, value, position in self.text_anchors:
            if anchor not in self.aliased:
                self._problem(f"`&{_excerpt(anchor)}` before '{_excerpt(value)}' is read as a YAML anchor, which no "
                              f"alias uses: the text is '{_excerpt(value)}' without it",
                              position, f"if the text begins with '&', put it in quotes: "
                              f"\"&{_excerpt(anchor)} {_excerpt(value)}\"")

    def _comment_after(self, position: int) -> None:
        """A key's value left empty where a comment follows on its line (`title: #1 Ny
        portal`: a '#' after a space starts a comment, so the title is null): the comment
        is kept as the value's text (ParsedYaml.written), for the hint to name."""
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(self.text))]
        line, column = unpack(position)
        if line > len(self._line_starts):
            return
        start = self._line_starts[line - 1] + column - 1
        found = _COMMENT_AFTER.match(self.text, start, start + _COMMENT_KEPT)
        if found is not None:
            self.written[position] = found.group(1).rstrip()

    def _repeated(self, mapping: YamlMap, key: Any, key_position: int, value: Any, position: int,
                  stack: list[tuple[Any, bool, Any, int, int, str | None]]) -> None:
        """A key the mapping already holds: CXP003, and the last value wins. `stack`: the
        containers around the mapping (the run's), whose keys say where the lost value was."""
        slots = self.slots.setdefault(id(mapping), {})
        if key not in slots:  # the keys added since it was brought up to date: the dict's last ones
            base = len(slots)
            for offset, known in enumerate(reversed(list(islice(reversed(mapping), len(mapping) - base)))):
                slots[known] = (base + offset, known)
        slot, first = slots[key]
        if type(first) is not type(key):  # 1 and 1.0, true and 1: one slot in a dict
            self._problem(f"key '{_excerpt(key)}' equals another key of this mapping", key_position,
                          "use text keys")
            return
        first_at = unpack(mapping.marks[2 * slot])
        both_hold_items = isinstance(value, (dict, list)) and isinstance(mapping[key], (dict, list))
        problem = YamlProblem(
            "CXP003", f"key '{_excerpt(key)}' is repeated; YAML would silently keep only the last value",
            *unpack(key_position), hint=f"merge the two `{_excerpt(key)}:` into one" + (
                # two top-level lists: the second may be another list's, under a mistyped key
                ", or rename this one if its items belong to another list"
                if len(stack) == 1 and isinstance(value, list) else "") if both_hold_items else
            f"keep the `{_excerpt(key)}:` you mean (this one or line {first_at[0]}) and delete the other",
            related=(first_at,))
        if stack and stack[-1][1]:  # an item of a list: said when it ends, with its other repeats
            list_key = stack[-2][2] if len(stack) > 1 else None
            self.repeats.setdefault(id(mapping), (unpack(stack[-1][4]), list_key, []))[2].append(
                (key, problem, mapping[key], value))
        else:
            self.problems.append(problem)
        # The last value wins, as in every YAML library; it keeps the first key's place.
        # The same value written twice loses nothing (a comparison at most as long as it).
        if mapping[key] != value:
            # Where it was (`Replaced`): list positions are left out of the keys around it.
            around = tuple(None if outer_key is _NO_KEY or outer_key is _BAD_KEY else outer_key
                           for outer, in_list, outer_key, *_ in stack if outer is not None and not in_list)
            # The anchors an alias could read it through: those of the values from the
            # first unread one down (an x- key's, else the top-level key's).
            unread = next((k for k, (outer, in_list, outer_key, *_) in enumerate(stack) if k and not in_list
                           and is_extension(outer_key)), 1)
            anchors = {anchor for *_, anchor in stack[unread:] if anchor is not None}
            self.replaced.append((key, mapping[key], around, len(stack) == 1, anchors, mapping))
        mapping[key] = value
        mapping.marks[2 * slot], mapping.marks[2 * slot + 1] = key_position, position

    def _say_repeats(self, start: tuple[int, int], list_key: Any,
                     repeats: list[tuple[Any, YamlProblem, Any, Any]]) -> None:
        """One repeated key of a list item is its own CXP003. Several keys are one, at the
        first repeat: an item's keys written again further down are most often a second
        item whose `- ` line was lost, and "delete the other" for each would delete that
        item or blend the two. A repeated `id:` names the entity the item loses. (The
        message quotes no line: it is part of the finding's fingerprint.)"""
        keys = list(dict.fromkeys(key for key, *_ in repeats))
        if len(keys) == 1:  # one key, however often: said each time, as outside lists
            self.problems.extend(problem for _, problem, *_ in repeats)
            return
        first = repeats[0][1]
        named = ", ".join(f"'{_excerpt(key)}'" for key in keys[:3]) + (
            f" and {len(keys) - 3} more" if len(keys) > 3 else "")
        its_id = " (and its `id:`)" if list_key in LISTS_WITH_IDS else ""
        ids = [(before, now) for key, _, before, now in repeats if key == "id"]
        kept = ids[-1][1] if ids else None
        # every id written before the last one is lost (three items merged lose two)
        gone = list(dict.fromkeys(before for before, _ in ids if isinstance(before, str) and before != kept))
        named_gone = " and ".join(f"`id: {_excerpt(g)}`" for g in gone[:2]) + (
            f" and {len(gone) - 2} more" if len(gone) > 2 else "")
        lost = (f" (`id: {_excerpt(kept)}` replaces {named_gone}, which {'is' if len(gone) == 1 else 'are'} lost)"
                if gone and isinstance(kept, str) else "")
        self.problems.append(YamlProblem(
            "CXP003", f"keys {named} of the item above are written again from here; YAML would silently keep "
            f"only the last values{lost}: is this a second item without its `- `?",
            first.line, first.column,
            hint=f"if the keys from line {first.line} on are another item, start it with `- `{its_id} in line "
                 f"with the item at line {start[0]}; else keep the values you mean and delete the others "
                 "(two lists under one key: merge them)",
            related=(start, first.related[0]) if first.related[0] != start else (start,)))

    def _spend(self, value: Any, mark: Any) -> None:
        """Count the values an alias repeats against the budget, and stop a bomb."""
        todo = [value]
        while todo:
            node = todo.pop()
            self.budget -= 1
            if self.budget < 0:
                raise _Refused(
                    f"aliases expand to more than {MAX_NODES_FROM_ALIASES:,} values (an alias bomb?)",
                    _at(mark), "write the values out instead of repeating anchors")
            if isinstance(node, dict):
                todo.extend(node.values())
            elif isinstance(node, list):
                todo.extend(node)

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0] or tag == "!":  # quoted, or the non-specific tag
                return value
            name = resolve_plain(value)
        else:
            if not self._check_tag(tag, None, event.start_mark, value):
                return Unread(value)  # its CXP001 says it: no "must be a number, got '8'" beside it
            name = tag[len(TAG_PREFIX):]
        try:
            if name == "str":
                return value
            if name == "null":
                return None
            if name == "bool":
                return value.lower() == "true"
            # Kept as written (ParsedYaml.written): a plain int whose text it does not give
            # back (`+5`, `1_000`), and of the floats those with a trailing zero (`1.10`,
            # `1.500`), a dot before the last three digits (`1.125`), or any other text the
            # float does not give back (`1e3` is 1000.0, `.5` is 0.5).
            if name == "int":
                number = _core_int(value)
                if tag is None and str(number) != value:
                    self.written[_at(event.start_mark)] = value
                return number
            if name == "float":
                real = _core_float(value)
                if tag is None and (value[-1] == "0" or len(value) > 3 and value[-4] == "." or str(real) != value):
                    self.written[_at(event.start_mark)] = value
                return real
        except ValueError:
            digits = sum(map(str.isdigit, value))
            said = f"a number of {digits:,} digits" if digits > _MAX_DIGITS else f"'{_excerpt(value)}'"
            self._problem(f"{said} cannot be read as !!{name}", _at(event.start_mark),
                          "write a plain number of at most 4,300 digits" if name == "int"
                          else "remove the tag or fix the value")
            return Unread(value)
        self._problem(f"tag '!!{name}' cannot be used on a plain value", _at(event.start_mark),
                      "remove the tag")
        return value

    def _check_tag(self, tag: str | None, expected: str | None, mark: Any, value: str | None = None) -> bool:
        """Whether a tag is a core tag (of the expected kind); report any other. A local
        tag on a text (`title: !Ny portal`) may be text beginning with '!': said so."""
        if tag is None or tag == "!":
            return True
        if tag in CORE_TAGS and (expected is None or tag == TAG_PREFIX + expected):
            return True
        shown = "!!" + tag[len(TAG_PREFIX):] if tag.startswith(TAG_PREFIX) else tag
        hint = "remove the tag: portfolio files hold plain values only"
        if value and tag.startswith("!") and not tag.startswith("!!"):
            text = _excerpt(f"{shown} {value}", 50).replace("\\", "\\\\").replace('"', '\\"')
            hint = f'if it is text, quote it (`"{text}"`); else {hint}'
        self._problem(f"tag '{_excerpt(shown)}' is not allowed", _at(mark), hint)
        return False

    def _problem(self, message: str, position: int, hint: str) -> None:
        self.problems.append(YamlProblem("CXP001", message, *unpack(position), hint))


# The lists whose items have ids (the entity kinds: tests/test_trust_regressions.py keeps
# them those of model.entities.ENTITY_KINDS): a second item there needs its own.
LISTS_WITH_IDS = frozenset({"units", "journeys", "pain_points", "kpis", "initiatives"})
_NO_KEY = object()
_BAD_KEY = object()
# A plain scalar starting with anything else is text: no null, bool, int or float does.
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~_nNtTfF")


def _excerpt(value: Any, limit: int = 40) -> str:
    """A short, printable excerpt of a value for a message (never a whole file's text),
    a key read as a boolean or null as YAML writes it (`true`, not Python's 'True')."""
    text = "null" if value is None else ("true" if value else "false") if isinstance(value, bool) else str(value)
    # beyond U+FFFF as `\U` and eight digits, as printable writes it: `\ue0041` would read as U+E004 and a 1
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                   if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in text[:limit + 1])
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _core_int(value: str) -> int:
    digits = value.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    body = digits.lstrip("+-")
    if len(body) > _MAX_DIGITS:
        raise ValueError(value)
    base = {"0x": 16, "0o": 8, "0b": 2}.get(body[:2].lower())
    return sign * (int(body[2:], base) if base else int(body, 10))


def _core_float(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith("inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    if len(value) > _MAX_DIGITS:
        raise ValueError(value)
    return float(value.replace("_", ""))


def too_large(size: int) -> ParsedYaml:
    """Refuse a file before reading it: huge scalars and files are not worth parsing."""
    return _unusable(
        f"file is over the {MAX_FILE_BYTES // 1048576} MiB limit"
        + (f" ({size / 1048576:.1f} MiB)" if size > MAX_FILE_BYTES else ""), "",
        hint="split it into several files (one per unit is the usual layout)")


def decode(raw: bytes) -> str | YamlProblem:
    """UTF-8 (a byte-order mark is accepted); anything else is a located problem."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if raw.startswith(bom) and not raw.startswith(codecs.BOM_UTF8):
            return YamlProblem("CXP001", f"file is encoded as {name}", 1, 1, hint="save it as UTF-8")
    wide = _wide_encoding(raw) if b"\x00" in raw[:512] else None
    if wide:  # saved without a byte-order mark: each character's other bytes are NULs
        return YamlProblem("CXP001", f"file is encoded as {wide} (without a byte-order mark)", 1, 1,
                           hint="save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        prefix = raw[: err.start].decode("utf-8")
        line, column = line_column(prefix, len(prefix))
        if b"\x00" in raw:  # NULs and bytes no text encoding writes: not a text file at all
            return YamlProblem("CXP001", f"byte 0x{raw[err.start]:02x} is not valid UTF-8, and the file holds NUL "
                               "characters: is it binary?", line, column, hint="portfolio files are UTF-8 text")
        return YamlProblem(
            "CXP001", f"byte 0x{raw[err.start]:02x} is not valid UTF-8", line, column,
            hint="save the file as UTF-8 (it looks like Latin-1 or Windows-1252)")
    if "\x00" in text:
        line, column = line_column(text, text.index("\x00"))
        return YamlProblem("CXP001", "file contains a NUL character: is it binary?", line, column,
                           hint="portfolio files are UTF-8 text")
    return text


def _wide_encoding(raw: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when the first bytes read as mostly ASCII in one of them, as a
    YAML file in either does (keys and ids are ASCII): NULs at every other byte, or three of
    every four. None otherwise (a binary file, a stray NUL)."""
    sample = raw[:512]
    if len(sample) < 8:
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        usable = len(sample) - len(sample) % width
        units = [sample[i:i + width] for i in range(0, usable, width)]
        for text_at in range(width):  # where the ASCII byte sits: LE first, BE last
            ascii_like = sum(1 for u in units if u[text_at] and not any(u[:text_at] + u[text_at + 1:]))
            if ascii_like >= 0.9 * len(units):
                return name
    return None


def _syntax_problem(text: str, err: yaml.MarkedYAMLError, end: int) -> ParsedYaml:
    """Where the parser stopped, and — as a related location — where the construct it
    was reading began: an unclosed quote is noticed lines later, but began there.
    The commonest mistakes are said in plain words (syntax_hints)."""
    from cxportfolio.load.syntax_hints import explain  # here: it uses this module's _excerpt

    explained = explain(text, err, CParser, _excerpt)
    if explained is not None:
        line, column = min((explained.line, explained.column), unpack(end))
        # libyaml's end of stream may lie past the last character: the end of the file, as the place itself
        kept = [(min(place, unpack(end)), label)
                for place, label in zip_longest(explained.related, explained.labels, fillvalue="")]
        return ParsedYaml(None, text, [YamlProblem(
            "CXP001", explained.message, line, column, explained.hint, tuple(place for place, _ in kept),
            tuple(label for _, label in kept))], usable=False, end=end)
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else unpack(end)
    if mark is not None and (line, column) > unpack(end):
        line, column = unpack(end)  # "end of stream" is past the last character
    problem = (err.problem or err.context or "invalid YAML").strip()
    hint = "fix the YAML syntax (check indentation and quotes)"
    context = (err.context or "").strip()
    began = err.context_mark if err.problem_mark is not None else None
    related = ((began.line + 1, began.column + 1),) if began is not None else ()
    if related == ((line, column),):
        related = ()
    if "\t" in problem or "tab" in problem:
        hint = "indent with spaces, not tabs"
    elif "quoted scalar" in context and "Unicode character escape" in problem:
        hint = ("a \\u or \\U escape must name a Unicode character: write the character itself, or \\U and its "
                "eight hex digits (U+1F600 is \\U0001F600; JSON's surrogate pairs such as \\ud83d\\ude00 are not YAML)")
    elif "quoted scalar" in context and ("escape" in problem or "hexdecimal" in problem):
        hint = ("in double quotes a backslash starts an escape (\\n, \\\", \\\\, \\u00e5): write \\\\ "
                "for a backslash itself, or put the value in single quotes")
    elif "quoted scalar" in context and related:
        hint = "a quoted value that begins at the related location is not closed: add its closing quote"
    elif related:
        hint = ("fix the YAML syntax between the related location, where this part begins, and here "
                "(check indentation and quotes)")
    if context:
        problem = f"{problem} ({context})"
    return ParsedYaml(None, text, [YamlProblem("CXP001", problem, line, column, hint, related)],
                      usable=False, end=end)


def _unusable(message: str, text: str, line: int = 1, column: int = 1, hint: str | None = None,
              end: int = pack(1, 1)) -> ParsedYaml:
    return ParsedYaml(None, text, [YamlProblem("CXP001", message, line, column, hint)], usable=False, end=end)
