"""The desk's garbage collector runs on the UI thread, by the interpreter's own thresholds."""
from __future__ import annotations

import gc
import threading

from decomp_desk.ui.gc_on_ui_thread import UiThreadGarbageCollector


def test_collections_happen_on_the_ui_thread_only(qtbot):
    collected_on: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collected_on.append(threading.current_thread().name)
    collector = UiThreadGarbageCollector()
    gc.callbacks.append(note)
    try:
        assert not gc.isenabled()
        junk = []
        for _ in range(collector.thresholds[0] * 2):  # past the young generation's threshold
            a: list = []
            a.append(a)
            junk.append(a)
        del junk
        worker = threading.Thread(target=lambda: [[] for _ in range(50_000)], name="database worker")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(collected_on), timeout=5000)
        assert set(collected_on) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(note)
        collector.stop()
    assert gc.isenabled()
