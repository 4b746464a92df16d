"""`@record`: the desk's frozen dataclasses (the rules' inputs and answers, what the services return).

A record is exactly `@dataclass(frozen=True)`: the same fields, `__init__`, immutability, `replace()`,
`fields()`, equality between two records of one class field by field, a hash that agrees with it, and the
same `repr`. Only how its methods are made differs. Python 3.11's dataclass compiles five of them from
source for every frozen class (`__init__`, `__setattr__`, `__delattr__`, `__eq__`, `__repr__`), and the desk
defines about a hundred such classes, sixty of them loaded at every start: that compiling was a third of
the time the desk's own modules took to load. Here equality, hash, repr and the refusal to change a field
are small functions shared by all records, and `__init__` is dataclass's own, compiled the first time a
record of the class is made (most classes loaded at start make none before the window is up)."""
from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import Field, FrozenInstanceError, dataclass, field, fields
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


def _refuse_change(cls: Any) -> tuple[Callable[..., None], Callable[..., None]]:
    """__setattr__ and __delattr__ of a frozen dataclass: a field of a record is never changed or deleted
    (nor any attribute of the record class itself; a subclass that is not a record may add its own)."""
    names = frozenset(f.name for f in fields(cls))

    def refuse_set(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def refuse_delete(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return refuse_set, refuse_delete


def _init_made_when_first_used(cls: type) -> Callable[..., None]:
    """A stand-in `__init__` that, called the first time, puts dataclass's own in its place (made for a
    frozen class with the same fields, defaults and `__post_init__`) and then runs it."""
    def first_init(self: Any, *args: Any, **kwargs: Any) -> None:
        if cls.__dict__.get("__init__") is first_init:  # not replaced yet (by another thread, say)
            every = cls.__dataclass_fields__  # type: ignore[attr-defined]  # pseudo-fields (ClassVar, InitVar) too
            twin_body = {"__annotations__": {name: f.type for name, f in every.items()}, "__module__": cls.__module__,
                         "__qualname__": cls.__qualname__, **every}
            if hasattr(cls, "__post_init__"):  # the made __init__ calls it on the instance: its presence matters
                twin_body["__post_init__"] = cls.__post_init__
            twin: Any = type(cls.__name__, (), twin_body)
            twin = dataclass(frozen=True, eq=False, repr=False, match_args=False)(twin)
            made = twin.__init__
            made.__qualname__ = f"{cls.__qualname__}.__init__"
            cls.__init__ = made  # type: ignore[misc]
        cls.__init__(self, *args, **kwargs)  # type: ignore[misc]

    return first_init


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[T]) -> type[T]:
    # As dataclass does: a method the class defines itself is kept; a class that defines __eq__ and no
    # __hash__ of its own (Python then sets __hash__ to None) still gets the fields' hash.
    own = cls.__dict__
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if "__setattr__" in own or "__delattr__" in own:  # as dataclass refuses for a frozen class
        raise TypeError(f"Cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
    # Fields, defaults, `fields()`, `replace()` and __match_args__ by dataclass itself; no method made by it.
    made: Any = dataclass(init=False, eq=False, repr=False)(cls)
    every = fields(made)
    if "__init__" not in own:
        made.__init__ = _init_made_when_first_used(made)
    made.__setattr__, made.__delattr__ = _refuse_change(made)
    made.__record_compared__ = _values_of([f.name for f in every if f.compare])
    made.__record_hashed__ = _values_of([f.name for f in every if (f.compare if f.hash is None else f.hash)])
    made.__record_shown__ = tuple(f.name for f in every if f.repr)
    for name, method in (("__eq__", _eq), ("__repr__", _repr)):
        if name not in own:
            setattr(made, name, method)
    if not explicit_hash:
        made.__hash__ = _hash
    return made  # type: ignore[no-any-return]
