"""Field types shared by the models: ids, periods, dates, bounded numbers.

Each type validates the same way in pydantic and in the published JSON Schema, so an
editor and `cxportfolio check` never disagree about a file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

# Every value has a range (SECURITY.md, bounded values): dates, periods and years lie in the
# years 1900–2999, so that date arithmetic (a year's end, a grace period after a date)
# never leaves the calendar; counts, weights and changes are finite and bounded, so that
# scores and sums stay finite. Each bound is also in the JSON Schema (`minimum`,
# `maximum`, the year in the patterns), so an editor refuses the same values.
YEAR_MIN, YEAR_MAX = 1900, 2999
COUNT_MAX = 10**9  # counts and efforts: evidence count, target, capacity, volume, effort
VALUE_MAX = 10**12  # KPI values, targets and changes, in either direction
WEIGHT_MAX = 10**6  # ranking weights in `scoring:`
_YEAR = r"(19[0-9]{2}|2[0-9]{3})"  # YEAR_MIN–YEAR_MAX

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
PERIOD_PATTERN = _YEAR.join(("^", r"(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"))
DATE_PATTERN = _YEAR.join(("^", r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))
RULE_CODE_PATTERN = r"^CXP[0-9]{3}$"
# The shapes whatever the year, to tell "a period of year 9999" from "not a period".
_PERIOD_SHAPE = re.compile(r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
_DATE_SHAPE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_YEARS = f"the years {YEAR_MIN}–{YEAR_MAX}"


def no_items() -> list[Any]:
    """A list field's default: a new empty list. A function of ours rather than `list`:
    pydantic reads a default factory's signature, and a builtin's is parsed from its text
    by the tokenizer, a fraction of a millisecond per field at every start."""
    return []


def no_entries() -> dict[Any, Any]:
    """A mapping field's default: a new empty dict (see `no_items`)."""
    return {}


def _period(value: Any) -> Any:
    """A bare year (`period: 2025`) is read by YAML as a number; accept it as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        if YEAR_MIN <= value <= YEAR_MAX:
            return str(value)
        raise out_of_range(f"a period (YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD) within {_YEARS}", value)
    if isinstance(value, str) and _PERIOD_SHAPE.match(value):
        if not YEAR_MIN <= int(value[:4]) <= YEAR_MAX:
            raise ValueError(f"must be a period within {_YEARS}, got {describe(value)}")
        if len(value) == 10:
            _date(value)  # a day must exist: 2026-02-30 is refused
    return value


def _date(value: Any) -> Any:
    """Dates are written YYYY-MM-DD; anything else (a number, a time) is refused."""
    if isinstance(value, str) and _DATE_SHAPE.match(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date in the calendar") from None
    if isinstance(value, dt.date):
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            raise ValueError(f"must be a date within {_YEARS}, got '{value.isoformat()}'")
        return value
    raise ValueError(f"must be a date written YYYY-MM-DD, got {describe(value)}")


def _bounded(low: int | None, high: int, text: str) -> Any:
    """Refuse a number above `high` (or below `low`) with a message naming the range
    (`text`, e.g. "between 0 and 1").

    Put after the `Field` in `Annotated`, it runs before pydantic's own checks, while the
    Field's bounds still reach the JSON Schema as `minimum` / `maximum`. Pydantic's `le`
    message would print the bound as a float (`<= 1000000000.0`), and an integer too
    large for a float would read as "must be a number". Non-finite floats are left to the
    model's finite-number check; a lower bound given as None to the field's `ge` / `gt`
    (huge negative integers aside).
    """

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        if isinstance(value, float) and not math.isfinite(value):
            return value
        if value > high or (low is not None and value < low) or value < -_FLOAT_MAX:
            raise out_of_range(text, value)
        return value

    return BeforeValidator(check)


def out_of_range(what: str, value: Any) -> PydanticCustomError:
    """A number refused for its range: "must be {what}, got …". The validation's message
    (model/validate.py) quotes the number as it was written (`1e308`, `0x10`), which the
    value read here (1e+308, 16) no longer knows; `got` is said where the text is unknown."""
    return PydanticCustomError("cx_range", "must be {what}, got {got}", {"what": what, "got": describe(value)})


_FLOAT_MAX = 1.7976931348623157e308


def describe(value: Any) -> str:
    """How a YAML value reads back to the person who wrote it."""
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int):
        try:
            digits = len(str(abs(value)))
        except ValueError:  # beyond Python's conversion limit
            return "a number of more than 4,300 digits"
        return f"the number {value}" if digits <= 20 else f"a number of {digits:,} digits"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        from cxportfolio.render.neutral import quoted  # as repr, but a flag emoji kept whole

        return quoted(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# An id is at most this long: every finding may quote one whole, and SECURITY.md has a
# pull request's values quoted as short excerpts at most (a longer id is refused, CXP002).
MAX_ID_LENGTH = 64
# An initiative's texts are read up to these many characters, by CXP201 (rules/similarity.py)
# and where a refused one's words are read as written (validate.words_under): SECURITY.md,
# bounded work whatever a file says.
MAX_TITLE_CHARS = 200
MAX_DESCRIPTION_CHARS = 600

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH, strict=True)]


def cut(text: str, limit: int) -> str:
    """`text` as a message quotes it: at most `limit` characters, the last an ellipsis
    when it is cut (SECURITY.md: a pull request's values are quoted as short excerpts)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def id_excerpt(ident: str) -> str:
    """An id longer than a valid one (a pull request's) as it is quoted: cut (SECURITY.md)."""
    return cut(ident, MAX_ID_LENGTH)


# An `allow:` reason is shown with every finding it accepts, in every format: cut to this
# many characters (SECURITY.md: a pull request's values are quoted as short excerpts at most).
MAX_REASON_LENGTH = 120


def reason_excerpt(reason: str) -> str:
    """An allow's reason as findings show it: at most MAX_REASON_LENGTH characters."""
    return cut(reason, MAX_REASON_LENGTH)


def is_id(text: object) -> bool:
    """Whether a text is a valid id, as `Id` validates it (pattern and length): for what
    checks one outside validation, a hint's proposal or an editor's rename."""
    return isinstance(text, str) and len(text) <= MAX_ID_LENGTH and re.fullmatch(ID_PATTERN, text) is not None


Text = Annotated[str, Field(min_length=1, strict=True)]
# A text that must say something: an `allow:`'s reason of spaces alone accepts a finding
# for no reason given (it is mandatory), as if it were one
# (spaces written out: `\S` is not the same class in Python's `re`, which JSON Schema
# validators use, and in pydantic's Rust engine: U+001C–U+001F are spaces to one alone)
NOT_BLANK = r"[^ \t\n\r\f\v]"
Reason = Annotated[str, Field(min_length=1, pattern=NOT_BLANK, strict=True)]
Period = Annotated[
    str,
    BeforeValidator(_period),
    Field(pattern=PERIOD_PATTERN, strict=True),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
            {"type": "string", "pattern": PERIOD_PATTERN},
        ],
        "description": f"YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD, within {_YEARS}",
    }),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "format": "date",
                    "description": f"a date, YYYY-MM-DD, within {_YEARS}"}),
]
Share = Annotated[float, Field(ge=0, le=1), _bounded(0, 1, "between 0 and 1")]
# Counts and efforts: evidence counts, the target, capacity, volume, effort.
_COUNT_RANGE = f"between 0 and {COUNT_MAX:,}"
Count = Annotated[float, Field(ge=0, le=COUNT_MAX), _bounded(None, COUNT_MAX, _COUNT_RANGE)]
WholeCount = Annotated[int, Field(ge=0, le=COUNT_MAX), _bounded(None, COUNT_MAX, _COUNT_RANGE)]
# A count that must be at least one: a target of 0 would call every year met ("2 of 0").
PositiveCount = Annotated[int, Field(ge=1, le=COUNT_MAX), _bounded(1, COUNT_MAX, f"between 1 and {COUNT_MAX:,}")]
NonNegative = Count  # the earlier name
# KPI values, targets and changes, signed.
Value = Annotated[float, Field(ge=-VALUE_MAX, le=VALUE_MAX),
                  _bounded(-VALUE_MAX, VALUE_MAX, f"between -{VALUE_MAX:,} and {VALUE_MAX:,}")]
# Ranking weights; their lower bound (> 0 or >= 0) is the field's own.
Weight = Annotated[float, Field(le=WEIGHT_MAX), _bounded(None, WEIGHT_MAX, f"between 0 and {WEIGHT_MAX:,}")]
Direction = Literal["increase", "decrease"]
# Signs that look like a minus and are not one (U+2212 minus, en and figure dashes, the
# small and full-width hyphen-minus): `change: −0.6`, pasted from a word processor, is text.
MINUS_LOOKALIKES = frozenset("\u2212\u2013\u2012\ufe63\uff0d")
# Dashes a word processor writes for a '-' (hyphen, non-breaking hyphen, figure, en and em
# dashes, horizontal bar, hyphen bullet, minus, the small, full-width and two- and
# three-em dashes): in an id (`OPP–001`, `PP‐venter‐svar`) each is meant as '-'.
DASH_LOOKALIKES = MINUS_LOOKALIKES | frozenset("\u2010\u2011\u2014\u2015\u2043\ufe58\u2e3a\u2e3b")
# Quotes a word processor writes, which YAML does not take for quotes, in any pairing the
# Nordic languages use: English “…”, Swedish ”…” and ’…’, Danish »…« and „…“, and «…».
CURLY_QUOTES = frozenset("“”‘’„‚«»‹›")

# The codes of the rules registered (rules/base.py adds each): an `allow:` naming another
# is refused as a mistake, not kept to accept nothing (`CXP210` for CXP201). Empty where
# no rule module is imported: then the pattern alone decides.
KNOWN_RULES: set[str] = set()
# Each registered rule's code by its name (`unknown-reference` → CXP102), as `cxportfolio
# rules` lists them beside each other: a name written where a code goes is told its code.
RULE_CODES_BY_NAME: dict[str, str] = {}


def rule_named(value: Any) -> str | None:
    """The code of the rule `value` names (`unknown-reference`, `Unknown_Reference`), if any."""
    if not isinstance(value, str):
        return None
    return RULE_CODES_BY_NAME.get(value.strip().casefold().replace("_", "-").replace(" ", "-"))


def _known_rule(code: str) -> str:
    if KNOWN_RULES and code not in KNOWN_RULES:
        raise PydanticCustomError("unknown_rule", "names no rule")
    return code


RuleCode = Annotated[str, Field(pattern=RULE_CODE_PATTERN, strict=True), AfterValidator(_known_rule)]


def field_path(pointer: tuple[str | int, ...]) -> str:
    """('effects', 1, 'change') → 'effects[1].change', as users read field paths."""
    path = ""
    for part in pointer:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


# "did you mean" names a choice only when it is at least this alike (0–100): rapidfuzz's
# `fuzz.ratio`, the share of characters the two have in common in order, compared
# without case and with '-', '_' and spaces alike. Below it, nothing in common is no
# suggestion: the caller lists the valid values, or the nearest few ids, instead.
# Documented in docs/format.md ("Hints").
SIMILARITY = 70


def closest(value: Any, choices: Any, cutoff: float = SIMILARITY) -> str | None:
    """The choice most alike `value`, if at least `cutoff` alike and no other choice is
    as alike: a pick between equals (IT-001 or IT-002 for IT-003) could send the user to
    the wrong one, and following it would silence the finding."""
    found = most_alike(value, choices, cutoff)
    return found[0] if len(found) == 1 else None


def most_alike(value: Any, choices: Any, cutoff: float = SIMILARITY) -> list[str]:
    """Every choice most alike `value` (several when equally alike, in the order given),
    if at least `cutoff` alike. Between choices equally alike by `fuzz.ratio`, fewer
    edits win, two letters swapped counting as one (`CXP210` is `CXP201`, not `CXP101`)."""
    from rapidfuzz import fuzz, process, utils
    from rapidfuzz.distance import OSA

    if not isinstance(value, str):  # a YAML key may be a number, a boolean or null
        return []
    options = list(choices)
    # `CS-OO1` for CS-001 is only 67% alike by fuzz.ratio, yet it is read as CS-001: a
    # look-alike is closer than any other choice, however alike (ties as below)
    twins = lookalikes(value, options)
    found = process.extract(value, twins or options, scorer=fuzz.ratio, processor=utils.default_process,
                            score_cutoff=0 if twins else cutoff, limit=None) if options else []
    best = [choice for choice, score, _ in found if score == found[0][1]]
    if len(best) > 1:
        edits = [OSA.distance(value, choice, processor=utils.default_process) for choice in best]
        best = [choice for choice, n in zip(best, edits) if n == min(edits)]
    return best


# Characters read as each other in an id (O and 0; I, l and 1), and the separators
# `id_form` leaves out, for `lookalikes`
_LOOKALIKE = str.maketrans("oil", "011", "-_ .")


def lookalikes(value: str, options: list[str]) -> list[str]:
    """The options that are `value` but for case, separators and characters read as each
    other (`CS-OO1`, `cs_001` and `CS-00l` for CS-001), in the order given. One pass over
    the options joined: a check's first 500 unknown ids among 8,000 add ~1 ms each."""
    want = value.lower().translate(_LOOKALIKE)
    if not want or "\n" in want or not options:
        return []
    try:
        text = "\n".join(options)
    except TypeError:  # a key that is not a string: none is alike
        return lookalikes(value, [o for o in options if isinstance(o, str)])
    if text.count("\n") != len(options) - 1:  # a key over lines: left out, as it cannot be alike
        return lookalikes(value, [o for o in options if "\n" not in o])
    text = f"\n{text.lower().translate(_LOOKALIKE)}\n"
    found, line, last = [], 0, 0
    at = text.find(f"\n{want}\n")
    while at >= 0:
        line += text.count("\n", last, at)
        found.append(options[line])
        last, at = at, text.find(f"\n{want}\n", at + 1)
    return found


def nearest(value: str, choices: Any, limit: int = 3) -> list[str]:
    """The `limit` choices most alike `value`, however little (ties: in the order given)."""
    from rapidfuzz import fuzz, process, utils

    options = list(choices)
    found = process.extract(value, options, scorer=fuzz.ratio, processor=utils.default_process, limit=limit)
    return [choice for choice, _, _ in found]


def did_you_mean(value: Any, choices: Any, cutoff: float = SIMILARITY) -> str | None:
    """A hint naming the closest choice (rapidfuzz, fast even over 100,000 ids), or None
    when none is at least `cutoff` alike (never below the documented SIMILARITY). Several
    equally alike are named as such, a few of them: none is picked for the user."""
    return _meant(most_alike(value, choices, max(cutoff, SIMILARITY)))


def typo_of(value: str, choices: Any) -> str | None:
    """`did_you_mean` among the choices `value` is one slip from, or None: the same but
    for case, separators and characters read as each other (`lookalikes`), else one
    character left out, added or wrong, or two beside each other swapped (rapidfuzz's OSA
    distance 1): DIG-07 for DIG-007, IT-010 for IT-001, whatever the id's length — a
    share of characters alike (`fuzz.ratio`) lets one slip pass in a 7-character id and
    not in a 6-character one. Equally near choices are named as such."""
    from rapidfuzz import process, utils
    from rapidfuzz.distance import OSA

    options = list(choices)
    twins = lookalikes(value, options)
    found = [] if twins else process.extract(value, options, scorer=OSA.distance, processor=utils.default_process,
                                             score_cutoff=1, limit=None)
    return _meant(twins or [choice for choice, slips, _ in found if slips == found[0][1]])


def _meant(found: list[str]) -> str | None:
    """The hint naming the one choice found, or a few of several equally alike; None for none."""
    if len(found) <= 1:
        return f"did you mean '{found[0]}'?" if found else None
    named = ", ".join(f"'{choice}'" for choice in found[:3])
    return (f"did you mean one of {named}" + (f" or {len(found) - 3} more" if len(found) > 3 else "")
            + f"? ({len(found)} are equally alike)")


def choice_hint(value: Any, choices: Sequence[str]) -> str | None:
    """`did_you_mean` among a field's choices, which also knows them by their
    Norwegian, Danish and Swedish words (`status: pågår` → 'in_progress')."""
    from cxportfolio.model.nordic_words import nordic_hint

    return nordic_hint(value, choices) or did_you_mean(value, choices)


def id_form(text: str) -> str:
    """An id as a mistake may have bent it, for matching only: case-folded, letters and
    digits alone ("DIG 008", "dig_008" and "DIG-008" → "dig008"; "nps " → "nps")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
