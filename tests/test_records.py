"""`record` (cxportfolio/records.py) makes classes that compare, hash and print as
`@dataclass` makes them, and every data class of the package is one."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cxportfolio
from cxportfolio import records
from cxportfolio.records import record


def _pair(frozen: bool) -> tuple[type, type]:
    """The same class made by `dataclass` and by `record`, with every field option that
    changes the three methods: compare, hash and repr switched off, a default factory."""

    def body() -> dict[str, Any]:
        return {
            "__annotations__": {"a": "int", "b": "str", "c": "tuple", "d": "list", "e": "float", "f": "int"},
            "b": "x",
            "c": field(default=(), compare=False),
            "d": field(default_factory=tuple, repr=False),
            "e": field(default=0.0, hash=False),
            "f": field(default=0, compare=False, hash=True),
        }

    made_by_dataclass = dataclass(frozen=frozen)(type("Thing", (), body()))
    made_by_record = record(frozen=frozen)(type("Thing", (), body()))
    return made_by_dataclass, made_by_record


_VALUES = st.tuples(st.integers(-3, 3), st.sampled_from(["x", "y", "ü\n"]), st.sampled_from([(), (1,), ("a", 2)]),
                    st.lists(st.integers(0, 2), max_size=2).map(tuple), st.sampled_from([0.0, -0.0, 1.5]), st.integers(0, 2))


@pytest.mark.parametrize("frozen", [True, False])
@given(first=_VALUES, second=_VALUES)
def test_a_record_compares_hashes_and_prints_as_a_dataclass(frozen: bool, first: tuple, second: tuple) -> None:
    by_dataclass, by_record = _pair(frozen)
    reference = (by_dataclass(*first), by_dataclass(*second))
    made = (by_record(*first), by_record(*second))
    assert (made[0] == made[1]) is (reference[0] == reference[1])
    assert (made[0] != made[1]) is (reference[0] != reference[1])
    assert repr(made[0]) == repr(reference[0])
    if frozen:
        assert hash(made[0]) == hash(reference[0])
    else:
        with pytest.raises(TypeError, match="unhashable"):
            hash(made[0])


def test_a_frozen_record_hashes_as_a_frozen_dataclass() -> None:
    @dataclass(frozen=True)
    class Reference:
        a: int
        b: str = "x"
        c: tuple = field(default=(), compare=False)
        d: float = field(default=0.0, hash=False)

    @record
    class Made:
        a: int
        b: str = "x"
        c: tuple = field(default=(), compare=False)
        d: float = field(default=0.0, hash=False)

    for values in [(1,), (1, "y"), (2, "x", (3,), 4.5)]:
        assert hash(Made(*values)) == hash(Reference(*values))
    assert Made(1, "x", (1,)) == Made(1, "x", (2,))  # c is not compared
    assert Made(1) != Made(2)
    assert Made(1).__eq__(Reference(1)) is NotImplemented  # another class: never equal
    assert len({Made(1), Made(1, "x", (5,)), Made(2)}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        Made(1).a = 2  # type: ignore[misc]
    assert dataclasses.replace(Made(1), b="z") == Made(1, "z")


def test_a_record_holding_nan_compares_as_a_dataclass_of_this_python_does() -> None:
    # (3.10–3.12 compare fields as tuples, where the same NaN is equal to itself; 3.13
    # field by field, where it is not — but a record is equal to itself)
    nan = float("nan")
    reference = dataclass(frozen=True)(type("Odd", (), {"__annotations__": {"a": "float", "b": "int"}}))
    made = record(type("Odd", (), {"__annotations__": {"a": "float", "b": "int"}}))
    for first, second in [((nan, 1), (nan, 1)), ((nan, 1), (float("nan"), 1)), ((1.0, 1), (1.0, 2))]:
        assert (made(*first) == made(*second)) is (reference(*first) == reference(*second))
    one, same = made(nan, 1), reference(nan, 1)
    assert (one == one) is (same == same)


def test_a_class_with_its_own_comparison_is_refused() -> None:
    # record would replace it: such a class is a plain dataclass
    with pytest.raises(TypeError, match="__eq__"):
        @record
        class Own:
            a: int

            def __eq__(self, other: object) -> bool:
                return True
    with pytest.raises(TypeError, match="order"):
        record(order=True)(type("Ordered", (), {"__annotations__": {"a": "int"}}))


@pytest.mark.parametrize("names", [(), ("a",), ("a", "b")])
def test_records_of_no_one_or_more_fields(names: tuple[str, ...]) -> None:
    namespace = {"__annotations__": {name: "int" for name in names}}
    reference = dataclass(frozen=True)(type("Few", (), dict(namespace)))
    made = record(type("Few", (), dict(namespace)))
    values = range(len(names))
    assert repr(made(*values)) == repr(reference(*values))
    assert hash(made(*values)) == hash(reference(*values))
    assert made(*values) == made(*values)


def test_a_record_that_holds_itself_prints_as_a_dataclass_does() -> None:
    @record(frozen=False)
    class Node:
        children: list

    @dataclass
    class Reference:
        children: list

    made, reference = Node([]), Reference([])
    made.children.append(made)
    reference.children.append(reference)
    assert repr(made) == repr(reference).replace("Reference", "Node") == "test_a_record_that_holds_itself_prints_as_a_" \
        "dataclass_does.<locals>.Node(children=[...])"


def test_every_data_class_of_the_package_is_a_record() -> None:
    # so that none compiles its methods at every start (and none is forgotten as new
    # ones are written)
    found = []
    for module in pkgutil.walk_packages(cxportfolio.__path__, "cxportfolio."):
        if module.name.endswith("__main__"):  # runs the command
            continue
        try:
            loaded = importlib.import_module(module.name)
        except ImportError as missing:  # an optional extra's (the language server's pygls)
            assert module.name.startswith("cxportfolio.lsp"), missing
            continue
        for value in vars(loaded).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.name:
                found.append(value)
                assert value.__eq__ is records._eq and value.__repr__ is records._repr, value
                frozen = value.__dataclass_params__.frozen  # type: ignore[attr-defined]
                assert value.__hash__ is (records._hash if frozen else None), value
    assert len(found) >= 50
