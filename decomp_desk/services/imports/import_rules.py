"""The import's rules for screenings, courses and sessions (DOMAIN.md, "Import format"), as a part of
the batch in services/imports/importing.py: the same rules the desk enforces, judged against the Ledger (the
database as loaded once, plus what the batch has added so far).

- A screening with the chart number, day and region of one on file is skipped when it found the same,
  and is a bad row naming each field that differs (a different finding is never dropped silently);
  two such rows in the batch are both bad rows.
- courses.csv: a course opens only on a day the patient is cleared for its region; at most one active
  course per patient and region; courses of one region never overlap; a course with the chart number,
  region and start date of one on file is skipped when the same, a bad row naming what differs.
- A session is of the region its `region` cell names, else of the newest screening's on or before it;
  it must be cleared for that region on its date (the per-region rule) and joins the course of that
  region whose dates hold its date. Where none does, the next course of the region moves its start
  back to it (a course this import opened, or one on file), unless courses.csv gave that start or
  another course lies between; with no later course, the import opens an active one (30 planned)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from decomp_desk.domain.course_rules import may_start_earlier, span_problem
from decomp_desk.domain.errors import ValidationError
from decomp_desk.domain.types import CourseStatus, Region, ScreeningFacts
from decomp_desk.domain.validation import SessionInput
from decomp_desk.services.imports.import_format import (
    CsvFile,
    chart_of,
    course_row,
    screening_row,
    session_region,
    session_row,
)
from decomp_desk.services.imports.import_ledger import CourseState, Ledger, PatientState, screening_finding

if TYPE_CHECKING:
    from decomp_desk.services.imports.importing import BadRow, FileReport


def _shown(value: object) -> str:
    """A screening's or course's value as the file writes it."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return ";".join(sorted(str(v) for v in value)) or "empty"
    return str(value)


def _differences(here: dict[str, Any], there: dict[str, Any]) -> list[str]:
    return [name for name in here if here[name] != there[name]]


class ImportRules:
    """Mixed into the import's batch: one method per row of screenings.csv, courses.csv, sessions.csv."""

    # What the batch (services/imports/importing.py) provides.
    today: date
    ledger: Ledger
    bad: list[BadRow]
    pending: list[Any]
    blind: bool
    doubtful: set[str]
    if TYPE_CHECKING:
        def _known_patient(self, chart: str) -> PatientState | None: ...
        def _once(self, f: CsvFile, line: int, key: tuple[Any, ...], field: str) -> None: ...
        def _write(self) -> None: ...

    def _where(self, f: CsvFile, name: str, line: int) -> str:
        return f"line {line}" if name == f.name else f"{name} line {line}"

    def _refuse_earlier(self, name: str, line: int, errors: dict[str, str]) -> None:
        from decomp_desk.services.imports.importing import BadRow  # the batch's module, loaded by now

        self.bad += [BadRow(name, line, k, v) for k, v in errors.items()]

    def _screenings(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        chart = chart_of(cells)
        data = screening_row(cells, self.today)
        if self._known_patient(chart) is None:
            return
        key = (chart, data.screened_on, data.region)
        found = screening_finding(data.xray_on, data.xray_abnormal, data.contraindications, data.conditions)
        what = f"{data.region.value} screening of chart {chart} on {data.screened_on.isoformat()}"
        same_day = self.__dict__.setdefault("_same_day", {})
        earlier = same_day.get(key)
        if earlier is not None:
            name, first_line, first_found = earlier
            differ = _differences(found, first_found)
            if differ:
                there = self._where(f, name, first_line)
                mine = {d: f"{_shown(found[d])} here, but {_shown(first_found[d])} in {there}, "
                           f"another {what}; a day's screening of a region is given once" for d in differ}
                theirs = {d: f"{_shown(first_found[d])} here, but {_shown(found[d])} in "
                             f"{name if name != f.name else 'this file'} line {line}, another {what}; "
                             f"a day's screening of a region is given once" for d in differ}
            else:
                mine = {"screened_on": f"repeats {self._where(f, name, first_line)} (the same {what})"}
                theirs = {"screened_on": f"is repeated in {name if name != f.name else 'this file'} line {line} "
                                         f"(the same {what})"}
            if first_line > 0:
                self._refuse_earlier(name, first_line, theirs)
                same_day[key] = (name, -first_line, first_found)  # its refusal is said once
            raise ValidationError(mine)
        same_day[key] = (f.name, line, found)
        on_file = self.ledger.screenings_on_file.get(key)
        if on_file:
            if found in on_file:
                report.skipped += 1
                return
            differ = _differences(found, on_file[-1])
            raise ValidationError({d: f"is {_shown(found[d])}, but the {what} on file has {_shown(on_file[-1][d])}; "
                                      "a differing finding is never dropped: record it at the desk, or correct the row"
                                   for d in differ})
        facts = ScreeningFacts(data.screened_on, data.xray_on, data.xray_abnormal, data.contraindications, data.region)
        self.ledger.add_screening(chart, facts, data.conditions)
        self.pending.append((chart, data))
        report.added += 1

    def _courses(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        chart = chart_of(cells)
        row = course_row(cells, self.today)
        if self._known_patient(chart) is None:
            return
        self._once(f, line, ("course", chart, row.region, row.start_date), "start_date")
        mine = self.ledger.courses.get(chart, [])
        same = next((c for c in mine if c.id is not None and c.region is row.region
                     and c.start_date == row.start_date), None)
        if same is not None:
            here = {"planned_sessions": row.planned, "fee_per_session": row.fee, "status": row.status,
                    "end_date": row.end_date}
            there = {"planned_sessions": same.planned, "fee_per_session": same.fee, "status": same.status,
                     "end_date": same.end_date}
            # An empty planned or fee cell means "the default": it agrees with whatever is on file.
            differ = [d for d in _differences(here, there) if here[d] is not None or d == "end_date"]
            if not differ:
                report.skipped += 1
                return
            what = f"the {row.region.value} course on file from {row.start_date.isoformat()}"
            raise ValidationError({d: f"is {_shown(here[d])}, but {what} has {_shown(there[d])}" for d in differ})
        clearance = self.ledger.clearance(chart, row.region, row.start_date)
        if not clearance.cleared:
            if self.blind or chart in self.doubtful:  # a bad screening row is the real mistake
                return
            raise ValidationError.single("start_date", (
                f"the patient is not cleared for {row.region.value} decompression on {row.start_date.isoformat()}: "
                + "; ".join(clearance.reasons)
                + "; a course opens only on a day the patient is cleared for its region"))
        course = CourseState(
            None, chart, row.region, self.ledger.conditions_of(chart, row.region, row.start_date), row.start_date,
            row.fee if row.fee is not None else self.ledger.default_fee, end_date=row.end_date, status=row.status,
            planned=row.planned or self.ledger.default_planned, plan=row.plan, given=True,
            discount_percent=row.discount_percent, discount_amount=row.discount_amount)
        problem = span_problem(course.span(), self.ledger.spans(chart))
        if problem is not None:
            both_active = row.status is CourseStatus.ACTIVE and problem.startswith("the patient already has")
            raise ValidationError.single("status" if both_active else "start_date", problem)
        self.ledger.add_course(course)
        self.pending.append(course)
        report.added += 1

    def _sessions(self, f: CsvFile, line: int, cells: dict[str, str], report: FileReport) -> None:
        chart = chart_of(cells)
        errors: dict[str, str] = {}
        data: SessionInput | None = None
        flags: tuple[str, ...] = ()
        region: Region | None = None
        try:
            data, flags = session_row(cells, self.today)
        except ValidationError as e:
            errors.update(e.errors)
        try:
            region = session_region(cells)
        except ValidationError as e:
            errors.update(e.errors)
        if errors or data is None:
            raise ValidationError(errors)
        patient = self._known_patient(chart)
        if patient is None:
            return
        if getattr(patient, "archived", False):
            raise ValidationError.single("chart_number", f"the patient with chart number {chart} is archived")
        key = (chart, data.date, data.start_time)
        if key in self.ledger.session_keys():
            report.skipped += 1
            return
        self._once(f, line, ("session", *key), "start_time")
        region = region or self.ledger.region_on(chart, data.date)
        clearance = self.ledger.clearance(chart, region, data.date)
        if not clearance.cleared:
            if self.blind or chart in self.doubtful:
                return
            which = f"{region.value} " if region is not None else ""
            raise ValidationError.single("date", f"the patient is not cleared for {which}decompression on "
                                                 f"{data.date.isoformat()}: " + "; ".join(clearance.reasons))
        assert region is not None  # a cleared session has a screening, hence a region
        course = self._course_for(chart, region, data.date, report)
        report.added += 1
        report.flagged += bool(flags)
        if not self.bad:
            self.pending.append((course, data))
            if len(self.pending) >= 5000:
                self._write()

    def _course_for(self, chart: str, region: Region, day: date, report: FileReport) -> CourseState:
        """The course of `region` whose dates hold `day`; else the next one, moved back to it; else a new one."""
        mine = [c for c in self.ledger.courses.get(chart, ()) if c.region is region]
        # On a day one course ended and the next began, the next (as the domain's `holding`).
        holder = max((c for c in mine if c.span().holds(day)),
                     key=lambda c: (c.start_date, c.end_date or date.max), default=None)
        if holder is not None:
            return holder
        later = [c for c in mine if c.start_date > day]
        if later:
            following = min(later, key=lambda c: c.start_date)
            if following.given:
                raise ValidationError.single("date", (
                    f"no {region.value} course holds {day.isoformat()}: courses.csv starts the next one on "
                    f"{following.start_date.isoformat()}"))
            problem = may_start_earlier(following.span(), self.ledger.spans(chart), day)
            if problem is not None:
                raise ValidationError.single("date", problem)
            following.takes(day)
            return following
        course = CourseState(None, chart, region, self.ledger.conditions_of(chart, region, day), day,
                             self.ledger.default_fee)
        self.ledger.add_course(course)
        report.courses_opened += 1
        return course
