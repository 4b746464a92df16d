"""The import files of DOMAIN.md ("Import format"): which kind a file is, told by its header row, and
each row read into the domain's inputs, validated by the domain's rules, with every bad cell named by
its CSV column. Nothing here touches the database."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from decomp_desk.domain.course_input import CourseInput, validate_course
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.money import parse_money, validate_fee, validate_payment
from decomp_desk.domain.plan_text import parse_plan, plan_text, plan_total
from decomp_desk.domain.records import record
from decomp_desk.domain.screening_input import ScreeningInput, validate_screening
from decomp_desk.domain.types import (
    AdverseEvent,
    Condition,
    Contraindication,
    CourseStatus,
    PaymentMethod,
    Position,
    Region,
    Scores,
)
from decomp_desk.domain.validation import (
    PatientInput,
    SessionInput,
    parse_date,
    parse_decimal,
    parse_int,
    parse_time,
    parse_yes_no,
    validate_patient,
    validate_session,
)

COLUMNS = {
    "patients": ("chart_number", "first_name", "last_name", "date_of_birth", "sex", "phone", "email", "insurer"),
    "screenings": ("chart_number", "screened_on", "xray_on", "xray_abnormal", "spinal_hardware", "nerve_damage",
                   "bone_cancer", "osteoporosis", "pregnant", "region", "conditions"),
    "courses": ("chart_number", "region", "start_date", "planned_sessions", "fee_per_session", "status", "end_date"),
    "sessions": ("chart_number", "date", "start_time", "duration_min", "position", "max_force_lb", "pain",
                 "numbness", "tingling", "stop_button", "adverse_events", "notes"),
    "payments": ("chart_number", "date", "amount", "method"),
    "outcomes": ("chart_number", "date", "instrument", "answers", "region"),  # services/imports/import_outcomes.py
    "appointments": ("chart_number", "date", "start_time", "minutes", "table", "status"),  # last: after courses
}
KINDS = tuple(COLUMNS)  # also the order a batch is applied in: patients first, payments last
# Columns a file of that kind may carry besides its own (DOMAIN.md): a session's region, a course's plan.
OPTIONAL = {"sessions": ("region",), "courses": ("plan", "discount_percent", "discount_amount")}
MAX_CELL = 10_000  # characters; a longer cell is a bad row (a pasted document, or a runaway quote)
# A spreadsheet's guard against formula injection: a leading ' before these is not part of the value.
FORMULA_GUARDED = ("=", "+", "-", "@")

# Python's csv refuses a field over 128 KiB with an exception; a long cell must be a bad row with a
# sentence instead (MAX_CELL), so the reader itself accepts any length.
csv.field_size_limit(2**31 - 1)

# validate_session names the scores as the form does; the file calls them by its own columns.
_SESSION_FIELDS = {"pain_before": "pain", "numbness_before": "numbness", "tingling_before": "tingling"}


def detect_kind(header: list[str]) -> str:
    """The kind whose columns the header names (in any order); ValidationError naming what is off."""
    names = [h.strip().lower() for h in header]
    for kind, columns in COLUMNS.items():
        extra = sorted(set(names) - set(columns))
        if (len(set(names)) == len(names) and set(columns) <= set(names)
                and all(x in OPTIONAL.get(kind, ()) for x in extra)):
            return kind
    nearest = max(KINDS, key=lambda k: (len(set(names) & set(COLUMNS[k])), -len(COLUMNS[k])))
    missing = [c for c in COLUMNS[nearest] if c not in names]
    unknown = [n for n in names if n not in COLUMNS[nearest] + OPTIONAL.get(nearest, ())]
    if len(set(names) & set(COLUMNS[nearest])) < 2:
        raise ValidationError.single("header", "the first line is not the header of patients.csv, screenings.csv, "
                                               "courses.csv, sessions.csv or payments.csv")
    parts = [f"lacks {', '.join(missing)}"] if missing else []
    parts += [f"has unknown columns {', '.join(unknown)}"] if unknown else []
    parts += ["names a column twice"] if not parts else []
    raise ValidationError.single("header", f"looks like {nearest}.csv but {' and '.join(parts)}")


@record
class CsvFile:
    name: str
    header: tuple[str, ...]
    text: str

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number as a spreadsheet shows it, cells) of each row that is not blank."""
        reader = csv.reader(_lines_of(self.text))
        next(reader, None)
        line = reader.line_num + 1
        for cells in reader:
            if any(cells) and any(c.strip() for c in cells):
                yield line, [_unguarded(c) for c in cells]
            line = reader.line_num + 1


def _lines_of(text: str) -> io.StringIO:
    """The text with CRLF, LF or CR line endings alike (a spreadsheet on an old Mac writes CR only)."""
    return io.StringIO(text, newline=None)


def _unguarded(cell: str) -> str:
    """A cell without the leading ' a spreadsheet puts before =, +, - or @ against formula injection."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_GUARDED:
        return cell[1:]
    return cell


def too_long(header: tuple[str, ...], cells: list[str]) -> dict[str, str]:
    """{column: sentence} for each cell over MAX_CELL characters, or holding a NUL character."""
    bad = {name: f"is {len(cell):,} characters long; a cell holds at most {MAX_CELL:,}"
           for name, cell in zip(header, cells, strict=False) if len(cell) > MAX_CELL}
    # A NUL character is no text at all (PostgreSQL refuses to store one): the file is damaged there.
    bad.update({name: "holds a NUL character (the file is damaged here)"
                for name, cell in zip(header, cells, strict=False) if "\x00" in cell and name not in bad})
    return bad


def read_csv(name: str, data: bytes) -> tuple[str, CsvFile]:
    """(kind, file) of UTF-8 CSV bytes; ValidationError for a file that is not one of the four."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise ValidationError.single("file", f"is not UTF-8 text (line {line}); save it as CSV UTF-8") from None
    header = next(csv.reader(_lines_of(text)), None)
    if not header:
        raise ValidationError.single("file", "is empty")
    kind = detect_kind(header)
    return kind, CsvFile(name, tuple(h.strip().lower() for h in header), text)


class _Row:
    """One row's cells; every bad cell is gathered before the row is refused, so all are reported."""

    __slots__ = ("cells", "errors")

    def __init__(self, cells: dict[str, str]):
        self.cells = cells
        self.errors: dict[str, str] = {}

    def get(self, name: str, parse: Callable[[str, str], object], optional: bool = False):
        text = self.cells[name]
        if optional and not text.strip():
            return None
        try:
            return parse(name, text)
        except ValidationError as e:
            self.errors.update(e.errors)
            return None

    def text(self, name: str) -> str:
        return self.cells[name].strip()

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def validated(self, rule: Callable, *args, rename: dict[str, str] | None = None):
        """The rule's result; its refusals join the cells' (a cell that did not parse keeps that message)."""
        try:
            result = rule(*args)
        except ValidationError as e:
            self.errors = {**{(rename or {}).get(k, k): v for k, v in e.errors.items()}, **self.errors}
        self.check()
        return result


def _choice(enum_cls) -> Callable[[str, str], object]:
    """Labelled.parse's answer, looked up in a dict: the enum's own loop is too slow for 300,000 rows."""
    known = {**{m.label.lower(): m for m in enum_cls}, **{m.value.lower(): m for m in enum_cls}}

    def parse(name: str, text: str):
        member = known.get(text.strip().lower())
        if member is not None:
            return member
        if not text.strip():
            raise ValidationError.single(name, "is required")
        try:
            return enum_cls.parse(text)
        except ValueError as e:
            raise ValidationError.single(name, str(e)) from None
    return parse


def _choices(enum_cls) -> Callable[[str, str], frozenset]:
    one = _choice(enum_cls)
    none: frozenset = frozenset()

    def parse(name: str, text: str) -> frozenset:
        if not text.strip():  # most rows: a generator per empty cell costs more than the rest of the cell
            return none
        return frozenset(one(name, part) for part in text.split(";") if part.strip())
    return parse


_position, _region, _method = _choice(Position), _choice(Region), _choice(PaymentMethod)
_events, _conditions = _choices(AdverseEvent), _choices(Condition)


def chart_of(cells: dict[str, str]) -> str:
    return cells.get("chart_number", "").strip()


def patient_row(cells: dict[str, str], today: date) -> PatientInput:
    r = _Row(cells)
    data = PatientInput(
        chart_number=r.text("chart_number"), first_name=r.text("first_name"), last_name=r.text("last_name"),
        date_of_birth=r.get("date_of_birth", parse_date, optional=True), sex=r.text("sex").upper(),
        phone=r.text("phone"), email=r.text("email"), insurer=r.text("insurer"))
    return r.validated(validate_patient, data, today)


def screening_row(cells: dict[str, str], today: date) -> ScreeningInput:
    r = _Row(cells)
    _required_chart(r)
    screened_on = r.get("screened_on", parse_date)
    xray_on = r.get("xray_on", parse_date, optional=True)
    # Without an x-ray there is no finding to state, so an empty cell there means "no".
    abnormal = r.get("xray_abnormal", parse_yes_no, optional=xray_on is None) or False
    contra = frozenset(c for c in Contraindication if r.get(c.value, parse_yes_no))
    data = ScreeningInput(screened_on=screened_on, xray_on=xray_on, xray_abnormal=abnormal,
                          region=r.get("region", _region), contraindications=contra,
                          conditions=r.get("conditions", _conditions))
    r.check()
    r.validated(validate_screening, data, today)
    return data


def session_row(cells: dict[str, str], today: date) -> tuple[SessionInput, tuple[str, ...]]:
    """The session and its flags (allowed but unusual, e.g. a short stop-button session)."""
    r = _Row(cells)
    _required_chart(r)
    g = r.get
    data = SessionInput(
        date=g("date", parse_date), start_time=g("start_time", parse_time), duration_min=g("duration_min", parse_int),
        position=g("position", _position), max_force_lb=g("max_force_lb", parse_decimal, True),
        before=Scores(g("pain", parse_int), g("numbness", parse_int), g("tingling", parse_int)),
        stop_button=g("stop_button", parse_yes_no), adverse_events=g("adverse_events", _events),
        notes=r.text("notes"),
    )
    return data, r.validated(validate_session, data, today, rename=_SESSION_FIELDS)


def session_region(cells: dict[str, str]) -> Region | None:
    """The optional `region` column of sessions.csv; None when absent or empty."""
    text = cells.get("region", "")
    if not text.strip():
        return None
    region = _region("region", text)
    assert isinstance(region, Region)
    return region


@record
class CourseRow:
    """One row of courses.csv; `planned` and `fee` None where the cell is empty (the clinic's defaults)."""
    chart_number: str
    region: Region
    start_date: date
    planned: int | None
    fee: Decimal | None
    status: CourseStatus
    end_date: date | None
    plan: str  # the care plan as written back (`3x4,2x3`); "" without one
    # The course's discount (the export writes them, so a round trip keeps every balance); None: none.
    discount_percent: Decimal | None = None
    discount_amount: Decimal | None = None


def course_row(cells: dict[str, str], today: date) -> CourseRow:
    r = _Row(cells)
    _required_chart(r)
    region = r.get("region", _region)
    start = r.get("start_date", parse_date)
    planned = r.get("planned_sessions", parse_int, optional=True)
    fee = r.get("fee_per_session", lambda name, text: parse_money(name, text), optional=True)
    status = r.get("status", _choice(CourseStatus), optional=True) or CourseStatus.ACTIVE
    end = r.get("end_date", parse_date, optional=True)
    phases = r.get("plan", parse_plan, optional=True) if "plan" in cells else None
    if planned is not None and not 1 <= planned <= 200:
        r.errors.setdefault("planned_sessions", "must be from 1 to 200")
    if phases:
        total = plan_total(phases)
        if planned is None:
            planned = total
        elif planned != total:
            r.errors.setdefault("planned_sessions", f"is {planned}, but the plan {plan_text(phases)} makes {total}")
        if not 1 <= total <= 200:
            r.errors.setdefault("plan", f"makes {total} sessions; a course plans from 1 to 200")
    if fee is not None:
        try:
            validate_fee("fee_per_session", fee)
        except ValidationError as e:
            r.errors.update({k: v for k, v in e.errors.items() if k not in r.errors})
    if status is CourseStatus.ACTIVE and end is not None:
        r.errors.setdefault("end_date", "must be empty for an active course")
    if status is not CourseStatus.ACTIVE and end is None and "end_date" not in r.errors:
        r.errors["end_date"] = f"is required for a {status.value} course"
    if start is not None and end is not None and end < start:
        r.errors.setdefault("end_date", f"is before the course's start ({start.isoformat()})")
    percent, amount = _course_discount(r, cells)
    r.check()
    return CourseRow(r.text("chart_number"), region, start, planned, fee, status, end,
                     plan_text(phases) if phases else "", percent, amount)


def _course_discount(r: _Row, cells: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
    """The optional discount columns, checked as the course form checks them."""
    percent = r.get("discount_percent", parse_decimal, optional=True) if "discount_percent" in cells else None
    amount = (r.get("discount_amount", lambda name, text: parse_money(name, text), optional=True)
              if "discount_amount" in cells else None)
    if percent is not None or amount is not None:
        try:
            validate_course(CourseInput(Region.LUMBAR, date.min, discount_percent=percent, discount_amount=amount))
        except ValidationError as e:
            r.errors.update({k: v for k, v in e.errors.items() if k not in r.errors})
    return percent, amount


def payment_row(cells: dict[str, str], today: date) -> tuple[date, Decimal, PaymentMethod]:
    r = _Row(cells)
    _required_chart(r)
    paid_on = r.get("date", parse_date)
    amount = r.get("amount", lambda name, text: parse_money(name, text, allow_zero=False))
    method = r.get("method", _method)
    r.check()
    r.validated(validate_payment, amount, paid_on, today)
    return paid_on, amount, method


def appointment_row(cells: dict[str, str]) -> tuple:
    """(date, start_time, minutes or None, table, status): services/imports/import_appointments.py."""
    from decomp_desk.domain.appointments import AppointmentStatus
    from decomp_desk.services.imports.import_appointments import appointment_row as read

    return read(cells, parse_date, parse_time, parse_int, _choice(AppointmentStatus))


def _required_chart(r: _Row) -> None:
    if not r.text("chart_number"):
        r.errors["chart_number"] = "is required"
