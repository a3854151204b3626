"""Lines, tokens and the position encodings of the protocol.

Findings and the parser count columns in code points; the client counts in the encoding
it negotiated (UTF-16 unless it offers another), so a title with an emoji before a
mistake shifts the client's column by two where ours shifts by one.
"""

from __future__ import annotations

import re

from cxportfolio.records import record

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the YAML reader counts as a line end, too
_FLOW_END = ",]}"
_FLOW_INDICATOR = re.compile(r"[,\[\]{}]")
# A quoted scalar on its line, escapes and all ("unrolled": runs of plain characters are
# matched at once, so a megabyte-long value costs what str.find would).
_QUOTED = {"'": re.compile(r"'[^']*(?:''[^']*)*'"), '"': re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')}


class FirstLine(str):
    """The first line of a text that begins with a byte-order mark (U+FEFF), without the
    mark: the reader drops it, so the parser's columns on this line do not count it, while
    a client that keeps it in the document (Zed does) counts it in its own. The
    conversions below add or take off its width; as a line it equals no plain one."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is FirstLine and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("\ufeff", str(self)))


def lines_of(text: str) -> list[str]:
    """The text's lines as the parser reads them: a leading byte-order mark is not on the
    first (FirstLine says it was there). Split as _LINE_BREAK splits, by str methods: the
    regular expression took 150 ms over a 10 MB document, at each completion and check."""
    lines = (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text).split("\n")
    if text.startswith("\ufeff"):
        lines[0] = FirstLine(lines[0][1:])
    return lines


def offset_at(text: str, line: int, character: int, encoding: str) -> int:
    """A client's position (0-based line, its units) as an index into `text`, with the
    protocol's line ends (\n, \r\n, \r: not U+2028, NEL or a form feed, where Python's
    str.splitlines also breaks). Past a line's end is its end; past the last line, the
    text's end."""
    start = 0
    for _ in range(line):
        found = _LINE_BREAK.search(text, start)
        if found is None:
            return len(text)
        start = found.end()
    found = _LINE_BREAK.search(text, start)
    return start + from_client(text[start:found.start() if found else len(text)], character, encoding)


def apply_change(text: str, start: tuple[int, int], end: tuple[int, int], new: str, encoding: str) -> str:
    """`text` with the client's range (line, character) to (line, character) replaced by `new`."""
    first, last = offset_at(text, *start, encoding), offset_at(text, *end, encoding)
    return text[:first] + new + text[max(first, last):]


def line_end(text: str, line: int) -> str:
    """The line end written after 0-based `line` of `text`; for a last line without one,
    the text's first (a file's own: \r\n in a CRLF file); in a one-line text, \n."""
    found, start = None, 0
    for _ in range(line + 1):
        found = _LINE_BREAK.search(text, start)
        if found is None:
            break
        start = found.end()
    found = found or _LINE_BREAK.search(text)
    return found.group() if found else "\n"


def _mark_width(line: str, encoding: str) -> int:
    """The client's units of the byte-order mark before a FirstLine; 0 on any other line."""
    return (3 if encoding == "utf-8" else 1) if type(line) is FirstLine else 0


def to_client(line: str, column: int, encoding: str) -> int:
    """A 0-based code-point column as the client's units."""
    prefix = line[:column]
    if encoding == "utf-8":
        return _mark_width(line, encoding) + len(prefix.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return _mark_width(line, encoding) + len(prefix)
    return _mark_width(line, encoding) + len(prefix) + sum(1 for c in prefix if ord(c) > 0xFFFF)


def from_client(line: str, units: int, encoding: str) -> int:
    """The client's column (its units) as a 0-based code-point column, clamped to the line."""
    units = max(units - _mark_width(line, encoding), 0)
    if encoding == "utf-32":
        return min(units, len(line))
    counted = 0
    for column, char in enumerate(line):
        if counted >= units:
            return column
        counted += len(char.encode("utf-8", "surrogatepass")) if encoding == "utf-8" else (2 if ord(char) > 0xFFFF else 1)
    return len(line)


@record
class Span:
    """A token on one line: 0-based line, code-point columns [start, end)."""

    line: int
    start: int
    end: int


def token_at(lines: list[str], line: int, column: int) -> Span:
    """The YAML scalar (or key) that starts at a 0-based place: a quoted scalar to its
    closing quote, a plain one to `: `, ` #` or, inside a flow collection, `,]}`. At
    least one character, so that an editor has something to underline."""
    if not 0 <= line < len(lines):
        return Span(max(line, 0), 0, 0)
    text = lines[line]
    column = min(max(column, 0), len(text))
    if column < len(text) and text[column] in "\"'":
        return _quoted(line, text, column)
    in_flow = text.count("[", 0, column) + text.count("{", 0, column) > text.count("]", 0, column) + text.count("}", 0, column)
    end = column
    while end < len(text):
        char = text[end]
        if (in_flow and char in _FLOW_END) or (char == ":" and (end + 1 == len(text) or text[end + 1] == " ")):
            break
        if char == "#" and end > column and text[end - 1] == " ":
            break
        end += 1
    if _FLOW_INDICATOR.search(text, column, end + 1):
        # Whether `,]}` end the scalar depends on whether it sits in a flow collection,
        # which this line alone may not tell (`[a,` on the line above, a `"]]"` before
        # it): the parser's own end of the scalar decides.
        end = _scalar_end(lines, line, column, end)
    end = len(text[:end].rstrip()) if end > column else end
    return Span(line, column, max(end, min(column + 1, len(text))))


# The files whose scalars' ends are kept, and how many ends in all (a hostile one-line
# file of `[a,a,…]` holds millions); a file larger than the cap is read off its lines.
_ENDS_FILES = 64
_ENDS_BUDGET = 200_000
_ENDS_MAX_CHARS = 1 << 19  # 512 KiB: a unit file of some 1,000 initiatives
_ends: dict[int, tuple[list[str], dict[int, int]]] = {}


def _scalar_end(lines: list[str], line: int, column: int, default: int) -> int:
    """Where the scalar that starts at a 0-based place ends on its line, as libyaml marks
    it; `default` where no scalar starts there (or the file is past the cap). A file's
    marks are read once per list of its lines (the session keeps a file's list while its
    text stays the same), and only on the lines that hold a flow indicator: the others
    are never asked about."""
    kept = _ends.get(id(lines))
    if kept is None or kept[0] is not lines:
        if sum(map(len, lines)) > _ENDS_MAX_CHARS:
            return default
        kept = _ends[id(lines)] = (lines, _scalar_ends(lines))
        while len(_ends) > _ENDS_FILES or (len(_ends) > 1 and sum(len(e) for _, e in _ends.values()) > _ENDS_BUDGET):
            del _ends[next(iter(_ends))]
    found = kept[1].get(line << 32 | column)
    if found is None:
        return default
    end_line, end_column = found >> 32, found & 0xFFFFFFFF
    return end_column if end_line == line else len(lines[line])


def _scalar_ends(lines: list[str]) -> dict[int, int]:
    """Each scalar's start → end (0-based line << 32 | code-point column) on the lines
    that hold a flow indicator, from libyaml's events up to the end of the text or its
    first mistake."""
    import yaml
    from yaml._yaml import CParser

    asked = {n for n, text in enumerate(lines) if _FLOW_INDICATOR.search(text)}
    ends: dict[int, int] = {}
    if not asked:
        return ends
    try:
        parser = CParser("\n".join(lines))
    except (UnicodeError, ValueError):  # a buffer holding a lone surrogate: libyaml reads UTF-8 alone
        return ends
    try:
        while not isinstance(event := parser.get_event(), (yaml.StreamEndEvent, type(None))):
            if isinstance(event, yaml.ScalarEvent) and event.start_mark.line in asked:
                start, end = event.start_mark, event.end_mark
                ends[start.line << 32 | start.column] = end.line << 32 | end.column
    except (yaml.YAMLError, UnicodeError, ValueError):  # what comes before a mistake is read as the check read it
        pass
    finally:
        parser.dispose()
    return ends


def written_at(lines: list[str], line: int, column: int, value: str) -> Span | None:
    """The token of the scalar the parser read as `value` at a 0-based place, or None where
    the text there does not hold it: quoted, to its closing quote; plain, the value itself
    (a plain scalar on one line is its text). No second reading: for the ids of a file,
    which the language server's index places by the thousand."""
    if not 0 <= line < len(lines) or not value:
        return None
    text = lines[line]
    if column < len(text) and text[column] in "\"'":
        span = _quoted(line, text, column)
        return span if unquoted(lines, span) == value else None
    return Span(line, column, column + len(value)) if text.startswith(value, column) else None


def _quoted(line: int, text: str, column: int) -> Span:
    """The quoted scalar opening at `column`, to its closing quote on its line (else to the
    line's end): a quote inside it is escaped, doubled in single quotes (`'it''s'`), after
    a backslash in double quotes."""
    found = _QUOTED[text[column]].match(text, column)
    return Span(line, column, found.end() if found else len(text))


def unquoted(lines: list[str], span: Span) -> str:
    value = lines[span.line][span.start:span.end] if 0 <= span.line < len(lines) else ""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def id_span(lines: list[str], span: Span) -> Span:
    """The id inside a token, without its quotes: what a rename replaces."""
    value = lines[span.line][span.start:span.end] if 0 <= span.line < len(lines) else ""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return Span(span.line, span.start + 1, span.end - 1)
    return span
