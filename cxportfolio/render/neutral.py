"""Output neutrality (SECURITY.md, neutral outputs): what a portfolio says cannot act on what reads it.

A pull request is untrusted input, and its text reaches terminals, CI logs, spreadsheets,
PR comments and XML parsers. Every renderer passes portfolio text (names, titles, ids,
messages, hints, allow reasons, keys, file names) through one of these helpers, chosen by
the channel, so that the rules live in one place:

- `printable` / `one_line` — terminals, CI logs and the text inside XML: control
  characters become visible escapes and a value cannot start a workflow command.
- `md_escape` — Markdown (PR comments, step summaries, reports): additionally no HTML,
  no table breakage, no mentions, issue references or links; `md_code` for a code span,
  `md_path` for a file name.
- `csv_text` — spreadsheets: no formulas, and every line break is inside quotes.
- `dumps_json` / `finite` — JSON: never NaN or Infinity, and nothing a log acts on or hides.

The escapes are for display, not a round trip: a backslash already in the text is left
as it is.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

# ---------------------------------------------------------------------------- text

_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# Shown as escapes wherever portfolio text is printed:
#   C0 controls (ESC starts terminal sequences, CR overwrites a line, BEL rings) and DEL,
#   C1 controls (8-bit CSI U+009B is a terminal sequence too; NEL U+0085 is a line break),
#   U+2028/U+2029 (line and paragraph separators: line breaks to many viewers),
#   bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (they reorder what
#   a reviewer sees: "Trojan Source"), the bidi marks U+200E, U+200F and U+061C (they move
#   neutral characters such as `-`, `:` and digits across a word), and every other invisible
#   format character: U+180E (Mongolian vowel separator), U+200B (zero width space),
#   U+2060–U+2064 (word joiner, invisible operators), U+206A–U+206F (deprecated format
#   characters), U+FEFF (a byte-order mark inside text), U+FFF9–U+FFFB (interlinear annotation:
#   text a viewer may not show), the shorthand and musical format controls U+1BCA0–U+1BCA3 and
#   U+1D173–U+1D17A, and the tag characters U+E0000–U+E007F (a text in tags shows as nothing:
#   "ASCII smuggling"); and the other characters Unicode has viewers show as nothing (default
#   ignorable), though Python counts them printable: the combining grapheme joiner U+034F, the
#   Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 (an "empty" name), the Khmer inherent
#   vowels U+17B4/U+17B5, and the reserved U+2065, U+FFF0–U+FFF8 and U+E0080–U+E0FFF (but the
#   variation selectors among them, below): invisible, they make two texts that read the same differ, hide where a
#   word or an id ends, or carry text no reviewer sees. Left as they are: the zero-width joiner
#   and non-joiner U+200C/U+200D, which emoji and some scripts need, the soft hyphen, the format
#   characters that show as a sign (Arabic number signs U+0600–U+0605, ...), and the tags of the
#   three subdivision flag emoji (England, Scotland, Wales: a whole flag, U+1F3F4 to its cancel
#   tag U+E007F). Then the non-characters U+FFFE/U+FFFF and lone surrogates (neither can be
#   written as UTF-8 or XML 1.0). This is a superset of what XML 1.0 forbids, so text escaped
#   here is always a valid XML text node or attribute value.
# What of these isprintable() lets through (the fast path of `printable` looks for them).
_IGNORABLE_PRINTABLE = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
_INVISIBLE = ("\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2065\u2066-\u206f"
              "\ufeff\ufff0-\ufff8\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
              f"\U000e0000-\U000e007f\U000e0080-\U000e00ff\U000e01f0-\U000e0fff{_IGNORABLE_PRINTABLE}")
# The one use of tag characters a person writes: the black flag, the tags of a region's
# code and the cancel tag, a whole flag (England, Scotland, Wales: the three Unicode
# recommends). Matched first, and kept (_escape); a made-up code's tags are hidden text.
_SUBDIVISION_FLAGS = tuple("\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in code) + "\U000e007f"
                           for code in ("gbeng", "gbsct", "gbwls"))
_SUBDIVISION_FLAG = "|".join(_SUBDIVISION_FLAGS)  # no character of them is special to re
_UNPRINTABLE = f"{_SUBDIVISION_FLAG}|[\x00-\x1f\x7f-\x9f{_INVISIBLE}]"
# Variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) are invisible too, and each can stand
# for a byte no reviewer sees ("emoji smuggling": `H` + U+E0150 reads as `H`). A person writes
# one only after a character that has variants: U+FE0E/U+FE0F (text or emoji presentation)
# after any character but a space (a heart, a keycap's digit), U+FE00–U+FE0D after a symbol or letter
# beyond ASCII (a math sign's variant), U+E0100–U+E01EF after a CJK ideograph (its glyph
# variant), the Mongolian free variation selectors U+180B–U+180D and U+180F after a Mongolian
# letter (its form). Those are kept; any other selector, and every one of a run, is shown as an escape.
_SELECTOR = "[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]"
# What `printable`'s fast path must look for in text that isprintable() passes.
_HIDDEN = f"[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef{_IGNORABLE_PRINTABLE}]"
_SELECTORS = f"(.?)({_SELECTOR}+)"  # a run of them, and the character before it


def _selector_kept(before: str, selector: str) -> bool:
    """Whether `selector`, alone after `before`, is one a person writes (above)."""
    if not before or before.isspace():
        return False
    code = ord(selector)
    if code < 0x1810:  # a Mongolian free variation selector
        return "\u1820" <= before <= "\u18aa"
    if code >= 0xE0100:
        return unicodedata.category(before) == "Lo" and unicodedata.east_asian_width(before) == "W"
    return code >= 0xFE0E or not before.isascii()


# Workflow commands a CI runner acts on when they appear in a log line:
#   GitHub Actions: a line starting with `::` after leading white space (`::error ...::`,
#   `::stop-commands::`, `::add-mask::`), and the legacy `##[command]` anywhere in a line;
#   Azure Pipelines: `##vso[...]` (and its `##[...]` formatting) anywhere in a line;
#   TeamCity: service messages `##teamcity[...]` (`setParameter` sets what later steps read).
# The rule chosen: a backslash goes in front of the command's opening, which keeps the
# value readable and leaves nothing for the runner to match: `\::stop-commands::x`,
# `##vso\[task.setvariable ...]`, `##\[error]`, `##teamcity\[setParameter ...]`.
_LEADING_COMMAND = r"^([\s\u180e\u200b\ufeff]*)::"
_ANYWHERE_COMMAND = re.compile(r"(##(?:vso|teamcity)?)\[", re.IGNORECASE)
# The runner reads lines ending at CR, LF or CR LF: what follows one inside a (quoted CSV)
# value starts a line of its own.
_COMMAND_AFTER_BREAK = re.compile(r"(?<=[\r\n])([\s\u180e\u200b\ufeff]*)::")

# Runs of ordinary white space fold to one space where a value must stay on its line (a
# multi-line description quoted in a message). Tabs and line feeds are what a person writes;
# CR, vertical tab, form feed, the separators and other controls are not, so they are not
# folded away but shown by `printable`.
_FOLDABLE = "[ \t\n\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+"
# _UNPRINTABLE, _LEADING_COMMAND and _FOLDABLE serve only the slow paths of `printable`
# and `one_line` (a value with a control character, `::` or runs of spaces): compiled on
# first use (re's cache), not at every start. The patterns `csv_cell` applies to every
# cell are compiled here, once.


# A byte of a file or folder name that is not UTF-8 reaches Python as a lone surrogate
# U+DC80–U+DCFF (surrogateescape), and findings keep it so (SARIF writes the byte, `%E6`):
# shown as the byte it stands for, `\xe6` (as load.portfolio_files.display_path), not `\udce6`.
_NAME_BYTES = range(0xDC80, 0xDD00)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if len(char) > 1:  # a subdivision flag
        return char
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if code in _NAME_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quoted(text: str) -> str:
    """A value as a message quotes it: in quotes as `repr` writes it, so that the quote shows
    exactly what was written (a backslash doubled, every character Python calls unprintable
    an escape: a zero-width joiner in a key, `'ti\\u200dtle'`, is why the key is unknown),
    and so readable wherever the message goes; but a subdivision flag whole, as `printable`
    keeps it, not its tags' escapes: in that sequence they are the flag, not hidden text."""
    said = repr(text)
    if "\U0001f3f4" not in text:
        return said
    for flag in _SUBDIVISION_FLAGS:  # repr keeps the black flag and escapes each tag
        said = said.replace(flag[0] + "".join(f"\\U{ord(tag):08x}" for tag in flag[1:]), flag)
    return said


def path_text(path: str) -> str:
    """A path as text any output can hold (JSON, XML: UTF-8 only), otherwise as it is: the
    bytes of a name that is not UTF-8 as `\\xNN`, as `printable` shows them."""
    return path if path.isascii() else re.sub("[\ud800-\udfff]", _escape, path)


def _shown_selectors(text: str) -> str:
    if text.isascii():
        return text

    def shown(found: re.Match[str]) -> str:
        before, selectors = found.groups()
        if len(selectors) == 1 and _selector_kept(before, selectors):
            return found.group()
        return before + "".join(map(_escape, re.finditer(".", selectors)))

    return re.sub(_SELECTORS, shown, text, flags=re.DOTALL)


def printable(text: str) -> str:
    """One value as safe text for a terminal or a CI log, on one line.

    Control, separator and bidi characters become visible escapes (`\\x1b`, `\\r`, `\\u202e`),
    and a workflow-command opening gets a backslash (`\\::error`, `##vso\\[`). Apply it to the
    value before any styling (click.style) that the renderer adds itself.
    """
    if not isinstance(text, str):
        text = str(text)
    # Fast path for the usual value (a check of 100,000 findings prints 300,000 of them):
    # isprintable() is False for every character _UNPRINTABLE matches but _IGNORABLE_PRINTABLE.
    if (text.isprintable() and "::" not in text and "##" not in text
            and (text.isascii() or not re.search(_HIDDEN, text))):
        return text
    text = _shown_selectors(re.sub(_UNPRINTABLE, _escape, text))
    text = _ANYWHERE_COMMAND.sub(r"\1\\[", text)
    return re.sub(_LEADING_COMMAND, r"\1\\::", text, count=1)


def one_line(text: str) -> str:
    """`printable` after folding runs of ordinary white space (tabs, line feeds) to one space."""
    if not isinstance(text, str):
        text = str(text)
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = re.sub(_FOLDABLE, " ", text).strip(" ")
    return printable(text)


# ------------------------------------------------------------------------ markdown

# What GitHub turns into a notification, a cross-reference or a link. Each is put in a code
# span, where GitHub neither links nor mentions and Markdown escapes do not apply; none of
# these patterns can contain a backtick, a pipe or white space, so the span stays closed and
# the table cell intact. Compiled on first use (re's cache): a check that prints no
# Markdown does not pay for it at every start.
_LINKABLE = (
    r"[A-Za-z][A-Za-z0-9+.-]*://[^\s`|<>\"']*"  # URLs with a scheme (https://, ftp://, ...)
    r"|www\.[^\s`|<>\"']*"  # www. autolinks
    r"|[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # e-mail autolinks
    r"|@[A-Za-z0-9][A-Za-z0-9_-]*(?:/[A-Za-z0-9_.-]+)?"  # @user, @org/team
    r"|(?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#[0-9]+"  # #123, owner/repo#123
    r"|\bGH-[0-9]+"  # GH-123
    # A commit: 7 to 40 hex digits standing alone (`a5c3785`, a 40-digit id) link to it, and
    # a pull request can push the commit it names to a fork (its short id chosen by trial),
    # which GitHub shows as the repository's. Letters and digits only count as a word's
    # ends here (`DIG-a5c3785` too); but a decimal number is a number (`750000000.0`, an
    # impact: GitHub links no hex after a `.` either, as in `2.10.aba315b`).
    r"|(?<![0-9A-Za-z.])[0-9a-f]{7,40}(?![0-9A-Za-z]|\.[0-9])"
)
# What the fast path of `md_escape` looks for first: where a commit id could be.
_HEX_RUN = "[0-9a-fA-F]{7}"

# `~` is strikethrough to GitHub, as `*` and `_` are emphasis: a value ending in `~~` and the
# next on the line starting with it would strike out the text between.
_MD_SPECIAL = "\\|*_`[]~"


def shell_argument(path: object) -> str:
    """A path (or a ref, a str) as a message quotes it in a command line: one argument to
    a shell, and a path beginning with `-` never an option (`./-p`)."""
    import shlex
    from pathlib import PurePath

    text = str(path)
    return shlex.quote(one_line(f"./{text}" if isinstance(path, PurePath) and text.startswith("-") else text))


def _md_plain(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # `$` opens math to GitHub (`$\Huge\color{green}\text{passed}$` draws what it says, large);
    # a backslash does not stop it everywhere, a character reference is never a delimiter.
    text = text.replace("$", "&#36;")
    for char in _MD_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def md_escape(cell: str) -> str:
    """GitHub-flavoured Markdown text or table cell from portfolio text.

    No HTML, no table breakage, no emphasis, strikethrough or math; control characters as in
    `one_line`; `@mentions`, `#123`/`GH-123` references, commit ids (7 to 40 hex digits, an id
    such as `a5c3785` or a long number too), URLs, `www.` and e-mail addresses go in code
    spans, so the text notifies nobody, links to nothing and reads the same.
    """
    text = one_line(cell)
    lowered = text.lower()
    if ("@" not in text and "#" not in text and "://" not in text and "www." not in lowered
            and "gh-" not in lowered and not re.search(_HEX_RUN, text)):
        return _md_plain(text)  # nothing GitHub would link (the fast path of a large summary)
    parts: list[str] = []
    position = 0
    for match in re.finditer(_LINKABLE, text, re.IGNORECASE):
        parts += [_md_plain(text[position:match.start()]), f"`{match.group()}`"]
        position = match.end()
    parts.append(_md_plain(text[position:]))
    return "".join(parts)


def md_path(path: str) -> str:
    """A file name as Markdown text: its line breaks and tabs shown as escapes (`a\\nb.yaml`),
    as `printable` shows them, not folded to a space as in a title: `a b.yaml` is another file."""
    return md_escape(printable(path))


def md_code(text: str) -> str:
    """Portfolio text (an id, a command to copy) as a Markdown code span, outside a table:
    shown as written, since no escape applies inside one (`md_escape` would show `DIG\\_014`),
    and neither links nor mentions do; control characters as in `one_line`. The fence is
    longer than any run of backticks in the text, so the text cannot close it."""
    text = one_line(text) or " "
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""  # a fence then stays a fence
    return f"{fence}{pad}{text}{pad}{fence}"


# ----------------------------------------------------------------------------- csv


class Num(str):
    """A cell the renderer formatted from a number: written as it is (`-3.5` stays a number)."""


# OWASP CSV injection: a spreadsheet evaluates a cell starting with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A comma, quote or line break breaks the row; a tab or a semicolon is a separator too to
# the readers this tool's audience uses: tab-delimited import and pasting into a sheet split
# at tabs, and Excel under Nordic (and most European) locales lists with `;`. Such a field is
# quoted, for a reader that honours the quotes.
_NEEDS_QUOTES = re.compile('[,;"\t\r\n]')
# A reader splitting at `;` or a tab honours quotes only at the start of what it takes for a
# field, and a row of this file starts with its first field (`1,I-7,"a;=cmd|..."`): for it, a
# cell starts after every `;`, tab and line break inside a value. A formula start there gets
# the `'` a value's start gets (`a;'=cmd|...`).
_FORMULA_INSIDE = re.compile("(?<=[;\t\r\n])(?=[=+@-])")


def csv_cell(value: Any) -> str:
    """One CSV field. Numbers (int, float, `Num`) as they are; text starting like a formula
    gets a leading `'`, and so does a formula start right after a `;`, tab, CR or LF inside it
    (where a reader splitting at `;` or tabs, or one line at a time, starts a cell); a field
    with a comma, semicolon, quote, tab, CR or LF is quoted. Python's csv module
    leaves a bare CR unquoted unless the line terminator holds one, and a reader splits the
    row there, so the quoting is done here.

    CSV is data, so text keeps its line breaks and tabs (inside quotes); every other
    control, separator or bidi character is written as `printable` writes it (`\\x1b`,
    `\\x00`: CSV is also printed to terminals and CI logs, where ESC starts a sequence and
    OSC 8 a live link, and CSV readers refuse a NUL); and a workflow command after a line
    break inside a quoted field, or `##vso[` / `##teamcity[` anywhere, gets the backslash `printable` gives it."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float, Num)):
        return str(value)
    text = "" if value is None else _shown_selectors(re.sub(_UNPRINTABLE_IN_CSV, _escape, str(value)))
    text = _COMMAND_AFTER_BREAK.sub(r"\1\\::", _ANYWHERE_COMMAND.sub(r"\1\\[", text))
    if text.startswith(_FORMULA_START):
        text = "'" + text
    if _NEEDS_QUOTES.search(text):
        text = _FORMULA_INSIDE.sub("'", text)
        text = '"' + text.replace('"', '""') + '"'
    return text


# What CSV keeps as it is: TAB, LF and CR are data inside a quoted field (compiled on
# first use, as _LINKABLE).
_UNPRINTABLE_IN_CSV = f"{_SUBDIVISION_FLAG}|[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_INVISIBLE}]"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """RFC 4180 fields with LF line ends, as csv.writer(lineterminator="\\n") writes them,
    with the two differences of `csv_cell`."""
    lines = [",".join(csv_cell(c) for c in row) for row in [header, *rows]]
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------------------- json


def finite(document: Any) -> Any:
    """The document with every NaN, Infinity and -Infinity as null: JSON has no such numbers,
    and a strict parser refuses Python's spelling of them. (orjson, which writes the check,
    SARIF and GitLab reports, already writes them as null.)"""
    if isinstance(document, float):
        return document if math.isfinite(document) else None
    if isinstance(document, dict):
        return {key: finite(value) for key, value in document.items()}
    if isinstance(document, (list, tuple)):
        return [finite(value) for value in document]
    return document


# JSON is printed to terminals and CI logs too (`rank --format json` in a pipeline's step):
# what `printable` shows as an escape is written as a JSON escape (`\u009b`, `\u202e`), and
# the `[` of a workflow command as `\u005b` (`##vso\u005btask.setvariable ...]`). Outside
# its strings a JSON document is ASCII and holds no `##`, so these can only be in a string,
# which parses to the same value: the data is kept as written, and the log line is inert.
# (json escapes C0 controls itself; GitHub's `::` cannot start a line of an indented document.)
_JSON_UNSAFE = f"[\x7f-\x9f{_INVISIBLE}]|(?:(?<=##)|(?i:(?<=##vso)|(?<=##teamcity)))\\["


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # as a surrogate pair, the one way JSON escapes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_inert(text: str) -> bool:
    """Whether `inert_json` leaves the text as it is, asked cheaply: ASCII (DEL is ASCII,
    and an escape as every other control) with no `##`."""
    return text.isascii() and "##" not in text and "\x7f" not in text


def inert_json(text: str) -> str:
    """JSON text with the characters a terminal or CI log would act on or hide written as
    JSON escapes (above): it parses to the same values."""
    if json_inert(text):
        return text
    return re.sub(_JSON_UNSAFE, _json_escape, text)


def dumps_json(document: Any) -> str:
    """A JSON output document: indented by two, UTF-8 text, finite numbers only; characters
    a terminal or CI log would act on or hide written as JSON escapes (`inert_json`)."""
    return inert_json(json.dumps(finite(document), ensure_ascii=False, indent=2, allow_nan=False) + "\n")
