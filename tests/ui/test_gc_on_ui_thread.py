"""The desk's garbage collector runs on the UI thread, by the interpreter's own thresholds."""
from __future__ import annotations

import gc
import threading

from decomp_desk.ui.gc_on_ui_thread import INTERVAL_MS, UiThreadGarbageCollector


def test_collections_happen_on_the_ui_thread_only(qtbot):
    noted: list[tuple[bool, int]] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            noted.append((threading.current_thread() is threading.main_thread(), info["generation"]))
    collector = UiThreadGarbageCollector()
    gc.callbacks.append(note)
    try:
        assert not gc.isenabled()  # no automatic collection, in whichever thread allocates
        assert collector.timer.isActive() and collector.timer.interval() == INTERVAL_MS
        collector.thresholds = (50, 10, 10)
        gc.collect()  # counts from zero
        noted.clear()
        junk = []
        for _ in range(200):  # past the young generation's threshold, in cycles only a collection frees
            a: list = []
            a.append(a)
            junk.append(a)
        del junk
        worker = threading.Thread(target=lambda: [[[]] for _ in range(50_000)], name="database worker")
        worker.start()
        worker.join()
        assert noted == []  # the worker allocated far past every threshold: nothing was collected there
        collector.check()  # what the timer does, on the UI thread
        assert noted and all(on_ui_thread for on_ui_thread, _ in noted)
    finally:
        gc.callbacks.remove(note)
        collector.stop()
    assert gc.isenabled()
