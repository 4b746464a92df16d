"""PySide6 6.12 on Python 3.11 drops a reference to None (void methods) and to True (Signal.emit) on
every call, and the interpreter aborts after a few thousand; importing the desk guards against it."""
from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import decomp_desk.ui
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
class Relay(QObject):
    done = Signal(int, bool, object)
relay = Relay()
relay.done.connect(lambda *a: None)
for i in range(60_000):
    label.setText("x")
    relay.done.emit(i, True, None)
print("survived")
"""


def test_a_long_day_of_qt_calls_does_not_abort_the_desk():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0 and done.stdout.strip() == "survived", done.stderr[-2000:]
