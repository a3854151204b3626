"""What a long-lived process (the language server) keeps from one check to the next.

After an edit, one file has changed and the rest of the portfolio has not: a memo lets
the next check take, for every unchanged input, the very answer it computed before —
never an approximation of it. Each entry is keyed by *everything* its computation
reads (a file's bytes; a document's path and parsed data; what a rule's costly part
reads), and every computation memoized is a pure function of its key, so a check with a
memo finds exactly what a check without one finds (`tests/test_memo.py` holds them
equal over random edits). Whatever a check did not use is forgotten after it (once
`release` is called, else at the next check's end) — but the work of a rule the check
did not need to run, which waits for its next run — so a long session keeps one
generation, not the history of every buffer.

`check` on the command line uses no memo: one run has nothing to remember.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cxportfolio.load.yaml_reader import ParsedYaml, read_yaml

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        self._kept: dict[Hashable, Any] = {}  # the previous check's entries
        self._used: dict[Hashable, Any] = {}  # this check's
        self._retired: dict[Hashable, Any] = {}  # the generation before the last check, until released

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or what it gave last time for the same key."""
        try:
            return self._used[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        found = self._kept.get(key, _MISSING)
        if found is _MISSING:
            found = compute()
        self._used[key] = found
        return found  # type: ignore[no-any-return]

    def parse(self, raw: bytes) -> ParsedYaml:
        """`read_yaml`, remembered by the bytes read."""
        return self.remember(("parse", raw), lambda: read_yaml(raw))

    def by_identity(self, kind: Hashable, of: object, compute: Callable[[], T]) -> T:
        """`compute()` for an object this memo gave out (a parsed file): keyed by the
        object's identity. The entry holds the object, so no other object can take its
        id while the entry lasts."""
        return self.remember((kind, id(of)), lambda: (of, compute()))[1]  # type: ignore[no-any-return]

    def previous(self, key: Hashable) -> Any:
        """What the previous check kept under `key` (`keep`), or None."""
        return self._kept.get(key)

    def keep(self, key: Hashable, value: Any) -> None:
        """Hand `value` on to the next check (`previous`)."""
        self._used[key] = value

    def carry(self, rules: set[str]) -> None:
        """Keep for the next check the previous check's entries of these rules (keys whose
        first word is a rule's code, "CXP201 vectors"), which this check did not run: the
        rule's remembered work must outlive a check that did not need it."""
        for key, value in self._kept.items():
            first = key[0] if isinstance(key, tuple) and key else key
            if isinstance(first, str) and first.split(" ", 1)[0] in rules:
                self._used.setdefault(key, value)

    def keep_all(self, entries: list[tuple[Hashable, Any]]) -> None:
        """Hand these entries (key, value) on to the next check, as `remember` would."""
        for key, value in entries:
            self._used.setdefault(key, value)

    def end_check(self) -> None:
        """Keep what this check used; forget the rest — once `release` is called (the
        language server calls it when the diagnostics are sent: freeing the previous
        check's arrays and objects takes a few milliseconds no one need wait for), or
        at the next check's end."""
        self._retired, self._kept, self._used = self._kept, self._used, {}

    def release(self) -> None:
        """Free what the last check did not use (`end_check`)."""
        self._retired = {}


_MISSING = object()


def remember(memo: Memo | None, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` through `memo` when there is one."""
    return compute() if memo is None else memo.remember(key, compute)
