"""A guard against a PySide6 6.12 defect on Python 3.11.

PySide6 6.12.0 returns None from void methods, and True from Signal.emit(), without taking a reference
(harmless on Python 3.12+, where these objects are immortal). On Python 3.11 every such call lowers
their reference count by one, and after a few thousand calls the interpreter aborts with
"none_dealloc: deallocating None". PySide6 6.11 is not affected.

The guard gives None, True and False a reference count so large that it can never reach zero, which
is what Python 3.12 does for them anyway. It changes nothing on Python 3.12 or later."""
from __future__ import annotations

import ctypes
import sys

_FLOOR = 1 << 40


def guard_singletons() -> bool:
    """Returns True when the guard was needed (and applied)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for obj in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of every object
        if refcount.value < _FLOOR:
            refcount.value += _FLOOR
    return True
