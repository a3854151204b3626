"""A line broken in two, a line break typed (or an editor's wrap) inside a line: a comment
whose rest falls onto a line of its own, a key split over two lines, a value or a key's
':' moved onto the line below, indented less than its key. Said at the line break, with
the two lines joined, tried: the file so written reads on, to its end or far past the line.
"""

from __future__ import annotations

import re

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, Position, STOPPED,
                                                  line_text)
from cxportfolio.load.syntax_hints.indentation import line_start, reads_past
from cxportfolio.load.syntax_hints.replay import Replay
from cxportfolio.load.syntax_hints.vocabulary import FORMAT_KEYS

# A key line, its value left: the indentation (and an item's `- `), the key, the value.
_KEY_LINE = re.compile(r"([ \t]*(?:-[ \t]+)*)([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")
_WORD = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)$")  # a key or its first part, alone on its line
_FAR = 200  # lines a joined file must read past the break: a fix, not a slip moved further down


def broken_line(text: str, at: Position, said: str, replayed: Replay, excerpt: Excerpt) -> Explained | None:
    """The line where the parser stopped, or the one above it, is the rest of the line
    above it, broken off by a line break: said at that line break, when the file with the
    two lines joined reads on (and, for a value, with its line indented under its key)."""
    for rest_line in (at[0], at[0] - 1):
        if rest_line < 2:
            continue
        above, rest = line_text(text, rest_line - 1), line_text(text, rest_line)
        if not rest.strip():
            continue
        said_as = _broken(above, rest, rest_line, at, excerpt)
        if said_as is None:
            continue
        joined = _joined(above, rest)
        if not _reads_on(text, rest_line, [joined], replayed):
            continue
        message, hint = said_as
        further = _further(text, rest_line, above, rest, replayed) if "{further}" in hint else ""
        hint = hint.format(joined=excerpt(_tail(joined), EXAMPLE_LIMIT), further=further)
        return Explained(f"{message} ({said})", rest_line - 1, len(above) + 1, hint, (at,), (STOPPED,))
    return None


def _broken(above: str, rest: str, rest_line: int, at: Position, excerpt: Excerpt) -> tuple[str, str] | None:
    """What the line break between `above` and `rest` broke, as a message and a hint (with
    `{joined}`, and `{further}` for a value), or None for none of the slips said here."""
    line, body = rest_line - 1, rest.strip()
    comment = COMMENT.search(above) if not above.lstrip().startswith("#") else re.match(r"[ \t]*", above)
    if comment is not None and not re.search("['\"]", above[:comment.start()]):
        if rest_line == at[0] and _KEY_LINE.match(rest):
            return None  # a key the parser stopped at, after a comment: more likely out of line
        return (f"a line break inside the comment on line {line}: its rest, `{excerpt(body, 30)}` on line {rest_line}, "
                "has no `#`, so YAML reads it as part of the file, not of the comment",
                f"join line {rest_line} to the end of line {line} (`{{joined}}`)")
    key = _KEY_LINE.match(above)
    if rest_line == at[0] and key is not None and rest[:1].isspace() and not body.startswith(("#", "-", ":")):
        name, value = key.group(2), key.group(3)
        if value is None or value.startswith("#"):
            return (f"the value of `{name}` is on the line below it, indented less than `{name}:`, where YAML "
                    "expects a key", f"write it after `{name}:` (`{{joined}}`){{further}}")
        if value[:1] in "\"'[{|>&*!":
            return None
        return (f"a line break inside the value of `{name}`: its rest, on line {rest_line}, is indented less "
                f"than `{name}:`, where YAML expects a key", f"join the two lines (`{{joined}}`){{further}}")
    if rest_line == at[0] and re.fullmatch(r"[ \t]*-", above) and rest[:1].isspace():
        return (f"the item of the `-` on line {line} is on the line below it, indented less than the `-`, "
                "where YAML expects a key", "write it after the `-` (`{joined}`)")
    word = _WORD.match(above)
    if word is None or rest_line != at[0]:
        return None
    if body.startswith(":"):
        return (f"a line break between the key `{word.group(1)}` and its ':'", "join the two lines (`{joined}`)")
    rest_key = _KEY_LINE.match(rest)
    if rest_key is not None and not rest[:1].isspace() and not rest_key.group(1) \
            and word.group(1) + rest_key.group(2) in FORMAT_KEYS:
        name = word.group(1) + rest_key.group(2)
        return (f"a line break inside the key `{name}:`, which YAML does not read as one key over two lines",
                "join the two lines (`{joined}`)")
    return None


def _joined(above: str, rest: str) -> str:
    """The two lines as one, the line break undone: the rest's indentation one space."""
    return above + (" " + rest.lstrip(" \t") if rest[:1] in (" ", "\t") and above[-1:] not in (" ", "\t", "")
                    else rest.lstrip(" \t") if rest[:1] in (" ", "\t") else rest)


def _tail(joined: str) -> str:
    """The joined line as a hint quotes it: a long one by its end, where it was broken."""
    written = joined.strip()
    return written if len(written) <= EXAMPLE_LIMIT else "…" + written[-(EXAMPLE_LIMIT - 2):]


def _further(text: str, rest_line: int, above: str, rest: str, replayed: Replay) -> str:
    """', or indent line N further than `key:`' when the value, so indented, reads on too."""
    key = _KEY_LINE.match(above)
    if key is None:
        return ""
    indented = " " * (len(key.group(1)) + 2) + rest.lstrip(" \t")
    if not _reads_on(text, rest_line, [above, indented], replayed):
        return ""
    return f", or indent line {rest_line} further than `{key.group(2)}:`"


def _reads_on(text: str, rest_line: int, lines: list[str], replayed: Replay) -> bool:
    """Whether the file, its lines `rest_line - 1` and `rest_line` replaced by `lines`,
    reads far past them (a fix, not the slip moved a few lines down)."""
    start, end = line_start(text, rest_line - 1), line_start(text, rest_line)
    end += len(line_text(text, rest_line))
    fixed = text[:start] + "\n".join(lines) + text[end:]
    last = rest_line - 2 + len(lines)
    return reads_past(fixed, replayed.parser, last + _FAR)  # to the end, or an error that far on
