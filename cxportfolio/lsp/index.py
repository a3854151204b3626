"""Every id written in the portfolio's files: where each is defined and referred to.

Built from the check's own data (the entities' origins and `iter_references`, the
references the rules follow) and placed with the parser's positions, so navigation and
rename see exactly the ids the rules see. A place is kept only when the text there is
the id, so a stale or partial position never sends the editor to the wrong word.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from cxportfolio.load import LoadedPortfolio
from cxportfolio.lsp.text import Span, id_span, written_at
from cxportfolio.model.entities import Entity, Initiative, Journey, Kpi, PainPoint, Unit
from cxportfolio.model.portfolio import Portfolio, iter_references
from cxportfolio.records import record

# What an id names: ("id", X) for an entity, ("stage", journey, X) for a stage, whose ids
# are unique only within their journey.
Key = tuple[str, ...]

# The fields that name ids, by the kind of entity holding them (as iter_references follows
# them; "*" is each item of a list), read again in the data as written: an item refused
# by the model (`{kpi: nps, change: 1, confidnce: 0.5}`, `addresses: PP-x` written as a
# text) still names its id where the text has it.
_REFERENCE_FIELDS: dict[type[Entity], tuple[tuple[str, ...], ...]] = {
    Unit: (("goals", "*", "kpi"),),
    Journey: (("owner",),),
    PainPoint: (("journey",),),
    Kpi: (("journey",), ("owner",), ("drives", "*"), ("tradeoffs", "*")),
    Initiative: (("unit",), ("addresses", "*"), ("effects", "*", "kpi"), ("realized", "*", "kpi"), ("depends_on", "*")),
}


@record
class Occurrence:
    file: str  # relative to the root, as in findings
    span: Span  # the id, quotes excluded
    key: Key
    defines: bool


class IdIndex:
    def __init__(self, loaded: LoadedPortfolio, portfolio: Portfolio, lines: Callable[[str], list[str]]) -> None:
        self._loaded, self._lines = loaded, lines
        self.by_key: dict[Key, list[Occurrence]] = {}
        self._by_file: dict[str, list[Occurrence]] = {}
        self._placed: set[tuple[str, int, int]] = set()
        for entity in portfolio.entities:
            if isinstance(entity.id, str):
                self._add(entity.origin.file, (*entity.origin.pointer, "id"), ("id", entity.id), True)
            if isinstance(entity, Journey):
                for n, stage in enumerate(entity.stages or ()):
                    self._add(entity.origin.file, entity.origin.pointer_to("stages", n, "id"),
                              ("stage", entity.id, stage.id), True)
            if isinstance(entity, PainPoint) and isinstance(entity.stage, str) and isinstance(entity.journey, str):
                self._add(entity.origin.file, (*entity.origin.pointer, "stage"),
                          ("stage", entity.journey, entity.stage), False)
        # A duplicated id's later definitions (CXP101) refer to things too, which iter_references
        # follows: a rename must reach them.
        for entity, pointer, target, _ in iter_references(portfolio):
            if not (isinstance(entity, Initiative) and pointer == ("unit",) and entity.unit_inherited):
                self._add(entity.origin.file, entity.origin.pointer_to(*pointer), ("id", target), False)
        for entity in portfolio.entities:
            fields = _REFERENCE_FIELDS.get(type(entity), ())
            if fields:
                try:
                    data = loaded.file(entity.origin.file).data
                except KeyError:
                    continue
                node = _at(data, entity.origin.pointer)
                for field in fields:
                    for pointer, target in _written_ids(node, field):
                        self._add(entity.origin.file, entity.origin.pointer_to(*pointer), ("id", target), False)
        for document in loaded.documents:  # a file's `unit:`, which its initiatives inherit
            if isinstance(document.data, dict) and isinstance(document.data.get("unit"), str):
                self._add(document.path, ("unit",), ("id", document.data["unit"]), False)
        for found in self._by_file.values():
            found.sort(key=lambda o: (o.span.line, o.span.start))

    def _add(self, file: str, pointer: tuple[str | int, ...], key: Key, defines: bool) -> None:
        try:
            line, column = self._loaded.file(file).locate(pointer)
        except KeyError:
            return
        lines = self._lines(file)
        span = written_at(lines, line - 1, column - 1, key[-1])
        if span is None:
            return  # the pointer ran past what is written: not this id's place
        if (file, span.line, span.start) in self._placed:
            return  # found by the model and again in the data as written
        self._placed.add((file, span.line, span.start))
        occurrence = Occurrence(file, id_span(lines, span), key, defines)
        self.by_key.setdefault(key, []).append(occurrence)
        self._by_file.setdefault(file, []).append(occurrence)

    def at(self, file: str, line: int, column: int) -> Occurrence | None:
        """The id under a 0-based place (its end included: the cursor right after a word)."""
        found = self._by_file.get(file, [])
        i = bisect_right(found, (line, column), key=lambda o: (o.span.line, o.span.start))
        for occurrence in found[max(i - 1, 0):i]:
            if occurrence.span.line == line and occurrence.span.start <= column <= occurrence.span.end:
                return occurrence
        return None

    def definitions(self, key: Key) -> list[Occurrence]:
        return [o for o in self.by_key.get(key, []) if o.defines]

    def references(self, key: Key) -> list[Occurrence]:
        return [o for o in self.by_key.get(key, []) if not o.defines]


def _at(data: object, pointer: tuple[str | int, ...]) -> object:
    for part in pointer:
        if isinstance(data, dict) and part in data or (
                isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)):
            data = data[part]  # type: ignore[index]
        else:
            return None
    return data


def _written_ids(node: object, field: tuple[str, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """(pointer, id) for each text written at `field` ("*": each item of a list) in an
    entity's data as written; a text where a list belongs is its one item."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def walk(value: object, rest: tuple[str, ...], pointer: tuple[str | int, ...]) -> None:
        if not rest:
            if isinstance(value, str) and value:
                found.append((pointer, value))
        elif rest[0] == "*":
            if isinstance(value, list):
                for n, item in enumerate(value):
                    walk(item, rest[1:], (*pointer, n))
            elif isinstance(value, str) and len(rest) == 1:
                walk(value, (), pointer)
        elif isinstance(value, dict) and rest[0] in value:
            walk(value[rest[0]], rest[1:], (*pointer, rest[0]))

    walk(node, field, ())
    return found
