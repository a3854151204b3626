"""A line broken in two, a line break typed (or an editor's wrap) inside a line: a comment
whose rest falls onto a line of its own, a key split over two lines, a value or a key's
':' moved onto the line below, indented less than its key. Said at the line break, with
the two lines joined, tried: the file so written reads on, to its end or far past the line.
"""

from __future__ import annotations

import re

from cxportfolio.load.syntax_hints.common import (COMMENT, EXAMPLE_LIMIT, Excerpt, Explained, ITEM_DASH, Position,
                                                  STOPPED, line_text, lines_replaced)
from cxportfolio.load.syntax_hints.indentation import reads_past
from cxportfolio.load.syntax_hints.replay import Replay, innermost
from cxportfolio.load.syntax_hints.vocabulary import FORMAT_KEYS, LIST_KEYS

# A key line, its value left: the indentation (and an item's `- `), the key, the value.
_KEY_LINE = re.compile(r"([ \t]*(?:-[ \t]+)*)([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")
_WORD = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*)$")  # a key or its first part, alone on its line
_FAR = 200  # lines a joined file must read past the break: a fix, not a slip moved further down


def broken_line(text: str, at: Position, said: str, replayed: Replay, excerpt: Excerpt) -> Explained | None:
    """The line where the parser stopped, or the one above it, is the rest of the line
    above it, broken off by a line break: said at that line break, when the file with the
    two lines joined reads on (and, for a value, with its line indented under its key)."""
    for rest_line in (at[0], at[0] - 1):
        said_at = _said_at(text, rest_line, at, at, said, replayed, excerpt)
        if said_at is not None:
            return said_at
    return None


def _said_at(text: str, rest_line: int, stop_at: Position, at: Position, said: str, replayed: Replay,
             excerpt: Excerpt, comment_only: bool = False) -> Explained | None:
    """The slip said at the line break before `rest_line`, if one of those said here and
    the two lines joined read on; `stop_at` stands for the parser's mark in telling the
    slips apart, `at` is the mark itself."""
    if rest_line < 2:
        return None
    above, rest = line_text(text, rest_line - 1), line_text(text, rest_line)
    said_as = _broken(above, rest, rest_line, stop_at, excerpt) if rest.strip() else None
    if said_as is None or comment_only and not said_as[0].startswith("a line break inside the comment"):
        return None
    joined = _joined(above, rest, words=said_as[0].startswith("a line break inside the comment"))
    if not _reads_on(text, rest_line, [joined], replayed):
        return None
    message, hint = said_as
    further = _further(text, rest_line, above, rest, replayed) if "{further}" in hint else ""
    hint = hint.format(joined=excerpt(_tail(joined), EXAMPLE_LIMIT), further=further)
    return Explained(f"{message} ({said})", rest_line - 1, len(above) + 1, hint, (at,), (STOPPED,))


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
        if body.split(None, 1)[0] in FORMAT_KEYS or name in LIST_KEYS:
            return None  # `effort 10`: a key without its ':', not more text; `addresses:` takes a list
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


def _joined(above: str, rest: str, words: bool = False) -> str:
    """The two lines as one, the line break undone: the rest's indentation one space, and
    one space after a comma or the like that ended the line (an editor wraps at a space).
    In a comment (`words`), one space between two words of prose too (`og digitale` and
    `tjenester` at column 1), where a path or a name broken in two (`config.sch`, `ema.json`)
    is joined as it was."""
    spaced = rest[:1] in (" ", "\t") or above[-1:] in (",", ";", ":", "!", "?", ")") or words and \
        (above.split() or [""])[-1].isalpha() and rest[:1].isalpha()
    return above + (" " + rest.lstrip(" \t") if spaced and above[-1:] not in (" ", "\t", "")
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
    fixed = lines_replaced(text, rest_line - 1, rest_line, "\n".join(lines))
    last = rest_line - 2 + len(lines)
    return reads_past(fixed, replayed.parser, last + _FAR)  # to the end, or an error that far on


def comment_wrapped(text: str, begins: Position, at: Position, said: str, replayed: Replay,
                    excerpt: Excerpt) -> Explained | None:
    """`improvements: 50  # implemented in 2026,` and `  from customer feedback` below it:
    a comment an editor wrapped, its rest a line of words with no ':', which YAML reads as
    a key without its ':' (libyaml notices on the next line; the line begins at `begins`).
    Said at the line break, when the rest joined to the comment reads on. A line that
    begins with a key of the format (`title Status`, `scoring:{}`) is more likely a key
    without its ':' or its space; one whose word and the key below it make one of them
    (`scori` and `ng: {}`), a key broken in two."""
    rest = line_text(text, begins[0])
    first = re.match(r"[ \t]*([A-Za-z_][\w-]*)", rest)
    if rest[:begins[1] - 1].strip() or first is None or first.group(1) in FORMAT_KEYS:
        return None  # `{id: s2}` under a comment line: an item that lost its `- `, said elsewhere
    key_broken = _said_at(text, begins[0] + 1, (begins[0] + 1, 0), at, said, replayed, excerpt)
    if key_broken is not None and key_broken.message.startswith("a line break inside the key"):
        return key_broken
    return _said_at(text, begins[0], (0, 0), at, said, replayed, excerpt, comment_only=True)


def item_after_comment(text: str, at: Position, line: str, said: str, replayed: Replay,
                       excerpt: Excerpt) -> Explained | None:
    """`    # Merk: … se styringsgruppens` and `    - vedtak 2026-11-20` below it: a comment
    an editor wrapped where its text had a `- `, its rest read as a list item (under the key
    above, which has a value). When the line right above the `- ` line is a comment line,
    the line break inside the comment is the likelier slip: said there, the join tried.
    Under a key whose value is a list of ids (`addresses: PP-1`, `# …`, `- PP-2`), the item
    is more likely meant: joined to the comment, it would be silently dropped."""
    if not ITEM_DASH.match(line[at[1] - 1:]) or line[:at[1] - 1].strip() or at[0] < 2 \
            or not line_text(text, at[0] - 1).lstrip().startswith("#"):
        return None
    inner = innermost(replayed.stop)
    if inner is not None and inner.is_map and inner.pending_key in LIST_KEYS:
        return None
    return _said_at(text, at[0], at, at, said, replayed, excerpt, comment_only=True)
