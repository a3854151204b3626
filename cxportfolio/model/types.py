"""Field types shared by the models: ids, periods, dates, bounded numbers.

Each type validates the same way in pydantic and in the published JSON Schema, so an
editor and `cxportfolio check` never disagree about a file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
PERIOD_PATTERN = r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
RULE_CODE_PATTERN = r"^CXP[0-9]{3}$"
_PERIOD_RE = re.compile(PERIOD_PATTERN)


def _period(value: Any) -> Any:
    """A bare year (`period: 2025`) is read by YAML as a number; accept it as text."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and _PERIOD_RE.match(value) and len(value) == 10:
        _date(value)  # a day must exist: 2026-02-30 is refused
    return value


def _date(value: Any) -> Any:
    """Dates are written YYYY-MM-DD; anything else (a number, a time) is refused."""
    if isinstance(value, str) and re.match(DATE_PATTERN, value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date in the calendar") from None
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"must be a date written YYYY-MM-DD, got {describe(value)}")


def describe(value: Any) -> str:
    """How a YAML value reads back to the person who wrote it."""
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


Id = Annotated[str, Field(pattern=ID_PATTERN, strict=True)]
Text = Annotated[str, Field(min_length=1, strict=True)]
Period = Annotated[
    str,
    BeforeValidator(_period),
    Field(pattern=PERIOD_PATTERN, strict=True),
    WithJsonSchema({
        "anyOf": [
            {"type": "integer", "minimum": 1000, "maximum": 9999},
            {"type": "string", "pattern": PERIOD_PATTERN},
        ],
        "description": "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD",
    }),
]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "format": "date",
                    "description": "a date, YYYY-MM-DD"}),
]
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Direction = Literal["increase", "decrease"]
RuleCode = Annotated[str, Field(pattern=RULE_CODE_PATTERN, strict=True)]


def field_path(pointer: tuple[str | int, ...]) -> str:
    """('effects', 1, 'change') → 'effects[1].change', as users read field paths."""
    path = ""
    for part in pointer:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def did_you_mean(value: str, choices: Any, cutoff: float = 60) -> str | None:
    """A hint naming the closest choice (rapidfuzz, fast even over 100,000 ids)."""
    from rapidfuzz import process

    options = list(choices)
    match = process.extractOne(value, options, score_cutoff=cutoff) if options else None
    return f"did you mean '{match[0]}'?" if match else None
