"""The floor under the start, run as a fresh process like start_bare.py: what the desk's fixed stack costs
before the desk does anything of its own. SQLAlchemy with its ORM and the database's driver and dialect
are imported (in the desk's order: before Qt), then a QMainWindow with an empty QTableView is shown and
painted. No matplotlib (the desk does not load it at start), no database opened, no desk module.

    BENCH_T0=$(python -c 'import time; print(time.monotonic())') python benchmarks/start_floor.py URL

Prints one JSON line as start_bare.py does; the README's Speed section compares it with the bare window."""
import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main() -> None:
    t0 = float(os.environ["BENCH_T0"])
    import sqlalchemy.orm  # noqa: F401
    from sqlalchemy.engine import make_url

    make_url(sys.argv[1]).get_dialect().import_dbapi()
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    room = app.primaryScreen().availableGeometry()
    window.resize(min(1280, room.width()), min(800, room.height()))
    window.show()
    app.processEvents()
    print(f'{{"ready_s": {time.monotonic() - t0:.6f}, "cpu_s": {time.process_time():.6f}}}', flush=True)


if __name__ == "__main__":
    main()
