"""`@record`: the desk's frozen dataclasses (the rules' inputs and answers, what the services return).

A record is exactly `@dataclass(frozen=True)`: the same fields, `__init__`, immutability, `replace()`,
`fields()`, equality between two records of one class field by field, a hash that agrees with it, and the
same `repr`. Only how its equality, hash and repr are made differs: Python 3.11's dataclass compiles each
of them from source for every class, and the desk defines about a hundred such classes, sixty of them
loaded at every start (a quarter of the time its own modules take to load). Here they are three small
functions shared by all records, each reading the class's own field names, made once per class."""
from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


def _values_of(names: list[str]) -> staticmethod[[Any], Any]:
    """The values of `names` as one comparable, hashable whole (a tuple; the value itself for one name),
    as the class keeps it: read through an instance, it is not bound to it."""
    getter: Callable[[Any], Any] = attrgetter(*names) if names else (lambda _record: ())
    return staticmethod(getter)


def _eq(self: Any, other: object) -> Any:
    compared = self.__record_compared__  # the class's own, found through the instance
    if other.__class__ is not self.__class__:
        return NotImplemented
    return compared(self) == compared(other)


def _hash(self: Any) -> int:
    return hash(self.__record_hashed__(self))


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__class__.__record_shown__)
    return f"{self.__class__.__qualname__}({shown})"


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[T]) -> type[T]:
    # As dataclass does: a method the class defines itself is kept; a class that defines __eq__ and no
    # __hash__ of its own (Python then sets __hash__ to None) still gets the fields' hash.
    own = cls.__dict__
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    made: Any = dataclass(frozen=True, eq=False, repr=False)(cls)
    every = fields(made)
    made.__record_compared__ = _values_of([f.name for f in every if f.compare])
    made.__record_hashed__ = _values_of([f.name for f in every if (f.compare if f.hash is None else f.hash)])
    made.__record_shown__ = tuple(f.name for f in every if f.repr)
    for name, method in (("__eq__", _eq), ("__repr__", _repr)):
        if name not in own:
            setattr(made, name, method)
    if not explicit_hash:
        made.__hash__ = _hash
    return made  # type: ignore[no-any-return]
