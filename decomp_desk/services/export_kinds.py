"""What a whole-clinic export writes: one entry per import file of DOMAIN.md ("Import format").

Each kind is a file name, its columns (the import's header, in the import's order) and a query that
yields the cells of each row, streamed from the database in batches so that ten years of sessions never
sit in memory at once. Adding a kind (outcomes, appointments) is one more entry in KINDS: its columns,
a query returning the columns' values in that order, and the cell writer of each column.

Every row is written so that the import reads it back to the same record: dates ISO 8601, times HH:MM,
yes/no, the enum words of the import, lists joined by ';', money with two decimals. Text a spreadsheet
would take for a formula (beginning with = + - @) gets a leading apostrophe, which the import removes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from itertools import groupby
from typing import Callable, Iterable, Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from decomp_desk.db import models as m

BATCH = 5000  # rows fetched per round trip; what the export holds in memory at most

Cell = Callable[[object], str]
FORMULA_STARTS = ("=", "+", "-", "@")


def text(value: object) -> str:
    """Free text, guarded against formula injection (DOMAIN.md, "Export")."""
    if value is None:
        return ""
    s = str(value)
    return "'" + s if s.startswith(FORMULA_STARTS) else s


def day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def clock(value: time | None) -> str:
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def yes_no(value: bool | None) -> str:
    return "yes" if value else "no"


def number(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def word(value) -> str:
    """An enum (Region, Position, ...) as the import's word."""
    return "" if value is None else str(value.value)


def words(values: Iterable) -> str:
    """A set of enums as the import's list: sorted, joined by ';'."""
    return ";".join(sorted(v.value for v in values or ()))


@dataclass(frozen=True)
class ExportKind:
    file: str
    columns: tuple[str, ...]
    cells: tuple[Cell, ...]  # one per column
    query: Callable[[], Select]  # the rows, their values in column order
    count: Callable[[], Select]  # how many rows (for the progress bar)
    # Rows as they come from the query -> the rows to write (default: each row as it is).
    shape: Callable[[Iterator[tuple]], Iterator[tuple]] | None = None

    def rows(self, s: Session) -> Iterator[list[str]]:
        """The file's rows as cells, streamed (server-side cursor on PostgreSQL)."""
        result = s.execute(self.query().execution_options(yield_per=BATCH, stream_results=True))
        rows: Iterator[tuple] = (tuple(r) for r in result)
        if self.shape is not None:
            rows = self.shape(rows)
        cells = self.cells
        for row in rows:
            yield [f(v) for f, v in zip(cells, row)]

    def size(self, s: Session) -> int:
        return s.scalar(self.count()) or 0


P, S, C, T, Pay = m.Patient, m.Screening, m.Course, m.TreatmentSession, m.Payment


def _count(model, *where) -> Callable[[], Select]:
    return lambda: select(func.count()).select_from(model).where(*where)


# --- patients ---------------------------------------------------------------------------------------------

PATIENTS = ExportKind(
    "patients.csv",
    ("chart_number", "first_name", "last_name", "date_of_birth", "sex", "phone", "email", "insurer"),
    (text, text, text, day, word, text, text, text),
    lambda: select(P.chart_number, P.first_name, P.last_name, P.date_of_birth, P.sex, P.phone, P.email,
                   P.insurer).order_by(P.chart_number),
    _count(P),
)

# --- screenings -------------------------------------------------------------------------------------------
# Of two screenings of one region on one day the one recorded last governs (DOMAIN.md) and the import
# keys a screening by chart number, day and region: that one is written.

def _last_of_each_day(rows: Iterator[tuple]) -> Iterator[tuple]:
    """Rows ordered by chart, day, region, id: the last of each (chart, day, region), without its id."""
    for _, same_day in groupby(rows, key=lambda r: (r[0], r[1], r[9])):
        *_, last = same_day
        yield last[:-1]


SCREENINGS = ExportKind(
    "screenings.csv",
    ("chart_number", "screened_on", "xray_on", "xray_abnormal", "spinal_hardware", "nerve_damage", "bone_cancer",
     "osteoporosis", "pregnant", "region", "conditions"),
    (text, day, day, yes_no, yes_no, yes_no, yes_no, yes_no, yes_no, word, words),
    lambda: select(P.chart_number, S.screened_on, S.xray_on, S.xray_abnormal, S.spinal_hardware, S.nerve_damage,
                   S.bone_cancer, S.osteoporosis, S.pregnant, S.region, S.conditions, S.id)
    .join(P, P.id == S.patient_id).order_by(P.chart_number, S.screened_on, S.region, S.id),
    _count(S),
    shape=_last_of_each_day,
)

# --- courses ----------------------------------------------------------------------------------------------

COURSES = ExportKind(
    "courses.csv",
    ("chart_number", "region", "start_date", "planned_sessions", "fee_per_session", "status", "end_date"),
    (text, word, day, number, number, word, day),
    lambda: select(P.chart_number, C.region, C.start_date, C.planned_sessions, C.fee_per_session, C.status,
                   C.end_date).join(P, P.id == C.patient_id).order_by(P.chart_number, C.start_date, C.id),
    _count(C),
)

# --- sessions ---------------------------------------------------------------------------------------------

def _adverse(row: tuple) -> str:
    soreness, spasm, damage, other = row
    return ";".join(name for name, on in (("muscle_spasm", spasm), ("other", other), ("soreness", soreness),
                                          ("tissue_damage", damage)) if on)


def _sessions_shape(rows: Iterator[tuple]) -> Iterator[tuple]:
    for r in rows:
        yield (*r[:10], _adverse(r[10:14]), r[14], r[15])


SESSIONS = ExportKind(
    "sessions.csv",
    ("chart_number", "date", "start_time", "duration_min", "position", "max_force_lb", "pain", "numbness",
     "tingling", "stop_button", "adverse_events", "notes", "region"),
    (text, day, clock, number, word, number, number, number, number, yes_no, str, text, word),
    lambda: select(P.chart_number, T.date, T.start_time, T.duration_min, T.position, T.max_force_lb, T.pain_before,
                   T.numbness_before, T.tingling_before, T.stop_button, T.soreness, T.muscle_spasm,
                   T.tissue_damage, T.other_adverse, T.notes, C.region)
    .join(C, C.id == T.course_id).join(P, P.id == C.patient_id)
    .order_by(P.chart_number, T.date, T.start_time, T.id),
    _count(T),
    shape=_sessions_shape,
)

# --- payments ---------------------------------------------------------------------------------------------
# A voided payment counts nowhere and is not written. The import keys a payment by chart number, day,
# amount and method, so two equal payments of one day would read as one given twice: the payments of
# one patient, day and method are then written as their sum, which keeps every balance exact.

def _payments_shape(rows: Iterator[tuple]) -> Iterator[tuple]:
    for (chart, on, method), same in groupby(rows, key=lambda r: (r[0], r[1], r[3])):
        same = list(same)
        amounts = [r[2] for r in same]
        if len(set(amounts)) == len(amounts):
            yield from same
        else:
            yield chart, on, sum(amounts, Decimal("0.00")), method


PAYMENTS = ExportKind(
    "payments.csv",
    ("chart_number", "date", "amount", "method"),
    (text, day, number, word),
    lambda: select(P.chart_number, Pay.paid_on, Pay.amount, Pay.method).join(P, P.id == Pay.patient_id)
    .where(Pay.voided.is_(False)).order_by(P.chart_number, Pay.paid_on, Pay.method, Pay.id),
    _count(Pay, Pay.voided.is_(False)),
    shape=_payments_shape,
)

# The order the files are written in (the import applies them in its own order whatever this is).
KINDS: tuple[ExportKind, ...] = (PATIENTS, SCREENINGS, COURSES, SESSIONS, PAYMENTS)
