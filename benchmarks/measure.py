"""The measures that run inside one process each, started by run.py (`python benchmarks/measure.py
KIND URL ...`); each prints its figures as one JSON line prefixed with RESULT.

    import   URL CSV_FOLDER WORK_FOLDER   the real CSV import into the fresh database URL, then the bare
                                          executemany baseline of the same session rows
    session  URL OPTIONS_JSON             the desk started on URL as `decomp-desk --database URL` does,
                                          then, inside its event loop: search as you type, opening patients
                                          (and the memory they leave behind), the printed summary, each
                                          beside its bare baseline
"""
from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import gc
import json
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import baselines
from bench_account import ensure_account, sign_in_when_asked
from rss import rss_mb


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result, default=str), flush=True)


def conninfo(url: str) -> str:
    """An SQLAlchemy postgresql+psycopg URL as a libpq connection string."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def sqlite_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


def _sqlite_key(path: str) -> bytes | None:
    """The key DecompDesk keeps for this user for the (encrypted) benchmark file; None for a plain file."""
    from decomp_desk.db import cipher, keystore

    return keystore.key_for(Path(path)) if cipher.encrypted_salt(Path(path)) else None


# --- the CSV import ---------------------------------------------------------------------------------------

def measure_import(url: str, csv_folder: str, work: str) -> dict:
    from dataclasses import replace

    from decomp_desk.bootstrap import open_services

    paths = [str(Path(csv_folder) / f"{kind}.csv") for kind in ("patients", "screenings", "sessions")]
    sessions_in_file = sum(1 for _ in open(paths[2], encoding="utf-8")) - 1
    from decomp_desk.cli import main as cli_main

    start = time.perf_counter()  # `decomp-desk --database URL import patients.csv screenings.csv sessions.csv`
    if url.startswith("sqlite"):  # a new clinic is made on purpose first (encrypted), as `decomp-desk create` does
        code = cli_main(["--database", url, "create"])
        if code not in (0, None):
            raise SystemExit(f"decomp-desk create failed with exit status {code}")
    code = cli_main(["--database", url, "import", *paths])
    if code not in (0, None):
        raise SystemExit(f"decomp-desk import failed with exit status {code}")
    how = "decomp-desk import (cli.main in process, on a new database: creating its schema is timed too)"
    elapsed = time.perf_counter() - start

    services = open_services(url)
    counted = _count_sessions(services)
    # An existing, named clinic: the desk opens straight onto its patient list, with no first-run dialog.
    services.settings.update(replace(services.settings.get(), name="Ten Busy Years Spine & Decompression"))
    ensure_account(services)  # the clinic's administrator; the measured starts sign in as them
    services.dispose()
    if counted != sessions_in_file:
        raise SystemExit(f"the import left {counted} sessions, the file has {sessions_in_file}")

    rows = baselines.parse_sessions_csv(Path(paths[2]))
    if url.startswith("sqlite"):
        bare = baselines.raw_import_sessions(str(Path(work) / "bare-import.sqlite3"), rows)
        Path(work, "bare-import.sqlite3").unlink(missing_ok=True)
        bare_how = ("sqlcipher3 executemany into a bare table of an encrypted file, one transaction (WAL, "
                    "synchronous=FULL)")
    else:
        bare = baselines.raw_import_sessions_pg(conninfo(url), rows)
        bare_how = "psycopg executemany into a bare table, one transaction"
    return {"sessions": counted, "seconds": elapsed, "how": how,
            "bare_seconds": bare, "bare_how": bare_how}


def _count_sessions(services) -> int:
    from sqlalchemy import func, select

    from decomp_desk.db import models as m

    with services.ctx.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(m.TreatmentSession))


# --- the desk in one process --------------------------------------------------------------------------------

class Desk:
    """The desk, started through its own entry point; the measures run inside its event loop."""

    def __init__(self, url: str, options: dict):
        self.url, self.options = url, options
        self.window = None
        self.result: dict = {}
        self.failure: str | None = None

    def run(self) -> dict:
        import decomp_desk.ui.app as desk_app
        from decomp_desk.cli import main as cli_main  # first, as the console script imports it
        from decomp_desk.ui.dialogs import messages

        def refuse(parent, text, title=""):  # a message box would wait forever offscreen
            self.failure = self.failure or f"the desk showed a message: {text}"
            from PySide6.QtWidgets import QApplication

            QApplication.exit(3)

        messages.show_error = refuse
        real_open_window = desk_app.open_window

        def open_window(*args, **kwargs):
            self.window = real_open_window(*args, **kwargs)
            self.window.list_page.loaded.connect(self._loaded)
            return self.window

        desk_app.open_window = open_window
        sign_in_when_asked(desk_app)
        self._started = False
        code = cli_main(["--database", self.url])
        if self.failure:
            raise SystemExit(self.failure)
        if code not in (0, None):
            raise SystemExit(f"the desk exited with status {code}")
        return self.result

    def _loaded(self) -> None:
        from PySide6.QtCore import QTimer

        if self._started:
            return
        if not self.window.isVisible():  # the list loaded during the sign-in: wait for the window
            QTimer.singleShot(1, self._loaded)
            return
        self._started = True
        QTimer.singleShot(0, self._body)

    def _body(self) -> None:
        from PySide6.QtWidgets import QApplication

        try:
            QApplication.processEvents()
            self.result["rss_after_start_mb"] = rss_mb()
            self.result["patients_listed"] = self.window.list_page.model.rowCount()
            if "filter" in self.options["measures"]:
                self.result["filter"] = self.measure_filter()
            if "open" in self.options["measures"]:
                self.result["open"] = self.measure_open()
            if "pdf" in self.options["measures"]:
                self.result["pdf"] = self.measure_pdf()
        except BaseException:
            self.failure = traceback.format_exc()
            QApplication.exit(4)
            return
        QApplication.exit(0)

    # --- search as you type ------------------------------------------------------------------------------
    def measure_filter(self) -> dict:
        """Type "smith" and five backspaces into the list's real search field, `rounds` times after an
        untimed warm-up round. Each keystroke is timed twice: the filter (the key event through
        textChanged -> PatientListPage._search -> PatientFilterProxy over PatientTableModel, with the table
        view following the rows in and out, as it happens synchronously on the keystroke), and then the
        repaint of the list's visible rows that Qt does at its next frame, forced at once here (the events
        still pending after it, such as that scheduled frame, are processed untimed)."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        page = self.window.list_page
        keys = list("smith") + [Qt.Key.Key_Backspace] * 5
        labels = ["s", "sm", "smi", "smit", "smith", "smit", "smi", "sm", "s", ""]
        rounds = self.options["filter_rounds"]

        def typing(edit, shown, viewport) -> tuple[list[list[float]], list[list[float]], list[int]]:
            edit.setFocus()
            QApplication.processEvents()
            filtering: list[list[float]] = [[] for _ in keys]
            painting: list[list[float]] = [[] for _ in keys]
            counts: list[int] = [0] * len(keys)
            for _ in range(rounds + 1):  # the first round warms up, untimed
                for i, key in enumerate(keys):
                    start = time.perf_counter()
                    QTest.keyClick(edit, key)
                    filtered = time.perf_counter()
                    viewport.repaint()  # the visible rows painted now (Qt would at its next frame)
                    painted = time.perf_counter()
                    QApplication.processEvents()  # untimed: the frame Qt had scheduled, the field, the count
                    filtering[i].append(filtered - start)
                    painting[i].append(painted - start)
                    counts[i] = shown()
            return [t[1:] for t in filtering], [t[1:] for t in painting], counts

        desk_f, desk_p, desk_counts = typing(page.search, page.proxy.rowCount, page.table.viewport())
        if desk_counts[-1] != page.model.rowCount():
            raise SystemExit("the search did not come back to the whole list")

        model = page.model
        cells = [tuple(model.index(r, c).data() or "" for c in range(model.columnCount()))
                 for r in range(model.rowCount())]
        bare, edit = baselines.bare_filter_view(cells)
        bare.resize(self.window.size())
        bare.show()
        QApplication.processEvents()
        proxy = bare._keep[1]
        view = bare.findChild(type(page.table))
        bare_f, bare_p, bare_counts = typing(edit, proxy.rowCount, view.viewport())
        bare.close()
        bare.deleteLater()
        QApplication.processEvents()

        def ms(series, how):
            return [round(how(t) * 1000, 3) for t in series]

        return {
            "rows": model.rowCount(), "keystrokes": labels, "rows_shown": desk_counts, "bare_rows_shown": bare_counts,
            "median_ms": ms(desk_f, statistics.median), "max_ms": ms(desk_f, max),
            "bare_median_ms": ms(bare_f, statistics.median), "bare_max_ms": ms(bare_f, max),
            "repainted_median_ms": ms(desk_p, statistics.median), "repainted_max_ms": ms(desk_p, max),
            "bare_repainted_median_ms": ms(bare_p, statistics.median),
            "rounds": rounds,
        }

    # --- opening patients ---------------------------------------------------------------------------------
    def _wait(self, signal, trigger, timeout_s: float = 30.0):
        """Call `trigger()` and run the event loop until `signal` fires."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        fired: list = []

        def on(*args):
            fired.append(args)
            loop.quit()

        signal.connect(on)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        try:
            trigger()
            if not fired:
                timer.start(int(timeout_s * 1000))
                loop.exec()
        finally:
            timer.stop()
            signal.disconnect(on)
        if not fired:
            raise SystemExit(f"no {signal} within {timeout_s} s")
        return fired[0]

    def _settle(self, canvases) -> None:
        """Run the event loop until every canvas has rendered its figure, then let the window paint."""
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        for _ in range(1000):
            if not any(getattr(c, "_draw_pending", False) for c in canvases):
                break
            QApplication.processEvents()
        QApplication.processEvents()

    def open_once(self, patient_id: int) -> float:
        """Open a patient as Enter in the list does, then their Progress tab as Ctrl+4 does (the chart is
        drawn when its tab is on show), until the page and the chart are drawn."""
        from PySide6.QtWidgets import QApplication

        window, page = self.window, self.window.patient_page
        start = time.perf_counter()
        self._wait(page.loaded, lambda: window.list_page.open_requested.emit(patient_id))
        page.actions.show_progress.trigger()
        self._settle([page.progress.chart.canvas])
        elapsed = time.perf_counter() - start
        window.show_list()
        QApplication.processEvents()
        return elapsed

    def measure_open(self) -> dict:
        from PySide6.QtWidgets import QApplication

        rows = self.window.list_page.model.rows()
        count = self.options["open_patients"]
        step = max(1, len(rows) // (count + 1))
        chosen = rows[step // 2::step][:count + 1]  # spread over the list; the first is the warm-up
        first = self.open_once(chosen[0].id)
        times, rss = [], {}
        for n, row in enumerate(chosen[1:], start=1):
            times.append(self.open_once(row.id))
            if n in (1, 10, count):
                gc.collect()
                QApplication.processEvents()
                rss[n] = rss_mb()
        # Memory goes on being watched over as many patients again and more, untimed: matplotlib's caches
        # (text metrics, fonts, glyphs) fill during the first few dozen patients, so "no growth" is judged
        # after them. The patients are spread over the list like the timed ones, none opened twice.
        more = self.options["memory_patients"]
        seen = {r.id for r in chosen}
        extra = [r for r in rows[step // 4::max(1, len(rows) // (more - count + 1))] if r.id not in seen]
        for n, row in enumerate(extra[:more - count], start=count + 1):
            self.open_once(row.id)
            if n % 50 == 0 or n == more:
                gc.collect()
                QApplication.processEvents()
                rss[n] = rss_mb()
        canvas = self.window.patient_page.progress.chart.canvas
        size = (canvas.width(), canvas.height())

        # the baseline: one raw query for the same rows, the bare figure drawn on a canvas of the same size
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        bare_canvas = FigureCanvasQTAgg(Figure())
        bare_canvas.resize(*size)
        bare_canvas.show()
        QApplication.processEvents()
        sqlite = self.url.startswith("sqlite")
        key = _sqlite_key(sqlite_file(self.url)) if sqlite else None  # looked up once, as a program would
        fetch = (lambda chart: baselines.raw_fetch_sessions(sqlite_file(self.url), chart, key)) if sqlite else \
            (lambda chart: baselines.raw_fetch_sessions_pg(conninfo(self.url), chart))
        bare_times, sessions = [], []
        for row in chosen:  # the first one warms up, untimed
            start = time.perf_counter()
            fetched = fetch(row.chart_number)
            baselines.bare_figure(fetched, bare_canvas.figure)
            bare_canvas.draw()
            QApplication.processEvents()
            bare_times.append(time.perf_counter() - start)
            sessions.append(len(fetched))
        bare_canvas.close()
        return {
            "patients": len(times), "first_open_ms": first * 1000,
            "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000,
            "bare_median_ms": statistics.median(bare_times[1:]) * 1000, "bare_max_ms": max(bare_times[1:]) * 1000,
            "sessions_per_patient": sorted(set(sessions)), "canvas_px": size,
            "rss_mb": {str(k): v for k, v in rss.items()},
        }

    # --- the printed summary ------------------------------------------------------------------------------
    def measure_pdf(self) -> dict:
        from PySide6.QtGui import QTextDocument

        services = self.window.services
        rows = self.window.list_page.model.rows()
        count = self.options["pdf_patients"]
        chosen = rows[len(rows) // 3::max(1, len(rows) // (count + 2))][:count + 1]
        make = summary_pdf_function(services)
        folder = Path(tempfile.mkdtemp(prefix="decomp-bench-pdf-"))
        times, sizes = [], []
        for i, row in enumerate(chosen):
            path = folder / f"summary-{row.chart_number}.pdf"
            start = time.perf_counter()
            make(row.chart_number, path)
            elapsed = time.perf_counter() - start
            if i:  # the first one warms up (loads the PDF writer), untimed
                times.append(elapsed)
            sizes.append(path.stat().st_size)

        # the baseline: the same text and a chart of the same rows, straight onto a QPdfWriter
        from decomp_desk.reports.summary_html import summary_html

        bare_times = []
        for i, row in enumerate(chosen):
            ctx = services_summary(services, row.chart_number)
            doc = QTextDocument()
            doc.setHtml(summary_html(ctx))
            lines = [line for line in doc.toPlainText().splitlines() if line.strip()]
            chart_rows = [(p.before.pain, p.before.numbness, p.before.tingling) for p in ctx.progress.points]
            path = folder / f"bare-{row.chart_number}.pdf"
            start = time.perf_counter()
            baselines.bare_pdf(str(path), lines, chart_rows)
            elapsed = time.perf_counter() - start
            if i:
                bare_times.append(elapsed)
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
        return {"patients": len(times), "median_s": statistics.median(times), "max_s": max(times),
                "bare_median_s": statistics.median(bare_times), "bytes": statistics.median(sizes),
                "how": make.__doc__}


def services_summary(services, chart_number: str):
    return services.reports.summary(chart_number=chart_number, audit=False)


def summary_pdf_function(services):
    """What `decomp-desk report CHART --output F.pdf` runs (decomp_desk.cli.report), on the desk's
    already open services; the command's one line of output is swallowed."""
    import argparse
    import contextlib
    import io

    from decomp_desk.cli import report

    def make(chart_number: str, path: Path) -> None:
        """decomp_desk.cli.report: ReportService.summary(chart) -> reports.pdf.write_summary_pdf(ctx, path)"""
        with contextlib.redirect_stdout(io.StringIO()):
            code = report(argparse.Namespace(chart_number=chart_number, output=str(path)), services)
        if code:
            raise SystemExit(f"decomp-desk report {chart_number} failed with status {code}")

    return make


def main(argv: list[str]) -> int:
    kind = argv[0]
    try:
        if kind == "import":
            emit(measure_import(*argv[1:4]))
        elif kind == "session":
            emit(Desk(argv[1], json.loads(argv[2])).run())
        else:
            raise SystemExit(f"unknown measure {kind!r}")
    except SystemExit as e:
        if e.code not in (0, None):
            print(f"FAILED {e.code}", file=sys.stderr, flush=True)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
