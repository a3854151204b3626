"""CXP108: a number written like `1.500`, which YAML reads as 1.5, where 1500 may be meant."""

from __future__ import annotations

from collections.abc import Iterator

from cxportfolio.load.portfolio_files import CONFIG_NAME
from cxportfolio.load.yaml_reader import is_extension
from cxportfolio.model.config import Config
from cxportfolio.model.document import PortfolioDocument
from cxportfolio.model.finding import Severity
from cxportfolio.model.types import field_path
from cxportfolio.rules.base import REGISTRY, Anchor, Hit, RuleContext, rule


@rule("CXP108", "dot-thousands", Severity.WARNING,
      "a number written like 1.500 is read as 1.5, where the dot may separate thousands",
      reads=["Portfolio.dotted"])  # (how a number was written, not what it is: changes.py)
def dot_thousands(ctx: RuleContext) -> Iterator[Hit]:
    """
    **Why**: in Norwegian, German and many other languages a dot separates thousands
    (`1.500` is fifteen hundred), and spreadsheets export numbers so. YAML reads the dot
    as a decimal point: `volume: 1.200` is 1.2 customers a year, and every figure
    computed from it — a pain point's value, an initiative's priority, a unit's committed
    effort — is a thousand times off, without a word. A number written with 1–3 digits,
    a dot and exactly three digits is reported where either reading can be meant; not
    `0.750` (a leading 0 is no thousands group), nor `1.5` or `1.25`, nor where the field
    takes only one of the two (a share of 0–1 reads `1.000` as 1; where a whole number
    goes, `count: 1.500` is refused, CXP002, and its hint names 1500). Only the reader
    sees how a number was written: `1.500` and `1.5` are the same number once read.

    **Example**:
    ```yaml
    journeys:
      - id: mortgage
        name: Get a mortgage
        volume: 1.200
    ```
    ```text
    journeys.yaml:4:13: CXP108 `volume: 1.200` is read as 1.2 (journey mortgage)
        help: if the dot separates thousands, write 1200 (or write 1.2 if 1.2 is meant)
    ```

    **Fix**: write the number without the dot (`1200`, or `1_200`). If the decimal is
    meant, write it so that no dot is followed by exactly three digits: `1.2` for
    `1.200`, `1.1250` for `1.125` — or accept the finding with `allow:`.
    """
    dotted = ctx.portfolio.dotted
    if not dotted:
        return
    for file, pointer, text, subject in dotted:
        if any(map(is_extension, pointer)):
            continue  # an x- value is other tools': never read
        decimal = float(text)
        thousands = int(text.replace(".", ""))
        if not _takes_either(*field_of(file, pointer), decimal, thousands):
            continue
        said, owner, ids, key = written_at(ctx, file, pointer, text, text, subject)
        read = _number(decimal)
        yield Hit(Anchor(file, pointer), f"{said} is read as {read}{owner}", ids,
                  hint=f"if the dot separates thousands, write {thousands} (or write {read} if {read} is meant)",
                  key=key)


def written_at(ctx: RuleContext, file: str, pointer: tuple[str | int, ...], shown: str, value: str,
               subject: str) -> tuple[str, str, tuple[str, ...], tuple[str, str, str] | None]:
    """How a finding about a value as written names it (CXP108, CXP109): "`key: shown`
    in field path", " (label id)" of the entity holding it and that entity's id; outside
    any entity (cxportfolio.yaml), a key of the file, the place and the `value`."""
    entity = ctx.portfolio.by_place.get((file, pointer[:2])) if file != CONFIG_NAME else None
    inside = pointer[2:] if entity is not None else pointer
    name = inside[-1] if inside and isinstance(inside[-1], str) else None
    around = field_path(inside[:-1]) if name is not None else field_path(inside)
    said = (f"`{name}: {shown}`" if name is not None else f"`{shown}`") + (f" in {around}" if around else "")
    if entity is not None:
        return said, f" ({entity.label} {entity.id})", (entity.id,), None
    return said, "", (), (subject, "/".join(str(p) for p in pointer if not isinstance(p, int)), value)


def field_of(file: str, pointer: tuple[str | int, ...]) -> tuple[type, tuple[str | int, ...]]:
    """The model whose schema says what the value at `pointer` of `file` may be, and its
    place in it: a rule's options in `rules:` have their own."""
    if file != CONFIG_NAME:
        return PortfolioDocument, pointer
    if len(pointer) > 2 and pointer[0] == "rules" and isinstance(pointer[1], str) and pointer[1] in REGISTRY:
        return REGISTRY[pointer[1]].options, pointer[2:]
    return Config, pointer


def _takes_either(model: type, loc: tuple[str | int, ...], decimal: float, thousands: int) -> bool:
    from cxportfolio.model.hints import takes_either  # its schemas: only when such a number is written

    return takes_either(model, loc, decimal, thousands)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)
