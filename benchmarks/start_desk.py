"""Start of the desk, run as a fresh process by run.py: `decomp-desk --database URL` (launch.run, as the
console script runs it) on an existing, named clinic, so no first-run dialog is involved; the desk's
login dialog is answered as the benchmark's account (bench_account.py), so the sign-in and its Argon2
check are part of the start.

The desk's own code runs unchanged, its modules imported in its own order; this script only wraps
ui.app.open_window, as ui.app is imported, to learn when the
window exists, and reports when its patient list has been loaded and painted. Prints one JSON line:
seconds from the launch (BENCH_T0, time.monotonic() of the parent just before it started this
process), the number of rows in the list, and the resident memory then."""
import importlib.abc
import importlib.util
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from bench_account import sign_in_when_asked
from rss import rss_mb


def main() -> int:
    t0 = float(os.environ["BENCH_T0"])
    url = sys.argv[1]
    # The desk's modules are imported when and in the order `decomp-desk` imports them (the command line,
    # SQLAlchemy and the database driver before any Qt module: PySide6 reads the source of every module
    # imported after it, looking for its name); ui.app is wrapped as it is imported.
    from decomp_desk import launch

    when_imported("decomp_desk.ui.app", lambda desk_app: wrap(desk_app, t0))
    return launch.run(["--database", url])


def wrap(desk_app, t0: float) -> None:
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


class _OnImport(importlib.abc.MetaPathFinder):
    """Calls `then(module)` once the module `name` has been imported (by whoever imports it first)."""

    def __init__(self, name: str, then):
        self.name, self.then = name, then

    def find_spec(self, name, path, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        real_exec = spec.loader.exec_module

        def exec_module(module):
            real_exec(module)
            self.then(module)

        spec.loader.exec_module = exec_module
        return spec


def when_imported(name: str, then) -> None:
    sys.meta_path.insert(0, _OnImport(name, then))


if __name__ == "__main__":
    sys.exit(main())
