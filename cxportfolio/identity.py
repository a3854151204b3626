"""What a finding without entities is about: the key of its fingerprint (docs/ci.md, Fingerprints).

A rule's finding names entities, and those are its identity. A problem the reader or
the schema finds may lie outside any entity: a syntax error, a repeated key, an unknown
top-level key, an item without a valid id. Its key is then

- the entity around it when there is one (a repeated key inside an initiative);
- else the file's `unit:` when the file declares one (or, without one, the one unit it
  defines), so renaming `units/advisory.yaml` keeps the finding;
- else the file's path: nothing else names a file that declares no unit, or one that
  cannot be read at all. Renaming such a file while it is broken makes its finding new.

plus the field (its pointer without list positions) and the message with the positions
it quotes removed (`initiatives[3].title`, `initiative #4`). A file that cannot be read
has one finding whatever the reader says about it: a syntax error that moves or changes
while the file stays broken is the same finding. A problem about its file whatever it
names (the initiatives a missing `unit:` leaves without one: `SchemaProblem.about`) is
keyed by the file's subject and what it is about, not by its message: it stays the same
finding while they are fixed one by one.
"""

from __future__ import annotations

import re

from cxportfolio.load import LoadedPortfolio
from cxportfolio.load.portfolio_files import display_path
from cxportfolio.load.positions import pointer_at
from cxportfolio.load.yaml_reader import pack
from cxportfolio.model.portfolio import Portfolio, file_subject

Pointer = tuple[str | int, ...]
_POSITIONS = re.compile(r"\[\d+\]|#\d+")


class Subjects:
    """Keys for the findings of one run: files' units and entities by place, looked up once."""

    def __init__(self, loaded: LoadedPortfolio, portfolio: Portfolio) -> None:
        self.loaded = loaded
        self.portfolio = portfolio
        self._owners: dict[tuple[str, Pointer], str] | None = None

    def key(self, file: str, pointer: Pointer, message: str) -> tuple[str, ...]:
        """The identity of a finding about `pointer` in `file` that names no entity."""
        where = "/".join(str(part) for part in pointer if not isinstance(part, int))
        return (self._owner(file, pointer) or self.of_file(file), where, _POSITIONS.sub("", message))

    def of_unreadable(self, file: str) -> tuple[str, ...]:
        # A name that is not UTF-8 is keyed as it was before its bytes reached the outputs.
        return (f"file {display_path(file)}", "", "unreadable")

    def of_position(self, file: str, line: int, column: int, message: str) -> tuple[str, ...]:
        """A reader's problem in a readable file (a repeated key, a refused tag) has a
        position but no pointer: the pointer is found in the data."""
        return self.key(file, pointer_at(self.loaded.file(file).data, pack(line, column)), message)

    def of_file(self, file: str) -> str:
        return file_subject(file, self.loaded.file(file).data)

    def _owner(self, file: str, pointer: Pointer) -> str | None:
        """The id of the entity (valid or refused) defined at the start of `pointer`."""
        if len(pointer) < 2:
            return None
        if self._owners is None:
            self._owners = {place: entity.id for place, entity in self.portfolio.by_place.items()}
            for ident, places in self.portfolio.invalid_ids.items():
                self._owners.update(((origin.file, origin.pointer), ident) for _, origin in places)
        owner = self._owners.get((file, pointer[:2]))
        return f"entity {owner}" if owner is not None else None
