"""The bare baselines each measure is compared with, run in the same process and machine state:
what the same work costs with no DecompDesk code in the way.

Nothing here imports decomp_desk. Qt and matplotlib are imported inside the functions that need
them, so a caller pays only for what it uses (the start baseline lives in start_bare.py, a process
of its own)."""
from __future__ import annotations

import csv
import os
import time
from datetime import date
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

SCORES = ("pain", "numbness", "tingling")
# The desk's SQLCipher settings (decomp_desk/db/cipher.py, TUNING), which the bare side must use too to
# read the same file and to be a fair floor.
CIPHER_SETTINGS = ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256",)

_SESSIONS_SQL = (
    "SELECT s.pain_before, s.numbness_before, s.tingling_before, s.date, s.start_time, s.duration_min, "
    "s.pain_after, s.numbness_after, s.tingling_after "
    "FROM treatment_sessions s JOIN courses c ON c.id = s.course_id JOIN patients p ON p.id = c.patient_id "
    "WHERE p.chart_number = {ph} ORDER BY s.date, s.start_time")


def bare_figure(rows, figure=None):
    """The figure DecompDesk draws, made with plain matplotlib calls and no logic of the desk's: the three
    before-session lines with markers, the after-session ones where the rows have them, the baseline pain
    line, a tick per session labelled with its number and date, a legend below, constrained layout.
    `rows` are the raw query's (or just the three before scores). Draws into `figure` (cleared) when
    given, else a new 7.5 x 3.6 in Figure."""
    from matplotlib.figure import Figure

    fig = figure if figure is not None else Figure(figsize=(7.5, 3.6), layout="constrained")
    fig.clear()
    fig.set_layout_engine("constrained")
    ax = fig.add_subplot()
    xs = list(range(1, len(rows) + 1))
    for i, name in enumerate(SCORES):
        ax.plot(xs, [r[i] for r in rows], marker="os^"[i], label=name)
        if rows and len(rows[0]) > 6:
            ax.plot(xs, [r[6 + i] if r[6 + i] is not None else float("nan") for r in rows], marker="os^"[i],
                    markerfacecolor="white", linestyle=":", label=f"{name} after")
    if rows:
        ax.axhline(rows[0][0], linestyle=":", label="baseline pain")
    if rows and len(rows[0]) > 3:
        ax.set_xticks(xs, [f"{n}\n{_day(r[3])}" for n, r in zip(xs, rows)])
    ax.set_ylim(-0.4, 10.5)
    ax.set_yticks(range(0, 11))
    fig.legend(loc="outside lower center", ncol=4)
    return fig


def _day(value) -> str:
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    return d.strftime("%b %d")


# --- opening a patient: one raw query -----------------------------------------------------------------

def raw_fetch_sessions(sqlite_file: str, chart_number: str, key: bytes | None = None):
    """One raw query for a patient's sessions: the floor under opening a patient. The desk's file is
    encrypted (SQLCipher), so the baseline opens the same file with sqlcipher3 and its raw key, as a
    hand-written program would: the decryption is on both sides of the ratio."""
    con = sqlcipher.connect(sqlite_file)
    if key is not None:
        con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        for pragma in CIPHER_SETTINGS:
            con.execute(pragma)
    try:
        return con.execute(_SESSIONS_SQL.format(ph="?"), (chart_number,)).fetchall()
    finally:
        con.close()


def raw_fetch_sessions_pg(conninfo: str, chart_number: str):
    """The same query with psycopg on PostgreSQL (a new connection each time, as the SQLite one)."""
    import psycopg

    with psycopg.connect(conninfo) as con:
        return con.execute(_SESSIONS_SQL.format(ph="%s"), (chart_number,)).fetchall()


# --- the CSV import: executemany of already-parsed rows --------------------------------------------------

def parse_sessions_csv(path: Path) -> list[tuple]:
    """sessions.csv as typed tuples (the parse is not timed: the baseline is the insert alone)."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for chart, d, t, dur, pos, force, pain, numb, ting, stop, adverse, notes in reader:
            rows.append((chart, date.fromisoformat(d).isoformat(), t, int(dur), pos, float(force) if force else None,
                         int(pain), int(numb), int(ting), stop == "yes", adverse, notes))
    return rows


_BARE_TABLE = ("CREATE TABLE bare (chart TEXT, d TEXT, t TEXT, dur INT, pos TEXT, force REAL, "
               "pain INT, numb INT, ting INT, stop BOOLEAN, adverse TEXT, notes TEXT)")


def raw_import_sessions(sqlite_file: str, rows: list[tuple]) -> float:
    """executemany of already-parsed rows into a bare table of a fresh SQLite file, in one transaction
    (the same journal settings as the desk's file: WAL, synchronous=FULL; encrypted with SQLCipher under a
    raw random key, as the desk's file is); seconds taken."""
    Path(sqlite_file).unlink(missing_ok=True)
    con = sqlcipher.connect(sqlite_file)
    con.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
    for pragma in CIPHER_SETTINGS:
        con.execute(pragma)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute(_BARE_TABLE)
    start = time.perf_counter()
    with con:
        con.executemany("INSERT INTO bare VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def raw_import_sessions_pg(conninfo: str, rows: list[tuple]) -> float:
    """psycopg executemany (pipelined) of the same rows into a bare table, in one transaction."""
    import psycopg

    with psycopg.connect(conninfo) as con:
        con.execute("DROP TABLE IF EXISTS bare")
        con.execute(_BARE_TABLE.replace("REAL", "DOUBLE PRECISION"))
        con.commit()
        start = time.perf_counter()
        with con.cursor() as cur:
            cur.executemany("INSERT INTO bare VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows)
        con.commit()
        elapsed = time.perf_counter() - start
        con.execute("DROP TABLE bare")
        con.commit()
    return elapsed


# --- search as you type: Qt's stock filter proxy --------------------------------------------------------

def bare_filter_view(rows: list[tuple[str, ...]]):
    """A QStandardItemModel of the same cells under Qt's stock QSortFilterProxyModel (fixed string,
    case-insensitive, every column) in a QTableView, fed by a QLineEdit: the stock way to filter.
    Returns (top-level widget, line edit)."""
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

    model = QStandardItemModel(len(rows), len(rows[0]) if rows else 0)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            model.setItem(r, c, QStandardItem(text))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    view = QTableView()
    view.setModel(proxy)
    edit = QLineEdit()
    edit.textChanged.connect(proxy.setFilterFixedString)
    top = QWidget()
    layout = QVBoxLayout(top)
    layout.addWidget(edit)
    layout.addWidget(view)
    top._keep = (model, proxy)
    return top, edit


# --- the printed summary: text and chart straight onto a QPdfWriter ----------------------------------------

def bare_pdf(path: str, lines: list[str], chart_rows, dpi: int = 300) -> None:
    """Write `lines` of text and the bare chart (PNG at `dpi`) on a Letter page with QPdfWriter."""
    import io

    from PySide6.QtCore import QMarginsF, QRectF, Qt
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

    fig = bare_figure(chart_rows, None)
    fig.set_size_inches(7.0, 3.1)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    image = QImage.fromData(buf.getvalue(), "PNG")

    writer = QPdfWriter(path)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.Letter), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    painter = QPainter(writer)
    y = 0.0
    width = writer.width()
    line_h = painter.fontMetrics().height() * 1.3
    for text in lines:
        painter.drawText(QRectF(0, y, width, line_h), int(Qt.AlignmentFlag.AlignLeft), text)
        y += line_h
    target_h = width * image.height() / image.width()
    painter.drawImage(QRectF(0, y + line_h, width, target_h), image)
    painter.end()
    del writer
