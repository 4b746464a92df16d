"""Python's cyclic garbage collector, run on the UI thread only.

Left automatic, a collection starts in whichever thread happens to allocate when a threshold is passed,
often a worker running a database job; if the garbage it finds holds Qt widgets, their C++ side is
deleted on that worker thread, and Qt crashes (seen as a segmentation fault during a collection in a
worker). So the desk turns the automatic collector off and a timer on the UI thread runs it, by the same
thresholds, generation by generation (the way pyqtgraph's GarbageCollector does)."""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class UiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
