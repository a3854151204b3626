"""CXP001 in plain words for the YAML mistakes people make most.

libyaml's messages describe its own state ("mapping values are not allowed in this
context"); a business user editing a portfolio needs to hear what to change. For a tab
used as indentation, a no-break space where YAML needs a space (after a key's ':' or an
item's '-', as indentation), a ':' inside an unquoted value (or, in `{…}` or `[…]`,
right before a `,`: `name: Explore:,`), a key or item indented to the wrong column (or
with a bracket or ':' typed in its indentation), a key without its ':' or without the
space after it (`title:x`, `-id:`, `-mobile`, `- id mortgage`) or with a quote glued to
it (`kpis:"`), a `-` or `?` alone as a value (`effort: -` for "not known"), a value
beginning with a character YAML reserves (`@`, `%`, `*`, …: to be quoted) or with a `,`
(`title: ,Status`: to be deleted), a quote inside a value in those quotes (`'Barnas'
hus'`), text after a value's closing quote (`"Status" tracker`) or after the `]` that
ends it, a bracket typed inside a value in `{…}` or right after a key's ':' there
(`{days:{ 90}`), a `[` opened there that the `}` does not close (`{completion: [0.90}`),
a `{` or `}` typed there that moves where they close (`{period}: 2024`), a `}` with no
`{` open, a list item under a key with a value or without its `-`, a spreadsheet's row
pasted as a line, items or keys written in a row on one line, a line broken in two (a
comment, a key or a value split by a line break: said at the line break), and a quote
left open (reported where it opens, with where the closing quote goes, or, before a
number, that the opening one goes; a `[` or `{` open at the end of the file, likewise,
or before the next `- ` item, where it closes), `explain` turns the parser's error into
a message and a hint that say it, and keeps the parser's own words in parentheses.

Every position is one of the parser's marks, or the start or end mark of an event it
emitted before stopping: the file is parsed a second time up to the error (only when
there is one, and once: replay) to learn which mappings and lists were open, where they
began and ended and under which key. The text is read to quote what the line says (a
key, a value), and for a position only from such a mark: a `,` right after an end mark,
or where a plain value that ran on into the next `- ` item's line (a `}` left out) ends
on the lines before it, since a plain value's text is exactly what its lines hold before
a comment. A key indented with a tab is told how many spaces line it up with the keys of
a mapping open there: each is tried, the line so indented and the file parsed again.

The modules, by kind of slip: quotes, brackets (`[…]` and `{…}`), indentation (and the
spaces YAML needs), keys (a key's ':' and an item's '-'), values (plain values YAML reads
as something else), line_breaks (a line broken in two); replay, common and vocabulary
serve them. This package is imported
only when libyaml has refused a file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from cxportfolio.load.syntax_hints.brackets import (braces_opened_in_braces, braces_opened_in_list,
                                                    bracket_in_flow_value, closer_before_colon, closer_unopened,
                                                    colon_after_bracket,
                                                    colon_in_flow_value, flow_unclosed, key_in_flow,
                                                    list_opened_in_braces, stray_after_flow_key, stray_in_flow,
                                                    text_after_bracket, unclosed_before_item)
from cxportfolio.load.syntax_hints.common import LINE_BREAK, STOPPED, Excerpt, Explained, line_text, position_of
from cxportfolio.load.syntax_hints.indentation import (item_after_text, item_dash_lost, item_under_value,
                                                       left_of_first_key, misindented, odd_space, outdented_key,
                                                       stray_in_indent, tab_indent)
from cxportfolio.load.syntax_hints.line_breaks import broken_line, comment_wrapped, item_after_comment
from cxportfolio.load.syntax_hints.keys import KEYS_IN_A_ROW as _KEYS_IN_A_ROW
from cxportfolio.load.syntax_hints.keys import NEXT_ITEM as _NEXT_ITEM
from cxportfolio.load.syntax_hints.keys import (first_key_without_colon, item_key_glued, key_without_colon,
                                               more_after_document_end)
from cxportfolio.load.syntax_hints.quotes import (document_marker_in_quotes, quote_closed_by_next, quote_inside,
                                                  quote_run_on, quote_unclosed, text_after_quote)
from cxportfolio.load.syntax_hints.replay import Replay
from cxportfolio.load.syntax_hints.values import (colon_before_flow_indicator, colon_in_value, comma_starts_value,
                                                  indicator_alone, reserved_start, space_after_minus)
from cxportfolio.load.syntax_hints.vocabulary import CONFIG_KEYS, FORMAT_KEYS, NUMBER_KEYS, REQUIRED_KEYS

__all__ = ["CONFIG_KEYS", "FORMAT_KEYS", "NUMBER_KEYS", "REQUIRED_KEYS", "Explained", "explain",
           "_KEYS_IN_A_ROW", "_NEXT_ITEM"]  # the last two: the keys tests/test_syntax_hints.py checks


def explain(text: str, err: yaml.MarkedYAMLError, parser: Callable[[str], Any],
            excerpt: Excerpt) -> Explained | None:
    """Plain words for a common mistake, or None to keep the parser's own message."""
    problem, context = (err.problem or "").strip(), (err.context or "").strip()
    mark, began = err.problem_mark, err.context_mark
    if mark is None:
        return None
    at = (mark.line + 1, mark.column + 1)
    line = line_text(text, at[0])
    said = f"{problem}, {context}" if context else problem
    replayed = Replay(text, parser)  # parsed again only if an explanation asks where it stopped
    if line[at[1] - 1:at[1]] == "\t" and ("cannot start any token" in problem or "tab" in problem):
        return tab_indent(text, at, line, said, replayed, excerpt)
    reserved = reserved_start(text, at, began, problem, context, said, replayed, excerpt)
    if reserved is not None:  # `title: @kommunen`, `title: * New portal`
        return reserved
    if problem == "could not find expected ':'" and began is not None and began.line < mark.line:
        # libyaml notices a missing ':' on the next line; the key began at the context mark.
        key_at = position_of(began)
        # `effort:\xa04`: a no-break space after the ':'
        return (odd_space(line_text(text, key_at[0])[began.column:], key_at, said, excerpt, (at,), (STOPPED,))
                or comment_wrapped(text, key_at, at, said, replayed, excerpt)  # `# …, ⏎  from customer feedback`
                or key_without_colon(text, at, key_at, said, replayed, excerpt))
    if problem == "did not find expected <document start>":
        ended = more_after_document_end(text, at, said)
        if ended is not None:
            return ended
    if problem == "found unexpected ':'" and "plain scalar" in context and began is not None:
        return (colon_before_flow_indicator(text, at, began, said, replayed, excerpt)  # `{name: Explore:, …}`
                or stray_after_flow_key(text, at, position_of(began), said, replayed, excerpt))  # `{days:{ 90}`
    if problem == "mapping values are not allowed in this context":
        return (outdented_key(text, at, line, said, replayed, excerpt, True)  # `status: idea` left its item
                or colon_in_value(text, at, line, said, replayed, excerpt)
                or broken_line(text, at, said, replayed, excerpt)  # `orga⏎nization: Nordbank`
                or closer_before_colon(text, at, said, replayed, excerpt)  # `{period}: 2024, value: 69}`
                or colon_after_bracket(text, at, line, said, replayed, excerpt))  # `scoring: {}   :`
    if problem == "found unexpected end of stream" and "quoted scalar" in context and began is not None:
        return quote_unclosed(text, at, position_of(began), said, replayed.stop, excerpt)
    if problem == "found unexpected document indicator" and "quoted scalar" in context and began is not None:
        return document_marker_in_quotes(text, at, position_of(began), said, replayed.stop, excerpt)
    if problem in ("did not find expected key", "did not find expected '-' indicator") and began is not None:
        odd = odd_space(line[at[1] - 1:], at, said, excerpt)
        if odd is not None:  # `-\xa0id: B` where an item was due: a no-break space after the '-'
            return odd
        stop = replayed.stop
        return (quote_run_on(text, at, said, stop, excerpt) or quote_inside(text, at, said, stop, excerpt)
                or text_after_quote(text, at, said, stop, parser, excerpt)
                or item_after_comment(text, at, line, said, replayed, excerpt)  # `# … se⏎ - vedtak 2026-11-20`
                or item_under_value(text, at, line, said, replayed, excerpt)
                or (first_key_without_colon(text, stop.scalar, at, said, excerpt, top=False)
                    if stop is not None and stop.scalar is not None else None)
                or outdented_key(text, at, line, said, replayed, excerpt, False)
                or misindented(line, at, said, stop, excerpt) or text_after_bracket(line, at, said, stop, excerpt)
                or stray_in_indent(text, at, line, said, replayed, excerpt)
                or item_dash_lost(text, at, line, said, replayed, excerpt)  # `       {id: payout}`
                or broken_line(text, at, said, replayed, excerpt))  # `title: Push notification when⏎ a …`
    at_end = not "".join(LINE_BREAK.split(text)[at[0] - 1:]).strip()  # nothing but blank lines from here
    if problem == "did not find expected node content" and at_end:  # `id: [` as the file's last word
        stop = replayed.stop
        return quote_run_on(text, at, said, stop, excerpt) or flow_unclosed(text, at, said, replayed, excerpt)
    if problem in ("did not find expected ',' or ']'", "did not find expected ',' or '}'") and began is not None:
        stop = replayed.stop  # `["PP-1, PP-2]`, a quote later; `{id: x` and no `}`
        return (quote_run_on(text, at, said, stop, excerpt) or quote_inside(text, at, said, stop, excerpt)
                or text_after_quote(text, at, said, stop, parser, excerpt)
                or quote_closed_by_next(text, at, said, stop, excerpt)
                or unclosed_before_item(text, at, said, replayed, excerpt)
                or (flow_unclosed(text, at, said, replayed, excerpt) if at_end
                    else key_in_flow(text, at, said, replayed, excerpt))
                or colon_in_flow_value(text, at, said, stop, excerpt)
                or bracket_in_flow_value(text, at, said, replayed, excerpt)
                or list_opened_in_braces(text, at, said, replayed, excerpt)  # `{completion: [0.90}`
                or braces_opened_in_braces(text, at, said, replayed, excerpt)  # `{id: b, {completion: 0.9}`
                or braces_opened_in_list(text, at, said, replayed, excerpt))  # `addresses: [{PP-1]`
    if problem in ("block sequence entries are not allowed in this context",
                   "mapping keys are not allowed in this context") and line[:at[1] - 1].strip():
        alone = indicator_alone(text, at, line, said, replayed, excerpt)
        if alone is not None:  # `effort: -` for "not known"
            return alone
    if problem == "did not find expected node content" and "flow" in context and not at_end:
        unclosed = unclosed_before_item(text, at, said, replayed, excerpt)
        if unclosed is not None:  # `[PP-1,` and `- id: B` below: a `,` then no item, no `]`
            return unclosed
        if line[:at[1] - 1].strip(" ") in ("[", "{"):  # ` [ - id: DIG-1`: typed in the indentation of an item
            return stray_in_indent(text, (at[0], line.index(line[:at[1] - 1].strip(" ")) + 1), line, said,
                                   replayed, excerpt)
        stray = (stray_in_flow(text, at, said, replayed)  # `{period: 2026-Q2, ,value: 2.3}`
                 or space_after_minus(text, at, line, said, replayed, excerpt))  # `{change: - 150}`
        if stray is not None:
            return stray
    if problem == "did not find expected <document start>":
        stop = replayed.stop
        scalar = stop.scalar if stop is not None else None
        # `kpis:"` above a comment line, then the KPIs: the file is that one value, and no key
        return left_of_first_key(text, at, line, said, stop, excerpt) or (
            item_key_glued(text, scalar, at, said, excerpt, top=True)
            or first_key_without_colon(text, scalar, at, said, excerpt, top=True) if scalar is not None else None) \
            or broken_line(text, at, said, replayed, excerpt)  # `organization⏎: Nordbank`
    if problem == "did not find expected node content" and context == "while parsing a block node" and \
            line[at[1] - 1:at[1]] in ("]", "}"):  # `scoring: }`
        return closer_unopened(line, at, said)
    if problem == "did not find expected node content" and context == "while parsing a block node":
        stray = (stray_in_indent(text, at, line, said, replayed, excerpt)  # `,CXP405: {days: 90}`
                 or comma_starts_value(text, at, line, said, replayed, excerpt))  # `title: ,Customers fear`
        if stray is not None:
            return stray
    if problem == "did not find expected node content" and line[at[1] - 1:at[1]] == "?":
        alone = indicator_alone(text, at, line, said, replayed, excerpt)
        if alone is not None:  # `{kpi: nps, change: ?}`
            return alone
    if problem == "block sequence entries are not allowed in this context" and line[:at[1] - 1].strip():
        return item_after_text(line, at, said, excerpt)
    return None
