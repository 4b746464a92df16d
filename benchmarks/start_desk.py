"""Start of the desk, run as a fresh process by run.py: `decomp-desk --database URL` (cli.main, as the
console script runs it) on an existing, named clinic, so no first-run dialog is involved; the desk's
login dialog is answered as the benchmark's account (bench_account.py), so the sign-in and its Argon2
check are part of the start.

The desk's own code runs unchanged; this script only wraps ui.app.open_window to learn when the
window exists, and reports when its patient list has been loaded and painted. Prints one JSON line:
seconds from the launch (BENCH_T0, time.monotonic() of the parent just before it started this
process), the number of rows in the list, and the resident memory then."""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from bench_account import sign_in_when_asked
from rss import rss_mb


def main() -> int:
    t0 = float(os.environ["BENCH_T0"])
    url = sys.argv[1]
    # In the order the `decomp-desk` console script imports them: the command line (and with it the
    # services and SQLAlchemy) first, the desk's Qt modules when main() opens the desk. (Modules
    # imported after PySide6 cost more: PySide6 reads each one's source to look for its name.)
    import importlib

    from decomp_desk import launch

    importlib.import_module("decomp_desk.cli")  # launch.run imports it first, before any Qt module
    desk_app = importlib.import_module("decomp_desk.ui.app")

    real_open_window = desk_app.open_window

    def open_window(*args, **kwargs):
        window = real_open_window(*args, **kwargs)
        from PySide6.QtWidgets import QApplication

        def loaded():
            if not window.isVisible():  # loaded during the sign-in: ready once the window is shown
                from PySide6.QtCore import QTimer

                QTimer.singleShot(1, loaded)
                return
            QApplication.processEvents()  # the first paint of the filled list
            ready = time.monotonic() - t0
            rows = window.list_page.model.rowCount()
            print(f'{{"ready_s": {ready:.6f}, "cpu_s": {time.process_time():.6f}, "rows": {rows}, '
                  f'"rss_mb": {rss_mb():.2f}}}', flush=True)
            if os.environ.get("BENCH_EXIT_AT_READY"):  # instruction counts up to here (valgrind), not the exit
                os._exit(0)
            QApplication.exit(0)

        window.list_page.loaded.connect(loaded)
        return window

    desk_app.open_window = open_window
    sign_in_when_asked(desk_app)
    return launch.run(["--database", url])


if __name__ == "__main__":
    sys.exit(main())
