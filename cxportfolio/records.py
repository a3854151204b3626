"""Plain data classes whose comparison, hash and repr are not compiled at every start.

`@dataclass` writes each class's methods as Python source and compiles it when its
module is imported (Python 3.10–3.13): at every start of a command, about 0.1 ms a
method, six methods a frozen class. The check imports some 25 such classes, and their
`__eq__`, `__hash__` and `__repr__` alone took 2.5% of the instructions of a check of
100 initiatives. `record` is `dataclass` without those three, and gives every record the
same three functions, which read the fields `dataclasses.fields` lists: the answers of
the generated methods (tests/test_records.py), written once.

    @record                   # @dataclass(frozen=True)
    @record(frozen=False)     # @dataclass
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar, overload

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # typing_extensions comes with pydantic
    from typing_extensions import dataclass_transform

T = TypeVar("T", bound=type)

# Per record class: (its compared fields, its hashed fields, its repr's field names).
_Shape = tuple[Callable[[Any], tuple[Any, ...]], Callable[[Any], tuple[Any, ...]], tuple[str, ...]]
_SHAPES: dict[type, _Shape] = {}


@overload
def record(cls: T, /) -> T: ...


@overload
def record(*, frozen: bool = True, **options: Any) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: T | None = None, /, *, frozen: bool = True, **options: Any) -> T | Callable[[T], T]:
    """`dataclasses.dataclass(frozen=frozen, **options)`, its equality, hash and repr
    shared (see the module's docstring). As with `dataclass`, a mutable record is
    unhashable. A class that defines its own `__eq__`, `__hash__` or `__repr__`, or asks
    for `eq`, `order` or `repr`, is refused: it wants a plain dataclass."""

    def make(cls: T) -> T:
        own = sorted({"__eq__", "__hash__", "__repr__"} & cls.__dict__.keys() | {"eq", "order", "repr"} & options.keys())
        if own:  # they would be replaced: a class that needs its own is a plain dataclass
            raise TypeError(f"record {cls.__qualname__}: {', '.join(own)} cannot be set; use @dataclass")
        made = dataclasses.dataclass(cls, frozen=frozen, eq=False, repr=False, **options)
        made.__eq__ = _eq  # type: ignore[assignment]
        made.__hash__ = _hash if frozen else None  # type: ignore[assignment]
        made.__repr__ = _repr  # type: ignore[assignment]
        return made

    return make if cls is None else make(cls)


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        fields = dataclasses.fields(cls)
        compared = [f.name for f in fields if f.compare]
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        shape = _SHAPES[cls] = (_getter(compared), _getter(hashed), tuple(f.name for f in fields if f.repr))
    return shape


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of these attributes, as a tuple (attrgetter returns one value bare)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _eq(self: Any, other: Any) -> Any:
    if _FIELD_BY_FIELD and self is other:
        return True
    if other.__class__ is self.__class__:
        compared = _shape(self.__class__)[0]
        if _FIELD_BY_FIELD:
            return all(map(operator.eq, compared(self), compared(other)))
        return compared(self) == compared(other)
    return NotImplemented


# How @dataclass compares, by version: from 3.13 a record is equal to itself, and to
# another field by field (a NaN field is unequal to the same NaN); before, as tuples
# (whose items are equal when they are the same object).
_FIELD_BY_FIELD = sys.version_info >= (3, 13)


def _hash(self: Any) -> int:
    return hash(_shape(self.__class__)[1](self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    names = _shape(self.__class__)[2]
    return f"{self.__class__.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"
