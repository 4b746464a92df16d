"""`@record` behaves as `@dataclass(frozen=True)` does: the same repr, equality, hash and immutability."""
from __future__ import annotations

import dataclasses
from dataclasses import FrozenInstanceError, field

import pytest

from decomp_desk.domain.records import record


def twins():
    """The same class as a record and as a frozen dataclass."""
    def body(ns):
        ns["__annotations__"] = {"name": "str", "visits": "int", "notes": "list", "hidden": "int"}
        ns["visits"] = 0
        ns["notes"] = field(default_factory=list)
        ns["hidden"] = field(default=0, compare=False, repr=False)

    import types
    made = types.new_class("Visit", (), {}, body)
    plain = types.new_class("Visit", (), {}, body)
    return record(made), dataclasses.dataclass(frozen=True)(plain)


@pytest.mark.parametrize("args", [("Lee",), ("Lee", 3), ("Lee", 3, ["a", "b"], 7)])
def test_a_record_reads_compares_and_hashes_as_a_frozen_dataclass(args):
    visit_record, visit_dataclass = twins()
    r, d = visit_record(*args), visit_dataclass(*args)
    assert repr(r) == repr(d)
    assert r == visit_record(*args) and not (r != visit_record(*args))
    assert (r == visit_record("Kim")) == (d == visit_dataclass("Kim")) is False
    assert [f.name for f in dataclasses.fields(r)] == [f.name for f in dataclasses.fields(d)]
    assert dataclasses.replace(r, name="Kim") == visit_record("Kim", *args[1:])
    assert (r == d) is False  # another class: never equal, as between two dataclasses
    with pytest.raises(FrozenInstanceError):
        r.name = "Kim"


def test_fields_left_out_of_comparison_are_left_out_of_the_hash_and_the_repr():
    visit_record, _ = twins()
    a, b = visit_record("Lee", notes=(), hidden=1), visit_record("Lee", notes=(), hidden=2)
    assert a == b and hash(a) == hash(b) and "hidden" not in repr(a)
    assert len({visit_record("Lee", 1, ()), visit_record("Lee", 1, ()), visit_record("Lee", 2, ())}) == 2


def test_a_record_keeps_the_methods_its_class_defines_and_may_have_no_fields():
    @record
    class Always:
        x: int

        def __eq__(self, other):
            return True

    @record
    class Empty:
        pass

    assert Always(1) == Always(2) and Always.__hash__ is not None  # dataclass, too, hashes such a class
    assert Empty() == Empty() and hash(Empty()) == hash(Empty()) and repr(Empty()).endswith(".Empty()")


def test_a_record_that_holds_itself_says_so_in_its_repr():
    @record
    class Node:
        items: list

    n = Node([])
    n.items.append(n)
    assert repr(n).endswith(".Node(items=[...])")  # the class's qualified name, as a dataclass gives it


def test_a_record_is_made_as_a_frozen_dataclass_is_with_every_kind_of_field():
    # __init__ is dataclass's own, made when the first record of the class is: its defaults, factories,
    # keyword-only fields, class variables, init-only variables and __post_init__ work as they do there.
    from dataclasses import KW_ONLY, InitVar
    from typing import ClassVar

    def body(ns):
        ns["__annotations__"] = {"name": str, "kind": ClassVar[str], "scale": InitVar[int], "visits": int,
                                 "_": KW_ONLY, "notes": list, "seen": int}
        ns["kind"], ns["visits"] = "visit", 0
        ns["notes"] = field(default_factory=list)
        ns["seen"] = field(init=False, default=0)

        def post_init(self, scale):
            object.__setattr__(self, "seen", self.visits * scale)
        ns["__post_init__"] = post_init

    import types
    made = record(types.new_class("Visit", (), {}, body))
    plain = dataclasses.dataclass(frozen=True)(types.new_class("Visit", (), {}, body))
    for cls in (made, plain):
        with pytest.raises(TypeError):
            cls("Lee", 2, 3, ["x"])  # notes is keyword-only
    r, d = made("Lee", 2, 3, notes=["x"]), plain("Lee", 2, 3, notes=["x"])
    assert repr(r) == repr(d) and r.seen == d.seen == 6 and r.kind == "visit"
    assert made("Lee", 2).notes == [] and made("Lee", 2).notes is not made("Lee", 2).notes
    assert [f.name for f in dataclasses.fields(made)] == [f.name for f in dataclasses.fields(plain)]
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'name'"):
        r.name = "Kim"
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'name'"):
        del r.name


def test_a_record_built_on_another_record_has_both_fields_and_its_own_init_if_it_defines_one():
    @record
    class Base:
        a: int
        b: int = 2

    @record
    class Derived(Base):
        c: str = "c"

    @record
    class Built:
        x: int

        def __init__(self, text: str):
            object.__setattr__(self, "x", int(text))

    assert repr(Derived(1, c="z")).endswith(".Derived(a=1, b=2, c='z')")
    assert Derived(1) != Base(1) and Base(1) == Base(1, 2)
    assert Built("7").x == 7
