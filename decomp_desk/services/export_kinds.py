"""What a whole-clinic export writes: one entry per import file of DOMAIN.md ("Import format").

Each kind is a file name, its columns (the import's header, in the import's order) and a query that
yields the cells of each row, streamed from the database in batches so that ten years of sessions never
sit in memory at once. Adding a kind (outcomes, appointments) is one more entry in KINDS: its columns,
a query returning the columns' values in that order, and the cell writer of each column.

Every row is written so that the import reads it back to the same record: dates ISO 8601, times HH:MM,
yes/no, the enum words of the import, lists joined by ';', money with two decimals. Text a spreadsheet
would take for a formula (beginning with = + - @) gets a leading apostrophe, which the import removes."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import groupby, islice
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m
from decomp_desk.db.outcome_models import OutcomeForm
from decomp_desk.db.schedule_models import Appointment, ClinicTable
from decomp_desk.domain.records import record

Row = tuple[Any, ...]
BATCH = 5000  # rows fetched per round trip; what the export holds in memory at most

# A cell writer turns a column's stored value into its CSV text; None writes the value as it is (a
# number, or a word as the import spells it). Columns are read as the database holds them (_fetch): no
# ORM objects, enums or dates are made only to be turned back into text, which triples the export's
# speed. SQLite gives dates and times as ISO text, PostgreSQL as date and time objects whose str() is
# the same text; money comes in cents, forces in tenths, enums and sets of them as the import's words.
Cell = Callable[[Any], object] | None
FORMULA_STARTS = "=+-@"


def text(value: str | None) -> str:
    """Free text, guarded against formula injection (DOMAIN.md, "Export")."""
    if not value:
        return ""
    return "'" + value if value[0] in FORMULA_STARTS else value


def day(value: object) -> str:
    return "" if value is None else str(value)


def clock(value: object) -> str:
    """'09:30:00.000000' (SQLite) or time(9, 30) (PostgreSQL) as 09:30."""
    return "" if value is None else str(value)[:5]


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def cents(value: int | None) -> str:
    return "" if value is None else str(Decimal(value).scaleb(-2))


def tenths(value: int | None) -> str:
    return "" if value is None else str(Decimal(value).scaleb(-1))


@record
class ExportKind:
    file: str
    columns: tuple[str, ...]
    cells: tuple[Cell, ...]  # one per column
    query: Callable[[], Select[*tuple[Any, ...]]]  # the rows, their values in column order
    count: Callable[[], Select[*tuple[Any, ...]]]  # how many rows (for the progress bar)
    # Rows as they come from the query -> the rows to write (default: each row as it is) ...
    shape: Callable[[Iterator[Row]], Iterator[Row]] | None = None
    # ... or, for the big kinds, a batch as it comes -> its rows to write, each row by itself.
    batch_shape: Callable[[list[Row]], list[Row]] | None = None

    def batches(self, s: Session) -> Iterator[list[Row]]:
        """The file's rows as cells, a batch at a time, streamed (a server-side cursor on PostgreSQL)."""
        parts = _fetch(s, self.query(), self.file)
        if self.batch_shape is not None:
            for part in parts:
                yield self.batch_shape(part)
            return
        rows: Iterator[Row] = (row for part in parts for row in part)
        if self.shape is not None:
            rows = self.shape(rows)
        cells = self.cells
        if any(f is not None for f in cells):
            rows = (tuple(v if f is None else f(v) for f, v in zip(cells, row, strict=True)) for row in rows)
        while batch := list(islice(rows, BATCH)):
            yield batch

    def size(self, s: Session) -> int:
        return int(s.scalar(self.count()) or 0)


def _fetch(s: Session, query: Select[*tuple[Any, ...]], name: str) -> Iterator[list[Row]]:
    """The query's rows in batches, straight from the driver's cursor, inside the session's transaction:
    SQLAlchemy's Row objects would cost as much again as the reading itself. On PostgreSQL a named
    (server-side) cursor, so the rows stream instead of arriving all at once."""
    conn = s.connection()
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    driver: Any = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cursor = driver.cursor(name="export_" + name.replace(".", "_"))
        cursor.itersize = BATCH
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(sql)
        while part := cursor.fetchmany(BATCH):
            yield part
    finally:
        cursor.close()


P, S, C, T, Pay = m.Patient, m.Screening, m.Course, m.TreatmentSession, m.Payment


def _count(model: Any, *where: Any) -> Callable[[], Select[*tuple[Any, ...]]]:
    return lambda: select(func.count()).select_from(model).where(*where)


# --- patients ---------------------------------------------------------------------------------------------

PATIENTS = ExportKind(
    "patients.csv",
    ("chart_number", "first_name", "last_name", "date_of_birth", "sex", "phone", "email", "insurer"),
    (text, text, text, None, None, text, text, text),
    lambda: select(P.chart_number, P.first_name, P.last_name, P.date_of_birth, P.sex, P.phone, P.email,
                   P.insurer).order_by(P.chart_number),
    _count(P),
)

# --- screenings -------------------------------------------------------------------------------------------
# Of two screenings of one region on one day the one recorded last governs (DOMAIN.md) and the import
# keys a screening by chart number, day and region: that one is written.

def _last_of_each_day(rows: Iterator[Row]) -> Iterator[Row]:
    """Rows ordered by chart, day, region, id: the last of each (chart, day, region), without its id."""
    for _, same_day in groupby(rows, key=lambda r: (r[0], r[1], r[9])):
        *_, last = same_day
        yield last[:-1]


SCREENINGS = ExportKind(
    "screenings.csv",
    ("chart_number", "screened_on", "xray_on", "xray_abnormal", "spinal_hardware", "nerve_damage", "bone_cancer",
     "osteoporosis", "pregnant", "region", "conditions"),
    (text, None, None, yes_no, yes_no, yes_no, yes_no, yes_no, yes_no, None, None),  # conditions: 'a;b' as stored
    lambda: select(P.chart_number, S.screened_on, S.xray_on, S.xray_abnormal, S.spinal_hardware,
                   S.nerve_damage, S.bone_cancer, S.osteoporosis, S.pregnant, S.region, S.conditions, S.id)
    .join(P, P.id == S.patient_id).order_by(P.chart_number, S.screened_on, S.region, S.id),
    _count(S),
    shape=_last_of_each_day,
)

# --- courses ----------------------------------------------------------------------------------------------

COURSES = ExportKind(
    "courses.csv",
    ("chart_number", "region", "start_date", "planned_sessions", "fee_per_session", "status", "end_date", "plan",
     "discount_percent", "discount_amount"),
    (text, None, None, None, cents, None, None, None, cents, cents),
    lambda: select(P.chart_number, C.region, C.start_date, C.planned_sessions, C.fee_per_session, C.status,
                   C.end_date, C.plan, C.discount_percent, C.discount_amount)
    .join(P, P.id == C.patient_id).order_by(P.chart_number, C.start_date, C.id),
    _count(C),
)

# --- sessions ---------------------------------------------------------------------------------------------
# Three hundred thousand rows in a busy clinic's ten years: one comprehension shapes a whole batch.

def _events(soreness: object, spasm: object, damage: object, other: object) -> str:
    """The import's words, in its (alphabetical) order."""
    return ";".join(name for name, on in (("muscle_spasm", spasm), ("other", other), ("soreness", soreness),
                                          ("tissue_damage", damage)) if on)


def _session_batch(rows: list[Row]) -> list[Row]:
    """A batch of session rows as cells, in one comprehension (a generator step per row costs a tenth
    of the export's time)."""
    return [(chart if not chart or chart[0] not in FORMULA_STARTS else "'" + chart, on, str(at)[:5], minutes,
             position, f"{force // 10}.{force % 10}" if force is not None and force >= 0 else tenths(force),
             pain, numbness, tingling, "yes" if stop else "no",
             _events(soreness, spasm, damage, other) if soreness or spasm or damage or other else "",
             notes if not notes or notes[0] not in FORMULA_STARTS else "'" + notes, region)
            for (chart, on, at, minutes, position, force, pain, numbness, tingling, stop, soreness, spasm, damage,
                 other, notes, region) in rows]


SESSIONS = ExportKind(
    "sessions.csv",
    ("chart_number", "date", "start_time", "duration_min", "position", "max_force_lb", "pain", "numbness",
     "tingling", "stop_button", "adverse_events", "notes", "region"),
    (None,) * 13,  # _session_batch writes every cell
    lambda: select(P.chart_number, T.date, T.start_time, T.duration_min, T.position, T.max_force_lb,
                   T.pain_before, T.numbness_before, T.tingling_before, T.stop_button, T.soreness,
                   T.muscle_spasm, T.tissue_damage, T.other_adverse, T.notes, C.region)
    .join(C, C.id == T.course_id).join(P, P.id == C.patient_id)
    .order_by(P.chart_number, T.date, T.start_time, T.id),
    _count(T),
    batch_shape=_session_batch,
)

# --- payments ---------------------------------------------------------------------------------------------
# A voided payment counts nowhere and is not written. The import keys a payment by chart number, day,
# amount and method, so two equal payments of one day would read as one given twice: the payments of
# one patient, day and method are then written as their sum, which keeps every balance exact.

def _payments_shape(rows: Iterator[Row]) -> Iterator[Row]:
    for (chart, on, method), group in groupby(rows, key=lambda r: (r[0], r[1], r[3])):
        same = list(group)
        amounts = [r[2] for r in same]
        if len(set(amounts)) == len(amounts):
            yield from same
        else:
            yield chart, on, sum(amounts), method


PAYMENTS = ExportKind(
    "payments.csv",
    ("chart_number", "date", "amount", "method"),
    (text, None, cents, None),
    lambda: select(P.chart_number, Pay.paid_on, Pay.amount, Pay.method).join(P, P.id == Pay.patient_id)
    .where(Pay.voided.is_(False)).order_by(P.chart_number, Pay.paid_on, Pay.method, Pay.id),
    _count(Pay, Pay.voided.is_(False)),
    shape=_payments_shape,
)

# --- outcome forms ----------------------------------------------------------------------------------------
# The answers are kept as the import file writes them ('3;2;;4;...' or 'tie shoes=3;...').

F = OutcomeForm
OUTCOMES = ExportKind(
    "outcomes.csv",
    ("chart_number", "date", "instrument", "answers", "region"),
    (text, None, None, text, None),
    lambda: select(P.chart_number, F.date, F.instrument, F.answers, F.region).join(P, P.id == F.patient_id)
    .order_by(P.chart_number, F.date, F.id),
    _count(F),
)

# --- appointments -----------------------------------------------------------------------------------------
# The table by its name: the import adds a table the clinic has not named yet.

A, Table = Appointment, ClinicTable
APPOINTMENTS = ExportKind(
    "appointments.csv",
    ("chart_number", "date", "start_time", "minutes", "table", "status"),
    (text, None, clock, None, text, None),
    lambda: select(P.chart_number, A.date, A.start_time, A.minutes, Table.name, A.status)
    .join(P, P.id == A.patient_id).join(Table, Table.id == A.table_id)
    .order_by(P.chart_number, A.date, A.start_time, A.id),
    _count(A),
)

# The order the files are written in (the import applies them in its own order whatever this is).
KINDS: tuple[ExportKind, ...] = (PATIENTS, SCREENINGS, COURSES, SESSIONS, PAYMENTS, OUTCOMES, APPOINTMENTS)
