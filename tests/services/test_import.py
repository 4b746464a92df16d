"""CSV import (DOMAIN.md "Import format") on both databases: all or nothing, every bad row named by
line and field, no duplicates on re-import, and the screening rules applied to every session."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from decomp_desk.db import models as m
from decomp_desk.domain.course_input import CourseInput
from decomp_desk.domain.types import CourseStatus, Region
from decomp_desk.services.imports.importing import ImportRejected, import_files
from tests.csv_clinic import PROGRESS_1001, write_clinic, write_csv
from tests.factories import patient, screening


def _count(services, model) -> int:
    with services.ctx.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(model))


def _everything(services) -> dict[str, int]:
    return {t.__name__: _count(services, t) for t in (
        m.Patient, m.Screening, m.Course, m.TreatmentSession, m.Payment, m.AuditEvent)}


def _rejected(services, paths) -> set[tuple[str, int, str]]:
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, paths)
    return {(r.file, r.line, r.field) for r in err.value.rows}


def _progress(services, chart):
    p = services.patients.by_chart(chart)
    course = services.courses.current(p.id)
    return course, services.sessions.progress(course.id)


def test_a_small_clinic_imports_whole_whatever_the_file_names_and_order(services, tmp_path):
    names = {"patients": "export-3.csv", "screenings": "b.csv", "sessions": "a.csv", "payments": "0.csv"}
    report = import_files(services.ctx, write_clinic(tmp_path, names))
    assert [(f.name, f.kind) for f in report.files] == [
        ("export-3.csv", "patients"), ("b.csv", "screenings"), ("a.csv", "sessions"), ("0.csv", "payments")]
    added = (report.patients.added, report.screenings.added, report.sessions.added, report.payments.added)
    assert added == (4, 5, 7, 2)
    assert report.courses_opened == 3 and report.flagged_sessions == 1  # the 20-minute stop-button session
    rows = {r.chart_number: r for r in services.patients.list()}
    assert set(rows) == {"1001", "1002", "1003", "1004"}
    assert rows["1003"].clearance.describe() == "Not cleared: pregnancy"
    assert rows["1004"].clearance.describe() == "Not cleared: no lumbar x-ray on file"
    assert services.patients.by_chart("1001").email == "ann.lee@example.com"

    course, progress = _progress(services, "1001")
    assert (course.region, course.planned_sessions, course.fee_per_session) == (Region.LUMBAR, 30, Decimal("85.00"))
    assert course.start_date == date(2026, 3, 3) and course.status is CourseStatus.ACTIVE
    assert progress.as_json("1001") == PROGRESS_1001
    last = services.sessions.for_course(course.id)[-1]
    assert (last.max_force_lb, last.notes, last.charge) == (Decimal("70.5"), "dizzy, then fine", Decimal("85.00"))

    cervical, progress = _progress(services, "1002")
    assert cervical.region is Region.CERVICAL and progress.improvement_percent["numbness"] is None
    # One audit event per file, with its counts.
    with services.ctx.unit_of_work() as s:
        details = s.scalars(select(m.AuditEvent.detail).where(m.AuditEvent.action == "import")).all()
    assert sorted(details)[0] == "0.csv (payments): 2 added, 0 already on file"
    with services.ctx.unit_of_work() as s:
        paid = s.execute(select(m.Payment.amount, m.Payment.course_id).order_by(m.Payment.paid_on)).all()
    assert paid == [(Decimal("170.00"), course.id), (Decimal("85.00"), cervical.id)]


def test_any_bad_row_changes_nothing_and_every_bad_row_is_named(services, tmp_path):
    before = _everything(services)
    people = write_csv(tmp_path, "patients.csv", "patients", (
        "2001,Eve,Stone,1980-02-30,F,,,\n"      # line 2: no such date
        "2002,,Moss,1981-01-01,Q,,not-an-email,\n"  # line 3: three bad cells
        "2003,Fay,Hart,1982-01-01,F,,,\n"))     # line 4: fine
    visits = write_csv(tmp_path, "sessions.csv", "sessions", (
        "2003,2026-03-03,09:00,35,face_down,60,,5,4,no,,\n"     # line 2: empty pain
        "2003,2026-03-04,09:00,0,sideways,-5,11,5,4,maybe,,\n"  # line 3: five bad cells
        "9999,2026-03-05,09:00,35,face_down,60,5,5,4,no,,\n"    # line 4: unknown patient
        "2003,2026-03-06,25:00,35,face_down,60,5,5,4,no,bruise,\n"))  # line 5: bad time and event
    assert _rejected(services, [visits, people]) == {
        ("patients.csv", 2, "date_of_birth"),
        ("patients.csv", 3, "first_name"), ("patients.csv", 3, "sex"), ("patients.csv", 3, "email"),
        ("sessions.csv", 2, "pain"),
        ("sessions.csv", 3, "duration_min"), ("sessions.csv", 3, "position"), ("sessions.csv", 3, "max_force_lb"),
        ("sessions.csv", 3, "pain"), ("sessions.csv", 3, "stop_button"),
        ("sessions.csv", 4, "chart_number"),
        ("sessions.csv", 5, "start_time"), ("sessions.csv", 5, "adverse_events"),
    }
    assert _everything(services) == before


def test_lines_are_numbered_as_a_spreadsheet_shows_them(services, tmp_path):
    import_files(services.ctx, write_clinic(tmp_path))
    visits = write_csv(tmp_path, "sessions.csv", "sessions", (
        '1001,2026-03-13,09:00,35,face_down,60,5,5,4,no,,"a note on\ntwo lines"\n'  # lines 2 and 3
        ",,,,,,,,,,,\n"                                                               # line 4: blank
        "1001,2026-03-16,09:00\n"))                                                   # line 5
    assert [str(r) for r in pytest.raises(ImportRejected, import_files, services.ctx, [visits]).value.rows] == [
        "sessions.csv line 5: row: has 3 cells; the header has 12"]


def test_an_empty_score_is_refused(services, tmp_path):
    files = write_clinic(tmp_path)
    files[1].write_text(files[1].read_text().replace("1002,2026-03-06,10:00,30,face_up,18,5,0,1",
                                                     "1002,2026-03-06,10:00,30,face_up,18,5,,1"))
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, files)
    assert [str(r) for r in err.value.rows] == ["sessions.csv line 7: numbness: is required"]
    assert services.patients.list() == []


def test_a_session_for_a_patient_not_cleared_on_its_date_is_a_bad_row(services, tmp_path):
    files = write_clinic(tmp_path)
    late = write_csv(tmp_path, "more-sessions.csv", "sessions", (
        "1003,2026-03-21,11:00,30,face_down,50,6,3,3,no,,\n"   # the day after the pregnancy screening
        "1004,2026-03-03,11:00,30,face_down,50,6,3,3,no,,\n"   # no x-ray
        "1001,2026-03-01,11:00,30,face_down,50,6,3,3,no,,\n"))  # before the first screening
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [*files, late])
    messages = {r.line: f"{r.field}: {r.message}" for r in err.value.rows}
    assert messages == {
        2: "date: the patient is not cleared for lumbar decompression on 2026-03-21: pregnancy",
        3: "date: the patient is not cleared for lumbar decompression on 2026-03-03: no lumbar x-ray on file",
        4: "date: the patient is not cleared for decompression on 2026-03-01: no screening on file",
    }
    assert services.patients.list() == []


def test_importing_the_same_files_again_adds_nothing(services, tmp_path):
    files = write_clinic(tmp_path)
    import_files(services.ctx, files)
    counts = _everything(services)
    again = import_files(services.ctx, files)
    assert (again.patients.skipped, again.screenings.skipped, again.sessions.skipped, again.payments.skipped) == (
        4, 5, 7, 2)
    assert again.sessions.added == again.courses_opened == 0
    assert {k: v for k, v in _everything(services).items() if k != "AuditEvent"} == {
        k: v for k, v in counts.items() if k != "AuditEvent"}


def test_a_known_patient_gets_new_contact_details_but_never_another_name(services, tmp_path):
    import_files(services.ctx, write_clinic(tmp_path))
    moved = write_csv(tmp_path, "patients.csv", "patients",
                      "1002,Bob,Ray,1975-09-30,M,555-0199,bob@example.com,\n1003,Cleo,Diaz,,,,,\n")
    report = import_files(services.ctx, [moved])
    assert (report.patients.updated, report.patients.skipped) == (1, 1)
    bob = services.patients.by_chart("1002")
    assert (bob.phone, bob.email, bob.insurer, bob.version) == ("555-0199", "bob@example.com", "Medicare", 2)
    other = write_csv(tmp_path, "patients.csv", "patients", "1002,Robert,Ray,1975-09-30,M,,,\n")
    assert _rejected(services, [other]) == {("patients.csv", 2, "first_name")}


def test_a_key_given_twice_in_one_batch_is_a_bad_row(services, tmp_path):
    files = write_clinic(tmp_path)
    twice = write_csv(tmp_path, "sessions-b.csv", "sessions", "1001,2026-03-05,09:00,30,face_down,60,5,5,4,no,,\n")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [*files, twice])
    assert [str(r) for r in err.value.rows] == ["sessions-b.csv line 2: start_time: repeats sessions.csv line 2"]


def test_a_session_joins_the_open_course_of_the_screened_region(services, tmp_path):
    p = patient(services, "1001", "Ann", "Lee")
    services.screenings.record(p.id, screening(date(2026, 3, 2)))
    desk = services.courses.open(p.id, CourseInput(Region.LUMBAR, date(2026, 3, 9), planned_sessions=20,
                                                   fee_per_session=Decimal("95")))
    visits = write_csv(tmp_path, "sessions.csv", "sessions", "1001,2026-03-05,09:00,35,face_down,60,7,5,3,no,,\n")
    report = import_files(services.ctx, [visits])
    assert (report.sessions.added, report.courses_opened) == (1, 0)
    joined = services.courses.get(desk.id)
    assert (joined.sessions_completed, joined.start_date) == (1, date(2026, 3, 5))  # moved back to the session
    assert services.sessions.for_course(desk.id)[0].charge == Decimal("95.00")

    services.courses.set_status(desk.id, CourseStatus.COMPLETED, on=date(2026, 3, 20))
    later = write_csv(tmp_path, "sessions.csv", "sessions", "1001,2026-04-01,09:00,35,face_down,60,3,2,1,no,,\n")
    assert import_files(services.ctx, [later]).courses_opened == 1
    current = services.courses.current(p.id)
    assert (current.planned_sessions, current.status, current.sessions_completed) == (30, CourseStatus.ACTIVE, 1)


def test_the_kind_is_told_by_the_header(services, tmp_path):
    shuffled = tmp_path / "sessions.csv"
    shuffled.write_text("insurer,email,phone,sex,date_of_birth,last_name,first_name,chart_number\n"
                        "Aetna,,,F,,Lee,Ann,1001\n")
    assert import_files(services.ctx, [shuffled]).patients.added == 1
    odd = tmp_path / "patients.csv"
    odd.write_text("chart_number,first_name,surname\n1,A,B\n")
    with pytest.raises(ImportRejected) as err:
        import_files(services.ctx, [odd])
    (row,) = err.value.rows
    assert (row.line, row.field) == (1, "header")
    assert "lacks last_name" in row.message and "unknown columns surname" in row.message


def test_a_payment_again_is_skipped_and_a_bad_amount_refused(services, tmp_path):
    import_files(services.ctx, write_clinic(tmp_path))
    money = write_csv(tmp_path, "payments.csv", "payments",
                      "1001,2026-03-03,170.00,card\n1001,2026-03-05,12.345,cash\n1001,2026-03-05,0,barter\n")
    assert _rejected(services, [money]) == {("payments.csv", 3, "amount"), ("payments.csv", 4, "amount"),
                                            ("payments.csv", 4, "method")}
    good = write_csv(tmp_path, "payments.csv", "payments", "1001,2026-03-03,170.00,card\n1001,2026-03-05,85,check\n")
    report = import_files(services.ctx, [good])
    assert (report.payments.added, report.payments.skipped) == (1, 1)
