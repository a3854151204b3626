"""CXP001 in plain words: the YAML mistakes people make most are said as what to change.

Each case is a unit file with one mistake, checked end to end: the finding must be where
libyaml's own marks put it (the problem mark; for a missing ':' the context mark, where
the key began) and its hint must say what to do. The parser's words stay in the message.
"""

from __future__ import annotations

import json
import re

import pytest
from pydantic import BaseModel
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from cxportfolio.cli import cli
from cxportfolio.load.yaml_reader import parse_text
from conftest import check, copy_of_example, write_portfolio

HEAD = "unit: digital\ninitiatives:\n"


def syntax_finding(tmp_path, body: str):
    root = write_portfolio(tmp_path / "p", {"units/digital.yaml": HEAD + body})
    found = [f for f in check(root).result.findings if f.code == "CXP001"]
    assert len(found) == 1, found
    finding = found[0]
    return (f"{finding.location.file}:{finding.location.line}:{finding.location.column}",
            finding.message, finding.hint, [(r.line, r.column) for r in finding.related])


def libyaml_marks(text: str) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The problem and context marks libyaml itself reports, 1-based."""
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    problem, context = raised.value.problem_mark, raised.value.context_mark
    return ((problem.line + 1, problem.column + 1),
            (context.line + 1, context.column + 1) if context else None)


def test_tab_indentation_says_use_spaces_at_the_tab(tmp_path) -> None:
    body = "  - id: DIG-1\n    title: Status tracker\n\teffort: 3\n"
    where, message, hint, _ = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:5:1"
    assert message.startswith("a tab cannot indent YAML: use spaces (")
    assert hint == "replace the tab with 4 spaces, to line up with `title:` on line 4"


def test_tab_that_cannot_start_a_token_is_named_too(tmp_path) -> None:
    text = "units:\n\t- {id: a, name: A}\n"
    assert libyaml_marks(text)[0] == (2, 1)
    problem = parse_text(text).problems[0]
    assert "found character that cannot start any token" in problem.message
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message.startswith("a tab cannot indent YAML: use spaces")


@pytest.mark.parametrize(("text", "hint"), [
    ("unit: d\ninitiatives:\n  - id: CS-1\n    effects:\n      - {kpi: k, change: 5}\n\teffort: 6\n"
     "    status: idea\n", "replace the tab with 4 spaces, to line up with `effects:` on line 4"),
    ("unit: d\ninitiatives:\n  - id: A\n\ttitle: T\n\tstatus: idea\n",
     "replace the tab with 4 spaces, to line up with `id:` on line 3"),
    ("unit: d\ninitiatives:\n  - id: A\n  \t  title: T\n    status: idea\n",
     "replace the indentation with 4 spaces, to line up with `id:` on line 3"),
    ("unit: d\n\tinitiatives:\n  - id: A\n", "remove the tab, to line up with `unit:` on line 1"),
    ("organization: O\ntarget:\n  improvements: 5\n\tfoo: 1\nrules: {}\n",
     "replace the tab with 2 spaces, to line up with `improvements:` on line 3"),
    # the end of a nested mapping: in it, or in the one around it; the innermost first
    ("kpis:\n  - id: k\n    baseline:\n      period: 2025\n\tvalue: 40\n    name: K\n",
     "replace the tab with 6 spaces, to line up with `period:` on line 4 (or with 4 spaces, to line up with "
     "`baseline:` on line 3)"),
    ("kpis:\n  - id: k\n    baseline:\n\tperiod: 2025\n    name: K\n",
     "replace the tab with 6 spaces, to indent it under `baseline:` on line 3 (or with 4 spaces, to line up "
     "with `baseline:` on line 3)"),
    # a list item: in line with the items of an open list like it (not those of `realized`)
    ("unit: d\ninitiatives:\n  - id: A\n    realized:\n      - {kpi: k, change: 1}\n\t- id: B\n    title: T\n",
     "replace the tab with 2 spaces, to line up with the other items of `initiatives`"),
    # no list open: no count to give
    ("units:\n\t- {id: a, name: A}\n", "replace the tab with spaces (editors can insert spaces for the Tab key)"),
])
def test_a_tab_hint_says_how_many_spaces(text: str, hint: str) -> None:
    """Found by a newcomer: "replace the tab with spaces" said not how many, and 8 spaces
    (a tab's width) made a second, vaguer CXP001. The hint gives the spaces that line the
    key up with a key above in its mapping; followed, the file parses."""
    problem = parse_text(text).problems[0]
    assert problem.message.startswith("a tab cannot indent YAML: use spaces (")
    assert problem.hint == hint
    if "spaces, " not in hint and not hint.startswith("remove"):
        return
    problems = [problem]
    while problems and problems[0].message.startswith("a tab cannot"):  # each tab in turn, as said
        count = re.match(r"replace the (?:tabs?|indentation) with (\d+) spaces|remove the tab", problems[0].hint)
        assert count is not None, problems[0].hint
        lines = text.split("\n")
        lines[problems[0].line - 1] = " " * int(count[1] or 0) + lines[problems[0].line - 1].lstrip(" \t")
        text = "\n".join(lines)
        problems = parse_text(text).problems
    assert problems == []


def test_unquoted_colon_in_a_value_gets_a_quoted_example(tmp_path) -> None:
    body = "  - id: DIG-1\n    title: Mortgage: status tracker  # from the workshop\n    effort: 3\n"
    where, message, hint, _ = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:4:20"  # the second ':', libyaml's problem mark
    assert "the value of `title` holds ': '" in message
    assert "mapping values are not allowed in this context" in message
    assert hint == 'quote the value, e.g. `title: "Mortgage: status tracker"`'


def test_quoted_example_is_short_and_neutral() -> None:
    # A pull request's text: a bidi override (it reorders what a reviewer sees) and a
    # workflow command; YAML itself refuses ESC and the other C0 controls.
    hostile = "\u202e::error::pwned " + "x" * 200
    problem = parse_text(f"title: Mortgage: {hostile}\n").problems[0]
    example = problem.hint.split("`")[1]
    assert len(example) <= 60 and example.endswith('…"')
    assert example.startswith('title: "Mortgage: \\u202e::error::pwned x')
    assert "\u202e" not in problem.hint


@pytest.mark.parametrize("value", ["@kommunen", "`SFO` portal", "% of it", "'a' b", "Mortgage: tracker", '"a"x"'],
                         ids=["at", "backtick", "percent", "after-quote", "colon", "quote-inside"])
def test_quoted_example_cuts_a_long_key_too(value: str) -> None:
    """Found by a trust-boundary hunter: the example cut the value but wrote the key whole,
    and a key may have a thousand characters (any number where it breaks the file): a pull
    request's text in the hint, whole. The key is cut as the value is."""
    key = "k" * 1000
    [problem] = parse_text(f"{key}: {value}\n").problems
    assert len(problem.hint) < 200 and "k" * 61 not in problem.hint, problem.hint


def test_quoted_example_keeps_double_quotes_in_the_value() -> None:
    problem = parse_text('title: He said "no": ok\n').problems[0]
    assert problem.hint == "quote the value, e.g. `title: 'He said \"no\": ok'`"


def test_key_indented_too_little_names_the_column_of_its_siblings(tmp_path) -> None:
    body = ("  - id: DIG-1\n    title: Status tracker\n    effort: 3\n"
            "  - id: DIG-2\n    title: Chat\n   status: done\n")
    where, message, hint, related = syntax_finding(tmp_path, body)
    text = HEAD + body
    problem_mark, context_mark = libyaml_marks(text)
    assert where == "units/digital.yaml:8:4" and problem_mark == (8, 4)
    assert context_mark == (3, 3)  # the list of initiatives: its items are at column 3
    assert "the key `status:` at column 4 is not in line" in message
    assert hint == ("indent `status:` to column 5 like the other keys of this initiative "
                    "(it starts at line 6)")
    assert related == [(6, 5)]


def test_key_after_a_flow_mapping_on_its_line_is_told_to_start_a_line(tmp_path) -> None:
    # Found by tests/test_memo.py's random edits: the explanation itself crashed here.
    body = ("  - id: DIG-1\n    title: Price page tests\n    effects:\n"
            "      - {kpi: conversion, change: 0.5}  effort: 2\n    status: done\n")
    where, message, hint, _ = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:6:41" and libyaml_marks(HEAD + body)[0] == (6, 41)
    assert message.startswith("the key `effort:` follows other text on its line (")
    assert hint == "start `effort:` on a line of its own, in line with the keys of the mapping it belongs to"


def test_key_indented_too_far_names_the_column_of_its_siblings(tmp_path) -> None:
    body = "  - id: DIG-1\n    title: Status tracker\n     effort: 3\n"
    where, message, hint, related = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:5:12"  # libyaml stops at the ':' of `effort:`
    assert "more of the value of `title`" in message
    assert hint == "indent `effort:` to column 5 like the other keys of this initiative (it starts at line 3)"
    assert related == [(3, 5)]


def test_key_between_two_mappings_is_offered_both() -> None:
    text = "initiatives:\n  - id: A\n    owner:\n      name: x\n     team: y\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (5, 6)
    assert problem.hint == ("indent `team:` to column 7 like the other keys of `owner` (it starts at line 4), "
                            "or to column 5 like the other keys of this initiative (it starts at line 2)")
    assert problem.related == ((4, 7), (2, 5))


def test_list_item_out_of_line_names_the_items_column(tmp_path) -> None:
    body = "  - id: DIG-1\n    title: Status tracker\n - id: DIG-2\n"
    where, message, hint, _ = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:5:2"
    assert "the list item `- id: DIG-2` at column 2" in message
    assert hint == "indent `- id: DIG-2` to column 3 like the other items of `initiatives` (it starts at line 3)"


def test_a_list_item_in_line_with_the_top_level_keys_may_have_lost_its_key() -> None:
    """Found by a newcomer: `initiatives:` deleted above items written at column 1."""
    text = "units:\n  - {id: it, name: IT}\n\n- id: IT-1\n  title: Upgrade\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (4, 1)
    assert problem.hint == ("if it starts a list of its own, write the list's key (`initiatives:`, …) on the line "
                            "before it; else indent `- id: IT-1` to column 3 like the other items of `units` "
                            "(it starts at line 2)")
    # with no list above it (found by a newcomer: the generic "check indentation and quotes")
    text = "unit: it\n- id: IT-1\n  title: Upgrade\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (2, 1)
    assert problem.message.startswith("the list item `- id: IT-1` at column 1 is in line with the top-level keys")
    assert problem.hint == "if it starts a list of its own, write the list's key (`initiatives:`, …) on the line before it"


def test_a_list_item_in_the_config_is_not_offered_a_list_key() -> None:
    """Found in review: cxportfolio.yaml has no top-level lists, so `initiatives:` is no fix there."""
    text = "organization: Nordbank\nyear: 2026\n- CXP405\nrules: {}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (3, 1)
    assert "initiatives:" not in problem.hint and "list's key" not in problem.hint
    # what it says instead (found by a newcomer: the generic "fix the YAML syntax between …")
    assert problem.message.startswith("the list item `- CXP405` at column 1 is in line with the top-level keys "
                                      "of cxportfolio.yaml, which has no lists")
    assert problem.hint == ("write it as a setting under one of its keys (organization, rules, scoring, target, "
                            "year; a rule's severity goes under `rules:`, e.g. `CXP402: warning`), or delete the line")
    from cxportfolio.load.syntax_hints import CONFIG_KEYS
    from cxportfolio.model.config import Config

    assert CONFIG_KEYS == set(Config.model_fields)


@pytest.mark.parametrize("text, line, first", [
    ("- organization: Nordbank\nyear: 2026\n", 2, 1),
    ("# settings\n- organization: Nordbank\n  target:\n    improvements: 5\nyear: 2026\n", 5, 2),
])
def test_a_config_written_as_a_list_item_is_told_to_drop_the_dash(text: str, line: int, first: int) -> None:
    """Found by a newcomer: a cxportfolio.yaml begun with `- organization: …` was told to
    indent the next setting under the list item, which makes every setting an item's."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (line, 1)
    assert problem.message.startswith("the key `year:` at column 1 is in line with a list item, but "
                                      "cxportfolio.yaml holds settings, not a list")
    assert problem.hint == f"delete the `- ` at line {first}, so that every setting starts at column 1"
    assert problem.related == ((first, 1),)
    # a unit file written so keeps the general advice: not called cxportfolio.yaml
    other = parse_text("- id: IT-1\n  title: Upgrade\nunit: it\n").problems[0]
    assert "cxportfolio.yaml" not in other.message


@pytest.mark.parametrize("text", [
    "# comment\nunti: cards\n- id: CRD-902\n  title: Something new\n",  # a misspelled key above
    "x-owner: someone\n- id: CRD-904\n  title: Something\n",  # only an extension key above
    "unit: cards\ntarget: 50\n- id: CRD-905\n  title: Something\n",  # a config key in a unit file (review)
])
def test_a_list_item_in_a_portfolio_file_is_offered_a_list_key_whatever_keys_are_above(text: str) -> None:
    """Found in review: the offer came only after a portfolio key had been read."""
    problem = parse_text(text).problems[0]
    assert problem.hint == "if it starts a list of its own, write the list's key (`initiatives:`, …) on the line before it"


def test_a_list_item_out_of_line_inside_an_item_is_not_offered_a_list_key() -> None:
    """Found in review: the offer of `initiatives:` came for an item of `tags:` too."""
    text = "initiatives:\n  - id: A-1\n    title: Real one\n    tags:\n      - one\n    - two\n"
    assert parse_text(text).problems[0].hint == (
        "indent `- two` to column 7 like the other items of `tags` (it starts at line 5)")


def test_a_list_item_between_two_lists_goes_with_the_items_like_it() -> None:
    """Found in review: `- id: DIG-010` at column 5, after DIG-009's `realized` list, was
    told to go to column 7, which makes the initiative an item of DIG-009's `realized`."""
    text = ("unit: d\ninitiatives:\n  - id: A\n    realized:\n      - {kpi: k, change: 1}\n"
            "    - id: B\n    title: T\n")
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (6, 5)
    assert problem.hint == "indent `- id: B` to column 3 like the other items of `initiatives` (it starts at line 3)"
    assert problem.related == ((3, 3),)
    # followed, the file parses (the title then belongs to B, as written)
    assert parse_text(text.replace("    - id: B", "  - id: B")).problems == []
    # items like those of both lists: both are named, the nearer first
    text = "initiatives:\n  - id: A\n    steps:\n      - id: s1\n    - id: B\n"
    problem = parse_text(text).problems[0]
    assert problem.hint == ("indent `- id: B` to column 7 like the other items of `steps` (it starts at line 4), "
                            "or to column 3 like the other items of `initiatives` (it starts at line 2)")
    assert problem.related == ((4, 7), (2, 3))


def test_missing_colon_is_reported_where_the_key_began(tmp_path) -> None:
    body = "  - id: DIG-1\n    title Mortgage status tracker\n    effort: 3\n"
    where, message, hint, related = syntax_finding(tmp_path, body)
    problem_mark, context_mark = libyaml_marks(HEAD + body)
    assert problem_mark == (5, 5) and context_mark == (4, 5)  # libyaml notices it a line later
    assert where == "units/digital.yaml:4:5"
    assert "could not find expected ':'" in message
    assert hint == "add ':' after the key (`title: Mortgage status tracker`)"
    assert related == [(5, 5)]


def test_other_syntax_errors_keep_the_parsers_words() -> None:
    problem = parse_text("a: [1, 2 }\n").problems[0]
    assert problem.message == "did not find expected ',' or ']' (while parsing a flow sequence)"
    assert (problem.line, problem.column) == (1, 10) and problem.related == ((1, 4),)


VALID = ("unit: digital\ninitiatives:\n  - id: DIG-1\n    title: Status tracker\n    owner:\n      name: Kari\n"
         "    tags: [a, b]\n  - id: DIG-2\n    title: 'Chat: pilot'\n    effort: 3\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.sampled_from(["\t", ": ", " ", "", "- ", ":", '"', "\n "]),
                          st.integers(0, 2)), min_size=1, max_size=3))
def test_any_broken_edit_gets_one_located_problem(edits: list[tuple[int, str, int]]) -> None:
    """Typing mistakes anywhere: one CXP001 (or none), inside the file, never an exception."""
    text = VALID
    for offset, inserted, deleted in edits:
        text = text[:offset] + inserted + text[offset + deleted:]
    parsed = parse_text(text)
    if parsed.usable:
        return
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    lines = re.split(r"\r\n|\r|\n", text)
    for line, column in [(problem.line, problem.column), *problem.related]:
        assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


def test_a_quote_left_open_before_a_later_quote_is_reported_where_it_opens(tmp_path) -> None:
    """Found by a newcomer: `title: "Status tracker` with a quoted value further down ran
    on to that value's quote, and the finding pointed there, eleven lines below the
    mistake, with a generic hint. libyaml's marks still place it: the quoted scalar's own
    start (reported) and the problem mark (related)."""
    body = ('  - id: DIG-1\n    title: "Status tracker\n    addresses: [PP-1]\n    effort: 3\n'
            '    allow:\n      - {rule: CXP201, reason: "Joint delivery"}\n')
    text = HEAD + body
    problem_mark, _ = libyaml_marks(text)
    where, message, hint, related = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:4:12"  # the opening quote of the title
    assert message.startswith("the quoted value of `title` runs on from here to line 8: its closing quote is missing")
    assert hint == 'add the closing " at the end of the value on this line'
    assert related == [problem_mark]


CLOSE_ON_THIS_LINE = "add the closing {} at the end of the value on this line"
CLOSE_THE_ITEM = "add the closing {} where the item ends, before the next , or {}"


@pytest.mark.parametrize(("body", "where", "what", "hint"), [
    ('  - id: DIG-1\n    title: "Status tracker\n    effort: 3\n', "4:12", "the quoted value of `title`",
     CLOSE_ON_THIS_LINE.format('"')),
    ("  - id: DIG-1\n    title: 'Status tracker\n", "4:12", "the quoted value of `title`",
     CLOSE_ON_THIS_LINE.format("'")),
    ('  - id: DIG-1\n    addresses:\n      - "PP-1\n', "5:9", "a quoted item of `addresses`",
     CLOSE_ON_THIS_LINE.format('"')),
    ('  - id: DIG-1\n    "title: Status', "4:5", "a quoted value", CLOSE_ON_THIS_LINE.format('"')),
    # found in review: inside [...] or {...} the quote closes the item, not the line
    ('  - id: DIG-1\n    addresses: ["PP-1, PP-2]\n', "4:17", "a quoted item of `addresses`",
     CLOSE_THE_ITEM.format('"', "]")),
    ('  - id: DIG-1\n    decided: {by: "Board, on: 2026-03-01}\n', "4:19", "the quoted value of `by`",
     CLOSE_THE_ITEM.format('"', "}")),
    # libyaml holds back a `{` after `- ` until it knows it is no key: its events stop
    # before the mapping, which is not to be taken for an item of `effects`
    ('  - id: DIG-1\n    effects:\n      - {kpi: nps, change: 1, note: "x}\n', "5:37", "a quoted value",
     CLOSE_THE_ITEM.format('"', "}")),
    ('  - id: DIG-1\n    effects:\n      - {"kpi: nps, change: 1}\n', "5:10", "a quoted value",
     CLOSE_THE_ITEM.format('"', "}")),
    # a value written over lines on purpose: the quote goes where it ends
    ('  - id: DIG-1\n    description: "Customers say the app crashes\n      when they log in.\n', "4:18",
     "the quoted value of `description`", 'add the closing " where the value ends (it runs over the lines after '
     'this one)'),
    # the line seems to end with its closing quote, which is an escaped one
    ('  - id: DIG-1\n    link: "C:\\\\Reports\\"\n', "4:11", "the quoted value of `link`",
     'inside double quotes \\" is a quote character, not the end of the value: write \\\\ for a backslash at '
     'the end (or put the value in single quotes), or add the closing "'),
    ("  - id: DIG-1\n    title: 'Customers''\n", "4:12", "the quoted value of `title`",
     "inside single quotes '' is one apostrophe, not the end of the value: add the closing ' after it"),
])
def test_a_quote_left_open_to_the_end_of_the_file_is_reported_where_it_opens(
        tmp_path, body: str, where: str, what: str, hint: str) -> None:
    """libyaml notices a quote never closed at the end of the file: the finding goes to
    the quote (the context mark), the end of the file is related, as for a value that
    runs on to a later quote."""
    problem_mark, context_mark = libyaml_marks(HEAD + body)
    found, message, said, related = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}" == "units/digital.yaml:{}:{}".format(*context_mark)
    assert message == (f"{what} runs on from here to the end of the file: its closing quote is missing "
                       "(found unexpected end of stream, while scanning a quoted scalar)")
    assert said == hint
    assert related == [problem_mark]


def test_a_quote_that_runs_on_to_a_later_one_after_an_escaped_quote_says_so(tmp_path) -> None:
    body = '  - id: DIG-1\n    title: "Say \\"hi\\"\n    effort: 3\n    x-note: "later"\n'
    found, message, hint, _ = syntax_finding(tmp_path, body)
    assert found == "units/digital.yaml:4:12" and "runs on from here to line 6" in message
    assert hint.startswith('inside double quotes \\" is a quote character, not the end of the value')


def test_a_document_marker_inside_a_quoted_value_offers_both_fixes_where_it_is(tmp_path) -> None:
    """Found in review: `...` at the start of a line ends the document inside a value
    written over lines, closed further down: no closing quote is missing there."""
    body = '  - id: DIG-1\n    description: "Steps:\n...\n      then more"\n    effort: 3\n'
    problem_mark, context_mark = libyaml_marks(HEAD + body)
    found, message, hint, related = syntax_finding(tmp_path, body)
    assert found == "units/digital.yaml:{}:{}".format(*problem_mark) == "units/digital.yaml:5:1"
    assert message.startswith("`...` at the start of a line ends a YAML document, but it is inside the quoted "
                              "value of `description`, which begins at line 4")
    assert "closing quote is missing" not in message
    assert hint == ("if the line belongs to the value, indent it; if not, close the value's quote before line 5 "
                    "(a portfolio file holds one document)")
    assert related == [context_mark]


@pytest.mark.parametrize("value", ['"C:\\new\\qa"', '"caf\\u00e"'])
def test_a_bad_escape_in_double_quotes_is_not_called_an_open_quote(tmp_path, value: str) -> None:
    """Found in review: a backslash that starts no escape got the unclosed-quote hint."""
    body = f"  - id: DIG-1\n    title: {value}\n"
    problem_mark, context_mark = libyaml_marks(HEAD + body)
    found, message, hint, related = syntax_finding(tmp_path, body)
    assert found == "units/digital.yaml:{}:{}".format(*problem_mark) and related == [context_mark]
    assert "closing quote" not in message + hint
    assert hint.startswith("in double quotes a backslash starts an escape") and "single quotes" in hint


@pytest.mark.parametrize("value", ['"smile \\ud83d\\ude00"', '"\\U0011FFFF"'])
def test_an_escape_that_names_no_character_says_how_to_write_one(tmp_path, value: str) -> None:
    """JSON writes an emoji as a surrogate pair, which YAML refuses."""
    _, message, hint, _ = syntax_finding(tmp_path, f"  - id: DIG-1\n    title: {value}\n")
    assert "found invalid Unicode character escape code" in message
    assert hint.startswith("a \\u or \\U escape must name a Unicode character: write the character itself")


@pytest.mark.parametrize(("line", "key"), [("title:Status tracker", "title"), ("effort:3  # weeks", "effort"),
                                           ('title:"Status"', "title")])
def test_a_key_without_a_space_after_its_colon_is_not_called_a_key_without_colon(
        tmp_path, line: str, key: str) -> None:
    """Found in review: `effort:3` was "a key without ':'", with the hint to add one."""
    body = f"  - id: DIG-1\n    {line}\n    addresses: [PP-1]\n"
    found, message, hint, related = syntax_finding(tmp_path, body)
    assert found == "units/digital.yaml:4:5"
    assert message.startswith(f"`{key}:` has no space after its ':', so YAML reads the line as one value")
    # the key and its value as meant (a review found `{key}: ...` where the value is known)
    assert hint == f"put a space after the ':' (`{line.split('  #')[0].replace(':', ': ', 1)}`)"
    assert related == [libyaml_marks(HEAD + body)[0]]


@pytest.mark.parametrize(("body", "where"), [
    ("  - id:DIG-1\n    title: x\n", (3, 5)),
    ("  - id: DIG-1\n    title: x\n  - id:DIG-2\n    title: y\n    effort: 3\n", (5, 5)),
    ("  - {id: DIG-1, title: x, status: idea}\n  - title:Chat\n    status: idea\n", (4, 5)),
])
def test_an_items_first_key_without_a_space_after_its_colon_is_named(tmp_path, body: str, where) -> None:
    """Found hunting issue 14: `- id:DIG-2`, the space after an item's first ':' left out,
    was "mapping values are not allowed in this context" at the next line's key, with the
    hint "fix the YAML syntax (check indentation and quotes)": YAML reads `id:DIG-2` and
    the key below as one value, the item itself. Said as `title:x` inside an item is."""
    found, message, hint, related = syntax_finding(tmp_path, body)
    key = "title" if "title:Chat" in body else "id"
    assert found == "units/digital.yaml:{}:{}".format(*where)
    assert message.startswith(f"`{key}:` has no space after its ':', so YAML reads it and the line below as one "
                              "value, not a key")
    meant = {(3, 5): "id: DIG-1", (5, 5): "id: DIG-2", (4, 5): "title: Chat"}[where]
    assert hint == f"put a space after the ':' (`{meant}`)"
    assert related == [libyaml_marks(HEAD + body)[0]]


def test_an_address_in_a_list_is_not_called_a_key_without_its_space(tmp_path) -> None:
    """Found in review: `- https://…` above a key (a link where evidence is listed) was
    "`https:` has no space after its ':'", with the hint to write `https: ...`."""
    found, message, hint, _ = syntax_finding(tmp_path, "  - id: DIG-1\n    tags:\n      - https://x.example/a\n"
                                                       "        kind: survey\n")
    assert "https" not in message and "https" not in (hint or "")
    assert found == "units/digital.yaml:6:13"


@pytest.mark.parametrize(("body", "where"), [
    ("  -id: DIG-1\n    title: x\n", "3:3"),
    ("  - id: DIG-1\n    title: x\n  -id: DIG-2\n    title: y\n", "5:3"),
])
def test_a_dash_without_its_space_is_named_not_an_indentation(tmp_path, body: str, where: str) -> None:
    """Found in review: `-id: DIG-1` got "indent `title:` to column 3", which parses into
    the wrong structure."""
    found, message, hint, _ = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}"
    assert message.startswith("`-id:` has no space after its '-', so YAML reads `-id` as a key, not as a list item")
    assert hint == "put a space after the '-' (`- id:`)"


@pytest.mark.parametrize(("line", "key"), [("- id: DIG-1 - id: DIG-2", "id"), ("  title: x  - id: DIG-2", "title")])
def test_an_item_on_the_line_of_the_last_is_a_lost_line_break_not_a_value_to_quote(
        tmp_path, line: str, key: str) -> None:
    body = ("  - id: DIG-1\n  " + line if line.startswith(" ") else "  " + line) + "\n    effort: 3\n"
    _, message, hint, _ = syntax_finding(tmp_path, body)
    assert message.startswith(f"a new item `- id:` follows the value of `{key}` on the same line")
    assert hint == "start `- id:` on a line of its own, in line with the `- ` of the item above"
    # a title with ' - ' and ': ' in it is still a value to quote
    _, message, hint, _ = syntax_finding(tmp_path / "t", "  - id: DIG-1\n    title: Mortgage - status: tracker\n")
    assert hint.startswith("quote the value")


def test_a_value_written_over_lines_then_text_is_not_called_an_open_quote(tmp_path) -> None:
    body = '  - id: DIG-1\n    title: "Status\n      tracker" effort\n    effort: 3\n'
    _, message, _, _ = syntax_finding(tmp_path, body)
    assert "closing quote is missing" not in message


@pytest.mark.parametrize("body", [
    # a value written over lines on purpose, then text after its closing quote
    '  - id: DIG-1\n    description: "Customers say: the app crashes\n      when they log in" (survey 2025)\n',
    # an apostrophe left single inside a single-quoted value: the quote closes early
    "  - id: DIG-1\n    x-description: 'Note: this is the\n      customer's view'\n",
])
def test_a_closed_quote_with_text_after_it_is_not_called_left_open(tmp_path, body: str) -> None:
    """Found in review: "Goal: ..." inside a value written over two lines looked like a
    key the value had run on over; only a line that begins as a key or an item does."""
    _, message, _, _ = syntax_finding(tmp_path, body)
    assert "closing quote is missing" not in message


def test_an_items_dash_line_moved_left_is_offered_as_one_fix() -> None:
    """Found by a newcomer: with `- id:` lines at column 1 and their keys at column 5, the
    hint said to indent `title:` to column 3, then `addresses:`, … one run per key."""
    text = "initiatives:\n- id: HR-001\n    title: Agents decide\n    effort: 3\n"
    problem = parse_text(text).problems[0]
    assert problem.hint == ("indent `title:` to column 3 like the other keys of this initiative (it starts at "
                            "line 2); or, if the keys below it are in place, indent line 2 further, until `id:` "
                            "is in line with `title:`")
    assert not parse_text(text.replace("- id:", "  - id:")).problems  # that fix is whole
    # a key under a later key of the item: only the first offer
    text = "initiatives:\n  - id: HR-001\n    title: Agents decide\n      effort: 3\n"
    assert "indent line" not in parse_text(text).problems[0].hint


def test_a_related_place_that_is_where_the_parser_stopped_says_so_in_sarif_and_the_editor(tmp_path) -> None:
    """Found in review: the editor labelled every related place of CXP001 "where the part
    that does not parse begins", also the end of the file after an open quote."""
    from cxportfolio.lsp.diagnostics import diagnostic
    from cxportfolio.render.sarif import related_labels

    root = write_portfolio(tmp_path / "p", {"units/digital.yaml": HEAD + '  - id: DIG-1\n    title: "Status\n'})
    [finding] = [f for f in check(root).result.findings if f.code == "CXP001"]
    assert related_labels(finding) == ["where the parser stopped: the end of the file"]
    text = (root / "units/digital.yaml").read_text().splitlines()
    shown = diagnostic(finding, lambda _: text, lambda path: f"file:///{path}", "utf-16")
    assert [r.message for r in shown.related_information] == ["where the parser stopped: the end of the file"]
    # where the broken part begins keeps the editor's own words
    root = write_portfolio(tmp_path / "q", {"units/digital.yaml": HEAD + "  - id: DIG-1\n    title: [open }\n"})
    [finding] = [f for f in check(root).result.findings if f.code == "CXP001"]
    shown = diagnostic(finding, lambda _: text, lambda path: f"file:///{path}", "utf-16")
    assert [r.message for r in shown.related_information] == ["where the part that does not parse begins"]


LATER_QUOTE = '  - id: DIG-2\n    title: x\n    allow: [{rule: CXP201, reason: "Joint delivery"}]\n'


@pytest.mark.parametrize(("body", "where", "what", "closer"), [
    ('  - id: DIG-1\n    addresses: ["PP-a, PP-b]\n    effort: 3\n', "4:17", "a quoted item of `addresses`", "]"),
    ('  - id: DIG-1\n    effects:\n      - {kpi: "nps, change: 5}\n    effort: 3\n', "5:15",
     "the quoted value of `kpi`", "}"),
    ('  - id: DIG-1\n    addresses:\n      - "PP-a\n    effort: 3\n', "5:9", "a quoted item of `addresses`", None),
])
def test_a_quote_left_open_inside_a_list_that_runs_on_to_a_later_quote_is_reported_where_it_opens(
        tmp_path, body: str, where: str, what: str, closer: str | None) -> None:
    """Found by a newcomer: `["PP-a, PP-b]` with a quoted value further down was reported
    there, ten lines below, as "did not find expected ',' or ']'"."""
    text = HEAD + body + LATER_QUOTE
    problem_mark, _ = libyaml_marks(text)
    found, message, hint, related = syntax_finding(tmp_path, body + LATER_QUOTE)
    assert found == f"units/digital.yaml:{where}"
    assert message.startswith(f"{what} runs on from here to line {problem_mark[0]}: its closing quote is missing")
    assert hint == (CLOSE_THE_ITEM.format('"', closer) if closer else CLOSE_ON_THIS_LINE.format('"'))
    assert related == [problem_mark]


@pytest.mark.parametrize(("line", "message", "hint"), [
    ("  - {id: DIG-1, title: a} - {id: DIG-2, title: b}", "a new list item follows other text on its line",
     "start the `- ` item on a line of its own, in line with the `- ` of the item above"),
    ("  - {id: DIG-1, title: a}, {id: DIG-2, title: b}", "a `,` after the list item on this line",
     "a list written with `- ` has one item per line: delete the `,` and start the next item on a line of its "
     "own with `- `"),
    ("  - id: DIG-1, title: Chat in the app", "the value of `id` runs on into `title:` after a ','",
     "to write several keys on one line, put them in braces (`- {id: …, title: …}`), or give each key a line "
     'of its own; if the \',\' is part of the value, quote it, e.g. `id: "DIG-1, title: Chat in the app"`'),
])
def test_items_and_keys_written_in_a_row_are_said_as_such(tmp_path, line: str, message: str, hint: str) -> None:
    """Found by a newcomer: `- {…}, {…}` was "the key `, {id:` follows other text", and
    `- id: A, title: B` got a hint to quote the whole line as the id."""
    _, said, given, _ = syntax_finding(tmp_path, line + "\n")
    assert said.startswith(message + " (") and given == hint


def test_the_keys_a_hint_recognises_in_a_row_are_the_formats_own() -> None:
    """`_KEYS_IN_A_ROW` and `_NEXT_ITEM` name keys of the file format (the load layer does
    not import the models): each must be a field of a model, or a hint would tell a user
    to write a key that validation then refuses."""
    from cxportfolio.load.syntax_hints import _KEYS_IN_A_ROW, _NEXT_ITEM
    from cxportfolio.model import entities

    fields = {name for model in vars(entities).values()
              if isinstance(model, type) and issubclass(model, entities.Strict) for name in model.model_fields}
    for pattern in (_KEYS_IN_A_ROW, _NEXT_ITEM):
        named = re.search(r"\(([\w|]+)\)", pattern.pattern).group(1).split("|")
        assert set(named) <= fields, set(named) - fields


@pytest.mark.parametrize(("body", "where", "hint"), [
    # to the end of the file, in a block mapping and inside {...} (libyaml holds the `{` back)
    ('  - id: DIG-1\n    effort: "8\n', "4:13", 'a number needs no quotes: remove the opening " (`effort: 8`)'),
    ('  - id: DIG-1\n    effects:\n      - {kpi: nps, change: "-0.5}\n', "5:28",
     'a number needs no quotes: remove the opening " (`change: -0.5`)'),
    ("  - id: DIG-1\n    effects: [{kpi: nps, confidence: '0.7, change: 5}]\n", "4:38",
     "a number needs no quotes: remove the opening ' (`confidence: 0.7`)"),
    # to a later quote
    ('  - id: DIG-1\n    effects:\n      - {kpi: nps, change: "5}\n' + LATER_QUOTE, "5:28",
     'a number needs no quotes: remove the opening " (`change: 5`)'),
    # a comment after it: the comment stays one once the quote is gone
    ('  - id: DIG-1\n    effort: "8   # person-weeks\n', "4:13",
     'a number needs no quotes: remove the opening " (`effort: 8`)'),
    # not a number, or not a key that takes one: the closing quote is what is missing
    ('  - id: DIG-1\n    effort: "8 weeks\n', "4:13", CLOSE_ON_THIS_LINE.format('"')),
    ('  - id: DIG-1\n    title: "2026\n', "4:12", CLOSE_ON_THIS_LINE.format('"')),
])
def test_a_quote_left_open_before_a_number_is_to_be_removed_not_closed(tmp_path, body: str, where: str,
                                                                       hint: str) -> None:
    """`change: "5}`: closing the quote, as the hint said, made the number text, which
    validation then refused (CXP002): a second round for one slip."""
    found, _, given, _ = syntax_finding(tmp_path, body)
    assert (found, given) == (f"units/digital.yaml:{where}", hint)


def test_the_keys_a_number_hint_knows_are_the_models_number_fields() -> None:
    """`NUMBER_KEYS` (the load layer does not import the models): each is a number field
    of a model, or the hint would have a user remove a quote that the field needs."""
    import typing

    from cxportfolio.load.syntax_hints import NUMBER_KEYS
    from cxportfolio.model import config, entities

    def types_of(annotation: typing.Any) -> set[typing.Any]:  # Optional[Annotated[float, …]] → {float}
        if typing.get_origin(annotation) is typing.Annotated:
            return types_of(typing.get_args(annotation)[0])
        if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            return set().union(*(types_of(a) for a in typing.get_args(annotation) if a is not type(None)))
        return {annotation}

    kinds: dict[str, set[typing.Any]] = {}
    for module in (entities, config):
        for model in vars(module).values():
            if isinstance(model, type) and issubclass(model, BaseModel):
                for name, info in model.model_fields.items():
                    kinds.setdefault(name, set()).update(types_of(info.annotation))
    for key in NUMBER_KEYS:
        numbers, others = kinds.get(key, set()) & {int, float}, kinds.get(key, set()) - {int, float}
        # the hint is given for a number written: a key that takes words elsewhere (a rule's
        # `severity`) takes no number there
        assert numbers and all(typing.get_origin(o) is typing.Literal and not any(
            isinstance(v, (int, float)) for v in typing.get_args(o)) for o in others), (key, kinds.get(key))


@pytest.mark.parametrize(("body", "where", "opener"), [
    ("  - id: DIG-1\n  - id: [\n", "4:9", "["),
    ("  - id: DIG-1\n    addresses: [PP-1,\n", "4:16", "["),
    ("  - id: DIG-1\n    addresses: [PP-1, PP-2\n\n", "4:16", "["),
    ("  - {id: DIG-1, title: Status\n", "3:5", "{"),
    # a key typed in [...]: libyaml opens a one-pair mapping there without a `{` (review)
    ("  - id: DIG-1\n    effects: [kpi: \n", "4:14", "["),
])
def test_a_bracket_left_open_at_the_end_of_the_file_is_reported_where_it_opens(
        tmp_path, body: str, where: str, opener: str) -> None:
    """Found by a newcomer: `id: [` as a file's last line was reported past its last
    line, with no related place and "fix the YAML syntax": libyaml stops at the end of
    the file without marking where the `[` opened; the replayed events do."""
    problem_mark, _ = libyaml_marks(HEAD + body)
    found, message, hint, related = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}"
    assert message.startswith(f"the `{opener}` here is not closed before the end of the file (")
    assert hint == f"close it with `{']' if opener == '[' else '}'}` after its last item"
    assert related == [problem_mark]


def test_a_value_wrapped_onto_a_line_at_its_keys_indent_is_told_to_indent_it_further(tmp_path) -> None:
    """Found by a newcomer: `title:` with its value wrapped onto the next line at the
    key's indent was "a key without ':' / add ':' after the key", which turns half the
    title into an unknown key. The hint now names the wrap, and doing what it says
    (indenting the line further) makes the file valid with the whole title."""
    body = ("  - id: DIG-1\n    title: Continue onboarding on the phone\n    where BankID is\n"
            "    status: idea\n")
    where, message, hint, related = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:5:5" and related == [(6, 5)]
    assert message.startswith("a line without ':' under `title:`, at its indent (")
    assert hint == ("if it goes on with `title:`'s value, indent it further than `title:` (or join the two "
                    "lines); if it is a key, add ':' after it")
    fixed = parse_text(HEAD + body.replace("    where BankID is", "      where BankID is"))
    assert not fixed.problems
    assert fixed.data["initiatives"][0]["title"] == "Continue onboarding on the phone where BankID is"


@pytest.mark.parametrize("text, at, message, fixed", [
    # a comma left out between two pairs of {…}: at the key it should precede
    ("a:\n  - {kpi: x, change: 4 confidence: 0.8}\n  - {kpi: y}\n", (2, 24), "a comma is missing before `confidence:`",
     "a:\n  - {kpi: x, change: 4, confidence: 0.8}\n  - {kpi: y}\n"),
    # a [ left open in the middle of a file: at the [, not at the next line's key
    ("x:\n  - id: A\n    addresses: [PP-1\n    effects:\n      - {kpi: k}\n", (3, 16),
     "the `[` here is not closed before `effects:` on line 4",
     "x:\n  - id: A\n    addresses: [PP-1]\n    effects:\n      - {kpi: k}\n"),
    # found in review: a {…} written over lines with a comma missing at a line's end is
    # closed below; closing it where it opens would leave the rest a stray line
    ("x:\n  - effects:\n      - {kpi: nps, change: 4\n         confidence: 0.5}\n", (4, 10),
     "a comma is missing before `confidence:`, at the end of the line above",
     "x:\n  - effects:\n      - {kpi: nps, change: 4,\n         confidence: 0.5}\n"),
    # found by a newcomer: `scoring: {` left open above `rules:` was told to end `rules:`
    # with a comma (then "found unexpected ':'"): a key back at the bracket line's indent
    # between the two says the bracket was left open before it
    ("year: 2026\nscoring: {\nrules:\n  CXP405: {days: 90}\n", (2, 10),
     "the `{` here is not closed before `rules:` on line 3",
     "year: 2026\nscoring: {}\nrules:\n  CXP405: {days: 90}\n"),
])
def test_a_key_where_a_comma_or_a_closing_bracket_was_due_is_said_where_it_is(text: str, at: tuple[int, int],
                                                                             message: str, fixed: str) -> None:
    """Found by a newcomer: both gave libyaml's "did not find expected ',' or '}'" where the
    parser stopped (the `[` only related, the comma's place not named), with "fix the YAML
    syntax between …". Each is now said where the fix goes, and making it parses."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at and problem.message.startswith(message + " (did not find"), problem
    assert not parse_text(fixed).problems


def test_format_keys_are_every_field_and_top_level_key() -> None:
    """`FORMAT_KEYS` (the load layer does not import the models): a line that begins with
    one is a key without its ':' (found in review: `size quick_win` under `status: idea`
    was told to indent it further, as a value wrapped from the line above)."""
    from cxportfolio.load.syntax_hints import FORMAT_KEYS
    from cxportfolio.model import config, entities, scoring
    from cxportfolio.model.validate import _TOP_LEVEL_KEYS

    fields = {info.alias or name for module in (entities, config, scoring) for model in vars(module).values()
              if isinstance(model, type) and issubclass(model, BaseModel) and model is not BaseModel
              for name, info in model.model_fields.items()}
    assert FORMAT_KEYS == fields | set(_TOP_LEVEL_KEYS)
    problem = parse_text("unit: u\ninitiatives:\n  - id: A-1\n    status: idea\n    size quick_win\n"
                         "    title: T\n").problems[0]
    assert problem.message.startswith("a key without ':' (")
    assert problem.hint == "add ':' after the key (`size: quick_win`)"


NBSP = "\u00a0"
_NBSP_ITEMS = "  - id: DIG-1\n    title: Status tracker\n    status: idea\n    effort: 4\n    size: project\n" \
              "  - id: DIG-2\n    title: Chat\n    status: idea\n"


@pytest.mark.parametrize(("written", "last", "where", "message", "hint"), [
    ("    effort:" + NBSP + "4\n", False, "6:5",
     "a no-break space (U+00A0) after `effort:`, which YAML does not read as a space, so `effort:` is not a key there",
     "replace it with a normal space (`effort: 4`)"),
    ("    effort:" + NBSP + "4\n", True, "6:5",  # the file's last line
     "a no-break space (U+00A0) after `effort:`", "replace it with a normal space (`effort: 4`)"),
    (NBSP * 4 + "effort: 4\n", False, "6:1",
     "`effort:` is indented with 4 no-break spaces (U+00A0), which YAML does not read as spaces, so they are part "
     "of the key", "replace them with 4 normal spaces"),
    ("  " + NBSP * 2 + "effort: 4\n", False, "6:3",
     "`effort:` is indented with 2 no-break spaces (U+00A0)", "replace them with 2 normal spaces"),
    ("  -" + NBSP + "id: DIG-2\n", False, "8:3",
     "a no-break space (U+00A0) after the '-', which YAML does not read as a space, so the line is not a list item",
     "replace it with a normal space (`- id: DIG-2`)"),
    ("    effort:\u202f4\n", False, "6:5", "a narrow no-break space (U+202F) after `effort:`",
     "replace it with a normal space (`effort: 4`)"),
])
def test_a_no_break_space_where_yaml_needs_a_space_is_named_where_it_is(tmp_path, written: str, last: bool,
                                                                      where: str, message: str, hint: str) -> None:
    """Found by a user migrating a spreadsheet: `effort:<NBSP>4` was "a key without ':' …
    add ':' after the key", and following it gave "unknown field 'effort:\\xa04' … did you
    mean 'effort'?", then an empty `effort:` that passed silently; a line indented with
    no-break spaces was said on the next line, and `-<NBSP>id:` got the generic hint. The
    no-break space is named at the parser's mark of the scalar holding it, and replacing
    it with normal spaces, as the hint says, reads the value meant."""
    before = "    effort: 4\n" if "effort" in written else "  - id: DIG-2\n"
    body = _NBSP_ITEMS.replace(before, written)
    if last:
        body = body[:body.index(written) + len(written)]
    found, said, told, _ = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}"
    assert said.startswith(message)
    assert told == hint
    fixed = parse_text(HEAD + re.sub("[\u00a0\u202f]", " ", body))
    assert fixed.problems == []
    assert fixed.data["initiatives"][0]["effort"] == 4
    assert [item["id"] for item in fixed.data["initiatives"]] == (["DIG-1"] if last else ["DIG-1", "DIG-2"])


@pytest.mark.parametrize(("written", "where", "message", "hint", "fixed"), [
    ("    effort: -\n", "6:13", "`-` alone is not a value: YAML reads it as the start of a list item",
     "if it is not known, remove the `effort:` line (it is optional); else write its value in place of the `-`", ""),
    ("    effort: ?   # not known\n", "6:13", "`?` alone is not a value: YAML reads it as the start of a mapping key",
     "if it is not known, remove the `effort:` line (it is optional); else write its value in place of the `?`", ""),
    ("    title: -\n", "4:12", "`-` alone is not a value",
     "write the value of `title:` in place of the `-` (`title:` is required)", "    title: Status tracker\n"),
    ("    effort: 4\n    effects: [{kpi: k, change: ?, confidence: 0.5}]\n", "7:32",
     "`?` alone is not a value: YAML reads it as the start of a mapping key",
     "write the value of `change:` in place of the `?` (`change:` is required)",
     "    effort: 4\n    effects: [{kpi: k, change: 2, confidence: 0.5}]\n"),
])
def test_a_dash_or_question_mark_alone_as_a_value_is_not_a_list_item(tmp_path, written: str, where: str,
                                                                      message: str, hint: str, fixed: str) -> None:
    """Found by a user migrating a spreadsheet: `effort: -` (a dash for "not known") was
    "a new list item follows other text … start the `- ` item on a line of its own", and
    following that made an empty initiative; `effort: ?` got libyaml's "mapping keys are
    not allowed in this context" and the generic hint. Said at the indicator, with the
    key left out when it may be, which then reads without the effort and nothing empty."""
    before = "    effort: 4\n" if "effort" in written else "    title: Status tracker\n"
    body = _NBSP_ITEMS.replace(before, written)
    found, said, told, _ = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}"
    assert said.startswith(message)
    assert told == hint
    done = parse_text(HEAD + body.replace(written, fixed))
    assert done.problems == []
    items = done.data["initiatives"]
    assert [item["id"] for item in items] == ["DIG-1", "DIG-2"]  # no empty item made
    assert (written.split(":")[0].strip() in items[0]) == bool(fixed)


def test_the_keys_a_hint_calls_required_are_the_models_required_fields() -> None:
    """`REQUIRED_KEYS` (the load layer does not import the models): for each list key or
    key of a mapping, the required fields of the model its items or its value are, and
    at the top level those of the configuration (a key another model takes with other
    required fields is left out: a hint cannot tell which it is)."""
    import typing

    from cxportfolio.load.syntax_hints import REQUIRED_KEYS
    from cxportfolio.model.config import Config
    from cxportfolio.model.document import PortfolioDocument

    def models(annotation: typing.Any) -> typing.Iterator[type[BaseModel]]:  # list[Effect] | None → Effect
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from models(arg)

    found: dict[str | None, set[frozenset[str]]] = {None: {frozenset(
        f.alias or n for n, f in Config.model_fields.items() if f.is_required())}}
    todo, seen = [PortfolioDocument, Config], set()
    while todo:
        model = todo.pop()
        for name, info in model.model_fields.items():
            for inner in models(info.annotation):
                found.setdefault(info.alias or name, set()).add(frozenset(
                    f.alias or n for n, f in inner.model_fields.items() if f.is_required()))
                if inner not in seen:
                    seen.add(inner)
                    todo.append(inner)
    assert REQUIRED_KEYS == {key: next(iter(sets)) for key, sets in found.items() if len(sets) == 1}


@pytest.mark.parametrize(("value", "begins", "where"), [
    ("@kommunen på Facebook", "`@`, which YAML reserves", "4:12"),
    ("% av søknader", "`%`, which YAML reserves for directives", "4:12"),
    ("`SFO` portal", "a backtick (`), which YAML reserves", "4:12"),
    ("* Ny portal", "`*`, which YAML reads as an alias, a value repeated from an `&name`", "4:12"),
    ("& Ny portal", "`&`, which YAML reads as an anchor, a name for the value", "4:12"),
    ("| Ny portal", "`|`, which YAML reads as the start of a text on the lines below", "4:12"),
    ("> Ny portal", "`>`, which YAML reads as the start of a text on the lines below", "4:12"),
])
def test_a_value_beginning_with_a_character_yaml_reserves_is_told_to_be_quoted(tmp_path, value: str, begins: str,
                                                                              where: str) -> None:
    """Found by a user migrating a spreadsheet: `title: @kommunen på Facebook`, `% av
    søknader`, `` `SFO` portal `` got "found character that cannot start any token" and
    "fix the YAML syntax (check indentation and quotes)", `* Ny portal` "while scanning an
    alias". Said at the character's mark, with the value quoted to copy, which reads as
    written."""
    body = f"  - id: DIG-1\n    title: {value}\n    status: idea\n"
    found, message, hint, _ = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}"
    assert message.startswith(f"the value of `title` begins with {begins} (")
    example = re.fullmatch(r"quote the value, e.g. `(title: .+)`", hint)
    assert example, hint
    fixed = parse_text(HEAD + body.replace(f"title: {value}", example.group(1)))
    assert fixed.problems == [] and fixed.data["initiatives"][0]["title"] == value


@pytest.mark.parametrize(("line", "message", "copy"), [
    ("    addresses:\n      - @PP-1\n", "an item of `addresses` begins with `@`", "- \"@PP-1\""),
    ("    effects: [{kpi: k, change: 1, confidence: @x}]\n", "the value of `confidence` begins with `@`",
     "confidence: \"@x\""),
])
def test_a_reserved_character_in_an_item_or_in_braces_is_said_there_too(tmp_path, line: str, message: str,
                                                                        copy: str) -> None:
    found, said, hint, _ = syntax_finding(tmp_path, "  - id: DIG-1\n    title: T\n" + line)
    assert said.startswith(message)
    assert hint == f"quote the value, e.g. `{copy}`"


@pytest.mark.parametrize(("written", "doubled", "other"), [
    ("title: 'Barnas' hus'", "title: 'Barnas'' hus'", "title: \"Barnas' hus\""),
    ("title: \"Si \"hei\" nå\"", "title: \"Si \\\"hei\\\" nå\"", "title: 'Si \"hei\" nå'"),
])
def test_a_quote_inside_a_value_in_those_quotes_is_told_to_be_doubled(tmp_path, written: str, doubled: str,
                                                                      other: str) -> None:
    """Found by a user migrating a spreadsheet: `title: 'Barnas' hus'` got "did not find
    expected key" and the generic hint. Said where the value begins; both fixes the hint
    offers read the value meant."""
    body = f"  - id: DIG-1\n    {written}\n    status: idea\n"
    found, message, hint, related = syntax_finding(tmp_path, body)
    assert found == "units/digital.yaml:4:12"
    quote = written[7]
    assert message.startswith(f"the value of `title` is in {'single' if quote == chr(39) else 'double'} quotes and "
                              f"holds a {quote}, which ends it there (")
    assert related == [libyaml_marks(HEAD + body)[0]]
    assert hint == (f"inside {'single' if quote == chr(39) else 'double'} quotes write each {quote} as "
                    f"{quote * 2 if quote == chr(39) else chr(92) + quote} (`{doubled}`), or put the value in "
                    f"{'double' if quote == chr(39) else 'single'} quotes (`{other}`)")
    for fix in (doubled, other):
        fixed = parse_text(HEAD + body.replace(written, fix))
        assert fixed.problems == [] and fixed.data["initiatives"][0]["title"] == written[8:-1]


@pytest.mark.parametrize(("value", "hint"), [
    ("!Ny portal", 'if it is text, quote it (`"!Ny portal"`); else remove the tag: portfolio files hold plain '
                   "values only"),
    ("*Ny portal", "a value beginning with `*` repeats the one marked `&name`: if it is text (`*Ny …`), put it "
                   "in quotes"),
])
def test_a_tag_or_alias_that_may_be_text_is_told_to_be_quoted(value: str, hint: str) -> None:
    """`title: !Ny portal` and `title: *Ny portal` parse as a tag and an alias, which the
    reader refuses: the hint says to quote the text."""
    [problem] = parse_text(f"{HEAD}  - id: DIG-1\n    title: {value}\n").problems
    assert (problem.line, problem.column, problem.hint) == (4, 12, hint)
    fixed = parse_text(f'{HEAD}  - id: DIG-1\n    title: "{value}"\n')
    assert fixed.problems == [] and fixed.data["initiatives"][0]["title"] == value


ROW = "OPP-004,Digital søknad om SFO,oppvekst,approved,4,2026-Q3"


@pytest.mark.parametrize(("body", "where", "separator"), [
    ("  - id: DIG-1\n    title: T\n    status: idea\n" + ROW + "\n", "6:1", ","),  # pasted at column 1
    ("  - id: DIG-1\n    title: T\n    status: idea\n  " + ROW.replace(",", ";") + "\n", "6:3", ";"),
    ("  " + ROW + "\n  - id: DIG-1\n    title: T\n    status: idea\n", "3:3", ","),  # the list's first line
    # cells copied from a spreadsheet and pasted: tabs between them (found by a newcomer)
    ("  - id: DIG-1\n    title: T\n    status: idea\n" + ROW.replace(",", "\t") + "\n", "6:1", "\t"),
])
def test_a_spreadsheet_row_pasted_as_a_line_is_told_to_put_each_value_under_its_key(tmp_path, body: str, where: str,
                                                                                   separator: str) -> None:
    """Found by a user migrating a spreadsheet: a row pasted as exported was "a key
    without ':' … add ':' after the key", and following that gave "unknown top-level key
    'OPP-004,Digital…'". Said where the row begins; the item the hint describes reads."""
    found, message, hint, _ = syntax_finding(tmp_path, body)
    assert found == f"units/digital.yaml:{where}"
    between = "tabs" if separator == "\t" else f"'{separator}'"
    assert message.startswith(f"this line looks like a row of a spreadsheet, its values separated by {between} (")
    assert hint == ("write each value under its key, as a list item: `- id: OPP-004`, then `title: …`, `status: …` "
                    "and the others each on a line of its own below it, in line with `id:`")
    row = next(r for r in (ROW, ROW.replace(",", ";"), ROW.replace(",", "\t")) if r in body)
    item = "  - id: OPP-004\n    title: Digital søknad om SFO\n    unit: oppvekst\n    status: approved\n" \
           "    effort: 4\n    planned: 2026-Q3"
    fixed = parse_text(HEAD + re.sub(rf"^ *{re.escape(row)}", item, body, flags=re.M))
    assert fixed.problems == []
    assert {item["id"] for item in fixed.data["initiatives"]} == {"DIG-1", "OPP-004"}


def test_a_wrapped_line_of_prose_with_commas_is_not_a_spreadsheet_row(tmp_path) -> None:
    body = "  - id: DIG-1\n    title: Continue onboarding\n    where BankID, NemID, MitID, and others are\n"
    _, message, _, _ = syntax_finding(tmp_path, body)
    assert message.startswith("a line without ':' under `title:`, at its indent")


@pytest.mark.parametrize(("text", "said"), [
    # `&Ny portal`: the anchor `&Ny` and the title 'portal', silently (left alone once)
    ("title: &Ny portal for status\n", [(1, 8, "`&Ny` before 'portal for status' is read as a YAML anchor, which no "
                                           "alias uses: the text is 'portal for status' without it",
                                     "if the text begins with '&', put it in quotes: \"&Ny portal for status\"")]),
    ("tags: [&Ny portal]\n", [(1, 8, "`&Ny` before 'portal' is read as a YAML anchor, which no alias uses: "
                                     "the text is 'portal' without it",
                               "if the text begins with '&', put it in quotes: \"&Ny portal\"")]),
    # an anchor an alias uses is what anchors are for; quoted, `&` is text
    ("a: &shared Ny portal\nb: *shared\n", []),
    ('title: "&Ny portal"\n', []),
    ("effort: &e 8\n", []),  # not text: nothing lost
])
def test_a_text_anchor_no_alias_uses_is_said(text: str, said: list) -> None:
    parsed = parse_text(text)
    assert parsed.usable
    assert [(p.line, p.column, p.message, p.hint) for p in parsed.problems] == said


def test_a_key_read_as_a_boolean_or_null_is_named_as_yaml_writes_it() -> None:
    # found by a hostile-PR hunter: "key 'True' equals another key", "key 'None' …"
    problems = parse_text("a:\n  1: x\n  true: y\n  null: z\n  ~: w\n").problems
    assert [p.message for p in problems] == [
        "key 'true' equals another key of this mapping",
        "key 'null' is repeated; YAML would silently keep only the last value"]


def test_a_quoted_key_shows_a_character_beyond_u_ffff_as_one_escape() -> None:
    # found by a hostile-PR hunter: a repeated key of tag characters (text that shows as
    # nothing) was quoted 'x-\ue0041\u1d173', which reads as U+E004 and a 1; every other
    # message writes U+E0041 as printable does, \U000e0041
    [problem] = parse_text('a: {"x-\\U000E0041\\U0001D173": 1, "x-\\U000E0041\\U0001D173": 2}\n').problems
    assert problem.message == "key 'x-\\U000e0041\\U0001d173' is repeated; YAML would silently keep only the last value"


@pytest.mark.parametrize("indent", [2, 3])
def test_a_documents_own_list_key_indented_is_told_column_one(indent: int) -> None:
    # found by a newcomer: `  initiatives:` after `units:` was told column 5, "like the
    # other keys of this unit", where it is an unknown field; a list key of the document
    # (initiatives, units, journeys, pain_points, kpis) is never an entity's field
    text = ("unit: cs\nunits:\n  - id: cs\n    name: CS\n\n" + " " * indent +
            "initiatives:\n  - id: CS-1\n    title: T\n    status: idea\n")
    problem = parse_text(text).problems[0]
    assert problem.hint == "indent `initiatives:` to column 1 like the file's top-level keys (it starts at line 1)"
    assert problem.related == ((1, 1),)


def test_a_documents_own_list_key_in_line_with_an_items_keys_is_told_column_one(tmp_path) -> None:
    # at the item's keys' column it is valid YAML: a field the unit does not have, which was
    # told "remove it, or prefix it with x-" (the items after it are then the unit's list's)
    root = write_portfolio(tmp_path / "p", {"units/cs.yaml": (
        "unit: cs\nunits:\n  - id: cs\n    name: CS\n    initiatives:\n  - id: CS-1\n    title: T\n"
        "    status: idea\n")})
    hints = {f.message: f.hint for f in check(root).result.findings if f.code == "CXP002"}
    assert hints["unknown field 'initiatives' (unit cs)"] == (
        "'initiatives' is a list of the file: write it at column 1, in line with its other top-level keys")


@pytest.mark.parametrize(("text", "at", "item"), [
    ("initiatives:\n  - id: A-1\n    title: T\n    status: idea\n    effects:\n"
     "      - {kpi: nps, change: 20}\n      {kpi: aht, change: -0.3}\n", (7, 7), 6),
    ("journeys:\n  - id: j\n    name: J\n    stages:\n      - {id: s1, name: S1}\n\n      # next\n"
     "      {id: s2, name: S2}\n", (8, 7), 5),
    ("kpis:\n  - id: k\n    drives:\n      - k2\n      k3\n", (5, 7), 4),
    ("units:\n  - id: a\n    name: A\n  {id: b, name: B}\n", (4, 3), 2),
])
def test_an_item_whose_dash_was_lost_is_told_to_get_it_back(text: str, at: tuple[int, int], item: int) -> None:
    """Found by a metamorphic hunt: an effect, a stage or a reference whose `- ` was
    deleted, under the items of its list, was "a key without ':'", and its hint "add ':'
    after the key" made `{kpi: aht, change: -0.3}:` or `k3:` of it, which is no item
    either. It is an item without its `- `, at the column of the item above."""
    [problem] = parse_text(text).problems
    assert (problem.line, problem.column) == at
    assert problem.message.startswith("a list item without its `- ` (could not find expected ':'")
    assert problem.hint == f"start it with `- `, in line with the item at line {item}"
    fixed = text.splitlines(keepends=True)
    fixed[at[0] - 1] = fixed[at[0] - 1][:at[1] - 1] + "- " + fixed[at[0] - 1][at[1] - 1:]
    assert parse_text("".join(fixed)).problems == []


@pytest.mark.parametrize(("text", "at", "hint"), [
    ("initiatives:\n  - id: A\n    title: T\n    effects:\n      - {kpi: k, change: 1}\n      effort: 12\n"
     "    status: idea\n", (6, 7), "indent `effort:` to column 5 like the other keys of this initiative (it starts at line 2)"),
    ("kpis:\n  - id: k\n    drives:\n      - k2\n      kind: outcome\n", (5, 7),
     "indent `kind:` to column 5 like the other keys of this KPI (it starts at line 2)"),
])
def test_a_key_in_line_with_the_items_of_a_list_is_told_its_column(text: str, at: tuple[int, int], hint: str) -> None:
    """Found by a metamorphic hunt: `effort: 12` indented two spaces too far, in line with
    the `- {…}` effects above it, was "did not find expected '-' indicator" with the hint
    to fix the syntax somewhere between two places: no mapping was open at its column,
    only the list. The keys it is in line with are the mapping's that holds that list."""
    [problem] = parse_text(text).problems
    assert (problem.line, problem.column) == at
    key, items = text.splitlines()[at[0] - 1].split()[0], "effects" if "effects" in text else "drives"
    # in line with the items' `- `, said so (the list's column, where only an item can go)
    assert problem.message.startswith(f"the key `{key}` at column 7 is in line with the `- ` of the items of "
                                      f"`{items}`, where only a list item can go (")
    assert problem.hint == hint


def test_a_document_end_marker_before_more_keys_is_named() -> None:
    """Found by a metamorphic hunt: `...` on a line of its own (YAML's end of a document)
    with keys after it was "did not find expected <document start>" with the hint "fix
    the YAML syntax (check indentation and quotes)"."""
    text = "unit: hr\n...\n\nunits:\n  - {id: hr, name: HR}\n"
    [problem] = parse_text(text).problems
    assert (problem.line, problem.column, problem.related) == (4, 1, ((2, 1),))
    assert problem.message.startswith("a `...` line ends the YAML document, and more is written after it (")
    assert problem.hint == "delete the `...` at line 2: a file holds one document"
    assert parse_text(text.replace("...\n", "")).problems == []


@pytest.mark.parametrize(("body", "where", "message", "hint", "begins"), [
    ('  - id: DIG-7\n    title: "Application status" tracker in the online bank\n    effort: 8\n',
     "units/digital.yaml:4:33",
     "the text after the closing quote, `tracker in the online bank`, is outside the quoted value of `title` "
     "(did not find expected key, while parsing a block mapping)",
     "put the whole value in quotes (`title: '\"Application status\" tracker in the online bank'`), or remove "
     "the quotes (`title: Application status tracker in the online bank`)", (4, 12)),
    # in braces: the text up to the item's end; a plain value would not read back: no removal offered
    ('  - id: DIG-7\n    effects:\n      - {kpi: k, change: 1, note: "a: b" c}\n',
     "units/digital.yaml:5:42",
     "the text after the closing quote, `c`, is outside the quoted value of `note` "
     "(did not find expected ',' or '}', while parsing a flow mapping)",
     "put the whole value in quotes (`note: '\"a: b\" c'`)", (5, 35)),
    # an item of a list
    ('  - id: DIG-7\n    tags:\n      - "mobile" app\n', "units/digital.yaml:5:18",
     "the text after the closing quote, `app`, is outside a quoted item of `tags` "
     "(did not find expected '-' indicator, while parsing a block collection)",
     "put the whole item in quotes (`'\"mobile\" app'`), or remove the quotes (`mobile app`)", (5, 9)),
])
def test_text_after_a_closing_quote_is_said_to_be_outside_the_quotes(tmp_path, body: str, where: str, message: str,
                                                                      hint: str, begins: tuple[int, int]) -> None:
    """Found by a newcomer: a title with a quoted phrase first got libyaml's "did not find
    expected key" and the generic hint. Said at the parser's mark, the text after the quote."""
    found, said, told, related = syntax_finding(tmp_path, body)
    assert (found, said, told, related) == (where, message, hint, [begins])
    line, column = map(int, where.split(":")[1:])
    assert libyaml_marks(HEAD + body)[0] == (line, column)


@pytest.mark.parametrize(("items", "hint", "related"), [
    ("      - {kpi: nps-mortgage, change: 4, confidence: 0.7}\n",
     "indent `effort:` to column 5 like the other keys of this initiative (it starts at line 3)", [(3, 5)]),
    # items that are mappings of their own lines: the key may be the last item's, or the initiative's
    ("      - kpi: nps-mortgage\n        change: 4\n",
     "indent `effort:` to column 9 like the other keys of this effect (it starts at line 5), or to column 5 like "
     "the other keys of this initiative (it starts at line 3)", [(5, 9), (3, 5)]),
])
def test_a_key_in_line_with_a_lists_items_is_said_to_be_in_the_lists_column(tmp_path, items: str, hint: str,
                                                                             related: list) -> None:
    """Found by a newcomer: `effort:` written at the column of the `- ` of the `effects:`
    items above it got libyaml's "did not find expected '-' indicator" and the generic
    hint, while the same key at another column was told where it goes."""
    body = "  - id: DIG-7\n    effects:\n" + items + "      effort: 1\n    status: idea\n"
    where, message, told, places = syntax_finding(tmp_path, body)
    line = 5 + items.count("\n")
    assert where == f"units/digital.yaml:{line}:7" and libyaml_marks(HEAD + body)[0] == (line, 7)
    assert message == ("the key `effort:` at column 7 is in line with the `- ` of the items of `effects`, where only "
                       "a list item can go (did not find expected '-' indicator, while parsing a block collection)")
    assert (told, places) == (hint, related)
    assert parse_text(HEAD + body.replace("      effort", "    effort")).problems == []


@pytest.mark.parametrize(("item", "where", "stopped"), [
    ("      - {kpi: nps-mortgage, change: 4, confidence: 0.7\n", (5, 55), (6, 9)),  # `0.7` took the `-`: `0.7 -`
    ("      - {kpi: nps-mortgage, change: 4,\n         confidence: 0.7  # a guess\n", (6, 25), (7, 7)),
    ("      - {kpi: nps-mortgage, change: 4, note: \"from # the survey\"\n", (5, 65), (6, 7)),
    ("      - {kpi: nps-mortgage, tags: [a, b]\n\n", (5, 41), (7, 7)),
    ("      - [nps-mortgage, 4\n", (5, 25), (6, 9)),
    # a `,` after the last value: the bracket goes after it (`4,}`; `4},` is a comma too many)
    ("      - {kpi: nps-mortgage, change: 4,  # to check\n", (5, 39), (6, 7)),
])
def test_a_bracket_left_open_before_the_next_item_is_said_where_it_goes(tmp_path, item: str, where: tuple,
                                                                          stopped: tuple) -> None:
    """Found by a newcomer: an effect without its `}`, another item below it, got "did not
    find expected ',' or '}'" on the next line. Said just after the item's last value, the
    end of a mark the parser gave; the bracket closed there, the file parses."""
    body = "  - id: DIG-7\n    effects:\n" + item + "      - {kpi: other, change: 1}\n    status: idea\n"
    found, message, hint, related = syntax_finding(tmp_path, body)
    opener, closer = ("[", "]") if item.lstrip(" -").startswith("[") else ("{", "}")
    assert found == "units/digital.yaml:{}:{}".format(*where)
    assert libyaml_marks(HEAD + body)[0] == stopped
    parser_said = ("did not find expected node content, while parsing a flow node" if item.endswith(",  # to check\n") else
                   f"did not find expected ',' or '{closer}', while parsing a flow "
                   f"{'mapping' if opener == '{' else 'sequence'}")
    assert message == (f"the `{opener}` opened at line 5, column 9 is not closed before the next item on line "
                       f"{stopped[0]} ({parser_said})")
    assert hint == f"add `{closer}` here, where the item ends"
    assert related == [(5, 9), stopped]
    lines = (HEAD + body).split("\n")
    line, column = where
    lines[line - 1] = lines[line - 1][:column - 1] + closer + lines[line - 1][column - 1:]
    assert parse_text("\n".join(lines)).problems == []


def test_a_bracket_left_open_before_the_next_initiative_is_not_a_comma_left_out() -> None:
    """`2026-01-15` ran on over the line break into `- id` (`2026-01-15 - id`, a plain value
    in braces), and `id:` looked like a key after a value, a comma left out before it."""
    text = "initiatives:\n  - id: A\n    decided: {by: sg, on: 2026-01-15\n  - id: B\n    title: T\n"
    problem = parse_text(text).problems[0]
    assert libyaml_marks(text)[0] == (4, 7)
    assert (problem.line, problem.column) == (3, 37)
    assert problem.message == ("the `{` opened at line 3, column 14 is not closed before the next item on line 4 "
                               "(did not find expected ',' or '}', while parsing a flow mapping)")
    assert problem.related == ((3, 14), (4, 7))
    assert parse_text(text.replace("2026-01-15", "2026-01-15}")).problems == []
    # a `- ` indented under the bracket's line may be meant inside it: the parser's words
    text = "initiatives:\n  - id: A\n    decided: {by: sg, on: plan\n       - phase: one}\n"
    assert "not closed" not in parse_text(text).problems[0].message


@pytest.mark.parametrize("comment", ["", "  # from the workshop"])
def test_a_value_ending_with_a_colon_is_said_to_end_with_it(tmp_path, comment: str) -> None:
    """Found in a newcomer's trial: `title: Mortgage status:` was said to hold ': ', which it does not."""
    body = f"  - id: DIG-1\n    title: Mortgage status:{comment}\n    effort: 3\n"
    where, message, hint, _ = syntax_finding(tmp_path, body)
    assert where == "units/digital.yaml:4:27" and libyaml_marks(HEAD + body)[0] == (4, 27)
    assert message == ("the value of `title` ends with ':', which YAML reads as another key (mapping values are not "
                       "allowed in this context)")
    assert hint == 'quote the value, e.g. `title: "Mortgage status:"`'


@pytest.mark.parametrize(("value", "item", "hint"), [
    ("PP-1", "    - PP-2\n", "for a list, leave nothing after `addresses:` on line 4 and write each item on a `- ` "
     "line under it, `PP-1` too"),
    ("[PP-1]", "      - PP-2\n", "write the item inside the `[…]` on line 4, or write each item on a `- ` line "
     "under `addresses:` and nothing after its ':'"),
    ('"PP-1"  # the first', "\n      - PP-2\n", "for a list, leave nothing after `addresses:` on line 4 and write "
     "each item on a `- ` line under it, `PP-1` too"),
])
def test_a_list_item_under_a_key_with_a_value_on_its_line_is_said_so(tmp_path, value: str, item: str,
                                                                     hint: str) -> None:
    """Found in a newcomer's trial: `addresses: PP-1` and `- PP-2` under it were told to
    indent `- PP-2` to column 3 like the initiatives, which makes it an initiative."""
    body = f"  - id: DIG-1\n    addresses: {value}\n{item}    effort: 3\n"
    where, message, told, related = syntax_finding(tmp_path, body)
    line, column = 5 + item.startswith("\n"), len(item) - len(item.lstrip()) + 1 - item.startswith("\n")
    assert where == f"units/digital.yaml:{line}:{column}" and libyaml_marks(HEAD + body)[0] == (line, column)
    assert message == ("the list item `- PP-2` is under `addresses:`, which already has a value on its line "
                       "(did not find expected key, while parsing a block mapping)")
    assert (told, related) == (hint, [(4, 5)])


def test_an_initiative_under_a_key_with_a_value_is_still_told_its_column() -> None:
    text = "initiatives:\n  - id: A\n    effort: 3\n    - id: B\n"
    problem = parse_text(text).problems[0]
    assert problem.hint == "indent `- id: B` to column 3 like the other items of `initiatives` (it starts at line 2)"


def test_an_item_without_the_space_after_its_dash_is_not_called_a_key_without_colon(tmp_path) -> None:
    """Found in a newcomer's trial: `-mobile` below `- web` was "a key without ':'"."""
    body = "  - id: DIG-1\n    tags:\n      - web\n      -mobile  # new\n    effort: 3\n"
    where, message, hint, related = syntax_finding(tmp_path, body)
    assert libyaml_marks(HEAD + body) == ((7, 5), (6, 7))
    assert where == "units/digital.yaml:6:7"
    assert message == ("`-mobile` has no space after its '-', so YAML does not read it as a list item (could not "
                       "find expected ':', while scanning a simple key)")
    assert (hint, related) == ("put a space after the '-' (`- mobile`)", [(7, 5)])
    # a number written so may have lost its sign or its space: the parser's words (a
    # review found it called "a list item without its `- `", whose hint made `- -5`)
    assert parse_text(HEAD + body.replace("-mobile", "-5")).problems[0].message == (
        "a key without ':' (could not find expected ':', while scanning a simple key)")


@pytest.mark.parametrize("indent", [2, 0])
def test_a_value_wrapped_onto_a_line_indented_less_than_its_key_is_told_to_indent_it(tmp_path, indent: int) -> None:
    """Found in a newcomer's trial: a title's second line at column 3 (or 1) was "a key without ':'"."""
    body = "  - id: DIG-1\n    title: Application status tracker\n" + " " * indent + "in the online bank\n" \
           "    effort: 3\n"
    where, message, hint, related = syntax_finding(tmp_path, body)
    assert libyaml_marks(HEAD + body) == ((6, 11), (5, indent + 1))
    assert where == f"units/digital.yaml:5:{indent + 1}"
    assert message == ("a line without ':' under `title:`, indented less than it (could not find expected ':', "
                       "while scanning a simple key)")
    assert hint == ("if it goes on with `title:`'s value, indent it further than `title:` (or join the two lines); "
                    "if it is a key, add ':' after it")
    assert related == [(6, 11)]


@pytest.mark.parametrize(("text", "at", "stopped", "message"), [
    ("unit: d\ngoals:\n  - {kpi: aht, direction: increase, period: 2026   # longer calls\n\ninitiatives:\n"
     "  - id: A\n", (3, 5), (5, 1), "the `{` here is not closed before `initiatives:` on line 5 (did not find "
     "expected ',' or '}', while parsing a flow mapping)"),
    ("initiatives:\n  - id: A\n    addresses: [PP-1  # first\n    effort: 3\n", (3, 16), (4, 5),
     "the `[` here is not closed before `effort:` on line 4 (did not find expected ',' or ']', while parsing a "
     "flow sequence)"),
])
def test_a_bracket_left_open_before_a_comment_is_said_where_it_opens(text: str, at: tuple, stopped: tuple,
                                                                     message: str) -> None:
    """Found in a trial on nordbank: a goal without its `}` before a comment kept libyaml's
    words: the comment ends the last value, and libyaml stops at the next key's start, not
    at its ':' as when the value runs on into it."""
    problem = parse_text(text).problems[0]
    assert libyaml_marks(text)[0] == stopped
    assert ((problem.line, problem.column), problem.message, problem.related) == (at, message, (stopped,))
    assert problem.hint == f"close it with `{'}' if '{' in message else ']'}` after its last item"


def test_a_quote_left_open_that_runs_on_into_the_next_flow_item_is_reported_where_it_opens(tmp_path) -> None:
    """Found in a trial on nordbank: `{kind: "survey, …}` above `- {kind: analytics, note:
    "62% …"}` kept libyaml's words at the 62: the line it ran over begins as an item in
    braces, `- {kind:`, which now counts as a line that begins as an item does."""
    body = ('  - id: DIG-1\n    evidence:\n      - {kind: "survey, count: 840}\n'
            '      - {kind: analytics, note: "62% leave the price page"}\n')
    found, message, hint, related = syntax_finding(tmp_path, body)
    assert libyaml_marks(HEAD + body)[0] == (6, 34)
    assert found == "units/digital.yaml:5:16"
    assert message == ("the quoted value of `kind` runs on from here to line 6: its closing quote is missing (did "
                       "not find expected ',' or '}', while parsing a flow mapping)")
    assert (hint, related) == ('add the closing " where the item ends, before the next , or }', [(6, 34)])


@pytest.mark.parametrize(("rest", "example"), [
    ("Explore: options and prices, completion: 0.80}", 'name: "Explore: options and prices"'),
    ("Explore: options}  # the first stage", 'name: "Explore: options"'),
])
def test_a_colon_inside_a_value_in_braces_gets_a_quoted_example(rest: str, example: str) -> None:
    """Found in a trial on nordbank: `{id: explore, name: Explore: options and prices, …}`
    kept libyaml's "did not find expected ',' or '}'": a ': ' in a value was said only
    outside braces. Said at the ':', libyaml's mark and the value's end mark."""
    text = "journeys:\n  - id: j\n    stages:\n      - {id: explore, name: " + rest + "\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (4, 36)
    assert problem.message == ("the value of `name` holds ': ', which YAML reads as another key (did not find "
                               "expected ',' or '}', while parsing a flow mapping)")
    assert problem.hint == f"quote the value, e.g. `{example}`"


@pytest.mark.parametrize(("text", "at", "message", "hint"), [
    ("organization: O\nyear: 2026\nscoring: }   # default weights\n", (3, 10),
     "a `}` with no `{` before it to close", "write the `{` where the braces begin, or delete the `}`"),
    ("initiatives:\n  - id: A\n    addresses: ]\n", (3, 16),
     "a `]` with no `[` before it to close", "write the `[` where the brackets begin, or delete the `]`"),
])
def test_a_closing_bracket_with_nothing_open_is_said_so(text: str, at: tuple, message: str, hint: str) -> None:
    """Found in a trial on nordbank: `scoring: }` (its `{` deleted) kept libyaml's "did not
    find expected node content". Said at the bracket, libyaml's mark."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == at
    assert problem.message == f"{message} (did not find expected node content, while parsing a block node)"
    assert problem.hint == hint


@pytest.mark.parametrize(("text", "first", "stopped", "key"), [
    ("# settings\n organization: Nordbank\nyear: 2026\n", (2, 2), (3, 1), "year:"),
    ("  unit: digital\ninitiatives:\n  - id: A\n", (1, 3), (2, 1), "initiatives:"),
])
def test_a_first_key_indented_more_than_the_next_is_told_to_start_at_column_one(text: str, first: tuple,
                                                                                  stopped: tuple, key: str) -> None:
    """Found in a trial on nordbank: ` organization: Nordbank` indented one space kept
    libyaml's "did not find expected <document start>" at `year:`, the line below."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == stopped
    assert problem.message == (f"the key `{key}` at column 1 is left of the file's first key, at column {first[1]} "
                               f"on line {first[0]}, so YAML reads the file as ended before it (did not find "
                               "expected <document start>)")
    assert problem.hint == (f"start the top-level keys at column 1: remove the indentation before the first key on "
                            f"line {first[0]}")
    assert problem.related == (first,)


@pytest.mark.parametrize(("text", "key", "stopped"), [
    ("# settings\norganization:Nordbank\nyear: 2026\n", "organization", (3, 5)),
    ("unit:digital\ninitiatives:\n  - id: A\n", "unit", (2, 12)),
])
def test_a_files_first_key_without_the_space_after_its_colon_is_named(text: str, key: str, stopped: tuple) -> None:
    """Found in a trial on nordbank: `organization:Nordbank` as the first key kept libyaml's
    "mapping values are not allowed" a line below: the file is one plain value up to there."""
    problem = parse_text(text).problems[0]
    assert libyaml_marks(text)[0] == stopped
    first = (text.count("\n", 0, text.index(key)) + 1, 1)
    assert (problem.line, problem.column) == first
    assert problem.message == (f"`{key}:` has no space after its ':', so YAML reads it and the line below as one "
                               "value, not a key (mapping values are not allowed in this context)")
    meant = text.splitlines()[first[0] - 1].replace(":", ": ", 1)
    assert (problem.hint, problem.related) == (f"put a space after the ':' (`{meant}`)", (stopped,))


@pytest.mark.parametrize(("text", "begins", "stopped", "message", "hint"), [
    ("journeys:\n  - id mortgage\n    name: Mortgage\n", (2, 5), (3, 9),
     "`id` has no ':' after it, so YAML reads this line and the line below as one value, not keys (mapping values are not allowed in this context)",
     "add ':' after the key (`id: mortgage`)"),
    ("# settings\norganization Nordbank\n\nyear: 2026\n", (2, 1), (4, 5),
     "`organization` has no ':' after it, so YAML reads this line and the lines below it, up to line 4, as one "
     "value, not keys (mapping values are not allowed in this context)", "add ':' after the key (`organization: Nordbank`)"),
    # a comment ends the value: libyaml stops at the next key, in line with it
    ("# settings\norganization Nordbank  # the bank\nyear: 2026\n", (2, 1), (3, 1),
     "`organization` has no ':' after it, so YAML reads this line as one value, not a key (did not find "
     "expected <document start>)",
     "add ':' after the key (`organization: Nordbank`)"),
    ("journeys:\n  - id mortgage  # the first\n    name: Mortgage\n", (2, 5), (3, 5),
     "`id` has no ':' after it, so YAML reads this line as one value, not a key (did not find expected '-' "
     "indicator, while parsing a block collection)",
     "add ':' after the key (`id: mortgage`)"),
])
def test_a_first_key_without_its_colon_is_said_where_it_begins(text: str, begins: tuple, stopped: tuple,
                                                               message: str, hint: str) -> None:
    """Found in a trial on nordbank: `- id mortgage` above `name: Mortgage` kept libyaml's
    "mapping values are not allowed in this context" at the ':' of `name:`, a line below."""
    problem = parse_text(text).problems[0]
    assert libyaml_marks(text)[0] == stopped
    assert (problem.line, problem.column, problem.related) == (*begins, (stopped,))
    assert problem.message == message
    assert problem.hint == hint
    # an item that is one word above a key out of line is an item: the parser's words
    text = "initiatives:\n  - id: A\n    tags:\n      - mobile\n        name: x\n"
    assert parse_text(text).problems[0].message == "mapping values are not allowed in this context"


@pytest.mark.parametrize(("lines", "at", "message", "hint"), [
    ('    addresses: [PP-1]"\n    effort: 3\n  - id: B\n    title: "x"\n', (4, 22),
     "`\"` after the `]` that ends the value of `addresses` (did not find expected key, while parsing a block "
     "mapping)", "delete it"),
    ('    effects:\n      - {kpi: k, change: 1}"\n      - {kpi: o, change: 2, note: "y"}\n', (5, 28),
     "`\"` after the `}` that ends an item of `effects` (did not find expected '-' indicator, while parsing a "
     "block collection)", "delete it"),
    ("    addresses: [PP-1] PP-2\n    effort: 3\n", (4, 23),
     "`PP-2` after the `]` that ends the value of `addresses` (did not find expected key, while parsing a block "
     "mapping)", "write it inside the `[…]`, or delete it"),
])
def test_text_after_a_closing_bracket_is_said_there(tmp_path, lines: str, at: tuple, message: str,
                                                     hint: str) -> None:
    """Found in a trial on nordbank: a stray `"` after `[PP-black-hole]` or after an item's
    `}` kept libyaml's words. Said at the text, libyaml's mark, after the bracket's end mark."""
    body = "  - id: DIG-1\n" + lines
    where, said, told, related = syntax_finding(tmp_path, body)
    assert libyaml_marks(HEAD + body)[0] == at
    assert (where, said, told, related) == ("units/digital.yaml:{}:{}".format(*at), message, hint, [])


def test_text_after_a_closing_quote_that_is_a_key_or_follows_an_apostrophe() -> None:
    """Found in a trial on nordbank: `{period: "2026-Q2," value: 298}` was told to quote
    `"2026-Q2," value: 298` whole, and `'Payout's …` to lose its apostrophe."""
    text = "kpis:\n  - {period: \"2026-Q2,\" value: 298}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (2, 25)
    assert problem.message.startswith("a comma is missing before `value:` (")
    text = "journeys:\n  - {id: payout, name: 'Payout's and first instalment}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (2, 32)
    assert problem.message == ("the text after the closing quote, `s and first instalment`, is outside the quoted "
                               "value of `name` (did not find expected ',' or '}', while parsing a flow mapping)")
    assert problem.hint == ("if the ' before it is an apostrophe, write it as '' (`name: 'Payout''s and first "
                            "instalment'`), or put the value in double quotes (`name: \"Payout's and first "
                            "instalment\"`)")
    assert problem.related == ((2, 24),)


def test_a_key_in_line_with_a_top_level_lists_items_is_not_offered_the_top_level() -> None:
    """Found in a trial on nordbank: `name:` two spaces left, in line with the `- ` of the
    `kpis:` items, was offered column 1 "like the other top-level keys" too."""
    text = "kpis:\n  - id: k\n    kind: x\n  name: N\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (4, 3)
    assert problem.message == ("the key `name:` at column 3 is in line with the `- ` of the items of `kpis`, where "
                               "only a list item can go (did not find expected '-' indicator, while parsing a block "
                               "collection)")
    assert (problem.hint, problem.related) == (
        "indent `name:` to column 5 like the other keys of this KPI (it starts at line 2)", ((2, 5),))
    # a document's own key there is offered the top level
    text = "initiatives:\n  - id: A\n    title: T\n  unit: d\n"
    assert parse_text(text).problems[0].hint == ("indent `unit:` to column 5 like the other keys of this initiative "
                                                 "(it starts at line 2), or to column 1 like the other top-level keys "
                                                 "(it starts at line 1)")


def test_an_item_in_braces_without_the_space_after_its_dash_is_named() -> None:
    """Found in a trial on nordbank: `-{id: apply, …}` below `- {id: a, …}` was told to
    indent `-{id:` like the journey's keys, as if it were a key out of line."""
    text = "journeys:\n  - id: j\n    stages:\n      - {id: a, name: A}\n      -{id: apply, name: Apply}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0] == (5, 7)
    assert problem.message == ("`-{id:` has no space after its '-', so YAML reads `-{id` as a key, not as a list item "
                               "(did not find expected '-' indicator, while parsing a block collection)")
    assert problem.hint == "put a space after the '-' (`- {id:`)"


def test_a_closing_bracket_in_a_comment_is_said_to_be_hidden_by_it() -> None:
    """Found in a trial on nordbank: `name: Explore #options and prices, completion: 0.80}`
    was told to add a `}` after `Explore`: the ` #` begins a comment, which holds the `}`."""
    text = ("journeys:\n  - id: j\n    stages:\n      - {id: explore, name: Explore #options and prices, "
            "completion: 0.80}\n      - {id: a, name: A}\n")
    problem = parse_text(text).problems[0]
    assert libyaml_marks(text)[0] == (5, 7)
    assert (problem.line, problem.column) == (4, 37)  # the `#`, after the end mark of `Explore`
    assert problem.message == ("` #` begins a comment, so the rest of the line, its `}` too, is not read: the `{` "
                               "opened at line 4, column 9 is not closed before the next item on line 5 (did not find "
                               "expected ',' or '}', while parsing a flow mapping)")
    assert problem.hint == ("quote the value with the `#` in it (`name: \"Explore #options and prices\"`), or remove "
                            "the space before the `#`")
    assert problem.related == ((4, 9), (5, 7))


def test_a_closing_bracket_in_a_comment_at_the_end_of_the_file_is_said_to_be_hidden() -> None:
    text = "journeys:\n  - id: j\n    stages:\n      - {id: set-up, name: Set #up the savings agreement}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (4, 32)  # the `#`
    assert problem.message == ("` #` begins a comment, so the rest of the line, its `}` too, is not read: the `{` "
                               "opened at line 4, column 9 is not closed before the end of the file (did not find "
                               "expected ',' or '}', while parsing a flow mapping)")
    assert problem.hint == ("quote the value with the `#` in it (`name: \"Set #up the savings agreement\"`), or "
                            "remove the space before the `#`")
    assert problem.related == ((4, 9), (5, 1)) and libyaml_marks(text)[0] == (5, 1)


def test_a_closing_bracket_in_a_comment_before_the_next_key_is_said_to_be_hidden() -> None:
    text = "initiatives:\n  - id: A\n    addresses: [PP-a #2, PP-b]\n    status: done\n"
    problem = parse_text(text).problems[0]
    assert libyaml_marks(text)[0] == (4, 5)
    assert (problem.line, problem.column) == (3, 22)  # the `#`, after the end mark of `PP-a`
    assert problem.message == ("` #` begins a comment, so the rest of the line, its `]` too, is not read: the `[` "
                               "opened at line 3, column 16 is not closed before `status:` on line 4 (did not find "
                               "expected ',' or ']', while parsing a flow sequence)")
    assert problem.hint == 'quote the value with the `#` in it (`"PP-a #2"`), or remove the space before the `#`'
    assert problem.related == ((3, 16), (4, 5))


@pytest.mark.parametrize(("item", "stopped"), [
    ('{kind: "nps, count: 212, note: "Top detractor theme"}', (5, 41)),
    ('{kind: "analytics, note: "62% leave the price page"}', (5, 35)),
])
def test_a_quote_left_open_and_closed_by_the_next_values_quote_is_said_where_it_opens(tmp_path, item: str,
                                                                                    stopped: tuple) -> None:
    """Found in a trial on nordbank: `{kind: "nps, count: 212, note: "Top detractor theme"}`
    was said to have text outside the quotes after `note: "`, with a hint to quote it all.
    The quote after `kind:` is left open; the one opening `note:`'s value closes it."""
    body = "  - id: DIG-1\n    evidence:\n      - " + item + "\n"
    where, message, hint, related = syntax_finding(tmp_path, body)
    assert libyaml_marks(HEAD + body)[0] == stopped
    assert where == "units/digital.yaml:5:16"  # the opening quote, the value's start mark
    assert message == ("the quoted value of `kind` runs on to `note:`, whose opening quote closes it: its closing "
                       "quote is missing (did not find expected ',' or '}', while parsing a flow mapping)")
    assert (hint, related) == ('add the closing " where the item ends, before the next , or }', [stopped])


@pytest.mark.parametrize(("line", "hint"), [
    ('    effort: "8" weeks\n', "write the number alone, without quotes or a unit (`effort: 8`)"),
    ('    effort: "lots" of work\n', "write the number alone, without quotes or a unit"),
    ('    addresses: "PP-black-hole" PP-kyc-questions\n',
     "write its ids as a list, without quotes (`addresses: [PP-black-hole, PP-kyc-questions]`)"),
    ('    effects: [{kpi: nps, change: "20" points}]\n', "write the number alone, without quotes or a unit (`change: 20`)"),
])
def test_text_after_a_quoted_number_or_id_is_told_the_value_the_field_takes(line: str, hint: str) -> None:
    """Found by a review: `effort: "8" weeks` was told to quote the whole value or remove
    the quotes, and either way validation refused `8 weeks`; `addresses: "PP-a" PP-b`
    likewise, where a list of ids goes. The text after the quote is said as before; the
    hint writes the value the field takes."""
    text = HEAD + "  - id: DIG-1\n" + line
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == libyaml_marks(text)[0]
    assert problem.message.startswith("the text after the closing quote, ")
    assert problem.hint == hint


def test_a_quote_glued_to_the_colon_of_a_files_first_key_is_to_be_deleted(tmp_path_factory) -> None:
    """Found in a task on nordbank: `kpis:"` (a quote typed after the ':'), with a comment
    line below it, was libyaml's own "did not find expected <document start>" at the first
    KPI, with the hint "fix the YAML syntax": the file is one value, `kpis:"`, and no key."""
    root = copy_of_example(tmp_path_factory, "glued-quote")
    kpis = root / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8").replace("\nkpis:\n", '\nkpis:"\n', 1), encoding="utf-8")
    found = [f for f in check(root).result.findings if f.code == "CXP001"]
    assert [(f.location.file, f.location.line, f.location.column) for f in found] == [("kpis.yaml", 2, 1)]
    assert found[0].message == ("`kpis:` has a `\"` right after its ':', so YAML reads the line as one value, not a "
                                "key (did not find expected <document start>)")
    assert found[0].hint == 'delete the `"` (`kpis:`)'
    assert [(r.line, r.column) for r in found[0].related] == [(4, 3)]  # the first KPI's `-`, where libyaml stopped


@pytest.mark.parametrize(("text", "at", "hint"), [
    ('kpis:"\n  - id: a\n    name: A\n', (1, 1), 'delete the `"` (`kpis:`)'),  # the line below runs on
    ("unit: d\ninitiatives:'\n  - id: a\n", (2, 1), "delete the `'` (`initiatives:`)"),
    ("unit: d\ninitiatives:\n  - id: a\n    effort:' 1\n    size: quick_win\n", (4, 5), "delete the `'` (`effort: 1`)"),
    ('unit: d\ninitiatives:\n  - id: a\n    title:"Status tracker\n    effort: 3\n', (4, 5),
     "put a space after the ':' and close the quote at the end of the value (`title: \"Status tracker\"`)"),
])
def test_a_quote_glued_to_a_keys_colon_is_deleted_or_closed(text: str, at: tuple[int, int], hint: str) -> None:
    """A quote right after a key's ':' with nothing or a blank after it is a quote too many
    (`effort:' 1`: a space after the ':' would leave it open); before text, one to close."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert problem.hint == hint


def test_a_colon_before_a_comma_in_braces_is_said_in_plain_words(tmp_path_factory) -> None:
    """Found in a task on nordbank: `{id: explore, name: Explore:, completion: 0.80}` was
    libyaml's own "found unexpected ':'" with "fix the YAML syntax between the related
    location … and here": in `{…}` a plain value cannot hold a ':' right before a `,`."""
    root = copy_of_example(tmp_path_factory, "colon-before-comma")
    journeys = root / "journeys.yaml"
    written = journeys.read_text(encoding="utf-8")
    assert "name: Explore options and prices," in written
    journeys.write_text(written.replace("name: Explore options and prices,", "name: Explore:,", 1), encoding="utf-8")
    found = [f for f in check(root).result.findings if f.code == "CXP001"]
    assert [(f.location.file, f.location.line, f.location.column) for f in found] == [("journeys.yaml", 8, 36)]
    assert found[0].message == ("the value of `name` has a ':' right before `,`, which YAML does not read in a value "
                                "inside `{…}` or `[…]` unless it is quoted (found unexpected ':', while scanning a "
                                "plain scalar)")
    assert found[0].hint == "if the ':' belongs to the value, quote it (`name: \"Explore:\"`); if not, delete the ':'"
    assert found[0].related == ()


@pytest.mark.parametrize(("text", "at", "what", "hint"), [
    ("addresses: [PP-1:, PP-2]\n", (1, 17), "an item of `addresses`",
     "if the ':' belongs to the value, quote it (`\"PP-1:\"`); if not, delete the ':'"),
    ("tags: [a, b:]\n", (1, 12), "an item of `tags`",
     "if the ':' belongs to the value, quote it (`\"b:\"`); if not, delete the ':'"),
    ("effects:\n  - {kpi: nps, change: 4:}\n", (2, 25), "the value of `change`",
     "delete the ':', a number holds none (`change: 4`)"),
])
def test_a_colon_before_a_flow_indicator_names_the_value_or_item(text: str, at: tuple[int, int], what: str,
                                                                 hint: str) -> None:
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(text)[0]
    after = text.splitlines()[at[0] - 1][at[1]]  # the character after the ':'
    assert problem.message.startswith(f"{what} has a ':' right before `{after}`, which YAML")
    assert problem.hint == hint


def test_a_colon_before_a_comma_after_another_colon_keeps_the_parsers_words() -> None:
    """`name: Explore: now:,`: the line does not say whose value `now:` is."""
    problem = parse_text("stages:\n  - {id: e, name: Explore: now:, completion: 0.8}\n").problems[0]
    assert problem.message == "found unexpected ':' (while scanning a plain scalar)"


@pytest.mark.parametrize(("line", "at", "message", "hint"), [
    ("  - {id: choose, name: Choose Nordba{nk, completion: 0.60}\n", (3, 37), "a `{` inside the value of `name`",
     "if the `{` belongs to the value, quote the value (`name: \"Choose Nordba{nk\"`); if not, delete the `{`"),
    ("  - {id: set-up], name: Set up}\n", (3, 16), "a `]` inside the value of `id`",
     "if the `]` belongs to the value, quote the value (`id: \"set-up]\"`); if not, delete the `]`"),
    ("  - {id: a, name: Choose [new] card}\n", (3, 26), "a `[` inside the value of `name`",
     "if the `[` belongs to the value, quote the value (`name: \"Choose [new] card\"`); if not, delete the `[`"),
    ("  - id: a\n    addresses: [PP-agree}ment-paper]\n", (4, 25), "a `}` inside an item of `addresses`",
     "if the `}` belongs to the value, quote the value (`\"PP-agree}ment-paper\"`); if not, delete the `}`"),
    ("  - {id: a, effort: 5]}\n", (3, 22), "a `]` inside the value of `effort`, a number", "delete the `]` (`effort: 5`)"),
    # glued to the next word, with no `[` open: no closer mistyped
    ("  - {id: a, name: Get a ]new card}\n", (3, 25), "a `]` inside the value of `name`",
     "if the `]` belongs to the value, quote the value (`name: \"Get a ]new card\"`); if not, delete the `]`"),
])
def test_a_bracket_inside_a_value_in_braces_is_said_where_it_is(line: str, at: tuple[int, int], message: str,
                                                                hint: str) -> None:
    """Found by a sweep of single-character edits of the examples, the commonest slip left
    in libyaml's own words ("did not find expected ',' or '}'"): a bracket typed inside a
    plain value of `{…}` or `[…]` ends the value there."""
    text = HEAD + line
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(text)[0]
    assert problem.message.startswith(f"{message} (" if "number" in message else f"{message}, where YAML reads")
    assert problem.hint == hint


def test_a_bracket_that_may_close_an_open_one_is_not_called_part_of_a_value() -> None:
    problem = parse_text(HEAD + "  - {id: a, tags: [x, y}, status: idea}\n").problems[0]  # a `]` left out
    assert problem.message == "did not find expected ',' or ']' (while parsing a flow sequence)"


@pytest.mark.parametrize(("line", "at", "key", "hint"), [
    ("  - {kpi: nps, confi]dence: 0.6}\n", (3, 21), "confidence", "delete the `]` (`confidence: 0.6`)"),
    ("  - {id]: DIG-1, title: x}\n", (3, 8), "id", "delete the `]` (`id: DIG-1`)"),
    ("  - {id: DIG-1, effort{: 3}\n", (3, 23), "effort", "delete the `{` (`effort: 3`)"),
])
def test_a_bracket_inside_a_key_in_braces_is_to_be_deleted(line: str, at: tuple[int, int], key: str, hint: str) -> None:
    """Found by the same sweep: `{period: 2026, valu[e: 66}` was "did not find expected ','
    or '}'": the bracket ends the key there, and YAML reads `valu` as a key without value."""
    problem = parse_text(HEAD + line).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(HEAD + line)[0]
    assert problem.message.startswith(f"a `{line[at[1] - 1]}` inside the key `{key}:`, where YAML reads it as a bracket")
    assert problem.hint == hint


@pytest.mark.parametrize(("line", "at", "message", "hint"), [
    ("]    title: x\n", (4, 1), "a `]` before the key `title:`", "delete the `]`"),
    ("]   title: x\n", (4, 1), "a `]` before the key `title:`", "replace the `]` with a space"),
    ("   : title: x\n", (4, 4), "a `:` before the key `title:`", "delete the `:`"),
    ("   ]title: x\n", (4, 4), "a `]` before the key `title:`", "replace the `]` with a space"),
    (" { - id: DIG-2\n", (4, 2), "a `{` before the list item `- id: DIG-2`", "delete the `{`"),
])
def test_a_character_typed_in_a_keys_indentation_is_said_where_it_is(line: str, at: tuple[int, int], message: str,
                                                                      hint: str) -> None:
    """Found by a sweep of single-character edits of the examples, the next commonest slip
    left in libyaml's own words ("did not find expected key"): a bracket or ':' typed
    before a key or an item, in its indentation. The fix said is the one tried and found
    to read the file past the line."""
    text = HEAD + "  - id: DIG-1\n" + line + "    effort: 3\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(text)[0]
    assert problem.message.startswith(f"{message}, in its indentation, where only spaces go (did not find expected")
    assert problem.hint == hint


@pytest.mark.parametrize(("line", "at", "message", "hint"), [
    ("  - {id: DIG-1, ,title: x}\n", (3, 17), "a `,` where a key or value of `{…}` or `[…]` begins", "delete the `,`"),
    ("  - {id: DIG-1, title: :x}\n", (3, 24), "a `:` where a key or value of `{…}` or `[…]` begins", "delete the `:`"),
    ("  - {]id: DIG-1, title: x}\n", (3, 6), "a `]` where a key or value of `{…}` or `[…]` begins", "delete the `]`"),
    ("  - {id: DIG-1, title,: x}\n", (3, 22), "a `,` between a key and its ':'", "delete the `,`"),
    ("  - {id: DIG-1,- title: x}\n", (3, 16), "a `-` where a key or value of `{…}` or `[…]` begins", "delete the `-`"),
    ("  - {id: DIG-1,: title: x}\n", (3, 16), "a `:` where a key or value of `{…}` or `[…]` begins", "delete the `:`"),
])
def test_a_character_typed_where_an_item_of_braces_begins_is_to_be_deleted(line: str, at: tuple[int, int],
                                                                            message: str, hint: str) -> None:
    """Found by the same sweep: `{period: 2026-Q2, ,value: 2.3}` was libyaml's "did not find
    expected node content". Said where the character is (libyaml's mark; for `title,:` the
    `,` just before it), when the file without it reads on."""
    problem = parse_text(HEAD + line).problems[0]
    assert (problem.line, problem.column) == at
    assert problem.message.startswith(f"{message} (did not find expected node content")
    assert problem.hint == hint


def test_a_comma_typed_before_a_top_level_key_is_to_be_deleted() -> None:
    text = "organization: Nordbank\nyear: 2026\nrules:\n  ,CXP405: {days: 90}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (4, 3) == libyaml_marks(text)[0]
    assert problem.message.startswith("a `,` before the key `CXP405:`, in its indentation, where only spaces go")
    assert problem.hint == "delete the `,`"


@pytest.mark.parametrize(("glued", "meant", "title"), [
    ('title:"Status" tracker', "title: 'Status\" tracker'", 'Status" tracker'),
    ("title:'It's here", "title: \"It's here\"", "It's here"),
    ('title:"Say "hi" now', "title: 'Say \"hi\" now'", 'Say "hi" now'),
    ('title:"50\\% off', "title: '50\\% off'", "50\\% off"),
])
def test_a_quote_glued_to_a_key_is_closed_only_where_closing_it_reads(glued: str, meant: str, title: str) -> None:
    """Found by a review: a quote glued to a key's ':' was told to be closed at the end of the
    value whatever the value held, and the line proposed was refused next (`title: "Say "hi"
    now"`, a `\\%` read as an escape). Such a value is proposed quoted as a whole, and the line
    proposed reads as the text written."""
    problem = parse_text(f"initiatives:\n  - id: I1\n    {glued}\n").problems[0]
    assert problem.hint == f"put a space after the ':' and quote the value as a whole (`{meant}`)"
    fixed = parse_text(f"initiatives:\n  - id: I1\n    {meant}\n")
    assert fixed.problems == [] and fixed.data["initiatives"][0]["title"] == title


@pytest.mark.parametrize("text", ["organization: X\nyear: 2026\nscoring: {[}\n", "a: {x: [1, }\n"])
def test_a_closer_of_what_is_open_around_it_is_not_called_the_slip(text: str) -> None:
    """Found by a review: `scoring: {[}` was told to delete the `}`, after which the next
    check said the `[` is not closed: the `}` closes the `{` around it, the slip is before it.
    Such a file keeps the parser's words rather than a wrong fix."""
    problem = parse_text(text).problems[0]
    assert "delete the `}`" not in (problem.hint or "")
    assert problem.message.startswith("did not find expected node content")


@pytest.mark.parametrize(("text", "at", "message", "hint"), [
    # a line break typed into the file's first key
    ("# c\norga\nnization: Nordbank\nyear: 2026\n", (2, 5),
     "a line break inside the key `organization:`, which YAML does not read as one key over two lines",
     "join the two lines (`organization: Nordbank`)"),
    ("# yaml-language-server: $schema=../../schemas/config.sch\nema.json\norganization: Nordbank\nyear: 2026\n",
     (1, 57), "a line break inside the comment on line 1: its rest, `ema.json` on line 2, has no `#`, so YAML "
     "reads it as part of the file, not of the comment",
     "join line 2 to the end of line 1 (`…-language-server: $schema=../../schemas/config.schema.json`)"),
    ("year: 2026\nscoring: {}   # default weights, see\n docs/ranking.md\nrules: {}\n", (2, 37),
     "a line break inside the comment on line 2: its rest, `docs/ranking.md` on line 3, has no `#`",
     "join line 3 to the end of line 2 (`scoring: {}   # default weights, see docs/ranking.md`)"),
    ("kpis:\n  - id: nps\n    name: Mortgage applications that end in a\n payout\n    kind: experience\n", (3, 46),
     "a line break inside the value of `name`: its rest, on line 4, is indented less than `name:`, where YAML "
     "expects a key", "join the two lines (`name: Mortgage applications that end in a payout`), or indent line 4 "
     "further than `name:`"),
    (HEAD + "  - id:\n DIG-1\n    title: Status tracker\n", (3, 8),
     "the value of `id` is on the line below it, indented less than `id:`, where YAML expects a key",
     "write it after `id:` (`- id: DIG-1`), or indent line 4 further than `id:`"),
    ("target:\n  improvements\n: 20\n", (2, 15), "a line break between the key `improvements` and its ':'",
     "join the two lines (`improvements: 20`)"),
    ("# c\norganization\n: Nordbank\nyear: 2026\n", (2, 13), "a line break between the key `organization` and its ':'",
     "join the two lines (`organization: Nordbank`)"),
    (HEAD + "  - id\n: DIG-1\n    title: x\n", (3, 7), "a line break between the key `id` and its ':'",
     "join the two lines (`- id: DIG-1`)"),
    (HEAD + "  - id: DIG-1\n    effects:\n      -\n {kpi: nps, change: 2}\n", (5, 8),
     "the item of the `-` on line 5 is on the line below it, indented less than the `-`, where YAML expects a key",
     "write it after the `-` (`- {kpi: nps, change: 2}`)"),
])
def test_a_line_broken_in_two_is_said_at_the_line_break(text: str, at: tuple[int, int], message: str,
                                                        hint: str) -> None:
    """Found by a sweep of single-character edits of the examples, the commonest slips left
    in libyaml's own words ("mapping values are not allowed in this context", "did not
    find expected key"): a line break typed into a key, a comment or a value. Said where
    the line break is, not on the line below where libyaml stops; the lines joined, as the
    hint writes them, read on."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert problem.message.startswith(message)
    assert problem.hint == hint
    assert list(problem.related) == [libyaml_marks(text)[0]]
    lines = text.split("\n")
    above, rest = lines[at[0] - 1], lines[at[0]]
    joined = above + (" " + rest.lstrip() if rest.startswith(" ") else rest)
    assert joined.endswith(re.search(r"\(`…?(.*)`\)", hint).group(1))  # the line the hint writes
    lines[at[0] - 1:at[0] + 1] = [joined]
    assert parse_text("\n".join(lines)).problems == []


def test_a_line_that_joined_to_the_line_above_does_not_read_is_not_called_broken() -> None:
    """`b: c` under `name: A`, indented less: joined (`name: A b: c`) it is no value either."""
    problem = parse_text("kpis:\n  - id: a\n    name: A\n b: c\n").problems[0]
    assert "line break" not in problem.message


def test_a_broken_header_comment_of_an_example_is_said_through_the_cli(tmp_path_factory) -> None:
    """Found by the same sweep on nordbank: the `yaml-language-server` line of
    cxportfolio.yaml broken in two was "mapping values are not allowed in this context" at
    line 3, with the hint "fix the YAML syntax"."""
    root = copy_of_example(tmp_path_factory, "broken-comment")
    config = root / "cxportfolio.yaml"
    written = config.read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=../../schemas/config.schema.json\norganization:")
    config.write_text(written.replace("config.schema", "config.sch\nema", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("cxportfolio.yaml", 1, 57)]
    assert found[0]["message"] == (
        "a line break inside the comment on line 1: its rest, `ema.json` on line 2, has no `#`, so YAML reads it as "
        "part of the file, not of the comment (mapping values are not allowed in this context)")
    assert found[0]["hint"] == ("join line 2 to the end of line 1 "
                                "(`…-language-server: $schema=../../schemas/config.schema.json`)")
    assert found[0]["related"] == [{"file": "cxportfolio.yaml", "line": 3, "column": 13}]


@pytest.mark.parametrize(("line", "at", "message", "hint"), [
    ("  - {kpi: nps, change:, -0.2, confidence: 0.5}\n", (3, 23), "a `,` right after the ':' of `change`",
     "delete the `,` (`change: -0.2`)"),
    ("  - {kpi: nps, change: 3, period:{ 2026-Q3}\n", (3, 34), "a `{` right after the ':' of `period`",
     "delete the `{` (`period: 2026-Q3`)"),
    ("  - {kpi: nps, change:} 3}\n", (3, 23), "a `}` right after the ':' of `change`", "delete the `}` (`change: 3`)"),
    ("  - {id:]DIG-1, title: x}\n", (3, 9), "a `]` right after the ':' of `id`",
     "replace the `]` with a space (`id: DIG-1`)"),
])
def test_a_bracket_or_comma_right_after_a_keys_colon_in_braces_is_said_where_it_is(
        line: str, at: tuple[int, int], message: str, hint: str) -> None:
    """Found by a sweep of single-character edits of the examples, the commonest slip left
    in libyaml's own words after a line broken in two: `{days:{ 90}` was "found unexpected
    ':'" at the ':', as if the key's text went on. Said at the character after it."""
    text = HEAD + line
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert libyaml_marks(text)[0] == (at[0], at[1] - 1) == problem.related[0]
    assert problem.message.startswith(f"{message}, where its value begins (found unexpected ':'")
    assert problem.hint == hint


def test_a_bracket_after_a_keys_colon_in_a_copy_of_the_config_is_said_through_the_cli(tmp_path_factory) -> None:
    root = copy_of_example(tmp_path_factory, "colon-bracket")
    config = root / "cxportfolio.yaml"
    written = config.read_text(encoding="utf-8")
    assert "  CXP405: {days: 90}" in written
    config.write_text(written.replace("{days: 90}", "{days:{ 90}", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("cxportfolio.yaml", 8, 17)]
    assert found[0]["message"] == ("a `{` right after the ':' of `days`, where its value begins (found unexpected ':', "
                                   "while scanning a plain scalar)")
    assert found[0]["hint"] == "delete the `{` (`days: 90`)"


@pytest.mark.parametrize(("line", "at", "where", "hint"), [
    ("  - {id: DIG-1, owner: x, [title: Status tracker, status: idea}\n", (3, 27), "where a key begins",
     "delete the `[` (`title: Status tracker`)"),
    ("  - {id: DIG-1,[ effort: 3}\n", (3, 16), "where a key begins", "delete the `[` (`effort: 3`)"),
    ("  - {id: DIG-1, effort: [3}\n", (3, 25), "before the value of `effort`, which takes no list",
     "delete the `[` (`effort: 3`)"),
])
def test_a_list_opened_inside_braces_that_the_closing_brace_does_not_close_is_said_at_the_bracket(
        line: str, at: tuple[int, int], where: str, hint: str) -> None:
    """Found by a sweep of single-character edits of the examples: a `[` typed inside `{…}`
    (`{kpi: nps, [change: 0.2}`, `{completion: [0.90}`) was libyaml's "did not find
    expected ',' or ']'" at the `}`. Said at the `[`, the file without it tried."""
    text = HEAD + line
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert list(problem.related) == [libyaml_marks(text)[0]]
    assert problem.message.startswith(f"a `[` inside `{{…}}`, {where}: YAML reads it as the start of a list, which "
                                      f"the `}}` at column {libyaml_marks(text)[0][1]} does not close (did not find")
    assert problem.hint == hint


def test_a_list_of_ids_left_unclosed_in_braces_keeps_the_parsers_words() -> None:
    """`addresses: [PP-1}`: a key that takes a list; a `]` may be what is missing."""
    problem = parse_text(HEAD + "  - {id: DIG-1, addresses: [PP-1}\n").problems[0]
    assert problem.message == "did not find expected ',' or ']' (while parsing a flow sequence)"


def test_a_bracket_typed_before_a_value_in_braces_of_an_example_is_said_through_the_cli(tmp_path_factory) -> None:
    root = copy_of_example(tmp_path_factory, "list-in-braces")
    journeys = root / "journeys.yaml"
    written = journeys.read_text(encoding="utf-8")
    assert "      - {id: block, name: Block the card, completion: 0.90}\n" in written
    journeys.write_text(written.replace("Block the card, completion: 0.90}", "Block the card, completion: [0.90}"),
                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("journeys.yaml", 28, 55)]
    assert found[0]["message"] == (
        "a `[` inside `{…}`, before the value of `completion`, which takes no list: YAML reads it as the start of a "
        "list, which the `}` at column 60 does not close (did not find expected ',' or ']', while parsing a flow "
        "sequence)")
    assert found[0]["hint"] == "delete the `[` (`completion: 0.90`)"


@pytest.mark.parametrize(("line", "at", "what", "hint"), [
    ("  - id: DIG-1\n    title: ,Status tracker\n", (4, 12), "where the value of `title` begins",
     "delete the `,` (`title: Status tracker`)"),
    ("  - id: ,DIG-1\n", (3, 9), "where the value of `id` begins", "delete the `,` (`- id: DIG-1`)"),
    ("  - id: DIG-1\n    effects:\n      - ,{kpi: nps, change: 2}\n", (5, 9), "where a list item begins",
     "delete the `,` (`- {kpi: nps, change: 2}`)"),
    (",  # the first initiative\n  - id: DIG-1\n", (3, 1), "before a comment", "delete the `,`"),
])
def test_a_comma_where_a_block_value_begins_is_to_be_deleted(line: str, at: tuple[int, int], what: str,
                                                            hint: str) -> None:
    """Found by a sweep of single-character edits of the examples: `title: ,Customers fear…`
    was libyaml's "did not find expected node content". Said at the `,` (libyaml's mark),
    when the file without it reads on."""
    text = HEAD + line
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(text)[0]
    assert problem.message == (f"a `,` {what}: outside `{{…}}` and `[…]` a value cannot begin with one (did not "
                               "find expected node content, while parsing a block node)")
    assert problem.hint == hint


def test_a_comma_before_a_value_of_an_example_is_said_through_the_cli(tmp_path_factory) -> None:
    root = copy_of_example(tmp_path_factory, "comma-before-value")
    unit = root / "units" / "digital.yaml"
    written = unit.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(written.splitlines(), 1) if text.startswith("    status: "))
    unit.write_text(written.replace("\n    status: ", "\n    status: ,", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("units/digital.yaml", line, 13)]
    assert found[0]["message"].startswith("a `,` where the value of `status` begins: outside `{…}` and `[…]`")
    assert found[0]["hint"].startswith("delete the `,` (`status: ")


@pytest.mark.parametrize(("text", "at", "hint"), [
    ("journeys:\n  - id: j\n    stages:\n      - {id: sign, name: Sign}\n       {id: payout, name: Payout}\n", (5, 7),
     "write the `-` back (`- {id: payout, name: Payout}`), in line with the `- ` at line 4"),
    (HEAD + "  - id: DIG-1\n    tags:\n      - [a]\n       [b]\n", (6, 7),
     "write the `-` back (`- [b]`), in line with the `- ` at line 5"),
])
def test_a_list_item_whose_dash_was_deleted_is_told_to_get_it_back(text: str, at: tuple[int, int], hint: str) -> None:
    """Found by a sweep of single-character edits of the examples: `- {id: payout}` with
    its `-` deleted (its space left) was libyaml's "did not find expected '-' indicator" at
    the `{`. Said where the `-` goes, the file with it written back tried."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert list(problem.related) == [libyaml_marks(text)[0]] == [(at[0], at[1] + 1)]
    assert problem.message.startswith("a list item without its `-`, one column right of the `- ` of the items above")
    assert problem.hint == hint


def test_a_quote_typed_where_a_dash_would_go_is_not_called_a_lost_dash() -> None:
    """`   " title: x` in line with the `- ` of the items: a `-` there would open a quote."""
    problem = parse_text(HEAD + '  - id: DIG-1\n   " title: x\n  - id: DIG-2\n    title: "y"\n').problems[0]
    assert "without its `-`" not in problem.message


def test_a_lost_dash_in_an_example_is_said_through_the_cli(tmp_path_factory) -> None:
    root = copy_of_example(tmp_path_factory, "lost-dash")
    journeys = root / "journeys.yaml"
    written = journeys.read_text(encoding="utf-8")
    assert "\n      - {id: payout, name: Payout and first instalment}\n" in written
    journeys.write_text(written.replace("\n      - {id: payout,", "\n       {id: payout,", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("journeys.yaml", 12, 7)]
    assert found[0]["hint"] == ("write the `-` back (`- {id: payout, name: Payout and first instalment}`), in line "
                                "with the `- ` at line 11")


@pytest.mark.parametrize(("text", "at", "message", "hint"), [
    (HEAD + "  - id: DIG-1\n    effects:\n      - {kpi: nps, {change: 2}\n      - {kpi: aht, change: -1}\n", (5, 20),
     "a `{` inside `{…}`, where a key begins: YAML reads it as braces of their own, which take the `}` meant for "
     "the `{` at column 9, so that one is not closed", "delete the `{` (`change: 2`)"),
    (HEAD + "  - id: DIG-1\n    effects:\n      - {kpi}: nps, change: 2}\n", (5, 13),
     "a `}` between the key `kpi` and its ':', which closes the braces there", "delete the `}` (`kpi: nps`)"),
    (HEAD + "  - id: DIG-1\n    decided: {by: board, on}: 2026-05-12}\n", (4, 28),
     "a `}` between the key `on` and its ':', which closes the braces there", "delete the `}` (`on: 2026-05-12`)"),
])
def test_a_brace_typed_inside_braces_is_said_where_it_is(text: str, at: tuple[int, int], message: str,
                                                         hint: str) -> None:
    """Found by a sweep of single-character edits of the examples: a `{` typed where a key
    of `{…}` begins was "did not find expected ',' or '}'" on the next line, and a `}`
    typed between a key and its ':' (`{period}: 2024, value: 69}`) "mapping values are not
    allowed in this context" at a later ':'. Said at the brace, the file without it tried."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert list(problem.related) == [libyaml_marks(text)[0]]
    assert problem.message.startswith(f"{message} (")
    assert problem.hint == hint


def test_a_brace_typed_before_a_key_in_braces_of_an_example_is_said_through_the_cli(tmp_path_factory) -> None:
    root = copy_of_example(tmp_path_factory, "brace-in-braces")
    kpis = root / "kpis.yaml"
    written = kpis.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(written.splitlines(), 1) if text == "      - {period: 2024, value: 69}")
    kpis.write_text(written.replace("{period: 2024, value: 69}", "{period}: 2024, value: 69}", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("kpis.yaml", line, 16)]
    assert found[0]["hint"] == "delete the `}` (`period: 2024`)"


def test_a_space_typed_between_a_minus_and_its_number_in_braces_is_to_be_deleted() -> None:
    """`{kpi: nps, change: - 2}`: the slip is the space, not the `-`: said at the space."""
    text = HEAD + "  - id: DIG-1\n    effects:\n      - {kpi: nps, change: - 2.5}\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (5, 29)
    assert list(problem.related) == [libyaml_marks(text)[0]] == [(5, 28)]
    assert problem.message.startswith("a space between the '-' and the number after it, which makes the '-' a list "
                                      "item's (did not find expected node content")
    assert problem.hint == "delete the space (`change: -2.5`)"


@pytest.mark.parametrize(("line", "at", "message"), [
    (" [ - id: DIG-1\n", (3, 2), "a `[` before the list item `- id: DIG-1`"),
    ("  {- id: DIG-1\n", (3, 3), "a `{` before the list item `- id: DIG-1`"),
])
def test_a_bracket_typed_before_a_dash_that_opens_braces_is_said_in_the_indentation(line: str, at: tuple[int, int],
                                                                                     message: str) -> None:
    """Found by the same sweep: ` [ - id: DIG-001` was "did not find expected node content"
    at the `-`, the `[` having opened a list there. Said at the bracket."""
    text = HEAD + line + "    title: x\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert problem.message.startswith(f"{message}, in its indentation, where only spaces go (did not find expected "
                                      "node content, while parsing a flow node)")
    assert problem.hint == f"delete the `{line.strip()[0]}`"


def test_a_dash_typed_before_a_key_in_braces_of_an_example_is_said_through_the_cli(tmp_path_factory) -> None:
    root = copy_of_example(tmp_path_factory, "dash-in-braces")
    unit = root / "units" / "hr.yaml"
    written = unit.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(written.splitlines(), 1) if "{kpi: enps, change: 4, confidence: 0.6}" in text)
    unit.write_text(written.replace("{kpi: enps, change: 4, confidence", "{kpi: enps, change: 4,- confidence", 1),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-06-30", "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "CXP001"]
    column = written.splitlines()[line - 1].index("4, confidence") + 3
    assert [(f["file"], f["line"], f["column"]) for f in found] == [("units/hr.yaml", line, column)]
    assert found[0]["message"].startswith("a `-` where a key or value of `{…}` or `[…]` begins")
    assert found[0]["hint"] == "delete the `-`"


@pytest.mark.parametrize(("text", "at", "message"), [
    ("year: 2026\nscoring: {}     :   # default weights\nrules: {}\n", (2, 17),
     "`:` after the `}` that ends the value of `scoring`"),
    (HEAD + "  - id: DIG-1\n    addresses: [PP-1]:\n    title: x\n", (4, 22),
     "`:` after the `]` that ends the value of `addresses`"),
])
def test_a_colon_after_the_bracket_that_ends_a_value_is_to_be_deleted(text: str, at: tuple[int, int],
                                                                      message: str) -> None:
    """Found by the same sweep: `scoring: {}   :` was "mapping values are not allowed in
    this context". Said at the ':' (libyaml's mark), the file without it tried."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(text)[0]
    assert problem.message == f"{message} (mapping values are not allowed in this context)"
    assert problem.hint == "delete the `:`"


@pytest.mark.parametrize(("text", "at", "message", "hint"), [
    # an editor's wrap: the rest on a line of its own, in line with the key or at column 1
    ("year: 2026\ntarget:\n  improvements: 50  # implemented improvements in 2026,\n  from customer feedback\n"
     "scoring: {}\n", (3, 56), "a line break inside the comment on line 3: its rest, `from customer feedback` on "
     "line 4, has no `#`", "join line 4 to the end of line 3 (`…# implemented improvements in 2026, from customer "
     "feedback`)"),
    ("year: 2026\nscoring: {}   # default weights,\nsee docs/ranking.md\nrules: {}\n", (2, 33),
     "a line break inside the comment on line 2: its rest, `see docs/ranking.md` on line 3, has no `#`",
     "join line 3 to the end of line 2 (`scoring: {}   # default weights, see docs/ranking.md`)"),
    # a line break typed into a key below the first: YAML reads `ef` as a key without ':'
    (HEAD + "  - id: DIG-1\n    ef\nfort: 3\n    size: quick_win\n", (4, 7),
     "a line break inside the key `effort:`, which YAML does not read as one key over two lines",
     "join the two lines (`effort: 3`)"),
])
def test_a_wrapped_comment_or_a_broken_key_is_not_called_a_key_without_its_colon(text: str, at: tuple[int, int],
                                                                                  message: str, hint: str) -> None:
    """A comment an editor wrapped, its rest a line of words, and a key broken by a line
    break (`ef` above `fort: 3`) were "a key without ':'" (could not find expected ':'),
    with the hint to add one — which makes the rest of the comment a key. Said at the line
    break, the lines joined tried."""
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at
    assert problem.message.startswith(message)
    assert problem.message.endswith("(could not find expected ':', while scanning a simple key)")
    assert problem.hint == hint


def test_a_key_of_the_format_without_its_colon_after_a_comment_is_still_a_key_without_colon() -> None:
    problem = parse_text(HEAD + "  - id: DIG-1  # the first\n    title Status tracker\n    effort: 3\n").problems[0]
    assert problem.message.startswith("a key without ':'") or "`title`" in problem.message
    assert "comment" not in problem.message


def test_a_quoted_key_out_of_line_is_not_called_a_quote_in_the_indentation() -> None:
    problem = parse_text(HEAD + '  - id: DIG-1\n "title": x\n    effort: 3\n').problems[0]
    assert "in its indentation" not in problem.message


@pytest.mark.parametrize(("line", "at", "message"), [
    (' "   title: x\n', (4, 2), 'a `"` before the key `title:`'),
    ("   ' title: x\n", (4, 4), "a `'` before the key `title:`"),
])
def test_a_quote_typed_in_a_keys_indentation_is_to_be_deleted(line: str, at: tuple[int, int], message: str) -> None:
    """Found by the same sweep: a quote typed before a key (` "   severity: 3`), with a
    quoted value later in the file, was "did not find expected key" at the quote."""
    text = HEAD + "  - id: DIG-1\n" + line + "    effort: 3\n  - id: DIG-2\n    title: \"Chat 'live'\"\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == at == libyaml_marks(text)[0]
    assert problem.message.startswith(f"{message}, in its indentation, where only spaces go (did not find expected")
    assert problem.hint == f"delete the `{line.strip()[0]}`"


def test_a_brace_typed_where_an_item_of_a_list_begins_is_to_be_deleted() -> None:
    """Found by the same sweep: `addresses: [{PP-1]` was "did not find expected ',' or '}'"
    at the `]`. Said at the `{`, the file without it tried."""
    text = HEAD + "  - id: DIG-1\n    addresses: [PP-1, {PP-2]\n    title: x\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (4, 23)
    assert list(problem.related) == [libyaml_marks(text)[0]] == [(4, 28)]
    assert problem.message.startswith("a `{` inside `[…]`, where an item begins: YAML reads it as the start of braces, "
                                      "which the `]` at column 28 does not close (did not find expected ',' or '}'")
    assert problem.hint == "delete the `{` (`PP-2`)"


@pytest.mark.parametrize("rest", ["tjenester", " tjenester"])
def test_a_wrapped_comment_joined_keeps_the_space_between_its_words(rest: str) -> None:
    """A top-level comment wrapped before `tjenester`, the word at column 1, was told to be
    joined as `…og digitaletjenester`; indented, it got its space. Words of prose keep it
    either way (a path broken in two, `config.sch` and `ema.json`, is joined as it was)."""
    text = f"# Enheten for sykepenger og digitale\n{rest}\nunit: sykepenger\ninitiatives: []\n"
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (1, 37)
    assert problem.message.startswith("a line break inside the comment on line 1: its rest, `tjenester` on line 2")
    assert problem.hint == "join line 2 to the end of line 1 (`# Enheten for sykepenger og digitale tjenester`)"
    joined = "# Enheten for sykepenger og digitale tjenester\nunit: sykepenger\ninitiatives: []\n"
    assert parse_text(joined).problems == []


def test_a_wrapped_comment_whose_rest_begins_with_a_dash_is_a_line_break_in_the_comment() -> None:
    """`    # Merk: … se styringsgruppens` under `- id: SYK-002`, wrapped before `- vedtak
    2026-11-20`: the rest was "a list item under `id:`", with the hint to make the id a
    list. The line right above the `- ` line is a comment line: a line break inside the
    comment, said there, the joined line tried."""
    text = ("unit: sykepenger\ninitiatives:\n  - id: SYK-002\n"
            "    # Merk: statussporing avventer avklaring, se styringsgruppens\n    - vedtak 2026-11-20\n"
            "    title: Statussporing for sykepengesøknaden\n    status: approved\n")
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (4, 66)
    assert problem.message == (
        "a line break inside the comment on line 4: its rest, `- vedtak 2026-11-20` on line 5, has no `#`, so YAML "
        "reads it as part of the file, not of the comment (did not find expected key, while parsing a block mapping)")
    assert problem.hint == ("join line 5 to the end of line 4 "
                            "(`…vventer avklaring, se styringsgruppens - vedtak 2026-11-20`)")
    assert list(problem.related) == [libyaml_marks(text)[0]] == [(5, 5)]
    joined = text.replace("styringsgruppens\n    - vedtak", "styringsgruppens - vedtak")
    assert parse_text(joined).problems == []


def test_a_list_item_under_a_key_with_a_value_and_no_comment_above_keeps_the_list_advice() -> None:
    problem = parse_text("unit: sykepenger\ninitiatives:\n  - id: SYK-002\n    - vedtak\n").problems[0]
    assert problem.message.startswith("the list item `- vedtak` is under `id:`")


def test_a_wrapped_title_whose_rest_begins_with_a_dash_is_one_quoted_text() -> None:
    """`title: Min side … over` and `- søknader, vedtak og utbetalinger` wrapped below it,
    at the column of `title:`: told "for a list, leave nothing after `title:`", which makes
    the title a list ("title must be text, got a list"). A title holds one text: the hint
    writes it on one line, quoted, dash and all, the file so fixed tried."""
    text = (HEAD + "  - id: SYK-001\n    title: Min side for sykepenger med oversikt over\n"
            "    - søknader, vedtak og utbetalinger\n    status: idea\n")
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (5, 5) == libyaml_marks(text)[0]
    assert problem.message == (
        "the text of `title` runs on to line 5, where YAML reads `- søknader, vedtak og utbetal…` as a list item, "
        "though `title:` holds one text (did not find expected key, while parsing a block mapping)")
    assert problem.hint == ("write the whole text on one line, quoted: "
                            "`title: \"Min side for … - søknader, vedtak og utbetalinger\"`")
    assert list(problem.related) == [(4, 5)]
    fixed = text.replace("over\n    - søknader, vedtak og utbetalinger\n",
                         "over - søknader, vedtak og utbetalinger\"\n").replace("title: Min", "title: \"Min")
    assert parse_text(fixed).problems == []
    assert "title: \"Min side for sykepenger med oversikt over - søknader, vedtak og utbetalinger\"" in fixed


def test_a_list_key_with_a_value_and_an_item_below_keeps_the_list_advice() -> None:
    problem = parse_text(HEAD + "  - id: SYK-001\n    tags: digital\n    - selvbetjening\n").problems[0]
    assert problem.hint.startswith("for a list, leave nothing after `tags:` on line 4")


def test_the_keys_a_wrapped_text_hint_knows_are_the_models_text_fields() -> None:
    """`TEXT_KEYS`: each is a text field of a model, or the hint would quote a number or a list."""
    from cxportfolio.load.syntax_hints.vocabulary import TEXT_KEYS
    from cxportfolio.model import entities

    fields = {name: str(info.annotation) for model in vars(entities).values()
              if isinstance(model, type) and issubclass(model, BaseModel) for name, info in model.model_fields.items()}
    for key in TEXT_KEYS:
        assert "str" in fields[key] and "list" not in fields[key].lower(), (key, fields.get(key))


def test_a_wrapped_title_whose_rest_holds_a_colon_is_one_quoted_text() -> None:
    """`title: Min side … over` and `søknader: vedtak og utbetalinger` wrapped below it,
    indented further: told to indent `søknader:` to the column of the initiative's keys,
    which makes it an unknown field and silently cuts the title. The title's text runs on
    to that line: the hint writes it on one line, quoted, the file so fixed tried."""
    text = (HEAD + "  - id: SYK-001\n    title: Min side for sykepenger med oversikt over\n"
            "      søknader: vedtak og utbetalinger\n    status: idea\n")
    problem = parse_text(text).problems[0]
    assert (problem.line, problem.column) == (5, 15) == libyaml_marks(text)[0]
    assert problem.message == (
        "the text of `title` runs on to line 5, where `søknader:` reads as a key, though `title:` holds one text "
        "(mapping values are not allowed in this context)")
    assert problem.hint == ("write the whole text on one line, quoted: "
                            "`title: \"Min side for … søknader: vedtak og utbetalinger\"`")
    assert list(problem.related) == [(4, 5)]
    whole = "Min side for sykepenger med oversikt over søknader: vedtak og utbetalinger"
    fixed = text.replace("title: Min side for sykepenger med oversikt over\n      søknader: vedtak og utbetalinger",
                         f"title: \"{whole}\"")
    assert parse_text(fixed).problems == []
    assert yaml.safe_load(fixed)["initiatives"][0]["title"] == whole


def test_a_key_of_the_format_indented_under_a_title_keeps_the_indent_advice() -> None:
    problem = parse_text(HEAD + "  - id: SYK-001\n    title: Min side\n      status: idea\n").problems[0]
    assert problem.hint.startswith("indent `status:` to column 5")


def test_an_item_under_a_list_key_below_a_comment_keeps_the_list_advice() -> None:
    """`addresses: PP-1`, a comment, `- PP-2`: the item is meant; joined to the comment, the
    id would be silently dropped, so the comment is not called wrapped there."""
    text = HEAD + "  - id: A\n    addresses: PP-1\n    # the others\n    - PP-2\n"
    problem = parse_text(text).problems[0]
    assert problem.message.startswith("the list item `- PP-2` is under `addresses:`")
