"""Start baseline, run as a fresh process by run.py: a bare PySide6 window showing a matplotlib canvas.

Prints one JSON line: seconds from the launch (BENCH_T0, time.monotonic() of the parent just before
it started this process) to the window shown and painted, and the process's resident memory then."""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QApplication, QMainWindow
from rss import rss_mb


def main() -> None:
    t0 = float(os.environ["BENCH_T0"])
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.setCentralWidget(FigureCanvasQTAgg(Figure()))
    room = app.primaryScreen().availableGeometry()
    window.resize(min(1280, room.width()), min(800, room.height()))
    window.show()
    app.processEvents()  # the first paint (the canvas renders its figure)
    ready = time.monotonic() - t0
    print(f'{{"ready_s": {ready:.6f}, "cpu_s": {time.process_time():.6f}, "rss_mb": {rss_mb():.2f}}}', flush=True)
    if os.environ.get("BENCH_EXIT_AT_READY"):  # instruction counts up to this point (valgrind), not the exit
        os._exit(0)


if __name__ == "__main__":
    main()
