"""CXP109: an optional value left empty before a comment on its line (`effort: #6`)."""

from __future__ import annotations

from collections.abc import Iterator

from cxportfolio.load.yaml_reader import is_extension
from cxportfolio.model.finding import Severity
from cxportfolio.model.types import cut
from cxportfolio.rules.base import Anchor, Hit, RuleContext, rule
from cxportfolio.rules.dot_thousands import field_of, written_at

_SHOWN = 40  # characters of a comment a message quotes


@rule("CXP109", "comment-as-value", Severity.WARNING,
      "an optional value is left empty by a comment on its line, such as `effort: #6`",
      reads=["Portfolio.commented"])  # (how a value was written, not what it is: changes.py)
def comment_as_value(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: YAML begins a comment at a `#` after a space, so `effort: #6` is an effort
    left empty and a comment `#6`: the initiative has no effort, and its priority is
    computed with the default for work without one — without a word, since an optional
    field may be empty. A value pasted from a spreadsheet that numbers or tags its
    entries (`#6`, `#approved`, `#1 Ny portal`) is read so. A required field left empty
    so is refused instead (CXP002), with the same advice in its hint.

    **Example**:
    ```yaml
    initiatives:
      - id: DIG-007
        title: Status tracker
        status: approved
        effort: #6
    ```
    ```text
    units/digital.yaml:5:12: CXP109 `effort: #6` is read as empty: YAML reads `#6` as a comment (initiative DIG-007)
        help: if `#6` is the value, remove the `#`, e.g. effort: 6; if it is a note, put it on a line of its own (effort is optional)
    ```

    **Fix**: if the comment is the value, remove the `#` (`effort: 6`), or put a text
    that begins with `#` in quotes (`description: "#1 priority"`). If it is a note about
    the empty value, put it on a line of its own above the key, or remove the key.
    """
    commented = ctx.portfolio.commented
    if not commented:
        return
    for file, pointer, comment, subject in commented:
        if any(map(is_extension, pointer)):
            continue  # an x- value is other tools': never read
        model, loc = field_of(file, pointer)
        if not _takes_nothing(model, loc):
            continue  # refused (CXP002 says so, with the same hint), or no field (an unknown key)
        hint = _hint(model, loc, comment)
        if hint is None:
            continue
        shown = cut(comment, _SHOWN)
        said, owner, ids, key = written_at(ctx, file, pointer, shown, comment, subject)
        yield Hit(Anchor(file, pointer), f"{said} is read as empty: YAML reads `{shown}` as a comment{owner}",
                  ids, hint=hint, key=key)


def _takes_nothing(model: type, loc: tuple[str | int, ...]) -> bool:
    from cxportfolio.model.hints import takes_nothing  # its schemas: only when such a value is written

    return bool(takes_nothing(model, loc))


def _hint(model: type, loc: tuple[str | int, ...], comment: str) -> str | None:
    from cxportfolio.model.hints import comment_hint

    return comment_hint(model, loc, comment)
