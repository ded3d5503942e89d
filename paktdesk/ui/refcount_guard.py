"""Keep None, True and False alive under PySide6 6.12.0 on Python 3.11.

PySide6 6.12.0 returns ``None`` from every void method (``label.setText``, ``timer.start``,
``app.processEvents`` …) and ``True``/``False`` from ``Signal.emit``/``disconnect`` without taking
a reference. From Python 3.12 on these objects are immortal and nothing happens; on 3.11 each
call lowers their reference count by one, and after a few thousand calls the interpreter aborts
with "Fatal Python error: none_dealloc: deallocating None". Raising their counts once by a huge
amount makes them practically immortal, as they are on 3.12. Remove this module when the project
requires Python 3.12 or a fixed PySide6."""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 40  # more calls than a process can make; far from the Py_ssize_t limit


def needed() -> bool:
    return (sys.implementation.name == "cpython" and sys.version_info < (3, 12)
            and not hasattr(sys, "gettotalrefcount"))  # debug builds have another object header


def apply() -> bool:
    """Raise the counts once per process. Returns True if they were raised now."""
    if not needed() or sys.getrefcount(None) > HEADROOM:
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM
    return True


apply()
